"""Issue 15: role cues the first rule missed, on real-shaped headlines (monitor/matching/roles.py)."""

from __future__ import annotations

import pytest
from test_roles import roles

from monitor.matching.detect import assess
from monitor.matching.matcher import Matcher
from monitor.matching.roles import RoleOf, assign
from monitor.matching.vendors import Vendor


def role(title: str, vendor: str, text: str = "") -> str:
    return roles(title, text)[vendor].role


def test_a_possessive_contractor_noun_makes_the_client_affected() -> None:
    # The matcher's surface is "Aflac's": the words after the possessive still decide the role.
    assert (
        role("Aflac's third-party provider hit by ransomware, customer data stolen", "Aflac Incorporated") == "affected"
    )


def test_the_client_named_before_the_contractor_noun_is_affected_and_the_contractor_breached() -> None:
    got = roles("Sitel, an Okta contractor, was breached in January")
    assert (got["Okta Inc."].role, got["Sitel Group"].role) == ("affected", "breached")
    assert "Sitel Group" in got["Okta Inc."].reason


def test_an_attack_on_its_supplier_makes_the_client_affected() -> None:
    got = roles("Aflac data exposed in ransomware attack on its supplier Sitel")
    assert (got["Aflac Incorporated"].role, got["Sitel Group"].role) == ("affected", "breached")
    assert got["Aflac Incorporated"].via == "Sitel"


def test_the_victims_own_breach_verb_is_not_read_as_its_product() -> None:
    got = roles("Aflac breached after hackers exploited a flaw in Fortinet's FortiOS")
    assert (got["Aflac Incorporated"].role, got["Fortinet, Inc."].role) == ("breached", "product")


@pytest.mark.parametrize(
    "title", ["Aflac data breach; Mandiant investigating", "Aflac hit by ransomware attack, Mandiant hired"]
)
def test_the_incident_response_firm_after_its_name_is_only_mentioned(title: str) -> None:
    got = roles(title)
    assert (got["Aflac Incorporated"].role, got["Mandiant"].role) == ("breached", "mentioned")


@pytest.mark.parametrize(
    "title",
    ["Okta investigating claims of breach by Lapsus$ hacking group", "Aflac is investigating a possible data breach"],
)
def test_a_company_investigating_its_own_incident_is_not_only_mentioned(title: str) -> None:
    assert next(iter(roles(title).values())).role == "breached"


def test_a_japanese_headline_naming_the_product_before_its_exploited_flaw_is_a_product_alert() -> None:
    assert role("Ivanti Connect Secureの脆弱性を悪用した攻撃、国内でも被害", "Ivanti, Inc.") == "product"


def test_a_platform_account_the_victim_held_is_the_platforms_product_not_its_breach() -> None:
    got = roles("Ticketmaster confirms data breach via Snowflake account")
    assert (got["Ticketmaster"].role, got["Snowflake Inc."].role) == ("breached", "product")


# --- issue 15, measured on the role set (monitor/eval/data/roles.jsonl): general causes of its errors ---

SUPPLY = [
    Vendor(name="JCOM株式会社", aliases=("JCOM", "J:COM")),
    Vendor(name="Plume Design, Inc.", aliases=("Plume",)),
    Vendor(name="Nissan Motor Co., Ltd.", aliases=("Nissan",)),
    Vendor(name="Red Hat, Inc.", aliases=("Red Hat", "レッドハット")),
    Vendor(name="日本生命保険相互会社", aliases=("日本生命",)),
    Vendor(name="株式会社イセトー", aliases=("イセトー",)),
    Vendor(name="Microsoft Corporation", aliases=("Microsoft",)),
    Vendor(name="Elastic N.V.", aliases=("Elasticsearch",)),
    Vendor(name="Salesforce, Inc.", aliases=("Salesforce",)),
    Vendor(name="株式会社イーシーキューブ", aliases=("EC-CUBE",)),
    Vendor(name="Zellis"),
    Vendor(name="Boots UK Limited", aliases=("Boots",)),
    Vendor(name="UnitedHealth Group", aliases=("UnitedHealth",)),
    Vendor(name="Change Healthcare"),
]
SUPPLY_MATCHER = Matcher(SUPPLY)


