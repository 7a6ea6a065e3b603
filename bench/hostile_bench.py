"""One `monitor run --once` cycle with every hostile source configured (plus healthy ones), in a child
process: wall time and peak RSS (the CLI process and its parser workers, measured separately).

Targets (issue 7): bounded time (every fetch has a total deadline) and peak RSS < 300 MB.
Run: .venv/bin/python bench/hostile_bench.py [--fetch-timeout 5] [--max-bytes 10485760]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_server import HostileServer  # noqa: E402

ROUTES = [
    "/lol",
    "/quad",
    "/utf16-quad",
    "/utf7-quad",
    "/comment-quad",
    "/xxe-file",
    "/xxe-http",
    "/dtd-http",
    "/huge",
    "/endless",
    "/gzbomb",
    "/drip",
    "/silent",
    "/loop",
    "/status/404",
    "/status/500",
    "/404feed",
    "/random",
    "/html",
    "/cut",
    "/truncated",
    "/sjis-lie",
    "/pathbody",
    "/devzero",
    "/redos",
]

CHILD = """
import resource, sys, time
from monitor.cli import main
start = time.monotonic()
try:
    sys.argv = ["monitor", "--config", sys.argv[1], "run", "--once"]
    main()
except SystemExit as e:
    code = e.code
finally:
    from monitor.sources.parse import ParserPool
    if ParserPool._shared is not None:
        ParserPool._shared.close()
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"BENCH {time.monotonic() - start:.2f} {self_kb} {kids_kb}", file=sys.stderr)
"""


def _tree_rss_mb(root: int) -> tuple[float, float]:
    """(largest single process, whole tree) RSS in MB for `root` and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            for line in (d / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss[int(d.name)] = int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier += kids
    sizes = [rss.get(p, 0) / 1024 for p in tree]
    return max(sizes, default=0.0), sum(sizes)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fetch-timeout", default="5s")
    ap.add_argument("--parse-timeout", default="5s")
    ap.add_argument("--max-bytes", type=int, default=10 * 1024 * 1024)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hostile-bench-"))
    server = HostileServer(work)
    try:
        sources = [{"name": r.strip("/").replace("/", "-"), "url": server.url(r)} for r in ROUTES]
        sources += [{"name": f"healthy-{i}", "url": server.url("/good")} for i in range(3)]
        (work / "vendors.csv").write_text("name,aliases,domains,criticality\nOkta Inc.,Okta,okta.com,critical\n")
        (work / "feeds.yaml").write_text(
            yaml.safe_dump(
                {
                    "sources": sources,
                    "limits": {
                        "fetch_timeout": args.fetch_timeout,
                        "parse_timeout": args.parse_timeout,
                        "max_bytes": args.max_bytes,
                    },
                }
            )
        )
        t = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(work / "feeds.yaml")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=work,
        )
        peak_one = peak_tree = 0.0
        while proc.poll() is None:
            one, tree = _tree_rss_mb(proc.pid)
            peak_one, peak_tree = max(peak_one, one), max(peak_tree, tree)
            time.sleep(0.05)
        _out, err = proc.communicate()
        wall = time.monotonic() - t
    finally:
        server.close()
    line = next(ln for ln in err.splitlines() if ln.startswith("BENCH "))
    _, cycle, self_kb, _kids_kb = line.split()
    failed = [ln for ln in err.splitlines() if ln.startswith("✗ ")]
    ok = [ln for ln in err.splitlines() if ln.startswith("✓ ")]
    peak_mb = max(int(self_kb) / 1024, peak_one)
    print(
        f"sources: {len(sources)} ({len(ROUTES)} hostile, 3 healthy); limits: fetch_timeout={args.fetch_timeout} "
        f"parse_timeout={args.parse_timeout} max_bytes={args.max_bytes}"
    )
    print(f"result: {len(ok)} ok, {len(failed)} failed, exit code {proc.returncode}")
    print(
        f"cycle time: {float(cycle):.2f} s (process wall {wall:.2f} s); bound = fetch_timeout + parse_timeout "
        f"+ delivery"
    )
    print(
        f"peak RSS: CLI process {int(self_kb) / 1024:.0f} MB (getrusage); largest process in the tree "
        f"{peak_one:.0f} MB, whole tree (CLI + forkserver + parser workers) {peak_tree:.0f} MB (sampled /proc "
        f"every 50 ms)"
    )
    print(f"peak per process {peak_mb:.0f} MB (target < 300 MB): {'OK' if peak_mb < 300 else 'OVER'}")
    print(
        f"bench's own RSS (the hostile server, incl. the 1 MiB gzip bomb): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
