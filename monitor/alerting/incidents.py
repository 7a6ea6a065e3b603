"""Which incident does a new breach report belong to? Pure code, no I/O. The one place of the rule.

An incident is one event at one vendor (its aliases and group names are the vendor); its coverage
runs for months: the attack, the outage, 第2報 to 第8報, the leak figures, the earnings hit, lawsuits,
the final report. The rule, for a report of vendor V (decide()):

* Candidates: V's incidents whose last report is at most LOOKBACK (three years) old.
* What a report says is read once (facts()): the specific kinds of incident it names (ransomware,
  unauthorised access, misdelivery, loss, ...; grouped into families that co-occur in one event),
  threat actors (Qilin, LockBit, ...), affected-count figures (44万件 = 440,000), the date it gives
  for the attack ("9月29日に発生した", "on September 29"), whether it is a follow-up (detect's
  FOLLOW_UP_TERMS: 第N報, 再発防止策, 決算, lawsuit, ...), whether it points to the past (昨年, a stated
  attack date weeks before publication, "last year"), and whether it calls itself a new event
  (別件, 新たな攻撃, 再び, "another attack").
* A candidate is ruled out when the report reads as another event: it says so (別件, "another
  attack") about an incident older than two weeks, unless it gives the candidate's attack date; it names only kinds of another family
  (a misdelivery beside a ransomware attack), or another actor, unless the attack date, actor or
  figure is the same; or it dates its attack outside the candidate's time (April's attack is not
  September's), unless the actor or figure is the same.
* Otherwise the report joins, strongest evidence first:
  3. the same attack date or month, the same actor, the same figure (for as long as LOOKBACK), or a
     near-duplicate title (another outlet's wording, while the coverage runs);
  2. a report pointing to an earlier event (昨年, 第3報, 'the February attack', 'the 2023 breach'), or a
     follow-up naming no kind: for as long as LOOKBACK;
  1. nothing against it while the incident's coverage runs (its last report at most ACTIVE_GAP old).
  Among candidates, the strongest evidence wins, then the most recent incident.
* Anything else opens a new incident, and the reason says why the nearest candidate was not joined
  (a long quiet gap without reference back, another kind, 別件, ...).

Every decision is a value with its reason (Decision), recorded on the alert and shown by
`monitor incidents --json`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..matching.detect import BREACH_TERMS, TermScanner, is_research
from ..matching.detect import is_follow_up as is_follow_up
from ..normalize import fold, is_cjk

ACTIVE_GAP = timedelta(days=45)  # coverage still running: a report names no other event, it is this one
LOOKBACK = timedelta(days=1096)  # how old an incident's last report may be for a report to refer back to it
# (fines, lawsuits and charges come two or three years after the attack)
MAX_CANDIDATES = 30  # the vendor's most recent incidents within LOOKBACK that are compared
SIMILARITY_MIN = 0.5
COUNT_MIN = 100
PAST_DATE = timedelta(days=14)  # a stated attack date this much before publication points to the past
# A report saying "a new/separate breach" is new against incidents older than this; the new event's own
# coverage keeps calling it new for days.
NEW_EVENT_AGE = timedelta(days=14)

KINDS: dict[str, tuple[str, ...]] = {
    "ransomware": (
        "ランサムウェア",
        "ランサムウエア",
        "ランサム攻撃",
        "身代金",
        "暗号化され",
        "ransomware",
        "ransom",
        "encrypted",
        "lockbit",
        "blackcat",
        "alphv",
        "cl0p",
        "clop",
        "akira",
        "play ransomware",
        "8base",
        "blacksuit",
        "qilin",
    ),
    "unauthorised access": (
        "不正アクセス",
        "侵入",
        "不正侵入",
        "unauthorized access",
        "unauthorised access",
        "intrusion",
        "hacked",
        "hackers",
        "compromised",
        "broke into",
        "gained access",
    ),
    "malware": (
        "マルウェア",
        "ウイルス感染",
        "ウィルス感染",
        "emotet",
        "エモテット",
        "malware",
        "infostealer",
        "info stealer",
        "trojan",
        "infected",
    ),
    "misdelivery": (
        "誤送信",
        "誤送付",
        "誤配送",
        "誤配信",
        "誤って送",
        "misdirected",
        "sent to the wrong",
        "wrong recipient",
        "wrong recipients",
        "mailed to the wrong",
    ),
    "loss or theft": (
        "紛失",
        "盗難",
        "置き忘れ",
        "lost laptop",
        "stolen laptop",
        "lost device",
        "stolen device",
        "lost usb",
        "misplaced",
    ),
    "exposure": (
        "閲覧可能",
        "公開状態",
        "設定不備",
        "設定ミス",
        "misconfigured",
        "misconfiguration",
        "publicly accessible",
        "exposed database",
        "open database",
        "unsecured",
        "left exposed",
    ),
    "credential stuffing": (
        "不正ログイン",
        "リスト型攻撃",
        "パスワードリスト",
        "credential stuffing",
        "account takeover",
        "password spraying",
    ),
    "leak-site claim": (
        "リークサイト",
        "犯行声明",
        "ダークウェブ",
        "leak site",
        "dark web",
        "claims to have",
        "claimed responsibility",
        "listed on",
    ),
    "phishing": ("フィッシング", "偽サイト", "偽の認証画面", "不審な認証画面", "phishing", "fake login"),
    "ddos": ("ddos", "サービス妨害", "denial of service"),
    "insider": ("内部不正", "元社員", "元従業員", "不正に持ち出", "insider", "former employee", "rogue employee"),
}
# Kinds that one event shows together (an intrusion is reported as unauthorised access, then
# ransomware, then a leak-site claim; phishing is how many intrusions begin). Reports naming kinds of disjoint families are other events.
FAMILY = {
    "ransomware": "intrusion",
    "unauthorised access": "intrusion",
    "malware": "intrusion",
    "leak-site claim": "intrusion",
    "credential stuffing": "account takeover",
    "misdelivery": "misdelivery",
    "loss or theft": "loss or theft",
    "exposure": "exposure",
    "phishing": "intrusion",
    "ddos": "ddos",
    "insider": "insider",
}
ACTORS = (
    "qilin",
    "lockbit",
    "akira",
    "blackcat",
    "alphv",
    "cl0p",
    "clop",
    "play ransomware",
    "8base",
    "blacksuit",
    "black basta",
    "rhysida",
    "medusa",
    "royal",
    "conti",
    "ransomhub",
    "hunters international",
    "bianlian",
    "scattered spider",
    "shinyhunters",
    "lapsus$",
    "scattered lapsus$ hunters",
    "hellcat",
    "interlock",
    "safepay",
    "dragonforce",
    "everest",
    "inc ransom",
    "lynx",
    "nightspire",
    "gunra",
    "warlock",
    "crypto24",
    "sinobi",
    "kawa4096",
    "devman",
    "embargo",
    "cactus",
    "trigona",
    "noescape",
    "hive",
    "lazarus",
    "volt typhoon",
    "salt typhoon",
    "apt41",
    "apt29",
    "mirrorface",
    "tick",
    "blacktech",
)
# Vendors' naming schemes for actors: Storm-0558, Midnight Blizzard, Volt Typhoon, APT29, UNC3944.
_ACTOR_NAMED = re.compile(
    r"\bstorm[- ]\d{4}\b|\b[a-z]+ (?:blizzard|typhoon|sleet|tempest|sandstorm|hail|dust|flood|"
    r"cyclone|tsunami)\b|\b(?:apt|unc|ta|fin)\d{1,4}\b"
)
_ACTOR_ALIAS = {"alphv": "blackcat", "clop": "cl0p", "scattered lapsus$ hunters": "scattered spider"}
NEW_EVENT = re.compile(
    r"別件|別の(?:サイバー)?(?:攻撃|事案|インシデント|不正アクセス)|新たな(?:サイバー)?(?:攻撃|不正アクセス|インシデント|"
    r"ランサムウ[ェエ]ア|事案)|新たに(?:サイバー攻撃|不正アクセス|ランサムウ[ェエ]ア)|再び|またも|再度(?:の)?(?:サイバー)?"
    r"(?:攻撃|不正アクセス)|[2２二]度目の(?:サイバー)?(?:攻撃|被害|不正アクセス|ランサム|情報漏|流出)|"
    r"\b(?:another|second|new|fresh|separate|unrelated)\s+(?:cyber\s?attack|attack|breach|data breach|"
    r"ransomware attack|security incident|incident|hack|intrusion|cyber incident)\b|"
    r"\b(?:hit|attacked|breached|hacked|targeted) again\b"
)
# Words pointing to an earlier event or report: a numbered report (第3報) or a final report presupposes
# the first one; so do the arrests, charges and sentences that follow an attack.
PAST = re.compile(
    r"昨年|去年|先月|前回|以前の|先に公表|既に公表|に公表した|第\d+報|第[二三四五六七八九十]+報|最終報告|"
    r"再発防止|調査結果|調査報告|報告書|た問題で|た問題を受け|た事案で|事案を受け|の件で|\blast (?:year|month)\b|\bfinal report\b|\bfollow-up to\b|"
    r"\bearlier this year\b|\bin the wake of\b|\bprevious(?:ly)?\b|"
    # What the police and the courts do comes after the attack, and is about it: an arrest,
    # charges, a sentence refer back to the attack as surely as 第3報 does.
    r"逮捕|起訴|送検|書類送検|有罪判決|\barrest(?:s|ed)?\b|\bcharged\b|\bindicted\b|\bsentenced\b|"
    r"\bextradited\b|\bpleads? guilty\b"
)
_MONTHS = {
    m: i
    for i, ms in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
    for m in (ms,)
}
_DATE_JA = re.compile(
    r"(?:(20\d\d)年)?(1[0-2]|[1-9])月(?:([12]\d|3[01]|[1-9])日|末|上旬|中旬|下旬|初旬)?(?!から|まで|期)"
    r"(?:(?!再開|予定|見込|開始|時点|再稼働|復旧)[^。\n]){0,24}?(?:発生|攻撃|被害を受|不正アクセス|侵入|"
    r"ランサム|感染|障害)"
)
# '2025年に発生した攻撃' in 2026: a year-only date of the event points to the past.
_YEAR_JA = re.compile(r"(20\d\d)年(?:に|の)[^。\n]{0,16}?(?:発生|攻撃|被害|不正アクセス|ランサム)")
_DATE_EN = re.compile(
    r"\b(?:on|in|since|from)\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+(\d{1,2})(?:st|nd|rd|th)?)?(?:,?\s+(20\d\d))?\b"
)
_REF_EN = re.compile(
    r"\bthe\s+(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?(?:(20\d\d)\s+)?"
    r"(?:[a-z$-]+\s+){0,2}?(?:attack|breach|cyberattack|cyber attack|hack|intrusion|incident|"
    r"data theft|compromise)\b"
)
_YEAR_EN = re.compile(r"\b(?:in|since|of|the)\s+(20\d\d)\b")
_ATTACK_EN = re.compile(
    r"\b(?:attack|attacked|cyberattack|cyber attack|breach|breaches|breached|hack|hacked|"
    r"hackers|stolen|stole|ransomware|intrusion|incident|"
    r"compromise|compromised|detected|discovered|outage)\b"
)
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "to",
    "and",
    "for",
    "with",
    "by",
    "from",
    "its",
    "as",
    "at",
    "is",
    "are",
    "was",
    "were",
    "has",
    "have",
    "had",
    "says",
    "said",
    "after",
    "over",
    "into",
    "what",
    "we",
    "know",
    "new",
    "more",
    "than",
    "that",
    "this",
    "it",
    "be",
    "been",
    "us",
    "their",
    "they",
    "how",
    "why",
    "report",
    "reports",
    "news",
    "update",
    "announces",
    "confirms",
    "company",
    "customers",
    "users",
    "data",
}

_KIND_RE = {kind: TermScanner(list(terms)) for kind, terms in KINDS.items()}
_ACTOR_RE = TermScanner(list(ACTORS))
_GENERIC_RE = TermScanner(list(BREACH_TERMS))
_WORD = re.compile(r"[a-z0-9]{2,}")
_MULT = {  # English units (Japanese figures are read by _ja_number)
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
}
# A Japanese figure is written in sections, largest first: 1億3500万件, 2万3千人, 1億2千万件.
_COUNT_JA = re.compile(r"((?:\d+(?:[.,]\d+)*\s*[億万千百]*\s*)+)(?:件|人|名|社|アカウント|口座)")
_JA_PART = re.compile(r"(\d+(?:[.,]\d+)*)?\s*([億万千百]?)")
_JA_SECTION = {"億": 1e8, "万": 1e4}
_JA_DIGIT = {"千": 1e3, "百": 1e2, "": 1.0}
_COUNT_EN = re.compile(
    r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|mn|bn|k|m|b)?\s+"
    r"(?:[a-z-]+\s+){0,2}?(?:records|users|customers|people|individuals|accounts|employees|"
    r"patients|members|clients|persons|residents|students|subscribers)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    text: str  # title + summary
    published: datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    first_seen: datetime
    last_seen: datetime
    reports: tuple[Report, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """Join incident_id (None: open a new incident), and why."""

    incident_id: int | None
    reason: str
    strength: int = 0  # 3 identity, 2 follow-up referring back, 1 coverage still running, 0 new


@dataclass(frozen=True, slots=True)
class Link:
    incident_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What a report (or an incident, over its reports) says about its event."""

    kinds: frozenset[str]
    actors: frozenset[str]
    figures: frozenset[int]
    days: frozenset[date]  # attack dates given to the day
    months: frozenset[tuple[int, int]]  # (year, month) of attack dates, day or not
    follow_up: bool
    past: bool  # points to an earlier event: 昨年, a stated attack date weeks before publication
    new_event: str  # the words saying it is another event ('別件', 'another attack'), or ""

    @property
    def families(self) -> frozenset[str]:
        return frozenset(FAMILY[k] for k in self.kinds)


