"""Issue 15: CISA's Known Exploited Vulnerabilities catalogue as a source (`type: kev`), through
`monitor run --once`, the catalogue served from 127.0.0.1 and the Slack stand-in.

The real catalogue (../shared/data/vulns, 1,404 entries) where the test is about volume; small
catalogues written here where it is about one entry. Time is the test's: monitor.clock.utcnow."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alert_support import blocks_text
from conftest import Project, bot_env, shared_data
from werkzeug.wrappers import Response

import monitor.clock

KEV_CSV = """name,aliases,domains,criticality,owner,parent,notes
Progress Software Corporation,,progress.com,critical,<@U0MFT>,,File transfer (MOVEit)
Citrix Systems Inc.,,citrix.com,high,,,
Apple Inc.,,apple.com,medium,,,
Trend Micro Incorporated,,trendmicro.com,medium,,,
Microsoft Corporation,,microsoft.com,high,,,
Progress Bank,,,medium,,,A bank: its name is not 'Progress' plus a descriptor
General Systems Inc.,,,medium,,,
Okta Inc.,Okta,okta.com,critical,,,
"""
# The test's own reading of the register: which catalogue vendorProject is which registered vendor.
KEV_VENDORS = {
    "Progress": "Progress Software Corporation",
    "Citrix": "Citrix Systems Inc.",
    "Apple": "Apple Inc.",
    "Trend Micro": "Trend Micro Incorporated",
    "Microsoft": "Microsoft Corporation",
}


def kev_entry(
    cve: str, vendor: str, product: str, name: str, added: str, ransomware: str = "Unknown", description: str = ""
) -> dict[str, Any]:
    return {
        "cveID": cve,
        "vendorProject": vendor,
        "product": product,
        "vulnerabilityName": name,
        "dateAdded": added,
        "shortDescription": description or f"{name}.",
        "requiredAction": "Apply mitigations per vendor instructions.",
        "dueDate": added,
        "knownRansomwareCampaignUse": ransomware,
        "notes": "",
        "cwes": [],
    }


class Catalogue:
    """A KEV catalogue on the test's httpserver; `entries` may change between runs."""

    def __init__(self, httpserver: Any, entries: list[dict[str, Any]] | None = None, body: bytes | None = None):
        self.entries = entries or []
        self.body = body
        httpserver.expect_request("/kev.json").respond_with_handler(self._serve)
        self.url = httpserver.url_for("/kev.json")

    def _serve(self, request: Any) -> Response:
        body = (
            self.body
            or json.dumps(
                {
                    "title": "CISA Catalog of Known Exploited Vulnerabilities",
                    "catalogVersion": "test",
                    "dateReleased": "2025-08-25T17:04:19Z",
                    "count": len(self.entries),
                    "vulnerabilities": self.entries,
                }
            ).encode()
        )
        return Response(body, content_type="application/json")

    def source(self, **extra: Any) -> dict[str, Any]:
        return {"name": "CISA KEV", "url": self.url, "type": "kev", **extra}


def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: when)


NOW = datetime(2025, 8, 25, 18, 0, tzinfo=UTC)  # the real catalogue's release day
MOVEIT = kev_entry(
    "CVE-2023-34362",
    "Progress",
    "MOVEit Transfer",
    "Progress MOVEit Transfer SQL Injection Vulnerability",
    "2025-08-20",
    "Known",
    "Progress MOVEit Transfer contains a SQL injection vulnerability.",
)


@pytest.fixture
def kev_project(project: Project) -> Project:
    project.vendors_path.write_text(KEV_CSV, encoding="utf-8")
    return project


def test_an_entry_of_a_registered_vendor_alerts_it_as_its_product_exploited_naming_the_facts(
    kev_project: Project, httpserver: Any, slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, NOW)
    cat = Catalogue(
        httpserver,
        [
            MOVEIT,
            kev_entry(
                "CVE-2025-0001", "Okta Identity Cloud Labs", "Okta Verify", "Okta Verify Auth Bypass", "2025-08-21"
            ),
            kev_entry("CVE-2025-0002", "Git", "Git", "Git Link Following", "2025-08-21"),
        ],
    )
    slack.add_channel("C0VULNS", "vulns")
    kev_project.configure([cat.source()], slack={"channel": "C0GENERAL", "routes": {"product": "C0VULNS"}})
    result = kev_project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    # Okta's entry names another vendorProject (not a name, alias or first words of "Okta Inc."); Git is not registered.
    assert len(slack.messages) == 1
    m = slack.messages[0]
    assert (m["blocks"][0]["text"]["text"], m["channel"]) == (
        "🔴 Vendor's product exploited: Progress Software Corporation",
        "C0VULNS",
    )
    text = blocks_text(m)
    for fact in (
        "CVE-2023-34362",
        "MOVEit Transfer",
        "Progress MOVEit Transfer SQL Injection Vulnerability",
        "2025-08-20",
        "known ransomware campaign use: Known",
    ):
        assert fact in text, fact
    assert "“Progress” in vendorProject" in text  # why it matched: the field, not the text
    assert m["metadata"]["event_payload"]["vendors"] == [{"name": "Progress Software Corporation", "role": "product"}]

    found = json.loads(kev_project.run("search", "MOVEit", "--json").stdout)
    assert [(x["vendor"], x["role"]) for x in found[0]["matches"]] == [("Progress Software Corporation", "product")]
    assert json.loads(kev_project.run("search", "Okta Verify", "--json").stdout)  # stored, not alerted