def supply(title: str, text: str = "") -> dict[str, RoleOf]:
    verdict = assess(title, text)
    matches = SUPPLY_MATCHER.match({"title": title, "summary": text})
    return {r.vendor: r for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))}


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Plumeで情報漏えい、J:COM利用者に影響", "Plumeのシステムに第三者が侵入した。"),
        ("Nissan says customer data stolen in breach at Red Hat", "A server managed by Red Hat was accessed."),
    ],
)
def test_a_client_named_without_a_contractor_word_beside_the_breached_vendor_is_affected(title: str, text: str) -> None:
    got = supply(title, text)
    client, contractor = (
        [r for r in got.values() if r.vendor in ("JCOM株式会社", "Nissan Motor Co., Ltd.")][0],
        [r for r in got.values() if r.vendor in ("Plume Design, Inc.", "Red Hat, Inc.")][0],
    )
    assert (client.role, contractor.role) == ("affected", "breached")
    assert client.via == contractor.vendor


def test_the_contractor_told_by_what_it_does_not_by_the_word_委託() -> None:
    got = supply("日本生命、帳票の印刷や発送を請け負うイセトーがランサムウェア被害")
    assert (got["日本生命保険相互会社"].role, got["株式会社イセトー"].role) == ("affected", "breached")


def test_staff_data_exposed_at_a_payroll_provider_named_in_the_text_makes_the_client_affected() -> None:
    got = supply(
        "Boots confirms staff data exposed",
        "The payroll company Zellis said its MOVEit server was compromised, affecting some of its clients.",
    )
    assert (got["Boots UK Limited"].role, got["Zellis"].role) == ("affected", "breached")


def test_a_breach_at_an_unnamed_outsourcer_makes_the_named_client_affected() -> None:
    assert (
        supply(
            "アフラックと日本生命の顧客情報がネットに流出",
            "両社がシステムの運用を任せていた米国の会社で情報が持ち出された。",
        )["日本生命保険相互会社"].role
        == "affected"
    )


def test_the_text_tells_the_platform_the_headline_only_names() -> None:
    got = supply(
        "Hacker claims Microsoft Exchange data theft at European bank",
        "The bank said the intrusion began through its on-premises Microsoft Exchange server.",
    )
    assert got["Microsoft Corporation"].role == "product"
    # ...but the owner of a subsidiary named after 'its' is not a platform
    chc = supply(
        "UnitedHealth confirms BlackCat ransomware behind Change Healthcare attack",
        "UnitedHealth Group confirmed the gang was behind the cyberattack on its Change Healthcare subsidiary.",
    )
    assert chc["Change Healthcare"].role == "breached"


@pytest.mark.parametrize(
    ("title", "vendor"),
    [
        ("Hackers steal data from an exposed Elasticsearch server of a marketing firm", "Elastic N.V."),
        ("EC-CUBEで構築した通販サイトに不正アクセス、カード情報流出", "株式会社イーシーキューブ"),
        ("グーグル、Salesforce上の顧客データが盗まれたと確認", "Salesforce, Inc."),
    ],
)
def test_the_victims_software_or_platform_is_never_the_breached_vendor(title: str, vendor: str) -> None:
    assert supply(title)[vendor].role == "product"


def test_a_security_firm_cited_after_what_it_reported_is_mentioned() -> None:
    got = roles(
        "Snowflake customers targeted in data theft campaign",
        "Attackers logged in to customer accounts that lacked multi-factor authentication, Mandiant said.",
    )
    assert (got["Snowflake Inc."].role, got["Mandiant"].role) == ("product", "mentioned")


def test_a_vendors_advisory_about_its_exploited_product_is_a_product_report() -> None:
    assert (
        role(
            "Progress Software warns of critical MOVEit Transfer flaw",
            "Progress Software Corporation",
            "Attackers are exploiting the SQL injection flaw to steal data.",
        )
        == "product"
    )


def test_an_attack_on_the_contractor_itself_is_its_breach_whoever_else_is_named() -> None:
    assert role("Sitelへの不正アクセス、Oktaなど取引先にも影響", "Sitel Group") == "breached"


# --- issue 15, second pass on the role set's development errors: one test per general cue ---


@pytest.mark.parametrize(
    "text",
    [
        "The crew said it exploited the same kind of flaw as in MOVEit to steal files from 40 companies.",
        "Investigators said the intrusion was similar to the MOVEit attacks of 2023.",
    ],
)
def test_a_product_named_only_in_a_comparison_is_mentioned(text: str) -> None:
    assert role("Ransomware crew claims theft from file-sharing servers", "Progress Software Corporation", text) == (
        "mentioned"
    )


