"""Issue 18: after a Slack outage, deliver everything at once. The backoff belongs to the destination:
one probe per run while Slack is down; the first run that finds it up sends every pending alert, oldest
first, an incident's first report before its thread reply. Also: the console is not paced."""

from __future__ import annotations

import types
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alert_support import Clock, Feed, outbox
from conftest import Entry, bot_env

import monitor.alerting.alert_rows
import monitor.alerting.outbox

NOW = datetime.now(UTC) - timedelta(hours=2)
WAVES = [
    [
        Entry(
            "Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW
        ),
        Entry("トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW),
    ],
    [Entry("株式会社イセトーにランサムウェア攻撃、顧客情報が流出", "https://news.example/isetoh", "", "i", NOW)],
    [
        Entry("LINEヤフー、不正アクセスで顧客情報が流出", "https://news.example/ly", "", "l", NOW),
        # A later report of the Okta incident: its thread reply must not go out before its parent.
        Entry(
            "Okta breach: support system hack exposed files of all customers",
            "https://news.example/okta-2",
            "",
            "o2",
            NOW + timedelta(minutes=30),
        ),
    ],
    [Entry("NAVER Cloud hacked: attackers stole customer data", "https://news.example/naver", "", "n", NOW)],
]

OUTAGES = {
    "connection refused": None,
    "HTTP 503": ("status", 503),
    "429 over max_retry_after": ("ratelimit", 120),
}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _attempts(project: Any) -> int:
    return sum(a["attempts"] for a in outbox(project))


@pytest.mark.parametrize("outage", list(OUTAGES))
def test_outage_over_several_runs_then_the_first_run_after_recovery_delivers_everything(
    project, httpserver, slack, clock, outage
) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver)
    project.configure([feed.source])
    env = bot_env(slack)
    if outage == "connection refused":
        slack.go_down()
    else:
        slack.default = OUTAGES[outage]
        slack.history_default = ("status", 503) if outage == "HTTP 503" else "ok"  # the whole API is down

    feed.add(*WAVES[0])
    first = project.run("run", "--once", env=env)
    assert first.exit_code == 0, first.output
    # Cron every 15 minutes for two hours; new reports keep arriving during the outage. (Long enough
    # for a per-alert backoff, 30 s doubling, to pass 15 minutes.)
    for run in range(1, 9):
        clock.advance(minutes=15)
        feed.add(*(WAVES[run] if run < len(WAVES) else []))
        before_attempts, before_requests = _attempts(project), len(slack.requests)
        result = project.run("run", "--once", env=env)
        assert result.exit_code == 0, result.output
        # One probe: one request that reached Slack (or tried to: refused connections never arrive).
        reached = len(slack.requests) - before_requests
        tried = _attempts(project) - before_attempts
        assert (tried if outage == "connection refused" else reached) == 1, result.stderr
        assert tried <= 1
    assert slack.messages == []
    pending = outbox(project, pending=True)
    assert len(pending) == 6 and {a["state"] for a in pending} == {"pending"}

    if outage == "connection refused":
        slack.come_back()
    slack.default, slack.history_default = "ok", "ok"
    clock.advance(minutes=15)
    recovered = project.run("run", "--once", env=env)
    assert recovered.exit_code == 0, recovered.output
    assert "6 sent" in recovered.stderr
    # Everything, oldest first, each exactly once.
    assert slack.posted_ids() == [a["id"] for a in pending]
    rows = {a["id"]: a for a in outbox(project)}
    assert all(a["state"] == "sent" for a in rows.values())
    okta, okta2 = (a for a in pending if a["vendor"] == "Okta Inc.")
    assert okta["incident_id"] == okta2["incident_id"], "precondition: the second Okta report joins the incident"
    reply = next(m for m in slack.messages if m["metadata"]["event_payload"]["alert_id"] == okta2["id"])
    assert reply["thread_ts"] == rows[okta["id"]]["slack_ts"]  # threaded under its parent, sent before it
    # And nothing more afterwards.
    clock.advance(hours=2)
    project.run("run", "--once", env=env)
    assert len(slack.messages) == 6


