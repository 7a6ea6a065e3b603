"""Issue 7: the Slack token and webhook URL never reach output, logs, the database or error messages;
the database (and its WAL/SHM files) is created user-only."""

from __future__ import annotations

import logging
import socket
import stat
from datetime import UTC, datetime

import pytest
from conftest import Entry, Project, rss2

TOKEN = "xoxb-1234567890-SECRETTOKENVALUE"
NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
FEED = rss2([Entry("Okta confirms breach of support system", "https://news.example/okta", "stolen", "g1", NOW)])


def _everything(project: Project, *results) -> str:  # type: ignore[no-untyped-def]
    text = "".join(r.output for r in results)
    for p in project.root.glob("monitor.db*"):
        text += p.read_bytes().decode("latin-1")
    return text


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.mark.parametrize(
    "failure", ["ok", ("status", 500), ("error", "invalid_auth"), ("ratelimit", 1), "drop_after_record", "unreachable"]
)
def test_bot_token_never_leaks(project: Project, httpserver, slack, failure, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)  # every logger, slack_sdk and httpx included
    httpserver.expect_request("/feed").respond_with_data(FEED, content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    api = slack.url if failure != "unreachable" else f"http://127.0.0.1:{_closed_port()}/api/"
    slack.tokens.add(TOKEN)  # the stand-in refuses tokens it does not know
    if failure not in ("ok", "unreachable"):
        slack.plan = [failure]
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_API_URL": api, "SLACK_CHANNEL": "C0GENERAL"}
    # -vvv: slack-sdk's own request and response dumps are logged only then.
    run = project.run("-vvv", "run", "--once", env=env)
    again = project.run("-vvv", "alerts", "retry", env=env)
    listing = project.run("alerts", "--json")
    status = project.run("status", "--json")
    seen = _everything(project, run, again, listing, status) + caplog.text
    assert caplog.records, "logging was not captured"
    if failure != "unreachable":
        assert any(r.name == "monitor.slack" for r in caplog.records), "slack-sdk's request dumps were not logged"
    # 78: a rejected token is an error the operator must see (issue 20), still without the token.
    assert run.exit_code == (78 if failure == ("error", "invalid_auth") else 0), run.output
    assert TOKEN not in seen and "SECRETTOKENVALUE" not in seen


@pytest.mark.parametrize("failure", ["ok", ("status", 500), ("error", "channel_not_found"), ("ratelimit", 1)])
def test_webhook_url_never_leaks(project: Project, httpserver, slack, failure, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request("/feed").respond_with_data(FEED, content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    if failure != "ok":
        slack.plan = [failure]
    env = {"SLACK_WEBHOOK_URL": slack.webhook_url}
    run = project.run("-vvv", "run", "--once", env=env)
    again = project.run("-vvv", "alerts", "retry", "--failed", env=env)
    seen = _everything(project, run, again, project.run("alerts", "--json")) + caplog.text
    assert run.exit_code == 0, run.output
    assert slack.webhook_url not in seen and "/webhook/T000/B000/XXXX" not in seen


def test_unreachable_webhook_error_message_hides_the_url(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/feed").respond_with_data(FEED, content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    hook = f"http://127.0.0.1:{_closed_port()}/services/T0/B0/SECRETPATH"
    run = project.run("-vv", "run", "--once", env={"SLACK_WEBHOOK_URL": hook})
    seen = _everything(project, run)
    assert "SECRETPATH" not in seen
    assert "alert 1:" in run.stderr  # the failure itself is still reported


def test_database_and_wal_files_are_user_only(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    import os

    httpserver.expect_request("/feed").respond_with_data(FEED, content_type="application/rss+xml")
    project.configure([{"name": "News", "url": httpserver.url_for("/feed")}])
    old = os.umask(0o022)  # a permissive umask, as under many cron setups
    try:
        assert project.run("run", "--once").exit_code == 0
        from monitor.storage.store import Store

        with Store(project.db_path) as store:  # hold it open so the WAL and SHM files exist
            store.conn.execute("SELECT count(*) FROM articles").fetchone()
            files = [
                project.db_path,
                project.db_path.with_name("monitor.db-wal"),
                project.db_path.with_name("monitor.db-shm"),
            ]
            for f in files:
                assert f.exists(), f
                assert stat.S_IMODE(f.stat().st_mode) == 0o600, (f, oct(f.stat().st_mode))
    finally:
        os.umask(old)
