"""The daily digest's SQL: low-criticality alerts held for it, and whether today's was queued."""

from __future__ import annotations

from typing import Any

from .store import Store


def held(store: Store) -> list[dict[str, Any]]:
    """Alerts held for the digest, oldest first, with their article's title, link and source."""
    return list(
        store.db.query(
            "SELECT a.id, a.vendor, ar.title, ar.link, ar.source FROM alerts a JOIN articles ar ON ar.id = a.article_id "
            "WHERE a.state = 'held' ORDER BY a.id"
        )
    )


def release_held(db: Any) -> None:
    """The digest is off: held alerts go out one by one."""
    db.execute("UPDATE alerts SET state = 'pending', kind = 'article' WHERE state = 'held'")


def queued_on(store: Store, day: str) -> bool:
    """Was the digest of this day (YYYY-MM-DD) queued already?"""
    return store.db.execute("SELECT 1 FROM alerts WHERE dedupe_key LIKE ?", [f"digest:{day}:%"]).fetchone() is not None


def mark_digested(db: Any, alert_ids: list[int]) -> None:
    db.execute(f"UPDATE alerts SET state = 'digested' WHERE id IN ({','.join('?' * len(alert_ids))})", alert_ids)
