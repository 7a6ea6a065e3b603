"""The Slack stand-in refuses what Slack refuses and pages like Slack, driven through slack-sdk's own WebClient.

If the stand-in accepted a request Slack refuses (no token, an empty channel, 60 blocks of 5,000
characters), the product tests built on it would pass while production fails; these tests pin it down."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient
from slack_standin import DEFAULT_APP_TOKEN, DEFAULT_TOKEN, SlackStandIn


def _client(slack: SlackStandIn, token: str | None = DEFAULT_TOKEN, **kwargs: Any) -> WebClient:
    return WebClient(token=token, base_url=slack.url, retry_handlers=[], **kwargs)


def _refused(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as e:
        call(**kwargs)
    data: dict[str, Any] = e.value.response.data
    assert data["ok"] is False
    return data


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


# ---------------------------------------------------------------------- auth


def test_no_token_is_not_authed_and_a_wrong_one_invalid_auth(slack: SlackStandIn) -> None:
    assert _refused(_client(slack, token=None).chat_postMessage, channel="C0GENERAL", text="x")["error"] == "not_authed"
    wrong = _client(slack, token="xoxb-someone-else")
    assert _refused(wrong.chat_postMessage, channel="C0GENERAL", text="x")["error"] == "invalid_auth"
    assert _refused(wrong.conversations_history, channel="C0GENERAL")["error"] == "invalid_auth"
    assert slack.messages == []


def test_auth_test_names_the_bot(slack: SlackStandIn) -> None:
    resp = _client(slack).auth_test()
    assert resp["ok"] and resp["user_id"] == "U0BOT" and resp["bot_id"]


def test_token_in_the_form_body_is_accepted_too(slack: SlackStandIn) -> None:
    resp = WebClient(base_url=slack.url).api_call("auth.test", params={"token": DEFAULT_TOKEN})
    assert resp["user_id"] == "U0BOT"


def test_unknown_method(slack: SlackStandIn) -> None:
    assert _refused(_client(slack).api_call, api_method="chat.postMessages")["error"] == "unknown_method"


# ---------------------------------------------------------------------- channels


@pytest.mark.parametrize("channel", ["", "C0NOPE", "#nope"])
def test_unknown_or_empty_channel_is_refused(slack: SlackStandIn, channel: str) -> None:
    data = _refused(_client(slack).chat_postMessage, channel=channel, text="breach")
    assert data["error"] == "channel_not_found"
    assert slack.messages == []


def test_channel_by_name_is_stored_under_its_id_and_new_channels_can_be_registered(slack: SlackStandIn) -> None:
    client = _client(slack)
    assert client.chat_postMessage(channel="#vendor-risk", text="a")["channel"] == "C0VENDORRISK"
    slack.add_channel("C0NEW", "new-team")
    assert client.chat_postMessage(channel="C0NEW", text="b")["channel"] == "C0NEW"
    assert [m["channel"] for m in slack.messages] == ["C0VENDORRISK", "C0NEW"]
    # conversations.history wants the id, as Slack does
    assert _refused(client.conversations_history, channel="#vendor-risk")["error"] == "channel_not_found"


# ---------------------------------------------------------------------- Block Kit limits


@pytest.mark.parametrize(
    "blocks, pointer",
    [
        ([_section("x")] * 51, "/blocks"),
        ([_section("x" * 3001)], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}], "/blocks/0/text"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "/blocks/0/fields"),
        (
            [_section("ok"), {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "/blocks/1/fields/0/text",
        ),
        ([{"type": "banner", "text": "x"}], "/blocks/0/type"),
        ([{"type": "section"}], "/blocks/0"),
    ],
)
def test_blocks_over_block_kits_limits_are_refused(slack: SlackStandIn, blocks: list[Any], pointer: str) -> None:
    data = _refused(_client(slack).chat_postMessage, channel="C0GENERAL", text="fallback", blocks=blocks)
    assert data["error"] == "invalid_blocks"
    assert any(f"[json-pointer:{pointer}]" in e for e in data["errors"]), data["errors"]
    assert data["response_metadata"]["messages"][0].startswith("[ERROR] ")
    assert slack.messages == []


def test_sixty_blocks_of_five_thousand_characters_are_refused(slack: SlackStandIn) -> None:
    data = _refused(_client(slack).chat_postMessage, channel="C0GENERAL", text="t", blocks=[_section("x" * 5000)] * 60)
    assert data["error"] == "invalid_blocks"
    assert len(data["errors"]) == 61  # the count, and each of the 60 sections


def test_blocks_exactly_at_the_limits_are_accepted(slack: SlackStandIn) -> None:
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 150}}] + [_section("x" * 3000)] * 49
    resp = _client(slack).chat_postMessage(channel="C0GENERAL", text="t", blocks=blocks)
    assert resp["ok"] and len(slack.messages[0]["blocks"]) == 50


def test_a_message_needs_text_or_blocks_and_text_has_a_limit(slack: SlackStandIn) -> None:
    client = _client(slack)
    assert _refused(client.chat_postMessage, channel="C0GENERAL", text="")["error"] == "no_text"
    assert _refused(client.chat_postMessage, channel="C0GENERAL", text="x" * 40001)["error"] == "msg_too_long"


# ---------------------------------------------------------------------- history


def _post(client: WebClient, n: int, channel: str = "C0GENERAL", **kwargs: Any) -> list[str]:
    return [client.chat_postMessage(channel=channel, text=f"m{i}", **kwargs)["ts"] for i in range(n)]


def test_post_stores_ts_thread_and_metadata_returned_only_when_asked(slack: SlackStandIn) -> None:
    client = _client(slack)
    meta = {"event_type": "monitor_alert", "event_payload": {"alert_id": 7}}
    resp = client.chat_postMessage(channel="C0GENERAL", text="alert", metadata=meta)
    assert resp["ts"] == slack.messages[0]["ts"] and slack.posted_ids() == [7]
    plain = client.conversations_history(channel="C0GENERAL")["messages"]
    assert [m["ts"] for m in plain] == [resp["ts"]] and "metadata" not in plain[0]
    full = client.conversations_history(channel="C0GENERAL", include_all_metadata=True)["messages"]
    assert full[0]["metadata"] == meta and full[0]["bot_id"]


def test_history_pages_newest_first_with_cursor_and_has_more(slack: SlackStandIn) -> None:
    client = _client(slack)
    sent = _post(client, 5)
    first = client.conversations_history(channel="C0GENERAL", limit=2)
    assert [m["ts"] for m in first["messages"]] == [sent[4], sent[3]]
    assert first["has_more"] is True and first["response_metadata"]["next_cursor"]
    second = client.conversations_history(
        channel="C0GENERAL", limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    third = client.conversations_history(
        channel="C0GENERAL", limit=2, cursor=second["response_metadata"]["next_cursor"]
    )
    assert [m["ts"] for m in second["messages"]] == [sent[2], sent[1]]
    assert [m["ts"] for m in third["messages"]] == [sent[0]]
    assert third["has_more"] is False and "next_cursor" not in third.get("response_metadata", {})
    # slack-sdk's own pagination (iterating a response follows next_cursor) sees every message once
    # (it reuses one response object, so read each page while iterating)
    seen = [m["ts"] for page in client.conversations_history(channel="C0GENERAL", limit=2) for m in page["messages"]]
    assert seen == sent[::-1]
    assert _refused(client.conversations_history, channel="C0GENERAL", cursor="bogus")["error"] == "invalid_cursor"


def test_oldest_and_latest_are_exclusive_unless_inclusive(slack: SlackStandIn) -> None:
    client = _client(slack)
    sent = _post(client, 4)

    def ts(**kwargs: Any) -> list[str]:
        return [m["ts"] for m in client.conversations_history(channel="C0GENERAL", **kwargs)["messages"]]

    assert ts(oldest=sent[1]) == [sent[3], sent[2]]
    assert ts(oldest=sent[1], inclusive=True) == [sent[3], sent[2], sent[1]]
    assert ts(latest=sent[2]) == [sent[1], sent[0]]
    assert ts(oldest=sent[0], latest=sent[3]) == [sent[2], sent[1]]
    assert ts(oldest=sent[0], latest=sent[3], inclusive=1) == sent[::-1]


def test_replies_parent_first_on_every_page_and_only_parents_in_history(slack: SlackStandIn) -> None:
    client = _client(slack)
    parent = client.chat_postMessage(channel="C0GENERAL", text="incident")["ts"]
    replies = _post(client, 3, thread_ts=parent)
    other = client.chat_postMessage(channel="C0GENERAL", text="other")["ts"]
    history = client.conversations_history(channel="C0GENERAL")["messages"]
    assert [m["ts"] for m in history] == [other, parent]
    assert history[1]["reply_count"] == 3 and history[1]["thread_ts"] == parent
    page1 = client.conversations_replies(channel="C0GENERAL", ts=parent, limit=2)
    assert [m["ts"] for m in page1["messages"]] == [parent, replies[0], replies[1]] and page1["has_more"]
    page2 = client.conversations_replies(
        channel="C0GENERAL", ts=parent, limit=2, cursor=page1["response_metadata"]["next_cursor"]
    )
    assert [m["ts"] for m in page2["messages"]] == [parent, replies[2]] and not page2["has_more"]
    assert all(m["thread_ts"] == parent for m in page2["messages"])
    after = client.conversations_replies(channel="C0GENERAL", ts=parent, oldest=replies[0])
    assert [m["ts"] for m in after["messages"]] == [parent, replies[1], replies[2]]
    assert _refused(client.conversations_replies, channel="C0GENERAL", ts="1.000001")["error"] == "thread_not_found"


def test_a_parent_in_history_says_its_latest_reply_but_not_reactions_on_its_replies(slack: SlackStandIn) -> None:
    """As Slack: reply_count and latest_reply move with a new reply; a reaction on a reply changes
    nothing in the channel's history (only conversations.replies shows it)."""
    client = _client(slack)
    parent = client.chat_postMessage(channel="C0GENERAL", text="incident")["ts"]
    first = client.chat_postMessage(channel="C0GENERAL", text="follow-up", thread_ts=parent)["ts"]

    def head() -> dict[str, Any]:
        return dict(client.conversations_history(channel="C0GENERAL")["messages"][0])

    before = head()
    assert (before["reply_count"], before["latest_reply"]) == (1, first)
    slack.react_as_user("C0GENERAL", first, "x")
    assert head() == before
    thread = client.conversations_replies(channel="C0GENERAL", ts=parent)["messages"]
    assert thread[1]["reactions"] == [{"name": "x", "users": ["U0HUMAN"], "count": 1}]
    second = slack.post_as_user("C0GENERAL", "on it", thread_ts=parent)
    assert (head()["reply_count"], head()["latest_reply"]) == (2, second)


