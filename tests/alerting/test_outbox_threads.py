"""Incident threads through delivery failures: a report of an incident goes into its first post's
thread even when that post, or the report itself, failed on the way (Slack stand-in, `monitor run --once`)."""

from __future__ import annotations

from alert_support import Feed
from conftest import bot_env
from test_incidents import LY_JA, LY_JA2


def test_first_post_refused_once_for_a_transient_reason_is_retried_and_threads_its_report_in_the_same_run(
    project, httpserver, slack
) -> None:  # type: ignore[no-untyped-def]
    a, b = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B")
    a.add(LY_JA)
    b.add(LY_JA2)
    project.configure([a.source, b.source])
    # Slack's answer while a workspace migrates: "intermittently unavailable" (retried, not an outage).
    slack.plan = [("error", "team_added_to_org")]
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    first, second = slack.messages
    assert "thread_ts" not in first and second["thread_ts"] == first["ts"]
    assert "2 sent" in result.stderr


def test_report_whose_reply_timed_out_is_found_in_the_thread_not_posted_twice(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    a, b = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B")
    a.add(LY_JA)
    project.configure([a.source, b.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    b.add(LY_JA2)
    slack.plan = ["drop_after_record"]  # Slack stores the reply, the answer never arrives
    lost = project.run("run", "--once", env=bot_env(slack))
    assert lost.exit_code == 0, lost.output
    assert "0 sent, 1 pending retry" in lost.stderr  # counted once, as not yet delivered
    retried = project.run("alerts", "retry", env=bot_env(slack))
    assert retried.exit_code == 0, retried.output
    assert "1 found already delivered" in retried.stderr
    first, reply = slack.messages  # the reply once, in the thread
    assert reply["thread_ts"] == first["ts"]