def kinds(text: str) -> frozenset[str]:
    folded = fold(text, join_cjk=True)
    return frozenset(k for k, rx in _KIND_RE.items() if rx.search(folded))


def actors(text: str) -> frozenset[str]:
    folded = fold(text, join_cjk=True)
    found = _ACTOR_RE.findall(folded) + [a.replace("-", " ") for a in _ACTOR_NAMED.findall(folded)]
    return frozenset(_ACTOR_ALIAS.get(a) or a for a in found)


def _round2(n: float) -> int:
    if n <= 0:
        return 0
    digits = len(str(int(n))) - 2
    return int(round(n, -digits)) if digits > 0 else int(round(n))


def counts(text: str) -> frozenset[int]:
    """Affected-record figures, normalised: '約44万件' and '440,000 users' both give 440000."""
    text = unicodedata.normalize("NFKC", text)
    values = [_ja_number(m.group(1)) for m in _COUNT_JA.finditer(text)]
    for m in _COUNT_EN.finditer(text):
        try:
            values.append(float(m.group(1).replace(",", "")) * _MULT.get((m.group(2) or "").lower(), 1))
        except ValueError:
            continue
    return frozenset(_round2(v) for v in values if v >= COUNT_MIN)


def _ja_number(written: str) -> float:
    """'1億3500万' -> 135,000,000; '2千万' -> 20,000,000; '13.5万' -> 135,000 (0 when unreadable)."""
    total = section = 0.0
    for number, unit in _JA_PART.findall(written.replace(" ", "")):
        if not number and not unit:
            continue
        try:
            n = float(number.replace(",", "")) if number else (0.0 if unit in _JA_SECTION else 1.0)
        except ValueError:
            return 0.0
        if unit in _JA_SECTION:
            total += (section + n) * _JA_SECTION[unit]
            section = 0.0
        else:
            section += n * _JA_DIGIT[unit]
    return total + section


