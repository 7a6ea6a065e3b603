"""The fetch alone: monitor's fetcher (`sources/fetch.fetch_many`, default limits) against the bare loops'
sync httpx client, on the newsroom bench's pages (one loopback host each, bench/newsroom_server.py).
An unchanged newsroom re-poll is little more than this fetch, so its ratio bounds case 8's re-poll.

    python bench/fetch_bench.py            # 2,000 pages, 3 alternating rounds
    python bench/fetch_bench.py 500 5
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import newsroom_bench  # noqa: E402


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def sync_loop(urls: list[str]) -> int:
    import httpx

    with httpx.Client(trust_env=False) as client:
        return sum(len(client.get(u).content) for u in urls)


def monitor_fetch(urls: list[str]) -> int:
    from monitor.sources import fetch

    got = asyncio.run(fetch.fetch_many([fetch.Request(u) for u in urls], fetch.Limits()))
    bad = [r for r in got if not isinstance(r, fetch.Response)]
    if bad:
        raise SystemExit(f"{len(bad)} fetches failed, first: {bad[0]}")
    return sum(len(r.body) for r in got if isinstance(r, fetch.Response))


def main(n: int = 2000, rounds: int = 3) -> None:
    cpu: dict[str, list[float]] = {"sync httpx loop": [], "monitor fetch_many": []}
    with newsroom_bench.newsroom_server(n) as (port, hosts):
        urls = [f"http://{h}:{port}/news/" for h in hosts]
        sync_loop(urls)  # warm the server and the imports
        monitor_fetch(urls)
        for _ in range(rounds):
            for name, fn in (("sync httpx loop", sync_loop), ("monitor fetch_many", monitor_fetch)):
                c0, t0 = _cpu(), time.perf_counter()
                size = fn(urls)
                wall, used = time.perf_counter() - t0, _cpu() - c0
                cpu[name].append(used)
                print(f"  {name:20} {wall:6.2f} s wall {used:6.2f} s CPU  {size:,} bytes", flush=True)
    a, b = (statistics.median(v) for v in cpu.values())
    print(f"fetch of {n} pages: CPU monitor / sync httpx (medians) {b / a:.2f}x; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