def test_a_down_slack_is_not_probed_again_before_its_backoff(project, httpserver, slack, clock) -> None:  # type: ignore[no-untyped-def]
    """The daemon delivers every minute: while Slack is down that must not be a request a minute."""
    feed = Feed(httpserver).add(*WAVES[0])
    project.configure([feed.source])
    slack.go_down()
    project.run("run", "--once", env=bot_env(slack))
    tried = _attempts(project)
    again = project.run("run", "--once", env=bot_env(slack))  # seconds later: within the 30 s backoff
    assert _attempts(project) == tried and "next probe after" in again.stderr
    slack.come_back()
    forced = project.run("alerts", "retry", env=bot_env(slack))  # the operator's retry does not wait
    assert forced.exit_code == 0 and "2 sent" in forced.stderr


def test_an_alert_refused_for_itself_does_not_keep_slack_down(project, httpserver, slack, clock) -> None:  # type: ignore[no-untyped-def]
    """channel_not_found is that alert's problem: the probe got an answer, so the rest go out."""
    feed = Feed(httpserver).add(*WAVES[0])
    project.configure([feed.source])
    slack.go_down()
    project.run("run", "--once", env=bot_env(slack))
    slack.come_back()
    slack.plan = [("error", "channel_not_found")]
    clock.advance(minutes=15)
    result = project.run("run", "--once", env=bot_env(slack))
    assert "channel_not_found" in result.stderr
    assert [a["state"] for a in outbox(project)] == ["failed", "sent"]


def _recording_time(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    import time

    slept: list[float] = []
    fake = types.SimpleNamespace(sleep=slept.append, monotonic=time.monotonic)
    monkeypatch.setattr(monitor.alerting.outbox, "time", fake)
    return slept


def test_console_output_is_not_paced_like_slack(project, httpserver, slack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(*WAVES[0], *WAVES[1], *WAVES[3])
    project.configure([feed.source], slack={"min_interval": "1s"})
    slept = _recording_time(monkeypatch)
    printed = project.run("run", "--once")  # no Slack settings: the console sender
    assert printed.exit_code == 0 and "4 sent" in printed.stderr
    assert slept == []  # 40 alerts must not take 40 s
    # The same alerts to Slack are paced: one channel, 1 s apart.
    for f in project.root.glob("monitor.db*"):
        f.unlink()
    slack_run = project.run("run", "--once", env=bot_env(slack))
    assert "4 sent" in slack_run.stderr
    assert len(slept) == 3 and all(0 < s <= 1.0 for s in slept)


def test_pacing_is_zero_for_the_console_only() -> None:
    from monitor.alerting.slack import ConsoleSender, SlackSender, WebhookSender

    assert monitor.alerting.outbox.pacing(ConsoleSender(), 1.0) == 0.0
    assert monitor.alerting.outbox.pacing(SlackSender("xoxb-x", "http://127.0.0.1:9/api/", 1, 1), 1.0) == 1.0
    assert monitor.alerting.outbox.pacing(WebhookSender("http://127.0.0.1:9/hook", 1, 1), 1.0) == 1.0


def test_deliver_to_the_console_never_sleeps(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from monitor.alerting.slack import ConsoleSender, Message
    from monitor.storage.store import Store

    slept: list[float] = []
    out = io.StringIO()
    with Store(tmp_path / "monitor.db") as store:
        with store.write() as db:
            for n in range(5):
                monitor.alerting.alert_rows.enqueue(
                    store,
                    db,
                    kind="article",
                    channel="",
                    dedupe_key=f"k{n}",
                    message=Message(f"alert {n}", (), f"alert {n}"),
                )
        report = monitor.alerting.outbox.deliver(store, ConsoleSender(out), min_interval=1.0, sleep=slept.append)
    assert report.sent == 5 and out.getvalue().count("alert ") == 5
    assert slept == [] and report.min_interval == 0.0
