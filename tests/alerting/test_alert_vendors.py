"""Issue 22: `monitor alerts` shows every vendor an alert is about (its header row names the columns),
not only the vendor it was routed by."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from alert_support import Feed
from conftest import Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
BOTH = Entry("Okta and Box hit by the same ransomware crew", "https://news.example/both", "", "5", NOW)


def test_alerts_list_every_vendor_of_an_alert(project, httpserver, slack):  # type: ignore[no-untyped-def]
    project.configure([Feed(httpserver).add(BOTH).source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [alert] = json.loads(project.run("alerts", "--json").stdout)
    assert alert["vendor"] == "Okta Inc."  # routed by the most critical one
    assert alert["vendors"] == ["Okta Inc.", "Box Inc."]
    table = project.run("alerts").stdout.splitlines()
    assert "vendor" in table[0] and "state" in table[0]  # a header row
    assert "Okta Inc., Box Inc." in table[1]
