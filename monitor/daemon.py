"""`monitor run` without --once: each source on its own schedule until SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import random
import signal
import threading
from datetime import datetime, timezone
from typing import Any, Callable

log = logging.getLogger("monitor.daemon")


def due_sources(monitor: Any, now: datetime) -> list[Any]:
    """Sources whose next_due (interval or failure backoff, stored per source) has passed."""
    states = monitor.store.all_source_states()
    due = []
    for s in monitor.config.sources:
        if not s.enabled:
            continue
        st = states.get(s.name, {})
        nxt = st.get("next_due")
        if st.get("url") != s.url or not nxt:
            due.append(s)
            continue
        if datetime.fromisoformat(nxt.replace("Z", "+00:00")) <= now:
            due.append(s)
    return due


def run_daemon(monitor: Any, *, stop: threading.Event | None = None,
               clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
               tick: float = 5.0, max_cycles: int | None = None) -> int:
    """Poll due sources; sleep until the next one is due (with jitter). Returns the number of cycles."""
    stop = stop or threading.Event()

    def _stop(signum: int, _frame: Any) -> None:
        log.warning("signal %s: finishing the current cycle, then exiting", signal.Signals(signum).name)
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    cycles = 0
    log.warning("daemon started: %d sources", len(monitor.config.sources))
    while not stop.is_set():
        due = due_sources(monitor, clock())
        if due:
            report = monitor.run_once(due)
            cycles += 1
            # One summary line per cycle, at the default log level.
            log.warning("cycle %d: %s", cycles, report.summary())
            for s in report.failed:
                log.info("source %s failed: %s", s.name, s.error)
        else:
            # Deliver retries whose backoff has passed, even when no source is due.
            with monitor.lock:
                monitor.deliver()
        if max_cycles is not None and cycles >= max_cycles:
            break
        # Jitter spreads polls so that many sources on one host are not hit at once.
        stop.wait(tick * (0.8 + 0.4 * random.random()))
    log.warning("daemon stopped after %d cycles", cycles)
    return cycles
