"""Which registered vendors does an article name? Pure code, no I/O.

Candidates come from one Aho-Corasick pass over the folded text (every name,
alias and their variants as keys), so the cost grows with the text, not with
the number of vendors. Boundary rules then throw out hits inside longer words,
short names must match case and whole word, and rapidfuzz scores near misses
anchored on a distinctive word of multi-word names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

import ahocorasick
from rapidfuzz import fuzz

from .normalize import fold, is_cjk, name_variants, script
from .vendors import Vendor


@dataclass(frozen=True, slots=True)
class Match:
    vendor: str  # registered name, exactly as in vendors.csv
    matched: str  # the registered name, alias or domain that matched
    how: str  # "name", "alias", "domain" or "fuzzy"
    field: str  # "title", "summary", "body" or "link"
    surface: str  # the text as it stands in the article
    start: int  # span of `surface` in the field (NFKC-normalised text)
    end: int
    score: float  # 100 for exact matches after normalisation


@dataclass(frozen=True, slots=True)
class _Key:
    vendor: int
    registered: str
    how: str
    case_form: str | None  # when set, the text must contain this exact (case-sensitive) word


_INSTITUTION_HEADS = {"university", "college", "city", "canton", "state", "republic", "port", "lake", "school",
                      "institute", "hospital", "museum", "airport", "county", "bank", "province", "prefecture"}
_STOP = {"the", "and", "of", "for", "in", "on", "at", "by", "to", "a", "an", "co", "new", "first", "national",
         "american", "international", "global", "group", "systems", "services", "solutions", "technologies",
         "technology", "holdings", "japan", "data", "cloud", "bank", "insurance", "health", "healthcare",
         "security", "software", "network", "networks", "financial", "capital", "energy", "media", "digital",
         "associates", "partners", "company", "corporation", "inc", "ltd", "llc", "limited", "management"}
# Kanji that may follow or precede a short Japanese name without making it part of a longer word.
_KANJI_OK_AFTER = set("社様等側系製傘及各内向委再従顧利会元旧")
_KANJI_OK_BEFORE = set("社米英独仏中韓台豪加印露蘭伊西瑞同旧新元")
_DOMAIN = re.compile(r"(?<![a-z0-9-])((?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)+[a-z]{2,24})(?![a-z0-9-])")
_FUZZY_MIN = 90.0


def _needs_case(registered: str, folded: str) -> str | None:
    """Short Latin names and acronyms must appear with their registered case, as a whole word."""
    if not folded.isascii() or " " in folded:
        return None
    # The word of the registered name that this variant stands for, in its registered case.
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", registered))
    form = next((w for w in words if w.casefold() == folded), None)
    if form is None:
        return None
    letters = [c for c in form if c.isalpha()]
    if len(folded) <= 4 or (letters and all(c.isupper() for c in letters) and len(folded) <= 6):
        return form
    return None


class Matcher:
    def __init__(self, vendors: Iterable[Vendor]):
        self.vendors = list(vendors)
        self._exact = ahocorasick.Automaton()
        self._anchors = ahocorasick.Automaton()
        self._domains: dict[str, list[tuple[int, str]]] = {}
        keys: dict[str, list[_Key]] = {}
        anchors: dict[str, list[tuple[str, _Key]]] = {}
        token_freq: dict[str, int] = {}
        multiword: list[tuple[str, _Key]] = []
        for i, v in enumerate(self.vendors):
            for how, names in (("name", (v.name,)), ("alias", v.aliases)):
                for registered in names:
                    for variant in name_variants(registered):
                        if len(variant) < 2 and not is_cjk(variant[0]):
                            continue
                        key = _Key(i, registered, how, _needs_case(registered, variant))
                        keys.setdefault(variant, []).append(key)
                        toks = variant.split()
                        if len(toks) >= 2 and variant.isascii() and len(variant) >= 10:
                            multiword.append((variant, key))
                            for t in set(toks):
                                token_freq[t] = token_freq.get(t, 0) + 1
            for d in v.domains:
                self._domains.setdefault(d, []).append((i, d))
        for variant, klist in keys.items():
            self._exact.add_word(variant, (variant, tuple(klist)))
        for variant, key in multiword:
            cands = [t for t in variant.split() if t not in _STOP and len(t) >= 4 and not t.isdigit()]
            if not cands:
                continue
            anchor = min(cands, key=lambda t: (token_freq.get(t, 0), -len(t)))
            anchors.setdefault(anchor, []).append((variant, key))
        for anchor, lst in anchors.items():
            self._anchors.add_word(anchor, (anchor, tuple(lst)))
        self._has_exact = len(keys) > 0
        self._has_anchors = len(anchors) > 0
        if self._has_exact:
            self._exact.make_automaton()
        if self._has_anchors:
            self._anchors.make_automaton()

    # ------------------------------------------------------------------ public

    def match(self, fields: Mapping[str, str], link: str = "") -> list[Match]:
        """Matches in each named field (title, summary, body) plus the link's host."""
        found: list[tuple[Match, int, int]] = []
        for field, text in fields.items():
            if text:
                found.extend(self._match_text(field, text))
        if link:
            found.extend(self._match_link(link))
        return _best_per_vendor(_drop_overlapped(found))

    # ------------------------------------------------------------------ internals

    def _match_text(self, field: str, text: str) -> list[tuple[Match, int, int]]:
        folded = fold(text)
        nfkc = unicodedata.normalize("NFKC", text)
        out: list[tuple[Match, int, int]] = []
        seen: set[tuple[int, str]] = set()
        if self._has_exact:
            for end, (variant, klist) in self._exact.iter(folded):
                start = end - len(variant) + 1
                if not _boundaries_ok(folded, start, end + 1, variant):
                    continue
                for key in klist:
                    if (key.vendor, variant) in seen:
                        continue
                    surface, s, e = _surface(nfkc, variant, key.case_form)
                    if key.case_form is not None and surface is None:
                        continue
                    if _institution_of(folded, start, variant):
                        continue
                    seen.add((key.vendor, variant))
                    out.append((Match(self.vendors[key.vendor].name, key.registered, key.how, field,
                                      surface or variant, s, e, 100.0), start, end + 1))
        if self._has_anchors:
            matched_vendors = {m.vendor for m, _, _ in out}
            for end, (anchor, lst) in self._anchors.iter(folded):
                a_start = end - len(anchor) + 1
                if not _boundaries_ok(folded, a_start, end + 1, anchor):
                    continue
                for variant, key in lst:
                    vname = self.vendors[key.vendor].name
                    if vname in matched_vendors:
                        continue
                    lo = max(0, a_start - len(variant))
                    window = folded[lo: end + 1 + len(variant)]
                    al = fuzz.partial_ratio_alignment(variant, window, score_cutoff=_FUZZY_MIN)
                    if al is None:
                        continue
                    ws, we = lo + al.dest_start, lo + al.dest_end
                    ws, we = _widen_to_words(folded, ws, we)
                    score = fuzz.ratio(variant, folded[ws:we])
                    if score < _FUZZY_MIN:
                        continue
                    matched_vendors.add(vname)
                    surface = folded[ws:we]
                    out.append((Match(vname, key.registered, "fuzzy", field, surface, ws, we, round(score, 1)),
                                ws, we))
        for dm in _DOMAIN.finditer(nfkc.lower()):
            host = dm.group(1)
            for vi, dom in self._lookup_domain(host):
                out.append((Match(self.vendors[vi].name, dom, "domain", field, dm.group(1), dm.start(1),
                                  dm.end(1), 100.0), -1, -1))
        return out

    def _match_link(self, link: str) -> list[tuple[Match, int, int]]:
        from urllib.parse import urlsplit

        try:
            host = (urlsplit(link).hostname or "").lower().rstrip(".")
        except ValueError:
            return []
        return [(Match(self.vendors[vi].name, dom, "domain", "link", host, 0, len(host), 100.0), -1, -1)
                for vi, dom in self._lookup_domain(host)]

    def _lookup_domain(self, host: str) -> list[tuple[int, str]]:
        if not self._domains:
            return []
        labels = host.split(".")
        out = []
        for i in range(len(labels) - 1):
            out.extend(self._domains.get(".".join(labels[i:]), ()))
        return out


