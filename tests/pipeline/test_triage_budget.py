"""The triage read-back within Slack's rate limit: reactions on thread replies are only visible through
conversations.replies, one call per thread, and Slack answers about 50 of those a minute (tier 3; the
stand-in refuses the 51st with 429). A cycle reads a few threads: those someone replied in, those with
a recent alert reply, and the others in turn, so that every thread is still read within a stated
number of cycles (alerting/triage_threads.py)."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Clock, Feed, outbox
from conftest import Entry, bot_env

from monitor.alerting import triage_threads
from monitor.alerting.triage_threads import LastRead, Thread

NOW = datetime.now(UTC) - timedelta(hours=1)
# Made-up company names far enough apart that the matcher never takes one for another.
_SYLLABLES = ["zor", "qua", "vel", "mip", "tru", "bex", "nol", "dra", "kif", "sum"]
NAMES = [f"{a}{b}{c}".capitalize() for a, b, c in itertools.permutations(_SYLLABLES, 3)][::7]


def _calls(slack, method: str = "conversations.replies") -> int:  # type: ignore[no-untyped-def]
    return sum(1 for path, _p in slack.requests if path.endswith("/" + method))


class Incidents:
    """Vendors in vendors.csv and, for each incident, two reports: the first alert heads a thread in
    Slack, the second is its reply."""

    def __init__(self, project, feed) -> None:  # type: ignore[no-untyped-def]
        self.project, self.feed = project, feed
        self.vendors: list[str] = []

    def add(self, n: int) -> None:
        start = len(self.vendors)
        self.vendors += NAMES[start : start + n]
        rows = "".join(f"{v} Holdings Corp.,{v} Holdings,{v.lower()}.example,high,,,\n" for v in self.vendors)
        self.project.vendors_path.write_text("name,aliases,domains,criticality,owner,parent,notes\n" + rows)
        for i, v in enumerate(self.vendors[start:], start):
            self.feed.add(
                Entry(
                    f"{v} Holdings confirms ransomware attack exposed customer data",
                    f"https://a.example/{i}",
                    "The company said attackers stole customer records.",
                    f"{i}a",
                    NOW,
                ),
                Entry(
                    f"{v} Holdings breach: hackers stole records of 40,000 customers",
                    f"https://b.example/{i}",
                    "A ransomware gang claimed the attack on the company.",
                    f"{i}b",
                    NOW + timedelta(minutes=5),
                ),
            )


@pytest.fixture
def incidents(project, httpserver):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver)
    project.configure([feed.source], limits={"max_alerts_per_cycle": 500})
    return Incidents(project, feed)


def _clocks(monkeypatch, slack) -> Clock:  # type: ignore[no-untyped-def]
    """monitor's clock and the stand-in's rate window moved forward together."""
    clock = Clock(monkeypatch)
    slack.clock = lambda: time.monotonic() + clock.offset.total_seconds()
    return clock


def _run(project, slack) -> None:  # type: ignore[no-untyped-def]
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output


def _replies(project) -> list[dict]:  # type: ignore[no-untyped-def]
    return [a for a in outbox(project) if a["thread_ts"]]


def test_a_cycle_reads_a_few_threads_and_stays_under_slacks_limit(project, incidents, slack):  # type: ignore[no-untyped-def]
    incidents.add(45)
    _run(project, slack)
    assert len(_replies(project)) == 45  # 45 incident threads, each with one alert reply
    first = _calls(slack)
    assert 0 < first <= triage_threads.PER_CYCLE
    _run(project, slack)
    second = _calls(slack) - first
    assert 0 < second <= triage_threads.PER_CYCLE
    _run(project, slack)  # within the same minute: the minute's budget is spent
    assert _calls(slack) == first + second <= triage_threads.PER_MINUTE
    assert slack.ratelimited == []  # Slack (the stand-in: 50 a minute) never had to refuse one


def test_a_reaction_on_a_recent_reply_is_picked_up_next_run(project, incidents, slack, monkeypatch):  # type: ignore[no-untyped-def]
    clock = _clocks(monkeypatch, slack)
    incidents.add(40)
    _run(project, slack)
    clock.advance(days=2)  # 40 threads whose replies are two days old
    incidents.add(1)  # a new incident: its reply is recent
    _run(project, slack)
    recent = _replies(project)[-1]
    assert recent["vendor"].startswith(incidents.vendors[-1])
    slack.react_as_user("C0GENERAL", recent["slack_ts"], "white_check_mark", "U0LEAD")
    clock.advance(minutes=2)
    before = _calls(slack)
    _run(project, slack)
    assert [a for a in outbox(project) if a["id"] == recent["id"]][0]["triage"]["verdicts"] == ["acknowledged"]
    assert _calls(slack) - before <= triage_threads.PER_CYCLE  # not all 41 threads


def test_an_older_thread_is_still_read_within_the_stated_bound(project, incidents, slack, monkeypatch):  # type: ignore[no-untyped-def]
    clock = _clocks(monkeypatch, slack)
    incidents.add(30)
    _run(project, slack)
    clock.advance(days=2)
    incidents.add(20)  # more recent threads than a cycle reads besides its reserve for old ones
    _run(project, slack)
    old = {a["id"]: a for a in _replies(project)[:30]}
    for a in old.values():  # a reaction on every old thread's reply
        slack.react_as_user("C0GENERAL", a["slack_ts"], "x", "U0ANALYST")
    bound = triage_threads.every_thread_within(50)
    seen_after: list[int] = []
    for _cycle in range(bound):
        clock.advance(minutes=2)  # cycles a few minutes apart: each has its full budget
        _run(project, slack)
        seen_after.append(sum(1 for a in outbox(project) if a["id"] in old and a["triage"]["verdicts"]))
        if seen_after[-1] == len(old):
            break
    assert seen_after[-1] == len(old), f"old threads' reactions seen, cycle by cycle: {seen_after} of {len(old)}"
    assert seen_after[0] < len(old)  # they did wait their turn: the recent threads come first
    assert slack.ratelimited == []


def test_cycles_seconds_apart_keep_the_history_reads_under_slacks_limit(project, incidents, slack):  # type: ignore[no-untyped-def]
    """The daemon's ticks can come seconds apart (sources due at different times), each reading the
    channel's history back: the history reads keep under Slack's limit for that method too."""
    incidents.add(3)
    for _tick in range(45):  # 45 cycles within one minute of monitor's clock
        _run(project, slack)
    assert _calls(slack, "conversations.history") <= triage_threads.PER_MINUTE
    assert _calls(slack) <= triage_threads.PER_MINUTE
    assert slack.ratelimited == []


def test_a_thread_refused_for_the_rate_is_not_waited_for(project, incidents, slack, monkeypatch):  # type: ignore[no-untyped-def]
    """Another app (or process) spent the minute: Slack answers 429 with Retry-After 20 s. The cycle
    goes on at once (the alert sender would wait up to max_retry_after, 30 s), leaves the rest of the
    minute alone, and reads the threads in a later cycle."""
    clock = _clocks(monkeypatch, slack)
    incidents.add(6)
    _run(project, slack)
    [reply] = _replies(project)[:1]
    slack.react_as_user("C0GENERAL", reply["slack_ts"], "eyes", "U0ANALYST")
    clock.advance(minutes=2)
    slack.history_plan = ["ok"] + [("ratelimit", 20)] * 6  # the history page, then every thread refused
    before, started = _calls(slack), time.monotonic()
    _run(project, slack)
    assert time.monotonic() - started < 15
    assert _calls(slack) - before == 6
    _run(project, slack)  # the same minute: not asked again
    assert _calls(slack) - before == 6
    clock.advance(minutes=2)
    _run(project, slack)
    assert [a for a in outbox(project) if a["id"] == reply["id"]][0]["triage"]["verdicts"] == ["investigating"]


def test_choose_reads_every_thread_within_the_bound_however_many_are_recent() -> None:
    """The policy alone, over a week of cycles: 105 threads, 30 of them always recent."""
    now = 1_800_000_000.0
    threads = [Thread("C1", f"{1_700_000_000 + i}.000100", now - (60 if i < 30 else 5 * 86400)) for i in range(105)]
    last: dict[tuple[str, str], LastRead] = {}
    waited = {(t.channel, t.ts): 0 for t in threads}
    worst = 0
    for _cycle in range(200):
        now += 900
        chosen = triage_threads.choose(threads, last, now, triage_threads.budget(0))
        assert len(chosen) == triage_threads.PER_CYCLE
        for key in waited:
            waited[key] += 1
        for t in chosen:
            worst = max(worst, waited[(t.channel, t.ts)])
            waited[(t.channel, t.ts)] = 0
            last[(t.channel, t.ts)] = LastRead(None, now)
    assert worst <= triage_threads.every_thread_within(105) == 21
    assert max(waited.values()) <= 21


def test_a_reply_by_someone_else_comes_first_and_our_own_new_reply_is_not_news() -> None:
    now = 1_800_000_000.0
    old = now - 5 * 86400
    ours = Thread("C1", "1.000100", old, latest_reply=f"{old:.6f}", ours=f"{old:.6f}")
    answered = Thread("C1", "2.000100", old, latest_reply=f"{now - 10:.6f}", ours=f"{old:.6f}")
    last = {
        ("C1", "1.000100"): LastRead(f"{old:.6f}", now - 3600),
        ("C1", "2.000100"): LastRead(f"{old:.6f}", now - 60),
    }
    assert triage_threads.choose([ours, answered], last, now, 1) == [answered]
    last[("C1", "2.000100")] = LastRead(answered.latest_reply, now)
    assert triage_threads.choose([ours, answered], last, now, 1) == [ours]
    assert triage_threads.budget(35) == 5 and triage_threads.budget(40) == 0
