"""Issue 7: hostile and broken sources, all configured in ONE `monitor run --once` beside a healthy source.

Each hostile source must end in a clear per-source error (or, for the lying charset and the
external DTD, in a correct result), nothing it carries may be stored or alerted, and the healthy
source in the same run is still ingested and alerted. Limits are small so the suite stays fast.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from conftest import Project, shared_data
from hostile_server import FOUR04_MARKER, GOOD_TITLE, LOCAL_MARKER, SJIS_TITLE, HostileServer, serve_files

LIMITS = {
    "fetch_timeout": "2s",
    "connect_timeout": "1s",
    "max_bytes": 131072,
    "parse_timeout": "2s",
    "concurrency": 32,
    "per_host": 32,
}

# source name -> (route, the error the run must report for it)
EXPECTED_ERRORS = {
    "billion laughs": ("/lol", r"^feed declares XML entities in its DOCTYPE \(refused: entity expansion / XXE risk\)$"),
    "quadratic entity": ("/quad", r"^feed declares XML entities in its DOCTYPE"),
    "quadratic entity in UTF-16": ("/utf16-quad", r"^feed declares XML entities in its DOCTYPE"),
    "quadratic entity in UTF-7": ("/utf7-quad", r"^feed declares XML entities in its DOCTYPE"),
    "entity behind a comment": ("/comment-quad", r"^feed declares XML entities in its DOCTYPE"),
    "XXE file": ("/xxe-file", r"^feed declares XML entities in its DOCTYPE"),
    "XXE http": ("/xxe-http", r"^feed declares XML entities in its DOCTYPE"),
    "huge body": ("/huge", r"^body from http://127\.0\.0\.1:\d+/huge exceeds 128 KiB \(decoded\)$"),
    "endless stream": ("/endless", r"^body from http://127\.0\.0\.1:\d+/endless exceeds 128 KiB \(decoded\)$"),
    "gzip bomb": ("/gzbomb", r"^body from http://127\.0\.0\.1:\d+/gzbomb exceeds 128 KiB \(decoded\)$"),
    "drip": ("/drip", r"^no complete answer from http://127\.0\.0\.1:\d+/drip within 2s$"),
    "silent": ("/silent", r"^no complete answer from http://127\.0\.0\.1:\d+/silent within 2s$"),
    "redirect loop": ("/loop", r"^more than 5 redirects from http://127\.0\.0\.1:\d+/loop$"),
    "not found": ("/status/404", r"^HTTP 404 from http://127\.0\.0\.1:\d+/status/404$"),
    "forbidden": ("/status/403", r"^HTTP 403 from http://127\.0\.0\.1:\d+/status/403$"),
    "server error": ("/status/500", r"^HTTP 500 from http://127\.0\.0\.1:\d+/status/500$"),
    "unavailable": ("/status/503", r"^HTTP 503 from http://127\.0\.0\.1:\d+/status/503$"),
    "404 carrying a feed": ("/404feed", r"^HTTP 404 from http://127\.0\.0\.1:\d+/404feed$"),
    "random bytes": ("/random", r"^not a feed: SAXParseException: .*not well-formed"),
    "HTML page": ("/html", r"^not a feed: SAXParseException: "),
    "cut on the wire": (
        "/cut",
        r"^connection closed before the whole body from http://127\.0\.0\.1:\d+/cut arrived$",
    ),
    "truncated feed": ("/truncated", r"^malformed feed with no complete item: SAXParseException: .*no element found"),
    "body is a local path": ("/pathbody", r"^not a feed: SAXParseException: "),
    "body is /dev/zero": ("/devzero", r"^not a feed: SAXParseException: "),
    "author ReDoS": ("/redos", r"^parsing took longer than 2s \(stopped\)$"),
}
# Sources that are odd but must come out right, not as errors.
EXPECTED_OK = {
    "healthy": "/good",
    "charset lies": "/sjis-lie",  # Shift_JIS bytes labelled UTF-8 in both the header and the XML declaration
    "external DTD": "/dtd-http",  # a plain external DTD reference: parsed, the DTD never fetched
    "long author": "/long-author",  # 32 KB of author in a plain feed: read without feedparser's quadratic regex
}


class Run:
    def __init__(self, project: Project, server: HostileServer, result: Any):
        self.project = project
        self.server = server
        self.result = result
        self.status = {r["name"]: r for r in json.loads(project.run("status", "--json").stdout)}
        self.db_bytes = b"".join(p.read_bytes() for p in project.root.glob("monitor.db*"))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("hostile")
    server = HostileServer(root)
    project = Project(root)
    sources = [{"name": name, "url": server.url(route)} for name, (route, _) in EXPECTED_ERRORS.items()]
    sources += [{"name": name, "url": server.url(route)} for name, route in EXPECTED_OK.items()]
    project.configure(sources, limits=LIMITS)
    try:
        result = project.run("run", "--once")
        yield Run(project, server, result)
    finally:
        server.close()


def test_the_run_completes_and_reports_every_source(hostile_run: Run) -> None:
    r = hostile_run.result
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output
    n_bad, n_all = len(EXPECTED_ERRORS), len(EXPECTED_ERRORS) + len(EXPECTED_OK)
    assert f"{n_all} sources ({n_bad} failed)" in r.stderr


@pytest.mark.parametrize("name", list(EXPECTED_ERRORS))
def test_each_hostile_source_ends_in_a_clear_error(hostile_run: Run, name: str) -> None:
    route, pattern = EXPECTED_ERRORS[name]
    line = next((ln for ln in hostile_run.result.stderr.splitlines() if ln.startswith(f"✗ {name}: ")), None)
    assert line is not None, hostile_run.result.stderr
    error = line.removeprefix(f"✗ {name}: ")
    assert re.search(pattern, error), error
    assert len(error) < 300 and "\n" not in error
    state = hostile_run.status[name]
    assert state["last_error"] == error and state["consecutive_failures"] == 1 and state["last_ok"] is None


def test_the_healthy_source_is_ingested_and_alerted(hostile_run: Run) -> None:
    assert hostile_run.status["healthy"]["last_ok"] and hostile_run.status["healthy"]["items_last_fetch"] == 1
    assert "=== Breach at vendor: Okta Inc." in hostile_run.result.stdout
    assert GOOD_TITLE in hostile_run.result.stdout
    titles = {r["title"] for r in hostile_run.project.db()["articles"].rows}
    assert GOOD_TITLE in titles


def test_lying_charset_is_decoded_correctly(hostile_run: Run) -> None:
    rows = list(hostile_run.project.db()["articles"].rows_where("source = ?", ["charset lies"]))
    assert [r["title"] for r in rows] == [SJIS_TITLE]


def test_no_external_entity_or_dtd_is_ever_read(hostile_run: Run) -> None:
    server = hostile_run.server
    assert server.hits["/evil.dtd"] == 0
    assert server.hits["/dtd-http"] == 1 and server.hits["/xxe-http"] == 1
    assert server.secret_marker.encode() not in hostile_run.db_bytes
    assert server.secret_marker not in hostile_run.result.output
    # The feed that merely names an external DTD is parsed normally.
    assert hostile_run.status["external DTD"]["items_last_fetch"] == 1


def test_nothing_from_failed_sources_is_stored(hostile_run: Run) -> None:
    db = hostile_run.project.db()
    sources = {r["source"] for r in db["articles"].rows}
    assert sources == {"healthy", "charset lies", "external DTD", "long author"}
    assert FOUR04_MARKER.encode() not in hostile_run.db_bytes
    assert LOCAL_MARKER.encode() not in hostile_run.db_bytes  # the path in the body was never opened
    assert db["alerts"].count == 2  # Okta and the Shift_JIS Toyota report, nothing else


def test_a_long_author_field_in_a_plain_feed_is_read(hostile_run: Run) -> None:
    assert hostile_run.status["long author"]["items_last_fetch"] == 1
    rows = list(hostile_run.project.db()["articles"].rows_where("source = ?", ["long author"]))
    assert [r["title"] for r in rows] == ["Long author item"]


def test_redirect_loop_stops_at_the_redirect_limit(hostile_run: Run) -> None:
    assert hostile_run.server.hits["/loop"] == 6  # the first request and 5 redirects


def test_a_second_run_counts_failures_and_backs_off(hostile_run: Run) -> None:
    """The state a second cycle reads: every hostile source has one failure and a later next_due."""
    for name in EXPECTED_ERRORS:
        assert hostile_run.status[name]["next_due"], name


# ---------------------------------------------------------------- the feeds-wild corpus


def _declared_content_type(raw: bytes) -> str:
    m = re.search(rb"Header:\s*Content-type:\s*([^\r\n]+)", raw[:2000], re.I)
    return m.group(1).decode("latin-1").strip() if m else "application/xml"


@pytest.mark.shared_data
def test_every_wild_feed_parses_or_fails_cleanly() -> None:
    """~2,100 real and malformed feeds through the worker pool: no crash, no unexpected exception."""
    from monitor.errors import SourceError
    from monitor.sources.parse import Parsed, ParserPool, run_parser

    root = shared_data("feeds-wild")
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in (".xml", ".rss", ".atom", ".rdf", ".json", ".feed")
    )
    assert len(files) > 1500
    outcomes: dict[str, int] = {"parsed": 0, "error": 0}
    with ParserPool(workers=2, timeout=10, memory_mb=512) as pool:
        futures = [
            (
                p,
                pool.submit(
                    run_parser,
                    "feed",
                    p.read_bytes(),
                    _declared_content_type(p.read_bytes()),
                    "http://127.0.0.1/feed",
                    {},
                    500,
                ),
            )
            for p in files
        ]
        for path, f in futures:
            try:
                result = pool.result(f)
            except SourceError:
                outcomes["error"] += 1
                continue
            assert isinstance(result, Parsed), path
            for item in result.items:
                assert len(item.title) <= 500 and len(item.summary) <= 5000
            outcomes["parsed"] += 1
    assert outcomes["parsed"] > outcomes["error"] > 0


@pytest.mark.shared_data
def test_a_cycle_over_real_world_feeds_never_crashes(project: Project) -> None:
    """The feedjira captures (real feeds, many malformed) served locally through `monitor run --once`."""
    root = shared_data("feeds-wild", "feedjira")
    files = {f"/{p.name}": p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}
    srv = serve_files(files)
    try:
        port = srv.server_address[1]
        project.configure(
            [{"name": path.strip("/"), "url": f"http://127.0.0.1:{port}{path}"} for path in files],
            limits=LIMITS | {"max_bytes": 2 << 20, "parse_timeout": "10s"},
        )
        result = project.run("run", "--once")
    finally:
        srv.shutdown()
        srv.server_close()
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    m = re.search(r"(\d+) sources \((\d+) failed\), (\d+) new articles", result.stderr)
    assert m and int(m.group(1)) == len(files)
    assert int(m.group(3)) > 100  # most real feeds yield articles
    assert int(m.group(2)) < len(files) // 2
    for line in result.stderr.splitlines():
        if line.startswith("✗ "):
            assert "unexpected" not in line and len(line) < 400, line


def test_a_guard_trip_never_reaches_feedparser_lenient_expansion() -> None:
    """Unit check of the DOCTYPE guard on the bytes feedparser will actually parse."""
    from hostile_server import _utf7, quadratic

    from monitor.errors import UnsafeXML
    from monitor.sources.parse import feedparser_bytes, refuse_entity_doctype

    doc = quadratic(value_kb=1, refs=10)
    for body in (doc.encode(), doc.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"), _utf7(doc)):
        with pytest.raises(UnsafeXML):
            refuse_entity_doctype(body)
            refuse_entity_doctype(feedparser_bytes(body, "application/xml"))
    # An ordinary RSS 0.91 DOCTYPE with an external id only is not refused.
    plain = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"></rss>'
    )
    refuse_entity_doctype(plain)
    refuse_entity_doctype(feedparser_bytes(plain, "application/xml"))
