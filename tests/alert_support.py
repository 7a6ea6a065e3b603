"""Helpers for the alert tests: a feed whose entries a test changes between runs, the outbox as JSON,
and a clock to reach the next cycle's backoff without waiting."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import Entry, rss2
from werkzeug.wrappers import Response

import monitor.clock


class Feed:
    """An RSS feed on the test's httpserver; `add()` publishes more entries for the next run."""

    def __init__(self, httpserver: Any, path: str = "/news", name: str = "News"):
        self.entries: list[Entry] = []
        self.name = name
        httpserver.expect_request(path).respond_with_handler(self._serve)
        self.url = httpserver.url_for(path)

    def _serve(self, request: Any) -> Response:
        return Response(rss2(self.entries), content_type="application/rss+xml")

    def add(self, *entries: Entry) -> Feed:
        self.entries.extend(entries)
        return self

    @property
    def source(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url}


class SwitchableSource:
    """A source whose answer (status and body) the test changes between runs."""

    def __init__(self, body: bytes) -> None:
        self.status, self.body = 200, body

    def __call__(self, request: Any) -> Response:
        return Response(self.body, status=self.status, content_type="application/rss+xml")


class Clock:
    """Moves monitor's clock (monitor.clock: backoff, digest day, the cycle's time) forward."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.offset = timedelta()
        monkeypatch.setattr(monitor.clock, "utcnow", lambda: datetime.now(UTC) + self.offset)

    def advance(self, **kwargs: float) -> None:
        self.offset += timedelta(**kwargs)

    def at(self, hour: int, minute: int = 0) -> None:
        """Read today's hour:minute UTC from now on (time still runs), so a test that depends on the
        time of day, like the digest's, does not fail when the real clock crosses midnight mid-test."""
        now = datetime.now(UTC)
        self.offset = now.replace(hour=hour, minute=minute, second=0, microsecond=0) - now


def morning(day: str) -> datetime:
    """09:00 UTC on an ISO day ('2023-11-27'): when the incident tests' reports are published."""
    return datetime.fromisoformat(day + "T09:00:00+00:00")


def outbox(project: Any, pending: bool = False) -> list[dict[str, Any]]:
    args = ["alerts", "--json"] + (["--pending"] if pending else [])
    result = project.run(*args)
    assert result.exit_code == 0, result.output
    return sorted(json.loads(result.stdout), key=lambda r: r["id"])


def mrkdwn_texts(message: dict[str, Any]) -> list[str]:
    """Every string Slack parses as mrkdwn in a posted message, plus the text fallback."""
    out = [message.get("text", "")]
    for block in message.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict) and text.get("type") == "mrkdwn":
            out.append(text["text"])
        for f in block.get("fields") or []:
            if f.get("type") == "mrkdwn":
                out.append(f["text"])
        for el in block.get("elements") or []:
            if isinstance(el, dict) and el.get("type") == "mrkdwn":
                out.append(el["text"])
    return out


def blocks_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False)