def _year_for(month: int, published: date) -> int:
    """A date without a year is the latest such month not after publication."""
    return published.year if month <= published.month else published.year - 1


def attack_dates(text: str, published: date) -> tuple[frozenset[date], frozenset[tuple[int, int]]]:
    """When the report says the attack happened: ('9月29日に発生した', '2025年9月に受けた攻撃',
    'hit by ransomware on September 29'). (days, (year, month)s); a bare 'on 29日' is not read."""
    norm = unicodedata.normalize("NFKC", text)
    days: set[date] = set()
    months: set[tuple[int, int]] = set()

    def add(y: int | None, m: int, d: int | None) -> None:
        y = y or _year_for(m, published)
        months.add((y, m))
        if d:
            try:
                days.add(date(y, m, d))
            except ValueError:
                pass

    for mt in _DATE_JA.finditer(norm):
        add(int(mt.group(1)) if mt.group(1) else None, int(mt.group(2)), int(mt.group(3)) if mt.group(3) else None)
    low = norm.lower()
    for sentence in re.split(r"(?<=[.!?])\s+", low):
        if not _ATTACK_EN.search(sentence):
            continue
        for mt in _DATE_EN.finditer(sentence):
            day = int(mt.group(2)) if mt.group(2) and 1 <= int(mt.group(2)) <= 31 else None
            add(int(mt.group(3)) if mt.group(3) else None, _MONTHS[mt.group(1)], day)
        for mt in _REF_EN.finditer(sentence):
            if mt.group(1):
                add(int(mt.group(2)) if mt.group(2) else None, _MONTHS[mt.group(1)], None)
    return frozenset(days), frozenset(months)


