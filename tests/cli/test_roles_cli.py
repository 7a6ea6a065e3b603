"""Issue 15 through the CLI and the Slack stand-in: alerts headed with the vendor's role, a product
exploited as its own alert kind routed by kind, mentioned vendors stored and searchable but never alerted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed, blocks_text, outbox
from conftest import Entry, Project, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
ROLES_CSV = """name,aliases,domains,criticality,owner,parent,notes
Epic Games Inc.,Epic Games,,critical,,,
vBulletin Solutions,vBulletin,,low,,,
フランスベッド株式会社,フランスベッド,,high,,,
Okta Inc.,Okta,,critical,,,
Mandiant,,,medium,,,
Telegram,,,medium,,,
"""
EPIC = Entry(
    "Epic Games forum hacked",
    "https://news.example/epic",
    "In August 2016, the Epic Games forum suffered a data breach, reportedly due to a SQL injection "
    "vulnerability in vBulletin.",
    "e",
    NOW,
)
FRANCEBED = Entry(
    "フランスベッドの委託先である東山産業がランサムウェア被害",
    "https://news.example/fb",
    "顧客情報が流出した可能性がある。",
    "f",
    NOW,
)
OKTA = Entry(
    "Okta confirms breach of support system, customer files stolen",
    "https://news.example/okta",
    "Attackers used stolen credentials and posted samples on Telegram. Mandiant researchers said the "
    "attackers were financially motivated.",
    "o",
    NOW,
)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


@pytest.fixture
def roles_project(project: Project) -> Project:
    project.vendors_path.write_text(ROLES_CSV, encoding="utf-8")
    return project


def _headers(slack) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m["blocks"][0]["text"]["text"]: m["channel"] for m in slack.messages}


def test_alerts_are_headed_with_the_role_and_product_is_routed_by_kind(roles_project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(EPIC, FRANCEBED, OKTA)
    slack.add_channel("C0VULNS", "vulns")
    roles_project.configure(
        [feed.source], slack={"channel": "C0GENERAL", "routes": {"critical": "C0INCIDENT", "product": "C0VULNS"}}
    )
    assert roles_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    heads = _headers(slack)
    assert heads == {
        "🔴 Breach at vendor: Epic Games Inc.": "C0INCIDENT",
        # low criticality, but routed by its kind, not by the vendor's criticality
        "⚪ Vendor's product exploited: vBulletin Solutions": "C0VULNS",
        "🟠 Vendor's data exposed through its contractor 東山産業: フランスベッド株式会社": "C0GENERAL",
        "🔴 Breach at vendor: Okta Inc.": "C0INCIDENT",
    }
    epic = next(m for m in slack.messages if m["blocks"][0]["text"]["text"].endswith("Epic Games Inc."))
    assert "breached: named in the headline of a breach report" in blocks_text(epic)
    assert "*vBulletin Solutions*" not in blocks_text(epic)  # its product alert names it, not the breach
    product = next(m for m in slack.messages if "vBulletin Solutions" in m["blocks"][0]["text"]["text"])
    assert "product: its product or software is the way in" in blocks_text(product)
    kinds = sorted(a["kind"] for a in outbox(roles_project))
    assert kinds == ["article", "article", "article", "product"]


def test_mentioned_vendors_are_stored_and_searchable_with_their_role_but_never_alerted(  # type: ignore[no-untyped-def]
    roles_project, feed, slack
):
    feed.add(OKTA)
    roles_project.configure([feed.source], slack={"channel": "C0GENERAL"})
    assert roles_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert [m["blocks"][0]["text"]["text"] for m in slack.messages] == ["🔴 Breach at vendor: Okta Inc."]
    okta = blocks_text(slack.messages[0])
    assert "*Mandiant*" not in okta and "*Telegram*" not in okta
    found = roles_project.run("search", "Okta", "--json")
    assert found.exit_code == 0, found.output
    matches = {m["vendor"]: m for m in json.loads(found.stdout)[0]["matches"]}
    assert matches["Okta Inc."]["role"] == "breached"
    assert matches["Mandiant"]["role"] == "mentioned" and "source" in matches["Mandiant"]["role_reason"]
    assert matches["Telegram"]["role"] == "mentioned"
    by_vendor = roles_project.run("search", "Okta", "--vendor", "Mandiant", "--json")
    assert len(json.loads(by_vendor.stdout)) == 1


def test_product_alerts_can_be_switched_off(roles_project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(EPIC)
    roles_project.configure([feed.source], slack={"channel": "C0GENERAL", "product_alerts": False})
    assert roles_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert list(_headers(slack)) == ["🔴 Breach at vendor: Epic Games Inc."]


def test_match_shows_each_vendors_role_and_reason(roles_project) -> None:  # type: ignore[no-untyped-def]
    roles_project.configure([])
    text = f"{EPIC.title}\n{EPIC.summary}"
    as_json = roles_project.run("match", text, "--json")
    assert as_json.exit_code == 0, as_json.output
    got = {m["vendor"]: (m["role"], m["role_reason"]) for m in json.loads(as_json.stdout)["matches"]}
    assert got["Epic Games Inc."][0] == "breached" and got["vBulletin Solutions"][0] == "product"
    plain = roles_project.run("match", text)
    assert "role: product (its product or software is the way in (text))" in plain.stdout


def test_a_route_for_an_unknown_kind_is_refused_naming_it(roles_project) -> None:  # type: ignore[no-untyped-def]
    roles_project.configure(
        [{"name": "n", "url": "https://news.example/feed"}],
        slack={"channel": "C0GENERAL", "routes": {"products": "C0VULNS"}},
    )
    result = roles_project.run("check")
    assert result.exit_code != 0
    assert "slack.routes" in result.output and "products" in result.output
    assert "Traceback" not in result.output
