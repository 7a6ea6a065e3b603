"""Issue 21: README claims that had no test. Each test drives the CLI (or the public function the README
names) and fails when the behaviour it guards is removed; see the README's development section for
the mutation scores these tests raised."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed
from conftest import Entry, Project, bot_env, rss2

NOW = datetime.now(UTC) - timedelta(hours=1)


def _ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result


def _articles(project: Project) -> list[dict[str, object]]:
    return list(project.db().query("SELECT title, link FROM articles ORDER BY id"))


# ---------------------------------------------------------------------- vendors.csv


def test_a_cycle_of_parents_is_refused_with_each_line(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    project.vendors_path.write_text(
        "name,parent\nA Corp,B Corp\nB Corp,C Corp\nC Corp,A Corp\nD Corp,A Corp\n", encoding="utf-8"
    )
    result = project.run("check")
    assert result.exit_code == 2
    assert "vendors.csv:2: parent: cycle through 'A Corp'" in result.stderr
    assert "vendors.csv:4: parent: cycle through 'C Corp'" in result.stderr
    assert "Traceback" not in result.output


def test_a_chain_of_parents_without_a_cycle_is_accepted_and_shown(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    project.vendors_path.write_text(
        "name,parent\nLY Corporation,\nNAVER Cloud Corp.,LY Corporation\nSubcontractor KK,NAVER Cloud Corp.\n",
        encoding="utf-8",
    )
    _ok(project.run("check"))


def test_bom_and_extra_columns_in_vendors_csv(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    # Excel's "CSV UTF-8" writes a BOM; a team's own columns (region, contract id) ride along.
    project.vendors_path.write_bytes(
        "\ufeffname,region,aliases,contract id,criticality\nOkta Inc.,US,Okta,C-991,critical\n".encode()
    )
    assert "1 vendors in vendors.csv" in _ok(project.run("check")).stderr
    match = json.loads(_ok(project.run("match", "--json", "Okta confirms breach of support system")).stdout)
    assert [m["vendor"] for m in match["matches"]] == ["Okta Inc."]


def test_a_column_spelt_close_to_a_known_one_is_refused(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    project.vendors_path.write_text("name,criticallity\nOkta Inc.,critical\n", encoding="utf-8")
    result = project.run("check")
    assert result.exit_code == 2
    assert "unknown column 'criticallity' (did you mean 'criticality'?)" in result.stderr


# ---------------------------------------------------------------------- feeds.yaml


def test_a_disabled_source_is_kept_but_never_fetched(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/on").respond_with_data(
        rss2([Entry("Weekly roundup", "https://news.example/roundup", "", "r", NOW)]),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/off").respond_with_data(
        rss2([Entry("Okta confirms breach of support system", "https://news.example/okta", "", "o", NOW)]),
        content_type="application/rss+xml",
    )
    project.configure(
        [
            {"name": "On", "url": httpserver.url_for("/on")},
            {"name": "Off", "url": httpserver.url_for("/off"), "enabled": False},
        ]
    )
    _ok(project.run("check"))
    _ok(project.run("run", "--once", env=bot_env(slack)))
    assert [r.path for r, _ in httpserver.log] == ["/on"]
    assert slack.messages == []
    assert [a["title"] for a in _articles(project)] == ["Weekly roundup"]


# ---------------------------------------------------------------------- dedupe


def test_tracking_parameters_do_not_store_the_same_article_twice(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver)
    project.configure([feed.source])
    feed.add(
        Entry("Okta confirms breach of support system", "https://news.example/story?id=7&utm_source=rss", "", None, NOW)
    )
    _ok(project.run("run", "--once", env=bot_env(slack)))
    # The outlet re-publishes it under an edited title, with other tracking parameters, www. and https.
    feed.entries = [
        Entry(
            "Okta confirms breach of its support system (updated)",
            "http://www.news.example/story/?fbclid=abc&id=7&utm_medium=social&gclid=x&mc_cid=1&mc_eid=2"
            "&ref=home&cmpid=9&rss=1&from=top",
            "",
            None,
            NOW,
        ),
        # Another article of the same site: only the tracking parameters are ignored, not the others.
        Entry("Okta shares indicators of compromise", "https://news.example/story?id=8&utm_source=rss", "", None, NOW),
    ]
    _ok(project.run("run", "--once", env=bot_env(slack)))
    assert [a["title"] for a in _articles(project)] == [
        "Okta confirms breach of support system",
        "Okta shares indicators of compromise",
    ]
    assert not any("(updated)" in m["text"] for m in slack.messages)  # not alerted a second time


def test_same_path_on_another_port_or_page_route_is_another_article(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver)
    project.configure([feed.source])
    feed.add(
        Entry("Vendor notice one, details inside", "https://news.example/app#/notice/1", "", None, NOW),
        Entry("Vendor notice two, details inside", "https://news.example/app#/notice/2", "", None, NOW),
        Entry("Same notice on another port number", "https://news.example:8443/story", "", None, NOW),
    )
    _ok(project.run("run", "--once", env=bot_env(slack)))
    feed.entries = [
        Entry("Vendor notice one, edited title", "https://news.example/app#/notice/1", "", None, NOW),
        Entry("Same notice on another port, edited", "https://news.example:8443/story/", "", None, NOW),
        Entry("A notice on the default port edited", "https://news.example:443/story", "", None, NOW),
    ]
    _ok(project.run("run", "--once", env=bot_env(slack)))
    titles = [a["title"] for a in _articles(project)]
    assert titles == [
        "Vendor notice one, details inside",
        "Vendor notice two, details inside",
        "Same notice on another port number",
        "A notice on the default port edited",
    ]


# ---------------------------------------------------------------------- matching


def _matches(project: Project, text: str) -> list[tuple[str, str]]:
    out = json.loads(_ok(project.run("match", "--json", text)).stdout)
    return [(m["vendor"], m["how"]) for m in out["matches"]]


@pytest.fixture
def register(project: Project, httpserver) -> Project:  # type: ignore[no-untyped-def]
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    project.vendors_path.write_text(
        "name,aliases\nPlume Design Inc.,\nXY Co.,\nAcme Widgets,\nNAVER Cloud Corp.,NAVER Cloud\n", encoding="utf-8"
    )
    return project


def test_fuzzy_near_miss_of_a_multi_word_name_matches_with_its_score(register: Project) -> None:
    out = json.loads(_ok(register.run("match", "--json", "Plum Design confirms breach")).stdout)
    [m] = out["matches"]
    assert (m["vendor"], m["how"], m["surface"]) == ("Plume Design Inc.", "fuzzy", "Plum Design")
    assert 90 <= m["score"] < 100
    assert _matches(register, "Plume Design confirms breach") == [("Plume Design Inc.", "name")]


def test_fuzzy_does_not_match_unrelated_or_distant_words(register: Project) -> None:
    assert _matches(register, "Plumbing design award announced") == []
    assert _matches(register, "Design firm confirms breach") == []


def test_two_letter_names_need_a_company_marker(register: Project) -> None:
    assert _matches(register, "XY hacked, customer data stolen") == []
    assert _matches(register, "XY Inc. hacked, customer data stolen") == [("XY Co.", "name")]
    assert _matches(register, "株式会社XYに不正アクセス") == [("XY Co.", "name")]


def test_a_name_inside_a_longer_latin_word_does_not_match(register: Project) -> None:
    assert _matches(register, "Megaacme widgets breach") == []
    assert _matches(register, "Acme Widgets breach") == [("Acme Widgets", "name")]