@functools.lru_cache(maxsize=8192)  # an incident's reports are read again for every later report
def facts(text: str, published: date) -> Facts:
    days, months = attack_dates(text, published)
    folded = fold(text, join_cjk=True)
    new = NEW_EVENT.search(folded)
    earliest = min((date(y, m, 28) for y, m in months), default=None)  # the month's end: '9月' is not before 9/29
    norm = unicodedata.normalize("NFKC", text)
    years = (
        _YEAR_JA.findall(norm)
        + [m.group(2) for m in _REF_EN.finditer(norm.lower()) if m.group(2)]
        + [y for s in re.split(r"(?<=[.!?])\s+", norm.lower()) if _ATTACK_EN.search(s) for y in _YEAR_EN.findall(s)]
    )
    past = (
        bool(PAST.search(folded))
        or (earliest is not None and earliest <= published - PAST_DATE)
        or any(int(y) < published.year for y in years)
    )
    return Facts(
        kinds(text), actors(text), counts(text), days, months, is_follow_up(text), past, new.group(0) if new else ""
    )


def _report_facts(r: Report) -> Facts:
    return facts(r.text, r.published.date())


def _union(items: Iterable[Facts]) -> Facts:
    items = list(items)
    return Facts(
        frozenset().union(*(f.kinds for f in items)),
        frozenset().union(*(f.actors for f in items)),
        frozenset().union(*(f.figures for f in items)),
        frozenset().union(*(f.days for f in items)),
        frozenset().union(*(f.months for f in items)),
        any(f.follow_up for f in items),
        any(f.past for f in items),
        "",
    )


