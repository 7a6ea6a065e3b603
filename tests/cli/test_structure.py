"""Issue 13, second half: the pure parts split out of the cycle (source health, routing) and the
errors that say where they happened."""

from __future__ import annotations

import asyncio
import re
import socket
from datetime import UTC, datetime
from pathlib import Path

from monitor.config import SlackConfig
from monitor.sources.health import Failed, HealthEvent, Polled, Schedule, SourceState, decide

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
FEED = Schedule("https://news.example/feed", "feed", 900.0, failure_threshold=3)


def test_a_source_is_alerted_failing_once_at_the_threshold_and_recovered_once() -> None:
    state, events = SourceState(url=FEED.url), []
    for _ in range(5):
        update, event = decide(state, Failed("HTTP 500 from news.example"), NOW, FEED, jitter=0.0)
        events.append(event)
        state = SourceState(
            url=FEED.url,
            consecutive_failures=update.consecutive_failures,
            health=update.columns().get("health", state.health),
        )
    assert events == [None, None, HealthEvent("failing", 3, "HTTP 500 from news.example"), None, None]
    # 5 failures: 15 min doubled four times, less the 10% jitter at its widest: 3 h 36 min
    assert update.columns()["next_due"] == "2024-06-05T12:36:00Z"
    update, event = decide(state, Polled('"v2"', None, items=20, new=1), NOW, FEED, jitter=0.0)
    assert event == HealthEvent("recovered")
    assert update.columns() | {"next_due": ""} == {
        "url": FEED.url,
        "type": "feed",
        "last_attempt": "2024-06-05T09:00:00Z",
        "next_due": "",
        "consecutive_failures": 0,
        "last_error": None,
        "last_ok": "2024-06-05T09:00:00Z",
        "etag": '"v2"',
        "last_modified": None,
        "last_new_item": "2024-06-05T09:00:00Z",
        "items_last_fetch": 20,
        "max_items_seen": 20,
        "health": "ok",
    }


def test_a_source_that_had_items_and_answers_none_is_alerted_empty_and_a_304_leaves_counts_alone() -> None:
    state = SourceState(url=FEED.url, max_items_seen=40)
    update, event = decide(state, Polled(None, None, items=0), NOW, FEED, jitter=0.5)
    assert event == HealthEvent("empty") and update.columns()["health"] == "empty"
    update, event = decide(
        SourceState(url=FEED.url, max_items_seen=40, health="empty"), Polled(None, None), NOW, FEED, jitter=0.5
    )
    assert event == HealthEvent("recovered")  # a 304: the page is as it was when it last had items
    assert "items_last_fetch" not in update.columns() and "max_items_seen" not in update.columns()


def test_validators_belong_to_the_url_they_came_from() -> None:
    state = SourceState(url=FEED.url, etag='"v1"', last_modified="Mon, 03 Jun 2024 00:00:00 GMT")
    assert state.validators(FEED.url) == ('"v1"', "Mon, 03 Jun 2024 00:00:00 GMT")
    assert state.validators("https://news.example/moved") == (None, None)


