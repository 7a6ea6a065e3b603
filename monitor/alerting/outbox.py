"""The alert outbox: every alert is a row before it is a Slack message.

States: pending -> sending -> sent, or back to pending (retry with backoff), or
failed (permanent: the operator must act, then `monitor alerts retry --failed`).
Low-criticality alerts wait as `held` for the daily digest, then become `digested`.

`sending` is committed *before* the API call. When the outcome is unknown (a
timeout, a dropped connection, a 5xx, or a crash mid-call) the row is marked
`unconfirmed`; before it is sent again we look for its id in the message
metadata of the channel history, because Slack has no idempotency key.

A cycle stops posting when Slack is plainly unavailable (three transient
failures in a row, a 429 we will not wait for, a rejected token): the alerts
not yet tried stay pending, untouched, for the next cycle.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from ..storage.store import Store, dumps
from ..textutil import iso
from .slack import HistoryUnavailable, Message, Permanent, Retry, Sender, Sent, Unknown, redact

log = logging.getLogger(__name__)

MAX_BACKOFF = 3600.0
BREAKER = 3  # transient failures in a row that end a cycle's delivery


def utcnow() -> datetime:
    """The outbox clock (tests move it forward to reach the next cycle's backoff)."""
    return datetime.now(timezone.utc)


def now_iso() -> str:
    return iso(utcnow())


def _later(seconds: float) -> str:
    return iso(utcnow() + timedelta(seconds=seconds))


def _ts(iso: str | None) -> float:
    if not iso:
        return 0.0
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: str | None = None  # why this cycle stopped posting early


def enqueue(store: Store, db: Any, *, kind: str, channel: str, message: Message | Callable[[int], Message],
            dedupe_key: str, article_id: int | None = None, incident_id: int | None = None, vendor: str = "",
            state: str = "pending", reason: str = "") -> int | None:
    """Add an alert inside the caller's transaction. None if an alert with this key exists already.

    `message` may be a function of the new alert's id, so the message can name it (for feedback).
    """
    cur = db.execute(
        "INSERT OR IGNORE INTO alerts (kind, article_id, incident_id, vendor, channel, state, attempts, "
        "next_attempt_at, created_at, payload, dedupe_key, unconfirmed, incident_reason) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, '', ?, 0, ?)",
        [kind, article_id, incident_id, vendor, channel, state, now_iso(), now_iso(), dedupe_key, reason],
    )
    if cur.rowcount != 1:
        return None
    alert_id = int(cur.lastrowid)
    built = message(alert_id) if callable(message) else message
    db.execute("UPDATE alerts SET payload = ? WHERE id = ?", [encode(built), alert_id])
    return alert_id


def encode(message: Message) -> str:
    return dumps({"text": message.text, "blocks": list(message.blocks), "console": message.console})


def decode(payload: str) -> Message:
    data = json.loads(payload)
    return Message(data["text"], tuple(data["blocks"]), data.get("console", data["text"]))


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF, 30.0 * (2 ** max(0, attempts - 1)))


def _thread_parent(store: Store, row: dict[str, Any]) -> tuple[str, str | None]:
    """('top', None) | ('reply', ts) | ('wait', None): replies wait until their incident's first post is out."""
    if not row["incident_id"] or row["kind"] != "article":
        return "top", None
    parent = store.db.execute(
        "SELECT id, state, slack_ts FROM alerts WHERE incident_id = ? AND kind = 'article' AND channel = ? "
        "ORDER BY id LIMIT 1", [row["incident_id"], row["channel"]]).fetchone()
    if parent is None or parent[0] == row["id"]:
        return "top", None
    if parent[1] == "sent" and parent[2] and parent[2][0].isdigit():
        return "reply", parent[2]
    if parent[1] == "failed":
        return "top", None
    return "wait", None


def reconcile(store: Store, sender: Sender, report: DeliveryReport, force: bool = False) -> None:
    """Alerts whose last attempt may have reached Slack: look for them before anything is resent.

    Rows still `sending` come from a process that died mid-call; `unconfirmed` rows from a timeout,
    a dropped connection or a 5xx. Found -> sent. Not found -> pending, sent normally. History
    unreadable -> left alone (a transient error) or resent with a warning (a missing scope: a
    possible duplicate is better than a lost alert).
    """
    due = "" if force else "AND next_attempt_at <= ?"
    params = [] if force else [now_iso()]
    rows = list(store.db.query(
        f"SELECT * FROM alerts WHERE state = 'sending' OR (state = 'pending' AND unconfirmed = 1 {due}) "
        "ORDER BY id", params))
    for row in rows:
        ts = None
        if sender.can_reconcile:
            try:
                ts = sender.find_sent(row["channel"], row["id"], _ts(row["sending_at"]) - 300,
                                      row["thread_ts"] or None)
            except HistoryUnavailable as e:
                if not e.permanent:
                    report.errors.append(f"alert {row['id']}: cannot check Slack history ({e}); "
                                         "not resending until it can be checked")
                    with store.write() as db:
                        db.execute("UPDATE alerts SET state = 'pending', unconfirmed = 1 WHERE id = ?", [row["id"]])
                    continue
                report.errors.append(f"alert {row['id']}: cannot check Slack history ({e}: give the bot "
                                     "channels:history); resending, which may post it twice")
        with store.write() as db:
            if ts:
                db.execute("UPDATE alerts SET state = 'sent', slack_ts = ?, sent_at = ?, unconfirmed = 0, "
                           "last_error = NULL WHERE id = ?", [ts, now_iso(), row["id"]])
                report.reconciled += 1
            else:
                db.execute("UPDATE alerts SET state = 'pending', unconfirmed = 0, next_attempt_at = ? "
                           "WHERE id = ?", [now_iso(), row["id"]])