@functools.lru_cache(maxsize=4096)  # a report's title is compared with every report of each candidate
def _tokens(title: str, names: tuple[str, ...]) -> frozenset[str]:
    folded = fold(title)
    for name in sorted(names, key=len, reverse=True):
        if name.isascii():
            folded = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", " ", folded)
        elif name:
            folded = folded.replace(name, " ")
    folded = _GENERIC_RE.sub(" ", folded)
    out = {w for w in _WORD.findall(folded) if w not in _STOP}
    run = ""
    for ch in folded + " ":
        if is_cjk(ch):
            run += ch
            continue
        out.update(run[i : i + 2] for i in range(len(run) - 1))
        if len(run) == 1:
            out.add(run)
        run = ""
    return frozenset(out)


def similarity(a: str, b: str, names: Iterable[str] = ()) -> float:
    """Dice coefficient of two titles' distinctive words (vendor names and breach vocabulary removed)."""
    names = tuple(names)
    ta, tb = _tokens(a, names), _tokens(b, names)
    if not ta or not tb:
        return 0.0
    return 2 * len(ta & tb) / (len(ta) + len(tb))


def _months_apart(a: tuple[int, int], b: tuple[int, int]) -> int:
    return abs((a[0] * 12 + a[1]) - (b[0] * 12 + b[1]))


