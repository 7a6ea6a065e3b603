"""Is this article a breach or incident report, and is the vendor its subject? Pure code, no I/O.

A weighted term list (Japanese and English) scores the title double. Terms of
ordinary business news (launches, earnings, awards, conferences) and of research
pieces (threat-trend reports, surveys, advisories) count against. Supply-chain
entry points (委託先, contractor, ...) and follow-ups (再発防止策, settlement, ...)
are flagged for the alert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .normalize import fold

# term -> weight; matched on folded text (NFKC, lower case).
BREACH_TERMS: dict[str, float] = {
    # Japanese
    "不正アクセス": 3, "情報漏えい": 3, "情報漏洩": 3, "情報流出": 3, "漏えい": 2.5, "漏洩": 2.5, "流出": 2,
    "ランサムウェア": 2.5, "サイバー攻撃": 2.5, "改ざん": 2, "誤送信": 2.5, "不正ログイン": 3, "なりすまし": 1,
    "マルウェア感染": 3, "ウイルス感染": 2.5, "感染": 1, "暗号化され": 2, "身代金": 2, "被害": 1, "攻撃を受け": 2.5,
    "個人情報": 1, "顧客情報": 1.5, "紛失": 2, "盗難": 2, "不正利用": 2, "リスト型攻撃": 2.5, "閲覧可能": 2,
    "外部から": 1, "第三者": 1, "不正に": 1.5, "持ち出": 2, "恐れ": 1, "可能性": 0.5, "セキュリティインシデント": 3,
    "インシデント": 1.5, "障害": 0.5, "ダークウェブ": 1.5, "リークサイト": 2.5, "犯行声明": 2.5,
    # English
    "breach": 3, "breached": 3, "data breach": 3, "ransomware": 2.5, "unauthorized access": 3,
    "unauthorised access": 3, "exfiltrated": 3, "exfiltration": 2.5, "compromised": 2.5, "data theft": 3,
    "stolen": 2, "leaked": 2.5, "leak": 1.5, "hacked": 3, "hack": 1.5, "hackers": 1.5, "cyberattack": 2.5,
    "cyber attack": 2.5, "cyber incident": 2.5, "security incident": 3, "incident": 1, "supply chain attack": 2.5,
    "extortion": 2, "threat actor": 1.5, "leak site": 2.5, "intrusion": 2, "malware": 1.5, "outage": 0.5,
    "exposed": 2, "misconfigured": 1.5, "personal information": 1, "customer data": 1.5, "attack": 1,
    "claims to have": 1.5, "victim": 1.5, "data of": 0.5, "notification": 0.5, "impacted": 1, "affected": 0.5,
}
# Ordinary business news and research pieces: vendor named, but no incident at the vendor.
NEGATIVE_TERMS: dict[str, float] = {
    "発売": 3, "提供開始": 3, "決算": 3, "受賞": 3, "登壇": 3, "開催": 2, "提携": 2, "新製品": 3, "新サービス": 2.5,
    "レポート": 2, "動向": 2, "予測": 2, "調査レポート": 2, "白書": 2.5, "脆弱性": 1.5, "アップデート": 1,
    "注意喚起": 1.5, "セミナー": 3, "ウェビナー": 3, "出展": 3, "業務提携": 2.5, "買収": 1.5, "資金調達": 3,
    "launches": 3, "launch": 2, "announces general availability": 3, "general availability": 2.5, "earnings": 3,
    "quarterly results": 3, "revenue": 2, "award": 2.5, "named a leader": 3, "magic quadrant": 3, "conference": 2,
    "webinar": 3, "partnership": 2, "partners with": 2, "acquires": 1.5, "funding round": 3, "threat report": 3,
    "trend report": 3, "trends": 2, "survey": 2.5, "research finds": 2.5, "report finds": 2.5, "predictions": 2.5,
    "warns": 1.5, "study": 1.5, "surge in": 1.5, "vulnerability": 1, "patch": 1, "advisory": 1.5, "unveils": 3,
    "introduces": 2, "releases": 1.5,
}
SUPPLY_CHAIN_TERMS = ("委託先", "再委託先", "業務委託", "委託業者", "外部委託", "委託元", "取引先", "協力会社",
                      "contractor", "subcontractor", "third-party vendor", "third party vendor", "supplier",
                      "service provider", "business associate", "third-party", "third party", "vendor", "msp",
                      "outsourc", "supply chain")
FOLLOW_UP_TERMS = ("再発防止策", "調査結果", "第2報", "第3報", "続報", "最終報告", "和解", "件数", "お詫び",
                   "settlement", "class action", "lawsuit", "update on", "updated", "fined", "penalty",
                   "remediation", "investigation concludes", "notification letters")

THRESHOLD = 3.0


@dataclass(frozen=True, slots=True)
class Verdict:
    breach: bool
    score: float
    terms: tuple[str, ...]
    supply_chain: bool
    follow_up: bool


def _compile(terms: Sequence[str]) -> re.Pattern[str]:
    # ASCII terms as whole words (prefix for 'outsourc'); Japanese terms as substrings.
    parts = []
    for t in sorted(terms, key=len, reverse=True):
        ft = fold(t) if t != "outsourc" else t
        if ft.isascii():
            tail = r"" if t == "outsourc" else r"(?![a-z0-9])"
            parts.append(r"(?<![a-z0-9])" + re.escape(ft) + tail)
        else:
            parts.append(re.escape(ft))
    return re.compile("|".join(parts))


_BREACH_RE = _compile(list(BREACH_TERMS))
_NEG_RE = _compile(list(NEGATIVE_TERMS))
_SUPPLY_RE = _compile(SUPPLY_CHAIN_TERMS)
_FOLLOW_RE = _compile(FOLLOW_UP_TERMS)
_BREACH_W = {fold(k): v for k, v in BREACH_TERMS.items()}
_NEG_W = {fold(k): v for k, v in NEGATIVE_TERMS.items()}


def _score(text: str, pattern: re.Pattern[str], weights: dict[str, float]) -> tuple[float, list[str]]:
    found = {m.group(0) for m in pattern.finditer(text)}
    return sum(weights.get(t, 0) for t in found), sorted(found)


def assess(title: str, text: str = "", assume_breach: bool = False) -> Verdict:
    """Score an article. `text` is the summary and any fetched body."""
    ft, fx = fold(title), fold(text[:20000])
    pos_t, terms_t = _score(ft, _BREACH_RE, _BREACH_W)
    pos_x, terms_x = _score(fx, _BREACH_RE, _BREACH_W)
    neg_t, _ = _score(ft, _NEG_RE, _NEG_W)
    neg_x, _ = _score(fx, _NEG_RE, _NEG_W)
    score = 2 * pos_t + min(pos_x, 8) - 2 * neg_t - 0.5 * min(neg_x, 6)
    both = ft + " " + fx
    supply = bool(_SUPPLY_RE.search(both))
    follow = bool(_FOLLOW_RE.search(both))
    breach = assume_breach or score >= THRESHOLD
    terms = tuple(dict.fromkeys(terms_t + terms_x))
    return Verdict(breach, round(score, 2), terms, supply and breach, follow and breach)
