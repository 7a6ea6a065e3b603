"""Slack messages and the three ways to send them (Web API, incoming webhook, console).

Everything that comes from a feed is hostile: it is escaped for mrkdwn (& < >)
before it is truncated, links are built only from http(s) URLs we percent-encode,
and link previews are off so Slack itself never fetches an attacker's URL.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import random
import re
import socket
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from ..criticality import CRITICALITIES
from ..redact import RedactingFilter, redact

log = logging.getLogger(__name__)

HEADER_MAX = 150
SECTION_MAX = 3000
FIELD_MAX = 2000
TEXT_MAX = 3000
MAX_BLOCKS = 50
RATE_LIMIT_RETRIES = 2  # 429s waited out in the call (each up to slack.max_retry_after) before giving up
# The longest error text an outcome keeps (a connection error, a proxy's refusal): what the operator
# reads in the run's output and in the "unavailable since ... (error)" line, cut in this one place.
ERROR_MAX = 300
EVENT_TYPE = "monitor_alert"
_ENTITY_TAIL = re.compile(r"&[a-z]{0,3}$")
_MENTION = re.compile(r"^<(@[UW][A-Z0-9]{2,}|!subteam\^[A-Z0-9]{2,}(\|[^<>&]{0,80})?|#C[A-Z0-9]{2,})>$")
PERMANENT_ERRORS = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "missing_scope",
    "invalid_blocks",
    "invalid_blocks_format",
    "msg_too_long",
    "msg_blocks_too_long",
    "no_text",
    "restricted_action",
    "ekm_access_denied",
    "invalid_arguments",
    "channel_is_archived",
    "action_prohibited",
    "invalid_payload",
    "no_service",
    "no_service_id",
    "no_team",
    "team_disabled",
    "invalid_token",
}
AUTH_ERRORS = {
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "token_expired",
    "account_inactive",
    "invalid_token",
    "no_service",
    "team_disabled",
}


def slack_logger() -> logging.Logger:
    """The logger handed to slack-sdk clients: theirs would log secrets unfiltered."""
    logger = logging.getLogger("monitor.slack")
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    if logger.level == logging.NOTSET:
        # slack-sdk tests `logger.level <= DEBUG` (the logger's own level, not the effective one) before
        # formatting each request and response in full, even when nothing would log them (445 posts:
        # 0.40 -> 0.34 s of sending). `monitor -vvv` sets DEBUG here to see them.
        logger.setLevel(logging.WARNING)
    return logger


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


URL_MAX = 1500


def link(url: str, label: str, limit: int = 500) -> str:
    """A link we build ourselves: the label escaped with any | removed; plain escaped text if unsafe.

    Over-long URLs are not linked either: a section cut at 3000 characters must never
    end inside `<url|label>`.
    """
    label_esc = truncate(escape(label.replace("|", "¦")), limit)
    target = safe_url(url)
    if target is None or len(target) > URL_MAX:
        return label_esc
    # Slack decodes &amp; everywhere in mrkdwn, inside <...> too: a bare & is left to its parser's mercy.
    return f"<{target.replace('&', '&amp;')}|{label_esc}>"


def shown_url(url: str, limit: int = 300) -> str:
    """A URL we will not link (javascript:, data:, too long), as escaped plain text for the analyst."""
    return truncate(escape("".join(ch if ch.isprintable() else "?" for ch in (url or "").strip())), limit)


def owner_mention(owner: str) -> str:
    """A vendors.csv owner: a real Slack mention passes through, anything else is plain text."""
    owner = owner.strip()
    return owner if _MENTION.match(owner) else escape(owner)


@dataclass(frozen=True, slots=True)
class Message:
    text: str  # the plain fallback, already escaped
    blocks: tuple[dict[str, Any], ...]
    console: str  # a readable rendering for the terminal
    broadcast: bool = False  # a thread reply also shown in the channel (reply_broadcast): it changes the picture


def section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_MAX)}}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, HEADER_MAX), "emoji": True}}


def context(mrkdwn: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_MAX)}]}


def fields(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": truncate(f"*{k}*\n{v}", FIELD_MAX)} for k, v in pairs[:10]],
    }


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
    """Not delivered, and we know it (429, connection refused): send again later."""

    error: str
    after: float | None = None  # seconds, from Retry-After
    rate_limited: bool = False


@dataclass(frozen=True, slots=True)
class Permanent:
    """Slack refused the message for a reason retrying cannot fix: the operator must act."""

    error: str
    auth: bool = False


@dataclass(frozen=True, slots=True)
class Unknown:
    """The request may have reached Slack (timeout, dropped connection, 5xx): reconcile before resending."""

    error: str


Outcome = Sent | Retry | Permanent | Unknown


class HistoryUnavailable(LookupError):
    """conversations.history could not be read. `permanent`: it never will be (missing scope, ...)."""

    def __init__(self, message: str, permanent: bool = False):
        self.permanent = permanent
        super().__init__(message)


def payload_hash(payload: str) -> str:
    """A short digest of an alert's stored payload, carried in its Slack metadata."""
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class AlertRef:
    """Who an alert is, as written into its Slack message metadata and looked for when reconciling.

    alert_id alone is not an identity: a second instance posting to the same channel, or a recreated
    database, reuses the same ids. `instance` is random per database; `payload_hash` also catches an
    id reused inside one database (SQLite reuses the highest rowid after a rollback or delete).
    """

    alert_id: int
    instance: str
    payload_hash: str
    # Machine-readable facts for whoever reads the channel (kind, incident_id, vendors with their role);
    # carried in the metadata but not part of the identity.
    about: tuple[tuple[str, Any], ...] = ()

    def metadata(self) -> dict[str, Any]:
        return {
            "event_type": EVENT_TYPE,
            "event_payload": {
                **dict(self.about),
                "alert_id": self.alert_id,
                "instance": self.instance,
                "payload_hash": self.payload_hash,
            },
        }

    def matches(self, meta: Any) -> bool:
        if not isinstance(meta, dict) or meta.get("event_type") != EVENT_TYPE:
            return False
        payload = meta.get("event_payload") or {}
        return (
            str(payload.get("alert_id")) == str(self.alert_id)
            and payload.get("instance") == self.instance
            and payload.get("payload_hash") == self.payload_hash
        )


