"""What part each matched vendor plays in a report: breached, affected, product or mentioned. Pure code.

- breached: its own systems or data were compromised;
- affected: its data or customers were exposed through someone else's incident (its contractor's:
  'フランスベッドの委託先である東山産業がランサムウェア被害', 'a vendor of Aflac');
- product: its product or software was the way in, or is being exploited ('a SQL injection
  vulnerability in vBulletin', 'Ivanti Connect Secure zero-days', 'the victim's Snowflake account');
- mentioned: named in passing (the reporter, a security firm, the forum the data was posted on, an
  acquirer, a parent company in an aside). Stored and searchable, never alerted.

The role is read from the words right around the name in its own sentence, and where the vendor is named
again, the way a reader decides it; the first rule that applies gives the role and the reason recorded with the
match. A vendor that is not the subject of a breach report (detect.is_subject) is mentioned, except its product:
exploited (in the headline, or in the text's sentence that names it) or named as the victim's software. Then
the report as a whole: a vendor the report tells no breach at, beside a contractor whose systems were hit (named
and marked as such, or unnamed: '再委託先のネットワーク侵害', 'a security incident at a third-party vendor'), is
that contractor's affected client.

The cue patterns (the words read before and after a name) are in matching.role_cues; the decisions are here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..records import compact_pickle
from . import role_cues as cue
from .detect import tells_its_own

if TYPE_CHECKING:
    from .matcher import Match

Role = Literal["breached", "affected", "product", "mentioned"]
ROLES: tuple[Role, ...] = ("breached", "affected", "product", "mentioned")
ALERTED: frozenset[str] = frozenset({"breached", "affected", "product"})


@compact_pickle
@dataclass(frozen=True, slots=True)
class RoleOf:
    """One matched vendor's role in a report, and why (shown in the alert and in search)."""

    vendor: str
    role: Role
    reason: str
    via: str = ""  # affected: the contractor named, when the text names one ('東山産業')

    @property
    def alerted(self) -> bool:
        return self.role in ALERTED


_SENTENCE_END = re.compile(r"[。．!?！？\n]|(?<!\binc)(?<!\bco)(?<!\bltd)(?<!\bcorp)(?<!\bllc)(?<!\bu\.s)\.\s")
_WINDOW = 90
_CONTRACTOR_REASON = "the contractor whose systems were compromised"
_ONE_NAME = re.compile(r"[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3}")
_JA_NAME = re.compile(
    r"(?:株式会社)?([^\s、。,.「」『』()（）がはをにでとへもやのから]{2,20}?)(?:株式会社)?"
    r"(?=が|は|で|の|に|へ|を|、|。|\s|$)"
)


# What follows 委託先の that is not the contractor's name ('委託先のサーバー').
_NOT_NAMES = frozenset(
    """サーバー サーバ システム 企業 会社 業者 社員 従業員 担当者 pc パソコン 端末 ネットワーク クラウド
メールサーバー 委託先 一部 事業者 関係者 元従業員 元社員 環境 機器""".split()
)


@functools.lru_cache(maxsize=8)  # one report's title and text, asked for again for each of its matches
def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _where(m: Match, title: str, text: str) -> tuple[str, int, int] | None:
    """The match's field text (NFKC) and span, found again by its surface when the span is off."""
    if m.field == "title":
        field = _norm(title)
    elif m.field in ("summary", "body"):
        field = _norm(text)
    else:
        return None
    surface = _norm(m.surface)
    # The matcher's surface may carry the possessive ("Aflac's"); the rules read it as the words after.
    own = len(surface) - 2 if re.search(r"['’]s$", surface) else len(surface)
    if m.field == "title" and 0 <= m.start < m.end <= len(field) and field[m.start : m.end] == surface:
        return field, m.start, m.start + own
    pos = field.find(surface) if surface else -1
    if pos < 0:
        pos = field.lower().find(surface.lower()) if surface else -1
    return (field, pos, pos + own) if pos >= 0 else None


def _sentence(field: str, start: int, end: int) -> tuple[str, str]:
    """(words before the name in its sentence, words after it), lower case, each at most _WINDOW long."""
    low = field.lower()
    lo = max((x.end() for x in _SENTENCE_END.finditer(low, 0, start)), default=0)
    nxt = _SENTENCE_END.search(low, end)
    hi = nxt.start() if nxt else len(low)
    return low[max(lo, start - _WINDOW) : start], low[end : min(hi, end + _WINDOW)]


