"""Which registered vendors does an article name? Pure code, no I/O.

Candidates come from one Aho-Corasick pass over the folded text (every name,
alias and their variants as keys), so the cost grows with the text, not with
the number of vendors. Rules then throw out what a reader would not call a
mention: hits inside longer words (Latin word boundaries; for Japanese, the
script of the neighbouring characters), short Latin names and acronyms not in
their registered case, one-word names written in lower case ('box', 'target'),
names that are ordinary words ('アクセス', 'AI') without a company marker next
to them, and a name inside a longer matched name of another vendor. rapidfuzz
scores near misses of long multi-word names, anchored on their rarest word.
"""

from __future__ import annotations

import functools
import pickle
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import ahocorasick
from rapidfuzz import fuzz, process

from ..normalize import fold, fold_case_kept, name_forms, script
from ..records import compact_pickle
from .vendors import Vendor


@compact_pickle
@dataclass(frozen=True, slots=True)
class Match:
    vendor: str  # registered name, exactly as in vendors.csv
    matched: str  # the registered name, alias or domain that matched
    how: str  # "name", "alias", "product" (vendors.csv products), "domain" or "fuzzy"
    field: str  # "title", "summary", "body" or "link"
    surface: str  # the text as it stands in the article
    start: int  # span of `surface` in the field (NFKC-normalised text); -1 when not located
    end: int
    score: float  # 100 for exact matches after normalisation


class _Key(NamedTuple):
    """How one name variant leads to a vendor."""

    vendor: int
    registered: str
    how: str
    case: str  # "" any case; "exact": the registered form; "capital": not all lower case
    form: str  # the registered form of a one-word Latin name
    marker: bool  # an ordinary word: needs a company marker (株式会社, 社, Inc.) next to it


_INSTITUTION_HEADS = {
    "university",
    "college",
    "city",
    "canton",
    "state",
    "republic",
    "port",
    "lake",
    "school",
    "institute",
    "hospital",
    "museum",
    "airport",
    "county",
    "bank",
    "province",
    "prefecture",
}
_STOP = {
    "the",
    "and",
    "of",
    "for",
    "in",
    "on",
    "at",
    "by",
    "to",
    "a",
    "an",
    "co",
    "new",
    "first",
    "national",
    "american",
    "international",
    "global",
    "group",
    "systems",
    "services",
    "solutions",
    "technologies",
    "technology",
    "holdings",
    "japan",
    "data",
    "cloud",
    "bank",
    "insurance",
    "health",
    "healthcare",
    "security",
    "software",
    "network",
    "networks",
    "financial",
    "capital",
    "energy",
    "media",
    "digital",
    "associates",
    "partners",
    "company",
    "corporation",
    "inc",
    "ltd",
    "llc",
    "limited",
    "management",
}
# Ordinary words that are also somebody's company name: matched only with a company marker beside them.
ORDINARY_WORDS = frozenset(
    """
アクセス データ システム システムズ サーバ サーバー ネット ネットワーク クラウド セキュリティ メール サービス ソフト
ソフトウェア ウイルス パスワード アカウント ログイン サイト ウェブ ウエブ アプリ ファイル ランサム ハッカー テクノ
ソリューション ソリューションズ コンピュータ インターネット モバイル デジタル プラス ワン トップ ライフ ホーム ケア
ユニオン エネルギー メディア パートナーズ リンク コネクト ゲート キー コード バンク カード ポイント ショップ
マーケット リサーチ インテリジェンス ビジョン センター グループ ホールディングス ジャパン フォーカス サポート
ビジネス マネジメント エージェント プロジェクト オレンジ フューチャー トークン コミュニケーションズ イノベーション プロ スマート ニュース トラスト セキュア ガード
日本 東京 大阪 情報 不正 攻撃 被害 調査 安全 技術 開発 通信 電気 電力 銀行 証券 保険 信用 共同 総合 産業 工業
商事 物産 交通 運輸 放送 新聞 出版 病院 大学 政府 警察 社会 国際 中央 第一 日本電子 情報技術 情報システム システム情報 電子
ai api vpn it os pc ceo cto ciso usb sql ssl tls dns http https html edr xdr mdr soc siem waf ddos dos apt ioc rat
cve ip id sms otp mfa sso iot ot ics nas sbom npm pdf exe gdpr eu us uk un fbi cia nsa cisa ncsc ipa nisc www com
net org app web cloud data tech one link go gps
rpc cgi rdp smb ssh ftp sftp smtp imap ldap saml oauth xss csrf rce ssrf lfi jwt cdn ntp snmp sip voip tcp udp icmp
dhcp bgp nfs vm vdi ids ips utm dlp iam pam mdm casb ztna sase ngfw soar ueba cspm cnapp asm xml json php
""".split()
)
# (The last two lines: protocols, attack classes and product categories of security news, which are also
# the names of some listed companies: 'RPC, Inc.', 'CGI Inc.'.)
# Kanji that may stand right before or after a Japanese name without making it part of a longer word:
# 米Plume, 子会社イセトー, 委託先イセトー, 教育大手ベネッセ / イセトー社, トヨタ系, 日本電気製.
_KANJI_OK_BEFORE = set("社米英独仏中韓台豪加印露蘭伊西瑞同旧新元先手国業下株")
_KANJI_OK_AFTER = set("社様等側系製傘及各内向委再従顧利会元旧子株関")
# Katakana words that may follow a name in run-together headlines ('ソニーグループ', 'アスクルランサム被害').
_KATA_FOLLOWERS = ("グループ", "ホールディング", "ジャパン", "ランサム", "サイバー", "システム", "サーバ")
_KANJI_FOLLOWERS = (
    "不正",
    "情報",
    "個人情報",
    "顧客情報",
    "被害",
    "攻撃",
    "障害",
    "漏え",
    "漏洩",
    "流出",
    "委託",
    "侵害",
    "感染",
    "改ざん",
    "誤送信",
)
# Particles that may follow a name (日立は, 東芝の); 'か' only as 'から' (高速かつ is an adverb, not a name).
_PARTICLES = set("はがのをにともやへでら")
# The 47 prefectures, written without 都/道/府/県 as in headlines ('大分トキハ') and with it.
_PREFECTURES = tuple(
    p + suffix
    for p in """
北海道 青森 岩手 宮城 秋田 山形 福島 茨城 栃木 群馬 埼玉 千葉 東京 神奈川 新潟 富山 石川 福井 山梨 長野 岐阜 静岡 愛知
三重 滋賀 京都 大阪 兵庫 奈良 和歌山 鳥取 島根 岡山 広島 山口 徳島 香川 愛媛 高知 福岡 佐賀 長崎 熊本 大分 宮崎 鹿児島
沖縄""".split()
    for suffix in ("", "県", "都", "府")
)
_KATA_ORDINARY = tuple(sorted(w for w in ORDINARY_WORDS if script(w[0]) == "kata"))
# Katakana nouns that stand in apposition right before a name in run-together text ('飲料メーカーアサヒが').
_KATA_APPOSITIONS = ("メーカー", "ベンダー", "ブランド", "チェーン")
# Text ending in a legal form ('...法人', '株式会社', '子会社である' does not) marks where a name starts.
_FORM_ENDINGS = ("法人", "株式会社", "(株)", "有限会社", "合同会社")
_MARK_BEFORE = ("株式会社", "株", "(株)")
_MARK_AFTER = (
    "株式会社",
    "株",
    "社",
    "グループ",
    "ホールディングス",
    "inc",
    "corp",
    "co ",
    "ltd",
    "llc",
    "limited",
    "holdings",
    "group",
    "gmbh",
    "plc",
)
_NOT_MARKS = ("社会", "社員", "社内", "社外", "社屋", "株価", "株主", "株券")
_DOMAIN = re.compile(r"(?<![a-z0-9-])((?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)+[a-z]{2,24})(?![a-z0-9-])")
_DOTTED = re.compile(r"[a-z0-9]\.[a-z]")
_FUZZY_MIN = 92.0
_FUZZY_BOUND = 82.0  # see _fuzzy


