"""Matching rules through `monitor match` and `monitor run --once`, each written against a change no
other test noticed (surviving mutants of matching/matcher.py): which field is reported as the
evidence, how a near miss of a name of short words is found, and names that mix Japanese and Latin."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed
from conftest import Entry, Project
from rapidfuzz import fuzz

REGISTER = """name,aliases,domains
Okta Inc.,Okta,okta.com
NEC Corporation,NEC,
Acme Data Labs,,
LINEヤフー株式会社,LINEヤフー,
楽天Edy株式会社,楽天Edy,
Perry Johnson Associates Inc.,,
"""


@pytest.fixture
def register(project: Project, httpserver) -> Project:  # type: ignore[no-untyped-def]
    project.vendors_path.write_text(REGISTER, encoding="utf-8")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    return project


def test_a_near_miss_of_a_name_made_of_four_letter_words_is_found(register: Project) -> None:
    [m] = register.matches("Acme Data Lab confirms breach")
    assert (m["vendor"], m["how"], m["surface"]) == ("Acme Data Labs", "fuzzy", "Acme Data Lab")
    # The score shown is the similarity of the words found to the name, to one decimal.
    assert m["score"] == round(fuzz.ratio("acme data labs", "acme data lab"), 1) != round(m["score"])
    # A misspelt last word is shown whole, as written.
    [m] = register.matches("Acme Data Labz confirms breach")
    assert (m["vendor"], m["how"], m["surface"]) == ("Acme Data Labs", "fuzzy", "Acme Data Labz")
    ratio = fuzz.ratio("acme data labs", "acme data labz")
    assert m["score"] == round(ratio, 1) != round(ratio, 2)


def test_a_near_miss_a_few_letters_longer_than_the_name_is_found(register: Project) -> None:
    """Registered without the '&' its news writes: the words found are 17% longer than the name and
    score 92.3, over the fuzzy cut-off of 92; the quick bound before scoring had refused them."""
    for text, surface in [
        ("Perry Johnson & Associates notifies patients of breach", "Perry Johnson & Associates"),
        ("Perry Johnson and Associates sued over data breach", "Perry Johnson and Associates"),
    ]:
        [m] = register.matches(text)
        assert (m["vendor"], m["how"], m["surface"], m["score"]) == (
            "Perry Johnson Associates Inc.",
            "fuzzy",
            surface,
            92.3,
        )


def test_a_name_after_latin_letters_is_found_when_it_starts_in_japanese(register: Project) -> None:
    # '楽天Edy' starts with kanji: the Latin 'SMBC' before it is no longer word around it.
    [m] = register.matches("SMBC楽天Edyに不正アクセス")
    assert (m["vendor"], m["surface"]) == ("楽天Edy株式会社", "楽天Edy")


def test_a_name_that_ends_in_japanese_is_shown_as_written_before_latin_text(register: Project) -> None:
    [m] = register.matches("LINEヤフーIDに不正ログイン、情報漏えい")
    assert (m["vendor"], m["surface"], m["start"], m["end"]) == ("LINEヤフー株式会社", "LINEヤフー", 0, 7)


def test_the_title_is_the_evidence_shown_when_the_link_names_the_vendor_too(
    register: Project,
    httpserver,  # type: ignore[no-untyped-def]
) -> None:
    """The vendor's own domain in the link and in the summary are longer matches than 'Okta' in the
    title; the alert still says it was named in the title, the stronger evidence."""
    item = Entry(
        "Okta confirms breach of support system, customer files stolen",
        "https://www.okta.com/blog/2023/10/breach",
        "Customers can read the advisory at support.okta.com.",
        "o",
        datetime.now(UTC) - timedelta(hours=1),
    )
    register.configure([Feed(httpserver).add(item).source])
    result = register.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert "why: Okta Inc.: name “Okta Inc.” as “Okta” in title" in result.stdout
    [article] = json.loads(register.run("search", "--json", "Okta").stdout)
    assert [(m["field"], m["surface"]) for m in article["matches"]] == [("title", "Okta")]


def test_a_short_name_at_the_very_end_of_a_text_is_found(register: Project) -> None:
    [m] = register.matches("Ransomware gang claims data theft from NEC")
    assert (m["vendor"], m["surface"]) == ("NEC Corporation", "NEC")


def test_a_vendor_named_only_by_the_links_host_is_shown_with_the_whole_host(
    register: Project,
    httpserver,  # type: ignore[no-untyped-def]
) -> None:
    item = Entry(
        "Support system breach: customer files stolen",
        "https://www.okta.com/blog/2023/10/breach",
        "",
        "o",
        datetime.now(UTC) - timedelta(hours=1),
    )
    register.configure([Feed(httpserver).add(item).source])
    assert register.run("run", "--once").exit_code == 0
    [article] = json.loads(register.run("search", "--json", "support").stdout)
    match = article["matches"][0]
    assert (match["how"], match["field"], match["surface"], match["start"], match["end"]) == (
        "domain",
        "link",
        "www.okta.com",
        0,
        len("www.okta.com"),
    )


def test_a_short_name_in_an_all_capitals_headline_is_found(register: Project) -> None:
    # 'Okta' must be written with its capital in running text; OKTA in a headline in capitals is Okta too.
    [m] = register.matches("OKTA CONFIRMS BREACH OF SUPPORT SYSTEM")
    assert (m["vendor"], m["surface"]) == ("Okta Inc.", "OKTA")
    assert register.matches("the okta breach") == []


def test_two_vendors_sharing_a_name_are_both_named(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    """A subsidiary and its group both listed under the name the press uses: neither hides the other."""
    project.vendors_path.write_text(
        "name,aliases\nNAVER Cloud Corp.,NAVER Cloud\nNAVER Corporation,NAVER Cloud\n", encoding="utf-8"
    )
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    found = project.matches("速報: NAVER Cloudに不正アクセス")
    assert sorted(m["vendor"] for m in found) == ["NAVER Cloud Corp.", "NAVER Corporation"]


def test_a_near_miss_is_shown_from_the_start_of_its_first_word(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    """The words compared with the name are whole words as written: a letter before the name's first
    word belongs to what is scored and shown, at the start of the text or after other words."""
    project.vendors_path.write_text("name,aliases\nAcme Data Laboratories,\n", encoding="utf-8")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    for text, start in (("Tacme Data Laboratories confirms breach", 0), ("Breach: Tacme Data Laboratories", 8)):
        [m] = project.matches(text)
        assert (m["how"], m["surface"], m["start"]) == ("fuzzy", "Tacme Data Laboratories", start), text
        assert m["score"] == round(fuzz.ratio("acme data laboratories", "tacme data laboratories"), 1)
