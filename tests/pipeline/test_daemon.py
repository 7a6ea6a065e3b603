"""Issue 7: `monitor run` as a daemon: per-source schedules with jitter, a report published between
polls alerted within one interval, exponential capped backoff for failing sources, one summary log
line per cycle, SIGTERM/SIGINT finishing the current cycle without losing anything, and edits to
feeds.yaml and vendors.csv taken without a restart."""

from __future__ import annotations

import logging
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Entry, Project, bot_env, os_env_without_slack, rss2
from hostile_server import HostileServer

from monitor.config import parse_duration
from monitor.pipeline.daemon import MAX_BACKOFF, poll_delay

T0 = datetime(2024, 6, 5, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("15m", 900), ("1h", 3600), ("1.5h", 5400), (45, 45)])
def test_intervals_read_as_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_poll_delay_jitters_within_the_interval() -> None:
    delays = [poll_delay(900) for _ in range(200)]
    assert all(810 <= d <= 900 for d in delays)
    assert len({round(d) for d in delays}) > 20  # really jittered, not a constant
    assert poll_delay(900, rng=lambda: 0.0) == 810 and poll_delay(900, rng=lambda: 1.0) == 900


def test_failing_source_backs_off_exponentially_and_is_capped() -> None:
    top = lambda: 1.0  # noqa: E731  (no jitter: compare exact values)
    assert [poll_delay(300, n, top) for n in range(1, 6)] == [300, 600, 1200, 2400, 4800]
    assert poll_delay(300, 10, top) == MAX_BACKOFF
    assert poll_delay(300, 500, top) == MAX_BACKOFF  # no overflow after months of failures
    assert poll_delay(86400, 3, top) == 86400  # a daily source is never polled less than daily


