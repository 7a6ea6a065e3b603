"""What a vendor register costs a parser worker: the address space (what limits.parse_memory_mb caps)
of a worker-like process before and after it loads the pickled Matcher, at several register sizes.

Prints bytes of address space per vendor and per byte of vendors.csv; `monitor check` uses a bound
derived from these numbers (monitor/vendors.py: MATCHER_BYTES_PER_VENDOR) to refuse a register the
workers could not load.

    .venv/bin/python bench/vendor_memory.py [SIZES...]      # default 1000 10000 50000 200000
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workload import vendors, vendors_csv  # noqa: E402

from monitor.matching.vendors import parse_vendors  # noqa: E402
from monitor.pipeline.workers import prepare_matcher  # noqa: E402

_WORKER = """
import sys
import feedparser, monitor.pipeline.workers  # what the forkserver preloads
from pathlib import Path
from monitor.storage import filecache

def vm():
    fields = dict(l.split(':', 1) for l in open('/proc/self/status'))
    return int(fields['VmSize'].split()[0]) * 1024, int(fields['VmPeak'].split()[0]) * 1024

before, _ = vm()
m = filecache.load(Path(sys.argv[1]), sys.argv[2])
assert m is not None
after, peak = vm()
print(before, after, peak)
"""


def measure(n: int, folder: Path) -> tuple[int, int, int, int]:
    text = vendors_csv(vendors(n))
    register = parse_vendors(text)
    ref, _ = prepare_matcher(register, folder / "bench.db")
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, ref.path, ref.key], capture_output=True, text=True, check=True
    ).stdout.split()
    before, after, peak = map(int, out)
    Path(ref.path).unlink()
    return len(text.encode()), before, after, peak


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 50000, 200000]
    print(
        f"{'vendors':>8} {'csv MB':>7} {'worker base MB':>15} {'+matcher MB':>12} {'peak MB':>8} "
        f"{'bytes/vendor':>13} {'x csv bytes':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            csv_bytes, before, after, peak = measure(n, Path(tmp))
            grown = max(after, peak) - before
            print(
                f"{n:>8} {csv_bytes / 1e6:>7.1f} {before / 2**20:>15.0f} {grown / 2**20:>12.0f} "
                f"{peak / 2**20:>8.0f} {grown / n:>13.0f} {grown / csv_bytes:>12.1f}"
            )


if __name__ == "__main__":
    main()
