"""Issue 6: feed text is hostile. Mentions and disguised links are neutralised in every mrkdwn field and
the text fallback; links are built only from http(s) URLs; Block Kit limits hold, validated by slack_sdk."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Feed, mrkdwn_texts
from conftest import Entry, bot_env
from slack_sdk.models.blocks import Block

from monitor.alerting.messages import ArticleFacts, IncidentRef, article_message, digest_message
from monitor.alerting.slack import HEADER_MAX, SECTION_MAX, escape, link, truncate
from monitor.matching.matcher import Match
from monitor.matching.vendors import Vendor

NOW = datetime.now(UTC) - timedelta(hours=1)
HOSTILE = "<!channel> <!here> <@U024BE7LH> <https://evil.example|click here> <#C0SECRET> & <!everyone>"
# Slack's control syntax: anything between < and > in mrkdwn. Only our own links and the owner mentions
# from vendors.csv may appear.
_ANGLE = re.compile(r"<([^<>]*)>")
_ENTITY_OK = re.compile(r"&(?!amp;|lt;|gt;)")
# Our own date token (each reader sees their local time); nothing from the feed can make one.
_DATE_TOKEN = re.compile(r"!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC")


def _check_mrkdwn(text: str, allowed_links: set[str]) -> None:
    for inner in _ANGLE.findall(text):
        if inner in ("@U0IAM", "@U0SEC", "!subteam^S0RISK") or _DATE_TOKEN.fullmatch(inner):
            continue
        url, _, label = inner.partition("|")
        assert url in allowed_links, f"unexpected Slack syntax <{inner}> in {text!r}"
        assert "<" not in label and ">" not in label
    assert not _ENTITY_OK.search(text), f"a bare or split & entity in {text!r}"
    for bad in ("<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<https://evil", "<#C0SECRET>"):
        assert bad not in text


def _validate(message: dict) -> None:  # type: ignore[type-arg]
    blocks = message["blocks"]
    assert len(blocks) <= 50
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None
        block.validate_json()  # raises SlackObjectFormationError over 3000 / 150 / 10 fields
        if raw["type"] == "section" and "fields" in raw:
            assert all(len(f["text"]) <= 2000 for f in raw["fields"])
        if raw["type"] == "header":
            assert len(raw["text"]["text"]) <= HEADER_MAX
    assert len(message["text"]) <= 3000


@pytest.mark.parametrize("mode", ["bot", "webhook"])
def test_hostile_titles_summaries_and_source_names_are_neutralised(project, httpserver, slack, mode):  # type: ignore[no-untyped-def]
    feed = Feed(httpserver, name=f"Evil {HOSTILE} news")
    feed.add(
        Entry(f"Okta breach {HOSTILE}", "https://news.example/okta?a=1&b=<2>", f"Summary {HOSTILE}", "1", NOW),
        Entry(f"LINEヤフー 不正アクセス {HOSTILE}", "javascript:alert(document.cookie)", HOSTILE, "2", NOW),
        Entry(
            "トヨタ自動車 情報漏えい <https://evil.example|公式発表>", "data:text/html,<script>x</script>", "", "3", NOW
        ),
    )
    project.configure([feed.source])
    env = bot_env(slack) if mode == "bot" else {"SLACK_WEBHOOK_URL": slack.webhook_url}
    result = project.run("run", "--once", env=env)
    assert result.exit_code == 0, result.output
    assert len(slack.messages) == 3
    okta_url = "https://news.example/okta?a=1&amp;b=%3C2%3E"
    for message in slack.messages:
        _validate(message)
        assert message["unfurl_links"] is False and message["unfurl_media"] is False
        for text in mrkdwn_texts(message):
            _check_mrkdwn(text, {okta_url})
        joined = "\n".join(mrkdwn_texts(message))
        assert "&lt;!channel&gt;" in joined or "&lt;https://evil.example|" in joined
        assert "javascript:" not in "".join(_ANGLE.findall(joined))
    if mode == "bot":
        assert all(m["link_names"] is False for m in slack.messages)
    ly = next(m for m in slack.messages if "LINEヤフー" in m["text"])
    # The unsafe link is shown as plain text, so the analyst still sees where it pointed.
    assert "Link not clickable (not an http(s) URL): javascript:alert(document.cookie)" in "\n".join(mrkdwn_texts(ly))
    toyota = next(m for m in slack.messages if "トヨタ" in m["text"])
    assert "data:text/html,&lt;script&gt;" in "\n".join(mrkdwn_texts(toyota))


def _facts(**kw: object) -> ArticleFacts:
    base = dict(
        title="t",
        link="https://news.example/a",
        source="s",
        published="2024-06-05T09:00:00Z",
        summary="",
        supply_chain=False,
        terms=("breach",),
    )
    base.update(kw)
    return ArticleFacts(**base)  # type: ignore[arg-type]


def test_block_kit_limits_hold_for_huge_hostile_input() -> None:
    vendors = {
        f"Vendor {i} " + "&<>" * 300: Vendor(
            f"Vendor {i} " + "&<>" * 300, criticality="high", owner="<@U0IAM>", notes="&<>" * 2000
        )
        for i in range(12)
    }
    matches = [Match(v, v, "name", "title", v, 0, 1, 100) for v in vendors]
    facts = _facts(
        title="&<>" * 5000,
        summary="<!channel>&" * 9000,
        source="<!here>" * 1000,
        link="https://news.example/" + "a" * 5000,
        terms=tuple("&<>" * 50 for _ in range(30)),
    )
    message = article_message(facts, matches, vendors, 12345, IncidentRef(3, "&<>" * 900, 2, "same kind"))
    raw = {"text": message.text, "blocks": list(message.blocks)}
    _validate(raw)
    for text in mrkdwn_texts(raw):
        _check_mrkdwn(text, set())  # a 5000-character URL is not turned into a link at all


def test_digest_of_forty_items_with_long_urls_fits_fifty_blocks() -> None:
    items = [(i, "Box Inc.", "&<>" * 200, "https://news.example/" + "x" * 1450, "<!here>") for i in range(40)]
    message = digest_message(items)
    raw = {"text": message.text, "blocks": list(message.blocks)}
    _validate(raw)
    assert sum(t.count("alert #") for t in mrkdwn_texts(raw)) == 40  # every item shown, none cut off
    with pytest.raises(ValueError):
        digest_message(items + [items[0]])


@pytest.mark.parametrize("limit", range(2, 40))
def test_truncation_never_splits_an_entity(limit: int) -> None:
    escaped = escape("a&b<c>d" * 10)
    cut = truncate(escaped, limit)
    assert len(cut) <= limit
    assert not _ENTITY_OK.search(cut.rstrip("…"))
    assert cut.endswith("…")


def test_links_only_from_http_urls() -> None:
    assert link("https://a.example/x|y", "t|<b>") == "<https://a.example/x%7Cy|t¦&lt;b&gt;>"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "ftp://a.example/",
        "//a.example",
        "https:///nohost",
        "",
    ):
        assert link(bad, "label<") == "label&lt;"
    assert SECTION_MAX == 3000


def test_a_message_over_fifty_blocks_is_cut_with_a_count_of_what_was_left_out() -> None:
    from monitor.alerting.slack import finish, section

    message = finish("t", [section(f"item {i}") for i in range(75)], "console")
    assert len(message.blocks) == 50
    assert message.blocks[48]["text"]["text"] == "item 48"
    assert message.blocks[-1]["elements"][0]["text"] == "… 26 more not shown"
    _validate({"blocks": list(message.blocks), "text": message.text})
