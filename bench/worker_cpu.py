"""CPU of the parser workers' share of case 7, in one process: parse_and_decide over the 200 short
feeds, as the workers run it (parse, drop stored items, decide), on an empty database.

Less sensitive to a loaded machine than case 7's wall-clock ratios: CPU seconds, three passes. Run it
for two versions of the code to compare them (PYTHONPATH=<other checkout> picks the other one):

    python bench/run.py short                       # once: writes the feeds and a project with its Matcher cache
    python bench/worker_cpu.py                      # this checkout
    PYTHONPATH=/path/to/other python bench/worker_cpu.py
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def main() -> int:
    import monitor
    from monitor.config import FeedSource
    from monitor.pipeline import workers
    from monitor.storage.store import Store

    warnings.simplefilter("ignore")  # feedparser's deprecation notes, once per feed
    feeds = sorted((OUT / "feeds-short-200x50").glob("*.xml"))
    caches = sorted(OUT.glob("short-*/monitor.db.matcher-*.pickle"))
    if not feeds or not caches:
        print("run `python bench/run.py short` first (it writes the feeds and the Matcher cache)")
        return 1
    ref = workers.MatcherRef(str(caches[0]), caches[0].name.split("matcher-")[1].split(".")[0])
    workers.load_matcher(ref)
    database = Path(tempfile.mkdtemp()) / "monitor.db"
    Store(database).close()
    bodies = [p.read_bytes() for p in feeds]
    source = FeedSource(name="bench", url="http://127.0.0.1/feed.xml")
    now = datetime.now(UTC)
    passes, decisions = [], 0
    for _ in range(3):
        t0 = time.process_time()
        decisions = 0
        for body in bodies:
            decided = workers.parse_and_decide(
                source, body, "application/rss+xml; charset=utf-8", source.url, 500, False, str(database), ref, now
            )
            decisions += len(decided.decisions)
        passes.append(time.process_time() - t0)
    print(
        f"{Path(monitor.__file__).parent}: {len(bodies)} feeds, {decisions} decisions; "
        f"parse + decide CPU per pass {', '.join(f'{p:.2f}' for p in passes)} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