def test_seen_entries_stay_quiet_and_a_newly_added_entry_alerts_once(
    kev_project: Project, httpserver: Any, slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, NOW)
    cat = Catalogue(httpserver, [MOVEIT])
    kev_project.configure([cat.source()], slack={"channel": "C0GENERAL"})
    assert kev_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == 1
    # CISA rewords an entry: still the same CVE, still quiet.
    cat.entries = [{**MOVEIT, "vulnerabilityName": "Progress MOVEit Transfer SQL Injection (reworded)"}]
    assert kev_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == 1
    at(monkeypatch, NOW + timedelta(days=1))
    cat.entries = [
        kev_entry("CVE-2025-99999", "Citrix", "NetScaler ADC", "Citrix NetScaler Memory Overflow", "2025-08-26"),
        *cat.entries,
    ]
    assert kev_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == 2
    assert "CVE-2025-99999" in blocks_text(slack.messages[1])
    assert slack.messages[1]["blocks"][0]["text"]["text"].endswith("Vendor's product exploited: Citrix Systems Inc.")
    assert kev_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == 2


def test_two_entries_of_one_vendor_are_two_alerts_not_one_incident_thread(
    kev_project: Project, httpserver: Any, slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, NOW)
    cat = Catalogue(
        httpserver,
        [
            kev_entry("CVE-2025-1001", "Microsoft", "Windows", "Microsoft Windows SMB Flaw", "2025-08-24"),
            kev_entry("CVE-2025-1002", "Microsoft", "Windows", "Microsoft Windows SMB Flaw 2", "2025-08-24"),
        ],
    )
    kev_project.configure([cat.source()], slack={"channel": "C0GENERAL"})
    assert kev_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert [m["blocks"][0]["text"]["text"] for m in slack.messages] == [
        "🟠 Vendor's product exploited: Microsoft Corporation"
    ] * 2  # not "Another report"
    assert len(json.loads(kev_project.run("incidents", "--json").stdout)) == 2


def test_first_poll_of_the_real_catalogue_alerts_only_entries_inside_the_alert_window(
    kev_project: Project, httpserver: Any, slack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = shared_data("vulns", "cisa_kev_2025-08-25.json")
    catalogue = json.loads(path.read_bytes())["vulnerabilities"]
    at(monkeypatch, NOW)
    cat = Catalogue(httpserver, body=path.read_bytes())
    kev_project.configure(
        [cat.source()], slack={"channel": "C0GENERAL"}, limits={"max_items_per_source": 2000}, alert_window=None
    )  # the default: 14 days
    result = kev_project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output

    cutoff = (NOW - timedelta(days=14)).strftime("%Y-%m-%d")
    expected = sorted(e["cveID"] for e in catalogue if e["vendorProject"] in KEV_VENDORS and e["dateAdded"] > cutoff)
    older = [e for e in catalogue if e["vendorProject"] in KEV_VENDORS and e["dateAdded"] <= cutoff]
    assert expected and len(older) > 100  # the data still makes the point
    posted = sorted(m["metadata"]["event_payload"]["alert_id"] for m in slack.messages)
    alerts = {a["id"]: a for a in json.loads(kev_project.run("alerts", "--json").stdout)}
    assert sorted(alerts[int(i)]["title"].split(":")[0] for i in posted) == expected
    by_cve = {e["cveID"]: e["vendorProject"] for e in catalogue}
    for m in slack.messages:  # each alerts its own vendor only ("Progress Bank" is not "Progress")
        p = m["metadata"]["event_payload"]
        cve = alerts[int(p["alert_id"])]["title"].split(":")[0]
        assert p["vendors"] == [{"name": KEV_VENDORS[by_cve[cve]], "role": "product"}]
    assert "not alerted (older than alert_window" in result.output
    # Every entry is stored and searchable, old ones included.
    assert kev_project.db().execute("SELECT count(*) FROM articles WHERE source = 'CISA KEV'").fetchone()[0] == len(
        {e["cveID"] for e in catalogue}
    )
    moveit = json.loads(kev_project.run("search", "CVE-2023-34362", "--json").stdout)
    assert [(x["vendor"], x["role"]) for x in moveit[0]["matches"]] == [("Progress Software Corporation", "product")]
    # The next poll of the same catalogue is quiet.
    assert kev_project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert len(slack.messages) == len(expected)


def test_a_body_that_is_no_catalogue_is_the_sources_error(
    kev_project: Project, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, NOW)
    cat = Catalogue(httpserver, body=b'{"vulns": []}')
    kev_project.configure([cat.source()])
    result = kev_project.run("run", "--once")
    assert result.exit_code == 0
    assert "not a KEV catalogue: no 'vulnerabilities' list" in result.output
