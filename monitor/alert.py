"""Slack messages and the three ways to send them (Web API, incoming webhook, console).

Everything that comes from a feed is hostile: it is escaped for mrkdwn (& < >)
before it is truncated, links are built only from http(s) URLs we percent-encode,
and link previews are off so Slack itself never fetches an attacker's URL.
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

log = logging.getLogger(__name__)

HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
TEXT_MAX = 3000
MAX_BLOCKS = 50
EVENT_TYPE = "monitor_alert"
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
_MENTION = re.compile(r"^<(@[UW][A-Z0-9]{2,}|!subteam\^[A-Z0-9]{2,}(\|[^<>&]{0,80})?|#C[A-Z0-9]{2,})>$")
_SECRET = re.compile(r"xox[abprse]-[A-Za-z0-9-]+|https://hooks\.slack(-gov)?\.com/\S+")
PERMANENT_ERRORS = {
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed", "token_revoked",
    "token_expired", "account_inactive", "missing_scope", "invalid_blocks", "invalid_blocks_format",
    "msg_too_long", "msg_blocks_too_long", "no_text", "restricted_action", "ekm_access_denied",
    "invalid_arguments", "channel_is_archived", "action_prohibited", "invalid_payload", "no_service",
    "no_service_id", "no_team", "team_disabled", "invalid_token",
}
AUTH_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "invalid_token",
               "no_service", "team_disabled"}


def redact(text: str) -> str:
    """Remove Slack tokens and webhook URLs from anything we log or store."""
    return _SECRET.sub("[redacted]", text)


def escape(text: str) -> str:
    """Slack's three control characters; nothing else is to be encoded."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(escaped: str, limit: int) -> str:
    """Cut escaped text to `limit` characters without splitting an &amp; / &lt; / &gt; entity."""
    if len(escaped) <= limit:
        return escaped
    cut = escaped[: limit - 1]
    cut = _ENTITY_TAIL.sub("", cut)
    return cut + "…"