# What a headline says after 委託先 that tells the incident, not who ('ソフトバンク委託先の情報漏洩約14万件',
# '伊予銀行委託先クラウド不正アクセス'): never shown as the contractor's name.
_NOT_A_NAME = re.compile(r"不正|漏え|漏洩|流出|ランサム|攻撃|被害|侵害|障害|情報|\d")


def _contractor_named(field: str, start: int, end: int) -> str:
    """The contractor the text names after the client ('フランスベッドの委託先である東山産業' -> '東山産業')."""
    after = field[end : end + 80]
    ja = re.search(cue.CONTRACTOR_JA + r"(?:である|の|、|\s)*", after)
    if ja:
        name = _JA_NAME.match(after, ja.end())
        if (
            name
            and name.group(1).lower() not in _NOT_NAMES
            and not name.group(1).startswith(("経由", "から"))
            and not _NOT_A_NAME.search(name.group(1))
        ):
            return name.group(1)
    en = re.search(r"(?:contractor|vendor|supplier|service provider|subcontractor|provider)\s*,?\s+", after, re.I)
    if en:
        name = _ONE_NAME.match(after, en.end())
        if name:
            return name.group(0)
    return ""


_NAME_TAIL = re.compile(r"ホールディングス|グループ|hd\b|株式会社")


def _elsewhere(m: Match, title: str, text: str, place: tuple[str, int, int]) -> list[tuple[str, int, int]]:
    """The other places the vendor's surface is named, in the title then the text (at most four)."""
    field, start, end = place
    surface = field[start:end].lower()
    out: list[tuple[str, int, int]] = []
    if not surface.strip():
        return out
    for other in (_norm(title), _norm(text)[:20000]):
        low, pos = other.lower(), 0
        while len(out) < 4 and (pos := low.find(surface, pos)) >= 0:
            # the fuller name read as one ('エネサンス' in the headline, 'エネサンスホールディングスへのランサムウェア攻撃')
            tail = _NAME_TAIL.match(low, pos + len(surface))
            hit = (other, pos, tail.end() if tail else pos + len(surface))
            pos = hit[2]
            latin_edge = (
                any(i >= 0 and i < len(low) and low[i].isascii() and low[i].isalnum() for i in (hit[1] - 1, hit[2]))
                and surface[:1].isascii()
            )
            if not latin_edge and not (other == field and hit[1] == start):
                out.append(hit)
    return out


# Asked again for the same words: each naming's context once per question in _decide, and the same phrase
# around a name ("X confirms data breach") across a poll's reports. The end-anchored searches of `before`
# try every offset, ~35 us a call (case 7: 4,000 calls a poll, 549 distinct).
@functools.lru_cache(maxsize=4096)
def _is_product(before: str, after: str, matched: bool = True) -> bool:
    """Whether the words around one naming tell the vendor's product or platform. 'The X forum' and 'from X
    accounts' are read only where the vendor was matched: elsewhere they are as often the victim's own forum
    ('the Epic Games forum') or its users' accounts ('profile information from Substack accounts')."""
    return bool(
        (cue.PRODUCT_AFTER if matched else cue.PRODUCT_AFTER_NEAR).search(after)
        or (cue.PRODUCT_BEFORE.search(before) and not cue.OWNER_AFTER.match(after))
        or (cue.OWNED_BEFORE.search(before) and (matched or cue.OWNED_AFTER.search(after)))
        or (cue.POSSESSIVE_BEFORE.search(before) and cue.PLATFORM_AFTER.search(after))
        or (matched and cue.THROUGH_BEFORE.search(before) and cue.ACCOUNT_AFTER.search(after))
        or (matched and cue.INSTALLATION_BEFORE.search(before) and cue.INSTALLATION_AFTER.search(after))
        or (cue.INSTALLATION_AFTER.search(after) and bool(re.match(r"^\s*-?\s*(?:based|powered)\b", after)))
        or (cue.EXPOSED_BEFORE.search(before) and cue.SERVER_AFTER.search(after))
        or cue.CUSTOMERS_TARGETED.search(after)
        or cue.OPEN_WITHOUT_AUTH.search(after)
        or cue.DEVICES_AFTER.search(after)
        or cue.PRODUCT_AFTER_JA.search(after)
        or (cue.POSSESSED_BEFORE_JA.search(before) and cue.SYSTEM_AFTER_JA.search(after))
    )


