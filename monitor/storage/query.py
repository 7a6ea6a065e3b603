"""Read-side queries for the CLI: search, incidents, the outbox, source status.

Each answer is a list of TypedDicts: what `--json` prints, key for key and in this order, and what the
tables read. Raw rows (`SELECT a.*`) stay dict[str, Any] until they are shaped into one of these.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

from ..alerting.triage import state_json
from ..errors import MonitorError
from ..normalize import fold
from . import incident_store, triage_store
from .alert_store import is_slack_ts
from .feedback import Suppression, suppressed_by
from .searchquery import Clause, QuerySyntaxError
from .searchquery import parse as parse_query

if TYPE_CHECKING:
    from .store import Store


class SuppressionOut(TypedDict):
    """The wrong-vendor verdict that withholds a match: why, from which alert, since when, in what words."""

    reason: str
    alert_id: int | None
    since: str
    context: str


class MatchOut(TypedDict):
    """A stored match of an article (role columns None before v6)."""

    vendor: str
    matched: str
    how: str
    field: str
    surface: str | None
    start: int | None
    end: int | None
    score: float | None
    role: str | None
    role_reason: str | None
    suppressed: bool
    suppression: SuppressionOut | None


class FeedbackOut(TypedDict):
    verdict: str
    reason: str
    vendor: str | None
    at: str


class ArticleOut(TypedDict):
    """An article as `monitor search` shows it: its facts, matches, first alert and feedback."""

    id: int
    title: str | None
    url: str | None
    source: str
    published: str | None
    summary: str | None
    vendors: list[str]
    breach: bool
    breach_score: float | None
    breach_terms: list[str]
    supply_chain: bool
    follow_up: bool
    matches: list[MatchOut]
    alert_id: int | None
    alert_state: str | None
    incident_id: int | None
    feedback: list[FeedbackOut]
    triage: dict[str, Any] | None  # alerting.triage.state_json
    snippet: NotRequired[str]  # search's passage around the hits


class IncidentReportOut(TypedDict):
    """One report of an incident: its alert and article."""

    alert_id: int
    alert_state: str
    linked_because: str | None
    article_id: int
    title: str | None
    url: str | None
    source: str
    published: str | None
    triage: NotRequired[dict[str, Any]]  # alerting.triage.state_json


class IncidentOut(TypedDict):
    id: int
    vendor: str
    vendors: list[str]
    title: str
    first_seen: str
    last_seen: str
    reports: int
    sources: list[str]
    slack_channel: str | None
    slack_thread_ts: str | None
    articles: list[IncidentReportOut]
    edits: list[dict[str, Any]]  # incident_store.edits: the incident_edits rows
    muted: NotRequired[bool]


class RoleOut(TypedDict):
    vendor: str
    role: str
    reason: str


class AlertOut(TypedDict):
    """A row of the outbox as `monitor alerts` shows it."""

    id: int
    kind: str
    state: str
    channel: str | None
    vendor: str | None
    attempts: int
    next_attempt_at: str | None
    last_error: str | None
    unconfirmed: bool
    created_at: str
    sent_at: str | None
    slack_ts: str | None
    thread_ts: str | None
    incident_id: int | None
    linked_because: str | None
    title: str | None
    url: str | None
    triage: NotRequired[dict[str, Any]]  # alerting.triage.state_json
    vendors: NotRequired[list[str]]
    roles: NotRequired[list[RoleOut]]


class SourceStatus(TypedDict):
    name: str
    url: str
    type: str
    last_ok: str | None
    last_error: str | None
    consecutive_failures: int
    items_last_fetch: int | None
    last_new_item: str | None
    health: str
    next_due: str | None
    note: NotRequired[str | None]  # a newsroom's robots.txt refusal, or why its page gives nothing (cli)


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
TRIGRAM = 3  # the FTS5 trigram index cannot look up shorter terms


def _indexed(clause: Clause) -> bool:
    return all(len(a) >= TRIGRAM for a in clause.alternatives)


MARK = ("«", "»")  # around the matched term in a snippet: rare in news text, Japanese or English
SNIPPET_TOKENS = 40  # FTS5 snippet() length in tokens: a trigram token per character, so ~40 characters


def short_terms_only(query: str) -> bool:
    """Does no term reach the index (each under 3 characters), so only the newest articles are scanned?"""
    try:
        return not any(_indexed(c) for c in parse_query(query).positive)
    except QuerySyntaxError:
        return False


def _like_any(alternatives: tuple[str, ...], params: list[Any]) -> str:
    ors = []
    for a in alternatives:
        like = f"%{a.replace('%', '').replace('_', '')}%"
        ors.append("a.title LIKE ? OR a.summary LIKE ? OR a.body LIKE ?")
        params += [like, like, like]
    return "(" + " OR ".join(ors) + ")"


def _fts_any(alternatives: tuple[str, ...]) -> str:
    return "(" + " OR ".join(_fts_phrase(a) for a in alternatives) + ")"


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    vendor: str | None = None,
    since: str | None = None,
    breach_only: bool = False,
    limit: int = 20,
) -> list[ArticleOut]:
    """Full-text search (FTS5 trigram, so Japanese works) in the language of monitor/searchquery.py.

    Terms of 3 or more characters use the index; a term (or OR group) with a shorter spelling falls
    back to LIKE, over the newest SHORT_TERM_WINDOW articles when nothing else narrows the search.
    The newest stored articles that match come first (then the page is sorted by published date).
    Walking the FTS index in rowid order stops after `limit` hits; sorting every hit by date
    first cost 0.3-0.9 s for common terms at a million articles.
    """
    try:
        parsed = parse_query(query)
    except QuerySyntaxError as e:
        raise MonitorError(f"search: {e}") from e
    conn.row_factory = sqlite3.Row
    where: list[str] = []
    params: list[Any] = []
    indexed = [c for c in parsed.positive if _indexed(c)]
    if indexed:
        # snippet(): the best-matching column's passage around the hits, hits marked.
        sql = (
            f"SELECT a.*, snippet(articles_fts, -1, '{MARK[0]}', '{MARK[1]}', '…', {SNIPPET_TOKENS}) AS snippet "
            "FROM articles_fts f JOIN articles a ON a.id = f.rowid"
        )
        where.append("articles_fts MATCH ?")
        params.append(" AND ".join(_fts_any(c.alternatives) for c in indexed))
        order = "f.rowid DESC"
    else:
        sql = "SELECT a.* FROM articles a"
        order = "a.id DESC"
        if parsed.positive:
            # LIKE scans, so bound the scan.
            where.append("a.id > (SELECT COALESCE(MAX(id), 0) FROM articles) - ?")
            params.append(SHORT_TERM_WINDOW)
    for c in parsed.positive:
        if not _indexed(c):
            where.append(_like_any(c.alternatives, params))
    for c in parsed.negative:
        if _indexed(c):
            where.append("NOT EXISTS (SELECT 1 FROM articles_fts x WHERE x.rowid = a.id AND x.articles_fts MATCH ?)")
            params.append(_fts_any(c.alternatives))
        else:
            where.append("NOT " + _like_any(c.alternatives, params))
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
    out: list[ArticleOut] = []
    for r in rows:
        article = _article_out(conn, r)
        article["snippet"] = r.get("snippet") or _snippet(r, [a for c in parsed.positive for a in c.alternatives])
        out.append(article)
    return out


def _snippet(r: dict[str, Any], terms: list[str], around: int = 24) -> str:
    """The passage around the first term found, marked like FTS5's snippet(): for the terms under 3
    characters, which the trigram index cannot look up (found with LIKE)."""
    for name in ("title", "summary", "body"):
        text = " ".join((r.get(name) or "").split())
        low = text.lower()
        hits = [(low.find(t.lower()), t) for t in terms if t and low.find(t.lower()) >= 0]
        if hits:
            pos, term = min(hits)
            start, end = max(0, pos - around), min(len(text), pos + len(term) + around)
            return (
                ("…" if start else "")
                + text[start:pos]
                + MARK[0]
                + text[pos : pos + len(term)]
                + MARK[1]
                + text[pos + len(term) : end]
                + ("…" if end < len(text) else "")
            )
    return ""


def _has_roles(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "role" for row in conn.execute("PRAGMA table_info(matches)"))


def _article_out(conn: sqlite3.Connection, r: dict[str, Any]) -> ArticleOut:
    # A database not yet opened for writing since v6 has no role columns: shown as no role.
    roles = "role, role_reason" if _has_roles(conn) else "NULL AS role, NULL AS role_reason"
    matches = [
        MatchOut(
            vendor=m["vendor"],
            matched=m["matched"],
            how=m["how"],
            field=m["field"],
            surface=m["surface"],
            start=m["start"],
            end=m["end"],
            score=m["score"],
            role=m["role"],
            role_reason=m["role_reason"],
            suppressed=False,
            suppression=None,
        )
        for m in conn.execute(
            f"SELECT vendor, matched, how, field, surface, start, end, score, {roles} FROM matches "
            "WHERE article_id = ? ORDER BY vendor",
            [r["id"]],
        )
    ]
    alert = conn.execute(
        "SELECT id, state, incident_id FROM alerts WHERE article_id = ? ORDER BY id LIMIT 1", [r["id"]]
    ).fetchone()
    feedback: list[FeedbackOut] = []
    if alert:
        feedback = [
            FeedbackOut(verdict=f["verdict"], reason=f["reason"], vendor=f["vendor"] or None, at=f["created_at"])
            for f in conn.execute("SELECT * FROM feedback WHERE alert_id = ? ORDER BY id", [alert[0]])
        ]
    texts: dict[str, str] = {}
    for m in matches:
        rows = conn.execute(
            "SELECT vendor, matched, ctx_before, ctx_after, reason, alert_id, created_at "
            "FROM suppressions WHERE vendor = ? AND matched IN (?, ?)",
            [m["vendor"], m["matched"], fold(m["surface"] or "")],
        ).fetchall()
        sup = None
        if rows:
            if not texts:
                texts = dict(
                    zip(
                        ("title", "summary", "body", "link"),
                        conn.execute(
                            "SELECT title, summary, body, link FROM articles WHERE id = ?", [r["id"]]
                        ).fetchone(),
                        strict=True,
                    )
                )
            from ..matching.matcher import Match  # only for a suppressed match: a search never loads the matcher

            match = Match(
                m["vendor"],
                m["matched"],
                m["how"],
                m["field"],
                m["surface"] or "",
                -1 if m["start"] is None else m["start"],
                m["end"] or 0,
                m["score"] or 0.0,
            )
            covering = suppressed_by(
                [Suppression(*row[:4]) for row in rows], match, {k: v or "" for k, v in texts.items()}
            )
            sup = next((row for row in rows if covering is not None and Suppression(*row[:4]) == covering), None)
        m["suppressed"] = sup is not None
        m["suppression"] = (
            SuppressionOut(reason=sup[4], alert_id=sup[5], since=sup[6], context=Suppression(*sup[:4]).context)
            if sup
            else None
        )
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
        "triage": state_json(triage_store.marks(conn, [alert[0]]).get(alert[0], [])) if alert else None,
    }


def incidents(store: Store, limit: int = 100) -> list[IncidentOut]:
    """Incidents, latest first: vendors named by their reports, first and last report, each report."""
    out: list[IncidentOut] = []
    for r in store.db.query("SELECT * FROM incidents ORDER BY last_seen DESC, id DESC LIMIT ?", [limit]):
        reports = [
            IncidentReportOut(
                alert_id=x["alert_id"],
                alert_state=x["alert_state"],
                linked_because=x["linked_because"],
                article_id=x["article_id"],
                title=x["title"],
                url=x["url"],
                source=x["source"],
                published=x["published"],
            )
            for x in store.db.query(
                "SELECT a.id AS alert_id, a.state AS alert_state, a.incident_reason AS linked_because, "
                "ar.id AS article_id, ar.title, ar.link AS url, ar.source, ar.published "
                "FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE a.incident_id = ? "
                "ORDER BY ar.published, a.id",
                [r["id"]],
            )
        ]
        vendors = sorted(
            {
                m["vendor"]
                for m in store.db.query(
                    "SELECT DISTINCT m.vendor FROM alerts a JOIN matches m ON m.article_id = a.article_id "
                    "WHERE a.incident_id = ?",
                    [r["id"]],
                )
            }
            | {r["vendor"]}
        )
        thread = store.db.execute(
            "SELECT channel, slack_ts FROM alerts WHERE incident_id = ? AND kind = 'article' AND state = 'sent' "
            "AND COALESCE(incident_reason, '') NOT LIKE '% by hand from incident #%' ORDER BY id LIMIT 1",
            [r["id"]],
        ).fetchone()
        out.append(
            IncidentOut(
                id=r["id"],
                vendor=r["vendor"],
                vendors=vendors,
                title=r["title"],
                first_seen=r["first_seen"],
                last_seen=r["last_seen"],
                reports=r["reports"],
                sources=sorted({x["source"] for x in reports}),
                slack_channel=thread[0] if thread else None,
                slack_thread_ts=thread[1] if thread and is_slack_ts(thread[1]) else None,
                articles=reports,
                edits=incident_store.edits(store, r["id"]),
            )
        )
        marks = triage_store.marks(store.conn, [x["alert_id"] for x in reports])
        for x in reports:
            x["triage"] = state_json(marks.get(x["alert_id"], []))
        out[-1]["muted"] = r["id"] in triage_store.muted_incidents(store.conn)  # from Slack (no_bell)
    return out


def alerts(store: Store, pending_only: bool = False, limit: int = 100) -> list[AlertOut]:
    """The outbox, newest first. pending_only: everything not delivered (pending, sending, failed, held)."""
    where = "WHERE a.state IN ('pending', 'sending', 'failed', 'held', 'collapsed')" if pending_only else ""
    rows = store.db.query(
        f"SELECT a.id, a.kind, a.state, a.channel, a.vendor, a.attempts, a.next_attempt_at, a.last_error, "
        f"a.unconfirmed, a.created_at, a.sent_at, a.slack_ts, a.thread_ts, a.incident_id, "
        f"a.incident_reason AS linked_because, ar.title, ar.link AS url "
        f"FROM alerts a LEFT JOIN articles ar ON ar.id = a.article_id {where} ORDER BY a.id DESC LIMIT ?",
        [limit],
    )
    out = [
        AlertOut(
            id=r["id"],
            kind=r["kind"],
            state=r["state"],
            channel=r["channel"],
            vendor=r["vendor"],
            attempts=r["attempts"],
            next_attempt_at=r["next_attempt_at"],
            last_error=r["last_error"],
            unconfirmed=bool(r["unconfirmed"]),  # outcome unknown: Slack's history is checked before a resend
            created_at=r["created_at"],
            sent_at=r["sent_at"],
            slack_ts=r["slack_ts"],
            thread_ts=r["thread_ts"],
            incident_id=r["incident_id"],
            linked_because=r["linked_because"],
            title=r["title"],
            url=r["url"],
        )
        for r in rows
    ]
    marks = triage_store.marks(store.conn, [a["id"] for a in out])
    for a in out:
        a["triage"] = state_json(marks.get(a["id"], []))  # verdicts set from Slack (reactions, buttons)
        a["vendors"] = _alerted_vendors(store, a)
        a["roles"] = _alerted_roles(store, a)
    return out


def _alerted_roles(store: Store, alert: AlertOut) -> list[RoleOut]:
    """Each vendor of the alert with its role in the report and why (empty before roles were stored)."""
    if "role" not in store.db["matches"].columns_dict:
        return []
    wanted = ("product",) if alert["kind"] == "product" else ("breached", "affected")
    found = {
        v: RoleOut(vendor=v, role=role, reason=reason or "")
        for v, role, reason in store.conn.execute(
            f"SELECT m.vendor, m.role, m.role_reason FROM alerts a JOIN matches m ON m.article_id = a.article_id "
            f"WHERE a.id = ? AND m.role IN ({','.join('?' * len(wanted))}) ORDER BY m.vendor",
            [alert["id"], *wanted],
        )
    }
    return [found[v] for v in alert.get("vendors", []) if v in found]


def _alerted_vendors(store: Store, alert: AlertOut) -> list[str]:
    """Every vendor an alert is about: its article's matches whose role alerts (breached or affected, or
    product for a product alert), the primary vendor first; the primary alone before roles were stored."""
    wanted = ("product",) if alert["kind"] == "product" else ("breached", "affected")
    names = (
        [
            v
            for (v,) in store.conn.execute(
                f"SELECT m.vendor FROM alerts a JOIN matches m ON m.article_id = a.article_id WHERE a.id = ? "
                f"AND m.role IN ({','.join('?' * len(wanted))}) ORDER BY m.vendor",
                [alert["id"], *wanted],
            )
        ]
        if "role" in store.db["matches"].columns_dict
        else []
    )
    primary = [alert["vendor"]] if alert["vendor"] else []
    return primary + [n for n in names if n not in primary]


def status(store: Store, configured: list[tuple[str, str, str]]) -> list[SourceStatus]:
    """Every configured source (name, url, type), with its recorded state."""
    states = store.all_source_states()
    out: list[SourceStatus] = []
    for name, url, kind in configured:
        st = states.get(name, {})
        out.append(
            SourceStatus(
                name=name,
                url=url,
                type=kind,
                last_ok=st.get("last_ok"),
                last_error=st.get("last_error"),
                consecutive_failures=st.get("consecutive_failures") or 0,
                items_last_fetch=st.get("items_last_fetch"),
                last_new_item=st.get("last_new_item"),
                health=st.get("health") or ("never polled" if not st else "ok"),
                next_due=st.get("next_due"),
            )
        )
    return out
