"""Triage marks (who reacted or pressed what on which alert, and when), and their effects in SQL.

Table `triage_marks`: one row per reaction (or button press) by one person on one alert, with the
time it was first seen and, once taken back, the time it was removed (kept: who did what stays on
record). `triage_shown`: the state text last written into each alert's Slack message, so a message is
updated only when its state changes. Both live outside the versioned schema, created where first
needed (as the outbox's tables are).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .. import clock
from ..alerting.triage import Mark
from ..errors import MonitorError
from . import feedback
from .store import Store

FP_REASON = feedback.SLACK_REASON  # the reason of a false positive set from Slack (undone with it)


def ensure(store: Store) -> None:
    with store.write() as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS triage_marks (id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL, "
            "reaction TEXT NOT NULL, user TEXT NOT NULL, verdict TEXT NOT NULL, added_at TEXT NOT NULL, "
            "removed_at TEXT)"
        )
        db.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS triage_marks_active ON triage_marks(alert_id, reaction, user) "
            "WHERE removed_at IS NULL"
        )
        db.execute("CREATE TABLE IF NOT EXISTS triage_shown (alert_id INTEGER PRIMARY KEY, state TEXT NOT NULL)")


def _exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'triage_marks'").fetchone() is not None


def marks(conn: sqlite3.Connection, alert_ids: list[int] | None = None) -> dict[int, list[Mark]]:
    """The active marks, by alert (all alerts, or these)."""
    if not _exists(conn):
        return {}
    sql = "SELECT alert_id, reaction, user, verdict, added_at FROM triage_marks WHERE removed_at IS NULL"
    params: list[Any] = []
    if alert_ids is not None:
        sql += f" AND alert_id IN ({','.join('?' * len(alert_ids))})"
        params = list(alert_ids)
    out: dict[int, list[Mark]] = {}
    for a, r, u, v, at in conn.execute(sql + " ORDER BY added_at, id", params):
        out.setdefault(int(a), []).append(Mark(int(a), r, u, v, at))
    return out


def alerts_in_window(store: Store, since: str) -> list[dict[str, Any]]:
    """Alerts sent to Slack since `since` (message ts known): the ones whose reactions are read."""
    return [
        dict(r)
        for r in store.db.query(
            "SELECT id, kind, channel, slack_ts, thread_ts, payload, incident_id, article_id, sent_at FROM alerts "
            "WHERE state = 'sent' AND sent_at >= ? AND slack_ts GLOB '[0-9]*.[0-9]*' ORDER BY id",
            [since],
        )
    ]


def alert_row(store: Store, alert_id: int) -> dict[str, Any] | None:
    row = store.db.execute(
        "SELECT id, kind, channel, slack_ts, thread_ts, payload, incident_id, article_id, state "
        "FROM alerts WHERE id = ?",
        [alert_id],
    ).fetchone()
    keys = ("id", "kind", "channel", "slack_ts", "thread_ts", "payload", "incident_id", "article_id", "state")
    return dict(zip(keys, row, strict=True)) if row else None


def add(store: Store, alert_id: int, reaction: str, user: str, verdict: str) -> bool:
    """Record a mark once (True), and apply its verdict when it is the alert's first of that kind."""
    before = _verdicts(store, alert_id)
    with store.write() as db:
        added = (
            db.execute(
                "INSERT OR IGNORE INTO triage_marks (alert_id, reaction, user, verdict, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [alert_id, reaction, user, verdict, clock.now_iso()],
            ).rowcount
            == 1
        )
    if added and verdict == "false_positive" and "false_positive" not in before:
        _false_positive(store, alert_id, user)
    return added


def remove(store: Store, alert_id: int, reaction: str, user: str) -> bool:
    """Take a mark back; the verdict is undone when no one else's mark keeps it."""
    with store.write() as db:
        row = db.execute(
            "SELECT verdict FROM triage_marks WHERE alert_id = ? AND reaction = ? AND user = ? AND removed_at IS NULL",
            [alert_id, reaction, user],
        ).fetchone()
        if row is None:
            return False
        db.execute(
            "UPDATE triage_marks SET removed_at = ? WHERE alert_id = ? AND reaction = ? AND user = ? "
            "AND removed_at IS NULL",
            [clock.now_iso(), alert_id, reaction, user],
        )
    after = _verdicts(store, alert_id)
    if row[0] == "false_positive" and "false_positive" not in after:
        _undo_false_positive(store, alert_id)
    if row[0] == "mute":
        release_unmuted(store)
    return True


