"""What the daemon's Prometheus metrics read from the database at each scrape."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# The outbox's states (alerting/outbox.py), each reported even at zero so a dashboard's series exist
# from the first scrape and an alert leaving a state drops its count to 0 rather than out of sight.
ALERT_STATES = ("pending", "sending", "sent", "failed", "held", "muted", "digested")


def alert_counts(database: Path) -> dict[str, int]:
    """Alerts per state, read through a read-only connection of its own (the scrape runs in the metrics
    server's thread, beside the cycle's writes; WAL lets it read the last committed state)."""
    counts = dict.fromkeys(ALERT_STATES, 0)
    if not database.exists():
        return counts
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        for state, n in conn.execute("SELECT state, COUNT(*) FROM alerts GROUP BY state"):
            counts[str(state)] = int(n)
    except sqlite3.OperationalError:  # no alerts table yet
        pass
    finally:
        conn.close()
    return counts
