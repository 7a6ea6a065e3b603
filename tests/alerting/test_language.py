"""Issue 22: alert labels follow `slack.language: ja | en` (default en), in wording a Japanese analyst
uses; English stays exactly as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alert_support import Clock, Feed, blocks_text, outbox
from conftest import Entry, bot_env

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry(
    "Okta confirms breach of support system, customer files stolen",
    "https://news.example/okta",
    "Attackers used stolen credentials.",
    "o",
    NOW,
)
TOYOTA = Entry(
    "トヨタ自動車 情報漏えい 委託先への不正アクセスで",
    "https://news.example/toyota",
    "トヨタ自動車は委託先のサーバーが不正アクセスを受けたと発表した。",
    "t",
    NOW,
)
BOX = Entry("Box Inc. hacked, customer files leaked", "https://news.example/box", "", "b", NOW)
ENGLISH = (
    "Breach report",
    "Supply-chain breach report",
    "Source",
    "Published",
    "Why it matched",
    "owner",
    "Breach terms",
    "Incident #",
)


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def _field_names(message: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["text"].split("*")[1] for b in message["blocks"] for f in b.get("fields") or []]


def test_japanese_configuration_posts_japanese_labels(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(OKTA, TOYOTA)
    project.configure([feed.source], slack={"language": "ja"})
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    okta = next(m for m in slack.messages if "Okta" in m["text"])
    toyota = next(m for m in slack.messages if "トヨタ" in m["text"])
    header = okta["blocks"][0]["text"]["text"]
    assert header == "🔴 取引先の侵害報告: Okta Inc."
    assert okta["text"].startswith("取引先の侵害報告（Okta Inc.）: Okta confirms breach")
    assert toyota["blocks"][0]["text"]["text"].endswith("委託先経由で取引先の情報が流出: トヨタ自動車株式会社")
    assert _field_names(okta)[:2] == ["情報源", "公開日時"]
    body = blocks_text(okta)
    assert "*一致の根拠*" in body and "見出しの「Okta」が正式名称「Okta Inc.」に一致" in body
    assert "重要度：最高 · 担当 <@U0IAM>" in body
    [row] = [a for a in outbox(project) if a["vendor"] == "Okta Inc."]
    assert f"アラート #{row['id']} · 取引先の誤認なら `monitor feedback {row['id']} --wrong-vendor`" in body
    assert "インシデント #" in body and "検出した語: " in body
    assert "委託先経由の報告: 侵入口は委託先です" in blocks_text(toyota)
    for english in ENGLISH:  # no English label left in a Japanese alert (feed text aside)
        assert english not in body.replace(OKTA.title, "").replace(OKTA.summary, ""), english


def test_english_is_the_default_and_unchanged(project, feed, slack):  # type: ignore[no-untyped-def]
    feed.add(OKTA)
    project.configure([feed.source])
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    [okta] = slack.messages
    assert okta["blocks"][0]["text"]["text"] == "🔴 Breach at vendor: Okta Inc."
    assert okta["text"].startswith("Breach at vendor naming Okta Inc.: Okta confirms breach")
    assert _field_names(okta)[:2] == ["Source", "Published"]
    body = blocks_text(okta)
    assert "*Why it matched*" in body and "name “Okta Inc.” as “Okta” in title" in body
    assert "🔴 critical · owner <@U0IAM>" in body and "取引先" not in body


def test_japanese_digest_and_health_messages(project, feed, slack, monkeypatch):  # type: ignore[no-untyped-def]
    Clock(monkeypatch).at(12)
    feed.add(BOX)
    project.configure(
        [feed.source, {"name": "落ちた情報源", "url": "http://127.0.0.1:9/feed"}],
        slack={"language": "ja", "digest": "daily", "digest_hour": 0},
        health={"failure_threshold": 1},
    )
    assert project.run("run", "--once", env=bot_env(slack)).exit_code == 0
    texts = [m["text"] for m in slack.messages]
    assert "日次ダイジェスト: 重要度「低」の取引先に関する報告 1 件" in texts
    health = next(m for m in slack.messages if "落ちた情報源" in m["text"])
    assert health["text"] == "⚠️ 情報源の取得に失敗: 落ちた情報源"
    assert "1 回連続で失敗" in blocks_text(health) and "最後のエラー: " in blocks_text(health)


def test_an_unknown_language_is_refused_with_the_field(project) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "news", "url": "http://127.0.0.1:9/feed"}], slack={"language": "fr"})
    result = project.run("check")
    assert result.exit_code == 2 and "language" in result.stderr and "Traceback" not in result.output
