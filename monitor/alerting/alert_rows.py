"""The outbox's rows as alerting writes and reads them outside the delivery loop: queueing an alert
inside the caller's transaction, the stored message's codec, and what identifies a posted alert in
Slack (its AlertRef with the kind, incident and vendors of its metadata). Both the delivery loop
(outbox.py) and the incident thread's updates (incident_thread.py) use these, so they live below both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import clock
from ..storage import alert_store
from ..storage.store import Store, dumps
from .slack import AlertRef, Message, payload_hash


def enqueue(
    store: Store,
    db: Any,
    *,
    kind: str,
    channel: str,
    message: Message | Callable[[int], Message],
    dedupe_key: str,
    article_id: int | None = None,
    incident_id: int | None = None,
    vendor: str = "",
    state: str = "pending",
    reason: str = "",
) -> int | None:
    """Add an alert inside the caller's transaction. None if an alert with this key exists already.

    `message` may be a function of the new alert's id, so the message can name it (for feedback).
    """
    alert_id = alert_store.insert(
        db,
        kind=kind,
        channel=channel,
        dedupe_key=dedupe_key,
        article_id=article_id,
        incident_id=incident_id,
        vendor=vendor,
        state=state,
        reason=reason,
        now=clock.now_iso(),
    )
    if alert_id is None:
        return None
    built = message(alert_id) if callable(message) else message
    alert_store.set_payload(db, alert_id, encode(built))
    return alert_id


def encode(message: Message) -> str:
    return dumps({"text": message.text, "blocks": list(message.blocks), "console": message.console})


def decode(payload: str) -> Message:
    data = json.loads(payload)
    return Message(data["text"], tuple(data["blocks"]), data.get("console", data["text"]))


def alert_ref(row: dict[str, Any], instance: str) -> AlertRef:
    return AlertRef(int(row["id"]), instance, payload_hash(row["payload"] or ""))


def about(store: Store, row: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The alert's kind, incident and vendors with their role in the report, for its Slack metadata."""
    kind = str(row.get("kind") or "")
    wanted = ("product",) if kind == "product" else ("breached", "affected")
    found: dict[str, str] = {}
    if row.get("article_id") is not None:
        found = alert_store.vendor_roles(store, int(row["article_id"]), wanted)
    primary = str(row.get("vendor") or "")
    if primary and primary not in found:
        found = {primary: wanted[0], **found}  # an alert queued before roles were stored
    order = [primary] * bool(primary) + [v for v in found if v != primary]
    return (
        ("kind", kind),
        ("incident_id", row.get("incident_id")),
        ("vendors", [{"name": v, "role": found[v]} for v in order if v in found]),
    )
