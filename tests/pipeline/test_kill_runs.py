"""Issue 18, keep what holds: `run --once` killed with SIGKILL at random points over many runs, while new
reports keep arriving, and every alert still reaches Slack exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from alert_support import Clock, Feed, outbox
from conftest import Entry, bot_env, os_env_without_slack

RUNS = 15
PER_RUN = 3
NOW = datetime.now(UTC) - timedelta(days=1)
TEMPLATES = [
    "Okta confirms breach {n}: attackers stole customer files from support case {n}",
    "NAVER Cloud hacked in incident {n}: customer data stolen by attackers, report {n}",
    "トヨタ自動車 情報漏えい 取引先への不正アクセスで 第{n}報 顧客{n}件",
    "株式会社イセトーにランサムウェア攻撃、顧客情報{n}件が流出 (続報{n})",
    "LINEヤフー、不正アクセスで顧客情報{n}件が流出 第{n}報",
]


def _entry(n: int) -> Entry:
    title = TEMPLATES[n % len(TEMPLATES)].format(n=n)
    return Entry(title, f"https://news.example/report-{n}", "", f"g{n}", NOW + timedelta(minutes=n))


def test_sigkill_at_random_points_over_many_runs_delivers_each_alert_exactly_once(
    project, httpserver, slack, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20)
    feed = Feed(httpserver)
    # Paced posts, each answered 0.3 s after Slack stored it, make delivery long enough for kills to land
    # inside a call (the post is in Slack, our row says `sending`), as well as in fetch and store.
    project.configure([feed.source], slack={"min_interval": "0.2s"})
    slack.default = ("slow_after_record", 0.3)
    env = {**os_env_without_slack(), **bot_env(slack)}
    command = [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run", "--once"]
    added = 0
    killed = 0
    for _run in range(RUNS):
        feed.add(*(_entry(added + k) for k in range(PER_RUN)))
        added += PER_RUN
        proc = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )  # its own process group: the parser workers die too
        try:
            proc.wait(timeout=rng.uniform(0.2, 4.0))
        except subprocess.TimeoutExpired:
            killed += 1
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    assert killed >= RUNS // 3, f"only {killed} of {RUNS} runs were killed: the kill points are too late"
    slack.default = "ok"
    in_call = len(project.db().execute("SELECT id FROM alerts WHERE state = 'sending'").fetchall())
    # Recovery: ordinary runs, as cron makes them, until nothing is left to do. A killed run may have
    # left Slack marked down (a post timed out, or Slack's rate limit answered a reconciling history
    # read): its backoff holds the alerts until a later cron run, so the runs are minutes apart.
    clock = Clock(monkeypatch)
    slack.clock = lambda: time.monotonic() + clock.offset.total_seconds()
    for _ in range(5):
        clock.advance(minutes=15)
        result = project.run("run", "--once", env=bot_env(slack))
        assert result.exit_code == 0, result.output
        if not outbox(project, pending=True):
            break
        time.sleep(0.1)
    alerts = outbox(project)
    assert len(alerts) == added, "every report became exactly one alert"
    assert all(a["state"] == "sent" for a in alerts), [a for a in alerts if a["state"] != "sent"]
    posted = Counter(slack.posted_ids())
    doubled = [i for i, n in posted.items() if n > 1]
    assert not doubled, f"posted twice: {doubled}"
    assert sorted(posted) == [a["id"] for a in alerts], "every alert reached Slack"
    assert {a["slack_ts"] for a in alerts} == {m["ts"] for m in slack.messages}
    print(f"{killed} of {RUNS} runs killed; {in_call} left mid-call")
