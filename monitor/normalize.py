"""Name and text normalisation shared by matching and detection.

Text and names go through the same `fold()`: NFKC (full-width to half-width,
㈱ to (株)), case folding, zero-width characters and homoglyphs removed, `&`
read as `and`, possessive 's dropped, and punctuation turned into spaces.
Names additionally lose their legal form (株式会社, Inc., Co., Ltd., ...) wherever
it stands, and generic tail words (Systems, Group, ホールディングス, ...).
"""

from __future__ import annotations

import functools
import re
import unicodedata

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Cyrillic and Greek letters that render like Latin ones, used to dodge keyword filters.
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅνορτΑΒΕΗΙΚΜΝΟΡΤΧΥΖ", "aeopcyxijsdqwABEKMHOPCTXIJSvoptABEHIKMNOPTXYZ"
)
_APOS = re.compile(r"(?<=[a-z0-9])['’]s\b")
_AMP = re.compile(r"\s*&\s*")
# Everything that is not a letter, digit, CJK or the long-vowel mark becomes a space.
_PUNCT = re.compile(r"[^\w\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]+")
_SPACES = re.compile(r"\s+")
_CJK = "\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f"
# 'ソニー・グループ' and 'ソニーグループ' are the same name: Japanese has no word spaces to keep.
# (Only spaces and middle dots: '、' and '。' still separate words.)
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[\\s・･·]+(?=[{_CJK}])")
# Old and new forms of the same kanji, used interchangeably in company names (野村證券 / 野村証券).
_ITAIJI = str.maketrans("證髙﨑邊邉齋齊德濱籠", "証高崎辺辺斎斉徳浜篭")


@functools.lru_cache(maxsize=512)
def fold(text: str, join_cjk: bool = False) -> str:
    """Normalise text for matching. Same function for article text and vendor names.

    join_cjk drops the spaces left between two Japanese characters (from ・, 　 or
    line breaks); matching uses it for names and text alike.

    Cached: detection and matching fold the same title and summary of each article.
    """
    text = unicodedata.normalize("NFKC", text)
    if _FOLD_CHARS.search(text):  # rare; translate() with a dict costs more than the search
        text = text.translate(_FOLD_TABLE)
    if join_cjk:
        text = _CJK_GAP.sub("", text)
    text = text.casefold()
    # The checks skip two regex passes on the many texts without & or apostrophes (same result).
    if "&" in text:
        text = _AMP.sub(" and ", text)
    if "'" in text or "’" in text:
        text = _APOS.sub("", text)
    text = text.replace("_", " ")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# One table for the three character maps fold() applies (their domains do not overlap).
_FOLD_TABLE = {**_ZERO_WIDTH, **_HOMOGLYPHS, **_ITAIJI}
_FOLD_CHARS = re.compile("[" + re.escape("".join(map(chr, _FOLD_TABLE))) + "]")
_CASE_KEPT_TABLE = {**_ZERO_WIDTH, **_HOMOGLYPHS}
_CASE_KEPT_CHARS = re.compile("[" + re.escape("".join(map(chr, _CASE_KEPT_TABLE))) + "]")


def fold_case_kept(text: str) -> str:
    """NFKC without case folding: for acronym and short-name checks."""
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_CASE_KEPT_TABLE) if _CASE_KEPT_CHARS.search(text) else text


JA_FORMS = (
    "特定非営利活動法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "独立行政法人",
    "国立大学法人",
    "地方独立行政法人",
    "社会福祉法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "学校法人",
    "医療法人",
    "宗教法人",
)
# Standalone tokens left by (株), ㈱, (有), (同) after folding.
_JA_FORM_TOKENS = {"株", "有", "同"}
# Latin legal forms, stripped from the end of a name (repeatedly: 'xyz co ltd').
EN_FORMS = {
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "kk",
    "k k",
    "gmbh",
    "ag",
    "sa",
    "s a",
    "nv",
    "n v",
    "bv",
    "b v",
    "srl",
    "spa",
    "s p a",
    "pte",
    "pty",
    "pvt",
    "pvt ltd",
    "oy",
    "oyj",
    "ab",
    "asa",
    "se",
    "sas",
    "sarl",
    "sl",
    "kg",
    "co kg",
    "bhd",
    "sdn bhd",
    "l l c",
    "l p",
    "ltda",
}
# Generic words a registered name may carry that reports leave out ('Infosys McCamish Systems LLC').
TAIL_GENERIC = (
    "systems",
    "system",
    "group",
    "holdings",
    "holding",
    "hd",
    "hds",
    "technologies",
    "technology",
    "solutions",
    "services",
    "international",
    "japan",
    "ホールディングス",
    "ホールディング",
    "グループ",
    "ジャパン",
    "システムズ",
)


