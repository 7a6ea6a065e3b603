"""Issue 7: never silently blind. A source failing N cycles in a row raises ONE Slack alert, and ONE
"recovered" message when it is read again; a source that parses to zero items after having items
raises one alert. `monitor status [--json]` shows every source's state."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from alert_support import SwitchableSource
from conftest import Entry, Project, bot_env, rss2

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
GOOD = rss2([Entry("Okta confirms breach of support system", "https://news.example/okta", "stolen", "g1", NOW)])
OTHER = rss2([Entry("Weekly roundup: nothing to see", "https://news.example/roundup", "", "g2", NOW)])
EMPTY = rss2([])


@pytest.fixture
def flaky(project: Project, httpserver, slack):  # type: ignore[no-untyped-def]
    source = SwitchableSource(OTHER)
    httpserver.expect_request("/flaky").respond_with_handler(source)
    httpserver.expect_request("/good").respond_with_data(GOOD, content_type="application/rss+xml")
    project.configure(
        [
            {"name": "Flaky <!channel>", "url": httpserver.url_for("/flaky")},
            {"name": "Good", "url": httpserver.url_for("/good")},
        ],
        health={"failure_threshold": 3},
    )
    return project, source, slack


def _health_posts(slack) -> list[str]:  # type: ignore[no-untyped-def]
    return [m["text"] for m in slack.messages if "Source" in m["text"]]


def _run(project: Project, slack) -> None:  # type: ignore[no-untyped-def]
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output


def test_failing_source_alerts_once_after_n_failures_then_once_on_recovery(flaky) -> None:  # type: ignore[no-untyped-def]
    project, source, slack = flaky
    _run(project, slack)  # healthy first
    source.status, source.body = 500, b"oops"
    for cycle in (1, 2):
        _run(project, slack)
        assert _health_posts(slack) == [], f"alerted after {cycle} failures"
    _run(project, slack)
    posts = _health_posts(slack)
    assert posts == ["⚠️ Source failing: Flaky &lt;!channel&gt;"]  # escaped: the name cannot ping the channel
    failing = next(m for m in slack.messages if m["text"] == posts[0])
    assert failing["channel"] == "C0GENERAL"
    assert "failed 3 times in a row" in json.dumps(failing["blocks"], ensure_ascii=False)
    assert "HTTP 500" in json.dumps(failing["blocks"])
    for _ in range(3):
        _run(project, slack)
    assert len(_health_posts(slack)) == 1, "a still-failing source must not alert again"
    status = {r["name"]: r for r in json.loads(project.run("status", "--json").stdout)}
    assert status["Flaky <!channel>"]["consecutive_failures"] == 6
    assert status["Flaky <!channel>"]["last_error"].startswith("HTTP 500 from http://")
    assert status["Good"]["consecutive_failures"] == 0  # the other source went on being read

    source.status, source.body = 200, OTHER
    _run(project, slack)
    _run(project, slack)
    assert _health_posts(slack) == [posts[0], "✅ Source recovered: Flaky &lt;!channel&gt;"]
    # The Okta alert from the good source went out exactly once through all of this.
    assert [m["text"] for m in slack.messages].count(
        next(m["text"] for m in slack.messages if "Okta" in m["text"])
    ) == 1


def test_source_parsing_to_zero_items_after_having_items_alerts_once(flaky) -> None:  # type: ignore[no-untyped-def]
    project, source, slack = flaky
    _run(project, slack)
    source.body = EMPTY  # the layout changed: a valid document with no items
    _run(project, slack)
    _run(project, slack)
    assert _health_posts(slack) == ["⚠️ Source returns no items: Flaky &lt;!channel&gt;"]
    source.body = OTHER
    _run(project, slack)
    assert _health_posts(slack)[-1] == "✅ Source recovered: Flaky &lt;!channel&gt;"
    assert len(_health_posts(slack)) == 2


def test_a_source_that_never_had_items_does_not_raise_empty(flaky) -> None:  # type: ignore[no-untyped-def]
    project, source, slack = flaky
    source.body = EMPTY
    _run(project, slack)
    _run(project, slack)
    assert _health_posts(slack) == []


def test_status_lists_every_source_with_its_fields(flaky) -> None:  # type: ignore[no-untyped-def]
    project, source, slack = flaky
    before = json.loads(project.run("status", "--json").stdout)
    assert [r["name"] for r in before] == ["Flaky <!channel>", "Good"]
    assert all(r["last_ok"] is None and r["consecutive_failures"] == 0 for r in before)
    _run(project, slack)
    source.status = 503
    _run(project, slack)
    rows = json.loads(project.run("status", "--json").stdout)
    assert isinstance(rows, list)
    for r in rows:
        assert {
            "name",
            "url",
            "type",
            "last_ok",
            "last_error",
            "consecutive_failures",
            "items_last_fetch",
            "last_new_item",
        } <= set(r)
    flaky_row, good = rows
    assert flaky_row["type"] == "feed" and flaky_row["url"].endswith("/flaky")
    assert flaky_row["consecutive_failures"] == 1 and flaky_row["last_ok"]
    assert flaky_row["last_error"].startswith("HTTP 503 from")
    assert good["items_last_fetch"] == 1 and good["last_new_item"] and good["last_error"] is None
    table = project.run("status").stdout
    assert "✗  Flaky <!channel>" in table and "HTTP 503" in table and "✓  Good" in table
