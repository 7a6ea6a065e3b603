"""Issue 21: README claims about running it (backoff, health routing, the daemon's edit check, Slack
scopes, the limits, `eval --errors`, `-v`) that had no test. Each drives the CLI or the public
function the README names, and fails when the behaviour it guards is removed."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from alert_support import Clock, Feed, outbox
from conftest import Entry, Project, bot_env, rss2

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry("Okta confirms breach of support system", "https://news.example/okta", "files stolen", "o", NOW)


def _ok(result):  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return result


def _status(project: Project) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in json.loads(_ok(project.run("status", "--json")).stdout)}


# ---------------------------------------------------------------------- backoff and health


def test_a_failing_source_waits_interval_times_two_to_the_failures_minus_one(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    project.configure(
        [{"name": "down", "url": httpserver.url_for("/down"), "interval": "10m"}], health={"failure_threshold": 50}
    )
    for failures, minutes in ((1, 10), (2, 20), (3, 40), (4, 80)):
        before = datetime.now(UTC)
        _ok(project.run("run", "--once"))
        after = datetime.now(UTC)
        st = _status(project)["down"]
        assert st["consecutive_failures"] == failures
        due = datetime.fromisoformat(st["next_due"].replace("Z", "+00:00"))
        # 90-100% of interval x 2^(failures-1): the jitter only ever makes it earlier.
        assert before + timedelta(minutes=0.9 * minutes) - timedelta(seconds=1) <= due
        assert due <= after + timedelta(minutes=minutes) + timedelta(seconds=1), (failures, due - after)


def test_a_healthy_source_is_due_again_within_its_interval(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/up").respond_with_data(rss2([]), content_type="application/rss+xml")
    project.configure([{"name": "up", "url": httpserver.url_for("/up"), "interval": "1h"}])
    before = datetime.now(UTC)
    _ok(project.run("run", "--once"))
    after = datetime.now(UTC)
    due = datetime.fromisoformat(_status(project)["up"]["next_due"].replace("Z", "+00:00"))
    assert before + timedelta(minutes=54) - timedelta(seconds=1) <= due <= after + timedelta(hours=1, seconds=1)


def test_health_alerts_go_to_the_default_channel_not_a_vendor_route(project: Project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/down").respond_with_data("down", status=500)
    feed = Feed(httpserver)
    feed.add(OKTA)  # Okta is critical: its alert takes the critical route
    project.configure(
        [{"name": "down", "url": httpserver.url_for("/down")}, feed.source],
        health={"failure_threshold": 1},
        slack={
            "channel": "C0GENERAL",
            "routes": {
                "critical": "C0INCIDENT",
                "low": "C0VENDORRISK",
                "medium": "C0VENDORRISK",
                "high": "C0VENDORRISK",
            },
        },
    )
    _ok(project.run("run", "--once", env={**bot_env(slack), "SLACK_CHANNEL": ""}))
    by_channel = {(m["channel"], m["text"].split(":")[0]) for m in slack.messages}
    assert ("C0GENERAL", "⚠️ Source failing") in by_channel
    assert ("C0INCIDENT", "Breach at vendor naming Okta Inc.") in by_channel
    assert len(slack.messages) == 2


def test_a_failed_health_alert_retried_after_a_fix_goes_to_the_fixed_default_channel(
    project: Project, httpserver, slack
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/down").respond_with_data("down", status=500)
    routes = {"critical": "C0INCIDENT", "high": "C0VENDORRISK", "medium": "C0VENDORRISK", "low": "C0VENDORRISK"}
    source = [{"name": "down", "url": httpserver.url_for("/down")}]
    project.configure(source, health={"failure_threshold": 1}, slack={"channel": "C0TYPO", "routes": routes})
    env = {**bot_env(slack), "SLACK_CHANNEL": ""}
    first = _ok(project.run("run", "--once", env=env))
    assert "channel_not_found" in first.stderr and slack.messages == []
    project.configure(source, health={"failure_threshold": 1}, slack={"channel": "C0GENERAL", "routes": routes})
    _ok(project.run("alerts", "retry", "--failed", env=env))
    assert [(m["channel"], m["text"]) for m in slack.messages] == [("C0GENERAL", "⚠️ Source failing: down")]


# ---------------------------------------------------------------------- the daemon's edit check


def test_the_daemon_looks_for_edits_at_least_every_minute(project: Project, httpserver, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """A source polled hourly: the daemon still wakes within a minute, so an edit is taken within one."""
    from monitor import clock as clocks
    from monitor.alerting.slack import sender_from_env
    from monitor.config import load_config
    from monitor.matching.vendors import load_vendors
    from monitor.pipeline import cycle as pipeline
    from monitor.pipeline.daemon import run_daemon
    from monitor.storage.store import Store

    httpserver.expect_request("/news").respond_with_data(rss2([]), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/news"), "interval": "1h"}])
    t0 = datetime(2024, 6, 5, tzinfo=UTC)
    now = [t0]
    stop = threading.Event()
    slept: list[float] = []
    reloads: list[datetime] = []
    edit_at = t0 + timedelta(minutes=17, seconds=5)

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        before = now[0]
        now[0] += timedelta(seconds=seconds)
        if before < edit_at <= now[0]:
            project.vendors_path.write_text(project.vendors_path.read_text() + "Acme Widgets,,,,,,\n")
        if now[0] >= t0 + timedelta(minutes=30):
            stop.set()

    monkeypatch.setattr(clocks, "utcnow", lambda: now[0])
    cfg = load_config(project.config_path)

    def reload():  # type: ignore[no-untyped-def]
        reloads.append(now[0])
        return load_config(project.config_path), load_vendors(cfg.vendors), sender_from_env()

    with Store(cfg.database) as store:
        monitor = pipeline.Monitor(cfg, load_vendors(cfg.vendors), store, sender_from_env())
        with caplog.at_level(logging.INFO, logger="monitor.daemon"):  # the reload line is routine (INFO)
            run_daemon(monitor, stop=stop, clock=lambda: now[0], sleep=sleep, reload=reload)
    assert "cycle failed" not in caplog.text
    assert "reloaded feeds.yaml and vendors.csv: 1 sources, 7 vendors" in caplog.text
    assert slept and max(slept) <= 60
    assert len(reloads) == 1 and reloads[0] - edit_at <= timedelta(seconds=60)


# ---------------------------------------------------------------------- Slack scopes


def test_missing_history_scope_resends_with_a_warning_instead_of_losing_the_alert(
    project: Project, httpserver, slack, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(monkeypatch)
    feed = Feed(httpserver)
    feed.add(OKTA)
    project.configure([feed.source])
    slack.plan = ["refuse"]  # the outcome of the post is unknown: history must be read before a resend
    _ok(project.run("run", "--once", env=bot_env(slack)))
    slack.revoke("channels:history")
    clock.advance(minutes=15)
    second = _ok(project.run("run", "--once", env=bot_env(slack)))
    assert "missing_scope" in second.stderr and "give the bot channels:history" in second.stderr
    assert "resending, which may post it twice" in second.stderr
    assert len(slack.messages) == 1 and "Okta" in slack.messages[0]["text"]
    assert [a["state"] for a in outbox(project)] == ["sent"]


def test_history_unreadable_for_a_passing_reason_holds_the_alert_back(
    project: Project, httpserver, slack, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(monkeypatch)
    feed = Feed(httpserver)
    feed.add(OKTA)
    project.configure([feed.source])
    slack.plan = ["refuse"]
    _ok(project.run("run", "--once", env=bot_env(slack)))
    slack.history_plan = [("status", 503)]
    clock.advance(minutes=15)
    held = _ok(project.run("run", "--once", env=bot_env(slack)))
    assert "not resending until it can be checked" in held.stderr
    assert slack.messages == []


# ---------------------------------------------------------------------- limits


class _Counting(ThreadingHTTPServer):
    """Answers each feed only once `wanted` requests are in flight at the same time (or after 10 s), and
    half a second later: the largest number seen in flight is how many fetches the limit allowed at once."""

    daemon_threads = True

    def __init__(self, wanted: int):
        self.wanted, self.in_flight, self.most = wanted, 0, 0
        self.cond = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server.cond:
                    server.in_flight += 1
                    server.most = max(server.most, server.in_flight)
                    server.cond.notify_all()
                    server.cond.wait_for(lambda: server.in_flight >= server.wanted, timeout=10)
                    # A fetch the limit should have held back would be on its way now: give it a moment.
                    server.cond.wait_for(lambda: server.in_flight > server.wanted, timeout=0.5)
                    # Counted out before answering: once the client has the answer it may start its next
                    # fetch before this thread would get back here (a second "in flight" that is not one).
                    server.in_flight -= 1
                body = rss2([])
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.mark.parametrize("concurrency", [1, 2])
def test_concurrency_is_how_many_sources_are_fetched_at_once(project: Project, concurrency: int) -> None:
    server = _Counting(wanted=concurrency)
    try:
        port = server.server_address[1]
        n = 2 * concurrency + 2  # full waves of `concurrency` fetches, and more sources than the default limit
        project.configure(
            [{"name": f"s{i}", "url": f"http://127.0.0.1:{port}/s{i}"} for i in range(n)],
            limits={"concurrency": concurrency, "per_host": 8, "fetch_timeout": "30s"},
        )
        result = _ok(project.run("run", "--once"))
        assert f"{n} sources (0 failed)" in result.stderr
        assert server.most == concurrency
    finally:
        server.shutdown()
        server.server_close()


def test_connect_timeout_ends_a_connection_that_is_never_accepted(project: Project) -> None:
    # A listening socket whose accept queue is full: the kernel drops further SYNs, as a firewall would.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        try:
            c.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(c)
    try:
        project.configure(
            [{"name": "blackhole", "url": f"http://127.0.0.1:{port}/feed"}],
            limits={"connect_timeout": "1s", "fetch_timeout": "120s"},
        )
        started = time.monotonic()
        result = _ok(project.run("run", "--once"))
        # Not a timing test: without connect_timeout the fetch waits out the 120 s deadline.
        assert time.monotonic() - started < 60
        assert "✗ blackhole" in result.stderr and "1 failed" in result.stderr
    finally:
        for c in fillers:
            c.close()
        listener.close()


def _notice_source(httpserver, body_bytes: int, limits: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    page = (
        "<html><body><p>"
        + "お知らせ本文。" * 10
        + "</p><p>委託先のOkta Inc.で不正アクセスが発生し、顧客情報が流出しました。</p>"
    )
    page += "<p>" + "x" * max(0, body_bytes - len(page.encode()) - 20) + "</p></body></html>"
    httpserver.expect_request("/notice").respond_with_data(page.encode(), content_type="text/html; charset=utf-8")
    item = Entry("不正アクセスによる個人情報流出に関するお知らせ", httpserver.url_for("/notice"), "", "n1", NOW)
    httpserver.expect_request("/feed").respond_with_data(rss2([item]), content_type="application/rss+xml")
    return {"name": "notices", "url": httpserver.url_for("/feed"), "fetch_article": True, "allow_private_links": True}


@pytest.mark.parametrize("max_bytes, alerted", [(1_000_000, True), (20_000, False)])
def test_article_max_bytes_caps_a_linked_notice(
    project: Project, httpserver, slack, max_bytes: int, alerted: bool
) -> None:  # type: ignore[no-untyped-def]
    source = _notice_source(httpserver, 60_000, {})
    project.configure([source], limits={"article_max_bytes": max_bytes})
    _ok(project.run("run", "--once", env=bot_env(slack)))
    [article] = project.db().query("SELECT title FROM articles")
    assert article["title"].startswith("不正アクセス")  # the item is stored either way
    assert any("Okta" in m["text"] for m in slack.messages) is alerted


def _big_feed() -> bytes:
    return rss2(
        [Entry(f"Item {i} news", f"https://news.example/{i}", "word " * 2000, f"g{i}", NOW) for i in range(800)]
    )


@pytest.mark.parametrize("memory_mb, parsed", [(512, True), (80, False)])
def test_parse_memory_mb_limits_what_a_parser_worker_may_allocate(
    project: Project, httpserver, memory_mb: int, parsed: bool
) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/big").respond_with_data(_big_feed(), content_type="application/rss+xml")
    project.configure(
        [{"name": "big", "url": httpserver.url_for("/big")}],
        limits={"parse_memory_mb": memory_mb, "max_items_per_source": 1000},
    )
    result = _ok(project.run("run", "--once"))
    stored = project.db()["articles"].count if project.db()["articles"].exists() else 0
    assert (stored == 800) is parsed, result.stderr
    assert ("✗ big" in result.stderr) is not parsed


# ---------------------------------------------------------------------- eval --errors and -v


def test_eval_errors_lists_every_miss_and_extra_with_its_id(project: Project, tmp_path: Path) -> None:
    project.configure([{"name": "News", "url": "http://127.0.0.1:9/feed"}])
    items = [
        {
            "id": "okta-hit",
            "lang": "en",
            "title": "Okta confirms breach of support system",
            "vendors": ["Okta Inc."],
            "breach": True,
        },
        {
            "id": "okta-missed",
            "lang": "en",
            "title": "Identity provider confirms breach of support system",
            "vendors": ["Okta Inc."],
            "breach": True,
        },
        {
            "id": "box-extra",
            "lang": "en",
            "title": "Box Inc. launches a new file sharing plan",
            "vendors": [],
            "breach": False,
        },
    ]
    labelled = tmp_path / "ours.jsonl"
    labelled.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    plain = _ok(project.run("eval", "--set", str(labelled), "--vendors", str(project.vendors_path)))
    assert "wrong:" not in plain.output
    result = _ok(project.run("eval", "--set", str(labelled), "--vendors", str(project.vendors_path), "--errors"))
    wrong = [json.loads(line.split("wrong: ", 1)[1]) for line in result.output.splitlines() if "wrong: " in line]
    by_id = {(w["id"], w["kind"]): w for w in wrong}
    assert by_id[("okta-missed", "matching")]["missed"] == ["Okta Inc."]
    assert by_id[("box-extra", "matching")]["extra"] == ["Box Inc."]
    assert not any(w["id"] == "okta-hit" for w in wrong)


def test_verbose_run_prints_the_time_of_each_stage_and_the_cpu(project: Project, httpserver, caplog) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/news").respond_with_data(rss2([OKTA]), content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/news")}])
    quiet = _ok(project.run("run", "--once"))
    assert "cycle timings" not in quiet.stderr
    with caplog.at_level(logging.INFO):
        loud = _ok(project.run("-v", "run", "--once"))
    lines = [ln for ln in (loud.stderr + caplog.text).splitlines() if "cycle timings:" in ln]
    assert lines, loud.stderr
    for stage in ("fetch", "parse", "decide+store", "deliver"):
        assert re.search(rf"\b{re.escape(stage)} \d+\.\d\ds\b", lines[0]), lines[0]
    assert "this process's CPU so far" in lines[0]