def strip_legal(folded: str) -> str:
    """Remove legal forms from a folded name: Japanese ones anywhere, Latin ones at the end."""
    name = folded
    if not name.isascii():  # every Japanese legal form has a kanji or kana (checked in tests)
        for form in JA_FORMS:
            name = name.replace(form, " ")
    tokens = [t for t in name.split() if t not in _JA_FORM_TOKENS]
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        for n in (3, 2, 1):
            # 'AB & Company' is a name, not 'AB &' plus a legal form.
            if len(tokens) > n and " ".join(tokens[-n:]) in EN_FORMS and tokens[-n - 1] not in ("and", "of"):
                tokens = tokens[:-n]
                changed = True
                break
    # 'The Home Depot' -> 'home depot', but 'The Global Ltd.' stays 'the global'.
    if len(tokens) > 2 and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens).strip()


def name_variants(name: str) -> set[str]:
    """Folded forms (join_cjk) under which a registered name may appear in text."""
    return name_forms(name)[1]


def standard_forms(name: str) -> set[str]:
    """The folded name as registered, without its legal form, and its standard short forms: names a
    reader would recognise as written (unlike tails we cut ourselves, such as 'プロジェクト')."""
    return name_forms(name)[0]


def name_forms(name: str) -> tuple[set[str], set[str]]:
    """(standard_forms, name_variants) of a registered name, folded once: the Matcher needs both of
    every name, and the variants are the standard forms and the names left by cutting generic tails."""
    folded = fold(name, join_cjk=True)
    base = strip_legal(folded)
    standard = _as_written({folded, base})
    return standard, standard | _as_written(_tail_cuts(base))


def _tail_cuts(base: str) -> set[str]:
    """The name without its generic tails, one at a time ('Sony Group' -> 'sony'), while still a name."""
    out: set[str] = set()
    cur, removed = base, 0
    while cur.endswith(_TAIL_ENDS):  # most names end in none of them
        for tail, spaced, cjk in _TAILS:
            if cur.endswith(spaced):
                cur = cur[: -len(spaced)].strip()
                break
            if cjk and cur.endswith(tail) and len(cur) > len(tail):
                cur = cur[: -len(tail)].strip()
                break
        else:
            break
        # Keep what is still a name: several words, a Japanese name of 2+ characters, or one Latin word
        # of 4+ letters (matched only when capitalised, see match.py).
        removed += 1
        # One Latin word is kept only when it lost a single tail word ('Sony Group' -> 'Sony', but
        # 'Miami International Holdings' does not become 'Miami').
        if (
            " " in cur
            or (cur and is_cjk(cur[0]) and len(cur) >= 2)
            or (cur.isascii() and len(cur) >= 4 and removed == 1)
        ):
            out.add(cur)
        else:
            break
    return out


def _as_written(forms: set[str]) -> set[str]:
    """The forms, and how Japanese text writes them: mixed-script names without their spaces ('LINE ヤフー'
    is written 'LINEヤフー', and a hyphen inside a Japanese name is often left out: 'ベスト-アニバーサリー' /
    'ベストアニバーサリー'), and the standard short forms of each."""
    out = set(forms)
    out |= {v.replace(" ", "") for v in out if " " in v and not v.isascii()}
    for v in list(out):
        out |= _short_forms(v)
    return {v for v in out if v}


