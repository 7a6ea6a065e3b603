"""Case 7's unchanged re-poll, this checkout against another one, in alternating runs: wall and CPU
seconds of `monitor run --once` when every feed answers 304, and the Slack calls it makes.

    python bench/repoll_ab.py --base ../wt-base            # a checkout of the code to compare, with its .venv
    python bench/repoll_ab.py --base ../wt-base --runs 8

Each checkout gets its own project (the same 200 short feeds and 10,000 vendors as case 7) and its own
Slack stand-in; both are polled once first (every alert delivered: ~660 messages, ~100 incident
threads), then re-polled in turn, base first, then this checkout. The stand-in answers the base code
without rate limits (as the stand-in did before it had them) and this checkout with Slack's tier-3
limits. CPU is user+sys of the process and its waited-for children (getrusage RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import run as bench  # noqa: E402


def _once(exe: Path, config: Path, slack: Any) -> tuple[float, float, int, int, str]:
    """(wall s, CPU s, conversations.history calls, conversations.replies calls, summary line)."""
    before = len(slack.requests)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(exe), "--config", str(config), "run", "--once"],
        env=bench.monitor_env(slack),
        capture_output=True,
        text=True,
        timeout=900,
    )
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{exe} run --once exited {proc.returncode}: {proc.stderr[-800:]}")
    calls = [path.rsplit("/", 1)[-1] for path, _ in slack.requests[before:]]
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    lines = [ln for ln in proc.stderr.splitlines() if " sources (" in ln]
    return (
        wall,
        cpu,
        calls.count("conversations.history"),
        calls.count("conversations.replies"),
        lines[-1] if lines else "",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, required=True, help="a checkout with its own .venv (the code to compare)")
    ap.add_argument("--runs", type=int, default=6, help="re-polls of each, alternating")
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--vendors", type=int, default=10_000)
    args = ap.parse_args(argv)
    from slack_standin import SlackStandIn

    exes = {"base": args.base.resolve() / ".venv/bin/monitor", "this": HERE.parent / ".venv/bin/monitor"}
    for exe in exes.values():
        bench.compile_monitor(exe.parents[2])  # both checkouts timed with their bytecode written
    folder, _, _ = bench.short_folder(args.feeds, 50)
    results: dict[str, list[tuple[float, float, int, int, str]]] = {"base": [], "this": []}
    with bench.feed_server(folder) as base_url:
        bench.bare_parse(base_url, args.feeds)  # warm the page cache
        stand_ins = {}
        configs = {}
        for name in exes:
            slack = SlackStandIn(channels={bench.BENCH_CHANNEL: "bench"}, tokens={bench.BENCH_TOKEN})
            if name == "base":
                slack.rate_limits = {}
            stand_ins[name] = slack
            project = bench.OUT / f"repoll-ab-{name}"
            configs[name] = bench.write_project(
                project, base_url, args.feeds, args.vendors, keep_caches=True, limits=bench.SHORT_LIMITS
            )
            wall, cpu, _, replies, summary = _once(exes[name], configs[name], slack)
            print(f"  {name}: poll {wall:.2f} s, {cpu:.2f} s CPU, {replies} thread reads: {summary}", flush=True)
        for i in range(args.runs):
            for name in exes:
                got = _once(exes[name], configs[name], stand_ins[name])
                results[name].append(got)
                wall, cpu, history, replies, _ = got
                print(
                    f"  re-poll {i + 1} {name}: {wall:5.2f} s wall, {cpu:5.2f} s CPU, "
                    f"{history} history + {replies} replies calls",
                    flush=True,
                )
        for slack in stand_ins.values():
            slack.close()
    print(f"  median of {args.runs} re-polls each (base = {args.base}):")
    for name, rows in results.items():
        print(
            f"  {name:5} wall {statistics.median(r[0] for r in rows):5.2f} s   CPU {statistics.median(r[1] for r in rows):5.2f} s"
            f"   replies calls {statistics.median(r[3] for r in rows):5.1f}   429s answered: "
            f"{stand_ins[name].ratelimited.count('conversations.replies')}"
        )
    cpu_ratio = statistics.median(r[1] for r in results["this"]) / statistics.median(r[1] for r in results["base"])
    print(f"  CPU this / base (medians)  {cpu_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
