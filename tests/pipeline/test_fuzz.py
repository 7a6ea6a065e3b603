"""Issue 20: fuzz the per-source path (parse -> dedupe -> decide -> store) with Hypothesis.

Each example is one source's fetched body (an RSS/Atom feed, an HTML list page, a JSON API answer,
or a feed item whose linked notice is a PDF) driven through the functions the parser workers run
(decide.parse_and_decide; parse.run_parser, extract_article and decide.decide_in_worker for
fetch_article sources) and then stored by Monitor through Store in a real SQLite file, as a cycle does.

The property: nothing escapes but the documented SourceError (which is then recorded as the source's
failure), no item is skipped by a contained exception, no source ends in "unexpected", and every
stored row is well-formed. What the fuzzer found is kept below as @example regressions.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from conftest import Project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_failsafe import POISON_PDFS, build_pdf

from monitor.errors import SourceBug, SourceError
from monitor.storage.feedback import Rules
from monitor.textutil import parse_iso

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
BASE = "https://news.example/list/"
MAX_ITEMS = 20
# FUZZ_EXAMPLES=5000 for a long hunt; the suite's default keeps the file to seconds.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# ---------------------------------------------------------------- strategies

VENDOR_WORDS = ["Okta", "Okta Inc.", "LINEヤフー", "NAVER Cloud", "イセトー", "トヨタ自動車", "Box", "Toyota"]
BREACH_WORDS = [
    "data breach",
    "ransomware attack",
    "customer data stolen",
    "情報漏えい",
    "不正アクセス",
    "ランサムウェア被害",
    "confirms breach",
    "",
]
text = st.text(max_size=40)
titles = st.one_of(
    text,
    st.builds(lambda v, w, t: f"{v} {w} {t}", st.sampled_from(VENDOR_WORDS), st.sampled_from(BREACH_WORDS), text),
)
links = st.one_of(
    st.builds(
        lambda scheme, host, port, path: f"{scheme}{host}{port}/{path}",
        st.sampled_from(["http://", "https://", "HTTPS://", "//", "", "javascript:", "file:///", "mailto:"]),
        st.sampled_from(
            [
                "example.com",
                "www.okta.com",
                "isetoh.co.jp",
                "127.0.0.1",
                "[::1]",
                "[::1",
                "example.com\uff1a80",
                "ex\u2100ample.com",
                "例え.jp",
                "a@b",
                "xn--",
                "",
                "..",
                "[fe80::1%25eth0]",
                "example.com\uff0fx",
            ]
        ),
        st.sampled_from(["", ":80", ":0", ":99999", ":-1", ":abc", ":８０", ":"]),
        st.text(max_size=15),
    ),
    st.text(max_size=40),
)
years = st.one_of(st.integers(0, 10_000), st.sampled_from([1, 1970, 2024, 9999, 10_000, 99_999_999_999]))
zones_iso = st.sampled_from(["Z", "", "+00:00", "+23:59", "-23:59", "+14:00", "+99:00"])
zones_822 = st.sampled_from(["GMT", "+0000", "+2359", "-2359", "EST", "+9999", "UT", ""])
dates = st.one_of(
    st.builds(
        lambda y, m, d, z: f"{y:04d}-{m:02d}-{d:02d}T23:59:59{z}",
        years,
        st.integers(0, 13),
        st.integers(0, 32),
        zones_iso,
    ),
    st.builds(lambda d, y, z: f"Mon, {d:02d} Jan {y} 00:00:00 {z}", st.integers(0, 40), years, zones_822),
    st.builds(lambda y, m, d: f"{y}年{m}月{d}日", years, st.integers(0, 13), st.integers(0, 32)),
    st.builds(
        lambda e, n, m, d: f"{e}{n}年{m}月{d}日",
        st.sampled_from(["令和", "平成", "昭和"]),
        st.one_of(st.integers(0, 100), st.just("元")),
        st.integers(0, 13),
        st.integers(0, 32),
    ),
    st.builds(lambda d, y: f"June {d}, {y}", st.integers(0, 40), years),
    text,
)


@dataclass
class Post:
    title: str
    link: str
    date: str
    summary: str


posts = st.lists(st.builds(Post, titles, links, dates, text), max_size=6)


def _x(s: str) -> str:
    return escape(s)


def rss_body(items: list[Post], atom: bool) -> bytes:
    if atom:
        entries = "".join(
            f"<entry><title>{_x(p.title)}</title><link href={quoteattr(p.link)}/><id>{_x(p.link)}</id>"
            f"<updated>{_x(p.date)}</updated><published>{_x(p.date)}</published>"
            f"<summary>{_x(p.summary)}</summary></entry>"
            for p in items
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            f"<id>urn:t</id><updated>2024-06-01T00:00:00Z</updated>{entries}</feed>"
        ).encode("utf-8", "replace")
    entries = "".join(
        f"<item><title>{_x(p.title)}</title><link>{_x(p.link)}</link><guid>{_x(p.link)}</guid>"
        f"<pubDate>{_x(p.date)}</pubDate><description>{_x(p.summary)}</description></item>"
        for p in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{BASE}</link><description>d</description>{entries}</channel></rss>"
    ).encode("utf-8", "replace")


def html_body(items: list[Post], base: str | None) -> bytes:
    head = f"<base href={quoteattr(base)}>" if base is not None else ""
    rows = "".join(
        f'<li><span class="date">{_x(p.date)}</span><a href={quoteattr(p.link)}>{_x(p.title)}</a>'
        f"<p>{_x(p.summary)}</p></li>"
        for p in items
    )
    return f"<html><head>{head}<title>news</title></head><body><ul>{rows}</ul></body></html>".encode("utf-8", "replace")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def cut(body: bytes, at: int | None) -> bytes:
    """The body, or the body cut short (a connection dropped mid-document)."""
    return body if at is None else body[: at % (len(body) + 1)]


cuts = st.one_of(st.none(), st.integers(0, 10_000))

PDF_TOKENS = [
    "/Filter",
    "/FlateDecode",
    "/ASCIIHexDecode",
    "/ASCII85Decode",
    "/LZWDecode",
    "/RunLengthDecode",
    "/DCTDecode",
    "/Nope",
    "/DecodeParms",
    "/Predictor",
    "12",
    "/Columns",
    "<<",
    ">>",
    "[",
    "]",
    "-1000",
    "-1",
    "0",
    "1",
    "99999999999",
    "/Differences",
    "/Encoding",
    "/BaseEncoding",
    "/WinAnsiEncoding",
    "/Type",
    "/Length",
    "4 0 R",
    "9 0 R",
    "/Encrypt",
    "/V",
    "/R",
    "/ID",
    "<00>",
    "/ToUnicode",
    "/Widths",
    "/FirstChar",
    "/LastChar",
    "/Subtype",
    "/Type0",
    "/Type3",
    "/A",
    "(",
    ")",
    "null",
    "true",
    "1.5e308",
    "/CharProcs",
    "/FontMatrix",
    "/DescendantFonts",
]
pdf_fragments = st.lists(st.sampled_from(PDF_TOKENS), max_size=10).map(lambda ts: " ".join(ts) + " ")
pdf_ops = st.lists(
    st.sampled_from(
        [
            "BT",
            "ET",
            "/F1 12 Tf",
            "/F9 12 Tf",
            "72 720 Td",
            "(Okta Inc. data breach) Tj",
            "[(Okta) -250 (breach)] TJ",
            "<4f6b7461> Tj",
            "T*",
            "14 TL",
            "(x) '",
            "1 0 0 1 0 0 Tm",
            "q",
            "Q",
            "1e308 0 0 1e308 0 0 cm",
            "-1 Tf",
            "BI",
            "ID",
            "EI",
            "/Im1 Do",
            "0 Tr",
            "99999999999 Tz",
        ]
    ),
    max_size=12,
)
pdfs = st.builds(
    lambda ops, sd, fe, te: build_pdf(" ".join(ops).encode(), sd, fe, te),
    pdf_ops,
    pdf_fragments,
    pdf_fragments,
    pdf_fragments,
)


# ---------------------------------------------------------------- the path under test


class Cycle:
    """One Monitor over a real SQLite file; each example is one source's fetch stored as a cycle would."""

    def __init__(self, root: Path):
        from monitor.alerting.slack import sender_from_env
        from monitor.config import load_config
        from monitor.matching.vendors import load_vendors
        from monitor.pipeline.cycle import Monitor
        from monitor.storage.store import Store

        project = Project(root)
        json_spec = {
            "type": "json",
            "items": "posts",
            "title": "title",
            "link": "url",
            "date": "date",
            "summary": "summary",
        }
        html_spec = {"type": "html", "item": "li", "title": "a", "link": "a@href", "date": ".date", "summary": "p"}
        project.configure(
            [
                {"name": "feed", "url": BASE},
                {"name": "html", "url": BASE, **html_spec},
                {"name": "json", "url": BASE, **json_spec},
                {"name": "pdf", "url": BASE, "fetch_article": True},
            ]
        )
        self.config = load_config(project.config_path)
        self.store = Store(self.config.database)
        self.store.conn.execute("PRAGMA synchronous = OFF")  # speed only: nothing here tests durability
        self.monitor = Monitor(self.config, load_vendors(self.config.vendors), self.store, sender_from_env())
        self.sources = {s.name: s for s in self.config.sources}

    def close(self) -> None:
        self.store.close()

    def run(self, name: str, body: bytes, content_type: str, pdf: bytes | None = None) -> Any:
        """The worker task(s), then the store; returns the SourceResult."""
        from monitor.pipeline.workers import ParseOutcome, decide_in_worker, parse_and_decide
        from monitor.sources.dedupe import new_items
        from monitor.sources.fetch import Response
        from monitor.sources.health import SourceState
        from monitor.sources.parse import extract_article, parse_source

        source = self.sources[name]
        args = (source, body, content_type, BASE, MAX_ITEMS)
        outcome: Any
        decisions: Any = ()
        try:
            if pdf is None:
                decided = parse_and_decide(*args, False, str(self.config.database), self.monitor.matcher_ref, NOW)
                outcome, decisions = decided.parsed.plus(decided.skipped), decided.decisions
            else:
                parsed = parse_source(*args)
                fresh, shared = new_items(name, parsed.items, False, self.store.known_keys)
                bodies = {}
                for item, _, _ in fresh:
                    try:
                        bodies[item.link] = extract_article(pdf, "application/pdf")
                    except SourceError:
                        pass  # the item goes on without its notice, as in the pipeline
                decided = decide_in_worker(self.monitor.matcher_ref, False, fresh, bodies, NOW)
                decisions = decided.decisions
                outcome = ParseOutcome.of(parsed, shared).plus(decided.skipped)
        except SourceError as e:
            assert not isinstance(e, SourceBug), e
            outcome = e
        state = self.store.source_states().get(name, SourceState())
        with self.store.write() as db:
            res = self.monitor._ingest_contained(
                db, source, Response(url=BASE, status=200, body=body), outcome, decisions, state, Rules(), NOW
            )
        assert not (res.error or "").startswith("unexpected"), res.error
        assert res.skipped == 0, res.skip_reason
        self.check_rows()
        return res

    def check_rows(self) -> None:
        db = self.store.db
        for r in db.query("SELECT * FROM articles"):
            assert isinstance(r["title"], str) and len(r["title"]) <= 500
            assert isinstance(r["link"], str) and len(r["link"]) <= 2000
            assert isinstance(r["summary"], str) and len(r["summary"]) <= 5000
            for column in ("published", "fetched_at"):
                assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r[column]), r
                assert parse_iso(r[column]) is not None, r
            assert r["breach"] in (0, 1) and isinstance(json.loads(r["terms"]), list)
        for r in db.query("SELECT * FROM alerts"):
            payload = json.loads(r["payload"])
            assert payload["text"] and isinstance(payload["blocks"], list)
        for r in db.query("SELECT * FROM incidents"):
            assert parse_iso(r["first_seen"]) and parse_iso(r["last_seen"]), r


