"""The incidents table: the candidates a new report is compared with, opening and growing an incident
as reports arrive, and correcting incidents by hand (merge two, split a report out), and their audit trail.

The incident rule (alerting/incidents.py) decides as reports arrive; an analyst who sees a wrong call
fixes it with `monitor incidents merge` / `split`. Every correction is recorded in `incident_edits`
(created where first needed, like the outbox's own tables) so `monitor incidents --json` can say why
an incident holds what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..alerting import incidents
from ..errors import MonitorError
from ..textutil import iso, parse_iso
from .store import Store

REPORTS_FIRST, REPORTS_NEWEST = 10, 20  # of each candidate incident, compared with a new report


@dataclass(frozen=True, slots=True)
class Thread:
    """Where an incident's reports are threaded in Slack: the channel and its first post."""
    channel: str
    ts: str


def ensure_tables(db: Any) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS incident_edits (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
               "incident_id INTEGER NOT NULL, other_id INTEGER, alert_id INTEGER, at TEXT NOT NULL, "
               "reason TEXT NOT NULL DEFAULT '')")


def incident(db: Any, incident_id: int) -> dict[str, Any]:
    row = db.execute("SELECT id, vendor, title, first_seen, last_seen, reports FROM incidents WHERE id = ?",
                     [incident_id]).fetchone()
    if row is None:
        raise MonitorError(f"no incident #{incident_id} (see `monitor incidents`)")
    return dict(zip(("id", "vendor", "title", "first_seen", "last_seen", "reports"), row, strict=True))


def threads(db: Any, incident_id: int) -> list[Thread]:
    """The first posted report of the incident in each channel (replies went under it)."""
    rows = db.execute(
        "SELECT channel, slack_ts FROM alerts WHERE id IN (SELECT MIN(id) FROM alerts WHERE incident_id = ? "
        "AND kind = 'article' GROUP BY channel) AND state = 'sent' AND slack_ts GLOB '[0-9]*'",
        [incident_id]).fetchall()
    return [Thread(channel, ts) for channel, ts in rows]


def merge(db: Any, keep: int, gone: int, at: str, reason: str) -> None:
    """Every report of `gone` becomes a report of `keep`; `gone` is removed, the edit recorded."""
    kept = incident(db, keep)
    other = incident(db, gone)
    db.execute("UPDATE alerts SET incident_id = ?, incident_reason = ? WHERE incident_id = ?",
               [keep, f"merged by hand from incident #{gone}", gone])
    db.execute("UPDATE incidents SET first_seen = ?, last_seen = ?, reports = ? WHERE id = ?",
               [min(kept["first_seen"], other["first_seen"]), max(kept["last_seen"], other["last_seen"]),
                int(kept["reports"]) + int(other["reports"]), keep])
    db.execute("DELETE FROM incidents WHERE id = ?", [gone])
    db.execute("INSERT INTO incident_edits (kind, incident_id, other_id, at, reason) VALUES ('merge', ?, ?, ?, ?)",
               [keep, gone, at, reason])


def report_of(db: Any, alert_id: int) -> dict[str, Any]:
    row = db.execute("SELECT a.id, a.incident_id, a.vendor, ar.title, ar.published FROM alerts a "
                     "JOIN articles ar ON ar.id = a.article_id WHERE a.id = ? AND a.kind IN ('article', "
                     "'digest_item')", [alert_id]).fetchone()
    if row is None:
        raise MonitorError(f"no report alert #{alert_id} (see `monitor incidents --json`: articles[].alert_id)")
    return dict(zip(("alert_id", "incident_id", "vendor", "title", "published"), row, strict=True))