@dataclass(frozen=True, slots=True)
class AuthCheck:
    """The answer to auth.test: `rejected` when Slack refused the token itself."""

    ok: bool
    detail: str
    rejected: bool = False


class Sender(Protocol):
    mode: str
    can_thread: bool
    can_reconcile: bool
    paced: bool  # posts to one channel are spaced by slack.min_interval (Slack's ~1/s); not the console
    needs_channel: bool  # the message names its channel (Web API); a webhook's channel is fixed
    destination: str  # whose outage this is: the backoff after a failure belongs to it, not to each alert

    def send(self, channel: str, message: Message, ref: AlertRef, thread_ts: str | None) -> Outcome: ...

    def find_sent(self, channel: str, ref: AlertRef, oldest: float, thread_ts: str | None = None) -> str | None: ...


class ConsoleSender:
    mode = "console"
    can_thread = False
    can_reconcile = False
    paced = False  # a terminal has no rate limit: 40 alerts must not take 40 s
    needs_channel = False
    destination = "console"

    def __init__(self, stream: Any = None):
        self.stream = stream or sys.stdout

    def send(self, channel: str, message: Message, ref: AlertRef, thread_ts: str | None) -> Outcome:
        print(message.console, file=self.stream, flush=True)
        return Sent(ts=f"console-{ref.alert_id}")

    def find_sent(self, channel: str, ref: AlertRef, oldest: float, thread_ts: str | None = None) -> str | None:
        return None


