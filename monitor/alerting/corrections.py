"""`monitor incidents merge A B` and `monitor incidents split ALERT`: fixing the incident rule's rare
wrong call by hand, and saying so in the Slack threads concerned.

Slack messages cannot move between threads, so a correction is reflected by a note in each thread it
touches (queued in the outbox: sent exactly once, like any alert), and by where later reports go:
reports moved by hand never become a thread's parent, so after a merge later reports go to the kept
incident's thread, and after a split the first later report of the split incident opens its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from .. import clock
from ..errors import MonitorError
from ..storage import alert_store, incident_store
from ..storage.store import Store
from ..textutil import clip
from .alert_rows import enqueue
from .messages import incident_note_message


@dataclass(frozen=True, slots=True)
class Correction:
    kind: Literal["merge", "split"]
    incident: int  # the incident that holds the reports now
    other: int  # the incident merged away, or the one the report left
    notes: int  # notes queued for Slack threads


def permalink(channel: str, ts: str) -> str:
    """A link to a Slack message that works in any workspace the reader belongs to."""
    return f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"


def merge(store: Store, keep: int, gone: int, reason: str = "") -> Correction:
    if keep == gone:
        raise MonitorError("merge needs two different incidents")
    at = clock.now_iso()
    with store.write() as db:
        incident_store.ensure_tables(db)
        kept, other = incident_store.incident(db, keep), incident_store.incident(db, gone)
        gone_threads, keep_threads = incident_store.threads(db, gone), incident_store.threads(db, keep)
        incident_store.merge(db, keep, gone, at, reason)
        kept_in = {t.channel: t for t in keep_threads}
        notes = 0
        why = f" ({reason})" if reason else ""
        for t in gone_threads:
            target = kept_in.get(t.channel)
            text = (
                f"Merged by hand into incident #{keep} ({clip(kept['title'], 200)}){why}: later reports go to "
                f"{'its thread' if target else 'that incident'}."
            )
            notes += _note(
                store,
                db,
                t,
                f"merge:{gone}->{keep}:{t.channel}",
                text,
                permalink(target.channel, target.ts) if target else "",
                "open the thread",
            )
        for t in keep_threads:
            text = (
                f"Incident #{gone} ({clip(other['title'], 200)}) was merged into this one by hand{why}: its "
                f"{other['reports']} report(s) count here now."
            )
            notes += _note(store, db, t, f"merged:{gone}->{keep}:{t.channel}", text)
    return Correction("merge", keep, gone, notes)


def split(store: Store, alert_id: int, reason: str = "") -> Correction:
    at = clock.now_iso()
    with store.write() as db:
        incident_store.ensure_tables(db)
        report = incident_store.report_of(db, alert_id)
        old_threads = incident_store.threads(db, report["incident_id"]) if report["incident_id"] else []
        old, new = incident_store.split(db, alert_id, at, reason)
        why = f" ({reason})" if reason else ""
        notes = 0
        for t in old_threads:
            text = (
                f"Split out by hand{why}: “{clip(report['title'] or '', 200)}” (alert #{alert_id}) is another "
                f"event, now incident #{new}; its later reports start their own thread."
            )
            notes += _note(store, db, t, f"split:{alert_id}:{old}->{new}:{t.channel}", text)
    return Correction("split", new, old, notes)


def _note(
    store: Store,
    db: sqlite_utils.Database,
    thread: incident_store.Thread,
    key: str,
    text: str,
    url: str = "",
    label: str = "",
) -> int:
    alert_id = enqueue(
        store, db, kind="note", channel=thread.channel, message=incident_note_message(text, url, label), dedupe_key=key
    )
    if alert_id is None:
        return 0
    alert_store.set_thread(db, alert_id, thread.ts)
    return 1
