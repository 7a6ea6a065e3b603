"""CISA's Known Exploited Vulnerabilities catalogue (its JSON) as Advisories. Pure; runs in the parser
workers.

The catalogue is one JSON object, {"catalogVersion", "dateReleased", "count", "vulnerabilities": [...]},
each entry {cveID, vendorProject, product, vulnerabilityName, dateAdded, shortDescription,
requiredAction, dueDate, knownRansomwareCampaignUse, notes, cwes} (cisa_kev_schema.json). An entry is
dated by dateAdded: when CISA listed it as exploited, which is when it is news to the team.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from ..errors import ParseError
from ..records import Skipped
from ..textutil import clip, decode, iso
from .advisory import Advisories, Advisory
from .parse import MAX_SUMMARY, MAX_TITLE, Item

# The catalogue's own page, searched for the CVE: one address per entry, so the entry's link
# identifies it (dedupe) whatever CISA later does to its wording.
CATALOGUE_PAGE = "https://www.cisa.gov/known-exploited-vulnerabilities-catalog"
_CVE = re.compile(r"^CVE-\d{4}-\d{4,19}$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FIELD = "vendorProject"


def _text(row: dict[str, Any], key: str, limit: int = 1000) -> str:
    value = row.get(key)
    return clip(" ".join(str(value).split()), limit) if isinstance(value, (str, int, float)) else ""


def _day(value: str) -> str | None:
    """'2023-06-02' -> '2023-06-02T00:00:00Z'; None when it is no date."""
    m = _DAY.match(value)
    if not m:
        return None
    try:
        return iso(datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=UTC))
    except ValueError:
        return None


def entry(row: dict[str, Any]) -> Advisory:
    """One catalogue entry; ValueError when it has no CVE id or no vendor (it identifies nothing)."""
    cve = _text(row, "cveID", 40).upper()
    if not _CVE.match(cve):
        raise ValueError(f"entry without a valid cveID: {cve[:40]!r}")
    vendor = _text(row, "vendorProject", 200)
    if not vendor:
        raise ValueError(f"{cve}: no vendorProject")
    product = _text(row, "product", 200)
    name = _text(row, "vulnerabilityName", 300) or f"{vendor} {product} vulnerability"
    added = _text(row, "dateAdded", 40)
    ransomware = _text(row, "knownRansomwareCampaignUse", 40) or "Unknown"
    due = _text(row, "dueDate", 40)
    action = _text(row, "requiredAction", 600)
    facts = (
        f"{cve} · product: {vendor} {product} · vulnerability: {name} · added to the KEV catalogue: "
        f"{added or 'unknown'} · known ransomware campaign use: {ransomware}"
    )
    summary = "\n".join(
        p
        for p in (
            facts,
            _text(row, "shortDescription", 2000),
            f"Required action: {action}" + (f" (due {due})" if due else "") if action else "",
        )
        if p
    )
    item = Item(
        title=clip(f"{cve}: {name}", MAX_TITLE),
        link=f"{CATALOGUE_PAGE}?search_api_fulltext={cve}",
        guid=cve,
        published=_day(added),
        summary=clip(summary, MAX_SUMMARY),
    )
    reason = (
        f"its product {product or name} ({cve}) is in CISA's Known Exploited Vulnerabilities catalogue"
        f" (added {added or 'on an unknown date'}; known ransomware campaign use: {ransomware})"
    )
    return Advisory(item, (vendor,), FIELD, reason)


def parse_catalogue(body: bytes, content_type: str, max_items: int) -> Advisories:
    """The catalogue's entries, newest dateAdded first, at most max_items; an entry that cannot be read
    is counted in Skipped, not the catalogue."""
    try:
        data = json.loads(decode(body, content_type, is_html=False))
    except (ValueError, RecursionError) as e:
        raise ParseError(f"not JSON: {clip(str(e), 150)}") from e
    rows = data.get("vulnerabilities") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ParseError("not a KEV catalogue: no 'vulnerabilities' list")
    # Newest first whatever order the file keeps, so max_items keeps the entries that matter.
    rows = sorted((r for r in rows if isinstance(r, dict)), key=lambda r: str(r.get("dateAdded") or ""), reverse=True)
    out: list[Advisory] = []
    skipped = Skipped()
    for row in rows[:max_items]:
        try:
            out.append(entry(row))
        except MemoryError:
            raise
        except Exception as error:  # one odd entry costs that entry
            skipped = skipped.add(error)
    return Advisories(tuple(out), skipped)
