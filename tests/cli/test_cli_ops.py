"""Issue 22, "the CLI in pipes and daemons": the daemon says when each source is next polled, takes a
shortened interval at once, shows routine lines by default and hides them under -q (cron), and a new
html source whose selectors match nothing is flagged on its first poll instead of shown as ✓."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

from conftest import Entry, Project, bot_env, os_env_without_slack, rss2
from test_daemon import _Stderr

T0 = datetime(2024, 6, 5, 0, 0, tzinfo=UTC)
OKTA = Entry("Okta confirms breach of support system", "https://news.example/okta", "Files were stolen.", "o1", T0)
QUIET_NEWS = Entry("Weekly roundup", "https://news.example/roundup", "", "r1", T0)


def _daemon(project: Project, *flags: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The real command in its own process, as systemd runs it (logging set up once, for real)."""
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", *flags, "--config", str(project.config_path), "run"],
        cwd=project.root,
        env={**os_env_without_slack(), "PYTHONFAULTHANDLER": "1", **(env or {})},
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _once(project: Project, *flags: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    args = [sys.executable, "-m", "monitor", *flags, "--config", str(project.config_path), "run", "--once"]
    done = subprocess.run(
        args,
        cwd=project.root,
        env={**os_env_without_slack(), **(env or {})},
        text=True,
        capture_output=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def test_daemon_shows_next_polls_at_start_and_takes_a_shortened_interval_at_once(
    project: Project, httpserver, slack
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/slow").respond_with_data(rss2([QUIET_NEWS]), content_type="application/rss+xml")
    httpserver.expect_request("/fast").respond_with_data(rss2([QUIET_NEWS]), content_type="application/rss+xml")
    slow = {"name": "slow", "url": httpserver.url_for("/slow"), "interval": "1h"}
    project.configure(
        [slow, {"name": "fast", "url": httpserver.url_for("/fast"), "interval": "1h"}], timezone="Asia/Tokyo"
    )
    code, _out, err = _once(project, env=bot_env(slack))
    assert code == 0, err
    # The operator shortens "fast" from an hour to a second: the next_due stored under 1h must not win.
    project.configure(
        [slow, {"name": "fast", "url": httpserver.url_for("/fast"), "interval": "1s"}], timezone="Asia/Tokyo"
    )
    proc = _daemon(project, env=bot_env(slack))
    log = _Stderr(proc)
    assert log.wait_for(" cycle 1: "), log.lines
    text = log.stop(proc, timeout=60)
    started = next(ln for ln in text.splitlines() if "daemon started: 2 sources" in ln)
    assert " INFO " in started  # routine, at INFO, and shown without -v
    slow_line = next(ln for ln in text.splitlines() if "slow: next poll at" in ln)
    # An hour less up to 10% jitter, in the configured timezone.
    assert re.search(r"next poll at \d{4}-\d\d-\d\d \d\d:\d\d JST \(in (5[3-9]|60) min\)", slow_line), slow_line
    assert re.search(r"fast: (polled now|next poll at .* \(in [0-2] s\))", text), text
    cycle = next(ln for ln in text.splitlines() if " cycle 1: " in ln)
    assert "1 sources (0 failed)" in cycle  # only "fast": "slow" keeps its hour
    polled = [r.path for r, _ in httpserver.log]
    assert polled.count("/fast") >= 2 and polled.count("/slow") == 1


def test_quiet_keeps_cron_silent_unless_something_is_wrong(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/news").respond_with_data(rss2([OKTA]), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/news")}])
    code, out, err = _once(project, "-q", env=bot_env(slack))
    assert (code, out, err) == (0, "", "")
    assert len([m for m in slack.messages if "Okta" in m["text"]]) == 1  # it did its work, silently

    code, out, err = _once(project, env=bot_env(slack))  # without -q: a line per source and the summary
    assert code == 0 and "✓ news:" in err and "0 new articles" in err

    project.configure(
        [{"name": "news", "url": httpserver.url_for("/news")}, {"name": "down", "url": "http://127.0.0.1:9/feed"}]
    )
    code, out, err = _once(project, "-q", env=bot_env(slack))
    assert code == 0 and out == ""
    assert err.startswith("✗ down: ") and "news" not in err and len(err.splitlines()) == 1


def test_quiet_daemon_logs_no_routine_lines(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/news").respond_with_data(rss2([OKTA]), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/news"), "interval": "1h"}])
    proc = _daemon(project, "-q", env=bot_env(slack))
    log = _Stderr(proc)
    db = project.db_path
    # No log line to wait for under -q: wait for the alert's delivery instead.
    import time

    deadline = time.monotonic() + 60
    while not any("Okta" in m["text"] for m in slack.messages):
        assert time.monotonic() < deadline, "the daemon never alerted"
        time.sleep(0.05)
    text = log.stop(proc, timeout=60)
    assert text == "", text
    assert sqlite3.connect(db).execute("SELECT state FROM alerts WHERE kind = 'article'").fetchall() == [("sent",)]


def test_quiet_and_verbose_together_are_refused(project: Project) -> None:
    project.configure([{"name": "news", "url": "http://127.0.0.1:9/feed"}])
    result = project.run("status")
    assert result.exit_code == 0
    from click.testing import CliRunner

    from monitor.cli import cli

    result = CliRunner().invoke(cli, ["-q", "-v", "--config", str(project.config_path), "status"])
    assert result.exit_code == 2 and "-q and -v" in result.output


PAGE = """<html><body><div class="posts"><article><h2><a href="/n/1">お知らせ</a></h2></article></div></body></html>"""


def test_new_html_source_whose_selectors_match_nothing_is_flagged_on_its_first_poll(
    project: Project, httpserver
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/news").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/feed").respond_with_data(rss2([QUIET_NEWS]), content_type="application/rss+xml")
    project.configure(
        [
            {
                "name": "corp news",
                "url": httpserver.url_for("/news"),
                "type": "html",
                "item": "ul.news li",
                "title": "a",
                "link": "a@href",
            },
            {"name": "feed", "url": httpserver.url_for("/feed")},
        ]
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.stderr.splitlines() if "corp news" in ln)
    assert line.startswith("! corp news: 0 items") and "selectors matched nothing" in line and "ul.news li" in line
    assert "✓ feed:" in result.stderr  # a good source next to it is still ✓
    # The operator's channel hears about it, worded for a source that never had items.
    health = project.db().execute("SELECT payload FROM alerts WHERE kind = 'health'").fetchall()
    assert len(health) == 1 and "first poll" in health[0][0] and "corp news" in health[0][0]
    assert "=== ⚠️ Source returns no items: corp news" in result.stdout  # console delivery

    status = project.run("status")
    row = next(ln for ln in status.stdout.splitlines() if "corp news" in ln)
    assert row.lstrip().startswith("!") and "✓" not in row
    check = project.run("status", "--check")
    assert check.exit_code == 1 and "'corp news' returns no items" in check.output

    sources = project.run("sources", "check")
    assert sources.exit_code == 1
    row = next(ln for ln in sources.stdout.splitlines() if "corp news" in ln)
    assert row.startswith("✗") and "selectors matched nothing" in row

    # Fixed selectors: it reads, and health recovers.
    project.configure(
        [
            {
                "name": "corp news",
                "url": httpserver.url_for("/news"),
                "type": "html",
                "item": "div.posts article",
                "title": "h2 a",
                "link": "h2 a@href",
            },
            {"name": "feed", "url": httpserver.url_for("/feed")},
        ]
    )
    result = project.run("run", "--once")
    assert "✓ corp news: 1 items" in result.stderr
    assert project.run("status", "--check").exit_code == 0
