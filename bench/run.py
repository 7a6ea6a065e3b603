"""`make bench`: monitor's cost measured against the unavoidable cost of a poll (fetching and
feedparser-parsing the feeds), side by side in one run, because 2-core machines are noisy.

    python bench/run.py                 # every case, full size (several minutes; the 1M-article DB is cached)
    python bench/run.py --quick         # smaller sizes, about a minute
    python bench/run.py poll search     # only these cases: poll (1, 2, 5), match (3), search (4), scaling (6),
                                        # short (7), newsroom (8: 2,000 vendor newsrooms),
                                        # incidents (9: threads per vendor over a year of jp-news)
    python bench/run.py profile         # py-spy profiles of cases 1 and 4 (only when asked for)

Everything runs on 127.0.0.1: feeds come from bench/feedserver.py (a separate process, with
ETag/304), alerts go to tests/slack_standin.py through SLACK_API_URL. Generated feeds, projects
and the search database live in bench/out/ (gitignored) and are reused between runs: delete
bench/out/ after changing bench/workload.py or bench/searchdb.py.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import workload  # noqa: E402

BENCH_TOKEN, BENCH_CHANNEL = "xoxb-bench-000", "C0BENCH"
PLANTED_FROM = 1000  # breach items name vendors among the first 1,000, so every vendor count sees the same ones


@dataclass(frozen=True)
class Scale:
    feeds: int
    per_feed: int
    vendors: int
    search_articles: int
    feed_curve: tuple[int, ...]
    vendor_curve: tuple[int, ...]
    timeout: float  # seconds for one `monitor run --once`
    pairs: int = 5  # case 1: alternating (bare loop, monitor run) pairs; the verdict is the median pair
    vendor_runs: int = 3  # case 6: runs per vendor count, taken in turn; each point is their median


FULL = Scale(200, 50, 10_000, 1_000_000, (50, 200, 800), (1_000, 10_000, 50_000), 900.0)
QUICK = Scale(40, 50, 2_000, 100_000, (20, 40, 80), (1_000, 2_000, 5_000), 300.0, pairs=3)
TARGETS = {"poll": 1.2, "first": 1.5, "repoll": 0.25, "match": 1.0, "search": 0.3, "rss_mb": 300.0}


def compile_monitor(root: Path = ROOT) -> None:
    """Write the bytecode of a checkout's monitor package before timing it, as `pip install` does for an
    installed package and as any run does where bytecode may be written. Where PYTHONDONTWRITEBYTECODE is
    set (as in some CI and sandbox shells), an editable checkout without it compiles each of its ~40
    modules from source on every run: ~0.1 s of CPU per run --once (a seventh of an unchanged re-poll)
    that a deployed monitor does not spend, while the bare loop's libraries were compiled at install."""
    import compileall

    compileall.compile_dir(str(root / "monitor"), quiet=1)


def monitor_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "monitor"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "monitor"]


def verdict(value: float, target: float) -> str:
    return "PASS" if value <= target else "FAIL"


def say(line: str = "") -> None:
    print(line, flush=True)


# ---------------------------------------------------------------------------- workload on disk


def feeds_folder(n_feeds: int, per_feed: int) -> tuple[Path, int, int]:
    folder = OUT / f"feeds-{n_feeds}x{per_feed}"
    items, breach = workload.write_feeds(folder, n_feeds, per_feed, workload.vendors(PLANTED_FROM))
    return folder, items, breach


@contextmanager
def feed_server(folder: Path) -> Iterator[str]:
    """Base URL of a feed server process serving folder."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "feedserver.py"), str(folder)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(proc.stdout.readline())  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()


@contextmanager
def slack_standin() -> Iterator[Any]:
    from slack_standin import SlackStandIn

    # The stand-in is strict: only registered tokens and channels exist (monitor_env uses these).
    s = SlackStandIn(channels={BENCH_CHANNEL: "bench"}, tokens={BENCH_TOKEN})
    try:
        yield s
    finally:
        s.close()


BENCH_LIMITS = {"per_host": 8, "fetch_timeout": "30s", "parse_timeout": "60s", "max_alerts_per_cycle": 1000}


def write_project(
    folder: Path,
    base_url: str,
    n_feeds: int,
    n_vendors: int,
    keep_caches: bool = False,
    limits: dict[str, Any] | None = None,
) -> Path:
    """feeds.yaml + vendors.csv in folder, with a fresh database. Returns the feeds.yaml path.

    keep_caches keeps the Matcher and validated-register caches (monitor.db.matcher-*.pickle,
    monitor.db.vendors-*.pickle) that an earlier run built for the same vendors.csv: the steady state
    of a cron deployment, where vendors.csv rarely changes."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    for p in folder.glob("monitor.db*"):
        if not (keep_caches and p.name.startswith(("monitor.db.matcher-", "monitor.db.vendors-"))):
            p.unlink()
    vendors_csv = folder / "vendors.csv"
    if not vendors_csv.exists():
        vendors_csv.write_text(workload.vendors_csv(workload.vendors(n_vendors)), encoding="utf-8")
    doc = {
        "vendors": "vendors.csv",
        "database": "monitor.db",
        "slack": {"min_interval": "0s"},
        # The generated items are dated up to 30 days before workload.NOW (fixed, so the feeds are
        # byte-identical between runs). The alert window (default 14 days before now) would hold every
        # one of them back as old news and the poll would deliver nothing: reach back past them, so the
        # cycle alerts as it does on a live feed.
        "alert_window": f"{(datetime.now(UTC) - workload.NOW).days + 31}d",
        # Every bench feed is on one host; per_host 8 stands for 8 feeds on 8 different hosts.
        "limits": BENCH_LIMITS if limits is None else limits,
        "sources": [{"name": f"bench-{i}", "url": f"{base_url}/feed-{i}.xml"} for i in range(n_feeds)],
    }
    path = folder / "feeds.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- measuring processes


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(c) for c in task.read_text().split()]
        except OSError:
            pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class ProcResult:
    wall: float
    rc: int
    stdout: str
    stderr: str
    maxrss_mb: float  # peak RSS of the process itself (wait4 rusage)
    tree_pss_mb: float  # peak proportional set size of the process and its descendants (parser workers)


