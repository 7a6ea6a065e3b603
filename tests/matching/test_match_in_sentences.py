"""Matching rules on names as they stand inside whole sentences, not only at the start of a headline.

Each test here was written against a rule that the short headline tests in test_match.py passed
without exercising (found by `make mutants`, see README "Mutation testing")."""

from __future__ import annotations

from monitor.matching.matcher import Matcher
from monitor.matching.vendors import parse_vendors


def matcher_for(csv_rows: str) -> Matcher:
    return Matcher(parse_vendors("name,aliases,domains\n" + csv_rows))


def vendors_named(matcher: Matcher, title: str, summary: str = "") -> list[str]:
    return [m.vendor for m in matcher.match({"title": title, "summary": summary})]


def test_university_named_after_a_city_mid_sentence_is_not_the_company() -> None:
    m = matcher_for("Zurich Insurance Group Ltd,Zurich,\n")
    assert vendors_named(m, "Hackers stole student records from the University of Zurich last week") == []
    assert vendors_named(m, "Hackers stole policy records from Zurich last week") == ["Zurich Insurance Group Ltd"]


def test_two_vendors_sharing_a_name_each_match_where_their_own_rule_is_met() -> None:
    # 'トキハ' is an alias of the first vendor (matched anywhere) and the shortened name of the second
    # (matched only beside a company marker): its second mention, 'トキハ社', names the second vendor too.
    m = matcher_for("トキハ産業株式会社,トキハ,\nトキハホールディングス株式会社,,\n")
    assert vendors_named(m, "トキハで障害") == ["トキハ産業株式会社"]
    assert sorted(vendors_named(m, "トキハで障害、トキハ社が発表")) == [
        "トキハホールディングス株式会社",
        "トキハ産業株式会社",
    ]


def test_near_miss_inside_another_vendors_longer_name_is_not_a_mention() -> None:
    # 'Perry Johnson Associate' is a near miss of Perry Johnson Associates (fuzzy, found through its
    # rarest word 'johnson' in a register with other '... Associates'); at the end of another
    # vendor's registered name it is part of that name.
    m = matcher_for(
        "Perry Johnson Associates,,\nWest Perry Johnson Associate,,\n"
        "Kline Associates Group,,\nBaker Tilly Associates,,\n"
    )
    assert vendors_named(m, "Perry Johnson Associate reports a breach") == ["Perry Johnson Associates"]
    assert vendors_named(m, "Breach at West Perry Johnson Associate") == ["West Perry Johnson Associate"]


def test_name_inside_another_vendors_longer_name_is_not_a_mention() -> None:
    m = matcher_for("NTT株式会社,NTT,\nNTTデータ株式会社,NTTデータ,\n")
    assert vendors_named(m, "NTTデータに不正アクセス") == ["NTTデータ株式会社"]
    assert vendors_named(m, "NTTに不正アクセス") == ["NTT株式会社"]


def test_four_letter_name_registered_bare_needs_no_company_marker() -> None:
    # 'link' is an ordinary word, but a vendor that writes itself 'Link' is matched in that case.
    m = matcher_for("Link,,\n")
    assert vendors_named(m, "Link confirms a data breach") == ["Link"]
    assert vendors_named(m, "Hackers posted a link to the data") == []


def test_fuzzy_near_miss_mid_sentence_still_matches() -> None:
    m = matcher_for("Perry Johnson Associates,,\n")
    found = m.match({"title": "Patients told of breach at Perry Johnson Associate last year"})
    assert [(f.vendor, f.how) for f in found] == [("Perry Johnson Associates", "fuzzy")]
    assert "Perry Johnson Associate" in found[0].surface


def test_vendor_named_in_the_summary_and_by_the_link_is_shown_by_its_link() -> None:
    # Evidence order: the title, then the link's host, then the summary, then the body.
    m = matcher_for("Perry Johnson Associates,,pjats.com\n")
    found = m.match(
        {"title": "Transcription firm breach", "summary": "Perry Johnson Associates says"},
        "https://news.pjats.com/notice",
    )
    assert [(f.field, f.surface, f.score) for f in found] == [("link", "news.pjats.com", 100.0)]


def test_name_in_quotes_or_brackets_at_the_start_of_a_headline() -> None:
    m = matcher_for("Okta Inc.,,\n")
    for title in ("“Okta” confirms support system breach", "(Okta) confirms support system breach"):
        assert vendors_named(m, title) == ["Okta Inc."], title


