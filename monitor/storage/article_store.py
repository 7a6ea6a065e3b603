"""The articles table read by key: which dedupe keys are stored already (the cycle's and the parser
workers' lookup), and each stored article with its matches and first alert (the demo's report)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils


def known_keys(conn: sqlite3.Connection, link_keys: list[str], title_keys: list[str]) -> tuple[set[str], set[str]]:
    """Which of these dedupe keys are stored already: one query per key kind, not per item."""

    def present(column: str, keys: list[str], extra: str = "") -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            found.update(
                key
                for (key,) in conn.execute(
                    f"SELECT {column} FROM articles WHERE {column} IN ({','.join('?' * len(chunk))}){extra}", chunk
                )
            )
        return found

    # articles_link_key is a partial index (WHERE link_key != ''): SQLite uses it only when the query
    # repeats that condition; without it every lookup scans the table (1 s per batch at 1M articles).
    return present("link_key", link_keys, " AND link_key != ''"), present("title_key", title_keys)


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored article as the demo reports it."""

    article: dict[str, Any]  # its articles row
    matches: list[dict[str, Any]]  # vendor, matched, how, field, surface of each match, by vendor
    alert: tuple[int, str, str] | None  # id, state and payload of its first alert, if any


def stored_articles(db: sqlite_utils.Database) -> Iterator[Stored]:
    """Every stored article in the order stored."""
    for art in db.query("SELECT * FROM articles ORDER BY id"):
        matches = list(
            db.query(
                "SELECT vendor, matched, how, field, surface FROM matches WHERE article_id = ? ORDER BY vendor",
                [art["id"]],
            )
        )
        row = db.execute(
            "SELECT id, state, payload FROM alerts WHERE article_id = ? ORDER BY id LIMIT 1", [art["id"]]
        ).fetchone()
        yield Stored(art, matches, None if row is None else (row[0], row[1], row[2]))
