"""Issue 2: the whole path through the CLI: local feeds -> SQLite -> Slack stand-in -> search."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from conftest import Entry, atom, bot_env, rdf, rss2, shared_data

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)

RSS_ENTRIES = [
    Entry(
        "Okta confirms breach of support system, customer files stolen",
        "https://news.example/okta-breach",
        "Okta said attackers used stolen credentials to access its support case system.",
        "g1",
        NOW,
    ),
    Entry(
        "Okta launches new identity governance product",
        "https://news.example/okta-launch",
        "The product is generally available today.",
        "g2",
        NOW,
    ),
    Entry(
        "Ransomware hits regional hospital",
        "https://news.example/hospital",
        "No vendor of ours is named here.",
        "g3",
        NOW,
    ),
]
SJIS_ENTRIES = [
    Entry(
        "トヨタ自動車 情報漏えい 取引先への不正アクセスで",
        "https://jp.example/toyota",
        "トヨタ自動車は委託先のサーバーが不正アクセスを受け、顧客情報が流出した可能性があると発表した。",
        None,
        NOW,
    ),
]
ATOM_ENTRIES = [
    Entry(
        "LINEヤフー、NAVER Cloud経由の不正アクセスで44万件流出",
        "https://atom.example/ly",
        "LINEヤフーは委託先NAVER Cloudの再委託先PCのマルウェア感染が原因と発表。",
        "tag:ly",
        NOW,
    ),
]


@pytest.fixture
def feeds(httpserver):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/rss").respond_with_data(rss2(RSS_ENTRIES), content_type="application/rss+xml")
    # Shift_JIS RSS 1.0 whose HTTP header says nothing about the charset.
    httpserver.expect_request("/sjis.rdf").respond_with_data(
        rdf(SJIS_ENTRIES, encoding="shift_jis"), content_type="application/xml"
    )
    httpserver.expect_request("/atom").respond_with_data(atom(ATOM_ENTRIES), content_type="application/atom+xml")
    return [
        {"name": "English news", "url": httpserver.url_for("/rss")},
        {"name": "日本語ニュース", "url": httpserver.url_for("/sjis.rdf")},
        {"name": "Atom news", "url": httpserver.url_for("/atom")},
    ]


def _texts(slack) -> list[str]:  # type: ignore[no-untyped-def]
    return [json.dumps(m, ensure_ascii=False) for m in slack.messages]


def test_bot_mode_alerts_once_per_breach_report_naming_a_vendor(project, feeds, slack):  # type: ignore[no-untyped-def]
    project.configure(feeds)
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    posted = slack.messages
    titles = sorted(m["text"] for m in posted)
    # Three breach reports name vendors; the product launch and the unrelated hospital do not alert.
    assert len(posted) == 3, titles
    joined = "\n".join(_texts(slack))
    assert "Okta confirms breach" in joined and "Okta launches" not in joined
    assert "hospital" not in joined
    assert "トヨタ自動車 情報漏えい" in joined  # Shift_JIS decoded correctly
    for m in posted:
        assert m["channel"] == "C0GENERAL"
        assert m["unfurl_links"] is False and m["unfurl_media"] is False
        assert m["blocks"] and m["text"]
        assert m["metadata"]["event_payload"]["alert_id"]

    okta = next(m for m in posted if "Okta confirms" in m["text"])
    body = json.dumps(okta["blocks"], ensure_ascii=False)
    assert "Okta Inc." in body  # registered name, exactly as written
    assert "https://news.example/okta-breach" in body
    assert "English news" in body and "2024-06-05" in body
    assert "critical" in body and "<@U0IAM>" in body  # criticality and owner mention
    assert "Why it matched" in body and "Okta" in body

    ly = next(m for m in posted if "LINEヤフー" in m["text"])
    ly_body = json.dumps(ly["blocks"], ensure_ascii=False)
    assert "LY Corporation" in ly_body and "NAVER Cloud Corp." in ly_body
    assert "supplier of LY Corporation" in ly_body  # fourth party chain
    assert "Supply-chain" in ly_body

    # A second run over unchanged feeds posts nothing.
    again = project.run("run", "--once", env=bot_env(slack))
    assert again.exit_code == 0
    assert len(slack.messages) == 3
    # The token never reaches output or the database.
    assert "xoxb-test-000-secret" not in result.output + again.output
    assert b"xoxb-test-000-secret" not in project.db_path.read_bytes()


def test_search_json_finds_japanese_and_english(project, feeds):  # type: ignore[no-untyped-def]
    project.configure(feeds)
    assert project.run("run", "--once").exit_code == 0
    jp = json.loads(project.run("search", "不正アクセス", "--json").stdout)
    assert {r["title"] for r in jp} >= {
        "トヨタ自動車 情報漏えい 取引先への不正アクセスで",
        "LINEヤフー、NAVER Cloud経由の不正アクセスで44万件流出",
    }
    en = json.loads(project.run("search", "okta", "--json").stdout)
    assert {r["title"] for r in en} == {r.title for r in RSS_ENTRIES if "Okta" in r.title}
    row = next(r for r in en if "breach" in r["title"])
    assert set(row) >= {"title", "url", "source", "published", "summary", "vendors", "breach"}
    assert row["vendors"] == ["Okta Inc."] and row["breach"] is True
    assert row["published"] == "2024-06-05T09:00:00Z"
    launch = next(r for r in en if "launches" in r["title"])
    assert launch["breach"] is False

    only = json.loads(project.run("search", "okta", "--breach-only", "--json").stdout)
    assert [r["title"] for r in only] == [RSS_ENTRIES[0].title]
    by_vendor = json.loads(project.run("search", "流出", "--vendor", "LY Corporation", "--json").stdout)
    assert [r["url"] for r in by_vendor] == ["https://atom.example/ly"]
    assert json.loads(project.run("search", "okta", "--since", "2030-01-01", "--json").stdout) == []
    table = project.run("search", "okta")
    assert "Okta confirms breach" in table.stdout and "BREACH" in table.stdout


def test_console_mode_prints_readable_alerts(project, feeds):  # type: ignore[no-untyped-def]
    project.configure(feeds)
    result = project.run("run", "--once")
    assert result.exit_code == 0
    out = result.stdout
    assert out.count("=== ") == 3
    assert "Okta Inc." in out and "https://news.example/okta-breach" in out
    assert "why: Okta Inc.:" in out
    assert "3 alerts queued, 3 sent" in result.stderr


def test_webhook_mode_posts_each_alert(project, feeds, slack):  # type: ignore[no-untyped-def]
    project.configure(feeds)
    result = project.run("run", "--once", env={"SLACK_WEBHOOK_URL": slack.webhook_url})
    assert result.exit_code == 0, result.output
    assert len(slack.messages) == 3
    assert all(p[0].startswith("/webhook") for p in slack.requests)
    assert all(m["blocks"] and m["text"] for m in slack.messages)
    assert slack.webhook_url not in result.output
    project.run("run", "--once", env={"SLACK_WEBHOOK_URL": slack.webhook_url})
    assert len(slack.messages) == 3


def test_failed_source_is_reported_and_the_run_goes_on(project, feeds, httpserver):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/broken").respond_with_data("nope", status=500)
    project.configure([{"name": "Broken", "url": httpserver.url_for("/broken")}, *feeds])
    result = project.run("run", "--once")
    assert result.exit_code == 0
    assert "✗ Broken: HTTP 500" in result.stderr
    assert result.stdout.count("=== ") == 3


def test_config_from_env_and_relative_paths(project, feeds, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    project.configure(feeds, database="data/state.db")
    monkeypatch.chdir(tmp_path.parent)
    from click.testing import CliRunner

    from monitor.cli import cli

    result = CliRunner().invoke(cli, ["run", "--once"], env={"MONITOR_CONFIG": str(project.config_path)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "state.db").exists()


def test_changing_guids_do_not_realert(project, httpserver):  # type: ignore[no-untyped-def]
    """A real leak-site tracker feed whose GUIDs change on every rebuild."""
    snaps = sorted(shared_data("ransomware", "rss_snapshots").iterdir())[:2]
    first, second = (p.read_bytes() for p in snaps)
    domains = sorted(set(re.findall(rb"post : ([a-z0-9.-]+\.[a-z]{2,})</title>", first)))[:15]
    domains = [d.decode() for d in domains]
    rows = "\n".join(f"Victim {i},,{d},high,,," for i, d in enumerate(domains))
    project.vendors_path.write_text("name,aliases,domains,criticality,owner,parent,notes\n" + rows + "\n")
    project.configure([{"name": "leaks", "url": httpserver.url_for("/rss.xml"), "assume_breach": True}])
    httpserver.expect_oneshot_request("/rss.xml").respond_with_data(first, content_type="application/xml")
    r1 = project.run("run", "--once")
    assert r1.exit_code == 0, r1.output
    alerted_first = r1.stdout.count("=== ")
    assert alerted_first == len(domains)
    httpserver.expect_oneshot_request("/rss.xml").respond_with_data(second, content_type="application/xml")
    r2 = project.run("run", "--once")
    second_titles = set(re.findall(rb"<title>([^<]*post : [^<]*)</title>", second))
    first_titles = set(re.findall(rb"<title>([^<]*post : [^<]*)</title>", first))
    new_vendor_titles = [t for t in second_titles - first_titles if any(d.encode() in t for d in domains)]
    assert r2.stdout.count("=== ") == len(new_vendor_titles)
    assert project.db()["alerts"].count == alerted_first + len(new_vendor_titles)


def test_search_results_newest_first_and_short_terms(project, httpserver):  # type: ignore[no-untyped-def]
    entries = [
        Entry(
            f"情報漏洩の報告 第{i}号 (株式会社テスト{i})",
            f"https://jp.example/{i}",
            "漏洩の詳細",
            published=datetime(2024, 1, 1 + i, tzinfo=UTC),
        )
        for i in range(5)
    ]
    httpserver.expect_request("/feed").respond_with_data(rss2(entries), content_type="application/rss+xml")
    project.configure([{"name": "jp", "url": httpserver.url_for("/feed")}])
    assert project.run("run", "--once").exit_code == 0
    result = project.run("search", "漏洩", "--json", "--limit", "3")
    rows = json.loads(result.stdout)
    assert [r["url"] for r in rows] == ["https://jp.example/4", "https://jp.example/3", "https://jp.example/2"]
    assert "newest 200,000 articles only" in result.stderr
    assert "newest" not in project.run("search", "情報漏洩", "--json").stderr
    import monitor.storage.query

    monitor.storage.query.SHORT_TERM_WINDOW = 2
    try:
        bounded = json.loads(project.run("search", "漏洩", "--json").stdout)
    finally:
        monitor.storage.query.SHORT_TERM_WINDOW = 200_000
    assert [r["url"] for r in bounded] == ["https://jp.example/4", "https://jp.example/3"]


def test_last_cycle_stops_the_parser_workers_before_delivering(project, httpserver, slack, monkeypatch):  # type: ignore[no-untyped-def]
    """`run --once` shuts its workers down while it posts (pebble's shutdown is mostly waiting), and a
    process that goes on after such a cycle gets new workers."""
    import os

    from werkzeug import Response

    from monitor.alerting.slack import sender_from_env
    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline.cycle import Monitor
    from monitor.sources.parse import ParserPool
    from monitor.storage.store import Store

    later = Entry(
        "Toyota supplier confirms ransomware attack, data stolen",
        "https://news.example/toyota",
        "Toyota said a supplier's server was breached.",
        "g9",
        NOW,
    )
    feed = {"body": rss2(RSS_ENTRIES)}
    httpserver.expect_request("/rss").respond_with_handler(
        lambda request: Response(feed["body"], content_type="application/rss+xml")
    )
    project.configure([{"name": "English news", "url": httpserver.url_for("/rss")}])
    for k, v in bot_env(slack).items():
        monkeypatch.setenv(k, v)
    cfg = load_config(project.config_path)
    pool = ParserPool(workers=2)
    accepting: list[bool] = []
    with Store(cfg.database) as store:
        monitor = Monitor(cfg, load_vendors(cfg.vendors), store, sender_from_env(), pool=pool)
        real_deliver = monitor.deliver

        def deliver(force: bool = False):  # type: ignore[no-untyped-def]
            try:
                pool.submit(os.getpid)
                accepting.append(True)
            except RuntimeError:  # pebble: "The Pool is not active"
                accepting.append(False)
            return real_deliver(force)

        monitor.deliver = deliver  # type: ignore[method-assign]
        first = monitor.run_once(last=True)
        assert accepting == [False]
        assert first.delivery.sent == 1 and "Okta confirms breach" in slack.messages[0]["text"]
        pool.close()  # waits for the shutdown the cycle started

        feed["body"] = rss2([*RSS_ENTRIES, later])
        second = monitor.run_once()
    assert [r.error for r in second.sources] == [None] and second.delivery.sent == 1
    assert "Toyota supplier" in slack.messages[1]["text"]
