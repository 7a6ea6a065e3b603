"""Issue 16: reading a vendor's newsroom with no selectors. Each layout (Japanese and English corporate
pages written for these tests, in tests/fixtures/newsroom/) is served from 127.0.0.1 and discovered
with the real fetcher and parser workers; the method found is remembered across runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Entry, Project, rss2, shared_data
from pytest_httpserver import HTTPServer

from monitor.sources.fetch import Limits
from monitor.sources.newsroom import discover_pages, same_site
from monitor.sources.notices import parse_newsroom
from monitor.sources.parse import ParserPool

PAGES = Path(__file__).parents[1] / "fixtures" / "newsroom"


@pytest.fixture(autouse=True)
def no_robots_txt(httpserver: HTTPServer) -> None:
    """The sites here have no robots.txt (404: everything allowed, RFC 9309)."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)


@pytest.fixture(scope="module")
def pool() -> Iterator[ParserPool]:
    with ParserPool(workers=1, timeout=10, memory_mb=512) as p:
        yield p


def _discover(
    httpserver: HTTPServer,
    pool: ParserPool,
    name: str,
    body: bytes | None = None,
    content_type: str = "text/html; charset=utf-8",
) -> tuple[str, list[tuple[str, str, str]]]:
    httpserver.expect_request(f"/{name}").respond_with_data(
        body if body is not None else (PAGES / name).read_bytes(), content_type=content_type
    )
    [d] = discover_pages([httpserver.url_for(f"/{name}")], Limits(deadline=5), pool, 100)
    assert d.error is None, d.error
    parsed = parse_newsroom(
        body if body is not None else (PAGES / name).read_bytes(), content_type, httpserver.url_for(f"/{name}"), 100
    )
    assert len(parsed.items) == d.items
    return d.method, [
        ((i.published or "")[:10], i.title, i.link.replace(httpserver.url_for("/"), "/")) for i in parsed.items
    ]


def test_dl_dt_dd_oshirase_list_without_header_nav_and_footer_dates(httpserver: HTTPServer, pool: ParserPool) -> None:
    method, items = _discover(httpserver, pool, "dl_oshirase.html")
    assert method == "html"
    assert items == [
        ("2024-06-05", "ランサムウェア被害の発生について（第2報）", "/news/20240605.html"),
        ("2024-05-29", "当社サーバーへの不正アクセスに関するお詫びとお知らせ", "/news/20240529.pdf"),
        ("2024-04-10", "ゴールデンウィーク期間中の休業日のお知らせ", "/news/20240410.html"),
        ("2024-04-01", "人事異動に関するお知らせ", "/news/20240401.html"),
    ]  # the header's dated maintenance links, the footer's 最終更新日 and privacy links are not notices


def test_ul_li_with_date_spans_and_category_labels(httpserver: HTTPServer, pool: ParserPool) -> None:
    method, items = _discover(httpserver, pool, "ul_spans.html")
    assert method == "html"
    assert items == [
        ("2024-06-05", "一部お客さま情報の流出に関するお詫び", "/release/2024/0605.html"),
        ("2024-05-20", "新料金プランの提供開始について", "/release/2024/0520.html"),
        ("2024-04-26", "2024年3月期 決算短信", "https://www.jcom.example/ir/2024/0426.pdf"),
    ]  # 2024/6/5 form; 重要 / サービス / IR labels left out of the titles


def test_table_with_reiwa_dates(httpserver: HTTPServer, pool: ParserPool) -> None:
    method, items = _discover(httpserver, pool, "table.html")
    assert method == "html"
    assert [(d, t) for d, t, _ in items] == [
        ("2024-06-05", "不正アクセスによる個人情報漏えいの可能性に関するお知らせ"),
        ("2024-05-14", "2024年3月期決算説明資料"),
        ("2019-05-07", "代表取締役の異動に関するお知らせ"),  # 令和元年
    ]


def test_wordpress_archive_keeps_posts_and_drops_the_sidebar(httpserver: HTTPServer, pool: ParserPool) -> None:
    method, items = _discover(httpserver, pool, "wordpress.html")
    assert method == "html"
    assert items == [
        ("2024-06-05", "Notice of Security Incident", "https://corp.example/2024/06/security-incident-update/"),
        ("2024-05-20", "Example Corp launches CloudSync 3.0", "https://corp.example/2024/05/new-product/"),
    ]  # the sidebar's "Holiday hours" (December 20, 2023) is not a notice of this list


def test_article_time_cards_in_english(httpserver: HTTPServer, pool: ParserPool) -> None:
    method, items = _discover(httpserver, pool, "article_time.html")
    assert method == "html"
    assert [(d, t) for d, t, _ in items] == [
        ("2024-06-04", "Data incident at a third-party service provider"),
        ("2024-05-02", "Q1 2024 results"),
        ("2024-03-15", "Appointment of new Chief Executive Officer"),
    ]  # the contentinfo's "Updated June 1, 2024" and cookie policy are not notices


def test_cms_rows_where_the_link_wraps_date_category_and_title(httpserver: HTTPServer, pool: ParserPool) -> None:
    method, items = _discover(httpserver, pool, "cms_anchor_rows.html")
    assert method == "html"
    assert items[0] == ("2024-06-05", "当社業務委託先における個人情報の漏えいについて", "/news/2024/20240605_01.html")
    assert [d for d, _, _ in items] == ["2024-06-05", "2024-06-01", "2024-05-15"]  # 2024年6月5日 form


