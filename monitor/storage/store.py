"""The SQLite file: articles (with FTS), matches, incidents, the alert outbox, source state, feedback.

One connection per process, WAL, a busy timeout, and every write transaction
opened with BEGIN IMMEDIATE: a deferred transaction that read before another
process committed fails at once with "database is locked" whatever the timeout.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from ..sources.health import SourceState
from .article_store import known_keys

SCHEMA_VERSION = 6
FTS_HASHSIZE = 16 * 1024 * 1024  # bytes of pending index terms FTS5 keeps in memory before writing a segment


def _use_wal(conn: sqlite3.Connection, timeout: float = 30.0) -> None:
    """Switch the file to WAL, waiting for other processes opening it at the same moment.

    Changing the journal mode needs an exclusive lock, and SQLite answers "database is locked" at
    once instead of calling the busy handler: two runs started together on a new database failed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() == "wal":
                return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError(f"database is locked: could not switch it to WAL within {timeout:g}s")
        time.sleep(0.02)


def read_only(database: str | os.PathLike[str], timeout: float = 30) -> sqlite3.Connection:
    """A connection that can only read (and never creates the file): for lookups outside the run lock."""
    return sqlite3.connect(Path(database).resolve().as_uri() + "?mode=ro", uri=True, timeout=timeout)


def unconditional_sources(database: str | os.PathLike[str], sources: list[tuple[str, str]]) -> int:
    """How many of these (name, url) sources will be fetched without a conditional GET, and so send a
    body: never fetched, URL changed, or no ETag or Last-Modified stored. Reads without creating."""
    path = Path(database)
    if not path.exists():
        return len(sources)
    try:
        conn = read_only(path, timeout=5)
        try:
            states = {
                row[0]: SourceState(url=row[1], etag=row[2], last_modified=row[3])
                for row in conn.execute("SELECT name, url, etag, last_modified FROM sources")
            }
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet, or unreadable: Store() reports that properly
        return len(sources)
    return sum(1 for name, url in sources if not any(states.get(name, SourceState()).validators(url)))


