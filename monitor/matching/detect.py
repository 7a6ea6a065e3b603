"""Is this article a breach or incident report, and is the vendor its subject? Pure code, no I/O.

A weighted term list (Japanese and English) scores the title double and the body
with a cap, so one long article cannot outvote its headline. Signs of a concrete
event (a victim that announced, confirmed or apologised; counts of records; a
date) add to it. Terms of ordinary business news (launches, earnings, awards,
conferences) and of research pieces (threat-trend reports, surveys, advisories,
patches) count against it. Supply-chain entry points (委託先, contractor, ...) and
follow-ups (再発防止策, updated counts, settlements) are flagged for the alert;
a follow-up is still incident news.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..normalize import fold
from ..records import compact_pickle

if TYPE_CHECKING:
    from .matcher import Match

# term -> weight; matched on folded text (NFKC, lower case). Japanese terms as substrings, English as words.
BREACH_TERMS: dict[str, float] = {
    # Japanese
    "不正アクセス": 3,
    "情報漏えい": 3,
    "情報漏洩": 3,
    "情報流出": 3,
    "漏えい": 2.5,
    "漏洩": 2.5,
    "流出": 2,
    "ランサムウェア": 2.5,
    "ランサムウエア": 2.5,
    "ランサム": 1.5,
    "サイバー攻撃": 2.5,
    "改ざん": 2,
    "誤送信": 2.5,
    "不正ログイン": 3,
    "なりすまし": 1,
    "マルウェア感染": 3,
    "ウイルス感染": 2.5,
    "感染": 1,
    "暗号化": 1.5,
    "身代金": 2,
    "被害": 1,
    "攻撃を受け": 2.5,
    "個人情報": 1,
    "顧客情報": 1.5,
    # an insider's leak names what was taken by its kind, not as personal data ('取材情報及び内部情報を競合他社に漏えい')
    "内部情報": 1.5,
    # exploited at the victim ('KDDIはメールシステムの脆弱性を突かれた')
    "を突かれ": 2.5,
    # a poisoned release ('TelnyxのPython SDKに悪意ある改変を加えPyPIに公開', 'Smart Slider 3の更新にバックドア')
    "バックドア": 1.5,
    "サプライチェーン攻撃": 2,
    "悪意ある改変": 2,
    "紛失": 2,
    "盗難": 2,
    "不正利用": 2,
    "リスト型攻撃": 2.5,
    # password guessing at the victim's own servers ('SSHサーバに対するブルートフォース攻撃を検知'; not a campaign a
    # researcher recorded against a product, 'ブルートフォース攻撃が記録され'), its data wiped
    "ブルートフォース攻撃を検知": 2,
    "ブルートフォース攻撃を受け": 2.5,
    "総当たり攻撃を検知": 2,
    "総当たり攻撃を受け": 2.5,
    "データベースが削除": 2.5,
    "閲覧可能": 2,
    "外部から": 1,
    "第三者": 1,
    "不正に": 1.5,
    "持ち出": 2,
    "恐れ": 0.5,
    "セキュリティインシデント": 3,
    "インシデント": 1.5,
    "ダークウェブ": 1.5,
    "リークサイト": 2.5,
    "犯行声明": 2.5,
    "侵害": 2.5,
    "侵入": 2.5,
    "窃取": 2.5,
    "乗っ取": 2,
    "詐取": 2,
    "不正送金": 2.5,
    "ハッキング": 2.5,
    "ハッカー": 1.5,
    "システム障害": 1.5,
    "障害": 0.5,
    "委託先": 0.5,
    "標的": 1,
    "脅迫": 2,
    "公開状態": 2,
    "誤って公開": 2.5,
    "設定ミス": 1.5,
    "誤設定": 1.5,
    "不正操作": 2,
    "不審な": 1,
    "盗まれ": 2.5,
    "販売されて": 2,
    "販売され": 1.5,
    "攻撃": 1,
    "データ侵害": 3,
    "不正取得": 2.5,
    "不正な": 1,
    "悪用され": 1,
    "ddos攻撃": 2.5,
    "サービス妨害": 2,
    "不正引き出し": 2.5,
    "不正に引き出": 2.5,
    "被害に遭": 2,
    "攻撃を受": 2.5,
    "攻撃された": 2.5,
    "攻撃され": 2,
    "情報が流出": 3,
    "漏えいした可能性": 3,
    "流出した可能性": 3,
    "漏洩の可能性": 2.5,
    "漏えいの可能性": 2.5,
    # English
    "breach": 3,
    "breached": 3,
    "data breach": 3,
    "ransomware": 2.5,
    "unauthorized access": 3,
    "unauthorised access": 3,
    "exfiltrated": 3,
    "exfiltration": 2.5,
    "compromised": 2.5,
    "data theft": 3,
    "stolen": 2,
    # the notices' words for a device or papers gone ('a laptop containing employee data was lost or stolen')
    "lost or stolen": 2.5,
    "leaked": 2.5,
    "leak": 1.5,
    "leaks": 1.5,
    # payment-card skimming code planted in a shop's checkout steals its customers' card data
    "skimmer": 2.5,
    "skimmers": 2.5,
    "card skimming": 2.5,
    "card-skimming": 2.5,
    "magecart": 2.5,
    "hacked": 3,
    "hack": 1.5,
    "hackers": 1.5,
    "cyberattack": 2.5,
    "cyberattacks": 2,
    "cyber attack": 2.5,
    "cyber incident": 2.5,
    "security incident": 3,
    "incident": 1,
    "supply chain attack": 2.5,
    "extortion": 2,
    "threat actor": 1.5,
    "leak site": 2.5,
    "intrusion": 2,
    "malware": 1.5,
    "outage": 0.5,
    "exposed": 2,
    "misconfigured": 1.5,
    # a database or server left open ('an unsecured database posted online by a contractor')
    "unsecured": 1.5,
    "unprotected": 1.5,
    "personal information": 1,
    "customer data": 1.5,
    "attack": 1,
    "attacks": 1,
    "claims to have": 1.5,
    "victim": 1.5,
    "victims": 1,
    "backdoored": 2,
    "impacted": 1,
    "affected": 0.5,
    "encrypted": 1.5,
    "stole": 2.5,
    "steal": 2.5,
    "steals": 2.5,
    "stealing": 2.5,
    "theft": 2,
    "unauthorized": 1.5,
    # the breach notices' own words ('records ... were accessed by an unauthorized party')
    "unauthorized party": 2.5,
    "unauthorised party": 2.5,
    "attackers": 1,
    "cybersecurity incident": 3,
    "data exposure": 2.5,
    "exposing": 2,
    "exposes": 2,
    "publicly accessible": 2.5,
    "hit by": 1.5,
    "is hit": 1.5,
    "hits": 1.5,
    "password spray": 2,
    "credential stuffing": 2.5,
    "accessed": 1,
    "compromise": 2,
    "exploited": 1,
    # where stolen data is posted or sold, and what breach write-ups list as taken
    "hacking forum": 2,
    "hacker forum": 2,
    "dark web": 1.5,
    "darknet": 1.5,
    "hashed passwords": 1.5,
    "plain text passwords": 1.5,
    "plaintext passwords": 1.5,
    "social security numbers": 1.5,
    "attacked by": 1.5,
    "ddos": 2,
    "ddos attack": 2.5,
}
# An attack named as the cause of an outage or loss ('サイバー攻撃によるシステム障害', 'サイバー攻撃の影響で
# 生産停止', 'outage caused by a cyberattack'): incident news even when it reads like business news.
ATTACK_IMPACT = re.compile(
    r"(?:サイバー攻撃|ランサムウ[ェエ]ア|ddos攻撃|不正アクセス|攻撃(?![者手]))(?:[^。]{0,4}?)(?:により|による|の影響|を受け|で|に伴)"
    r"[^。]{0,40}?(?:障害|停止|休止|中断|遅延|延期|暗号化|閉鎖|停滞|混乱|減少|支障|影響)|"
    r"(?:障害|停止|休止|中断|outage|disruption|shut down|shutdown)[^.。]{0,40}?(?:サイバー攻撃|ランサムウ[ェエ]ア|"
    r"cyberattack|cyber attack|ransomware)|"
    # Institutions (not 'users', 'developers' or 'organisations' at large) as the target of an attack
    # campaign: 'インド政府機関を標的に'.
    r"(?:政府|機関|省|軍|当局|大使館|病院|大学|議員)[^。]{0,6}?(?:を標的|を狙|が標的|への攻撃|を攻撃|に侵入)|"
    r"\b(?:targets?|targeted|targeting)\s+(?:\w+\s+){0,3}?(?:government|ministry|agency|agencies|organi[sz]ations?|"
    r"compan(?:y|ies)|hospitals?|universit(?:y|ies)|military)\b"
)
# An exploitation campaign: an actor exploiting a flaw to break into, target or deploy malware at
# organisations ('脅威グループXがCVE-...を悪用しトルコの防衛企業を標的に'). Incident news for the vendor whose
# product is exploited; a patch note or a KEV listing that says 'exploited' is not such a report.
EXPLOITATION_CAMPAIGN = re.compile(
    r"(?:グループ|攻撃者|脅威アクター|apt\d*|ハッカー|キャンペーン|storm \d+)[^。]{0,40}?を悪用し[^。]{0,60}?"
    r"(?:侵害し|侵害して|標的に|展開し|展開した|侵入し|侵入した|窃取し|乗っ取)|"
    r"悪用し[^。]{0,30}?(?:企業|組織|機関|政府)[^。]{0,10}?を(?:標的|侵害|攻撃)|"
    r"\b(?:group|actors?|attackers|hackers|apt\d+|campaign)\b[^.]{0,60}?\bexploit(?:ed|ing)\b[^.]{0,80}?"
    r"\b(?:to (?:breach|compromise|deploy|infiltrate|target)|compromis(?:ed|ing)|breach(?:ed|ing)|deploy(?:ed|ing))\b"
)
# Signs that a concrete event at a named organisation is reported (a count, an announcement, an apology).
# Three patterns rather than one alternation: re tries a leading \b at every position, and these cannot
# match inside each other's matches, so the three together find what the one did.
EVENT_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\d[\d,.]*\s*(?:万)?(?:件|人|名|社|団体)(?:分)?",
        r"お詫び|おわび|判明|確認した|確認された|発表した|公表した|明らかにした|を受けた|被害を受け|発生した|届け出|報告した",
        r"\b(?:disclosed|confirmed|notified|notifying|announced|said it|filed|reported to|million|thousand|records|"
        # 'X hit by cyberattack': an organisation named as struck, however the rest of the headline reads
        # ('pharmacies report disruption' is not a research report)
        r"customers|hit by|struck by)\b|"
        # a count of what was taken ('over 19k accounts published online', '5,000 patients')
        r"\b\d[\d,.]*\s*[km]?\s+(?:[\w-]+\s+){0,2}?(?:accounts|users|members|email addresses|patients|individuals|"
        r"people|employees)\b",
        # the data told as taken, in one line ('Login details and private messages were compromised', 'steal
        # customer details'): what breach notices of a few words say, with no count or announcement
        r"\b(?:data|details|records|information|passwords?|credentials|messages|emails?|accounts?|databases?)\s+"
        r"(?:[\w-]+\s+){0,8}?(?:was|were|has been|have been|had been)\s+(?:either\s+)?(?:lost\s+or\s+)?"
        # ('was consequently dumped publicly', 'were inadvertently exposed')
        r"(?:[a-z]+ly\s+)?"
        r"(?:compromised|breached|stolen|exposed|leaked|accessed|taken|exfiltrated|obtained|"
        # ... or sold where stolen data is ('were sold on the dark web'; not 'the data unit was sold to Beta')
        r"(?:sold|(?:offered|put up|listed) for sale) (?:online|on (?:the )?(?:dark ?web|darknet|telegram)|"
        r"on (?:a|an|the) (?:[\w-]+ ){0,2}?forum)|left (?:exposed|unprotected|unsecured|online|open online)|"
        # ... or found where anyone could take it ('data belonging to the Polish motoring website autocentrum.pl was
        # found online', 'posted to a popular hacking forum'), or found in a store left open ('found on an insecure
        # website'; not 'published on the company website')
        r"(?:found|posted|published|dumped|discovered|shared|left)\s+(?:exposed\s+|unprotected\s+|unsecured\s+)?(?:online|"
        r"publicly|on (?:the )?(?:dark ?web|darknet|github)|(?:on|to|in) (?:a|an|the) (?:[\w-]+ ){0,2}?(?:forum|internet|"
        r"dark ?web|darknet))|(?:found|discovered|left) (?:on|in) (?:a|an|the) (?:[\w-]+ )?(?:insecure|unsecured|"
        r"unprotected|exposed|misconfigured|open|public|publicly accessible) (?:[\w-]+ )?(?:server|database|website|bucket)s?)\b|"
        # the victim told as having had it taken ('had its database published online', 'had 150k email addresses
        # exposed', 'had sensitive personal data stolen')
        r"\bhad\s+(?:its\s+|their\s+|it's\s+)?(?:[\w,.-]+\s+){0,4}?(?:data|database|records|details|information|"
        r"addresses|accounts|passwords)\s+(?:[a-z]+ly\s+)?(?:stolen|exposed|leaked|published|posted|dumped|accessed|"
        r"compromised|breached)\b|"
        # data left where anyone could take it ('left their database publicly exposed', 'email addresses and passwords
        # left open online', 'left names, email addresses and phone numbers exposed')
        r"\bleft\s+(?:(?:its|their|the|a|an)\s+)?(?:[\w,-]+\s+){0,6}?(?:data|database|databases|records|details|"
        r"information|addresses|numbers)\s+(?:publicly\s+)?(?:exposed|unprotected|unsecured|online|accessible)\b|"
        r"\b(?:data|details|records|information|databases?|passwords|addresses)\b[^.]{0,60}?\bleft\s+(?:publicly\s+)?"
        r"(?:exposed|unprotected|unsecured|open online|accessible)\b|"
        # data offered ('listed user data for sale on darknet')
        r"\b(?:listed|offered|put up|advertised)\s+(?:[\w-]+\s+){0,4}?(?:data(?!\s+cent(?:er|re))|databases?|records|details|"
        r"credentials|information)\s+(?:up\s+)?for sale\b|"
        # the intruders told reaching it ('hackers were able to access the details of 10m customers', 'a hacker
        # obtained email addresses'); not what they could do ('could allow attackers to access data')
        r"\b(?:hackers?|intruders?|attackers?|threat actors?|cybercriminals?|criminals)\s+(?:(?:were|was) able to |"
        r"managed to )?(?:(?<=able to )(?:access|obtain|steal|download)|(?<=managed to )(?:access|obtain|steal|download)|"
        r"accessed|obtained|gained access to|stole|exfiltrated|downloaded|made off with)\s+(?:[\w'’-]+\s+){0,4}?(?:data|"
        r"details|records|information|files|emails?|databases?|passwords|accounts?|numbers)\b|"
        # a database left open and what it held ('an unsecured Elasticsearch database containing 1.2 billion records',
        # 'an online database with no password protection contained thousands of customer records')
        r"\b(?:insecure|unsecured|unprotected|exposed|misconfigured|publicly accessible|unencrypted)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:databases?|servers?|buckets?|instances?)\b[^.]{0,80}?\b(?:contain(?:ed|ing|s)?|held|holding|exposed|exposing|"
        r"includ(?:ed|ing))\b[^.]{0,80}?\b(?:data|details|records|information|passwords|addresses|numbers)\b|"
        r"\bdatabases?\s+with\s+no\s+password\s+protection\b[^.]{0,80}?\b(?:data|details|records|information)\b|"
        # what the exposure revealed ('has exposed personally identifiable information', 'exposed postal addresses, email
        # addresses and plain-text passwords')
        r"\b(?:exposed|exposing)\s+(?:the\s+)?(?:[\w,'’-]+\s+){0,5}?(?:personal(?:ly identifiable)?|customer|customers'|user|"
        r"users'|patient|employee|sensitive|private|email|postal|ip|phone|social security|card|account)\s+(?:[\w-]+\s+)?"
        r"(?:data|details|records|information|passwords|addresses|numbers?)\b|"
        # 'accidentally leaked a backup of its database', 'stealing the identity information of...'
        r"\b(?:steal|stole|stolen|stealing|took|exfiltrated|leaked|siphon(?:ed|ing)?(?:\s+off)?|syphon(?:ed|ing)?)\s+"
        r"(?:[\w'’-]+\s+){0,3}?(?:data|details|records|information|database|backups?|(?:account|card) numbers)\b|"
        # data told taken from somewhere ('had 17.5GB of data obtained from an unprotected Mongo DB instance')
        r"\b(?:data|records|information|details|files)\s+(?:was\s+|were\s+)?(?:allegedly\s+|reportedly\s+)?(?:obtained|"
        r"taken|downloaded|stolen|exfiltrated|scraped)\s+from\b|"
        # ... or the act told ('claimed to have obtained data from Pitney Bowes')
        r"\b(?:obtained|stole|took|exfiltrated|downloaded)\s+(?:[\w.,-]+\s+){0,2}?(?:of\s+)?(?:data|records|information)\s+"
        r"from\b|"
        # data on sale ('hackers were trading hundreds of thousands of account details')
        r"\b(?:selling|sold|trading|traded|auctioning|auctioned)\s+(?:[\w,.-]+\s+){0,7}?(?:account details|records|"
        r"(?:customer|user|personal|stolen|patient|contact) (?:data|information|details)|databases?|credentials|"
        r"passwords)\b|"
        # a device or media holding it gone ('A laptop containing information on ... employees was stolen')
        r"\b(?:laptops?|computers?|desktops?|hard drives?|tapes?|usb drives?|flash drives?|devices?|disks?|cd-roms?|"
        r"smartphones?|phones?|discs?|memory sticks?)\b[^.]{0,120}?\b(?:(?:was|were|had been|has been|have been)\s+"
        r"(?:either\s+)?(?:lost\s+or\s+)?(?:stolen|lost|misplaced)|went missing|gone missing)\b",
    )
)
# A device or media holding personal data told lost or stolen: a breach as the notices define one ('A hard disk with
# details of UK driving theory test candidates was lost by a contractor'), weighed as a strong breach term.
DEVICE_WITH_DATA_GONE = re.compile(
    r"\b(?:laptops?|computers?|desktops?|hard (?:drives?|disks?)|disks?|discs?|tapes?|usb (?:drives?|sticks?)|"
    r"memory sticks?|flash drives?|devices?|cd-roms?|smartphones?|phones?|files|boxes|binders?)\s+(?:containing|with|holding|"
    r"storing|that (?:held|contained|stored))\s+[^.]{0,60}?\b(?:data|details|information|records|numbers|phi|ephi)"
    r"\b[^.]{0,80}?\b(?:(?:was|were|had been|has been|have been)\s+(?:either\s+)?(?:lost\s+or\s+)?"
    r"(?:stolen|lost|misplaced)|went missing|gone missing)\b|"
    # ... or lost, sent or mailed by someone, holding it ('An archiving vendor lost a box full of data storage tapes
    # containing sensitive information', 'accidentally sent CD-ROMs filled with the 2006 tax returns of 4m citizens')
    r"\b(?:lost|misplaced|mislaid|discarded|sent|mailed|shipped)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){0,4}?(?:box(?:es)?|"
    r"tapes?|laptops?|hard drives?|disks?|discs?|cd[- ]?roms?|dvds?|usb (?:drives?|sticks?)|memory sticks?|shipment|files|"
    r"documents|papers|binders?)\b"
    r"[^.]{0,60}?\b(?:containing|filled with|holding|that (?:held|contained))\s+[^.]{0,60}?\b(?:data|details|information|"
    r"records|numbers|returns|files)\b|"
    # (read folded: no full stop between 'The firm lost the shipment. It contained social security numbers')
    r"\blost\s+(?:the|a|an)\s+(?:shipment|box(?:es)?|tapes?|files|package)\.?\s+(?:it|they|which)\s+(?:contained|held|included)\b"
)
# Ordinary business news and research pieces: vendor named, but no incident at the vendor.
NEGATIVE_TERMS: dict[str, float] = {
    "発売": 3,
    "提供開始": 3,
    "決算発表": 2,
    "受賞": 3,
    "登壇": 3,
    "開催": 2,
    "提携": 2,
    "新製品": 3,
    "新サービス": 2.5,
    "レポート": 1.5,
    "動向": 2,
    "予測": 2,
    "調査レポート": 2,
    "白書": 2.5,
    "脆弱性": 1.5,
    "アップデート": 1,
    "注意喚起": 2,
    "セミナー": 3,
    "ウェビナー": 3,
    "出展": 3,
    "業務提携": 2.5,
    "資金調達": 3,
    "近年": 2,
    "傾向": 2,
    "増加": 1,
    "急増": 1.5,
    "対策": 0.5,
    "必要": 1,
    "求められ": 1.5,
    "解説": 2,
    "訓練": 2,
    "演習": 2,
    "修正": 1.5,
    "パッチ": 1.5,
    "新種": 2,
    "注意を呼びかけ": 2,
    "警告": 1,
    "リリース": 2,
    "発表会": 2,
    "ガイドライン": 2,
    "launches": 3,
    "launch": 2,
    "announces general availability": 3,
    "general availability": 2.5,
    "earnings": 3,
    "quarterly results": 3,
    "revenue": 2,
    "award": 2.5,
    "named a leader": 3,
    "magic quadrant": 3,
    "conference": 2,
    "webinar": 3,
    "partnership": 2,
    "partners with": 2,
    "acquires": 1.5,
    "funding round": 3,
    "threat report": 3,
    "trend report": 3,
    "trends": 2,
    "survey": 2.5,
    "research finds": 2.5,
    "report finds": 2.5,
    "predictions": 2.5,
    "warns": 1.5,
    "study": 1.5,
    "surge in": 1.5,
    "vulnerability": 1,
    "patch": 1,
    "advisory": 1.5,
    "unveils": 3,
    "introduces": 2,
    "releases": 1.5,
    "report": 1.5,
    "year over year": 2,
    "keynote": 3,
    "finds": 1.5,
    "annual": 1.5,
    "how to": 2.5,
    "guide": 2,
    "tips": 2,
    "blocks": 1.5,
    "mitigated": 1.5,
    "rise": 1,
    "防ぐ": 3,
    "ポイント": 2,
    "方法": 1.5,
    "まとめ": 1.5,
    "前年比": 2,
    "上半期": 1.5,
    "年次": 1.5,
}
# Denials: 'not a cyberattack', 'サイバー攻撃ではない'. They outweigh the terms they contain.
NEGATIONS = re.compile(
    r"\b(?:not|no)\s+(?:a\s+)?(?:security incident|cyberattack|cyber attack|breach|hack)\b|"
    r"(?:サイバー攻撃|不正アクセス|情報漏えい|情報流出)(?:による(?:もの)?)?ではない"
)
# A headline saying the attack was stopped ('blocks record DDoS attack', '攻撃を阻止') reports a defence.
MITIGATED_TITLE = re.compile(
    r"\b(?:blocks?|blocked|mitigates?|mitigated|thwarts?|thwarted|fends? off|repels?|repelled)\b|"
    r"(?:を|も)(?:防御|阻止|撃退)|防いだ"
)
# A breach term naming what a product or a measure protects against ('情報漏えい対策機能を強化',
# '誤送信防止', 'ransomware protection', 'prevents data breaches') describes a defence, not an incident:
# that occurrence of the term does not count, and the phrase counts against the verdict. 再発防止策
# (preventing a recurrence) is a follow-up of a real incident, so 再発 between the two keeps the term.
COUNTERMEASURE = re.compile(
    r"(?:情報漏えい|情報漏洩|情報流出|漏えい|漏洩|流出|不正アクセス|ランサムウ[ェエ]ア|サイバー攻撃|サイバー被害|標的型攻撃|マルウェア|"
    r"ウイルス|不正ログイン|なりすまし|ddos攻撃|改ざん|誤送信|不正利用)(?:(?:の|を)?"
    r"(?:対策|防止|対応製品|対応ソリューション|保護|を防|防ぐ|から守|を未然に)|"
    # the risk it lowers, the watch it keeps ('不正アクセスリスクを低減する', 'サイバー攻撃に対する監視と対応能力を強化')
    r"(?:の)?リスク(?:を|の)?(?:低減|軽減|抑制|回避)|に対する(?:監視|防御|備え|耐性|対応能力)|"
    # the watch kept for it ('サイバー攻撃の監視体制を強化した', 'サイバー被害監視室を設置')
    r"(?:の|への)?(?:監視|検知)(?:体制|態勢|能力|室|センター))|"
    r"\b(?:anti-?ransomware|ransomware|breach|data breach|data loss|data leak|leak|intrusion|ddos|malware|"
    r"phishing|account takeover|cyberattack)\s+(?:protection|prevention|defen[cs]e|mitigation|"
    r"protections|resilience|readiness)\b|"
    r"\bprevents?\s+(?:data\s+)?(?:breach(?:es)?|ransomware|leaks?|cyberattacks?)\b"
)
# What could happen, not what did ('認証情報を盗まれる恐れがある', 'DNS経由の情報漏洩手法'): that occurrence of the term does not
# count. A past one does ('流出した可能性'), and a real leak's secondary risk keeps the leak's own terms ('流出した個人情報が
# 悪用される恐れ').
POTENTIAL = re.compile(
    r"(?:盗まれ|漏えいす|漏洩す|流出す|侵害され|乗っ取られ|不正アクセスされ|改ざんされ|窃取され)る(?:恐れ|おそれ|可能性|危険性?|リスク)|"
    r"(?:情報漏えい|情報漏洩|漏えい|漏洩|情報窃取)(?:の)?(?:手法|手口|テクニック)"
)
# Statistics (40%, 3割) and research headlines mark trend pieces, not one organisation's incident.
STATISTICS = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|パーセント|割)")
RESEARCH_TITLE = re.compile(r"レポート|調査[:：]|調査で|調査によると|白書|\b(?:report|survey|study|research)\b", re.I)
SUPPLY_CHAIN_TERMS = (
    "委託先",
    "再委託先",
    "業務委託",
    "委託業者",
    "外部委託",
    "委託元",
    "取引先",
    "保守業者",
    "協力会社",
    "サプライチェーン",
    "contractor",
    "subcontractor",
    "third-party vendor",
    "third party vendor",
    "supplier",
    "service provider",
    "business associate",
    "third-party provider",
    "payroll provider",
    "msp",
    "managed service provider",
    "outsourc",
    "supply chain",
    "supply-chain",
)
# Follow-ups: a later report on an incident already reported (status reports, findings, remediation,
# earnings hit, lawsuits, fines). The one list of this concept: detection flags the alert with it, and
# incidents.py lets a follow-up that refers back join an incident past its quiet period.
FOLLOW_UP_TERMS = (
    "再発防止策",
    "再発防止",
    "調査結果",
    "調査報告",
    "最終報告",
    "第2報",
    "第3報",
    "第4報",
    "第5報",
    "第6報",
    "第7報",
    "第8報",
    "第9報",
    "第二報",
    "第三報",
    "第四報",
    "第五報",
    "第六報",
    "第七報",
    "第八報",
    "続報",
    "対応状況",
    "進捗",
    "和解",
    "件数を修正",
    "特別損失",
    "指導",
    "行政指導",
    "勧告",
    "全面再開",
    "復旧",
    "再開",
    "決算",
    "業績",
    "減益",
    "下方修正",
    "売上高",
    "損失",
    "訴訟",
    "提訴",
    "損害賠償",
    "会見",
    "settlement",
    "settles",
    "class action",
    "lawsuit",
    "sued",
    "sues",
    "update on",
    "updated",
    "fined",
    "penalty",
    "remediation",
    "investigation concludes",
    "final report",
    "post-incident",
    "post incident",
    "lessons learned",
    "administrative guidance",
    "notification letters",
    "now says",
    "rises to",
    "bankruptcy",
    "opens investigation",
    "earnings",
    "profit warning",
    "quarterly results",
    "costs of the attack",
    "restored",
    "resumes",
    "recovery",
)
# Someone reporting on an incident is not its victim ('according to CrowdStrike', 'Xの調査によると').
_REPORTER_CUES = re.compile(
    r"^(?:\s*(?:researchers?|analysts?|report|research|threat intelligence|の調査|の研究者|"
    r"の報告|によると|が報告|が発見|が公開したレポート))"
)
_REPORTER_BEFORE = re.compile(
    r"(?:according to|researchers at|analysts at|report by|reported by|discovered by|"
    r"security firm|security vendor|security company)\s*$"
)
# ... unless it tells of its own systems: the victim as the source ('According to Acme, its servers were encrypted',
# 'アクメによると、同社のサーバーが暗号化され'); a researcher's own work ('同社が確認した攻撃') is not that.
_OWN_SYSTEMS = re.compile(
    r"(?:同社|自社|当社)の(?:サーバー?|システム|ネットワーク|工場|端末|pc|パソコン|データ|顧客|従業員|社員|会員|個人情報)|"
    r"\bits\s+(?:own\s+)?(?:systems?|servers?|network|customers|patients|employees|staff|users)\b"
)
# In Japanese the sufferer goes unsaid when it is the source ('アクメの調査で、外部から不正アクセスを受けていたことが判明');
# a researcher's finding names its victims ('…の調査で、国内企業が不正アクセスを受けていた').
_SUFFERED_JA = re.compile(
    r"^[^。]{0,40}?(?:を受けていた|を受けた|に感染した|に感染していた|への感染|が暗号化され|が流出した|が漏えいした|が漏洩した)"
)
_OTHER_SUFFERER_JA = re.compile(
    r"(?:企業|組織|機関|病院|会社|団体|自治体|大学|顧客|利用者|ユーザー|各社|複数社)(?:が|は|も|に)|"
    # what the source observed elsewhere ('トレンドマイクロによると、同社が確認した攻撃では顧客情報が流出した')
    r"(?:同社|自社)が(?:確認|観測|検知|発見|分析|調査)した"
)


def tells_its_own(after: str) -> bool:
    """Whether the words after a source's name (lower case, its sentence) tell an incident at the source itself."""
    if _OWN_SYSTEMS.search(after):
        return True
    suffered = _SUFFERED_JA.search(after)
    return suffered is not None and not _OTHER_SUFFERER_JA.search(after[: suffered.end()])


