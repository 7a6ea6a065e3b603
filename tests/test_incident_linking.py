"""Which incident a report joins, decided from what the report says (monitor/alerting/incidents.py's
public rule: counts, decide, choose), on the edges the end-to-end thread tests do not reach."""

from __future__ import annotations

from datetime import datetime

from monitor.alerting.incidents import Candidate, Report, choose, counts, decide


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00:00+00:00")


def _incident(title: str, first: str, last: str) -> Candidate:
    return Candidate(7, _at(first), _at(last), (Report(title, title + "\n", _at(first)),))


def test_figures_rounded_differently_by_two_outlets_are_the_same_figure() -> None:
    assert counts("438,217 customers affected") == counts("約44万件の顧客情報") == {440000}
    assert counts("1,234 users") == counts("約1200人") == {1200}


def test_english_report_naming_the_year_of_the_earlier_attack_refers_back_to_it() -> None:
    incident = _incident("Acme Corp hit by ransomware attack", "2023-09-04", "2023-10-02")
    later = "Acme Corp to pay $2m settlement over the 2023 ransomware attack"
    link = choose(Report(later, later, _at("2024-06-10")), [incident])
    assert link is not None and link.incident_id == 7, link
    # The same words without pointing back, eight months after the last report: a new incident.
    assert choose(Report("Acme Corp hit by ransomware attack", "Acme Corp hit by ransomware attack",
                         _at("2024-06-10")), [incident]) is None


def test_near_duplicate_title_counts_while_the_coverage_runs_up_to_the_45th_day() -> None:
    incident = _incident("Acme Corp confirms breach of support case system", "2024-01-01", "2024-01-10")
    title = "Acme Corp support case system breach: what we know"
    on_day_45 = decide(Report(title, title, _at("2024-02-24")), [incident], ("acme corp",))
    assert on_day_45.incident_id == 7 and "similar title" in on_day_45.reason, on_day_45
    on_day_46 = decide(Report(title, title, _at("2024-02-25")), [incident], ("acme corp",))
    assert "similar title" not in on_day_46.reason, on_day_46


def test_english_report_pointing_to_the_february_attack_months_later_refers_back_to_it() -> None:
    # README: a report joins when it points back to an earlier event ("the February attack").
    incident = _incident("Acme Corp hit by ransomware attack", "2024-02-05", "2024-02-20")
    later = "Acme Corp restores all systems after the February attack"
    link = choose(Report(later, later, _at("2024-06-10")), [incident])
    assert link is not None and link.incident_id == 7, link
