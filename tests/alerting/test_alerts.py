"""Issue 6: what an alert says and where it goes: routes by criticality, the fourth-party chain,
supply-chain marking, owner/criticality/notes, the outbox commands, and the daily digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Clock, Feed, blocks_text, outbox
from conftest import VENDORS_CSV, Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry(
    "Okta confirms breach of support system, customer files stolen",
    "https://news.example/okta",
    "Attackers used stolen credentials.",
    "o",
    NOW,
)
ISETOH = Entry("株式会社イセトーにランサムウェア攻撃、顧客情報が流出", "https://news.example/isetoh", "", "i", NOW)
TOYOTA = Entry(
    "トヨタ自動車 情報漏えい 委託先への不正アクセスで",
    "https://news.example/toyota",
    "トヨタ自動車は委託先のサーバーが不正アクセスを受けたと発表した。",
    "t",
    NOW,
)
NAVER = Entry("NAVER Cloud hacked: attackers stole customer data", "https://news.example/naver", "", "n", NOW)
BOX = Entry("Box Inc. hacked, customer files leaked", "https://news.example/box", "", "b", NOW)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def test_critical_and_high_vendors_go_to_their_routes(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(OKTA, ISETOH, TOYOTA)
    project.configure(
        [feed.source], slack={"channel": "C0GENERAL", "routes": {"critical": "C0INCIDENT", "high": "C0VENDORRISK"}}
    )
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    where = {m["text"].split(":")[0]: m["channel"] for m in slack.messages}
    assert where == {
        "Breach at vendor naming Okta Inc.": "C0INCIDENT",
        "Breach at vendor naming ISETOH Corporation": "C0VENDORRISK",
        "Vendor's data exposed through its contractor naming トヨタ自動車株式会社": "C0GENERAL",
    }
    assert {a["channel"] for a in outbox(project)} == {"C0INCIDENT", "C0VENDORRISK", "C0GENERAL"}


def test_message_names_owner_criticality_notes_and_evidence(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(OKTA)
    project.configure([feed.source])
    project.run("run", "--once", env=bot_env(slack))
    [message] = slack.messages
    body = blocks_text(message)
    assert "<@U0IAM>" in body and "critical" in body and "Okta Inc.: Workforce SSO" in body
    assert "Why it matched" in body and "name “Okta Inc.” as “Okta” in title" in body
    [row] = outbox(project)
    assert f"Alert #{row['id']}" in body and f"monitor feedback {row['id']} --wrong-vendor" in body


def test_fourth_party_chain_is_followed_to_the_top(project, feed, slack):  # type: ignore[no-untyped-def]
    project.vendors_path.write_text(
        VENDORS_CSV + "NAVER Cloud Japan,NCJ,,medium,,NAVER Cloud Corp.,Resells NAVER Cloud\n", encoding="utf-8"
    )
    feed.add(NAVER, Entry("NAVER Cloud Japan confirms ransomware attack", "https://news.example/ncj", "", "j", NOW))
    project.configure([feed.source])
    project.run("run", "--once", env=bot_env(slack))
    naver, ncj = slack.messages
    assert "Fourth party: NAVER Cloud Corp. — supplier of LY Corporation" in blocks_text(naver)
    assert (
        "Fourth party: NAVER Cloud Japan — supplier of NAVER Cloud Corp. — supplier of LY Corporation"
        in blocks_text(ncj)
    )
    console = project.run("alerts", "--json")
    assert console.exit_code == 0


def test_supply_chain_report_is_marked(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(TOYOTA, OKTA)
    project.configure([feed.source])
    project.run("run", "--once", env=bot_env(slack))
    toyota = next(m for m in slack.messages if "トヨタ" in m["text"])
    okta = next(m for m in slack.messages if "Okta" in m["text"])
    assert toyota["blocks"][0]["text"]["text"].startswith("🟡 Vendor's data exposed through its contractor")
    assert "Supply-chain report: the entry point was a contractor / 委託先" in blocks_text(toyota)
    assert "Supply-chain" not in blocks_text(okta)


def test_alerts_command_shows_the_outbox(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(OKTA, ISETOH)
    project.configure([feed.source])
    slack.plan = ["ok", ("status", 503)]
    project.run("run", "--once", env=bot_env(slack))
    rows = outbox(project)
    assert [(r["state"], r["kind"], r["vendor"]) for r in rows] == [
        ("sent", "article", "Okta Inc."),
        ("pending", "article", "ISETOH Corporation"),
    ]
    assert rows[1]["last_error"] == "Slack answered HTTP 503 (fatal_error)" and rows[1]["unconfirmed"] is True
    assert rows[0]["title"] == OKTA.title and rows[0]["url"] == OKTA.link and rows[0]["slack_ts"]
    assert [r["id"] for r in outbox(project, pending=True)] == [rows[1]["id"]]
    table = project.run("alerts").stdout
    assert "sent" in table and "pending?" in table and "Okta confirms breach" in table


def test_daily_digest_collects_low_criticality_vendors(project, feed, slack, monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock(monkeypatch)
    clock.at(12)  # twelve hours from either side of midnight: "later the same day" really is the same day
    feed.add(OKTA, BOX)
    project.configure([feed.source], slack={"digest": "daily", "digest_hour": 0})
    project.run("run", "--once", env=bot_env(slack))
    okta, digest = slack.messages
    assert "Okta" in okta["text"]
    assert digest["text"] == "Daily digest: 1 low-criticality vendor report"
    box_alert = next(a for a in outbox(project) if a["vendor"] == "Box Inc.")
    assert box_alert["state"] == "digested"
    assert f"alert #{box_alert['id']}" in blocks_text(digest) and "Box Inc. hacked" in blocks_text(digest)

    # Later the same day: held for tomorrow's digest, and visible as not yet delivered.
    feed.add(Entry("Box confirms data breach after ransomware attack", "https://news.example/box2", "", "b2", NOW))
    project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 2
    assert [a["state"] for a in outbox(project, pending=True)] == ["held"]
    clock.advance(days=1)
    project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 3 and "Box confirms data breach" in blocks_text(slack.messages[-1])
    assert outbox(project, pending=True) == []


def test_held_alerts_are_released_when_the_digest_is_switched_off(project, feed, slack, monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock(monkeypatch)
    clock.at(1)  # before the digest hour
    feed.add(BOX)
    project.configure([feed.source], slack={"digest": "daily", "digest_hour": 23})
    project.run("run", "--once", env=bot_env(slack))
    assert slack.messages == []
    assert [a["state"] for a in outbox(project, pending=True)] == ["held"]
    project.configure([feed.source])
    project.run("run", "--once", env=bot_env(slack))
    [message] = slack.messages
    assert "Box Inc. hacked" in message["text"]
    assert json.loads(project.run("alerts", "--pending", "--json").stdout) == []


def test_a_vendor_cited_as_the_reporter_is_not_alerted_or_routed(project, httpserver, slack):  # type: ignore[no-untyped-def]
    """Okta is critical, but here it only reports another vendor's breach: the alert is about ISETOH,
    goes to ISETOH's route, and names Okta nowhere as a vendor at risk."""
    from conftest import Entry, bot_env, rss2

    entry = Entry(
        "ISETOH ransomware attack exposes customer data",
        "https://news.example/isetoh",
        "According to Okta researchers, the attackers exfiltrated customer files from ISETOH.",
    )
    httpserver.expect_request("/f").respond_with_data(rss2([entry]), content_type="application/rss+xml")
    project.configure(
        [{"name": "news", "url": httpserver.url_for("/f")}],
        slack={"channel": "C0GENERAL", "routes": {"critical": "C0INCIDENT", "high": "C0VENDORRISK"}},
    )
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    (msg,) = slack.messages
    assert msg["channel"] == "C0VENDORRISK"  # ISETOH is high; Okta's critical route is not used
    assert "ISETOH Corporation" in msg["text"] and "Okta Inc." not in json.dumps(msg["blocks"])
    row = json.loads(project.run("search", "ISETOH", "--json").stdout)[0]
    assert set(row["vendors"]) == {"ISETOH Corporation", "Okta Inc."}  # both stored as named
