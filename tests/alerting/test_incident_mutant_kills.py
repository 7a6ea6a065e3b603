"""Incident linking (monitor/alerting/incidents.py) on edges no other test noticed: each test was
written against a surviving cosmic-ray mutant (README "Mutation testing")."""

from __future__ import annotations

from alert_support import morning

from monitor.alerting.incidents import (
    Candidate,
    Report,
    continues_coverage,
    counts,
    decide,
    facts,
    picture,
    picture_change,
    similarity,
    status,
)
from monitor.normalize import fold


def _one_report(title: str, first_day: str, last_day: str | None = None, incident_id: int = 7) -> Candidate:
    """An incident opened by one report published on first_day, last seen on last_day (default the same)."""
    report = Report(title, title, morning(first_day))
    return Candidate(incident_id, morning(first_day), morning(last_day or first_day), (report,))


def test_a_japanese_vendor_name_run_into_latin_letters_is_left_out_of_the_title_comparison() -> None:
    """Titles are compared without the vendor's name: 'LINEヤフーID' is the name and 'ID', so two outlets
    that differ only in naming the vendor have the same title."""
    names = (fold("LINEヤフー"),)
    assert similarity("LINEヤフーIDに不正ログイン、約44万件", "IDに不正ログイン、約44万件", names) == 1.0


def test_an_attack_month_without_a_day_is_read_as_the_months_end() -> None:
    """A report dating the attack two weeks or more before it was published points back to an earlier
    event; '9月' alone is read as the end of September (the 28th), so on 11 October it does not yet."""
    first = "アクメ社で受注システム停止、ランサムウェア被害"
    incident = _one_report(first, "2025-10-01", "2025-10-03")
    text = "アクメ社、9月にランサムウェア攻撃を受けたと発表"
    on_11th = decide(Report(text, text, morning("2025-10-11")), [incident], ("アクメ",))
    assert on_11th.incident_id == 7 and "coverage runs" in on_11th.reason, on_11th
    on_12th = decide(Report(text, text, morning("2025-10-12")), [incident], ("アクメ",))
    assert on_12th.incident_id == 7 and on_12th.reason == "refers back to an earlier event", on_12th


def test_an_affected_count_exactly_doubled_changes_the_picture() -> None:
    """README: a reply is shown in the channel when the affected count is at least twice the largest before."""
    before = picture(["アクメ社、約22万件の個人情報が流出した可能性"])
    assert picture_change(before, "アクメ社、流出は約44万件に拡大") == "affected count up from 220,000 to 440,000"
    assert picture_change(before, "アクメ社、流出は約43万件に拡大") == ""


def test_a_leak_confirmed_after_a_first_report_that_did_not_investigate_says_only_that() -> None:
    before = picture(["Acme Corp hit by ransomware attack, systems offline"])
    assert picture_change(before, "Acme Corp confirms customer data was stolen") == "data leak confirmed"
    investigated = picture(["Acme Corp investigating possible data theft after ransomware attack"])
    assert (
        picture_change(investigated, "Acme Corp confirms customer data was stolen")
        == "data leak confirmed after it was investigated"
    )


def test_a_report_dating_the_attack_partly_outside_the_incidents_time_still_joins_it() -> None:
    """Only a report whose every attack month lies outside the incident's time reads as another event:
    'from January until the ransomware attack in April' names April, within March to June."""
    first = Report("Acme Corp hit by ransomware attack", "Acme Corp hit by ransomware attack\n", morning("2024-03-05"))
    incident = Candidate(7, morning("2024-03-05"), morning("2024-06-10"), (first,))
    text = "Acme Corp says attackers were in its network from January until the ransomware attack in April"
    decision = decide(Report(text, text, morning("2024-06-20")), [incident], ("acme corp",))
    assert decision.incident_id == 7, decision


def test_an_impossible_attack_date_is_read_as_its_month() -> None:
    """'2月29日' of a common year or 'September 31' is no day; the month still dates the attack."""
    for text in (
        "アクメ社、2025年2月29日に受けたランサムウェア攻撃について",
        "Acme Corp says the ransomware attack on September 31 hit payroll",
    ):
        decide(Report(text, text, morning("2025-11-20")), [])  # no exception
    ja = "アクメ社、2025年2月29日に受けたランサムウェア攻撃について"
    assert (
        facts(ja, morning("2025-11-20").date()).months == {(2025, 2)}
        and not facts(ja, morning("2025-11-20").date()).days
    )


def test_the_same_figure_in_oku_bn_and_digits_is_one_figure() -> None:
    """Figures are rounded to two significant figures after their unit is applied."""
    assert counts("1.35億件の個人情報が流出") == counts("135 million records exposed") == {140_000_000}
    assert counts("1.35bn records exposed") == counts("1,350,000,000 records exposed") == {1_400_000_000}
    assert counts("13.5千件の個人情報") == counts("13,500件の個人情報") == {14_000}
    assert counts("1.25b records exposed") == counts("1,250,000,000 records exposed") == {1_200_000_000}


