"""`monitor run` without --once: each source on its own schedule until SIGTERM/SIGINT.

A source's next poll time (next_due) is stored with its state, so the schedule survives restarts and
is shared with cron runs on the same database. The loop sleeps until the earliest next_due; a
signal only sets a flag, so the cycle in progress finishes its writes and deliveries before exit.

Between cycles the loop looks at feeds.yaml and vendors.csv (size and modification time): an edit is
validated and taken without a restart; an edit that does not validate is logged with its file, line
and field, and the daemon goes on with what it had.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .. import clock as clocks
from ..errors import ConfigError, describe
from ..routine import ROUTINE
from ..sdnotify import Notifier
from ..sources.schedule import MAX_BACKOFF as MAX_BACKOFF  # re-exported: the daemon's schedule
from ..sources.schedule import poll_delay as poll_delay
from ..textutil import parse_iso
from . import triage_step

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from ..alerting.outbox import DeliveryReport
    from ..alerting.slack import Sender
    from ..config import AnySource, Config
    from ..matching.vendors import Vendor
    from ..metrics import DaemonMetrics
    from ..sources.health import SourceState
    from ..storage.store import Store
    from .cycle import CycleReport

log = logging.getLogger("monitor.daemon")


class Driven(Protocol):
    """What the daemon drives: pipeline.cycle.Monitor."""

    @property
    def config(self) -> Config: ...

    @property
    def vendors(self) -> Sequence[Vendor]: ...

    @property
    def store(self) -> Store: ...

    @property
    def lock(self) -> AbstractContextManager[Any]: ...

    def run_once(self, sources: Sequence[AnySource] | None = None) -> CycleReport: ...

    def deliver(self, force: bool = False) -> DeliveryReport: ...

    def reconfigure(self, config: Config, vendors: Sequence[Vendor], sender: Sender) -> None: ...


MAX_SLEEP = 60.0  # wake at least this often to deliver alert retries whose backoff has passed
MIN_SLEEP = 0.2


def next_poll(interval: float, state: SourceState) -> datetime | None:
    """When a source is next due: its stored next_due, but never later than its last attempt plus the
    longest delay its *current* interval allows (backoff included). A next_due stored under a longer
    interval would otherwise hold a shortened one back until the old time. None: due now."""
    when = parse_iso(state.next_due)
    last = parse_iso(state.last_attempt)
    if when is None:
        return None
    if last is not None:
        when = min(when, last + timedelta(seconds=poll_delay(interval, state.consecutive_failures, rng=lambda: 1.0)))
    return when


def _next_polls(monitor: Driven) -> list[tuple[AnySource, datetime | None]]:
    states = monitor.store.source_states()
    out: list[tuple[AnySource, datetime | None]] = []
    for s in monitor.config.sources:
        if not s.enabled:
            continue
        st = states.get(s.name)
        # A source whose URL changed is a new source: due at once.
        when = next_poll(monitor.config.interval_for(s), st) if st is not None and st.url == s.url else None
        out.append((s, when))
    return out


def due_sources(monitor: Driven, now: datetime) -> list[AnySource]:
    """Sources whose next poll (interval or failure backoff, stored per source) has come."""
    return [s for s, when in _next_polls(monitor) if when is None or when <= now]


def seconds_until_next(monitor: Driven, now: datetime) -> float:
    """How long the loop may sleep: until the earliest next poll, within [MIN_SLEEP, MAX_SLEEP]."""
    waits = [(when - now).total_seconds() if when else 0.0 for _s, when in _next_polls(monitor)]
    return max(MIN_SLEEP, min([MAX_SLEEP, *waits]))


def log_schedule(monitor: Driven, now: datetime) -> None:
    """At start, when each source is next polled (in the configured timezone): a restart that keeps the
    schedule should say so, rather than look idle for an hour."""
    from ..textutil import local_time

    for s, when in _next_polls(monitor):
        if when is None or when <= now:
            log.info("%s: polled now", s.name, extra=ROUTINE)
        else:
            seconds = (when - now).total_seconds()
            wait = (
                f"{seconds:.0f} s"
                if seconds < 120
                else f"{seconds / 60:.0f} min"
                if seconds < 7200
                else f"{seconds / 3600:.1f} h"
            )
            log.info(
                "%s: next poll at %s (in %s)",
                s.name,
                local_time(when.isoformat(), monitor.config.tz),
                wait,
                extra=ROUTINE,
            )


class FileWatch:
    """Notices when any of a few files is written, replaced or removed (size and modification time)."""

    def __init__(self, paths: Sequence[Path]):
        self.paths = list(paths)
        self._seen = self._stamps()

    def _stamps(self) -> tuple[tuple[int, int] | None, ...]:
        out: list[tuple[int, int] | None] = []
        for p in self.paths:
            try:
                st = p.stat()
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def changed(self) -> bool:
        now = self._stamps()
        if now == self._seen:
            return False
        self._seen = now
        return True


Reload = Callable[[], tuple["Config", Sequence["Vendor"], "Sender"]]  # or ConfigError


def watched_files(monitor: Driven) -> FileWatch:
    return FileWatch([Path(monitor.config.path), Path(monitor.config.vendors)])


def reload_if_edited(monitor: Driven, watch: FileWatch, reload: Reload) -> FileWatch:
    """Take edited configuration files; returns the watch to use next (the vendors path may move)."""
    if not watch.changed():
        return watch
    try:
        config, vendors, sender = reload()
        monitor.reconfigure(config, vendors, sender)
    except (ConfigError, OSError) as e:
        problems = "; ".join(e.problems) if isinstance(e, ConfigError) else str(e)
        log.error("%s (not reloaded: the daemon goes on with the configuration it had)", problems)
        return watch
    enabled = [s for s in config.sources if s.enabled]
    log.info(
        "reloaded %s and %s: %d sources, %d vendors",
        Path(config.path).name,
        Path(config.vendors).name,
        len(enabled),
        len(monitor.vendors),
        extra=ROUTINE,
    )
    return watched_files(monitor)


def run_daemon(
    monitor: Driven,
    *,
    stop: threading.Event | None = None,
    clock: Callable[[], datetime] = lambda: clocks.utcnow(),
    sleep: Callable[[float], Any] | None = None,
    max_cycles: int | None = None,
    reload: Reload | None = None,
    notifier: Notifier | None = None,
    metrics: DaemonMetrics | None = None,
) -> int:
    """Poll due sources until stopped; returns the number of cycles run.

    `clock` and `sleep` are injectable so tests can run hours of schedule in seconds. `reload` reads
    and validates the configuration files again; without it, edits are not looked for. `notifier`
    tells systemd (Type=notify) that the daemon is ready, alive and stopping: by default from
    $NOTIFY_SOCKET, which is absent outside systemd. `metrics` are updated after each cycle.
    """
    stop = stop or threading.Event()
    sleep = sleep or sleeper(stop)
    notifier = notifier if notifier is not None else Notifier()

    with StopOnSignal(stop):
        return _run(monitor, stop, clock, sleep, max_cycles, reload, notifier, metrics)


def _run(
    monitor: Driven,
    stop: threading.Event,
    clock: Callable[[], datetime],
    sleep: Callable[[float], Any],
    max_cycles: int | None,
    reload: Reload | None,
    notifier: Notifier,
    metrics: DaemonMetrics | None,
) -> int:
    enabled = [s for s in monitor.config.sources if s.enabled]
    log.info("daemon started: %d sources", len(enabled), extra=ROUTINE)
    log_schedule(monitor, clock())
    # The configuration is loaded and validated, the database open: systemd may start what follows us.
    notifier.ready(f"started: {len(enabled)} sources")
    cycles = 0
    watch = watched_files(monitor)
    while not stop.is_set():
        notifier.watchdog()
        if reload is not None:
            watch = reload_if_edited(monitor, watch, reload)
        failed = False
        started = time.monotonic()
        try:
            report = _cycle(monitor, clock())
        except Exception as e:
            # Inputs are contained per item and per source inside the cycle; what still escapes (a bug,
            # or the database failing) is logged and the next cycle tries again, instead of the daemon
            # exiting into a restart loop that would meet the same input again.
            log.error("cycle failed: unexpected %s (the daemon goes on; -v logs the traceback)", describe(e))
            log.info("traceback of the failed cycle:\n%s", "".join(traceback.format_exception(e)))
            report, failed = None, True
            notifier.status(f"cycle failed: unexpected {describe(e)}")
            if metrics is not None:
                metrics.failed_cycle()
        if report is not None:
            cycles += 1
            if metrics is not None:
                metrics.observe(report, time.monotonic() - started)
            # One summary line per cycle, shown by default (hidden by -q); after the metrics, so that a
            # scrape after the line sees the cycle.
            log.info("cycle %d: %s", cycles, report.summary(), extra=ROUTINE)
            for s in report.failed:
                log.info("source %s failed: %s", s.name, s.error)
            notifier.status(f"cycle {cycles}: {report.summary()}")
        notifier.watchdog()
        if max_cycles is not None and cycles >= max_cycles:
            break
        if stop.is_set():
            break
        # After a failed cycle its sources are still due: wait, instead of failing again at once.
        _wait(MAX_SLEEP if failed else seconds_until_next(monitor, clock()), sleep, stop, notifier)
    notifier.stopping(f"stopped after {cycles} cycles")
    log.info("daemon stopped after %d cycles", cycles, extra=ROUTINE)
    return cycles


class StopOnSignal:
    """SIGTERM/SIGINT set `stop`: the daemon finishes its cycle and exits. Installed in the main thread
    only (where Python runs signal handlers), and the handlers before it are restored on exit.

    Python runs a handler in the main thread between two bytecodes, wherever that thread is: also
    inside stop.wait(), holding the Event's lock, which is not reentrant. A handler calling stop.set()
    there waited for itself forever (a daemon that never stopped: 1 SIGTERM in ~12 sent right after a
    cycle, faulthandler showed set() under wait()); one logging there met the stderr write it had
    interrupted. So the handler takes no lock: it writes the signal's number to a pipe (os.write is a
    system call), and a thread reading the pipe sets the stop and logs the line."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self._previous: dict[int, Any] = {}
        self._write = -1
        self._watcher: threading.Thread | None = None

    def __enter__(self) -> StopOnSignal:
        if threading.current_thread() is not threading.main_thread():
            return self  # a daemon driven from a thread (tests) is stopped through `stop` alone
        taken = signal.getsignal(signal.SIGTERM)
        if isinstance(taken, StopOnSignal) and taken.stop is self.stop:
            return self  # installed by the caller already (the CLI, before the metrics server starts)
        read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        self._watcher = threading.Thread(target=self._watch, args=(read,), name="stop-signal", daemon=True)
        self._watcher.start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            self._previous[signum] = signal.signal(signum, self)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        if self._watcher is not None:
            os.close(self._write)  # the watcher reads what is left, then the end of the pipe
            self._watcher.join(timeout=5)

    def __call__(self, signum: int, _frame: Any) -> None:
        try:
            os.write(self._write, bytes([signum]))
        except BlockingIOError:  # a pipe full of signals already: the stop is on its way
            pass

    def _watch(self, read: int) -> None:
        try:
            while signals := os.read(read, 64):
                try:
                    for signum in signals:
                        name = signal.Signals(signum).name
                        log.info("%s received: finishing the current cycle, then exiting", name, extra=ROUTINE)
                finally:  # logged first, so that the line comes before the daemon's last ones
                    self.stop.set()
        finally:
            os.close(read)