def _latin_form(registered: str, variant: str) -> str:
    """The word of the registered name that a one-word Latin variant stands for, as registered."""
    words: list[str] = re.findall(r"[A-Za-z0-9]+", fold_case_kept(registered))
    for w in words:
        if w.casefold() == variant:
            return w
    return ""


def _case_rule(registered: str, variant: str) -> tuple[str, str]:
    """Acronyms and short names must appear in their registered case; other one-word names capitalised."""
    if not variant.isascii():
        return "", ""
    if " " in variant:  # several words: written in lower case they are usually not the name
        return ("capital", "") if any(c.isupper() for c in fold_case_kept(registered)) else ("", "")
    form = _latin_form(registered, variant)
    if not form:
        return "", ""
    letters = [c for c in form if c.isalpha()]
    # Up to 4 letters: acronyms and short names (NEC, Box). 5-6 capitals registered: a name the company
    # writes in capitals (TOPPAN, DENSO), which English news writes 'Toppan'; only one that is also an
    # English word (SHIFT, TOKEN, CORONA) must keep its capitals, or 'Shift' opening a headline would match.
    if len(variant) <= 4 or (
        letters and all(c.isupper() for c in letters) and len(variant) <= 6 and _english_word(variant)
    ):
        return "exact", form
    # A common English word cut from a longer name registered in lower case is meant as the name only when
    # capitalised: company lists write 'starts corporation inc.', and 'the gang starts naming victims' does not
    # name it. Registered bare, as the vendor writes itself ('tumblr'), it is that word in any case.
    if any(c.isupper() for c in letters) or (fold(registered) != variant and _english_word(variant)):
        return "capital", form
    return "", form


def _joined_form(registered: str, toks: list[str]) -> str:
    """A name of several capitalised Latin words written as one ('Palo Alto Networks' -> 'PaloAltoNetworks'), or
    ''. Only names of 8 letters or more: a short one run together is as often a coined word ('BlackCat'); and not
    words in capitals, which run together cannot be told apart ('STARTS AMENITY')."""
    if len(toks) < 2 or sum(map(len, toks)) < 8 or not all(t.isascii() and t.isalpha() for t in toks):
        return ""
    words, folded = _latin_words(registered)
    n = len(toks)
    for i in range(len(words) - n + 1):
        if folded[i] == toks[0] and folded[i : i + n] == toks:
            run = words[i : i + n]
            return "".join(run) if all(w[0].isupper() and not w.isupper() for w in run) else ""
    return ""


