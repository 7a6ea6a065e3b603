"""The alert outbox: every alert is a row before it is a Slack message.

States: pending -> sending -> sent, or back to pending (retried), or failed
(permanent for this alert: the operator must act, then `monitor alerts retry --failed`).
Low-criticality alerts wait as `held` for the daily digest, then become `digested`.

`sending` is committed *before* the API call. When the outcome is unknown (a
timeout, a dropped connection, a 5xx, or a crash mid-call) the row is marked
`unconfirmed`; before it is sent again we look for it in the message metadata of
the channel history, because Slack has no idempotency key. The metadata carries
the alert id, this database's random instance id and a hash of the payload, and
all three must match: alert 7 of another instance (or of this database's
previous life) in the same channel is not ours.

The backoff after a failure belongs to the destination (the Slack workspace, the
webhook), not to each alert: an outage is the destination's, and per-alert
backoffs made alerts wait after Slack had recovered. While the destination is
down, each delivery makes one probe (the oldest pending alert) once its backoff
has passed; the first probe that gets through sends every pending alert, oldest
first, paced per channel. A rejected token is the destination's too: nothing is
tried after it, and the alerts stay pending for when it is fixed.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from .. import clock
from ..redact import redact
from ..storage.alert_store import is_slack_ts
from ..storage.store import Store
from ..textutil import iso
from . import incident_thread
from .alert_rows import about, alert_ref, decode
from .claims import claim_batch, release
from .messages import broadcast_note
from .slack import (
    ERROR_MAX,
    HistoryUnavailable,
    Permanent,
    Retry,
    Sender,
    Sent,
    Unknown,
)

log = logging.getLogger(__name__)

MAX_BACKOFF = 3600.0  # the longest Retry-After honoured for the destination
PROBE_BACKOFF_MAX = 300.0  # a down destination is probed at least this often (one request each time)
BREAKER = 3  # transient failures in a row that mark the destination down
HISTORY_MARGIN = 300.0  # the history is searched from this long before the sending mark: Slack's clock may lag
UNDELIVERED = ("pending", "sending", "failed", "held", "collapsed")


def _later(seconds: float) -> str:
    return iso(clock.utcnow() + timedelta(seconds=seconds)) or ""


def _ts(iso: str | None) -> float:
    if not iso:
        return 0.0
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@dataclass
class DeliveryReport:
    sent: int = 0
    refused: int = 0  # posts tried and not taken (transient, unknown, or the token refused): the cap counts them
    failed: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: str | None = None  # why this cycle stopped posting early
    auth_error: str | None = None  # the destination refused our credentials: nothing can be sent
    min_interval: float = 0.0  # the pacing applied per channel (0 for the console)
    parents_updated: int = 0  # incidents' top-level messages brought up to date (chat.update)
    summaries: int = 0  # without threads: daily summaries of incidents' later reports queued
    left_pending: set[int] = field(default_factory=set)  # alerts whose last try this cycle was not taken

    @property
    def retrying(self) -> int:
        """Alerts left pending for a retry: each once, however many times a cycle tried it."""
        return len(self.left_pending)


def backoff(failures: int) -> float:
    """The destination's wait before its next probe: 30 s doubling, capped at PROBE_BACKOFF_MAX."""
    return min(PROBE_BACKOFF_MAX, 30.0 * 2.0 ** min(max(0, failures - 1), 20))


# ---------------------------------------------------------------------- instance and destinations


def ensure_tables(store: Store) -> None:
    """The outbox's own tables (outside the versioned schema: created where first needed)."""
    with store.write() as db:
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE IF NOT EXISTS destinations (name TEXT PRIMARY KEY, down_since TEXT, "
            "failures INTEGER NOT NULL DEFAULT 0, next_probe_at TEXT, last_error TEXT)"
        )


def instance_id(store: Store) -> str:
    """This database's random id, made once: a recreated database is a new instance."""
    ensure_tables(store)
    with store.write() as db:
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('instance_id', ?)", [secrets.token_hex(8)])
        return str(db.execute("SELECT value FROM meta WHERE key = 'instance_id'").fetchone()[0])


