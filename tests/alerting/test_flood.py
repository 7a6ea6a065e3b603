"""An entry flood: items and alerts are capped per cycle, and nothing beyond the cap is lost."""

from __future__ import annotations

import json

from conftest import Entry, bot_env, rss2


def test_alert_flood_drains_over_cycles_without_loss(project, httpserver, slack):  # type: ignore[no-untyped-def]
    entries = [
        Entry(
            f"Okta breach update {i}: customer data stolen in incident number {i}",
            f"https://news.example/okta/{i}",
            "Okta confirmed unauthorized access.",
        )
        for i in range(12)
    ]
    entries += [Entry(f"Unrelated story {i}", f"https://news.example/other/{i}") for i in range(3000)]
    httpserver.expect_request("/flood").respond_with_data(rss2(entries), content_type="application/rss+xml")
    project.configure(
        [{"name": "flood", "url": httpserver.url_for("/flood")}],
        limits={"max_items_per_source": 1000, "max_alerts_per_cycle": 5},
    )
    first = project.run("run", "--once", env=bot_env(slack))
    assert first.exit_code == 0, first.output
    # Items beyond the per-source cap are not read this cycle.
    assert project.db()["articles"].count == 1000
    assert len(slack.messages) == 5
    assert "per-cycle cap of 5 posts reached" in first.stderr
    pending = json.loads(project.run("alerts", "--pending", "--json").stdout)
    assert len(pending) == 7
    project.run("run", "--once", env=bot_env(slack))
    project.run("run", "--once", env=bot_env(slack))
    texts = [m["text"] for m in slack.messages]
    assert len(texts) == 12 and len(set(texts)) == 12  # every alert once, none lost