def run_process(
    cmd: list[str], env: dict[str, str] | None, timeout: float, cwd: Path | None = None, sample_tree: bool = False
) -> ProcResult:
    """Run cmd to completion (killed after timeout), timing it and measuring memory."""
    out_f, err_f = io.BytesIO(), io.BytesIO()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    readers = [
        threading.Thread(target=lambda s=s, b=b: b.write(s.read()), daemon=True)
        for s, b in ((proc.stdout, out_f), (proc.stderr, err_f))
    ]
    for r in readers:
        r.start()
    peak = [0]
    done = threading.Event()

    def sampler() -> None:
        while not done.wait(0.1):
            pids, stack = [], [proc.pid]
            while stack:
                p = stack.pop()
                pids.append(p)
                stack += _children(p)
            peak[0] = max(peak[0], sum(_pss_kb(p) for p in pids))

    if sample_tree:
        threading.Thread(target=sampler, daemon=True).start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    timer.cancel()
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join()
    if proc.returncode < 0:
        raise RuntimeError(f"{' '.join(cmd[-3:])}: killed after {timeout:g}s (or by signal {-proc.returncode})")
    return ProcResult(
        wall,
        proc.returncode,
        out_f.getvalue().decode("utf-8", "replace"),
        err_f.getvalue().decode("utf-8", "replace"),
        usage.ru_maxrss / 1024,
        peak[0] / 1024,
    )


def monitor_env(slack: Any) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "HTTP_PROXY", "HTTPS_PROXY"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "monitor_config")
    }
    env.update({"SLACK_BOT_TOKEN": BENCH_TOKEN, "SLACK_API_URL": slack.url, "SLACK_CHANNEL": BENCH_CHANNEL})
    return env


def run_once(config: Path, slack: Any, timeout: float) -> ProcResult:
    r = run_process(
        [*monitor_cmd(), "--config", str(config), "run", "--once"], monitor_env(slack), timeout, sample_tree=True
    )
    if r.rc != 0:
        raise RuntimeError(f"monitor run --once exited {r.rc}: {r.stderr[-800:]}")
    return r


def summary_line(r: ProcResult) -> str:
    lines = [ln for ln in r.stderr.splitlines() if " sources (" in ln] or r.stderr.strip().splitlines()
    return lines[-1] if lines else "(no summary)"


def bare_parse(base_url: str, n_feeds: int, project_flags: bool = False) -> tuple[float, int]:
    """Fetch every feed in turn and feedparser.parse it, in this process. (seconds, entries)."""
    import feedparser
    import httpx

    kwargs = {"sanitize_html": False, "resolve_relative_uris": False} if project_flags else {}
    entries = 0
    t0 = time.perf_counter()
    with httpx.Client(trust_env=False) as client:
        for i in range(n_feeds):
            resp = client.get(f"{base_url}/feed-{i}.xml")
            d = feedparser.parse(
                io.BytesIO(resp.content),
                response_headers={"content-type": resp.headers.get("content-type", "")},
                **kwargs,
            )
            entries += len(d.entries)
    return time.perf_counter() - t0, entries


def best_bare(base_url: str, n_feeds: int, project_flags: bool = False, runs: int = 2) -> tuple[float, int]:
    results = [bare_parse(base_url, n_feeds, project_flags) for _ in range(runs)]
    return min(r[0] for r in results), results[0][1]


# ---------------------------------------------------------------------------- cases