@dataclass(frozen=True, slots=True)
class Destination:
    name: str
    down_since: str | None = None
    failures: int = 0
    next_probe_at: str | None = None
    last_error: str | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None


def destination(store: Store, name: str) -> Destination:
    ensure_tables(store)
    row = store.db.execute(
        "SELECT name, down_since, failures, next_probe_at, last_error FROM destinations WHERE name = ?", [name]
    ).fetchone()
    return Destination(*row) if row else Destination(name)


def _mark_down(store: Store, dest: Destination, error: str, after: float | None = None) -> Destination:
    failures = dest.failures + 1
    wait = min(MAX_BACKOFF, max(after or 0.0, backoff(failures)))
    new = Destination(dest.name, dest.down_since or clock.now_iso(), failures, _later(wait), redact(error)[:ERROR_MAX])
    with store.write() as db:
        db.execute(
            "INSERT OR REPLACE INTO destinations (name, down_since, failures, next_probe_at, last_error) "
            "VALUES (?, ?, ?, ?, ?)",
            [new.name, new.down_since, new.failures, new.next_probe_at, new.last_error],
        )
    return new


def _mark_up(store: Store, dest: Destination) -> Destination:
    if dest.down or dest.failures:
        with store.write() as db:
            db.execute("DELETE FROM destinations WHERE name = ?", [dest.name])
        log.warning("%s is back after being unavailable since %s", dest.name, dest.down_since)
    return Destination(dest.name)


def _pending_count(store: Store) -> int:
    return int(store.db.execute("SELECT COUNT(*) FROM alerts WHERE state = 'pending'").fetchone()[0])


def _thread_parent(store: Store, row: dict[str, Any]) -> tuple[str, str | None]:
    """('top', None) | ('reply', ts) | ('wait', None): replies wait until their incident's first post is out."""
    if row["kind"] == "note":  # a correction's note: into the thread it was written for
        return ("reply", row["thread_ts"]) if row["thread_ts"] else ("top", None)
    if not row["incident_id"] or row["kind"] != "article":
        return "top", None
    # A report moved by hand (monitor incidents merge/split) is never a thread's parent: after a merge
    # the kept incident's thread goes on, after a split the split incident opens its own.
    parent = store.db.execute(
        "SELECT id, state, slack_ts FROM alerts WHERE incident_id = ? AND kind = 'article' AND channel = ? "
        "AND COALESCE(incident_reason, '') NOT LIKE '% by hand from incident #%' ORDER BY id LIMIT 1",
        [row["incident_id"], row["channel"]],
    ).fetchone()
    if parent is None or parent[0] == row["id"]:
        return "top", None
    if parent[1] == "sent":
        # Sent another way (printed, or by a webhook, before the switch to the bot): no thread to go into.
        return ("reply", parent[2]) if is_slack_ts(parent[2]) else ("top", None)
    if parent[1] == "failed":
        return "top", None
    return "wait", None


