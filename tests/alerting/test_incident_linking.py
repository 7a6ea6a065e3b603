"""Which incident a report joins, decided from what the report says (monitor/alerting/incidents.py's
public rule: counts, decide, choose), on the edges the end-to-end thread tests do not reach."""

from __future__ import annotations

from alert_support import morning

from monitor.alerting.incidents import (
    Candidate,
    Report,
    choose,
    continues_coverage,
    counts,
    decide,
    picture,
    picture_change,
    similarity,
)


def _incident(title: str, first: str, last: str) -> Candidate:
    return Candidate(7, morning(first), morning(last), (Report(title, title + "\n", morning(first)),))


def test_figures_rounded_differently_by_two_outlets_are_the_same_figure() -> None:
    assert counts("438,217 customers affected") == counts("約44万件の顧客情報") == {440000}
    assert counts("1,234 users") == counts("約1200人") == {1200}


def test_english_report_naming_the_year_of_the_earlier_attack_refers_back_to_it() -> None:
    incident = _incident("Acme Corp hit by ransomware attack", "2023-09-04", "2023-10-02")
    later = "Acme Corp to pay $2m settlement over the 2023 ransomware attack"
    link = choose(Report(later, later, morning("2024-06-10")), [incident])
    assert link is not None and link.incident_id == 7, link
    # The same words without pointing back, eight months after the last report: a new incident.
    assert (
        choose(
            Report("Acme Corp hit by ransomware attack", "Acme Corp hit by ransomware attack", morning("2024-06-10")),
            [incident],
        )
        is None
    )


def test_near_duplicate_title_counts_while_the_coverage_runs_up_to_the_45th_day() -> None:
    incident = _incident("Acme Corp confirms breach of support case system", "2024-01-01", "2024-01-10")
    title = "Acme Corp support case system breach: what we know"
    on_day_45 = decide(Report(title, title, morning("2024-02-24")), [incident], ("acme corp",))
    assert on_day_45.incident_id == 7 and "similar title" in on_day_45.reason, on_day_45
    on_day_46 = decide(Report(title, title, morning("2024-02-25")), [incident], ("acme corp",))
    assert "similar title" not in on_day_46.reason, on_day_46


def test_english_report_pointing_to_the_february_attack_months_later_refers_back_to_it() -> None:
    # README: a report joins when it points back to an earlier event ("the February attack").
    incident = _incident("Acme Corp hit by ransomware attack", "2024-02-05", "2024-02-20")
    later = "Acme Corp restores all systems after the February attack"
    link = choose(Report(later, later, morning("2024-06-10")), [incident])
    assert link is not None and link.incident_id == 7, link


def _with_id(incident_id: int, title: str, first: str, last: str) -> Candidate:
    return Candidate(incident_id, morning(first), morning(last), (Report(title, title + "\n", morning(first)),))


def test_a_quiet_old_incident_does_not_hide_the_running_one() -> None:
    old = _with_id(3, "Acme Corp hit by ransomware attack", "2022-03-01", "2022-03-05")
    running = _with_id(9, "Acme Corp hit by ransomware attack", "2024-05-20", "2024-06-01")
    title = "Acme Corp ransomware attack: systems still down"
    assert decide(Report(title, title, morning("2024-06-05")), [old, running]).incident_id == 9


def test_the_new_events_own_coverage_calling_it_new_still_joins_it() -> None:
    # A report saying 'another attack' is a new incident against last year's; against an incident
    # opened days ago it is more coverage of that new attack.
    fresh = _incident("Acme Corp hit by another ransomware attack", "2024-06-01", "2024-06-02")
    title = "Acme Corp suffers another ransomware attack, systems offline"
    link = choose(Report(title, title, morning("2024-06-05")), [fresh])
    assert link is not None and link.incident_id == 7, link


def test_a_new_incident_names_the_two_most_recent_incidents_it_was_not() -> None:
    refused = [
        _with_id(i, "Acme Corp hit by ransomware attack", day, day)
        for i, day in ((9, "2024-01-10"), (10, "2024-02-10"), (11, "2024-03-10"))
    ]
    title = "Acme Corp: customer emails sent to the wrong recipients"  # another kind of incident
    decision = decide(Report(title, title, morning("2024-03-20")), refused)
    assert decision.incident_id is None
    assert decision.reason.startswith("new incident: #11: another kind") and "#10: " in decision.reason, decision
    assert "#9: " not in decision.reason


