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
    assert sorted(vendors_named(m, "トキハで障害、トキハ社が発表")) == ["トキハホールディングス株式会社", "トキハ産業株式会社"]


def test_near_miss_inside_another_vendors_longer_name_is_not_a_mention() -> None:
    # 'Perry Johnson Associate' is a near miss of Perry Johnson Associates (fuzzy, found through its
    # rarest word 'johnson' in a register with other '... Associates'); at the end of another
    # vendor's registered name it is part of that name.
    m = matcher_for("Perry Johnson Associates,,\nWest Perry Johnson Associate,,\n"
                    "Kline Associates Group,,\nBaker Tilly Associates,,\n")
    assert vendors_named(m, "Perry Johnson Associate reports a breach") == ["Perry Johnson Associates"]
    assert vendors_named(m, "Breach at West Perry Johnson Associate") == ["West Perry Johnson Associate"]
