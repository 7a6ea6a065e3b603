"""A database of n stored articles (half Japanese) for the search case, built once and cached.

monitor.storage.store.Store creates the schema (tables, indexes, FTS5 trigram table and its triggers);
rows then go in with executemany in large transactions, synchronous=OFF, which is fine for a
throw-away benchmark file and about as fast as SQLite inserts go through the FTS triggers.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import workload

SPAN = timedelta(days=3 * 365)
START = workload.NOW - SPAN
BATCH = 50_000
# The vendor named in the rare-name and --vendor queries: a planted vendor (see rows()).
_named = [v for v in workload.vendors(1000) if not v.japanese and len(v.said) >= 5][0]
VENDOR_QUERY = _named.said

QUERIES: list[tuple[str, list[str]]] = [
    ("'ransomware' (common English term)", ["ransomware"]),
    ("'不正アクセス' (common Japanese term)", ["不正アクセス"]),
    (f"'{VENDOR_QUERY}' (a vendor name, rare)", [VENDOR_QUERY]),
    ("'漏洩' (2 characters: LIKE fallback)", ["漏洩"]),
    ("'鰻丼' (2 characters, no hit: full LIKE scan)", ["鰻丼"]),
    ("'ransomware' --breach-only --since 2025-01-01", ["ransomware", "--breach-only", "--since", "2025-01-01"]),
    (f"'breach' --vendor '{_named.name}'", ["breach", "--vendor", _named.name]),
    ("'zzqxv' (no hit)", ["zzqxv"]),
]


def _jp_pool() -> list[tuple[str, str]]:
    with workload.JP_NEWS.open(encoding="utf-8") as f:
        return [(d["タイトル"], d["概要"]) for d in map(json.loads, f)]


def rows(n: int, seed: int = 5) -> Iterator[tuple[tuple, list[tuple], bool]]:
    """(article row, match rows, alert?) for n articles; 3% are planted breach reports naming a vendor."""
    rng = random.Random(seed)
    jp = _jp_pool()
    planted = workload.vendors(1000)
    step = SPAN / n
    for i in range(n):
        src = f"source-{i % 300}"
        japanese = i % 2 == 1
        published = (START + step * i).replace(microsecond=0)
        pub = published.isoformat().replace("+00:00", "Z")
        link_key = f"news{i % 300}.example.com/{published:%Y/%m}/a-{i}"
        matches: list[tuple] = []
        breach = 0
        if rng.random() < 0.03:
            v = rng.choice(planted[:50]) if rng.random() < 0.5 else rng.choice(planted)
            if v == _named or rng.random() < 0.001:
                v = _named
            title_t, body_t = rng.choice(workload.JA_BREACH if v.japanese else workload.EN_BREACH)
            title, summary = title_t.format(n=v.said), body_t.format(n=v.said)
            breach = 1
            matches.append((v.name, v.said, "name", "title", v.said, 0, len(v.said), 100.0))
        elif japanese:
            t, s = rng.choice(jp)
            title, summary = f"{t}（No.{i}）", s
            breach = int("不正アクセス" in s or "漏洩" in s or "ランサムウェア" in s)
        else:
            title = (
                f"{rng.choice(workload.EN_VERBS)} {rng.choice(workload.EN_TOPICS)} "
                f"(CVE-{2022 + i * 3 // n}-{10000 + i})"
            )
            summary = " ".join(rng.sample(workload.EN_SENTENCES, 4))
            if rng.random() < 0.1:
                summary += " The ransomware operators behind the campaign remain active."
        body = (summary + "\n") * 12 if rng.random() < 0.01 else ""
        row = (
            src,
            link_key,
            "https://" + link_key,
            link_key,
            title,
            f"{src}\x1f{title.casefold()}\x1f{link_key}",
            summary,
            body,
            pub,
            pub,
            breach,
            4.5 if breach else 0.0,
            '["ransomware"]' if breach else "[]",
            0,
            0,
        )
        yield row, matches, breach == 1 and bool(matches) and rng.random() < 0.5


def build(path: Path, n: int, say: Callable[[str], None]) -> None:
    from monitor.storage.store import Store

    Store(path).close()
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    cols = (
        "source",
        "guid",
        "link",
        "link_key",
        "title",
        "title_key",
        "summary",
        "body",
        "published",
        "fetched_at",
        "breach",
        "breach_score",
        "terms",
        "supply_chain",
        "follow_up",
    )
    insert = f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    t0 = time.perf_counter()
    gen = rows(n)
    next_id = 1
    done = 0
    while done < n:
        batch = [next(gen) for _ in range(min(BATCH, n - done))]
        conn.execute("BEGIN")
        conn.executemany(insert, [r for r, _, _ in batch])
        match_rows, alert_rows = [], []
        for k, (_, ms, alert) in enumerate(batch):
            aid = next_id + k
            match_rows += [(aid, *m) for m in ms]
            if alert:
                alert_rows.append(("article", aid, ms[0][0], "C0BENCH", "sent", 1, f"article:{aid}", "{}"))
        conn.executemany(
            "INSERT INTO matches (article_id, vendor, matched, how, field, surface, start, end, score) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            match_rows,
        )
        conn.executemany(
            "INSERT INTO alerts (kind, article_id, vendor, channel, state, attempts, dedupe_key, payload) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            alert_rows,
        )
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, summary, body) "
            "SELECT id, title, summary, body FROM articles WHERE id >= ?",
            [next_id],
        )
        conn.execute("COMMIT")
        next_id += len(batch)
        done += len(batch)
        if done % 200_000 == 0 or done == n:
            say(f"  building search DB: {done:,}/{n:,} articles, {time.perf_counter() - t0:.0f} s")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()


def ensure(folder: Path, n: int, say: Callable[[str], None]) -> tuple[Path, float]:
    """The cached database for n articles (built when missing). (path, seconds spent building or 0)."""
    path = folder / "monitor.db"
    stamp = folder / "complete"
    if stamp.exists():
        return path, 0.0
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "feeds.yaml").write_text(
        "database: monitor.db\nsources:\n  - name: placeholder\n    url: http://127.0.0.1:9/feed.xml\n",
        encoding="utf-8",
    )
    t0 = time.perf_counter()
    build(path, n, say)
    stamp.write_text(datetime.now(UTC).isoformat())
    return path, time.perf_counter() - t0
