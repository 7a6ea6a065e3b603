"""Source health as a pure decision: a source's stored state, what this poll gave, and the time in;
the columns to store and the health event to alert out. No I/O: the cycle applies the update and
queues the event (in the style of lemon24/reader's update decider).

Health moves between three states:
  ok       -> failing  after health.failure_threshold failures in a row (alerted once)
  ok       -> empty    a source that has had items answers with none (a changed page layout)
  failing/empty -> ok  the next poll that works (and, for empty, has items again)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from ..textutil import iso
from .schedule import poll_delay

Health = Literal["ok", "failing", "empty"]


@dataclass(frozen=True, slots=True)
class SourceState:
    """What is stored of a source between polls (its row in the sources table)."""

    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    consecutive_failures: int = 0
    health: Health = "ok"
    max_items_seen: int = 0
    shared_links: bool = False  # an earlier fetch gave several items one link (links identify none)
    next_due: str | None = None
    last_attempt: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SourceState:
        stored = row.get("health")
        health: Health = "failing" if stored == "failing" else "empty" if stored == "empty" else "ok"
        return cls(
            url=row.get("url"),
            etag=row.get("etag"),
            last_modified=row.get("last_modified"),
            consecutive_failures=int(row.get("consecutive_failures") or 0),
            health=health,
            max_items_seen=int(row.get("max_items_seen") or 0),
            shared_links=bool(row.get("shared_links")),
            next_due=row.get("next_due"),
            last_attempt=row.get("last_attempt"),
        )

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The (ETag, Last-Modified) to send back in a conditional GET; none when the stored state is
        from another URL (the validators belong to that one)."""
        if self.url != url:
            return None, None
        return self.etag, self.last_modified


@dataclass(frozen=True, slots=True)
class Schedule:
    """What the configuration says of the source, for deciding its state."""

    url: str
    kind: str  # feed, html or json
    interval: float  # seconds
    failure_threshold: int


@dataclass(frozen=True, slots=True)
class Failed:
    """The poll failed: fetching, parsing or storing the source."""

    error: str


@dataclass(frozen=True, slots=True)
class Polled:
    """The poll worked."""

    etag: str | None
    last_modified: str | None
    items: int | None = None  # None: 304 Not Modified, nothing was parsed
    new: int = 0
    shared_links: bool = False


PollResult = Failed | Polled


@dataclass(frozen=True, slots=True)
class HealthEvent:
    """A change of health worth telling the team (the ops channel)."""

    kind: Literal["failing", "empty", "recovered"]
    failures: int = 0
    error: str = ""
    before: bool = True  # empty: the source had items before (else it never had any: its selectors)


class _Keep(enum.Enum):
    KEEP = 0


KEEP = _Keep.KEEP  # a column this update leaves as it is (None writes NULL)


@dataclass(frozen=True, slots=True)
class SourceUpdate:
    """The columns of the source's row to write; KEEP leaves one as stored."""

    url: str
    type: str
    last_attempt: str
    next_due: str
    consecutive_failures: int
    last_error: str | None
    last_ok: str | _Keep = KEEP
    etag: str | None | _Keep = KEEP
    last_modified: str | None | _Keep = KEEP
    shared_links: int | _Keep = KEEP
    last_new_item: str | _Keep = KEEP
    items_last_fetch: int | _Keep = KEEP
    max_items_seen: int | _Keep = KEEP
    health: Health | _Keep = KEEP

    def columns(self) -> dict[str, Any]:
        return dict(self._set())

    def _set(self) -> Iterator[tuple[str, Any]]:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not KEEP:
                yield f.name, value


def decide(
    state: SourceState, result: PollResult, now: datetime, source: Schedule, jitter: float
) -> tuple[SourceUpdate, HealthEvent | None]:
    """The source's new state after this poll, and the health event it causes (if any).

    jitter: a number in [0, 1) drawn by the caller, spreading the next poll (schedule.poll_delay)."""
    at = iso(now) or ""

    def due(failures: int) -> str:
        return iso(now + timedelta(seconds=poll_delay(source.interval, failures, rng=lambda: jitter))) or ""

    if isinstance(result, Failed):
        failures = state.consecutive_failures + 1
        update = SourceUpdate(
            url=source.url,
            type=source.kind,
            last_attempt=at,
            last_error=result.error,
            consecutive_failures=failures,
            next_due=due(failures),
        )
        if failures >= source.failure_threshold and state.health != "failing":
            return _with(update, health="failing"), HealthEvent("failing", failures, result.error)
        return update, None
    update = SourceUpdate(
        url=source.url,
        type=source.kind,
        last_attempt=at,
        last_ok=at,
        last_error=None,
        consecutive_failures=0,
        next_due=due(0),
        etag=result.etag,
        last_modified=result.last_modified,
        shared_links=1 if result.shared_links else KEEP,
        last_new_item=at if result.new else KEEP,
    )
    if result.items is not None:
        update = _with(update, items_last_fetch=result.items, max_items_seen=max(state.max_items_seen, result.items))
        # A new html source whose selectors match nothing is flagged on its first poll too: its
        # selectors are wrong (or the page changed), it is not a quiet day.
        if result.items == 0 and (state.max_items_seen > 0 or source.kind == "html") and state.health == "ok":
            return _with(update, health="empty"), HealthEvent("empty", before=state.max_items_seen > 0)
    if state.health in ("failing", "empty") and (result.items is None or result.items > 0):
        return _with(update, health="ok"), HealthEvent("recovered")
    return update, None


def _with(update: SourceUpdate, **changes: Any) -> SourceUpdate:
    return replace(update, **changes)
