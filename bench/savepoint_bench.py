"""What the per-item SAVEPOINT (issue 20: a failing item is undone alone) costs the store stage.

    python bench/savepoint_bench.py [articles]

Inserts the same articles into two fresh SQLite files in one transaction each, once plainly and once
with every article in its own SAVEPOINT as Monitor._ingest does, alternating 5 rounds, and prints the
median ratio. Run beside nothing else: the machine has 2 noisy cores.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.storage.store import Store  # noqa: E402


def one(n: int, savepoints: bool) -> float:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "m.db") as store:
        rows = [
            {
                "source": "s",
                "guid": f"g{i}",
                "link": f"https://e.example/{i}",
                "link_key": f"e.example/{i}",
                "title": f"Title {i} about a data breach",
                "title_key": f"s\x1ftitle {i}",
                "summary": "x" * 300,
                "body": "",
                "published": "2024-06-05T09:00:00Z",
                "fetched_at": "2024-06-05T09:00:00Z",
                "breach": 1,
                "breach_score": 1.0,
                "terms": "[]",
                "supply_chain": 0,
                "follow_up": 0,
            }
            for i in range(n)
        ]
        start = time.perf_counter()
        with store.write() as db:
            for row in rows:
                with store.savepoint("item") if savepoints else nullcontext():
                    store.insert_article(db, row)
        return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    plain, saved = [], []
    for _ in range(5):
        plain.append(one(n, False))
        saved.append(one(n, True))
    p, s = statistics.median(plain), statistics.median(saved)
    print(
        f"{n} articles in one transaction: plain {p:.3f}s, with a savepoint each {s:.3f}s, ratio {s / p:.2f}x "
        f"({(s - p) / n * 1e6:.1f} µs per article)"
    )


if __name__ == "__main__":
    main()
