"""Issue 6: incidents, not articles. Reports of one incident from several outlets, languages and days
become one Slack thread; a 再発防止策 follow-up months later joins it; other incidents do not."""

from __future__ import annotations

import json
import re

import pytest
from alert_support import Clock, Feed, blocks_text, morning, outbox
from conftest import Entry, bot_env

from monitor.alerting.incidents import Candidate, Report, choose, counts, kinds, picture, picture_change, similarity

LY_JA = Entry(
    "LINEヤフー、NAVER Cloud経由の不正アクセスで約44万件の個人情報が流出",
    "https://ja-a.example/ly-1",
    "LINEヤフーは委託先NAVER Cloudの再委託先PCのマルウェア感染が原因と発表した。",
    "a1",
    morning("2023-11-27"),
)
LY_JA2 = Entry(
    "LINEヤフーに不正アクセス、委託先経由で利用者情報が漏えい",
    "https://ja-b.example/news/88",
    "同社によると、外部からの不正アクセスにより利用者情報が漏えいした。",
    "b1",
    morning("2023-11-28"),
)
LY_EN = Entry(
    "LY Corp says 440,000 user records leaked after breach at NAVER Cloud",
    "https://en.example/ly",
    "The Japanese messaging giant said the data of 440,000 users may have been exposed.",
    "c1",
    morning("2023-11-29"),
)
LY_LOSS = Entry(
    "LINEヤフー、社員のノートPCを紛失 顧客情報を含む",
    "https://ja-a.example/ly-2",
    "社員が業務用PCを紛失した。",
    "a2",
    morning("2023-12-05"),
)
LY_FOLLOW_UP = Entry(
    "LINEヤフー、不正アクセス事案の再発防止策を公表",
    "https://ja-a.example/ly-3",
    "LINEヤフーは昨年11月に公表した不正アクセス事案について再発防止策を発表した。",
    "a3",
    morning("2024-03-28"),
)


@pytest.fixture
def outlets(httpserver):  # type: ignore[no-untyped-def]
    return [Feed(httpserver, "/a", "Outlet A"), Feed(httpserver, "/b", "Outlet B"), Feed(httpserver, "/c", "Outlet C")]


def test_reports_of_one_incident_thread_under_the_first_post(project, outlets, slack):  # type: ignore[no-untyped-def]
    a, b, c = outlets
    a.add(LY_JA, LY_LOSS)
    b.add(LY_JA2)
    c.add(LY_EN)
    project.configure([f.source for f in outlets])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    by_url = {m["blocks"][1]["text"]["text"].split("|")[0].lstrip("*<"): m for m in slack.messages}
    first = by_url["https://ja-a.example/ly-1"]
    assert "thread_ts" not in first
    # Another outlet in Japanese (same kind: unauthorised access) and one in English (same figure:
    # 44万件 = 440,000) reply in the first post's thread.
    for url in ("https://ja-b.example/news/88", "https://en.example/ly"):
        assert by_url[url]["thread_ts"] == first["ts"], url
        assert "Another report" in blocks_text(by_url[url]) and "Incident #1" in blocks_text(by_url[url])
    assert "same figure: 440,000" in blocks_text(by_url["https://en.example/ly"])
    # A lost laptop a week later is another incident of the same vendor: a new top-level post.
    loss = by_url["https://ja-a.example/ly-2"]
    assert "thread_ts" not in loss and "Incident #2 (new)" in blocks_text(loss)

    # Four months later: the 再発防止策 follow-up goes into the original thread.
    a.add(LY_FOLLOW_UP)
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    follow = slack.messages[-1]
    assert follow["thread_ts"] == first["ts"]
    assert "Follow-up" in follow["blocks"][0]["text"]["text"]
    assert "follow-up" in blocks_text(follow)

    incidents = json.loads(project.run("incidents", "--json").stdout)
    ly = next(i for i in incidents if i["id"] == 1)
    assert ly["reports"] == 4
    assert ly["first_seen"] == "2023-11-27T09:00:00Z" and ly["last_seen"] == "2024-03-28T09:00:00Z"
    assert ly["vendors"] == ["LY Corporation", "NAVER Cloud Corp."]
    assert ly["sources"] == ["Outlet A", "Outlet B", "Outlet C"]
    assert ly["slack_thread_ts"] == first["ts"] and ly["slack_channel"] == "C0GENERAL"
    assert [r["url"] for r in ly["articles"]][-1] == "https://ja-a.example/ly-3"
    other = next(i for i in incidents if i["id"] == 2)
    assert other["reports"] == 1 and other["vendors"] == ["LY Corporation"]
    table = project.run("incidents").stdout
    assert re.search(r"#1  LY Corporation, NAVER Cloud Corp\. +4  2023-11-27  2024-03-28  ", table), table


def test_webhook_mode_names_the_incident_instead_of_threading(project, outlets, slack, monkeypatch):  # type: ignore[no-untyped-def]
    a, b, _ = outlets
    a.add(LY_JA)
    b.add(LY_JA2)
    project.configure([a.source, b.source])
    result = project.run("run", "--once", env={"SLACK_WEBHOOK_URL": slack.webhook_url})
    assert result.exit_code == 0, result.output
    [first] = slack.messages  # the later report waits for the incident's summary of the day
    Clock(monkeypatch).advance(days=1)
    assert project.run("run", "--once", env={"SLACK_WEBHOOK_URL": slack.webhook_url}).exit_code == 0
    first, summary = slack.messages
    assert "thread_ts" not in summary
    assert summary["text"].startswith("1 more report about incident #1 on ")
    assert "LINEヤフー、NAVER Cloud経由の不正アクセスで" in summary["text"] and LY_JA2.link in blocks_text(summary)