@functools.lru_cache(maxsize=256)
def _latin_words(registered: str) -> tuple[list[str], list[str]]:
    """The Latin words of a registered name as written, and case-folded (asked again for each of its variants)."""
    words: list[str] = re.findall(r"[A-Za-z0-9]+", fold_case_kept(registered))
    return words, [w.casefold() for w in words]


_EVERYDAY_ZIPF = (
    4.8  # 'hospital' 5.1, 'world' 5.9, 'here' 6.0; brands cut from a name: 'sony' 4.2, 'uber' 4.0, 'grab' 4.5
)
_ENGLISH_ZIPF = 3.0  # about once per million words: 'token', 'excel'; 'nikon' 3.3, 'denso' 2.0, 'toppan' 1.6


@functools.lru_cache(maxsize=4096)
def _english_word(word: str) -> bool:
    """Is the word common in English text (wordfreq's frequency lists)? Imported on first use (~0.1 s,
    once per Matcher build, and only for names of 5-6 capitals or cut from a name in lower case); the small list
    holds every word above the threshold."""
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(word, "en", wordlist="small") >= _ENGLISH_ZIPF)


@functools.lru_cache(maxsize=4096)
def _everyday_word(word: str) -> bool:
    """Is the (one, Latin) word among the commonest of English, which a sentence may open with?"""
    if " " in word or not word.isalpha():
        return False
    from wordfreq import zipf_frequency

    return bool(zipf_frequency(word, "en", wordlist="small") >= _EVERYDAY_ZIPF)


class _Entries:
    """Values by index, each kept pickled until first asked for.

    The Matcher is unpickled by every parser worker on every run, and building 100,000 words' key
    tuples was most of that (0.55 of 0.79 s at 50,000 vendors); a text hits a few hundred of them."""

    def __init__(self, values: Iterable[object] = ()):
        blob, offsets = bytearray(), array("Q", [0])
        for v in values:
            blob += pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)
            offsets.append(len(blob))
        self._blob, self._offsets = bytes(blob), offsets
        self._decoded: dict[int, Any] = {}

    def __getitem__(self, i: int) -> Any:
        value = self._decoded.get(i)
        if value is None:
            start, end = self._offsets[i], self._offsets[i + 1]
            value = self._decoded[i] = pickle.loads(memoryview(self._blob)[start:end])
        return value

    def __getstate__(self) -> tuple[bytes, array[int]]:
        return self._blob, self._offsets

    def __setstate__(self, state: tuple[bytes, array[int]]) -> None:
        self._blob, self._offsets = state
        self._decoded = {}


