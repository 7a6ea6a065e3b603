"""Where the time of case 1 (full poll) and case 4 (search) goes: py-spy samples the real CLI
process and its parser workers; the stacks are folded into per-stage and per-function totals.

    python bench/run.py profile [--quick]   (not part of the default run)

Raw stacks are kept in bench/out/profile-*.txt (flamegraph.pl / speedscope can read them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _fn(names: str, path: str = "") -> re.Pattern[str]:
    """A py-spy frame of one of these functions ('Store.known (/…/monitor/store.py:160)'), in path if given."""
    return re.compile(rf"^(?:[\w<>.]+\.)?(?:{names}) \(" + (rf".*{re.escape(path)}" if path else ""))


# The stage of a sample: the first of these (in this order) that any of its frames matches.
STAGES: list[tuple[str, re.Pattern[str]]] = [
    ("start-up imports", _fn("_find_and_load")),
    ("config + vendors load", _fn("load_config|load_vendors|parse_vendors")),
    ("Matcher construction", _fn("__init__", "monitor/matching/matcher.py")),
    ("fetch (httpx, event loop)", re.compile(r"monitor/sources/fetch\.py|^run \(.*asyncio/runners\.py")),
    ("parse in workers (feedparser)", _fn("run_parser|parse_feed")),
    ("waiting for parse results", _fn("_parse_as_completed")),
    ("dedupe lookups (store.known, known_keys)", _fn("known|known_keys", "monitor/storage/store.py")),
    ("detect.assess", _fn("assess", "monitor/matching/detect.py")),
    ("match (Matcher.match)", _fn("match", "monitor/matching/matcher.py")),
    ("alert composition + enqueue", _fn("_queue_article_alert")),
    (
        "store writes (insert, FTS, commit)",
        _fn("_store_decision|_save_success|_record_success|write|__exit__", "monitor/"),
    ),
    ("delivery to Slack", _fn("deliver", "monitor/")),
    ("new-item lookups in workers (dedupe)", _fn("new_items", "monitor/sources/dedupe.py")),
    ("search query (SQLite)", _fn("search", "monitor/storage/query.py")),
    ("parser pool threads (pebble: pickling, pipes)", re.compile(r"pebble/|multiprocessing/connection\.py")),
]


def py_spy() -> str | None:
    exe = Path(sys.executable).parent / "py-spy"
    return str(exe) if exe.exists() else shutil.which("py-spy")


def record(cmd: list[str], env: dict[str, str], out: Path, rate: int = 200, timeout: float = 900.0) -> Path:
    spy = py_spy()
    if spy is None:
        raise RuntimeError("py-spy is not installed (make bench installs it: pip install py-spy)")
    subprocess.run(
        [
            spy,
            "record",
            "--subprocesses",
            "--format",
            "raw",
            "--rate",
            str(rate),
            "--nonblocking",
            "--output",
            str(out),
            "--",
            *cmd,
        ],
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return out


def fold(raw: Path) -> tuple[Counter[str], Counter[str], int]:
    """(samples per stage, self samples per function, total samples) from py-spy raw stacks."""
    stages: Counter[str] = Counter()
    selfs: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf = re.sub(r":\d+\)$", ")", frames[-1])
        selfs[_short(leaf)] += n
        stage = next((name for name, pat in STAGES if any(pat.search(f) for f in frames)), "other")
        if stage == "other" and len(frames) == 1:
            stage = "interpreter start/exit (no Python frame)"
        elif stage == "other" and frames[-1].startswith("process "):
            stage = "forkserver / worker start-up"
        stages[stage] += n
    return stages, selfs, total


def _short(frame: str) -> str:
    return re.sub(r"\(/.*?/(site-packages|lib/python3\.\d+|main)/", "(", frame)


def report(title: str, raw: Path, say: Callable[[str], None], top: int = 15) -> dict[str, Any]:
    stages, selfs, total = fold(raw)
    say(f"  {title}: {total} samples (all processes; raw stacks in {raw.name})")
    for name, n in stages.most_common():
        say(f"    {100 * n / total:5.1f}%  {name}")
    say("  top self time:")
    for name, n in selfs.most_common(top):
        say(f"    {100 * n / total:5.1f}%  {name}")
    return {
        "samples": total,
        "stages": {k: v / total for k, v in stages.items()},
        "self": {k: v / total for k, v in selfs.most_common(top)},
    }
