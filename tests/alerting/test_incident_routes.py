"""Issue 14's "existing guarantees hold": an incident's thread lives in the channel its vendor's
criticality routes it to, its later reports reply there (not in the default channel), and the
top-level message there is the one kept up to date. Driven through `monitor run --once` against a
feed on 127.0.0.1 and the Slack stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alert_support import Feed
from conftest import Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=2)


def test_a_routed_incident_threads_and_updates_in_its_routed_channel(project, httpserver, slack):  # type: ignore[no-untyped-def]
    slack.add_channel("C0INCIDENT")
    feed = Feed(httpserver)
    feed.add(
        Entry(
            "Okta confirms breach of support system, customer files stolen",
            "https://a.example/okta-1",
            "Okta said attackers used stolen credentials to access its support case system.",
            "o1",
            NOW,
        )
    )
    project.configure([feed.source], slack={"channel": "C0GENERAL", "routes": {"critical": "C0INCIDENT"}})
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    feed.add(
        Entry(
            "Okta support system breach: all customers' names and emails stolen, Okta now says",
            "https://b.example/okta-2",
            "Okta said the hackers behind the support system breach stole data on all its customers.",
            "o2",
            NOW + timedelta(hours=1),
        )
    )
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0

    first, reply = (m for m in slack.messages if "metadata" in m)
    assert first["channel"] == "C0INCIDENT" and "thread_ts" not in first
    assert reply["channel"] == "C0INCIDENT" and reply["thread_ts"] == first["ts"]
    updates = [p for path, p in slack.requests if path.endswith("chat.update")]
    assert updates and {u["channel"] for u in updates} == {"C0INCIDENT"}
    assert {u["ts"] for u in updates} == {first["ts"]}
    assert not [m for m in slack.messages if m["channel"] == "C0GENERAL"]
