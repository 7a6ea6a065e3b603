"""The triage read-back, once per cycle after delivery: reactions on our alerts -> verdicts -> message state.

The fewest calls: one conversations.history per channel that holds a top-level alert of the last
`slack.triage_days` days (paged by cursor, 200 a page; made on a thread while the cycle fetches its
feeds, start_history, so the read-back waits for less), and conversations.replies for the threads
holding alert replies that alerting/triage_threads.py chooses: a few a cycle, within Slack's rate
limit, changed and recent threads first, the others in turn. Never one call per message. Which
message is which alert is told by its metadata (alert id, this database's instance, payload hash: as
reconciliation reads it). What was read of each thread, and when, is kept in the meta table.

A reaction is recorded once, with the person and the time it was first seen (Slack does not say when
a reaction was added). A reaction gone from a message that was read undoes its mark; a channel that
could not be read undoes nothing. A problem reading or updating (a missing scope) is logged once, as
what it is: alerts are still delivered.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .. import clock
from ..alerting import incident_thread, triage, triage_threads
from ..alerting.alert_rows import alert_ref
from ..alerting.outbox import instance_id
from ..alerting.slack import AlertRef, HistoryUnavailable, Message, read_messages, update_message
from ..redact import redact
from ..storage import incident_store, triage_store
from ..storage.alert_store import is_slack_ts
from ..storage.store import Store
from ..textutil import iso, parse_iso

log = logging.getLogger("monitor.triage")
PROBLEM_KEY = "triage_problem"
THREADS_KEY = "triage_threads"  # "channel ts" -> [latest reply seen, epoch of that read]
CALLS_KEY = "triage_replies_calls"  # [[epoch, calls], ...] of the last minute's conversations.replies
HISTORY_KEY = "triage_history_calls"  # the same for conversations.history (Slack limits each method apart)


@dataclass
class TriageReport:
    history_calls: int = 0  # channels read (each one or more pages)
    thread_calls: int = 0
    threads_waiting: int = 0  # threads holding alert replies not read this cycle (read in a later one)
    alerts_seen: int = 0
    added: int = 0
    removed: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class HistoryRead:
    """The channels' conversations.history, read on a thread while the cycle fetches its feeds
    (start_history): read_back then waits only for what is not read yet."""

    first: dict[str, float]  # channel -> the ts it was read from (its oldest alert of the window)
    messages: dict[str, list[dict[str, Any]] | HistoryUnavailable] = field(default_factory=dict)
    done: threading.Event = field(default_factory=threading.Event)
    bug: BaseException | None = None  # raised again by read_back, as if it had read

    def of(self, channel: str, first: float) -> list[dict[str, Any]] | HistoryUnavailable | None:
        """The channel's messages (or why they could not be read) when read from `first` or before."""
        self.done.wait()
        if self.bug is not None:
            raise self.bug
        return self.messages.get(channel) if self.first.get(channel, float("inf")) <= first else None


def start_history(monitor: Any, now: datetime | None = None) -> HistoryRead | None:
    """Start reading back the channels' history on a thread, while the cycle fetches its feeds: ~a
    tenth of an unchanged re-poll was these calls, waited for after it. Alerts this cycle delivers are
    not in what it reads: the next cycle reads them (a message seconds old has no reactions yet)."""
    try:
        return _start_history(monitor, now)
    except Exception as e:  # as after_delivery: triage never costs the cycle; read_back reads it all then
        log.error("Slack triage: reading history ahead failed: %s: %s (read after delivery)", type(e).__name__, e)
        return None


def _start_history(monitor: Any, now: datetime | None) -> HistoryRead | None:
    store, sender, slack = monitor.store, monitor.sender, monitor.config.slack
    if slack.triage_days <= 0 or getattr(sender, "mode", "") != "slack":
        return None
    now = now or clock.utcnow()  # reads only: no write may wait here for another run's transaction
    top = _top(triage_store.alerts_in_window(store, iso(now - timedelta(days=slack.triage_days)) or ""))
    if not top:  # no alert in the window yet: nothing to read (and no meta table in a new database)
        return None
    if _over_budget(_minute(store, HISTORY_KEY, now.timestamp()), len(top)):
        return None  # read_back decides again after delivery, as without this
    plan = HistoryRead(top)

    def read() -> None:
        try:
            client = sender.client
            for channel, first in sorted(top.items()):
                try:
                    plan.messages[channel] = read_messages(client, channel, first - 1.0)
                except HistoryUnavailable as e:
                    plan.messages[channel] = e
        except BaseException as e:  # a bug: read_back raises it, and after_delivery logs it
            plan.bug = e
        finally:
            plan.done.set()

    threading.Thread(target=read, name="triage-history", daemon=True).start()
    return plan


