"""SQL for what monitor remembers of each newsroom page (sources/newsroom.py) and of each host's
robots.txt (sources/robots.py): the `newsrooms` and `robots` tables, created where first needed (like
incident_edits). `newsrooms` is keyed by the page URL as configured."""

from __future__ import annotations

from typing import Any

COLUMNS = (
    "page",
    "vendor",
    "method",
    "poll_url",
    "items",
    "newest",
    "error",
    "checked_at",
    "body_hash",
    "hash_url",
    "robots",
)
# Columns added after the table first shipped: added to an existing table on first write.
_ADDED = {"body_hash": "TEXT", "hash_url": "TEXT", "robots": "TEXT"}
ROBOTS_COLUMNS = ("site", "state", "text", "fetched_at", "note")


def ensure_table(db: Any) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS newsrooms (page TEXT PRIMARY KEY, vendor TEXT NOT NULL, "
        "method TEXT NOT NULL, poll_url TEXT NOT NULL, items INTEGER NOT NULL DEFAULT 0, newest TEXT, "
        "error TEXT, checked_at TEXT NOT NULL, body_hash TEXT, hash_url TEXT, robots TEXT)"
    )
    have = {row[1] for row in db.execute("PRAGMA table_info(newsrooms)")}
    for col, kind in _ADDED.items():
        if col not in have:
            db.execute(f"ALTER TABLE newsrooms ADD COLUMN {col} {kind}")


def _exists(db: Any, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None


def remembered(db: Any) -> dict[str, dict[str, Any]]:
    """Every page's last discovery, by page URL (an empty dict before the first)."""
    if not _exists(db, "newsrooms"):
        return {}
    have = {row[1] for row in db.execute("PRAGMA table_info(newsrooms)")}
    cols = [c for c in COLUMNS if c in have]
    rows = db.execute(f"SELECT {', '.join(cols)} FROM newsrooms")
    return {row[0]: {c: None for c in COLUMNS} | dict(zip(cols, row, strict=True)) for row in rows}


def remember(db: Any, row: dict[str, Any]) -> None:
    """A page's discovery (what it keeps of the earlier one: its content hash, its robots note)."""
    ensure_table(db)
    keep = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:8])
    db.execute(
        f"INSERT INTO newsrooms ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))}) "
        f"ON CONFLICT(page) DO UPDATE SET {keep}",
        [row.get(c) for c in COLUMNS],
    )


def remember_hash(db: Any, page: str, url: str, body_hash: str) -> None:
    """The content hash of the page (or feed) last parsed for this newsroom."""
    ensure_table(db)
    db.execute("UPDATE newsrooms SET body_hash = ?, hash_url = ? WHERE page = ?", [body_hash, url, page])


def note_robots(db: Any, page: str, note: str | None) -> None:
    """What robots.txt kept monitor from on this newsroom (None: nothing)."""
    ensure_table(db)
    db.execute("UPDATE newsrooms SET robots = ? WHERE page = ?", [note, page])


def robots_rows(db: Any) -> list[dict[str, Any]]:
    if not _exists(db, "robots"):
        return []
    return [
        dict(zip(ROBOTS_COLUMNS, row, strict=True))
        for row in db.execute(f"SELECT {', '.join(ROBOTS_COLUMNS)} FROM robots")
    ]


def remember_robots(db: Any, row: dict[str, Any]) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS robots (site TEXT PRIMARY KEY, state TEXT NOT NULL, text TEXT NOT NULL, "
        "fetched_at TEXT NOT NULL, note TEXT)"
    )
    db.execute(
        f"INSERT OR REPLACE INTO robots ({', '.join(ROBOTS_COLUMNS)}) VALUES ({', '.join('?' * len(ROBOTS_COLUMNS))})",
        [row.get(c) for c in ROBOTS_COLUMNS],
    )