def case_poll(scale: Scale, results: dict[str, Any]) -> None:
    """Cases 1, 2 and 5: full poll, unchanged re-poll, and peak memory of the full poll."""
    folder, items, breach = feeds_folder(scale.feeds, scale.per_feed)
    say(
        f"case 1  full poll vs bare parse: {scale.feeds} feeds x {scale.per_feed} items ({items} items, "
        f"{breach} planted breach reports naming vendors = {100 * breach / items:.1f}%), {scale.vendors} vendors"
    )
    with feed_server(folder) as base, slack_standin() as slack:
        bare_warm = bare_parse(base, scale.feeds)  # warm the page cache and imports
        bare_flags, _ = best_bare(base, scale.feeds, project_flags=True)
        config = write_project(OUT / f"poll-{scale.feeds}-{scale.vendors}", base, scale.feeds, scale.vendors)
        cold = run_once(config, slack, scale.timeout)  # first run after a vendors.csv change: builds the Matcher
        # Alternating pairs, each a bare loop then a run on a fresh database: one pair's ratio compares
        # two runs a few seconds apart, so a noisy neighbour slows both or the pair is an outlier.
        pairs: list[tuple[float, ProcResult, int]] = []
        entries = 0
        for _ in range(scale.pairs):
            bare_s, entries = bare_parse(base, scale.feeds)
            before = len(slack.posts())
            config = write_project(
                OUT / f"poll-{scale.feeds}-{scale.vendors}", base, scale.feeds, scale.vendors, keep_caches=True
            )
            pairs.append((bare_s, run_once(config, slack, scale.timeout), len(slack.posts()) - before))
        repoll = run_once(config, slack, scale.timeout)
        not_modified = repoll.stderr.count(": not modified")
        bare_after, _ = bare_parse(base, scale.feeds)
    ratios = sorted(f.wall / b for b, f, _ in pairs)
    ratio = statistics.median(ratios)
    bare = min(min(b for b, _, _ in pairs), bare_after)
    full, sent = min(((f, n) for _, f, n in pairs), key=lambda fn: fn[0].wall)
    say(
        f"  bare fetch+feedparser.parse, defaults        {bare:8.2f} s  ({entries} entries; "
        f"{1000 * bare / entries:.3f} ms/entry; fastest of {len(pairs) + 1}; first warm-up run {bare_warm[0]:.2f} s)"
    )
    say(f"  bare fetch+parse, sanitize_html=False        {bare_flags:8.2f} s  (the flags monitor uses)")
    say(
        f"  monitor run --once (fresh DB, Matcher built) {cold.wall:8.2f} s  = {cold.wall / bare:.2f}x  "
        f"(the first run after vendors.csv changes)"
    )
    say(
        f"  monitor run --once (fresh DB, Matcher cached){full.wall:8.2f} s  fastest of {len(pairs)} "
        f"({summary_line(full)}; {sent} Slack posts)"
    )
    say(
        f"  pairs (bare then monitor), ratio of each     {', '.join(f'{r:.2f}x' for r in ratios)}; "
        f"fastest / fastest {full.wall / bare:.2f}x"
    )
    say(
        f"  ratio full poll / bare parse (median pair)   {ratio:8.2f}x  target <= {TARGETS['poll']}x  "
        f"{verdict(ratio, TARGETS['poll'])}  (vs sanitize_html=False loop: {full.wall / bare_flags:.2f}x)"
    )
    r2 = repoll.wall / bare
    say("case 2  unchanged re-poll (304s) vs bare parse")
    say(
        f"  monitor run --once, nothing new              {repoll.wall:8.2f} s  ({not_modified} of {scale.feeds} "
        f"sources answered 304)"
    )
    say(
        f"  ratio re-poll / bare parse                   {r2:8.2f}x  target <= {TARGETS['repoll']}x  "
        f"{verdict(r2, TARGETS['repoll'])}"
    )
    say("case 5  memory of case 1's run --once")
    say(
        f"  peak RSS, main process (wait4 rusage)        {full.maxrss_mb:8.1f} MB  target <= {TARGETS['rss_mb']:g} MB  "
        f"{verdict(full.maxrss_mb, TARGETS['rss_mb'])}"
    )
    say(
        f"  peak PSS, main + forkserver + parse workers  {full.tree_pss_mb:8.1f} MB  (sampled every 0.1 s; "
        f"{verdict(full.tree_pss_mb, TARGETS['rss_mb'])} against the same target)"
    )
    say(f"  peak RSS of the re-poll                      {repoll.maxrss_mb:8.1f} MB")
    results.update(
        poll={
            "feeds": scale.feeds,
            "items": items,
            "breach_items": breach,
            "vendors": scale.vendors,
            "bare_s": bare,
            "bare_project_flags_s": bare_flags,
            "run_once_s": full.wall,
            "ratio": ratio,
            "pair_ratios": ratios,
            "fastest_ratio": full.wall / bare,
            "run_once_cold_s": cold.wall,
            "ratio_cold": cold.wall / bare,
            "slack_posts": sent,
            "summary": summary_line(full),
            "repoll_s": repoll.wall,
            "repoll_ratio": r2,
            "not_modified": not_modified,
            "maxrss_mb": full.maxrss_mb,
            "tree_pss_mb": full.tree_pss_mb,
        }
    )


def _parsed_items(folder: Path, n_feeds: int) -> tuple[list[Any], list[bytes]]:
    from monitor.sources.parse import parse_feed

    bodies = [(folder / f"feed-{i}.xml").read_bytes() for i in range(n_feeds)]
    items = [it for b in bodies for it in parse_feed(b, "application/rss+xml", "", 500).items]
    return items, bodies


