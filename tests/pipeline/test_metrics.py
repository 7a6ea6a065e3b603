"""Issue 19: `monitor run --metrics-port PORT` serves Prometheus metrics from the running daemon:
cycles, cycle duration, items, alerts by state and source failures, scraped over real HTTP from a real
daemon process. The server listens on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Project, bot_env, os_env_without_slack
from hostile_server import HostileServer
from prometheus_client.parser import text_string_to_metric_families
from test_daemon import _Stderr


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[HostileServer]:
    server = HostileServer(tmp_path)
    yield server
    server.close()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _daemon(project: Project, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run", *args],
        cwd=project.root,
        env={**os_env_without_slack(), "PYTHONFAULTHANDLER": "1", **env},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_daemon_metrics_count_cycles_items_alerts_and_failures(project: Project, hostile: HostileServer, slack) -> None:  # type: ignore[no-untyped-def]
    project.configure(
        [
            {"name": "news", "url": hostile.url("/good"), "interval": "1h"},
            {"name": "down", "url": hostile.url("/status/503"), "interval": "1h"},
        ]
    )
    proc = _daemon(project, bot_env(slack), "--metrics-port", "0")
    try:
        log = _Stderr(proc)
        assert log.wait_for("Prometheus metrics on http://127.0.0.1:"), log.lines
        url = re.search(r"(http://127\.0\.0\.1:\d+/metrics)", "".join(log.lines)).group(1)  # type: ignore[union-attr]
        assert log.wait_for(" cycle 1: "), log.lines
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            text = response.read().decode()
        log.stop(proc, timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    m = _samples(text)
    assert m[("monitor_cycles_total", ())] == 1
    assert m[("monitor_cycle_duration_seconds_count", ())] == 1
    assert m[("monitor_cycle_duration_seconds_sum", ())] > 0
    assert m[("monitor_items_total", ())] == 1  # the one Okta report of /good
    assert m[("monitor_articles_new_total", ())] == 1
    assert m[("monitor_alerts_queued_total", ())] == 1
    assert m[("monitor_source_failures_total", (("source", "down"),))] == 1
    assert ("monitor_source_failures_total", (("source", "news"),)) not in m
    # Alerts by state are read from the database at the scrape: the alert went to the Slack stand-in.
    assert m[("monitor_alerts", (("state", "sent"),))] == 1
    assert m[("monitor_alerts", (("state", "pending"),))] == 0
    assert m[("monitor_alerts", (("state", "failed"),))] == 0
    assert m[("monitor_last_cycle_timestamp_seconds", ())] > 0


def test_metrics_listen_on_loopback_only_by_default(project: Project, hostile: HostileServer) -> None:
    import socket

    project.configure([{"name": "news", "url": hostile.url("/good"), "interval": "1h"}])
    proc = _daemon(project, {}, "--metrics-port", "0")
    try:
        log = _Stderr(proc)
        assert log.wait_for("Prometheus metrics on "), log.lines
        line = next(ln for ln in log.lines if "Prometheus metrics on " in ln)
        port = int(re.search(r":(\d+)/metrics", line).group(1))  # type: ignore[union-attr]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            assert b"monitor_cycles_total" in response.read()
        # Bound to 127.0.0.1 itself, not every address: another address of this host is refused
        # (127.0.0.2 reaches a server bound to 0.0.0.0).
        with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.2", port), timeout=5):
            pass
        log.stop(proc, timeout=60)  # SIGTERM once the metrics say it is up: a clean stop, exit 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_metrics_port_is_refused_with_once_and_when_taken(project: Project, hostile: HostileServer) -> None:
    import socket

    project.configure([{"name": "news", "url": hostile.url("/good"), "interval": "1h"}])
    result = project.run("run", "--once", "--metrics-port", "9464")
    assert result.exit_code == 2 and "--metrics-port is for the daemon" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = project.run("run", "--metrics-port", str(port))
    assert result.exit_code == 1
    assert f"--metrics-port: cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
