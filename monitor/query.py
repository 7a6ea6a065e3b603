"""Read-side queries for the CLI: search, incidents, the outbox, source status."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import MonitorError
from .feedback import Suppression, suppressed_by
from .match import Match
from .normalize import fold

if TYPE_CHECKING:
    from .store import Store


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection for read-only commands (sqlite-utils is not needed to read)."""
    if not path.exists():
        raise MonitorError(f"no database at {path} yet: run `monitor run --once` first")
    conn = sqlite3.connect(str(path), timeout=30)
    conn.row_factory = sqlite3.Row
    return conn


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


SHORT_TERM_WINDOW = 200_000  # newest articles searched when every term is under 3 characters


def short_terms_only(query: str) -> bool:
    terms = query.split()
    return bool(terms) and all(len(t) < 3 for t in terms)


def search(conn: sqlite3.Connection, query: str, *, vendor: str | None = None, since: str | None = None,
           breach_only: bool = False, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search (FTS5 trigram, so Japanese works); terms under 3 characters fall back to LIKE.

    The newest stored articles that match come first (then the page is sorted by published date).
    Walking the FTS index in rowid order stops after `limit` hits; sorting every hit by date
    first cost 0.3-0.9 s for common terms at a million articles.
    """
    conn.row_factory = sqlite3.Row
    where, params = [], []
    terms = query.split()
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    if long_terms:
        sql = "SELECT a.* FROM articles_fts f JOIN articles a ON a.id = f.rowid"
        where.append("articles_fts MATCH ?")
        params.append(" ".join(_fts_phrase(t) for t in long_terms))
        order = "f.rowid DESC"
    else:
        sql = "SELECT a.* FROM articles a"
        order = "a.id DESC"
        if short_terms:
            # Trigram FTS cannot look up 1-2 character terms (漏洩): LIKE scans, so bound the scan.
            where.append("a.id > (SELECT COALESCE(MAX(id), 0) FROM articles) - ?")
            params.append(SHORT_TERM_WINDOW)
    for t in short_terms:
        where.append("(a.title LIKE ? OR a.summary LIKE ? OR a.body LIKE ?)")
        like = f"%{t.replace('%', '').replace('_', '')}%"
        params += [like, like, like]
    if vendor:
        where.append("a.id IN (SELECT article_id FROM matches WHERE vendor = ? COLLATE NOCASE)")
        params.append(vendor)
    if since:
        where.append("a.published >= ?")
        params.append(since)
    if breach_only:
        where.append("a.breach = 1")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT ?"
    params.append(limit)
    rows = [dict(r) for r in conn.execute(sql, params)]
    rows.sort(key=lambda r: (r["published"] or "", r["id"]), reverse=True)
    return [_article_out(conn, r) for r in rows]


def _article_out(conn: sqlite3.Connection, r: dict[str, Any]) -> dict[str, Any]:
    matches = [dict(m) for m in conn.execute(
        "SELECT vendor, matched, how, field, surface, start, end, score FROM matches WHERE article_id = ? "
        "ORDER BY vendor", [r["id"]])]
    alert = conn.execute("SELECT id, state, incident_id FROM alerts WHERE article_id = ? ORDER BY id LIMIT 1",
                         [r["id"]]).fetchone()
    feedback = []
    if alert:
        feedback = [dict(verdict=f["verdict"], reason=f["reason"], vendor=f["vendor"] or None, at=f["created_at"])
                    for f in conn.execute("SELECT * FROM feedback WHERE alert_id = ? ORDER BY id", [alert[0]])]
    texts: dict[str, str] = {}
    for m in matches:
        rows = conn.execute("SELECT vendor, matched, ctx_before, ctx_after, reason, alert_id, created_at "
                            "FROM suppressions WHERE vendor = ? AND matched IN (?, ?)",
                            [m["vendor"], m["matched"], fold(m["surface"] or "")]).fetchall()
        sup = None
        if rows:
            if not texts:
                texts = dict(zip(("title", "summary", "body", "link"), conn.execute(
                    "SELECT title, summary, body, link FROM articles WHERE id = ?", [r["id"]]).fetchone()))
            match = Match(m["vendor"], m["matched"], m["how"], m["field"], m["surface"] or "",
                          -1 if m["start"] is None else m["start"], m["end"] or 0, m["score"] or 0.0)
            covering = suppressed_by([Suppression(*row[:4]) for row in rows], match,
                                     {k: v or "" for k, v in texts.items()})
            sup = next((row for row in rows if covering is not None and Suppression(*row[:4]) == covering), None)
        m["suppressed"] = sup is not None
        m["suppression"] = {"reason": sup[4], "alert_id": sup[5], "since": sup[6],
                            "context": Suppression(*sup[:4]).context} if sup else None
    return {
        "id": r["id"],
        "title": r["title"],
        "url": r["link"],
        "source": r["source"],
        "published": r["published"],
        "summary": r["summary"],
        "vendors": [m["vendor"] for m in matches],
        "breach": bool(r["breach"]),
        "breach_score": r["breach_score"],
        "breach_terms": json.loads(r["terms"] or "[]"),
        "supply_chain": bool(r["supply_chain"]),
        "follow_up": bool(r["follow_up"]),
        "matches": matches,
        "alert_id": alert[0] if alert else None,
        "alert_state": alert[1] if alert else None,
        "incident_id": alert[2] if alert else None,
        "feedback": feedback,
    }


def incidents(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    """Incidents, latest first: vendors named by their reports, first and last report, each report."""
    out = []
    for r in store.db.query("SELECT * FROM incidents ORDER BY last_seen DESC, id DESC LIMIT ?", [limit]):
        reports = [dict(x) for x in store.db.query(
            "SELECT a.id AS alert_id, a.state AS alert_state, a.incident_reason AS linked_because, "
            "ar.id AS article_id, ar.title, ar.link AS url, ar.source, ar.published "
            "FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE a.incident_id = ? "
            "ORDER BY ar.published, a.id", [r["id"]])]
        vendors = sorted({m["vendor"] for m in store.db.query(
            "SELECT DISTINCT m.vendor FROM alerts a JOIN matches m ON m.article_id = a.article_id "
            "WHERE a.incident_id = ?", [r["id"]])} | {r["vendor"]})
        thread = store.db.execute(
            "SELECT channel, slack_ts FROM alerts WHERE incident_id = ? AND kind = 'article' AND state = 'sent' "
            "ORDER BY id LIMIT 1", [r["id"]]).fetchone()
        out.append({"id": r["id"], "vendor": r["vendor"], "vendors": vendors, "title": r["title"],
                    "first_seen": r["first_seen"], "last_seen": r["last_seen"], "reports": r["reports"],
                    "sources": sorted({x["source"] for x in reports}),
                    "slack_channel": thread[0] if thread else None,
                    "slack_thread_ts": thread[1] if thread and thread[1] and thread[1][0].isdigit() else None,
                    "articles": reports})
    return out


def alerts(store: Store, pending_only: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    """The outbox, newest first. pending_only: everything not delivered (pending, sending, failed, held)."""
    where = "WHERE a.state IN ('pending', 'sending', 'failed', 'held')" if pending_only else ""
    rows = store.db.query(
        f"SELECT a.id, a.kind, a.state, a.channel, a.vendor, a.attempts, a.next_attempt_at, a.last_error, "
        f"a.unconfirmed, a.created_at, a.sent_at, a.slack_ts, a.thread_ts, a.incident_id, "
        f"a.incident_reason AS linked_because, ar.title, ar.link "
        f"FROM alerts a LEFT JOIN articles ar ON ar.id = a.article_id {where} ORDER BY a.id DESC LIMIT ?", [limit])
    out = []
    for r in rows:
        r = dict(r)
        r["unconfirmed"] = bool(r["unconfirmed"])  # outcome unknown: Slack's history is checked before a resend
        out.append(r)
    return out


def status(store: Store, configured: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Every configured source (name, url, type), with its recorded state."""
    states = store.all_source_states()
    out = []
    for name, url, kind in configured:
        st = states.get(name, {})
        out.append({
            "name": name, "url": url, "type": kind, "last_ok": st.get("last_ok"),
            "last_error": st.get("last_error"), "consecutive_failures": st.get("consecutive_failures") or 0,
            "items_last_fetch": st.get("items_last_fetch"), "last_new_item": st.get("last_new_item"),
            "health": st.get("health") or ("never polled" if not st else "ok"), "next_due": st.get("next_due"),
        })
    return out
