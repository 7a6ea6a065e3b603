"""Issue 20 (critical): one poisonous item or source never aborts a cycle.

Every input the issue lists sits in its own source, all of them beside one healthy source in ONE
feeds.yaml served from 127.0.0.1, and one `monitor run --once` must: exit 0, store and alert the
healthy source's breach report, keep the poisoned source's other items, and record what it could not
use (a skipped item, an unreadable date read as the fetch time, an unreadable linked notice, or the
source's own error with its failure count and health alert). The daemon must survive such a cycle.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Entry, Project, atom
from hostile_server import GOOD_TITLE, HostileServer, rss

# Titles of the poisoned sources' items that must still be stored (each names a vendor and a breach).
COLON_TITLE = "ISETOH breach report behind a full-width colon"
COLON_LINK = "http://example.com\uff1a80/x"
COLON_OK = "Toyota supplier hit by ransomware, customer data leaked"
RSS_YEAR = "ISETOH ransomware attack leaks customer records (pubDate in year 99999999999)"
JSON_YEAR = "ISETOH data breach notice (JSON date in year 99999999999)"
JSON_TZ = "ISETOH data breach notice (JSON date 9999-12-31T23:59:59-23:59)"
YEAR_ONE = "ISETOH confirms data breach after ransomware attack (dated year 1)"
PDF_TITLE = "Notice regarding unauthorized access at ISETOH"


def build_pdf(
    content: bytes = b"BT /F1 12 Tf 72 720 Td (ISETOH ransomware attack: customer data leaked) Tj ET",
    stream_dict: str = "",
    font_extra: str = "",
    trailer_extra: str = "",
) -> bytes:
    """A one-page PDF written by hand (pypdf will not write these defects), with a correct xref table."""
    objects: list[str | None] = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        "/Contents 4 0 R >>",
        None,  # the content stream
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica {font_extra}>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        if obj is None:
            out += (
                f"{n} 0 obj\n<< /Length {len(content)} {stream_dict}>>\nstream\n".encode()
                + content
                + b"\nendstream\nendobj\n"
            )
        else:
            out += f"{n} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


POISON_PDFS = {
    "/pdf-filter": build_pdf(stream_dict="/Filter /Nope "),
    "/pdf-encrypt": build_pdf(trailer_extra="/Encrypt << /Filter /Weird /V 9 /R 9 >> /ID [<00> <00>] "),
    "/pdf-differences": build_pdf(font_extra="/Encoding << /Type /Encoding /Differences [-1000 /A /B] >> "),
}


def _json(title: str, date: str) -> bytes:
    return json.dumps(
        {
            "posts": [
                {"title": title, "url": "https://jp.example/" + str(abs(hash(title))), "date": date},
                {
                    "title": f"{title} (second item, well dated)",
                    "url": "https://jp.example/2" + str(abs(hash(title))),
                    "date": "2024-06-05T09:00:00Z",
                },
            ]
        }
    ).encode()


class PoisonServer(HostileServer):
    def routes(self) -> dict[str, Callable[[Any], None]]:
        feed = "application/rss+xml"
        pdf_feeds = {
            f"{path}-feed": (lambda h, path=path: h.send(200, rss([(PDF_TITLE, self.url(path))]).encode(), feed))
            for path in POISON_PDFS
        }
        return {
            **super().routes(),
            "/colon": lambda h: h.send(
                200, rss([(COLON_TITLE, COLON_LINK), (COLON_OK, "https://news.example/toyota")]).encode(), feed
            ),
            "/rss-year": lambda h: h.send(
                200,
                rss(
                    [(RSS_YEAR, "https://news.example/isetoh-1")],
                    extra=("<pubDate>Mon, 01 Jan 99999999999 00:00:00 GMT</pubDate>"),
                ).encode(),
                feed,
            ),
            "/json-year": lambda h: h.send(
                200, _json(JSON_YEAR, "Mon, 01 Jan 99999999999 00:00:00 GMT"), "application/json"
            ),
            "/json-tz": lambda h: h.send(200, _json(JSON_TZ, "9999-12-31T23:59:59-23:59"), "application/json"),
            "/year-one": lambda h: h.send(
                200,
                atom(
                    [
                        Entry(
                            YEAR_ONE,
                            "https://news.example/isetoh-year-one",
                            "Customer data was stolen.",
                            "tag:y1",
                            datetime(1, 1, 1, tzinfo=UTC),
                        )
                    ]
                ),
                "application/atom+xml",
            ),
            **{path: (lambda h, body=body: h.send(200, body, "application/pdf")) for path, body in POISON_PDFS.items()},
            **pdf_feeds,
            "/bad-port": lambda h: h.send(302, b"", headers={"Location": "http://127.0.0.1:99999/"}),
        }


LIMITS = {"fetch_timeout": "5s", "connect_timeout": "2s", "parse_timeout": "10s"}


def sources(server: HostileServer) -> list[dict[str, Any]]:
    json_fields = {"type": "json", "items": "posts", "title": "title", "link": "url", "date": "date"}
    out = [
        {"name": "healthy", "url": server.url("/good")},
        {"name": "full-width colon", "url": server.url("/colon")},
        {"name": "pubDate year 99999999999", "url": server.url("/rss-year")},
        {"name": "JSON year 99999999999", "url": server.url("/json-year"), **json_fields},
        {"name": "JSON 9999-12-31T23:59:59-23:59", "url": server.url("/json-tz"), **json_fields},
        {"name": "year 1", "url": server.url("/year-one")},
        {"name": "redirect to port 99999", "url": server.url("/bad-port")},
    ]
    out += [
        {"name": f"PDF {path}", "url": server.url(f"{path}-feed"), "fetch_article": True, "allow_private_links": True}
        for path in POISON_PDFS
    ]
    return out


class Run:
    def __init__(self, project: Project, result: Any):
        self.project = project
        self.result = result
        self.status = {r["name"]: r for r in json.loads(project.run("status", "--json").stdout)}
        self.db = project.db()

    def line(self, name: str) -> str:
        return next((ln for ln in self.result.stderr.splitlines() if ln[2:].startswith(f"{name}: ")), "")

    def article(self, title: str) -> dict[str, Any]:
        rows = list(self.db["articles"].rows_where("title = ?", [title]))
        assert len(rows) == 1, (title, [r["title"] for r in self.db["articles"].rows])
        return rows[0]


@pytest.fixture(scope="module")
def poisoned_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("poison")
    server = PoisonServer(root)
    project = Project(root)
    project.configure(sources(server), limits=LIMITS, health={"failure_threshold": 1})
    try:
        yield Run(project, project.run("run", "--once"))
    finally:
        server.close()


def test_the_run_completes_and_the_healthy_source_is_stored_and_alerted(poisoned_run: Run) -> None:
    r = poisoned_run.result
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output and "unexpected" not in r.output
    assert "=== Breach at vendor: Okta Inc." in r.stdout and GOOD_TITLE in r.stdout
    assert poisoned_run.status["healthy"]["last_ok"] and poisoned_run.status["healthy"]["consecutive_failures"] == 0
    poisoned_run.article(GOOD_TITLE)
    # Only the redirect fails as a source; every other poisoned source is read, no item lost.
    assert re.search(r"^10 sources \(1 failed\), \d+ new articles, .* failed$", r.stderr, re.M), r.stderr


def test_a_link_host_with_a_full_width_colon_is_kept_as_an_unlinked_report(poisoned_run: Run) -> None:
    """urllib refuses to split the link: the report is stored and alerted, its link shown as text."""
    assert poisoned_run.line("full-width colon") == "✓ full-width colon: 2 items, 2 new, 2 alerts"
    row = poisoned_run.article(COLON_TITLE)
    assert row["link"] == COLON_LINK and row["link_key"] == COLON_LINK
    out = poisoned_run.result.stdout
    assert COLON_TITLE in out and COLON_OK in out  # the item beside it too


@pytest.mark.parametrize(
    "name, title",
    [
        ("pubDate year 99999999999", RSS_YEAR),
        ("JSON year 99999999999", JSON_YEAR),
        ("JSON 9999-12-31T23:59:59-23:59", JSON_TZ),
        ("year 1", YEAR_ONE),
    ],
)
def test_an_impossible_date_is_read_as_the_fetch_time(poisoned_run: Run, name: str, title: str) -> None:
    """Out-of-range dates are unreadable dates: the item is kept, alerted, and dated when it was fetched."""
    assert poisoned_run.line(name).startswith("✓ "), poisoned_run.line(name)
    assert "skipped" not in poisoned_run.line(name)
    row = poisoned_run.article(title)
    published = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
    assert abs(published - datetime.fromisoformat(row["fetched_at"].replace("Z", "+00:00"))) < timedelta(minutes=5)
    alerts = list(poisoned_run.db.query("SELECT a.incident_id FROM alerts a WHERE a.article_id = ?", [row["id"]]))
    assert len(alerts) == 1 and alerts[0]["incident_id"]
    if name.startswith("JSON"):  # the well-dated item beside it keeps its date
        assert poisoned_run.article(f"{title} (second item, well dated)")["published"] == "2024-06-05T09:00:00Z"


@pytest.mark.parametrize("path", list(POISON_PDFS))
def test_an_unreadable_linked_pdf_leaves_the_item_without_its_notice(poisoned_run: Run, path: str) -> None:
    name = f"PDF {path}"
    assert poisoned_run.line(name).startswith(f"✓ {name}: 1 items, 1 new"), poisoned_run.line(name)
    rows = list(poisoned_run.db["articles"].rows_where("source = ?", [name]))
    assert [r["title"] for r in rows] == [PDF_TITLE] and rows[0]["body"] == ""


def test_a_redirect_to_an_impossible_port_is_that_sources_recorded_error(poisoned_run: Run) -> None:
    line = poisoned_run.line("redirect to port 99999")
    assert line == ("✗ redirect to port 99999: cannot fetch http://127.0.0.1:99999/: Port out of range 0-65535"), line
    state = poisoned_run.status["redirect to port 99999"]
    assert state["consecutive_failures"] == 1 and state["last_error"] == line.split(": ", 1)[1]
    assert state["health"] == "failing"
    health = [json.loads(r["payload"]) for r in poisoned_run.db["alerts"].rows_where("kind = 'health'")]
    assert len(health) == 1 and "redirect to port 99999" in json.dumps(health, ensure_ascii=False)


# ---------------------------------------------------------------- the daemon


def _monitor(project: Project) -> Any:
    from monitor.alerting.slack import sender_from_env
    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline.cycle import Monitor
    from monitor.storage.store import Store

    cfg = load_config(project.config_path)
    store = Store(cfg.database)
    return Monitor(cfg, load_vendors(cfg.vendors), store, sender_from_env()), store


def _days(start: datetime) -> Callable[[], datetime]:
    """A clock a day further on at each reading: every source is due at every cycle."""
    calls = [0]

    def clock() -> datetime:
        calls[0] += 1
        return start + timedelta(days=calls[0])

    return clock


def test_the_daemon_goes_on_after_a_cycle_with_poisoned_sources(tmp_path: Path, caplog: Any) -> None:
    from monitor.pipeline.daemon import run_daemon

    server = PoisonServer(tmp_path)
    project = Project(tmp_path)
    project.configure(sources(server), limits=LIMITS)
    monitor, store = _monitor(project)
    try:
        with caplog.at_level(logging.INFO, logger="monitor"):
            cycles = run_daemon(monitor, clock=_days(datetime.now(UTC)), sleep=lambda _s: None, max_cycles=2)
        assert cycles == 2
        assert server.hits["/good"] == 2 and server.hits["/colon"] == 2
        titles = {r["title"] for r in project.db()["articles"].rows}
        assert {GOOD_TITLE, COLON_OK, YEAR_ONE} <= titles
        assert project.db()["sources"].get("redirect to port 99999")["consecutive_failures"] == 2
        summaries = [r.getMessage() for r in caplog.records if r.name == "monitor.daemon" and "cycle" in r.getMessage()]
        assert any("cycle 2: 10 sources (1 failed)" in s for s in summaries), summaries
    finally:
        store.close()
        server.close()


def test_the_daemon_logs_and_survives_a_cycle_that_raises(tmp_path: Path, caplog: Any) -> None:
    """Whatever still escapes a cycle (a bug not yet found) is logged with its type; the next cycle runs."""
    from monitor.pipeline.daemon import run_daemon

    server = PoisonServer(tmp_path)
    project = Project(tmp_path)
    project.configure([{"name": "healthy", "url": server.url("/good")}], limits=LIMITS)
    monitor, store = _monitor(project)
    real, calls = monitor.run_once, []

    def first_cycle_breaks(sources: Any = None) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("a bug that no input should reach")
        return real(sources)

    monitor.run_once = first_cycle_breaks
    stop = threading.Event()
    try:
        with caplog.at_level(logging.INFO, logger="monitor"):
            cycles = run_daemon(monitor, stop=stop, clock=_days(datetime.now(UTC)), sleep=lambda _s: None, max_cycles=1)
        assert cycles == 1 and len(calls) == 2
        assert GOOD_TITLE in {r["title"] for r in project.db()["articles"].rows}
        errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "monitor.daemon"]
        assert len(errors) == 1 and "KeyError" in errors[0].getMessage()
        assert any("Traceback" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
    finally:
        store.close()
        server.close()


# ---------------------------------------------------------------- what no input reaches yet


def test_an_unexpected_error_while_storing_one_item_skips_that_item(
    project: Project, monkeypatch: Any, caplog: Any
) -> None:
    """A fault injected into the store (in this process) for one item: that item is skipped and
    counted, the source's other items and the other sources are stored."""
    from monitor.pipeline import cycle as pipeline

    server = PoisonServer(project.root)
    project.configure(
        [{"name": "healthy", "url": server.url("/good")}, {"name": "two items", "url": server.url("/colon")}],
        limits=LIMITS,
    )
    real = pipeline.Monitor._store_decision

    def fails_on_toyota(self: Any, db: Any, source: Any, d: Any, fetched_at: str) -> Any:
        aid = real(self, db, source, d, fetched_at)  # written, then the failure: must be rolled back
        if "Toyota" in d.item.title:
            raise ZeroDivisionError("injected")
        return aid

    monkeypatch.setattr(pipeline.Monitor, "_store_decision", fails_on_toyota)
    try:
        with caplog.at_level(logging.WARNING, logger="monitor"):
            result = project.run("run", "--once")
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert "✓ two items: 2 items, 1 new, 1 alerts, 1 item skipped (ZeroDivisionError: injected)" in result.stderr
    assert result.stderr.rstrip().endswith(" failed, 1 item skipped"), result.stderr
    assert [r.getMessage() for r in caplog.records if "injected" in r.getMessage()] == [
        f"two items: item {COLON_OK!r} skipped: ZeroDivisionError: injected"
    ]
    # The Toyota report's article row, written before the failure, is rolled back with it.
    assert {r["title"] for r in project.db()["articles"].rows} == {GOOD_TITLE, COLON_TITLE}
    assert project.db()["alerts"].count == 2


