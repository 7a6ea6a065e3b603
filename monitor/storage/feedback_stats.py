"""The precision the team has actually seen: of the alerts someone triaged (a reaction, a button or
`monitor feedback`), how many were false positives, overall, per vendor and per source.

An alert counts as triaged when it carries any standing verdict; as a false positive when one of them
is `wrong_vendor` or `not_breach` (command line) or a standing false-positive mark from Slack. A
removed reaction takes its verdict back, so it counts for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..textutil import iso
from .store import Store


@dataclass(frozen=True, slots=True)
class Seen:
    """One line of the table: `key` is '' (all), a vendor or a source."""

    days: int
    by: str  # "all" | "vendor" | "source"
    key: str
    triaged: int
    false_positives: int

    @property
    def precision(self) -> float | None:
        return None if not self.triaged else 1 - self.false_positives / self.triaged

    def as_dict(self) -> dict[str, Any]:
        p = self.precision
        return {
            "days": self.days,
            "by": self.by,
            "key": self.key,
            "triaged": self.triaged,
            "false_positives": self.false_positives,
            "precision": None if p is None else round(p, 3),
        }


def _verdicts(store: Store, since: str) -> list[tuple[str, str, bool]]:
    """(vendor, source, false positive?) per triaged alert created since `since`."""
    tables = set(store.db.table_names())
    marks = (
        "SELECT alert_id, verdict = 'false_positive' AS fp FROM triage_marks WHERE removed_at IS NULL"
        if "triage_marks" in tables
        else "SELECT NULL AS alert_id, 0 AS fp WHERE 0"
    )
    rows = store.db.execute(
        f"SELECT a.vendor, COALESCE(ar.source, ''), MAX(v.fp) FROM alerts a "
        f"JOIN (SELECT alert_id, verdict IN ('wrong_vendor', 'not_breach') AS fp FROM feedback "
        f"UNION ALL {marks}) v ON v.alert_id = a.id "
        f"LEFT JOIN articles ar ON ar.id = a.article_id WHERE a.created_at >= ? GROUP BY a.id",
        [since],
    ).fetchall()
    return [(vendor or "", source, bool(fp)) for vendor, source, fp in rows]


def seen_precision(store: Store, now: datetime, windows: tuple[int, ...] = (30, 90)) -> list[Seen]:
    out: list[Seen] = []
    for days in windows:
        rows = _verdicts(store, iso(now - timedelta(days=days)) or "")
        out.append(Seen(days, "all", "", len(rows), sum(fp for _, _, fp in rows)))
        for by, index in (("vendor", 0), ("source", 1)):
            groups: dict[str, list[bool]] = {}
            for row in rows:
                groups.setdefault(str(row[index]), []).append(bool(row[2]))
            out += [Seen(days, by, key, len(fps), sum(fps)) for key, fps in sorted(groups.items())]
    return out
