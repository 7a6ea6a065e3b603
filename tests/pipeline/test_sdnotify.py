"""Issue 19: the daemon speaks systemd's notification protocol (Type=notify with a watchdog): READY=1
once its configuration is loaded, WATCHDOG=1 while it runs (more often than half WatchdogSec, also
between polls an hour apart), STATUS= lines, STOPPING=1 on SIGTERM. Checked on a real unix datagram
socket, as systemd would hold it, against a real daemon process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Project, bot_env, os_env_without_slack
from hostile_server import HostileServer

from monitor.sdnotify import Notifier


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[HostileServer]:
    server = HostileServer(tmp_path)
    yield server
    server.close()


class Systemd:
    """systemd's end of $NOTIFY_SOCKET: a bound datagram socket collecting what the service says."""

    def __init__(self, address: str):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(address)
        self.messages: list[str] = []

    def wait_for(self, line: str, timeout: float = 60) -> bool:
        """Read datagrams until one carries `line` (or the time is up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                message = self.sock.recv(4096).decode()
            except TimeoutError:
                break
            self.messages.append(message)
            if line in message.split("\n"):
                return True
        return False

    def lines(self) -> list[str]:
        return [ln for m in self.messages for ln in m.split("\n")]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def systemd() -> Iterator[tuple[Systemd, str]]:
    folder = tempfile.mkdtemp(dir="/tmp")  # a unix socket path must stay under 108 bytes
    path = os.path.join(folder, "notify")
    s = Systemd(path)
    yield s, path
    s.close()
    os.unlink(path)
    os.rmdir(folder)


def test_daemon_tells_systemd_ready_alive_and_stopping(
    project: Project, hostile: HostileServer, slack, systemd
) -> None:  # type: ignore[no-untyped-def]
    listener, path = systemd
    project.configure([{"name": "news", "url": hostile.url("/good"), "interval": "1h"}])
    env = {**os_env_without_slack(), **bot_env(slack), "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run"],
        cwd=project.root,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert listener.wait_for("READY=1"), listener.messages
        assert any(ln.startswith("STATUS=started: 1 sources") for ln in listener.lines()), listener.messages
        assert listener.wait_for("WATCHDOG=1"), listener.messages
        # The first cycle's summary becomes the unit's status line (`systemctl status monitor`).
        deadline = time.monotonic() + 60
        while not any(ln.startswith("STATUS=cycle 1: 1 sources (0 failed)") for ln in listener.lines()):
            assert time.monotonic() < deadline and listener.wait_for("WATCHDOG=1", 5), listener.messages
        # The next poll is an hour away: the watchdog (3 s) is still told, well within its timeout,
        # and only the watchdog is woken for: no extra delivery ticks reading Slack back each second.
        assert listener.wait_for("WATCHDOG=1", timeout=2.5), listener.messages
        calls = len(slack.requests)
        for _ in range(3):
            assert listener.wait_for("WATCHDOG=1", timeout=2.5), listener.messages
        assert len(slack.requests) == calls, slack.requests[calls:]
        assert hostile.hits["/good"] == 1
        proc.send_signal(signal.SIGTERM)
        assert listener.wait_for("STOPPING=1"), listener.messages
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "STATUS=stopped after 1 cycles" in listener.lines()
    assert "Traceback" not in err


def test_abstract_namespace_socket_is_reached() -> None:
    """NOTIFY_SOCKET=@name is Linux's abstract namespace (no file): a leading NUL byte."""
    name = f"monitor-test-{os.getpid()}-{time.monotonic_ns()}"
    listener = Systemd("\0" + name)
    try:
        Notifier({"NOTIFY_SOCKET": "@" + name}).ready("started: 2 sources")
        assert listener.wait_for("READY=1", timeout=5)
        assert listener.lines() == ["READY=1", "STATUS=started: 2 sources"]
    finally:
        listener.close()


def test_no_watchdog_pings_for_another_process_or_without_systemd(systemd) -> None:  # type: ignore[no-untyped-def]
    listener, path = systemd
    # WATCHDOG_PID names the process systemd watches: a child that inherited the variables is not it.
    other = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000", "WATCHDOG_PID": str(os.getpid() + 1)})
    assert other.ping_every is None
    other.watchdog()
    mine = Notifier({"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "3000000", "WATCHDOG_PID": str(os.getpid())})
    assert mine.ping_every is not None and mine.ping_every < 1.5  # under half the watchdog's timeout
    mine.watchdog()
    assert listener.wait_for("WATCHDOG=1", timeout=5)
    assert listener.messages == ["WATCHDOG=1"]  # the other one sent nothing
    # Outside systemd (cron, a terminal): nothing to do, nothing raised.
    Notifier({}).ready("started")


def test_the_bundled_unit_is_type_notify_with_a_watchdog_longer_than_a_cycle() -> None:
    """The unit must not kill a daemon in a legitimately long cycle: WatchdogSec exceeds what one cycle
    can take at the default limits (fetch deadline, parse timeout, linked-notice budget, lock wait)."""
    from monitor.config import LimitsConfig
    from monitor.pipeline.cycle import LOCK_TIMEOUT

    unit = (Path(__file__).resolve().parents[2] / "deploy" / "monitor.service").read_text(encoding="utf-8")
    settings = dict(ln.split("=", 1) for ln in unit.splitlines() if "=" in ln and not ln.startswith("#"))
    assert settings["Type"] == "notify"
    value = settings["WatchdogSec"]
    assert value.endswith("min")
    watchdog = float(value[:-3]) * 60
    limits = LimitsConfig()
    longest_cycle = LOCK_TIMEOUT + limits.fetch_timeout + limits.parse_timeout + limits.article_budget
    assert watchdog > longest_cycle