def test_an_unexpected_error_storing_a_source_is_its_recorded_error(
    project: Project, monkeypatch: Any, caplog: Any
) -> None:
    from monitor.pipeline import cycle as pipeline

    server = PoisonServer(project.root)
    project.configure(
        [{"name": "healthy", "url": server.url("/good")}, {"name": "breaks", "url": server.url("/rss-year")}],
        limits=LIMITS,
        health={"failure_threshold": 1},
    )
    from monitor.sources.health import Polled

    real = pipeline.Monitor._record

    def breaks(self: Any, db: Any, source: Any, state: Any, result: Any, now: Any) -> Any:
        if source.name == "breaks" and isinstance(result, Polled):  # saving the poll that worked
            raise RuntimeError("injected")
        return real(self, db, source, state, result, now)

    monkeypatch.setattr(pipeline.Monitor, "_record", breaks)
    try:
        with caplog.at_level(logging.INFO, logger="monitor"):
            result = project.run("run", "--once")
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert "✗ breaks: unexpected RuntimeError: injected" in result.stderr
    db = project.db()
    assert {r["title"] for r in db["articles"].rows} == {GOOD_TITLE}  # the failed source's item rolled back
    assert db["sources"].get("breaks")["consecutive_failures"] == 1
    assert db["alerts"].count == 2  # the healthy report and the failing source's health alert
    logged = [r for r in caplog.records if "RuntimeError" in r.getMessage()]
    assert any(r.levelno == logging.WARNING for r in logged)
    assert any("Traceback" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