THRESHOLD = 3.0


class TermScanner:
    """Find terms in folded text with one Aho-Corasick pass (a regex alternation of ~150 terms with
    look-arounds cost ~0.7 ms per article, more than parsing it). ASCII terms match as whole words
    ('outsourc' as a prefix); Japanese terms as substrings. Like a regex alternation tried longest
    first, hits are taken leftmost, longest, and without overlap."""

    def __init__(self, terms: Sequence[str]):
        import ahocorasick

        self._auto = ahocorasick.Automaton()
        for t in terms:
            ft = fold(t, join_cjk=True) if t != "outsourc" else t
            self._auto.add_word(ft, (ft, ft.isascii(), t == "outsourc"))
        self._auto.make_automaton()

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, term) of each hit."""
        hits = []
        for end, (term, ascii_word, prefix) in self._auto.iter(text):
            start = end - len(term) + 1
            if ascii_word:
                if start > 0 and _WORD_CHAR(text[start - 1]):
                    continue
                if not prefix and end + 1 < len(text) and _WORD_CHAR(text[end + 1]):
                    continue
            hits.append((start, -len(term), term))
        hits.sort()
        out, pos = [], 0
        for start, neg_len, term in hits:
            if start >= pos:
                pos = start - neg_len
                out.append((start, pos, term))
        return out

    def findall(self, text: str) -> list[str]:
        return [term for _, _, term in self.spans(text)]

    def search(self, text: str) -> bool:
        return bool(self.spans(text))

    def sub(self, repl: str, text: str) -> str:
        parts, pos = [], 0
        for start, end, _ in self.spans(text):
            parts += [text[pos:start], repl]
            pos = end
        return "".join(parts) + text[pos:]


def is_follow_up(text: str) -> bool:
    """Does the text read as a follow-up of an earlier report (FOLLOW_UP_TERMS)?"""
    return bool(_FOLLOW_SCAN.search(fold(text, join_cjk=True)))


def _WORD_CHAR(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_BREACH_SCAN = TermScanner(list(BREACH_TERMS))
_NEGATIVE_SCAN = TermScanner(list(NEGATIVE_TERMS))
_SUPPLY_SCAN = TermScanner(SUPPLY_CHAIN_TERMS)
_FOLLOW_SCAN = TermScanner(FOLLOW_UP_TERMS)
_BREACH_W = {fold(k, join_cjk=True): v for k, v in BREACH_TERMS.items()}
_NEG_W = {fold(k, join_cjk=True): v for k, v in NEGATIVE_TERMS.items()}
# A full stop ends a sentence, except after the abbreviations of company names ('Okta Inc. said').
_SENTENCE_END = re.compile(r"[。．!?！？\n]|(?<!\bInc)(?<!\bCo)(?<!\bLtd)(?<!\bCorp)(?<!\bLLC)\.\s")
_INCIDENT_REPORT = re.compile(r"\b(?:breach|incident|data breach)\s+reports?\b")


# A literal that every match of the pattern contains (checked with `in`, which costs far less than the
# regexes' alternations with bounded gaps; tests/matching/test_detect.py checks each list against its pattern).
_REQUIRED: dict[re.Pattern[str], tuple[str, ...]] = {
    ATTACK_IMPACT: ("攻撃", "ランサムウ", "不正アクセス", "cyber", "ransomware", "標的", "を狙", "侵入", "target"),
    EXPLOITATION_CAMPAIGN: ("悪用し", "exploit"),
    COUNTERMEASURE: (
        "対策",
        "防止",
        "対応",
        "保護",
        "防",
        "守",
        "未然",
        "protection",
        "prevent",
        "defen",
        "mitigation",
        "resilience",
        "readiness",
        "リスク",
        "に対する",
        "監視",
        "検知",
    ),
    NEGATIONS: ("no", "ではない"),
    POTENTIAL: ("る", "手法", "手口", "テクニック"),
    STATISTICS: ("%", "percent", "パーセント", "割"),
    _INCIDENT_REPORT: ("report",),
}


def _may_match(pattern: re.Pattern[str], text: str) -> bool:
    return any(k in text for k in _REQUIRED[pattern])


def _found(pattern: re.Pattern[str], text: str) -> bool:
    return _may_match(pattern, text) and pattern.search(text) is not None


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text)) if _may_match(pattern, text) else 0


def _event_matches(text: str) -> list[list[re.Match[str]]]:
    """Each event pattern's matches in the text (the last pattern's are the data told taken), scanned once."""
    return [list(pattern.finditer(text)) for pattern in EVENT_PATTERNS]


def _event_hits(text: str) -> list[set[str]]:
    return [{m.group(0) for m in found} for found in _event_matches(text)]


_DENIED_BEFORE = re.compile(r"\b(?:no|not|nor|never|without|none|nothing|neither)\b[^.;]{0,40}$")


_DATA_WORD = re.compile(
    r"\b(?:data|details|records|information|passwords?|credentials|messages|emails?|accounts?|databases?|backups?|"
    r"addresses|numbers)\b"
)


def _data_told_taken(text: str, taken: list[re.Match[str]]) -> bool:
    """The data itself told taken (not a device told lost: 'Batteries in some laptops were lost to overheating');
    taken: the last event pattern's matches in the text."""
    return any(
        _DATA_WORD.search(m.group(0)) and not _DENIED_BEFORE.search(text, max(0, m.start() - 45), m.start())
        for m in taken
    )