class Matcher:
    """Built once per register and cached (pipeline.workers.prepare_matcher). Its automata hold indexes into
    _Entries, which load without building Python objects: loading it costs ~0.05 s at 50,000 vendors."""

    def __init__(self, vendors: Iterable[Vendor]):
        vendors = list(vendors)
        self._names = [v.name for v in vendors]
        self._exact = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._anchors = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        self._domains: dict[str, list[tuple[int, str]]] = {}
        keys: dict[str, list[_Key]] = {}
        token_freq: dict[str, int] = {}
        multiword: list[tuple[str, _Key]] = []
        for i, v in enumerate(vendors):
            for how, names in (("name", (v.name,)), ("alias", v.aliases), ("product", v.products)):
                for registered in names:
                    as_registered, variants = name_forms(registered)
                    for variant in variants:
                        if len(variant) < 2:
                            continue
                        case, form = _case_rule(registered, variant)
                        # Ordinary words, two-letter names, and Japanese names we shortened ourselves
                        # ('プロジェクトホールディングス' -> 'プロジェクト') need a company marker beside them.
                        # A Latin word registered bare, as the vendor writes itself ('npm'), is meant as
                        # that word: it must then appear in the registered case (case rule), not with a marker.
                        ordinary = variant in ORDINARY_WORDS and not (
                            variant.isascii() and case == "exact" and fold(registered) == variant
                        )
                        marker = (
                            ordinary
                            or (variant.isascii() and len(variant) <= 2)
                            or variant.replace(" ", "").isdigit()  # '101' (１０１合同会社) is a number
                            or (variant not in as_registered and _single_script_japanese(variant))
                            # An everyday English word we cut from a longer name ('The Hospital Group' -> 'hospital',
                            # 'Here Group Limited' -> 'here') opens sentences as that word: 'Hospital staff said',
                            # 'Here is how'. Registered so ('Target Corporation': the name less its legal form),
                            # or a brand less common as a word ('Sony', 'Uber'), it is the name.
                            or (variant not in as_registered and variant.isascii() and _everyday_word(variant))
                        )
                        key = _Key(i, registered, how, case, form, marker)
                        keys.setdefault(variant, []).append(key)
                        toks = variant.split()
                        if len(toks) >= 2 and variant.isascii() and len(variant) >= 12:
                            multiword.append((variant, key))
                            for t in set(toks):
                                token_freq[t] = token_freq.get(t, 0) + 1
            for d in v.domains:
                self._domains.setdefault(d, []).append((i, d))
        for i, variant in enumerate(keys):
            self._exact.add_word(variant, i)
        self._exact_entries = _Entries(
            (variant, tuple(klist), len(variant) < 4 and script(variant[-1]) == "latin")
            for variant, klist in keys.items()
        )
        anchors: dict[str, list[tuple[str, _Key]]] = {}
        for variant, key in multiword:
            cands = [t for t in variant.split() if t not in _STOP and len(t) >= 4 and not t.isdigit()]
            if cands:
                anchor = min(cands, key=lambda t: (token_freq.get(t, 0), -len(t)))
                anchors.setdefault(anchor, []).append((variant, key))
        for i, anchor in enumerate(anchors):
            self._anchors.add_word(anchor, i)
        self._anchor_entries = _Entries(
            (anchor, tuple(lst), script(anchor[0]) == "latin", script(anchor[-1]) == "latin")
            for anchor, lst in anchors.items()
        )
        self._has_exact = bool(keys)
        self._has_anchors = bool(anchors)
        if self._has_exact:
            self._exact.make_automaton()
        if self._has_anchors:
            self._anchors.make_automaton()

    # ------------------------------------------------------------------ public

    def match(self, fields: Mapping[str, str], link: str = "") -> list[Match]:
        """The vendors named in each field (title, summary, body) or by the link's host; one Match each."""
        found: list[tuple[Match, int, int]] = []
        for field, text in fields.items():
            if text:
                found.extend(self._match_text(field, text))
        if link:
            found.extend(self._match_link(link))
        return _best_per_vendor(_drop_overlapped(found))

    # ------------------------------------------------------------------ internals

    def _match_text(self, field: str, text: str) -> list[tuple[Match, int, int]]:
        folded = fold(text, join_cjk=True)
        nfkc = fold_case_kept(text)
        out: list[tuple[Match, int, int]] = []
        seen: set[tuple[int, str]] = set()
        cjk: bool | None = None  # whether the text has Japanese characters (names run together there)
        if self._has_exact:
            last = len(folded) - 1
            for end, entry in self._exact.iter(folded):
                variant, klist, short_latin_tail = self._exact_entries[entry]
                start = end - len(variant) + 1
                # Most candidates are a short Latin name inside a longer word ('os' in 'most'): refused
                # here before the full checks, which refuse them too (_before_ok; _after_ok, and no
                # camel-case reading under 4 letters). The hit's first letter is the name's.
                if start > 0 and script(folded[start]) == "latin" and script(folded[start - 1]) == "latin":
                    continue
                if short_latin_tail and end < last and script(folded[end + 1]) == "latin":
                    continue
                camel = loose = False
                if not _boundaries_ok(folded, start, end + 1, variant):
                    # 'CitrixNetScaler': Japanese text often runs Latin names together; a lower-to-upper
                    # case change after the name (checked on the text as written) ends it.
                    camel = _camel_head(folded, start, end + 1, variant)
                    if not camel:
                        continue
                    if cjk is None:  # asked once per text, and only for a name run into a Latin word
                        cjk = _CJK_CHAR.search(nfkc) is not None
                    loose = cjk
                for key in klist:
                    if (key.vendor, variant) in seen:
                        continue
                    if key.marker and not _company_marker(folded, start, end + 1):
                        continue
                    if _institution_of(folded, start, variant) or _longer_name_follows(folded, end + 1, key.registered):
                        continue
                    surface, s, e = _surface(nfkc, variant, key, start, camel, loose)
                    if (key.case or camel) and surface is None:
                        continue
                    if surface is not None and _tail_of_latin_name(nfkc, s, variant):
                        continue
                    seen.add((key.vendor, variant))
                    out.append(
                        (
                            Match(
                                self._names[key.vendor], key.registered, key.how, field, surface or variant, s, e, 100.0
                            ),
                            start,
                            end + 1,
                        )
                    )
        if self._has_exact and _CAMEL_RUN.search(nfkc) and _CJK_CHAR.search(nfkc):
            # Longer than the camel-case hit on its first word ('Salesloft' in 'SalesloftDrift'), which
            # _drop_overlapped then drops.
            out.extend(self._run_together(field, folded, nfkc))
        if self._has_anchors:
            out.extend(self._fuzzy(field, folded, nfkc, {m.vendor for m, _, _ in out}))
        lowered = nfkc.lower() if self._domains else ""
        # Every domain has a label character, a dot and a letter in a row: prose without one skips the
        # scan (which tries at every word and cost more than the rest of matching a summary).
        for dm in _DOMAIN.finditer(lowered) if _DOTTED.search(lowered) else ():
            for vi, dom in self._lookup_domain(dm.group(1)):
                out.append(
                    (Match(self._names[vi], dom, "domain", field, dm.group(1), dm.start(1), dm.end(1), 100.0), -1, -1)
                )
        return out

    def _run_together(self, field: str, folded: str, nfkc: str) -> list[tuple[Match, int, int]]:
        """Names of several words that Japanese text writes as one ('PaloAltoNetworksも', 'SalesloftDriftの'): the
        first words of a run of capitalised Latin words, looked up as the name written with spaces, and kept only
        in the registered capitals (_joined_form), and not as the tail of a longer name ('WordPress GravityForms').
        Read at match time: a key per joined name cost the build a third more at 13,000 vendors."""
        out: list[tuple[Match, int, int]] = []
        for run in _CAMEL_RUN.finditer(nfkc):
            words = _CAMEL_WORD.findall(run.group(0))
            for n in range(len(words), 1, -1):
                written = "".join(words[:n])
                entry = self._exact.get(" ".join(words[:n]).casefold(), None)
                if entry is None:
                    continue
                variant, klist, _ = self._exact_entries[entry]
                keys = [k for k in klist if _joined_form(k.registered, variant.split()) == written]
                if keys and _tail_of_latin_name(nfkc, run.start(), written):
                    break
                for key in keys:
                    at = folded.find(written.casefold())
                    s, e = run.start(), run.start() + len(written)
                    out.append(
                        (
                            Match(self._names[key.vendor], key.registered, key.how, field, written, s, e, 100.0),
                            at,
                            at + len(written),
                        )
                    )
                if keys:
                    break
        return out

    def _fuzzy(self, field: str, folded: str, nfkc: str, matched: set[str]) -> list[tuple[Match, int, int]]:
        """Near misses of long multi-word names ('Perry Johnson Associates'), found via their rarest word."""
        out = []
        last = len(folded) - 1
        for end, entry in self._anchors.iter(folded):
            anchor, lst, latin_head, latin_tail = self._anchor_entries[entry]
            a_start = end - len(anchor) + 1
            # Inside a longer Latin word ('time' in 'sometimes'): refused as _boundaries_ok would.
            if (latin_head and a_start > 0 and script(folded[a_start - 1]) == "latin") or (
                latin_tail and end < last and script(folded[end + 1]) == "latin"
            ):
                continue
            if not _boundaries_ok(folded, a_start, end + 1, anchor):
                continue
            runs: _RunsAround | None = None
            for variant, key in lst:
                vname = self._names[key.vendor]
                if vname in matched:
                    continue
                # A quick bound first. A run of words scoring _FUZZY_MIN (92) or more is at most 17%
                # longer than the variant (2V / (L + V) >= 0.92) or 15% shorter, so the variant aligned
                # with the run's start scores at least 82.6 as a substring of the text around it ('perry
                # johnson and associates' for 'perry johnson associates' scores 83.3: 85 refused it).
                window = folded[max(0, a_start - len(variant)) : end + 1 + len(variant)]
                if not fuzz.partial_ratio(variant, window, score_cutoff=_FUZZY_BOUND):
                    continue
                if runs is None:
                    runs = _RunsAround(folded, a_start, end + 1, max(len(v) for v, _ in lst))
                best = runs.best(variant)
                if best is None:
                    continue
                score, ws, we = best
                surface, s, e = _surface(nfkc, folded[ws:we], key)
                if surface is None or _longer_name_follows(folded, we, key.registered):
                    continue
                matched.add(vname)
                out.append((Match(vname, key.registered, "fuzzy", field, surface, s, e, round(score, 1)), ws, we))
        return out

    def _match_link(self, link: str) -> list[tuple[Match, int, int]]:
        if not self._domains:
            return []
        try:
            host = (urlsplit(link).hostname or "").lower().rstrip(".")
        except ValueError:
            return []
        return [
            (Match(self._names[vi], dom, "domain", "link", host, 0, len(host), 100.0), -1, -1)
            for vi, dom in self._lookup_domain(host)
        ]

    def _lookup_domain(self, host: str) -> list[tuple[int, str]]:
        """The host or any parent domain of it (news.isetoh.co.jp -> isetoh.co.jp)."""
        if not self._domains:
            return []
        labels = host.split(".")
        out: list[tuple[int, str]] = []
        for i in range(len(labels) - 1):
            out.extend(self._domains.get(".".join(labels[i:]), ()))
        return out