def _ym(d: datetime | date) -> tuple[int, int]:
    return d.year, d.month


def _identity(mine: Facts, theirs: Facts, cand: Candidate, report: Report, names: Sequence[str]) -> dict[str, str]:
    """Evidence that the report is about the candidate's event, by kind of evidence."""
    out: dict[str, str] = {}
    same_day = mine.days & theirs.days
    if same_day:
        out["date"] = f"same attack date: {max(same_day).isoformat()}"
    else:
        their_months = theirs.months | {_ym(cand.first_seen)}
        same_month = {m for m in mine.months if any(_months_apart(m, t) == 0 for t in their_months)}
        if same_month and not (mine.days and theirs.days):  # two different days of one month are two dates
            y, m = max(same_month)
            out["date"] = f"same attack month: {y}-{m:02d}"
    if mine.actors & theirs.actors:
        out["actor"] = "same actor: " + ", ".join(sorted(mine.actors & theirs.actors))
    if mine.figures & theirs.figures:
        out["figure"] = f"same figure: {max(mine.figures & theirs.figures):,}"
    # Another outlet's wording of the same story comes within days; the same words months later
    # ('X社にランサムウェア攻撃') are as likely a second attack.
    near = report.published - cand.last_seen <= ACTIVE_GAP
    best = max((similarity(report.title, r.title, names) for r in cand.reports), default=0.0) if near else 0.0
    if best >= SIMILARITY_MIN:
        out["title"] = f"similar title ({best:.2f})"
    return out


def _against(mine: Facts, theirs: Facts, cand: Candidate, ident: dict[str, str], published: datetime) -> str:
    """Why the report reads as another event than the candidate's, or ""."""
    if mine.new_event and "date" not in ident and cand.first_seen < published - NEW_EVENT_AGE:
        return f"the report calls it another event (“{mine.new_event}”)"
    if (
        mine.families
        and theirs.families
        and not (mine.families & theirs.families)
        and not ident.keys() & {"date", "actor", "figure"}
    ):
        return (
            f"another kind of incident ({', '.join(sorted(mine.kinds))}; #{cand.id} is "
            f"{', '.join(sorted(theirs.kinds))})"
        )
    if mine.actors and theirs.actors and not (mine.actors & theirs.actors) and "date" not in ident:
        return f"another actor ({', '.join(sorted(mine.actors))}; #{cand.id}: {', '.join(sorted(theirs.actors))})"
    if mine.months and not ident.keys() & {"date", "actor", "figure"}:
        start = min(theirs.months | {_ym(cand.first_seen)})
        end = _ym(cand.last_seen)
        outside = [
            m
            for m in mine.months
            if (m[0] * 12 + m[1]) < (start[0] * 12 + start[1]) - 1 or (m[0] * 12 + m[1]) > (end[0] * 12 + end[1])
        ]
        if outside and len(outside) == len(mine.months):
            y, m = min(outside)
            return (
                f"the attack it describes is dated {y}-{m:02d}, outside #{cand.id}'s "
                f"{start[0]}-{start[1]:02d} .. {cand.last_seen.date().isoformat()}"
            )
    return ""


