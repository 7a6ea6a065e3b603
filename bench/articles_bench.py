"""fetch_article under load: one `monitor run --once` cycle whose sources link 500 notices of 5 MB each,
plus one source whose 16 links are silent (accept, never answer). Prints peak RSS (the CLI process and
its whole process tree) and the cycle time against limits.article_budget, for this code and, side by
side, for the code before issue 20 (extracted from git with `git archive`).

The notice server runs in another process on 127.0.0.1, so its memory is not counted.

Targets (issue 20): peak RSS < 300 MB with 500 large linked items; the linked-notice stage ends
within article_budget whatever the servers do.
Run: .venv/bin/python bench/articles_bench.py [--items 500] [--size-mb 5] [--silent 16] [--skip-old]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

ROOT = Path(__file__).resolve().parents[1]
OLD_REV = "5766bcd"  # the last commit before the linked-notice limits

CHILD = """
import resource, sys, time
from monitor.cli import main
start = time.monotonic()
try:
    sys.argv = ["monitor", "-v", "--config", sys.argv[1], "run", "--once"]
    main()
except SystemExit as e:
    code = e.code
finally:
    from monitor.sources.parse import ParserPool
    if ParserPool._shared is not None:
        ParserPool._shared.close()
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"BENCH {time.monotonic() - start:.2f} {self_kb}", file=sys.stderr)
"""


# ---------------------------------------------------------------------- the server (its own process)


def _page(size: int, text_heavy: bool) -> bytes:
    """A bloated notice: a few lines that matter, then `size` bytes of inline script or of paragraphs."""
    if text_heavy:
        para = "<p>" + "lorem ipsum dolor sit amet " * 40 + "</p>\n"
        filler = para * (size // len(para) + 1)
    else:
        line = 'var blob = "' + "A" * 1000 + '";\n'
        filler = "<script>" + line * (size // len(line) + 1) + "</script>"
    return (
        f"<html><head><title>Notice</title></head><body><main>Scheduled maintenance notice.</main>"
        f"{filler}</body></html>"
    ).encode()[:size]


def _rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><guid>{escape(u)}</guid></item>" for t, u in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'
    ).encode()


def serve(size: int) -> None:
    pages = (_page(size, False), _page(size, True))
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            parts = self.path.strip("/").split("/")
            if parts[0] == "feed":  # /feed/<k>/<first>/<n>: n items linking to pages first..first+n-1
                first, n = int(parts[2]), int(parts[3])
                body, ctype = (
                    _rss([(f"Notice {j}", f"{host}/page/{j}") for j in range(first, first + n)]),
                    "application/rss+xml",
                )
            elif parts[0] == "silentfeed":  # /silentfeed/<n>
                body, ctype = (
                    _rss([(f"Stalled notice {j}", f"{host}/silent/{j}") for j in range(int(parts[1]))]),
                    "application/rss+xml",
                )
            elif parts[0] == "page":
                body, ctype = pages[int(parts[1]) % 2], "text/html; charset=utf-8"
            elif parts[0] == "silent":
                stop.wait()  # accepted, read, never answered
                return
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


# ---------------------------------------------------------------------- measuring


def _tree_mb(root: int) -> tuple[float, float, float]:
    """(largest single process RSS, whole tree RSS, whole tree PSS) in MB for `root` and its descendants.

    RSS summed counts the pages the workers share with the forkserver they forked from once per
    process; PSS (/proc/PID/smaps_rollup) divides them among the sharers, so it adds up."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier += kids
    rss: list[float] = []
    pss = 0.0
    for p in tree:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss.append(int(line.split()[1]) / 1024)
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return max(rss, default=0.0), sum(rss), pss