# feedparser's own notice about its updated -> published fallback, once per entry read
pytestmark = pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> Any:
    c = Cycle(tmp_path_factory.mktemp("fuzz"))
    yield c
    c.close()


# ---------------------------------------------------------------- the properties


BREACH = "Okta confirms data breach, customer data stolen"


@FUZZ
@given(items=posts, atom=st.booleans(), at=cuts)
# The inputs: a full-width colon in the host, year 99999999999, year 1 (in the incident window).
@example(items=[Post(BREACH, "http://example.com\uff1a80/x", "", "")], atom=False, at=None)
@example(
    items=[Post(BREACH + " 2", "https://a.example/2", "Mon, 01 Jan 99999999999 00:00:00 GMT", "")], atom=False, at=None
)
@example(items=[Post(BREACH + " 3", "https://a.example/3", "0001-01-01T00:00:00Z", "")], atom=True, at=None)
# Found by the fuzzer: an unclosed IPv6 bracket (urljoin raises ValueError: Invalid IPv6 URL).
@example(items=[Post("", "http://[::1/", "", "")], atom=False, at=None)
def test_feeds(cycle: Cycle, items: list[Post], atom: bool, at: int | None) -> None:
    cycle.run("feed", cut(rss_body(items, atom), at), "application/rss+xml")