def safe_url(url: str) -> str | None:
    """An http(s) URL fit for a Slack link, or None. | < > and spaces are percent-encoded."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#[]@!$'()*+,;=%&~-._")


def link(url: str, label: str, limit: int = 500) -> str:
    """A link we build ourselves: the label escaped with any | removed; plain escaped text if unsafe."""
    label_esc = truncate(escape(label.replace("|", "¦")), limit)
    target = safe_url(url)
    if target is None:
        return label_esc
    return f"<{target}|{label_esc}>"


def owner_mention(owner: str) -> str:
    """A vendors.csv owner: a real Slack mention passes through, anything else is plain text."""
    owner = owner.strip()
    return owner if _MENTION.match(owner) else escape(owner)


@dataclass(frozen=True, slots=True)
class Message:
    text: str  # the plain fallback, already escaped
    blocks: tuple[dict[str, Any], ...]
    console: str  # a readable rendering for the terminal


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_MAX)}}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, HEADER_MAX), "emoji": True}}


def context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_MAX)}]}


def fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "section",
            "fields": [{"type": "mrkdwn", "text": truncate(f"*{k}*\n{v}", FIELD_MAX)} for k, v in pairs[:10]]}


def finish(text: str, blocks: list[dict[str, Any]], console: str) -> Message:
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [context(f"… {len(blocks) - MAX_BLOCKS + 1} more not shown")]
    return Message(truncate(text, TEXT_MAX), tuple(blocks), console)


# ---------------------------------------------------------------------- senders


@dataclass(frozen=True, slots=True)
class Sent:
    ts: str


@dataclass(frozen=True, slots=True)
class Retry:
    error: str
    after: float | None = None  # seconds, from Retry-After


@dataclass(frozen=True, slots=True)
class Permanent:
    error: str
    auth: bool = False


@dataclass(frozen=True, slots=True)
class Unknown:
    """The request may have reached Slack (timeout, dropped connection): reconcile before resending."""
    error: str


Outcome = Sent | Retry | Permanent | Unknown


class Sender(Protocol):
    mode: str
    can_thread: bool
    can_reconcile: bool

    def send(self, channel: str, message: Message, alert_id: int, thread_ts: str | None) -> Outcome: ...

    def find_sent(self, channel: str, alert_id: int, oldest: float,
                  thread_ts: str | None = None) -> str | None: ...


class ConsoleSender:
    mode = "console"
    can_thread = False
    can_reconcile = False

    def __init__(self, stream: Any = None):
        self.stream = stream or sys.stdout
        self._n = 0

    def send(self, channel: str, message: Message, alert_id: int, thread_ts: str | None) -> Outcome:
        self._n += 1
        print(message.console, file=self.stream, flush=True)
        return Sent(ts=f"console-{alert_id}")

    def find_sent(self, channel: str, alert_id: int, oldest: float, thread_ts: str | None = None) -> str | None:
        return None


class CappedRateLimitHandler:
    """RateLimitErrorRetryHandler sleeps for any Retry-After; this one refuses waits over `cap`."""

    def __new__(cls, cap: float, max_retry_count: int = 2) -> Any:
        from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

        class _Handler(RateLimitErrorRetryHandler):
            def _can_retry(self, *, state, request, response=None, error=None) -> bool:  # type: ignore[no-untyped-def]
                if response is None or response.status_code != 429:
                    return False
                return _retry_after(response.headers) <= cap

            def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:  # type: ignore[no-untyped-def]
                if response is None:
                    raise error  # type: ignore[misc]
                state.next_attempt_requested = True
                time.sleep(min(cap, _retry_after(response.headers)) + random.random() * 0.2)
                state.increment_current_attempt()

        return _Handler(max_retry_count=max_retry_count)


def _retry_after(headers: dict[str, Any]) -> float:
    for k, v in (headers or {}).items():
        if k.lower() == "retry-after":
            v = v[0] if isinstance(v, list) else v
            try:
                return float(v)
            except (TypeError, ValueError):
                return 1.0
    return 1.0


class SlackSender:
    mode = "slack"
    can_thread = True
    can_reconcile = True

    def __init__(self, token: str, base_url: str | None, timeout: float, max_retry_after: float):
        from slack_sdk import WebClient

        kwargs: dict[str, Any] = {"token": token, "timeout": int(max(1, timeout)),
                                  # Not the default ConnectionErrorRetryHandler: it re-POSTs after Slack
                                  # may already have the message, which doubles the alert.
                                  "retry_handlers": [CappedRateLimitHandler(max_retry_after)]}
        if base_url:
            kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
        self.client = WebClient(**kwargs)
        self.max_retry_after = max_retry_after

    def send(self, channel: str, message: Message, alert_id: int, thread_ts: str | None) -> Outcome:
        from slack_sdk.errors import SlackApiError

        args: dict[str, Any] = {
            "channel": channel, "text": message.text, "blocks": list(message.blocks),
            "unfurl_links": False, "unfurl_media": False,
            "metadata": {"event_type": EVENT_TYPE, "event_payload": {"alert_id": alert_id}},
        }
        if thread_ts:
            args["thread_ts"] = thread_ts
        try:
            resp = self.client.chat_postMessage(**args)
        except SlackApiError as e:
            return _classify(e.response.status_code, e.response.data, e.response.headers)
        except (TimeoutError, ConnectionError, OSError) as e:
            # Includes socket timeouts and resets: Slack may have the message.
            return Unknown(redact(f"{type(e).__name__}: {e}")[:300])
        return Sent(ts=str(resp.get("ts", "")))

    def find_sent(self, channel: str, alert_id: int, oldest: float, thread_ts: str | None = None) -> str | None:
        """Look for our metadata in the channel (or thread): Slack has no idempotency key."""
        from slack_sdk.errors import SlackApiError

        cursor = None
        for _page in range(5):
            try:
                if thread_ts:
                    resp = self.client.conversations_replies(channel=channel, ts=thread_ts, oldest=f"{oldest:.6f}",
                                                             include_all_metadata=True, limit=200, cursor=cursor)
                else:
                    resp = self.client.conversations_history(channel=channel, oldest=f"{oldest:.6f}",
                                                             include_all_metadata=True, limit=200, cursor=cursor)
            except (SlackApiError, TimeoutError, OSError) as e:
                raise LookupError(redact(str(e))[:200]) from None
            for msg in resp.get("messages", []) or []:
                meta = msg.get("metadata") or {}
                if meta.get("event_type") == EVENT_TYPE and \
                        str((meta.get("event_payload") or {}).get("alert_id")) == str(alert_id):
                    return str(msg.get("ts"))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return None


def _classify(status: int, data: Any, headers: Any) -> Outcome:
    error = (data or {}).get("error") if isinstance(data, dict) else None
    if status == 429 or error == "ratelimited":
        return Retry("rate limited (429)", after=_retry_after(headers or {}))
    if error in PERMANENT_ERRORS:
        return Permanent(f"Slack refused the message: {error}", auth=error in AUTH_ERRORS)
    if status >= 500:
        return Retry(f"Slack answered HTTP {status}")
    return Retry(f"Slack error: {error or 'HTTP ' + str(status)}")


class WebhookSender:
    mode = "webhook"
    can_thread = False
    can_reconcile = False

    def __init__(self, url: str, timeout: float, max_retry_after: float):
        from slack_sdk.webhook import WebhookClient

        self.client = WebhookClient(url, timeout=int(max(1, timeout)),
                                    retry_handlers=[CappedRateLimitHandler(max_retry_after)])

    def send(self, channel: str, message: Message, alert_id: int, thread_ts: str | None) -> Outcome:
        try:
            resp = self.client.send(text=message.text, blocks=list(message.blocks),
                                    unfurl_links=False, unfurl_media=False)
        except (TimeoutError, ConnectionError, OSError) as e:
            # A webhook cannot be reconciled: resending risks a duplicate, not resending risks a loss.
            # We prefer a duplicate to a lost breach alert.
            return Retry(redact(f"{type(e).__name__}: {e}")[:300])
        # WebhookClient.send() does not raise on 4xx/5xx/429.
        if resp.status_code == 200:
            return Sent(ts=f"webhook-{alert_id}")
        body = (resp.body or "").strip()
        if resp.status_code == 429:
            return Retry("rate limited (429)", after=_retry_after(resp.headers or {}))
        if resp.status_code >= 500:
            return Retry(f"webhook answered HTTP {resp.status_code}")
        if body in PERMANENT_ERRORS or resp.status_code in (400, 403, 404, 410):
            return Permanent(f"webhook refused the message: HTTP {resp.status_code} {redact(body)[:100]}",
                             auth=resp.status_code in (403, 404, 410))
        return Retry(f"webhook answered HTTP {resp.status_code}")

    def find_sent(self, channel: str, alert_id: int, oldest: float, thread_ts: str | None = None) -> str | None:
        return None


def sender_from_env(slack_timeout: float = 15.0, max_retry_after: float = 30.0) -> Sender:
    """SLACK_BOT_TOKEN (+ SLACK_API_URL), else SLACK_WEBHOOK_URL, else the console."""
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if token:
        return SlackSender(token, os.environ.get("SLACK_API_URL") or None, slack_timeout, max_retry_after)
    hook = os.environ.get("SLACK_WEBHOOK_URL", "").strip()
    if hook:
        return WebhookSender(hook, slack_timeout, max_retry_after)
    return ConsoleSender()
