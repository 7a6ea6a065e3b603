"""Issue 3: breach detection: incident reports vs other news that names a vendor."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import Entry, rss2

from monitor.matching.detect import BREACH_TERMS, assess, is_subject
from monitor.matching.matcher import Matcher
from monitor.matching.vendors import Vendor


@pytest.mark.parametrize(
    "term",
    [
        "不正アクセス",
        "情報漏えい",
        "漏洩",
        "流出",
        "ランサムウェア",
        "サイバー攻撃",
        "改ざん",
        "誤送信",
        "breach",
        "ransomware",
        "unauthorized access",
        "exfiltrated",
        "compromised",
        "data theft",
        "supply chain attack",
    ],
)
def test_issue_terms_are_in_the_lists(term):  # type: ignore[no-untyped-def]
    assert term in BREACH_TERMS


@pytest.mark.parametrize(
    "title,text",
    [
        ("Okta confirms breach of support system", "Attackers used a stolen credential to view customer files."),
        (
            "イセトーにランサムウェア攻撃",
            "株式会社イセトーはサーバーのデータが暗号化され、委託元の情報が流出したと発表した。",
        ),
        ("市立病院、患者情報をメール誤送信", "市立病院は患者約50人分の個人情報を含むメールを誤送信したと発表した。"),
        ("Ticketmaster confirms data breach", "Live Nation said data was exfiltrated from a cloud database."),
        # a notice of a few words that only tells the data taken (Have I Been Pwned's write-ups)
        ("Quora", 'Login details and private messages were compromised by "a malicious third party".'),
        ("Vodafone", "An IT contractor used his access to the telecom giant's system to steal customer details."),
        # a device gone, a backup leaked (the breach lists' one-line stories)
        ("Acme Health", "A laptop containing employee data was either lost or stolen."),
        ("Beta Media", "The firm accidentally leaked a backup of its database of a billion email addresses."),
        # a count of accounts taken; an unsecured database posted online
        ("Beta Forum", "In 2013 the Beta forum was compromised and over 19k accounts published online."),
        (
            "Acme Blood Service",
            "Donor information was accessed via an unsecured database posted online by a contractor.",
        ),
        # a device holding it gone, data on sale, data stolen by an insider
        (
            "Beta University",
            "A laptop containing information on tens of thousands of Beta University employees was stolen.",
        ),
        ("Beta Video", "Hackers were trading hundreds of thousands of Beta Video account details: 380k user records."),
        (
            "Beta government",
            "A programmer was arrested for allegedly stealing the identity information of most citizens.",
        ),
        ("Beta Agency", "A hard disk with details of driving test candidates was lost by a contractor in Iowa."),
        (
            "Beta Publisher",
            "The publisher had 17.5GB of data obtained from an unprotected database: 845k unique email addresses.",
        ),
        # the data told as taken is the only sign, as a weak breach term
        (
            "Acme Golf",
            "Only full names, order histories, account passwords and answers to security questions were exposed.",
        ),
        # data left where anyone could take it, posted or sold where stolen data is, reached by intruders: the breach
        # lists' stories without a word for breach (session 15: 216 of 372 such stories unused by the role set were
        # read as breaches, 270 after)
        ("Beta Pets", "In January the toy maker left their database publicly exposed and it was downloaded by others."),
        ("Beta Music", "Email addresses and passwords of some listeners were left open online for months."),
        ("Beta Sport", "Data from the Beta Sport programme was posted to a popular hacking forum."),
        ("Beta Chat", "An unidentified person listed user data for sale on a darknet market."),
        ("Beta Retail", "The firm admitted that hackers were able to access the details of 10m customers."),
        ("Beta Voters", "A researcher found an unsecured Elasticsearch database containing 1.2 billion records."),
        ("Beta Brewing", "The brewer has exposed personally identifiable information belonging to its shareholders."),
        ("Beta Stores", "Criminals implanted software into store cash registers, siphoning off credit card details."),
        ("Beta Health", "Two hard drives with data from registered organ donors went missing."),
        ("Beta Games", "Stolen email addresses and hashed passwords were being sold on the dark web."),
        ("Beta ISP", "In February 2015, the ISP had its database published online, with 140k email addresses."),
        ("Beta Prison Service", "Prisoners had sensitive personal data stolen in December 2019."),
        (
            "アクメSSHサーバブルートフォース攻撃",
            "アクメのECサイトのSSHサーバに対するブルートフォース攻撃を検知した。攻撃者はシステム情報を閲覧した。",
        ),
        ("ベータ、管理サーバーのデータベースが削除される", "アクメの従業員や求職者の情報が保存されていた。"),
    ],
)
def test_incident_reports_are_breaches(title, text):  # type: ignore[no-untyped-def]
    assert assess(title, text).breach


@pytest.mark.parametrize(
    "title,text",
    [
        ("Okta launches new identity governance product", "Generally available today."),
        ("Oracle reports cloud revenue growth in fourth quarter", "Quarterly earnings beat estimates."),
        ("Microsoft named a Leader in the Magic Quadrant", "Analyst award for endpoint protection."),
        ("NEC、セキュリティセミナーを開催", "NECはサイバー攻撃の最新動向を解説するセミナーを開催する。"),
        ("富士通、量子コンピューターの研究成果を発表", "富士通はフォーラムで発表した。"),
        ("Microsoft unveils Copilot features at Build conference", "New tools for developers."),
        ("Acme sold its data analytics unit", "The deal closed on Friday."),
        ("Acme recalls laptops", "Batteries in some laptops were lost to overheating."),
        ("Acme phones recalled", "Phones with faulty batteries were lost in transit, the retailer said."),
        # data that could be exposed is not data told taken
        ("Acme ships VPN update", "Acme said passwords could be exposed in rare configurations."),
        # what attackers could do, data shared on purpose, a business sold, malware described
        ("Acme patches VPN flaw", "The flaw could allow attackers to access sensitive data on the appliance."),
        ("Acme sells its hosting arm", "The data center was put up for sale last year and sold to Beta."),
        ("Acme publishes quarterly figures", "Quarterly sales data were published on the company website."),
        ("Acme opens its archive", "Survey data was made publicly available to researchers on the internet."),
        ("New stealer malware analysed", "The stealer harvests passwords and credentials from browsers."),
        # a watch kept against attacks (session 15)
        (
            "アクメサイバー被害監視室設置",
            "アクメは世界の拠点でサイバー攻撃の監視体制を強化した。早期検知と対応が可能となる。",
        ),
    ],
)
def test_business_news_naming_a_vendor_is_not_a_breach(title, text):  # type: ignore[no-untyped-def]
    assert not assess(title, text).breach


@pytest.mark.parametrize(
    "title,text",
    [
        (
            "Sophos State of Ransomware report: recovery costs rise",
            "A survey of IT leaders finds ransomware hit 59 percent of organisations.",
        ),
        (
            "トレンドマイクロ、2024年ランサムウェア動向レポートを公開",
            "国内のランサムウェア被害の傾向を分析したレポートを公開した。被害件数は増加傾向にある。",
        ),
        (
            "CrowdStrike 2024 Global Threat Report: breakout time drops",
            "Adversaries move faster, with cloud intrusions up 75 percent year over year.",
        ),
    ],
)
def test_security_vendor_threat_trend_report_is_not_a_breach(title, text):  # type: ignore[no-untyped-def]
    assert not assess(title, text).breach


def test_denial_of_an_attack_is_not_a_breach():  # type: ignore[no-untyped-def]
    assert not assess(
        "江崎グリコ、基幹システム移行の障害で出荷停止",
        "基幹システムの切り替えに伴う障害でチルド製品の出荷を停止した。サイバー攻撃ではないとしている。",
    ).breach


def test_title_weighs_more_than_body():  # type: ignore[no-untyped-def]
    body = "The company mentioned a ransomware incident at a competitor last year."
    in_title = assess("Ransomware attack hits the company", body)
    in_body = assess("Company opens new office", body)
    assert in_title.score > in_body.score


@pytest.mark.parametrize(
    "title,text",
    [
        ("LINEヤフー、情報漏えい", "委託先であるNAVER Cloud社の再委託先のPCがマルウェアに感染した。"),
        ("Target breach began with HVAC contractor credentials", "Attackers stole credentials from a contractor."),
        ("Zellis customers hit by MOVEit data theft", "Staff data was stolen from payroll provider Zellis via MOVEit."),
    ],
)
def test_supply_chain_reports_are_flagged(title, text):  # type: ignore[no-untyped-def]
    v = assess(title, text)
    assert v.breach and v.supply_chain


def test_direct_breach_is_not_flagged_supply_chain():  # type: ignore[no-untyped-def]
    assert not assess("Okta confirms breach", "An attacker accessed Okta's support system.").supply_chain


@pytest.mark.parametrize(
    "title,text",
    [
        (
            "LINEヤフー、不正アクセス事案の再発防止策を公表",
            "LINEヤフーは情報漏えい事案の調査結果と再発防止策を公表した。",
        ),
        (
            "UnitedHealth says Change Healthcare breach affected 100 million",
            "An updated count of people whose data was stolen.",
        ),
        (
            "Infosys McCamish settles class action over ransomware attack",
            "A settlement of the lawsuits after the breach.",
        ),
    ],
)
def test_follow_ups_are_still_incident_news(title, text):  # type: ignore[no-untyped-def]
    v = assess(title, text)
    assert v.breach and v.follow_up


def test_vendor_as_subject_vs_reporter():  # type: ignore[no-untyped-def]
    m = Matcher([Vendor("CrowdStrike Holdings, Inc.", ("CrowdStrike",)), Vendor("Acme Hospital Group")])
    title = "Hospital chain hit by ransomware"
    text = "According to CrowdStrike, the attackers stayed hidden for weeks. Acme Hospital Group said data was stolen."
    found = {x.vendor: x for x in m.match({"title": title, "summary": text})}
    assert not is_subject(found["CrowdStrike Holdings, Inc."], title, text)
    assert is_subject(found["Acme Hospital Group"], title, text)
    assert assess(title, text).about_any(found.values(), title, text)


def test_vendor_in_title_is_the_subject():  # type: ignore[no-untyped-def]
    m = Matcher([Vendor("Okta Inc.", ("Okta",))])
    (x,) = m.match({"title": "Okta confirms breach"})
    assert is_subject(x, "Okta confirms breach")


def test_run_alerts_only_when_a_matched_vendor_is_the_subject(project, httpserver):  # type: ignore[no-untyped-def]
    now = datetime(2024, 6, 5, tzinfo=UTC)
    entries = [
        Entry(
            "Hospital chain hit by ransomware",
            "https://n.example/a",
            "Researchers at Okta described the lure. The hospital said patient data was stolen.",
            "a",
            now,
        ),
        Entry(
            "Okta confirms breach of support system",
            "https://n.example/b",
            "Attackers viewed files uploaded by customers.",
            "b",
            now,
        ),
    ]
    httpserver.expect_request("/rss").respond_with_data(rss2(entries), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/rss")}])
    r = project.run("run", "--once")
    assert r.exit_code == 0, r.output
    alerts = [
        row["title"]
        for row in project.db().query("SELECT ar.title FROM alerts a JOIN articles ar ON ar.id = a.article_id")
    ]
    assert alerts == ["Okta confirms breach of support system"]
    out = project.run("search", "hospital", "--json")
    (row,) = json.loads(out.output)
    assert row["breach"] is True and row["vendors"] == ["Okta Inc."]
    assert row["matches"][0]["surface"] == "Okta" and row["matches"][0]["field"] == "summary"


# ---------------------------------------------------------------- term families (round 2)


@pytest.mark.parametrize(
    "title,text",
    [
        ("Active!mailへのDDoS攻撃による影響", "Webメールのサーバへのアクセスが集中し、ログインできない状態が続いた。"),
        (
            "アサヒGHD生産停止続く",
            "アサヒグループホールディングスはサイバー攻撃によりシステム障害が発生し、工場の稼働が停止した。",
        ),
        ("ビール大手、年末ギフトを休売", "取引先のサイバー攻撃の影響で出荷が停止し、歳暮ギフトの販売を見合わせる。"),
        ("APT36がインド政府を狙う攻撃", "脅威アクターがインド政府機関を標的にマルウェアを用いた攻撃を実施している。"),
        ("Hospital hit by DDoS attack", "The hospital said its patient portal was offline for two days."),
    ],
)
def test_attack_impact_and_targeted_institutions_are_incidents(title, text):  # type: ignore[no-untyped-def]
    assert assess(title, text).breach


@pytest.mark.parametrize(
    "title,text",
    [
        (
            "Cloudflare blocks record 5.6 Tbps DDoS attack",
            "Cloudflare said it mitigated the largest DDoS attack so far.",
        ),
        ("Cloudflareが記録的なDDoS攻撃を防御", "同社のネットワークが攻撃を自動的に緩和し、顧客への影響はなかった。"),
        ("新型マルウェアがmacOSユーザーを標的に", "研究者は署名済みアプリに偽装するマルウェアの手口を解説した。"),
        (
            "BitLockerを回避する複数のゼロデイ",
            "研究者は攻撃者が数分で暗号化されたデバイスからデータを抽出できる脆弱性を公開した。",
        ),
    ],
)
def test_defences_and_malware_analyses_are_not_incidents(title, text):  # type: ignore[no-untyped-def]
    assert not assess(title, text).breach


def test_subjects_lists_only_the_vendors_an_alert_is_about():  # type: ignore[no-untyped-def]
    matcher = Matcher([Vendor(name="Pornhub"), Vendor(name="Mixpanel"), Vendor(name="CrowdStrike")])
    title = "Pornhub notifies users after data theft"
    text = "Pornhub said customer records were stolen. According to CrowdStrike researchers, the group is active."
    ms = matcher.match({"title": title, "summary": text})
    v = assess(title, text)
    assert {m.vendor for m in v.subjects(ms, title, text)} == {"Pornhub"}
    assert v.about_any(ms, title, text)
    launch = assess("Pornhub launches a new app", "The company unveils features.")
    assert launch.subjects(matcher.match({"title": "Pornhub launches a new app"}), "Pornhub launches a new app") == ()


@pytest.mark.parametrize(
    "title,text",
    [
        (
            "防衛企業を狙うゼロデイ攻撃",
            "脅威グループが未知のゼロデイ脆弱性を悪用し中東の防衛企業を標的に遠隔でマルウェアを実行した。",
        ),
        (
            "VPN製品の脆弱性が悪用される",
            "国家支援の攻撃者がVPN機器の脆弱性を悪用し複数の政府機関に侵入したことが判明した。",
        ),
        (
            "Zero-day in file transfer tool exploited",
            "A ransomware group exploited the flaw to breach dozens of companies before a fix was available.",
        ),
    ],
)
def test_an_exploitation_campaign_is_incident_news(title, text):  # type: ignore[no-untyped-def]
    """A vendor's product exploited to break into organisations is news a third-party-risk team acts on."""
    assert assess(title, text).breach


