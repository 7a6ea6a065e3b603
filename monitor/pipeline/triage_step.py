"""The triage read-back, once per cycle after delivery: reactions on our alerts -> verdicts -> message state.

The fewest calls: one conversations.history per channel that holds a top-level alert of the last
`slack.triage_days` days (paged by cursor, 200 a page), and one conversations.replies per thread
that holds alert replies and has replies. Never one call per message. Which message is which alert
is told by its metadata (alert id, this database's instance, payload hash: as reconciliation reads it).

A reaction is recorded once, with the person and the time it was first seen (Slack does not say when
a reaction was added). A reaction gone from a message that was read undoes its mark; a channel that
could not be read undoes nothing. A problem reading or updating (a missing scope) is logged once, as
what it is: alerts are still delivered.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .. import clock
from ..alerting import incident_thread, triage
from ..alerting.alert_rows import alert_ref
from ..alerting.outbox import instance_id
from ..alerting.slack import AlertRef, HistoryUnavailable, Message, read_messages, update_message
from ..redact import redact
from ..storage import incident_store, triage_store
from ..storage.store import Store
from ..textutil import iso

log = logging.getLogger("monitor.triage")
PROBLEM_KEY = "triage_problem"


@dataclass
class TriageReport:
    history_calls: int = 0  # channels read (each one or more pages)
    thread_calls: int = 0
    alerts_seen: int = 0
    added: int = 0
    removed: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


def after_delivery(monitor: Any) -> TriageReport | None:
    """The cycle's hook: never lets triage fail the cycle (delivery is done by now)."""
    try:
        return read_back(
            monitor.store, monitor.sender, monitor.config.slack, buttons=bool(getattr(monitor, "buttons", False))
        )
    except Exception as e:  # a bug here must not cost the alerts already delivered, nor the next cycle
        log.error("Slack triage read-back failed: %s: %s (alerts are not affected)", type(e).__name__, e)
        log.info("triage traceback", exc_info=True)
        return None


def read_back(
    store: Store, sender: Any, slack: Any, now: datetime | None = None, buttons: bool = False
) -> TriageReport:
    report = TriageReport()
    if slack.triage_days <= 0 or getattr(sender, "mode", "") != "slack":
        return report
    triage_store.ensure(store)
    instance = instance_id(store)
    since = (now or clock.utcnow()) - timedelta(days=slack.triage_days)
    rows = triage_store.alerts_in_window(store, iso(since) or "")
    if not rows:
        return report
    client = sender.client  # made here, when there is something to read (alerting/slack.py)
    by_ref = {(str(r["id"]), alert_ref(r, instance).payload_hash): r for r in rows}
    seen: dict[int, set[tuple[str, str]]] = {}
    parents: dict[tuple[str, str], dict[str, Any]] = {}

    def take(messages: list[dict[str, Any]]) -> None:
        for msg in messages:
            meta = msg.get("metadata")
            payload = meta.get("event_payload") if isinstance(meta, dict) else None
            if not isinstance(payload, dict) or payload.get("instance") != instance:
                continue
            row = by_ref.get((str(payload.get("alert_id")), str(payload.get("payload_hash"))))
            if row is not None and str(msg.get("ts")) == row["slack_ts"]:
                seen[row["id"]] = triage.seen_marks(row["id"], msg.get("reactions"), slack.triage)

    top: dict[str, float] = {}
    for r in rows:
        if not r["thread_ts"]:
            top[r["channel"]] = min(top.get(r["channel"], float("inf")), float(r["slack_ts"]))
    for channel, first in sorted(top.items()):
        try:
            messages = read_messages(client, channel, first - 1.0)
        except HistoryUnavailable as e:
            _problem(report, f"cannot read reactions in {channel}: {e}", e.permanent)
            continue
        report.history_calls += 1
        take(messages)
        for m in messages:
            parents[(channel, str(m.get("ts")))] = m
    threads = [
        (channel, ts)
        for channel, ts in sorted({(r["channel"], r["thread_ts"]) for r in rows if r["thread_ts"]})
        # read in history, and no one replied: nothing of ours in it
        if (parent := parents.get((channel, ts))) is None or parent.get("reply_count")
    ]
    for (channel, _ts), read in zip(threads, _read_threads(client, threads), strict=True):
        if isinstance(read, HistoryUnavailable):
            _problem(report, f"cannot read reactions in a thread of {channel}: {read}", read.permanent)
            continue
        report.thread_calls += 1
        take(read)

    report.alerts_seen = len(seen)
    active = triage_store.marks(store.conn, list(seen))
    for alert_id, pairs in seen.items():
        change = triage.changes(pairs, active.get(alert_id, []), slack.triage)
        for reaction, user, verdict in change.added:
            report.added += int(triage_store.add(store, alert_id, reaction, user, verdict))
        for reaction, user in change.removed:
            report.removed += int(triage_store.remove(store, alert_id, reaction, user))
    for alert_id in seen:
        error = refresh(store, client, alert_id, instance, buttons)
        if error is None:
            continue
        if error:
            _problem(
                report,
                f"cannot update alert {alert_id}'s message to show its triage state: {error}",
                "missing_scope" in error or error in ("cant_update_message", "not_in_channel"),
            )
        else:
            report.updated += 1
    if not report.problems:
        triage_store.set_meta(store, PROBLEM_KEY, None)
    else:
        _say_once(store, report.problems)
    return report


THREAD_READERS = 4  # conversations.replies calls in flight at once


