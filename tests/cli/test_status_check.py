"""`monitor status --check`: `ok` and exit 0 when monitor is doing its job; otherwise exit 1 and one line
naming what is wrong. The database is made by real runs (feeds on 127.0.0.1, the Slack stand-in)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import SwitchableSource
from conftest import Entry, Project, bot_env, rss2

import monitor.clock

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
GOOD = rss2(
    [
        Entry(
            "Okta confirms breach of support system",
            "https://news.example/okta",
            "Okta said attackers stole customer files.",
            "g1",
            NOW,
        )
    ]
)
QUIET = rss2([Entry("Weekly roundup: nothing to see", "https://news.example/roundup", "", "g2", NOW)])


@pytest.fixture
def setup(project: Project, httpserver, slack):  # type: ignore[no-untyped-def]
    switch = SwitchableSource(QUIET)
    httpserver.expect_request("/switch").respond_with_handler(switch)
    httpserver.expect_request("/good").respond_with_data(GOOD, content_type="application/rss+xml")
    project.configure(
        [
            {"name": "Switch", "url": httpserver.url_for("/switch")},
            {"name": "Good", "url": httpserver.url_for("/good")},
        ],
        interval="10m",
        health={"failure_threshold": 2},
    )
    return project, switch, slack


def _check(project: Project) -> tuple[int, str]:
    result = project.run("status", "--check")
    return result.exit_code, result.stdout.strip()


def _run(project: Project, env: dict[str, str]) -> None:
    result = project.run("run", "--once", env=env)
    assert result.exit_code == 0, result.output


def test_ok_after_a_healthy_run_and_never_run_is_not_ok(setup) -> None:  # type: ignore[no-untyped-def]
    project, _switch, slack = setup
    code, line = _check(project)
    assert code == 1 and line.startswith("no database at ") and "never run" in line
    assert not project.db_path.exists()  # the check did not create it
    _run(project, bot_env(slack))
    assert _check(project) == (0, "ok")
    assert json.loads(project.run("status", "--check", "--json").stdout) == {"ok": True, "problems": []}


def test_a_source_failing_past_its_threshold_fails_the_check(setup) -> None:  # type: ignore[no-untyped-def]
    project, switch, slack = setup
    _run(project, bot_env(slack))
    switch.status, switch.body = 500, b"oops"
    _run(project, bot_env(slack))
    assert _check(project) == (0, "ok")  # one failure: below the threshold of 2
    _run(project, bot_env(slack))
    code, line = _check(project)
    assert code == 1 and "\n" not in line
    assert line.startswith("source 'Switch' failing (2 failures in a row, threshold 2): HTTP 500")
    switch.status, switch.body = 200, QUIET
    _run(project, bot_env(slack))
    assert _check(project) == (0, "ok")


def test_a_failed_alert_fails_the_check_until_it_is_delivered(setup) -> None:  # type: ignore[no-untyped-def]
    project, _switch, slack = setup
    slack.default = ("error", "channel_not_found")
    _run(project, bot_env(slack))
    code, line = _check(project)
    assert code == 1
    assert line.startswith("1 alert failed (#1: Slack refused the message: channel_not_found")
    assert "monitor alerts retry --failed" in line
    slack.default = "ok"
    assert project.run("alerts", "retry", "--failed", env=bot_env(slack)).exit_code == 0
    assert _check(project) == (0, "ok")


def test_an_alert_pending_for_over_an_hour_fails_the_check(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, _switch, slack = setup
    slack.go_down()  # Slack unreachable: the alert stays pending
    _run(project, bot_env(slack))
    assert _check(project) == (0, "ok")  # pending for seconds: waiting out a backoff is normal
    # The same, had that run been 70 minutes ago: then a run now, Slack still unreachable.
    for leftover in project.root.glob("monitor.db*"):
        leftover.unlink()
    earlier = datetime.now(UTC) - timedelta(minutes=70)
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: earlier)
    _run(project, bot_env(slack))
    monkeypatch.undo()
    _run(project, bot_env(slack))  # the sources are read fine now; the alert is still not delivered
    code, line = _check(project)
    assert code == 1 and line.startswith("1 alert pending for over an hour (#1 since 70 min ago: ")
    assert "no successful poll" not in line and "Connection" in line  # the last delivery error says why


def test_no_successful_poll_for_three_intervals_fails_the_check(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, _switch, slack = setup
    # The last poll ran 31 minutes ago (3 intervals of 10m is 30m): cron or the daemon stopped since.
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: datetime.now(UTC) - timedelta(minutes=31))
    _run(project, bot_env(slack))
    monkeypatch.undo()  # the check runs now
    code, line = _check(project)
    assert code == 1
    assert line == "no successful poll for 31 min (over 3 intervals of 10m): is `monitor run` still running?"