def case_match(scale: Scale, results: dict[str, Any]) -> None:
    """Case 3: Matcher cost per article against feedparser's cost per entry, in this process."""
    import feedparser

    from monitor.matching.detect import assess
    from monitor.matching.matcher import Matcher
    from monitor.matching.vendors import parse_vendors

    folder, _, _ = feeds_folder(scale.feeds, scale.per_feed)
    items, bodies = _parsed_items(folder, scale.feeds)
    per_entry = []
    for _ in range(2):
        t0 = time.perf_counter()
        n = sum(len(feedparser.parse(io.BytesIO(b)).entries) for b in bodies)
        per_entry.append((time.perf_counter() - t0) / n)
    parse_cost = min(per_entry)
    t0 = time.perf_counter()
    for it in items:
        assess(it.title, it.summary)
    detect_cost = (time.perf_counter() - t0) / len(items)
    say(f"case 3  match cost per article vs feedparser parse cost per entry ({len(items)} articles)")
    say(f"  feedparser.parse per entry (defaults)        {1e6 * parse_cost:8.1f} us")
    say(f"  detect.assess per article (for scale)        {1e6 * detect_cost:8.1f} us")
    rows = []
    for n in scale.vendor_curve:
        vendors = parse_vendors(workload.vendors_csv(workload.vendors(n)))
        t0 = time.perf_counter()
        matcher = Matcher(vendors)
        build = time.perf_counter() - t0
        best = float("inf")
        hits = 0
        for _ in range(2):
            t0 = time.perf_counter()
            hits = sum(bool(matcher.match({"title": it.title, "summary": it.summary}, it.link)) for it in items)
            best = min(best, time.perf_counter() - t0)
        cost = best / len(items)
        ratio = cost / parse_cost
        target = f"target <= {TARGETS['match']}x  {verdict(ratio, TARGETS['match'])}" if n == scale.vendors else ""
        say(
            f"  {n:>6} vendors: match {1e6 * cost:8.1f} us/article = {ratio:5.2f}x parse   "
            f"(Matcher built in {build:6.2f} s; {100 * hits / len(items):4.1f}% of articles match a vendor) {target}"
        )
        rows.append(
            {"vendors": n, "match_us": 1e6 * cost, "ratio": ratio, "build_s": build, "hit_share": hits / len(items)}
        )
    results.update(match={"parse_us": 1e6 * parse_cost, "detect_us": 1e6 * detect_cost, "rows": rows})


def case_search(scale: Scale, results: dict[str, Any]) -> None:
    """Case 4: `monitor search` latency over n stored articles, above plain start-up."""
    import searchdb

    n = scale.search_articles
    path, built = searchdb.ensure(OUT / f"search-{n}", n, say)
    config = path.parent / "feeds.yaml"
    register = path.parent / "vendors.csv"  # search --vendor resolves the name through the register
    if not register.exists():
        register.write_text(workload.vendors_csv(workload.vendors(1000)), encoding="utf-8")
    size = path.stat().st_size + sum(p.stat().st_size for p in path.parent.glob("monitor.db-wal"))
    say(
        f"case 4  monitor search over {n:,} stored articles (half Japanese; DB {f'built in {built:.0f} s' if built else 'cached'})"
    )
    say(
        f"  database size                                {size / 1e6:8.0f} MB = {size / 1e6 / (n / 100_000):.0f} MB "
        f"per 100k articles"
    )
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_CONFIG"}

    def median_wall(args: list[str], runs: int) -> tuple[float, ProcResult]:
        walls, last = [], None
        for _ in range(runs):
            last = run_process([*monitor_cmd(), *args], env, 120.0)
            if last.rc != 0:
                raise RuntimeError(f"monitor {' '.join(args)} exited {last.rc}: {last.stderr[-300:]}")
            walls.append(last.wall)
        return statistics.median(walls), last  # type: ignore[return-value]

    startup, _ = median_wall(["--help"], 5)
    say(f"  monitor --help (process start-up)            {startup:8.3f} s  (median of 5)")
    rows = []
    for label, args in searchdb.QUERIES:
        wall, last = median_wall(["--config", str(config), "search", *args, "--json"], 3)
        hits = len(json.loads(last.stdout or "[]"))
        above = wall - startup
        say(
            f"  {label:44} {above:8.3f} s above start-up  ({hits} results; target <= {TARGETS['search']} s  "
            f"{verdict(above, TARGETS['search'])})"
        )
        rows.append({"query": label, "args": args, "wall_s": wall, "above_startup_s": above, "results": hits})
    results.update(
        search={
            "articles": n,
            "db_mb": size / 1e6,
            "mb_per_100k": size / 1e6 / (n / 100_000),
            "startup_s": startup,
            "rows": rows,
        }
    )


def _work_found(database: Path) -> tuple[int, int]:
    """(articles naming a vendor, alerts) in a run's database: a bigger register finds more of both."""
    import sqlite3

    with sqlite3.connect(database) as conn:
        naming = conn.execute("SELECT COUNT(DISTINCT article_id) FROM matches").fetchone()[0]
        alerts = conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    return naming, alerts