def decide(report: Report, candidates: Sequence[Candidate], names: Sequence[str] = ()) -> Decision:
    """The incident this report belongs to (or a new one), with the reason. `names`: the vendor's
    folded names, left out when titles are compared."""
    best: tuple[int, datetime, Decision] | None = None
    refusals: list[tuple[datetime, str]] = []
    for cand in candidates:
        gap = report.published - cand.last_seen
        if gap > LOOKBACK or report.published < cand.first_seen - ACTIVE_GAP:
            continue
        # Read only when there is an incident to compare with: most reports of a poll have none.
        mine = _report_facts(report)
        theirs = _union(_report_facts(r) for r in cand.reports)
        ident = _identity(mine, theirs, cand, report, names)
        against = _against(mine, theirs, cand, ident, report.published)
        if against:
            refusals.append((cand.last_seen, f"#{cand.id}: {against}"))
            continue
        if ident:
            strength, reason = 3, ("follow-up; " if mine.follow_up else "") + "; ".join(ident.values())
        elif mine.past or (mine.follow_up and not mine.kinds):
            strength, reason = (
                2,
                ("follow-up referring back" if mine.follow_up else "refers back to an earlier event")
                + (" (names no other kind)" if not mine.past else ""),
            )
        elif gap <= ACTIVE_GAP:
            shared = mine.kinds & theirs.kinds
            what = f"same kind ({', '.join(sorted(shared))})" if shared else "names no other kind"
            strength, reason = (
                1,
                f"{what}, while #{cand.id}'s coverage runs (last report {max(gap.days, 0)} days before)",
            )
        else:
            refusals.append(
                (cand.last_seen, f"#{cand.id} quiet for {gap.days} days and this report does not refer back to it")
            )
            continue
        key = (strength, cand.last_seen, Decision(cand.id, reason, strength))
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        return best[2]
    if not refusals:
        return Decision(None, "new incident: no recent incident of this vendor")
    refusals.sort(key=lambda r: r[0], reverse=True)
    return Decision(None, "new incident: " + "; ".join(r for _, r in refusals[:2]))


# Words of incident news, as stems: a report too weak for the breach detector still speaks of an incident
# ('Hacker leaks more 23andMe records', 'police arrest four over M&S and Co-op cyberattacks').
INCIDENT_WORDS = re.compile(
    r"hack|breach|attack|leak|stole|theft|ransom|extort|cyber|arrest|charged|lawsuit|settle|"
    r"fine[sd]?\b|sanction|victim|compromis|intrusion|exfiltrat|漏|流出|攻撃|不正|侵害|被害|"
    r"障害|ランサム|訴訟|和解|逮捕|犯行|窃取|暗号化"
)


def continues_coverage(text: str) -> bool:
    """Should a report that names the vendor in its title, but is below the breach threshold, still
    be compared with the vendor's incidents? Yes when it speaks of an incident at all; it then goes
    into an incident's thread only if decide() joins it (it never opens one): no report on a
    running incident is dropped, and nothing new is alerted on weaker evidence than before.

    A research or trend piece that cites the incident as an example ("Report finds supply chain
    attacks rose, led by MOVEit") is not coverage of it: it stays out of the thread."""
    if is_research(text):
        return False
    return bool(INCIDENT_WORDS.search(fold(text, join_cjk=True))) or is_follow_up(text)


def choose(report: Report, candidates: Sequence[Candidate], names: Sequence[str] = ()) -> Link | None:
    """The incident this report joins, or None for a new one (decide() without the reason for opening)."""
    d = decide(report, candidates, names)
    return Link(d.incident_id, d.reason) if d.incident_id is not None else None


# ---------------------------------------------------------------------- what an incident's thread shows

