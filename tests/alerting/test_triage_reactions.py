"""Issue 17: triage where the alerts are read. Reactions analysts add to (or take off) alert messages
between two `monitor run --once` are read back with one history call per channel, applied once, shown
in the message (chat.update), and listed by alerts/incidents/search --json."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed, outbox
from conftest import Entry, bot_env
from test_incidents import LY_FOLLOW_UP, LY_JA, LY_JA2

NOW = datetime.now(UTC) - timedelta(hours=1)
JITB = Entry(
    "Ransomware gang leaks files from Jack in the Box franchisee",
    "https://news.example/jitb",
    "The franchisee's customer data was posted on a leak site.",
    "1",
    NOW,
)
OKTA = Entry(
    "Okta confirms breach of its support system",
    "https://news.example/okta",
    "Attackers stole session tokens from customer support files.",
    "2",
    NOW,
)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def _calls(slack, method: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [p for path, p in slack.requests if path.endswith("/" + method)]


def _message(slack, alert_id: int) -> dict:  # type: ignore[no-untyped-def]
    return next(m for m in slack.messages if m.get("metadata", {}).get("event_payload", {}).get("alert_id") == alert_id)


def _run(project, slack):  # type: ignore[no-untyped-def]
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    return result


def test_reactions_between_runs_are_taken_once_and_shown_in_the_message(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(JITB, OKTA)
    project.configure([feed.source])
    _run(project, slack)
    box, okta = outbox(project)
    assert (box["vendor"], okta["vendor"]) == ("Box Inc.", "Okta Inc.")
    assert box["triage"] == {"verdicts": [], "marks": []}

    slack.react_as_user("C0GENERAL", box["slack_ts"], "x", "U0ANALYST")
    slack.react_as_user("C0GENERAL", okta["slack_ts"], "white_check_mark", "U0LEAD")
    slack.react_as_user("C0GENERAL", okta["slack_ts"], "tada", "U0LEAD")  # not a verdict: ignored
    before = len(_calls(slack, "conversations.history"))
    _run(project, slack)
    # One history call for the one channel, not one per message; no thread to read.
    assert len(_calls(slack, "conversations.history")) - before == 1
    assert _calls(slack, "conversations.replies") == []
    updates = _calls(slack, "chat.update")
    assert sorted(u["ts"] for u in updates) == sorted([box["slack_ts"], okta["slack_ts"]])
    box_msg, okta_msg = _message(slack, box["id"]), _message(slack, okta["id"])
    assert "False positive: marked by <@U0ANALYST>" in json.dumps(box_msg["blocks"])
    assert "False positive: marked by <@U0ANALYST>" in box_msg["text"]
    assert "Acknowledged by <@U0LEAD>" in json.dumps(okta_msg["blocks"])
    assert okta_msg["metadata"]["event_payload"]["alert_id"] == okta["id"]  # still findable by reconciliation

    box, okta = outbox(project)
    assert box["triage"]["verdicts"] == ["false_positive"]
    assert box["triage"]["marks"][0]["user"] == "U0ANALYST" and box["triage"]["marks"][0]["via"] == "x"
    assert box["triage"]["marks"][0]["at"]
    assert okta["triage"]["verdicts"] == ["acknowledged"]
    # Suppressed exactly as `monitor feedback ID --wrong-vendor` would.
    [sup] = json.loads(project.run("feedback", "list", "--json").stdout)
    assert (sup["vendor"], sup["alert_id"], sup["reason"]) == ("Box Inc.", box["id"], "marked in Slack by <@U0ANALYST>")

    # Nothing changed: nothing recorded twice, no message updated again.
    _run(project, slack)
    assert len(_calls(slack, "chat.update")) == 2
    assert len(outbox(project)[0]["triage"]["marks"]) == 1

    # The suppressed vendor named the same way does not alert again; the acknowledged one still does.
    feed.add(
        Entry(
            "Ransomware gang leaks data of Jack in the Box franchisee staff",
            "https://news.example/jitb-2",
            "",
            "3",
            NOW,
        ),
        Entry(
            "Okta breach: hackers accessed files of all support customers", "https://news.example/okta-2", "", "4", NOW
        ),
    )
    posted = len(slack.messages)
    run = _run(project, slack)
    assert len(slack.messages) == posted + 1
    assert "Okta" in slack.messages[-1]["text"]
    assert "1 suppressed by feedback" in run.stderr


def test_a_removed_reaction_restores_the_alert(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(JITB)
    project.configure([feed.source])
    _run(project, slack)
    [box] = outbox(project)
    slack.react_as_user("C0GENERAL", box["slack_ts"], "x", "U0ANALYST")
    _run(project, slack)
    assert outbox(project)[0]["triage"]["verdicts"] == ["false_positive"]

    slack.unreact_as_user("C0GENERAL", box["slack_ts"], "x", "U0ANALYST")
    _run(project, slack)
    [box] = outbox(project)
    assert box["triage"] == {"verdicts": [], "marks": []}
    assert json.loads(project.run("feedback", "list", "--json").stdout) == []
    message = _message(slack, box["id"])
    assert "False positive" not in json.dumps(message) and len(_calls(slack, "chat.update")) == 2
    # The vendor named that way alerts again.
    feed.add(
        Entry(
            "Ransomware gang leaks data of Jack in the Box franchisee staff",
            "https://news.example/jitb-2",
            "",
            "3",
            NOW,
        )
    )
    posted = len(slack.messages)
    _run(project, slack)
    assert len(slack.messages) == posted + 1

    # Reacting again is recorded again (a new mark, the old one kept as history).
    slack.react_as_user("C0GENERAL", box["slack_ts"], "x", "U0OTHER")
    _run(project, slack)
    db = project.db()
    rows = list(db.query("SELECT user, removed_at FROM triage_marks ORDER BY id"))
    assert [r["user"] for r in rows] == ["U0ANALYST", "U0OTHER"]
    assert rows[0]["removed_at"] and rows[1]["removed_at"] is None


def test_mute_holds_thread_replies_but_not_follow_ups(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(LY_JA)
    project.configure([feed.source])
    _run(project, slack)
    [first] = outbox(project)
    slack.react_as_user("C0GENERAL", first["slack_ts"], "no_bell", "U0LEAD")
    slack.react_as_user("C0GENERAL", first["slack_ts"], "eyes", "U0ANALYST")
    _run(project, slack)
    assert "Incident muted by <@U0LEAD>" in _message(slack, first["id"])["text"]
    assert "Investigating: <@U0ANALYST>" in _message(slack, first["id"])["text"]

    feed.add(LY_JA2)  # another report of the same incident: would be a thread reply
    posted = len(slack.messages)
    _run(project, slack)
    assert len(slack.messages) == posted
    reply = outbox(project)[-1]
    assert reply["state"] == "muted" and reply["incident_id"] == first["incident_id"]

    feed.add(LY_FOLLOW_UP)  # new facts: still goes into the thread
    _run(project, slack)
    assert len(slack.messages) == posted + 1 and slack.messages[-1]["thread_ts"] == first["slack_ts"]
    [incident] = [i for i in json.loads(project.run("incidents", "--json").stdout) if i["id"] == first["incident_id"]]
    assert incident["muted"] is True
    assert incident["articles"][0]["triage"]["verdicts"] == ["investigating", "mute"]
    hits = json.loads(project.run("search", "NAVER", "--json").stdout)
    assert hits[0]["triage"]["verdicts"] == ["investigating", "mute"]

    # Unmuted (read after this cycle's delivery): the held reply goes out in the next cycle, nothing lost.
    slack.unreact_as_user("C0GENERAL", first["slack_ts"], "no_bell", "U0LEAD")
    _run(project, slack)
    assert outbox(project)[1]["state"] == "pending"  # LY_JA2's alert
    _run(project, slack)
    assert outbox(project)[1]["state"] == "sent"
    assert len(slack.messages) == posted + 2


def test_replies_are_read_only_for_threads_with_our_replies(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(LY_JA, LY_JA2)
    project.configure([feed.source])
    _run(project, slack)
    first, reply = outbox(project)
    assert reply["thread_ts"] == first["slack_ts"]
    slack.react_as_user("C0GENERAL", reply["slack_ts"], "white_check_mark", "U0LEAD")
    history, replies = len(_calls(slack, "conversations.history")), len(_calls(slack, "conversations.replies"))
    _run(project, slack)
    assert len(_calls(slack, "conversations.history")) - history == 1
    assert len(_calls(slack, "conversations.replies")) - replies == 1
    assert outbox(project)[1]["triage"]["verdicts"] == ["acknowledged"]
    assert "Acknowledged by <@U0LEAD>" in _message(slack, reply["id"])["text"]


def test_missing_scope_is_said_once_and_delivery_goes_on(project, feed, slack, caplog):  # type: ignore[no-untyped-def]
    slack.revoke("channels:history")
    feed.add(JITB)
    project.configure([feed.source])
    with caplog.at_level("WARNING", logger="monitor.triage"):
        first = _run(project, slack)
    assert len(slack.messages) == 1 and outbox(project)[0]["state"] == "sent"
    assert "0 failed" in first.stderr and "!" not in first.stderr  # not a failure of delivery
    [said] = [r.getMessage() for r in caplog.records if r.name == "monitor.triage"]
    assert "cannot read reactions in C0GENERAL: missing_scope: the token lacks channels:history" in said
    assert "alerts are still delivered" in said and "reactions:read" in said
    caplog.clear()
    feed.add(OKTA)
    with caplog.at_level("WARNING", logger="monitor.triage"):
        _run(project, slack)
    assert len(slack.messages) == 2
    assert [r for r in caplog.records if r.name == "monitor.triage"] == []


class _FeedAfterHistory(Feed):
    """The feed, answered on the next run only once Slack has been asked for the channel's history, or
    after `patience` seconds: whether the feeds wait for the read-back shows in `waited_in_vain`."""

    def __init__(self, httpserver, slack, patience: float = 5.0):  # type: ignore[no-untyped-def]
        super().__init__(httpserver)
        self.slack, self.patience = slack, patience
        self.hold = False
        self.waited_in_vain = False

    def _serve(self, request):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + self.patience
        while self.hold and not _calls(self.slack, "conversations.history"):
            if time.monotonic() > deadline:
                self.waited_in_vain = True
                break
            time.sleep(0.01)
        return super()._serve(request)


def test_the_feeds_are_fetched_while_slack_history_is_read(project, httpserver, slack):  # type: ignore[no-untyped-def]
    """The read-back's history calls go out with the feed requests, not after them: a slow Slack (its
    history pages are the largest answers it gives) does not hold back the next cycle's feeds."""
    feed = _FeedAfterHistory(httpserver, slack).add(JITB)
    project.configure([feed.source])
    _run(project, slack)
    assert slack.posts and _calls(slack, "conversations.history")  # the first run read its alert back
    slack.requests.clear()
    feed.hold = True
    _run(project, slack)
    assert not feed.waited_in_vain
    assert len(_calls(slack, "conversations.history")) == 1  # read once: not again after the fetch


def test_a_bug_reading_history_ahead_costs_neither_the_cycle_nor_the_read_back(  # type: ignore[no-untyped-def]
    project, slack, httpserver, monkeypatch, caplog
):
    from monitor.pipeline import triage_step

    feed = Feed(httpserver).add(JITB)
    project.configure([feed.source])
    _run(project, slack)
    (box,) = outbox(project)
    slack.react_as_user("C0GENERAL", box["slack_ts"], "eyes", "U0ANALYST")

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug in the read-ahead")

    monkeypatch.setattr(triage_step, "_start_history", broken)
    feed.add(OKTA)
    _run(project, slack)
    assert "reading history ahead failed: RuntimeError: a bug in the read-ahead" in caplog.text
    box, okta = outbox(project)
    assert okta["state"] == "sent"  # the cycle went on and delivered
    assert [m["verdict"] for m in box["triage"]["marks"]] == ["investigating"]  # read after delivery instead
