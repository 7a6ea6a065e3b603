"""Issue 16 through the real CLI: a vendor's newsroom (vendors.csv `newsroom`) polled by `monitor run --once`
on 127.0.0.1, its incident notice alerted to that vendor though it names only 当社, once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from conftest import Project, rss2
from pytest_httpserver import HTTPServer

TODAY = datetime.now(UTC)


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y.%m.%d")


def _page(rows: list[tuple[str, str, str]]) -> str:
    items = "".join(f'<dt>{d}</dt><dd><a href="{href}">{title}</a></dd>' for d, title, href in rows)
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>お知らせ</title></head><body>'
        '<nav class="gnav"><ul><li><span>' + _day(0) + '</span> <a href="/renewal.html">サイトリニューアル</a></li>'
        "<li><span>" + _day(1) + '</span> <a href="/maint.html">メンテナンスのお知らせ</a></li></ul></nav>'
        f'<div id="contents"><h1>お知らせ</h1><dl class="news-list">{items}</dl></div>'
        '<footer><a href="/privacy/">プライバシーポリシー</a> 更新日 ' + _day(0) + "</footer></body></html>"
    )


NOTICE = (
    "<html><head><title>重要なお知らせ</title></head><body><main><h1>重要なお知らせ</h1>"
    "<p>このたび、当社のサーバーがランサムウェアによるサイバー攻撃を受け、お客様の個人情報が漏えいした"
    "可能性があることが判明いたしました。お客様には多大なるご迷惑とご心配をおかけし、深くお詫び申し上げます。</p>"
    "</main></body></html>"
)
OLD_NOTICE = NOTICE.replace("ランサムウェア", "不正アクセス")
LAUNCH = "<html><body><main><p>当社は新しいクラウドサービスの提供を開始しました。</p></main></body></html>"


def _serve(httpserver: HTTPServer, rows: list[tuple[str, str, str]]) -> None:
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)  # none: all allowed (RFC 9309)
    httpserver.expect_request("/news/").respond_with_data(_page(rows), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/news/incident.html").respond_with_data(NOTICE, content_type="text/html")
    httpserver.expect_request("/news/incident2.html").respond_with_data(NOTICE, content_type="text/html")
    httpserver.expect_request("/news/old.html").respond_with_data(OLD_NOTICE, content_type="text/html")
    httpserver.expect_request("/news/launch.html").respond_with_data(LAUNCH, content_type="text/html")
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")


def _setup(project: Project, httpserver: HTTPServer, newsroom: str) -> None:
    project.vendors_path.write_text(
        "name,aliases,domains,criticality,owner,newsroom\n"
        "ISETOH Corporation,イセトー,isetoh.co.jp,high,Print ops," + newsroom + "\n"
        "Okta Inc.,Okta,okta.com,critical,IAM,\n",
        encoding="utf-8",
    )
    project.configure(
        [{"name": "empty feed", "url": httpserver.url_for("/feed")}], alert_window=None
    )  # the default window: old notices are stored, not alerted


def _alerts(project: Project) -> list[dict]:
    return list(
        project.db().query(
            "SELECT a.vendor, ar.title, a.payload FROM alerts a JOIN articles ar "
            "ON ar.id = a.article_id WHERE a.kind = 'article' ORDER BY a.id"
        )
    )


def test_vendor_notice_naming_only_toosha_is_alerted_once(project: Project, httpserver: HTTPServer) -> None:
    rows = [
        (_day(0), "重要なお知らせ", "incident.html"),
        (_day(3), "新サービス提供開始のお知らせ", "launch.html"),
        ("2020.02.03", "当社への不正アクセスに関するお詫び", "old.html"),
    ]
    _serve(httpserver, rows)
    _setup(project, httpserver, httpserver.url_for("/news/"))

    first = project.run("run", "--once")
    assert first.exit_code == 0, first.output
    alerts = _alerts(project)
    # The notice says only 当社: alerted to the newsroom's vendor, as its own notice; the launch and the
    # 2020 お詫び (outside the alert window) are stored, not alerted; nav and footer dates are no notices.
    assert [(a["vendor"], a["title"]) for a in alerts] == [("ISETOH Corporation", "重要なお知らせ")]
    assert "Vendor's own notice" in first.output
    assert "the vendor's own notice, on its newsroom" in first.output
    titles = {r["title"] for r in project.db().query("SELECT title FROM articles")}
    assert titles == {"重要なお知らせ", "新サービス提供開始のお知らせ", "当社への不正アクセスに関するお詫び"}
    assert project.db().execute("SELECT method FROM newsrooms").fetchone()[0] == "html"

    again = project.run("run", "--once")
    assert again.exit_code == 0, again.output
    assert len(_alerts(project)) == 1  # not a second time

    _serve(httpserver, [(_day(0), "当社システムへのサイバー攻撃について（第2報）", "incident2.html"), *rows])
    third = project.run("run", "--once")
    assert third.exit_code == 0, third.output
    assert [a["title"] for a in _alerts(project)][1:] == ["当社システムへのサイバー攻撃について（第2報）"]


def test_search_finds_the_newsroom_notices_under_the_vendor(project: Project, httpserver: HTTPServer) -> None:
    _serve(httpserver, [(_day(0), "重要なお知らせ", "incident.html"), (_day(2), "新サービス", "launch.html")])
    _setup(project, httpserver, httpserver.url_for("/news/"))
    assert project.run("run", "--once").exit_code == 0
    found = project.run("search", "お知らせ", "--vendor", "イセトー", "--json")
    assert found.exit_code == 0, found.output
    assert [r["title"] for r in json.loads(found.stdout)] == ["重要なお知らせ"]


def test_check_reports_a_bad_newsroom_url_with_file_and_line(project: Project, httpserver: HTTPServer) -> None:
    _setup(project, httpserver, "https://isetoh.example/news/|file:///etc/passwd")
    result = project.run("check")
    assert result.exit_code == 2
    assert (
        "vendors.csv:2: newsroom: 'file:///etc/passwd' is not an http(s) URL (scheme 'file' is not allowed)"
        in result.output
    )
    assert "Traceback" not in result.output


def test_sources_check_shows_what_was_discovered(project: Project, httpserver: HTTPServer) -> None:
    _serve(httpserver, [(_day(0), "重要なお知らせ", "incident.html"), (_day(2), "新サービス", "launch.html")])
    _setup(project, httpserver, httpserver.url_for("/news/"))
    result = project.run("sources", "check", "--json")
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    room = rows["ISETOH Corporation newsroom"]
    assert (room["type"], room["method"], room["items"], room["error"]) == ("newsroom", "html", 2, None)
    assert room["newest"].startswith((TODAY).strftime("%Y-%m-%d"))


def test_feeds_yaml_may_have_no_sources_when_vendors_have_newsrooms(project: Project, httpserver: HTTPServer) -> None:
    _serve(httpserver, [(_day(0), "重要なお知らせ", "incident.html"), (_day(2), "新サービス", "launch.html")])
    _setup(project, httpserver, httpserver.url_for("/news/"))
    project.configure([])
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert "ISETOH Corporation newsroom: 2 items" in result.output
    project.vendors_path.write_text("name\nISETOH Corporation\n", encoding="utf-8")
    empty = project.run("run", "--once")
    assert empty.exit_code == 2
    assert "feeds.yaml: sources: empty, and no vendor in vendors.csv has a newsroom: nothing to watch" in empty.output


def test_status_lists_each_newsroom_as_a_source(project: Project, httpserver: HTTPServer) -> None:
    _serve(httpserver, [(_day(0), "重要なお知らせ", "incident.html"), (_day(2), "新サービス", "launch.html")])
    _setup(project, httpserver, httpserver.url_for("/news/"))
    assert project.run("run", "--once").exit_code == 0
    status = project.run("status", "--json")
    rows = {r["name"]: r for r in json.loads(status.stdout)}
    assert rows["ISETOH Corporation newsroom"]["type"] == "newsroom"
    assert rows["ISETOH Corporation newsroom"]["last_ok"]
