"""Issue 22: a cycle's new items are processed oldest first, so on a fresh database the original report
opens the incident's thread and a later follow-up listed above it in the feed becomes its reply."""

from __future__ import annotations

from alert_support import Feed, blocks_text
from conftest import bot_env
from test_incidents import LY_FOLLOW_UP, LY_JA, LY_JA2


def test_the_original_report_opens_the_thread_even_when_the_feed_lists_it_last(  # type: ignore[no-untyped-def]
    project, httpserver, slack
):
    feed = Feed(httpserver).add(LY_FOLLOW_UP, LY_JA2, LY_JA)  # newest first, as feeds list them
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    posted = slack.messages
    assert len(posted) == 3
    first = posted[0]
    assert LY_JA.link in blocks_text(first) and "thread_ts" not in first
    assert [m.get("thread_ts") for m in posted[1:]] == [first["ts"], first["ts"]]
    assert LY_FOLLOW_UP.link in blocks_text(posted[2])
