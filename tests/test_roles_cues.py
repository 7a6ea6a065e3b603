"""Issue 15: role cues the first rule missed, on real-shaped headlines (monitor/matching/roles.py)."""

from __future__ import annotations

import pytest
from test_roles import roles


def role(title: str, vendor: str, text: str = "") -> str:
    return roles(title, text)[vendor].role


def test_a_possessive_contractor_noun_makes_the_client_affected() -> None:
    # The matcher's surface is "Aflac's": the words after the possessive still decide the role.
    assert role("Aflac's third-party provider hit by ransomware, customer data stolen",
                "Aflac Incorporated") == "affected"


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


@pytest.mark.parametrize("title", ["Aflac data breach; Mandiant investigating",
                                   "Aflac hit by ransomware attack, Mandiant hired"])
def test_the_incident_response_firm_after_its_name_is_only_mentioned(title: str) -> None:
    got = roles(title)
    assert (got["Aflac Incorporated"].role, got["Mandiant"].role) == ("breached", "mentioned")


@pytest.mark.parametrize("title", ["Okta investigating claims of breach by Lapsus$ hacking group",
                                   "Aflac is investigating a possible data breach"])
def test_a_company_investigating_its_own_incident_is_not_only_mentioned(title: str) -> None:
    assert next(iter(roles(title).values())).role == "breached"


def test_a_japanese_headline_naming_the_product_before_its_exploited_flaw_is_a_product_alert() -> None:
    assert role("Ivanti Connect Secureの脆弱性を悪用した攻撃、国内でも被害", "Ivanti, Inc.") == "product"


def test_a_platform_account_the_victim_held_is_the_platforms_product_not_its_breach() -> None:
    got = roles("Ticketmaster confirms data breach via Snowflake account")
    assert (got["Ticketmaster"].role, got["Snowflake Inc."].role) == ("breached", "product")
