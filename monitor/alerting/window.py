"""The alert window: which new items may alert, by their age. Pure code, one rule for every source.

A new source must not flood the channel: a KEV catalogue holds 1,400 old entries, a feed months of
news, a vendor's newsroom years of notices. An item published before `now - alert_window` is stored
and searchable like any other, but not alerted. Every poll applies it, not only the first: an old
item a source shows for the first time (a catalogue back-filled, a feed re-published) is old news.

An item without a date (or with one that cannot be read, or one more than a day ahead) has no age
to judge: it is dated by the fetch, as everywhere in the pipeline (pipeline/workers.py), and may
alert. Holding such items back on a source's first poll would lose a fresh breach on a source that
dates nothing (an html list without a date selector) with no way to see it was held; the volume of
such a source is bounded by limits.max_items_per_source and limits.max_alerts_per_cycle instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..textutil import parse_iso

DEFAULT = timedelta(days=14)
FUTURE_SLACK = timedelta(days=1)  # as pipeline/workers: a date further ahead is unreadable, not news


def held_back(published: str | None, now: datetime, window: timedelta) -> str | None:
    """Why this item is stored without alerting, or None when it may alert.

    published: the date the source gave (ISO 8601), None when it gave none."""
    when = parse_iso(published) if published else None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=now.tzinfo)
    if when is None or when > now + FUTURE_SLACK:
        return None  # no age to judge: dated by the fetch
    if when < now - window:
        return f"published {when:%Y-%m-%d}, before the alert window ({_days(window)})"
    return None


def _days(window: timedelta) -> str:
    days = window.total_seconds() / 86400
    if days >= 1 and days == int(days):
        return f"{int(days)} day{'s' if days != 1 else ''}"
    return f"{window.total_seconds() / 3600:g} hours"
