"""Matching rules through `monitor match --json`, each written against a change of matching/matcher.py
that no other test noticed (surviving cosmic-ray mutants, README "Mutation testing"): which mention is
the evidence, camel-case run-together names, "University of X", near misses with one word more or
less, short Japanese names, and which field a vendor is reported in."""

from __future__ import annotations

import pytest
from conftest import Project

from monitor.matching.matcher import Matcher
from monitor.matching.vendors import parse_vendors

REGISTER = """name,aliases,domains
Okta Inc.,Okta,okta.com
Dell Inc.,Dell,
Zurich Insurance Group Ltd,Zurich,
Change Healthcare Inc.,,
"Plume Design, Inc.",,
The Charles Schwab Corporation,Charles Schwab,
株式会社NTTドコモ,d払い,
富士通株式会社,富士通,
楽天Edy株式会社,楽天Edy,
Trend Micro Incorporated,Trend Micro,
Ann Taylor,,
Marc Jacobs,,
"""


@pytest.fixture
def register(project: Project, httpserver) -> Project:  # type: ignore[no-untyped-def]
    project.vendors_path.write_text(REGISTER, encoding="utf-8")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    return project


def _found(project: Project, text: str) -> list[tuple[str, str]]:
    return [(m["vendor"], m["surface"]) for m in project.matches(text)]


def test_of_two_equal_mentions_the_first_is_the_evidence(register: Project) -> None:
    [m] = register.matches("Phishing kit mimics okta.com: okta.com users told to reset passwords")
    assert (m["how"], m["surface"], m["start"]) == ("domain", "okta.com", len("Phishing kit mimics "))


def test_a_four_letter_name_run_into_a_camel_case_product_is_found(register: Project) -> None:
    assert _found(register, "DellSupportAssistに権限昇格の脆弱性") == [("Dell Inc.", "Dell")]


def test_a_name_ending_in_latin_after_japanese_run_into_a_product_is_found(register: Project) -> None:
    assert _found(register, "電子マネー楽天EdyAndroidAppに不正ログイン") == [("楽天Edy株式会社", "楽天Edy")]


def test_a_name_of_two_words_run_into_a_camel_case_product_is_found(register: Project) -> None:
    assert _found(register, "Trend MicroApexOneの脆弱性を悪用") == [("Trend Micro Incorporated", "Trend Micro")]


def test_university_of_a_place_at_the_start_of_a_title_is_not_the_company(register: Project) -> None:
    assert _found(register, "University of Zurich hit by cyberattack") == []
    assert _found(register, "Zurich confirms breach of customer portal") == [("Zurich Insurance Group Ltd", "Zurich")]


def test_a_sentence_opening_with_of_and_the_name_names_it(register: Project) -> None:
    assert _found(register, "Of Okta's 18,000 customers, 134 had files accessed") == [("Okta Inc.", "Okta's")]


def test_a_name_of_several_words_after_state_of_is_the_company(register: Project) -> None:
    """'state', 'city', 'bank' of a one-word name is a place or an institution; a name of several words
    is the company whatever stands before it (matched by its name, not as a near miss)."""
    [m] = register.matches("Two months on, the state of Change Healthcare's recovery is unclear")
    assert (m["vendor"], m["how"], m["surface"]) == ("Change Healthcare Inc.", "name", "Change Healthcare's")


def test_a_near_miss_is_found_after_its_anchor_word_stood_inside_a_longer_word(register: Project) -> None:
    [m] = register.matches("Redesigned phishing kit used in breach at Plum Design")
    assert (m["vendor"], m["how"], m["surface"]) == ("Plume Design, Inc.", "fuzzy", "Plum Design")


def test_a_near_miss_with_a_middle_initial_is_found(register: Project) -> None:
    [m] = register.matches("Charles R. Schwab Corp. confirms breach of client data")
    assert (m["vendor"], m["how"], m["surface"]) == ("The Charles Schwab Corporation", "fuzzy", "Charles R. Schwab")


