"""A Slack Web API stand-in on 127.0.0.1, reached through SLACK_API_URL (WebClient base_url).

It refuses what Slack refuses, so a test cannot pass against it with a request Slack would reject:

- auth: no token -> `not_authed`; a token it does not know -> `invalid_auth` (HTTP 200, ok:false, as
  Slack answers). Known tokens: `tokens` (bot, default DEFAULT_TOKEN) and `app_tokens` (xapp-, only
  for apps.connections.open; a bot token there gets `not_allowed_token_type`).
- channels: only registered ones exist (`channels`: id -> name; `add_channel()`); the defaults are
  the ids the suite's feeds.yaml files use. An unknown, empty or missing channel -> `channel_not_found`.
  chat.postMessage also takes `#name`; the stored message carries the channel id, as Slack returns.
- Block Kit: more than 50 blocks, section text over 3,000 characters, header text over 150, more than
  10 section fields or one over 2,000, an unknown block type or text type -> `invalid_blocks` with
  Slack's `errors` and `response_metadata.messages` (json-pointer form). No text and no blocks ->
  `no_text`; text over 40,000 characters -> `msg_too_long`.
- scopes: each method needs the scope in `needed` (method -> scope); `scopes` is what the token was
  granted. A missing one -> `missing_scope` with `needed` and `provided`, as Slack answers.
  `revoke(scope)` takes one away.
- chat.postMessage stores ts (wall-clock based and unique, like Slack's), thread_ts and metadata.
  A thread_ts naming no message in the channel posts to the channel, as Slack does. A reply with
  `reply_broadcast` is also in conversations.history (subtype `thread_broadcast`, `root`).
- conversations.history: newest first, top-level messages only; `limit` (default 100), `cursor`,
  `has_more`, `response_metadata.next_cursor`; `oldest`/`latest` exclusive unless `inclusive`;
  `metadata` only with `include_all_metadata`. conversations.replies: the parent first on every page
  (Slack repeats it), then the replies oldest first; unknown ts -> `thread_not_found`.
- reactions.add / remove / get, and `reactions` (name, users, count) on messages in history/replies;
  chat.update (only the bot's own messages: `cant_update_message`); auth.test;
  apps.connections.open returns a ws:// URL on 127.0.0.1 (nothing listens for the websocket).
- an unknown method -> `unknown_method`.
- rate limits: Web API tier 3 for conversations.history and conversations.replies (Slack: "50+ per
  minute", per method, per app and workspace): `rate_limits` (method -> calls a minute, default 50
  each), counted over a sliding 60 s window of accepted calls; one over -> HTTP 429
  `{"ok":false,"error":"ratelimited"}` with Retry-After (whole seconds until a call leaves the
  window), nothing answered; `ratelimited` lists the methods refused so. `rate_limits = {}` turns it
  off; `clock` (default time.monotonic) is what the window is measured on: a test that moves
  monitor's clock forward moves this one with it. `wall` (default time.time) is Slack's own clock, the
  one a new message's ts is read from: a test sets it behind or ahead of monitor's.

Scripted faults, consumed one per call (after them, the method behaves as above):
  `plan`          chat.postMessage and the webhook (`default` when empty)
  `history_plan`  conversations.history / conversations.replies
  `script(method, *actions)` any other method
Actions:
  "ok"                      behave normally
  ("status", 500)           answer HTTP 500 without recording
  ("ratelimit", seconds)    answer 429 {"ok":false,"error":"ratelimited"} with Retry-After
  ("error", "channel_not_found")  HTTP 200, ok:false (missing_scope gets needed/provided)
  "drop_after_record"       record the message, then close the socket without answering
  ("slow_after_record", s)  record, then sleep s seconds before answering (client timeout)
  "refuse"                  close the socket without reading or recording
  ("raw", 502, b"<html>")   answer that status with a non-JSON body (a proxy in front of Slack)

`rejected_tokens` makes every method answer invalid_auth for those tokens (a revoked token);
`history_default` is what history answers once `history_plan` is used up (e.g. ("status", 503) for
an outage that takes the whole API down).

`go_down()` closes the listening socket (connection refused, a full outage) and `come_back()` listens
again on the same port. The incoming webhook lives at `webhook_url` and posts to `webhook_channel`;
another /webhook path -> 404 `no_service`.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

DEFAULT_TOKEN = "xoxb-test-000-secret"
DEFAULT_APP_TOKEN = "xapp-1-test-000-secret"
DEFAULT_CHANNELS = {"C0GENERAL": "general", "C0INCIDENT": "incident", "C0VENDORRISK": "vendor-risk"}
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
NEEDED = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "conversations.history": "channels:history",
    "conversations.replies": "channels:history",
    "reactions.add": "reactions:write",
    "reactions.remove": "reactions:write",
    "reactions.get": "reactions:read",
    "apps.connections.open": "connections:write",
}
# Slack's Web API tier 3 ("50+ per minute"): the methods the triage read-back calls once per channel/thread.
RATE_LIMITS = {"conversations.history": 50, "conversations.replies": 50}
RATE_WINDOW = 60.0
BOT_SCOPES = {"chat:write", "channels:history", "groups:history", "reactions:write", "reactions:read"}
APP_SCOPES = {"connections:write"}

MAX_BLOCKS = 50
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
FIELDS_MAX = 10
FIELD_TEXT_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
BLOCK_ID_MAX = 255
TEXT_MAX = 40000
BLOCK_TYPES = {
    "section",
    "header",
    "context",
    "divider",
    "actions",
    "image",
    "rich_text",
    "markdown",
    "input",
    "file",
    "video",
}
_REACTION = re.compile(r"[a-z0-9_+'-]+(::skin-tone-[2-6])?")


def block_errors(blocks: Any) -> list[str]:
    """Block Kit's limits, worded as Slack words them (`errors` of an invalid_blocks answer)."""
    if not isinstance(blocks, list):
        return ["expected an array [json-pointer:/blocks]"]
    errors: list[str] = []
    if len(blocks) > MAX_BLOCKS:
        errors.append(f"no more than {MAX_BLOCKS} items allowed [json-pointer:/blocks]")

    def text_obj(obj: Any, where: str, limit: int, types: tuple[str, ...] = ("plain_text", "mrkdwn")) -> None:
        if not isinstance(obj, dict) or obj.get("type") not in types or not isinstance(obj.get("text"), str):
            errors.append(f"must be a text object of type {' or '.join(types)} [json-pointer:{where}]")
            return
        if not obj["text"]:
            errors.append(f"must be more than 0 characters [json-pointer:{where}/text]")
        elif len(obj["text"]) > limit:
            errors.append(f"must be less than {limit + 1} characters [json-pointer:{where}/text]")

    for i, block in enumerate(blocks):
        at = f"/blocks/{i}"
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            errors.append(
                f"unsupported type: {block.get('type') if isinstance(block, dict) else block!r} "
                f"[json-pointer:{at}/type]"
            )
            continue
        if len(str(block.get("block_id", ""))) > BLOCK_ID_MAX:
            errors.append(f"must be less than {BLOCK_ID_MAX + 1} characters [json-pointer:{at}/block_id]")
        kind = block["type"]
        if kind == "section":
            if "text" not in block and "fields" not in block:
                errors.append(f"must provide either text or fields [json-pointer:{at}]")
            if "text" in block:
                text_obj(block["text"], f"{at}/text", SECTION_TEXT_MAX)
            fields = block.get("fields", [])
            if not isinstance(fields, list) or len(fields) > FIELDS_MAX:
                errors.append(f"no more than {FIELDS_MAX} items allowed [json-pointer:{at}/fields]")
            else:
                for j, field in enumerate(fields):
                    text_obj(field, f"{at}/fields/{j}", FIELD_TEXT_MAX)
        elif kind == "header":
            text_obj(block.get("text"), f"{at}/text", HEADER_TEXT_MAX, ("plain_text",))
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements or len(elements) > CONTEXT_ELEMENTS_MAX:
                errors.append(f"must have 1 to {CONTEXT_ELEMENTS_MAX} items [json-pointer:{at}/elements]")
            else:
                for j, el in enumerate(elements):
                    if isinstance(el, dict) and el.get("type") == "image":
                        continue
                    text_obj(el, f"{at}/elements/{j}", SECTION_TEXT_MAX)
    return errors


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _ts(value: Any) -> Decimal | None:
    """Slack ts strings compared exactly: floats lose the last microsecond digit."""
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _cursor(ts: str) -> str:
    return base64.b64encode(f"next_ts:{ts}".encode()).decode()