def test_japanese_name_ending_in_latin_letters_run_into_more_letters_is_another_name() -> None:
    # 日本HPE (Hewlett Packard Enterprise's Japanese arm) is not 日本HP.
    m = matcher_for("日本HP株式会社,日本HP,\n日本ヒューレット・パッカード合同会社,,\n")
    assert vendors_named(m, "日本HPに不正アクセス") == ["日本HP株式会社"]
    assert vendors_named(m, "日本HPEに不正アクセス") == []


def test_near_miss_of_a_multi_word_name_mid_sentence_matches_as_at_the_start() -> None:
    # A misspelt name one letter short ('Plum Design' for Plume Design, 'Acme Data Lab' for Acme Data
    # Labs) is matched by its fuzzy score wherever it stands, not only as the first words of the text.
    m = matcher_for('"Plume Design, Inc.",,\nAcme Data Labs,,\n')
    assert vendors_named(m, "Plum Design confirms a breach") == ["Plume Design, Inc."]
    assert vendors_named(m, "Breach at Plum Design confirmed") == ["Plume Design, Inc."]
    assert vendors_named(m, "Attackers leaked files after a breach at Acme Data Lab, data stolen") == ["Acme Data Labs"]
    found = m.match({"title": "Breach at Plum Design confirmed"})
    assert [(f.how, f.surface) for f in found] == [("fuzzy", "Plum Design")]
    # Other words around the anchor do not make a near miss of it.
    assert vendors_named(m, "Breach at Plum Street design studio confirmed") == []


def test_three_kanji_name_inside_a_longer_company_name_is_not_a_mention() -> None:
    # 富士通ゼネラル and 日本電気硝子 are other companies than 富士通 and 日本電気: a name run into katakana, or
    # into more kanji that end in a legal form, is part of a longer name.
    m = matcher_for("富士通株式会社,富士通,\n日本電気株式会社,日本電気,\n")
    assert vendors_named(m, "富士通ゼネラルにランサムウェア攻撃、業務システムが停止") == []
    assert vendors_named(m, "株式会社富士通ゼネラルは、不正アクセスを受けたと発表した") == []
    assert vendors_named(m, "日本電気硝子株式会社のサーバに不正アクセス") == []
    # The name with a particle, a comma or its own legal form is the company.
    for text in (
        "富士通が不正アクセスを公表",
        "富士通は12日、情報漏えいの可能性を発表した",
        "富士通のクラウドサービスに不正アクセス",
        "富士通、顧客情報流出のおそれ",
        "富士通株式会社は不正アクセスを受けたと発表した",
    ):
        assert vendors_named(m, text) == ["富士通株式会社"], text
    # A service of the company named with an ordinary word, and a run-together headline, still name it.
    assert vendors_named(m, "日本電気デジタル窓口で不正ログイン") == ["日本電気株式会社"]
    assert vendors_named(m, "富士通ランサム被害で受注停止") == ["富士通株式会社"]


def test_name_registered_in_capitals_matches_as_english_news_writes_it() -> None:
    # TOPPAN and DENSO write themselves in capitals; English news writes 'Toppan' and 'Denso'.
    m = matcher_for("TOPPAN,,\nDENSO,,\nSHIFT,,\nSCREEN,,\n")
    assert vendors_named(m, "Toppan says a ransomware attack exposed client data") == ["TOPPAN"]
    assert vendors_named(m, "Hackers hit Denso's German unit and leak 1.4 TB of files") == ["DENSO"]
    assert vendors_named(m, "DENSO confirms ransomware attack") == ["DENSO"]
    # Written in lower case it is not the name.
    assert vendors_named(m, "a toppan-style printing plate was found") == []
    # A name in capitals that is also an English word keeps its capitals: 'Shift' opening a headline is the word.
    assert vendors_named(m, "Shift to cloud exposes records at a hospital") == []
    assert vendors_named(m, "Attackers shift tactics after the takedown") == []
    assert vendors_named(m, "Screen sharing app leaked customer messages") == []
    assert vendors_named(m, "SHIFT discloses unauthorised access to a test server") == ["SHIFT"]


def test_a_short_katakana_name_before_nado_is_the_company() -> None:
    """'イセトーなど' (イセトー and others): など after a name lists it with others, as '富士通など' does
    (a short name followed by other hiragana is still read as a word of a phrase, like 高速な)."""
    m = matcher_for("株式会社イセトー,イセトー,\n")
    assert vendors_named(m, "委託先のイセトーなど複数社で情報漏えい") == ["株式会社イセトー"]
    assert vendors_named(m, "イセトーなど7社にランサムウェア攻撃") == ["株式会社イセトー"]
