"""Incident linking (monitor/alerting/incidents.py) on edges no other test noticed: each test was
written against a surviving cosmic-ray mutant (README "Mutation testing")."""

from __future__ import annotations

from datetime import datetime

from monitor.alerting.incidents import Candidate, Report, decide, similarity
from monitor.normalize import fold


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00:00+00:00")


def test_a_japanese_vendor_name_run_into_latin_letters_is_left_out_of_the_title_comparison() -> None:
    """Titles are compared without the vendor's name: 'LINEヤフーID' is the name and 'ID', so two outlets
    that differ only in naming the vendor have the same title."""
    names = (fold("LINEヤフー"),)
    assert similarity("LINEヤフーIDに不正ログイン、約44万件", "IDに不正ログイン、約44万件", names) == 1.0


def test_an_attack_month_without_a_day_is_read_as_the_months_end() -> None:
    """A report dating the attack two weeks or more before it was published points back to an earlier
    event; '9月' alone is read as the end of September (the 28th), so on 11 October it does not yet."""
    first = "アクメ社で受注システム停止、ランサムウェア被害"
    incident = Candidate(7, _at("2025-10-01"), _at("2025-10-03"), (Report(first, first, _at("2025-10-01")),))
    text = "アクメ社、9月にランサムウェア攻撃を受けたと発表"
    on_11th = decide(Report(text, text, _at("2025-10-11")), [incident], ("アクメ",))
    assert on_11th.incident_id == 7 and "coverage runs" in on_11th.reason, on_11th
    on_12th = decide(Report(text, text, _at("2025-10-12")), [incident], ("アクメ",))
    assert on_12th.incident_id == 7 and on_12th.reason == "refers back to an earlier event", on_12th
