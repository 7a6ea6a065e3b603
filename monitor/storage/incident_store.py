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
from typing import TYPE_CHECKING, Any

from ..errors import MonitorError
from ..textutil import iso, parse_iso
from .store import Store

if TYPE_CHECKING:
    from ..alerting import incidents

REPORTS_FIRST, REPORTS_NEWEST = 10, 20  # of each candidate incident, compared with a new report


@dataclass(frozen=True, slots=True)
class Thread:
    """Where an incident's reports are threaded in Slack: the channel and its first post."""

    channel: str
    ts: str


def ensure_tables(db: Any) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS incident_edits (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, "
        "incident_id INTEGER NOT NULL, other_id INTEGER, alert_id INTEGER, at TEXT NOT NULL, "
        "reason TEXT NOT NULL DEFAULT '')"
    )


def incident(db: Any, incident_id: int) -> dict[str, Any]:
    row = db.execute(
        "SELECT id, vendor, title, first_seen, last_seen, reports FROM incidents WHERE id = ?", [incident_id]
    ).fetchone()
    if row is None:
        raise MonitorError(f"no incident #{incident_id} (see `monitor incidents`)")
    return dict(zip(("id", "vendor", "title", "first_seen", "last_seen", "reports"), row, strict=True))


def threads(db: Any, incident_id: int) -> list[Thread]:
    """The first posted report of the incident in each channel (replies went under it)."""
    rows = db.execute(
        "SELECT channel, slack_ts FROM alerts WHERE id IN (SELECT MIN(id) FROM alerts WHERE incident_id = ? "
        "AND kind = 'article' GROUP BY channel) AND state = 'sent' AND slack_ts GLOB '[0-9]*'",
        [incident_id],
    ).fetchall()
    return [Thread(channel, ts) for channel, ts in rows]


def merge(db: Any, keep: int, gone: int, at: str, reason: str) -> None:
    """Every report of `gone` becomes a report of `keep`; `gone` is removed, the edit recorded."""
    kept = incident(db, keep)
    other = incident(db, gone)
    db.execute(
        "UPDATE alerts SET incident_id = ?, incident_reason = ? WHERE incident_id = ?",
        [keep, f"merged by hand from incident #{gone}", gone],
    )
    db.execute(
        "UPDATE incidents SET first_seen = ?, last_seen = ?, reports = ? WHERE id = ?",
        [
            min(kept["first_seen"], other["first_seen"]),
            max(kept["last_seen"], other["last_seen"]),
            int(kept["reports"]) + int(other["reports"]),
            keep,
        ],
    )
    db.execute("DELETE FROM incidents WHERE id = ?", [gone])
    db.execute(
        "INSERT INTO incident_edits (kind, incident_id, other_id, at, reason) VALUES ('merge', ?, ?, ?, ?)",
        [keep, gone, at, reason],
    )


def report_of(db: Any, alert_id: int) -> dict[str, Any]:
    row = db.execute(
        "SELECT a.id, a.incident_id, a.vendor, ar.title, ar.published FROM alerts a "
        "JOIN articles ar ON ar.id = a.article_id WHERE a.id = ? AND a.kind IN ('article', "
        "'digest_item')",
        [alert_id],
    ).fetchone()
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
    cur = db.execute(
        "INSERT INTO incidents (vendor, title, first_seen, last_seen, reports) VALUES (?, ?, ?, ?, 1)",
        [report["vendor"], report["title"], when, when],
    )
    new = int(cur.lastrowid)
    db.execute(
        "UPDATE alerts SET incident_id = ?, incident_reason = ? WHERE id = ?",
        [new, f"split by hand from incident #{old}", alert_id],
    )
    left = db.execute(
        "SELECT MIN(ar.published), MAX(ar.published), COUNT(*) FROM alerts a JOIN articles ar "
        "ON ar.id = a.article_id WHERE a.incident_id = ?",
        [old],
    ).fetchone()
    db.execute(
        "UPDATE incidents SET first_seen = COALESCE(?, first_seen), last_seen = COALESCE(?, last_seen), "
        "reports = ? WHERE id = ?",
        [left[0], left[1], int(left[2]), old],
    )
    db.execute(
        "INSERT INTO incident_edits (kind, incident_id, other_id, alert_id, at, reason) "
        "VALUES ('split', ?, ?, ?, ?, ?)",
        [new, old, alert_id, at, reason],
    )
    return old, new


