"""Structured vulnerability sources (CISA's KEV catalogue, JVN's feed): each entry as the pipeline's
Item, with the vendor names the entry states and what it says of the product.

These sources are not news to be read for names: an entry says in a field which vendor's product it
is about (KEV's vendorProject, JVN's sec:cpe vendor). That field, not the text, is matched against
the register (matching/vendor_field.py), and the vendor's role is `product`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Skipped, compact_pickle
from .parse import Item, Parsed

KINDS = ("kev", "jvn")  # source types read as advisories


@compact_pickle
@dataclass(frozen=True, slots=True)
class Advisory:
    """One entry of a vulnerability source."""

    item: Item  # what is stored and searched: title, link, guid (the CVE or JVNDB id), date, summary
    vendors: tuple[str, ...]  # the vendor names as the entry states them
    field: str  # where they stand: "vendorProject", "sec:cpe vendor" (shown as why it matched)
    reason: str  # the vendor's role, in words ("MOVEit Transfer (CVE-2023-34362) is known exploited ...")
    score: float | None = None  # CVSS base score (jvn); None: the entry gives none


@compact_pickle
@dataclass(frozen=True, slots=True)
class Advisories:
    entries: tuple[Advisory, ...]
    skipped: Skipped = Skipped()  # entries whose fields could not be read

    def parsed(self) -> Parsed:
        """As any source's parse (for `monitor sources check` and the cycle's counts)."""
        return Parsed(tuple(a.item for a in self.entries), None, self.skipped)
