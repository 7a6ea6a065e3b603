"""Issue 20, loud not silent: a rejected token is an error (exit 78, logged at ERROR), `monitor slack
test` checks the settings against Slack, `monitor check` refuses Slack settings that route alerts to
no channel, and an alert with no channel never counts as sent."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime, timedelta

from alert_support import Feed, outbox
from conftest import Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry("Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW)
TOYOTA = Entry("トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW)
TOKEN = "xoxb-test-000-secret"


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------------- a rejected token


def test_rejected_token_exits_78_logs_at_error_and_keeps_every_alert_pending(
    project, httpserver, slack, caplog
) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(OKTA, TOYOTA)
    project.configure([feed.source])
    slack.rejected_tokens = {TOKEN}
    run = project.run("run", "--once", env=bot_env(slack))
    assert run.exit_code == 78, run.output
    assert "invalid_auth" in run.stderr and "monitor slack test" in run.stderr
    errors = [
        r
        for r in caplog.records
        if r.levelno == logging.ERROR and r.name.startswith("monitor") and "invalid_auth" in r.getMessage()
    ]
    assert errors, "the reason is logged at ERROR (the daemon's log shows it, not just '1 failed')"
    assert len(slack.posts()) == 1  # destination-wide: the second alert was not tried with the same token
    assert [a["state"] for a in outbox(project)] == ["pending", "pending"]
    retry = project.run("alerts", "retry", env=bot_env(slack))
    assert retry.exit_code == 78 and "invalid_auth" in retry.stderr
    assert TOKEN not in run.output + retry.output
    slack.rejected_tokens = set()  # the operator installs a good token
    fixed = project.run("alerts", "retry", env=bot_env(slack))
    assert fixed.exit_code == 0 and "2 sent" in fixed.stderr
    assert sorted(slack.posted_ids()) == [a["id"] for a in outbox(project)]


def test_daemon_logs_a_rejected_token_at_error(project, httpserver, slack, caplog, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from monitor.alerting.slack import sender_from_env
    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline.cycle import Monitor
    from monitor.pipeline.daemon import run_daemon
    from monitor.storage.store import Store

    feed = Feed(httpserver).add(OKTA)
    project.configure([feed.source])
    for k, v in bot_env(slack).items():
        monkeypatch.setenv(k, v)
    slack.rejected_tokens = {TOKEN}
    cfg = load_config(project.config_path)
    with Store(cfg.database) as store:
        monitor = Monitor(cfg, load_vendors(cfg.vendors), store, sender_from_env())
        with caplog.at_level(logging.WARNING):
            assert run_daemon(monitor, sleep=lambda _s: None, max_cycles=1) == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR and r.name.startswith("monitor")]
    assert any("invalid_auth" in e and "1 alerts pending" in e for e in errors), errors


# ---------------------------------------------------------------------- monitor slack test


def test_slack_test_checks_the_token(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).source])
    ok = project.run("slack", "test", env=bot_env(slack))
    assert ok.exit_code == 0 and "token accepted" in ok.stderr
    assert [p for p, _ in slack.requests if p.endswith("auth.test")]
    assert slack.messages == []  # no --post: nothing posted

    slack.rejected_tokens = {TOKEN}
    rejected = project.run("slack", "test", env=bot_env(slack))
    assert rejected.exit_code == 78 and "invalid_auth" in rejected.stderr and TOKEN not in rejected.output

    gone = project.run(
        "slack", "test", env={**bot_env(slack), "SLACK_API_URL": f"http://127.0.0.1:{_closed_port()}/api/"}
    )
    assert gone.exit_code == 1 and "could not be reached" in gone.stderr


def test_slack_test_post_reaches_every_configured_channel(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).source], slack={"channel": "C0GENERAL", "routes": {"critical": "C0INCIDENT"}})
    env = {k: v for k, v in bot_env(slack).items() if k != "SLACK_CHANNEL"}
    posted = project.run("slack", "test", "--post", env=env)
    assert posted.exit_code == 0, posted.output
    assert sorted(m["channel"] for m in slack.messages) == ["C0GENERAL", "C0INCIDENT"]
    assert all("metadata" not in m for m in slack.messages)  # a sample is never taken for an alert
    slack.plan = [("error", "channel_not_found")]
    wrong = project.run("slack", "test", "--post", env=env)
    assert wrong.exit_code == 78 and "channel_not_found" in wrong.stderr


def test_slack_test_without_slack_settings_says_so(project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).source])
    result = project.run("slack", "test")
    assert result.exit_code == 78 and "no Slack configured" in result.stderr


# ---------------------------------------------------------------------- channels


def test_check_refuses_routes_without_a_default_channel(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).source], slack={"routes": {"critical": "C0INCIDENT", "high": "C0RISK"}})
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": slack.url}
    check = project.run("check", env=env)
    assert check.exit_code == 2
    assert "slack.channel: missing" in check.stderr and "medium, low" in check.stderr
    run = project.run("run", "--once", env=env)
    assert run.exit_code == 2 and "slack.channel: missing" in run.stderr
    assert slack.posts() == []
    # SLACK_CHANNEL is a default channel too.
    assert project.run("check", env={**env, "SLACK_CHANNEL": "C0GENERAL"}).exit_code == 0


def test_check_refuses_an_empty_channel_name(project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).source], slack={"channel": "C0GENERAL", "routes": {"high": " "}})
    check = project.run("check")
    assert check.exit_code == 2 and "slack.routes.high: empty channel name" in check.stderr


def test_an_alert_with_no_channel_is_never_posted_nor_counted_sent(tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    """Queued to channel "" (as a route-only configuration did before): it fails with the fix."""
    from monitor.alerting.alert_rows import enqueue
    from monitor.alerting.outbox import deliver
    from monitor.alerting.slack import Message, SlackSender
    from monitor.storage.store import Store

    with Store(tmp_path / "monitor.db") as store:
        with store.write() as db:
            enqueue(store, db, kind="article", channel="", dedupe_key="a", message=Message("medium vendor", (), ""))
            enqueue(store, db, kind="article", channel="C0GENERAL", dedupe_key="b", message=Message("ok", (), ""))
            enqueue(store, db, kind="article", channel="", dedupe_key="c", message=Message("low vendor", (), ""))
        report = deliver(store, SlackSender(TOKEN, slack.url, 5, 5), min_interval=0)
        rows = list(store.db.query("SELECT channel, state, last_error, attempts FROM alerts ORDER BY id"))
    assert report.sent == 1 and report.failed == 2
    assert [r["state"] for r in rows] == ["failed", "sent", "failed"]
    assert "no Slack channel" in rows[0]["last_error"] and "no Slack channel" in rows[2]["last_error"]
    assert [r["attempts"] for r in rows] == [0, 1, 0]  # never tried, before or after a posted one
    assert [m["channel"] for m in slack.messages] == ["C0GENERAL"]
