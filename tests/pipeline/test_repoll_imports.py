"""An unchanged re-poll (every feed answers 304) starts without loading what only new reports need: the
incident rule, the message builders, detection and the matcher (rapidfuzz), notices' reader. Each
`monitor run --once` is a new process on cron, so what it imports is CPU spent on every run (case 7 of
BENCHMARKS.md); a run with news still loads them where it uses them."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

from conftest import Entry, Project, bot_env, os_env_without_slack, rss2
from pytest_httpserver import HTTPServer
from slack_standin import SlackStandIn
from werkzeug import Request, Response

ONLY_FOR_NEWS = (
    "monitor.alerting.incidents",
    "monitor.alerting.messages",
    "monitor.matching.detect",
    "monitor.matching.matcher",
    "monitor.sources.notices",
    "rapidfuzz",
)


def _imported(stderr: str) -> set[str]:
    """Module names from `python -X importtime`'s lines ("import time: self | cumulative | name")."""
    return {ln.rsplit("|", 1)[1].strip() for ln in stderr.splitlines() if ln.startswith("import time:")}


def _run_once(project: Project, slack: SlackStandIn) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "monitor", "--config", str(project.config_path), "run", "--once"],
        env={**os_env_without_slack(), **bot_env(slack)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_unchanged_repoll_does_not_load_what_only_news_needs(
    project: Project, slack: SlackStandIn, httpserver: HTTPServer
) -> None:
    body = rss2(
        [
            Entry(
                "Okta confirms breach of customer support system",
                "https://news.example/okta",
                "Okta said attackers stole data.",
                "g1",
                datetime(2024, 6, 1, tzinfo=UTC),
            )
        ]
    )

    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/rss").respond_with_handler(feed)
    project.configure([{"name": "English news", "url": httpserver.url_for("/rss")}])

    first = _run_once(project, slack)
    assert first.returncode == 0, first.stderr[-2000:]
    assert len(slack.messages) == 1 and "Okta" in slack.messages[0]["text"]
    assert {"monitor.alerting.incidents", "monitor.alerting.messages"} <= _imported(first.stderr)

    again = _run_once(project, slack)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "not modified" in again.stderr and len(slack.messages) == 1
    loaded = _imported(again.stderr) & set(ONLY_FOR_NEWS)
    assert not loaded, f"an unchanged re-poll loaded {sorted(loaded)}"
