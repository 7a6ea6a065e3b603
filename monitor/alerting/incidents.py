"""Which incident does a new breach report belong to? Pure code, no I/O.

The rule (README "Incidents"):

* Only incidents of the report's primary vendor (the most critical one it names) are candidates.
* An ordinary report joins an incident when it was published within 30 days of the incident's
  reports (before its first or after its last) AND its content is related, by one of:
  1. the same affected-count figure, across languages and units: 44万件 = 440,000 users = 0.44 million
     (rounded to two significant digits, at least 100);
  2. the same specific kind of incident: ransomware, unauthorised access, malware, misdelivery,
     loss or theft, exposure, credential stuffing, leak-site claim (Japanese and English terms);
  3. similar wording: the Dice coefficient of the titles' words (CJK: character bigrams), with the
     vendor's names and the generic breach vocabulary removed, is at least 0.5.
* A follow-up (再発防止策, 調査結果, 第2報, 続報, settlement, class action, fined, ...) may join an
  incident whose last report is up to 365 days old, with the same evidence; a follow-up that names
  no specific kind at all joins the vendor's most recent incident in that year.
* Anything else starts a new incident. Joining needs positive evidence because a wrong merge hides
  a new breach in an old thread, while a wrong split only costs a second top-level message.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..matching.detect import BREACH_TERMS, TermScanner
from ..normalize import fold, is_cjk

WINDOW = timedelta(days=30)
FOLLOW_UP_WINDOW = timedelta(days=365)
SIMILARITY_MIN = 0.5
COUNT_MIN = 100

KINDS: dict[str, tuple[str, ...]] = {
    "ransomware": ("ランサムウェア", "身代金", "暗号化され", "ransomware", "ransom", "encrypted", "lockbit",
                   "blackcat", "alphv", "cl0p", "clop", "akira", "play ransomware", "8base", "blacksuit"),
    "unauthorised access": ("不正アクセス", "侵入", "不正侵入", "unauthorized access", "unauthorised access",
                            "intrusion", "hacked", "hackers", "compromised", "broke into", "gained access"),
    "malware": ("マルウェア", "ウイルス感染", "ウィルス感染", "emotet", "エモテット", "malware", "infostealer",
                "info stealer", "trojan", "infected"),
    "misdelivery": ("誤送信", "誤送付", "誤配送", "誤配信", "誤って送", "misdirected", "sent to the wrong",
                    "wrong recipient", "wrong recipients", "mailed to the wrong"),
    "loss or theft": ("紛失", "盗難", "置き忘れ", "lost laptop", "stolen laptop", "lost device", "stolen device",
                      "lost usb", "misplaced"),
    "exposure": ("閲覧可能", "公開状態", "設定不備", "設定ミス", "misconfigured", "misconfiguration",
                 "publicly accessible", "exposed database", "open database", "unsecured", "left exposed"),
    "credential stuffing": ("不正ログイン", "リスト型攻撃", "パスワードリスト", "credential stuffing",
                            "account takeover", "password spraying"),
    "leak-site claim": ("リークサイト", "犯行声明", "ダークウェブ", "leak site", "dark web", "claims to have",
                        "claimed responsibility", "listed on"),
}
FOLLOW_UP = ("再発防止策", "再発防止", "調査結果", "調査報告", "最終報告", "第2報", "第3報", "第4報", "続報",
             "対応状況", "進捗", "settlement", "settles", "class action", "lawsuit", "fined", "penalty",
             "investigation concludes", "final report", "post-incident", "post incident", "lessons learned",
             "administrative guidance", "行政指導", "勧告")
_STOP = {"the", "a", "an", "of", "in", "on", "to", "and", "for", "with", "by", "from", "its", "as", "at", "is",
         "are", "was", "were", "has", "have", "had", "says", "said", "after", "over", "into", "what", "we",
         "know", "new", "more", "than", "that", "this", "it", "be", "been", "us", "their", "they", "how", "why",
         "report", "reports", "news", "update", "announces", "confirms", "company", "customers", "users", "data"}

_KIND_RE = {kind: TermScanner(list(terms)) for kind, terms in KINDS.items()}
_FOLLOW_RE = TermScanner(list(FOLLOW_UP))
_GENERIC_RE = TermScanner(list(BREACH_TERMS))
_WORD = re.compile(r"[a-z0-9]{2,}")
_MULT = {"千": 1e3, "万": 1e4, "億": 1e8, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6,
         "billion": 1e9, "bn": 1e9, "b": 1e9}
_COUNT_JA = re.compile(r"(\d+(?:[.,]\d+)*)\s*(千|万|億)?\s*(?:件|人|名|社|アカウント|口座)")
_COUNT_EN = re.compile(r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|mn|bn|k|m|b)?\s+"
                       r"(?:[a-z-]+\s+){0,2}?(?:records|users|customers|people|individuals|accounts|employees|"
                       r"patients|members|clients|persons|residents|students|subscribers)\b", re.I)


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
class Link:
    incident_id: int
    reason: str


def kinds(text: str) -> frozenset[str]:
    folded = fold(text)
    return frozenset(k for k, rx in _KIND_RE.items() if rx.search(folded))


def is_follow_up(text: str) -> bool:
    return bool(_FOLLOW_RE.search(fold(text)))


def _round2(n: float) -> int:
    if n <= 0:
        return 0
    digits = len(str(int(n))) - 2
    return int(round(n, -digits)) if digits > 0 else int(round(n))


def counts(text: str) -> frozenset[int]:
    """Affected-record figures, normalised: '約44万件' and '440,000 users' both give 440000."""
    text = unicodedata.normalize("NFKC", text)
    found = set()
    for rx in (_COUNT_JA, _COUNT_EN):
        for m in rx.finditer(text):
            raw = m.group(1).replace(",", "")
            try:
                value = float(raw) * _MULT.get((m.group(2) or "").lower(), 1)
            except ValueError:
                continue
            if value >= COUNT_MIN:
                found.add(_round2(value))
    return frozenset(found)


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
        out.update(run[i:i + 2] for i in range(len(run) - 1))
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


def _evidence(report: Report, cand: Candidate, names: Sequence[str]) -> tuple[int, str] | None:
    """(strength, reason) when the report is related to the candidate's reports."""
    mine_counts = counts(report.text)
    theirs_counts = frozenset().union(*(counts(r.text) for r in cand.reports)) if cand.reports else frozenset()
    shared = mine_counts & theirs_counts
    if shared:
        return 3, f"same figure: {max(shared):,}"
    best = max((similarity(report.title, r.title, names) for r in cand.reports), default=0.0)
    if best >= SIMILARITY_MIN:
        return 2, f"similar title ({best:.2f})"
    mine = kinds(report.text)
    theirs = frozenset().union(*(kinds(r.text) for r in cand.reports)) if cand.reports else frozenset()
    common = mine & theirs
    if common:
        return 1, "same kind: " + ", ".join(sorted(common))
    return None


def choose(report: Report, candidates: Sequence[Candidate], names: Sequence[str] = ()) -> Link | None:
    """The incident this report belongs to, or None for a new one. `names`: the vendor's folded names."""
    follow_up = is_follow_up(report.text)
    best: tuple[int, datetime, Link] | None = None
    for cand in candidates:
        near = cand.first_seen - WINDOW <= report.published <= cand.last_seen + WINDOW
        late = follow_up and cand.first_seen - WINDOW <= report.published <= cand.last_seen + FOLLOW_UP_WINDOW
        if not (near or late):
            continue
        ev = _evidence(report, cand, names)
        if ev is None:
            continue
        strength, reason = ev
        if not near:
            reason = f"follow-up, {reason}"
        key = (strength, cand.last_seen, Link(cand.id, reason))
        if best is None or key[:2] > best[:2]:
            best = key
    if best is not None:
        return best[2]
    if follow_up and not kinds(report.text):
        recent = [c for c in candidates
                  if c.first_seen - WINDOW <= report.published <= c.last_seen + FOLLOW_UP_WINDOW]
        if recent:
            latest = max(recent, key=lambda c: c.last_seen)
            return Link(latest.id, "follow-up naming no other incident: the vendor's latest")
    return None
