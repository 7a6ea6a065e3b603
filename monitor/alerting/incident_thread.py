"""An incident's Slack thread as a reader sees it: one top-level message kept current, replies shown in
the channel only when they change the picture, and, without threads, one summary a day.

* The top-level message (the incident's first report in a channel) carries the incident's state under
  its headline: the latest status in one line, how many reports from how many sources, first and last
  seen, the largest affected count so far, and a link to the newest report. It is re-rendered from the
  stored facts (render: the report as first posted + the incident's state + its triage state, the
  message metadata kept) and sent with chat.update whenever the facts it was rendered from changed
  (storage/incident_store.stale_parents compares a signature of them with the one last shown). An
  update is idempotent, so it is made after every delivery that changed a thread, and again after a
  crash between a reply and its parent's update; a reply itself goes through the outbox, exactly once.
  A correction by hand (monitor incidents merge/split) changes the facts too: the kept incident's
  message counts the merged reports, a message that no longer heads its incident says where it went.
* A reply is also shown in the channel (reply_broadcast) when incidents.picture_change gives a reason.
* Without threads (webhook, console) a later report of an incident already alerted waits ('collapsed')
  for the incident's summary of the day, queued once the day is over (in slack's timezone) as one
  message listing every one of them; a report that changes the picture goes out at once.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING, Any, TypeAlias

from .. import clock
from ..storage import incident_store, triage_store
from ..storage.store import Store
from ..textutil import iso, parse_iso
from . import triage
from .alert_rows import about, alert_ref, decode, enqueue
from .messages import IncidentSummary, followups_message, with_incident_state
from .slack import Message, update_message

if TYPE_CHECKING:
    from . import incidents

log = logging.getLogger(__name__)
FIRST_LOOK = timedelta(days=1)


def summary(db: Any, alert_id: int) -> IncidentSummary | None:
    """The state a top-level message shows for its incident; None while it is the only report."""
    from . import incidents  # here, not with the module: a run with nothing new never reads a report

    parent = incident_store.parent_row(db, alert_id)
    if parent is None or parent["incident_id"] is None:
        return None
    reason = parent["incident_reason"] or ""
    moved = " by hand from incident #" in reason
    reports = incident_store.thread_reports(db, int(parent["incident_id"]), parent["channel"] or "")
    if not reports or (len(reports) == 1 and not moved):
        return None
    newest = max(reports, key=lambda r: (r.published or "", r.alert_id))
    seen = sorted(r.published for r in reports if r.published)
    return IncidentSummary(
        id=int(parent["incident_id"]),
        status=incidents.status(newest.text),
        reports=len(reports),
        sources=len({r.source for r in reports}),
        first_seen=seen[0] if seen else None,
        last_seen=seen[-1] if seen else None,
        largest=incidents.picture(r.text for r in reports).largest,
        newest_title=newest.title,
        newest_link=newest.link,
        moved_to=int(parent["incident_id"]) if moved else None,
        moved_how="merged" if reason.startswith("merged") else "split" if moved else "",
    )


def render(store: Store, row: dict[str, Any], instance: str, buttons: bool) -> tuple[Message, dict[str, Any]]:
    """An alert's message as it should stand now, and its metadata (as first posted): the report, its
    incident's state when it heads the incident's thread, and its triage state. The one rendering of a
    posted alert: the incident's updates and the triage read-back both use it, so neither undoes the other."""
    message = decode(row["payload"])
    if row["kind"] == "article" and not row.get("thread_ts") and row.get("incident_id"):
        message = with_incident_state(message, summary(store.conn, int(row["id"])))
    ref = dataclasses.replace(alert_ref(row, instance), about=about(store, row))
    lines = triage.state_lines(triage_store.marks(store.conn, [int(row["id"])]).get(int(row["id"]), []))
    message = triage.with_state(message, lines, triage.buttons(ref) if buttons else None)
    return message, ref.metadata()