def edits(store: Store, incident_id: int) -> list[dict[str, Any]]:
    """The corrections that shaped this incident, oldest first ([] before any was made)."""
    if "incident_edits" not in store.db.table_names():
        return []
    return [
        dict(r)
        for r in store.db.query(
            "SELECT kind, incident_id, other_id, alert_id, at, reason FROM incident_edits "
            "WHERE incident_id = ? OR other_id = ? ORDER BY id",
            [incident_id, incident_id],
        )
    ]


# ---------------------------------------------------------------------- as reports arrive


def candidates(db: Any, vendor: str, published: datetime) -> list[incidents.Candidate]:
    """The vendor's incidents a report published then may belong to, for incidents.decide().

    Coverage of one incident runs for months: the vendor's recent incidents as far back as a report
    may refer, a bounded number of them; of each, its first reports (the attack's date, kind and actor
    are told there) and its newest ones."""
    from ..alerting import incidents  # with a report to place: a run with nothing new never needs it

    rows = db.execute(
        "SELECT id, first_seen, last_seen FROM incidents WHERE vendor = ? AND last_seen >= ? "
        # Newest first, and of incidents with the same last report the one opened last: decide() keeps the
        # first of equally strong candidates, so which one wins is this order's, not SQLite's choice.
        "AND first_seen <= ? ORDER BY last_seen DESC, id DESC LIMIT ?",
        [vendor, iso(published - incidents.LOOKBACK), iso(published + incidents.ACTIVE_GAP), incidents.MAX_CANDIDATES],
    ).fetchall()
    found = []
    for inc_id, first, last in rows:
        seen: set[int] = set()
        reports = []
        for order, n in (("ASC", REPORTS_FIRST), ("DESC", REPORTS_NEWEST)):
            for aid, t, sm, p in db.execute(
                "SELECT ar.id, ar.title, ar.summary, ar.published FROM alerts a JOIN articles ar "
                f"ON ar.id = a.article_id WHERE a.incident_id = ? ORDER BY ar.published {order} LIMIT ?",
                [inc_id, n],
            ):
                if aid not in seen:
                    seen.add(aid)
                    reports.append(incidents.Report(t or "", f"{t or ''}\n{sm or ''}", parse_iso(p) or published))
        found.append(
            incidents.Candidate(inc_id, parse_iso(first) or published, parse_iso(last) or published, tuple(reports))
        )
    return found


def open_incident(db: Any, vendor: str, title: str, when: str) -> int:
    """A new incident with its first report; its id."""
    cur = db.execute(
        "INSERT INTO incidents (vendor, title, first_seen, last_seen, reports) VALUES (?, ?, ?, ?, 1)",
        [vendor, title, when, when],
    )
    return int(cur.lastrowid)


def add_report(db: Any, incident_id: int, when: str) -> tuple[str, int]:
    """One more report of the incident: (its title, how many reports it has now)."""
    db.execute(
        "UPDATE incidents SET first_seen = MIN(first_seen, ?), last_seen = MAX(last_seen, ?), "
        "reports = reports + 1 WHERE id = ?",
        [when, when, incident_id],
    )
    title, n = db.execute("SELECT title, reports FROM incidents WHERE id = ?", [incident_id]).fetchone()
    return title or "", int(n)


# ---------------------------------------------------------------------- what the incident's threads show