@pytest.mark.parametrize("text", ["Anne Taylor, a researcher at the firm, said", "Marco Jacobs, a researcher, said"])
def test_a_person_one_letter_from_a_short_brand_name_is_not_the_brand(register: Project, text: str) -> None:
    """Near misses are looked for only in names of several words and 12 characters or more: 'Ann
    Taylor' (10) and 'Marc Jacobs' (11) are matched as written, not in someone's name."""
    assert _found(register, text) == []
    assert _found(register, text.replace("Anne", "Ann").replace("Marco", "Marc"))


def test_a_service_name_starting_with_a_latin_letter_after_kanji_is_found(register: Project) -> None:
    assert _found(register, "スマホ決済d払いで不正利用") == [("株式会社NTTドコモ", "d払い")]


def test_a_three_kanji_name_before_hiragana_is_found(register: Project) -> None:
    """Two kanji followed by な, し... are a word of a phrase (高速な); three are a name (富士通など)."""
    assert _found(register, "委託先の富士通など3社で情報漏えい") == [("富士通株式会社", "富士通")]


def test_a_vendor_named_in_summary_and_body_is_reported_from_the_summary() -> None:
    """The summary is what the alert shows: it is the evidence even when the body names the vendor
    more fully."""
    matcher = Matcher(parse_vendors(REGISTER))
    fields = {
        "title": "Support system breach: customer files stolen",
        "summary": "Okta said files were taken.",
        "body": "Okta Inc. said files were taken from its support system.",
    }
    assert [(m.vendor, m.field, m.surface) for m in matcher.match(fields)] == [("Okta Inc.", "summary", "Okta")]


def test_a_name_found_only_after_folding_old_kanji_is_shown_as_not_located(register: Project) -> None:
    """野村證券 in the text is 野村証券 once old kanji forms are folded; the text as written does not hold
    the folded form, so the span says 'not located' (-1, -1) rather than pointing at other characters."""
    register.vendors_path.write_text("name,aliases\n野村證券株式会社,野村證券\n", encoding="utf-8")
    [m] = register.matches("野村證券に不正アクセス")
    assert (m["vendor"], m["start"], m["end"]) == ("野村證券株式会社", -1, -1)


def test_a_near_miss_of_a_word_two_vendors_share_is_found_by_the_rarer_word(register: Project) -> None:
    """The near miss is looked for around the name's rarest word in the register: 'Johnson' is in two
    names, so a misspelt 'Jonson' is still found from 'Perry'."""
    register.vendors_path.write_text(
        'name,aliases\n"Perry Johnson & Associates, Inc.",\nJohnson Controls International plc,Johnson Controls\n',
        encoding="utf-8",
    )
    [m] = register.matches("Perry Jonson & Associates discloses breach")
    assert (m["vendor"], m["how"], m["surface"]) == (
        "Perry Johnson & Associates, Inc.",
        "fuzzy",
        "Perry Jonson & Associates",
    )


def test_a_japanese_name_broken_by_a_line_break_is_found(register: Project) -> None:
    """Feed summaries of Japanese press releases keep their fixed-width line breaks, which may fall
    inside a name: '富士\n通' is 富士通, shown as written."""
    [m] = register.matches("委託先で不正アクセス\n委託先の富士\n通は、情報漏えいの可能性を公表した。")
    assert (m["vendor"], m["surface"]) == ("富士通株式会社", "富士\n通")


def test_a_longer_company_name_with_three_more_kanji_is_not_the_name(register: Project) -> None:
    """トヨタ自動車東日本株式会社 is another company than トヨタ自動車: more kanji and then a legal form after
    a name make a longer name, whatever their number (三 here, 二 in トヨタ自動車九州)."""
    register.vendors_path.write_text("name,aliases\nトヨタ自動車株式会社,トヨタ自動車\n", encoding="utf-8")
    assert _found(register, "トヨタ自動車東日本株式会社の工場でシステム障害") == []
    assert _found(register, "トヨタ自動車九州株式会社の工場でシステム障害") == []
    assert _found(register, "トヨタ自動車の工場でシステム障害") == [("トヨタ自動車株式会社", "トヨタ自動車")]


