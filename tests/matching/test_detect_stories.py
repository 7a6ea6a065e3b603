"""Breach detection on real one-paragraph breach stories no one here wrote: the breach lists in ../shared/data/breaches.

Every story there tells a breach, most without the word: 'A poorly-configured database left names, email addresses
and phone numbers exposed', 'Stolen email addresses and hashed passwords were being sold on the dark web'. The IIB stories
the role set holds are left out (the role set scores them); all HIBP write-ups are read. The floors are what was
measured (session 15: IIB 273 of 372, 0.734, from 216; HIBP 437 of 445, from 428), less a little; each story the
monitor does not read as a breach is one alert lost.
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
    # All of them, those in the role set too: each labelled batch takes some, and few are left outside it.
    entries = []
    for name in ("hibp_breaches_2018-07_themains.json", "hibp_recent_union_excusemi.json"):
        for e in json.loads(shared_data("breaches", name).read_text(encoding="utf-8")):
            # a spam list, a fabricated breach or stealer logs is no organisation's breach
            if any(e.get(k) for k in ("IsFabricated", "IsSpamList", "IsMalware", "IsStealerLog")):
                continue
            entries.append((e["Title"], re.sub(r"<[^>]+>", "", unescape(e["Description"]))))
    read = sum(assess(title, text).breach for title, text in entries)
    assert len(entries) > 400
    assert read >= len(entries) - 12, f"HIBP write-ups read as breaches: {read} of {len(entries)}"
