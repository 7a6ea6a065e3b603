"""Issue 16, polite and cheap, through the real CLI with pages on 127.0.0.1: robots.txt honoured for the
pages monitor finds on its own (not the configured page), asked only when one is fetched, one fetch per page on the first poll, an unchanged page not parsed again,
a page with no notices said once, JavaScript pages named, single-notice pages read, and a configuration
with nothing to poll refused."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from conftest import Project, rss2
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TODAY = datetime.now(UTC)
NAME = "ISETOH Corporation newsroom"


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y.%m.%d")


def _list_page(rows: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<li><span class="date">{d}</span> <a href="{href}">{title}</a></li>' for d, title, href in rows)
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>お知らせ</title></head><body>'
        f'<main><h1>お知らせ一覧</h1><ul class="news">{items}</ul></main>'
        '<footer><a href="/privacy/">プライバシーポリシー</a></footer></body></html>'
    )


NOTICE = (
    "<html><head><title>重要なお知らせ</title></head><body><main><h1>重要なお知らせ</h1>"
    "<p>このたび、当社のサーバーがランサムウェアによるサイバー攻撃を受け、お客様の個人情報が漏えいした"
    "可能性があることが判明いたしました。お客様には多大なるご迷惑とご心配をおかけし、深くお詫び申し上げます。</p>"
    "</main></body></html>"
)
ROWS = [
    (_day(0), "重要なお知らせ", "/news/incident.html"),
    (_day(3), "新サービス提供開始のお知らせ", "/news/launch.html"),
]


def _serve(httpserver: HTTPServer, page: str, robots: str | None = None) -> None:
    httpserver.clear()
    if robots is None:
        httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    else:
        httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    # No ETag, no Last-Modified: a server that ignores conditional GET.
    httpserver.expect_request("/news/").respond_with_data(page, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/news/incident.html").respond_with_data(NOTICE, content_type="text/html")
    httpserver.expect_request("/news/launch.html").respond_with_data(
        "<html><body><main><p>当社は新しいクラウドサービスの提供を開始しました。</p></main></body></html>",
        content_type="text/html",
    )
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")


def _setup(project: Project, httpserver: HTTPServer, path: str = "/news/", sources: bool = True) -> None:
    project.vendors_path.write_text(
        "name,aliases,domains,criticality,owner,newsroom\n"
        "ISETOH Corporation,イセトー,isetoh.co.jp,high,Print ops," + httpserver.url_for(path) + "\n",
        encoding="utf-8",
    )
    project.configure([{"name": "empty feed", "url": httpserver.url_for("/feed")}] if sources else [])


def _paths(httpserver: HTTPServer) -> list[str]:
    return [r.path for r, _ in httpserver.log]


def _alerts(project: Project) -> list[tuple[str, str]]:
    return [
        (r["vendor"], r["title"])
        for r in project.db().query(
            "SELECT a.vendor, ar.title FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE a.kind = 'article'"
        )
    ]


def _status(project: Project) -> dict[str, dict]:
    result = project.run("status", "--json")
    assert result.exit_code == 0, result.output
    return {r["name"]: r for r in json.loads(result.stdout)}


# ------------------------------------------------------------------ robots.txt


def test_the_configured_page_is_read_whatever_robots_txt_says_but_the_notices_it_links_are_not(
    project: Project, httpserver: HTTPServer
) -> None:
    # The group for monitor's own token forbids /news/; the group for everyone else would allow it.
    # vendors.csv's page is the team's choice, like a feeds.yaml source: it is read. What monitor finds
    # on it (the notices under /news/) is not fetched, and status says so.
    _serve(httpserver, _list_page(ROWS), robots="User-agent: *\nAllow: /\n\nUser-agent: monitor\nDisallow: /news/\n")
    _setup(project, httpserver)
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert f"✓ {NAME}: 2 items, 2 new" in result.output
    paths = _paths(httpserver)
    assert paths.count("/news/") == 1
    assert "/news/incident.html" not in paths and "/news/launch.html" not in paths
    assert _alerts(project) == []  # "重要なお知らせ" alone says nothing
    note = _status(project)[NAME]["note"]
    assert note.startswith("2 linked notice(s) not read:") and "robots.txt forbids" in note
    assert "robots.txt forbids" in project.run("status").output
    # A new notice on the next poll: its link is refused on the robots.txt kept for a day, not asked again.
    rows = [(_day(0), "当社システムへのサイバー攻撃について（第2報）", "/news/incident.html?2"), *ROWS]
    _serve(httpserver, _list_page(rows), robots="User-agent: monitor\nDisallow: /news/\n")
    again = project.run("run", "--once")
    assert again.exit_code == 0, again.output
    assert f"✓ {NAME}: 3 items, 1 new" in again.output
    assert "/robots.txt" not in _paths(httpserver) and "/news/incident.html" not in _paths(httpserver)
    assert _status(project)[NAME]["note"].startswith("1 linked notice(s) not read:")


def test_robots_txt_is_not_asked_when_nothing_the_page_links_is_fetched(
    project: Project, httpserver: HTTPServer
) -> None:
    old = [(_day(400), "重要なお知らせ", "/news/incident.html"), (_day(500), "決算短信", "/news/ir.html")]
    _serve(httpserver, _list_page(old))
    _setup(project, httpserver)
    project.configure([{"name": "empty feed", "url": httpserver.url_for("/feed")}], alert_window=None)  # 14 days
    result = project.run("run", "--once")
    assert f"✓ {NAME}: 2 items, 2 new" in result.output
    # The notices are outside the alert window (stored on their titles, not fetched): no robots.txt.
    assert _paths(httpserver).count("/news/") == 1 and "/robots.txt" not in _paths(httpserver)


def test_robots_txt_forbidding_the_advertised_feed_reads_the_page_instead(
    project: Project, httpserver: HTTPServer
) -> None:
    page = _list_page(ROWS).replace(
        "<head>", '<head><link rel="alternate" type="application/rss+xml" href="/news/feed.xml">'
    )
    _serve(httpserver, page, robots="User-agent: *\nDisallow: /news/feed.xml\n")
    httpserver.expect_request("/news/feed.xml").respond_with_data(rss2([]), content_type="application/rss+xml")
    _setup(project, httpserver)
    result = project.run("run", "--once")
    assert f"✓ {NAME}: 2 items, 2 new, 1 alerts" in result.output
    assert "/news/feed.xml" not in _paths(httpserver)
    note = _status(project)[NAME]["note"]
    assert "robots.txt forbids" in note and "feed.xml" in note


def test_robots_txt_forbidding_linked_notices_reads_the_list_but_not_them(
    project: Project, httpserver: HTTPServer
) -> None:
    _serve(httpserver, _list_page(ROWS), robots="User-agent: *\nDisallow: /news/incident.html\n")
    _setup(project, httpserver)
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert f"✓ {NAME}: 2 items, 2 new" in result.output
    paths = _paths(httpserver)
    assert "/news/incident.html" not in paths and "/news/launch.html" in paths
    # "重要なお知らせ" says nothing on its own: without its notice it is stored, not alerted.
    assert _alerts(project) == []
    note = _status(project)[NAME]["note"]
    assert note.startswith("1 linked notice(s) not read:") and "robots.txt forbids" in note


def test_server_errors_on_robots_txt_keep_the_linked_notices_unfetched(
    project: Project, httpserver: HTTPServer
) -> None:
    _serve(httpserver, _list_page(ROWS))
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("busy", status=503)
    httpserver.expect_request("/news/").respond_with_data(_list_page(ROWS), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")
    _setup(project, httpserver)
    result = project.run("run", "--once")
    assert f"✓ {NAME}: 2 items, 2 new" in result.output
    assert "/news/incident.html" not in _paths(httpserver)
    assert "robots.txt unreachable: HTTP 503" in _status(project)[NAME]["note"]


# ------------------------------------------------------------------ one fetch, no needless parse


def test_first_poll_fetches_the_page_once_and_an_unchanged_page_is_not_parsed_again(
    project: Project, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    _serve(httpserver, _list_page(ROWS))
    _setup(project, httpserver)
    first = project.run("-v", "run", "--once")
    assert first.exit_code == 0, first.output
    assert f"✓ {NAME}: 2 items, 2 new, 1 alerts" in first.output
    assert _paths(httpserver).count("/news/") == 1  # discovery's fetch is the poll's

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="monitor.sources.newsroom"):
        second = project.run("-v", "run", "--once")  # the server answers 200 with the same page again
    assert second.exit_code == 0, second.output
    assert _paths(httpserver).count("/news/") == 2
    assert f"· {NAME}: not modified" in second.output
    assert f"{NAME}: page unchanged since it was last parsed (same content hash): not parsed" in caplog.text

    rows = [(_day(0), "当社システムへのサイバー攻撃について（第2報）", "/news/incident.html?2"), *ROWS]
    _serve(httpserver, _list_page(rows))
    third = project.run("run", "--once")
    assert f"✓ {NAME}: 3 items, 1 new" in third.output
    assert [t for _, t in _alerts(project)] == ["重要なお知らせ", "当社システムへのサイバー攻撃について（第2報）"]


def test_conditional_get_is_sent_for_a_newsroom_page(project: Project, httpserver: HTTPServer) -> None:
    _serve(httpserver, _list_page(ROWS))
    seen: list[str | None] = []

    def page(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(_list_page(ROWS), content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})

    httpserver.handlers.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/news/").respond_with_handler(page)
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")
    httpserver.expect_request("/news/incident.html").respond_with_data(NOTICE, content_type="text/html")
    httpserver.expect_request("/news/launch.html").respond_with_data("<p>launch</p>", content_type="text/html")
    _setup(project, httpserver)
    assert project.run("run", "--once").exit_code == 0
    second = project.run("run", "--once")
    assert seen == [None, '"v1"']
    assert f"· {NAME}: not modified" in second.output


# ------------------------------------------------------------------ pages with nothing to read


def test_a_page_with_no_notices_is_said_once_then_shown_by_status(
    project: Project, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    page = (
        "<html><body><main><h1>会社情報</h1><p>当社は印刷と情報処理の会社です。</p>"
        "<p><a href='/about/'>会社概要</a></p></main></body></html>"
    )
    _serve(httpserver, page)
    _setup(project, httpserver)
    said = []
    for _ in range(3):
        caplog.clear()
        run = project.run("-q", "run", "--once")
        assert run.exit_code == 0, run.output
        said.append((caplog.text + run.output).count("no feed and no list of dated notices found on the page"))
    assert said == [1, 0, 0]  # a warning (cron mails it) once, not every cycle
    row = _status(project)[NAME]
    assert row["note"] == "no feed and no list of dated notices found on the page"
    assert row["consecutive_failures"] == 0
    assert "no feed and no list of dated notices" in project.run("status").output
    assert project.db().execute("SELECT count(*) FROM alerts WHERE kind = 'health'").fetchone()[0] == 0


def test_a_page_that_needs_javascript_is_named_so(project: Project, httpserver: HTTPServer) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>ニュース | Example</title>"
        '<script src="/static/js/main.4f1c.js"></script></head><body>'
        "<noscript>このページを表示するには JavaScript を有効にしてください。</noscript>"
        '<div id="root"></div><script>window.__DATA__ = {"news": "/api/news.json"};</script></body></html>'
    )
    _serve(httpserver, page)
    _setup(project, httpserver)
    check = project.run("sources", "check")
    assert check.exit_code == 1
    assert "the page seems to need JavaScript" in check.output
    assert project.run("run", "--once").exit_code == 0
    assert _status(project)[NAME]["note"].startswith("the page seems to need JavaScript")


# ------------------------------------------------------------------ one notice


def test_a_list_holding_a_single_notice_is_read(project: Project, httpserver: HTTPServer) -> None:
    _serve(httpserver, _list_page(ROWS[:1]))
    _setup(project, httpserver)
    result = project.run("run", "--once")
    assert f"✓ {NAME}: 1 items, 1 new, 1 alerts" in result.output
    assert _alerts(project) == [("ISETOH Corporation", "重要なお知らせ")]


def test_a_page_that_is_itself_one_notice_is_read_as_one(project: Project, httpserver: HTTPServer) -> None:
    page = (
        '<html><head><meta charset="utf-8"><title>お詫び | イセトー</title></head><body>'
        '<header class="header"><nav><a href="/">トップ</a></nav></header><main><article>'
        "<h1>当社へのランサムウェア攻撃による情報流出に関するお詫びとお知らせ</h1>"
        f'<p class="date">{_day(1)}</p>'
        "<p>このたび、当社サーバーがランサムウェアによる攻撃を受け、お取引先からお預かりした個人情報が流出した"
        "ことが判明いたしました。関係者の皆様に多大なるご迷惑とご心配をおかけしますことを深くお詫び申し上げます。</p>"
        "<p>現在、外部専門機関の協力を得て調査を進めております。</p></article></main>"
        f'<footer>最終更新日 {_day(0)} <a href="/privacy/">プライバシーポリシー</a></footer></body></html>'
    )
    _serve(httpserver, page)
    httpserver.expect_request("/news/2024/0526.html").respond_with_data(page, content_type="text/html; charset=utf-8")
    _setup(project, httpserver, "/news/2024/0526.html")
    check = project.run("sources", "check", "--json")
    room = {r["name"]: r for r in json.loads(check.stdout)}[NAME]
    assert (room["method"], room["items"], room["error"]) == ("notice", 1, None)
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert _alerts(project) == [
        ("ISETOH Corporation", "当社へのランサムウェア攻撃による情報流出に関するお詫びとお知らせ")
    ]


# ------------------------------------------------------------------ nothing to poll


def test_check_and_sources_check_refuse_a_configuration_with_nothing_to_poll(
    project: Project, httpserver: HTTPServer
) -> None:
    project.vendors_path.write_text("name\nISETOH Corporation\n", encoding="utf-8")
    project.configure([])
    message = "feeds.yaml: sources: empty, and no vendor in vendors.csv has a newsroom: nothing to watch"
    for args in (("check",), ("sources", "check")):
        result = project.run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output
    # sources: [] with a newsroom stays valid.
    _serve(httpserver, _list_page(ROWS))
    _setup(project, httpserver, sources=False)
    assert project.run("check").exit_code == 0
    assert project.run("sources", "check").exit_code == 0


def test_first_poll_reads_only_the_notices_that_could_alert(project: Project, httpserver: HTTPServer) -> None:
    rows = [*ROWS, ("2021.04.01", "当社への不正アクセスに関するお詫び", "/news/old.html")]
    _serve(httpserver, _list_page(rows))
    httpserver.expect_request("/news/old.html").respond_with_data(NOTICE, content_type="text/html")
    _setup(project, httpserver)
    project.configure([{"name": "empty feed", "url": httpserver.url_for("/feed")}], alert_window=None)  # 14 days
    result = project.run("run", "--once")
    assert f"✓ {NAME}: 3 items, 3 new, 1 alerts" in result.output
    # The 2021 notice is stored (searchable by its title) without its page being fetched: it cannot alert.
    assert "/news/old.html" not in _paths(httpserver)
    assert "/news/incident.html" in _paths(httpserver)
    titles = {r["title"] for r in project.db().query("SELECT title FROM articles")}
    assert "当社への不正アクセスに関するお詫び" in titles
