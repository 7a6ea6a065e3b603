"""README: while Slack is down it is probed once per backoff, 30 s doubling up to 5 minutes, not at
every run (the daemon delivers every minute). Read from `monitor run --once`'s own report of the next
probe, on a clock that stands still between runs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed
from conftest import Entry, bot_env

import monitor.clock

OKTA = Entry(
    "Okta confirms breach of support system, customer files stolen",
    "https://news.example/okta",
    "",
    "o",
    datetime.now(UTC) - timedelta(hours=1),
)


def test_a_down_slack_is_probed_after_30_s_then_60_s_doubling_up_to_5_minutes(
    project, httpserver, slack, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    now = [datetime.now(UTC).replace(microsecond=0)]
    monkeypatch.setattr(monitor.clock, "utcnow", lambda: now[0])
    project.configure([Feed(httpserver).add(OKTA).source])
    slack.go_down()
    waits, said = [], []
    for _ in range(6):
        result = project.run("run", "--once", env=bot_env(slack))
        assert result.exit_code == 0, result.output
        found = re.search(r"next try after (\S+?)\)", result.stderr)
        assert found, result.stderr
        probe = datetime.fromisoformat(found.group(1).replace("Z", "+00:00"))
        waits.append((probe - now[0]).total_seconds())
        said.append(re.search(r"Slack (still )?unavailable \((probe: )?", result.stderr).group(0))
        now[0] = probe  # the next run is when the probe is due
    assert waits == [30, 60, 120, 240, 300, 300]
    # The operator is told that these were probes of a destination already known to be down.
    assert said == ["Slack unavailable ("] + ["Slack still unavailable (probe: "] * 5, said
