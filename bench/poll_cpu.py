"""CPU seconds of case 7's poll (new database, caches kept), for checkouts taking turns on the same feeds:
the main process's CPU (`monitor -v run --once` prints it) and its child processes' (forkserver and
parser workers, read from /proc every 50 ms, so a worker's last ~50 ms may be missed). On a loaded
machine these move far less than the wall-clock ratios of `bench/run.py short`.

It also prints what each poll asks of the whole machine against the bare loop: monitor's CPU plus the
bench's own (the feed server process, and the Slack stand-in in this process), and so the shortest
wall time any scheduling could give on this machine's cores. A target under that floor cannot be met
by running the same work in parallel; only by doing less of it.

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


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _feed_server_pid() -> int:
    for pid in B._children(os.getpid()):
        if b"feedserver.py" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    raise RuntimeError("no feed server process under this one")


def _bench_cpu() -> float:
    """CPU so far of the bench's own servers: the feed server process, and this process (the Slack
    stand-in's threads; the sampler's share is small)."""
    own = os.times()
    return own.user + own.system + _cpu_of(_feed_server_pid())


def one_run(label: str, code: Path, base: str) -> tuple[float, float, float, str, float]:
    """(main CPU, child processes' CPU, wall, the -v timings line, the bench servers' CPU) of one poll
    with this checkout's code."""
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
        servers = _bench_cpu()
        t0 = time.perf_counter()
        # cwd away from any checkout: `python -m` puts the working directory first on sys.path
        proc = subprocess.Popen(cmd, env=env, cwd="/", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = threading.Thread(target=_tree_cpu, args=(proc.pid, seen, stop), daemon=True)
        sampler.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - t0
        servers = _bench_cpu() - servers
        stop.set()
        sampler.join()
    m = re.search(r"cycle timings: (.*) \(this process's CPU so far: ([\d.]+)s\)", err)
    if proc.returncode or not m:
        raise RuntimeError(f"{label}: monitor exited {proc.returncode}: {err[-1500:]}")
    return float(m.group(2)), sum(v for k, v in seen.items() if k != proc.pid), wall, m.group(1), servers


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[0].isdigit():
        print(__doc__)
        return 2
    rounds, codes = int(argv[0]), dict(a.split("=", 1) for a in argv[1:])
    folder, _, _ = B.short_folder(200, 50)
    results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in codes}
    machine: dict[str, list[float]] = {k: [] for k in codes}  # monitor's CPU + the bench servers' in a poll
    bare: list[tuple[float, float]] = []  # (wall, CPU of this process and the feed server) of the bare loop
    with B.feed_server(folder) as base:
        B.bare_parse(base, 200)  # warm the page cache
        for r in range(rounds):
            cpu = _bench_cpu()
            wall, _ = B.bare_parse(base, 200)
            bare.append((wall, _bench_cpu() - cpu))
            for label, code in codes.items():
                main_cpu, children, wall, timings, servers = one_run(label, Path(code), base)
                results[label].append((main_cpu, children, wall))
                machine[label].append(main_cpu + children + servers)
                print(
                    f"round {r} {label}: main CPU {main_cpu:.2f} s, child processes CPU {children:.2f} s, "
                    f"bench servers CPU {servers:.2f} s, wall {wall:.2f} s; {timings}",
                    flush=True,
                )
    for label, rows in results.items():
        print(
            f"{label}: main CPU median {statistics.median(x for x, _, _ in rows):.2f} s "
            f"{sorted(round(x, 2) for x, _, _ in rows)}; child processes CPU median "
            f"{statistics.median(c for _, c, _ in rows):.2f} s {sorted(round(c, 2) for _, c, _ in rows)}; "
            f"wall median {statistics.median(w for _, _, w in rows):.2f} s"
        )
    cores = os.cpu_count() or 1
    bare_wall = statistics.median(w for w, _ in bare)
    bare_cpu = statistics.median(c for _, c in bare)
    print(f"bare loop: wall median {bare_wall:.2f} s, CPU (loop and feed server) median {bare_cpu:.2f} s")
    for label, totals in machine.items():
        total = statistics.median(totals)
        print(
            f"{label}: the machine's CPU in a poll (monitor and the bench servers) median {total:.2f} s = "
            f"{total / bare_cpu:.2f}x the bare loop's; on {cores} cores no poll can take under "
            f"{total / cores:.2f} s = {total / cores / bare_wall:.2f}x the bare loop's wall"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
