"""Issue 5: sources beyond RSS, driven through the CLI against servers on 127.0.0.1.

HTML list pages (Shift_JIS, charset only in <meta>), JSON leak-site APIs (name and domain matches,
.onion links never fetched), linked notices (EUC-JP HTML, PDF), the private-link rule, conditional
GET, concurrency with a per-host limit, per-source interval, `monitor sources check`, and the
bundled feeds.yaml checked against small fixtures shaped like each site.
"""

from __future__ import annotations

import codecs
import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Entry, Project, bot_env, rss2

from monitor.config import load_config

FIXTURES = Path(__file__).parents[1] / "fixtures"
BUNDLED = Path(__file__).resolve().parents[2] / "feeds.yaml"
NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)


def _search(project: Project, query: str) -> list[dict[str, Any]]:
    result = project.run("search", query, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _bundled_source(name: str, url: str, **overrides: Any) -> dict[str, Any]:
    """The entry from the bundled feeds.yaml, pointed at a local server."""
    doc = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    entry = next(s for s in doc["sources"] if s["name"] == name)
    return {**entry, "url": url, **overrides}


def make_pdf(lines: list[str]) -> bytes:
    """A small real PDF (one page, Helvetica text) built with pypdf."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    text = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    stream = DecodedStreamObject()
    stream.set_data(text.encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- HTML list pages

SJIS_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">
<title>お知らせ一覧</title></head>
<body><nav><a href="/">トップ</a></nav>
<ul class="news">
  <li><span class="date">令和6年6月4日</span><a href="../notice/0604.html">当社委託先イセトーへの不正アクセスによる個人情報漏えいのお知らせ</a>
      <p class="lead">委託先の株式会社イセトーがランサムウェア被害を受けました。</p></li>
  <li><span class="date">2024年6月3日</span><a href="0603.html">㈱トヨタ自動車 新製品発売のお知らせ①</a></li>
  <li><span class="date">2024/06/01</span><a href="/news/0601.html">夏季休業のお知らせ</a></li>
  <li><span class="date">日付なし</span></li>
</ul></body></html>"""


def test_shift_jis_html_list_with_meta_charset_only(project, httpserver):  # type: ignore[no-untyped-def]
    body = SJIS_PAGE.encode("cp932")
    assert b"charset=Shift_JIS" in body and body.decode("utf-8", errors="replace") != SJIS_PAGE
    # The header says nothing about the charset: only the <meta> does.
    httpserver.expect_request("/corp/news/").respond_with_data(body, content_type="text/html")
    project.configure(
        [
            {
                "name": "お知らせ一覧",
                "url": httpserver.url_for("/corp/news/"),
                "type": "html",
                "item": "ul.news li",
                "title": "a",
                "link": "a@href",
                "date": "span.date",
                "summary": "p.lead",
            }
        ]
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    # The item without a title is skipped; three notices are read.
    assert "✓ お知らせ一覧: 3 items, 3 new, 1 alerts" in result.stderr
    assert result.stdout.count("=== ") == 1 and "ISETOH Corporation" in result.stdout

    rows = {r["title"]: r for r in _search(project, "お知らせ")}
    leak = rows["当社委託先イセトーへの不正アクセスによる個人情報漏えいのお知らせ"]
    assert leak["url"] == httpserver.url_for("/corp/notice/0604.html")  # ../ resolved against the page
    assert leak["published"] == "2024-06-04T00:00:00Z"  # 令和6年 = 2024
    assert leak["summary"] == "委託先の株式会社イセトーがランサムウェア被害を受けました。"
    assert leak["vendors"] == ["ISETOH Corporation"] and leak["breach"] is True
    # CP932-only characters (㈱, ①) survive: Shift_JIS is read as CP932.
    launch = rows["㈱トヨタ自動車 新製品発売のお知らせ①"]
    assert launch["url"] == httpserver.url_for("/corp/news/0603.html")
    assert launch["published"] == "2024-06-03T00:00:00Z" and launch["breach"] is False
    assert rows["夏季休業のお知らせ"]["published"] == "2024-06-01T00:00:00Z"


def test_bundled_regulator_and_company_selectors_read_fixtures_shaped_like_the_sites(project, httpserver):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/news/press/").respond_with_data(
        (FIXTURES / "ppc_press.html").read_bytes(), content_type="text/html; charset=UTF-8"
    )
    httpserver.expect_request("/news/").respond_with_data(
        (FIXTURES / "company_news.html").read_bytes(), content_type="text/html"
    )
    project.configure(
        [
            _bundled_source("個人情報保護委員会 報道発表", httpserver.url_for("/news/press/"), fetch_article=False),
            _bundled_source("イセトー お知らせ", httpserver.url_for("/news/"), fetch_article=False),
        ]
    )
    check = project.run("sources", "check", "--json")
    assert check.exit_code == 0, check.output  # every source fine
    rows = json.loads(check.stdout)
    assert [(r["name"], r["type"], r["status"], r["items"], r["error"]) for r in rows] == [
        ("個人情報保護委員会 報道発表", "html", 200, 3, None),
        ("イセトー お知らせ", "html", 200, 3, None),
    ]
    assert rows[0]["newest"] == "2024-09-11T00:00:00Z" and rows[1]["newest"] == "2024-06-05T00:00:00Z"
    # The table lines up although the names are Japanese (two columns per character).
    lines = project.run("sources", "check").stdout.splitlines()
    assert lines[0].startswith("✓ 個人情報保護委員会 報道発表" + " " * 3 + " html  200  items 3")  # 27 columns + 3
    assert lines[1].startswith("✓ イセトー お知らせ" + " " * 13 + " html  200  items 3")  # 17 columns + 13

    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    ppc = {r["title"]: r for r in _search(project, "について")}
    order = next(r for t, r in ppc.items() if t.startswith("株式会社イセトーにおける不正アクセス"))
    assert order["url"] == httpserver.url_for("/news/press/2024/240911/")
    assert order["vendors"] == ["ISETOH Corporation"] and order["breach"] is True
    # A space inside the site's href is percent-encoded, as a browser would send it.
    assert ppc["メールの誤送信について"]["url"] == httpserver.url_for("/news/press/2024/24%200704")
    assert ppc["新元号への対応について"]["published"] == "2019-05-01T00:00:00Z"  # 令和元年
    company = {r["title"]: r for r in _search(project, "ランサムウェア被害")}
    assert company["ランサムウェア被害の発生について"]["url"] == httpserver.url_for("/news/20240526.html")
    assert company["ランサムウェア被害の発生について(第2報)"]["url"] == httpserver.url_for("/news/pdf/20240605.pdf")


# ---------------------------------------------------------------------------- JSON leak-site API


@pytest.fixture
def dns_log(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name looked up during the test (lookups still go to the real resolver)."""
    seen: list[str] = []
    real = socket.getaddrinfo

    def recording(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(host.decode() if isinstance(host, bytes) else str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    return seen


def test_json_api_matches_vendors_by_name_and_domain_and_never_fetches_onion(project, httpserver, dns_log):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/v2/recentvictims").respond_with_data(
        (FIXTURES / "ransomware_live_recentvictims.json").read_bytes(), content_type="application/json"
    )
    # The bundled entry, with fetch_article switched on to prove .onion links are refused anyway.
    project.configure([_bundled_source("ransomware.live", httpserver.url_for("/v2/recentvictims"), fetch_article=True)])
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert "✓ ransomware.live: 4 items, 4 new, 3 alerts" in result.stderr

    db = project.db()
    matches = {
        (r["vendor"], r["how"])
        for r in db.query("SELECT m.vendor, m.how FROM matches m JOIN articles a ON a.id = m.article_id")
    }
    assert ("ISETOH Corporation", "domain") in matches  # title is only "isetoh.co.jp"
    assert ("Okta Inc.", "name") in matches
    assert ("トヨタ自動車株式会社", "domain") in matches  # v2 field names: victim + domain
    alerted = {r["vendor"] for r in db.query("SELECT vendor FROM alerts")}
    assert alerted == {"ISETOH Corporation", "Okta Inc.", "トヨタ自動車株式会社"}
    # assume_breach: a bare domain is an incident report.
    isetoh = db.execute("SELECT breach, link, published, body FROM articles WHERE title = 'isetoh.co.jp'").fetchone()
    assert isetoh[0] == 1 and isetoh[1].startswith("http://xb6q2agg") and isetoh[1].endswith(".onion/company/8190012")
    assert isetoh[2] == "2024-06-10T07:12:33Z"
    assert not isetoh[3]  # nothing fetched for it
    # No .onion name was ever resolved, let alone connected to.
    assert not [h for h in dns_log if h.endswith(".onion")]
    assert [r.path for r, _ in httpserver.log] == ["/v2/recentvictims"]


# ---------------------------------------------------------------------------- linked notices

EUCJP_NOTICE = """<html><head><meta charset="EUC-JP"><title>お知らせ</title></head><body>
<header><nav><a href="/">ホーム</a> <a href="/partners">取引先: Okta</a></nav></header>
<main><h1>お知らせ</h1>
<p>当社が印刷業務を委託している株式会社イセトーのサーバーが不正アクセスを受け、ランサムウェアにより
お客様の個人情報が漏えいした可能性があることが判明しました。</p>
<p>対象となるお客様には個別にご連絡いたします。</p></main>
<script>var tracking = "Box Inc.";</script>
<footer>Copyright</footer></body></html>"""


def test_rss_oshirase_item_matched_through_linked_euc_jp_page(project, httpserver):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/notice/1.html").respond_with_data(
        EUCJP_NOTICE.encode("euc_jp"), content_type="text/html"
    )
    httpserver.expect_request("/feed").respond_with_data(
        rss2([Entry("お知らせ", httpserver.url_for("/notice/1.html"), "", "n1", NOW)]),
        content_type="application/rss+xml",
    )
    project.configure(
        [{"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True, "allow_private_links": True}]
    )  # the test server is on loopback
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("=== ") == 1
    assert "ISETOH Corporation" in result.stdout
    rows = _search(project, "漏えいした可能性")  # words only in the linked page
    assert [r["title"] for r in rows] == ["お知らせ"]
    # Navigation and scripts are dropped: Okta (nav) and Box (script) are not matched.
    assert rows[0]["vendors"] == ["ISETOH Corporation"] and rows[0]["breach"] is True
    assert _search(project, "tracking") == []


def test_rss_item_linking_to_a_pdf_notice(project, httpserver):  # type: ignore[no-untyped-def]
    pdf = make_pdf(
        [
            "Notice regarding a security incident",
            "Okta Inc. detected unauthorized access to its customer support system.",
            "Some customer files were exfiltrated.",
        ]
    )
    httpserver.expect_request("/files/notice.pdf").respond_with_data(pdf, content_type="application/pdf")
    httpserver.expect_request("/feed").respond_with_data(
        rss2([Entry("Notice", httpserver.url_for("/files/notice.pdf"), "", "p1", NOW)]),
        content_type="application/rss+xml",
    )
    project.configure(
        [{"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True, "allow_private_links": True}]
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("=== ") == 1 and "Okta Inc." in result.stdout
    rows = _search(project, "exfiltrated")
    assert [r["title"] for r in rows] == ["Notice"] and rows[0]["vendors"] == ["Okta Inc."]


def test_loopback_link_followed_only_with_allow_private_links(project, httpserver, tmp_path):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/intranet/notice.html").respond_with_data(
        "<html><body><main>イセトーで不正アクセスによる情報漏えいが発生しました。</main></body></html>",
        content_type="text/html; charset=utf-8",
    )
    httpserver.expect_request("/feed").respond_with_data(
        rss2([Entry("お知らせ", httpserver.url_for("/intranet/notice.html"), "", "x1", NOW)]),
        content_type="application/rss+xml",
    )
    source = {"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True}
    project.configure([source])
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("=== ") == 0
    hits = [r.path for r, _ in httpserver.log]
    assert hits == ["/feed"]  # the loopback link got zero requests
    assert _search(project, "情報漏えい") == []

    (tmp_path / "allowed").mkdir()
    allowed = Project(tmp_path / "allowed")
    allowed.configure([{**source, "allow_private_links": True}])
    result = allowed.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("=== ") == 1 and "ISETOH Corporation" in result.stdout
    assert [r.path for r, _ in httpserver.log].count("/intranet/notice.html") == 1


# ---------------------------------------------------------------------------- conditional GET


def test_conditional_get_304_costs_one_request_and_alerts_nothing(project, httpserver, slack):  # type: ignore[no-untyped-def]
    feed = rss2([Entry("Okta confirms breach of support system", "https://news.example/okta", "", "g1", NOW)])
    etag, modified = '"v1-abc"', "Wed, 05 Jun 2024 09:00:00 GMT"
    httpserver.expect_ordered_request("/feed").respond_with_data(
        feed, content_type="application/rss+xml", headers={"ETag": etag, "Last-Modified": modified}
    )
    # Matched only when both validators come back; anything else gets pytest-httpserver's 500.
    httpserver.expect_ordered_request(
        "/feed", headers={"If-None-Match": etag, "If-Modified-Since": modified}
    ).respond_with_data("", status=304)
    project.configure([{"name": "news", "url": httpserver.url_for("/feed")}])
    first = project.run("run", "--once", env=bot_env(slack))
    assert first.exit_code == 0 and "1 alerts" in first.stderr
    assert len(slack.messages) == 1
    second = project.run("run", "--once", env=bot_env(slack))
    assert second.exit_code == 0, second.output
    assert "· news: not modified" in second.stderr
    assert len(slack.messages) == 1
    db = project.db()
    assert db["articles"].count == 1 and db["alerts"].count == 1
    state = db["sources"].get("news")
    assert state["consecutive_failures"] == 0 and state["etag"] == etag and state["last_error"] is None
    httpserver.check_assertions()
    assert len(httpserver.log) == 2


# ---------------------------------------------------------------------------- concurrency


class _Server:
    """A ThreadingHTTPServer on 127.0.0.1 whose routes are callables (handler -> (status, type, body))."""

    def __init__(self, routes: dict[str, Callable[[BaseHTTPRequestHandler], tuple[int, str, bytes]]]):
        self.routes = routes
        self.active = 0
        self.max_active = 0
        self.hits: list[str] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with outer._lock:
                    outer.hits.append(self.path)
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                try:
                    status, ctype, body = outer.routes[self.path](self)
                finally:
                    with outer._lock:
                        outer.active -= 1
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (deadline)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server_factory() -> Iterator[Callable[..., _Server]]:
    servers: list[_Server] = []

    def make(routes: dict[str, Callable[[BaseHTTPRequestHandler], tuple[int, str, bytes]]]) -> _Server:
        servers.append(_Server(routes))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def _feed_route(title: str, delay: float = 0.0) -> Callable[[BaseHTTPRequestHandler], tuple[int, str, bytes]]:
    def route(_h: BaseHTTPRequestHandler) -> tuple[int, str, bytes]:
        time.sleep(delay)  # holds the request open so that overlapping fetches are visible
        return (
            200,
            "application/rss+xml",
            rss2([Entry(title, f"https://news.example/{abs(hash(title))}", "", None, NOW)]),
        )

    return route


def test_sources_fetched_concurrently_with_a_per_host_limit(project, server_factory):  # type: ignore[no-untyped-def]
    srv = server_factory({f"/f{i}": _feed_route(f"Okta breach report {i}", delay=0.4) for i in range(5)})
    project.configure(
        [{"name": f"feed {i}", "url": srv.url(f"/f{i}")} for i in range(5)], limits={"per_host": 2, "concurrency": 8}
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert sorted(srv.hits) == [f"/f{i}" for i in range(5)]
    # Concurrent (more than one at a time), but never more than per_host against one host.
    assert srv.max_active == 2
    assert project.db()["articles"].count == 5


def test_one_slow_source_does_not_hold_the_cycle(project, server_factory):  # type: ignore[no-untyped-def]
    release = threading.Event()

    def stuck(_h: BaseHTTPRequestHandler) -> tuple[int, str, bytes]:
        release.wait(30)
        return 200, "application/rss+xml", b""

    srv = server_factory({"/slow": stuck, **{f"/f{i}": _feed_route(f"Okta breach report {i}") for i in range(3)}})
    try:
        project.configure(
            [
                {"name": "slow", "url": srv.url("/slow")},
                *({"name": f"feed {i}", "url": srv.url(f"/f{i}")} for i in range(3)),
            ],
            limits={"fetch_timeout": "1s", "per_host": 4},
        )
        result = project.run("run", "--once")
        # The run returned while the slow server was still holding its response.
        assert not release.is_set()
    finally:
        release.set()
    assert result.exit_code == 0, result.output
    assert "✗ slow: no complete answer from" in result.stderr and "within 1s" in result.stderr
    for i in range(3):
        assert f"✓ feed {i}: 1 items, 1 new, 1 alerts" in result.stderr
    assert project.db()["articles"].count == 3


# ---------------------------------------------------------------------------- per-source interval


def test_per_source_interval_overrides_the_global_one(project, httpserver):  # type: ignore[no-untyped-def]
    from monitor.pipeline.daemon import due_sources
    from monitor.storage.store import Store

    httpserver.expect_request("/a").respond_with_data(
        rss2([Entry("a", "https://x.example/a")]), content_type="application/rss+xml"
    )
    httpserver.expect_request("/b").respond_with_data(
        rss2([Entry("b", "https://x.example/b")]), content_type="application/rss+xml"
    )
    project.configure(
        [
            {"name": "hourly", "url": httpserver.url_for("/a"), "interval": "1h"},
            {"name": "default", "url": httpserver.url_for("/b")},
        ],
        interval="10m",
    )
    cfg = load_config(project.config_path)
    assert [cfg.interval_for(s) for s in cfg.sources] == [3600.0, 600.0]
    before = datetime.now(UTC).replace(microsecond=0)
    assert project.run("run", "--once").exit_code == 0
    after = datetime.now(UTC)
    states = project.db()["sources"]
    due = {n: datetime.fromisoformat(states.get(n)["next_due"].replace("Z", "+00:00")) for n in ("hourly", "default")}
    # next_due = now + interval, with up to 10% jitter taken off.
    assert before + timedelta(minutes=54) <= due["hourly"] <= after + timedelta(minutes=60)
    assert before + timedelta(minutes=9) <= due["default"] <= after + timedelta(minutes=10)

    class _M:  # what due_sources reads: the config and the store
        config = cfg
        store = Store(cfg.database)

    try:
        assert [s.name for s in due_sources(_M, after + timedelta(minutes=11))] == ["default"]
        assert [s.name for s in due_sources(_M, after + timedelta(minutes=61))] == ["hourly", "default"]
        assert due_sources(_M, after + timedelta(minutes=1)) == []
    finally:
        _M.store.close()


# ---------------------------------------------------------------------------- sources check


def test_sources_check_prints_table_and_json_without_storing_or_alerting(project, httpserver, slack):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed").respond_with_data(
        rss2(
            [
                Entry("Okta confirms breach", "https://news.example/1", "", "g1", NOW),
                Entry("Older", "https://news.example/0", "", "g0", NOW - timedelta(days=3)),
            ]
        ),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/api").respond_with_data(
        (FIXTURES / "ransomware_live_recentvictims.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_request("/list").respond_with_data(SJIS_PAGE.encode("cp932"), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)
    project.configure(
        [
            {"name": "news", "url": httpserver.url_for("/feed")},
            _bundled_source("ransomware.live", httpserver.url_for("/api")),
            {
                "name": "wrong selectors",
                "url": httpserver.url_for("/list"),
                "type": "html",
                "item": "table.nope tr",
                "title": "td",
            },
            {"name": "gone", "url": httpserver.url_for("/gone")},
        ]
    )
    as_json = project.run("sources", "check", "--json", env=bot_env(slack))
    assert as_json.exit_code == 1, as_json.output  # two sources need attention
    rows = json.loads(as_json.stdout)
    assert [{k: r[k] for k in ("name", "type", "status", "items", "newest", "error")} for r in rows] == [
        {"name": "news", "type": "feed", "status": 200, "items": 2, "newest": "2024-06-05T09:00:00Z", "error": None},
        {
            "name": "ransomware.live",
            "type": "json",
            "status": 200,
            "items": 4,
            "newest": "2024-06-10T07:12:33Z",
            "error": None,
        },
        {
            "name": "wrong selectors",
            "type": "html",
            "status": 200,
            "items": 0,
            "newest": None,
            "error": "selectors matched nothing: item selector 'table.nope tr' found no element (check the selectors)",
        },
        {
            "name": "gone",
            "type": "feed",
            "status": 404,
            "items": 0,
            "newest": None,
            "error": "HTTP 404 from " + httpserver.url_for("/gone"),
        },
    ]
    table = project.run("sources", "check", env=bot_env(slack))
    assert table.exit_code == 1
    lines = table.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("✓ news") and "feed" in lines[0] and "200" in lines[0] and "items 2" in lines[0]
    assert "2024-06-05T09:00:00Z" in lines[0]
    assert lines[1].startswith("✓ ransomware.live") and "json" in lines[1] and "items 4" in lines[1]
    assert lines[2].startswith("✗ wrong selectors") and "check the selectors" in lines[2]
    assert lines[3].startswith("✗ gone") and "404" in lines[3]
    # Nothing stored, nobody alerted.
    assert slack.messages == []
    if project.db_path.exists():
        assert project.db()["articles"].count == 0


def test_sources_check_reports_a_broken_config_in_one_line(project):  # type: ignore[no-untyped-def]
    project.configure(
        [{"name": "bad", "url": "https://example.invalid/", "type": "html", "item": "ul..news li", "title": "a"}]
    )
    result = project.run("sources", "check")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: feeds.yaml:5: sources[0].item: 'ul..news li' is not a valid CSS selector "
        "(Malformed class selector at position 2)"
    ]


# ---------------------------------------------------------------------------- config URLs


@pytest.mark.parametrize(
    "url, why",
    [
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
        ("FILE:///etc/passwd", "scheme 'file' is not allowed"),
        ("file:/etc/passwd", "scheme 'file' is not allowed"),
        ("ftp://ftp.example.org/feed.xml", "scheme 'ftp' is not allowed"),
        ("gopher://example.org/", "scheme 'gopher' is not allowed"),
        ("feeds/local.xml", "a bare path"),
        ("/srv/feeds/local.xml", "a bare path"),
        ("http:///no-host", "no host"),
    ],
)
def test_config_urls_must_be_http(project, url, why):  # type: ignore[no-untyped-def]
    project.configure([{"name": "ok", "url": "https://example.org/feed"}, {"name": "bad", "url": url}])
    result = project.run("check")
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("error: feeds.yaml:") and "sources[1].url:" in line and why in line, line
    assert "Traceback" not in result.output and len(line.splitlines()) == 1


# ---------------------------------------------------------------------------- the bundled feeds.yaml


def test_bundled_feeds_yaml_is_a_usable_starting_list() -> None:
    cfg = load_config(BUNDLED)
    kinds = {s.name: s.type for s in cfg.sources}
    assert all(s.url.startswith("https://") for s in cfg.sources)
    assert kinds["ransomware.live"] == "json" and cfg.source("ransomware.live").assume_breach
    assert kinds["個人情報保護委員会 報道発表"] == "html" and kinds["イセトー お知らせ"] == "html"
    japanese = {"Security NEXT", "ScanNetSecurity", "piyolog", "ITmedia セキュリティ"}
    english = {"DataBreaches.net", "BleepingComputer", "The Record"}
    assert japanese | english <= {n for n, k in kinds.items() if k == "feed"}
    # Leak-site links are .onion: the tracker must not fetch them.
    assert not cfg.source("ransomware.live").fetch_article
    assert cfg.interval_for(cfg.source("ransomware.live")) == 3600.0 and cfg.interval == 900.0


def test_bundled_ransomware_spec_reads_the_field_names_of_real_tracker_data() -> None:
    """The shared leak-site data has the v1 field names the bundled spec uses first."""
    from conftest import shared_data

    from monitor.sources.parse import parse_json_api, parser_spec

    path = shared_data("ransomware", "ransomwatch_posts.json")
    cfg = load_config(BUNDLED)
    rows = json.loads(path.read_text(encoding="utf-8"))[:200]
    parsed = parse_json_api(
        json.dumps(rows).encode(),
        "application/json",
        "https://api.ransomware.live/",
        parser_spec(cfg.source("ransomware.live")),
        500,
    )
    assert len(parsed.items) == sum(1 for r in rows if r.get("post_title", "").strip())
    assert all(i.published for i in parsed.items)


# ---------------------------------------------------------------------------- decoding and dates (pure)

JP = "株式会社イセトー 不正アクセスによる個人情報漏えいのお知らせ。対象のお客様には個別にご連絡いたします。"


@pytest.mark.parametrize(
    "body, content_type",
    [
        (f'<meta charset="Shift_JIS"><p>{JP}</p>'.encode("cp932"), "text/html"),
        (f'<meta http-equiv="Content-Type" content="text/html; charset=euc-jp"><p>{JP}</p>'.encode("euc_jp"), ""),
        (f'<?xml version="1.0" encoding="EUC-JP"?><r>{JP}</r>'.encode("euc_jp"), "application/xml"),
        (f"<p>{JP}</p>".encode("cp932"), "text/html; charset=Shift_JIS"),  # header only
        (f'<meta charset="euc-jp"><p>{JP}</p>'.encode("cp932"), "text/html; charset=shift_jis"),  # header beats meta
        (f'<meta charset="utf-8"><p>{JP}</p>'.encode("euc_jp"), "text/html; charset=utf-8"),  # both lie: detected
        (codecs.BOM_UTF16_LE + f"<p>{JP}</p>".encode("utf-16-le"), "text/html; charset=iso-8859-1"),  # BOM wins
        (codecs.BOM_UTF8 + f"<p>{JP}</p>".encode(), ""),
        (f"<p>{JP * 3}</p>".encode("euc_jp"), "text/html"),  # nothing declared: detected
    ],
)
def test_japanese_encodings_decode_correctly(body: bytes, content_type: str) -> None:
    from monitor.textutil import decode

    assert JP in decode(body, content_type)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("令和6年6月5日", "2024-06-05"),
        ("令和元年5月1日", "2019-05-01"),
        ("平成31年4月30日", "2019-04-30"),
        ("2024年6月5日（水）", "2024-06-05"),
        ("２０２４年６月５日", "2024-06-05"),
        ("2024/06/05", "2024-06-05"),
        ("2024.06.05", "2024-06-05"),
        ("June 5, 2024", "2024-06-05"),
        ("5 Jun 2024", "2024-06-05"),
        ("Wed, 05 Jun 2024 09:00:00 GMT", "2024-06-05"),
        ("2024-06-05 07:12:33.104223", "2024-06-05"),
        ("公開日：令和6年6月5日 更新", "2024-06-05"),
    ],
)
def test_dates_in_japanese_and_english_forms(text: str, expected: str) -> None:
    from monitor.textutil import parse_date

    dt = parse_date(text)
    assert dt is not None and dt.date().isoformat() == expected


@pytest.mark.parametrize("text", ["日付なし", "", "令和6年13月1日", "2024/02/30"])
def test_unreadable_dates_are_none(text: str) -> None:
    from monitor.textutil import parse_date

    assert parse_date(text) is None
