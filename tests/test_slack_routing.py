"""Routing against a Slack that refuses an empty channel: with routes for some criticalities and no
default channel, the other alerts have nowhere to go. The old stand-in accepted channel "" and counted
those alerts as sent; Slack answers channel_not_found."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alert_support import Feed, outbox
from conftest import Entry, bot_env

NOW = datetime.now(timezone.utc) - timedelta(hours=1)
TOYOTA = Entry("トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW)  # medium
OKTA = Entry("Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW)


def _routes_only(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(TOYOTA, OKTA)
    project.configure([feed.source], slack={"routes": {"critical": "C0INCIDENT"}})  # no slack.channel
    env = bot_env(slack)
    del env["SLACK_CHANNEL"]
    return project.run("run", "--once", env=env)


def test_an_alert_with_no_channel_is_never_counted_as_sent(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    result = _routes_only(project, httpserver, slack)
    assert result.exit_code == 0, result.output
    by_vendor = {a["vendor"]: a for a in outbox(project)}
    assert by_vendor["Okta Inc."]["state"] == "sent" and by_vendor["Okta Inc."]["channel"] == "C0INCIDENT"
    toyota = by_vendor["トヨタ自動車株式会社"]
    assert toyota["state"] != "sent" and toyota["slack_ts"] is None
    assert [m["channel"] for m in slack.messages] == ["C0INCIDENT"]


@pytest.mark.xfail(strict=True, reason="product bug (pipeline.channel_for / ops_channel, owned by the outbox/alert "
                   "engineer): with slack.routes but no slack.channel and no SLACK_CHANNEL, alerts of an unrouted "
                   "criticality are posted to channel '' (Slack: channel_not_found) and `monitor check` passes the "
                   "config; expected: refused or reported naming slack.channel, nothing posted to ''")
def test_a_criticality_without_a_channel_is_reported_not_posted_to_an_empty_channel(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    result = _routes_only(project, httpserver, slack)
    assert "" not in [p[1].get("channel") for p in slack.posts()]
    assert "slack.channel" in result.stderr