def split(db: Any, alert_id: int, at: str, reason: str) -> tuple[int, int]:
    """The report leaves its incident and opens its own: (old incident, new incident)."""
    report = report_of(db, alert_id)
    old = report["incident_id"]
    if old is None:
        raise MonitorError(f"alert #{alert_id} belongs to no incident")
    if int(incident(db, old)["reports"]) <= 1:
        raise MonitorError(f"alert #{alert_id} is the only report of incident #{old}: nothing to split")
    when = report["published"] or at
    cur = db.execute("INSERT INTO incidents (vendor, title, first_seen, last_seen, reports) VALUES (?, ?, ?, ?, 1)",
                     [report["vendor"], report["title"], when, when])
    new = int(cur.lastrowid)
    db.execute("UPDATE alerts SET incident_id = ?, incident_reason = ? WHERE id = ?",
               [new, f"split by hand from incident #{old}", alert_id])
    left = db.execute("SELECT MIN(ar.published), MAX(ar.published), COUNT(*) FROM alerts a JOIN articles ar "
                      "ON ar.id = a.article_id WHERE a.incident_id = ?", [old]).fetchone()
    db.execute("UPDATE incidents SET first_seen = COALESCE(?, first_seen), last_seen = COALESCE(?, last_seen), "
               "reports = ? WHERE id = ?", [left[0], left[1], int(left[2]), old])
    db.execute("INSERT INTO incident_edits (kind, incident_id, other_id, alert_id, at, reason) "
               "VALUES ('split', ?, ?, ?, ?, ?)", [new, old, alert_id, at, reason])
    return old, new


def edits(store: Store, incident_id: int) -> list[dict[str, Any]]:
    """The corrections that shaped this incident, oldest first ([] before any was made)."""
    if "incident_edits" not in store.db.table_names():
        return []
    return [dict(r) for r in store.db.query(
        "SELECT kind, incident_id, other_id, alert_id, at, reason FROM incident_edits "
        "WHERE incident_id = ? OR other_id = ? ORDER BY id", [incident_id, incident_id])]


# ---------------------------------------------------------------------- as reports arrive


def candidates(db: Any, vendor: str, published: datetime) -> list[incidents.Candidate]:
    """The vendor's incidents a report published then may belong to, for incidents.decide().

    Coverage of one incident runs for months: the vendor's recent incidents as far back as a report
    may refer, a bounded number of them; of each, its first reports (the attack's date, kind and actor
    are told there) and its newest ones."""
    rows = db.execute(
        "SELECT id, first_seen, last_seen FROM incidents WHERE vendor = ? AND last_seen >= ? "
        "AND first_seen <= ? ORDER BY last_seen DESC LIMIT ?",
        [vendor, iso(published - incidents.LOOKBACK), iso(published + incidents.ACTIVE_GAP),
         incidents.MAX_CANDIDATES],
    ).fetchall()
    found = []
    for inc_id, first, last in rows:
        seen: set[int] = set()
        reports = []
        for order, n in (("ASC", REPORTS_FIRST), ("DESC", REPORTS_NEWEST)):
            for aid, t, sm, p in db.execute(
                    "SELECT ar.id, ar.title, ar.summary, ar.published FROM alerts a JOIN articles ar "
                    f"ON ar.id = a.article_id WHERE a.incident_id = ? ORDER BY ar.published {order} LIMIT ?",
                    [inc_id, n]):
                if aid not in seen:
                    seen.add(aid)
                    reports.append(incidents.Report(t or "", f"{t or ''}\n{sm or ''}", parse_iso(p) or published))
        found.append(incidents.Candidate(inc_id, parse_iso(first) or published, parse_iso(last) or published,
                                         tuple(reports)))
    return found


def open_incident(db: Any, vendor: str, title: str, when: str) -> int:
    """A new incident with its first report; its id."""
    cur = db.execute("INSERT INTO incidents (vendor, title, first_seen, last_seen, reports) VALUES (?, ?, ?, ?, 1)",
                     [vendor, title, when, when])
    return int(cur.lastrowid)


def add_report(db: Any, incident_id: int, when: str) -> tuple[str, int]:
    """One more report of the incident: (its title, how many reports it has now)."""
    db.execute("UPDATE incidents SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
               "reports = reports + 1 WHERE id = ?", [when, when, incident_id])
    title, n = db.execute("SELECT title, reports FROM incidents WHERE id = ?", [incident_id]).fetchone()
    return title or "", int(n)