def _uncursor(cursor: str) -> Decimal | None:
    try:
        kind, _, ts = base64.b64decode(cursor, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return _ts(ts) if kind == "next_ts" else None


class SlackError(Exception):
    """An ok:false answer: `error` plus any extra fields Slack sends with it."""

    def __init__(self, error: str, **extra: Any):
        super().__init__(error)
        self.body = {"ok": False, "error": error, **extra}


class SlackStandIn:
    def __init__(self, channels: dict[str, str] | None = None, tokens: set[str] | None = None) -> None:
        self.messages: list[dict[str, Any]] = []  # every accepted message: payload + ts + channel id
        self.requests: list[tuple[str, dict[str, Any]]] = []  # (path, payload) of every call, token removed
        self.plan: list[Any] = []
        self.default: Any = "ok"
        self.history_plan: list[Any] = []
        self.scripts: dict[str, list[Any]] = {}
        self.history_default: Any = "ok"  # what history/replies answer once history_plan is used up
        self.rejected_tokens: set[str] = set()  # tokens every method answers invalid_auth (revoked)
        self.arrivals: list[tuple[str, float]] = []  # (channel, time.monotonic()) of every post attempt
        self.channels: dict[str, str] = dict(DEFAULT_CHANNELS if channels is None else channels)
        self.tokens: set[str] = {DEFAULT_TOKEN} if tokens is None else set(tokens)
        self.app_tokens: set[str] = {DEFAULT_APP_TOKEN}
        self.socket_url: str | None = None  # what apps.connections.open returns, when a test listens itself
        self.scopes: set[str] = set(BOT_SCOPES)
        self.needed: dict[str, str] = dict(NEEDED)
        self.rate_limits: dict[str, int] = dict(RATE_LIMITS)
        self._recent: dict[str, deque[float]] = {}  # method -> clock() of calls in the window
        self.ratelimited: list[str] = []  # the methods answered 429, one entry per refusal
        self.clock: Callable[[], float] = time.monotonic
        self.wall: Callable[[], float] = time.time  # Slack's own clock, read for each new message's ts
        self.webhook_channel = "C0GENERAL"
        self.lock = threading.Lock()
        self._us = 0
        self._info: dict[str, dict[str, Any]] = {}  # ts -> user, parent, reactions, edited
        self._port = 0
        self.down = False
        self._listen()

    # ------------------------------------------------------------------ set-up used by tests

    def add_channel(self, channel_id: str, name: str | None = None) -> None:
        self.channels[channel_id] = name or channel_id.lower()

    def revoke(self, scope: str) -> None:
        self.scopes.discard(scope)

    def script(self, method: str, *actions: Any) -> None:
        with self.lock:
            self.scripts.setdefault(method, []).extend(actions)

    def post_as_user(self, channel: str, text: str, user: str = "U0HUMAN", thread_ts: str | None = None) -> str:
        """A message a person wrote (the bot can read and react to it, not edit it)."""
        payload: dict[str, Any] = {"channel": channel, "text": text}
        if thread_ts:
            payload["thread_ts"] = thread_ts
        return self._record(payload, channel, user)

    def _listen(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", self._port), self._handler())
        self.server.daemon_threads = True
        self._port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def go_down(self) -> None:
        """A full outage: nothing listens on the port any more (connection refused)."""
        self.server.shutdown()
        self.server.server_close()
        self.down = True

    def come_back(self) -> None:
        self._listen()
        self.down = False

    def posted_ids(self) -> list[int]:
        """Alert ids (from message metadata) of every accepted chat.postMessage, in order."""
        return [int(m["metadata"]["event_payload"]["alert_id"]) for m in self.messages if m.get("metadata")]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/webhook/T000/B000/XXXX"

    def close(self) -> None:
        if not self.down:
            self.server.shutdown()
            self.server.server_close()

    def posts(self) -> list[tuple[str, dict[str, Any]]]:
        return [p for p in self.requests if p[0].endswith(("chat.postMessage",)) or "/webhook" in p[0]]

    def next_action(self) -> Any:
        with self.lock:
            return self.plan.pop(0) if self.plan else self.default

    def next_history_action(self) -> Any:
        with self.lock:
            return self.history_plan.pop(0) if self.history_plan else self.history_default

    def token_rejected(self, headers: Any) -> bool:
        """A bearer token in `rejected_tokens`: Slack answers invalid_auth, whatever the method."""
        auth = headers.get("Authorization") or ""
        return auth.startswith("Bearer ") and auth[len("Bearer ") :] in self.rejected_tokens

    def _next_scripted(self, method: str) -> Any:
        if method == "chat.postMessage":
            return self.next_action()
        if method in ("conversations.history", "conversations.replies"):
            return self.next_history_action()
        with self.lock:
            queue = self.scripts.get(method) or []
            return queue.pop(0) if queue else "ok"

    # ------------------------------------------------------------------ state

    def _channel_id(self, channel: Any, names: bool = False) -> str:
        channel = str(channel or "").strip()
        if channel in self.channels:
            return channel
        if names:
            by_name = {n: c for c, n in self.channels.items()}
            if channel.lstrip("#") in by_name:
                return by_name[channel.lstrip("#")]
        raise SlackError("channel_not_found")

    def _record(self, payload: dict[str, Any], channel: str, user: str = BOT_USER) -> str:
        with self.lock:
            self._us = max(int(self.wall() * 1_000_000), self._us + 1)
            ts = f"{self._us // 1_000_000}.{self._us % 1_000_000:06d}"
            parent = payload.get("thread_ts")
            # Slack posts a reply whose parent does not exist in the channel as a top-level message.
            parent = (
                parent if parent and any(m["ts"] == parent and m["channel"] == channel for m in self.messages) else None
            )
            if parent and self._info[parent]["parent"]:
                parent = self._info[parent]["parent"]  # a reply to a reply joins the same thread
            self._info[ts] = {
                "user": user,
                "parent": parent,
                "reactions": {},
                "edited": None,
                "broadcast": bool(parent) and _flag(payload.get("reply_broadcast")),
            }
            self.messages.append({**payload, "channel": channel, "ts": ts})
            return ts

    def _find(self, channel: str, ts: Any) -> dict[str, Any]:
        for m in self.messages:
            if m["channel"] == channel and m["ts"] == str(ts):
                return m
        raise SlackError("message_not_found")

    def _replies_by_parent(self) -> dict[str, list[dict[str, Any]]]:
        """Every thread's replies, oldest first, by the parent's ts (caller holds the lock)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self.messages:
            parent = self._info[r["ts"]]["parent"]
            if parent:
                out.setdefault(parent, []).append(r)
        return out

    def _view(
        self, m: dict[str, Any], with_metadata: bool, replies_by_parent: dict[str, list[dict[str, Any]]] | None = None
    ) -> dict[str, Any]:
        """A stored message as Slack returns it in history/replies (caller holds the lock).

        replies_by_parent: _replies_by_parent(), built once for a page of messages (a bench channel of
        thousands of messages made each page cost a scan of all of them per message)."""
        info = self._info[m["ts"]]
        out: dict[str, Any] = {"type": "message", "user": info["user"], "text": m.get("text", ""), "ts": m["ts"]}
        if info["user"] == BOT_USER:
            out["bot_id"] = BOT_ID
        if m.get("blocks"):
            out["blocks"] = m["blocks"]
        if replies_by_parent is None:
            replies_by_parent = self._replies_by_parent()
        replies = replies_by_parent.get(m["ts"], [])
        if info["parent"]:
            out["thread_ts"] = info["parent"]
            if info.get("broadcast"):  # a reply also sent to the channel
                out.update(subtype="thread_broadcast", root={"ts": info["parent"]})
            out["parent_user_id"] = self._info[info["parent"]]["user"]
        elif replies:
            out.update(
                thread_ts=m["ts"],
                reply_count=len(replies),
                latest_reply=replies[-1]["ts"],
                reply_users=sorted({self._info[r["ts"]]["user"] for r in replies}),
            )
        if info["edited"]:
            out["edited"] = info["edited"]
        if info["reactions"]:
            out["reactions"] = [{"name": n, "users": list(u), "count": len(u)} for n, u in info["reactions"].items()]
        if with_metadata and m.get("metadata"):
            out["metadata"] = m["metadata"]
        return out

    # ------------------------------------------------------------------ methods

    def _validate_message(self, payload: dict[str, Any]) -> None:
        blocks = payload.get("blocks")
        if isinstance(blocks, str):
            try:
                blocks = payload["blocks"] = json.loads(blocks)
            except ValueError:
                raise SlackError("invalid_blocks_format") from None
        if blocks is not None:
            errors = block_errors(blocks)
            if errors:
                raise SlackError(
                    "invalid_blocks", errors=errors, response_metadata={"messages": [f"[ERROR] {e}" for e in errors]}
                )
        text = payload.get("text")
        if not text and not blocks:
            raise SlackError("no_text")
        if text and len(str(text)) > TEXT_MAX:
            raise SlackError("msg_too_long")
        metadata = payload.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = payload["metadata"] = json.loads(metadata)
            except ValueError:
                raise SlackError("invalid_metadata_format") from None
        if metadata is not None and (
            not isinstance(metadata, dict)
            or not metadata.get("event_type")
            or not isinstance(metadata.get("event_payload", {}), dict)
        ):
            raise SlackError("invalid_metadata_format")

    def _post_checks(self, payload: dict[str, Any]) -> str:
        channel = self._channel_id(payload.get("channel"), names=True)
        self._validate_message(payload)
        return channel

    def _history(self, payload: dict[str, Any], replies: bool) -> dict[str, Any]:
        channel = self._channel_id(payload.get("channel"))
        inclusive = _flag(payload.get("inclusive"))
        oldest, latest = _ts(payload.get("oldest")), _ts(payload.get("latest"))
        with_metadata = _flag(payload.get("include_all_metadata"))
        try:
            limit = int(payload.get("limit") or (1000 if replies else 100))
        except ValueError:
            raise SlackError("invalid_limit") from None
        limit = max(1, min(limit, 999 if not replies else 1000))
        start = None
        if payload.get("cursor"):
            start = _uncursor(str(payload["cursor"]))
            if start is None:
                raise SlackError("invalid_cursor")

        def in_range(ts: Decimal) -> bool:
            above = oldest is None or (ts >= oldest if inclusive else ts > oldest)
            below = latest is None or (ts <= latest if inclusive else ts < latest)
            return above and below

        with self.lock:
            mine = [m for m in self.messages if m["channel"] == channel]
            head: list[dict[str, Any]] = []
            if replies:
                try:
                    parent = next(m for m in mine if m["ts"] == str(payload.get("ts")))
                except StopIteration:
                    raise SlackError("thread_not_found") from None
                root = self._info[parent["ts"]]["parent"] or parent["ts"]
                head = [next(m for m in mine if m["ts"] == root)]
                pool = [m for m in mine if self._info[m["ts"]]["parent"] == root]  # oldest first
                if start is not None:
                    pool = [m for m in pool if Decimal(m["ts"]) >= start]
            else:
                # newest first; a reply sent with reply_broadcast is in the channel's history too
                pool = [
                    m
                    for m in reversed(mine)
                    if not self._info[m["ts"]]["parent"] or self._info[m["ts"]].get("broadcast")
                ]
                if start is not None:
                    pool = [m for m in pool if Decimal(m["ts"]) <= start]
            pool = [m for m in pool if in_range(Decimal(m["ts"]))]
            page, rest = pool[:limit], pool[limit:]
            children = self._replies_by_parent()
            body: dict[str, Any] = {
                "ok": True,
                "messages": [self._view(m, with_metadata, children) for m in head + page],
                "has_more": bool(rest),
            }
        if rest:
            body["response_metadata"] = {"next_cursor": _cursor(rest[0]["ts"])}
        return body

    def _react(self, method: str, payload: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(payload.get("channel"))
        with self.lock:
            m = self._find(channel, payload.get("timestamp"))
            reactions = self._info[m["ts"]]["reactions"]
            if method == "reactions.get":
                body = {"ok": True, "type": "message", "channel": channel, "message": self._view(m, False)}
                return body
            name = str(payload.get("name") or "").strip(":")
            if not _REACTION.fullmatch(name):
                raise SlackError("invalid_name")
            users = reactions.setdefault(name, [])
            if method == "reactions.add":
                if BOT_USER in users:
                    raise SlackError("already_reacted")
                users.append(BOT_USER)
            else:
                if BOT_USER not in users:
                    if not users:
                        del reactions[name]
                    raise SlackError("no_reaction")
                users.remove(BOT_USER)
                if not users:
                    del reactions[name]
        return {"ok": True}

    def react_as_user(self, channel: str, ts: str, name: str, user: str = "U0HUMAN") -> None:
        """A person adds a reaction (what the bot then sees in history and reactions.get)."""
        with self.lock:
            users = self._info[self._find(channel, ts)["ts"]]["reactions"].setdefault(name, [])
            if user not in users:
                users.append(user)

    def unreact_as_user(self, channel: str, ts: str, name: str, user: str = "U0HUMAN") -> None:
        """A person takes their reaction back (as reactions.remove does for the caller)."""
        with self.lock:
            reactions = self._info[self._find(channel, ts)["ts"]]["reactions"]
            if user in reactions.get(name, []):
                reactions[name].remove(user)
                if not reactions[name]:
                    del reactions[name]

    def _update(self, payload: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(payload.get("channel"))
        with self.lock:
            m = self._find(channel, payload.get("ts"))
            if self._info[m["ts"]]["user"] != BOT_USER:
                raise SlackError("cant_update_message")
        merged = {"text": m.get("text"), "blocks": m.get("blocks"), **payload}
        self._validate_message(merged)
        with self.lock:
            for key in ("text", "blocks", "metadata"):
                if key in payload:
                    m[key] = merged[key]
            self._info[m["ts"]]["edited"] = {"user": BOT_USER, "ts": f"{time.time():.6f}"}
            view = self._view(m, False)
        return {"ok": True, "channel": channel, "ts": m["ts"], "text": m.get("text", ""), "message": view}

    def _call(self, method: str, payload: dict[str, Any], token: str) -> dict[str, Any]:
        """One Web API call after auth and scripted faults; raises SlackError for ok:false."""
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://standin.slack.com/",
                "team": "Stand-in",
                "user": "monitor",
                "team_id": "T0STANDIN",
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "apps.connections.open":
            if self.socket_url:  # a test's own websocket server (Socket Mode)
                return {"ok": True, "url": self.socket_url}
            return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/link/?ticket={uuid.uuid4()}&app_id=A0STANDIN"}
        if method == "conversations.history":
            return self._history(payload, replies=False)
        if method == "conversations.replies":
            if not payload.get("ts"):
                raise SlackError("thread_not_found")
            return self._history(payload, replies=True)
        if method in ("reactions.add", "reactions.remove", "reactions.get"):
            return self._react(method, payload)
        if method == "chat.update":
            return self._update(payload)
        raise SlackError("unknown_method")

    def _authorise(self, method: str, token: str) -> None:
        if not token:
            raise SlackError("not_authed")
        if token in self.rejected_tokens:
            raise SlackError("invalid_auth")
        if method == "apps.connections.open":
            if token in self.app_tokens:
                return
            raise SlackError("not_allowed_token_type" if token in self.tokens else "invalid_auth")
        if token not in self.tokens:
            raise SlackError("not_allowed_token_type" if token in self.app_tokens else "invalid_auth")
        needed = self.needed.get(method)
        if needed and needed not in self.scopes:
            raise SlackError("missing_scope", needed=needed, provided=",".join(sorted(self.scopes)))

    def _rate_limited(self, method: str) -> int | None:
        """Retry-After seconds when this call is one over the method's limit a minute, else None (counted)."""
        limit = self.rate_limits.get(method)
        if limit is None:
            return None
        now = self.clock()
        with self.lock:
            calls = self._recent.setdefault(method, deque())
            while calls and calls[0] <= now - RATE_WINDOW:
                calls.popleft()
            if len(calls) >= limit:
                self.ratelimited.append(method)
                return max(1, int(calls[0] + RATE_WINDOW - now + 0.999))
            calls.append(now)
            return None

    def _scripted_error(self, method: str, error: str) -> dict[str, Any]:
        if error == "missing_scope":
            needed = self.needed.get(method, "chat:write")
            return SlackError(error, needed=needed, provided=",".join(sorted(self.scopes - {needed}))).body
        return {"ok": False, "error": error}

    # ------------------------------------------------------------------ HTTP

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _payload(self, query: str) -> dict[str, Any]:
                payload: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    payload.update(json.loads(raw or b"{}"))
                elif raw:
                    payload.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return payload

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json; charset=utf-8" if not isinstance(body, bytes) else "text/plain"
                )
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _drop(self) -> None:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True

            def do_POST(self) -> None:  # noqa: N802
                self._handle()

            def do_GET(self) -> None:  # noqa: N802
                self._handle()

            def _handle(self) -> None:
                path, _, query = self.path.partition("?")
                webhook = path.startswith("/webhook")
                method = "webhook" if webhook else path.rsplit("/", 1)[-1]
                action = standin.next_action() if webhook else standin._next_scripted(method)
                if action == "refuse":
                    self._drop()
                    return
                payload = self._payload(query)
                auth = self.headers.get("Authorization", "")
                token = str(payload.pop("token", "") or (auth[7:] if auth.startswith("Bearer ") else "")).strip()
                standin.requests.append((path, payload))
                if method == "chat.postMessage" or webhook:
                    standin.arrivals.append((str(payload.get("channel", "")), time.monotonic()))
                if webhook and path != standin.webhook_url.split(str(standin._port), 1)[1]:
                    self._send(404, b"no_service")
                    return
                try:
                    if not webhook:
                        standin._authorise(method, token)
                except SlackError as e:
                    self._send(200, e.body)
                    return
                wait = None if webhook else standin._rate_limited(method)
                if wait is not None:
                    self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
                    return
                if isinstance(action, tuple) and action[0] == "raw":
                    self._send(action[1], action[2])
                elif isinstance(action, tuple) and action[0] == "status":
                    self._send(action[1], b"server error" if webhook else {"ok": False, "error": "fatal_error"})
                elif isinstance(action, tuple) and action[0] == "ratelimit":
                    body = b"rate limited" if webhook else {"ok": False, "error": "ratelimited"}
                    self._send(429, body, {"Retry-After": str(action[1])})
                elif isinstance(action, tuple) and action[0] == "error":
                    if webhook:
                        self._send(404 if action[1] == "channel_not_found" else 400, action[1].encode())
                    else:
                        self._send(200, standin._scripted_error(method, action[1]))
                elif webhook:
                    self._webhook(payload, action)
                elif method == "chat.postMessage":
                    self._post(payload, action)
                else:
                    try:
                        self._send(200, standin._call(method, payload, token))
                    except SlackError as e:
                        self._send(200, e.body)

            def _webhook(self, payload: dict[str, Any], action: Any) -> None:
                try:
                    standin._validate_message(payload)
                except SlackError as e:
                    self._send(400, e.body["error"].encode())
                    return
                self._deliver(payload, standin.webhook_channel, action, b"ok")

            def _post(self, payload: dict[str, Any], action: Any) -> None:
                try:
                    channel = standin._post_checks(payload)
                except SlackError as e:
                    self._send(200, e.body)
                    return
                self._deliver(payload, channel, action, None)

            def _deliver(self, payload: dict[str, Any], channel: str, action: Any, webhook_body: bytes | None) -> None:
                ts = standin._record(payload, channel)
                if action == "drop_after_record":
                    self._drop()
                    return
                if isinstance(action, tuple) and action[0] == "slow_after_record":
                    time.sleep(action[1])
                elif action != "ok":
                    raise AssertionError(f"unknown action {action!r}")
                if webhook_body is not None:
                    body: Any = webhook_body
                else:
                    with standin.lock:
                        message = standin._view(standin._find(channel, ts), True)
                    body = {"ok": True, "channel": channel, "ts": ts, "message": message}
                try:
                    self._send(200, body)
                except OSError:
                    pass  # the client gave up waiting (slow_after_record)

        return Handler