def test_a_japanese_word_of_one_character_counts_in_the_title_comparison() -> None:
    """'米Okta' (the US Okta) and '英Okta' (the UK one): the titles differ by that one-kanji word."""
    names = ("okta",)
    us, uk = "米Okta、サポートシステムに不正アクセス", "英Okta、サポートシステムに不正アクセス"
    assert similarity(us, uk, names) < similarity(us, us, names) == 1.0


def test_two_reports_dating_the_attack_to_the_first_of_a_month_are_one_incident() -> None:
    first = "Acme Corp says it was hit by ransomware on September 1"
    incident = _one_report(first, "2023-09-04")
    title = "Acme Corp outage traced to a ransomware attack on September 1"
    decision = decide(Report(title, title, morning("2023-12-20")), [incident])
    assert decision.incident_id == 7 and "same attack date: 2023-09-01" in decision.reason, decision


def test_a_report_naming_the_attack_date_joins_that_incident_not_a_later_one_it_could_refer_back_to() -> None:
    """Evidence of the same event (the attack date) is stronger than a report merely pointing back,
    whichever incident was reported on last."""
    dated = "Acme Corp says it was hit by ransomware on September 29"
    by_date = Candidate(7, morning("2023-10-02"), morning("2023-10-05"), (Report(dated, dated, morning("2023-10-02")),))
    later = "Acme Corp hit by ransomware attack, factories halted"
    running_later = _one_report(later, "2023-10-10", "2023-11-20", incident_id=8)
    title = "Acme Corp: the ransomware attack on September 29 began with a phishing email"
    decision = decide(Report(title, title, morning("2024-06-10")), [by_date, running_later], ("acme corp",))
    assert decision.incident_id == 7 and "same attack date: 2023-09-29" in decision.reason, decision


def test_the_first_affected_count_given_is_not_a_change_of_the_picture() -> None:
    before = picture(["Acme Corp hit by ransomware attack, systems offline"])
    assert picture_change(before, "Acme Corp says 12,000 customers are affected") == ""


def test_each_report_says_where_the_incident_stands() -> None:
    assert status("Acme Corp confirms customer data was stolen") == "data leak confirmed"
    assert status("アクメ社、システムが復旧") == "recovering"
    assert status("Acme Corp hit by ransomware attack") == "reported"


def test_a_report_naming_no_other_kind_joins_up_to_the_45th_day_after_the_last_report() -> None:
    first = "Acme Corp hit by ransomware attack"
    incident = _one_report(first, "2024-01-01", "2024-01-10")
    title = "Acme Corp restores payroll systems after ransomware"
    on_day_45 = decide(Report(title, title, morning("2024-02-24")), [incident], ("acme corp",))
    assert on_day_45.incident_id == 7 and "coverage runs (last report 45 days before)" in on_day_45.reason, on_day_45
    on_day_46 = decide(Report(title, title, morning("2024-02-25")), [incident], ("acme corp",))
    assert on_day_46.incident_id is None, on_day_46


def test_the_same_attacker_outweighs_an_attack_month_outside_the_incidents_time() -> None:
    """Attackers in the network since January, the attack in March: the same LockBit incident."""
    first = "LockBit claims ransomware attack on Acme Corp"
    incident = _one_report(first, "2024-03-10", "2024-04-05")
    title = "Acme Corp: LockBit attackers were in its network since the attack in January"
    decision = decide(Report(title, title, morning("2024-06-20")), [incident], ("acme corp",))
    assert decision.incident_id == 7 and "same actor: lockbit" in decision.reason, decision


def test_an_attack_date_in_a_later_sentence_of_the_summary_is_read() -> None:
    first = "Acme Corp says it was hit by ransomware on September 29"
    incident = _one_report(first, "2023-10-02")
    title = "Acme Corp publishes an update for customers"
    text = title + "\nThe company expects a full recovery. The ransomware attack on September 29 hit payroll."
    decision = decide(Report(title, text, morning("2023-12-20")), [incident], ("acme corp",))
    assert decision.incident_id == 7 and "same attack date: 2023-09-29" in decision.reason, decision