@functools.lru_cache(maxsize=65536)
def _single_script_japanese(key: str) -> bool:
    return len({script(c) for c in key}) == 1 and script(key[0]) in ("kata", "kanji", "hira")


@functools.lru_cache(maxsize=65536)
def _is_short_japanese(key: str) -> bool:
    """Two kanji or up to four katakana: often an ordinary word or part of one."""
    kinds = {script(c) for c in key}
    return (kinds == {"kanji"} and len(key) <= 2) or (kinds == {"kata"} and len(key) <= 4)


def _boundaries_ok(folded: str, start: int, end: int, key: str) -> bool:
    return _before_ok(folded, start, key, folded.startswith(_FORM_ENDINGS, end)) and _after_ok(folded, end, key)


def _before_ok(folded: str, start: int, key: str, form_follows: bool = False) -> bool:
    before = folded[start - 1] if start > 0 else ""
    first, sb = script(key[0]), script(before)
    if first == "latin" and sb == "latin":
        return False
    # A legal form right before the name is a boundary ('公立大学法人北九州市立大学').
    if first in ("kata", "kanji", "hira") and folded.endswith(_FORM_ENDINGS, 0, start):
        return True
    # So is one right after it, for kana after kana ('子会社であるひびしんキャピタル株式会社').
    if (
        first in ("kata", "hira")
        and sb == first
        and not form_follows
        and not (first == "kata" and folded.endswith(_KATA_APPOSITIONS, 0, start))
    ):
        return False
    # Latin glued to a katakana word makes one compound noun ('Pythonベース', 'Webサーバ'), not a name.
    if first == "kata" and sb == "latin":
        return False
    # A foreign state before it makes it a city ('アリゾナ州フェニックス', 'テキサス州オースティン'), not a company.
    if first == "kata" and before == "州" and start >= 2 and script(folded[start - 2]) == "kata":
        return False
    if sb == "kanji" and before not in _KANJI_OK_BEFORE and first in ("kata", "kanji", "hira"):
        # A prefecture before a name is where it is based ('大分トキハ', '沖縄ファミマ'). A long katakana name after
        # kanji starts a new word ('宿泊施設ブルックランズ'); a short one is often the tail of a compound
        # ('特定パス', '不正アクセス'). 大阪急性期 does not name 阪急.
        return folded.endswith(_PREFECTURES, 0, start) or (first == "kata" and not _is_short_japanese(key))
    return True