def run_cycle(
    label: str, work: Path, port: int, args: argparse.Namespace, limits: dict[str, object], code: Path | None
) -> None:
    work.mkdir(parents=True)
    per = args.items // args.sources
    sources = [
        {
            "name": f"notices-{k}",
            "url": f"http://127.0.0.1:{port}/feed/{k}/{k * per}/{per}",
            "fetch_article": True,
            "allow_private_links": True,
        }
        for k in range(args.sources)
    ]
    sources.append(
        {
            "name": "stalled",
            "url": f"http://127.0.0.1:{port}/silentfeed/{args.silent}",
            "fetch_article": True,
            "allow_private_links": True,
        }
    )
    (work / "vendors.csv").write_text("name,aliases,domains,criticality\nOkta Inc.,Okta,okta.com,critical\n")
    (work / "feeds.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": sources,
                "limits": {
                    "fetch_timeout": args.fetch_timeout,
                    "article_max_bytes": args.size_mb * 1024 * 1024 + 1024,
                    **limits,
                },
            }
        )
    )
    env = None
    if code is not None:
        import os

        env = {**os.environ, "PYTHONPATH": str(code)}
    t = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(work / "feeds.yaml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=work,
        env=env,
    )
    err_lines: list[str] = []
    reader = threading.Thread(target=lambda: err_lines.extend(proc.stderr or []), daemon=True)
    reader.start()
    peak_one = peak_tree = peak_pss = 0.0
    while proc.poll() is None:
        one, tree, pss = _tree_mb(proc.pid)
        peak_one, peak_tree, peak_pss = max(peak_one, one), max(peak_tree, tree), max(peak_pss, pss)
        time.sleep(0.05)
    reader.join()
    wall = time.monotonic() - t
    bench = next((ln for ln in err_lines if ln.startswith("BENCH ")), None)
    if bench is None:
        print(f"{label}: no result (exit {proc.returncode}):\n{''.join(err_lines[-15:])}")
        return
    _, cycle, self_kb = bench.split()
    conn = sqlite3.connect(work / "monitor.db")
    stored, with_text = conn.execute("SELECT COUNT(*), SUM(body != '') FROM articles").fetchone()
    conn.close()
    stage = next((ln.strip() for ln in err_lines if "linked notices:" in ln), "")
    summary = next((ln.strip() for ln in reversed(err_lines) if " sources (" in ln), "")
    peak = max(int(self_kb) / 1024, peak_one)
    print(f"{label}")
    print(f"  limits: {limits or '(defaults)'}")
    print(
        f"  cycle {float(cycle):.1f} s (process wall {wall:.1f} s); {stored} items stored, {with_text or 0} with "
        f"their linked text"
    )
    if stage:
        print(f"  {stage[stage.index('linked notices:') :]}")
    print(f"  summary: {summary}")
    print(
        f"  peak: CLI process {int(self_kb) / 1024:.0f} MB RSS, largest process {peak_one:.0f} MB; whole tree "
        f"(CLI + forkserver + 2 parser workers) {peak_pss:.0f} MB PSS ({peak_tree:.0f} MB RSS summed) -> "
        f"{'OK' if max(peak, peak_pss) < 300 else 'OVER'} (target < 300 MB)",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--items", type=int, default=500, help="large linked notices in all (default 500)")
    ap.add_argument("--sources", type=int, default=10, help="sources they are spread over (default 10)")
    ap.add_argument("--size-mb", type=int, default=5)
    ap.add_argument("--silent", type=int, default=16, help="links that are accepted and never answered")
    ap.add_argument("--fetch-timeout", default="2s")
    ap.add_argument("--budget", default="20s", help="article_budget for the tight-budget run")
    ap.add_argument("--old-rev", default=OLD_REV)
    ap.add_argument("--skip-old", action="store_true", help="do not run the old code (it holds every body)")
    args = ap.parse_args()
    if args.serve is not None:
        serve(args.serve)
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.size_mb * 1024 * 1024)], stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    port = int(server.stdout.readline())
    work = Path(tempfile.mkdtemp(prefix="articles-bench-"))
    print(
        f"{args.items} linked notices of {args.size_mb} MB over {args.sources} sources, plus {args.silent} silent "
        f"links in one more source; fetch_timeout {args.fetch_timeout}; server in another process on "
        f"127.0.0.1:{port}",
        flush=True,
    )
    try:
        everything = {"articles_per_source": args.items}
        run_cycle(
            "new code, every notice fetched (articles_per_source raised to cover all; default budget 60s)",
            work / "all",
            port,
            args,
            everything,
            None,
        )
        run_cycle(
            f"new code, tight budget (article_budget {args.budget})",
            work / "budget",
            port,
            args,
            {**everything, "article_budget": args.budget},
            None,
        )
        run_cycle(
            "new code, default limits (articles_per_source 30, article_budget 60s)",
            work / "defaults",
            port,
            args,
            {},
            None,
        )
        if not args.skip_old:
            old = work / "old-code"
            old.mkdir()
            try:
                archive = subprocess.run(
                    ["git", "-C", str(ROOT), "archive", args.old_rev, "monitor"], capture_output=True, check=True
                ).stdout
                subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            except subprocess.CalledProcessError:
                print(f"old code ({args.old_rev}) not in this clone's history: skipped")
            else:
                run_cycle(
                    f"old code ({args.old_rev}): every body held until the last fetch ends",
                    work / "old",
                    port,
                    args,
                    {},
                    old,
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
