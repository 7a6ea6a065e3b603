"""Progress bars for long work, on a terminal only: the first poll of many sources, `monitor eval`,
newsroom discovery. Under cron, systemd or a pipe (stderr not a terminal) nothing is drawn, and
nothing is drawn unless the command line turned bars on (`-q` and the daemon keep them off), so the
library and the tests stay silent.

The bar is click's (already a dependency), drawn on stderr: stdout stays for `--json` and tables.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

MIN_STEPS = 5  # fewer steps than this are over before a bar would say anything
_enabled = False


def enable(on: bool) -> None:
    """Turn bars on for this process (the CLI, unless -q); they are still drawn only on a terminal."""
    global _enabled
    _enabled = on


def shown(steps: int) -> bool:
    stream = sys.stderr
    return _enabled and steps >= MIN_STEPS and hasattr(stream, "isatty") and stream.isatty()


class Bar:
    """Advance it once per step done; a bar that is not shown does nothing."""

    def __init__(self, bar: Any = None):
        self._bar = bar

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)


@contextmanager
def bar(label: str, steps: int) -> Iterator[Bar]:
    if not shown(steps):
        yield Bar()
        return
    import click

    with click.progressbar(length=steps, label=label, file=sys.stderr, show_pos=True, show_eta=True, width=30) as drawn:
        yield Bar(drawn)


def iterate(items: Iterable[T], label: str, steps: int) -> Iterator[T]:
    """The items, advancing a bar of `steps` (their number) as each is taken."""
    with bar(label, steps) as b:
        for item in items:
            yield item
            b.advance()
