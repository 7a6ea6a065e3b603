"""Issue 22: `monitor search` as a Japanese team uses it: spelling variants are one term, OR, "phrases"
and -term work as documented, --vendor takes aliases, and empty results and pipes end quietly."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from conftest import Entry, rss2

from monitor.storage.searchquery import QuerySyntaxError, parse, variants

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)

ENTRIES = [
    Entry(
        "LINEヤフー、委託先経由で個人情報が漏えい",
        "https://jp.example/1",
        "NAVER Cloudのサーバに不正アクセス。",
        "1",
        NOW,
    ),
    Entry("トヨタ自動車、取引先で顧客情報が流出", "https://jp.example/2", "サイバーアタックを受けたと発表。", "2", NOW),
    Entry("イセトーでランサムウエア被害、情報漏洩の恐れ", "https://jp.example/3", "再発防止策を公表。", "3", NOW),
    Entry("Okta confirms data breach of support system", "https://en.example/4", "Customer files stolen.", "4", NOW),
    Entry("Okta breach drill for partners", "https://en.example/5", "A tabletop exercise, not an incident.", "5", NOW),
]


@pytest.fixture
def searchable(project, httpserver):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/rss").respond_with_data(rss2(ENTRIES), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/rss")}])
    assert project.run("run", "--once").exit_code == 0
    return project


def _titles(project, *args: str) -> set[str]:  # type: ignore[no-untyped-def]
    result = project.run("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return {r["title"] for r in json.loads(result.stdout)}


def test_japanese_spelling_variants_are_one_term(searchable):  # type: ignore[no-untyped-def]
    leak = {ENTRIES[0].title, ENTRIES[1].title, ENTRIES[2].title}
    # 漏洩, 漏えい and 流出 are how different outlets write one word: each finds all three reports.
    assert _titles(searchable, "漏洩") == leak
    assert _titles(searchable, "漏えい") == leak
    assert _titles(searchable, "流出") == leak
    # サーバー finds the report that wrote サーバ, サイバー攻撃 the one that wrote サイバーアタック.
    assert _titles(searchable, "サーバー") == {ENTRIES[0].title}
    assert _titles(searchable, "サイバー攻撃") == {ENTRIES[1].title}
    assert _titles(searchable, "ランサムウェア") == {ENTRIES[2].title}


def test_or_phrases_and_exclusions_work_as_documented(searchable):  # type: ignore[no-untyped-def]
    assert _titles(searchable, "ランサムウェア OR NAVER") == {ENTRIES[0].title, ENTRIES[2].title}
    assert _titles(searchable, '"data breach"') == {ENTRIES[3].title}
    assert _titles(searchable, "okta breach") == {ENTRIES[3].title, ENTRIES[4].title}
    assert _titles(searchable, "okta -drill") == {ENTRIES[3].title}
    assert _titles(searchable, "漏洩 -流出") == set()  # excluding a term excludes its spellings too
    bad = searchable.run("search", '"data breach')
    assert bad.exit_code == 1 and "quote is not closed" in bad.output


def test_vendor_filter_takes_aliases_and_suggests_a_near_name(searchable):  # type: ignore[no-untyped-def]
    assert _titles(searchable, "漏洩", "--vendor", "LINEヤフー") == {ENTRIES[0].title}
    assert _titles(searchable, "漏洩", "--vendor", "ly corporation") == {ENTRIES[0].title}
    unknown = searchable.run("search", "breach", "--vendor", "Oktaa")
    assert unknown.exit_code == 1
    assert "'Oktaa' is not a registered vendor" in unknown.output and "did you mean 'Okta Inc.'" in unknown.output
    assert "Traceback" not in unknown.output


def test_empty_results_say_so_on_stderr_also_with_json(searchable):  # type: ignore[no-untyped-def]
    result = searchable.run("search", "nothing-like-this", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "no matching articles" in result.stderr


def test_alerts_and_search_name_the_link_field_alike(searchable):  # type: ignore[no-untyped-def]
    alerts = json.loads(searchable.run("alerts", "--json").stdout)
    found = json.loads(searchable.run("search", "okta", "--json").stdout)
    assert alerts and found
    assert "url" in alerts[0] and "link" not in alerts[0]
    assert {r["url"] for r in alerts} <= {r.link for r in ENTRIES}
    assert {r["url"] for r in found} == {ENTRIES[3].link, ENTRIES[4].link}


def test_a_closed_pipe_ends_quietly(searchable):  # type: ignore[no-untyped-def]
    """`monitor search ... | head -1` must not print a BrokenPipeError traceback or an 'unexpected' error."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(searchable.config_path), "search", "漏洩"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader has gone before the first line, as `head -0` would
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "BrokenPipe" not in err and "unexpected" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    "term, expected",
    [
        ("漏洩", {"漏洩", "漏えい", "漏れい", "ろうえい", "流出"}),
        ("サーバー攻撃", {"サーバ攻撃", "サーバー攻撃"}),
        ("サーバー", {"サーバ"}),  # the index matches substrings: サーバ already finds サーバー
        ("カバー", {"カバー"}),  # a 2-character stem is another word (カバ)
    ],
)
def test_variants(term: str, expected: set[str]) -> None:
    assert set(variants(term)) == expected


def test_unreadable_queries_are_refused_with_the_reason() -> None:
    for q, reason in [("OR okta", "OR needs a term"), ("okta OR", "OR needs a term"), ("-okta", "only -exclusions")]:
        with pytest.raises(QuerySyntaxError, match=reason):
            parse(q)