def refresh_parents(store: Store, sender: Any, instance: str) -> tuple[int, list[str]]:
    """chat.update every top-level message whose incident's facts changed: (updated, problems)."""
    if getattr(sender, "mode", "") != "slack":
        return 0, []
    # Incidents touched since the last check that found everything current, with a minute's margin for
    # a report marked sent just before it began (what it found stale stays looked at until it is updated).
    # The first time (a new database, or one from before this existed): incidents touched in the last day;
    # older ones are brought up to date with their next report, not in one burst of updates.
    started = clock.utcnow()
    with store.write() as db:
        since = incident_store.parents_checked(db) or iso(started - FIRST_LOOK)
        stale = incident_store.stale_parents(db, since)
    updated, problems = 0, []
    for alert_id, signature in stale:
        row = incident_store.alert(store.conn, alert_id)
        if row is None:
            continue
        message, metadata = render(store, row, instance, buttons=getattr(sender, "decorate", None) is not None)
        error = update_message(sender.client, row["channel"], row["slack_ts"], message, metadata)
        if error is not None:
            # Left stale: the next delivery updates it (the update is idempotent).
            problems.append(f"alert {alert_id}: cannot update the incident's top-level message: {error}")
            continue
        with store.write() as db:
            incident_store.set_parent_shown(db, alert_id, signature)
        updated += 1
    if not problems:
        with store.write() as db:
            incident_store.set_parents_checked(db, iso(started - timedelta(minutes=1)) or "")
    return updated, problems


Pictures: TypeAlias = (
    "dict[tuple[int, str], tuple[int, incidents.Picture]]"  # (incident, channel) -> (up to alert id, picture)
)


def broadcast_reason(store: Store, row: dict[str, Any], seen: Pictures | None = None) -> str:
    """Why this later report of an incident changes its picture ("" when it does not, or is no later report).
    The picture is what the reports queued before it told. `seen`: pictures already read in this delivery
    (alerts go out in id order, so each is extended by the reports since, not read again: 5,000 reports
    of one incident read 5,000 texts, not 12 million)."""
    if row["kind"] != "article" or not row.get("incident_id"):
        return ""
    from . import incidents

    db = store.conn
    incident_id, channel, alert_id = int(row["incident_id"]), row["channel"] or "", int(row["id"])
    if not incident_store.earlier_report(db, alert_id, incident_id, channel):
        return ""
    seen = {} if seen is None else seen
    upto, before = seen.get((incident_id, channel), (0, incidents.Picture()))
    if upto >= alert_id:
        upto, before = 0, incidents.Picture()
    more = incident_store.thread_reports(
        db, incident_id, channel, before_alert=alert_id, sent_only=False, after_alert=upto
    )
    before = incidents.picture((r.text for r in more), before)
    seen[(incident_id, channel)] = (alert_id - 1, before)
    return incidents.picture_change(before, incident_store.report_text(db, alert_id))


def collapse_followups(store: Store, tz: tzinfo) -> int:
    """Without threads: later reports wait for their incident's summary of the day; summaries of days
    that are over are queued (each report in exactly one, in the same transaction). Returns summaries queued."""
    seen: Pictures = {}
    with store.write() as db:
        for row in incident_store.pending_followups(db):
            full = incident_store.alert(db, int(row["id"]))
            if full is None or not incident_store.earlier_report(
                db, int(row["id"]), int(row["incident_id"]), row["channel"] or ""
            ):
                continue
            if not broadcast_reason(store, full, seen):
                incident_store.collapse(db, int(row["id"]))
        today = clock.utcnow().astimezone(tz).date().isoformat()
        days: dict[tuple[int, str, str], list[dict[str, Any]]] = {}
        for r in incident_store.collapsed(db):
            created = parse_iso(r["created_at"])
            day = created.astimezone(tz).date().isoformat() if created else today
            if day < today:
                days.setdefault((int(r["incident_id"]), r["channel"] or "", day), []).append(r)
        queued = 0
        for (incident_id, channel, day), rows in sorted(days.items()):
            message = followups_message(
                incident_id,
                rows[0]["incident_title"],
                day,
                [(r["id"], r["title"], r["link"], r["source"]) for r in rows],
            )
            # A report of a day already summarised (queued just before midnight, delivered after the summary)
            # gets a second summary for that day: never folded into nothing.
            part = 1
            while (
                enqueue(
                    store,
                    db,
                    kind="summary",
                    channel=channel,
                    message=message,
                    incident_id=incident_id,
                    dedupe_key=f"summary:{incident_id}:{channel}:{day}" + (f":{part}" if part > 1 else ""),
                )
                is None
            ):
                part += 1
            incident_store.mark_summarised(db, [r["id"] for r in rows])
            queued += 1
    return queued