def test_history_and_replies_are_rate_limited_at_tier_3(slack: SlackStandIn) -> None:
    """50 calls a minute per method, then 429 ratelimited with Retry-After; another method still answers."""
    client = _client(slack)
    parent = client.chat_postMessage(channel="C0GENERAL", text="incident")["ts"]
    for _ in range(50):
        assert client.conversations_replies(channel="C0GENERAL", ts=parent)["ok"]
    with pytest.raises(SlackApiError) as e:
        client.conversations_replies(channel="C0GENERAL", ts=parent)
    assert e.value.response.status_code == 429 and e.value.response.data["error"] == "ratelimited"
    assert 1 <= int(e.value.response.headers["Retry-After"]) <= 60
    assert slack.ratelimited == ["conversations.replies"]
    assert client.conversations_history(channel="C0GENERAL")["ok"]  # counted per method
    later = slack.clock() + 61
    slack.clock = lambda: later  # a minute on: the window is empty again
    assert client.conversations_replies(channel="C0GENERAL", ts=parent)["ok"]
    slack.rate_limits = {}
    assert client.conversations_replies(channel="C0GENERAL", ts=parent)["ok"]


def test_a_reply_to_a_message_that_does_not_exist_lands_in_the_channel(slack: SlackStandIn) -> None:
    client = _client(slack)
    ts = client.chat_postMessage(channel="C0GENERAL", text="orphan", thread_ts="1500000000.000100")["ts"]
    history = client.conversations_history(channel="C0GENERAL")["messages"]
    assert [m["ts"] for m in history] == [ts] and "thread_ts" not in history[0]


