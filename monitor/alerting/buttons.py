"""Triage buttons over Socket Mode (the daemon, with an app-level token SLACK_APP_TOKEN=xapp-...).

slack-sdk's own Socket Mode client (slack_sdk.socket_mode.builtin: no extra dependency) opens the
websocket that apps.connections.open hands out, so no public URL is needed. Every envelope is acked
at once, before any database work (Slack wants the ack within 3 s); a button press is then handed to
`on_press` on a single worker thread, one at a time.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

from ..redact import redact
from .slack import slack_logger
from .triage import Press, press

log = logging.getLogger("monitor.triage")

APP_TOKEN_ENV = "SLACK_APP_TOKEN"


def app_token() -> str:
    return os.environ.get(APP_TOKEN_ENV, "").strip()


class ButtonListener:
    def __init__(self, token: str, api_url: str | None, on_press: Callable[[Press], None], timeout: float = 15.0):
        from slack_sdk import WebClient
        from slack_sdk.socket_mode.builtin import SocketModeClient

        kwargs: dict[str, Any] = {"timeout": int(max(1, timeout)), "logger": slack_logger()}
        if api_url:
            kwargs["base_url"] = api_url if api_url.endswith("/") else api_url + "/"
        self.client = SocketModeClient(
            app_token=token, web_client=WebClient(**kwargs), logger=slack_logger(), auto_reconnect_enabled=True
        )
        self.client.socket_mode_request_listeners.append(self._on_request)
        self.on_press = on_press
        self.presses: queue.Queue[Press | None] = queue.Queue()
        self.worker = threading.Thread(target=self._work, name="triage-buttons", daemon=True)

    def start(self) -> None:
        self.worker.start()
        self.client.connect()
        log.warning("Socket Mode connected: triage buttons on alerts are live")

    def close(self) -> None:
        self.presses.put(None)
        try:
            self.client.close()
        except Exception as e:  # closing a dead socket must not hide how the daemon ended
            log.info("closing Socket Mode: %s", redact(str(e)))
        self.worker.join(timeout=10)

    def _on_request(self, client: Any, req: Any) -> None:
        from slack_sdk.socket_mode.response import SocketModeResponse

        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        if req.type == "interactive":
            found = press(req.payload)
            if found is not None:
                self.presses.put(found)

    def _work(self) -> None:
        while True:
            item = self.presses.get()
            if item is None:
                return
            try:
                self.on_press(item)
            except Exception as e:  # one bad press must not stop the buttons
                log.error(
                    "triage button (alert %d, %s): %s: %s",
                    item.alert_id,
                    item.verdict,
                    type(e).__name__,
                    redact(str(e))[:200],
                )
