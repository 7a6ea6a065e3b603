"""A Slack Web API stand-in on 127.0.0.1, reached through SLACK_API_URL (WebClient base_url).

It implements chat.postMessage, conversations.history and conversations.replies,
plus an incoming-webhook endpoint at /webhook. Behaviour is scripted per test
with `plan`: a list of actions consumed one per chat.postMessage / webhook call.

Actions:
  "ok"                      accept and record
  ("status", 500)           answer HTTP 500 without recording
  ("ratelimit", seconds)    answer 429 with Retry-After
  ("error", "channel_not_found")  HTTP 200, ok:false
  "drop_after_record"       record the message, then close the socket without answering
  ("slow_after_record", s)  record, then sleep s seconds before answering (client timeout)
  "refuse"                  close the socket without reading or recording
  ("raw", 502, b"<html>")   answer that status with a non-JSON body (a proxy in front of Slack)

`rejected_tokens` makes every method answer invalid_auth for those tokens (a revoked token);
`history_default` is what history answers once `history_plan` is used up (e.g. ("status", 503) for
an outage that takes the whole API down).

`go_down()` closes the listening socket (connection refused, a full outage) and `come_back()` listens
again on the same port. `history_plan` scripts conversations.history/replies the same way ("ok",
("status", 500), ("error", "missing_scope")). Message ts are wall-clock based, like Slack's, so
reconciliation's `oldest` filter behaves as in production; metadata is returned only when
include_all_metadata is set, as Slack does.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class SlackStandIn:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []  # every accepted chat.postMessage / webhook payload
        self.requests: list[tuple[str, dict[str, Any]]] = []  # (path, payload) of every call
        self.plan: list[Any] = []
        self.default: Any = "ok"
        self.history_plan: list[Any] = []
        self.history_default: Any = "ok"  # what history/replies answer once history_plan is used up
        self.rejected_tokens: set[str] = set()  # tokens answered invalid_auth by every method (revoked)
        self.arrivals: list[tuple[str, float]] = []  # (channel, time.monotonic()) of every post attempt
        self.lock = threading.Lock()
        self._ts = 0.0
        self._port = 0
        self.down = False
        self._listen()

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

    def posts(self) -> list[dict[str, Any]]:
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
        return auth.startswith("Bearer ") and auth[len("Bearer "):] in self.rejected_tokens

    def _record(self, payload: dict[str, Any]) -> str:
        with self.lock:
            self._ts = max(time.time(), self._ts + 0.000001)
            ts = f"{self._ts:.6f}"
            self.messages.append({**payload, "ts": ts})
            return ts

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _payload(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    return json.loads(raw or b"{}")
                return {k: v[0] for k, v in parse_qs(raw.decode()).items()}

            def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if not isinstance(body, bytes) else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                path = self.path.split("?")[0]
                if path.endswith("chat.postMessage") and standin.token_rejected(self.headers):
                    standin.requests.append((path, self._payload()))
                    self._send(200, {"ok": False, "error": "invalid_auth"})
                    return
                if path.endswith("chat.postMessage") or path.startswith("/webhook"):
                    action = standin.next_action()
                    if action == "refuse":
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                        return
                    payload = self._payload()
                    standin.requests.append((path, payload))
                    standin.arrivals.append((str(payload.get("channel", "")), time.monotonic()))
                    webhook = path.startswith("/webhook")
                    if action == "ok":
                        ts = standin._record(payload)
                        if webhook:
                            self._send(200, b"ok")
                        else:
                            self._send(200, {"ok": True, "channel": payload.get("channel"), "ts": ts,
                                             "message": {"ts": ts}})
                    elif action == "drop_after_record":
                        standin._record(payload)
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                    elif isinstance(action, tuple) and action[0] == "slow_after_record":
                        ts = standin._record(payload)
                        time.sleep(action[1])
                        try:
                            self._send(200, {"ok": True, "ts": ts})
                        except OSError:
                            pass
                    elif isinstance(action, tuple) and action[0] == "raw":
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
                            self._send(200, {"ok": False, "error": action[1]})
                    else:
                        raise AssertionError(f"unknown action {action!r}")
                    return
                self._read_api(path, self._payload())

            def do_GET(self) -> None:  # noqa: N802
                path, _, query = self.path.partition("?")
                self._read_api(path, {k: v[0] for k, v in parse_qs(query).items()})

            def _read_api(self, path: str, payload: dict[str, Any]) -> None:
                standin.requests.append((path, payload))
                if standin.token_rejected(self.headers):
                    self._send(200, {"ok": False, "error": "invalid_auth"})
                    return
                if path.endswith(("conversations.history", "conversations.replies")):
                    action = standin.next_history_action()
                    if isinstance(action, tuple) and action[0] == "status":
                        self._send(action[1], {"ok": False, "error": "fatal_error"})
                        return
                    if isinstance(action, tuple) and action[0] == "error":
                        self._send(200, {"ok": False, "error": action[1]})
                        return
                    channel = payload.get("channel")
                    with_metadata = str(payload.get("include_all_metadata", "")).lower() in ("1", "true")
                    oldest = float(payload.get("oldest") or 0)
                    thread = payload.get("ts") if path.endswith("replies") else None
                    with standin.lock:
                        msgs = [m for m in standin.messages if m.get("channel") == channel
                                and float(m["ts"]) >= oldest
                                and (thread is None and not m.get("thread_ts")
                                     or thread is not None and (m.get("thread_ts") == thread or m["ts"] == thread))]
                    if not with_metadata:
                        msgs = [{k: v for k, v in m.items() if k != "metadata"} for m in msgs]
                    self._send(200, {"ok": True, "messages": list(reversed(msgs)), "has_more": False})
                    return
                if path.endswith("auth.test"):
                    self._send(200, {"ok": True, "user_id": "U0BOT"})
                    return
                self._send(404, {"ok": False, "error": "unknown_method"})

        return Handler