def test_shift_jis_page_with_english_and_slash_dates(httpserver: HTTPServer, pool: ParserPool) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>'
        '<div class="topics"><p><span class="day">June 5, 2024</span> <a href="/t/1">個人情報流出に関するお詫び</a></p>'
        '<p><span class="day">May 1, 2024</span> <a href="/t/2">営業時間変更のお知らせ</a></p></div></body></html>'
    )
    method, items = _discover(httpserver, pool, "sjis.html", page.encode("cp932"), "text/html")
    assert method == "html"
    assert items == [
        ("2024-06-05", "個人情報流出に関するお詫び", "/t/1"),
        ("2024-05-01", "営業時間変更のお知らせ", "/t/2"),
    ]


def test_a_feed_url_is_read_as_a_feed(httpserver: HTTPServer, pool: ParserPool) -> None:
    feed = rss2(
        [
            Entry(
                "不正アクセスに関するお詫び",
                "https://corp.example/n/1",
                "",
                published=datetime(2024, 6, 5, tzinfo=UTC),
            )
        ]
    )
    method, items = _discover(httpserver, pool, "news.rss", feed, "application/xml")
    assert method == "feed"
    assert items == [("2024-06-05", "不正アクセスに関するお詫び", "https://corp.example/n/1")]


def test_advertised_feed_on_the_same_host_is_preferred_to_the_page(httpserver: HTTPServer, pool: ParserPool) -> None:
    httpserver.expect_request("/press/feed.xml").respond_with_data(
        rss2([Entry("プレスリリース1", "https://corp.example/p/1")]), content_type="application/rss+xml"
    )
    httpserver.expect_request("/advertises_feed.html").respond_with_data(
        (PAGES / "advertises_feed.html").read_bytes(), content_type="text/html"
    )
    [d] = discover_pages([httpserver.url_for("/advertises_feed.html")], Limits(deadline=5), pool, 100)
    # The comments feed it also advertises is never picked.
    assert (d.method, d.poll_url, d.items) == ("advertised", httpserver.url_for("/press/feed.xml"), 1)


def test_a_page_with_only_navigation_and_footer_dates_has_no_notices(httpserver: HTTPServer, pool: ParserPool) -> None:
    page = (
        '<html><body><nav><ul><li>2024.06.05 <a href="/a">サイトリニューアル</a></li>'
        '<li>2024.06.01 <a href="/b">メンテナンス</a></li></ul></nav><main><p>会社概要</p></main>'
        '<footer><ul><li>2024.04.01 <a href="/privacy">プライバシーポリシー</a></li>'
        '<li>2024.03.01 <a href="/terms">利用規約</a></li></ul></footer></body></html>'
    )
    httpserver.expect_request("/empty.html").respond_with_data(page, content_type="text/html")
    [d] = discover_pages([httpserver.url_for("/empty.html")], Limits(deadline=5), pool, 100)
    assert (d.method, d.items) == ("none", 0)
    assert d.error == "no feed and no list of dated notices found on the page"


def test_links_off_the_newsroom_host_are_not_trusted() -> None:
    page = "https://www.isetoh.co.jp/news/"
    assert same_site(page, "https://www.isetoh.co.jp/news/1.pdf")
    assert same_site(page, "https://ir.isetoh.co.jp/2024/1.pdf")
    assert not same_site(page, "https://evil.example/isetoh.co.jp")
    assert not same_site(page, "http://10.0.0.1/admin")
    assert not same_site(page, "https://user:pw@www.isetoh.co.jp/")
    assert not same_site(page, "https://www.isetoh.co.jp:6379/")


def _project(project: Project, httpserver: HTTPServer, path: str) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")
    project.vendors_path.write_text("name,newsroom\nExample Corp," + httpserver.url_for(path) + "\n", encoding="utf-8")
    project.configure([{"name": "empty feed", "url": httpserver.url_for("/feed")}])


def test_the_method_found_is_remembered_and_the_advertised_feed_polled(
    project: Project, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/press/").respond_with_data(
        (PAGES / "advertises_feed.html").read_bytes(), content_type="text/html"
    )
    httpserver.expect_request("/press/feed.xml").respond_with_data(
        rss2([Entry("Press release one", "https://corp.example/p/1", guid="p1")]), content_type="application/rss+xml"
    )
    _project(project, httpserver, "/press/")
    for _ in range(2):
        result = project.run("run", "--once")
        assert result.exit_code == 0, result.output
    row = next(project.db().query("SELECT method, poll_url FROM newsrooms"))
    assert row == {"method": "advertised", "poll_url": httpserver.url_for("/press/feed.xml")}
    paths = [r.path for r, _ in httpserver.log]
    # The page once, to discover; then only its feed, each run: discovery's fetch of the feed is the
    # first run's poll of it too (one request, not two).
    assert paths.count("/press/") == 1
    assert paths.count("/press/feed.xml") == 2
    assert [r["title"] for r in project.db().query("SELECT title FROM articles")] == ["Press release one"]


def test_html_wild_malformed_documents_neither_crash_nor_hang(pool: ParserPool) -> None:
    """html5lib's malformed-HTML cases through the generic extractor, in the worker pool with its limits."""
    root = shared_data("html-wild")
    docs = []
    for path in sorted(root.rglob("*.dat")):
        text = path.read_bytes()
        docs += [block.split(b"\n#", 1)[0] for block in text.split(b"#data\n")[1:]]
    assert len(docs) > 1000
    failures, found = [], 0
    for doc in docs:
        try:
            found += len(pool.result(pool.submit(parse_newsroom, doc, "text/html", "https://corp.example/", 500)).items)
        except Exception as e:  # noqa: BLE001 - any failure is what this test looks for
            failures.append(f"{doc[:60]!r}: {e}")
    assert failures == []
    print(f"html-wild: {len(docs)} documents, {found} dated notices found")