class Store:
    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        new = not self.path.exists()
        if new:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Create user-only before SQLite opens it: the file holds the team's vendor register.
            fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
        self.conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA busy_timeout = 30000")
        _use_wal(self.conn)
        self.conn.execute("PRAGMA synchronous = FULL")  # the outbox must survive power loss
        self.conn.execute("PRAGMA foreign_keys = ON")
        # Savepoints (one per source and one per item while a poll is stored) keep the pages they change
        # in a sub-journal, a temporary file by default: 280 MB of pwrite() per poll of 10,000 items,
        # ~0.1 s of CPU. In memory it holds at most the pages of one source's ingest at a time.
        self.conn.execute("PRAGMA temp_store = MEMORY")
        self.db = sqlite_utils.Database(self.conn)
        self._ensure_schema()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self, durable: bool = True) -> Iterator[sqlite_utils.Database]:
        """A write transaction that takes the write lock up front.

        durable=False commits without waiting for the disk (synchronous NORMAL): the commit survives a
        crash of this process but may be lost with power, until the next durable commit makes the log
        durable up to it. Only for writes whose loss leaves a state that is already safe to recover from."""
        if not durable:
            self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            # SQLite has already rolled back after some errors (SQLITE_FULL): a second ROLLBACK would
            # raise "no transaction is active" and hide the real cause.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            if not durable:
                self.conn.execute("PRAGMA synchronous = FULL")

    @contextmanager
    def savepoint(self, name: str) -> Iterator[None]:
        """Inside write(): when the block raises, undo its writes only, and let the transaction go on.

        Errors of the database itself (disk full, I/O, locked) are not contained: SQLite may already
        have rolled the whole transaction back, and skipping item after item would hide them."""
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException as e:
            if self.recoverable(e):
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
            raise
        else:
            self.conn.execute(f"RELEASE {name}")

    def recoverable(self, error: BaseException) -> bool:
        """Does savepoint() undo this error's writes and leave the transaction usable?"""
        return (
            isinstance(error, Exception)
            and not isinstance(error, (sqlite3.OperationalError, MemoryError))
            and self.conn.in_transaction
        )

    # ------------------------------------------------------------------ schema

    def _ensure_schema(self) -> None:
        with self.write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                return
            db.table("sources").create(
                {
                    "name": str,
                    "url": str,
                    "type": str,
                    "etag": str,
                    "last_modified": str,
                    "last_attempt": str,
                    "last_ok": str,
                    "last_error": str,
                    "consecutive_failures": int,
                    "items_last_fetch": int,
                    "max_items_seen": int,
                    "last_new_item": str,
                    "next_due": str,
                    "health": str,
                    "shared_links": int,
                },
                pk="name",
                if_not_exists=True,
                defaults={"consecutive_failures": 0, "health": "ok", "shared_links": 0, "max_items_seen": 0},
            )
            db.table("articles").create(
                {
                    "id": int,
                    "source": str,
                    "guid": str,
                    "link": str,
                    "link_key": str,
                    "title": str,
                    "title_key": str,
                    "summary": str,
                    "body": str,
                    "published": str,
                    "fetched_at": str,
                    "breach": int,
                    "breach_score": float,
                    "terms": str,
                    "supply_chain": int,
                    "follow_up": int,
                },
                pk="id",
                if_not_exists=True,
            )
            db.execute("CREATE UNIQUE INDEX IF NOT EXISTS articles_link_key ON articles(link_key) WHERE link_key != ''")
            db.execute("CREATE UNIQUE INDEX IF NOT EXISTS articles_title_key ON articles(title_key)")
            db.execute("CREATE INDEX IF NOT EXISTS articles_published ON articles(published)")
            db.table("matches").create(
                {
                    "article_id": int,
                    "vendor": str,
                    "matched": str,
                    "how": str,
                    "field": str,
                    "surface": str,
                    "start": int,
                    "end": int,
                    "score": float,
                    "role": str,
                    "role_reason": str,
                },
                pk=("article_id", "vendor"),
                foreign_keys=[("article_id", "articles", "id")],
                if_not_exists=True,
            )
            # v6: each match's role in its report (matching/roles.py) and why. Matches stored before have
            # none (NULL): search shows them without one rather than guess.
            have = db["matches"].columns_dict
            for column in ("role", "role_reason"):
                if column not in have:
                    db.execute(f"ALTER TABLE matches ADD COLUMN {column} TEXT")
            db.execute("CREATE INDEX IF NOT EXISTS matches_vendor ON matches(vendor)")
            db.table("incidents").create(
                {
                    "id": int,
                    "vendor": str,
                    "title": str,
                    "first_seen": str,
                    "last_seen": str,
                    "reports": int,
                },
                pk="id",
                if_not_exists=True,
            )
            db.execute("CREATE INDEX IF NOT EXISTS incidents_vendor ON incidents(vendor, last_seen)")
            db.table("alerts").create(
                {
                    "id": int,
                    "kind": str,
                    "article_id": int,
                    "incident_id": int,
                    "vendor": str,
                    "channel": str,
                    "state": str,
                    "attempts": int,
                    "next_attempt_at": str,
                    "last_error": str,
                    "created_at": str,
                    "sending_at": str,
                    "sent_at": str,
                    "slack_ts": str,
                    "thread_ts": str,
                    "payload": str,
                    "dedupe_key": str,
                    "unconfirmed": int,
                    "incident_reason": str,
                },
                pk="id",
                if_not_exists=True,
                defaults={"attempts": 0, "state": "pending", "unconfirmed": 0},
            )
            db.execute("CREATE UNIQUE INDEX IF NOT EXISTS alerts_dedupe ON alerts(dedupe_key)")
            db.execute("CREATE INDEX IF NOT EXISTS alerts_state ON alerts(state, next_attempt_at)")
            # v3: joining a report to an incident reads that incident's alerts, and search shows each
            # article's alert; without these, both scanned every alert ever sent.
            db.execute("CREATE INDEX IF NOT EXISTS alerts_incident ON alerts(incident_id)")
            db.execute("CREATE INDEX IF NOT EXISTS alerts_article ON alerts(article_id)")
            db.table("feedback").create(
                {
                    "id": int,
                    "alert_id": int,
                    "verdict": str,
                    "reason": str,
                    "vendor": str,
                    "created_at": str,
                },
                pk="id",
                if_not_exists=True,
            )
            if "suppressions" in db.table_names() and "ctx_before" not in db["suppressions"].columns_dict:
                db.execute("ALTER TABLE suppressions RENAME TO suppressions_v4")
            # v5: a wrong-vendor suppression holds the words around the name ("in the Box franchisee"):
            # keyed on the name alone, "Jack in the Box" silenced every report about Box Inc.
            db.table("suppressions").create(
                {
                    "vendor": str,
                    "matched": str,
                    "ctx_before": str,
                    "ctx_after": str,
                    "reason": str,
                    "alert_id": int,
                    "created_at": str,
                },
                pk=("vendor", "matched", "ctx_before", "ctx_after"),
                if_not_exists=True,
                defaults={"ctx_before": "", "ctx_after": ""},
                not_null={"ctx_before", "ctx_after"},
            )
            if "suppressions_v4" in db.table_names():
                self._migrate_suppressions(db)
            # v5: articles analysts labelled "not a breach": near-identical titles are not alerted again.
            db.table("negatives").create(
                {
                    "article_id": int,
                    "alert_id": int,
                    "title": str,
                    "title_folded": str,
                    "summary": str,
                    "vendors": str,
                    "reason": str,
                    "created_at": str,
                },
                pk="article_id",
                if_not_exists=True,
            )
            if "articles_fts" not in db.table_names():
                # trigram: FTS5's default tokenizer does not split Japanese, which has no spaces.
                db.table("articles").enable_fts(["title", "summary", "body"], tokenize="trigram", create_triggers=True)
            # New rows are indexed in bulk by index_new_articles(): through the per-row insert trigger,
            # indexing cost 2.3x more (measured: 137 vs 61 us per article). Update/delete triggers stay.
            db.execute("DROP TRIGGER IF EXISTS articles_ai")
            # v4: at FTS5's default 1 MB, a poll's trigrams were written out as many small segments
            # and merged again inside the same transaction; 16 MB took 30% off indexing (57-65 -> 38-47
            # us per article, 10k bench articles, four interleaved runs). Kept in the index's config.
            db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', ?)", [FTS_HASHSIZE])
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _migrate_suppressions(self, db: sqlite_utils.Database) -> None:
        """v4 suppressions were (vendor, matched text) anywhere. Each gets the context it was found in,
        read from its alert's article; one whose article is gone keeps suppressing the text anywhere."""
        from ..matching.context import context_of
        from ..normalize import fold

        for vendor, matched, reason, alert_id, created_at in db.execute(
            "SELECT vendor, matched, reason, alert_id, created_at FROM suppressions_v4"
        ).fetchall():
            before = after = ""
            found = db.execute(
                "SELECT m.field, m.surface, m.start, m.end, a.title, a.summary, a.body, a.link FROM alerts al "
                "JOIN articles a ON a.id = al.article_id JOIN matches m ON m.article_id = a.id "
                "WHERE al.id = ? AND m.vendor = ?",
                [alert_id, vendor],
            ).fetchone()
            if found is not None and (fold(found[1] or "") or matched) == matched:
                texts = dict(zip(("title", "summary", "body", "link"), found[4:], strict=True))
                before, after = context_of(
                    texts.get(found[0]) or "", found[2] if found[2] is not None else -1, found[3] or 0
                )
            db.execute(
                "INSERT OR REPLACE INTO suppressions (vendor, matched, ctx_before, ctx_after, reason, alert_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [vendor, matched, before, after, reason, alert_id, created_at],
            )
        db.execute("DROP TABLE suppressions_v4")

    # ------------------------------------------------------------------ sources

    def all_source_states(self) -> dict[str, dict[str, Any]]:
        return {r["name"]: r for r in self.db["sources"].rows}

    def source_states(self) -> dict[str, SourceState]:
        """Each source's stored state, by name, for the cycle and the daemon's schedule."""
        return {r["name"]: SourceState.from_row(r) for r in self.db["sources"].rows}

    def save_source_state(self, db: sqlite_utils.Database, name: str, **fields: Any) -> None:
        """Insert the source's row or update the given columns (sqlite-utils' upsert, without its
        per-call schema introspection: this runs for every source every cycle)."""
        columns = ", ".join(f'"{c}"' for c in ("name", *fields))
        placeholders = ", ".join("?" for _ in range(len(fields) + 1))
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in fields) or '"name" = excluded."name"'
        self.conn.execute(
            f"INSERT INTO sources ({columns}) VALUES ({placeholders}) ON CONFLICT(name) DO UPDATE SET {updates}",
            [name, *fields.values()],
        )

    # ------------------------------------------------------------------ articles

    def known_keys(self, link_keys: list[str], title_keys: list[str]) -> tuple[set[str], set[str]]:
        return known_keys(self.conn, link_keys, title_keys)

    def last_article_id(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()[0])

    def index_new_articles(self, db: sqlite_utils.Database, after_id: int) -> None:
        """Add articles with id > after_id to the search index. Call in the transaction that inserted them."""
        self.conn.execute(
            "INSERT INTO articles_fts (rowid, title, summary, body) "
            "SELECT id, title, summary, body FROM articles WHERE id > ?",
            [after_id],
        )

    def insert_article(self, db: sqlite_utils.Database, row: dict[str, Any]) -> int | None:
        """INSERT OR IGNORE; the new id, or None when it was already stored (rowcount, not last_pk).

        The caller indexes new rows for search with index_new_articles() before committing."""
        # The raw connection: sqlite-utils' per-call bookkeeping cost more than the insert (10k rows a poll).
        cur = self.conn.execute(_insert_sql("articles", tuple(row)), list(row.values()))
        return cur.lastrowid if cur.rowcount == 1 else None

    _MATCH_COLS = (
        "article_id",
        "vendor",
        "matched",
        "how",
        "field",
        "surface",
        "start",
        "end",
        "score",
        "role",
        "role_reason",
    )

    def insert_matches(self, db: sqlite_utils.Database, article_id: int, matches: list[dict[str, Any]]) -> None:
        if matches:
            self.conn.executemany(
                _insert_sql("matches", self._MATCH_COLS, "OR REPLACE"),
                [[article_id, *(m.get(c) for c in self._MATCH_COLS[1:])] for m in matches],
            )

    # ------------------------------------------------------------------ suppressions

    def suppressions(self) -> list[tuple[str, str, str, str]]:
        """(vendor, matched, text before, text after) of every wrong-vendor suppression."""
        return [
            (r[0], r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT vendor, matched, ctx_before, ctx_after FROM suppressions ORDER BY vendor, matched"
            )
        ]

    def negatives(self) -> list[str]:
        """Folded titles of the articles labelled "not a breach"."""
        return [r[0] for r in self.db.execute("SELECT title_folded FROM negatives")]


@functools.lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], conflict: str = "OR IGNORE") -> str:
    """Built once per column list: a poll inserts ~10k rows with the same columns."""
    return f"INSERT {conflict} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps(obj: Any) -> str:
    # One encoder: json.dumps() with options builds a new JSONEncoder on every call.
    return _ENCODER.encode(obj)
