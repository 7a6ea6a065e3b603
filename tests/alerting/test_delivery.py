"""Issue 6: nothing lost, nothing doubled. Slack outages, 429 storms and the slack-sdk traps, each
reproduced against the local Slack stand-in, first with the stock client (the trap) and then through
`monitor run --once` (the fix)."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alert_support import Clock, Feed, outbox
from conftest import Entry, bot_env

import monitor.alerting.slack

NOW = datetime.now(UTC) - timedelta(hours=1)
TOKEN = "xoxb-test-000-secret"
BREACHES = [
    Entry("Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW),
    Entry("トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW),
    Entry("株式会社イセトーにランサムウェア攻撃、顧客情報が流出", "https://news.example/isetoh", "", "i", NOW),
    Entry("LINEヤフー、不正アクセスで顧客情報が流出", "https://news.example/ly", "", "l", NOW),
    Entry("NAVER Cloud hacked: attackers stole customer data", "https://news.example/naver", "", "n", NOW),
]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def _run(project, slack, **env):  # type: ignore[no-untyped-def]
    result = project.run("run", "--once", env={**bot_env(slack), **env})
    assert result.exit_code == 0, result.output
    return result


def _exactly_once(slack, project):  # type: ignore[no-untyped-def]
    ids = slack.posted_ids()
    alerts = outbox(project)
    assert sorted(ids) == sorted(a["id"] for a in alerts), "every alert posted exactly once"
    assert all(a["state"] == "sent" for a in alerts)
    assert {a["slack_ts"] for a in alerts} == {m["ts"] for m in slack.messages}


# ---------------------------------------------------------------------- outages


def test_connection_refused_outage_then_recovery_delivers_each_alert_once(project, feed, slack, clock):  # type: ignore[no-untyped-def]
    feed.add(*BREACHES)
    project.configure([feed.source])
    slack.go_down()
    down = _run(project, slack)
    assert "Connection refused" in down.stderr and "left pending for the next cycle" in down.stderr
    pending = outbox(project, pending=True)
    assert len(pending) == 5 and {a["state"] for a in pending} == {"pending"}
    # Connection refused proves nothing reached Slack: no history check is needed before resending.
    assert not any(a["unconfirmed"] for a in pending)
    assert sum(1 for a in pending if a["attempts"]) == 3  # the run stopped after three failures in a row

    slack.come_back()
    clock.advance(minutes=15)
    _run(project, slack)  # the backoff is Slack's, not each alert's: all five go out, oldest first
    assert slack.posted_ids() == [a["id"] for a in pending]
    _exactly_once(slack, project)
    clock.advance(hours=2)
    _run(project, slack)
    assert len(slack.messages) == 5


@pytest.mark.parametrize("failure", [("status", 503), ("raw", 502, b"<html>Bad gateway</html>")])
def test_5xx_outage_checks_history_then_delivers_each_alert_once(project, feed, slack, clock, failure):  # type: ignore[no-untyped-def]
    feed.add(*BREACHES)
    project.configure([feed.source])
    slack.default = failure
    _run(project, slack)
    pending = outbox(project, pending=True)
    assert len(pending) == 5 and {a["state"] for a in pending} == {"pending"}
    # A 5xx may come after Slack stored the message ("fatal_error"): those are checked before a resend.
    assert sum(1 for a in pending if a["unconfirmed"]) == 3
    table = project.run("alerts", "--pending").stdout
    assert table.count("pending?") == 3

    clock.advance(minutes=15)
    _run(project, slack)  # still down: history is read (nothing there), posts fail again
    assert slack.messages == []
    slack.default = "ok"
    clock.advance(hours=2)
    _run(project, slack)
    _exactly_once(slack, project)
    assert any(p[0].endswith("conversations.history") for p in slack.requests)


def test_alerts_retry_sends_pending_now_ignoring_backoff(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(*BREACHES[:2])
    project.configure([feed.source])
    slack.go_down()
    _run(project, slack)
    slack.come_back()
    result = project.run("alerts", "retry", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    assert "2 sent" in result.stderr
    _exactly_once(slack, project)


# ---------------------------------------------------------------------- 429


def test_429_storm_retry_after_honoured_up_to_the_cap(project, feed, slack, monkeypatch):  # type: ignore[no-untyped-def]
    slept: list[float] = []
    monkeypatch.setattr(monitor.alerting.slack, "time", type("T", (), {"sleep": staticmethod(slept.append)}))
    feed.add(*BREACHES)
    project.configure([feed.source], slack={"max_retry_after": "5s"})
    slack.plan = [("ratelimit", 2), "ok", ("ratelimit", 3), ("ratelimit", 1), "ok", "ok", ("ratelimit", 4), "ok", "ok"]
    result = _run(project, slack)
    assert "5 sent" in result.stderr
    _exactly_once(slack, project)
    # Each 429 was waited out for its Retry-After (plus jitter under 0.2 s), inline, by the capped handler.
    assert [round(s) for s in slept] == [2, 3, 1, 4]


def test_huge_retry_after_leaves_alert_pending_instead_of_sleeping(project, feed, slack, clock, monkeypatch):  # type: ignore[no-untyped-def]
    slept: list[float] = []
    monkeypatch.setattr(monitor.alerting.slack, "time", type("T", (), {"sleep": staticmethod(slept.append)}))
    feed.add(*BREACHES[:3])
    project.configure([feed.source], slack={"max_retry_after": "30s"})
    slack.plan = [("ratelimit", 3600)]
    result = _run(project, slack)
    assert slept == []
    assert "rate limit" in result.stderr and "left pending for the next cycle" in result.stderr
    assert "Slack rate limit (Retry-After 3600s is over slack.max_retry_after)" in result.stderr  # Slack's own figure
    assert len(slack.posts()) == 1  # no retry inside the run, and the others were not hammered
    pending = outbox(project, pending=True)
    assert len(pending) == 3
    clock.advance(minutes=15)
    held = _run(project, slack)  # Retry-After is Slack's: honoured for the destination, not hammered
    assert len(slack.posts()) == 1 and "next probe after" in held.stderr
    clock.advance(hours=2)
    _run(project, slack)
    assert slack.posted_ids() == [a["id"] for a in pending]
    _exactly_once(slack, project)


def test_pacing_keeps_posts_to_one_channel_apart(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(*BREACHES[:3])
    project.configure([feed.source], slack={"min_interval": "0.3s"})
    _run(project, slack)
    times = [t for ch, t in slack.arrivals if ch == "C0GENERAL"]
    assert len(times) == 3
    assert all(b - a >= 0.29 for a, b in zip(times, times[1:], strict=False))


# ---------------------------------------------------------------------- slack-sdk traps


def test_trap_connection_error_retry_handler_posts_twice(slack):  # type: ignore[no-untyped-def]
    """The stock WebClient re-POSTs after a dropped connection although Slack stored the message."""
    from slack_sdk import WebClient

    client = WebClient(token=TOKEN, base_url=slack.url)  # default retry handlers
    slack.plan = ["drop_after_record", "ok"]
    client.chat_postMessage(channel="C0GENERAL", text="breach")
    assert len(slack.messages) == 2  # the duplicate


def test_dropped_connection_after_slack_stored_the_post_is_reconciled_not_resent(project, feed, slack, clock):  # type: ignore[no-untyped-def]
    feed.add(BREACHES[0])
    project.configure([feed.source])
    slack.plan = ["drop_after_record"]
    before = time.time()
    first = _run(project, slack)
    assert "outcome unknown" in first.stderr
    assert len(slack.posts()) == 1  # our client did not re-POST
    [row] = outbox(project, pending=True)
    assert row["state"] == "pending" and row["unconfirmed"]
    clock.advance(minutes=15)
    second = _run(project, slack)
    assert len(slack.messages) == 1 and len(slack.posts()) == 1
    [row] = outbox(project)
    assert row["state"] == "sent" and row["slack_ts"] == slack.messages[0]["ts"]
    history = [p for p in slack.requests if p[0].endswith("conversations.history")]
    assert history and history[0][1]["channel"] == "C0GENERAL"
    # Read from five minutes before the post was tried, not from the channel's first message.
    assert before - 302 <= float(history[0][1]["oldest"]) <= time.time() - 299
    assert "0 sent" in second.stderr


def test_a_lost_answer_is_found_in_history_pages_back_not_posted_twice(project, feed, slack, clock):  # type: ignore[no-untyped-def]
    """A busy channel: 250 messages after ours push it past the first page of history (200). The next
    run still finds our post (it follows the cursor) and does not post the alert a second time."""
    feed.add(BREACHES[0])
    project.configure([feed.source])
    slack.plan = ["drop_after_record"]
    _run(project, slack)
    for i in range(250):
        slack.post_as_user("C0GENERAL", f"chatter {i}")
    clock.advance(minutes=15)
    _run(project, slack)
    assert len(slack.posts()) == 1, "the alert was posted again"
    [row] = outbox(project)
    assert row["state"] == "sent"
    ours = [m for m in slack.messages if m.get("metadata")]
    assert [m["ts"] for m in ours] == [row["slack_ts"]]
    pages = [p for p in slack.requests if p[0].endswith("conversations.history")]
    assert len(pages) >= 2 and pages[1][1].get("cursor")  # found on a later page


def test_trap_client_timeout_raises_builtin_timeouterror(slack):  # type: ignore[no-untyped-def]
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=TOKEN, base_url=slack.url, timeout=1, retry_handlers=[])
    slack.plan = [("slow_after_record", 2.5)]
    with pytest.raises(TimeoutError) as info:
        client.chat_postMessage(channel="C0GENERAL", text="breach")
    assert not isinstance(info.value, SlackApiError)
    assert len(slack.messages) == 1  # ... and yet the message was posted


def test_client_timeout_is_reconciled_on_the_next_run(project, feed, slack, clock):  # type: ignore[no-untyped-def]
    feed.add(BREACHES[0])
    project.configure([feed.source], slack={"timeout": "1s"})
    slack.plan = [("slow_after_record", 2.5)]
    first = _run(project, slack)
    assert "TimeoutError" in first.stderr
    clock.advance(minutes=15)
    _run(project, slack)
    assert len(slack.messages) == 1 and len(slack.posts()) == 1
    _exactly_once(slack, project)


def test_unconfirmed_alert_not_found_in_history_is_sent_once(project, feed, slack, clock):  # type: ignore[no-untyped-def]
    feed.add(BREACHES[0])
    project.configure([feed.source])
    slack.plan = ["refuse"]  # connection closed before Slack read the request: unknown to us, not stored
    _run(project, slack)
    clock.advance(minutes=15)
    slack.history_plan = [("status", 500)]  # history unreadable: do not resend blind
    held_back = _run(project, slack)
    assert "cannot check Slack history" in held_back.stderr and slack.messages == []
    clock.advance(minutes=15)
    _run(project, slack)
    _exactly_once(slack, project)


def test_trap_rate_limit_handler_sleeps_without_bound(slack, monkeypatch):  # type: ignore[no-untyped-def]
    import slack_sdk.http_retry.builtin_handlers as handlers
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    slept: list[float] = []
    monkeypatch.setattr(handlers.time, "sleep", slept.append)
    client = WebClient(token=TOKEN, base_url=slack.url, retry_handlers=[RateLimitErrorRetryHandler()])
    slack.plan = [("ratelimit", 86400), "ok"]
    client.chat_postMessage(channel="C0GENERAL", text="breach")
    assert slept and slept[0] >= 86400  # a day-long sleep inside one cron run


def test_trap_webhook_send_does_not_raise(slack):  # type: ignore[no-untyped-def]
    from slack_sdk.webhook import WebhookClient

    client = WebhookClient(slack.webhook_url)
    for failure, status in ((("status", 500), 500), (("ratelimit", 5), 429), (("error", "channel_not_found"), 404)):
        slack.plan = [failure]
        assert client.send(text="breach").status_code == status  # no exception: the status is the only signal


def test_webhook_failures_are_checked_by_status(project, feed, slack, clock):  # type: ignore[no-untyped-def]
    feed.add(*BREACHES[:3])
    project.configure([feed.source])
    env = {"SLACK_WEBHOOK_URL": slack.webhook_url}
    slack.plan = [("status", 500), ("ratelimit", 9999)]
    result = project.run("run", "--once", env=env)
    assert result.exit_code == 0
    assert "webhook answered HTTP 500" in result.stderr and "rate limit" in result.stderr
    assert len(outbox(project, pending=True)) == 3
    clock.advance(hours=2)
    project.run("run", "--once", env=env)
    assert len(slack.messages) == 3
    assert all(a["state"] == "sent" for a in outbox(project))
    slack.plan = [("error", "channel_not_found")]
    feed.add(Entry("Box Inc. hacked, customer files leaked", "https://news.example/box", "", "b", NOW))
    gone = project.run("run", "--once", env=env)
    assert "webhook refused the message: HTTP 404" in gone.stderr
    assert [a["state"] for a in outbox(project, pending=True)] == ["failed"]


@pytest.mark.parametrize("error", ["channel_not_found", "invalid_blocks"])
def test_permanent_error_is_shown_not_retried_and_resent_after_a_fix(project, feed, slack, clock, error):  # type: ignore[no-untyped-def]
    feed.add(BREACHES[0], BREACHES[1])
    project.configure([feed.source], slack={"channel": "C0TYPO"})
    if error == "invalid_blocks":
        slack.add_channel("C0TYPO")  # a real channel; Slack refuses only the first message's blocks
        slack.plan = [("error", error)]
    # else: C0TYPO is no channel in the workspace, so the stand-in refuses every post to it
    result = _run(project, slack)
    assert f"Slack refused the message: {error}" in result.stderr
    assert "monitor alerts retry --failed" in result.stderr
    rows = outbox(project)
    refused = 1 if error == "invalid_blocks" else 2
    # one refused alert does not hold the other back
    assert [r["state"] for r in rows] == ["failed", "sent"] if refused == 1 else ["failed", "failed"]
    assert rows[0]["last_error"] == f"Slack refused the message: {error}"
    posts = len(slack.posts())
    for _ in range(2):
        clock.advance(hours=2)
        _run(project, slack)
    assert len(slack.posts()) == posts  # no retry loop
    # The fix: the right channel in feeds.yaml. Failed alerts are re-routed under the new configuration.
    project.configure([feed.source], slack={"channel": "C0GENERAL"})
    fixed = project.run("alerts", "retry", "--failed", env=bot_env(slack))
    assert fixed.exit_code == 0 and f"{refused} sent" in fixed.stderr
    expected = ["C0TYPO", "C0GENERAL"] if refused == 1 else ["C0GENERAL", "C0GENERAL"]
    assert [m["channel"] for m in slack.messages] == expected
    _exactly_once(slack, project)


def test_rejected_token_stops_the_run_and_loses_nothing(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(*BREACHES[:3])
    project.configure([feed.source])
    slack.plan = [("error", "invalid_auth")]
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 78  # issue 20: loud, not a silent 0
    assert "invalid_auth" in result.stderr and "token or webhook was rejected" in result.stderr
    assert len(slack.posts()) == 1  # not one failed post per alert
    states = sorted(a["state"] for a in outbox(project, pending=True))
    assert states == ["pending", "pending", "pending"]  # the token was refused, not the alerts
    fixed = project.run("alerts", "retry", env=bot_env(slack))
    assert "3 sent" in fixed.stderr
    _exactly_once(slack, project)


# ---------------------------------------------------------------------- crash mid-call


def test_crash_during_the_call_leaves_sending_and_is_reconciled(project, feed, slack):  # type: ignore[no-untyped-def]
    """`sending` is committed before the call: kill -9 the process while Slack holds the request."""
    feed.add(BREACHES[0])
    project.configure([feed.source])
    slack.plan = [("slow_after_record", 30)]
    env = {**os.environ, **bot_env(slack)}
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run", "--once"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not slack.messages and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert slack.messages, "the post never reached the stand-in"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    [row] = outbox(project)
    assert row["state"] == "sending"
    result = _run(project, slack)
    assert "1 sent" not in result.stderr
    assert len(slack.posts()) == 1
    _exactly_once(slack, project)


# ---------------------------------------------------------------------- secrets


@pytest.mark.parametrize("mode", ["bot", "webhook"])
def test_secrets_never_in_output_logs_or_database(project, feed, slack, clock, caplog, mode):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    feed.add(*BREACHES[:3])
    project.configure([feed.source])
    env = bot_env(slack) if mode == "bot" else {"SLACK_WEBHOOK_URL": slack.webhook_url}
    secret = TOKEN if mode == "bot" else slack.webhook_url
    slack.plan = ["drop_after_record", ("status", 500), ("error", "invalid_auth" if mode == "bot" else "no_service")]
    outputs = [project.run("-vvv", "run", "--once", env=env)]
    clock.advance(hours=2)
    outputs.append(project.run("-vvv", "alerts", "retry", "--failed", env=env))
    outputs.append(project.run("alerts", "--json"))
    outputs.append(project.run("incidents", "--json"))
    assert len(slack.messages) >= 3
    assert any("slack" in r.name for r in caplog.records)  # slack-sdk's own debug logging was captured
    text = "\n".join(r.output for r in outputs) + caplog.text
    assert secret not in text and "T000/B000/XXXX" not in text
    for path in Path(project.root).glob("monitor.db*"):
        data = path.read_bytes()
        assert secret.encode() not in data and b"T000/B000/XXXX" not in data
    assert json.loads(outputs[2].stdout)