# ---------------------------------------------------------------------- reactions, update


def test_reactions_add_get_remove_and_show_in_history(slack: SlackStandIn) -> None:
    client = _client(slack)
    ts = client.chat_postMessage(channel="C0GENERAL", text="alert")["ts"]
    client.reactions_add(channel="C0GENERAL", timestamp=ts, name="eyes")
    slack.react_as_user("C0GENERAL", ts, "eyes", user="U0ALICE")
    assert _refused(client.reactions_add, channel="C0GENERAL", timestamp=ts, name="eyes")["error"] == "already_reacted"
    got = client.reactions_get(channel="C0GENERAL", timestamp=ts)
    assert got["message"]["reactions"] == [{"name": "eyes", "users": ["U0BOT", "U0ALICE"], "count": 2}]
    history = client.conversations_history(channel="C0GENERAL")["messages"]
    assert history[0]["reactions"][0]["count"] == 2
    client.reactions_remove(channel="C0GENERAL", timestamp=ts, name="eyes")
    assert _refused(client.reactions_remove, channel="C0GENERAL", timestamp=ts, name="eyes")["error"] == "no_reaction"
    got = client.reactions_get(channel="C0GENERAL", timestamp=ts)
    assert got["message"]["reactions"] == [{"name": "eyes", "users": ["U0ALICE"], "count": 1}]
    assert (
        _refused(client.reactions_add, channel="C0GENERAL", timestamp="1.000001", name="eyes")["error"]
        == "message_not_found"
    )