def test_attack_month_within_the_incidents_time_joins_it() -> None:
    # Reports from January to March; one published in April dates the attack to February.
    incident = Candidate(
        7,
        morning("2024-01-10"),
        morning("2024-03-20"),
        (
            Report("X社に不正アクセス", "X社に不正アクセス\n", morning("2024-01-10")),
            Report("X社、不正アクセスの調査結果", "X社、不正アクセスの調査結果\n", morning("2024-03-20")),
        ),
    )
    title = "X社、2024年2月に受けた不正アクセスについて報告"
    link = choose(Report(title, title, morning("2024-04-01")), [incident])
    assert link is not None and link.incident_id == 7, link


def test_two_english_reports_giving_the_same_attack_date_are_one_incident() -> None:
    incident = _incident("Acme Corp says it was hit by ransomware on September 29", "2023-10-02", "2023-10-02")
    title = "Acme Corp outage traced to a ransomware attack on September 29"
    decision = decide(Report(title, title, morning("2023-12-20")), [incident])
    assert decision.incident_id == 7 and "same attack date: 2023-09-29" in decision.reason, decision


def test_thousands_and_millions_round_like_the_same_figure_in_man() -> None:
    # Two significant figures, rounded alike whatever the unit: 135k = 13.5万, 2.45 million = 245万.
    assert counts("135k customers") == counts("13.5万人") == {140000}
    assert counts("2.45 million users") == counts("245万人") == {2400000}


def test_attack_dated_february_of_a_common_year_refers_back() -> None:
    incident = Candidate(
        7,
        morning("2023-02-20"),
        morning("2023-03-05"),
        (Report("X社に不正アクセス", "X社に不正アクセス\n", morning("2023-02-20")),),
    )
    title = "X社、2023年2月の不正アクセスについて調査結果を公表"
    link = choose(Report(title, title, morning("2023-07-10")), [incident])
    assert link is not None and link.incident_id == 7, link


def test_titles_are_compared_by_their_own_words_not_the_vendors_name_or_single_characters() -> None:
    names = ("acme", "acme widgets")
    # Only the vendor's name in common: nothing in common.
    assert similarity("Acme Widgets payroll portal outage", "Acme Widgets hit by phishing", names) == 0.0
    # Japanese is compared by pairs of characters: 大阪の病院 and 病気の大人 share characters, no words.
    assert similarity("大阪の病院", "病気の大人") == 0.0
    # Titles of nothing but the vendor's name and breach words have nothing to compare.
    assert similarity("Okta data breach", "Okta breach", ("okta",)) == 0.0


def test_an_incident_older_than_three_years_is_passed_over_not_the_end_of_the_search() -> None:
    ancient = _with_id(2, "Acme Corp hit by ransomware attack", "2020-01-06", "2020-02-01")
    running = _with_id(9, "Acme Corp hit by ransomware attack", "2024-05-20", "2024-06-01")
    title = "Acme Corp ransomware attack: systems still down"
    assert decide(Report(title, title, morning("2024-06-05")), [ancient, running]).incident_id == 9


def test_an_attack_dated_the_month_before_the_first_report_still_joins() -> None:
    # Discovered in June, the attack itself was in May: the investigation's report says so.
    incident = Candidate(
        7,
        morning("2024-06-03"),
        morning("2024-06-20"),
        (
            Report("X社に不正アクセス", "X社に不正アクセス\n", morning("2024-06-03")),
            Report("X社、不正アクセスの調査状況", "X社、不正アクセスの調査状況\n", morning("2024-06-20")),
        ),
    )
    title = "X社、2024年5月の不正アクセスで顧客情報が流出した可能性"
    decision = decide(Report(title, title, morning("2024-07-01")), [incident])
    assert decision.incident_id == 7, decision
    # Two months before is another attack.
    title = "X社、2024年4月の不正アクセスで顧客情報が流出した可能性"
    decision = decide(Report(title, title, morning("2024-07-01")), [incident])
    assert decision.incident_id is None and "dated 2024-04, outside #7's 2024-06" in decision.reason, decision


