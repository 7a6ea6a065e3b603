"""The shipped labelled set's two parts, and its alert score.

Items marked `"split": "held-out"` in monitor/eval/data/items.jsonl are scored on every run but never
tuned on: `monitor eval --errors` lists the errors of the development part only and counts the
held-out ones, so nobody adjusts a term list or a matching rule to one held-out item. Items without
the field (a team's own set too) are development items.

Alerts are scored beside mentions: an item alerts the vendors that are the subjects of a breach report
(matching.detect), so a report naming a vendor only as its source, or a launch naming one, that alerts
is a false positive, and a breach whose vendor is matched but not taken as its subject is a miss.
The expected alerts of an item are its labelled vendors when it reports a breach, none otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

DEV, HELD_OUT = "dev", "held-out"
SPLITS = (DEV, HELD_OUT)


class _Counts(Protocol):
    tp: int
    fp: int
    fn: int
    tn: int


C = TypeVar("C", bound=_Counts)


def split_problem(item: dict[str, object]) -> str | None:
    split = item.get("split", DEV)
    return None if split in SPLITS else f"split: expected {DEV!r} or {HELD_OUT!r}"


def split_of(item: dict[str, object]) -> str:
    return str(item.get("split", DEV))


def bump_pairs(table: dict[str, C], keys: Iterable[str], gold: set[str], found: set[str], new: Callable[[], C]) -> None:
    """Count each (item, vendor) pair of `gold | found` under every key; an item with neither is a tn."""
    for key in keys:
        c = table.setdefault(key, new())
        for v in gold | found:
            if v in gold and v in found:
                c.tp += 1
            elif v in found:
                c.fp += 1
            else:
                c.fn += 1
        if not gold and not found:
            c.tn += 1


def bump_one(table: dict[str, C], keys: Iterable[str], gold: bool, pred: bool, new: Callable[[], C]) -> None:
    for key in keys:
        c = table.setdefault(key, new())
        if gold and pred:
            c.tp += 1
        elif pred:
            c.fp += 1
        elif gold:
            c.fn += 1
        else:
            c.tn += 1