@pytest.mark.parametrize(
    "title,text",
    [
        (
            "ブラウザのゼロデイ脆弱性を修正",
            "開発元は4件の脆弱性を修正し、うち1件は悪用されていることを確認した。更新の適用を推奨する。",
        ),
        ("既知の悪用脆弱性カタログに3件追加", "当局は悪用が確認された3件の脆弱性をカタログに追加し、対応を求めた。"),
        (
            "メール製品に認証回避の脆弱性",
            "攻撃者が脆弱性を悪用し管理者権限を取得できる恐れがあるため、修正版の適用が必要である。",
        ),
    ],
)
def test_a_patch_note_or_kev_listing_is_not(title, text):  # type: ignore[no-untyped-def]
    assert not assess(title, text).breach


def _texts_for_prefilter_check() -> list[str]:
    """Folded titles and texts: the shipped eval set, one example per alternative of each pattern,
    and the jp-news sample when ../shared/data is present."""

    from monitor.eval.evaluate import EVAL_DIR
    from monitor.normalize import fold

    raw = []
    for line in (EVAL_DIR / "items.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        raw += [row["title"], row["text"]]
    raw += [
        "サイバー攻撃の影響で生産を停止",
        "ランサムウェアによる障害が発生",
        "不正アクセスを受け業務に支障",
        "システム障害はランサムウェアが原因",
        "outage caused by a cyberattack",
        "防衛省を標的にした攻撃",
        "大学に侵入",
        "a campaign targeting government agencies",
        "攻撃者グループが脆弱性を悪用し企業に侵入した",
        "脆弱性を悪用し複数の企業を標的に",
        "hackers exploited the flaw to breach the network",
        "this was not a cyberattack",
        "there was no breach",
        "サイバー攻撃ではない",
        "情報流出によるものではない",
        "Okta publishes its breach report",
        "incident reports rose",
        "40% of firms",
        "3割の企業",
        "12 percent",
        "5パーセント",
    ]
    from conftest import SHARED_DATA

    jp_news = SHARED_DATA / "jp-news" / "secnews_sample.jsonl"  # read when present (it was never found before)
    if jp_news.exists():
        for line in jp_news.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            raw += [row.get("タイトル") or "", row.get("概要") or ""]
    return [fold(t, join_cjk=True) for t in raw if t]


def test_regex_prefilters_never_skip_a_text_the_pattern_matches():  # type: ignore[no-untyped-def]
    # assess() runs its costliest patterns only when one of their required literals is present. A literal
    # list that misses an alternative would silently turn that alternative off.
    from monitor.matching.detect import _REQUIRED, _may_match

    texts = _texts_for_prefilter_check()
    for pattern in _REQUIRED:
        hits = [t for t in texts if pattern.search(t)]
        assert hits, f"no example text matches {pattern.pattern[:40]!r}"
        missed = [t[:80] for t in hits if not _may_match(pattern, t)]
        assert not missed, f"{pattern.pattern[:40]!r} matches but its prefilter says no: {missed[:3]}"