def _boundaries_ok(folded: str, start: int, end: int, key: str) -> bool:
    before = folded[start - 1] if start > 0 else ""
    after = folded[end] if end < len(folded) else ""
    first, last = script(key[0]), script(key[-1])
    sb, sa = script(before), script(after)
    if first == "latin" and sb == "latin":
        return False
    if last == "latin" and sa == "latin":
        return False
    if first == "kata" and sb == "kata":
        return False
    if last == "kata" and sa == "kata":
        return False
    if len(key) <= 2 and first == "kanji" and sb == "kanji" and before not in _KANJI_OK_BEFORE:
        return False
    if len(key) <= 2 and last == "kanji" and sa == "kanji" and after not in _KANJI_OK_AFTER:
        return False
    return True


def _institution_of(folded: str, start: int, key: str) -> bool:
    """'University of Zurich' names a university, not Zurich Insurance."""
    if " " in key or not key.isascii():
        return False
    words = folded[max(0, start - 40): start].split()
    return len(words) >= 2 and words[-1] == "of" and words[-2] in _INSTITUTION_HEADS


def _surface(nfkc: str, variant: str, case_form: str | None) -> tuple[str | None, int, int]:
    """Find the matched words in the NFKC text (for evidence); respect case when required."""
    if case_form is not None:
        m = re.search(r"(?<![A-Za-z0-9])" + re.escape(case_form) + r"(?![A-Za-z0-9])", nfkc)
        return (m.group(0), m.start(), m.end()) if m else (None, -1, -1)
    parts = [re.escape(t) if t != "and" else r"(?:and|&)" for t in variant.split()]
    pattern = r"[\W_]*".join(parts)
    m = re.search(pattern, nfkc, re.I)
    if m:
        return m.group(0), m.start(), m.end()
    return variant, -1, -1


def _widen_to_words(text: str, s: int, e: int) -> tuple[int, int]:
    while s > 0 and text[s - 1].isalnum():
        s -= 1
    while e < len(text) and text[e].isalnum():
        e += 1
    return s, e


def _drop_overlapped(found: list[tuple[Match, int, int]]) -> list[Match]:
    """A name inside a longer matched name of another vendor is not a mention ('NTT' in 'NTTデータ')."""
    keep = []
    for m, s, e in found:
        if s >= 0 and any(o.field == m.field and o.vendor != m.vendor and os_ <= s and e <= oe and (oe - os_) > (e - s)
                          for o, os_, oe in found if os_ >= 0):
            continue
        keep.append(m)
    return keep


_FIELD_RANK = {"title": 0, "link": 1, "summary": 2, "body": 3}


def _strength(m: Match) -> tuple[float, int, int]:
    return (m.score, -_FIELD_RANK.get(m.field, 9), len(m.surface))


def _best_per_vendor(matches: list[Match]) -> list[Match]:
    """One piece of evidence per vendor: the strongest, preferring the title."""
    best: dict[str, Match] = {}
    for m in matches:
        cur = best.get(m.vendor)
        if cur is None or _strength(m) > _strength(cur):
            best[m.vendor] = m
    return sorted(best.values(), key=lambda m: (_FIELD_RANK.get(m.field, 9), -m.score, m.vendor))