class CappedRateLimitHandler:
    """RateLimitErrorRetryHandler sleeps for any Retry-After (an hour, a day); this one refuses waits over
    `cap`, so the alert stays pending for the next cycle instead of blocking the run."""

    def __new__(cls, cap: float, max_retry_count: int = RATE_LIMIT_RETRIES) -> Any:
        from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

        class _Handler(RateLimitErrorRetryHandler):
            def _can_retry(self, *, state, request, response=None, error=None) -> bool:  # type: ignore[no-untyped-def]  # slack-sdk's signature, untyped there
                if response is None or response.status_code != 429:
                    return False
                return retry_after(response.headers) <= cap

            def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:  # type: ignore[no-untyped-def]  # as above
                if response is None:
                    raise error
                state.next_attempt_requested = True
                time.sleep(min(cap, retry_after(response.headers)) + random.random() * 0.2)
                state.increment_current_attempt()

        return _Handler(max_retry_count=max_retry_count)


def rate_limit(who: str, after: float, cap: float | None) -> Retry:
    """A 429 the client gave up on, and why: its Retry-After is over `cap` (slack.max_retry_after), or it
    was waited out RATE_LIMIT_RETRIES times and still refused (`cap` None: this client waits for none)."""
    if cap is None:
        why = f"Retry-After {after:.0f}s"
    elif after > cap:
        why = f"Retry-After {after:.0f}s is over slack.max_retry_after"
    else:
        why = f"still refused after waiting out Retry-After {after:.0f}s {RATE_LIMIT_RETRIES} times"
    return Retry(f"{who} rate limit ({why})", after=after, rate_limited=True)


def retry_after(headers: Any) -> float:
    """Retry-After in seconds (slack-sdk hands headers over as str or [str]); 1 when absent or unreadable."""
    for k, v in dict(headers or {}).items():
        if k.lower() == "retry-after":
            v = v[0] if isinstance(v, list) else v
            try:
                return max(0.0, float(v))
            except (TypeError, ValueError):
                return 1.0
    return 1.0


def _not_sent(error: BaseException) -> bool:
    """Errors that prove the request never reached Slack: nothing to reconcile."""
    reason = getattr(error, "reason", error)  # urllib wraps connect errors in URLError
    if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
        return True
    # A proxy that refused CONNECT (http.client's words): the request never left for Slack.
    return type(reason) is OSError and str(reason).startswith("Tunnel connection failed")


