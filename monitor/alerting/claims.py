"""Claiming alerts for delivery in batches: one durable commit for several `sending` marks.

Each `sending` mark must be on disk before its post (outbox.py), and the outbox database runs with
synchronous FULL, so a commit waits for the disk: two commits per alert (claim, then the outcome)
were most of the delivery time of a cycle with hundreds of alerts (2 x 657 fsyncs on a busy disk,
4 to 5 s). Now one durable commit claims up to CLAIM_BATCH alerts that are due, and each outcome is
written without waiting for the disk; the next batch's durable commit carries the outcomes before it.

What a crash leaves is what it always could: rows in `sending`, which the next delivery looks for in
Slack's history before anything is resent (outbox.reconcile); a batch only leaves more of them. Rows
claimed but not posted when delivery stops early (the per-cycle cap, a rate limit, a rejected token,
an outage, an exception) are given back as pending by `release`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..storage import alert_store
from ..storage.store import Store

CLAIM_BATCH = 25  # a crash leaves at most this many rows to look up in Slack's history
Placement = Callable[[dict[str, Any]], "tuple[str, str | None] | None"]


def claim_batch(
    store: Store,
    first: dict[str, Any],
    thread_ts: str | None,
    following: Sequence[dict[str, Any]],
    budget: int,
    place: Placement,
    now: str,
) -> dict[int, str | None]:
    """Mark `first` and up to CLAIM_BATCH - 1 of the next due rows `sending`, in one durable commit.

    place(row) -> (placement, thread_ts), or None for a row that cannot be claimed now (a reply whose
    parent is not sent yet, no channel): such rows are left for the caller to meet in order. Returns
    {alert id: thread_ts} of the rows actually claimed."""
    wanted: list[tuple[dict[str, Any], str | None]] = [(first, thread_ts)]
    for row in following:
        if len(wanted) >= min(CLAIM_BATCH, budget):
            break
        placed = place(row)
        if placed is not None and placed[0] != "wait":
            wanted.append((row, placed[1]))
    claimed: dict[int, str | None] = {}
    with store.write() as db:
        for row, ts in wanted:
            if alert_store.claim(db, row["id"], now, ts):
                claimed[row["id"]] = ts
    return claimed


def release(store: Store, claimed: dict[int, str | None]) -> None:
    """Give back rows claimed but never posted: pending again, the attempt not counted."""
    if not claimed:
        return
    with store.write() as db:
        for alert_id in claimed:
            alert_store.unclaim(db, alert_id)
    claimed.clear()