# Where the incident stands, read from one report. The vendor's own final report (最終報告, 最終報, "final
# report": the vendor's numbered notices end with it) closes the story; a confirmed leak follows reports
# that only said it was being investigated or possible.
FINAL = re.compile(
    r"最終報告|最終報|\bfinal (?:investigation )?report\b|\binvestigation (?:has )?concluded\b|"
    r"\binvestigation concludes\b"
)
LEAK_CONFIRMED = re.compile(
    r"(?:流出|漏えい|漏洩|窃取|持ち出)(?:[^。]{0,12}?)(?:を確認|が確認|が判明|したと発表|した事実)|"
    r"(?:流出|漏えい|漏洩)していた|情報が流出した(?!可能性|恐れ|おそれ)|"
    r"\bconfirm(?:s|ed)?\b[^.]{0,40}?\b(?:stolen|stole|leaked|exfiltrated|data theft|breach(?:ed)?|accessed)\b|"
    r"\b(?:data|records|information) (?:was|were) (?:stolen|exfiltrated|leaked)\b|"
    r"\b(?:hackers?|attackers?|criminals) stole\b"
)
INVESTIGATING = re.compile(
    r"調査中|調査を進め|確認中|可能性|恐れ|おそれ|\binvestigat\w*|\bmay have\b|\bpossible\b|"
    r"\bpotential(?:ly)?\b|\blooking into\b"
)
RESTORED = re.compile(r"復旧|再開|再稼働|\brestored\b|\bresum(?:es|ed|ing)\b|\bback online\b|\brecover(?:s|ed|y)\b")
LEGAL = re.compile(
    r"訴訟|提訴|和解|行政指導|勧告|逮捕|起訴|\blawsuit\b|\bsued?\b|\bsettle\w*|\bfined\b|\bpenalty\b|"
    r"\barrest\w*|\bcharged\b|\bclass action\b"
)
MONEY = re.compile(
    r"決算|特別損失|業績|減益|下方修正|\bearnings\b|\bprofit\b|\bcosts? of\b|\bcost (?:it|the company)\b|"
    r"\b(?:hit|loss) of\b"
)
BROADCAST_GROWTH = 2  # an affected count at least this many times the largest before changes the picture


@dataclass(frozen=True, slots=True)
class Picture:
    """What an incident's reports have told so far, as far as the channel cares."""

    final: bool = False
    leak_confirmed: bool = False
    investigating: bool = False
    largest: int = 0  # the largest affected count given


def picture(texts: Iterable[str], before: Picture = Picture()) -> Picture:
    """What these reports tell, added to what `before` told."""
    final, leak, investigating, largest = before.final, before.leak_confirmed, before.investigating, before.largest
    for text in texts:
        folded = fold(text, join_cjk=True)
        final = final or bool(FINAL.search(folded))
        leak = leak or bool(LEAK_CONFIRMED.search(folded))
        investigating = investigating or bool(INVESTIGATING.search(folded))
        largest = max([largest, *counts(text)])
    return Picture(final, leak, investigating, largest)


def picture_change(before: Picture, text: str) -> str:
    """Why a later report of an incident changes its picture, or "". Such a reply is also shown in the
    channel (Slack's reply_broadcast; without threads, it is not held for the day's summary); any other
    reply stays in the thread, so a channel following months of coverage sees only what moves it:
    * the vendor's own final report, the first one;
    * a confirmed leak, when the earlier reports had not confirmed one ("investigating", "may have");
    * an affected count at least BROADCAST_GROWTH times the largest one given before."""
    now = picture([text])
    if now.final and not before.final:
        return "the final report"
    if now.leak_confirmed and not before.leak_confirmed:
        return "data leak confirmed" + (" after it was investigated" if before.investigating else "")
    if before.largest and now.largest >= BROADCAST_GROWTH * before.largest:
        return f"affected count up from {before.largest:,} to {now.largest:,}"
    return ""


def status(text: str) -> str:
    """Where the incident stands by one report, in a few words (the newest report's is the incident's)."""
    folded = fold(text, join_cjk=True)
    for rx, words in (
        (FINAL, "final report"),
        (LEAK_CONFIRMED, "data leak confirmed"),
        (LEGAL, "legal action"),
        (MONEY, "financial impact"),
        (RESTORED, "recovering"),
        (INVESTIGATING, "under investigation"),
    ):
        if rx.search(folded):
            return words
    return "update" if is_follow_up(text) else "reported"