@FUZZ
@given(items=posts, base=st.one_of(st.none(), links), at=cuts)
# Found by the fuzzer: an unclosed IPv6 bracket in a link, and in <base href>.
@example(items=[Post("0", "http://[::1/", "", "")], base=None, at=None)
@example(items=[Post(BREACH, "x", "", "")], base="http://[::1", at=None)
@example(items=[Post(BREACH + " 2", "x", "0001年1月1日", "")], base=None, at=None)
def test_html_pages(cycle: Cycle, items: list[Post], base: str | None, at: int | None) -> None:
    cycle.run("html", cut(html_body(items, base), at), "text/html; charset=utf-8")


@FUZZ
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "title": st.one_of(titles, json_values),
                "url": st.one_of(links, json_values),
                "date": st.one_of(dates, json_values),
                "summary": st.one_of(text, json_values),
            },
        ),
        max_size=6,
    ),
    at=cuts,
)
# The inputs: a date past the last datetime in UTC, and one in year 99999999999.
@example(rows=[{"title": BREACH, "date": "9999-12-31T23:59:59-23:59"}], at=None)
@example(rows=[{"title": BREACH + " 2", "date": "Mon, 01 Jan 99999999999 00:00:00 GMT"}], at=None)
@example(
    rows=[{"title": BREACH + " 3", "url": "http://example.com\uff1a80/x", "date": "0001-01-01T00:00:00+01:00"}], at=None
)
def test_json_apis(cycle: Cycle, rows: list[dict[str, Any]], at: int | None) -> None:
    cycle.run("json", cut(json.dumps({"posts": rows}).encode(), at), "application/json")


@FUZZ
@given(pdf=pdfs, title=titles, at=cuts)
# The inputs: /Filter /Nope, a non-standard /Encrypt, a negative code in /Differences.
@example(pdf=POISON_PDFS["/pdf-filter"], title=BREACH, at=None)
@example(pdf=POISON_PDFS["/pdf-encrypt"], title=BREACH, at=None)
@example(pdf=POISON_PDFS["/pdf-differences"], title=BREACH, at=None)
def test_linked_pdfs(cycle: Cycle, pdf: bytes, title: str, at: int | None) -> None:
    feed = rss_body([Post(title or "Notice", f"https://notice.example/{abs(hash(pdf))}.pdf", "", "")], False)
    cycle.run("pdf", feed, "application/rss+xml", pdf=cut(pdf, at))