def test_a_four_katakana_name_after_kanji_is_the_tail_of_a_compound(register: Project) -> None:
    """Up to four katakana after kanji are often the tail of a longer word: 南アルプス市 and 北アルプス are
    places, not Alps Alpine registered as アルプス; after a word that may stand before a name (子会社) it is."""
    register.vendors_path.write_text("name,aliases\nアルプスアルパイン株式会社,アルプス\n", encoding="utf-8")
    assert _found(register, "南アルプス市の小学校でランサムウェア被害") == []
    assert _found(register, "北アルプスの山小屋予約サイトに不正アクセス") == []
    assert _found(register, "子会社アルプスで障害") == [("アルプスアルパイン株式会社", "アルプス")]


def test_a_five_katakana_name_after_kanji_starts_a_new_word(register: Project) -> None:
    """Five katakana or more after kanji are a word of their own: 国内サイボウズ利用企業 names Cybozu."""
    register.vendors_path.write_text("name,aliases\nサイボウズ株式会社,サイボウズ\n", encoding="utf-8")
    assert _found(register, "国内サイボウズ利用企業に注意喚起") == [("サイボウズ株式会社", "サイボウズ")]


def test_two_vendors_of_one_name_in_different_cases_are_both_found(register: Project) -> None:
    """Shift Technology (Shift, capitalised) and 株式会社SHIFT (SHIFT, an English word kept in capitals):
    a story naming both finds each at its own mention, the second after the first was found."""
    register.vendors_path.write_text("name,aliases\nShift Technology,Shift\n株式会社SHIFT,SHIFT\n", encoding="utf-8")
    text = "Shift, the French insurance software maker, and Japan's SHIFT both warn of phishing"
    assert _found(register, text) == [("Shift Technology", "Shift"), ("株式会社SHIFT", "SHIFT")]


def test_a_long_near_miss_whose_rarest_word_is_short_and_last_is_read_from_its_first_letter(register: Project) -> None:
    """'Labs', the rarest word of the register's name, is last: the words around it are read back to
    the start of the word the name's length reaches into. The text writes the abbreviation out (and
    misspells it), so that reach ends inside 'Pacific': the run must still start at its 'P'."""
    register.vendors_path.write_text(
        "name,aliases\nPacific Dental Practice Mgmt Labs,\nPacific Dental Partners,\nDental Practice Partners,\n"
        "Practice Mgmt Partners,\n",
        encoding="utf-8",
    )
    [m] = register.matches("Ransomware attack on Pacific Dental Practice Managment Labs exposed patient records")
    assert (m["vendor"], m["how"], m["surface"]) == (
        "Pacific Dental Practice Mgmt Labs",
        "fuzzy",
        "Pacific Dental Practice Managment Labs",
    )


def test_a_long_near_miss_whose_rarest_word_is_first_is_read_to_its_last_word(register: Project) -> None:
    """The mirror case: 'Apex', the rarest word, opens the name, and the text writes 'North West' and
    'Management' for the register's 'Northwest' and 'Mgmt'. The words after it are read to the end of
    the word the name's length reaches into: 'Svcs' is still part of the run."""
    register.vendors_path.write_text(
        "name,aliases\nApex Pacific Northwest Dental Practice Mgmt Svcs,\nPacific Northwest Partners,\n"
        "Northwest Dental Partners,\nDental Practice Partners,\nPractice Mgmt Partners,\nMgmt Svcs Partners,\n",
        encoding="utf-8",
    )
    text = "Breach at Apex Pacific North West Dental Practice Management Svcs exposed patient records"
    assert _found(register, text) == [
        ("Apex Pacific Northwest Dental Practice Mgmt Svcs", "Apex Pacific North West Dental Practice Management Svcs")
    ]


def test_a_near_miss_of_a_three_letter_word_is_found_from_a_longer_word(register: Project) -> None:
    """Near misses are looked for around a word of 4 letters or more, even when a 3-letter word of the
    name is rarer in the register: 'Son Valley Dental Practice' (a typo) is Sun Valley Dental Practice."""
    register.vendors_path.write_text(
        "name,aliases\nSun Valley Dental Practice,\nValley Dental Partners,\nDental Practice Partners,\n"
        "Valley Practice Partners,\n",
        encoding="utf-8",
    )
    text = "Ransomware attack at Son Valley Dental Practice exposed patient records"
    assert _found(register, text) == [("Sun Valley Dental Practice", "Son Valley Dental Practice")]


