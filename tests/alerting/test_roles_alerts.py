"""Issue 15 through `monitor run --once` and the Slack stand-in, with both the client and its contractor
registered: each alerted vendor's role is in the alert and in `monitor alerts --json` (`roles`)."""

from __future__ import annotations

import json

import pytest
from alert_support import Feed, blocks_text
from conftest import Project, bot_env
from test_roles_cli import EPIC, FRANCEBED, ROLES_CSV

BOTH_CSV = ROLES_CSV + "東山産業株式会社,東山産業,,medium,,,\n"


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def test_the_contractor_item_alerts_client_and_contractor_with_their_roles(
    project: Project,
    feed,  # type: ignore[no-untyped-def]
    slack,
) -> None:
    project.vendors_path.write_text(BOTH_CSV, encoding="utf-8")
    feed.add(EPIC, FRANCEBED)
    slack.add_channel("C0VULNS", "vulns")
    project.configure([feed.source], slack={"channel": "C0GENERAL", "routes": {"product": "C0VULNS"}})
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    fb = next(m for m in slack.messages if "フランスベッド株式会社" in m["blocks"][0]["text"]["text"])
    assert (
        fb["blocks"][0]["text"]["text"]
        == "🟠 Vendor's data exposed through its contractor 東山産業: フランスベッド株式会社 · Breach at vendor: 東山産業株式会社"
    )
    text = blocks_text(fb)
    assert "affected: its data exposed through its contractor 東山産業" in text
    assert "breached: the contractor whose systems were compromised" in text
    product = next(m for m in slack.messages if "vBulletin Solutions" in m["blocks"][0]["text"]["text"])
    assert (product["blocks"][0]["text"]["text"], product["channel"]) == (
        "⚪ Vendor's product exploited: vBulletin Solutions",
        "C0VULNS",
    )

    got = json.loads(project.run("alerts", "--json").stdout)
    roles = {a["title"]: [(r["vendor"], r["role"]) for r in a["roles"]] for a in got}
    assert roles[FRANCEBED.title] == [("フランスベッド株式会社", "affected"), ("東山産業株式会社", "breached")]
    by_kind = {a["kind"]: a for a in got if a["title"] == EPIC.title}
    assert [(r["vendor"], r["role"]) for r in by_kind["product"]["roles"]] == [("vBulletin Solutions", "product")]
    assert [(r["vendor"], r["role"]) for r in by_kind["article"]["roles"]] == [("Epic Games Inc.", "breached")]
    assert by_kind["product"]["roles"][0]["reason"].startswith("its product or software is the way in")


def test_each_slack_message_carries_kind_incident_and_vendors_with_roles_in_its_metadata(  # type: ignore[no-untyped-def]
    project: Project, feed, slack
) -> None:
    project.vendors_path.write_text(BOTH_CSV, encoding="utf-8")
    feed.add(EPIC, FRANCEBED)
    project.configure([feed.source], slack={"channel": "C0GENERAL"})
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    alerts = {a["id"]: a for a in json.loads(project.run("alerts", "--json").stdout)}
    got = {}
    for m in slack.messages:
        meta = m["metadata"]
        assert meta["event_type"] == "monitor_alert"
        p = meta["event_payload"]
        assert p["incident_id"] == alerts[int(p["alert_id"])]["incident_id"]
        got[(alerts[int(p["alert_id"])]["title"], p["kind"])] = [(v["name"], v["role"]) for v in p["vendors"]]
    assert got == {
        (EPIC.title, "article"): [("Epic Games Inc.", "breached")],
        (EPIC.title, "product"): [("vBulletin Solutions", "product")],
        (FRANCEBED.title, "article"): [("フランスベッド株式会社", "affected"), ("東山産業株式会社", "breached")],
    }


def test_alerts_queued_by_a_version_before_roles_name_their_vendor_with_its_kinds_role(  # type: ignore[no-untyped-def]
    project: Project, feed, slack
) -> None:
    """Alerts left pending by a version that stored no roles (the upgrade keeps them NULL) are posted
    after the upgrade with their own vendor in the metadata: breached for a report, product for an advisory."""
    project.vendors_path.write_text(BOTH_CSV, encoding="utf-8")
    feed.add(EPIC)
    project.configure([feed.source], slack={"channel": "C0GENERAL"})
    slack.go_down()
    project.run("run", "--once", env=bot_env(slack))
    slack.come_back()
    db = project.db()
    with db.conn:
        db.execute("UPDATE matches SET role = NULL, role_reason = NULL")  # what the v6 upgrade leaves
    db.close()
    assert slack.messages == [] and project.run("alerts", "retry", env=bot_env(slack)).exit_code == 0
    got = {m["metadata"]["event_payload"]["kind"]: m["metadata"]["event_payload"]["vendors"] for m in slack.messages}
    assert got == {
        "article": [{"name": "Epic Games Inc.", "role": "breached"}],
        "product": [{"name": "vBulletin Solutions", "role": "product"}],
    }


def test_the_alerts_own_vendor_comes_first_in_the_metadata_whatever_the_names(  # type: ignore[no-untyped-def]
    project: Project, feed, slack
) -> None:
    """A reader of the metadata takes vendors[0] as the alert's subject: it is the vendor the alert is
    about (the client whose data was exposed), even when the contractor's name sorts before it."""
    project.vendors_path.write_text(ROLES_CSV + "Higashiyama Sangyo Co.,東山産業,,medium,,,\n", encoding="utf-8")
    feed.add(FRANCEBED)
    project.configure([feed.source], slack={"channel": "C0GENERAL"})
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [message] = slack.messages
    assert message["blocks"][0]["text"]["text"].endswith(
        ": フランスベッド株式会社 · Breach at vendor: Higashiyama Sangyo Co."
    )
    assert message["metadata"]["event_payload"]["vendors"] == [
        {"name": "フランスベッド株式会社", "role": "affected"},
        {"name": "Higashiyama Sangyo Co.", "role": "breached"},
    ]
