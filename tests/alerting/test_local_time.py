"""Issue 22: times as the team reads them. Slack shows each reader their own local time (Slack's date
token), and `timezone:` sets the digest hour, console alerts and log times."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime

from alert_support import Clock, Feed, outbox
from conftest import Entry, bot_env, os_env_without_slack

PUBLISHED = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
OKTA = Entry(
    "Okta confirms breach of support system, customer files stolen",
    "https://news.example/okta",
    "Attackers used stolen credentials.",
    "o1",
    PUBLISHED,
)
BOX = Entry("Box Inc. hacked, customer files exposed", "https://news.example/box", "", "b1", PUBLISHED)


def test_slack_shows_the_published_time_in_each_readers_zone(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(OKTA)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [msg] = slack.messages
    fields = [f["text"] for b in msg["blocks"] for f in b.get("fields") or []]
    published = next(f for f in fields if f.startswith("*Published*"))
    token = re.search(r"<!date\^(\d+)\^\{date_short_pretty\} \{time\}\|([^>]+)>", published)
    assert token, published
    assert int(token.group(1)) == int(PUBLISHED.timestamp())
    assert token.group(2) == "2024-06-05 09:00 UTC"  # for clients that cannot render the token


def test_console_alerts_and_logs_use_the_configured_timezone(project, httpserver):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(OKTA)
    project.configure([feed.source], timezone="Asia/Tokyo")
    # A real process: under CliRunner, pytest's own log capture owns the root logger.
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(project.config_path), "-v", "run", "--once"],
        capture_output=True,
        text=True,
        env=os_env_without_slack(),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "published: 2024-06-05 18:00 JST" in result.stdout + result.stderr
    log_times = re.findall(r"^(\S+) INFO ", result.stderr, re.M)
    assert log_times and all(t.endswith("+09:00") for t in log_times), log_times[:3]


def test_the_digest_hour_is_the_teams_hour(project, httpserver, slack, monkeypatch):  # type: ignore[no-untyped-def]
    """digest_hour 9 in Tokyo is 00:00 UTC: at 01:xx UTC (10:xx in Tokyo) the day's digest goes out."""
    clock = Clock(monkeypatch)
    clock.advance(hours=(25 - datetime.now(UTC).hour) % 24)  # 01:xx UTC
    feed = Feed(httpserver).add(BOX)
    project.configure([feed.source], timezone="Asia/Tokyo", slack={"digest": "daily", "digest_hour": 9})
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [digest] = slack.messages
    assert digest["text"].startswith("Daily digest: 1 low-criticality")
    assert [a["state"] for a in outbox(project)] == ["digested", "sent"]


def test_an_unknown_timezone_is_a_config_error(project, httpserver):  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).source], timezone="Asia/Tokio")
    result = project.run("check")
    assert result.exit_code == 2
    assert "timezone" in result.output and "unknown time zone 'Asia/Tokio'" in result.output
