"""The `monitor search` query language, parsed into plain values (no SQL here).

    ransomware 委託先            both terms (AND)
    "data breach"                a phrase
    漏洩 OR 流出                 either
    ransomware -訓練             without the term

Each term also stands for its Japanese spelling variants: a reader who types 漏洩 wants the
reports that wrote 漏えい, and one who types サーバー wants those that wrote サーバ. The index
matches substrings (FTS5 trigram), so only variants that are not substrings of each other are
listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Spellings newspapers, ministries and companies use for one word. 流出 is listed with 漏洩
# because Japanese breach notices use the two interchangeably for a leak of data.
VARIANT_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"漏洩", "漏えい", "漏れい", "ろうえい", "流出"}),
    frozenset({"サイバー攻撃", "サイバーアタック", "サイバ攻撃"}),
    frozenset({"ランサムウェア", "ランサムウエア"}),
)

_KATAKANA = r"\u30a1-\u30fa\u30fc"
_KATAKANA_RUN = re.compile(f"[{_KATAKANA}]+")
MIN_LONG_VOWEL_STEM = 3  # サーバー -> サーバ, but not カバー -> カバ


@dataclass(frozen=True)
class Clause:
    """Matches when any of its alternatives occurs (each already expanded to its variants)."""

    alternatives: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]

    @property
    def positive(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if not c.negated)

    @property
    def negative(self) -> tuple[Clause, ...]:
        return tuple(c for c in self.clauses if c.negated)


class QuerySyntaxError(ValueError):
    """The query cannot be read (an unclosed quote, a lone OR, nothing but exclusions)."""


def _drop_final_long_vowels(term: str) -> str:
    """サーバー攻撃 -> サーバ攻撃: the 長音 at the end of a katakana word is often left out (JIS Z 8301)."""

    def shorten(m: re.Match[str]) -> str:
        run = m.group(0)
        stem = run.rstrip("ー")
        return stem if stem != run and len(stem) >= MIN_LONG_VOWEL_STEM else run

    return _KATAKANA_RUN.sub(shorten, term)


def variants(term: str) -> tuple[str, ...]:
    """The term and its spelling variants, shortest-first, none a substring of another (the index
    matches substrings, so サーバ already finds サーバー)."""
    term = unicodedata.normalize("NFKC", term)
    found = {term}
    for group in VARIANT_GROUPS:
        for spelling in group:
            if spelling in term:
                found |= {term.replace(spelling, other) for other in group}
    found |= {_drop_final_long_vowels(t) for t in found}
    ordered = sorted(found, key=lambda t: (len(t), t))
    kept: list[str] = []
    for t in ordered:
        if not any(k.casefold() in t.casefold() for k in kept):
            kept.append(t)
    return tuple(kept)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


def parse(text: str) -> Query:
    """Read a query: terms (AND), "quoted phrases", OR between two terms, -term to exclude."""
    if text.count('"') % 2:
        raise QuerySyntaxError('a quote is not closed: write phrases as "data breach"')
    tokens: list[tuple[str, bool, bool]] = []  # (text, negated, is the OR operator)
    for m in _TOKEN.finditer(text):
        if m.group(3) is not None:
            word = m.group(3)
            if word == "OR":
                tokens.append((word, False, True))
            elif word.startswith("-") and len(word) > 1:
                tokens.append((word[1:], True, False))
            else:
                tokens.append((word, False, False))
        elif m.group(2).strip():
            tokens.append((m.group(2).strip(), m.group(1) == "-", False))
    groups: list[list[tuple[str, bool]]] = []
    joining = False
    for word, negated, is_or in tokens:
        if is_or:
            if not groups or joining:
                raise QuerySyntaxError("OR needs a term on each side, as in: 漏洩 OR 流出")
            joining = True
            continue
        if joining:
            if negated or groups[-1][-1][1]:
                raise QuerySyntaxError("OR cannot join an excluded -term")
            groups[-1].append((word, negated))
        else:
            groups.append([(word, negated)])
        joining = False
    if joining:
        raise QuerySyntaxError("OR needs a term on each side, as in: 漏洩 OR 流出")
    clauses = []
    for group in groups:
        alternatives = tuple(dict.fromkeys(v for word, _ in group for v in variants(word)))
        clauses.append(Clause(alternatives, negated=group[0][1]))
    query = Query(tuple(clauses))
    if query.negative and not query.positive:
        raise QuerySyntaxError("a query of only -exclusions matches everything: add a term to look for")
    return query
