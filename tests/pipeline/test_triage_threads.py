"""The triage read-back reads the threads holding alert replies a few at a time: a week of incidents
means a hundred conversations.replies calls each cycle, one round trip each, and they were the
longest part of a cycle with nothing new. The same calls, the same answers, in the same order."""

from __future__ import annotations

import threading
from typing import Any

from slack_standin import DEFAULT_TOKEN

from monitor.alerting.slack import HistoryUnavailable, SlackSender
from monitor.pipeline import triage_step


class _Overlap:
    """The real client, with conversations.replies made to wait until a second call is in flight
    (a barrier of two): one call after another, the first one times out."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.barrier = threading.Barrier(2, timeout=10)
        self.waited = 0

    def conversations_replies(self, **kwargs: Any) -> Any:
        if self.waited < 2:
            self.waited += 1
            self.barrier.wait()
        return self.client.conversations_replies(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def test_threads_are_read_at_once_and_answered_in_order(slack):  # type: ignore[no-untyped-def]
    parents = [slack.post_as_user("C0GENERAL", f"incident {i}") for i in range(6)]
    for i, ts in enumerate(parents):
        slack.post_as_user("C0GENERAL", f"reply to {i}", thread_ts=ts)
    slack.history_plan = ["ok", "ok", ("error", "thread_not_found")] + ["ok"] * 3
    client = _Overlap(SlackSender(DEFAULT_TOKEN, slack.url, 5.0, 5.0).client)

    reads = triage_step._read_threads(client, [("C0GENERAL", ts) for ts in parents])

    assert client.waited == 2  # two reads were in flight together (the barrier let them through)
    failed = [r for r in reads if isinstance(r, HistoryUnavailable)]
    assert len(failed) == 1 and "thread_not_found" in str(failed[0])
    # Each answer is its own thread's, in the order asked: the parent first, then its reply.
    texts = [[m["text"] for m in r] for r in reads if not isinstance(r, HistoryUnavailable)]
    assert len(texts) == 5
    assert all(t[0].startswith("incident ") and t[1] == t[0].replace("incident", "reply to") for t in texts)
    ordered = [int(t[0].split()[1]) for t in texts]
    assert ordered == sorted(ordered)