def test_same_vendor_unrelated_or_too_late_starts_a_new_incident(project, outlets, slack):  # type: ignore[no-untyped-def]
    a, _, _ = outlets
    a.add(
        LY_JA,
        # Same kind, but published two months later and not a follow-up: a new incident.
        Entry("LINEヤフーに再び不正アクセス", "https://ja-a.example/ly-9", "", "a9", morning("2024-02-01")),
    )
    project.configure([a.source])
    project.run("run", "--once", env=bot_env(slack))
    assert [("thread_ts" in m) for m in slack.messages] == [False, False]
    assert [i["reports"] for i in json.loads(project.run("incidents", "--json").stdout)] == [1, 1]
    # Why each opened its own: the first had none before it; the second says 再び (again).
    assert [r["linked_because"] for r in outbox(project)] == [
        "new incident: no recent incident of this vendor",
        "new incident: #1: the report calls it another event (“再び”)",
    ]


def test_reply_waits_for_its_thread_parent(project, outlets, slack):  # type: ignore[no-untyped-def]
    """If the first post failed transiently, the second report must not become a top-level post."""
    a, b, _ = outlets
    a.add(LY_JA)
    b.add(LY_JA2)
    project.configure([a.source, b.source])
    slack.plan = [("ratelimit", 9999)]
    project.run("run", "--once", env=bot_env(slack))
    assert slack.messages == []
    project.run("alerts", "retry", env=bot_env(slack))
    first, second = slack.messages
    assert second["thread_ts"] == first["ts"]


def test_a_report_whose_thread_parent_was_refused_for_good_is_posted_on_its_own(project, outlets, slack):  # type: ignore[no-untyped-def]
    """The incident's first post refused by Slack (invalid_blocks: it is never resent by itself): the
    next report cannot wait for a thread that will never exist, so it is posted in the channel."""
    a, b, _ = outlets
    a.add(LY_JA)
    b.add(LY_JA2)
    project.configure([a.source, b.source])
    slack.plan = [("error", "invalid_blocks")]
    result = project.run("run", "--once", env=bot_env(slack))
    assert "Slack refused the message: invalid_blocks" in result.stderr
    assert "2 alerts queued, 1 sent, 0 pending retry, 1 failed" in result.stderr
    [posted] = slack.messages
    assert "thread_ts" not in posted and "https://ja-b.example/news/88" in blocks_text(posted)
    assert [r["state"] for r in outbox(project)] == ["failed", "sent"]  # nothing left waiting


# ---------------------------------------------------------------------- the rule, unit by unit


def test_counts_are_compared_across_languages_and_units() -> None:
    assert counts("約44万件の個人情報") == counts("440,000 user records") == counts("0.44 million users") == {440000}
    assert counts("2.3 million customers") == {2300000}
    assert counts("2 servers and 3 people") == frozenset()  # small numbers are not distinctive


def test_japanese_figures_written_in_sections_are_read_whole() -> None:
    """'1億3500万件' is 135 million, not the 3500万 after the 億: a later report of 1億件 is no growth
    of the affected count, so it is not broadcast to the channel as one."""
    assert counts("顧客情報約1億3500万件が流出") == counts("135 million records exposed") == {140_000_000}
    assert counts("2万3千人分の個人情報") == counts("23,000 customers") == {23_000}
    assert counts("1億2千万件") == {120_000_000}
    before = picture(["顧客情報約1億3500万件が流出した可能性"])
    assert picture_change(before, "流出した個人情報は1億件と判明") == ""


def test_kinds_and_similarity() -> None:
    assert kinds("ランサムウェア攻撃で暗号化") == {"ransomware"}
    assert kinds("Customer emails sent to the wrong recipients") == {"misdelivery"}
    assert kinds("Okta data breach") == frozenset()  # generic: not evidence of the same incident
    names = ("okta", "okta inc")
    assert (
        similarity("Okta confirms breach of support system", "Okta support system breach: what we know", names) >= 0.5
    )
    assert similarity("Okta hit by data breach", "Okta confirms data breach at subsidiary", names) < 0.5


def test_choose_needs_evidence_and_the_window() -> None:
    base = Candidate(
        7,
        morning("2024-01-10"),
        morning("2024-01-12"),
        (Report("X社にランサムウェア攻撃", "X社にランサムウェア攻撃\n", morning("2024-01-10")),),
    )

    def pick(title: str, day: str) -> int | None:
        link = choose(Report(title, title, morning(day)), [base])
        return link.incident_id if link else None

    assert pick("X社、ランサムウェア被害の詳細を公表", "2024-01-20") == 7  # same kind within 30 days
    assert pick("X社で情報漏えい", "2024-01-20") == 7  # names no other kind while the coverage runs (issue 14)
    assert pick("X社で誤送信による情報漏えい", "2024-01-20") is None  # another kind of incident
    assert pick("X社、ランサムウェア被害で第2報", "2024-06-01") == 7  # follow-up within a year
    assert pick("X社にランサムウェア攻撃", "2024-06-01") is None  # not a follow-up: too late
    assert pick("X社、再発防止策を公表", "2024-09-01") == 7  # follow-up naming no kind: the latest incident
    assert pick("X社、再発防止策を公表", "2027-02-01") is None  # over incidents.LOOKBACK (three years)