@pytest.mark.parametrize(
    ("title", "vendor"),
    [
        ("Extortion gang adds 30 more Snowflake victims to its leak site", "Snowflake Inc."),
        ("Ivanti attacks have hit more than 1,700 organisations, researchers estimate", "Ivanti, Inc."),
    ],
)
def test_a_campaign_named_after_the_product_it_goes_through_is_a_product_alert(title: str, vendor: str) -> None:
    assert role(title, vendor) == "product"


@pytest.mark.parametrize(
    "title",
    [
        "Okta says there is no evidence its own systems were breached in the support-token thefts",
        "Snowflake denies breach claims as customer data appears on hacking forum",
        "Ticketmaster breach: Snowflake says its platform was not compromised",
    ],
)
def test_a_vendor_that_denies_its_own_breach_is_not_alerted_as_breached(title: str) -> None:
    got = roles(title)
    vendor = next(r for r in got.values() if r.vendor in ("Okta Inc.", "Snowflake Inc."))
    assert vendor.role == "mentioned"


def test_a_platform_named_later_as_the_one_the_victim_used_is_its_product() -> None:
    got = roles(
        "Aflac confirms data breach after customer records stolen from a cloud platform",
        "Aflac said a third party accessed a customer database; Snowflake was later identified as the platform.",
    )
    assert (got["Aflac Incorporated"].role, got["Snowflake Inc."].role) == ("breached", "product")


@pytest.mark.parametrize(
    ("title", "text", "vendor"),
    [
        (
            "Change Healthcare cyberattack leaves pharmacies unable to process claims",
            "Thousands of pharmacies rely on Change Healthcare's claims processing software.",
            "Change Healthcare",
        ),
        (
            "Password manager firm detects intrusion tied to Okta",
            "The attacker used a session cookie stolen from Okta's customer support system to sign in to the "
            "firm's Okta tenant.",
            "Okta Inc.",
        ),
    ],
)
def test_an_attack_at_the_vendors_own_systems_outweighs_its_software_named_elsewhere(
    title: str, text: str, vendor: str
) -> None:
    assert role(title, vendor, text) == "breached"


@pytest.mark.parametrize(
    "title",
    ["FortiOS狙う脆弱性攻撃が拡大、米当局が警告", "FortiOSの脆弱性を突く攻撃、国内の複数組織で確認"],
)
def test_a_japanese_headline_telling_an_attack_aimed_at_the_products_flaw_is_a_product_alert(title: str) -> None:
    assert role(title, "Fortinet, Inc.") == "product"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Elasticsearchのサーバーが公開状態に、ホテル予約者の情報が閲覧可能",
            "設定の不備でElasticsearchに外部から認証なしで接続できる状態だった。",
        ),
        (
            "Hotel chain data breach exposes 2 million booking records",
            "Elasticsearch was left open to the internet without a password, exposing the records to anyone.",
        ),
    ],
)
def test_an_installation_reachable_without_logging_in_is_the_victims_software(title: str, text: str) -> None:
    assert supply(title, text)["Elastic N.V."].role == "product"


ACCOUNTS = Matcher(
    [Vendor(name="Cisco Systems, Inc.", aliases=("Cisco",)), Vendor(name="Google LLC", aliases=("Google", "グーグル"))]
)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Cisco confirms hackers breached its corporate network",
            "The attacker first compromised an employee's personal Google account, where VPN passwords were synced.",
        ),
        (
            "Cisco、社内システムに不正アクセス",
            "攻撃者は社員の私用のGoogleアカウントを乗っ取り、保存されていた認証情報を盗んだ。",
        ),
    ],
)
def test_a_persons_own_account_at_a_consumer_service_is_only_mentioned(title: str, text: str) -> None:
    verdict = assess(title, text)
    matches = ACCOUNTS.match({"title": title, "summary": text})
    got = {r.vendor: r for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))}
    assert (got["Cisco Systems, Inc."].role, got["Google LLC"].role) == ("breached", "mentioned")


FIRMS = Matcher([Vendor(name="Sophos Ltd", aliases=("Sophos", "ソフォス")), Vendor(name="Mandiant")])


