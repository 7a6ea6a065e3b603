"""Issue 22: a Microsoft Teams output (Workflows webhook receiving an Adaptive Card) through the same
outbox: each alert posted once, kept pending through an outage, a refused workflow reported as such,
feed text never turned into links, the webhook URL never shown."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alert_support import Feed, outbox
from conftest import Entry
from test_alerts import ISETOH, NOW, OKTA
from werkzeug import Request, Response

HOSTILE = Entry(
    "Okta breach: [log in here](http://evil.example/phish) to check *your* account",
    "https://news.example/okta-2",
    "Okta said data was stolen.",
    "h",
    NOW,
)
ELEMENTS = {"TextBlock", "FactSet"}


class TeamsStandIn:
    """A Workflows webhook on 127.0.0.1: accepts what Teams accepts (202), refuses malformed cards (400),
    over-size messages (413); `plan` scripts answers, one per post."""

    def __init__(self, httpserver: Any, path: str = "/workflows/abc/triggers/manual/run"):
        self.cards: list[dict[str, Any]] = []
        self.plan: list[int] = []
        httpserver.expect_request(path, method="POST").respond_with_handler(self._handle)
        self.url = httpserver.url_for(path) + "?sig=SECRETSIG123456"

    def _handle(self, request: Request) -> Response:
        if self.plan:
            status = self.plan.pop(0)
            if status != 202:
                return Response(
                    "busy" if status != 404 else "workflow not found",
                    status=status,
                    headers={"Retry-After": "1"} if status == 429 else {},
                )
        if len(request.get_data()) > 28 * 1024:
            return Response("message too large", status=413)
        doc = json.loads(request.get_data())
        assert doc["type"] == "message"
        [attachment] = doc["attachments"]
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = attachment["content"]
        if card.get("type") != "AdaptiveCard" or card.get("version") not in ("1.2", "1.3", "1.4", "1.5"):
            return Response("invalid card", status=400)
        if any(e.get("type") not in ELEMENTS for e in card["body"]):
            return Response("unknown element", status=400)
        self.cards.append(card)
        return Response("", status=202)

    def texts(self, card: dict[str, Any]) -> str:
        out = []
        for e in card["body"]:
            if e["type"] == "TextBlock":
                out.append(e["text"])
            else:
                out.extend(f"{f['title']}: {f['value']}" for f in e["facts"])
        return "\n".join(out)


@pytest.fixture
def teams(httpserver):  # type: ignore[no-untyped-def]
    return TeamsStandIn(httpserver)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def test_alerts_arrive_as_adaptive_cards_once(project, feed, teams) -> None:  # type: ignore[no-untyped-def]
    feed.add(OKTA, ISETOH)
    project.configure([feed.source])
    env = {"TEAMS_WEBHOOK_URL": teams.url}
    result = project.run("run", "--once", env=env)
    assert result.exit_code == 0, result.output
    assert len(teams.cards) == 2
    okta = next(c for c in teams.cards if "Okta" in c["body"][0]["text"])
    assert okta["body"][0] == {
        "type": "TextBlock",
        "text": "🔴 Breach at vendor: Okta Inc.",
        "size": "Large",
        "weight": "Bolder",
        "wrap": True,
    }
    text = teams.texts(okta)
    assert f"[Okta confirms breach of support system, customer files stolen]({OKTA.link})" in text
    facts = next(e for e in okta["body"] if e["type"] == "FactSet")["facts"]
    assert [f["title"] for f in facts[:2]] == ["Source", "Published"]
    assert "UTC" in facts[1]["value"] and "<!date" not in facts[1]["value"]  # Slack's token, as readable text
    assert "**Why it matched**" in text
    assert {a["state"] for a in outbox(project)} == {"sent"}

    again = project.run("run", "--once", env=env)  # nothing new: nothing posted twice
    assert again.exit_code == 0 and len(teams.cards) == 2


def test_an_outage_keeps_alerts_pending_and_each_is_posted_once_after(project, feed, teams) -> None:  # type: ignore[no-untyped-def]
    feed.add(OKTA, ISETOH)
    project.configure([feed.source])
    env = {"TEAMS_WEBHOOK_URL": teams.url}
    teams.plan = [503, 503, 503]
    down = project.run("run", "--once", env=env)
    assert down.exit_code == 0 and teams.cards == []
    assert {a["state"] for a in outbox(project, pending=True)} == {"pending"}
    assert "Teams webhook answered HTTP 503" in down.stderr
    teams.plan = []  # Teams is back
    up = project.run("alerts", "retry", env=env)
    assert up.exit_code == 0, up.output
    assert len(teams.cards) == 2 and {a["state"] for a in outbox(project)} == {"sent"}


def test_a_deleted_workflow_is_a_configuration_error_and_nothing_is_lost(project, feed, teams) -> None:  # type: ignore[no-untyped-def]
    feed.add(OKTA)
    project.configure([feed.source])
    teams.plan = [404]
    result = project.run("run", "--once", env={"TEAMS_WEBHOOK_URL": teams.url})
    assert result.exit_code == 78
    assert "Teams webhook refused the message: HTTP 404" in result.stderr
    assert "SECRETSIG123456" not in result.output
    [alert] = outbox(project, pending=True)
    assert alert["state"] == "pending"
    db = project.db_path.read_bytes()
    assert b"SECRETSIG123456" not in db  # the URL is the credential: never stored


def test_feed_text_cannot_make_links_in_the_card(project, feed, teams) -> None:  # type: ignore[no-untyped-def]
    feed.add(HOSTILE)
    project.configure([feed.source])
    assert project.run("run", "--once", env={"TEAMS_WEBHOOK_URL": teams.url}).exit_code == 0
    [card] = teams.cards
    text = teams.texts(card)
    assert "](http://evil.example/phish)" not in text.replace("\\]\\(http://evil.example/phish\\)", "")
    assert "\\[log in here\\]\\(http://evil.example/phish\\)" in text
    assert f"]({HOSTILE.link})" in text  # the article's own link is still one


def test_card_size_stays_under_the_teams_limit() -> None:
    from monitor.alerting.slack import context, finish, header, section
    from monitor.alerting.teams import CARD_MAX, payload

    big = finish("t", [header("h")] + [section("x" * 2900) for _ in range(40)] + [context("notes")], "c")
    doc = payload(big)
    assert len(json.dumps(doc["attachments"][0]["content"], ensure_ascii=False).encode()) <= CARD_MAX
    body = doc["attachments"][0]["content"]["body"]
    assert body[0]["text"] == "h" and body[-1]["text"] == "notes"