_HIT_BY = re.compile(r"^\s+hit by\s+(?:the\s+|a\s+)?")


def _hit_by_another(after: str, others: Sequence[Match]) -> bool:
    """'X hit by the Zellis breach': another matched vendor's incident reached X (its client), not one at X."""
    hit = _HIT_BY.match(after)
    if not hit:
        return False
    return _names_another(after[hit.end() :], others)


# Another's incident told as the cause, the vendor then named as what it stopped ('アスクルのランサムウェア感染により
# システム障害が発生し、ネスレ日本は自社通販サイトの受注を一時停止した'): the vendor is that incident's client.
_ANOTHERS_INCIDENT_BEFORE_JA = re.compile(
    r"の(?:ランサムウ[ェエ]ア(?:感染|攻撃|被害)?|サイバー攻撃|不正アクセス|システム障害)(?:に)?(?:より|による|の影響で?|を受けて)"
    r"[^。]{0,30}?、$"
)


def _stopped_by_anothers_incident(before: str, others: Sequence[Match]) -> bool:
    cause = _ANOTHERS_INCIDENT_BEFORE_JA.search(before)
    if cause is None:
        return False
    return _names_another(before[: cause.start()], others, at_end=True)


def _names_another(text: str, others: Sequence[Match], at_end: bool = False) -> bool:
    """Whether the lower-case text begins (or, at_end, ends) with another matched vendor's name as written."""
    has = text.endswith if at_end else text.startswith
    return any(o.surface and has(_norm(o.surface).lower()) for o in others)


def _in_lede(field: str, start: int, end: int) -> bool:
    """Whether the naming stands in the first sentence of its field."""
    return _SENTENCE_END.search(field.lower(), 0, start) is None


def _told_exploited(place: tuple[str, int, int], in_title: bool, before: str, after: str, whole: str) -> bool:
    """Named in the headline or the text's first sentence (the advisory's subject: 'マイクロソフトのSharePoint Serverに
    深刻な脆弱性…。ゼロデイ攻撃が確認され'), its exploitation told anywhere in `whole`; named further on, in the same
    sentence ('GoogleはChromeの4件の脆弱性を修正しうち1件は実際に悪用されていることを確認した')."""
    return ((in_title or _in_lede(*place)) and cue.tells_exploited(whole)) or cue.tells_exploited(before + after)


def _runs_into_product(field: str, start: int, end: int, others: Sequence[Match]) -> bool:
    """Whether the Latin name is written run together with a following Latin word or number that is not another
    matched name ('GoogleSalesforce' names two companies)."""
    if not (0 < end < len(field) and field[end - 1].isascii() and field[end - 1].isalpha()):
        return False
    if not (field[end].isascii() and field[end].isalnum()):
        return False
    return not _names_another(field[end : end + 40].lower(), others)


# A security firm telling someone else's incident ('サイバーセキュリティ企業Huntressは…と警告した'); not its own
# ('サイバーセキュリティ企業CrowdStrikeが内部者による機密情報漏洩を確認').
_SECURITY_FIRM_BEFORE_JA = re.compile(r"セキュリティ(?:企業|会社|ベンダー|大手|研究者)の?$")
_OWN_INCIDENT_AFTER_JA = re.compile(
    r"^(?:社)?(?:は|が)[^。]{0,30}?(?:被害|侵害を|漏洩|漏えい|流出|不正アクセスを受け|攻撃を受け)"
)


# An investigation entrusted to it ('フォレンジック調査をXに委託し', '調査をXに依頼'), not work it does as a contractor.
_INVESTIGATION_BEFORE_JA = re.compile(r"(?:調査|分析|解析|フォレンジック)(?:業務)?を$")
_ENTRUSTED_AFTER_JA = re.compile(r"^(?:社)?に(?:委託|依頼)")


def _cited(before: str, after: str) -> bool:
    """Whether one naming cites the vendor: a source, a platform, an owner, someone's account, a reporter."""
    return bool(
        cue.MENTIONED_BEFORE.search(before)
        or cue.MENTIONED_AFTER.search(after)
        or (cue.ATTRIBUTION_BEFORE.search(before) and cue.ATTRIBUTION_AFTER.search(after))
        or (cue.PERSONAL_BEFORE.search(before) and cue.ACCOUNT_AFTER_ANY.search(after))
        or cue.REPORTER_CLAUSE_JA.search(after)
        or cue.TOOL_AFTER_JA.search(after)
        or cue.REGISTRY_BEFORE.search(before)
        or (_SECURITY_FIRM_BEFORE_JA.search(before) and not _OWN_INCIDENT_AFTER_JA.search(after))
        or (_INVESTIGATION_BEFORE_JA.search(before) and _ENTRUSTED_AFTER_JA.search(after))
    )


