"""`monitor search` shows where the term matched: an FTS5 snippet with the term marked «like this», in
the table and in --json; terms under 3 characters (found with LIKE) get the same kind of snippet."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import Entry, Project, rss2

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
ENTRIES = [
    Entry(
        "Printing contractor hit by ransomware",
        "https://news.example/isetoh",
        "The attack on ISETOH encrypted servers; data of municipalities and insurers leaked in May.",
        "g1",
        NOW,
    ),
    Entry(
        "イセトーにランサムウェア攻撃",
        "https://news.example/isetoh-ja",
        "株式会社イセトーはランサムウェア攻撃を受け、委託元の自治体の個人情報が漏洩したと発表した。",
        "g2",
        NOW,
    ),
]


@pytest.fixture
def populated(project: Project, httpserver) -> Project:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed").respond_with_data(rss2(ENTRIES), content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    assert project.run("run", "--once").exit_code == 0
    return project


def test_json_carries_a_snippet_with_the_term_marked(populated: Project) -> None:
    rows = json.loads(populated.run("search", "municipalities", "--json").stdout)
    assert len(rows) == 1
    assert "«municipalities»" in rows[0]["snippet"]  # from the summary: the title does not have it
    ja = json.loads(populated.run("search", "自治体の個人情報", "--json").stdout)
    assert "«自治体の個人情報»" in ja[0]["snippet"]


def test_short_terms_found_with_like_get_a_marked_snippet_too(populated: Project) -> None:
    rows = json.loads(populated.run("search", "漏洩", "--json").stdout)
    assert len(rows) == 1 and "«漏洩»" in rows[0]["snippet"]


def test_the_table_shows_the_snippet_under_each_result(populated: Project) -> None:
    out = populated.run("search", "insurers", env={"COLUMNS": "120"}).stdout
    lines = out.splitlines()
    title_row = next(i for i, line in enumerate(lines) if "Printing contractor hit by ransomware" in line)
    assert "«insurers»" in lines[title_row + 1]
