"""Issue 14: `monitor incidents merge A B` and `split ALERT` fix the incident rule's rare wrong call, and
Slack shows it: a note in each thread concerned, and later reports go to the right thread."""

from __future__ import annotations

import json

from alert_support import Feed, blocks_text
from conftest import bot_env
from test_incidents import LY_EN, LY_FOLLOW_UP, LY_JA, LY_JA2, LY_LOSS


def _incidents(project):  # type: ignore[no-untyped-def]
    return {i["id"]: i for i in json.loads(project.run("incidents", "--json").stdout)}


def test_merge_keeps_one_thread_and_says_so_in_both(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(LY_JA, LY_LOSS)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    first, loss = slack.messages
    assert "thread_ts" not in loss and set(_incidents(project)) == {1, 2}  # the rule saw two incidents

    # The analyst decides they are one event, kept as #2 (the later one: its thread is the one people follow).
    result = project.run("incidents", "merge", "2", "1", "--reason", "the laptop held the leaked data")
    assert result.exit_code == 0, result.output
    assert "merged incident #1 into #2; 2 Slack note(s) queued" in result.stderr
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    notes = slack.messages[2:]
    by_thread = {m["thread_ts"]: blocks_text(m) for m in notes}
    assert set(by_thread) == {first["ts"], loss["ts"]}
    assert "Merged by hand into incident #2" in by_thread[first["ts"]]
    assert f"https://slack.com/archives/C0GENERAL/p{loss['ts'].replace('.', '')}" in by_thread[first["ts"]]
    assert "Incident #1" in by_thread[loss["ts"]] and "2 report" not in by_thread[loss["ts"]]

    [merged] = _incidents(project).values()
    assert merged["id"] == 2 and merged["reports"] == 2 and len(merged["articles"]) == 2
    assert merged["edits"][0]["kind"] == "merge" and merged["edits"][0]["reason"] == "the laptop held the leaked data"
    assert merged["slack_thread_ts"] == loss["ts"]

    # A later report of the merged incident replies in the kept thread, not in #1's older one.
    feed.add(LY_FOLLOW_UP)
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    follow = slack.messages[-1]
    assert LY_FOLLOW_UP.link in blocks_text(follow) and follow["thread_ts"] == loss["ts"]
    # Sent once: a second delivery finds nothing to send.
    before = len(slack.messages)
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == before


def test_split_moves_a_report_out_and_notes_it_in_the_thread(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(LY_JA, LY_JA2, LY_EN)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    parent = slack.messages[0]
    [incident] = _incidents(project).values()
    english = next(a for a in incident["articles"] if a["url"] == LY_EN.link)

    result = project.run("incidents", "split", str(english["alert_id"]), "--reason", "another breach")
    assert result.exit_code == 0, result.output
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    note = slack.messages[-1]
    assert note["thread_ts"] == parent["ts"] and "Split out by hand" in blocks_text(note)
    after = _incidents(project)
    assert sorted(i["reports"] for i in after.values()) == [1, 2]
    new = next(i for i in after.values() if i["reports"] == 1)
    assert new["articles"][0]["url"] == LY_EN.link and new["edits"][0]["kind"] == "split"
    assert new["slack_thread_ts"] is None  # its report is a reply in the old thread, not a parent


def test_corrections_refuse_what_cannot_be_done_in_one_line(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(LY_JA)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    alone = _incidents(project)[1]["articles"][0]["alert_id"]
    for args, message in [
        (["merge", "1", "9"], "no incident #9"),
        (["merge", "1", "1"], "two different"),
        (["split", str(alone)], "only report of incident #1"),
        (["split", "999"], "no report alert"),
    ]:
        out = project.run("incidents", *args)
        assert out.exit_code == 1 and message in out.output and "Traceback" not in out.output, (args, out.output)