# The vendor as the source of what it tells of itself ('アクメが発表したところによると、同社の工場のシステムが停止した',
# 'according to Acme, its servers were encrypted'): its own incident, not someone else's it reports.
_SOURCE_BEFORE = re.compile(r"\baccording to\s+(?:the\s+)?$")
_SOURCE_AFTER = re.compile(
    r"^(?:社)?(?:によると|によれば|の(?:報告|発表|説明)によると|が(?:発表|公表|説明)した(?:ところ|内容)によると|の調査|が発見|が報告)|"
    # its report or finding ('Acme Health reported the attack to regulators and said its network was encrypted')
    r"^\s+(?:reported|reports|discovered|discovers|observed|found|said|says|researchers)\b"
)


def _source_of_its_own(before: str, after: str) -> bool:
    return bool((_SOURCE_BEFORE.search(before) or _SOURCE_AFTER.search(after)) and tells_its_own(after))


# The regulator, ministry or police told of the incident ('警察や個人情報保護委員会に報告した', '文部科学省に届け出て',
# 'the covered entity notified HHS') or acting on it (a fine, an order, an investigation). Only an authority's
# name: a contractor reports to its client too ('委託元のアクメに報告した', 'the business associate notified Acme
# Health'), which is then affected.
_TOLD_AUTHORITY_BEFORE = re.compile(
    r"\b(?:notified|notifying|informed|alerted|reported (?:(?:it|this|the (?:incident|breach|matter|attack|theft|loss))\s+)?"
    r"to|filed (?:a |an |its )?(?:report|notice|notification|complaint) with)\s+(?:the\s+)?$"
)
# The unit of an authority acting, between its name and the particle ('警視庁サイバー犯罪対策課が…逮捕した').
_UNIT = r"(?:[^\s、。はがのを]{1,12}?(?:課|部|局|室|班|本部|センター|チーム))?"
_AUTHORITY_TOLD_OR_ACTING_AFTER = re.compile(
    r"^(?:など|等)?(?:に|へ)(?:も)?[^。、]{0,4}?(?:報告|届け出|届出|通報|申告|相談)|"
    # ... or acting on it: a fine, an order, an investigation ('個人情報保護委員会は…過去最大の罰金を科した', 'the ICO fined')
    rf"^{_UNIT}(?:は|が)、?[^。]{{0,80}}?(?:罰金|制裁金|課徴金|過料|行政処分|行政指導|是正勧告|勧告|命令)を(?:科|課|出|下|行|実施)|"
    rf"^{_UNIT}(?:は|が)、?[^。]{{0,80}}?(?:逮捕|書類送検|摘発|起訴)(?:し|した|する)|"
    # ... or leading an operation against the attackers ('国土安全保障調査局を中心とした国際共同捜査により…ドメインが押収された')
    r"^(?:を中心と(?:した|する)|が主導(?:した|する)|主導の|による)[^。]{0,30}?(?:捜査|作戦|押収|差し押さえ|摘発|テイクダウン|逮捕)|"
    # ... or telling the victim what it found ('厚生労働省初動対応チームからダークサイト上に…公開されたとの情報提供があった')
    r"^[^。、]{0,12}?(?:から|より)[^。]{0,50}?(?:との)?(?:情報提供|連絡|通報|指摘)(?:が|を受け)|"
    r"^(?:、|は|が)?[^。]{0,20}?に(?:対し(?:て)?)?[^。、]{0,10}?(?:罰金|制裁金|課徴金|過料|行政処分|行政指導|是正勧告|命令)|"
    # its penalty, named as such ('裁判所は…ICOの罰金処分を支持した')
    r"^の(?:罰金|制裁金|課徴金|行政処分|行政指導|是正勧告|業務改善命令)|"
    r"^\s+(?:has\s+|have\s+)?(?:fined|fines|imposed|imposes|ordered|orders|issued a (?:fine|penalty|notice)|opened an investigation|"
    r"arrested|charged|indicted|"
    r"launched an investigation|is investigating|said it (?:is|was) investigating)\b"
)
_AUTHORITY_NAME = re.compile(
    r"(?:委員会|省|庁|警察|警視庁|県警|府警|道警|労働局|捜査局|調査局|警察機構)$|"
    r"\b(?:department of|ministry|commission|commissioner|office (?:of|for)|agency|authority|police|regulators?|fbi|ico|"
    r"hhs|ocr|ftc|fcc|sec|cisa)\b",
    re.IGNORECASE,
)


