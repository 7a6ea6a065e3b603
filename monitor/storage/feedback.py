"""Analyst verdicts on alerts. A false positive suppresses its (vendor, matched name) pairs.

A suppression stops the same mistake from alerting again ("box" the word matching Box Inc.) while
other evidence for the vendor (its domain, another alias) still alerts. It lasts until removed.
"""

from __future__ import annotations

from typing import Any

from ..errors import MonitorError
from ..matching.matcher import Match
from ..normalize import fold
from .store import Store, now_iso

VERDICTS = ("false_positive", "true_positive")


def record(store: Store, alert_id: int, verdict: str, reason: str = "",
           vendor: str | None = None) -> list[tuple[str, str]]:
    """Store the verdict; for a false positive, suppress the alert article's matches (only `vendor`'s,
    when given). Returns the (vendor, matched) pairs suppressed."""
    if verdict not in VERDICTS:
        raise MonitorError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    row = store.db.execute("SELECT article_id FROM alerts WHERE id = ?", [alert_id]).fetchone()
    if row is None:
        raise MonitorError(f"no alert #{alert_id} (see 'monitor alerts')")
    # The text as it stood ("box"), not the registered name ("Box Inc."): "Box Inc. hacked" still alerts.
    pairs = [] if row[0] is None else sorted({
        (v, fold(surface or "") or matched) for v, matched, surface in store.db.execute(
            "SELECT vendor, matched, surface FROM matches WHERE article_id = ?", [row[0]])})
    if vendor is not None:
        names = {v for v, _ in pairs}
        match = next((n for n in names if n.casefold() == vendor.casefold()), None)
        if match is None:
            raise MonitorError(f"alert #{alert_id} did not match {vendor!r} (it matched: "
                               f"{', '.join(sorted(names)) or 'no vendor'})")
        pairs = [(v, m) for v, m in pairs if v == match]
    suppressed: list[tuple[str, str]] = []
    with store.write() as db:
        db["feedback"].insert({"alert_id": alert_id, "verdict": verdict, "reason": reason, "vendor": vendor or "",
                               "created_at": now_iso()})
        if verdict == "false_positive":
            for v, matched in pairs:
                db["suppressions"].upsert({"vendor": v, "matched": matched, "reason": reason,
                                           "alert_id": alert_id, "created_at": now_iso()}, pk=("vendor", "matched"))
                suppressed.append((v, matched))
    return suppressed


def is_suppressed(suppressed: set[tuple[str, str]], vendor: str, matched: str, surface: str) -> bool:
    """Does a suppression cover this match? Keyed on the folded surface text, or the registered name."""
    return (vendor, fold(surface or "")) in suppressed or (vendor, matched) in suppressed


def allowed(suppressed: set[tuple[str, str]], matches: tuple[Match, ...]) -> tuple[Match, ...]:
    return tuple(m for m in matches if not is_suppressed(suppressed, m.vendor, m.matched, m.surface))


def suppressions(store: Store) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.query("SELECT vendor, matched, reason, alert_id, created_at FROM suppressions "
                                            "ORDER BY created_at, vendor")]


def remove(store: Store, vendor: str, matched: str) -> bool:
    with store.write() as db:
        return db.execute("DELETE FROM suppressions WHERE vendor = ? AND matched = ?", [vendor, matched]).rowcount > 0
