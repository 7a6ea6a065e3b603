"""Which incident threads the triage read-back reads this cycle (policy only: no Slack, no SQL).

Reactions on a thread reply are only visible through conversations.replies, one call per thread, and
Slack allows about 50 of those a minute (Web API tier 3, per app and workspace). A team with a hundred
incident threads would be refused every cycle if each were read each cycle. So a cycle reads at most
`budget` threads, in this order:

1. threads where someone else replied since we last read them: the parent's `latest_reply` in the
   channel's history is newer than our own newest reply and not the one we saw (activity: whoever
   replied may well have reacted too);
2. threads holding one of our alert replies younger than RECENT: where reactions come in;
3. the rest;

each group longest unread first (a thread never read counts from our newest reply in it),

with at least a quarter of the budget always going to the longest unread of those not chosen by 1-2,
so that busy recent threads cannot starve the old ones: with N threads in the window, every thread
is read within ceil(N / reserve) cycles, however many threads are recent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RECENT = 24 * 3600.0  # a thread with one of our alert replies this young is read every cycle (budget allowing)
PER_CYCLE = 20  # conversations.replies calls in one cycle at most
PER_MINUTE = 40  # ... and in any minute, across cycles and processes (Slack's tier 3 is ~50)
RESERVE_SHARE = 4  # 1/4 of a cycle's budget goes to the longest unread threads


@dataclass(frozen=True, slots=True)
class Thread:
    """An incident thread holding alert replies of the triage window."""

    channel: str
    ts: str
    newest_reply: float  # when we sent our newest alert reply in it (epoch seconds, our clock)
    latest_reply: str | None = None  # the parent's latest_reply in this cycle's history; None: parent not read
    ours: str | None = None  # the Slack ts of our newest alert reply in it


@dataclass(frozen=True, slots=True)
class LastRead:
    latest_reply: str | None  # what the thread's latest reply was when we read it
    at: float  # epoch seconds of that read


def budget(calls_last_minute: int) -> int:
    """conversations.replies calls this cycle may make, given those made in the last 60 s."""
    return max(0, min(PER_CYCLE, PER_MINUTE - calls_last_minute))


def reserve(allowed: int) -> int:
    """Calls kept for the longest unread threads (none in a cycle left with fewer than 4 calls)."""
    return allowed // RESERVE_SHARE


def every_thread_within(threads: int, allowed: int = PER_CYCLE) -> int:
    """The most cycles with `allowed` calls any thread waits to be read, whatever else is chosen first
    (the stated bound)."""
    return math.ceil(threads / reserve(allowed)) if threads and reserve(allowed) else 0


def changed(t: Thread, last: LastRead | None) -> bool:
    """Someone else replied since we last read it (our own new reply changes latest_reply too, but we
    know what we posted: that thread is recent instead)."""
    if t.latest_reply is None or (last is not None and t.latest_reply == last.latest_reply):
        return False
    try:
        return t.ours is None or float(t.latest_reply) > float(t.ours)
    except ValueError:
        return True


def choose(threads: list[Thread], last: dict[tuple[str, str], LastRead], now: float, allowed: int) -> list[Thread]:
    """The threads to read this cycle, at most `allowed` of them (see the module's doc)."""
    if allowed <= 0 or not threads:
        return []

    def unread_since(t: Thread) -> float:
        # A thread never read counts from our newest reply in it: a thread read before that reply
        # was posted has waited longer, and new threads cannot push an old one back for ever.
        seen = last.get((t.channel, t.ts))
        return seen.at if seen is not None else t.newest_reply

    stalest = sorted(threads, key=lambda t: (unread_since(t), t.channel, t.ts))
    urgent = [t for t in stalest if changed(t, last.get((t.channel, t.ts)))]
    recent = [t for t in stalest if now - t.newest_reply < RECENT and not changed(t, last.get((t.channel, t.ts)))]
    first = (urgent + recent)[: allowed - reserve(allowed)]
    taken = {(t.channel, t.ts) for t in first}
    rest = [t for t in stalest if (t.channel, t.ts) not in taken][: allowed - len(first)]
    return first + rest
