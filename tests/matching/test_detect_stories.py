"""Breach detection on real one-paragraph breach stories no one here wrote: the breach lists in ../shared/data/breaches.

Every story there tells a breach, most without the word: 'A poorly-configured database left names, email addresses
and phone numbers exposed', 'Stolen email addresses and hashed passwords were being sold on the dark web'. The stories
the role set holds are left out: the role set scores them. The floors are what was measured (session 15: IIB 270 of
372, 0.726; HIBP 89 of 91, and all 61 left after the twelfth batch took 30), less a little; each story the monitor does not read as a breach is one alert lost.
"""

from __future__ import annotations

import csv
import json
import re
from html import unescape

import pytest
from conftest import shared_data

from monitor.eval.evaluate import EVAL_DIR
from monitor.matching.detect import assess


def _in_role_set() -> set[str]:
    lines = (EVAL_DIR / "roles.jsonl").read_text(encoding="utf-8").splitlines()
    return {str(json.loads(line).get("source", "")) for line in lines}


@pytest.mark.shared_data
def test_the_breach_lists_stories_are_read_as_breaches() -> None:
    used = _in_role_set()
    path = shared_data("breaches", "iib_worlds_biggest_breaches.csv")
    with path.open(encoding="utf-8", errors="replace", newline="") as f:
        stories = [
            (r["organisation"], r["story"])
            for r in csv.DictReader(f)
            if r["story"].strip() and f"breaches/iib_worlds_biggest_breaches.csv ID {r['ID']}" not in used
        ]
    read = sum(assess(org, story).breach for org, story in stories)
    assert len(stories) > 300
    assert read / len(stories) >= 0.71, f"IIB stories read as breaches: {read} of {len(stories)}"


@pytest.mark.shared_data
def test_have_i_been_pwned_write_ups_are_read_as_breaches() -> None:
    used = _in_role_set()
    entries = []
    for name in ("hibp_breaches_2018-07_themains.json", "hibp_recent_union_excusemi.json"):
        for e in json.loads(shared_data("breaches", name).read_text(encoding="utf-8")):
            # a spam list, a fabricated breach or stealer logs is no organisation's breach
            flags = ("IsFabricated", "IsSpamList", "IsMalware", "IsStealerLog")
            if any(e.get(k) for k in flags) or f"breaches/hibp: {e['Title']}" in used:
                continue
            entries.append((e["Title"], re.sub(r"<[^>]+>", "", unescape(e["Description"]))))
    read = sum(assess(title, text).breach for title, text in entries)
    assert len(entries) > 40  # (each labelled batch of the role set takes some)
    assert read >= len(entries) - 4, f"HIBP write-ups read as breaches: {read} of {len(entries)}"
