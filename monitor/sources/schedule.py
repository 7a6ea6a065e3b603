"""When a source is polled next: its interval, with jitter, backed off while it fails. Pure."""

from __future__ import annotations

import random
from collections.abc import Callable

MAX_BACKOFF = 6 * 3600.0  # a source failing for days is still retried every 6 hours


def poll_delay(interval: float, failures: int = 0, rng: Callable[[], float] = random.random) -> float:
    """Seconds until a source's next poll.

    Healthy: the interval minus up to 10% jitter (never later than the interval, so a report published
    between polls is seen within one interval; the jitter keeps sources of one host out of lockstep).
    Failing: the interval doubled per consecutive failure, capped at MAX_BACKOFF (or the interval when
    that is longer), with the same jitter.
    """
    delay = interval
    if failures > 0:
        delay = min(interval * 2.0 ** min(failures - 1, 30), max(MAX_BACKOFF, interval))
    return delay * (0.9 + 0.1 * rng())