def test_the_reason_says_when_a_follow_up_joins_only_because_it_names_no_other_kind() -> None:
    incident = _incident("X社に不正アクセス、顧客情報が流出", "2024-01-10", "2024-01-20")
    title = "X社、決算発表を延期"  # months later: a follow-up (the earnings) that names no kind of incident
    decision = decide(Report(title, title, morning("2024-05-01")), [incident])
    assert (decision.incident_id, decision.reason) == (7, "follow-up referring back (names no other kind)"), decision
    # Pointing back to the earlier event is reason enough on its own.
    incident = _incident("X社に不正アクセス、顧客情報が流出", "2023-06-05", "2023-06-20")
    later = "X社、昨年の不正アクセスを受けセキュリティ体制を強化"
    decision = decide(Report(later, later, morning("2024-05-01")), [incident])
    assert (decision.incident_id, decision.reason) == (7, "refers back to an earlier event"), decision


def test_a_report_giving_only_the_month_matches_a_report_that_gave_the_day() -> None:
    first = "X社、2024年6月5日に不正アクセスを検知"
    incident = Candidate(
        7, morning("2024-06-07"), morning("2024-06-20"), (Report(first, first + "\n", morning("2024-06-07")),)
    )
    title = "X社、2024年6月の不正アクセスについて調査結果を公表"
    decision = decide(Report(title, title, morning("2024-10-01")), [incident])
    assert decision.incident_id == 7 and "same attack month: 2024-06" in decision.reason, decision


def test_a_report_dated_before_the_incident_joins_it_up_to_45_days_earlier() -> None:
    # A source read late (a back-filled feed) brings a report older than the incident's first one.
    incident = _incident("Acme Corp hit by ransomware attack", "2024-03-01", "2024-03-10")
    title = "Acme Corp ransomware attack disrupts operations"
    early = decide(Report(title, title, morning("2024-01-16")), [incident])  # 45 days before 1 March
    assert early.incident_id == 7, early
    too_early = decide(Report(title, title, morning("2024-01-15")), [incident])
    assert too_early.incident_id is None, too_early


def test_a_report_referring_back_reaches_an_incident_quiet_for_exactly_three_years() -> None:
    old = _with_id(3, "Acme Corp hit by ransomware attack", "2021-05-20", "2021-06-05")
    title = "Acme Corp to pay $2m settlement over the 2021 ransomware attack"
    assert decide(Report(title, title, morning("2024-06-05")), [old]).incident_id == 3  # 1096 days: the lookback
    assert decide(Report(title, title, morning("2024-06-06")), [old]).incident_id is None


def test_two_reports_naming_different_days_of_one_month_are_not_linked_by_the_date() -> None:
    first = "X社、2024年6月5日に不正アクセスを検知"
    incident = Candidate(
        7, morning("2024-06-07"), morning("2024-06-20"), (Report(first, first + "\n", morning("2024-06-07")),)
    )
    other_day = "X社、2024年6月9日の不正アクセスについて公表"
    decision = decide(Report(other_day, other_day, morning("2024-10-01")), [incident])
    assert "same attack date" not in decision.reason, decision
    same_day = "X社、2024年6月5日の不正アクセスについて公表"
    decision = decide(Report(same_day, same_day, morning("2024-10-01")), [incident])
    assert (decision.incident_id, decision.reason) == (7, "same attack date: 2024-06-05"), decision


def test_another_attack_is_the_same_new_incident_for_its_first_fourteen_days() -> None:
    fresh = _incident("Acme Corp hit by another ransomware attack", "2024-06-01", "2024-06-02")
    title = "Acme Corp suffers another ransomware attack, systems offline"
    assert decide(Report(title, title, morning("2024-06-15")), [fresh]).incident_id == 7  # 14 days on
    later = decide(Report(title, title, morning("2024-06-16")), [fresh])
    assert later.incident_id is None and "the report calls it another event" in later.reason, later


def test_fewer_than_a_hundred_records_is_not_a_figure_that_links_reports() -> None:
    assert counts("99人の個人情報が流出") == counts("99 users affected") == frozenset()
    assert counts("100人の個人情報が流出") == counts("100 users affected") == {100}


def test_a_report_naming_no_attacker_joins_an_incident_that_named_one() -> None:
    incident = _incident("Acme Corp hit by LockBit ransomware attack", "2024-06-01", "2024-06-03")
    title = "Acme Corp restores systems after ransomware attack"
    assert decide(Report(title, title, morning("2024-06-08")), [incident]).incident_id == 7


def test_a_research_piece_citing_an_incident_is_not_coverage_of_it() -> None:
    assert not continues_coverage("Report finds supply chain attacks rose, led by MOVEit")
    assert continues_coverage("MOVEit breach: more victims named")


