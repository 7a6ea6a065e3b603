"""The KEV catalogue as a source: what a poll of CISA's 1,404-entry catalogue (../shared/data/vulns)
costs through `monitor run --once`, against a bare json.load of the same file with a dict lookup of
each entry's vendorProject (the least any reader must do).

The catalogue is served from 127.0.0.1; the register holds 2,000 vendors, six of them catalogue
vendors. First poll: every entry parsed in a worker, looked up, stored, indexed for search (none
alerted: all are older than alert_window). Second poll: the same catalogue, every entry already
stored. Prints seconds and the ratios to the bare loop.

    .venv/bin/python bench/kev_bench.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vulns" / "cisa_kev_2025-08-25.json"
VENDORS = [
    "Microsoft Corporation",
    "Progress Software Corporation",
    "Cisco Systems, Inc.",
    "Ivanti, Inc.",
    "Fortinet, Inc.",
    "Citrix Systems Inc.",
]


def serve(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bare(body: bytes) -> float:
    start = time.perf_counter()
    names = {v.split(",")[0].split(" ")[0].lower(): v for v in VENDORS}
    hits = 0
    for entry in json.loads(body)["vulnerabilities"]:
        hits += names.get(str(entry.get("vendorProject", "")).lower()) is not None
    return time.perf_counter() - start


def main() -> int:
    if not DATA.is_file():
        print(f"no {DATA}: skipped")
        return 0
    from monitor.cli import cli

    body = DATA.read_bytes()
    server = serve(body)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = ["name,aliases,domains,criticality,owner,parent,notes", *(f'"{v}",,,medium,,,' for v in VENDORS)]
        rows += [f"Filler Company {i:04d} K.K.,,,low,,," for i in range(2000 - len(VENDORS))]
        (folder / "vendors.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        url = f"http://127.0.0.1:{server.server_address[1]}/kev.json"
        (folder / "feeds.yaml").write_text(
            f"sources:\n  - name: CISA KEV\n    url: {url}\n    type: kev\nlimits:\n  max_items_per_source: 2000\n",
            encoding="utf-8",
        )
        times = []
        for _ in range(2):
            start = time.perf_counter()
            cli.main(["--config", str(folder / "feeds.yaml"), "-q", "run", "--once"], standalone_mode=False)
            times.append(time.perf_counter() - start)
    server.shutdown()
    base = min(bare(body) for _ in range(5))
    print(f"bare json.load + vendorProject lookup, 1,404 entries: {base * 1000:.1f} ms")
    print(
        f"monitor run --once, first poll (parse in a worker, match, store 1,404, index): {times[0]:.2f} s "
        f"= {times[0] / base:.0f}x bare"
    )
    print(f"monitor run --once, second poll (all seen): {times[1]:.2f} s = {times[1] / base:.0f}x bare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