def ensure_thread_tables(db: Any) -> None:
    """incident_parents: what each incident's top-level message shows now (the signature of the facts it
    was last rendered from), so a parent is updated only when they change, and an update lost to a crash
    (a reply sent, the parent not yet updated) is made by the next delivery."""
    db.execute("CREATE TABLE IF NOT EXISTS incident_parents (alert_id INTEGER PRIMARY KEY, shown TEXT NOT NULL)")


_MOVED = "COALESCE(p.incident_reason, '') LIKE '% by hand from incident #%'"


CHECKED_KEY = "incident_parents_checked"  # in `meta`: when every top-level message was last found current


def stale_parents(db: Any, since: str | None) -> list[tuple[int, str]]:
    """Top-level messages of incidents whose facts changed since they were last rendered: (alert id,
    signature of the facts now). A parent never rendered shows its own report; it is stale once its
    incident holds more (or it was moved by hand). `since`: only incidents with a report sent or a
    correction made since then can have changed (all, when None): a delivery does not read every
    incident ever alerted (0.5 s at 60,000 alerts)."""
    ensure_thread_tables(db)
    ensure_tables(db)
    touched, params = "", []
    if since is not None:
        params = [
            r[0]
            for r in db.execute(
                "SELECT incident_id FROM alerts WHERE sent_at >= ? AND incident_id IS NOT NULL UNION SELECT incident_id "
                "FROM incident_edits WHERE at >= ? UNION SELECT other_id FROM incident_edits WHERE at >= ?",
                [since] * 3,
            )
            if r[0] is not None
        ]
        if not params:
            return []
        touched = f"AND p.incident_id IN ({','.join('?' * len(params))})"
    rows = db.execute(
        f"SELECT p.id, p.incident_id, {_MOVED}, COUNT(r.id), MAX(r.id), s.shown FROM alerts p "
        "JOIN alerts r ON r.incident_id = p.incident_id AND r.channel = p.channel AND r.kind = 'article' "
        "AND +r.state = 'sent' LEFT JOIN incident_parents s ON s.alert_id = p.id "
        # +state: not by the state index (nearly every alert is sent), by the incidents touched
        "WHERE p.kind = 'article' AND +p.state = 'sent' AND p.thread_ts IS NULL AND p.incident_id IS NOT NULL "
        f"AND p.slack_ts GLOB '[0-9]*.[0-9]*' {touched} GROUP BY p.id ORDER BY p.id",
        params,
    ).fetchall()
    out = []
    for alert_id, incident_id, moved, n, newest, shown in rows:
        signature = f"{incident_id}:{n}:{newest}:{int(moved)}"
        first = f"{incident_id}:1:{alert_id}:0"  # as first posted
        if signature != (shown or first):
            out.append((int(alert_id), signature))
    return out


def parents_checked(db: Any) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [CHECKED_KEY]).fetchone()
    return str(row[0]) if row else None


def set_parents_checked(db: Any, at: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [CHECKED_KEY, at])


def set_parent_shown(db: Any, alert_id: int, signature: str) -> None:
    ensure_thread_tables(db)
    db.execute("INSERT OR REPLACE INTO incident_parents (alert_id, shown) VALUES (?, ?)", [alert_id, signature])


def parent_shown(db: Any, alert_id: int) -> bool:
    """Has this top-level message been rendered with its incident's state (so a triage update keeps it)?"""
    ensure_thread_tables(db)
    return db.execute("SELECT 1 FROM incident_parents WHERE alert_id = ?", [alert_id]).fetchone() is not None


@dataclass(frozen=True, slots=True)
class ThreadReport:
    alert_id: int
    title: str
    link: str
    source: str
    published: str | None
    text: str  # title + summary


def parent_row(db: Any, alert_id: int) -> dict[str, Any] | None:
    row = db.execute("SELECT id, incident_id, channel, incident_reason FROM alerts WHERE id = ?", [alert_id]).fetchone()
    return dict(zip(("id", "incident_id", "channel", "incident_reason"), row, strict=True)) if row else None