def _top(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Each channel holding a top-level alert of the window, with that alert's oldest ts."""
    top: dict[str, float] = {}
    for r in rows:
        if not r["thread_ts"]:
            top[r["channel"]] = min(top.get(r["channel"], float("inf")), float(r["slack_ts"]))
    return top


def after_delivery(monitor: Any, history: HistoryRead | None = None) -> TriageReport | None:
    """The cycle's hook: never lets triage fail the cycle (delivery is done by now)."""
    try:
        return read_back(
            monitor.store,
            monitor.sender,
            monitor.config.slack,
            buttons=bool(getattr(monitor, "buttons", False)),
            history_read=history,
        )
    except Exception as e:  # a bug here must not cost the alerts already delivered, nor the next cycle
        log.error("Slack triage read-back failed: %s: %s (alerts are not affected)", type(e).__name__, e)
        log.info("triage traceback", exc_info=True)
        return None


def read_back(
    store: Store,
    sender: Any,
    slack: Any,
    now: datetime | None = None,
    buttons: bool = False,
    history_read: HistoryRead | None = None,
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

    top = _top(rows)
    clock_now = (now or clock.utcnow()).timestamp()
    calls, history = _minute(store, CALLS_KEY, clock_now), _minute(store, HISTORY_KEY, clock_now)
    prefetched = {c: history_read.of(c, first) for c, first in top.items()} if history_read is not None else {}
    unread = sum(1 for c in top if prefetched.get(c) is None)
    if unread and _over_budget(history, unread):
        # The daemon's ticks can come seconds apart, each reading the channels back: a cycle that finds
        # the minute's history budget spent reads nothing (the next cycle with budget reads it all).
        log.debug("Slack triage: the minute's history reads are spent; read back in a later cycle")
        return report
    for channel, first in sorted(top.items()):
        got = prefetched.get(channel)
        try:
            if isinstance(got, HistoryUnavailable):
                raise got
            messages = got if got is not None else read_messages(client, channel, first - 1.0)
        except HistoryUnavailable as e:
            _problem(report, f"cannot read reactions in {channel}: {e}", e.permanent)
            continue
        report.history_calls += 1
        take(messages)
        for m in messages:
            parents[(channel, str(m.get("ts")))] = m
    if report.history_calls:
        history.append([clock_now, report.history_calls])
        _put(store, HISTORY_KEY, json.dumps(history))
    threads = _threads(rows, parents)
    last = _last_reads(store)
    chosen = triage_threads.choose(threads, last, clock_now, triage_threads.budget(sum(int(c[1]) for c in calls)))
    report.threads_waiting = len(threads) - len(chosen)
    reads = _read_threads(client, [(t.channel, t.ts) for t in chosen])
    refused = False
    for t, read in zip(chosen, reads, strict=True):
        if isinstance(read, HistoryUnavailable):
            refused = refused or "ratelimited" in str(read)
            _problem(report, f"cannot read reactions in a thread of {t.channel}: {read}", read.permanent)
            continue
        report.thread_calls += 1
        take(read)
        newest = max((str(m.get("ts")) for m in read[1:]), key=float, default=None)
        # The parent's latest_reply as history said it (what the next cycle compares), else the read's.
        last[(t.channel, t.ts)] = triage_threads.LastRead(t.latest_reply or newest, clock_now)
    if chosen:
        # Refused for the rate (other apps or processes share it): the rest of the minute is spent.
        calls.append([clock_now, triage_threads.PER_MINUTE if refused else len(chosen)])
    keep = {(t.channel, t.ts) for t in threads}
    _put(
        store,
        THREADS_KEY,
        json.dumps({f"{c} {ts}": [r.latest_reply, r.at] for (c, ts), r in sorted(last.items()) if (c, ts) in keep}),
    )
    _put(store, CALLS_KEY, json.dumps(calls))
    if report.threads_waiting:
        log.info(
            "Slack triage: %d of %d incident threads read this cycle, %d in later ones (Slack's rate limit)",
            len(chosen),
            len(threads),
            report.threads_waiting,
        )

    report.alerts_seen = len(seen)
    active = triage_store.marks(store.conn, list(seen))
    for alert_id, pairs in seen.items():
        change = triage.changes(pairs, active.get(alert_id, []), slack.triage)
        for reaction, user, verdict in change.added:
            report.added += int(triage_store.add(store, alert_id, reaction, user, verdict))
        for reaction, user in change.removed:
            report.removed += int(triage_store.remove(store, alert_id, reaction, user))
    now_marked = triage_store.marks(store.conn, list(seen))
    shown = triage_store.shown_many(store, list(seen))
    for alert_id in seen:
        if "\n".join(triage.state_lines(now_marked.get(alert_id, []))) == shown.get(alert_id, ""):
            continue  # the message says it already (refresh would find the same, at three queries an alert)
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
        _put(store, PROBLEM_KEY, None)
    else:
        _say_once(store, report.problems)
    return report


def _threads(rows: list[dict[str, Any]], parents: dict[tuple[str, str], dict[str, Any]]) -> list[triage_threads.Thread]:
    """The threads holding alert replies of the window, each with our newest reply in it and its
    parent's latest_reply when history had the parent; a parent read with no reply: nothing to read."""
    newest: dict[tuple[str, str], tuple[float, str]] = {}
    for r in rows:
        if r["thread_ts"]:
            key = (r["channel"], r["thread_ts"])
            sent = parse_iso(r["sent_at"])
            mine = (sent.timestamp() if sent else 0.0, str(r["slack_ts"]))
            newest[key] = max(newest.get(key, mine), mine)
    out = []
    for (channel, ts), (when, ours) in sorted(newest.items()):
        parent = parents.get((channel, ts))
        if parent is not None and not parent.get("reply_count"):
            continue
        latest = str(parent["latest_reply"]) if parent is not None and parent.get("latest_reply") else None
        out.append(triage_threads.Thread(channel, ts, when, latest, ours))
    return out


def _over_budget(minute: list[list[float]], calls: int) -> bool:
    """Whether `calls` more history reads would pass Slack's per-minute limit, after the minute's."""
    return sum(int(c[1]) for c in minute) + calls > triage_threads.PER_MINUTE


def _minute(store: Store, key: str, now: float) -> list[list[float]]:
    """The [epoch, calls] entries of the last 60 s kept under a meta key."""
    return [
        [float(c[0]), int(c[1])]
        for c in _json(triage_store.get_meta(store, key), [])
        if isinstance(c, list) and len(c) == 2 and now - float(c[0]) < 60.0
    ]


def _last_reads(store: Store) -> dict[tuple[str, str], triage_threads.LastRead]:
    out = {}
    for key, value in _json(triage_store.get_meta(store, THREADS_KEY), {}).items():
        channel, _, ts = str(key).partition(" ")
        if isinstance(value, list) and len(value) == 2:
            out[(channel, ts)] = triage_threads.LastRead(value[0], float(value[1]))
    return out


def _put(store: Store, key: str, value: str | None) -> None:
    """Written only when it changed: a cycle with nothing new makes no write transaction for it."""
    if triage_store.get_meta(store, key) != value:
        triage_store.set_meta(store, key, value)


def _json(text: str | None, default: Any) -> Any:
    try:
        value = json.loads(text) if text else default
    except ValueError:  # a hand-edited or truncated value: start over (threads are read again)
        return default
    return value if isinstance(value, type(default)) else default


THREAD_READERS = 4  # conversations.replies calls in flight at once


def _read_threads(client: Any, threads: list[tuple[str, str]]) -> list[list[dict[str, Any]] | HistoryUnavailable]:
    """Each thread's messages (or why it could not be read), in the order given. The calls are
    independent and mostly waiting (a cycle after a busy week reads a hundred threads, one round trip
    each), so a few run at once; the same calls as one after another, answered in the same order."""

    reader = _without_retries(client)

    def one(thread: tuple[str, str]) -> list[dict[str, Any]] | HistoryUnavailable:
        try:
            return read_messages(reader, thread[0], 0.0, thread_ts=thread[1])
        except HistoryUnavailable as e:
            return e

    if len(threads) < 2:
        return [one(t) for t in threads]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(THREAD_READERS, thread_name_prefix="triage-thread") as pool:
        return list(pool.map(one, threads))


def _without_retries(client: Any) -> Any:
    """The same client without the retry on 429: a thread refused for the rate is read in a later
    cycle, not waited for (the sender's client sleeps up to max_retry_after, right for an alert)."""
    from slack_sdk import WebClient

    if not isinstance(client, WebClient):
        return client
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        logger=client.logger,
        headers=client.headers,
        retry_handlers=[],
    )


def refresh(store: Store, client: Any, alert_id: int, instance: str, buttons: bool) -> str | None:
    """chat.update the alert's message when its triage state changed: '' when updated, None when there
    was nothing to do, else what Slack answered."""
    row = triage_store.alert_row(store, alert_id)
    if row is None or not is_slack_ts(row["slack_ts"]):
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