def reconcile(store: Store, sender: Sender, report: DeliveryReport, instance: str) -> str | None:
    """Alerts whose last attempt may have reached Slack: look for them before anything is resent.

    Rows still `sending` come from a process that died mid-call; `unconfirmed` rows from a timeout,
    a dropped connection or a 5xx. Found (same alert id, instance and payload hash) -> sent. Not
    found -> pending, sent normally. History unreadable for a transient reason -> that row is left
    unconfirmed and reconciliation stops (the returned reason: the destination is treated as down);
    for a permanent one (a missing scope) -> resent with a warning: a possible duplicate is better
    than a lost alert.
    """
    rows = list(
        store.db.query(
            "SELECT * FROM alerts WHERE state = 'sending' OR (state = 'pending' AND unconfirmed = 1) ORDER BY id"
        )
    )
    for row in rows:
        ts = None
        if sender.can_reconcile:
            try:
                ts = sender.find_sent(
                    row["channel"],
                    alert_ref(row, instance),
                    _ts(row["sending_at"]) - HISTORY_MARGIN,
                    row["thread_ts"] or None,
                )
            except HistoryUnavailable as e:
                if not e.permanent:
                    report.errors.append(
                        f"alert {row['id']}: cannot check Slack history ({e}); not resending until it can be checked"
                    )
                    with store.write() as db:
                        db.execute("UPDATE alerts SET state = 'pending', unconfirmed = 1 WHERE id = ?", [row["id"]])
                    return f"cannot read Slack history ({e})"
                report.errors.append(
                    f"alert {row['id']}: cannot check Slack history ({e}: give the bot "
                    "channels:history); resending, which may post it twice"
                )
        with store.write() as db:
            if ts:
                db.execute(
                    "UPDATE alerts SET state = 'sent', slack_ts = ?, sent_at = ?, unconfirmed = 0, "
                    "last_error = NULL WHERE id = ?",
                    [ts, clock.now_iso(), row["id"]],
                )
                report.reconciled += 1
            else:
                db.execute(
                    "UPDATE alerts SET state = 'pending', unconfirmed = 0, next_attempt_at = ? WHERE id = ?",
                    [clock.now_iso(), row["id"]],
                )
    return None


def pacing(sender: Sender, min_interval: float) -> float:
    """Seconds between two posts to one channel: Slack's rate, but none for the console."""
    return min_interval if getattr(sender, "paced", True) else 0.0


def deliver(
    store: Store,
    sender: Sender,
    *,
    min_interval: float = 1.0,
    force: bool = False,
    limit: int | None = None,
    sleep: Callable[[float], None] | None = None,
    tz: tzinfo = UTC,
) -> DeliveryReport:
    """Send every pending alert, oldest first, at most one per `min_interval` per channel.

    While the destination is down (see the module docstring) this makes one probe, and none before
    its backoff has passed unless `force` (`monitor alerts retry`). At most `limit` posts per call:
    a flood (a feed of 5,000 matching items) drains over several cycles instead of holding one cycle
    for hours; nothing is dropped. Call with the run lock held.
    """
    sleep = sleep or time.sleep
    report = DeliveryReport(min_interval=pacing(sender, min_interval))
    instance = instance_id(store)
    dest = destination(store, sender.destination)
    if dest.down and not force and (dest.next_probe_at or "") > clock.now_iso():
        report.stopped = (
            f"{dest.name} unavailable since {dest.down_since} ({dest.last_error}); next probe "
            f"after {dest.next_probe_at}; {_pending_count(store)} alerts left pending for the next cycle"
        )
        report.errors.append(report.stopped)
        return report
    probing = dest.down
    unreadable = reconcile(store, sender, report, instance)
    if unreadable:
        return _stop(store, report, _mark_down(store, dest, unreadable), unreadable)
    if not sender.can_thread:  # later reports of an incident: one summary a day (incident_thread.py)
        report.summaries = incident_thread.collapse_followups(store, tz)
    claimed: dict[int, str | None] = {}  # claimed ahead (claims.py), not yet posted: given back on any exit
    try:
        _deliver_pending(store, sender, report, dest, probing, instance, limit, sleep, claimed)
    finally:
        release(store, claimed)
    if report.auth_error is None and (report.stopped is None or report.stopped.startswith("per-cycle cap")):
        # After the replies: each incident's top-level message shows them (and is repaired here when a
        # crash came between a reply and its parent's update).
        report.parents_updated, problems = incident_thread.refresh_parents(store, sender, instance)
        report.errors.extend(problems)
    return report


