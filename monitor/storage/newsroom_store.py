"""SQL for remembering how each newsroom page was read (sources/newsroom.py): the `newsrooms` table,
created where first needed (like incident_edits), keyed by the page URL as configured."""

from __future__ import annotations

from typing import Any

COLUMNS = ("page", "vendor", "method", "poll_url", "items", "newest", "error", "checked_at")


def ensure_table(db: Any) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS newsrooms (page TEXT PRIMARY KEY, vendor TEXT NOT NULL, "
               "method TEXT NOT NULL, poll_url TEXT NOT NULL, items INTEGER NOT NULL DEFAULT 0, newest TEXT, "
               "error TEXT, checked_at TEXT NOT NULL)")


def remembered(db: Any) -> dict[str, dict[str, Any]]:
    """Every page's last discovery, by page URL (an empty dict before the first)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'newsrooms'").fetchone():
        return {}
    cols = ", ".join(COLUMNS)
    return {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in db.execute(f"SELECT {cols} FROM newsrooms")}


def remember(db: Any, row: dict[str, Any]) -> None:
    ensure_table(db)
    db.execute(f"INSERT OR REPLACE INTO newsrooms ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
               [row.get(c) for c in COLUMNS])
