"""CPU seconds of case 7's poll (new database, caches kept), for checkouts taking turns on the same feeds:
the main process's CPU (`monitor -v run --once` prints it) and its child processes' (forkserver and
parser workers, read from /proc every 50 ms, so a worker's last ~50 ms may be missed). On a loaded
machine these move far less than the wall-clock ratios of `bench/run.py short`.

    python bench/run.py short --pairs 1                      # once: writes the feeds
    python bench/poll_cpu.py 3 base=/path/to/other/checkout new=.

Each label's project (bench/out/cpu-LABEL/) keeps its own Matcher cache; its first run builds it.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import run as B  # bench/run.py: feed server, Slack stand-in, project files


def _tree_cpu(pid: int, seen: dict[int, float], stop: threading.Event) -> None:
    """Largest utime + stime seen of each process under pid, until stop."""
    tick = os.sysconf("SC_CLK_TCK")
    while not stop.wait(0.05):
        stack = [pid]
        while stack:
            q = stack.pop()
            try:
                fields = Path(f"/proc/{q}/stat").read_text().rsplit(")", 1)[1].split()
                seen[q] = max(seen.get(q, 0.0), (int(fields[11]) + int(fields[12])) / tick)
            except (OSError, IndexError):
                pass
            stack += B._children(q)


def one_run(label: str, code: Path, base: str) -> tuple[float, float, float, str]:
    """(main CPU, child processes' CPU, wall, the -v timings line) of one poll with this checkout's code."""
    with B.slack_standin() as slack:
        project = B.OUT / f"cpu-{label}"
        config = B.write_project(project, base, 200, 10_000, keep_caches=True, limits=B.SHORT_LIMITS)
        if not list(project.glob("monitor.db.matcher-*")):
            B.run_once(config, slack, 900)  # builds this checkout's caches
            config = B.write_project(project, base, 200, 10_000, keep_caches=True, limits=B.SHORT_LIMITS)
        env = {**B.monitor_env(slack), "PYTHONPATH": str(code.resolve())}
        cmd = [sys.executable, "-m", "monitor", "-v", "--config", str(config), "run", "--once"]
        seen: dict[int, float] = {}
        stop = threading.Event()
        t0 = time.perf_counter()
        # cwd away from any checkout: `python -m` puts the working directory first on sys.path
        proc = subprocess.Popen(cmd, env=env, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = threading.Thread(target=_tree_cpu, args=(proc.pid, seen, stop), daemon=True)
        sampler.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - t0
        stop.set()
        sampler.join()
    m = re.search(r"cycle timings: (.*) \(this process's CPU so far: ([\d.]+)s\)", err)
    if proc.returncode or not m:
        raise RuntimeError(f"{label}: monitor exited {proc.returncode}: {err[-1500:]}")
    return float(m.group(2)), sum(v for k, v in seen.items() if k != proc.pid), wall, m.group(1)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[0].isdigit():
        print(__doc__)
        return 2
    rounds, codes = int(argv[0]), dict(a.split("=", 1) for a in argv[1:])
    folder, _, _ = B.short_folder(200, 50)
    results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in codes}
    with B.feed_server(folder) as base:
        B.bare_parse(base, 200)  # warm the page cache
        for r in range(rounds):
            for label, code in codes.items():
                main_cpu, children, wall, timings = one_run(label, Path(code), base)
                results[label].append((main_cpu, children, wall))
                print(
                    f"round {r} {label}: main CPU {main_cpu:.2f} s, child processes CPU {children:.2f} s, "
                    f"wall {wall:.2f} s; {timings}",
                    flush=True,
                )
    for label, rows in results.items():
        print(
            f"{label}: main CPU median {statistics.median(x for x, _, _ in rows):.2f} s "
            f"{sorted(round(x, 2) for x, _, _ in rows)}; child processes CPU median "
            f"{statistics.median(c for _, c, _ in rows):.2f} s {sorted(round(c, 2) for _, c, _ in rows)}; "
            f"wall median {statistics.median(w for _, _, w in rows):.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