@pytest.mark.parametrize(
    "title",
    [
        "ソフォス、医療機関を狙う新たなランサムウェア攻撃を確認",
        "Sophos、新たなランサムウェアを確認　VPN機器を入り口に侵入",
        "Mandiant spots new ransomware strain hitting hospitals in Europe",
    ],
)
def test_a_security_firm_telling_a_new_threat_aimed_at_others_is_only_mentioned(title: str) -> None:
    verdict = assess(title)
    matches = FIRMS.match({"title": title})
    (got,) = assign(matches, title, "", verdict.breach, verdict.subjects(matches, title))
    assert got.role == "mentioned"


SHOPS = Matcher(
    [Vendor(name="Adobe Inc.", aliases=("Adobe", "Magento")), Vendor(name="Elastic N.V.", aliases=("Elasticsearch",))]
)


@pytest.mark.parametrize(
    ("title", "text", "vendor"),
    [
        (
            "Card skimmers planted on dozens of Magento shops",
            "The attackers abused an unpatched Magento extension to add the skimmer to checkout pages.",
            "Adobe Inc.",
        ),
        ("Retailer leaks shoppers' addresses through misconfigured Elasticsearch server", "", "Elastic N.V."),
    ],
)
def test_a_skimming_or_leak_headline_is_a_breach_report_so_the_shops_software_is_a_product_alert(
    title: str, text: str, vendor: str
) -> None:
    verdict = assess(title, text)
    matches = SHOPS.match({"title": title, "summary": text})
    got = {r.vendor: r for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))}
    assert verdict.breach
    assert got[vendor].role == "product"


def test_a_name_right_after_another_vendors_name_is_that_vendors_product_not_the_company() -> None:
    register = Matcher(
        [
            Vendor(name="Atlassian Corporation", aliases=("Atlassian",)),
            Vendor(name="Confluence Health", aliases=("Confluence",)),
        ]
    )
    title = "Hackers exploit Atlassian Confluence flaw to breach government networks"
    verdict = assess(title)
    matches = register.match({"title": title})
    got = {r.vendor: r for r in assign(matches, title, "", verdict.breach, verdict.subjects(matches, title))}
    assert (got["Atlassian Corporation"].role, got["Confluence Health"].role) == ("product", "mentioned")
    assert "Atlassian" in got["Confluence Health"].reason


def test_a_denial_does_not_silence_a_report_that_its_customers_data_is_out() -> None:
    got = role(
        "Aflac denies data breach as hackers sell records",
        "Aflac Incorporated",
        "A seller on a hacking forum offers the personal data of 4 million Aflac customers; Aflac says its systems "
        "show no sign of intrusion.",
    )
    assert got == "breached"


SITES = Matcher([Vendor(name="Telegram"), Vendor(name="GitHub"), Vendor(name="Twitter")])


@pytest.mark.parametrize(
    ("text", "vendor"),
    [
        (
            "The attacker announced the breach in a post on Telegram, attaching a sample of the stolen files.",
            "Telegram",
        ),
        ("The stolen records were later widely distributed via Twitter after the forum was hacked.", "Twitter"),
        (
            "The exposed data was originally scraped from GitHub profiles and merged with the breached records.",
            "GitHub",
        ),
    ],
)
def test_the_service_the_data_or_the_news_went_out_on_is_only_mentioned(text: str, vendor: str) -> None:
    title = "Job board data breach exposes 200,000 users"
    verdict = assess(title, text)
    matches = SITES.match({"title": title, "summary": text})
    got = {r.vendor: r for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))}
    assert got[vendor].role == "mentioned"


@pytest.mark.parametrize(
    ("text", "vendor"),
    [
        (
            "The gang said the files were stolen from cloud platforms such as Snowflake, Box and Salesforce.",
            "Salesforce",
        ),
        ("Attackers reached customer records stored within Snowflake after phishing an administrator.", "Snowflake"),
        ("A backup of the user table was found exposed in a MongoDB with no password.", "MongoDB"),
    ],
)
def test_the_platform_the_victims_data_sat_in_is_its_product(text: str, vendor: str) -> None:
    register = Matcher([Vendor(name="Salesforce"), Vendor(name="Snowflake"), Vendor(name="MongoDB")])
    title = "Retailer confirms data breach after extortion demand"
    verdict = assess(title, text)
    matches = register.match({"title": title, "summary": text})
    got = {r.vendor: r for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))}
    assert got[vendor].role == "product"


