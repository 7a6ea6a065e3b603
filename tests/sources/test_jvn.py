"""Issue 15: JVN's vulnerability feed (`type: jvn`, JVNDB RSS 1.0/RDF with sec:cpe and sec:cvss) through
`monitor run --once`, a feed written here in the shape of https://jvndb.jvn.jp/ja/rss/jvndb_new.rdf
served from 127.0.0.1 and the Slack stand-in."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from alert_support import blocks_text
from conftest import Project, bot_env
from werkzeug.wrappers import Response

import monitor.clock

NOW = datetime(2026, 10, 8, 6, 0, tzinfo=UTC)

JVN_CSV = """name,aliases,domains,criticality,owner,parent,notes
サイボウズ株式会社,Cybozu,cybozu.co.jp,high,<@U0GW>,,Groupware
株式会社コレガ,,corega.co.jp,medium,,,Routers
Examplesoft Co. Ltd.,,,medium,,,
"""


def jvn_item(
    ident: str,
    title: str,
    cpes: list[tuple[str, str, str]],
    scores: list[tuple[str, str, str]],
    issued: datetime | None,
    cves: tuple[str, ...] = (),
    description: str = "",
) -> str:
    year = ident.split("-")[1]
    link = f"https://jvndb.jvn.jp/ja/contents/{year}/{ident}.html"
    refs = "".join(
        f'<sec:references source="CVE" id="{c}">https://www.cve.org/CVERecord?id={c}</sec:references>' for c in cves
    )
    cpe = "".join(
        f'<sec:cpe version="2.2" vendor={quoteattr(v)} product={quoteattr(p)}>{escape(c)}</sec:cpe>' for v, p, c in cpes
    )
    cvss = "".join(
        f'<sec:cvss score="{s}" severity="{sev}" vector="CVSS:{v}/AV:N/AC:L" version="{v}" type="Base"/>'
        for v, s, sev in scores
    )
    date = (
        (
            f"<dc:date>{issued.isoformat()}</dc:date><dcterms:issued>{issued.isoformat()}</dcterms:issued>"
            f"<dcterms:modified>{issued.isoformat()}</dcterms:modified>"
        )
        if issued
        else ""
    )
    return (
        f'<item rdf:about="{link}"><title>{escape(title)}</title><link>{link}</link>'
        f"<description>{escape(description or title)}</description>"
        "<dc:creator>Information-technology Promotion Agency, Japan</dc:creator>"
        f"<sec:identifier>{ident}</sec:identifier>{refs}{cpe}{cvss}{date}</item>"
    )


def jvn_rdf(items: list[str]) -> bytes:
    seq = "".join(f'<rdf:li rdf:resource="{i.split(chr(34))[1]}"/>' for i in items)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:rss="http://purl.org/rss/1.0/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:sec="http://jvn.jp/rss/mod_sec/3.0/" xml:lang="ja">'
        '<channel rdf:about="https://jvndb.jvn.jp/ja/rss/jvndb_new.rdf"><title>JVNDB 新着情報</title>'
        "<link>https://jvndb.jvn.jp/apis/myjvn</link><description>JVNDB 新着情報</description>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>{''.join(items)}</rdf:RDF>"
    ).encode()


JST = timezone(timedelta(hours=9))
GAROON = jvn_item(
    "JVNDB-2026-000101",
    "サイボウズ Garoon における認証回避の脆弱性",
    [("サイボウズ株式会社", "サイボウズ Garoon", "cpe:/a:cybozu:garoon")],
    [("3.0", "9.8", "Critical"), ("2.0", "7.5", "High")],
    NOW.astimezone(JST) - timedelta(days=1),
    ("CVE-2026-20001",),
    "サイボウズ株式会社が提供する Garoon には認証回避の脆弱性が存在します。",
)
ROUTER = jvn_item(
    "JVNDB-2026-000102",
    "CG-WGR1200 におけるクロスサイトスクリプティングの脆弱性",
    [("株式会社コレガ", "CG-WGR1200", "cpe:/h:corega:cg-wgr1200")],
    # v2 high, v3 medium: the v3 score is the one compared
    [("3.0", "6.1", "Medium"), ("2.0", "9.3", "High")],
    NOW.astimezone(JST) - timedelta(days=2),
)
PLUGIN = jvn_item(
    "JVNDB-2026-000103",
    "WordPress 用プラグイン WP Example における SQL インジェクション",
    [("Soflyy", "WP Example", "cpe:/a:misc:soflyy_wp_example")],
    [("3.0", "9.8", "Critical")],
    NOW - timedelta(days=1),
)
# Registered under its CPE vendor token only (the attribute is JVN's own spelling).
EXAMPLESOFT = jvn_item(
    "JVNDB-2026-900001",
    "FieldLink gateway authentication bypass",
    [("エグザンプルソフト", "FieldLink gateway", "cpe:/h:examplesoft:fieldlink_gateway")],
    [("3.1", "8.1", "High")],
    NOW - timedelta(hours=5),
)


class JvnFeed:
    def __init__(self, httpserver: Any, items: list[str]):
        self.items = items
        httpserver.expect_request("/jvndb_new.rdf").respond_with_handler(
            lambda request: Response(jvn_rdf(self.items), content_type="application/rdf+xml")
        )
        self.url = httpserver.url_for("/jvndb_new.rdf")

    def source(self, **extra: Any) -> dict[str, Any]:
        return {"name": "JVN", "url": self.url, "type": "jvn", **extra}


@pytest.fixture
def jvn_project(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: NOW)
    project.vendors_path.write_text(JVN_CSV, encoding="utf-8")
    return project


def test_entries_at_or_above_min_cvss_alert_the_vendor_of_the_product(
    jvn_project: Project, httpserver: Any, slack: Any
) -> None:
    feed = JvnFeed(httpserver, [GAROON, ROUTER, PLUGIN, EXAMPLESOFT])
    jvn_project.configure([feed.source(min_cvss=7.0)], slack={"channel": "C0GENERAL"}, alert_window=None)
    result = jvn_project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    heads = sorted(m["blocks"][0]["text"]["text"] for m in slack.messages)
    assert heads == [
        "🟠 Vendor's product exploited: サイボウズ株式会社",
        "🟡 Vendor's product exploited: Examplesoft Co. Ltd.",
    ]
    garoon = next(m for m in slack.messages if "サイボウズ" in m["blocks"][0]["text"]["text"])
    text = blocks_text(garoon)
    for fact in ("JVNDB-2026-000101", "CVE-2026-20001", "サイボウズ Garoon", "CVSS 3.0 9.8 (Critical)"):
        assert fact in text, fact
    assert "in sec:cpe vendor" in text
    # The router's v3 score (6.1) is under 7.0: stored and searchable under its vendor, not alerted.
    found = json.loads(jvn_project.run("search", "CG-WGR1200", "--json").stdout)
    assert [(x["vendor"], x["role"]) for x in found[0]["matches"]] == [("株式会社コレガ", "product")]
    assert "under min_cvss 7" in found[0]["matches"][0]["role_reason"]


def test_a_lower_min_cvss_alerts_more_and_seen_entries_stay_quiet(
    jvn_project: Project, httpserver: Any, slack: Any
) -> None:
    feed = JvnFeed(httpserver, [GAROON, ROUTER])
    jvn_project.configure([feed.source(min_cvss=5)], slack={"channel": "C0GENERAL"})
    assert jvn_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == 2
    assert jvn_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == 2


def test_a_feed_declaring_entities_is_refused_and_nothing_is_read(
    jvn_project: Project, httpserver: Any, slack: Any, tmp_path: Any
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("JVN-XXE-MARKER", encoding="utf-8")
    body = (
        jvn_rdf([GAROON])
        .replace(b"<rdf:RDF", f'<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file://{secret}">]>'.encode() + b"<rdf:RDF", 1)
        .replace(b"<title>JVNDB", b"<title>&x;JVNDB", 1)
    )
    httpserver.expect_request("/evil.rdf").respond_with_data(body, content_type="application/rdf+xml")
    jvn_project.configure(
        [{"name": "JVN", "url": httpserver.url_for("/evil.rdf"), "type": "jvn"}], slack={"channel": "C0GENERAL"}
    )
    result = jvn_project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0
    assert "declares XML entities" in result.output
    assert slack.messages == []
    assert jvn_project.db().execute("SELECT count(*) FROM articles").fetchone()[0] == 0


@pytest.mark.parametrize(
    "value, message",
    [
        (11, "sources[0].min_cvss: must be less than or equal to 10"),
        ("high", "sources[0].min_cvss: must be a valid number"),
    ],
)
def test_a_bad_min_cvss_is_one_line_naming_the_field(jvn_project: Project, value: Any, message: str) -> None:
    jvn_project.configure(
        [{"name": "JVN", "url": "https://jvndb.jvn.jp/ja/rss/jvndb_new.rdf", "type": "jvn", "min_cvss": value}]
    )
    result = jvn_project.run("check")
    assert result.exit_code == 2
    line = next(x for x in result.output.splitlines() if "min_cvss" in x)
    assert message in line and line.startswith("error: feeds.yaml:")
    assert "Traceback" not in result.output