# Standard Japanese short forms of name parts, as newspapers and notices write them. Each pair is
# (full form, short form); the short form is only added when a name part precedes it.
JA_SHORT_FORMS = (
    ("グループホールディングス", "ghd"),  # アサヒグループホールディングス -> アサヒGHD
    ("ホールディングス", "hd"),  # セブン&アイ・ホールディングス -> セブン&アイHD
    ("損害保険", "損保"),  # 損害保険ジャパン -> 損保ジャパン; あいおいニッセイ同和損害保険 -> ...同和損保
    ("生命保険", "生命"),  # 第一生命保険 -> 第一生命
    ("火災保険", ""),  # 東京海上日動火災保険 -> 東京海上日動
    ("銀行", "銀"),  # 三井住友銀行 -> 三井住友銀 (headlines)
    ("新聞社", "新聞"),  # 毎日新聞社 -> 毎日新聞
)


def _short_forms(variant: str) -> set[str]:
    """'アサヒグループホールディングス' -> 'アサヒghd', '損保ジャパン' <-> '損害保険ジャパン' (folded forms)."""
    out: set[str] = set()
    if variant.isascii():  # each pair has a Japanese form, and 'ghd' or 'hd' stands for one after Japanese
        return out
    for full, short in JA_SHORT_FORMS:
        i = variant.find(full)
        rest = variant[:i] + variant[i + len(full) :] if i >= 0 else ""
        # Another name part must remain: '第一生命保険' -> '第一生命', but '損害保険' alone stays.
        if i >= 0 and len(rest.strip()) >= 2:
            out.add((variant[:i] + short + variant[i + len(full) :]).strip())
        # The short form in a registered name stands for the full one too ('アサヒGHD', '損保ジャパン').
        if not short:
            continue
        if short.isascii():
            if variant.endswith(short) and len(variant) > len(short) and is_cjk(variant[-len(short) - 1]):
                out.add(variant[: -len(short)] + full)
        elif full not in variant and (j := variant.find(short)) >= 0 and len(variant) - len(short) >= 2:
            out.add(variant[:j] + full + variant[j + len(short) :])
    return out


# Tails a holding company, its group and its main operating company share: アサヒグループホールディングス,
# アサヒGHD and アサヒHD are one organisation in a register.
_HOLDING_TAILS = (
    "グループホールディングス",
    "ホールディングス",
    "ホールディング",
    "ghd",
    "hd",
    "hds",
    "グループ",
    "holdings",
    "holding",
    "group",
)


def organisation_key(name: str) -> str:
    """One key per organisation for grouping name variants into one register entry.

    Legal forms, holding-company and group tails, spaces and the standard short forms are
    normalised away: 'アサヒGHD', 'アサヒHD', 'アサヒグループホールディングス' share a key; so do
    '損害保険ジャパン' and '損保ジャパン'. 'アサヒ飲料' (an operating company) keeps its own.
    """
    key = strip_legal(fold(name, join_cjk=True))
    for full, short in JA_SHORT_FORMS:
        if short and not short.isascii():
            key = key.replace(full, short)
    changed = True
    while changed:
        changed = False
        for tail in _HOLDING_TAILS:
            head = key[: -len(tail)].rstrip()
            if (
                key.endswith(tail)
                and head
                and (tail[0].isascii() is False or key[-len(tail) - 1] == " " or is_cjk(head[-1]))
            ):
                key, changed = head, True
                break
    return key.replace(" ", "")


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF66 <= o <= 0xFF9F or o == 0x3005
    )


# name_variants' generic tails: each with its spaced form, and whether it may end a Japanese name unspaced.
_TAILS = tuple((tail, " " + tail, is_cjk(tail[0])) for tail in TAIL_GENERIC)
_TAIL_ENDS = tuple(spaced for _, spaced, _ in _TAILS) + tuple(tail for tail, _, cjk in _TAILS if cjk)


@functools.lru_cache(maxsize=8192)  # bounded: hostile text can bring any of a million code points
def script(ch: str) -> str:
    """A coarse script class for word-boundary decisions: latin, kata, hira, kanji or ''.

    Called for the characters around every candidate hit (tens per article), hence the cache."""
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
