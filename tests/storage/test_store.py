"""Store invariants that a user notices only at scale or after a crash."""

from __future__ import annotations

from monitor.storage.store import Store


def test_dedupe_lookups_use_the_indexes(tmp_path):  # type: ignore[no-untyped-def]
    """A lookup that scans the table costs ~1 s per batch at a million stored articles."""
    store = Store(tmp_path / "m.db")
    queries: list[str] = []
    store.conn.set_trace_callback(queries.append)
    store.known_keys(["news.example/a", "news.example/b"], ["src\x1fsome long title here"])
    store.conn.set_trace_callback(None)
    lookups = [q for q in queries if q.lstrip().upper().startswith("SELECT")]
    assert len(lookups) == 2
    for q in lookups:
        plan = " ".join(str(r[-1]) for r in store.conn.execute("EXPLAIN QUERY PLAN " + q))
        assert "USING" in plan and "INDEX" in plan, (q, plan)
        assert "SCAN articles" not in plan, (q, plan)
    store.close()


def test_known_keys_reports_what_is_stored(tmp_path):  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "m.db")
    with store.write() as db:
        store.insert_article(
            db,
            {
                "source": "s",
                "title": "A long enough title",
                "title_key": "s\x1fa long enough title",
                "link": "https://x/a",
                "link_key": "x/a",
                "published": "2024-01-01T00:00:00Z",
            },
        )
        store.insert_article(
            db,
            {
                "source": "s",
                "title": "Another",
                "title_key": "s\x1fanother\x1f",
                "link": "",
                "link_key": "",
                "published": "2024-01-01T00:00:00Z",
            },
        )
    links, titles = store.known_keys(["x/a", "x/b", ""], ["s\x1fa long enough title", "s\x1fnew"])
    assert links == {"x/a"}  # an empty link key is never "known"
    assert titles == {"s\x1fa long enough title"}
    store.close()


def test_new_articles_are_searchable_and_updates_stay_in_sync(tmp_path):  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "m.db")
    with store.write() as db:
        last = store.last_article_id()
        aid = store.insert_article(
            db,
            {
                "source": "s",
                "title": "イセトーで不正アクセス",
                "title_key": "k1",
                "link": "",
                "link_key": "",
                "summary": "ransomware",
                "published": "2024-01-01T00:00:00Z",
            },
        )
        store.index_new_articles(db, last)

    def hits(term: str) -> list[int]:
        return [
            r[0] for r in store.conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [f'"{term}"'])
        ]

    assert hits("不正アクセス") == [aid] and hits("ransomware") == [aid]
    with store.write() as db:
        db.execute("UPDATE articles SET summary = 'exfiltrated' WHERE id = ?", [aid])
    assert hits("ransomware") == [] and hits("exfiltrated") == [aid]
    with store.write() as db:
        db.execute("DELETE FROM articles WHERE id = ?", [aid])
    assert hits("exfiltrated") == []
    store.close()


def test_alert_lookups_by_incident_and_article_use_indexes(tmp_path):  # type: ignore[no-untyped-def]
    """Each new alert reads the alerts of its vendor's recent incidents, and search shows every result's
    alert: after a year of alerts, a scan per lookup made both slower with every alert sent."""
    import sqlite3

    path = tmp_path / "m.db"
    old = sqlite3.connect(path)  # a version 2 database (before these indexes) is upgraded on open
    Store(path).close()
    old.execute("DROP INDEX IF EXISTS alerts_incident")
    old.execute("DROP INDEX IF EXISTS alerts_article")
    old.execute("PRAGMA user_version = 2")
    old.commit()
    old.close()
    store = Store(path)
    for q in (
        "SELECT ar.title FROM alerts a JOIN articles ar ON ar.id = a.article_id WHERE a.incident_id = 1 "
        "ORDER BY ar.published DESC LIMIT 20",
        "SELECT id, state, incident_id FROM alerts WHERE article_id = 1 ORDER BY id LIMIT 1",
    ):
        plan = " ".join(str(r[-1]) for r in store.conn.execute("EXPLAIN QUERY PLAN " + q))
        assert "SCAN a" not in plan.replace("SCAN ar", "") and "SCAN alerts" not in plan, (q, plan)
    store.close()


def test_search_index_keeps_a_polls_terms_in_memory_also_after_upgrade(tmp_path):  # type: ignore[no-untyped-def]
    """FTS5 writes its pending terms out every 1 MB by default, and a poll's trigrams then went to disk
    as many small segments merged again in the same transaction (30% of indexing). A version 3 database
    gets the larger buffer on open, and what it holds stays searchable."""
    import sqlite3

    from monitor.storage.store import FTS_HASHSIZE

    path = tmp_path / "m.db"
    store = Store(path)
    with store.write() as db:
        store.insert_article(
            db,
            {
                "source": "s",
                "title": "委託先で不正アクセス",
                "title_key": "k1",
                "link": "",
                "link_key": "",
                "summary": "",
                "published": "2024-01-01T00:00:00Z",
            },
        )
        store.index_new_articles(db, 0)
    store.close()
    old = sqlite3.connect(path)
    old.execute("DELETE FROM articles_fts_config WHERE k = 'hashsize'")
    old.execute("PRAGMA user_version = 3")
    old.commit()
    old.close()
    store = Store(path)
    assert store.conn.execute("SELECT v FROM articles_fts_config WHERE k = 'hashsize'").fetchone()[0] == FTS_HASHSIZE
    assert [
        r[0] for r in store.conn.execute("SELECT title FROM articles_fts WHERE articles_fts MATCH '\"不正アクセス\"'")
    ] == ["委託先で不正アクセス"]
    store.close()


def test_unconditional_sources_are_the_ones_that_will_send_a_body(tmp_path):  # type: ignore[no-untyped-def]
    """`monitor run` starts the parser workers early only when some source will send a body: one
    never fetched, one whose URL changed, or one without an ETag or Last-Modified to send back."""
    from monitor.storage.store import unconditional_sources

    path = tmp_path / "m.db"
    feeds = [("a", "https://a.example/feed"), ("b", "https://b.example/feed"), ("c", "https://c.example/feed")]
    assert unconditional_sources(path, feeds) == 3 and not path.exists()  # counted without creating it
    store = Store(path)
    with store.write() as db:
        store.save_source_state(db, "a", url="https://a.example/feed", etag='"v1"')
        store.save_source_state(db, "b", url="https://b.example/feed", last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
        store.save_source_state(db, "c", url="https://c.example/feed")  # the server sent no validators
    store.close()
    assert unconditional_sources(path, feeds) == 1
    assert unconditional_sources(path, feeds[:2]) == 0
    assert unconditional_sources(path, [("a", "https://a.example/new-feed")]) == 1
    assert unconditional_sources(path, [("d", "https://d.example/feed")]) == 1