# A prefecture or the metropolis followed by a city, ward, town or village is an address ('埼玉県幸手市が利用する',
# '東京都品川区の審調社'), not the prefecture's government.
_PREFECTURE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,3}[都道府県]$")
_WITHIN_AFTER = re.compile(r"内(?!部)|下")
_MUNICIPALITY_AFTER = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]{1,5}?[市区町村郡]")
# ... and so is one before the kind of business found there ('兵庫県の保険代理店で不正アクセス', '大阪府の病院'); not the
# prefecture's own contractor or designee ('兵庫県の委託事業者')
_BUSINESS_THERE_AFTER = re.compile(
    r"の(?![^、。]{0,8}?(?:委託|受託|指定|外郭|出資))[^\s、。のをがはにで]{0,8}?(?:代理店|企業|会社|法人|事業者|業者|病院|医院|"
    r"クリニック|診療所|学校|大学|ホテル|旅館|工場|店舗|販売店|薬局|施設)"
)


def _after_ok(folded: str, end: int, key: str) -> bool:
    # ... so is one followed by 内 or 下 ('東京都内のホテルで', '埼玉県下の病院'; not 内部, 'the metropolis's internal papers')
    if _PREFECTURE_NAME.match(key) and (
        _MUNICIPALITY_AFTER.match(folded, end)
        or _WITHIN_AFTER.match(folded, end)
        or _BUSINESS_THERE_AFTER.match(folded, end)
    ):
        return False
    after = folded[end] if end < len(folded) else ""
    last, sa = script(key[-1]), script(after)
    if last == "latin" and sa == "latin":
        return False
    if last == "kata" and sa == "kata" and not folded.startswith(_KATA_FOLLOWERS, end):
        return False
    # A short name followed by kanji is usually part of a longer name ('ソニー生命' is not ソニー), unless the
    # kanji start an incident word of a run-together headline ('ストアカ不正アクセス').
    if (
        _is_short_japanese(key)
        and sa == "kanji"
        and after not in _KANJI_OK_AFTER
        and not folded.startswith(_KANJI_FOLLOWERS, end)
    ):
        return False
    # Two kanji followed by な, し, す... are a word in a phrase (高速な), not a company (日立は, 東芝の).
    if (
        _is_short_japanese(key)
        and sa == "hira"
        and after not in _PARTICLES
        and not folded.startswith(("から", "など"), end)
    ):
        return False
    # Kanji run into katakana are a compound or a longer name ('高速コロナ', '東芝メモリ', '富士通ゼネラル' is not
    # 富士通), unless a headline word follows. After a longer name, so may an ordinary word: the name's
    # service or brand ('佐川急便スマートクラブ', '毎日新聞デジタル').
    if (
        last == "kanji"
        and sa == "kata"
        and not folded.startswith(_KATA_FOLLOWERS, end)
        and (_is_short_japanese(key) or not folded.startswith(_KATA_ORDINARY, end))
    ):
        return False
    return not (last in ("kanji", "kata") and _longer_name_with_form(folded, end))


def _longer_name_with_form(folded: str, end: int) -> bool:
    """More kanji or katakana and then a legal form after a name make a longer company name
    ('日本電気硝子株式会社' is not 日本電気); the form right after the name is its own ('富士通株式会社')."""
    i = end
    # Up to 12 characters on: the bound also keeps a hit from reading the whole run of kanji after it,
    # which made hostile text (a prefecture and a name repeated) quadratic when the run was read to its end.
    while i < len(folded) and i - end < 12 and script(folded[i]) in ("kanji", "kata"):
        if i > end and folded.startswith(_FORM_ENDINGS, i):
            # '富士通子会社', 'イセトー委託先...' are words about the name, not a part of another one.
            return not (folded[end] in _KANJI_OK_AFTER or folded.startswith(_KANJI_FOLLOWERS + _KATA_FOLLOWERS, end))
        i += 1
    return False


