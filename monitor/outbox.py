"""The alert outbox: every alert is a row before it is a Slack message.

States: pending -> sending -> sent, or pending again (retry with backoff), or
failed (permanent: the operator must act). `sending` is committed *before* the
API call, so after a crash or timeout we know the outcome is unknown and ask
Slack (message metadata carries the alert id) before sending again.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from .alert import Message, Permanent, Retry, Sender, Sent, Unknown, redact
from .store import Store, dumps, now_iso

log = logging.getLogger(__name__)

MAX_BACKOFF = 3600.0


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    reconciled: int = 0
    errors: list[str] = field(default_factory=list)


def enqueue(store: Store, db, *, kind: str, channel: str, message: Message, dedupe_key: str,  # type: ignore[no-untyped-def]
            article_id: int | None = None, incident_id: int | None = None, vendor: str = "") -> int | None:
    """Add an alert inside the caller's transaction. None if an alert with this key exists already."""
    cur = db.execute(
        "INSERT OR IGNORE INTO alerts (kind, article_id, incident_id, vendor, channel, state, attempts, "
        "next_attempt_at, created_at, payload, dedupe_key) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)",
        [kind, article_id, incident_id, vendor, channel, now_iso(), now_iso(),
         dumps({"text": message.text, "blocks": list(message.blocks), "console": message.console}), dedupe_key],
    )
    return cur.lastrowid if cur.rowcount == 1 else None


def _ts(iso: str | None) -> float:
    if not iso:
        return 0.0
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _later(seconds: float) -> str:
    t = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    return t.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def backoff(attempts: int) -> float:
    return min(MAX_BACKOFF, 30.0 * (2 ** max(0, attempts - 1)))


def _message(payload: str) -> Message:
    data = json.loads(payload)
    return Message(data["text"], tuple(data["blocks"]), data.get("console", data["text"]))


def _thread_parent(store: Store, row: dict) -> tuple[str, str | None]:
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


def reconcile(store: Store, sender: Sender, report: DeliveryReport) -> None:
    """Rows left in `sending` (crash, timeout): ask Slack whether they arrived before resending."""
    rows = list(store.db.query("SELECT * FROM alerts WHERE state = 'sending' ORDER BY id"))
    for row in rows:
        ts = None
        if sender.can_reconcile:
            try:
                ts = sender.find_sent(row["channel"], row["id"], _ts(row["sending_at"]) - 300,
                                      row["thread_ts"] or None)
            except LookupError as e:
                report.errors.append(f"alert {row['id']}: cannot check Slack history: {e}")
                continue  # stay in `sending`; try again next cycle rather than risk a duplicate
        with store.write() as db:
            if ts:
                db.execute("UPDATE alerts SET state = 'sent', slack_ts = ?, sent_at = ? WHERE id = ? "
                           "AND state = 'sending'", [ts, now_iso(), row["id"]])
                report.reconciled += 1
            else:
                db.execute("UPDATE alerts SET state = 'pending', next_attempt_at = ? WHERE id = ? "
                           "AND state = 'sending'", [now_iso(), row["id"]])


def deliver(store: Store, sender: Sender, *, min_interval: float = 1.0, force: bool = False,
            sleep: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """Send every due pending alert, oldest first. Call with the run lock held."""
    report = DeliveryReport()
    reconcile(store, sender, report)
    last_post: dict[str, float] = {}
    deferred: set[int] = set()
    for _round in range(3):  # a reply whose parent was sent earlier in this pass goes out in the next round
        due = "" if force else "AND next_attempt_at <= ?"
        params = [] if force else [now_iso()]
        rows = list(store.db.query(f"SELECT * FROM alerts WHERE state = 'pending' {due} ORDER BY id", params))
        progressed = False
        for row in rows:
            placement, thread_ts = _thread_parent(store, row) if sender.can_thread else ("top", None)
            if placement == "wait":
                deferred.add(row["id"])
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
            outcome = sender.send(row["channel"], _message(row["payload"]), row["id"], thread_ts)
            last_post[row["channel"]] = time.monotonic()
            progressed = True
            deferred.discard(row["id"])
            if _record(store, row, outcome, report):
                return report  # authentication failed: nothing else can go out this run
        if not progressed or not deferred:
            break
    return report


def _record(store: Store, row: dict, outcome: object, report: DeliveryReport) -> bool:
    """Store the outcome. True when delivery must stop for this run."""
    attempts = row["attempts"] + 1
    with store.write() as db:
        if isinstance(outcome, Sent):
            db.execute("UPDATE alerts SET state = 'sent', slack_ts = ?, sent_at = ?, last_error = NULL "
                       "WHERE id = ?", [outcome.ts, now_iso(), row["id"]])
            report.sent += 1
            return False
        if isinstance(outcome, Unknown):
            # Leave it in `sending`: the next cycle asks Slack before resending.
            db.execute("UPDATE alerts SET last_error = ? WHERE id = ?", [redact(outcome.error), row["id"]])
            report.retrying += 1
            report.errors.append(f"alert {row['id']}: outcome unknown ({outcome.error}); will check Slack")
            return False
        if isinstance(outcome, Retry):
            delay = max(outcome.after or 0.0, backoff(attempts))
            db.execute("UPDATE alerts SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
                       [_later(delay), redact(outcome.error), row["id"]])
            report.retrying += 1
            report.errors.append(f"alert {row['id']}: {outcome.error}; retry in {delay:.0f}s")
            return False
        if isinstance(outcome, Permanent):
            db.execute("UPDATE alerts SET state = 'failed', last_error = ? WHERE id = ?",
                       [redact(outcome.error), row["id"]])
            report.failed += 1
            report.errors.append(f"alert {row['id']}: {outcome.error} (not retried; fix and run "
                                 f"'monitor alerts retry --failed')")
            if outcome.auth:
                # Put it back: with a fixed token it can go out, and others must not be marked failed.
                db.execute("UPDATE alerts SET state = 'pending', next_attempt_at = ? WHERE id = ?",
                           [_later(backoff(attempts)), row["id"]])
                report.failed -= 1
                report.retrying += 1
                return True
            return False
    raise TypeError(f"unexpected outcome {outcome!r}")
