"""Delivery (monitor/alerting/outbox.py) on edges no other test noticed: each test was written against a
surviving cosmic-ray mutant (README "Mutation testing")."""

from __future__ import annotations

import re
import socketserver
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed, outbox
from conftest import Entry, bot_env
from test_incidents import LY_EN, LY_FOLLOW_UP, LY_JA, LY_JA2, LY_LOSS

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


# What a corporate proxy answered to CONNECT slack.com:443 (its reason phrase is the proxy's to choose).
PROXY_REFUSAL = (
    "Forbidden: access to this site is blocked by your organisation's web filtering policy "
    "(category: Uncategorised; rule: default-deny-saas). If you need access for your work, open a ticket with "
    "the service desk quoting reference WF-20260301-0930-7731 and the full address of the site you tried to "
    "reach; requests are normally reviewed within two working days."
)


@pytest.fixture
def refusing_proxy() -> Iterator[str]:
    """An HTTPS proxy on 127.0.0.1 that refuses every CONNECT with 403 and PROXY_REFUSAL."""

    class Refuse(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            self.wfile.write(f"HTTP/1.1 403 {PROXY_REFUSAL}\r\nContent-Length: 0\r\n\r\n".encode())

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_long_connection_error_shows_its_first_300_characters_while_slack_is_down(
    project, httpserver, slack, refusing_proxy
) -> None:  # type: ignore[no-untyped-def]
    """The proxy refuses the way to Slack with a long reason: while the destination waits for its next
    probe, each run says why, with the error's first 300 characters (README: errors are cut at 300)."""
    assert len(f"URLError: <urlopen error Tunnel connection failed: 403 {PROXY_REFUSAL}>") > 300
    project.configure([Feed(httpserver).add(OKTA).source])
    env = {**bot_env(slack), "SLACK_API_URL": "https://slack.example/api/", "HTTPS_PROXY": refusing_proxy}
    first = project.run("run", "--once", env=env)
    assert "0 sent, 1 pending retry" in first.output, first.output
    held = project.run("run", "--once", env=env)
    shown = re.search(r"unavailable since \S+ \((.*)\); next probe after", held.output)
    assert shown, held.output
    assert shown[1].startswith("URLError: <urlopen error Tunnel connection failed: 403 Forbidden: access to this")
    assert len(shown[1]) == 300, shown[1]


def test_a_post_the_proxy_refused_is_sent_later_without_a_history_search(
    project, httpserver, slack, refusing_proxy
) -> None:  # type: ignore[no-untyped-def]
    """A proxy that refuses CONNECT proves the post never reached Slack: the alert waits as refused, not
    as 'outcome unknown', and once the way is open it is posted without searching Slack's history first."""
    project.configure([Feed(httpserver).add(OKTA).source])
    blocked = {**bot_env(slack), "SLACK_API_URL": "https://slack.example/api/", "HTTPS_PROXY": refusing_proxy}
    first = project.run("run", "--once", env=blocked)
    assert "0 sent, 1 pending retry" in first.output and "outcome unknown" not in first.output, first.output
    retry = project.run("alerts", "retry", env=bot_env(slack))
    assert "1 sent" in retry.output, retry.output
    assert [p for p, _ in slack.requests if p.endswith("conversations.history")] == []
    assert len(slack.messages) == 1


def test_a_rate_limit_still_refused_after_the_waits_is_not_said_to_be_over_max_retry_after(
    project, httpserver, slack
) -> None:  # type: ignore[no-untyped-def]
    """Slack answers 429 with Retry-After: 0 three times: the client waits it out twice (within
    slack.max_retry_after), then gives up. The run says so; it does not claim the wait was over
    slack.max_retry_after, which would send the operator to raise a setting that changes nothing."""
    project.configure([Feed(httpserver).add(OKTA).source], slack={"max_retry_after": "30s"})
    slack.plan = [("ratelimit", 0)] * 3
    run = project.run("run", "--once", env=bot_env(slack))
    assert len(slack.posts()) == 3 and slack.messages == []  # tried three times, refused each time
    assert "Slack rate limit (still refused after waiting out Retry-After 0s 2 times)" in run.output, run.output
    assert "max_retry_after" not in run.output, run.output
    assert [a["state"] for a in outbox(project)] == ["pending"]


def test_a_report_whose_first_post_was_printed_is_posted_after_a_switch_to_the_bot(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """SLACK_CHANNEL was set before the token: the console printed an incident's first post (the outbox
    keeps the console's marker, not a Slack ts). After the token is added, a later report of that
    incident has no Slack thread to go into: it is posted as a message of its own, not left pending
    for a parent that will never have a ts."""
    a, b = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B")
    a.add(LY_JA)
    project.configure([a.source, b.source])
    printed = project.run("run", "--once", env={"SLACK_CHANNEL": "C0GENERAL"})
    assert printed.exit_code == 0 and "incident #1 (new)" in printed.output, printed.output
    b.add(LY_JA2)
    bot = project.run("run", "--once", env=bot_env(slack))
    assert bot.exit_code == 0 and "1 sent" in bot.output, bot.output
    assert [(a["incident_id"], a["state"]) for a in outbox(project)] == [(1, "sent"), (1, "sent")]
    [report] = slack.messages
    assert "thread_ts" not in report and "Another report on incident #1" in report["text"]


def test_an_alert_slack_stored_by_a_clock_300_s_behind_ours_is_found_not_posted_again(
    project, httpserver, slack, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The answer to a post is lost after Slack stored it. Slack's clock runs just under 300 s behind
    ours, so the message's ts is that much before the outbox's sending mark: the next run still finds
    it in the history (searched from 300 s before the mark; `oldest` is exclusive) and does not post
    the alert twice."""
    import monitor.clock

    mark = datetime.fromtimestamp(int(time.time()), UTC)  # our clock, frozen on a whole second
    now = [mark]
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: now[0])
    slack.wall = lambda: mark.timestamp() - 299.999  # Slack's: 299.999 s behind when it stores the post
    project.configure([Feed(httpserver).add(OKTA).source])
    slack.plan = ["drop_after_record"]
    lost = project.run("run", "--once", env=bot_env(slack))
    assert "0 sent, 1 pending retry" in lost.output and len(slack.messages) == 1, lost.output
    now[0] = mark + timedelta(minutes=15)  # past the destination's backoff
    retry = project.run("run", "--once", env=bot_env(slack))
    assert retry.exit_code == 0, retry.output
    assert len(slack.posts()) == 1 and len(slack.messages) == 1, "the alert was posted twice"
    [row] = outbox(project)
    assert row["state"] == "sent" and row["slack_ts"] == slack.messages[0]["ts"]


def test_after_a_rate_limit_the_incidents_top_message_waits_for_the_next_cycle(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    """Slack took one reply of an incident, then answered 429 with a Retry-After over
    slack.max_retry_after: nothing more is called in that cycle, not even the chat.update that brings
    the incident's top-level message up to date. The next cycle sends the other reply and updates it."""
    a, b, c = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B"), Feed(httpserver, "/c", "Outlet C")
    a.add(LY_JA)
    project.configure([a.source, b.source, c.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    b.add(LY_JA2)
    c.add(LY_EN)
    slack.plan = ["ok", ("ratelimit", 9999)]
    held = project.run("run", "--once", env=bot_env(slack))
    assert "Slack rate limit" in held.output and len(slack.messages) == 2, held.output
    assert [p for p, _ in slack.requests if p.endswith("chat.update")] == []
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    parent, *replies = slack.messages
    assert [r["thread_ts"] for r in replies] == [parent["ts"]] * 2
    assert len([p for p, _ in slack.requests if p.endswith("chat.update")]) == 1


def test_the_per_cycle_cap_counts_the_posts_slack_refused_too(tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    """limits.max_alerts_per_cycle bounds the posts tried in a cycle, refused ones included: while Slack
    answers every other post with a transient error, a cap of 5 still makes 5 posts, not more."""
    from test_claims import _store_with_alerts

    from monitor.alerting.outbox import deliver
    from monitor.alerting.slack import SlackSender

    store = _store_with_alerts(tmp_path / "m.db", 20)
    slack.plan = ["ok", ("error", "team_added_to_org")] * 10
    report = deliver(store, SlackSender(TOKEN, slack.url, 5, 5), min_interval=0, limit=5)
    assert (
        (report.sent, report.refused, report.retrying) == (3, 2, 2)
        and report.stopped
        and report.stopped.startswith("per-cycle cap")
    )
    assert len(slack.posts()) == 5
    store.close()


def _more() -> list[Entry]:
    return [Entry("Box confirms breach of file sharing service", "https://news.example/box", "", "b", NOW)]


def test_an_alert_refused_for_a_passing_reason_is_tried_at_most_three_times_in_a_run(
    project, httpserver, slack
) -> None:  # type: ignore[no-untyped-def]
    """A run goes over the pending alerts at most three times (README, "Alerts, incidents, feedback"). An
    incident's first report refused each time (another alert sent in between, so Slack is not marked down)
    is tried three times and then waits, with its incident's reply, for the next try."""
    a, b, c = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B"), Feed(httpserver, "/c", "Outlet C")
    a.add(LY_JA)
    b.add(OKTA)
    c.add(LY_JA2)  # LY_JA's incident: a reply in its thread
    project.configure([a.source, b.source, c.source])
    refused = ("error", "team_added_to_org")
    slack.plan = [refused, "ok", refused, refused]  # LY_JA, Okta, LY_JA, LY_JA
    first = project.run("run", "--once", env=bot_env(slack))
    assert len(slack.posts()) == 4 and len(slack.messages) == 1, first.output
    # One alert was tried and left for a retry, three times over: it is counted once.
    assert "1 sent, 1 pending retry" in first.output, first.output
    assert sorted(a["state"] for a in outbox(project)) == ["pending", "pending", "sent"]
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0  # probes at once
    okta, parent, reply = slack.messages
    assert "thread_ts" not in parent and reply["thread_ts"] == parent["ts"]
