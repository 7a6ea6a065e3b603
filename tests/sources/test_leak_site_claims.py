"""Issue 22: a leak-site post is headed "Leak-site claim (unverified)", links the tracker's page, and never
presents its .onion address as a link (Slack would make a plain URL clickable, so it is defanged)."""

from __future__ import annotations

import json
import re

from alert_support import mrkdwn_texts
from conftest import bot_env

ONION = "http://xb6q2aggycmlcrjtbjendcnnwpmmwbosqaugxsqb4nx6cmod3emy7sad.onion/company/8190012"
POSTS = [
    {
        "post_title": "isetoh.co.jp",
        "group_name": "8base",
        "discovered": "2024-06-10 07:12:33.104223",
        "description": "",
        "website": "",
        "post_url": ONION,
    }
]


def _source(httpserver, **extra):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/recentvictims").respond_with_data(json.dumps(POSTS), content_type="application/json")
    return {
        "name": "ransomware.live",
        "url": httpserver.url_for("/recentvictims"),
        "type": "json",
        "title": "post_title",
        "link": "post_url",
        "date": "discovered",
        "summary": "description+website",
        "assume_breach": True,
        **extra,
    }


def _links(text: str) -> list[str]:
    return re.findall(r"<([^|>]+)(?:\|[^>]*)?>", text)


def test_leak_site_post_is_an_unverified_claim_linking_the_tracker(project, httpserver, slack):  # type: ignore[no-untyped-def]
    project.configure([_source(httpserver, leak_site=True, page="https://www.ransomware.live/")])
    result = project.run("run", "--once", env=bot_env(slack))
    assert result.exit_code == 0, result.output
    [msg] = slack.messages
    assert msg["blocks"][0]["text"]["text"].endswith("Leak-site claim (unverified): ISETOH Corporation")
    texts = mrkdwn_texts(msg)
    links = [u for t in texts for u in _links(t)]
    assert "https://www.ransomware.live/" in links
    joined = "\n".join(texts)
    assert ".onion" not in joined  # neither linked nor as a plain URL Slack would linkify
    assert "hxxp://xb6q2aggycmlcrjtbjendcnnwpmmwbosqaugxsqb4nx6cmod3emy7sad[.]onion/company/8190012" in joined
    assert "Breach report" not in joined


def test_an_onion_only_item_is_a_claim_even_without_the_setting(project, httpserver):  # type: ignore[no-untyped-def]
    project.configure([_source(httpserver)])
    result = project.run("run", "--once")  # console alerts
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Leak-site claim (unverified): ISETOH Corporation" in out
    assert ONION not in out and "[.]onion" in out


def test_digest_never_links_a_leak_site_post() -> None:
    from monitor.alerting.messages import digest_message

    msg = digest_message([(1, "ISETOH Corporation", "isetoh.co.jp", ONION, "ransomware.live")], 1, 1)
    body = json.dumps(msg.blocks, ensure_ascii=False) + msg.text
    assert ".onion" not in body and "[.]onion" in body and "unverified" in body


def test_page_must_be_a_web_address(project, httpserver) -> None:  # type: ignore[no-untyped-def]
    project.configure([_source(httpserver, leak_site=True, page="javascript:alert(1)")])
    result = project.run("check")
    assert result.exit_code == 2 and "page" in result.output
