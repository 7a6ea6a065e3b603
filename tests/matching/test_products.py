"""vendors.csv `products`: a vendor named only by one of its products is never breached or affected.

A register that lists Microsoft's products as aliases ('Windows', 'SharePoint') alerts Microsoft as breached whenever
malware is told running on Windows (session 15: on the role set, 13 more false breach alerts of makers named through
a product than with the products in their own column)."""

from __future__ import annotations

import json

from conftest import Project

from monitor.matching.detect import assess
from monitor.matching.matcher import Matcher
from monitor.matching.roles import assign
from monitor.matching.vendors import parse_vendors

REGISTER = """name,aliases,products
Microsoft Corporation,Microsoft|マイクロソフト,Windows|SharePoint|Outlook
Oracle Corporation,Oracle,E-Business Suite|Oracle EBS
株式会社アクメ,アクメ,
Acme Health,,
"""


def _roles(title: str, text: str) -> dict[str, str]:
    matcher = Matcher(parse_vendors(REGISTER))
    matches = matcher.match({"title": title, "summary": text})
    verdict = assess(title, text)
    return {
        r.vendor: r.role for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text))
    }


def test_the_products_column_is_read_and_matched_as_the_vendors_product() -> None:
    vendors = parse_vendors(REGISTER)
    assert vendors[0].products == ("Windows", "SharePoint", "Outlook")
    (m,) = Matcher(vendors).match({"title": "SharePoint flaw exploited", "summary": ""})
    assert (m.vendor, m.how, m.surface) == ("Microsoft Corporation", "product", "SharePoint")


def test_its_own_name_is_the_evidence_where_the_report_names_both() -> None:
    (m,) = Matcher(parse_vendors(REGISTER)).match(
        {"title": "NHSがOracle EBSの侵害を調査中", "summary": "OracleのE-Business Suiteの脆弱性を突いた攻撃。"}
    )
    assert (m.how, m.surface) == ("name", "Oracle")


def test_a_vendor_named_only_by_its_product_is_never_breached() -> None:
    # malware told running on its product: someone else's incident
    assert _roles("アクメに標的型攻撃", "Windowsを狙うマルウェアがアクメの端末に感染し、情報が窃取された。") == {
        "株式会社アクメ": "breached",
        "Microsoft Corporation": "mentioned",
    }
    assert _roles(
        "Acme Health breach",
        "Attackers infected Acme Health's Windows machines with ransomware and stole patient data.",
    ) == {"Acme Health": "breached", "Microsoft Corporation": "mentioned"}
    # the breach told at the product: the victim's installation of it
    roles = _roles(
        "取引所幹部のOutlookが狙われた",
        "株式取引所の幹部のOutlookアカウントが5ヶ月間にわたり不正アクセスされ、メールが盗まれた。",
    )
    assert roles["Microsoft Corporation"] == "product"


def test_monitor_match_shows_the_product_it_was_named_by_and_its_role(project: Project) -> None:
    project.vendors_path.write_text(REGISTER, encoding="utf-8")
    project.configure([])
    text = "アクメに標的型攻撃\nWindowsを狙うマルウェアがアクメの端末に感染し、情報が窃取された。"
    r = project.run("match", text, "--json")
    assert r.exit_code == 0, r.output
    got = {m["vendor"]: (m["how"], m["surface"], m["role"]) for m in json.loads(r.stdout)["matches"]}
    assert got["Microsoft Corporation"] == ("product", "Windows", "mentioned")
    assert got["株式会社アクメ"][2] == "breached"
    plain = project.run("match", text).stdout
    assert "Microsoft Corporation  via product “Windows”" in plain
    assert "role: mentioned (its product Windows named where another's incident is told)" in plain