def case_scaling(scale: Scale, results: dict[str, Any]) -> None:
    """Case 6: poll time against feeds (articles) and against vendors."""
    say("case 6  scaling: monitor run --once (fresh DB, Matcher cached) against articles and vendors")
    rows = []
    with slack_standin() as slack:
        for n_feeds in scale.feed_curve:
            folder, items, _ = feeds_folder(n_feeds, scale.per_feed)
            with feed_server(folder) as base:
                bare, _ = best_bare(base, n_feeds, runs=1)
                config = write_project(OUT / f"poll-{n_feeds}-{scale.vendors}", base, n_feeds, scale.vendors)
                run_once(config, slack, scale.timeout)  # builds the Matcher cache
                config = write_project(config.parent, base, n_feeds, scale.vendors, keep_caches=True)
                r = run_once(config, slack, scale.timeout)
            rows.append({"feeds": n_feeds, "items": items, "vendors": scale.vendors, "run_s": r.wall, "bare_s": bare})
            say(
                f"  {n_feeds:>4} feeds ({items:>6} items), {scale.vendors:>6} vendors: run {r.wall:7.2f} s = "
                f"{1000 * r.wall / items:6.3f} ms/item; bare parse {bare:7.2f} s = {1000 * bare / items:6.3f} ms/item; "
                f"ratio {r.wall / bare:5.2f}x"
            )
        folder, items, _ = feeds_folder(scale.feeds, scale.per_feed)
        with feed_server(folder) as base:
            bare, _ = best_bare(base, scale.feeds, runs=1)
            for n_vendors in scale.vendor_curve:
                config = write_project(OUT / f"poll-{scale.feeds}-{n_vendors}", base, scale.feeds, n_vendors)
                run_once(config, slack, scale.timeout)  # builds the Matcher cache
            # The points differ by less than one run's noise here: each is the median of several runs,
            # taken in turn (1k, 10k, 50k, 1k, ...) so that a slow spell of the machine hits them all.
            walls: dict[int, list[float]] = {n: [] for n in scale.vendor_curve}
            found: dict[int, tuple[int, int]] = {}
            for _ in range(scale.vendor_runs):
                for n_vendors in scale.vendor_curve:
                    config = write_project(
                        OUT / f"poll-{scale.feeds}-{n_vendors}", base, scale.feeds, n_vendors, keep_caches=True
                    )
                    walls[n_vendors].append(run_once(config, slack, scale.timeout).wall)
                    found[n_vendors] = _work_found(config.parent / "monitor.db")
            for n_vendors, runs in walls.items():
                wall = statistics.median(runs)
                naming, alerts = found[n_vendors]
                rows.append(
                    {
                        "feeds": scale.feeds,
                        "items": items,
                        "vendors": n_vendors,
                        "run_s": wall,
                        "bare_s": bare,
                        "runs_s": runs,
                        "articles_naming_a_vendor": naming,
                        "alerts": alerts,
                    }
                )
                say(
                    f"  {scale.feeds:>4} feeds ({items:>6} items), {n_vendors:>6} vendors: run {wall:7.2f} s "
                    f"(median of {', '.join(f'{w:.2f}' for w in runs)}); bare parse {bare:7.2f} s; "
                    f"ratio {wall / bare:5.2f}x; {naming} articles name a vendor, {alerts} alerts"
                )
    by_feeds, by_vendors = rows[: len(scale.feed_curve)], rows[len(scale.feed_curve) :]
    # Linear in articles: fixed cost a plus b per item, from the smallest and largest runs.
    lo, hi = by_feeds[0], by_feeds[-1]
    b = (hi["run_s"] - lo["run_s"]) / (hi["items"] - lo["items"])
    a = lo["run_s"] - b * lo["items"]
    mid = by_feeds[len(by_feeds) // 2]
    predicted = a + b * mid["items"]
    say(
        f"  articles: t = {a:.2f} s + {1000 * b:.3f} ms x items; middle point predicted {predicted:.2f} s, "
        f"measured {mid['run_s']:.2f} s ({100 * (mid['run_s'] - predicted) / predicted:+.0f}%)"
    )
    v0, v1 = by_vendors[0], by_vendors[-1]
    growth = v1["run_s"] / v0["run_s"]
    steps = []
    for p, q in zip(by_vendors, by_vendors[1:], strict=False):
        decades = math.log10(q["vendors"] / p["vendors"])
        steps.append(
            f"{p['vendors']}->{q['vendors']}: {q['run_s'] - p['run_s']:+.2f} s "
            f"({(q['run_s'] - p['run_s']) / decades:+.2f} s per decade of vendors)"
        )
    say(f"  vendors: x{v1['vendors'] / v0['vendors']:.0f} vendors -> x{growth:.2f} poll time; " + "; ".join(steps))
    say(
        "  (logarithmic growth shows as a steady cost per decade; linear growth as a per-decade cost that "
        "grows with the vendor count)"
    )
    fits = {}
    if len(by_vendors) >= 3:
        # Extrapolate the first step both ways and see which the last point follows.
        p, q, last = by_vendors[0], by_vendors[1], by_vendors[-1]
        per_decade = (q["run_s"] - p["run_s"]) / math.log10(q["vendors"] / p["vendors"])
        per_vendor = (q["run_s"] - p["run_s"]) / (q["vendors"] - p["vendors"])
        fits = {
            "log_predicted_s": q["run_s"] + per_decade * math.log10(last["vendors"] / q["vendors"]),
            "linear_predicted_s": q["run_s"] + per_vendor * (last["vendors"] - q["vendors"]),
        }
        say(
            f"  from the {p['vendors']}->{q['vendors']} step, {last['vendors']} vendors would take "
            f"{fits['log_predicted_s']:.2f} s if growth were logarithmic, {fits['linear_predicted_s']:.2f} s if "
            f"linear; measured {last['run_s']:.2f} s "
            f"({100 * (last['run_s'] - fits['log_predicted_s']) / fits['log_predicted_s']:+.0f}% of the logarithmic "
            f"prediction)"
        )
    results.update(scaling={"rows": rows, "fixed_s": a, "per_item_ms": 1000 * b, "vendor_growth": growth, **fits})


# Case 7 runs with monitor's default limits except this one: the default max_alerts_per_cycle (50)
# would leave ~450 of the cycle's ~500 alerts pending for later cycles, and the case is that all of
# them go out in the same run (a team that wants that sets the same key; see BENCHMARKS.md).
SHORT_LIMITS = {"max_alerts_per_cycle": 1000}


def short_folder(n_feeds: int, per_feed: int) -> tuple[Path, int, int]:
    folder = OUT / f"feeds-short-{n_feeds}x{per_feed}"
    items, breach = workload.write_short_feeds(folder, n_feeds, per_feed, workload.vendors(PLANTED_FROM))
    return folder, items, breach


def _delivery(database: Path) -> tuple[int, int]:
    """(alerts sent, alerts not sent) in a run's database."""
    import sqlite3

    with sqlite3.connect(database) as conn:
        sent = conn.execute("SELECT COUNT(*) FROM alerts WHERE state = 'sent'").fetchone()[0]
        total = conn.execute("SELECT COUNT(*) FROM alerts").fetchone()[0]
    return sent, total - sent


def _short_round(
    scale: Scale,
    project: Path,
    base: str,
    slack: Any,
    rows: dict[str, list[tuple[float, ProcResult]]],
    delivered: list[tuple[int, int, int]],
) -> None:
    """One round of case 7, with its own Slack stand-in: the triage read-back pages through the
    channel's history, which must hold this round's alerts only, as a real channel would."""
    (project / "vendors.csv").unlink(missing_ok=True)  # a new vendors.csv: no cache matches it
    for p in project.glob("monitor.db*"):
        p.unlink()
    bare_s, _ = bare_parse(base, scale.feeds)
    config = write_project(project, base, scale.feeds, scale.vendors, limits=SHORT_LIMITS)
    rows["first"].append((bare_s, run_once(config, slack, scale.timeout)))
    slack.messages.clear()  # the first run's alerts: the poll below posts the same ones again
    bare_s, _ = bare_parse(base, scale.feeds)
    config = write_project(project, base, scale.feeds, scale.vendors, keep_caches=True, limits=SHORT_LIMITS)
    rows["poll"].append((bare_s, run_once(config, slack, scale.timeout)))
    delivered.append((len(slack.messages), *_delivery(project / "monitor.db")))
    bare_s, _ = bare_parse(base, scale.feeds)
    rows["repoll"].append((bare_s, run_once(config, slack, scale.timeout)))


def case_short(scale: Scale, results: dict[str, Any]) -> None:
    """Case 7: feeds shaped like many real ones (short items, 5% breach reports, every alert delivered),
    default limits. Rounds of three alternating pairs: (bare, first run: new database and vendors.csv,
    so the register and Matcher caches are built), (bare, poll: new database, caches kept: every feed
    has new items), (bare, re-poll of that database: every feed answers 304)."""
    folder, items, breach = short_folder(scale.feeds, scale.per_feed)
    stats = json.loads((folder / "stats.json").read_text())
    say(
        f"case 7  short items: {scale.feeds} feeds x {scale.per_feed} items ({items} items, titles "
        f"{stats.get('title_chars', 0):.0f} and summaries {stats.get('summary_chars', 0):.0f} characters on "
        f"average, {breach} = {100 * breach / items:.1f}% breach reports naming vendors), {scale.vendors} vendors, "
        f"default limits but {SHORT_LIMITS}, slack.min_interval 0s"
    )
    project = OUT / f"short-{scale.feeds}-{scale.vendors}"
    rows: dict[str, list[tuple[float, ProcResult]]] = {"first": [], "poll": [], "repoll": []}
    delivered: list[tuple[int, int, int]] = []  # poll runs: (Slack messages, alerts sent, alerts not sent)
    with feed_server(folder) as base:
        bare_parse(base, scale.feeds)  # warm the page cache and imports
        for _ in range(scale.pairs):
            with slack_standin() as slack:
                _short_round(scale, project, base, slack, rows, delivered)
    targets = {"first": TARGETS["first"], "poll": TARGETS["poll"], "repoll": TARGETS["repoll"]}
    labels = {
        "first": "first run (new DB, new vendors.csv)",
        "poll": "poll, every feed has new items",
        "repoll": "unchanged re-poll (all 304)",
    }
    out: dict[str, Any] = {
        "feeds": scale.feeds,
        "items": items,
        "breach_items": breach,
        "vendors": scale.vendors,
        "limits": SHORT_LIMITS,
        **{k: v for k, v in stats.items() if k.endswith("_chars")},
    }
    bares = [b for pairs in rows.values() for b, _ in pairs]
    say(
        f"  bare fetch+feedparser.parse, defaults        {statistics.median(bares):8.2f} s  median of {len(bares)} "
        f"({min(bares):.2f} to {max(bares):.2f} s)"
    )
    for key, pairs in rows.items():
        ratios = sorted(r.wall / b for b, r in pairs)
        ratio = statistics.median(ratios)
        walls = [r.wall for _, r in pairs]
        say(
            f"  {labels[key]:44} {statistics.median(walls):8.2f} s  median; pairs {', '.join(f'{x:.2f}x' for x in ratios)}"
        )
        say(
            f"  ratio (median pair)                          {ratio:8.2f}x  target <= {targets[key]}x  "
            f"{verdict(ratio, targets[key])}"
        )
        out[key] = {
            "ratio": ratio,
            "pair_ratios": ratios,
            "run_s": walls,
            "bare_s": [b for b, _ in pairs],
            "summary": summary_line(pairs[-1][1]),
        }
    say(
        f"  delivered in the poll runs                   {', '.join(f'{m} Slack messages ({s} alerts sent, {u} not)' for m, s, u in delivered[:1])}"
        f"{'; the same in every run' if len(set(delivered)) == 1 else '; per run ' + str(delivered)}"
    )
    if any(messages == 0 for messages, _, _ in delivered):
        say("  WARNING: a poll delivered no alert: this run did not measure delivery (check alert_window, limits)")
    say(f"  last poll: {out['poll']['summary']}")
    out["delivered"] = delivered
    results.update(short=out)


def case_profile(scale: Scale, results: dict[str, Any]) -> None:
    """Not a measurement: py-spy profiles of case 1's run --once and of case 4's searches."""
    import profiling as prof
    import searchdb

    say(f"profile case 1: monitor run --once, {scale.feeds} feeds x {scale.per_feed} items, {scale.vendors} vendors")
    folder, _, _ = feeds_folder(scale.feeds, scale.per_feed)
    with feed_server(folder) as base, slack_standin() as slack:
        config = write_project(OUT / f"profile-{scale.feeds}-{scale.vendors}", base, scale.feeds, scale.vendors)
        raw = prof.record(
            [*monitor_cmd(), "--config", str(config), "run", "--once"],
            monitor_env(slack),
            OUT / "profile-poll.txt",
            timeout=scale.timeout,
        )
        poll = prof.report("run --once", raw, say)
        repoll_raw = prof.record(
            [*monitor_cmd(), "--config", str(config), "run", "--once"],
            monitor_env(slack),
            OUT / "profile-repoll.txt",
            timeout=scale.timeout,
        )
        repoll = prof.report("re-poll (304s)", repoll_raw, say, top=8)
    say(f"profile case 7: monitor run --once, short items, {scale.feeds} feeds x {scale.per_feed}, caches kept")
    folder, _, _ = short_folder(scale.feeds, scale.per_feed)
    with feed_server(folder) as base, slack_standin() as slack:
        config = write_project(
            OUT / f"profile-short-{scale.feeds}-{scale.vendors}", base, scale.feeds, scale.vendors, limits=SHORT_LIMITS
        )
        run_once(config, slack, scale.timeout)  # builds the caches
        config = write_project(config.parent, base, scale.feeds, scale.vendors, keep_caches=True, limits=SHORT_LIMITS)
        raw = prof.record(
            [*monitor_cmd(), "--config", str(config), "run", "--once"],
            monitor_env(slack),
            OUT / "profile-short-poll.txt",
            timeout=scale.timeout,
        )
        short = prof.report("short items, run --once", raw, say)
    path, _ = searchdb.ensure(OUT / f"search-{scale.search_articles}", scale.search_articles, say)
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_CONFIG"}
    say(f"profile case 4: monitor search over {scale.search_articles:,} articles (each query 3 times)")
    merged = OUT / "profile-search.txt"
    merged.write_text("")
    for _, args in searchdb.QUERIES[:4]:
        for _ in range(3):
            one = prof.record(
                [*monitor_cmd(), "--config", str(path.parent / "feeds.yaml"), "search", *args],
                env,
                OUT / "profile-search-one.txt",
                rate=1000,
                timeout=120,
            )
            with merged.open("a", encoding="utf-8") as f:
                f.write(one.read_text(encoding="utf-8"))
    search = prof.report("search", merged, say)
    say("  SQL statements of one search, timed in-process:")
    statements = search_statements(path, searchdb.QUERIES)
    for label, rows in statements.items():
        real = [r for r in rows if not r[0].startswith("(alternative)")]
        alt = [r for r in rows if r[0].startswith("(alternative)")]
        total = sum(ms for _, ms, _ in real)
        _, main_ms, plan = real[0]
        say(f"    {label:44} {len(real):3} statements {total:7.1f} ms; main query {main_ms:7.1f} ms [{plan}]")
        if alt:
            say(
                f"    {'':44} same query in fetch order (ORDER BY f.rowid or a.id DESC): {alt[0][1]:7.1f} ms [{alt[0][2]}]"
            )
    results.update(
        profile={
            "poll": poll,
            "repoll": repoll,
            "short": short,
            "search": search,
            "search_sql": {k: [(sql[:200], ms, plan) for sql, ms, plan in v] for k, v in statements.items()},
        }
    )


def _timed(conn: Any, sql: str) -> tuple[str, float, str]:
    t0 = time.perf_counter()
    conn.execute(sql).fetchall()
    ms = 1000 * (time.perf_counter() - t0)
    return sql, ms, "; ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))


def search_statements(path: Path, queries: list[tuple[str, list[str]]]) -> dict[str, list[tuple[str, float, str]]]:
    """Per query: every SQL statement monitor.storage.query.search runs, its time and its query plan."""
    from monitor.storage.query import search
    from monitor.storage.store import Store

    out: dict[str, list[tuple[str, float, str]]] = {}
    with Store(path) as store:
        for label, args in queries:
            query, opts = args[0], args[1:]
            kw: dict[str, Any] = {}
            if "--breach-only" in opts:
                kw["breach_only"] = True
            if "--since" in opts:
                kw["since"] = opts[opts.index("--since") + 1]
            if "--vendor" in opts:
                kw["vendor"] = opts[opts.index("--vendor") + 1]
            seen: list[str] = []
            store.conn.set_trace_callback(seen.append)
            search(store.conn, query, **kw)
            store.conn.set_trace_callback(None)
            rows = []
            for sql in seen:
                if sql.startswith(("--", "SAVEPOINT", "RELEASE", "PRAGMA")) or "_config'" in sql:
                    continue  # FTS5's own lookups (shown as comments) and sqlite-utils' bookkeeping
                rows.append(_timed(store.conn, sql))
                if " ORDER BY a.published DESC, a.id DESC" in sql:
                    # The same query in fetch order (FTS rowid), which FTS5 can walk backwards and stop at LIMIT.
                    order = " ORDER BY f.rowid DESC" if "articles_fts" in sql else " ORDER BY a.id DESC"
                    alt = _timed(store.conn, sql.replace(" ORDER BY a.published DESC, a.id DESC", order))
                    rows.append(("(alternative) " + alt[0], alt[1], alt[2]))
            out[label] = rows
    return out


def case_newsrooms(scale: Scale, results: dict[str, Any]) -> None:
    """Case 8: vendor newsrooms (bench/newsroom_bench.py)."""
    import newsroom_bench

    n = 2000 if scale is FULL or scale.feeds >= FULL.feeds else 300
    names = [v.name for v in workload.vendors(n)]
    newsroom_bench.case_newsroom(
        n, max(3, min(scale.pairs, 5)), scale.timeout, OUT, run_once, slack_standin, names, say, verdict, results
    )


def case_incidents(scale: Scale, results: dict[str, Any]) -> None:
    """Case 9 (issue 14): a year of real Japanese news (../shared/data/jp-news) through the incident
    rule; top-level Slack threads per heavily covered vendor against what a reader counts."""
    import tempfile

    import incident_replay

    if not incident_replay.DATA.exists():
        say(f"case 9  incident threads on jp-news: skipped ({incident_replay.DATA} not found)")
        return
    say("case 9  incident threads on jp-news: a year of real coverage, one feed per site, six vendors")
    with tempfile.TemporaryDirectory() as tmp:
        store = incident_replay.replay(incident_replay.DATA, Path(tmp))
        lines = incident_replay.threads_table(store)
        threads = dict(store.conn.execute("SELECT vendor, COUNT(*) FROM incidents GROUP BY vendor").fetchall())
        store.close()
    for line in lines:
        say("  " + line)
    results["incidents"] = {"threads": threads, "reader": incident_replay.READER_COUNT}


CASES = {
    "poll": case_poll,
    "match": case_match,
    "search": case_search,
    "scaling": case_scaling,
    "short": case_short,
    "newsroom": case_newsrooms,
    "incidents": case_incidents,
    "profile": case_profile,
}
DEFAULT = ("poll", "short", "match", "search", "scaling", "newsroom", "incidents")  # `profile` runs only when asked for


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "cases", nargs="*", metavar="CASE", help=f"cases to run: {', '.join(CASES)} (default: all but profile)"
    )
    ap.add_argument("--quick", action="store_true", help="smaller sizes (about a minute, plus a one-off DB build)")
    ap.add_argument("--pairs", type=int, help="alternating pairs per measurement in cases 1 and 7 (full: 5)")
    args = ap.parse_args(argv)
    scale = QUICK if args.quick else FULL
    if args.pairs:
        scale = replace(scale, pairs=args.pairs)
    chosen = args.cases or list(DEFAULT)
    unknown = [c for c in chosen if c not in CASES]
    if unknown:
        ap.error(f"unknown case {unknown[0]!r} (choose from {', '.join(CASES)})")
    OUT.mkdir(exist_ok=True)
    compile_monitor()
    try:
        workload.vendors(1)
    except workload.MissingData as e:
        say(f"bench: {e}; nothing measured")
        return 0
    say(
        f"monitor benchmark ({'quick' if args.quick else 'full'}), {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}"
    )
    results: dict[str, Any] = {"scale": scale.__dict__, "cpus": os.cpu_count()}
    t0 = time.perf_counter()
    for name in chosen:
        try:
            CASES[name](scale, results)
        except (RuntimeError, subprocess.SubprocessError) as e:  # a timeout or a failed run ends this case only
            say(f"case {name} stopped: {e}")
            results.setdefault("errors", {})[name] = str(e)
        say()
    say(f"bench done in {time.perf_counter() - t0:.0f} s")
    out = OUT / f"results-{'quick' if args.quick else 'full'}-{'-'.join(chosen)}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    say(f"results written to {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