def test_a_one_word_name_does_not_make_a_longer_names_word_common(register: Project) -> None:
    """The near miss of 'Live Nation Ticketmaster' is looked for from its rarest word among names of
    several words: 'Ticketmaster', also registered alone, is no more common for that, so a misspelt
    'Naton' is still found."""
    register.vendors_path.write_text(
        'name,aliases\n"Live Nation Entertainment, Inc.",Live Nation Ticketmaster\nTicketmaster L.L.C.,Ticketmaster\n',
        encoding="utf-8",
    )
    [m] = register.matches("Hackers claim Live Naton Ticketmaster data theft")
    assert (m["vendor"], m["how"], m["surface"]) == (
        "Live Nation Entertainment, Inc.",
        "fuzzy",
        "Live Naton Ticketmaster",
    )


def test_a_near_miss_is_shown_where_it_stands_not_inside_a_longer_name_before_it(register: Project) -> None:
    register.vendors_path.write_text("name,aliases\nAcme Data Labs,\n", encoding="utf-8")
    text = "Acme Data Laboratory unaffected, says breach hit Acme Data Lab"
    [m] = register.matches(text)
    assert (m["how"], m["surface"], m["start"]) == ("fuzzy", "Acme Data Lab", text.rindex("Acme Data Lab"))


def test_a_name_in_capitals_that_is_an_english_word_keeps_its_capitals(register: Project) -> None:
    """TOKEN and CORONA are registered in capitals and are English words (wordfreq 3.8 and 3.4, over
    the threshold of 3): 'Token theft' and 'Corona' opening a headline are not those companies."""
    register.vendors_path.write_text("name,aliases\nTOKEN CORPORATION,\nCORONA CORPORATION,\n", encoding="utf-8")
    assert _found(register, "Token theft lets attackers bypass MFA") == []
    assert _found(register, "Corona-themed phishing wave hits banks") == []
    assert _found(register, "TOKEN discloses unauthorised access to a test server") == [("TOKEN CORPORATION", "TOKEN")]


def test_a_sha1_written_before_a_name_is_not_the_head_of_a_longer_name(register: Project) -> None:
    """A capitalised Latin word before a one-word name in Japanese text makes it the tail of a longer name
    ('Cobalt Strike'); the word is looked for in the 40 characters before the name. A 40-character SHA-1
    hash (an indicator in a threat report) with its space is 41: it is no name's head, and Okta is found."""
    sha1 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4"
    assert len(sha1) == 40
    assert _found(register, f"IoC: {sha1} Oktaを装うフィッシング") == [("Okta Inc.", "Okta")]


def test_a_katakana_name_run_into_the_word_before_it_stays_refused_before_a_camel_case_product() -> None:
    """スーパーアサヒ is another shop (Super Asahi), not アサヒ: a katakana name run into the katakana word before it
    is refused, and a camel-case product name after it ('AndroidApp') does not make it a mention."""
    matcher = Matcher(parse_vendors("name,aliases,domains\nアサヒPay株式会社,アサヒPay,\n"))

    def found(text: str) -> list[str]:
        return [m.surface for m in matcher.match({"title": text})]

    assert found("スーパーアサヒPayで障害") == []
    assert found("スーパーアサヒPayAndroidAppで障害") == []
    assert found("決済アプリのアサヒPayAndroidAppで不正ログイン") == ["アサヒPay"]


def test_the_evidence_is_the_mention_accepted_not_a_refused_one_just_before_it(register: Project) -> None:
    """Folding drops the full stop and a space after 'University of Zurich.', so the accepted mention's
    offset in the folded text falls within the refused one's span as written: the mentions are compared
    by where each starts, and the evidence is the company's, not the university's."""
    text = "Researchers at the University of Zurich.  Zurich said its customers were unaffected"
    [m] = register.matches(text)
    assert (m["vendor"], m["surface"], m["start"]) == ("Zurich Insurance Group Ltd", "Zurich", text.rindex("Zurich"))
