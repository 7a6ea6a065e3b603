"""Issue 17, "learn from it": `monitor eval --feedback` prints the precision the team has actually seen
(false positives over all triaged alerts, overall, per vendor and per source, over 30 and 90 days),
and `monitor feedback list` shows who suppressed what."""

from __future__ import annotations

import json

from alert_support import Feed, outbox
from conftest import bot_env
from test_alerts import BOX, ISETOH, OKTA


def _seen(project) -> dict[tuple[int, str, str], dict]:  # type: ignore[no-untyped-def, type-arg]
    result = project.run("eval", "--feedback", "--json")
    assert result.exit_code == 0, result.output
    return {(r["days"], r["by"], r["key"]): r for r in json.loads(result.stdout)}


def test_precision_seen_by_the_team_and_who_suppressed_what(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(OKTA, ISETOH, BOX)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert _seen(project)[(30, "all", "")]["triaged"] == 0  # nothing triaged yet: no precision to claim
    alerts = {a["vendor"]: a for a in outbox(project)}

    slack.react_as_user("C0GENERAL", alerts["Box Inc."]["slack_ts"], "x", "U0ANALYST")  # wrong vendor, in Slack
    slack.react_as_user("C0GENERAL", alerts["Okta Inc."]["slack_ts"], "white_check_mark", "U0LEAD")  # a real one
    assert project.run("feedback", str(alerts["ISETOH Corporation"]["id"]), "--not-breach").exit_code == 0
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0  # reads the reactions back

    seen = _seen(project)
    total = seen[(30, "all", "")]
    assert (total["triaged"], total["false_positives"], total["precision"]) == (3, 2, 0.333)
    assert seen[(90, "all", "")]["triaged"] == 3
    assert seen[(30, "vendor", "Okta Inc.")]["precision"] == 1.0
    assert seen[(30, "vendor", "Box Inc.")]["precision"] == 0.0
    assert seen[(30, "source", "News")]["triaged"] == 3

    listed = project.run("feedback", "list")
    box_row = next(line for line in listed.stdout.splitlines() if "Box Inc." in line)
    assert "<@U0ANALYST>" in box_row
    [sup] = json.loads(project.run("feedback", "list", "--json").stdout)
    assert sup["by"] == "<@U0ANALYST>"

    # The analyst takes the reaction back: it no longer counts against the vendor.
    slack.unreact_as_user("C0GENERAL", alerts["Box Inc."]["slack_ts"], "x", "U0ANALYST")
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert _seen(project)[(30, "all", "")]["false_positives"] == 1

    table = project.run("eval", "--feedback")
    assert "precision" in table.stdout and "Okta Inc." in table.stdout