class SlackSender:
    mode = "slack"
    can_thread = True
    can_reconcile = True
    paced = True
    needs_channel = True

    def __init__(self, token: str, base_url: str | None, timeout: float, max_retry_after: float):
        kwargs: dict[str, Any] = {
            "token": token,
            "timeout": int(max(1, timeout)),
            "logger": slack_logger(),
        }
        if base_url:
            kwargs["base_url"] = base_url if base_url.endswith("/") else base_url + "/"
        self._kwargs = kwargs
        self._client: Any = None
        self.max_retry_after = max_retry_after
        # Set by the daemon while Socket Mode listens: adds the triage buttons to each alert as it is sent.
        self.decorate: Callable[[Message, AlertRef], Message] | None = None
        # The workspace's API host, without userinfo or path: stored in the database, so never the token.
        api = urlsplit(base_url or "https://slack.com/api/")
        self.destination = f"slack:{api.hostname or ''}{f':{api.port}' if api.port else ''}"

    @property
    def client(self) -> Any:
        """The slack_sdk WebClient, made on first use: a cycle with nothing to send never imports slack_sdk
        (a tenth of a second of every unchanged re-poll)."""
        if self._client is None:
            from slack_sdk import WebClient

            # Not the default ConnectionErrorRetryHandler: it re-POSTs after Slack
            # may already have the message, which doubles the alert.
            handlers = [CappedRateLimitHandler(self.max_retry_after)]
            self._client = WebClient(**self._kwargs, retry_handlers=handlers)
        return self._client

    @client.setter
    def client(self, client: Any) -> None:
        self._client = client

    def send(self, channel: str, message: Message, ref: AlertRef, thread_ts: str | None) -> Outcome:
        if self.decorate is not None:
            message = dataclasses.replace(self.decorate(message, ref), broadcast=message.broadcast)
        return self._post(channel, message, thread_ts, ref.metadata())

    def post_sample(self, channel: str, message: Message) -> Outcome:
        """`monitor slack test --post`: no alert metadata, so reconciliation never mistakes it for an alert."""
        return self._post(channel, message, None, None)

    def check_auth(self) -> AuthCheck:
        """auth.test: is the token accepted, and for which workspace and bot user."""
        from slack_sdk.errors import SlackApiError

        try:
            resp = self.client.auth_test()
        except SlackApiError as e:
            data = e.response.data if isinstance(e.response.data, dict) else {}
            error = redact(str(data.get("error") or f"HTTP {e.response.status_code}"))[:200]
            return AuthCheck(
                False,
                f"Slack refused the token: {error}" if error in AUTH_ERRORS else f"auth.test failed: {error}",
                rejected=error in AUTH_ERRORS,
            )
        except OSError as e:
            return AuthCheck(False, "Slack could not be reached: " + redact(f"{type(e).__name__}: {e}")[:200])
        team, user = resp.get("team") or resp.get("team_id") or "?", resp.get("user") or resp.get("user_id") or "?"
        return AuthCheck(True, f"token accepted: workspace {team}, bot user {user}")

    def _post(self, channel: str, message: Message, thread_ts: str | None, metadata: dict[str, Any] | None) -> Outcome:
        from slack_sdk.errors import SlackApiError

        args: dict[str, Any] = {
            "channel": channel,
            "text": message.text,
            "blocks": list(message.blocks),
            "unfurl_links": False,
            "unfurl_media": False,
            "link_names": False,
        }
        if metadata:
            args["metadata"] = metadata
        if thread_ts:
            args["thread_ts"] = thread_ts
            if message.broadcast:
                args["reply_broadcast"] = True
        try:
            resp = self.client.chat_postMessage(**args)
        except SlackApiError as e:
            return _classify(e.response.status_code, e.response.data, e.response.headers, self.max_retry_after)
        except OSError as e:
            # TimeoutError (not SlackApiError!), resets, RemoteDisconnected: Slack may have the message.
            detail = redact(f"{type(e).__name__}: {e}")[:ERROR_MAX]
            return Retry(detail) if _not_sent(e) else Unknown(detail)
        return Sent(ts=str(resp.get("ts", "")))

    def find_sent(self, channel: str, ref: AlertRef, oldest: float, thread_ts: str | None = None) -> str | None:
        """Look for our metadata in the channel (or thread): Slack has no idempotency key.

        All of alert id, instance and payload hash must match: another instance's alert 7 in the same
        channel, or this database's previous life, is not ours."""
        from slack_sdk.errors import SlackApiError

        cursor = None
        for _page in range(10):
            try:
                if thread_ts:
                    resp = self.client.conversations_replies(
                        channel=channel,
                        ts=thread_ts,
                        oldest=f"{oldest:.6f}",
                        include_all_metadata=True,
                        limit=200,
                        cursor=cursor,
                    )
                else:
                    resp = self.client.conversations_history(
                        channel=channel, oldest=f"{oldest:.6f}", include_all_metadata=True, limit=200, cursor=cursor
                    )
            except SlackApiError as e:
                error = (e.response.data or {}).get("error") if isinstance(e.response.data, dict) else None
                raise HistoryUnavailable(
                    f"{error or 'HTTP ' + str(e.response.status_code)}", permanent=error in PERMANENT_ERRORS
                ) from e
            except OSError as e:
                raise HistoryUnavailable(redact(f"{type(e).__name__}: {e}")[:200]) from e
            msg: dict[str, Any]
            for msg in resp.get("messages", []) or []:
                if ref.matches(msg.get("metadata")):
                    return str(msg.get("ts"))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        return None


