"""Delivery claims alerts in batches: one durable commit per batch of `sending` marks, and nothing
claimed is lost or doubled when delivery stops part-way through a batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monitor.alerting.alert_rows import enqueue
from monitor.alerting.claims import CLAIM_BATCH
from monitor.alerting.outbox import deliver
from monitor.alerting.slack import Message, SlackSender
from monitor.storage.store import Store

TOKEN = "xoxb-test-000-secret"


def _store_with_alerts(path: Path, n: int) -> Store:
    store = Store(path)
    with store.write() as db:
        for i in range(n):
            enqueue(
                store,
                db,
                kind="article",
                channel="C0GENERAL",
                dedupe_key=f"a{i}",
                message=Message(f"alert {i}", (), f"alert {i}"),
            )
    return store


def _durable_commits(store: Store) -> list[int]:
    """Counts COMMITs made while synchronous is FULL (each waits for the disk); [count]."""
    state = {"full": True}
    count = [0]

    def trace(sql: str) -> None:
        s = sql.strip().upper()
        if s.startswith("PRAGMA SYNCHRONOUS"):
            state["full"] = s.endswith("FULL")
        elif s == "COMMIT" and state["full"]:
            count[0] += 1

    store.conn.set_trace_callback(trace)
    return count


def _states(store: Store) -> dict[str, int]:
    return dict(store.conn.execute("SELECT state, COUNT(*) FROM alerts GROUP BY state").fetchall())


def test_many_alerts_cost_one_durable_commit_per_batch_not_two_per_alert(tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    store = _store_with_alerts(tmp_path / "m.db", 60)
    commits = _durable_commits(store)
    report = deliver(store, SlackSender(TOKEN, slack.url, 5, 5), min_interval=0)
    assert report.sent == 60
    assert sorted(slack.posted_ids()) == list(range(1, 61))  # each once
    assert _states(store) == {"sent": 60}
    # Before: a durable claim and a durable outcome per alert (120 waits for the disk).
    # Now one per batch of CLAIM_BATCH, plus the outbox's own bookkeeping (instance id, destination).
    assert commits[0] <= 60 // CLAIM_BATCH + 6, commits[0]
    store.close()


def test_stopping_mid_batch_gives_the_claimed_alerts_back_and_the_next_run_sends_each_once(tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    store = _store_with_alerts(tmp_path / "m.db", 12)
    sender = SlackSender(TOKEN, slack.url, 5, 0)
    # The third post gets a Retry-After longer than max_retry_after: delivery stops there, with the
    # rest of its batch claimed but not posted.
    slack.plan = ["ok", "ok", ("ratelimit", 60)]
    first = deliver(store, sender, min_interval=0)
    assert first.sent == 2 and first.stopped
    rows: list[dict[str, Any]] = [
        dict(zip(("id", "state", "attempts"), r, strict=True))
        for r in store.conn.execute("SELECT id, state, attempts FROM alerts ORDER BY id")
    ]
    assert [r["state"] for r in rows] == ["sent", "sent"] + ["pending"] * 10  # none left 'sending'
    assert [r["attempts"] for r in rows[3:]] == [0] * 9  # never posted: the attempt is not counted
    store.conn.execute("DELETE FROM destinations")  # the rate limit is over
    second = deliver(store, sender, min_interval=0, force=True)
    assert second.sent == 10 and second.reconciled == 0
    assert sorted(slack.posted_ids()) == list(range(1, 13))
    store.close()


def test_the_per_cycle_cap_inside_a_batch_leaves_the_rest_pending(tmp_path, slack) -> None:  # type: ignore[no-untyped-def]
    store = _store_with_alerts(tmp_path / "m.db", 40)
    report = deliver(store, SlackSender(TOKEN, slack.url, 5, 5), min_interval=0, limit=7)
    assert report.sent == 7
    assert _states(store) == {"sent": 7, "pending": 33}
    assert slack.posted_ids() == list(range(1, 8))
    store.close()
