"""Routing against a Slack that refuses an empty channel: with routes for some criticalities and no
default channel, the other alerts have nowhere to go. The old stand-in accepted channel "" and counted
those alerts as sent; Slack answers channel_not_found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alert_support import Feed
from conftest import Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
TOYOTA = Entry(
    "トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW
)  # medium
OKTA = Entry("Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW)


def _routes_only(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(TOYOTA, OKTA)
    project.configure([feed.source], slack={"routes": {"critical": "C0INCIDENT"}})  # no slack.channel
    env = bot_env(slack)
    del env["SLACK_CHANNEL"]
    return project.run("run", "--once", env=env)


def test_routes_without_a_default_channel_are_refused_before_anything_is_posted(  # type: ignore[no-untyped-def]
    project, httpserver, slack
) -> None:
    """Health alerts and unrouted criticalities have nowhere to go: the run and `check` say so, naming
    slack.channel, and nothing is posted to channel "" (which the old stand-in counted as sent)."""
    result = _routes_only(project, httpserver, slack)
    assert result.exit_code == 2
    assert "slack.channel" in result.stderr and "SLACK_CHANNEL" in result.stderr
    assert slack.posts() == []
    check = project.run("check")
    assert check.exit_code == 2 and "slack.channel" in check.output
