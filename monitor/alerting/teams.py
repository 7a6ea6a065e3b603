"""Microsoft Teams output: a Workflows webhook ("When a Teams webhook request is received") that posts
an Adaptive Card. Implements the Sender interface of alerting/slack.py, so alerts go through the same
outbox: written before sending, marked sent only when Teams accepts them, retried after an outage.

A webhook has no history to search, so an alert whose outcome is unknown (a timeout, a dropped
connection, a 5xx) cannot be reconciled: it is sent again, which may post it twice. A duplicate is
preferred to a lost breach alert (as for the Slack webhook).

The card is made from the Slack message the rest of the code builds: the header, sections (Slack
mrkdwn turned into the card's Markdown, feed text kept from making links), fields as a FactSet, and
the notes in small subtle text.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import httpx

from ..redact import redact
from .slack import ERROR_MAX, AlertRef, Message, Outcome, Permanent, Retry, Sent, rate_limit, retry_after

CARD_MAX = 27 * 1024  # Teams refuses messages over about 28 KB
_SLACK_TOKEN = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_MD_SPECIAL = re.compile(r"([\\\[\]()*_`#>~])")


def _md(text: str) -> str:
    """Text for a card's Markdown: Slack's entities undone, Markdown's own syntax escaped, so a feed
    title like `[login](http://evil)` stays text."""
    return _MD_SPECIAL.sub(r"\\\1", html.unescape(text))


def markdown(mrkdwn: str) -> str:
    """Slack mrkdwn (already escaped) as Adaptive Card Markdown: <url|label> -> [label](url), *bold* ->
    **bold**, date tokens -> their fallback text, mentions -> their text."""
    out: list[str] = []
    pos = 0
    for m in _SLACK_TOKEN.finditer(mrkdwn):
        out.append(_bold(_md(mrkdwn[pos : m.start()])))
        target, label = m.group(1), m.group(2)
        if target.startswith(("http://", "https://")):
            url = html.unescape(target).replace(")", "%29").replace(" ", "%20")
            out.append(f"[{_md(label or target)}]({url})")
        else:  # <!date^...|fallback>, <@U123>, <!subteam^S1>: the readable part
            out.append(_md(label or target.lstrip("@!#")))
        pos = m.end()
    out.append(_bold(_md(mrkdwn[pos:])))
    return "".join(out)


def _bold(escaped: str) -> str:
    # Slack's *bold* arrives escaped as \*bold\*; the code's own bold marks wrap whole labels.
    return re.sub(r"\\\*([^*\n]+?)\\\*", r"**\1**", escaped)


def card(message: Message) -> dict[str, Any]:
    """The Adaptive Card (1.4) for one message."""
    body: list[dict[str, Any]] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind == "header":
            body.append(
                {
                    "type": "TextBlock",
                    "text": _md(block["text"]["text"]),
                    "size": "Large",
                    "weight": "Bolder",
                    "wrap": True,
                }
            )
        elif kind == "section" and "fields" in block:
            facts = []
            for f in block["fields"]:
                name, _, value = f["text"].partition("\n")
                facts.append({"title": markdown(name.strip("*")), "value": markdown(value)})
            body.append({"type": "FactSet", "facts": facts})
        elif kind == "section":
            body.append({"type": "TextBlock", "text": markdown(block["text"]["text"]), "wrap": True})
        elif kind == "context":
            text = "\n\n".join(markdown(e.get("text", "")) for e in block.get("elements", []))
            body.append({"type": "TextBlock", "text": text, "wrap": True, "isSubtle": True, "size": "Small"})
    if not body:
        body.append({"type": "TextBlock", "text": markdown(message.text), "wrap": True})
    content = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": body,
        "msteams": {"width": "Full"},
    }
    while len(json.dumps(content, ensure_ascii=False).encode()) > CARD_MAX and len(body) > 2:
        body.pop(-2)  # keep the header and the notes; drop from the end of the middle
    return content


def payload(message: Message) -> dict[str, Any]:
    return {
        "type": "message",
        "summary": html.unescape(message.text)[:200],
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card(message)}
        ],
    }


class TeamsSender:
    mode = "teams"
    can_thread = False
    can_reconcile = False  # a webhook has no history to search
    paced = True  # Teams webhooks throttle bursts (HTTP 429)
    needs_channel = False  # the workflow decides the channel
    destination = "teams"  # the URL is the secret: it is not stored

    def __init__(self, url: str, timeout: float = 15.0):
        self.url = url
        self.timeout = timeout

    def send(self, channel: str, message: Message, ref: AlertRef, thread_ts: str | None) -> Outcome:
        return self._post(message, f"teams-{ref.alert_id}")

    def post_sample(self, channel: str, message: Message) -> Outcome:
        return self._post(message, "teams-test")

    def find_sent(self, channel: str, ref: AlertRef, oldest: float, thread_ts: str | None = None) -> str | None:
        return None

    def _post(self, message: Message, ts: str) -> Outcome:
        try:
            resp = httpx.post(self.url, json=payload(message), timeout=self.timeout, follow_redirects=False)
        except httpx.HTTPError as e:
            # Not reconcilable: resending risks a duplicate, not resending risks a loss; we resend.
            return Retry(redact(f"Teams webhook: {type(e).__name__}: {e}").replace(self.url, "[webhook]")[:ERROR_MAX])
        if resp.status_code in (200, 201, 202):
            return Sent(ts=ts)
        if resp.status_code == 429:
            return rate_limit("Teams", retry_after(resp.headers), None)  # nothing waited out: httpx, no retries
        if resp.status_code >= 500:
            return Retry(f"Teams webhook answered HTTP {resp.status_code}")
        body = redact(resp.text.strip())[:100]
        if resp.status_code in (401, 403, 404, 410):
            # A deleted or disabled workflow refuses every alert: the destination's credentials.
            return Permanent(f"Teams webhook refused the message: HTTP {resp.status_code} {body}".strip(), auth=True)
        if resp.status_code == 400 or resp.status_code == 413:
            return Permanent(f"Teams refused the message: HTTP {resp.status_code} {body}".strip())
        return Retry(f"Teams webhook answered HTTP {resp.status_code}")
