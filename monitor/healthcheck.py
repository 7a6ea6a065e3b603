"""`monitor status --check`: is monitor doing its job? One line for a monitoring system or a timer.

Three things go wrong silently in a poller: a source stops being read, alerts stop reaching Slack,
and the poller itself stops running (cron entry lost, daemon wedged). Each is read from the
database the runs write, so the check works the same for cron and the daemon.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .storage import alert_store
from .textutil import parse_iso

if TYPE_CHECKING:
    from .config import Config
    from .storage.store import Store

STUCK_AFTER = timedelta(hours=1)  # a pending alert older than this is not waiting out a backoff
STALE_INTERVALS = 3  # polls missed before the poller counts as stopped


def _ago(then: datetime, now: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h" if minutes < 2880 else f"{minutes // 1440} days"


def _interval(seconds: float) -> str:
    return f"{seconds / 3600:g}h" if seconds >= 3600 else f"{seconds / 60:g}m" if seconds >= 60 else f"{seconds:g}s"


def problems(store: Store, config: Config, now: datetime) -> list[str]:
    """What needs an operator, each as a short phrase; empty when all is well."""
    out: list[str] = []
    sources = [s for s in config.sources if s.enabled]
    states = store.all_source_states()
    threshold = config.health.failure_threshold
    failing = [
        (s.name, states[s.name])
        for s in sources
        if int(states.get(s.name, {}).get("consecutive_failures") or 0) >= threshold
    ]
    if failing:
        name, st = failing[0]
        more = f" and {len(failing) - 1} more" if len(failing) > 1 else ""
        out.append(
            f"source {name!r}{more} failing ({st['consecutive_failures']} failures in a row, threshold "
            f"{threshold}): {(st.get('last_error') or '')[:120]}"
        )

    empty = [s.name for s in sources if states.get(s.name, {}).get("health") == "empty"]
    if empty:
        more = f" and {len(empty) - 1} more" if len(empty) > 1 else ""
        out.append(f"source {empty[0]!r}{more} returns no items (selectors match nothing? see `monitor sources check`)")

    failed = alert_store.failed(store.db)
    if failed.count:
        out.append(
            f"{failed.count} alert{'s' if failed.count > 1 else ''} failed (#{failed.first_id}: "
            f"{(failed.first_error or '')[:100]}; fix it, then `monitor alerts retry --failed`)"
        )
    cutoff = now - STUCK_AFTER
    stuck = [r for r in alert_store.undelivered(store.db) if (parse_iso(r.created_at) or now) < cutoff]
    if stuck:
        first = stuck[0]
        why = f": {first.last_error[:100]}" if first.last_error else ""
        out.append(
            f"{len(stuck)} alert{'s' if len(stuck) > 1 else ''} pending for over an hour (#{first.id} "
            f"since {_ago(parse_iso(first.created_at) or now, now)} ago{why})"
        )

    if sources:
        every = min(config.interval_for(s) for s in sources)
        last_ok = max(
            (t for t in (parse_iso(states.get(s.name, {}).get("last_ok")) for s in sources) if t), default=None
        )
        if last_ok is None:
            out.append("no source has ever been read successfully (has `monitor run` run?)")
        elif now - last_ok > timedelta(seconds=STALE_INTERVALS * every):
            out.append(
                f"no successful poll for {_ago(last_ok, now)} (over {STALE_INTERVALS} intervals of "
                f"{_interval(every)}): is `monitor run` still running?"
            )
    return out