def _deliver_pending(
    store: Store,
    sender: Sender,
    report: DeliveryReport,
    dest: Destination,
    probing: bool,
    instance: str,
    limit: int | None,
    sleep: Callable[[float], None],
    claimed: dict[int, str | None],
) -> DeliveryReport:
    last_post: dict[str, float] = {}
    transient, last_error = 0, ""
    pictures: incident_thread.Pictures = {}  # what each incident's earlier reports told (broadcast_reason)

    def place(row: dict[str, Any]) -> tuple[str, str | None] | None:
        if sender.needs_channel and not (row["channel"] or "").strip():
            return None
        return _thread_parent(store, row) if sender.can_thread else ("top", None)

    for _round in range(3):  # a reply whose parent was sent earlier in this pass goes out in the next round
        rows = list(store.db.query("SELECT * FROM alerts WHERE state = 'pending' AND unconfirmed = 0 ORDER BY id"))
        progressed = waiting = False
        for i, row in enumerate(rows):
            if limit is not None and report.sent + report.refused + report.failed >= limit:
                report.stopped = (
                    f"per-cycle cap of {limit} posts reached; {_pending_count(store)} alerts left "
                    "pending for the next cycle"
                )
                report.errors.append(report.stopped)
                return report
            if sender.needs_channel and not (row["channel"] or "").strip():
                _no_channel(store, row, report)
                continue
            if row["id"] not in claimed:
                placement, thread_ts = _thread_parent(store, row) if sender.can_thread else ("top", None)
                if placement == "wait":
                    waiting = True
                    continue
                budget = len(rows) if limit is None else limit - report.sent - report.refused - report.failed
                claimed.update(
                    claim_batch(store, row, thread_ts, rows[i + 1 :], budget - len(claimed), place, clock.now_iso())
                )
                if row["id"] not in claimed:
                    continue
            thread_ts = claimed.pop(row["id"])
            wait = report.min_interval - (time.monotonic() - last_post.get(row["channel"], -1e9))
            if wait > 0:
                sleep(wait)
            ref = dataclasses.replace(alert_ref(row, instance), about=about(store, row))
            message = decode(row["payload"])
            changes = incident_thread.broadcast_reason(store, row, pictures)  # a reply that changes the picture
            if changes:
                message = broadcast_note(message, changes, broadcast=thread_ts is not None)
            outcome = sender.send(row["channel"], message, ref, thread_ts)
            last_post[row["channel"]] = time.monotonic()
            progressed = True
            _record(store, row, outcome, report)
            if isinstance(outcome, Permanent) and outcome.auth:
                report.auth_error = outcome.error
                log.error(
                    "%s: %s; nothing can be delivered until it is fixed (%d alerts pending)",
                    dest.name,
                    outcome.error,
                    _pending_count(store),
                )
                return _stop(
                    store,
                    report,
                    _mark_down(store, dest, outcome.error),
                    "the token or webhook was rejected: nothing else can be sent with it",
                )
            if isinstance(outcome, Retry) and outcome.rate_limited:
                # The sender's error says why it gave up (over max_retry_after, or refused after the waits).
                return _stop(store, report, _mark_down(store, dest, outcome.error, outcome.after), outcome.error)
            if isinstance(outcome, (Retry, Unknown)):
                transient, last_error = transient + 1, outcome.error
                if probing or transient >= BREAKER:
                    why = (
                        f"Slack still unavailable (probe: {outcome.error})"
                        if probing
                        else f"Slack unavailable ({transient} failures in a row)"
                    )
                    return _stop(store, report, _mark_down(store, dest, outcome.error), why)
                continue
            transient = 0
            if probing or dest.failures:  # an answer (sent, or refused for this alert alone): it is up
                dest, probing = _mark_up(store, dest), False
        if not progressed or not waiting:
            break
    if transient:  # the run ended on failures (fewer than BREAKER alerts were due): the next one probes
        return _stop(store, report, _mark_down(store, dest, last_error), f"Slack unavailable ({last_error})")
    return report


def _stop(store: Store, report: DeliveryReport, dest: Destination, why: str) -> DeliveryReport:
    report.stopped = (
        f"{why}; {_pending_count(store)} alerts left pending for the next cycle (next try after {dest.next_probe_at})"
    )
    report.errors.append(report.stopped)
    return report


