"""Issue 14, the Slack shape: one top-level message per incident, kept current with chat.update; later
reports in its thread, shown in the channel too (reply_broadcast) only when they change the picture;
without threads, one summary per incident per day. Driven through `monitor run --once` against feeds on
127.0.0.1 and the Slack stand-in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alert_support import Clock, Feed, blocks_text, morning, outbox
from conftest import Entry, bot_env
from slack_sdk import WebClient
from test_incidents import LY_EN, LY_JA, LY_JA2, LY_LOSS

import monitor.alerting.incident_thread

# One incident told over a week: investigated, then a confirmed leak ten times larger, then the final report.
PROBE = Entry(
    "LINEヤフーに不正アクセス、約4万件の利用者情報が流出した可能性 調査中",
    "https://a.example/1",
    "LINEヤフーは外部からの不正アクセスを受け、約4万件の利用者情報が流出した可能性があるとして調査中と発表した。",
    "p1",
    morning("2023-11-20"),
)
SAME = Entry(
    "LINEヤフー不正アクセス、委託先経由の侵入か",
    "https://b.example/2",
    "LINEヤフーへの不正アクセスは委託先の端末を経由した侵入とみられる。",
    "p2",
    morning("2023-11-21"),
)
CONFIRMED = Entry(
    "LINEヤフー、不正アクセスで約44万件の個人情報の流出を確認",
    "https://a.example/3",
    "LINEヤフーは不正アクセスにより約44万件の個人情報の流出を確認したと発表した。",
    "p3",
    morning("2023-11-27"),
)
FINAL = Entry(
    "LINEヤフー、不正アクセス事案の最終報告を公表",
    "https://a.example/4",
    "LINEヤフーは11月に公表した不正アクセス事案について最終報告を公表した。",
    "p4",
    morning("2023-12-20"),
)


def _updates(slack: Any) -> list[dict[str, Any]]:
    return [p for path, p in slack.requests if path.endswith("chat.update")]


def _posted(slack: Any) -> list[dict[str, Any]]:
    return [p for path, p in slack.requests if path.endswith("chat.postMessage")]


def _state(message: dict[str, Any]) -> str:
    """The incident's state as the top-level message shows it ("" when it shows none)."""
    return next(
        (b["text"]["text"] for b in message.get("blocks") or [] if b.get("block_id") == "monitor_incident_state"), ""
    )


