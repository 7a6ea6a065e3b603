"""Which log lines a person sees: warnings and errors always, routine lines unless -q, detail with -v.

Routine lines (the daemon started, each cycle's summary, when each source is next due) are logged at
INFO with ROUTINE as `extra`, so that they show by default without showing every INFO line the code
keeps for -v (per-item notes, tracebacks). `-q` hides them, so cron mails only what needs an operator.
The choice is made by a filter on the handler, not by logger levels, so it holds for every logger
without naming them.
"""

from __future__ import annotations

import logging
from typing import Any

ROUTINE: dict[str, Any] = {"routine": True}  # log.info(..., extra=ROUTINE)


class Shown(logging.Filter):
    """Lets through records at `threshold` and above, and routine records unless `quiet`."""

    def __init__(self, threshold: int, quiet: bool):
        super().__init__()
        self.threshold = threshold
        self.quiet = quiet

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= self.threshold:
            return True
        return bool(getattr(record, "routine", False)) and not self.quiet


def install(root: logging.Logger, verbose: int, threshold: int, quiet: bool) -> None:
    """Put one Shown filter first on each stderr handler of basicConfig (replacing an earlier one: the CLI
    may run twice in a process), so hidden records are dropped before the secret redactor reads them,
    and let the root logger make INFO records. Handlers of others (pytest's log capture) are left alone,
    and then so is the level."""
    ours = [h for h in root.handlers if type(h) is logging.StreamHandler]
    for handler in ours:
        for old in [f for f in handler.filters if isinstance(f, Shown)]:
            handler.removeFilter(old)
        handler.filters.insert(0, Shown(threshold, quiet))
    if ours:
        # INFO at least, so routine records are made; the filter decides what is shown.
        root.setLevel(logging.DEBUG if verbose >= 2 else logging.INFO)
