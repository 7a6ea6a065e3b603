"""Analyst verdicts on alerts. A false positive suppresses its (vendor, matched name) pairs."""

from __future__ import annotations

from .errors import MonitorError
from .store import Store, now_iso


def record(store: Store, alert_id: int, verdict: str, reason: str = "") -> list[tuple[str, str]]:
    """Store the verdict; for a false positive, suppress each match of the alert's article. Returns them."""
    row = store.db.execute("SELECT article_id FROM alerts WHERE id = ?", [alert_id]).fetchone()
    if row is None:
        raise MonitorError(f"no alert #{alert_id} (see 'monitor alerts')")
    suppressed: list[tuple[str, str]] = []
    with store.write() as db:
        db["feedback"].insert({"alert_id": alert_id, "verdict": verdict, "reason": reason, "created_at": now_iso()})
        if verdict == "false_positive" and row[0] is not None:
            for vendor, matched in db.execute("SELECT vendor, matched FROM matches WHERE article_id = ?", [row[0]]):
                db["suppressions"].upsert({"vendor": vendor, "matched": matched, "reason": reason,
                                           "alert_id": alert_id, "created_at": now_iso()}, pk=("vendor", "matched"))
                suppressed.append((vendor, matched))
    return suppressed