@pytest.mark.parametrize(
    ("text", "vendor"),
    [
        (
            "In 2019, the Nintendo Switch modding forum known as SwitchHax was hacked and 90k accounts leaked.",
            "Nintendo",
        ),
        ("In 2017, the Facebook quiz app called QuizPal was breached and 1.1m profiles were exposed.", "Facebook"),
    ],
)
def test_a_vendor_that_only_describes_the_victim_named_after_known_as_is_mentioned(text: str, vendor: str) -> None:
    register = Matcher([Vendor(name="Nintendo"), Vendor(name="Facebook")])
    title = "Fan site data breach"
    verdict = assess(title, text)
    matches = register.match({"title": title, "summary": text})
    got = {r.vendor: r for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))}
    assert got[vendor].role == "mentioned"


@pytest.mark.parametrize(
    ("title", "vendor"),
    [
        ("Phishing emails impersonating Aflac used to breach hospital network", "Aflac Incorporated"),
        ("Hackers used a fake Okta login page to breach the retailer's network", "Okta Inc."),
        ("フランスベッドを騙るフィッシングメールで不正アクセス被害、個人情報が流出", "フランスベッド株式会社"),
        ("Ticketmaster-themed phishing lures used to steal data, thousands of accounts compromised", "Ticketmaster"),
    ],
)
def test_a_brand_impersonated_in_phishing_is_not_breached(title: str, vendor: str) -> None:
    assert assess(title).breach
    assert role(title, vendor) == "mentioned"


@pytest.mark.parametrize(
    "title",
    [
        "Aflac says policyholder data exposed in third-party data breach",
        "Aflac notifies customers of a third-party security incident affecting their records",
    ],
)
def test_a_vendors_data_exposed_in_a_third_party_incident_makes_it_affected(title: str) -> None:
    assert role(title, "Aflac Incorporated") == "affected"


@pytest.mark.parametrize(
    "title",
    [
        "Retailer breached in the Snowflake data-theft campaign",
        "Two more firms confirm data breach in the MOVEit hacking spree",
    ],
)
def test_one_campaign_named_after_the_product_is_a_product_alert(title: str) -> None:
    got = roles(title)
    product = next(r for r in got.values() if r.vendor in ("Snowflake Inc.", "Progress Software Corporation"))
    assert product.role == "product"


@pytest.mark.parametrize(
    ("title", "vendor"),
    [
        ("Hackers hijack Fortinet devices to breach 40 corporate networks", "Fortinet, Inc."),
        ("Ransomware gang breached the retailer through unmanaged Ivanti endpoints", "Ivanti, Inc."),
    ],
)
def test_a_vendors_devices_or_products_named_in_a_breach_are_its_product(title: str, vendor: str) -> None:
    assert role(title, vendor) == "product"


@pytest.mark.parametrize(
    "title",
    [
        "FortiOS重大脆弱性悪用で国内企業に不正アクセス",
        "FortiOS auth bypass lets hackers breach 30 corporate networks",
    ],
)
def test_a_flaw_compounded_with_the_product_name_or_told_by_its_kind_is_a_product_alert(title: str) -> None:
    assert role(title, "Fortinet, Inc.") == "product"
    # ...while で or に after a name marks the place attacked, not its product
    assert role("Aflacで脆弱性を突かれ不正アクセス、顧客情報流出の恐れ", "Aflac Incorporated") == "breached"


@pytest.mark.parametrize(
    ("title", "vendor"),
    [
        ("Cisco Talos: ransomware gang breached 20 manufacturers with stolen VPN logins", "Cisco Systems, Inc."),
        ("Check Point Research: hackers stole patient data from 300 hospitals", "Check Point Software"),
    ],
)
def test_a_vendors_research_unit_reporting_others_breaches_is_only_mentioned(title: str, vendor: str) -> None:
    register = Matcher(
        [
            Vendor(name="Cisco Systems, Inc.", aliases=("Cisco",)),
            Vendor(name="Check Point Software", aliases=("Check Point",)),
        ]
    )
    verdict = assess(title)
    matches = register.match({"title": title})
    got = {r.vendor: r for r in assign(matches, title, "", verdict.breach, verdict.subjects(matches, title))}
    assert verdict.breach
    assert got[vendor].role == "mentioned"