def _events(text: str) -> set[str]:
    return set().union(*_event_hits(text))


def _without_incident_reports(text: str) -> str:
    """'Okta breach report' reports a breach; 'threat report' is research."""
    return _INCIDENT_REPORT.sub(" ", text) if _may_match(_INCIDENT_REPORT, text) else text


def _score(text: str, scanner: TermScanner, weights: dict[str, float]) -> tuple[float, list[str]]:
    found = set(scanner.findall(text))
    return sum(weights.get(t, 0) for t in found), sorted(found)


@compact_pickle
@dataclass(frozen=True, slots=True)
class Verdict:
    breach: bool
    score: float
    terms: tuple[str, ...]
    supply_chain: bool
    follow_up: bool

    def about_any(self, matches: Iterable[Match], title: str, text: str = "") -> bool:
        """Is any matched vendor the subject of this breach report (not a bystander or the reporter)?"""
        return any(is_subject(m, title, text) for m in matches)

    def subjects(self, matches: Iterable[Match], title: str, text: str = "") -> tuple[Match, ...]:
        """The matches an alert is about: subjects of the report, and none unless it is a breach report."""
        return tuple(m for m in matches if is_subject(m, title, text)) if self.breach else ()


def assess(title: str, text: str = "", assume_breach: bool = False) -> Verdict:
    """Score an article. `text` is the summary and any fetched body."""
    ft, fx = fold(title, join_cjk=True), fold(text[:20000], join_cjk=True)
    defence_t, defence_x = _count(COUNTERMEASURE, ft), _count(COUNTERMEASURE, fx)
    if defence_t:
        ft = COUNTERMEASURE.sub(" ", ft)
    if defence_x:
        fx = COUNTERMEASURE.sub(" ", fx)
    if _may_match(POTENTIAL, ft):
        ft = POTENTIAL.sub(" ", ft)
    if _may_match(POTENTIAL, fx):
        fx = POTENTIAL.sub(" ", fx)
    pos_t, terms_t = _score(ft, _BREACH_SCAN, _BREACH_W)
    pos_x, terms_x = _score(fx, _BREACH_SCAN, _BREACH_W)
    neg_t, _ = _score(_without_incident_reports(ft), _NEGATIVE_SCAN, _NEG_W)
    neg_x, _ = _score(_without_incident_reports(fx), _NEGATIVE_SCAN, _NEG_W)
    lede = ft + " " + fx[:3000]
    event_matches = _event_matches(lede)
    event_hits = [{m.group(0) for m in found} for found in event_matches]
    events = len(set().union(*event_hits))
    both = ft + " " + fx
    follow = bool(_FOLLOW_SCAN.search(both))
    impact = 2.5 if any(_found(p, t) for p in (ATTACK_IMPACT, EXPLOITATION_CAMPAIGN) for t in (ft, fx)) else 0.0
    impact += 3.0 if DEVICE_WITH_DATA_GONE.search(lede) else 0.0
    # the data told taken, and not denied ('personal data was obtained via software installed on card-swiping
    # machines'; not 'no customer data was accessed'): a one-line breach notice says no more
    impact += 2.5 if _data_told_taken(lede, event_matches[-1]) else 0.0
    score = 2 * min(pos_t, 6) + min(pos_x, 8) + min(events, 3) + impact - 2 * neg_t - 0.5 * min(neg_x, 6)
    raw_title = unicodedata.normalize("NFKC", title)
    score -= 4 * bool(MITIGATED_TITLE.search(ft))
    score -= 2 * min(defence_t, 2) + 0.5 * min(defence_x, 2)
    score -= 4 * _count(NEGATIONS, both)
    score -= 1.5 * min(_count(STATISTICS, both), 2)
    if RESEARCH_TITLE.search(_without_incident_reports(raw_title.lower())) and not _events(ft):
        score -= 3
    # A strong breach term (流出, 盗難, stolen) in the headline is stronger evidence than in the body.
    evidence = (
        sum(
            _BREACH_W.get(t, 0) * (1.5 if t in terms_t and _BREACH_W.get(t, 0) >= 2 else 1)
            for t in set(terms_t) | set(terms_x)
        )
        + impact
        # the data told as taken (the last event pattern) weighs as a weak breach term ('Only full names, ..., account
        # passwords and answers to security questions were exposed' has no other)
        + (1 if event_hits[-1] else 0)
    )
    breach = assume_breach or (score >= THRESHOLD and evidence >= 2.5)
    supply = bool(_SUPPLY_SCAN.search(both))
    terms = tuple(dict.fromkeys(terms_t + terms_x))
    return Verdict(breach, round(score, 2), terms, supply and breach, follow and breach)