def _verdicts(store: Store, alert_id: int) -> set[str]:
    return {m.verdict for m in marks(store.conn, [alert_id]).get(alert_id, [])}


def _false_positive(store: Store, alert_id: int, user: str) -> None:
    """As `monitor feedback ID --wrong-vendor`: the vendor named this way, in this context, is suppressed."""
    try:
        feedback.record(store, alert_id, "wrong_vendor", reason=f"{FP_REASON}<@{user}>")
    except MonitorError:
        pass  # a digest or health alert names no article: the mark is shown, nothing is suppressed


def _undo_false_positive(store: Store, alert_id: int) -> None:
    """The suppressions and the verdict a Slack false positive made (not one typed with `monitor feedback`)."""
    with store.write() as db:
        db.execute("DELETE FROM suppressions WHERE alert_id = ? AND reason LIKE ?", [alert_id, f"{FP_REASON}%"])
        db.execute(
            "DELETE FROM feedback WHERE alert_id = ? AND verdict = 'wrong_vendor' AND reason LIKE ?",
            [alert_id, f"{FP_REASON}%"],
        )


def muted_incidents(conn: sqlite3.Connection) -> set[int]:
    if not _exists(conn):
        return set()
    return {
        int(r[0])
        for r in conn.execute(
            "SELECT DISTINCT a.incident_id FROM triage_marks t JOIN alerts a ON a.id = t.alert_id "
            "WHERE t.verdict = 'mute' AND t.removed_at IS NULL AND a.incident_id IS NOT NULL"
        )
    }


def hold_muted(store: Store) -> int:
    """Before delivery: pending thread replies of a muted incident become `muted`, except follow-ups
    (new facts: the attack confirmed, data published, a settlement), which still go out."""
    if not _exists(store.conn):
        return 0
    with store.write() as db:
        return int(
            db.execute(
                "UPDATE alerts SET state = 'muted' WHERE state = 'pending' AND kind = 'article' AND incident_id IN "
                "(SELECT a.incident_id FROM triage_marks t JOIN alerts a ON a.id = t.alert_id WHERE t.verdict = 'mute' "
                "AND t.removed_at IS NULL) AND id > (SELECT MIN(f.id) FROM alerts f WHERE f.incident_id = "
                "alerts.incident_id AND f.kind = 'article' AND f.channel = alerts.channel) AND COALESCE((SELECT "
                "follow_up FROM articles WHERE id = alerts.article_id), 0) = 0"
            ).rowcount
        )


def release_unmuted(store: Store) -> int:
    """An incident no longer muted: the replies held for it go out (nothing held is lost)."""
    muted = muted_incidents(store.conn)
    with store.write() as db:
        rows = [
            r[0] for r in db.execute("SELECT id, incident_id FROM alerts WHERE state = 'muted'") if r[1] not in muted
        ]
        for aid in rows:
            db.execute("UPDATE alerts SET state = 'pending', next_attempt_at = ? WHERE id = ?", [clock.now_iso(), aid])
    return len(rows)


def shown(store: Store, alert_id: int) -> str:
    row = store.db.execute("SELECT state FROM triage_shown WHERE alert_id = ?", [alert_id]).fetchone()
    return str(row[0]) if row else ""


def shown_many(store: Store, alert_ids: list[int]) -> dict[int, str]:
    """What each of these alerts' messages shows, by alert (absent: nothing), in one query per 500."""
    out: dict[int, str] = {}
    for i in range(0, len(alert_ids), 500):
        chunk = alert_ids[i : i + 500]
        sql = f"SELECT alert_id, state FROM triage_shown WHERE alert_id IN ({','.join('?' * len(chunk))})"
        out.update((int(a), str(s)) for a, s in store.conn.execute(sql, chunk))
    return out


def set_shown(store: Store, alert_id: int, state: str) -> None:
    with store.write() as db:
        db.execute("INSERT OR REPLACE INTO triage_shown (alert_id, state) VALUES (?, ?)", [alert_id, state])


def get_meta(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return str(row[0]) if row else None


def set_meta(store: Store, key: str, value: str | None) -> None:
    with store.write() as db:
        if value is None:
            db.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
