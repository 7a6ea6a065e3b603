"""Issue 6: feedback. A wrong-vendor verdict for (vendor, the text that matched, the words around it) stops
the same mistake on the next run, until the suppression is removed; verdicts and suppressions show in
`monitor search --json`. (Issue 20's verdicts: tests/alerting/test_feedback_verdicts.py.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed, outbox
from conftest import Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
GENERIC_BOX = Entry(
    "Ransomware gang leaks files from Jack in the Box franchisee",
    "https://news.example/jitb",
    "The franchisee's customer data was posted on a leak site.",
    "1",
    NOW,
)
# The same mistake again: Box named inside "Jack in the Box", the same words around it.
ANOTHER_GENERIC_BOX = Entry(
    "Second leak hits Jack in the Box franchisee, data of staff stolen",
    "https://news.example/jitb2",
    "Attackers exfiltrated customer data.",
    "2",
    NOW,
)
REAL_BOX = Entry("Box Inc. hacked, customer files leaked", "https://news.example/box", "", "3", NOW)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def test_false_positive_is_suppressed_on_the_next_run(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(GENERIC_BOX)
    project.configure([feed.source])
    project.run("run", "--once", env=bot_env(slack))
    [alert] = outbox(project)
    assert len(slack.messages) == 1

    result = project.run("feedback", str(alert["id"]), "--wrong-vendor", "--reason", "the burger chain")
    assert result.exit_code == 0, result.output
    assert "suppressed: Box Inc. via “box” in “in the box franchisee”" in result.stderr
    assert f"recorded wrong vendor for alert {alert['id']}" in result.stderr

    # Next run: the same mistake does not alert; the vendor named properly still does.
    feed.add(ANOTHER_GENERIC_BOX, REAL_BOX)
    project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 2
    assert "Box Inc. hacked" in slack.messages[-1]["text"]

    listed = project.run("feedback", "list")
    row = next(line for line in listed.stdout.splitlines() if "Box Inc. via “box”" in line)
    assert "“in the box franchisee”" in row and "the burger chain" in row
    [sup] = json.loads(project.run("feedback", "list", "--json").stdout)
    assert sup == {
        "vendor": "Box Inc.",
        "matched": "box",
        "context": "in the box franchisee",
        "by": "monitor feedback",
        "reason": "the burger chain",
        "alert_id": alert["id"],
        "created_at": sup["created_at"],
    }

    found = {r["url"]: r for r in json.loads(project.run("search", "box", "--json").stdout)}
    first = found[GENERIC_BOX.link]
    assert first["feedback"][0]["verdict"] == "wrong_vendor"
    assert first["feedback"][0]["reason"] == "the burger chain"
    assert first["matches"][0]["suppressed"] is True
    assert first["matches"][0]["suppression"]["reason"] == "the burger chain"
    second = found[ANOTHER_GENERIC_BOX.link]
    assert second["alert_id"] is None and second["matches"][0]["suppressed"] is True
    assert found[REAL_BOX.link]["matches"][0]["suppressed"] is False

    # Removing the suppression lets the name alert again.
    removed = project.run("feedback", "remove", "Box Inc.", "box")
    assert removed.exit_code == 0 and "removed suppression" in removed.stderr
    feed.add(Entry("Data of Jack in the Box franchisee stolen again", "https://news.example/jitb3", "", "4", NOW))
    project.run("run", "--once", env=bot_env(slack))
    assert len(slack.messages) == 3
    assert json.loads(project.run("feedback", "list", "--json").stdout) == []


def test_false_positive_for_one_vendor_of_an_alert(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(Entry("Okta and Box hit by the same ransomware crew", "https://news.example/both", "", "5", NOW))
    project.configure([feed.source])
    project.run("run", "--once", env=bot_env(slack))
    [alert] = outbox(project)
    wrong = project.run("feedback", str(alert["id"]), "--wrong-vendor", "--vendor", "Acme")
    assert wrong.exit_code == 1 and "did not match 'Acme'" in wrong.output and "Traceback" not in wrong.output
    ok = project.run("feedback", str(alert["id"]), "--wrong-vendor", "--vendor", "box inc.")
    assert "suppressed: Box Inc. via “box”" in ok.stderr and "Okta" not in ok.stderr


def test_feedback_errors_are_one_line(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(REAL_BOX)
    project.configure([feed.source])
    missing = project.run("feedback", "999", "--wrong-vendor")
    assert missing.exit_code == 1 and "no alert #999" in missing.output and "Traceback" not in missing.output
    project.run("run", "--once", env=bot_env(slack))
    no_verdict = project.run("feedback", "1")
    assert no_verdict.exit_code == 2 and "--wrong-vendor, --not-breach or --true-positive" in no_verdict.output
    tp = project.run("feedback", "1", "--true-positive")
    assert tp.exit_code == 0 and "suppressed" not in tp.stderr
    [row] = json.loads(project.run("search", "box", "--json").stdout)
    assert row["feedback"][0]["verdict"] == "true_positive"
    assert project.run("feedback", "remove", "Box Inc.", "nothing").exit_code == 1