def test_chat_update_edits_the_bots_own_message_only(slack: SlackStandIn) -> None:
    client = _client(slack)
    ts = client.chat_postMessage(channel="C0GENERAL", text="v1")["ts"]
    resp = client.chat_update(channel="C0GENERAL", ts=ts, text="v2")
    assert resp["ts"] == ts and resp["text"] == "v2"
    history = client.conversations_history(channel="C0GENERAL")["messages"]
    assert history[0]["text"] == "v2" and history[0]["edited"]["user"] == "U0BOT"
    assert (
        _refused(client.chat_update, channel="C0GENERAL", ts=ts, text="t", blocks=[_section("x" * 3001)])["error"]
        == "invalid_blocks"
    )
    human = slack.post_as_user("C0GENERAL", "written by a person")
    assert _refused(client.chat_update, channel="C0GENERAL", ts=human, text="x")["error"] == "cant_update_message"
    assert _refused(client.chat_update, channel="C0GENERAL", ts="1.000001", text="x")["error"] == "message_not_found"


# ---------------------------------------------------------------------- scopes, rate limits, scripted faults


def test_missing_scope_names_what_is_needed_and_provided(slack: SlackStandIn) -> None:
    client = _client(slack)
    client.chat_postMessage(channel="C0GENERAL", text="x")
    slack.revoke("channels:history")
    data = _refused(client.conversations_history, channel="C0GENERAL")
    assert data["error"] == "missing_scope" and data["needed"] == "channels:history"
    assert "channels:history" not in data["provided"].split(",") and "chat:write" in data["provided"].split(",")
    assert client.chat_postMessage(channel="C0GENERAL", text="still allowed")["ok"]
    slack.needed["chat.postMessage"] = "chat:write.customize"  # per method
    assert _refused(client.chat_postMessage, channel="C0GENERAL", text="x")["needed"] == "chat:write.customize"


def test_scripted_missing_scope_has_the_same_shape(slack: SlackStandIn) -> None:
    slack.history_plan = [("error", "missing_scope")]
    data = _refused(_client(slack).conversations_history, channel="C0GENERAL")
    assert data["needed"] == "channels:history" and data["provided"]


def test_ratelimited_is_a_429_with_retry_after(slack: SlackStandIn) -> None:
    slack.script("reactions.add", ("ratelimit", 7))
    ts = _client(slack).chat_postMessage(channel="C0GENERAL", text="x")["ts"]
    with pytest.raises(SlackApiError) as e:
        _client(slack).reactions_add(channel="C0GENERAL", timestamp=ts, name="eyes")
    assert e.value.response.status_code == 429 and e.value.response.data["error"] == "ratelimited"
    assert e.value.response.headers["Retry-After"] in ("7", ["7"])
    # slack-sdk's retry handler honours it and the next call goes through
    slack.plan = [("ratelimit", 0)]
    retrying = WebClient(token=DEFAULT_TOKEN, base_url=slack.url, retry_handlers=[RateLimitErrorRetryHandler()])
    assert retrying.chat_postMessage(channel="C0GENERAL", text="y")["ok"]
    assert [m["text"] for m in slack.messages] == ["x", "y"]


def test_scripted_errors_apply_to_any_method_once(slack: SlackStandIn) -> None:
    slack.script("auth.test", ("error", "account_inactive"), ("status", 503))
    client = _client(slack)
    assert _refused(client.auth_test)["error"] == "account_inactive"
    with pytest.raises(SlackApiError) as e:
        client.auth_test()
    assert e.value.response.status_code == 503
    assert client.auth_test()["ok"]


# ---------------------------------------------------------------------- socket mode, webhook


def test_apps_connections_open_needs_an_app_token_and_returns_a_local_ws_url(slack: SlackStandIn) -> None:
    resp = _client(slack, token=DEFAULT_APP_TOKEN).apps_connections_open(app_token=DEFAULT_APP_TOKEN)
    assert resp["url"].startswith(f"ws://127.0.0.1:{slack.url.split(':')[2].split('/')[0]}/")
    data = _refused(_client(slack).apps_connections_open, app_token=DEFAULT_TOKEN)
    assert data["error"] == "not_allowed_token_type"
    assert (
        _refused(_client(slack, token=DEFAULT_APP_TOKEN).chat_postMessage, channel="C0GENERAL", text="x")["error"]
        == "not_allowed_token_type"
    )


def test_webhook_refuses_bad_blocks_and_unknown_hooks(slack: SlackStandIn) -> None:
    hook = WebhookClient(slack.webhook_url)
    bad = hook.send(text="t", blocks=[_section("x" * 3001)])
    assert (bad.status_code, bad.body) == (400, "invalid_blocks")
    assert WebhookClient(slack.webhook_url.replace("XXXX", "YYYY")).send(text="t").status_code == 404
    ok = hook.send(text="fine", blocks=[_section("fine")])
    assert ok.status_code == 200
    assert [(m["channel"], m["text"]) for m in slack.messages] == [("C0GENERAL", "fine")]