def _authority_on_it(place: tuple[str, int, int], before: str, after: str, vendor: str) -> bool:
    """Told of the incident or acting on it, and an authority by the name written or registered ('CNIL' for
    'Commission nationale de l'informatique et des libertés')."""
    field, start, end = place
    return bool(
        (_AUTHORITY_TOLD_OR_ACTING_AFTER.search(after) or _TOLD_AUTHORITY_BEFORE.search(before))
        and (_AUTHORITY_NAME.search(field[start:end]) or _AUTHORITY_NAME.search(vendor))
    )


_KANA_OR_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_HEADLINE_REASON = "named in the headline of a breach report"
_TEXT_REASON = "a breach is told in the sentence naming it"


@dataclass(frozen=True, slots=True)
class _Cues:
    place: bool = False  # the breach is told at the vendor
    client: bool = False  # its customers', users' or staff's data is told
    own: bool = False  # an attack on it or on its own systems is told ("X said attackers reached its network")
    english: bool = False  # the sentence naming it is written without kana or kanji


def _decide(
    m: Match, title: str, text: str, subject: bool, breach: bool, others: Sequence[Match] = ()
) -> tuple[RoleOf, _Cues]:
    place = _where(m, title, text)
    before, after = _sentence(*place) if place else ("", "")
    where = "title" if m.field == "title" else "text"
    if place is not None and _cited(before, after) and not _source_of_its_own(before, after):
        return RoleOf(
            m.vendor, "mentioned", f"cited in the {where} as a source, a platform or an owner, not the victim"
        ), _Cues()
    if place is not None and _authority_on_it(place, before, after, m.vendor):
        return RoleOf(
            m.vendor, "mentioned", f"named in the {where} as the authority told of the incident or acting on it"
        ), _Cues()
    # Every naming of the vendor is read: the headline may only name it, the text say how it took part.
    places = [place, *_elsewhere(m, title, text, place)] if place else []
    ctx = [_sentence(*p) for p in places]
    # The headline may only name it ('Water CurseによるGitHubアカウント乗っ取り攻撃') where the text says it was the
    # attackers' tool ('武器化したGitHubリポジトリを利用し…マルウェアを配布'): cited there, and no breach told at it anywhere.
    if any(cue.TOOL_AFTER_JA.search(a) or cue.REGISTRY_BEFORE.search(b) for b, a in ctx[1:]) and not any(
        cue.PLACE_AFTER.search(a) or cue.PLACE_BEFORE.search(b) for b, a in ctx
    ):
        return RoleOf(
            m.vendor, "mentioned", "cited in the text as a source, a platform or an owner, not the victim"
        ), _Cues()
    # A denial stands only while no one says its customers' data is out or data was taken from it ('X denies breach
    # after hacker leaks data of 73 million X customers', 'a hacker claimed to have stolen six million records from
    # Oracle Cloud's servers; Oracle said there has been no breach' are still X's incident to watch).
    if (
        place is not None
        and cue.DENIAL_AFTER.search(after)
        and not any(
            cue.CLIENT_AFTER.search(a) or cue.CLIENT_BEFORE.search(b) or cue.PLACE_BEFORE.search(b) for b, a in ctx
        )
    ):
        return RoleOf(m.vendor, "mentioned", f"denies in the {where} that its own systems were breached"), _Cues()
    # A Latin name run into its product's name ('Microsoft365の', 'CitrixNetScalerの脆弱性', 'PaloAltoFirewall'), as
    # Japanese text writes a product (the matcher ends the name there): the product is meant.
    runs_into = place is not None and _runs_into_product(*place, others)
    here = runs_into or (place is not None and _is_product(before, after))
    product = runs_into or any(_is_product(b, a, i == 0) for i, (b, a) in enumerate(ctx))
    # A public body, a school or a hospital makes no software: the product after its name is one it runs
    # ('内閣府沖縄総合事務局のFileZen専用サーバに脆弱性を突いた不正アクセス').
    # ... nor is a site named by its domain a product: 'a SQL injection vulnerability in sonypictures.com' is the site's.
    site = place is not None and bool(cue.DOMAIN_NAMED.search(place[0][place[1] : place[2]]))
    if cue.NOT_A_MAKER.search(m.vendor) or site:
        here = product = False
    attacked = cue.ATTACK_AT_AFTER.search(after) or any(cue.OWN_SYSTEMS_AFTER.search(a) for _, a in ctx)
    if product and attacked and not here:
        product = any(_is_product(b, a, i == 0) and cue.EXPLOIT_WORDS.search(b + a) for i, (b, a) in enumerate(ctx))
    campaign = any(cue.CAMPAIGN_AFTER.search(a) for _, a in ctx)
    if not breach:
        whole = _norm(title).lower() + " " + _norm(text).lower()[:2000]
        # Every naming is read: the headline may only name the maker ('Apple旧機種Coruna対策') where the text tells its
        # update for flaws exploited ('Appleは…複数の脆弱性を修正するセキュリティアップデートを公開した').
        exploited = (
            (place is not None and m.field in ("title", "link") and cue.CAMPAIGN_AFTER.search(after))
            or (
                here
                and place is not None
                and _told_exploited(place, m.field in ("title", "link"), before, after, whole)
            )
            or any(
                _is_product(b, a, False) and _told_exploited(p, p[0] == _norm(title), b, a, whole)
                for p, (b, a) in zip(places[1:], ctx[1:], strict=True)
            )
        )
        if exploited:
            return RoleOf(m.vendor, "product", "its product is reported exploited (headline)"), _Cues()
        return RoleOf(m.vendor, "mentioned", "named in a report that is not about a breach"), _Cues()
    if not subject:
        # The victim's software is named where the text tells what it ran ('The IP.Board forum included...',
        # "the organisation's Salesforce instance"): its product, subject of the report or not.
        if here:
            return RoleOf(m.vendor, "product", f"named in the {where} as the victim's software"), _Cues()
        return RoleOf(m.vendor, "mentioned", "named in the text, not where the breach is told"), _Cues()
    if place is None:
        return RoleOf(m.vendor, "breached", f"named by the report's {m.field}"), _Cues()
    cues = _Cues(
        place=any(
            (cue.PLACE_AFTER.search(a) and not _hit_by_another(a, others)) or cue.PLACE_BEFORE.search(b) for b, a in ctx
        )
        # a flaw in the site it runs ('A SQL Injection vulnerability in sonypictures.com')
        or (site and bool(cue.PRODUCT_BEFORE.search(before))),
        client=any(
            cue.CLIENT_AFTER.search(a) or cue.CLIENT_BEFORE.search(b) or cue.SPREAD_AFTER.search(a) for b, a in ctx
        ),
        own=bool(attacked) or any(cue.SAYS_OWN_AFTER.search(a) for _, a in ctx),
        english=not _KANA_OR_KANJI.search(before + after),
    )
    contractor = any(cue.CONTRACTOR_BEFORE.search(b) or cue.CONTRACTOR_AFTER.search(a) for b, a in ctx)
    # A contractor named further on in the sentence ('...、法政大など取引先にも影響') is read only where the vendor
    # was matched, and not when the breach is told right at it ('NSSOLへの不正アクセス').
    at_it = bool(cue.PLACE_AFTER.search(after) or cue.PLACE_BEFORE.search(before))
    other_vendors = [o for o in others if o.vendor != m.vendor]
    client_of = next(
        (
            p
            for i, (p, (b, a)) in enumerate(zip(places, ctx, strict=True))
            if cue.AFFECTED_BEFORE.search(b)
            or _stopped_by_anothers_incident(b, other_vendors)
            or cue.AFFECTED_AFTER.search(a)
            or (i == 0 and not at_it and cue.AFFECTED_SENTENCE.search(a))
        ),
        None,
    )
    if not contractor and client_of is not None:
        via = _contractor_named(*client_of)
        return RoleOf(
            m.vendor, "affected", f"its data exposed through its contractor{' ' + via if via else ''} ({where})", via
        ), cues
    if campaign and not contractor:
        return RoleOf(m.vendor, "product", f"a campaign through its product hit many organisations ({where})"), cues
    if product:
        return RoleOf(m.vendor, "product", f"its product or software is the way in ({where})"), cues
    if contractor:
        return RoleOf(m.vendor, "breached", f"{_CONTRACTOR_REASON} ({where})"), cues
    if m.field == "title":
        return RoleOf(m.vendor, "breached", _HEADLINE_REASON), cues
    return RoleOf(m.vendor, "breached", _TEXT_REASON), cues