def _classify(status: int, data: Any, headers: Any, max_retry_after: float) -> Outcome:
    """An answer from chat.postMessage that slack-sdk turned into SlackApiError (after the capped handler
    waited out what 429s it could: only a 429 is, not a `ratelimited` in another answer)."""
    error = (data or {}).get("error") if isinstance(data, dict) else None
    error = redact(str(error))[:200] if error else None
    if error and error.startswith("Received a response in a non-JSON format"):
        # Something between us and Slack answered (a proxy, a captive portal): whether Slack got it is unknown.
        return Unknown(f"HTTP {status}: not a Slack answer")
    if status == 429 or error == "ratelimited":
        return rate_limit("Slack", retry_after(headers), max_retry_after if status == 429 else None)
    if error in PERMANENT_ERRORS:
        return Permanent(f"Slack refused the message: {error}", auth=error in AUTH_ERRORS)
    if status >= 500 or error in ("fatal_error", "internal_error", "request_timeout", "service_unavailable"):
        # "It's possible some aspect of the operation succeeded before the error was raised" (fatal_error).
        return Unknown(f"Slack answered HTTP {status}" + (f" ({error})" if error else ""))
    return Retry(f"Slack error: {error or 'HTTP ' + str(status)}")


class WebhookSender:
    mode = "webhook"
    can_thread = False
    can_reconcile = False
    paced = True
    needs_channel = False
    destination = "webhook"  # the URL is the secret: it is not stored

    def __init__(self, url: str, timeout: float, max_retry_after: float):
        from slack_sdk.webhook import WebhookClient

        self.max_retry_after = max_retry_after
        self.client = WebhookClient(
            url,
            timeout=int(max(1, timeout)),
            logger=slack_logger(),
            retry_handlers=[CappedRateLimitHandler(max_retry_after)],
        )

    def send(self, channel: str, message: Message, ref: AlertRef, thread_ts: str | None) -> Outcome:
        return self._post(message, f"webhook-{ref.alert_id}")

    def post_sample(self, channel: str, message: Message) -> Outcome:
        return self._post(message, "webhook-test")

    def _post(self, message: Message, ts: str) -> Outcome:
        try:
            resp = self.client.send(
                text=message.text, blocks=list(message.blocks), unfurl_links=False, unfurl_media=False
            )
        except OSError as e:
            # A webhook cannot be reconciled: resending risks a duplicate, not resending risks a loss.
            # We prefer a duplicate to a lost breach alert.
            return Retry(redact(f"{type(e).__name__}: {e}")[:ERROR_MAX])
        # WebhookClient.send() does not raise on 4xx/5xx/429: the status code is the only signal.
        if resp.status_code == 200:
            return Sent(ts=ts)
        body = redact((resp.body or "").strip())[:100]
        if resp.status_code == 429:
            return rate_limit("Slack", retry_after(resp.headers), self.max_retry_after)
        if resp.status_code >= 500:
            return Retry(f"webhook answered HTTP {resp.status_code}")
        if body in PERMANENT_ERRORS or resp.status_code in (400, 403, 404, 410):
            # A revoked or deleted webhook refuses every alert; a 404 channel_not_found is this message's.
            return Permanent(
                f"webhook refused the message: HTTP {resp.status_code} {body}".strip(),
                auth=body in AUTH_ERRORS or resp.status_code in (403, 410),
            )
        return Retry(f"webhook answered HTTP {resp.status_code}")

    def find_sent(self, channel: str, ref: AlertRef, oldest: float, thread_ts: str | None = None) -> str | None:
        return None