def _company_marker(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 6) : start].rstrip()
    after = folded[end : end + 12].lstrip()
    # '社会', '社員' after a word are not the company suffix 社 ('デジタル社会').
    return before.endswith(_MARK_BEFORE) or (after.startswith(_MARK_AFTER) and not after.startswith(_NOT_MARKS))


def _institution_of(folded: str, start: int, key: str) -> bool:
    """'University of Zurich' names a university, not Zurich Insurance."""
    if " " in key or not key.isascii():
        return False
    words = folded[max(0, start - 40) : start].split()
    return len(words) >= 2 and words[-1] == "of" and words[-2] in _INSTITUTION_HEADS


_ORG_WORDS = {
    "industries",
    "industry",
    "group",
    "holdings",
    "bank",
    "insurance",
    "university",
    "airlines",
    "airways",
    "motors",
    "motor",
    "systems",
    "technologies",
    "partners",
    "capital",
    "energy",
    "electric",
    "pharmaceuticals",
    "hospital",
    "college",
    "financial",
    "foods",
    "international",
    "trading",
    "securities",
    "steel",
    "chemical",
    "logistics",
}


_LATIN_RUN = re.compile(r"[a-z0-9]+")


def _longer_name_follows(folded: str, end: int, registered: str) -> bool:
    """'Kojima Industries' is not 'Kojima Co., Ltd.': an organisation word after the name that the
    registered name does not have makes it someone else's name."""
    nxt = folded[end : end + 20].split(" ", 2)
    # 'insight partnersが': the word is its Latin part, Japanese text runs on without a space.
    latin = _LATIN_RUN.match(nxt[1]) if len(nxt) > 1 and nxt[0] == "" else None
    word = latin.group(0) if latin else ""
    return word in _ORG_WORDS and word not in fold(registered).split()


# What may sit between two characters of a Japanese name: the same as [\s・･·]*, written so that no class holds
# more than two runs of characters. re compiles a class of three scattered non-Latin-1 characters into a
# 64K-entry table, ~0.3 ms for each gap of each name: case 7's workers compiled ~270 Japanese names a poll, 0.5 s.
_JA_GAP = r"[\s·]*(?:[・･][\s·]*)*"


def _pattern(variant: str) -> str:
    """A regex finding the folded variant in NFKC text: any punctuation or space between its parts."""
    parts = []
    for tok in variant.split():
        if tok == "and":
            parts.append(r"(?:and|&)")
        elif tok.isascii():
            parts.append(re.escape(tok) + r"(?:['’]s)?")
        else:  # Japanese: '・', full-width spaces and line breaks may sit between any two characters
            parts.append(_JA_GAP.join(re.escape(c) for c in tok))
    return r"[\W_]*".join(parts)


_STARTS_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")  # with match()
_ENDS_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]\Z")  # with search()
_ENDS_ASCII_LETTER = re.compile(r"[A-Za-z]\Z")  # with search()


@functools.lru_cache(maxsize=16384)
def _surface_regex(variant: str, camel: bool, loose: bool = False) -> re.Pattern[str]:
    """Compiled once per name: re's own cache (512 patterns) is too small for a register's hits."""
    pat = "(?i:" + _pattern(variant) + ")"  # the name in any case; the boundaries below case-sensitive
    if _STARTS_ASCII_ALNUM.match(variant):
        pat = r"(?<![A-Za-z0-9])" + pat
    if _ENDS_ASCII_ALNUM.search(variant):
        # Run together with a camel-case product name ('CitrixNetScaler'); a plain capitalised tail is one
        # coined word with a short name ('ClickFix', 'TeamViewer'), not the name. A name of 6 letters or more
        # also ends before a capitalised word or a number in Japanese text ('MicrosoftTeams', 'Microsoft365'),
        # where Latin words are run together; in English 'Myspace93' is another site.
        tail = r"[A-Z][a-z0-9]+[A-Z]" + (r"|[A-Z][a-z]{2}|[0-9]" if loose and len(variant) >= 6 else "")
        pat += rf"(?<=[a-z])(?={tail})" if camel else r"(?![A-Za-z0-9])"
    return re.compile(pat)


def _surface(
    nfkc: str, variant: str, key: _Key, near: int = 0, camel: bool = False, loose: bool = False
) -> tuple[str | None, int, int]:
    """The matched words as written in the article (for evidence), respecting the key's case rule.

    Of several occurrences, the one nearest `near` (the hit's offset in the folded text, which is
    close to its offset in the NFKC text): 'パスワード' earlier in the text is not the evidence for 'パスの'."""
    best: tuple[str | None, int, int] = (None, -1, -1)
    for m in _surface_regex(variant, camel, loose).finditer(nfkc):
        word = m.group(0)
        # OKTA in an all-capitals headline is Okta; 'okta' in running text is not required to be.
        if (
            key.case == "exact"
            and key.form not in re.findall(r"[A-Za-z0-9]+", word)
            and not (word.isupper() and key.form[:1].isupper())
        ):
            continue
        if key.case == "capital" and not any(c.isupper() for c in word):
            continue
        if best[0] is None or abs(m.start() - near) < abs(best[1] - near):
            best = (word, m.start(), m.end())
        if m.start() >= near:
            break
    return best


