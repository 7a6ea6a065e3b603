"""Issue 22: a product launch that names what it protects against (情報漏えい対策, ransomware protection)
is not a breach report, while an incident that also mentions its countermeasures still is."""

from __future__ import annotations

import json

import pytest

from monitor.matching.detect import assess

LAUNCHES = [
    ("富士通、法人向けPCの新モデルを発売　情報漏えい対策機能も強化した", "のぞき見防止フィルターを内蔵した。"),
    ("NEC、ランサムウェア対策ソリューションの提供を開始", "バックアップの改ざんを防ぐ。"),
    ("トレンドマイクロ、メール誤送信防止機能を追加", "不正アクセスを防ぐ機能も加えた。"),
    ("Microsoft adds ransomware protection to Defender", "The feature prevents data breaches."),
    ("Sophos unveils data leak prevention for Microsoft 365", "Stops employees sharing sensitive files."),
]
INCIDENTS = [
    (
        "イセトー、ランサムウェア被害の再発防止策を公表",
        "委託元の個人情報が漏えいした件で調査結果と再発防止策を公表した。",
    ),
    (
        "Sophos confirms ransomware attack encrypted internal servers",
        "Sophos said it has strengthened ransomware protection since the incident.",
    ),
    ("A社に不正アクセス、顧客情報が流出", "同社は情報漏えい対策を強化するとしている。"),
]


@pytest.mark.parametrize("title, text", LAUNCHES)
def test_countermeasure_phrases_count_against_the_verdict(title: str, text: str) -> None:
    assert not assess(title, text).breach


@pytest.mark.parametrize("title, text", INCIDENTS)
def test_incidents_that_mention_countermeasures_are_still_breach_reports(title: str, text: str) -> None:
    assert assess(title, text).breach


def test_match_command_shows_the_launch_is_not_a_breach(project) -> None:  # type: ignore[no-untyped-def]
    project.configure([{"name": "unused", "url": "http://127.0.0.1:9/feed"}])
    out = project.run(
        "match", "--json", "富士通、新モデルを発売 情報漏えい対策機能も強化した\n富士通は新PCを発売した。"
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["breach"] is False