def thread_reports(
    db: Any,
    incident_id: int,
    channel: str,
    before_alert: int | None = None,
    sent_only: bool = True,
    after_alert: int = 0,
) -> list[ThreadReport]:
    """The incident's reports in one channel, oldest first (published, then alert id): those sent, or
    (before_alert) those queued before that alert (and after after_alert)."""
    sql = (
        "SELECT a.id, ar.title, ar.link, ar.source, ar.published, ar.summary FROM alerts a JOIN articles ar "
        "ON ar.id = a.article_id WHERE a.incident_id = ? AND a.channel = ? AND a.kind = 'article' AND a.id > ?"
    )
    params: list[Any] = [incident_id, channel, after_alert]
    if sent_only:
        sql += " AND a.state = 'sent'"
    if before_alert is not None:
        sql += " AND a.id < ?"
        params.append(before_alert)
    rows = db.execute(sql + " ORDER BY COALESCE(ar.published, a.created_at), a.id", params).fetchall()
    return [
        ThreadReport(int(i), t or "", lk or "", s or "", p, f"{t or ''}\n{sm or ''}") for i, t, lk, s, p, sm in rows
    ]


def earlier_report(db: Any, alert_id: int, incident_id: int, channel: str) -> bool:
    """Is there an earlier report of this incident in this channel (so this one is a follow-up)? Reports
    moved there by hand do not count, as they never parent a thread."""
    return (
        db.execute(
            "SELECT 1 FROM alerts p WHERE p.incident_id = ? AND p.channel = ? AND p.kind = 'article' AND p.id < ? "
            f"AND p.state NOT IN ('failed', 'muted') AND NOT {_MOVED} LIMIT 1",
            [incident_id, channel, alert_id],
        ).fetchone()
        is not None
    )


def collapse(db: Any, alert_id: int) -> None:
    """A follow-up without threads waits for its incident's summary of the day."""
    db.execute("UPDATE alerts SET state = 'collapsed' WHERE id = ? AND state = 'pending'", [alert_id])


def collapsed(db: Any) -> list[dict[str, Any]]:
    """Follow-ups waiting for their incident's daily summary, oldest first."""
    rows = db.execute(
        "SELECT a.id, a.incident_id, a.channel, a.created_at, ar.title, ar.link, ar.source, "
        "COALESCE(i.title, '') FROM alerts a JOIN articles ar ON ar.id = a.article_id "
        "LEFT JOIN incidents i ON i.id = a.incident_id WHERE a.state = 'collapsed' ORDER BY a.id"
    ).fetchall()
    keys = ("id", "incident_id", "channel", "created_at", "title", "link", "source", "incident_title")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def mark_summarised(db: Any, alert_ids: list[int]) -> None:
    db.execute(
        f"UPDATE alerts SET state = 'digested' WHERE state = 'collapsed' AND id IN ({','.join('?' * len(alert_ids))})",
        alert_ids,
    )


def alert(db: Any, alert_id: int) -> dict[str, Any] | None:
    cur = db.execute("SELECT * FROM alerts WHERE id = ?", [alert_id])
    row = cur.fetchone()
    return dict(zip([c[0] for c in cur.description], row, strict=True)) if row else None


def report_text(db: Any, alert_id: int) -> str:
    row = db.execute(
        "SELECT ar.title, ar.summary FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE a.id = ?", [alert_id]
    ).fetchone()
    return f"{row[0] or ''}\n{row[1] or ''}" if row else ""


def pending_followups(db: Any) -> list[dict[str, Any]]:
    """Pending report alerts of incidents: the candidates for the day's summary (without threads)."""
    rows = db.execute(
        "SELECT id, incident_id, channel FROM alerts WHERE state = 'pending' AND kind = 'article' "
        "AND incident_id IS NOT NULL AND unconfirmed = 0 ORDER BY id"
    ).fetchall()
    return [dict(zip(("id", "incident_id", "channel"), r, strict=True)) for r in rows]
