"""Issue 20, "bounded, as promised": fetch_article fetches at most limits.articles_per_source linked
notices per source per cycle, spends at most limits.article_budget on them, and holds at most
limits.article_bytes_in_flight of bodies at once. Items left out are stored and decided on their title
and summary, and the run says how many were left out. (Memory and time: bench/articles_bench.py.)"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import Entry, rss2
from werkzeug.wrappers import Request, Response

NOW = datetime.now(UTC) - timedelta(hours=1)


def _notice(n: int) -> bytes:
    return (
        f"<html><body><main>Notice {n}: NOTICEWORD{n} イセトーで不正アクセスによる情報漏えいが発生しました。"
        "</main></body></html>"
    ).encode()


def _search(project: Any, query: str) -> list[dict[str, Any]]:
    result = project.run("search", query, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class SilentServer:
    """Accepts every connection on 127.0.0.1 and never answers (a stalled notice server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}{path}"

    def close(self) -> None:
        self.sock.close()
        for c in self.accepted:
            c.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    s = SilentServer()
    yield s
    s.close()


def test_articles_over_the_per_source_cap_are_stored_without_linked_text(project, httpserver):  # type: ignore[no-untyped-def]
    for n in range(5):
        httpserver.expect_request(f"/notice/{n}.html").respond_with_data(_notice(n), content_type="text/html")
    entries = [Entry(f"お知らせ {n}", httpserver.url_for(f"/notice/{n}.html"), "", f"n{n}", NOW) for n in range(4)]
    # Over the cap, the title alone still names a vendor in a breach report: it must alert.
    entries.append(Entry("Okta confirms breach of support system", httpserver.url_for("/notice/4.html"), "", "n4", NOW))
    httpserver.expect_request("/feed").respond_with_data(rss2(entries), content_type="application/rss+xml")
    project.configure(
        [{"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True, "allow_private_links": True}],
        limits={"articles_per_source": 2},
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output

    fetched = [r.path for r, _ in httpserver.log if r.path.startswith("/notice/")]
    assert sorted(fetched) == ["/notice/0.html", "/notice/1.html"]  # the first two in feed order
    assert "notices: 5 items, 5 new" in result.stderr
    assert "3 stored without their linked notice (limits)" in result.stderr
    assert "3 linked notices skipped (limits)" in result.stderr
    # Every item is stored; only the first two carry their notice's text.
    assert len(_search(project, "お知らせ")) == 4
    assert [r["title"] for r in _search(project, "NOTICEWORD0")] == ["お知らせ 0"]
    assert _search(project, "NOTICEWORD2") == [] and _search(project, "NOTICEWORD4") == []
    # Alerts went out for the first notice naming イセトー and for the capped item named in its title; the
    # second イセトー notice is a later report of the same incident: without threads (the console) it
    # waits for the incident's summary of the day.
    assert result.stdout.count("=== ") == 2 and "Okta Inc." in result.stdout and "ISETOH" in result.stdout
    states = [r["state"] for r in json.loads(project.run("alerts", "--json").stdout)]
    assert sorted(states) == ["collapsed", "sent", "sent"]


def test_zero_cap_fetches_no_linked_notice(project, httpserver):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/notice/0.html").respond_with_data(_notice(0), content_type="text/html")
    httpserver.expect_request("/feed").respond_with_data(
        rss2([Entry("お知らせ", httpserver.url_for("/notice/0.html"), "", "z", NOW)]),
        content_type="application/rss+xml",
    )
    project.configure(
        [{"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True, "allow_private_links": True}],
        limits={"articles_per_source": 0},
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert [r.path for r, _ in httpserver.log] == ["/feed"]
    assert "1 linked notices skipped" in result.stderr
    assert [r["title"] for r in _search(project, "お知らせ")] == ["お知らせ"]


def test_time_budget_stops_silent_links_and_keeps_their_items(project, httpserver, silent):  # type: ignore[no-untyped-def]
    # The healthy notice is on another host name (localhost), so the silent links' per-host slots
    # do not hold it up.
    httpserver.expect_request("/notice/0.html").respond_with_data(_notice(0), content_type="text/html")
    httpserver.expect_request("/ok").respond_with_data(
        rss2([Entry("お知らせ", httpserver.url_for("/notice/0.html"), "", "ok", NOW)]),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/stalled").respond_with_data(
        rss2([Entry(f"Okta confirms breach, notice {n}", silent.url(f"/n{n}"), "", f"s{n}", NOW) for n in range(3)]),
        content_type="application/rss+xml",
    )
    project.configure(
        [
            {
                "name": "stalled",
                "url": httpserver.url_for("/stalled"),
                "fetch_article": True,
                "allow_private_links": True,
            },
            {"name": "ok", "url": httpserver.url_for("/ok"), "fetch_article": True, "allow_private_links": True},
        ],
        # Each silent link alone would wait 60 s: the budget, not the per-fetch deadline, ends the stage.
        limits={"fetch_timeout": "60s", "article_budget": "2s"},
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert "stalled: 3 items, 3 new, 3 alerts, 3 stored without their linked notice (limits)" in result.stderr
    assert "ok: 1 items, 1 new" in result.stderr and "ok: 1 items, 1 new, 1 alerts\n" in result.stderr
    assert "3 linked notices skipped (limits)" in result.stderr
    assert len(silent.accepted) >= 1  # the silent server was really asked
    assert len(_search(project, "confirms breach")) == 3  # stored, decided on the title: they alerted
    assert [r["title"] for r in _search(project, "NOTICEWORD0")] == ["お知らせ"]


def test_bodies_in_flight_are_capped(project, httpserver):  # type: ignore[no-untyped-def]
    """With room for one body, the next notice is fetched only once the last one is text."""
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def slow_notice(request: Request) -> Response:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.3)  # long enough that two fetches allowed at once would overlap
        with lock:
            state["now"] -= 1
        return Response(_notice(int(request.path.rsplit("/", 1)[1].split(".")[0])), content_type="text/html")

    for n in range(4):
        httpserver.expect_request(f"/notice/{n}.html").respond_with_handler(slow_notice)
    httpserver.expect_request("/feed").respond_with_data(
        rss2([Entry(f"お知らせ {n}", httpserver.url_for(f"/notice/{n}.html"), "", f"b{n}", NOW) for n in range(4)]),
        content_type="application/rss+xml",
    )
    project.configure(
        [{"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True, "allow_private_links": True}],
        limits={"article_max_bytes": 65536, "article_bytes_in_flight": 65536},
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert state["most"] == 1
    assert all(_search(project, f"NOTICEWORD{n}") for n in range(4))  # all four read, one at a time


def test_article_limits_are_validated(project, httpserver):  # type: ignore[no-untyped-def]
    project.configure(
        [{"name": "n", "url": httpserver.url_for("/feed")}],
        limits={"articles_per_source": -1, "article_budget": "soon"},
    )
    result = project.run("check")
    assert result.exit_code == 2
    assert "limits.articles_per_source: must be greater than or equal to 0, got -1" in result.output
    assert "limits.article_budget: 'soon' is not a duration" in result.output
    assert "Traceback" not in result.output