def _camel_head(folded: str, start: int, end: int, key: str) -> bool:
    """Could the Latin name end where another Latin word starts ('Citrix' in 'CitrixNetScaler')? The
    case changes are checked on the text as written (_surface with camel=True)."""
    return (
        len(key) >= 4
        and bool(_ENDS_ASCII_LETTER.search(key))
        and end < len(folded)
        and script(folded[end]) == "latin"
        and _before_ok(folded, start, key)
    )


_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# Capitalised Latin words run together, not inside a longer Latin word ('PaloAltoNetworks', 'SalesloftDrift').
_CAMEL_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Z][a-z]+(?:[A-Z][a-z]+)+(?![a-z])")
_CAMEL_WORD = re.compile(r"[A-Z][a-z]+")
_CAPITALISED_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9]*[ \u3000]$")


def _tail_of_latin_name(nfkc: str, s: int, variant: str) -> bool:
    """In Japanese text the Latin words are names, so a one-word name right after another capitalised
    Latin word is the tail of that longer name ('Cobalt Strike', 'TPLink Archer', 'Perl CGI')."""
    return (
        " " not in variant
        and variant.isascii()
        and s > 0
        and bool(_CAPITALISED_WORD_BEFORE.search(nfkc, max(0, s - 40), s))
        and bool(_CJK_CHAR.search(nfkc))
    )


_WORD = re.compile(r"[^\W_]+")


class _RunsAround:
    """Runs of whole words holding an anchor, against which the variants sharing that anchor are scored.

    Whole words, not a substring alignment: an alignment is as long as the variant, so a shorter near
    miss mid-sentence ('at Plum Design') took in a space or a letter of its neighbour and scored under
    the cut-off, while at the start of the text it did not."""

    def __init__(self, folded: str, a_start: int, a_end: int, reach: int):
        lo = max(0, a_start - reach)
        while lo > 0 and folded[lo - 1].isalnum():
            lo -= 1
        hi = min(len(folded), a_end + reach)
        word = _WORD.match(folded, hi)  # the word the reach stops in, taken whole
        if word:
            hi = word.end()
        self._folded = folded
        self._words = [(m.start(), m.end()) for m in _WORD.finditer(folded, lo, hi)]
        self._at = next((i for i, (s, e) in enumerate(self._words) if s <= a_start and a_end <= e), -1)
        self._by_count: dict[int, tuple[list[str], list[tuple[int, int]]]] = {}

    def _runs(self, n: int) -> tuple[list[str], list[tuple[int, int]]]:
        """The runs of n - 1 to n + 1 words holding the anchor's word: their text and spans."""
        if n not in self._by_count:
            words, at, spans = self._words, self._at, []
            for size in (n, n - 1, n + 1):
                for first in range(max(0, at - size + 1), min(at, len(words) - size) + 1):
                    spans.append((words[first][0], words[first + size - 1][1]))
            self._by_count[n] = ([self._folded[s:e] for s, e in spans], spans)
        return self._by_count[n]

    def best(self, variant: str) -> tuple[float, int, int] | None:
        """The best-scoring run against the variant, if it scores _FUZZY_MIN or more."""
        if self._at < 0:
            return None
        texts, spans = self._runs(len(variant.split()))
        found = process.extractOne(variant, texts, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN)
        if found is None:
            return None
        _, score, i = found
        return score, spans[i][0], spans[i][1]


def _drop_overlapped(found: list[tuple[Match, int, int]]) -> list[Match]:
    """A name inside a longer matched name of another vendor is not a mention ('NTT' in 'NTTデータ')."""
    spans = [(m.field, s, e, m.vendor) for m, s, e in found if s >= 0]
    keep = []
    for m, s, e in found:
        if s >= 0 and any(
            f == m.field and v != m.vendor and os_ <= s and e <= oe and (oe - os_) > (e - s) for f, os_, oe, v in spans
        ):
            continue
        keep.append(m)
    return keep


_FIELD_RANK = {"title": 0, "link": 1, "summary": 2, "body": 3}


def _strength(m: Match) -> tuple[float, bool, int, int]:
    # A vendor named by its own name beside one of its products is named: the product is only what it makes.
    return (m.score, m.how != "product", -_FIELD_RANK.get(m.field, 9), len(m.surface))


def _best_per_vendor(matches: list[Match]) -> list[Match]:
    """One piece of evidence per vendor: the strongest, preferring the title."""
    best: dict[str, Match] = {}
    for m in matches:
        cur = best.get(m.vendor)
        if cur is None or _strength(m) > _strength(cur):
            best[m.vendor] = m
    return sorted(best.values(), key=lambda m: (_FIELD_RANK.get(m.field, 9), -m.score, m.vendor))