def _part_of_another_name(m: Match, title: str, text: str, others: Sequence[Match]) -> str:
    """The other matched vendor whose name stands right before this one's ('the SolarWinds Orion software': Orion is
    SolarWinds' product, not the company Orion), or ''. Latin names only, joined by one space; not where the
    victim's installation of this one is told ('Acme Health Shopify store')."""
    place = _where(m, title, text)
    if place is None or not place[0][place[1] : place[2]][:1].isascii():
        return ""
    field, start, end = place
    # 'Acme Health Shopify store', 'Acme Health Jira instance': the victim's installation of that platform
    if cue.PLATFORM_AFTER.match(field[end : end + 30].lower()):
        return ""
    before = field[max(0, start - 60) : start]
    for o in others:
        surface = _norm(o.surface)
        surface = surface[:-2] if re.search(r"['’]s$", surface) else surface
        if o.vendor != m.vendor and surface and surface.isascii() and before.lower().endswith(surface.lower() + " "):
            edge = len(before) - len(surface) - 2
            if edge < 0 or not before[edge].isalnum():
                return o.vendor
    return ""


def _through_its_product(m: Match, decided: RoleOf, cues: _Cues) -> RoleOf:
    """A vendor the report names only by one of its products (vendors.csv `products`) is not breached or affected:
    the product is, where the breach is told at it ('Oracle EBSの侵害', 'Outlookアカウントが不正アクセスされ'), its product;
    named where someone else's incident is told ('Windowsを狙うマルウェアがアクメの端末に感染'), it is mentioned."""
    if m.how != "product" or decided.role not in ("breached", "affected"):
        return decided
    if cues.place or cues.own:
        return RoleOf(m.vendor, "product", f"its product {m.surface} is where the breach is told")
    return RoleOf(m.vendor, "mentioned", f"its product {m.surface} named where another's incident is told")


