"""Issue 15: a new source must not flood the channel. Items published before now - alert_window
(default 14 days; global, or per source) are stored and searchable, not alerted, on every poll;
undated items are dated by the fetch. Through `monitor run --once`, feeds on
127.0.0.1, the Slack stand-in, and the test's clock (monitor.clock.utcnow)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alert_support import Feed
from conftest import Entry, Project, bot_env

import monitor.clock

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def breach(n: int, days_old: float | None) -> Entry:
    return Entry(
        f"Okta confirms data breach of support system, customer data stolen (case {n})",
        f"https://news.example/okta-{n}",
        "Okta said attackers stole customer files in a data breach.",
        published=None if days_old is None else NOW - timedelta(days=days_old),
    )


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: NOW)


def alerted_cases(slack: Any) -> list[str]:
    """Which reports were posted: the case number of each message's own link."""
    return sorted(
        re.search(r"news\.example/okta-(\d+)", m["blocks"][1]["text"]["text"]).group(1)  # type: ignore[union-attr]
        for m in slack.messages
    )


def test_first_poll_alerts_only_items_inside_the_window_and_stores_the_rest(
    project: Project, httpserver: Any, slack: Any, clock: None
) -> None:
    feed = Feed(httpserver).add(breach(1, 2), breach(2, 13.9), breach(3, 15), breach(4, 200))
    project.configure([feed.source], slack={"channel": "C0GENERAL"}, alert_window=None)  # the default: 14 days
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    assert alerted_cases(slack) == ["1", "2"]
    assert "2 not alerted (older than alert_window" in result.output
    found = json.loads(project.run("search", "Okta", "--json").stdout)
    assert len(found) == 4  # the old ones are stored and searchable


def test_later_polls_apply_the_window_too_and_undated_items_are_dated_by_the_fetch(
    project: Project, httpserver: Any, slack: Any, clock: None
) -> None:
    feed = Feed(httpserver).add(breach(1, None), breach(2, 1), breach(3, 20))
    project.configure([feed.source], slack={"channel": "C0GENERAL"}, alert_window=None)
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert alerted_cases(slack) == ["1", "2"]  # undated: no age to judge, dated by the fetch
    feed.add(breach(4, None), breach(5, 30), breach(6, 0.5))
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert alerted_cases(slack) == ["1", "2", "4", "6"]  # new to the source, but a month old: not news


def test_a_sources_own_window_overrides_the_global_one(
    project: Project, httpserver: Any, slack: Any, clock: None
) -> None:
    wide = Feed(httpserver, "/wide", "Wide")
    narrow = Feed(httpserver, "/narrow", "Narrow")
    wide.add(breach(1, 40), breach(2, 70))
    narrow.add(breach(3, 2), breach(4, 0.5))
    project.configure(
        [{**wide.source, "alert_window": "60d"}, narrow.source], slack={"channel": "C0GENERAL"}, alert_window="1d"
    )
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    assert alerted_cases(slack) == ["1", "4"]


@pytest.mark.parametrize(
    "doc, message",
    [
        ({"alert_window": "soon"}, "alert_window: 'soon' is not a duration"),
        ({"alert_window": 0}, "alert_window: must be greater than zero"),
        ({"source_window": "-2d"}, "sources[0].alert_window: '-2d' is not a duration"),
    ],
)
def test_a_bad_alert_window_is_one_line_naming_the_field(project: Project, doc: dict[str, Any], message: str) -> None:
    source = {"name": "News", "url": "https://news.example/feed"}
    if "source_window" in doc:
        source["alert_window"] = doc.pop("source_window")
    project.configure([source], **{"alert_window": None, **doc})
    result = project.run("check")
    assert result.exit_code == 2
    lines = [x for x in result.output.splitlines() if "alert_window" in x]
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("error: feeds.yaml:"), result.output
    assert "Traceback" not in result.output