# A piece about many organisations, named as such in its headline (narrower than RESEARCH_TITLE, which
# also discounts 'dealers report losses': here a match keeps a report out of an incident's thread).
_RESEARCH_PIECE = re.compile(
    r"\b(?:report|survey|study|research|analysis)\s+(?:finds|shows|says|reveals|warns)\b|"
    r"\b(?:annual|threat|trends?|industry)\s+report\b|\bsurvey\b|\bstudy\b|"
    r"レポート|調査[:：]|調査で|調査によると|白書|動向"
)


def is_research(text: str) -> bool:
    """A research or trend piece (a report, survey or statistics about many organisations), judged by
    its first line (the title) the way assess() discounts one."""
    title = unicodedata.normalize("NFKC", text.split("\n", 1)[0]).lower()
    return bool(_RESEARCH_PIECE.search(title))


def is_subject(m: Match, title: str, text: str = "") -> bool:
    """A vendor named in the title or the link is the report's subject; in the text, only when a breach
    term stands in the same sentence and the vendor is not cited as the source of the report."""
    if m.field in ("title", "link"):
        return True
    if m.how == "domain":
        return True
    if m.start < 0:
        return True  # fuzzy evidence has no span to judge by; let the alert show it
    from ..normalize import fold_case_kept

    body = fold_case_kept(text)
    # Spans are relative to the field; the text given here is summary (+ body): find the surface again.
    pos = body.find(m.surface)
    if pos < 0:
        return True
    lo = max((x.end() for x in _SENTENCE_END.finditer(body, 0, pos)), default=0)
    # Its sentence and the next: 'Okta said on Friday. Attackers had stolen files.'
    nxt = _SENTENCE_END.search(body, pos + len(m.surface))
    if nxt:
        nxt = _SENTENCE_END.search(body, nxt.end()) or nxt
    hi = nxt.start() if nxt and nxt.start() > pos else len(body)
    after = body[pos + len(m.surface) : pos + len(m.surface) + 20].lower()
    before = body[max(lo, pos - 40) : pos].lower()
    if (_REPORTER_CUES.search(after) or _REPORTER_BEFORE.search(before)) and not tells_its_own(
        body[pos + len(m.surface) : hi].lower()
    ):
        return False
    return bool(_BREACH_SCAN.search(fold(body[lo:hi], join_cjk=True)))
