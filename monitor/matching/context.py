"""The words around a name where it matched: what a wrong-vendor verdict remembers ('box' in 'jack in
the box franchisee'), so the same mistake is suppressed and the vendor named another way is not. Pure."""

from __future__ import annotations

import unicodedata

from ..normalize import fold

_WINDOW = 80  # characters read on each side of a match for its context
_SIDE_MAX = 16  # characters of context kept on each side


def surroundings(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The folded text just before and just after a match's span (in NFKC text, as Match gives it);
    None when the match was not located."""
    nfkc = unicodedata.normalize("NFKC", text or "")
    if start < 0 or end > len(nfkc) or start >= end:
        return None
    return fold(nfkc[max(0, start - _WINDOW) : start]), fold(nfkc[end : end + _WINDOW])


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The context a wrong-vendor verdict keeps: up to two words before and one after, at most
    _SIDE_MAX characters each (Japanese has no spaces: the characters nearest the name)."""
    around = surroundings(text, start, end)
    if around is None:
        return "", ""
    left, right = around
    return " ".join(left.split()[-2:])[-_SIDE_MAX:].strip(), " ".join(right.split()[:1])[:_SIDE_MAX].strip()
