"""Issue 17, buttons: with SLACK_APP_TOKEN the daemon connects through Socket Mode (slack-sdk's own
client) to the websocket apps.connections.open names, here a real websocket server on 127.0.0.1;
alerts carry triage buttons, a press is acked at once and applied as a reaction would be."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from alert_support import Feed, outbox
from conftest import Entry, bot_env, os_env_without_slack
from slack_standin import DEFAULT_APP_TOKEN
from test_triage_reactions import JITB, NOW

pytest.importorskip("websockets")
from websockets.sync.server import ServerConnection, serve  # noqa: E402


class SocketModeServer:
    """Slack's side of Socket Mode: hello on connect, envelopes out, acks (envelope ids) in."""

    def __init__(self) -> None:
        self.acks: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.connected = threading.Event()
        self.ws: ServerConnection | None = None
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket=t1&app_id=A0STANDIN"

    def _handle(self, ws: ServerConnection) -> None:
        ws.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "connection_info": {"app_id": "A0STANDIN"},
                    "debug_info": {"host": "standin"},
                }
            )
        )
        self.ws = ws
        self.connected.set()
        for raw in ws:
            self.acks.put((time.monotonic(), json.loads(raw)))

    def press(self, message: dict[str, Any], verdict: str, user: str) -> tuple[str, float]:
        [actions] = [b for b in message["blocks"] if b.get("type") == "actions"]
        [button] = [e for e in actions["elements"] if e["action_id"] == f"triage_{verdict}"]
        envelope = str(uuid.uuid4())
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "api_app_id": "A0STANDIN",
            "container": {"type": "message", "channel_id": message["channel"], "message_ts": message["ts"]},
            "actions": [
                {
                    "type": "button",
                    "block_id": actions["block_id"],
                    "action_id": button["action_id"],
                    "value": button["value"],
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        assert self.ws is not None
        sent = time.monotonic()
        self.ws.send(
            json.dumps(
                {
                    "envelope_id": envelope,
                    "type": "interactive",
                    "payload": payload,
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                }
            )
        )
        return envelope, sent

    def ack_for(self, envelope: str, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                at, data = self.acks.get(timeout=0.5)
            except queue.Empty:
                continue
            if data.get("envelope_id") == envelope:
                return at
        raise AssertionError(f"no ack for envelope {envelope}")

    def close(self) -> None:
        self.server.shutdown()


def _wait(predicate: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _updates(slack: Any) -> list[tuple[float, dict[str, Any]]]:
    return [p for path, p in slack.requests if path.endswith("/chat.update")]


def test_buttons_through_socket_mode_in_the_daemon(project, httpserver, slack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = SocketModeServer()
    slack.socket_url = ws.url
    feed = Feed(httpserver)
    feed.add(JITB, Entry("Okta confirms breach of its support system", "https://news.example/okta", "", "2", NOW))
    project.configure([{**feed.source, "interval": "1h"}])
    env = {**os_env_without_slack(), **bot_env(slack), "SLACK_APP_TOKEN": DEFAULT_APP_TOKEN}
    log = (tmp_path / "daemon.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert ws.connected.wait(60), (tmp_path / "daemon.log").read_text()
        _wait(lambda: len(slack.messages) == 2, "two alerts posted")
        box, okta = slack.messages
        for m in (box, okta):
            [actions] = [b for b in m["blocks"] if b.get("type") == "actions"]
            assert [e["text"]["text"] for e in actions["elements"]] == [
                "False positive",
                "Acknowledge",
                "Investigating",
                "Mute incident",
            ]
        assert any(path.endswith("/apps.connections.open") for path, _ in slack.requests)

        envelope, _sent = ws.press(okta, "acknowledged", "U0LEAD")
        acked = ws.ack_for(envelope)
        updated = _wait(
            lambda: [u for u in _updates(slack) if "Acknowledged by <@U0LEAD>" in u.get("text", "")],
            "the acknowledged message",
        )
        assert updated[0]["ts"] == okta["ts"]
        assert acked  # acked before the database work: the update came after it
        # The message keeps its buttons, and says who acknowledged it.
        assert "Acknowledged by <@U0LEAD>" in json.dumps(okta["blocks"])
        assert any(b.get("type") == "actions" for b in okta["blocks"])

        envelope, _ = ws.press(box, "false_positive", "U0ANALYST")
        ws.ack_for(envelope)
        _wait(lambda: "False positive: marked by <@U0ANALYST>" in json.dumps(box["blocks"]), "the false positive")
        _wait(lambda: json.loads(project.run("feedback", "list", "--json").stdout), "the suppression")
        [sup] = json.loads(project.run("feedback", "list", "--json").stdout)
        assert sup["vendor"] == "Box Inc."

        # The same person pressing again takes the verdict back, as removing a reaction does.
        envelope, _ = ws.press(box, "false_positive", "U0ANALYST")
        ws.ack_for(envelope)
        _wait(lambda: "False positive: marked" not in json.dumps(box["blocks"]), "the false positive taken back")
        _wait(lambda: json.loads(project.run("feedback", "list", "--json").stdout) == [], "the suppression removed")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
            ws.close()
            log.close()
    out = (tmp_path / "daemon.log").read_text()
    assert proc.returncode == 0, out
    assert "Socket Mode connected" in out and DEFAULT_APP_TOKEN not in out
    box_row, okta_row = outbox(project)
    assert okta_row["triage"]["verdicts"] == ["acknowledged"] and okta_row["triage"]["marks"][0]["via"] == "button"
    assert box_row["triage"]["verdicts"] == []


def test_a_press_on_another_instances_alert_is_ignored(project, slack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from monitor.alerting.slack import SlackSender
    from monitor.alerting.triage import Press
    from monitor.pipeline.triage_step import apply_press
    from monitor.storage.store import Store

    with Store(tmp_path / "m.db") as store:
        sender = SlackSender("xoxb-test-000-secret", slack.url, 5, 5)
        assert apply_press(store, sender.client, Press(1, "someone-else", "0" * 16, "acknowledged", "U0LEAD")) is False
    assert not any(p[0].endswith("chat.update") for p in slack.requests)
    assert os.environ.get("SLACK_APP_TOKEN") is None
