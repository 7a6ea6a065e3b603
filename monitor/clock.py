"""The one clock: now in UTC, and now as the ISO text the database stores (2024-06-05T09:00:00Z).

Every module reads it through this module (`clock.utcnow()`, never a copy bound at import), so a
test moves the whole program's time by patching `monitor.clock.utcnow` once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .textutil import iso


def utcnow() -> datetime:
    return datetime.now(UTC)


def now_iso() -> str:
    return iso(utcnow()) or ""