SIGNAL_SLICE = 1.0  # the longest the main thread waits without running Python code


def sleeper(stop: threading.Event) -> Callable[[float], None]:
    """The daemon's sleep between cycles: until `stop` is set or the time is up, in waits of at most a
    second. The kernel may deliver SIGTERM to any thread; its Python handler then runs only when the main
    thread next runs Python code, and a main thread in one hour-long stop.wait() never did: the daemon
    outlived the signal (its stack after 30 s: the main thread in wait(), the handler never run)."""

    def sleep(seconds: float) -> None:
        end = time.monotonic() + seconds
        while not stop.is_set() and (left := end - time.monotonic()) > 0:
            stop.wait(min(left, SIGNAL_SLICE))

    return sleep


def _wait(seconds: float, sleep: Callable[[float], Any], stop: threading.Event, notifier: Notifier) -> None:
    """Sleep until the next tick, telling the watchdog we are alive as often as it needs. Only the
    watchdog is woken for: a tick delivers retries and reads Slack reactions back, which must not run
    more often because WatchdogSec is short."""
    every = notifier.ping_every
    if every is None:
        sleep(seconds)
        return
    while seconds > 0 and not stop.is_set():
        step = min(seconds, every)
        sleep(step)
        seconds -= step
        notifier.watchdog()


def _cycle(monitor: Driven, now: datetime) -> CycleReport | None:
    """Poll the due sources (their report), or only deliver the retries that are due (None)."""
    due = due_sources(monitor, now)
    if not due:
        # Deliver retries whose backoff has passed, even when no source is due.
        with monitor.lock:
            monitor.deliver()
            triage_step.after_delivery(monitor)
        return None
    return monitor.run_once(due)