def role_of(m: Match, title: str, text: str, *, subject: bool, breach: bool) -> RoleOf:
    """The role of one matched vendor. subject: detect.is_subject() said the report is about it;
    breach: the report is a breach report (detect.assess)."""
    return _through_its_product(m, *_decide(m, title, text, subject, breach))


def assign(
    matches: Iterable[Match], title: str, text: str, breach: bool, subjects: Sequence[Match]
) -> tuple[RoleOf, ...]:
    """Each match's role, in the order given. subjects: the matches detect.is_subject() kept."""
    about = {m.vendor for m in subjects}
    matches = list(matches)
    decided = []
    for m in matches:
        owner = _part_of_another_name(m, title, text, matches)
        if owner:
            reason = f"part of the name of {owner}'s product or unit, not this company"
            decided.append((RoleOf(m.vendor, "mentioned", reason), _Cues()))
        else:
            role, cues = _decide(m, title, text, m.vendor in about, breach, matches)
            decided.append((_through_its_product(m, role, cues), cues))
    out = [r for r, _ in decided]
    # A client whose customers' data is told, beside another vendor where the breach is told, is affected
    # through that one, with or without a word for contractor ('Plumeで情報漏えい、J:COM利用者に影響').
    # With no such vendor registered, a breach told at an unnamed contractor does the same.
    at = [r.vendor for r, c in decided if r.role == "breached" and c.place]
    # In English, also the headline's victim where the text names no place of the breach ('Epsilon | Names & email
    # addresses of customers of Barclaycard US, Capital One ... were stolen via a breach in an email system'); not in
    # Japanese, whose headlines name a brand or a platform as often ('SailPointがGitHubリポジトリ侵害を公表').
    headline_victims = [r.vendor for r, c in decided if r.role == "breached" and r.reason == _HEADLINE_REASON]
    unnamed = bool(cue.UNNAMED_CONTRACTOR_BREACH.search(_norm(f"{title}\n{text[:20000]}").lower()))
    contractors = [r.vendor for r, _ in decided if r.role == "breached" and r.reason.startswith(_CONTRACTOR_REASON)]
    for i, (r, c) in enumerate(decided):
        # (a vendor the headline names itself, 'Ticketmaster hack: Live Nation confirms data breach', is not a client)
        through_headline = headline_victims if c.english and r.reason != _HEADLINE_REASON else []
        others = [v for v in at + through_headline if v != r.vendor]
        if r.role != "breached" or c.place or r.reason.startswith(_CONTRACTOR_REASON):
            continue
        if others and c.client:
            out[i] = RoleOf(
                r.vendor, "affected", f"its customers, data or service hit by the breach at {others[0]}", others[0]
            )
        elif contractors:
            # The report marks another vendor as the contractor whose systems were hit, and tells no breach at
            # this one: it is that contractor's client ('京都新聞の…委託先の47CLUBがランサムウェア攻撃を受けた').
            out[i] = RoleOf(
                r.vendor, "affected", f"its data exposed through its contractor {contractors[0]}", contractors[0]
            )
        elif unnamed:
            out[i] = RoleOf(r.vendor, "affected", "its data exposed in the breach at a contractor")
    # The headline names the victim; another vendor an English text names beside the breach, with nothing
    # told at it (its systems, an attack on it, its customers' data, a contractor's role), is the victim's
    # software, its investigator or its parent: named, not breached ('the forum for Microsoft Excel tips').
    # Not in Japanese: a Japanese headline names the parent, brand or client as often as the victim
    # ('アサヒビール売上減少…アサヒグループホールディングスが受けたサイバー攻撃'): about half of the 50 such demotions in the
    # jp-news summaries lost a breached or affected vendor.
    headline = {r.vendor for r in out if r.role == "breached" and r.reason == _HEADLINE_REASON}
    for i, (r, c) in enumerate(decided):
        if (
            out[i].role == "breached"
            and out[i].reason == _TEXT_REASON
            and c.english
            and not (c.place or c.own)
            and headline - {r.vendor}
        ):
            out[i] = RoleOf(
                r.vendor, "mentioned", "named in the text beside the headline's victim, no breach told at it"
            )
    # An affected client names its contractor; a registered contractor is that one (its reason says so).
    for i, r in enumerate(out):
        if r.role == "affected" and not r.via:
            breached = [
                o.vendor
                for o in out
                if o.role == "breached" and o.vendor != r.vendor and o.reason.startswith(_CONTRACTOR_REASON)
            ]
            if breached:
                out[i] = RoleOf(
                    r.vendor,
                    "affected",
                    r.reason.replace("its contractor", f"its contractor {breached[0]}", 1),
                    breached[0],
                )
    return tuple(out)