def test_the_top_level_message_shows_the_incident_as_it_grows(project, httpserver, slack):  # type: ignore[no-untyped-def]
    a, b, c = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B"), Feed(httpserver, "/c", "Outlet C")
    a.add(LY_JA)
    project.configure([a.source, b.source, c.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [parent] = slack.messages
    assert _state(parent) == "" and _updates(slack) == []  # one report: nothing to keep current yet
    first_metadata = json.loads(json.dumps(parent["metadata"]))

    b.add(LY_JA2)
    c.add(LY_EN)
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert [m.get("thread_ts") for m in slack.messages[1:]] == [parent["ts"]] * 2
    state = _state(slack.messages[0])
    assert "Incident #1" in state and "3 reports from 3 sources" in state
    assert "largest affected count *440,000*" in state  # 約44万件 and 440,000 users: one figure
    assert "first seen <!date^" in state and "2023-11-27" in state and "last seen" in state and "2023-11-29" in state
    assert f"Newest: <{LY_EN.link}|" in state  # the newest report, linked
    assert slack.messages[0]["metadata"] == first_metadata  # the alert's identity and facts kept
    assert slack.messages[0]["text"].startswith(parent["text"].split("\n")[0])
    # Updated once; a cycle with nothing new changes nothing.
    assert len(_updates(slack)) == 1
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(_updates(slack)) == 1 and len(slack.messages) == 3


def test_only_replies_that_change_the_picture_are_shown_in_the_channel(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver)
    project.configure([feed.source])
    for entry in (PROBE, SAME, CONFIRMED, FINAL):
        feed.add(entry)
        assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    parent, same, confirmed, final = slack.messages
    assert {same["thread_ts"], confirmed["thread_ts"], final["thread_ts"]} == {parent["ts"]}
    assert [bool(p.get("reply_broadcast")) for p in _posted(slack)] == [False, False, True, True]
    assert "Also sent to the channel: data leak confirmed after it was investigated" in blocks_text(confirmed)
    assert "Also sent to the channel: the final report" in blocks_text(final)
    assert "Also sent to the channel" not in blocks_text(same)
    # In the channel's history: the parent and the two broadcast replies, not the quiet one.
    history = WebClient(token=bot_env(slack)["SLACK_BOT_TOKEN"], base_url=slack.url).conversations_history(
        channel="C0GENERAL"
    )
    assert {m["ts"] for m in history["messages"]} == {parent["ts"], confirmed["ts"], final["ts"]}
    assert "Incident #1: final report" in _state(parent) and "4 reports" in _state(parent)


def test_a_much_larger_count_is_shown_in_the_channel_a_similar_one_is_not(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver)
    project.configure([feed.source])
    first = Entry(
        "LY Corp says 100,000 user records exposed in breach",
        "https://en.example/1",
        "LY Corp confirmed hackers stole the records of 100,000 users.",
        "e1",
        morning("2023-11-20"),
    )
    similar = Entry(
        "LY Corp breach: 120,000 users affected, company says",
        "https://en.example/2",
        "LY Corp said 120,000 users were affected by the breach.",
        "e2",
        morning("2023-11-21"),
    )
    larger = Entry(
        "LY Corp breach grows to 450,000 users",
        "https://en.example/3",
        "LY Corp now says 450,000 users were affected by the breach.",
        "e3",
        morning("2023-11-24"),
    )
    for entry in (first, similar, larger):
        feed.add(entry)
        assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert [bool(p.get("reply_broadcast")) for p in _posted(slack)] == [False, False, True]
    assert "affected count up from 120,000 to 450,000" in blocks_text(slack.messages[-1])
    assert "largest affected count *450,000*" in _state(slack.messages[0])


@pytest.mark.parametrize("mode", ["webhook", "console"])
def test_without_threads_later_reports_come_as_one_summary_a_day(project, httpserver, slack, monkeypatch, capsys, mode):  # type: ignore[no-untyped-def]
    clock = Clock(monkeypatch)
    clock.at(10)
    env = {"SLACK_WEBHOOK_URL": slack.webhook_url} if mode == "webhook" else {}
    a, b = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B")
    a.add(PROBE)
    project.configure([a.source, b.source])

    def run() -> str:
        result = project.run("run", "--once", env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    shown = [run()]
    b.add(SAME)
    shown.append(run())
    clock.advance(hours=3)
    a.add(
        Entry(
            "LINEヤフー不正アクセス、影響範囲を引き続き確認",
            "https://a.example/5",
            "LINEヤフーは不正アクセスの影響範囲の確認を続けている。",
            "p5",
            morning("2023-11-22"),
        )
    )
    shown.append(run())
    # The same day: the first report only; the two later ones wait for the day's summary.
    sent = slack.messages if mode == "webhook" else []
    if mode == "webhook":
        assert len(sent) == 1
    else:
        assert sum(o.count("===") for o in shown) == 1
    assert [r["state"] for r in outbox(project)][1:] == ["collapsed", "collapsed"]

    clock.advance(days=1)
    shown.append(run())
    shown.append(run())  # and never again
    if mode == "webhook":
        assert len(slack.messages) == 2
        summary = slack.messages[1]
        assert summary["text"].startswith("2 more reports about incident #1 on ")
        assert SAME.link in blocks_text(summary) and "https://a.example/5" in blocks_text(summary)
    else:
        out = "".join(shown)
        assert out.count("more reports about incident #1") == 1
        assert SAME.link in out and "https://a.example/5" in out
    assert [r["state"] for r in outbox(project)] == ["sent", "digested", "digested", "sent"]


def test_without_threads_a_report_that_changes_the_picture_is_not_held(project, httpserver, slack, monkeypatch):  # type: ignore[no-untyped-def]
    Clock(monkeypatch).at(10)
    feed = Feed(httpserver)
    project.configure([feed.source])
    env = {"SLACK_WEBHOOK_URL": slack.webhook_url}
    for entry in (PROBE, CONFIRMED):
        feed.add(entry)
        assert project.run("run", "--once", env=env).exit_code == 0
    assert len(slack.messages) == 2
    assert "Changes the picture: data leak confirmed" in blocks_text(slack.messages[1])


def test_merge_and_split_are_reflected_in_the_top_level_messages(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(LY_JA, LY_LOSS)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    first, loss = slack.messages
    assert project.run("incidents", "merge", "2", "1").exit_code == 0
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    by_ts = {m["ts"]: m for m in slack.messages}
    assert "Incident #2" in _state(by_ts[loss["ts"]]) and "2 reports from 1 source" in _state(by_ts[loss["ts"]])
    assert "Merged by hand into incident #2" in _state(by_ts[first["ts"]])

    # A split takes a report out of the incident: its top-level message counts one fewer.
    feed.add(LY_JA2)
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert "3 reports" in _state(by_ts[loss["ts"]])
    moved = next(r for r in outbox(project) if r.get("url") == LY_JA2.link or LY_JA2.link in json.dumps(r))
    assert project.run("incidents", "split", str(moved["id"])).exit_code == 0
    assert project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    assert "2 reports" in _state(by_ts[loss["ts"]])


def test_a_crash_between_a_reply_and_the_parent_update_is_repaired(project, httpserver, slack, monkeypatch):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(LY_JA)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0

    def killed(*args: Any, **kwargs: Any) -> None:
        raise SystemExit(137)  # the process dies after the reply was recorded sent, before the update

    feed.add(LY_JA2)
    with monkeypatch.context() as m:
        m.setattr(monitor.alerting.incident_thread, "update_message", killed)
        assert project.run("run", "--once", env=bot_env(slack)).exit_code == 137
    parent, reply = slack.messages
    assert reply["thread_ts"] == parent["ts"] and _state(parent) == ""

    # An update Slack fails (a 500) is left for the next run too.
    slack.script("chat.update", ("status", 500))
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert _state(slack.messages[0]) == ""

    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert "2 reports from 2 sources" in _state(slack.messages[0]) or "2 reports" in _state(slack.messages[0])
    assert len(_posted(slack)) == 2  # the reply was not sent again


def test_triage_and_incident_updates_of_the_top_level_message_keep_each_other(project, httpserver, slack):  # type: ignore[no-untyped-def]
    a, b, c = Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B"), Feed(httpserver, "/c", "Outlet C")
    a.add(LY_JA)
    b.add(LY_JA2)
    project.configure([a.source, b.source, c.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    parent = slack.messages[0]
    assert "2 reports" in _state(parent)

    # A reaction: triage writes its state into the message, and the incident's state stays.
    slack.react_as_user("C0GENERAL", parent["ts"], "eyes", "U0ANALYST")
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert "Investigating: <@U0ANALYST>" in blocks_text(parent) and "2 reports" in _state(parent)
    # Another report: the incident's update keeps the triage state.
    c.add(LY_EN)
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert "Investigating: <@U0ANALYST>" in blocks_text(parent) and "3 reports" in _state(parent)
    assert parent["metadata"]["event_payload"]["incident_id"] == 1  # the metadata as first posted