def test_one_routing_rule_for_new_and_retried_alerts(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from monitor.alerting.route import for_alert, route
    from monitor.matching.vendors import Vendor

    monkeypatch.setenv("SLACK_CHANNEL", "C0ENV")
    slack = SlackConfig(channel="C0OPS", routes={"critical": "C0CRIT", "low": "C0LOW"})
    assert route(slack, "article", "critical") == "C0CRIT"
    assert route(slack, "article", "high") == "C0OPS"  # no route: the default channel
    assert route(slack, "health", "critical") == "C0OPS"  # source health never follows a vendor route
    assert route(slack, "digest") == "C0LOW"
    vendors = {"Okta": Vendor("Okta", criticality="critical")}
    assert for_alert(slack, vendors, {"kind": "article", "vendor": "Okta"}) == "C0CRIT"
    assert for_alert(slack, vendors, {"kind": "article", "vendor": "Gone Inc"}) == "C0OPS"
    assert route(SlackConfig(), "article", "low") == "C0ENV"


def test_a_fetch_error_names_its_url_and_keeps_its_cause() -> None:
    from monitor.errors import FetchError
    from monitor.sources.fetch import Request, fetch_many

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/feed"
    [result] = asyncio.run(fetch_many([Request(url)]))
    assert isinstance(result, FetchError)
    assert result.url == url and result.source is None
    assert result.__cause__ is not None  # the connect error underneath, for -vv tracebacks
    assert result.at("news", "https://other.example/").url == url and result.source == "news"


# ---------------------------------------------------------------------- layering (issue 13: a house to live in)

# The stages, lowest first as data flows; pipeline/ orchestrates them and the front ends (cli, app, demo,
# eval, healthcheck) drive the orchestrator. A stage importing upwards ties it to what runs it.
STAGES = ("monitor.sources", "monitor.matching", "monitor.alerting", "monitor.storage")
ABOVE_THE_STAGES = (
    "monitor.pipeline",
    "monitor.cli",
    "monitor.app",
    "monitor.demo",
    "monitor.eval",
    "monitor.healthcheck",
)

# What may still point upwards: each entry says why, and the test fails when one is no longer needed,
# so the list can only shrink.
UPWARD_ALLOWED = {
    # The Decision record, for a type annotation only (TYPE_CHECKING): it belongs in a records module
    # both can import; newsroom.py is being reworked on another branch.
    ("monitor.sources.newsroom", "monitor.pipeline.workers"),
}

# storage/ says things in SQL; what they mean is the other stages' business. Each import it still makes
# from alerting/, matching/ or sources/ is listed with what it takes, so the list can only shrink.
STORAGE_ALLOWED = {
    ("monitor.storage.store", "monitor.sources.health"),  # SourceState, the record a sources row loads into
    ("monitor.storage.store", "monitor.matching.context"),  # context_of, in the v4 suppressions migration
    ("monitor.storage.feedback", "monitor.matching.context"),  # context_of/surroundings: a suppression's context
    ("monitor.storage.feedback", "monitor.matching.matcher"),  # Match, the record a suppression is checked on
    ("monitor.storage.query", "monitor.matching.matcher"),  # Match, rebuilt from a matches row
    ("monitor.storage.query", "monitor.alerting.triage"),  # state_json: --json's triage state of an alert
    ("monitor.storage.incident_store", "monitor.alerting.incidents"),  # Candidate/Report records, LOOKBACK etc.
    ("monitor.storage.triage_store", "monitor.alerting.triage"),  # Mark, the record a triage row loads into
}


def _edges(graph: dict[str, set[str]], importer: tuple[str, ...], imported: tuple[str, ...]) -> set[tuple[str, str]]:
    return {(m, d) for m, deps in graph.items() if m.startswith(importer) for d in deps if d.startswith(imported)}


def test_no_stage_imports_the_pipeline_or_a_front_end() -> None:
    from test_layout import import_graph

    found = _edges(import_graph(), STAGES, ABOVE_THE_STAGES)
    assert found - UPWARD_ALLOWED == set(), "a stage imports what runs it"
    assert UPWARD_ALLOWED - found == set(), "no longer imported: remove from UPWARD_ALLOWED"


def test_storage_imports_no_other_stage_but_its_listed_records() -> None:
    from test_layout import import_graph

    found = _edges(import_graph(), ("monitor.storage",), ("monitor.alerting", "monitor.matching", "monitor.sources"))
    assert found - STORAGE_ALLOWED == set(), "storage/ imports another stage's module"
    assert STORAGE_ALLOWED - found == set(), "no longer imported: remove from STORAGE_ALLOWED"


# ---------------------------------------------------------------------- SQL only in storage/

SQL = re.compile(r"\b(?:SELECT|INSERT|UPDATE|DELETE FROM|CREATE TABLE|ALTER TABLE|DROP TABLE)\s")
# Modules outside storage/ that still hold SQL, each with why; the test fails when one has none left,
# so the list can only shrink.
SQL_ALLOWED = {
    # The delivery loop's claims, outcomes and retries on the alerts table, the meta and destinations
    # tables: being reworked on another branch; they move to storage/alert_store.py after it merges.
    "monitor/alerting/outbox.py",
}


def _sql_outside_storage() -> dict[str, list[int]]:
    package = Path(__file__).resolve().parents[2] / "monitor"
    found: dict[str, list[int]] = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        if rel.startswith("monitor/storage/"):
            continue
        lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
        if lines:
            found[rel] = lines
    return found


def test_sql_lives_in_storage() -> None:
    found = _sql_outside_storage()
    assert {m: n for m, n in found.items() if m not in SQL_ALLOWED} == {}, "SQL outside monitor/storage/"
    assert SQL_ALLOWED - set(found) == set(), "no SQL left: remove from SQL_ALLOWED"


def test_sql_finder_sees_a_statement() -> None:
    assert SQL.search('db.execute("UPDATE alerts SET thread_ts = ? WHERE id = ?")')
    assert SQL.search('f"SELECT {column} FROM articles"') and SQL.search("'DELETE FROM destinations'")
    assert not SQL.search("the selected vendors, updated daily")
