"""Delivery (monitor/alerting/outbox.py) on edges no other test noticed: each test was written against a
surviving cosmic-ray mutant (README "Mutation testing")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alert_support import Feed, outbox
from conftest import Entry, bot_env
from test_incidents import LY_FOLLOW_UP, LY_JA, LY_LOSS

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry("Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW)
TOYOTA = Entry("トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW)
TOKEN = "xoxb-test-000-secret"


def test_an_alert_refused_with_the_token_is_reported_as_pending_retry(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """The one alert tried with a rejected token is counted as waiting for a retry (it waits for the fixed
    token), in run --once's summary and in `monitor alerts retry`'s."""
    project.configure([Feed(httpserver).add(OKTA, TOYOTA).source])
    slack.rejected_tokens = {TOKEN}
    run = project.run("run", "--once", env=bot_env(slack))
    assert run.exit_code == 78, run.output
    assert "0 sent, 1 pending retry" in run.output, run.output
    retry = project.run("alerts", "retry", env=bot_env(slack))
    assert retry.exit_code == 78 and "0 sent, 0 found already delivered, 1 still pending" in retry.output, retry.output


def test_an_alert_whose_post_was_refused_waits_for_the_next_cycle(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """Slack answered team_added_to_org (the workspace is being migrated; the API is intermittently
    unavailable): the alert stays pending for the destination's backoff, not posted again in the same
    run (the next run probes with it)."""
    project.configure([Feed(httpserver).add(OKTA).source])
    slack.plan = [("error", "team_added_to_org")]
    run = project.run("run", "--once", env=bot_env(slack))
    assert "0 sent, 1 pending retry" in run.output, run.output
    assert [a["state"] for a in outbox(project)] == ["pending"]
    later = project.run("alerts", "retry", env=bot_env(slack))
    assert "1 sent" in later.output and [a["state"] for a in outbox(project)] == ["sent"], later.output


def test_retry_failed_requeues_every_failed_alert_after_a_correction_note(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """The channel was archived while two merge notes and a later report were being sent: once it is
    restored, `alerts retry --failed` sends all three (each note into its thread, the report anew)."""
    feed = Feed(httpserver).add(LY_JA, LY_LOSS)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert project.run("incidents", "merge", "2", "1", "--reason", "one event").exit_code == 0
    feed.add(LY_FOLLOW_UP)
    slack.plan = [("error", "is_archived")] * 3
    project.run("run", "--once", env=bot_env(slack))
    failed = [a for a in outbox(project) if a["state"] == "failed"]
    assert len(failed) == 3, outbox(project)
    retry = project.run("alerts", "retry", "--failed", env=bot_env(slack))
    assert retry.exit_code == 0 and "3 sent" in retry.output, retry.output
    assert [a["state"] for a in outbox(project)] == ["sent"] * 5


def test_a_retry_after_over_an_hour_is_honoured_for_one_hour(project, httpserver, slack, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """README: a down destination is tried again no sooner than ... (or Retry-After, up to 1 h)."""
    import monitor.clock

    frozen = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: frozen)
    project.configure([Feed(httpserver).add(OKTA).source], slack={"max_retry_after": "30s"})
    slack.plan = [("ratelimit", 7200)]
    run = project.run("run", "--once", env=bot_env(slack))
    assert "Retry-After 7200s" in run.output and "next try after 2026-03-02T10:00:00Z" in run.output, run.output


def test_after_a_successful_probe_one_transient_failure_does_not_stop_delivery(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """Once the probe got through, the destination is up: a later alert's single transient failure is
    retried next cycle, and the alerts after it are still sent in this one."""
    project.configure([Feed(httpserver).add(OKTA, TOYOTA, *_more()).source])
    slack.plan = [("error", "team_added_to_org")] * 3  # three in a row: the destination is down
    project.run("run", "--once", env=bot_env(slack))
    assert [a["state"] for a in outbox(project)] == ["pending"] * 3
    slack.plan = ["ok", ("error", "team_added_to_org"), "ok"]
    retry = project.run("alerts", "retry", env=bot_env(slack))
    assert "2 sent, 0 found already delivered, 1 still pending" in retry.output, retry.output


def _more() -> list[Entry]:
    return [Entry("Box confirms breach of file sharing service", "https://news.example/box", "", "b", NOW)]
