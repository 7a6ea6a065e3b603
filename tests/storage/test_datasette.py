"""Issue 19: `datasette monitor.db -m metadata.yml` reads well. The canned queries of metadata.yml run
against a database made by `monitor run --once` and answer what their titles promise, and every table
and column of that database is described (datasette itself is not needed: its queries are SQLite's)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Entry, Project, rss2

METADATA = Path(__file__).resolve().parents[2] / "metadata.yml"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def database(project: Project, httpserver) -> Path:  # type: ignore[no-untyped-def]
    feed = rss2(
        [
            Entry(
                "Okta confirms breach of support system",
                "https://news.example/okta-1",
                "Attackers stole files from Okta's support case system.",
                "o1",
                NOW - timedelta(days=2),
            ),
            Entry(
                "Okta says all support customers were affected by the breach",
                "https://news.example/okta-2",
                "A follow-up: the breach of Okta's support system reached every customer.",
                "o2",
                NOW - timedelta(days=1),
            ),
            Entry(
                "株式会社イセトーにランサムウェア攻撃、委託元の個人情報が流出",
                "https://news.example/isetoh",
                "イセトーはランサムウェア被害を公表した。",
                "i1",
                NOW - timedelta(days=400),
            ),
            Entry("Toyota unveils new hybrid line-up", "https://news.example/toyota", "A launch.", "t1", NOW),
        ]
    )
    httpserver.expect_request("/feed").respond_with_data(feed, content_type="application/rss+xml")
    project.configure(
        [{"name": "news", "url": httpserver.url_for("/feed")}, {"name": "down", "url": httpserver.url_for("/missing")}]
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    return project.db_path


def _metadata() -> dict[str, Any]:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _query(db: Path, name: str, **params: str) -> list[dict[str, Any]]:
    spec = _metadata()["databases"]["monitor"]["queries"][name]
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)  # datasette opens it read-only too
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(spec["sql"], params)]
    finally:
        conn.close()


def test_incidents_with_their_reports(database: Path) -> None:
    rows = _query(database, "incidents_with_reports", vendor="")
    okta = [r for r in rows if r["vendor"] == "Okta Inc."]
    # One incident, both of its reports, the first one first, each with its alert and how it joined.
    assert len({r["incident"] for r in okta}) == 1 and okta[0]["reports"] == 2
    assert [r["report"] for r in okta] == [
        "Okta confirms breach of support system",
        "Okta says all support customers were affected by the breach",
    ]
    # The console has no threads: the later report waits for the incident's summary of the day.
    assert [r["state"] for r in okta] == ["sent", "collapsed"] and all(r["joined_because"] for r in okta)
    assert {r["vendor"] for r in rows} == {"Okta Inc.", "ISETOH Corporation"}
    assert {r["vendor"] for r in _query(database, "incidents_with_reports", vendor="ISETOH Corporation")} == {
        "ISETOH Corporation"
    }


def test_alerts_by_state_counts_every_alert(database: Path) -> None:
    rows = _query(database, "alerts_by_state")
    conn = sqlite3.connect(database)
    total, sent = conn.execute("SELECT COUNT(*), SUM(state = 'sent') FROM alerts").fetchone()
    conn.close()
    assert sum(r["alerts"] for r in rows) == total
    assert sum(r["alerts"] for r in rows if r["state"] == "sent" and r["kind"] == "article") == 2
    assert sum(r["alerts"] for r in rows if r["state"] == "collapsed") == 1  # Okta's second report
    assert sum(r["alerts"] for r in rows if r["state"] == "sent") == sent
    assert _query(database, "alerts_not_delivered") == []  # the console took them all


def test_vendors_with_recent_incidents(database: Path) -> None:
    rows = _query(database, "vendors_with_recent_incidents", days="")  # the form left empty: 90 days
    assert [(r["vendor"], r["incidents"], r["reports"]) for r in rows] == [("Okta Inc.", 1, 2)]
    assert rows[0]["latest_incident"] == "Okta confirms breach of support system"
    # イセトー's report is 400 days old: in a 500-day window, not in the default one.
    assert {r["vendor"] for r in _query(database, "vendors_with_recent_incidents", days="500")} == {
        "Okta Inc.",
        "ISETOH Corporation",
    }


def test_breach_reports_and_source_health(database: Path) -> None:
    reports = _query(database, "breach_reports")
    assert "Okta Inc. (breached)" in reports[0]["vendors"]
    assert all("Toyota" not in r["title"] for r in reports)  # a launch is not a breach report
    health = _query(database, "source_health")
    assert [r["name"] for r in health] == ["down", "news"]  # the failing source first
    assert "500" in health[0]["last_error"]


def test_every_table_and_column_is_described(database: Path) -> None:
    from monitor.storage import incident_store, newsroom_store, triage_store
    from monitor.storage.store import Store

    # Tables created when first needed (corrections, newsrooms, Slack triage), as the code creates them.
    with Store(database) as store:
        triage_store.ensure(store)
        with store.write() as db:
            incident_store.ensure_tables(db)
            newsroom_store.ensure_table(db)
    tables = _metadata()["databases"]["monitor"]["tables"]
    conn = sqlite3.connect(database)
    names = [
        n
        for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'"
        )
    ]
    undescribed = []
    for name in names:
        columns = [c[1] for c in conn.execute(f"PRAGMA table_info({name})")]
        meta = tables.get(name)
        if meta is None or not meta.get("description"):
            undescribed.append(name)
            continue
        undescribed += [f"{name}.{c}" for c in columns if not meta.get("columns", {}).get(c)]
        assert set(meta.get("columns", {})) <= set(columns), f"{name}: metadata.yml names columns it does not have"
    conn.close()
    assert not undescribed, f"metadata.yml does not describe: {undescribed}"
    assert set(tables) <= set(names), f"metadata.yml describes tables that do not exist: {set(tables) - set(names)}"
