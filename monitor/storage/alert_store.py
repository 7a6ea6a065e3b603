"""The alerts table (the outbox's rows) as read and written outside the delivery loop itself: claiming
rows for a post, threading a correction note, the health check's reads and the incident evaluation's.

What the rows mean and when each change is right is alerting's policy (alerting/claims.py,
alerting/corrections.py, healthcheck.py); this module only says it in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlite_utils

from .store import Store

# A Slack message's ts (1712345678.123456). The console's, webhook's, Teams' and e-mail's markers of a
# sent alert (console-7, webhook-7, ...) are not: no thread can be opened or message updated under them.
_SLACK_TS = re.compile(r"\d+\.\d+")


def is_slack_ts(marker: object) -> bool:
    """Whether a sent alert's stored marker (its slack_ts column) is a Slack message's ts."""
    return isinstance(marker, str) and _SLACK_TS.fullmatch(marker) is not None


def insert(
    db: sqlite_utils.Database,
    *,
    kind: str,
    channel: str,
    dedupe_key: str,
    article_id: int | None,
    incident_id: int | None,
    vendor: str,
    state: str,
    reason: str,
    now: str,
) -> int | None:
    """A new alert row with an empty payload, or None when an alert with this dedupe key exists."""
    cur = db.execute(
        "INSERT OR IGNORE INTO alerts (kind, article_id, incident_id, vendor, channel, state, attempts, "
        "next_attempt_at, created_at, payload, dedupe_key, unconfirmed, incident_reason) "
        "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, '', ?, 0, ?)",
        [kind, article_id, incident_id, vendor, channel, state, now, now, dedupe_key, reason],
    )
    return int(cur.lastrowid) if cur.rowcount == 1 and cur.lastrowid is not None else None


def set_payload(db: sqlite_utils.Database, alert_id: int, payload: str) -> None:
    db.execute("UPDATE alerts SET payload = ? WHERE id = ?", [payload, alert_id])


def vendor_roles(store: Store, article_id: int, roles: tuple[str, ...]) -> dict[str, str]:
    """The article's matched vendors with one of these roles, by name (none for matches stored before roles:
    their role is NULL). Store() has added the column (schema v6): it is not looked up for each alert."""
    return {
        v: r
        for v, r in store.conn.execute(
            f"SELECT vendor, role FROM matches WHERE article_id = ? AND role IN ({','.join('?' * len(roles))}) "
            "ORDER BY vendor",
            [article_id, *roles],
        )
    }


def claim(db: sqlite_utils.Database, alert_id: int, now: str, thread_ts: str | None) -> bool:
    """Mark a pending alert `sending` (an attempt counted) in the thread given; False when it is no
    longer pending (another delivery took it)."""
    return bool(
        db.execute(
            "UPDATE alerts SET state = 'sending', sending_at = ?, attempts = attempts + 1, "
            "thread_ts = ? WHERE id = ? AND state = 'pending'",
            [now, thread_ts, alert_id],
        ).rowcount
    )


def unclaim(db: sqlite_utils.Database, alert_id: int) -> None:
    """A claimed alert never posted: pending again, its attempt not counted."""
    db.execute(
        "UPDATE alerts SET state = 'pending', attempts = MAX(attempts - 1, 0) WHERE id = ? AND state = 'sending'",
        [alert_id],
    )


def set_thread(db: sqlite_utils.Database, alert_id: int, thread_ts: str) -> None:
    """Post the alert as a reply in the thread whose parent is `thread_ts`."""
    db.execute("UPDATE alerts SET thread_ts = ? WHERE id = ?", [thread_ts, alert_id])


@dataclass(frozen=True, slots=True)
class Failed:
    """The alerts given up on: how many, and the oldest one's id and error."""

    count: int
    first_id: int | None
    first_error: str | None


def failed(db: sqlite_utils.Database) -> Failed:
    count, first = db.execute("SELECT COUNT(*), MIN(id) FROM alerts WHERE state = 'failed'").fetchone()
    error = db.execute("SELECT last_error FROM alerts WHERE id = ?", [first]).fetchone()[0] if count else None
    return Failed(count, first, error)


@dataclass(frozen=True, slots=True)
class Undelivered:
    """An alert still pending or being sent."""

    id: int
    created_at: str
    last_error: str | None


def undelivered(db: sqlite_utils.Database) -> list[Undelivered]:
    """Every alert pending or sending, oldest first."""
    return [
        Undelivered(*row)
        for row in db.execute(
            "SELECT id, created_at, last_error FROM alerts WHERE state IN ('pending', 'sending') ORDER BY id"
        )
    ]


def incident_of_each_item(db: sqlite_utils.Database) -> dict[str, tuple[int | None, str | None]]:
    """guid of each alerted article -> (its incident, why it was linked there)."""
    return {
        guid: (incident, reason)
        for guid, incident, reason in db.execute(
            "SELECT ar.guid, a.incident_id, a.incident_reason FROM alerts a JOIN articles ar ON ar.id = a.article_id"
        )
    }