def test_a_confirmed_leak_changes_the_picture_once() -> None:
    investigated = picture(["Acme Corp investigating a possible breach"])
    confirmed = "Acme Corp confirms customer data was stolen"
    assert picture_change(investigated, confirmed) == "data leak confirmed after it was investigated"
    assert picture_change(picture([confirmed]), "Acme Corp: customer data was stolen, it confirms") == ""


def test_two_outlets_japanese_headlines_of_one_story_read_as_similar_titles() -> None:
    first = "X社にランサムウェア攻撃、システム障害が発生"
    incident = Candidate(
        7, morning("2024-06-01"), morning("2024-06-01"), (Report(first, first, morning("2024-06-01")),)
    )
    title = "X社でランサムウェア攻撃によるシステム障害が発生"
    decision = decide(Report(title, title, morning("2024-06-02")), [incident], ("x社",))
    assert decision.incident_id == 7 and decision.reason.startswith("similar title"), decision


def test_an_attack_dated_in_the_month_of_the_last_report_is_within_the_incident() -> None:
    incident = Candidate(
        7,
        morning("2024-01-10"),
        morning("2024-03-20"),
        (
            Report("X社に不正アクセス", "X社に不正アクセス\n", morning("2024-01-10")),
            Report("X社、不正アクセスの調査結果", "X社、不正アクセスの調査結果\n", morning("2024-03-20")),
        ),
    )
    title = "X社、2024年3月に受けた不正アクセスについて報告"
    assert decide(Report(title, title, morning("2024-04-01")), [incident]).incident_id == 7


def test_a_report_older_than_the_incidents_last_one_says_0_days_not_a_negative_gap() -> None:
    incident = _incident("Acme Corp hit by LockBit ransomware attack", "2024-06-01", "2024-06-03")
    title = "Acme Corp: ransomware disrupts deliveries"
    decision = decide(Report(title, title, morning("2024-06-01")), [incident], ("acme corp",))
    assert decision.incident_id == 7 and decision.reason.endswith("(last report 0 days before)"), decision
    decision = decide(Report(title, title, morning("2024-06-08")), [incident], ("acme corp",))
    assert decision.reason.endswith("(last report 5 days before)"), decision


def test_a_report_naming_the_same_attacker_months_later_joins_for_that_reason() -> None:
    incident = _incident("Acme Corp hit by LockBit ransomware attack", "2024-06-01", "2024-06-03")
    title = "LockBit claims Acme Corp data theft"
    decision = decide(Report(title, title, morning("2024-09-01")), [incident], ("acme corp",))
    assert (decision.incident_id, decision.reason) == (7, "same actor: lockbit"), decision


def test_of_two_incidents_a_follow_up_could_belong_to_it_joins_the_latest() -> None:
    old = _with_id(3, "X社に不正アクセス", "2023-01-10", "2023-01-20")
    latest = _with_id(9, "X社にランサムウェア攻撃", "2024-01-10", "2024-01-20")
    title = "X社、決算発表を延期"  # the earnings: follows whichever incident came last
    assert decide(Report(title, title, morning("2024-05-01")), [old, latest]).incident_id == 9


def test_an_attack_dated_after_the_incidents_last_month_is_another_one() -> None:
    incident = Candidate(
        7,
        morning("2024-01-10"),
        morning("2024-03-20"),
        (
            Report("X社に不正アクセス", "X社に不正アクセス\n", morning("2024-01-10")),
            Report("X社、不正アクセスの調査結果", "X社、不正アクセスの調査結果\n", morning("2024-03-20")),
        ),
    )
    title = "X社、2024年4月に受けた不正アクセスについて報告"
    decision = decide(Report(title, title, morning("2024-04-25")), [incident])
    assert decision.incident_id is None and "dated 2024-04, outside #7's 2024-01" in decision.reason, decision


def test_an_english_report_giving_the_attacks_month_without_a_day_is_read() -> None:
    incident = _incident("Acme Corp hit by ransomware attack", "2024-01-10", "2024-03-20")
    title = "Acme Corp says the ransomware attack began in March 2024"
    decision = decide(Report(title, title, morning("2024-04-01")), [incident], ("acme corp",))
    assert decision.incident_id == 7, decision
    title = "Acme Corp says the ransomware attack began in October 2023"  # before the incident: another
    assert decide(Report(title, title, morning("2024-04-01")), [incident], ("acme corp",)).incident_id is None
