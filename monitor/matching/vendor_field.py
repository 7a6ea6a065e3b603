"""A vendor named in a field of a structured entry (KEV's vendorProject, JVN's sec:cpe vendor), found
in the register. Pure; built once per register and cached beside the database like the Matcher.

No fuzzy matching and no reading of text: the field names the vendor, and it either is one of the
register's names or not. It matches a vendor when, legal forms (Inc., Corporation, 株式会社, ...),
case, width and punctuation aside:

1. it is the vendor's registered name or one of its aliases ("Fortinet" = "Fortinet, Inc."); or
2. it is the first words of the name or alias and the words left out only describe the business
   (Software, Systems, Technologies, Networks, Group, ...): "Progress" for "Progress Software
   Corporation", "Cisco" for "Cisco Systems, Inc."; or the other way round, the name is the first
   words of the field ("QNAP" registered, "QNAP Systems" in the catalogue). The words kept must be
   distinctive: not only generic words ("General", "Advanced", "Digital", "Data", "International")
   and not an ordinary word the matcher also refuses alone, and at least 3 letters (2 in Japanese).
   So "Array Networks" is not "Array Technologies" (each keeps a word the other lacks), and a
   register entry "Progress Bank" is not "Progress" ("Bank" is part of the name).

A name registered exactly wins over a first-words match. A field naming several vendors ("D-Link and
TRENDnet", "Hewlett Packard (HP)") is also read part by part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..normalize import TAIL_GENERIC, fold, is_cjk, strip_legal
from .matcher import ORDINARY_WORDS
from .vendors import Vendor

# Words that only describe the business: left out when the field gives the first words of a name.
DESCRIPTORS = frozenset(TAIL_GENERIC) | {
    "software",
    "networks",
    "network",
    "communications",
    "labs",
    "laboratories",
    "foundation",
    "platforms",
    "project",
    "company",
}
# Words that are not a name on their own: the kept words must hold one that is not among them.
GENERIC = DESCRIPTORS | frozenset(
    """
the and of a an general advanced american international national global united first digital data cloud
security secure smart micro info information tech web open net universal standard applied integrated new
best pro one prime total central pacific atlantic north south east west northern southern eastern western
modern premier quality dynamic computer computers electric electronics media mobile online allied
associated continental home life energy health medical financial capital industries products royal star
direct express asia euro european japan nippon
""".split()
)
_PARTS = re.compile(r"\s+(?:and|&)\s+|\s*[/,;]\s*|\s*[(（)）]\s*", re.I)


@dataclass(frozen=True, slots=True)
class Found:
    vendor: str  # registered name
    matched: str  # the registered name or alias it matched
    how: str  # "name" or "alias"
    surface: str  # the field's value as the entry wrote it
    exact: bool  # the whole name (else its first words, rule 2)


def key(name: str) -> str:
    k = strip_legal(fold(name, join_cjk=True))
    return k[4:] if k.startswith("the ") and len(k) > 4 else k


def cores(k: str) -> list[str]:
    """The key without one, two, ... trailing descriptor words (never without all its words)."""
    words = k.split()
    out = []
    while len(words) > 1 and words[-1] in DESCRIPTORS:
        words = words[:-1]
        out.append(" ".join(words))
    return out


def distinctive(core: str) -> bool:
    words = core.split()
    if not words or all(w in GENERIC for w in words) or core in ORDINARY_WORDS:
        return False
    letters = core.replace(" ", "")
    return len(letters) >= (2 if is_cjk(letters[0]) else 3)


def parts(field: str) -> list[str]:
    """The field, and each vendor it names when it names several."""
    out = [field.strip()]
    for p in _PARTS.split(field):
        p = p.strip()
        if p and p not in out:
            out.append(p)
    return out


class VendorNames:
    """The register's names and aliases by key, and by their distinctive first words."""

    def __init__(self, vendors: Iterable[Vendor]):
        self._exact: dict[str, list[tuple[str, str, str]]] = {}
        self._first: dict[str, list[tuple[str, str, str]]] = {}
        for v in vendors:
            for how, names in (("name", (v.name,)), ("alias", v.aliases)):
                for registered in names:
                    k = key(registered)
                    if not k:
                        continue
                    self._exact.setdefault(k, []).append((v.name, registered, how))
                    for c in cores(k):
                        if distinctive(c):
                            self._first.setdefault(c, []).append((v.name, registered, how))

    def resolve(self, fields: Iterable[str]) -> tuple[Found, ...]:
        """The registered vendors these field values name, each once (its exact match first)."""
        best: dict[str, Found] = {}
        for field in fields:
            for part in parts(field):
                k = key(part)
                if not k:
                    continue
                hits = [(h, True) for h in self._exact.get(k, ())]
                if not hits:
                    hits = [(h, False) for h in self._first.get(k, ())]
                    hits += [(h, False) for c in cores(k) if distinctive(c) for h in self._exact.get(c, ())]
                for (vendor, registered, how), exact in hits:
                    old = best.get(vendor)
                    if old is None or (exact and not old.exact):
                        best[vendor] = Found(vendor, registered, how, part, exact)
        return tuple(best.values())