def _no_channel(store: Store, row: dict[str, Any], report: DeliveryReport) -> None:
    """An alert routed to no channel: never posted, never counted sent (Slack would refuse it anyway)."""
    error = "no Slack channel for this alert: set slack.channel (or SLACK_CHANNEL) or a slack.routes entry"
    with store.write() as db:
        db.execute("UPDATE alerts SET state = 'failed', last_error = ? WHERE id = ?", [error, row["id"]])
    report.failed += 1
    report.errors.append(f"alert {row['id']}: {error}, then run 'monitor alerts retry --failed'")


def _record(store: Store, row: dict[str, Any], outcome: object, report: DeliveryReport) -> None:
    """Store the outcome of one post. Transient failures leave the alert due at once: the wait
    before the next try is the destination's (deliver), not the alert's."""
    # Not durable (claims.py): until the next durable commit, losing it with power leaves the row
    # `sending`, which is looked up in Slack's history before anything is resent.
    with store.write(durable=False) as db:
        if isinstance(outcome, Sent):
            db.execute(
                "UPDATE alerts SET state = 'sent', slack_ts = ?, sent_at = ?, last_error = NULL, "
                "unconfirmed = 0 WHERE id = ?",
                [outcome.ts, clock.now_iso(), row["id"]],
            )
            report.sent += 1
            report.left_pending.discard(row["id"])
            return
        if isinstance(outcome, Unknown):
            db.execute(
                "UPDATE alerts SET state = 'pending', unconfirmed = 1, next_attempt_at = ?, last_error = ? "
                "WHERE id = ?",
                [clock.now_iso(), redact(outcome.error), row["id"]],
            )
            report.refused += 1
            report.left_pending.add(row["id"])
            report.errors.append(
                f"alert {row['id']}: outcome unknown ({outcome.error}); Slack's history is "
                "checked before it is sent again"
            )
            return
        if isinstance(outcome, Retry):
            db.execute(
                "UPDATE alerts SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
                [clock.now_iso(), redact(outcome.error), row["id"]],
            )
            report.refused += 1
            report.left_pending.add(row["id"])
            report.errors.append(f"alert {row['id']}: {outcome.error}; it stays pending")
            return
        if isinstance(outcome, Permanent):
            if outcome.auth:
                # The credentials were refused, not this alert: it waits with the others for the fix.
                db.execute(
                    "UPDATE alerts SET state = 'pending', last_error = ? WHERE id = ?",
                    [redact(outcome.error), row["id"]],
                )
                report.refused += 1
                report.left_pending.add(row["id"])
                report.errors.append(
                    f"alert {row['id']}: {outcome.error} (fix SLACK_BOT_TOKEN or "
                    "SLACK_WEBHOOK_URL; check it with 'monitor slack test')"
                )
                return
            db.execute(
                "UPDATE alerts SET state = 'failed', last_error = ? WHERE id = ?", [redact(outcome.error), row["id"]]
            )
            report.failed += 1
            report.errors.append(
                f"alert {row['id']}: {outcome.error} (not retried; fix it, then run 'monitor alerts retry --failed')"
            )
            return
    raise TypeError(f"unexpected outcome {outcome!r}")


def requeue_failed(store: Store, route: Callable[[dict[str, Any]], str]) -> int:
    """After the operator fixed a channel or token: failed alerts become pending, re-routed by `route`."""
    rows = list(store.db.query("SELECT * FROM alerts WHERE state = 'failed' ORDER BY id"))
    with store.write() as db:
        for row in rows:
            if row["kind"] == "note":  # written for one thread: its channel and thread stay
                db.execute(
                    "UPDATE alerts SET state = 'pending', next_attempt_at = ? WHERE id = ?",
                    [clock.now_iso(), row["id"]],
                )
                continue
            db.execute(
                "UPDATE alerts SET state = 'pending', next_attempt_at = ?, channel = ?, thread_ts = NULL WHERE id = ?",
                [clock.now_iso(), route(row) or row["channel"], row["id"]],
            )
    return len(rows)
