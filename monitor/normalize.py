"""Name and text normalisation shared by matching and detection.

Text and names go through the same `fold()`: NFKC (full-width to half-width,
㈱ to (株)), case folding, zero-width characters removed, `&` read as `and`,
possessive 's dropped, and punctuation turned into spaces. Names additionally
lose their legal form (株式会社, Inc., Co., Ltd., ...) wherever it stands.
"""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Cyrillic and Greek letters that render like Latin ones, used to dodge keyword filters.
_HOMOGLYPHS = str.maketrans("аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅνορτΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
                            "aeopcyxijsdqwABEKMHOPCTXIJSvoptABEHIKMNOPTXYZ")
_APOS = re.compile(r"(?<=[a-z0-9])['’]s\b")
_AMP = re.compile(r"\s*&\s*")
# Everything that is not a letter, digit, CJK or the long-vowel mark becomes a space.
_PUNCT = re.compile(r"[^\w\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Normalise text for matching. Same function for article text and vendor names."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_HOMOGLYPHS)
    text = text.casefold()
    text = _AMP.sub(" and ", text)
    text = _APOS.sub("", text)
    text = text.replace("_", " ")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def fold_case_kept(text: str) -> str:
    """As fold() but keeping case: for acronym and short-name checks."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_HOMOGLYPHS)
    return text


_JA_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "一般社団法人", "一般財団法人",
             "公益社団法人", "公益財団法人", "独立行政法人", "国立大学法人", "学校法人", "医療法人",
             "社会福祉法人", "特定非営利活動法人", "(株)", "(有)", "(同)", "株)", "(株", "(株)")
_EN_FORMS = {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "llp",
             "lp", "plc", "kk", "k k", "gmbh", "ag", "sa", "s a", "nv", "bv", "srl", "spa", "pte", "pty",
             "oy", "ab", "as", "se", "sas", "sarl", "holdings inc", "the"}
_TAIL_GENERIC = ("systems", "system", "group", "holdings", "holding", "hd", "hds", "ホールディングス", "グループ",
                 "technologies", "technology", "solutions", "services", "international", "japan", "ジャパン")


def strip_legal(folded: str) -> str:
    """Remove legal forms at either end of a folded name (repeatedly: 'xyz co ltd')."""
    name = folded
    for form in _JA_FORMS:
        f = fold(form)
        if len(f) > 1:
            name = name.replace(f, " ")
    tokens = [t for t in name.split() if t not in ("株", "有")]
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for n in (2, 1):
            if len(tokens) > n and " ".join(tokens[-n:]) in _EN_FORMS:
                tokens = tokens[:-n]
                changed = True
                break
            if len(tokens) > n and " ".join(tokens[:n]) in _EN_FORMS:
                tokens = tokens[n:]
                changed = True
                break
    return " ".join(tokens).strip()


def name_variants(name: str) -> set[str]:
    """Folded forms under which a registered name may appear in text."""
    folded = fold(name)
    base = strip_legal(folded)
    out = {v for v in (folded, base) if v}
    # Generic tail words may be missing: 'Infosys McCamish Systems LLC' is reported as 'Infosys McCamish'.
    cur = base
    while True:
        for tail in _TAIL_GENERIC:
            if cur.endswith(" " + tail) or (is_cjk(tail[0]) and cur.endswith(tail) and len(cur) > len(tail) + 1):
                cur = cur[: -len(tail)].strip()
                break
        else:
            break
        if len(cur.replace(" ", "")) >= 4 and (" " in cur or is_cjk(cur[0]) or len(cur) >= 6):
            out.add(cur)
        else:
            break
    # Mixed-script names lose their spaces in Japanese text ('LINE ヤフー' is written 'LINEヤフー').
    if " " in base and not base.isascii():
        out.add(base.replace(" ", ""))
    return {v for v in out if v}


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0xFF66 <= o <= 0xFF9F or o == 0x3005)


def script(ch: str) -> str:
    """A coarse script class for word-boundary decisions."""
    if not ch:
        return ""
    o = ord(ch)
    if ch.isascii():
        return "latin" if ch.isalnum() else ""
    if 0x30A0 <= o <= 0x30FF or 0xFF66 <= o <= 0xFF9F:
        return "kata"
    if 0x3040 <= o <= 0x309F:
        return "hira"
    if 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or o == 0x3005:
        return "kanji"
    if ch.isalnum():
        return "latin"
    return ""
