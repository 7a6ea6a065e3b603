"""Issue 19: progress bars on long work when stderr is a terminal (the first poll of many sources,
newsroom discovery, `monitor eval`), and silence under cron (no terminal) or with -q. The terminal
is a real pseudo-terminal; the runs are real `monitor` processes against feeds on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Project, os_env_without_slack, rss2
from pytest_httpserver import HTTPServer

SOURCES = 6
NEWSROOMS = 5


def _setup(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # no robots.txt: all allowed
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")
    httpserver.expect_request("/news").respond_with_data(rss2([]), content_type="application/rss+xml")
    rooms = "".join(f"Vendor {i} Ltd,,,medium,,{httpserver.url_for('/news')}?v={i}\n" for i in range(NEWSROOMS))
    project.vendors_path.write_text("name,aliases,domains,criticality,owner,newsroom\n" + rooms, encoding="utf-8")
    project.configure([{"name": f"feed {i}", "url": httpserver.url_for("/feed") + f"?n={i}"} for i in range(SOURCES)])


def _on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run monitor with stderr on a pseudo-terminal (stdout a pipe); what the terminal showed."""
    main, side = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", *args],
        cwd=cwd,
        env=os_env_without_slack(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=side,
    )
    os.close(side)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the terminal's other side is closed (the process has exited)
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    proc.communicate(timeout=120)
    return proc.returncode, shown.decode("utf-8", "replace")


def _piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        cwd=cwd,
        env=os_env_without_slack(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_first_poll_on_a_terminal_shows_progress(project: Project, httpserver: HTTPServer) -> None:
    _setup(project, httpserver)
    code, shown = _on_terminal(["--config", str(project.config_path), "run", "--once"], project.root)
    assert code == 0, shown
    assert f"discovering {NEWSROOMS} newsrooms" in shown and f"{NEWSROOMS}/{NEWSROOMS}" in shown, shown
    total = SOURCES + NEWSROOMS
    assert f"polling {total} sources" in shown and f"{total}/{total}" in shown, shown


def test_no_progress_under_cron_or_with_q(project: Project, httpserver: HTTPServer) -> None:
    _setup(project, httpserver)
    piped = _piped(["--config", str(project.config_path), "run", "--once"], project.root)
    assert piped.returncode == 0, piped.stderr
    assert "polling" not in piped.stderr and "discovering" not in piped.stderr
    assert "\r" not in piped.stderr  # no bar redrawn in place
    assert f"{SOURCES + NEWSROOMS} sources (0 failed)" in piped.stderr  # the summary is still there
    # -q on a terminal: only problems, no bar.
    (project.root / "monitor.db").unlink()
    for extra in project.root.glob("monitor.db*"):
        extra.unlink()
    code, shown = _on_terminal(["--config", str(project.config_path), "-q", "run", "--once"], project.root)
    assert code == 0 and "polling" not in shown and "discovering" not in shown, shown


@pytest.fixture
def labelled(tmp_path: Path) -> tuple[Path, Path]:
    items = tmp_path / "ours.jsonl"
    rows = [
        {
            "id": f"okta-{i}",
            "lang": "en",
            "title": f"Okta confirms breach number {i}",
            "vendors": ["Okta Inc."],
            "breach": True,
        }
        for i in range(6)
    ]
    items.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    vendors = tmp_path / "vendors.csv"
    vendors.write_text("name,aliases\nOkta Inc.,Okta\n", encoding="utf-8")
    (tmp_path / "no-companies").mkdir()
    return items, vendors


def test_eval_shows_progress_on_a_terminal_only(labelled: tuple[Path, Path], tmp_path: Path) -> None:
    items, vendors = labelled
    args = ["eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "no-companies")]
    code, shown = _on_terminal(args, tmp_path)
    assert code == 0, shown
    assert "scoring the" in shown and "6/6" in shown, shown
    piped = _piped(args, tmp_path)
    assert piped.returncode == 0, piped.stderr
    assert "scoring" not in piped.stderr and "6/6" not in piped.stderr
    assert "matching" in piped.stdout.lower()  # the scores themselves are printed either way
