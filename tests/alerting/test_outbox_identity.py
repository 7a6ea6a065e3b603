"""Issue 20, identity: reconciliation must not take another instance's message (or this database's
previous life's) for ours. Slack message metadata carries alert_id, a random per-database instance id
and a payload hash, and all three must match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alert_support import Clock, Feed, outbox
from conftest import Entry, Project, bot_env

from monitor.alerting.slack import EVENT_TYPE, AlertRef

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry("Okta confirms breach of support system, customer files stolen", "https://news.example/okta", "", "o", NOW)
TOYOTA = Entry("トヨタ自動車 情報漏えい 取引先への不正アクセスで", "https://news.example/toyota", "", "t", NOW)
BOX = Entry("Box Inc. hacked, customer files leaked", "https://news.example/box", "", "b", NOW)
NAVER = Entry("NAVER Cloud hacked: attackers stole customer data", "https://news.example/naver", "", "n", NOW)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _instance(project: Project) -> str:
    return project.db().execute("SELECT value FROM meta WHERE key = 'instance_id'").fetchone()[0]


def _run(project: Project, slack: Any) -> Any:
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    return result


def _posted_by(slack: Any, instance: str) -> list[dict[str, Any]]:
    return [m for m in slack.messages if m["metadata"]["event_payload"]["instance"] == instance]


def _each_alert_once(project: Project, slack: Any) -> None:
    """Every alert of this database is sent, and is in the channel exactly once, as its own message."""
    instance = _instance(project)
    mine = _posted_by(slack, instance)
    alerts = outbox(project)
    assert sorted(m["metadata"]["event_payload"]["alert_id"] for m in mine) == [a["id"] for a in alerts]
    assert all(a["state"] == "sent" for a in alerts)
    by_ts = {m["ts"]: m for m in mine}
    for a in alerts:  # the ts recorded is this instance's own message for this alert, not a look-alike
        assert a["slack_ts"] in by_ts, f"alert {a['id']} counted delivered on someone else's message"
        assert by_ts[a["slack_ts"]]["metadata"]["event_payload"]["alert_id"] == a["id"]


def test_metadata_names_the_instance_and_the_payload(project, httpserver, slack) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(OKTA)
    project.configure([feed.source])
    _run(project, slack)
    [message] = slack.messages
    payload = message["metadata"]["event_payload"]
    assert message["metadata"]["event_type"] == EVENT_TYPE
    assert payload["alert_id"] == 1
    assert payload["instance"] == _instance(project) and len(payload["instance"]) == 16
    stored = project.db().execute("SELECT payload FROM alerts WHERE id = 1").fetchone()[0]
    import hashlib

    assert payload["payload_hash"] == hashlib.sha256(stored.encode()).hexdigest()[:16]
    # Made once: the next run of the same database keeps it.
    feed.add(TOYOTA)
    _run(project, slack)
    assert slack.messages[1]["metadata"]["event_payload"]["instance"] == payload["instance"]


def test_two_instances_posting_to_one_channel_each_deliver_every_alert_once(
    tmp_path: Path, httpserver, slack, clock
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = Project(tmp_path / "a"), Project(tmp_path / "b")
    a.configure([Feed(httpserver, "/a", "A news").add(OKTA, TOYOTA).source])
    b.configure([Feed(httpserver, "/b", "B news").add(BOX, NAVER).source])
    _run(a, slack)  # A's alerts 1 and 2 are in C0GENERAL
    # B's alert 1: the connection drops before Slack reads it. Unknown to B; Slack has nothing.
    slack.plan = ["refuse"]
    first = _run(b, slack)
    assert "outcome unknown" in first.stderr
    clock.advance(minutes=15)
    _run(b, slack)  # reconciliation finds A's alert 1 in the channel: not B's
    assert _instance(a) != _instance(b)
    _each_alert_once(a, slack)
    _each_alert_once(b, slack)
    b_texts = [m["text"] for m in _posted_by(slack, _instance(b))]
    assert any("Box" in t for t in b_texts) and any("NAVER" in t for t in b_texts)
    assert len(slack.messages) == 4


def test_recreated_database_does_not_take_its_old_messages_for_new_alerts(project, httpserver, slack, clock) -> None:  # type: ignore[no-untyped-def]
    feed = Feed(httpserver).add(OKTA)
    project.configure([feed.source])
    _run(project, slack)
    old = _instance(project)
    for f in project.root.glob("monitor.db*"):
        f.unlink()
    # The same article, the same alert id 1, the same message text: only the instance tells them apart.
    slack.plan = ["refuse"]
    _run(project, slack)
    assert _instance(project) != old
    clock.advance(minutes=15)
    _run(project, slack)
    _each_alert_once(project, slack)
    assert [m["metadata"]["event_payload"]["payload_hash"] for m in slack.messages].count(
        slack.messages[0]["metadata"]["event_payload"]["payload_hash"]
    ) == 2  # identical payloads, two instances


def test_alert_id_and_instance_alone_are_not_enough() -> None:
    """SQLite reuses the highest rowid after a rollback: the payload hash must match too."""
    ref = AlertRef(7, "a1b2c3d4e5f60718", "0123456789abcdef")
    assert ref.matches(ref.metadata())
    for other in (
        AlertRef(8, ref.instance, ref.payload_hash),
        AlertRef(7, "ffffffffffffffff", ref.payload_hash),
        AlertRef(7, ref.instance, "fedcba9876543210"),
    ):
        assert not ref.matches(other.metadata())
    assert not ref.matches({"event_type": EVENT_TYPE, "event_payload": {"alert_id": 7}})  # an older version's
    assert not ref.matches(None)