def slack_settings_problems(slack: Any, config_name: str, mode: str, env_channel: str) -> list[str]:
    """What in the Slack settings would send an alert to no channel (Slack refuses channel "").

    Source-health alerts always go to the default channel, so routes alone are not enough; with a
    bot token, some channel must be set. A webhook's channel is fixed by the webhook.
    """
    problems = []
    named = [("slack.channel", slack.channel), *((f"slack.routes.{k}", v) for k, v in slack.routes.items())]
    for key, value in named:
        if value is not None and not value.strip():
            problems.append(f"{config_name}: {key}: empty channel name")
    if (slack.channel or "").strip() or env_channel.strip():
        return problems
    if mode != "webhook" and any((v or "").strip() for v in slack.routes.values()):
        unrouted = [c for c in CRITICALITIES if not (slack.routes.get(c) or "").strip()]
        lacking = f"{', '.join(unrouted)} vendors' alerts and " if unrouted else ""
        problems.append(
            f"{config_name}: slack.channel: missing: {lacking}source-health alerts go to the default "
            "channel; set slack.channel or SLACK_CHANNEL"
        )
    elif mode == "slack":
        problems.append(f"SLACK_BOT_TOKEN is set but no channel: set slack.channel in {config_name} or SLACK_CHANNEL")
    return problems


def sender_mode() -> str:
    """Which sender the environment selects, without building it."""
    if os.environ.get("SLACK_BOT_TOKEN", "").strip():
        return "slack"
    return "webhook" if os.environ.get("SLACK_WEBHOOK_URL", "").strip() else "console"


def sender_from_env(slack_timeout: float = 15.0, max_retry_after: float = 30.0) -> Sender:
    """SLACK_BOT_TOKEN (+ SLACK_API_URL), else SLACK_WEBHOOK_URL, else the console."""
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if token:
        return SlackSender(token, os.environ.get("SLACK_API_URL") or None, slack_timeout, max_retry_after)
    hook = os.environ.get("SLACK_WEBHOOK_URL", "").strip()
    if hook:
        return WebhookSender(hook, slack_timeout, max_retry_after)
    return ConsoleSender()


# ---------------------------------------------------------------------- triage read-back (reactions)


def _api_error(e: Any) -> tuple[str, bool]:
    """(what Slack said, whether it is permanent) from a SlackApiError; a missing scope names the scope."""
    data = e.response.data if isinstance(e.response.data, dict) else {}
    error = str(data.get("error") or f"HTTP {e.response.status_code}")
    if error == "missing_scope" and data.get("needed"):
        return redact(f"missing_scope: the token lacks {data.get('needed')}")[:200], True
    return redact(error)[:200], error in PERMANENT_ERRORS


def read_messages(
    client: Any, channel: str, oldest: float, thread_ts: str | None = None, max_pages: int = 10
) -> list[dict[str, Any]]:
    """A channel's top-level messages since `oldest` (conversations.history), or one thread's messages
    (conversations.replies), with metadata and reactions: one call per page of 200. Raises
    HistoryUnavailable (permanent for a missing scope or a channel the bot is not in)."""
    from slack_sdk.errors import SlackApiError

    out: list[dict[str, Any]] = []
    cursor = None
    for _page in range(max_pages):
        try:
            if thread_ts:
                resp = client.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=200, cursor=cursor
                )
            else:
                resp = client.conversations_history(
                    channel=channel, oldest=f"{oldest:.6f}", include_all_metadata=True, limit=200, cursor=cursor
                )
        except SlackApiError as e:
            error, permanent = _api_error(e)
            raise HistoryUnavailable(error, permanent=permanent) from e
        except OSError as e:
            raise HistoryUnavailable(redact(f"{type(e).__name__}: {e}")[:200]) from e
        out.extend(m for m in resp.get("messages", []) or [] if isinstance(m, dict))
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return out


def update_message(client: Any, channel: str, ts: str, message: Message, metadata: dict[str, Any] | None) -> str | None:
    """chat.update of one of our messages (its metadata kept); None when done, else what Slack said."""
    from slack_sdk.errors import SlackApiError

    args: dict[str, Any] = {"channel": channel, "ts": ts, "text": message.text, "blocks": list(message.blocks)}
    if metadata:
        args["metadata"] = metadata
    try:
        client.chat_update(**args)
    except SlackApiError as e:
        return _api_error(e)[0]
    except OSError as e:
        return redact(f"{type(e).__name__}: {e}")[:200]
    return None
