"""Case newsroom of `make bench` (issue 16): 2,000 vendor newsrooms, one host each on 127.0.0.0/8
(bench/newsroom_server.py), polled by `monitor run --once` from vendors.csv alone (`sources: []`),
against a bare loop that fetches the same pages and parses them with BeautifulSoup (lxml, the parser
monitor uses). Alternating pairs on one machine; the verdict is the median pair.

  first poll: a fresh database: robots.txt of every host, each page fetched once, discovery and
              reading (one parse), every notice stored, the recent ones' linked notices fetched;
  re-poll:    nothing changed, and the server ignores conditional GET: each page fetched again,
              its content hash says it is the one already parsed, nothing is parsed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGETS = {"newsroom_first": 1.5, "newsroom_repoll": 0.25}
LIMITS = {"fetch_timeout": "30s", "parse_timeout": "60s", "max_alerts_per_cycle": 1000}  # per_host: the default 2


@contextmanager
def newsroom_server(n: int) -> Iterator[tuple[int, list[str]]]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "newsroom_server.py"), str(n)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(proc.stdout.readline())  # type: ignore[union-attr]
        hosts = proc.stdout.readline().split()  # type: ignore[union-attr]
        yield port, hosts
    finally:
        proc.kill()
        proc.wait()


def write_project(folder: Path, urls: list[str], names: list[str]) -> Path:
    """feeds.yaml with no sources and a vendors.csv giving each vendor its newsroom; a fresh database
    (the Matcher cache kept, as in a deployment whose vendors.csv did not change)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.glob("monitor.db*"):
        if not p.name.startswith(("monitor.db.matcher-", "monitor.db.vendors-")):
            p.unlink()
    rows = ["name,criticality,owner,newsroom"] + [
        '"' + name.replace('"', '""').replace("|", " ") + f'",high,<@U0SEC>,{url}'
        for name, url in zip(names, urls, strict=True)
    ]
    (folder / "vendors.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = folder / "feeds.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "vendors": "vendors.csv",
                "database": "monitor.db",
                "slack": {"min_interval": "0s"},
                "limits": LIMITS,
                "sources": [],
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return path


def bare_loop(urls: list[str]) -> tuple[float, int]:
    """Fetch every newsroom page in turn and parse it with BeautifulSoup (lxml). (seconds, links seen)."""
    import httpx
    from bs4 import BeautifulSoup

    links = 0
    t0 = time.perf_counter()
    with httpx.Client(trust_env=False) as client:
        for url in urls:
            resp = client.get(url)
            soup = BeautifulSoup(resp.content, "lxml")
            links += len(soup.find_all("a"))
    return time.perf_counter() - t0, links


def case_newsroom(
    n: int,
    pairs: int,
    timeout: float,
    out: Path,
    run_once: Any,
    slack_standin: Any,
    vendor_names: list[str],
    say: Any,
    verdict: Any,
    results: dict[str, Any],
) -> None:
    say(
        f"case 8  vendor newsrooms: {n} newsrooms on {n} loopback hosts (per_host 2), pages in 6 layouts, "
        "no ETag (the server ignores conditional GET)"
    )
    with newsroom_server(n) as (port, hosts), slack_standin() as slack:
        urls = [f"http://{h}:{port}/news/" for h in hosts]
        bare_loop(urls)  # warm the server and the page cache
        folder = out / f"newsroom-{n}"
        config = write_project(folder, urls, vendor_names[:n])
        run_once(config, slack, timeout)  # builds the Matcher cache once
        first: list[tuple[float, Any]] = []
        repoll: list[tuple[float, Any]] = []
        for _ in range(pairs):
            config = write_project(folder, urls, vendor_names[:n])
            b1, _ = bare_loop(urls)
            first.append((b1, run_once(config, slack, timeout)))
            b2, _ = bare_loop(urls)
            repoll.append((b2, run_once(config, slack, timeout)))
    r_first = sorted(r.wall / b for b, r in first)
    r_repoll = sorted(r.wall / b for b, r in repoll)
    m_first, m_repoll = statistics.median(r_first), statistics.median(r_repoll)
    bare = statistics.median([b for b, _ in first + repoll])
    t_first = statistics.median([r.wall for _, r in first])
    t_repoll = statistics.median([r.wall for _, r in repoll])
    unchanged = statistics.median([r.stderr.count(": not modified") for _, r in repoll])
    say(f"  bare fetch + BeautifulSoup parse (median)    {bare:8.2f} s  ({1000 * bare / n:.2f} ms per newsroom)")
    say(
        f"  monitor run --once, first poll (median)      {t_first:8.2f} s  ({1000 * t_first / n:.2f} ms per newsroom; "
        f"{_summary(first[-1][1])})"
    )
    say(
        f"  monitor run --once, unchanged (median)       {t_repoll:8.2f} s  ({1000 * t_repoll / n:.2f} ms per newsroom; "
        f"{unchanged:.0f} of {n} not modified)"
    )
    say(f"  pairs first poll / bare                      {', '.join(f'{r:.2f}x' for r in r_first)}")
    say(f"  pairs re-poll / bare                         {', '.join(f'{r:.2f}x' for r in r_repoll)}")
    say(
        f"  ratio first poll / bare loop (median pair)   {m_first:8.2f}x  target <= {TARGETS['newsroom_first']}x  "
        f"{verdict(m_first, TARGETS['newsroom_first'])}"
    )
    say(
        f"  ratio unchanged re-poll / bare (median pair) {m_repoll:8.2f}x  target <= {TARGETS['newsroom_repoll']}x  "
        f"{verdict(m_repoll, TARGETS['newsroom_repoll'])}"
    )
    per_hour_repoll = 3600 / (t_repoll / n)
    per_hour_first = 3600 / (t_first / n)
    say(
        f"  newsrooms one machine polls in an hour       {per_hour_repoll:,.0f} unchanged, {per_hour_first:,.0f} "
        "if every page changed (wall time of one run --once per newsroom, this machine)"
    )
    results["newsroom"] = {
        "newsrooms": n,
        "bare_s": bare,
        "first_s": t_first,
        "repoll_s": t_repoll,
        "first_ratios": r_first,
        "repoll_ratios": r_repoll,
        "first_ratio": m_first,
        "repoll_ratio": m_repoll,
        "not_modified": unchanged,
        "per_hour_unchanged": per_hour_repoll,
        "per_hour_all_changed": per_hour_first,
    }


def _summary(r: Any) -> str:
    lines = [ln for ln in r.stderr.splitlines() if " sources (" in ln]
    return lines[-1] if lines else "(no summary)"