class FakeTime:
    """Simulated hours: the daemon's clock and sleep, and the pipeline's notion of now."""

    def __init__(self, stop: threading.Event, until: datetime):
        self.now = T0
        self.stop = stop
        self.until = until
        self.hooks: list[tuple[datetime, object]] = []

    def clock(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        for when, hook in list(self.hooks):
            if self.now >= when:
                hook()  # type: ignore[operator]
                self.hooks.remove((when, hook))
        if self.now >= self.until:
            self.stop.set()


class Switchable:
    def __init__(self, body: bytes, status: int = 200):
        self.body, self.status = body, status

    def __call__(self, request):  # type: ignore[no-untyped-def]
        from werkzeug import Response

        return Response(self.body, status=self.status, content_type="application/rss+xml")


def test_daemon_schedules_sources_and_alerts_within_one_interval(
    project: Project, httpserver, slack, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    import monitor.clock
    from monitor.alerting.slack import sender_from_env
    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline import cycle as pipeline
    from monitor.pipeline.daemon import run_daemon
    from monitor.storage.store import Store

    quiet = rss2([Entry("Weekly roundup", "https://news.example/roundup", "", "r1", T0)])
    breach = rss2(
        [
            Entry("Weekly roundup", "https://news.example/roundup", "", "r1", T0),
            Entry(
                "Okta confirms breach of support system",
                "https://news.example/okta",
                "stolen",
                "o1",
                T0 + timedelta(minutes=20),
            ),
        ]
    )
    fast = Switchable(quiet)
    httpserver.expect_request("/fast").respond_with_handler(fast)
    httpserver.expect_request("/hourly").respond_with_data(quiet, content_type="application/rss+xml")
    httpserver.expect_request("/broken").respond_with_data("down", status=500)
    project.configure(
        [
            {"name": "fast", "url": httpserver.url_for("/fast"), "interval": "15m"},
            {"name": "hourly", "url": httpserver.url_for("/hourly"), "interval": "1h"},
            {"name": "broken", "url": httpserver.url_for("/broken"), "interval": "5m"},
        ],
        health={"failure_threshold": 50},
    )
    for k, v in bot_env(slack).items():
        monkeypatch.setenv(k, v)

    stop = threading.Event()
    fake = FakeTime(stop, until=T0 + timedelta(hours=6))
    published = T0 + timedelta(minutes=20)
    fake.hooks.append((published, lambda: setattr(fast, "body", breach)))
    monkeypatch.setattr(monitor.clock, "utcnow", fake.clock)

    cfg = load_config(project.config_path)
    polls: dict[str, list[datetime]] = {"fast": [], "hourly": [], "broken": []}
    alerted_at: list[datetime] = []
    with Store(cfg.database) as store:
        monitor = pipeline.Monitor(cfg, load_vendors(cfg.vendors), store, sender_from_env())
        real_run_once = monitor.run_once

        def recording_run_once(sources=None):  # type: ignore[no-untyped-def]
            for s in sources:
                polls[s.name].append(fake.now)
            report = real_run_once(sources)
            if report.delivery.sent and any("Okta" in m["text"] for m in slack.messages) and not alerted_at:
                alerted_at.append(fake.now)
            return report

        monitor.run_once = recording_run_once  # type: ignore[method-assign]
        with caplog.at_level(logging.INFO, logger="monitor.daemon"):
            cycles = run_daemon(monitor, stop=stop, clock=fake.clock, sleep=fake.sleep)

    def gaps(name: str) -> list[float]:
        times = polls[name]
        return [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]

    # Each source on its own schedule, never later than its interval, jittered.
    assert len(polls["fast"]) >= 24 and all(810 <= g <= 900.5 for g in gaps("fast")), gaps("fast")
    assert 6 <= len(polls["hourly"]) <= 7 and all(3240 <= g <= 3600.5 for g in gaps("hourly")), gaps("hourly")
    assert len({round(g) for g in gaps("fast")}) > 3
    # The failing source doubles its wait every failure: 5m, 10m, 20m, 40m, ...
    broken = gaps("broken")
    assert len(broken) >= 5
    assert all(1.8 * 0.95 <= b / a <= 2 / 0.9 * 1.05 for a, b in zip(broken, broken[1:], strict=False)), broken
    # The breach report published between polls was alerted within one interval of its source.
    assert alerted_at and (alerted_at[0] - published) <= timedelta(minutes=15)
    assert [m["text"] for m in slack.messages if "Okta" in m["text"]].__len__() == 1
    # One summary line per cycle.
    summaries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cycle ")]
    assert len(summaries) == cycles
    assert all(" sources (" in s and " new articles, " in s for s in summaries)


# ---------------------------------------------------------------- signals (a real daemon process)


@pytest.fixture
def hostile(tmp_path: Path):  # type: ignore[no-untyped-def]
    server = HostileServer(tmp_path)
    yield server
    server.close()


def _daemon(project: Project, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run"],
        cwd=project.root,
        env={**os_env_without_slack(), "PYTHONFAULTHANDLER": "1", **env},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize(
    "signum, slack_up",
    [(signal.SIGTERM, True), (signal.SIGINT, True), (signal.SIGTERM, False)],
    ids=["SIGTERM", "SIGINT", "SIGTERM-slack-down"],
)
def test_signal_during_a_cycle_finishes_it_and_loses_nothing(
    project: Project, hostile: HostileServer, slack, signum: int, slack_up: bool
) -> None:  # type: ignore[no-untyped-def]
    if not slack_up:
        slack.default = ("status", 500)
    project.configure(
        [{"name": "slow", "url": hostile.url("/slow")}, {"name": "quick", "url": hostile.url("/good")}],
        limits={"fetch_timeout": "10s"},
    )
    proc = _daemon(project, bot_env(slack))
    try:
        assert hostile.slow_started.wait(20), "the daemon never polled"
        proc.send_signal(signum)  # mid-cycle: the slow source has not answered yet
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert f"{signal.Signals(signum).name} received: finishing the current cycle" in err
    assert len([ln for ln in err.splitlines() if " cycle 1: " in ln]) == 1
    assert "daemon stopped after 1 cycles" in err

    db = sqlite3.connect(project.db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    sources = dict(db.execute("SELECT name, last_ok FROM sources").fetchall())
    assert sources["slow"] and sources["quick"]  # the slow source's answer was still ingested
    alerts = db.execute("SELECT state FROM alerts WHERE kind = 'article'").fetchall()
    assert len(alerts) == 1  # one Okta report (both sources carry it: deduplicated)
    okta_posts = [m for m in slack.messages if "Okta" in m["text"]]
    if slack_up:
        assert alerts == [("sent",)] and len(okta_posts) == 1
    else:
        assert alerts == [("pending",)] and okta_posts == []  # kept for the next run, not lost
        assert db.execute("SELECT next_attempt_at FROM alerts").fetchone()[0]
    db.close()


class _Stderr:
    """Reads a daemon's stderr in a thread, so a test can wait for a log line instead of sleeping."""

    def __init__(self, proc: subprocess.Popen[str]):
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self.lines.append("")  # EOF
            self._cond.notify_all()

    def wait_for(self, text: str, timeout: float = 60) -> bool:
        with self._cond:
            return self._cond.wait_for(
                lambda: any(text in ln for ln in self.lines) or "" in self.lines, timeout
            ) and any(text in ln for ln in self.lines)

    def text(self) -> str:
        self._thread.join(timeout=30)
        return "".join(self.lines)

    def stop(self, proc: subprocess.Popen[str], timeout: float = 30) -> str:
        """SIGTERM, as systemd stops the daemon; its log once it has exited with 0. A daemon still
        running after `timeout` is aborted first, so that the failure shows where each thread was
        (PYTHONFAULTHANDLER)."""
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=10)
            pytest.fail(f"the daemon was still running {timeout:g} s after SIGTERM:\n{self.text()}")
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, self.text()
        return self.text()


def test_daemon_restart_keeps_schedule(project: Project, hostile: HostileServer, slack) -> None:  # type: ignore[no-untyped-def]
    """next_due is stored: a restarted daemon does not re-poll a source polled a moment ago."""
    hostile.slow_seconds = 0
    project.configure([{"name": "slow", "url": hostile.url("/slow"), "interval": "1h"}])
    first = _daemon(project, bot_env(slack))
    log = _Stderr(first)
    assert log.wait_for(" cycle 1: "), log.lines  # polled, stored, alerted
    log.stop(first)
    assert hostile.hits["/slow"] == 1
    # A source added before the restart is due at once: its cycle is the event that proves the second
    # daemon has read the schedule, and "slow" (due in an hour) must not be in that cycle.
    project.configure(
        [
            {"name": "slow", "url": hostile.url("/slow"), "interval": "1h"},
            {"name": "added", "url": hostile.url("/good"), "interval": "1h"},
        ]
    )
    second = _daemon(project, bot_env(slack))
    log = _Stderr(second)
    assert log.wait_for(" cycle 1: "), log.lines
    log.stop(second)
    assert hostile.hits["/slow"] == 1 and hostile.hits["/good"] == 1
    assert "1 sources" in next(ln for ln in log.lines if " cycle 1: " in ln), log.lines
    assert len([m for m in slack.messages if "Okta" in m["text"]]) == 1


def _worker_sigint_handler() -> object:
    import signal as _signal

    return _signal.getsignal(_signal.SIGINT)


def test_parser_workers_leave_ctrl_c_to_the_main_process() -> None:
    """Ctrl-C reaches the whole process group; workers must not die mid-parse."""
    from monitor.sources.parse import ParserPool

    pool = ParserPool.shared()
    assert pool.result(pool.submit(_worker_sigint_handler)) == signal.SIG_IGN


# ---------------------------------------------------------------- edits while running


def _lines_of(stream) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect a process's stderr as it comes (the daemon runs until told to stop)."""
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True).start()
    return lines


def _wait_for(condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_daemon_takes_edits_to_vendors_and_feeds_without_a_restart(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """A vendor added to vendors.csv is matched from the next cycle and a source added to feeds.yaml is
    polled; an edit that does not validate is reported with its file and line, and changes nothing."""
    from conftest import VENDORS_CSV
    from werkzeug import Response

    roundup = Entry("Weekly roundup", "https://news.example/roundup", "", "r1", T0)
    acme = Entry(
        "Acme Widgets hit by ransomware, customer data stolen",
        "https://news.example/acme",
        "Acme Widgets confirmed the attack.",
        "a1",
        T0 + timedelta(minutes=5),
    )
    feed = {"body": rss2([roundup])}
    httpserver.expect_request("/news").respond_with_handler(
        lambda request: Response(feed["body"], content_type="application/rss+xml")
    )
    okta = Entry("Okta confirms breach of support system", "https://more.example/okta", "Files were stolen.", "o1", T0)
    httpserver.expect_request("/more").respond_with_data(rss2([okta]), content_type="application/rss+xml")
    news = {"name": "news", "url": httpserver.url_for("/news"), "interval": "1s"}
    project.configure([news])
    proc = _daemon(project, bot_env(slack))
    err = _lines_of(proc.stderr)
    try:
        _wait_for(lambda: any(" cycle 1: " in ln for ln in err), "the first cycle")

        broken = VENDORS_CSV + "Acme Widgets Ltd,Acme Widgets,,extreme,,,\n"
        project.vendors_path.write_text(broken, encoding="utf-8")
        _wait_for(lambda: any("not reloaded" in ln for ln in err), "the broken edit to be reported")
        refused = next(ln for ln in err if "not reloaded" in ln)
        assert "vendors.csv:8" in refused and "criticality" in refused

        project.vendors_path.write_text(VENDORS_CSV + "Acme Widgets Ltd,Acme Widgets,,high,,,\n", encoding="utf-8")
        _wait_for(
            lambda: any("reloaded feeds.yaml and vendors.csv: 1 sources, 7 vendors" in ln for ln in err),
            "the fixed edit to be taken",
        )
        feed["body"] = rss2([roundup, acme])
        _wait_for(lambda: any("Acme Widgets" in m["text"] for m in slack.messages), "the new vendor's alert")

        project.configure([news, {"name": "more", "url": httpserver.url_for("/more"), "interval": "1h"}])
        _wait_for(lambda: any("Okta confirms breach" in m["text"] for m in slack.messages), "the new source's alert")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not [ln for ln in err if "Traceback" in ln]
    assert len([m for m in slack.messages if "Acme Widgets" in m["text"]]) == 1


def test_an_edit_that_moves_the_database_is_refused(project: Project, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """A running daemon cannot change the database under itself: it says so and keeps what it had."""
    from monitor.alerting.slack import sender_from_env
    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline.cycle import Monitor
    from monitor.pipeline.daemon import reload_if_edited, watched_files
    from monitor.storage.store import Store

    project.configure([{"name": "news", "url": "http://127.0.0.1:9/feed"}])
    cfg = load_config(project.config_path)
    with Store(cfg.database) as store:
        monitor = Monitor(cfg, load_vendors(cfg.vendors), store, sender_from_env())
        watch = watched_files(monitor)
        project.configure(
            [{"name": "news", "url": "http://127.0.0.1:9/feed"}, {"name": "more", "url": "http://127.0.0.1:9/b"}],
            database=str(tmp_path / "elsewhere.db"),
        )

        def reload():  # type: ignore[no-untyped-def]
            edited = load_config(project.config_path)
            return edited, load_vendors(edited.vendors), sender_from_env()

        with caplog.at_level(logging.ERROR, logger="monitor.daemon"):
            reload_if_edited(monitor, watch, reload)
        assert monitor.config is cfg and [s.name for s in monitor.config.sources] == ["news"]
    assert "database: changed from" in caplog.text and "restart monitor to use another database" in caplog.text


def test_a_stop_signal_delivered_to_another_thread_still_wakes_the_sleeping_daemon() -> None:
    """The kernel may deliver SIGTERM to any thread of the process, and Python runs its handler only when the
    main thread next runs Python code. The daemon's sleep between cycles must come back for it: one hour-long
    wait() never did, and the daemon outlived the signal (a full suite under load caught it)."""
    from monitor.pipeline import daemon

    stop = threading.Event()
    with daemon.StopOnSignal(stop):

        def signal_this_thread() -> None:
            time.sleep(0.2)
            signal.pthread_kill(threading.get_ident(), signal.SIGTERM)

        threading.Thread(target=signal_this_thread, daemon=True).start()
        started = time.monotonic()
        daemon.sleeper(stop)(20)
        woke = time.monotonic() - started
    assert stop.is_set() and woke < 5, f"the sleep went on {woke:.1f} s after a SIGTERM to another thread"


def test_a_stop_signal_landing_inside_stop_wait_still_stops_the_daemon(caplog: pytest.LogCaptureFixture) -> None:
    """Python runs a signal handler in the main thread wherever that thread is, also inside
    stop.wait() holding the Event's lock (not reentrant): a handler that set the stop there waited for
    itself forever. A thread holding that lock stands in for the main thread caught there."""
    from monitor.pipeline import daemon

    stop = threading.Event()
    with caplog.at_level(logging.INFO, logger="monitor.daemon"), daemon.StopOnSignal(stop) as on_signal:
        assert signal.getsignal(signal.SIGTERM) is on_signal

        def caught_inside_wait() -> None:
            with stop._cond:  # type: ignore[attr-defined]  # where Event.wait() holds its lock
                on_signal(signal.SIGTERM, None)

        landed = threading.Thread(target=caught_inside_wait, daemon=True)
        landed.start()
        landed.join(5)
        assert not landed.is_alive(), "the stop signal's handler is stuck on the lock its own thread holds"
        assert stop.wait(5)
    assert "SIGTERM received: finishing the current cycle, then exiting" in caplog.text
    assert signal.getsignal(signal.SIGTERM) is not on_signal  # the handler before the daemon's is back
