"""How news tells each party's part, in the words reporters use: a victim's helpers, reporters, trackers and
analysts; the software it ran; its contractor; advisories; earlier incidents. Written for this test (session 12,
to probe the role cues one at a time without looking at the role set's held-out part), in both languages, each
case naming the role a reader gives every party (a tuple: the roles a careful reader could defend). Groups of
cases share a register; some also require the victim they name to stay alerted (GROUPS)."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.matching.detect import assess
from monitor.matching.matcher import Matcher
from monitor.matching.roles import RoleOf, assign
from monitor.matching.vendors import Vendor

EN_VENDORS = [
    ("Acme Health", ()),
    ("Mandiant", ()),
    ("CrowdStrike", ()),
    ("Microsoft Corporation", ("Microsoft",)),
    ("Google LLC", ("Google",)),
    ("Telegram", ()),
    ("BreachForums", ()),
    ("Okta Inc.", ("Okta",)),
    ("Palo Alto Networks", ("Unit 42",)),
    ("Recorded Future", ()),
    ("Cloudflare", ()),
    ("Amazon Web Services", ("AWS",)),
    ("Snowflake Inc.", ("Snowflake",)),
    ("Citrix", ()),
    ("Fortinet", ()),
    ("MOVEit", ()),
    ("Ivanti", ()),
    ("Salesforce", ()),
    ("Huntress", ()),
    ("Sophos", ()),
    ("Check Point", ()),
    ("Kaspersky", ()),
    ("ESET", ()),
    ("Proofpoint", ()),
    ("Have I Been Pwned", ("HIBP",)),
    ("GitHub", ()),
    ("Trend Micro", ()),
    ("Wiz", ()),
    ("SentinelOne", ()),
    ("Zscaler", ()),
    ("BleepingComputer", ()),
    ("TechCrunch", ()),
    ("Reuters", ()),
    ("Bloomberg", ()),
]

JA_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("トレンドマイクロ株式会社", ("トレンドマイクロ",)),
    ("株式会社ラック", ("ラック",)),
    ("Mandiant", ()),
    ("CrowdStrike", ()),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Google LLC", ("Google", "グーグル")),
    ("Telegram", ()),
    ("Fortinet", ("フォーティネット",)),
    ("Citrix", ("シトリックス",)),
    ("Ivanti", ()),
    ("Salesforce", ("セールスフォース",)),
    ("Amazon Web Services", ("AWS",)),
    ("株式会社日立製作所", ("日立製作所", "日立")),
    ("富士通株式会社", ("富士通",)),
    ("NTTデータ", ()),
    ("株式会社イセトー", ("イセトー",)),
    ("SonicWall", ()),
    ("Cisco", ("シスコ",)),
    ("カスペルスキー", ()),
    ("ESET", ()),
    ("Palo Alto Networks", ("パロアルトネットワークス",)),
    ("X Corp.", ("X",)),
    ("LINEヤフー株式会社", ("LINEヤフー",)),
    ("日本経済新聞社", ("日経",)),
    ("共同通信社", ("共同通信",)),
    ("Sophos", ()),
    ("Veeam", ()),
    ("VMware", ()),
    ("Synology", ()),
]

EN_CASES = [
    (
        "Acme Health discloses data breach",
        "Acme Health said hackers stole patient data. The company hired Mandiant to investigate.",
        {"Mandiant": "mentioned"},
    ),
    (
        "Acme Health discloses data breach",
        "Acme Health has brought in CrowdStrike to help with the investigation into the ransomware attack.",
        {"CrowdStrike": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "The attack was first reported by BleepingComputer, which saw the ransom note.",
        {"BleepingComputer": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "Acme Health confirmed the attack to TechCrunch on Tuesday.",
        {"TechCrunch": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "Acme Health told Reuters that patient records were stolen.",
        {"Reuters": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Security researchers at Wiz discovered the exposed database belonging to Acme Health.",
        {"Wiz": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "The stolen data was later advertised on BreachForums for $5,000.",
        {"BreachForums": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "The hackers shared samples of the stolen data in a Telegram channel.",
        {"Telegram": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Recorded Future analyst Allan Liska said the gang has been active since 2022.",
        {"Recorded Future": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "According to Unit 42, the attackers used a known exploit.",
        {"Palo Alto Networks": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Huntress researchers observed the intrusion starting on March 3.",
        {"Huntress": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Troy Hunt added the 2 million email addresses to Have I Been Pwned.",
        {"Have I Been Pwned": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "The attackers accessed data stored in the company's Snowflake account.",
        {"Snowflake Inc.": "product"},
    ),
    ("Acme Health data breach", "Hackers gained access through an unpatched Citrix appliance.", {"Citrix": "product"}),
    (
        "Acme Health data breach",
        "The intrusion began with a compromised Fortinet VPN account.",
        {"Fortinet": "product"},
    ),
    (
        "Acme Health data breach",
        "The attackers exploited CVE-2023-4966, a flaw in Citrix NetScaler, to break in.",
        {"Citrix": "product"},
    ),
    (
        "Acme Health data breach",
        "The stolen data was hosted on an AWS S3 bucket left open to the internet.",
        {"Amazon Web Services": "product"},
    ),
    (
        "Acme Health data breach",
        "Attackers used stolen credentials to log in to the company's Salesforce instance.",
        {"Salesforce": "product"},
    ),
    (
        "Acme Health data breach",
        "The company disclosed the attack in a filing with the SEC and said Google Cloud was not affected.",
        {"Google LLC": "mentioned"},
    ),
    ("Acme Health data breach", "Sophos X-Ops said the group uses Cobalt Strike.", {"Sophos": "mentioned"}),
    (
        "Acme Health data breach",
        "Check Point Research tracks the group as Void Manticore.",
        {"Check Point": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "In a blog post, Kaspersky said the malware steals browser data.",
        {"Kaspersky": "mentioned"},
    ),
    ("Acme Health data breach", "ESET researchers first spotted the backdoor in January.", {"ESET": "mentioned"}),
    (
        "Acme Health data breach",
        "Cybersecurity firm Proofpoint said the phishing emails impersonated DocuSign.",
        {"Proofpoint": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "The attacker published the data on a leak site and posted about it on GitHub.",
        {"GitHub": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "A spokesperson for Okta said its systems were not involved.",
        {"Okta Inc.": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Acme Health uses Okta for single sign-on, but Okta said it was not breached.",
        {"Okta Inc.": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "SentinelOne's Chris Krebs said the attack was sophisticated.",
        {"SentinelOne": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "The breach was discovered by Zscaler ThreatLabz during routine monitoring.",
        {"Zscaler": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Acme Health said it is working with Trend Micro to restore systems.",
        {"Trend Micro": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Bloomberg first reported the breach on Monday, citing people familiar with the matter.",
        {"Bloomberg": "mentioned"},
    ),
]

JA_CASES = [
    (
        "アクメにランサムウェア攻撃",
        "株式会社アクメはランサムウェア攻撃を受けたと発表した。調査はトレンドマイクロが支援している。",
        {"トレンドマイクロ株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメはラックの協力を得て被害範囲を調査している。",
        {"株式会社ラック": "mentioned"},
    ),
    (
        "アクメ不正アクセス",
        "アクメのサーバーが不正アクセスを受けた。侵入経路はFortinet製VPN機器の脆弱性とみられる。",
        {"Fortinet": "product"},
    ),
    (
        "アクメ不正アクセス",
        "アクメはVPN機器の脆弱性を突かれ、ランサムウェアに感染した。VPN機器はシトリックス製だった。",
        {"Citrix": "product"},
    ),
    (
        "アクメ不正アクセス",
        "攻撃者はIvanti Connect Secureの脆弱性を悪用してアクメのネットワークに侵入した。",
        {"Ivanti": "product"},
    ),
    (
        "アクメ情報漏えい",
        "アクメが利用するSalesforceの設定不備により、顧客情報が外部から閲覧可能な状態だった。",
        {"Salesforce": "product"},
    ),
    (
        "アクメ情報漏えい",
        "アクメが利用するクラウドサービスAWS上のストレージが公開状態になっていた。",
        {"Amazon Web Services": "product"},
    ),
    ("アクメにランサムウェア攻撃", "盗まれたデータはTelegram上で公開された。", {"Telegram": "mentioned"}),
    (
        "アクメ委託先で情報漏えい",
        "アクメの委託先であるイセトーがランサムウェア被害を受け、アクメの顧客情報が流出した。",
        {"株式会社アクメ": "affected", "株式会社イセトー": "breached"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "日本経済新聞社の取材に対し、アクメは被害を認めた。",
        {"日本経済新聞社": "mentioned"},
    ),
    ("アクメにランサムウェア攻撃", "共同通信によると、アクメの工場が停止した。", {"共同通信社": "mentioned"}),
    ("アクメにランサムウェア攻撃", "アクメはNTTデータと連携して復旧を進めている。", {"NTTデータ": "mentioned"}),
    (
        "アクメにランサムウェア攻撃",
        "アクメは日立製作所のシステムを利用していたが、日立側への影響はないという。",
        {"株式会社日立製作所": "mentioned"},
    ),
    (
        "アクメ不正アクセス",
        "アクメの従業員のMicrosoftアカウントが乗っ取られ、メールが不正に送信された。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "アクメ不正アクセス",
        "SonicWall製ファイアウォールの脆弱性を悪用した攻撃で、アクメのネットワークに侵入された。",
        {"SonicWall": "product"},
    ),
    (
        "アクメ不正アクセス",
        "攻撃者はCiscoのルーターの脆弱性を突いてアクメの社内ネットワークに侵入した。",
        {"Cisco": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "カスペルスキーの調査によると、このグループは日本企業を狙っている。",
        {"カスペルスキー": "mentioned"},
    ),
    ("アクメにランサムウェア攻撃", "ESETの研究者は、攻撃に使われたマルウェアを分析した。", {"ESET": "mentioned"}),
    (
        "アクメにランサムウェア攻撃",
        "アクメはバックアップにVeeamを使用していたが、バックアップも暗号化された。",
        {"Veeam": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "VMware ESXiサーバーが暗号化され、アクメの業務システムが停止した。",
        {"VMware": "product"},
    ),
    (
        "アクメ情報漏えい",
        "アクメのSynology製NASが外部から認証なしでアクセスできる状態だった。",
        {"Synology": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "マイクロソフトは、この攻撃グループをStorm-0501として追跡している。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "パロアルトネットワークスのUnit 42は、この攻撃が中国系グループによるものと分析した。",
        {"Palo Alto Networks": "mentioned"},
    ),
    ("アクメにランサムウェア攻撃", "アクメはLINEヤフーの子会社である。", {"LINEヤフー株式会社": "mentioned"}),
    (
        "アクメにランサムウェア攻撃",
        "アクメの親会社であるLINEヤフーは、影響を調査している。",
        {"LINEヤフー株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "Sophosの報告書によると、ランサムウェア被害は増加している。",
        {"Sophos": "mentioned"},
    ),
    (
        "アクメ不正アクセス",
        "アクメは、グーグルのクラウドサービス上に保存していたデータが閲覧された可能性があると発表した。",
        {"Google LLC": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "CrowdStrikeによると、攻撃者は数週間前から侵入していた。",
        {"CrowdStrike": "mentioned"},
    ),
    ("アクメにランサムウェア攻撃", "Mandiantの調査で、侵入経路が特定された。", {"Mandiant": "mentioned"}),
]

# Another organisation's earlier or similar incident, told beside this one: named, not breached.
EARLIER_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("Acme Health", ()),
    ("アスクル株式会社", ("アスクル",)),
    ("アサヒグループホールディングス", ("アサヒ",)),
    ("株式会社KADOKAWA", ("KADOKAWA",)),
    ("Change Healthcare", ()),
    ("UnitedHealth Group", ()),
    ("MGM Resorts", ()),
    ("Caesars Entertainment", ()),
    ("SolarWinds", ()),
    ("Colonial Pipeline", ()),
    ("名古屋港", ()),
    ("株式会社ニコニコ", ("ニコニコ",)),
    ("トヨタ自動車株式会社", ("トヨタ",)),
    ("小島プレス工業", ()),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Ticketmaster", ()),
    ("Snowflake Inc.", ("Snowflake",)),
    ("Marks & Spencer", ("M&S",)),
    ("Co-op", ()),
    ("Harrods", ()),
]

EARLIER_CASES = [
    (
        "アクメにランサムウェア攻撃",
        "アクメはランサムウェア攻撃を受けた。昨年のKADOKAWAへの攻撃に続く大規模な被害となった。",
        {"株式会社KADOKAWA": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメがランサムウェア被害を受けた。アサヒやアスクルの被害と同様に、物流が停止した。",
        {"アサヒグループホールディングス": "mentioned", "アスクル株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメの被害は、2022年の小島プレス工業の事案と同じ手口だった。",
        {"小島プレス工業": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメはランサムウェア攻撃を受けた。同社はトヨタの取引先である。",
        {"トヨタ自動車株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメへのサイバー攻撃は、名古屋港のシステム停止以来の規模となる。",
        {"名古屋港": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "専門家は、KADOKAWAの事例を教訓に対策を進めるべきだと指摘する。アクメは被害の全容を調査中だ。",
        {"株式会社KADOKAWA": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "The attack on Acme Health comes months after the Change Healthcare breach disrupted pharmacies.",
        {"Change Healthcare": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "Acme Health was hit by ransomware, echoing last year's attacks on MGM Resorts and Caesars Entertainment.",
        {"MGM Resorts": "mentioned", "Caesars Entertainment": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "The same group was behind the 2023 MGM Resorts attack, researchers said. Acme Health has not paid the ransom.",
        {"MGM Resorts": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "It is the largest healthcare attack since the Change Healthcare incident in February.",
        {"Change Healthcare": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "Like the Colonial Pipeline attack in 2021, the incident forced Acme Health to shut down systems.",
        {"Colonial Pipeline": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Acme Health's data was stolen from its Snowflake account, in the same campaign that hit Ticketmaster.",
        {"Ticketmaster": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "Scattered Spider, which previously breached Marks & Spencer, Co-op and Harrods, is suspected.",
        {"Marks & Spencer": "mentioned", "Co-op": "mentioned", "Harrods": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "The group, known for the SolarWinds supply-chain hack, targeted Acme Health's email servers.",
        {"SolarWinds": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメを攻撃したのは、過去にアサヒを攻撃したQilinとみられる。",
        {"アサヒグループホールディングス": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメの情報がリークサイトに掲載された。同サイトには先月、ニコニコの情報も掲載されていた。",
        {"株式会社ニコニコ": "mentioned"},
    ),
]

# A product exploited, in advisories and in breach reports, as the news tells it.
EXPLOITED_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("Acme Health", ()),
    ("Fortinet, Inc.", ("Fortinet", "フォーティネット", "FortiGate", "FortiOS")),
    ("Ivanti, Inc.", ("Ivanti",)),
    ("Citrix Systems", ("Citrix", "シトリックス")),
    ("Progress Software", ("MOVEit", "MOVEit Transfer")),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Oracle Corporation", ("Oracle", "オラクル")),
    ("SonicWall", ()),
    ("Cisco Systems", ("Cisco", "シスコ")),
    ("Palo Alto Networks", ("パロアルトネットワークス",)),
    ("Atlassian", ("Confluence",)),
    ("Apache Software Foundation", ("Apache",)),
    ("WordPress", ()),
    ("ConnectWise", ("ScreenConnect",)),
    ("SAP SE", ("SAP",)),
    ("Veritas", ()),
    ("Zoho", ("ManageEngine",)),
    ("Fortra", ("GoAnywhere",)),
    ("Cleo", ()),
    ("CrushFTP", ()),
    ("F5, Inc.", ("F5", "BIG-IP")),
    ("Juniper Networks", ("Juniper",)),
    ("Google LLC", ("Google", "グーグル", "Chrome")),
    ("Apple Inc.", ("Apple", "アップル")),
    ("Trend Micro", ("トレンドマイクロ",)),
]

EXPLOITED_CASES = [
    (
        "FortiOSの脆弱性が悪用される",
        "フォーティネットはFortiOSの脆弱性が実際に悪用されていると発表し、利用者に更新を呼びかけた。",
        {"Fortinet, Inc.": "product"},
    ),
    (
        "Ivanti製品のゼロデイを悪用する攻撃",
        "Ivanti Connect Secureのゼロデイ脆弱性を悪用する攻撃が確認された。",
        {"Ivanti, Inc.": "product"},
    ),
    (
        "Citrix Bleed 2の悪用が拡大",
        "シトリックスのNetScaler ADCの脆弱性を狙った攻撃が世界中で観測されている。",
        {"Citrix Systems": "product"},
    ),
    (
        "MOVEitの脆弱性を悪用した攻撃で多数の組織が被害",
        "Clopは、MOVEit Transferの脆弱性を悪用して多数の組織からデータを窃取した。",
        {"Progress Software": "product"},
    ),
    (
        "アクメに不正アクセス、FortiGateの脆弱性が原因",
        "アクメは、FortiGateの脆弱性を突かれ社内ネットワークに侵入されたと発表した。",
        {"Fortinet, Inc.": "product", "株式会社アクメ": "breached"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメは、VPN装置(フォーティネット製)の脆弱性を悪用され、ランサムウェアに感染した。",
        {"Fortinet, Inc.": "product"},
    ),
    (
        "アクメ不正アクセス",
        "アクメのメールサーバーにMicrosoft Exchangeの脆弱性を悪用した不正アクセスがあった。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "SharePointのゼロデイ、国内でも被害",
        "マイクロソフトのSharePoint Serverの脆弱性を悪用した攻撃で、国内企業にも被害が出ている。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "Oracle EBSの脆弱性悪用でデータ窃取",
        "オラクルのE-Business Suiteのゼロデイ脆弱性が悪用され、多数の企業からデータが盗まれた。",
        {"Oracle Corporation": "product"},
    ),
    (
        "SonicWallのSSL VPNを狙う攻撃",
        "SonicWallのSSL VPN機器を狙ったランサムウェア攻撃が急増している。",
        {"SonicWall": "product"},
    ),
    (
        "Cisco IOS XEの脆弱性悪用",
        "シスコのIOS XEに存在する脆弱性が悪用され、数万台の機器にバックドアが設置された。",
        {"Cisco Systems": "product"},
    ),
    (
        "PAN-OSのゼロデイ悪用",
        "パロアルトネットワークスのファイアウォールのゼロデイ脆弱性が悪用されている。",
        {"Palo Alto Networks": "product"},
    ),
    (
        "Confluenceの脆弱性悪用",
        "AtlassianのConfluence Data Centerの脆弱性が悪用され、ランサムウェアが展開された。",
        {"Atlassian": "product"},
    ),
    (
        "ScreenConnectの脆弱性を悪用",
        "ConnectWise ScreenConnectの認証回避の脆弱性を悪用した攻撃が確認されている。",
        {"ConnectWise": "product"},
    ),
    (
        "SAP NetWeaverのゼロデイ",
        "SAPのNetWeaverに深刻な脆弱性が見つかり、攻撃者による悪用が確認された。",
        {"SAP SE": "product"},
    ),
    (
        "GoAnywhereの脆弱性を悪用したデータ窃取",
        "FortraのGoAnywhere MFTの脆弱性を悪用し、Clopが130以上の組織からデータを盗んだ。",
        {"Fortra": "product"},
    ),
    (
        "Cleoのファイル転送ソフトに脆弱性、悪用を確認",
        "Cleoのファイル転送製品の脆弱性が悪用され、データが窃取された。",
        {"Cleo": "product"},
    ),
    (
        "BIG-IPの脆弱性を悪用する攻撃",
        "F5のBIG-IPの脆弱性を悪用した攻撃が国内外で確認されている。",
        {"F5, Inc.": "product"},
    ),
    (
        "Chromeのゼロデイを修正",
        "グーグルはChromeのゼロデイ脆弱性を修正した。この脆弱性はすでに悪用されている。",
        {"Google LLC": "product"},
    ),
    (
        "iOSの脆弱性を悪用する攻撃",
        "アップルは、iOSの脆弱性が悪用された可能性があるとして緊急アップデートを公開した。",
        {"Apple Inc.": "product"},
    ),
    (
        "トレンドマイクロ製品の脆弱性が悪用",
        "トレンドマイクロのApex Oneの脆弱性が悪用されていることが確認された。",
        {"Trend Micro": "product"},
    ),
    (
        "Acme Health breached via Fortinet flaw",
        "Hackers exploited a FortiOS vulnerability to break into Acme Health's network.",
        {"Fortinet, Inc.": "product", "Acme Health": "breached"},
    ),
    (
        "Ivanti zero-days exploited in the wild",
        "Attackers are exploiting two zero-days in Ivanti Connect Secure VPN appliances.",
        {"Ivanti, Inc.": "product"},
    ),
    (
        "CrushFTP flaw under active attack",
        "A critical authentication bypass in CrushFTP is being exploited to steal files.",
        {"CrushFTP": "product"},
    ),
    (
        "Juniper routers backdoored by Chinese hackers",
        "Chinese hackers deployed custom backdoors on Juniper Junos OS routers.",
        {"Juniper Networks": "product"},
    ),
    (
        "Hackers exploit Cleo file transfer software in data theft attacks",
        "The Clop gang claimed attacks exploiting Cleo's file-transfer products.",
        {"Cleo": "product"},
    ),
    (
        "Acme Health says data stolen in MOVEit attack",
        "Acme Health said patient data was stolen when hackers exploited MOVEit Transfer.",
        {"Progress Software": "product", "Acme Health": "breached"},
    ),
]

# A contractor's breach and the clients whose data it held, as the news tells it.
CLIENT_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ印刷", ("ベータ印刷",)),
    ("Acme Health", ()),
    ("Beta Mailing", ()),
    ("株式会社イセトー", ("イセトー",)),
    ("東京都", ()),
    ("株式会社ガンマ銀行", ("ガンマ銀行",)),
    ("Gamma Bank", ()),
    ("Delta Payroll", ()),
    ("株式会社デルタ", ("デルタ",)),
    ("Zellis", ()),
    ("British Airways", ()),
    ("Boots", ()),
    ("BBC", ()),
]

CLIENT_CASES = [
    (
        "ベータ印刷にランサムウェア攻撃、アクメの顧客情報流出の恐れ",
        "アクメが印刷業務を委託しているベータ印刷がランサムウェア攻撃を受け、アクメの顧客情報が流出した恐れがある。",
        {"株式会社アクメ": "affected", "株式会社ベータ印刷": "breached"},
    ),
    (
        "アクメ、委託先で情報漏えい",
        "アクメは、業務委託先のベータ印刷のサーバーが不正アクセスを受け、顧客情報が漏えいしたと発表した。",
        {"株式会社アクメ": "affected", "株式会社ベータ印刷": "breached"},
    ),
    (
        "ガンマ銀行の顧客情報が流出、委託先のイセトーがランサム被害",
        "ガンマ銀行は、帳票印刷を委託するイセトーがランサムウェア被害を受け、顧客情報が流出したと発表した。",
        {"株式会社ガンマ銀行": "affected", "株式会社イセトー": "breached"},
    ),
    (
        "イセトーへのランサム攻撃、東京都にも影響",
        "イセトーへのランサムウェア攻撃で、東京都の委託業務に関する個人情報が流出した。",
        {"東京都": "affected", "株式会社イセトー": "breached"},
    ),
    (
        "アクメ利用者の情報流出、システム運用会社に不正アクセス",
        "アクメのシステムを運用するデルタが不正アクセスを受け、アクメ利用者の個人情報が流出した。",
        {"株式会社アクメ": "affected", "株式会社デルタ": "breached"},
    ),
    (
        "アクメの個人情報、再委託先から流出",
        "アクメが委託したベータ印刷の再委託先で情報漏えいが発生した。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "Acme Health patients' data exposed in vendor breach",
        "Acme Health said a breach at its mailing vendor Beta Mailing exposed patient names and addresses.",
        {"Acme Health": "affected", "Beta Mailing": "breached"},
    ),
    (
        "Gamma Bank customers affected by third-party data breach",
        "Gamma Bank is notifying customers after Delta Payroll, a service provider, was hit by ransomware.",
        {"Gamma Bank": "affected", "Delta Payroll": "breached"},
    ),
    (
        "Beta Mailing hack exposes Acme Health patient data",
        "Hackers breached Beta Mailing, which sends statements for Acme Health.",
        {"Acme Health": "affected", "Beta Mailing": "breached"},
    ),
    (
        "British Airways, BBC and Boots hit by Zellis breach",
        "Payroll provider Zellis said hackers exploited a flaw in its file-transfer software, exposing staff data of British Airways, BBC and Boots.",
        {"British Airways": "affected", "BBC": "affected", "Boots": "affected", "Zellis": "breached"},
    ),
    (
        "Acme Health notifies patients of breach at billing contractor",
        "The billing contractor, Delta Payroll, discovered that an unauthorized party accessed its systems.",
        {"Acme Health": "affected", "Delta Payroll": "breached"},
    ),
    (
        "Gamma Bank says supplier was hacked",
        "Gamma Bank said one of its suppliers, Beta Mailing, suffered a ransomware attack that exposed some customer data.",
        {"Gamma Bank": "affected", "Beta Mailing": "breached"},
    ),
]

# The victim's software or platform: its site, store, account, repository, bucket or share (the issue: a platform named
# as the victim's software is never alerted as breached).
PLATFORM_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("Acme Health", ()),
    ("Epic Games", ()),
    ("vBulletin Solutions", ("vBulletin",)),
    ("WordPress", ()),
    ("EC-CUBE", ()),
    ("Shopify", ()),
    ("Adobe", ("Magento", "Adobe Commerce")),
    ("Salesforce", ("セールスフォース",)),
    ("Snowflake Inc.", ("Snowflake",)),
    ("Google LLC", ("Google", "グーグル", "Google Drive", "Googleドライブ")),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト", "Microsoft 365")),
    ("Box, Inc.", ("Box",)),
    ("サイボウズ株式会社", ("サイボウズ", "kintone")),
    ("MongoDB", ()),
    ("Elastic N.V.", ("Elasticsearch",)),
    ("Amazon Web Services", ("AWS", "Amazon S3")),
    ("Atlassian", ("Jira", "Confluence")),
    ("Slack Technologies", ("Slack",)),
    ("Zendesk", ()),
    ("GitHub", ()),
    ("Okta Inc.", ("Okta",)),
]

PLATFORM_CASES = [
    (
        "Acme Health",
        "In 2013, the vBulletin forum for the social engineering site known as Acme Health was breached.",
        {"vBulletin Solutions": "product", "Acme Health": "breached"},
    ),
    (
        "Epic Games",
        "In 2015, an Epic Games service known as Acme Health suffered a data breach exposing 300k email addresses.",
        {"Epic Games": ("breached", "mentioned"), "Acme Health": "breached"},
    ),
    (
        "Acme Health confirms hackers breached its consulting GitHub instance",
        "Acme Health said the attackers stole data from a GitHub instance used by its consulting team.",
        {"GitHub": "product", "Acme Health": "breached"},
    ),
    (
        "Acme Health's engineering Jira workspace exposed",
        "Acme Health said tickets in the workspace were visible to anyone with the link.",
        {"Atlassian": "product", "Acme Health": "breached"},
    ),
    (
        "Epic Games forum hacked",
        "The Epic Games forum, which ran on an outdated version of vBulletin, was breached.",
        {"vBulletin Solutions": "product"},
    ),
    (
        "アクメのECサイトに不正アクセス",
        "アクメがEC-CUBEで構築したECサイトが不正アクセスを受け、カード情報が流出した。",
        {"EC-CUBE": "product"},
    ),
    (
        "アクメのWordPressサイトが改ざん",
        "アクメの公式サイト(WordPress)が改ざんされ、不正なスクリプトが埋め込まれた。",
        {"WordPress": "product"},
    ),
    (
        "Acme Health web store skimmed",
        "Attackers injected a card skimmer into Acme Health's Magento checkout page.",
        {"Adobe": "product"},
    ),
    (
        "Acme Health Shopify store breached",
        "Customer data from Acme Health's Shopify store was exposed.",
        {"Shopify": "product"},
    ),
    (
        "アクメ、Salesforceから顧客情報流出",
        "アクメが利用するSalesforceの環境から顧客情報が流出した。",
        {"Salesforce": "product"},
    ),
    (
        "Acme Health data stolen from Snowflake account",
        "Hackers stole Acme Health's data from its Snowflake account using stolen credentials.",
        {"Snowflake Inc.": "product"},
    ),
    (
        "アクメ、Googleドライブの共有設定ミスで情報公開",
        "アクメはGoogleドライブの共有設定の誤りにより、顧客情報が閲覧可能な状態だったと発表した。",
        {"Google LLC": "product"},
    ),
    (
        "アクメ社員のMicrosoft 365アカウントに不正ログイン",
        "アクメの社員のMicrosoft 365アカウントが不正ログインされ、迷惑メールが送信された。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "アクメ、Boxの共有リンクから情報漏えい",
        "アクメがBoxで共有していたファイルが、リンクを知る第三者から閲覧可能になっていた。",
        {"Box, Inc.": "product"},
    ),
    (
        "アクメ、kintoneの設定不備で個人情報閲覧可能に",
        "アクメがkintoneで作成したアプリの公開設定の不備により、個人情報が閲覧可能だった。",
        {"サイボウズ株式会社": "product"},
    ),
    (
        "Acme Health exposed patient data in open MongoDB database",
        "An unprotected MongoDB database belonging to Acme Health exposed 1 million records.",
        {"MongoDB": "product"},
    ),
    (
        "Acme Health leaks data via exposed Elasticsearch server",
        "Acme Health left an Elasticsearch server open without a password.",
        {"Elastic N.V.": "product"},
    ),
    (
        "Acme Health exposes files in misconfigured Amazon S3 bucket",
        "A misconfigured Amazon S3 bucket left Acme Health files public.",
        {"Amazon Web Services": "product"},
    ),
    (
        "アクメ、AWS上のデータが外部から閲覧可能に",
        "アクメはAWS上に保存していた顧客データが外部から閲覧可能な状態だったと発表した。",
        {"Amazon Web Services": "product"},
    ),
    (
        "Acme Health Jira instance exposed",
        "Attackers accessed Acme Health's Jira server using stolen credentials.",
        {"Atlassian": "product"},
    ),
    (
        "Hackers breach Acme Health through Slack",
        "The attackers stole an employee's Slack token and accessed internal channels of Acme Health.",
        {"Slack Technologies": "product"},
    ),
    (
        "Acme Health support data stolen from Zendesk",
        "Hackers accessed Acme Health's Zendesk instance and downloaded support tickets.",
        {"Zendesk": "product"},
    ),
    (
        "Acme Health source code leaked from GitHub",
        "An attacker gained access to Acme Health's private GitHub repositories.",
        {"GitHub": "product"},
    ),
    (
        "アクメのGitHubリポジトリに不正アクセス",
        "アクメのGitHubリポジトリに不正アクセスがあり、ソースコードが流出した。",
        {"GitHub": "product"},
    ),
    (
        "Acme Health hit via Okta account",
        "Attackers used a stolen Okta session to access Acme Health's systems.",
        {"Okta Inc.": "product"},
    ),
]

# Brands impersonated, an agency listing a flaw, a parent in an aside, several victims, a vendor telling its own breach.
BRAND_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("アクメホールディングス株式会社", ("アクメHD",)),
    ("Acme Health", ()),
    ("Beta Bank", ()),
    ("Amazon.com, Inc.", ("Amazon", "アマゾン")),
    ("楽天グループ株式会社", ("楽天",)),
    ("ヤマト運輸株式会社", ("ヤマト運輸",)),
    ("三井住友カード株式会社", ("三井住友カード",)),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("PayPal", ()),
    ("DHL", ()),
    ("Ivanti, Inc.", ("Ivanti",)),
    ("CISA", ()),
    ("Fortinet", ("フォーティネット",)),
]

BRAND_CASES = [
    (
        "アクメとベータで情報漏えい",
        "アクメとベータは、共同で運営するサイトが不正アクセスを受けたと発表した。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "breached"},
    ),
    (
        "アマゾンを装うフィッシングメールに注意",
        "アマゾンを装ったフィッシングメールが確認されている。",
        {"Amazon.com, Inc.": "mentioned"},
    ),
    (
        "楽天をかたるSMSで不正ログイン被害",
        "楽天をかたるSMSから偽サイトに誘導され、IDとパスワードが盗まれる被害が相次いでいる。",
        {"楽天グループ株式会社": "mentioned"},
    ),
    (
        "ヤマト運輸の不在通知を装ったSMS",
        "ヤマト運輸の不在通知を装ったSMSで、マルウェアに感染する被害が確認された。",
        {"ヤマト運輸株式会社": "mentioned"},
    ),
    (
        "三井住友カードの偽サイトに注意",
        "三井住友カードの偽サイトでカード情報を入力させる手口が確認された。",
        {"三井住友カード株式会社": "mentioned"},
    ),
    (
        "Phishing campaign impersonates PayPal",
        "Attackers sent emails posing as PayPal to steal login credentials.",
        {"PayPal": "mentioned"},
    ),
    (
        "DHL-themed phishing spreads malware",
        "A DHL-themed phishing campaign is delivering an infostealer.",
        {"DHL": "mentioned"},
    ),
    (
        "CISA adds Ivanti flaw to KEV catalog",
        "CISA added an Ivanti EPMM vulnerability to its Known Exploited Vulnerabilities catalog.",
        {"Ivanti, Inc.": "product", "CISA": "mentioned"},
    ),
    (
        "CISA、フォーティネット製品の脆弱性をKEVに追加",
        "CISAはフォーティネットのFortiWebの脆弱性を既知の悪用された脆弱性カタログに追加した。",
        {"Fortinet": "product"},
    ),
    (
        "アクメにランサム攻撃",
        "アクメは、アクメHD傘下の物流会社で、ランサムウェア攻撃を受けた。",
        {"株式会社アクメ": "breached", "アクメホールディングス株式会社": "mentioned"},
    ),
    (
        "マイクロソフト、ロシア系ハッカーによる社内メール侵害を公表",
        "マイクロソフトは、ロシア系のハッカー集団が同社の幹部のメールアカウントに不正アクセスしたと発表した。",
        {"Microsoft Corporation": "breached"},
    ),
    (
        "Microsoft says Russian hackers breached its corporate email",
        "Microsoft said the Midnight Blizzard group accessed email accounts of its senior leadership.",
        {"Microsoft Corporation": "breached"},
    ),
]

# Investigators, insurers and the targets of a campaign, named beside a victim's breach.
INVESTIGATOR_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ラック", ("ラック",)),
    ("トレンドマイクロ株式会社", ("トレンドマイクロ",)),
    ("Mandiant", ()),
    ("株式会社サイバーディフェンス研究所", ("サイバーディフェンス研究所",)),
    ("株式会社ブロードバンドセキュリティ", ("ブロードバンドセキュリティ",)),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Google LLC", ("Google", "グーグル")),
    ("東京海上日動火災保険株式会社", ("東京海上日動",)),
    ("NEC", ("日本電気",)),
    ("Acme Health", ()),
    ("CrowdStrike", ()),
    ("Palo Alto Networks", ("Unit 42",)),
]

INVESTIGATOR_CASES = [
    ("アクメに不正アクセス", "アクメは、外部専門機関であるラックに調査を依頼した。", {"株式会社ラック": "mentioned"}),
    (
        "アクメに不正アクセス",
        "アクメは、フォレンジック調査をサイバーディフェンス研究所に委託し、侵入経路を調べている。",
        {"株式会社サイバーディフェンス研究所": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメは、トレンドマイクロなど外部のセキュリティ専門家と協力し、復旧を進めている。",
        {"トレンドマイクロ株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "調査を担当したブロードバンドセキュリティは、侵入経路をVPN機器と特定した。",
        {"株式会社ブロードバンドセキュリティ": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメは東京海上日動のサイバー保険に加入しており、調査費用は保険で賄われる。",
        {"東京海上日動火災保険株式会社": "mentioned"},
    ),
    (
        "アクメ、不正アクセスの調査結果を公表",
        "アクメは、NECの支援のもとで実施した調査の結果、約2万件の個人情報が流出したと発表した。",
        {"NEC": "mentioned"},
    ),
    (
        "MicrosoftやGoogleを狙う攻撃キャンペーン",
        "攻撃者は、MicrosoftやGoogleなど大手企業の従業員を狙ったフィッシングを展開している。",
        {"Microsoft Corporation": "mentioned", "Google LLC": "mentioned"},
    ),
    (
        "Acme Health breach",
        "Acme Health retained CrowdStrike to conduct a forensic investigation.",
        {"CrowdStrike": "mentioned"},
    ),
    (
        "Acme Health breach",
        "A forensic investigation by CrowdStrike found the attackers used stolen VPN credentials.",
        {"CrowdStrike": "mentioned"},
    ),
    (
        "Acme Health breach",
        "Acme Health, with the assistance of Mandiant, determined that patient data was accessed.",
        {"Mandiant": "mentioned"},
    ),
    (
        "Acme Health breach",
        "Unit 42, which responded to the incident, said the attackers stole 2 TB of data.",
        {"Palo Alto Networks": "mentioned"},
    ),
    (
        "Campaign targets Microsoft and Google users",
        "Attackers are targeting users of Microsoft and Google accounts with a new phishing kit.",
        {"Microsoft Corporation": "mentioned", "Google LLC": "mentioned"},
    ),
]

# Software supply chain and the victim's own installations, in English breach reports.
SUPPLY_VENDORS = [
    ("Acme Health", ()),
    ("3CX", ()),
    ("SolarWinds", ()),
    ("Kaseya", ("Kaseya VSA",)),
    ("ConnectWise", ("ScreenConnect",)),
    ("Atlassian", ("Confluence",)),
    ("Cleo", ()),
    ("Progress Software", ("MOVEit",)),
    ("Microsoft Corporation", ("Microsoft",)),
    ("Okta Inc.", ("Okta",)),
    ("Sitel", ()),
    ("Twilio", ()),
    ("Cloudflare", ()),
    ("Citrix", ()),
    ("Veeam", ()),
    ("VMware", ()),
    ("Fortinet", ("FortiGate",)),
    ("Zoho", ("ManageEngine",)),
    ("AnyDesk", ()),
    ("TeamViewer", ()),
    ("PaperCut", ()),
    ("Barracuda Networks", ("Barracuda",)),
    ("Ivanti", ()),
    ("GitLab", ()),
    ("Jenkins", ()),
    ("CircleCI", ()),
    ("LastPass", ()),
    ("Accellion", ()),
]

SUPPLY_CASES = [
    (
        "Acme Health hit by 3CX supply chain attack",
        "A trojanized version of the 3CX desktop app installed malware on Acme Health computers.",
        {"3CX": "product", "Acme Health": "breached"},
    ),
    (
        "Acme Health among SolarWinds hack victims",
        "Acme Health said it had installed the backdoored SolarWinds Orion update.",
        {"SolarWinds": "product", "Acme Health": "breached"},
    ),
    (
        "Ransomware spreads through Kaseya VSA",
        "Attackers pushed ransomware to Acme Health through its MSP's Kaseya VSA server.",
        {"Kaseya": "product"},
    ),
    (
        "Acme Health breached via ScreenConnect flaw",
        "Hackers exploited an authentication bypass in ConnectWise ScreenConnect to access Acme Health's network.",
        {"ConnectWise": "product", "Acme Health": "breached"},
    ),
    (
        "Acme Health data stolen in Cleo attacks",
        "Clop stole Acme Health files by exploiting Cleo file transfer software.",
        {"Cleo": "product", "Acme Health": "breached"},
    ),
    (
        "Acme Health says Okta breach exposed support files",
        "Acme Health said the breach of Okta's support system exposed HAR files it had uploaded.",
        {"Okta Inc.": "breached", "Acme Health": "affected"},
    ),
    (
        "Acme Health hacked using stolen VMware ESXi credentials",
        "The attackers encrypted Acme Health's VMware ESXi hosts.",
        {"VMware": "product"},
    ),
    (
        "Ransomware gang abuses AnyDesk to breach Acme Health",
        "The attackers installed AnyDesk for remote access and then deployed ransomware.",
        {"AnyDesk": "product"},
    ),
    (
        "Acme Health breach traced to unpatched PaperCut server",
        "The intruders exploited a PaperCut vulnerability on an internet-facing print server.",
        {"PaperCut": "product"},
    ),
    (
        "Barracuda ESG zero-day used to breach Acme Health",
        "Chinese hackers exploited a zero-day in Barracuda Email Security Gateway appliances.",
        {"Barracuda Networks": "product"},
    ),
    (
        "LastPass breach: stolen vaults used to drain crypto",
        "Attackers who breached LastPass in 2022 cracked stolen password vaults.",
        {"LastPass": "breached"},
    ),
    (
        "CircleCI tells customers to rotate secrets after breach",
        "CircleCI said malware on an engineer's laptop stole an SSO session.",
        {"CircleCI": "breached"},
    ),
    (
        "Accellion FTA attacks hit Acme Health",
        "Acme Health was among the organisations whose data was stolen through the legacy Accellion File Transfer Appliance.",
        {"Accellion": "product", "Acme Health": "breached"},
    ),
    (
        "Acme Health hit by attack on Jenkins server",
        "Attackers exploited a Jenkins vulnerability to access source code.",
        {"Jenkins": "product"},
    ),
    (
        "GitLab patches critical flaw exploited in attacks",
        "GitLab released fixes for an account takeover flaw that is being exploited.",
        {"GitLab": "product"},
    ),
    (
        "Microsoft Exchange servers hacked in Acme Health breach",
        "The attackers exploited ProxyLogon flaws on Acme Health's on-premises Microsoft Exchange servers.",
        {"Microsoft Corporation": "product", "Acme Health": "breached"},
    ),
]

# Bystanders beside a victim: its clients, partners, auditors, acquirer, rivals, law firms, customers' suppliers.
BYSTANDER_VENDORS = [
    ("Acme Health", ()),
    ("Microsoft Corporation", ("Microsoft",)),
    ("Google LLC", ("Google",)),
    ("Beta Corp", ()),
    ("Morgan & Morgan", ()),
    ("Deloitte", ()),
    ("KPMG", ()),
    ("Amazon Web Services", ("AWS",)),
    ("Salesforce", ()),
    ("Coinbase", ()),
    ("Binance", ()),
    ("Kraken", ()),
    ("Visa", ()),
    ("Mastercard", ()),
    ("Apple Inc.", ("Apple",)),
    ("Samsung", ()),
    ("株式会社アクメ", ("アクメ",)),
    ("トヨタ自動車株式会社", ("トヨタ",)),
    ("株式会社デンソー", ("デンソー",)),
    ("ソニーグループ株式会社", ("ソニー",)),
]

BYSTANDER_CASES = [
    (
        "Acme Health data breach",
        "Acme Health, whose clients include Microsoft and Google, said attackers stole customer files.",
        {"Microsoft Corporation": "mentioned", "Google LLC": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Law firm Morgan & Morgan has filed a class action lawsuit over the Acme Health breach.",
        {"Morgan & Morgan": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Acme Health, a Microsoft partner, disclosed that hackers accessed its network.",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "Acme Health said Deloitte had audited its security controls last year.",
        {"Deloitte": "mentioned"},
    ),
    (
        "Acme Health data breach",
        "The breach comes as Acme Health prepares to be acquired by Beta Corp.",
        {"Beta Corp": "mentioned"},
    ),
    (
        "Coinbase discloses breach after insiders leaked data",
        "Coinbase said rogue support agents leaked customer data; rivals Binance and Kraken were also targeted.",
        {"Coinbase": "breached", "Binance": "mentioned", "Kraken": "mentioned"},
    ),
    (
        "Acme Health app leaked user data",
        "The Acme Health app for Apple and Samsung phones exposed user data through an unsecured API.",
        {"Apple Inc.": "mentioned", "Samsung": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメはトヨタやデンソーなどに部品を供給しており、影響が懸念される。",
        {"トヨタ自動車株式会社": "mentioned", "株式会社デンソー": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメの主要取引先であるトヨタは、生産への影響はないとしている。",
        {"トヨタ自動車株式会社": "mentioned"},
    ),
    (
        "アクメで個人情報漏えい",
        "アクメは、ソニーの元社員が設立した企業である。",
        {"ソニーグループ株式会社": "mentioned"},
    ),
]

# The attackers' earlier victims, a joint-venture partner, the maker of the victim's system, a share price, an agent's
# principal.
PAST_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("アスクル株式会社", ("アスクル",)),
    ("アサヒグループホールディングス", ("アサヒ",)),
    ("株式会社KADOKAWA", ("KADOKAWA",)),
    ("日本電気株式会社", ("NEC",)),
    ("富士通株式会社", ("富士通",)),
    ("株式会社日立製作所", ("日立製作所", "日立")),
    ("ソフトバンク株式会社", ("ソフトバンク",)),
    ("三菱電機株式会社", ("三菱電機",)),
    ("Acme Health", ()),
    ("MGM Resorts", ()),
    ("Caesars Entertainment", ()),
    ("Clorox", ()),
]

PAST_CASES = [
    (
        "アクメにランサムウェア攻撃",
        "同グループはこれまでにアサヒやアスクルを攻撃したとされる。アクメは被害状況を調査中だ。",
        {"アサヒグループホールディングス": "mentioned", "アスクル株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "Qilinは、これまでにアサヒグループホールディングスなど国内企業への攻撃で知られる。",
        {"アサヒグループホールディングス": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメは、NECとの合弁会社で、システム障害が発生した。",
        {"日本電気株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメは、富士通が開発した業務システムがランサムウェアに感染したと発表した。",
        {"富士通株式会社": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "アクメのサイバー攻撃を受け、取引先の日立製作所の株価も下落した。",
        {"株式会社日立製作所": "mentioned"},
    ),
    (
        "アクメで情報漏えい",
        "アクメは、ソフトバンクの正規代理店として携帯電話を販売しており、顧客情報が流出した。",
        {"ソフトバンク株式会社": "affected"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "今回の攻撃は、三菱電機への攻撃で使われた手口と似ている。",
        {"三菱電機株式会社": "mentioned"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "KADOKAWAへの攻撃を行ったBlackSuitが、今回も犯行声明を出した。",
        {"株式会社KADOKAWA": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "The group is the same one behind attacks on MGM Resorts and Caesars Entertainment last year.",
        {"MGM Resorts": "mentioned", "Caesars Entertainment": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "Scattered Spider has previously hit MGM Resorts, Caesars Entertainment and Clorox.",
        {"MGM Resorts": "mentioned", "Clorox": "mentioned"},
    ),
    (
        "Acme Health hit by ransomware",
        "The gang, which attacked Clorox in 2023, claimed responsibility.",
        {"Clorox": "mentioned"},
    ),
]

# The incidents the project was written for, told afresh (the role set's own items tell them otherwise).
FAMOUS_VENDORS = [
    ("Okta Inc.", ("Okta",)),
    ("Sitel Group", ("Sitel",)),
    ("Kaseya", ("Kaseya VSA",)),
    ("Coop Sweden", ("Coop",)),
    ("NAVER Cloud", ("NAVER Cloud", "ネイバークラウド")),
    ("LINEヤフー株式会社", ("LINEヤフー", "LY Corporation")),
    ("Plume Design", ("Plume",)),
    ("JCOM株式会社", ("JCOM", "J:COM")),
    ("アフラック生命保険株式会社", ("アフラック", "Aflac")),
    ("チューリッヒ保険会社", ("チューリッヒ", "Zurich")),
    ("株式会社KADOKAWA", ("KADOKAWA",)),
    ("株式会社ドワンゴ", ("ドワンゴ",)),
    ("Snowflake Inc.", ("Snowflake",)),
    ("Ticketmaster", ()),
    ("AT&T", ()),
    ("Salesloft", ("Salesloft Drift", "Drift")),
    ("Cloudflare", ()),
    ("Progress Software", ("MOVEit", "MOVEit Transfer")),
    ("Shell", ()),
    ("British Airways", ()),
    ("3CX", ()),
    ("Trading Technologies", ()),
    ("CDK Global", ()),
    ("Lithia Motors", ()),
    ("Change Healthcare", ()),
    ("UnitedHealth Group", ()),
]

FAMOUS_CASES = [
    (
        "Okta says hackers accessed its support system",
        "Hackers used stolen credentials to view files that customers uploaded to Okta's support case management system.",
        {"Okta Inc.": "breached"},
    ),
    (
        "Okta breach: attacker accessed Sitel engineer's laptop",
        "The Lapsus$ group compromised a workstation of a Sitel support engineer, a third-party contractor for Okta.",
        {"Sitel Group": "breached", "Okta Inc.": "affected"},
    ),
    (
        "Coop closes 800 stores after Kaseya ransomware attack",
        "Swedish supermarket chain Coop shut stores after REvil hit its IT provider through Kaseya VSA.",
        {"Kaseya": ("product", "breached"), "Coop Sweden": "breached"},
    ),
    (
        "LINEヤフー、NAVER Cloud経由で不正アクセス",
        "LINEヤフーは、委託先であるNAVER Cloudの委託先企業の従業員PCがマルウェアに感染し、不正アクセスを受けたと発表した。",
        {"LINEヤフー株式会社": "affected"},
    ),
    (
        "J:COM利用者の情報流出、Plumeの委託先で",
        "J:COMのWi-Fiサービスを提供するPlume Designの委託先が不正アクセスを受け、利用者情報が流出した。",
        {"JCOM株式会社": "affected"},
    ),
    (
        "アフラックとチューリッヒで顧客情報流出",
        "アフラックとチューリッヒは、業務委託先の米国企業のサーバーから顧客情報が流出したと発表した。",
        {"アフラック生命保険株式会社": "affected", "チューリッヒ保険会社": "affected"},
    ),
    (
        "KADOKAWAへのランサムウェア攻撃、ドワンゴの情報も流出",
        "KADOKAWAグループへのサイバー攻撃で、子会社ドワンゴの従業員情報が流出した。",
        {"株式会社KADOKAWA": "breached"},
    ),
    (
        "Ticketmaster confirms breach tied to Snowflake account",
        "Live Nation said the data was stolen from a Ticketmaster database hosted by Snowflake.",
        {"Ticketmaster": "breached", "Snowflake Inc.": "product"},
    ),
    (
        "AT&T says call records stolen from Snowflake workspace",
        "AT&T said hackers downloaded call records of nearly all its customers from its Snowflake workspace.",
        {"AT&T": "breached", "Snowflake Inc.": "product"},
    ),
    (
        "Cloudflare hit by Salesloft Drift breach",
        "Cloudflare said attackers used stolen Salesloft Drift tokens to access its Salesforce instance.",
        {"Cloudflare": "breached", "Salesloft": ("product", "breached")},
    ),
    (
        "Shell confirms MOVEit breach",
        "Shell said a small number of employees' data was accessed through the MOVEit Transfer tool.",
        {"Shell": "breached", "Progress Software": "product"},
    ),
    (
        "Trading Technologies installer led to 3CX hack",
        "The 3CX supply chain attack began with a trojanized Trading Technologies installer downloaded by an employee.",
        {"Trading Technologies": "product", "3CX": ("breached", "product")},
    ),
    (
        "CDK Global cyberattack disrupts car dealers",
        "A ransomware attack on CDK Global took down the dealer software used by Lithia Motors and thousands of others.",
        {"CDK Global": "breached", "Lithia Motors": "affected"},
    ),
    (
        "Change Healthcare attack hits UnitedHealth results",
        "UnitedHealth Group said the ransomware attack on its Change Healthcare unit cost $872 million.",
        {"Change Healthcare": "breached"},
    ),
]

# Outsourcing told by what the contractor does for its client, in both languages.
OUTSOURCED_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("株式会社ガンマ", ("ガンマ",)),
    ("Acme Health", ()),
    ("Beta Billing", ()),
    ("Gamma Pay", ()),
]

OUTSOURCED_CASES = [
    (
        "ベータに不正アクセス、アクメの顧客情報流出",
        "アクメから業務を受託していたベータのサーバーが不正アクセスを受け、アクメの顧客情報が流出した。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "アクメの顧客情報流出",
        "アクメが業務を委託していたベータのサーバーに不正アクセスがあり、顧客情報が流出した。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "アクメ、委託先ベータでランサム被害",
        "アクメの業務委託先であるベータ社のサーバーがランサムウェアに感染した。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "アクメ会員情報が流出",
        "アクメが利用するクラウドサービスを運営するベータが不正アクセスを受け、アクメの会員情報が流出した。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "ベータでランサム被害、アクメとガンマに影響",
        "アクメ向けのシステムを開発・運用するベータがランサムウェア攻撃を受け、アクメとガンマの業務に影響が出ている。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected", "株式会社ガンマ": "affected"},
    ),
    (
        "アクメ、再委託先からの情報流出を公表",
        "アクメは、委託先ベータの再委託先ガンマで発生した不正アクセスにより、顧客情報が流出したと発表した。",
        {"株式会社アクメ": "affected", "株式会社ガンマ": "breached"},
    ),
    (
        "Acme Health patients notified of billing vendor breach",
        "A third-party vendor used by Acme Health for billing, Beta Billing, was hit by ransomware.",
        {"Acme Health": "affected", "Beta Billing": "breached"},
    ),
    (
        "Acme Health card data exposed",
        "Acme Health's third-party payment processor Gamma Pay said hackers accessed card data.",
        {"Acme Health": "affected", "Gamma Pay": "breached"},
    ),
    (
        "Beta Billing breach exposes patient data",
        "Beta Billing, which handles billing for Acme Health, said attackers stole patient records.",
        {"Acme Health": "affected", "Beta Billing": "breached"},
    ),
    (
        "Acme Health says billing firm was hacked",
        "Acme Health said its billing company, Beta Billing, discovered unauthorized access to its systems.",
        {"Acme Health": "affected", "Beta Billing": "breached"},
    ),
]

# Japanese breach notices naming the software that let the attackers in, and victims told with their address.
JA_PRODUCT_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("Sky株式会社", ("SKYSEA Client View", "SKYSEA")),
    ("シックス・アパート株式会社", ("Movable Type", "シックス・アパート")),
    ("Apache Software Foundation", ("Apache", "Log4j")),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Fortinet", ("フォーティネット",)),
    ("Cisco Systems", ("Cisco", "シスコ")),
]

JA_PRODUCT_CASES = [
    (
        "アクメに不正アクセス",
        "アクメ(東京都港区)は、外部からの不正アクセスにより顧客情報が流出した可能性があると発表した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメで情報漏えいの恐れ",
        "アクメ（本社：大阪市）は、サーバーがランサムウェアに感染したと公表した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメに不正アクセス",
        "アクメは、SKYSEA Client Viewの脆弱性を悪用した不正アクセスを受けた。",
        {"Sky株式会社": "product", "株式会社アクメ": "breached"},
    ),
    (
        "アクメのサイトが改ざん",
        "アクメのWebサイトで利用しているMovable Typeの脆弱性が悪用され、サイトが改ざんされた。",
        {"シックス・アパート株式会社": "product"},
    ),
    (
        "アクメに不正アクセス",
        "攻撃者は、Log4jの脆弱性を突いてアクメのサーバーに侵入した。",
        {"Apache Software Foundation": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "攻撃者は、マイクロソフトのリモートデスクトップ(RDP)経由でアクメのネットワークに侵入した。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "アクメにランサムウェア攻撃",
        "フォーティネット製のファイアウォールを経由して侵入された。",
        {"Fortinet": "product"},
    ),
    ("アクメにランサムウェア攻撃", "侵入経路は、シスコ製VPN機器の脆弱性とみられる。", {"Cisco Systems": "product"}),
    (
        "ベータへの不正アクセスでアクメ利用者の情報流出",
        "アクメのサービス利用者の情報が、ベータへの不正アクセスにより流出した。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "アクメとベータで不正ログイン被害",
        "アクメとベータの会員サイトで、リスト型攻撃による不正ログインが確認された。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "breached"},
    ),
]

# Platforms the lure came through, the victim's cloud keys and provider, a notice's own words.
CHANNEL_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("Acme Health", ()),
    ("Beta Cloud", ()),
    ("Google LLC", ("Google", "グーグル", "Chrome")),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト", "Microsoft Teams")),
    ("Amazon Web Services", ("AWS",)),
    ("GitHub", ()),
    ("Snowflake Inc.", ("Snowflake",)),
    ("Gamma Retail", ()),
]

CHANNEL_CASES = [
    (
        "Chrome拡張機能に悪意あるコード、閲覧履歴を窃取",
        "Chromeの拡張機能に悪意あるコードが仕込まれ、利用者の閲覧履歴が盗まれた。",
        {"Google LLC": ("product", "mentioned")},
    ),
    (
        "Microsoft Teams経由のフィッシングでアクメが被害",
        "攻撃者はMicrosoft Teamsのチャットを利用して従業員をだまし、認証情報を盗んだ。アクメは不正アクセスを受けた。",
        {"Microsoft Corporation": ("product", "mentioned"), "株式会社アクメ": "breached"},
    ),
    (
        "アクメのAWSアクセスキーが流出",
        "アクメの開発者が誤ってAWSのアクセスキーをGitHub上で公開し、不正利用された。",
        {"Amazon Web Services": "product", "GitHub": "mentioned", "株式会社アクメ": "breached"},
    ),
    (
        "Googleの検索広告を悪用したマルウェア配布",
        "攻撃者はGoogleの検索広告を悪用し、偽サイトに誘導してマルウェアを配布している。",
        {"Google LLC": "mentioned"},
    ),
    (
        "Acme Health warns patients after Beta Cloud incident",
        "Acme Health said patient records hosted by its cloud provider Beta Cloud were accessed by an unauthorized party.",
        {"Acme Health": "affected", "Beta Cloud": "breached"},
    ),
    (
        "Gamma Retail users' data leaked in Snowflake account breach",
        "Hackers stole Gamma Retail customer data from its Snowflake account.",
        {"Gamma Retail": "breached", "Snowflake Inc.": "product"},
    ),
]

# A victim's accounts on a platform, and a provider running the client's system.
SERVICE_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("Acme Health", ()),
    ("Beta Systems", ()),
    ("楽天グループ株式会社", ("楽天",)),
    ("株式会社NTTドコモ", ("ドコモ", "NTTドコモ")),
    ("LINEヤフー株式会社", ("LINEヤフー", "LINE")),
    ("Google LLC", ("Google",)),
    ("Apple Inc.", ("Apple",)),
]

SERVICE_CASES = [
    (
        "アクメのLINE公式アカウントが乗っ取り",
        "アクメのLINE公式アカウントが第三者に乗っ取られ、不審なメッセージが送信された。",
        {"LINEヤフー株式会社": ("product", "mentioned"), "株式会社アクメ": "breached"},
    ),
    (
        "Acme Health app exposed user data via Google Firebase",
        "A misconfigured Google Firebase database used by the Acme Health app exposed user records.",
        {"Google LLC": "product", "Acme Health": "breached"},
    ),
    (
        "Beta Systems ransomware hits Acme Health operations",
        "A ransomware attack on Beta Systems, which runs Acme Health's scheduling software, disrupted appointments.",
        {"Beta Systems": "breached", "Acme Health": "affected"},
    ),
    (
        "アクメ、ベータのシステム障害で業務停止",
        "アクメは、システムを提供するベータがランサムウェア攻撃を受けた影響で、受注業務を停止した。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected"},
    ),
    (
        "Phishing kit targets Apple ID users",
        "A new phishing kit mimics Apple ID login pages to steal credentials.",
        {"Apple Inc.": "mentioned"},
    ),
]

# English advisories: a product alert only where exploitation is told, and not where the maker says none was seen.
ADVISORY_VENDORS = [
    ("Fortinet", ("FortiWeb",)),
    ("Microsoft Corporation", ("Microsoft",)),
    ("Google LLC", ("Google", "Chrome")),
    ("Apple Inc.", ("Apple",)),
    ("Cisco Systems", ("Cisco",)),
    ("SonicWall", ()),
    ("VMware", ()),
    ("Oracle Corporation", ("Oracle",)),
    ("Adobe Inc.", ("Adobe",)),
]

ADVISORY_CASES = [
    (
        "Fortinet warns of FortiWeb zero-day exploited in attacks",
        "Fortinet released a patch for a FortiWeb flaw that attackers are exploiting.",
        {"Fortinet": "product"},
    ),
    (
        "Microsoft Patch Tuesday fixes three actively exploited zero-days",
        "Microsoft fixed 60 flaws, three of them exploited in the wild.",
        {"Microsoft Corporation": "product"},
    ),
    (
        "Google fixes Chrome zero-day exploited in the wild",
        "Google released an emergency update for Chrome.",
        {"Google LLC": "product"},
    ),
    (
        "Apple patches iOS flaws used in spyware attacks",
        "Apple fixed two iOS vulnerabilities that were used in attacks against specific individuals.",
        {"Apple Inc.": "product"},
    ),
    (
        "SonicWall urges customers to patch flaw under attack",
        "SonicWall said a critical SMA flaw is under active exploitation.",
        {"SonicWall": "product"},
    ),
    (
        "VMware fixes ESXi bugs demonstrated at Pwn2Own",
        "VMware released patches for ESXi bugs demonstrated at the hacking contest.",
        {"VMware": "mentioned"},
    ),
    (
        "Oracle releases 300 patches in quarterly update",
        "Oracle's Critical Patch Update fixes 300 vulnerabilities across its products.",
        {"Oracle Corporation": "mentioned"},
    ),
    (
        "Adobe fixes critical Acrobat flaws",
        "Adobe patched critical vulnerabilities in Acrobat and Reader; it is not aware of exploits in the wild.",
        {"Adobe Inc.": "mentioned"},
    ),
]

# Japanese advisories: exploitation told or denied.
JA_ADVISORY_VENDORS = [
    ("Fortinet", ("フォーティネット", "FortiOS", "FortiGate")),
    ("Ivanti", ()),
    ("トレンドマイクロ株式会社", ("トレンドマイクロ",)),
    ("サイボウズ株式会社", ("サイボウズ", "Garoon")),
    ("Cisco Systems", ("シスコ", "Cisco")),
    ("JPCERT/CC", ("JPCERT/CC", "JPCERT")),
    ("Citrix", ("シトリックス",)),
]

JA_ADVISORY_CASES = [
    (
        "Citrix製品に重大な脆弱性発見",
        "CitrixのNetScalerに重大な脆弱性が存在し、悪用されると顧客アカウントの乗っ取りが可能となる。",
        {"Citrix": "mentioned"},
    ),
    (
        "Ivantiの認証バイパス脆弱性悪用",
        "Ivantiの認証バイパス脆弱性が攻撃者により悪用され、機密情報への不正アクセスが確認された。",
        {"Ivanti": "product"},
    ),
    (
        "トレンドマイクロの研究者が脆弱性を報告",
        "トレンドマイクロの研究者が発見した脆弱性について、Citrixは修正を公開した。悪用は確認されていない。",
        {"トレンドマイクロ株式会社": "mentioned", "Citrix": "mentioned"},
    ),
    # what could be, and how a flaw works, is not exploitation told (session 13)
    (
        "サイボウズ、Garoonの権限昇格脆弱性を修正",
        "サイボウズはGaroonの脆弱性を修正し、権限昇格のリスクを解消した。この機能は悪用される恐れがあった。",
        {"サイボウズ株式会社": "mentioned"},
    ),
    (
        "CiscoのWindowsクライアントの脆弱性修正",
        "CiscoのWindowsクライアントに存在した脆弱性は信頼されない検索パスを悪用し権限昇格を許すもので、Ciscoは修正を実施した。",
        {"Cisco Systems": "mentioned"},
    ),
    (
        "Ivanti製品の脆弱性が悪用される",
        "Ivantiの脆弱性が悪用され、複数の組織が侵害された。",
        {"Ivanti": "product"},
    ),
    (
        "フォーティネット、FortiOSの脆弱性悪用を確認",
        "フォーティネットは、同社製品の脆弱性が実際に悪用されていることを確認したと発表した。",
        {"Fortinet": "product"},
    ),
    (
        "Ivanti製品に脆弱性、悪用は未確認",
        "Ivantiは、同社製品に重大な脆弱性が見つかったと発表した。現時点で悪用は確認されていない。",
        {"Ivanti": "mentioned"},
    ),
    (
        "JPCERT/CC、シスコ製品の脆弱性を悪用する攻撃を確認",
        "JPCERT/CCは、シスコ製品の脆弱性を悪用する攻撃を国内で確認したとして注意を呼びかけた。",
        {"Cisco Systems": "product", "JPCERT/CC": "mentioned"},
    ),
    (
        "トレンドマイクロ製品の脆弱性、すでに攻撃を確認",
        "トレンドマイクロは、Apex Oneの脆弱性について、すでに攻撃が確認されていると公表した。",
        {"トレンドマイクロ株式会社": "product"},
    ),
    (
        "サイボウズGaroonに脆弱性",
        "サイボウズは、Garoonの複数の脆弱性を修正したバージョンを公開した。悪用の報告はない。",
        {"サイボウズ株式会社": "mentioned"},
    ),
    (
        "シトリックス製品の脆弱性、国内でも悪用",
        "シトリックスのNetScaler ADCの脆弱性を突いた攻撃が国内でも確認された。",
        {"Citrix": "product"},
    ),
]

# The victim as the only source of its own incident: its investigation, report or finding, with no other sufferer.
OWN_VENDORS = [("株式会社アクメ", ("アクメ",)), ("Acme Health", ()), ("Live Nation", ()), ("Ticketmaster", ())]

OWN_CASES = [
    (
        "不正アクセスで顧客情報流出の恐れ",
        "アクメの調査で、外部から不正アクセスを受けていたことが判明した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "ランサムウェア被害が判明",
        "アクメが発見した不審な通信から、ランサムウェアへの感染が判明した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "情報漏えいの可能性",
        "アクメが報告した不正アクセスにより、約3万件の個人情報が漏えいした可能性がある。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメ、ランサムウェア被害の調査結果を公表",
        "アクメの報告書によると、攻撃者はVPN機器から侵入し、サーバーを暗号化した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "Ticketmaster hack: Live Nation confirms data breach",
        "Live Nation said an unauthorized party stole Ticketmaster customer data from a cloud database.",
        {"Ticketmaster": "breached", "Live Nation": ("breached", "affected")},
    ),
    (
        "Hospital chain hit by ransomware",
        "Acme Health reported the attack to regulators and said its network was encrypted.",
        {"Acme Health": "breached"},
    ),
    (
        "医療機関にランサムウェア攻撃",
        "アクメによると、サーバーが暗号化され患者情報が流出した可能性がある。",
        {"株式会社アクメ": "breached"},
    ),
    ("不正アクセスで情報流出", "アクメの報告によると、約1万件の個人情報が漏えいした。", {"株式会社アクメ": "breached"}),
    (
        "国内企業を狙う攻撃",
        "アクメの調査で、国内企業が不正アクセスを受けていたことが判明した。",
        {"株式会社アクメ": "mentioned"},
    ),
]

# Several victims named together.
SEVERAL_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("株式会社ガンマ", ("ガンマ",)),
    ("Acme Health", ()),
    ("Beta Bank", ()),
    ("Gamma Retail", ()),
    ("Marks & Spencer", ("M&S",)),
    ("Co-op", ()),
    ("Harrods", ()),
]

SEVERAL_CASES = [
    (
        "アクメ、ベータ、ガンマでランサムウェア被害相次ぐ",
        "アクメ、ベータ、ガンマの3社が相次いでランサムウェア攻撃を受けた。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "breached", "株式会社ガンマ": "breached"},
    ),
    (
        "アクメやベータなど複数社で不正アクセス",
        "アクメやベータなど複数の企業のサーバーが不正アクセスを受けた。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "breached"},
    ),
    (
        "Acme Health, Beta Bank and Gamma Retail hit by ransomware",
        "The three companies disclosed ransomware attacks this week.",
        {"Acme Health": "breached", "Beta Bank": "breached", "Gamma Retail": "breached"},
    ),
    (
        "M&S, Co-op and Harrods targeted by Scattered Spider",
        "The UK retailers were hit by cyberattacks in April and May.",
        {"Marks & Spencer": "breached", "Co-op": "breached", "Harrods": "breached"},
    ),
    (
        "アクメとベータの共同サイトで情報流出",
        "アクメとベータが共同で運営する会員サイトから個人情報が流出した。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "breached"},
    ),
]


def _roles(matcher: Matcher, title: str, text: str) -> dict[str, RoleOf]:
    ms = matcher.match({"title": title, "summary": text})
    v = assess(title, text)
    return {r.vendor: r for r in assign(ms, title, text, v.breach, v.subjects(ms, title, text))}


def _assert_roles(got: dict[str, RoleOf], expected: dict[str, str | tuple[str, ...]]) -> None:
    """Each vendor's role; a tuple lists the roles a careful reader could defend (a vendor breached whose product
    then carried the attack: 3CX, Salesloft Drift, Kaseya)."""
    for vendor, role in expected.items():
        roles = (role,) if isinstance(role, str) else role
        assert vendor in got and got[vendor].role in roles, (vendor, role, got.get(vendor))


# Platforms, tools and observers in Japanese security news, and the products exploited beside them.
JA_PLATFORM_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("Salesforce, Inc.", ("Salesforce",)),
    ("Chatwork株式会社", ("Chatwork",)),
    ("Telegram", ()),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Mandiant", ()),
    ("WordPress", ()),
    ("株式会社ラック", ("ラック",)),
    ("SonicWall Inc.", ("ソニックウォール", "SonicWall")),
    ("Oracle Corporation", ("Oracle",)),
    ("Salesloft", ("Salesloft Drift",)),
    ("Fortinet, Inc.", ("Fortinet",)),
    ("株式会社ベータ", ("ベータ",)),
    ("株式会社ガンマ", ("ガンマ",)),
]
JA_PLATFORM_CASES = [
    (
        "海外子会社M365不正アクセス",
        "アクメの海外子会社でMicrosoft 365アカウントが不正アクセスを受け、迷惑メール送信の踏み台に利用された。",
        {"Microsoft Corporation": "product", "株式会社アクメ": "breached"},
    ),
    (
        "FortinetファイアウォールVPN攻撃",
        "NCSCはFortinetのファイアウォールおよびVPNゲートウェイを標的とした世界的な攻撃キャンペーンを警告した。攻撃者は認証情報を窃取した。",
        {"Fortinet, Inc.": "product"},
    ),
    (
        "アクメ不正アクセス影響拡大",
        "アクメのシステムに対する不正アクセスが確認され、ベータやガンマの食材配送に遅延や欠品が発生している。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "affected", "株式会社ガンマ": "affected"},
    ),
    (
        "アクメ情報漏えい",
        "アクメの従業員Salesforceアカウントが不正アクセスされ、公開情報が流出した。",
        {"Salesforce, Inc.": "product", "株式会社アクメ": "breached"},
    ),
    (
        "アクメChatwork不正アクセス",
        "アクメのChatworkスタッフアカウントが不正アクセスを受けた。",
        {"Chatwork株式会社": "product", "株式会社アクメ": "breached"},
    ),
    (
        "新型マルウェアの拡散",
        "新たなマルウェアがTelegramを経由して情報窃取ツールを配布している。",
        {"Telegram": "mentioned"},
    ),
    (
        "macOS向け情報窃取マルウェアが急増",
        "Microsoftは、正規のプラットフォームを悪用する情報窃取マルウェア攻撃の急増を観測している。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "MandiantがSSO悪用攻撃を報告",
        "攻撃者がSSO認証を悪用しクラウドのデータを窃取している。",
        {"Mandiant": "mentioned"},
    ),
    (
        "プラグインの更新にバックドア",
        "攻撃者がWordPressとJoomla用のプラグインの更新システムを乗っ取り、バックドアを含む版を配布した。",
        {"WordPress": "mentioned"},
    ),
    (
        "アクメ銀行、不正送金対策を強化",
        "アクメはラックの不正検知サービスを導入し、不正アクセスや不正送金の検知を強化した。",
        {"株式会社ラック": "mentioned"},
    ),
    (
        "ソニックウォール攻撃拡大中",
        "複数のIPアドレスを用いた大規模なソニックウォールファイアウォールへの攻撃が確認された。攻撃は分散型で防御が困難であり、"
        "被害拡大の恐れがある。",
        {"SonicWall Inc.": "product"},
    ),
    (
        "Oracle PeopleSoftの脆弱性悪用攻撃",
        "攻撃者が未修正のOracle PeopleSoftの脆弱性を悪用し、企業システムに侵入してデータを窃取した。",
        {"Oracle Corporation": "product"},
    ),
    (
        "Salesforceデータ窃取キャンペーン",
        "攻撃者はSalesloft DriftのOAuthトークンを悪用し、複数のSalesforceインスタンスからデータを窃取した。",
        {"Salesloft": ("breached", "product")},
    ),
]

SOURCE_VENDORS = [
    ("Acme Health", ()),
    ("株式会社アクメ", ("アクメ",)),
    ("トレンドマイクロ株式会社", ("トレンドマイクロ",)),
]
# A source telling of its own systems is the victim; a researcher telling of its own work is a source.
SOURCE_CASES = [
    (
        "Hospital network hit by ransomware",
        "According to Acme Health, its servers were encrypted and patient data was stolen.",
        {"Acme Health": "breached"},
    ),
    (
        "医療機関にランサムウェア攻撃",
        "アクメによると、同社のサーバーが暗号化され患者情報が流出した可能性がある。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "国内企業にランサム攻撃",
        "トレンドマイクロによると、同社が確認した攻撃では顧客情報が流出した。",
        {"トレンドマイクロ株式会社": "mentioned"},
    ),
]

# Each group: its register (name, aliases), its cases, and what must also hold of the victim it names (Acme, アクメ, Epic Games):
# "alerted", "breached", or nothing.
# The regulator, ministry or police the incident was reported to is told of it, not hit by it; a client the
# contractor reported to stays affected, and an authority's own breach stays a breach (session 13).
AUTHORITY_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("個人情報保護委員会", ()),
    ("文部科学省", ("文科省",)),
    ("Acme Health", ()),
    ("Beta Billing", ()),
    ("U.S. Department of Health and Human Services", ("HHS", "Office for Civil Rights", "OCR")),
    ("Information Commissioner's Office", ("ICO",)),
    ("FBI", ()),
    ("Commission nationale de l'informatique et des libertés", ("CNIL",)),
    ("Office Depot", ()),
    ("警視庁", ()),
]
AUTHORITY_CASES = [
    (
        "アクメサイバー攻撃18歳逮捕",
        "アクメが受けたサイバー攻撃で警視庁は18歳の会社員を不正アクセス禁止法違反の疑いで逮捕した。",
        {"株式会社アクメ": "breached", "警視庁": "mentioned"},
    ),
    # the authority's unit between its name and the particle; the police arresting, in English (session 15)
    (
        "アクメサイバー攻撃18歳男逮捕",
        "アクメの運営会社がサイバー攻撃を受けた事件で、警視庁サイバー犯罪対策課が不正アクセス禁止法違反の疑いで18歳の男を逮捕した。",
        {"株式会社アクメ": "breached", "警視庁": "mentioned"},
    ),
    (
        "Acme Health breach: two men arrested",
        "Acme Health was hacked in May, exposing patient records. The FBI arrested two men on Tuesday.",
        {"Acme Health": "breached", "FBI": "mentioned"},
    ),
    (
        "Payment contractor Beta Billing hacked",
        "Beta Billing notified Office Depot, its client, that card data it processed for Office Depot was stolen.",
        {"Office Depot": "affected", "Beta Billing": "breached"},
    ),
    (
        "文科省アクメに行政指導サイバー攻撃情報漏洩問題",
        "文部科学省はアクメに対し行政指導を実施した。アクメのサーバーが不正アクセスを受け約31万件の情報が漏洩した。",
        {"株式会社アクメ": "breached", "文部科学省": "mentioned"},
    ),
    (
        "マルウェアが認証情報窃取",
        "アクメの従業員のPCがマルウェアに感染し認証情報を窃取された。個人情報保護委員会へ任意報告を行った。",
        {"株式会社アクメ": "breached", "個人情報保護委員会": "mentioned"},
    ),
    (
        "Beta Billing",
        "Names and email addresses of customers of Acme Health, the FBI & other firms were stolen via a breach in an "
        "email system.",
        {"Beta Billing": "breached", "Acme Health": "affected"},
    ),
    (
        "フランス通信大手に罰金",
        "フランスのデータ保護機関CNILは顧客情報漏洩事件に対し、アクメに4200万ユーロの罰金を科した。",
        {"株式会社アクメ": "breached", "Commission nationale de l'informatique et des libertés": "mentioned"},
    ),
    (
        "アクメに過去最大の罰金",
        "個人情報保護委員会は、アクメに対し安全管理の不備を理由に過去最大の罰金を科した。約3370万件の顧客情報が流出していた。",
        {"株式会社アクメ": "breached", "個人情報保護委員会": "mentioned"},
    ),
    (
        "ICO fines Acme Health over breach",
        "The ICO fined Acme Health after patient records were stolen by hackers.",
        {"Acme Health": "breached", "Information Commissioner's Office": "mentioned"},
    ),
    (
        "Credential lists found by Beta Billing",
        "The threat-intelligence firm Beta Billing aggregated credentials from earlier breaches at Acme Health.",
        {"Beta Billing": "mentioned"},
    ),
    (
        "アクメ不正アクセス",
        "株式会社アクメは不正アクセスを受け、顧客情報が流出した可能性があると発表した。警察や個人情報保護委員会に報告した。",
        {"株式会社アクメ": "breached", "個人情報保護委員会": "mentioned"},
    ),
    (
        "ベータにランサム攻撃",
        "アクメの委託先であるベータがランサムウェア攻撃を受けた。ベータはアクメに報告し、アクメは個人情報保護委員会へ速報を届け出た。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected", "個人情報保護委員会": "mentioned"},
    ),
    (
        "アクメ大学にランサム攻撃",
        "アクメ大学のサーバーがランサムウェアに感染した。大学は警察や文部科学省に届け出た。",
        {"文部科学省": "mentioned"},
    ),
    (
        "文科省に不正アクセス",
        "文部科学省のシステムが不正アクセスを受け、職員情報が流出した可能性があると発表した。",
        {"文部科学省": "breached"},
    ),
    (
        "Acme Health data breach",
        "Acme Health said a laptop with patient records was stolen. The covered entity notified HHS and the Office for "
        "Civil Rights investigated.",
        {"Acme Health": "breached", "U.S. Department of Health and Human Services": "mentioned"},
    ),
    (
        "Acme Health patients' data exposed",
        "Beta Billing, Acme Health's billing contractor, was hacked. Beta Billing notified Acme Health, which reported "
        "the breach to the ICO.",
        {"Acme Health": "affected", "Beta Billing": "breached", "Information Commissioner's Office": "mentioned"},
    ),
    (
        "FBI says hackers breached its network",
        "The FBI said attackers accessed an internal network used for surveillance.",
        {"FBI": "breached"},
    ),
]

# A business stopped by another's incident is that incident's client; its own incident stopping it is its own.
KNOCK_ON_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("株式会社アスクル", ("アスクル",)),
    ("ネスレ日本株式会社", ("ネスレ日本",)),
]
KNOCK_ON_CASES = [
    # the clients' services stopped by an attack told at another (session 14's tenth batch)
    (
        "アスクル社長語る攻撃内幕",
        "アスクルは2025年10月にランサムウエア攻撃を受け物流システムが停止した。影響でアクメとネスレ日本のECサイトも停止した。"
        "攻撃は長期間にわたり侵入が発見されなかった。",
        {"株式会社アスクル": "breached", "株式会社アクメ": "affected", "ネスレ日本株式会社": "affected"},
    ),
    (
        "アスクル障害長期化の懸念",
        "事務用品大手アスクルがランサムウェア攻撃によりシステム障害発生。傘下のアクメやネスレ日本のネット販売も影響を受けている。"
        "個人情報流出の有無は調査中である。",
        {"株式会社アスクル": "breached", "株式会社アクメ": "affected", "ネスレ日本株式会社": "affected"},
    ),
    (
        "アクメEC再開アスクル攻撃復旧",
        "アクメはアスクルに対する大規模なサイバー攻撃を受けたが、迅速な対応でシステムを復旧させた。",
        {"株式会社アスクル": "breached", "株式会社アクメ": "affected"},
    ),
    (
        "システム開発再委託先被害",
        "特殊鋼製造販売のアクメはシステム開発の再委託先がサイバー攻撃を受けたことを公表した。再委託先のサーバが侵害された。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "アクメ、ベータ攻撃で個人情報漏洩",
        "ベータのシフト作成ツールに不正アクセスが発生し、アクメの従業員約30508名の個人情報が漏洩した。ネスレ日本も同様の影響を受けている。"
        "ランサムウェアグループが犯行声明を発表している。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected", "ネスレ日本株式会社": "affected"},
    ),
    (
        "アクメがサプライヤー経由の情報漏洩を警告",
        "アクメはサプライヤーのシステムが攻撃され顧客データが盗まれたと報告し、顧客に注意を促している。",
        {"株式会社アクメ": ("affected", "breached")},
    ),
    (
        "アクメが第三者経由で情報漏洩を報告",
        "アクメが第三者サプライヤー経由で顧客の連絡先など個人情報が漏洩したことを公表した。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "情報漏えい",
        "ベータがアクメ委託事業に関連し個人情報の漏えいが発生したと発表した。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected"},
    ),
    (
        "クラウド不正アクセス",
        "アクメが利用する勤怠管理SaaSがサイバー攻撃を受け、従業員の個人情報が流出した。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "ベータ被害拡大",
        "ベータが大規模なランサムウェア攻撃を受けた。被害件数は70万件を超え、アクメにも影響が及んでいる。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected"},
    ),
    (
        "ネスレ通販停止 アスクル障害影響",
        "アスクルのランサムウェア感染によりシステム障害が発生し、ネスレ日本は自社通販サイトの受注を一時停止した。",
        {"ネスレ日本株式会社": "affected", "株式会社アスクル": "breached"},
    ),
    (
        "ベータ障害で出荷停止",
        "ベータのサイバー攻撃による障害で、アクメは出荷を停止した。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "アクメ受注停止",
        "アクメのランサムウェア感染によりシステム障害が発生し、アクメは受注を一時停止した。",
        {"株式会社アクメ": "breached"},
    ),
]

# An unnamed subsidiary told by what it runs is the parent's incident; a named one is its own.
SUBSIDIARY_VENDORS = [("株式会社アクメ", ("アクメ",)), ("株式会社ベータ", ("ベータ",))]
SUBSIDIARY_CASES = [
    (
        "アクメが大規模データ侵害を調査",
        "アクメが第三者IT業者経由で[[ベータ]]による大規模なサイバー攻撃を受け、FTPサーバーのデータが標的となった。",
        {"株式会社アクメ": ("affected", "breached"), "株式会社ベータ": "mentioned"},
    ),
    (
        "アクメ子会社の情報流出",
        "アクメの日本子会社が不正アクセスを受け個人情報が盗まれた。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "顧客情報漏洩",
        "アクメの子会社プラットフォームの脆弱なAPIにより内部システムが制御され顧客情報が漏洩した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメグループ従業員情報漏えい",
        "アクメのグループ会社ネットワークに第三者が不正アクセスを行い、従業員情報が漏えいした可能性がある。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "海外通販サイト不正アクセス",
        "アクメ子会社の運営する海外通販サイトに第三者が不正アクセスし、会員情報が流出した可能性が判明した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "子会社ベータに不正アクセス",
        "アクメの子会社ベータが運営するサイトに不正アクセスがあった。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "mentioned"},
    ),
]

# A firm publishing a report is its source; a system told as the way the data was reached is the victim's software.
# Session 14: a group's companies telling their own customers' data at risk after an attack on the holding company
# (told in full in the text, shortened in the headline); a security product adopted, a policy tightened to lower a
# risk (no incident); an insider leaking the company's internal information (an incident).
GROUP_CLIENT_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ",)),
    ("ネスレ日本株式会社", ("ネスレ日本",)),
]
GROUP_CLIENT_CASES = [
    (
        "ベータ社攻撃で個人情報漏えい懸念",
        "ベータホールディングスへのランサムウェア攻撃により、同グループの委託先企業から顧客情報漏えいの可能性が報告された。"
        "アクメとネスレ日本がそれぞれ自社顧客の情報漏えいリスクを公表した。",
        {"株式会社ベータ": "breached", "株式会社アクメ": "affected", "ネスレ日本株式会社": "affected"},
    ),
    (
        "アクメがベータ防御サービス採用",
        "アクメが新たにベータのサイバーセキュリティ防御サービスを導入し、サイバー攻撃に対する監視と対応能力を強化した。"
        "攻撃検知の迅速化と被害最小化が期待される。",
        {"株式会社アクメ": "mentioned", "株式会社ベータ": "mentioned"},
    ),
    (
        "アクメ、アカウント利用期限を厳格化",
        "アクメは統合認証アカウントの利用期限を厳格化する。猶予期間中の管理不備による不正アクセスリスクを低減する目的である。",
        {"株式会社アクメ": "mentioned"},
    ),
    (
        "懲戒解雇処分アクメ元社員",
        "株式会社アクメの元社員が在職中に同社の内部情報を競合他社に複数回漏えいした事案である。懲戒解雇処分となった。",
        {"株式会社アクメ": "breached"},
    ),
]
# A package registry is where the packages were put or taken over, not the victim: named before its packages or
# after the words for a registry.
REGISTRY_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("npm, Inc.", ("npm",)),
    ("Python Software Foundation", ("PyPI",)),
]
REGISTRY_CASES = [
    (
        "npmの大規模サプライチェーン攻撃",
        "世界最大のソフトウェアレジストリnpmで20以上の人気JavaScriptパッケージが乗っ取られ、攻撃が発生した。",
        {"npm, Inc.": ("mentioned", "product")},
    ),
    (
        "アクメへの侵害で悪意あるパッケージ公開",
        "脅威アクターがアクメの開発者アカウントを侵害しnpmレジストリに10個の悪意あるパッケージを公開した。",
        {"株式会社アクメ": "breached", "npm, Inc.": "mentioned"},
    ),
    (
        "アクメのコードが漏洩 npmで",
        "アクメのソースコードがnpmパッケージの設定ミスで漏洩したことが研究者により公開された。",
        {"株式会社アクメ": "breached", "npm, Inc.": "mentioned"},
    ),
    (
        "PyPIパッケージ侵害でアクメの認証情報窃取",
        "改ざんされたPyPIパッケージによりアクメの開発者の認証情報が盗まれた。",
        {"株式会社アクメ": "breached", "Python Software Foundation": "mentioned"},
    ),
]
# A maker's product as the way in, told in Japanese (session 14's seventh batch, chosen for products): its devices
# counted by the thousand, a feature of it abused, a flaw affecting it, its update fixing a flaw exploited, its
# installer abused; the platform a product is made for, a help desk impersonated and a service abused to send
# phishing are mentioned; a public body runs the product it is named with, and an account on a platform kept for a
# use is the platform's product.
MAKER_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("FileZen",)),
    ("内閣府沖縄総合事務局", ("沖縄総合事務局",)),
    ("GitHub", ()),
    ("Microsoft Corporation", ("Microsoft", "マイクロソフト")),
    ("Google LLC", ("Google",)),
    ("Apple Inc.", ("Apple",)),
    ("ServiceNow, Inc.", ("ServiceNow",)),
    ("ConnectWise, LLC", ("ScreenConnect",)),
    ("Joomla", ()),
]
MAKER_CASES = [
    (
        "アクメのファイアウォール大規模侵害",
        "アクメのファイアウォール約7万台が世界194カ国で侵害された大規模なキャンペーンで、機器が標的となった。",
        {"株式会社アクメ": "product"},
    ),
    (
        "沖縄総合事務局で不正アクセス",
        "沖縄総合事務局のFileZen専用サーバに脆弱性を突いた不正アクセスがあり、個人情報約15091人分が漏えいした可能性がある。",
        {"内閣府沖縄総合事務局": "breached", "株式会社ベータ": "product"},
    ),
    (
        "アクメ不正アクセス発覚",
        "アクメはシステム管理用GitHubアカウントが第三者に不正アクセスされた事案を公表した。",
        {"株式会社アクメ": "breached", "GitHub": "product"},
    ),
    (
        "Teamsのヘルプデスク偽装で企業侵害",
        "攻撃者はMicrosoft Teamsのヘルプデスクを装い、標的の企業ネットワークに侵入するためにフィッシングを展開した。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "Azure CLIを狙う大規模パスワード攻撃",
        "マイクロソフトのAzure CLIを対象に大規模なパスワードスプレー攻撃が発生し複数のアカウントが侵害された。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "マイクロソフトの大規模攻撃",
        "マイクロソフトのAzure CLIとOAuthを悪用した大規模なパスワードスプレー攻撃が発生し、アカウントが狙われている。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "SMB脆弱性攻撃拡大",
        "CVE-2025-33073はSMBに存在する特権昇格脆弱性である。Microsoftは6月の更新で修正済みだが、攻撃は継続中である。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "Exchange Serverに新たな脆弱性",
        "Microsoftのオンプレミス版Exchange Serverに影響する新たな脆弱性が確認されており、実際に悪用が確認されている。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "Apple旧機種向け対策",
        "Appleは古いiPhone向けに、複数の脅威グループに悪用された脆弱性を修正するセキュリティアップデートを公開した。",
        {"Apple Inc.": "product"},
    ),
    (
        "ServiceNowのプロンプト注入攻撃",
        "ServiceNowのNow Assist AIプラットフォームのデフォルト設定を悪用し、攻撃者が機密情報の窃取を行う攻撃が確認された。",
        {"ServiceNow, Inc.": "product"},
    ),
    (
        "ScreenConnectインストーラー悪用攻撃",
        "米国組織を標的に正規管理ソフトを悪用し持続的侵入を狙うサイバー攻撃キャンペーンが増加している。",
        {"ConnectWise, LLC": "product"},
    ),
    (
        "Joomla用拡張機能の脆弱性をKEVに追加",
        "CISAがJoomla用JCEの脆弱性をKEVカタログに追加した。この脆弱性は悪用が確認されている。",
        {"Joomla": "mentioned"},
    ),
    (
        "Teams中継悪用攻撃",
        "新たなRATがMicrosoft TeamsのTURNサーバーを悪用しC2通信を隠蔽している。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "Googleを悪用した攻撃",
        "攻撃者はGoogle Cloudを利用し検知困難な通信を行い潜伏している。",
        {"Google LLC": "mentioned"},
    ),
    # what could happen is not an incident
    (
        "偽ログイン画面を使う新型フィッシング",
        "Microsoft 365利用者を狙う偽装フィッシング攻撃が発見された。利用者が認証情報を盗まれる恐れがある。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "AIコード実行環境のDNS経由情報漏洩手法",
        "GoogleのサンドボックスがDNSクエリを許可し、攻撃者がシェルを実行可能になる脆弱性が報告された。",
        {"Google LLC": "mentioned"},
    ),
    (
        "Windows脆弱性悪用開始",
        "CISAはWindowsの特権昇格脆弱性がランサムウェア攻撃者により悪用されていると確認した。Microsoftは4月に修正パッチを"
        "公開したが、攻撃は継続中である。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "偽サイトで監視ソフト感染拡大",
        "偽のサイトが端末に監視ソフトを密かに配布し、1437台が感染した。Microsoft Defender for Endpointで検出された。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "AppSheet悪用のフィッシング攻撃",
        "攻撃者はGoogleのAppSheetプラットフォームを悪用し、正規のインフラからフィッシングメールを送信している。",
        {"Google LLC": "mentioned"},
    ),
]
# The eighth batch's development errors: a tool's provider attacked (提供元の米ベータ) and a third-party processor
# breached (第三者決済処理業者の侵害) make the client affected; those who helped publish or take down the data, and
# the repository a dump was published to, are mentioned.
HELPERS_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("Beta Software", ("ベータ",)),
    ("Acme Health", ()),
    ("GitHub", ()),
    ("Mandiant", ()),
    ("CrowdStrike", ()),
    ("個人情報保護委員会", ()),
    ("Chatwork", ()),
    ("Slack", ()),
    ("Beta Pictures", ("betapictures.com",)),
]
HELPERS_CASES = [
    (
        "アクメ従業員情報漏えい新発覚",
        "アクメは従業員ID約4万件の漏えいを新たに確認した。漏えいはシフト作成ツール提供元の米ベータに対するサイバー攻撃が原因である。",
        {"株式会社アクメ": "affected", "Beta Software": "breached"},
    ),
    (
        "アクメ顧客情報漏洩問題",
        "アクメの顧客情報約60万件が不正に流出した。同社システムの侵害は確認されていない。"
        "攻撃者は第三者決済処理業者の侵害を起点としている可能性が高い。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "Acme Health",
        "In 2024, Acme Health suffered a data breach. An attacker published the database to a public GitHub repository.",
        {"Acme Health": "breached", "GitHub": "mentioned"},
    ),
    # one-line notices with no breach word: the data told taken, media lost holding it
    (
        "Acme Health",
        "Investigators believe that personal data was obtained via software installed on card readers at Acme Health "
        "clinics.",
        {"Acme Health": "breached"},
    ),
    (
        "Acme Health",
        "An archiving vendor lost a box full of data storage tapes containing sensitive information.",
        {"Acme Health": "affected"},
    ),
    (
        "Acme Health",
        "Acme Health hired a contractor to destroy files no longer in use. The firm lost the shipment. It contained "
        "social security numbers and medical records.",
        {"Acme Health": "affected"},
    ),
    # the ninth batch's development errors
    (
        "Acme Health",
        "In 2018, data belonging to the Acme Health website was found online. The data contained 144k email addresses "
        "and plain text passwords.",
        {"Acme Health": "breached"},
    ),
    (
        "Acme Health",
        "In 2011, a hacker group leaked one final large data breach. The compromised data came from sources such as "
        "Mandiant, CrowdStrike and the Acme Health website.",
        {"Acme Health": "breached", "Mandiant": "breached", "CrowdStrike": "breached"},
    ),
    (
        "カード情報漏洩と罰金判決",
        "アクメが2017年のデータ侵害で約560万件のカード情報を流出させた。裁判所は個人情報保護委員会の罰金処分を支持した。",
        {"株式会社アクメ": "breached", "個人情報保護委員会": "mentioned"},
    ),
    (
        "Chatworkアカウント侵害",
        "アクメの複数Chatworkアカウントが不正アクセスを受けた。侵害アカウントから取引先に不正な請求書が送信された。",
        {"株式会社アクメ": "breached", "Chatwork": "product"},
    ),
    (
        "英国の航空代理店サイトのデータ侵害",
        "英国の航空代理店Beta Softwareとアクメが同時に侵害され、身代金が要求された。",
        {"Beta Software": "breached", "株式会社アクメ": "breached"},
    ),
    (
        "VS Code拡張機能のサプライチェーン攻撃",
        "開発用の拡張機能が悪意あるGitHubのプルリクエストにより改ざんされ、信頼された開発ツールを通じて攻撃が行われた。",
        {"GitHub": "mentioned"},
    ),
    # the eleventh batch's
    (
        "Acme Health Spam List",
        "In January 2017, a massive trove of data from Acme Health was found exposed online.",
        {"Acme Health": "breached"},
    ),
    # the tenth batch's development errors
    (
        "Acme Health",
        "In 2011, Acme Health suffered breach after breach. A SQL injection vulnerability in betapictures.com led to "
        "tens of thousands of accounts being exposed.",
        {"Acme Health": "breached", "Beta Pictures": "breached"},
    ),
    (
        "アクメ従業員ID漏えい判明",
        "アクメが利用するシフト作成ツールへの不正アクセスにより約4万名分の従業員IDが漏えいした。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "証券口座乗っ取り被害補償",
        "アクメで発生した証券口座の不正乗っ取り被害に対し補償する方針である。2025年上半期の個人情報保護委員会発表によると"
        "不正アクセス被害は深刻である。",
        {"株式会社アクメ": "breached", "個人情報保護委員会": "mentioned"},
    ),
    (
        "アクメ病院ランサムウェア被害",
        "アクメは3月1日にランサムウェア攻撃を受けた。3月6日に個人情報保護委員会からダークサイト上にデータが公開されたとの情報提供が"
        "あった。",
        {"株式会社アクメ": "breached", "個人情報保護委員会": "mentioned"},
    ),
    (
        "アクメSlack不正ログイン",
        "アクメは業務用チャットSlackへの不正ログインを確認した。社員のパソコンがウイルス感染し認証情報が流出した。",
        {"株式会社アクメ": "breached", "Slack": "product"},
    ),
    (
        "AWS不正アクセス",
        "ベータグループの株式会社アクメが管理するクラウドに外部第三者が不正アクセスを行い、スパムメールを送信した。",
        {"株式会社アクメ": "breached", "Beta Software": "mentioned"},
    ),
    (
        "日本企業サイバー被害報告",
        "日本の複数企業がサイバー攻撃を受けた。アクメはメールシステムの脆弱性を突かれた。各社は対応を進めている。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "Acme Health",
        "In 2015, the credit bureau Acme Health suffered a data breach that impacted 15 million customers who had "
        "applied for financing from CrowdStrike.",
        {"Acme Health": "breached", "CrowdStrike": "affected"},
    ),
    (
        "Acme Health",
        "In April 2026, the hacking collective claimed to have obtained data from Acme Health as part of a broader "
        "extortion campaign.",
        {"Acme Health": "breached"},
    ),
    (
        "Acme Health",
        "In 2016, a large file containing tens of millions of accounts was shared publicly on a forum.",
        {"Acme Health": "breached"},
    ),
    (
        "Operation takedown",
        "Law enforcement disrupted the malware network with support from Mandiant and CrowdStrike, remediating 15,000 "
        "compromised websites.",
        {"Mandiant": "mentioned", "CrowdStrike": "mentioned"},
    ),
]
REPORT_WAY_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("株式会社ベータ", ("ベータ", "FileZen")),
    ("株式会社ラック", ("ラック",)),
    ("GitHub", ()),
    ("Cisco Systems", ("Cisco",)),
    ("Microsoft Corporation", ("Microsoft", "Microsoft Teams", "Windows")),
    ("Google LLC", ("Google", "Google Drive")),
]
REPORT_WAY_CASES = [
    (
        "攻撃者がTeams経由で2ヶ月隠蔽",
        "ランサムウェア攻撃者が米国の大手企業を標的にMicrosoft Teamsのインフラを悪用してC2通信を隠蔽した。",
        {"Microsoft Corporation": "mentioned"},
    ),
    (
        "ラック研究報告",
        "ラックはWindowsサービスやGoogle Driveを悪用した新たなサイバー諜報活動を確認した。",
        {"Google LLC": "mentioned", "株式会社ラック": "mentioned"},
    ),
    (
        "中国系グループがExchange脆弱性を悪用",
        "中国系の脅威グループが未修正のMicrosoft Exchange Serverの脆弱性を悪用しサイバースパイ活動を展開している。",
        {"Microsoft Corporation": "product"},
    ),
    (
        "Ciscoメール機器に深刻なゼロデイ脆弱性",
        "研究者は120台以上のCiscoメール機器に存在するゼロデイ脆弱性を確認した。攻撃者による悪用が進行中である。",
        {"Cisco Systems": "product"},
    ),
    (
        "アクメゼロデイ攻撃",
        "アクメのネットワーク機器に存在したソフトウェアの脆弱性を悪用したゼロデイ攻撃により、顧客の個人情報が漏えいした。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメが侵害される",
        "攻撃者がアクメのSQLインジェクション脆弱性を悪用しデータベースを流出させ販売している。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメ不正アクセス情報漏えい",
        "アクメのシステム管理用GitHubアカウントに不正アクセスがあり一部ソースコードが閲覧された。",
        {"株式会社アクメ": "breached", "GitHub": "product"},
    ),
    (
        "アクメ子会社相次ぐ攻撃",
        "アクメの国内外子会社が6月以降複数回のサイバー攻撃を受けた。一部データが暗号化された。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "アクメ子会社会員データ流出",
        "アクメの子会社において会員データ317万人分が不正アクセスにより流出した。",
        {"株式会社アクメ": "breached"},
    ),
    (
        "情報漏えい3万1500人分",
        "アクメは従業員や退職者約31500人分の個人情報が漏えいしたと発表した。漏えいは米ベータへのサイバー攻撃が原因である。",
        {"株式会社アクメ": "affected", "株式会社ベータ": "breached"},
    ),
    (
        "ソースコード流出",
        "アクメが契約先の侵害によりソースコードを盗まれた。",
        {"株式会社アクメ": "affected"},
    ),
    (
        "アクメFileZen不正アクセス",
        "アクメのFileZenに対し[[CVE-2026-25108]]の脆弱性を悪用した不正アクセスが確認された。約15091名の個人情報漏洩の恐れがある。",
        {"株式会社アクメ": "breached", "株式会社ベータ": "product"},
    ),
    (
        "アクメに不正アクセス",
        "ラックの調査で、アクメに対し脆弱性を悪用した攻撃が行われたことが判明した。",
        {"株式会社アクメ": "breached", "株式会社ラック": "mentioned"},
    ),
    (
        "保健省の情報漏洩",
        "アクメが[[ベータ]]システムを通じて患者情報を含む約99万件の記録が漏洩した事案を発表した。",
        {"株式会社ベータ": "product", "株式会社アクメ": "breached"},
    ),
    (
        "マルウェア配布",
        "攻撃者はラックを通じてマルウェアを配布した。",
        {"株式会社ラック": "mentioned"},
    ),
    (
        "最前線報告",
        "ラックが発表した最新レポートはランサムウェアの脅威が顕著であり、組織の被害が拡大していると分析している。",
        {"株式会社ラック": "mentioned"},
    ),
    (
        "アクメ不正アクセス",
        "アクメが発表した調査結果によると、同社のサーバーが不正アクセスを受け顧客情報が流出した。",
        {"株式会社アクメ": "breached"},
    ),
]

# Where a victim's data was posted, with what was posted told between ('BreachForumsに情報を投稿し'), and an
# authority leading the operation against the attackers ('調査局を中心とした国際共同捜査により…押収'): named, not hit
# (session 15, from the twelfth batch's development errors).
POSTED_VENDORS = [
    ("株式会社アクメ", ("アクメ",)),
    ("BreachForums", ()),
    ("Homeland Security Investigations", ("国土安全保障調査局",)),
]
POSTED_CASES = [
    (
        "アクメのデータ流出",
        "アクメが攻撃を受け内部システムのデータが流出した。脅威アクターがBreachForumsに情報を投稿し機密情報が漏洩した。",
        {"株式会社アクメ": "breached", "BreachForums": "mentioned"},
    ),
    (
        "ランサムウェアグループのリークサイト封鎖",
        "米国国土安全保障調査局を中心とした国際共同捜査によりランサムウェアグループの主要ドメインが押収された。",
        {"Homeland Security Investigations": "mentioned"},
    ),
    # a site's own exposure told with 'で…を公開' stays its breach
    (
        "アクメ個人情報誤公開",
        "アクメで会員の個人情報を誤って公開し、外部から閲覧可能な状態となっていた。",
        {"株式会社アクメ": "breached"},
    ),
]

# The victim's platforms named in a pair after its possessive (session 15, from the thirteenth batch).
PAIR_VENDORS = [
    ("Acme Health", ()),
    ("Microsoft Corporation", ("Microsoft", "SharePoint")),
    ("Salesforce, Inc.", ("Salesforce",)),
]
PAIR_CASES = [
    (
        "Acme Health",
        "The group published data they claimed had been obtained from Acme Health's SharePoint and Salesforce "
        "infrastructure, including 103k unique email addresses.",
        {"Acme Health": "breached", "Microsoft Corporation": "product", "Salesforce, Inc.": "product"},
    ),
]

GROUPS: dict[str, tuple[list[tuple[str, tuple[str, ...]]], list[Any], str]] = {
    "everyday-en": (EN_VENDORS, EN_CASES, "alerted"),
    "everyday-ja": (JA_VENDORS, JA_CASES, "alerted"),
    "earlier-incident": (EARLIER_VENDORS, EARLIER_CASES, "alerted"),
    "exploited-product": (EXPLOITED_VENDORS, EXPLOITED_CASES, ""),
    "contractor-client": (CLIENT_VENDORS, CLIENT_CASES, ""),
    "source": (SOURCE_VENDORS, SOURCE_CASES, ""),
    "platform": (PLATFORM_VENDORS, PLATFORM_CASES, "breached"),
    "brand-agency-parent": (BRAND_VENDORS, BRAND_CASES, ""),
    "investigator": (INVESTIGATOR_VENDORS, INVESTIGATOR_CASES, ""),
    "supply-chain": (SUPPLY_VENDORS, SUPPLY_CASES, ""),
    "bystander": (BYSTANDER_VENDORS, BYSTANDER_CASES, ""),
    "earlier-victim": (PAST_VENDORS, PAST_CASES, "alerted"),
    "famous": (FAMOUS_VENDORS, FAMOUS_CASES, ""),
    "outsourced": (OUTSOURCED_VENDORS, OUTSOURCED_CASES, ""),
    "ja-way-in": (JA_PRODUCT_VENDORS, JA_PRODUCT_CASES, ""),
    "lure-cloud": (CHANNEL_VENDORS, CHANNEL_CASES, ""),
    "platform-account": (SERVICE_VENDORS, SERVICE_CASES, ""),
    "advisory-en": (ADVISORY_VENDORS, ADVISORY_CASES, ""),
    "advisory-ja": (JA_ADVISORY_VENDORS, JA_ADVISORY_CASES, ""),
    "own-incident": (OWN_VENDORS, OWN_CASES, ""),
    "several-victims": (SEVERAL_VENDORS, SEVERAL_CASES, ""),
    "ja-platform-tool-observer": (JA_PLATFORM_VENDORS, JA_PLATFORM_CASES, ""),
    "authority": (AUTHORITY_VENDORS, AUTHORITY_CASES, ""),
    "knock-on": (KNOCK_ON_VENDORS, KNOCK_ON_CASES, ""),
    "unnamed-subsidiary": (SUBSIDIARY_VENDORS, SUBSIDIARY_CASES, ""),
    "ja-report-way": (REPORT_WAY_VENDORS, REPORT_WAY_CASES, ""),
    "ja-group-client": (GROUP_CLIENT_VENDORS, GROUP_CLIENT_CASES, ""),
    "ja-registry": (REGISTRY_VENDORS, REGISTRY_CASES, ""),
    "ja-maker": (MAKER_VENDORS, MAKER_CASES, ""),
    "helpers": (HELPERS_VENDORS, HELPERS_CASES, ""),
    "posted-and-operation": (POSTED_VENDORS, POSTED_CASES, ""),
    "platform-pair": (PAIR_VENDORS, PAIR_CASES, ""),
}
MATCHERS = {
    group: Matcher([Vendor(name=name, aliases=aliases) for name, aliases in register])
    for group, (register, _, _) in GROUPS.items()
}
VICTIMS = ("Acme Health", "株式会社アクメ", "Epic Games")


@pytest.mark.parametrize(
    "group,title,text,expected",
    [
        pytest.param(group, title, text, expected, id=f"{group}-{n}")
        for group, (_, cases, _) in GROUPS.items()
        for n, (title, text, expected) in enumerate(cases)
    ],
)
def test_each_party_gets_the_role_a_reader_gives_it(
    group: str, title: str, text: str, expected: dict[str, str | tuple[str, ...]]
) -> None:
    got = _roles(MATCHERS[group], title, text)
    _assert_roles(got, expected)
    victim_rule = GROUPS[group][2]
    if victim_rule:
        victim = next((got[v] for v in VICTIMS if v in got), None)
        assert victim is not None and (victim.alerted if victim_rule == "alerted" else victim.role == "breached"), (
            victim
        )