def test_of_two_equally_strong_incidents_with_the_same_last_report_the_first_given_is_joined() -> None:
    """Storage gives the vendor's incidents newest first (by last report, then the one opened last);
    a report that fits two of them equally well joins the first, so the choice is that order's."""
    first = "Acme Corp hit by ransomware attack, systems offline"
    older = Candidate(7, morning("2024-03-01"), morning("2024-03-05"), (Report(first, first, morning("2024-03-01")),))
    newer = Candidate(8, morning("2024-03-04"), morning("2024-03-05"), (Report(first, first, morning("2024-03-04")),))
    text = "Acme Corp ransomware attack: systems still offline"
    report = Report(text, text, morning("2024-03-06"))
    joined = decide(report, [newer, older], ("acme corp",))
    assert joined.incident_id == 8 and joined.strength == 3, joined
    assert decide(report, [older, newer], ("acme corp",)).incident_id == 7


def test_the_vendors_incidents_with_the_same_last_report_are_given_newest_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two incidents whose last reports carry the same time (feeds that give only the day): the one
    opened last comes first, whatever order SQLite would pick."""
    from monitor.storage import incident_store
    from monitor.storage.store import Store

    with Store(tmp_path / "monitor.db") as store, store.write() as db:
        ids = [incident_store.open_incident(db, "Acme Corp", f"report {i}", "2024-03-05T00:00:00Z") for i in range(3)]
        found = incident_store.candidates(db, "Acme Corp", morning("2024-03-06"))
    assert [c.id for c in found] == ids[::-1]


def test_a_japanese_figure_with_a_unit_and_no_digit_before_it_counts_that_unit_once() -> None:
    """'1億千万件' is 110 million: 千 alone is one thousand, and 万 after it multiplies the section."""
    assert counts("アクメ社、顧客情報1億千万件が流出した可能性") == {110_000_000}
    assert counts("アクメ社、2千万件の顧客情報が流出") == {20_000_000}


def test_the_data_theft_of_a_named_earlier_year_refers_back_to_it() -> None:
    """'the 2022 data theft' (no month) dates the event it speaks of: a report of 2024 that names it
    points back to an earlier event; 'the March data theft' (no year) is read without failing."""
    assert facts("Acme Corp settles lawsuit over the 2022 data theft", morning("2024-05-02").date()).past
    assert not facts("Acme Corp says the March data theft hit payroll", morning("2024-05-02").date()).past


def test_only_the_first_final_report_changes_the_picture() -> None:
    """README: a reply is shown in the channel for the vendor's own final report, the first one; a
    second outlet's story on that final report stays in the thread."""
    before = picture(["アクメ社でランサムウェア被害", "アクメ社、最終報告を公表 ランサムウェア被害の調査結果"])
    assert picture_change(before, "アクメ社が最終報告 ランサムウェア被害") == ""
    assert picture_change(picture(["アクメ社でランサムウェア被害"]), "アクメ社が最終報告") == "the final report"


def test_an_incident_word_broken_by_a_line_break_still_makes_a_weak_report_coverage() -> None:
    """Japanese text hard-wrapped inside a word ('不\\n正ログイン', from a press release's fixed-width
    lines) still speaks of the incident: a report below the breach threshold is compared with the
    vendor's incidents."""
    assert continues_coverage("アクメ社の会員サイトに不\n正ログイン、利用者に注意呼びかけ")
    assert not continues_coverage("アクメ社の会員サイトをリニューアル、利用者に案内")


def test_a_figure_in_thousands_is_kept_to_two_significant_digits() -> None:
    """'13.5 thousand customers' is 13,500, kept as 14,000 (two significant digits, the half to even),
    the same figure as '14,000 customers' in another outlet's report."""
    assert counts("Acme says the data of 13.5 thousand customers was exposed") == {14_000}
    assert counts("Acme says the data of 14,000 customers was exposed") == {14_000}


def test_the_month_and_year_of_a_named_earlier_breach_date_it() -> None:
    """'the March 2023 breach' dates the event the report speaks of to March 2023."""
    assert facts("Acme Corp says the March 2023 breach exposed payroll data", morning("2024-05-02").date()).months == {
        (2023, 3)
    }


def test_nine_hundred_written_with_hyaku_is_nine_hundred() -> None:
    """'9百万件' is 9 million and '9百人' 900: 百 is exactly one hundred (an error of one in a hundred
    shows at 9百: 9.09 million rounds to 9.1 million)."""
    assert counts("アクメ社、顧客情報約9百万件が流出した可能性") == {9_000_000}
    assert counts("アクメ社、約9百人分の個人情報が流出") == {900}


def test_twelve_and_a_half_thousand_is_one_figure_however_it_is_written() -> None:
    """12.5千, 1.25万 and 12,500 are the same count: a report giving it one way after another gave it the
    other way does not change the picture (千 read as 1,001 made 12.5千 round to 13,000)."""
    written = ("12.5千件の顧客情報", "1.25万件の顧客情報", "12,500件の顧客情報", "12500人分の個人情報")
    assert len({counts(w) for w in written}) == 1, {w: counts(w) for w in written}