def _read_threads(client: Any, threads: list[tuple[str, str]]) -> list[list[dict[str, Any]] | HistoryUnavailable]:
    """Each thread's messages (or why it could not be read), in the order given. The calls are
    independent and mostly waiting (a cycle after a busy week reads a hundred threads, one round trip
    each), so a few run at once; the same calls as one after another, answered in the same order."""

    def one(thread: tuple[str, str]) -> list[dict[str, Any]] | HistoryUnavailable:
        try:
            return read_messages(client, thread[0], 0.0, thread_ts=thread[1])
        except HistoryUnavailable as e:
            return e

    if len(threads) < 2:
        return [one(t) for t in threads]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(THREAD_READERS, thread_name_prefix="triage-thread") as pool:
        return list(pool.map(one, threads))


def refresh(store: Store, client: Any, alert_id: int, instance: str, buttons: bool) -> str | None:
    """chat.update the alert's message when its triage state changed: '' when updated, None when there
    was nothing to do, else what Slack answered."""
    row = triage_store.alert_row(store, alert_id)
    if row is None or not row["slack_ts"] or not str(row["slack_ts"])[0].isdigit():
        return None
    lines = triage.state_lines(triage_store.marks(store.conn, [alert_id]).get(alert_id, []))
    state = "\n".join(lines)
    if state == triage_store.shown(store, alert_id):
        return None
    # The one rendering of a posted alert (its incident's state kept when it heads the thread; its metadata kept).
    message, metadata = incident_thread.render(
        store, incident_store.alert(store.conn, alert_id) or row, instance, buttons
    )
    error = update_message(client, row["channel"], row["slack_ts"], message, metadata)
    if error is not None:
        return error
    triage_store.set_shown(store, alert_id, state)
    return ""


def _problem(report: TriageReport, text: str, permanent: bool) -> None:
    if permanent:
        report.problems.append(text)
    else:
        log.info("Slack triage: %s (tried again next cycle)", text)


def _say_once(store: Store, problems: list[str]) -> None:
    """A missing scope stays missing every cycle: say it once (again only when it changes)."""
    text = "; ".join(sorted(set(problems)))
    if triage_store.get_meta(store, PROBLEM_KEY) == text:
        return
    triage_store.set_meta(store, PROBLEM_KEY, text)
    log.warning(
        "Slack triage: %s. Reactions on alerts are not read until the Slack app has the scopes "
        "channels:history (groups:history for private channels), reactions:read and chat:write; "
        "alerts are still delivered (said once)",
        text,
    )


# ---------------------------------------------------------------------- buttons (the daemon)


def before_delivery(monitor: Any) -> None:
    """Replies of a muted incident wait; while Socket Mode listens, alerts are sent with buttons (set
    again on each delivery: a reloaded configuration brings a new sender)."""
    triage_store.hold_muted(monitor.store)
    if getattr(monitor, "buttons", False) and hasattr(monitor.sender, "decorate"):
        monitor.sender.decorate = _with_buttons


def _with_buttons(message: Message, ref: AlertRef) -> Message:
    return triage.with_state(message, [], triage.buttons(ref))


def start_buttons(monitor: Any) -> Any:
    """With SLACK_APP_TOKEN and a bot token: connect Socket Mode, and send alerts with buttons. Returns
    the listener (close it when the daemon stops), or None."""
    from ..alerting.buttons import ButtonListener, app_token

    token = app_token()
    if not token or getattr(monitor.sender, "mode", "") != "slack":
        if token:
            log.warning("SLACK_APP_TOKEN is set but no SLACK_BOT_TOKEN: triage buttons need both")
        return None
    database = monitor.config.database

    def on_press(p: triage.Press) -> None:
        # Its own connection: the press is handled on the listener's thread while a cycle may run.
        with Store(database) as store:
            apply_press(store, monitor.sender.client, p)

    listener = ButtonListener(token, os.environ.get("SLACK_API_URL") or None, on_press, monitor.config.slack.timeout)
    try:
        listener.start()
    except Exception as e:  # a refused app token or no connection: alerts go on, without buttons
        log.error(
            "Socket Mode could not connect (%s); alerts are sent without triage buttons, reactions still work",
            redact(f"{type(e).__name__}: {e}")[:300],
        )
        listener.close()
        return None
    monitor.buttons = True
    return listener


def apply_press(store: Store, client: Any, p: triage.Press) -> bool:
    """A press sets the verdict, a second press by the same person takes it back (as a reaction would);
    then the message shows the state. A press on another instance's (or a reused id's) alert is ignored."""
    triage_store.ensure(store)
    instance = instance_id(store)
    row = triage_store.alert_row(store, p.alert_id)
    if row is None or p.instance != instance or alert_ref(row, instance).payload_hash != p.payload_hash:
        log.info("triage button for alert %d is not this database's alert: ignored", p.alert_id)
        return False
    reaction = triage.BUTTON + p.verdict
    active = triage_store.marks(store.conn, [p.alert_id]).get(p.alert_id, [])
    if any(m.reaction == reaction and m.user == p.user for m in active):
        triage_store.remove(store, p.alert_id, reaction, p.user)
    else:
        triage_store.add(store, p.alert_id, reaction, p.user, p.verdict)
    error = refresh(store, client, p.alert_id, instance, buttons=True)
    if error:
        log.warning("Slack triage: cannot update alert %d's message: %s", p.alert_id, error)
    return True