def deliver(store: Store, sender: Sender, *, min_interval: float = 1.0, force: bool = False,
            limit: int | None = None, sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """Send every due pending alert, oldest first, at most one per `min_interval` per channel.

    At most `limit` posts per call: a flood (a feed of 5,000 matching items) drains over several
    cycles instead of holding one cycle for hours; nothing is dropped. Call with the run lock held.
    """
    report = DeliveryReport()
    reconcile(store, sender, report, force)
    last_post: dict[str, float] = {}
    transient = 0
    for _round in range(3):  # a reply whose parent was sent earlier in this pass goes out in the next round
        due = "" if force else "AND next_attempt_at <= ?"
        params = [] if force else [now_iso()]
        rows = list(store.db.query(
            f"SELECT * FROM alerts WHERE state = 'pending' AND unconfirmed = 0 {due} ORDER BY id", params))
        progressed = waiting = False
        for row in rows:
            if limit is not None and report.sent + report.retrying + report.failed >= limit:
                left = store.db.execute("SELECT COUNT(*) FROM alerts WHERE state = 'pending'").fetchone()[0]
                report.stopped = f"per-cycle cap of {limit} posts reached; {left} alerts left pending for the next cycle"
                report.errors.append(report.stopped)
                return report
            placement, thread_ts = _thread_parent(store, row) if sender.can_thread else ("top", None)
            if placement == "wait":
                waiting = True
                continue
            with store.write() as db:
                claimed = db.execute(
                    "UPDATE alerts SET state = 'sending', sending_at = ?, attempts = attempts + 1, thread_ts = ? "
                    "WHERE id = ? AND state = 'pending'", [now_iso(), thread_ts, row["id"]]).rowcount
            if not claimed:
                continue
            wait = min_interval - (time.monotonic() - last_post.get(row["channel"], -1e9))
            if wait > 0:
                sleep(wait)
            outcome = sender.send(row["channel"], decode(row["payload"]), row["id"], thread_ts)
            last_post[row["channel"]] = time.monotonic()
            progressed = True
            stop = _record(store, row, outcome, report)
            transient = transient + 1 if isinstance(outcome, (Retry, Unknown)) else 0
            if stop is None and transient >= BREAKER:
                stop = f"Slack unavailable ({transient} failures in a row)"
            if stop:
                left = store.db.execute("SELECT COUNT(*) FROM alerts WHERE state = 'pending'").fetchone()[0]
                report.stopped = f"{stop}; {left} alerts left pending for the next cycle"
                report.errors.append(report.stopped)
                return report
        if not progressed or not waiting:
            break
    return report


def _record(store: Store, row: dict[str, Any], outcome: object, report: DeliveryReport) -> str | None:
    """Store the outcome. A reason when delivery must stop for this cycle."""
    attempts = row["attempts"] + 1
    with store.write() as db:
        if isinstance(outcome, Sent):
            db.execute("UPDATE alerts SET state = 'sent', slack_ts = ?, sent_at = ?, last_error = NULL, "
                       "unconfirmed = 0 WHERE id = ?", [outcome.ts, now_iso(), row["id"]])
            report.sent += 1
            return None
        if isinstance(outcome, Unknown):
            delay = backoff(attempts)
            db.execute("UPDATE alerts SET state = 'pending', unconfirmed = 1, next_attempt_at = ?, last_error = ? "
                       "WHERE id = ?", [_later(delay), redact(outcome.error), row["id"]])
            report.retrying += 1
            report.errors.append(f"alert {row['id']}: outcome unknown ({outcome.error}); Slack's history is "
                                 f"checked before it is sent again, in {delay:.0f}s or later")
            return None
        if isinstance(outcome, Retry):
            delay = min(MAX_BACKOFF, max(outcome.after or 0.0, backoff(attempts)))
            db.execute("UPDATE alerts SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
                       [_later(delay), redact(outcome.error), row["id"]])
            report.retrying += 1
            report.errors.append(f"alert {row['id']}: {outcome.error}; retry in {delay:.0f}s")
            if outcome.rate_limited:
                return f"Slack rate limit (Retry-After {outcome.after or 0:.0f}s is over slack.max_retry_after)"
            return None
        if isinstance(outcome, Permanent):
            db.execute("UPDATE alerts SET state = 'failed', last_error = ? WHERE id = ?",
                       [redact(outcome.error), row["id"]])
            report.failed += 1
            report.errors.append(f"alert {row['id']}: {outcome.error} (not retried; fix it, then run "
                                 f"'monitor alerts retry --failed')")
            if outcome.auth:
                return "the token or webhook was rejected: nothing else can be sent with it"
            return None
    raise TypeError(f"unexpected outcome {outcome!r}")


def requeue_failed(store: Store, route: Callable[[dict[str, Any]], str]) -> int:
    """After the operator fixed a channel or token: failed alerts become pending, re-routed by `route`."""
    rows = list(store.db.query("SELECT * FROM alerts WHERE state = 'failed' ORDER BY id"))
    with store.write() as db:
        for row in rows:
            db.execute("UPDATE alerts SET state = 'pending', next_attempt_at = ?, channel = ?, thread_ts = NULL "
                       "WHERE id = ?", [now_iso(), route(row) or row["channel"], row["id"]])
    return len(rows)