def of_match(m: Match, roles: Iterable[RoleOf]) -> RoleOf:
    """The match's role among those decided; a vendor's own newsroom notice (added after deciding) is its
    breach, and a match decided before roles existed is taken as the subject it was alerted as."""
    for r in roles:
        if r.vendor == m.vendor:
            return r
    if m.how == "newsroom":
        return RoleOf(m.vendor, "breached", "the vendor's own notice, on its newsroom")
    return RoleOf(m.vendor, "breached", "named as the subject of a breach report")


def alerted_matches(matches: Iterable[Match], roles: Iterable[RoleOf]) -> tuple[Match, ...]:
    """The matches a report alerts on: those whose role is alerted (breached, affected, product). A vendor cited as
    the reporter or only mentioned (a platform the data was posted on, a parent in an aside) is not."""
    alerted = {r.vendor for r in roles if r.alerted}
    return tuple(m for m in matches if m.vendor in alerted)


def alert_groups(subjects: Sequence[Match], roles: Sequence[RoleOf]) -> list[tuple[str, tuple[Match, ...]]]:
    """The alerts a report's subjects make, as (alert kind, its vendors' matches): one "article" alert for
    the vendors breached or affected, one "product" alert for those whose product is exploited."""
    kinds: dict[str, list[Match]] = {}
    for m in subjects:
        role = of_match(m, roles).role
        if role in ALERTED:
            kinds.setdefault("product" if role == "product" else "article", []).append(m)
    return [(k, tuple(kinds[k])) for k in ("article", "product") if k in kinds]


def combined(outcomes: Iterable[int]) -> int:
    """Several alerts' outcomes (1 queued, 0 not, -1 withheld by feedback) as the cycle counts one report's."""
    done = list(outcomes)
    queued = sum(1 for o in done if o > 0)
    return queued if queued else (-1 if -1 in done else 0)
