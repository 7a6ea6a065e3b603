"""Issue 19: the README shows what an alert, a threaded follow-up and a triaged alert look like in
Slack. The drawings are made from the Block Kit the code builds (tools/readme_alerts.py, through
`monitor demo`), so a change to the messages that the README does not follow fails here."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import readme_alerts  # noqa: E402


def test_readme_alert_drawings_match_the_messages_the_code_builds() -> None:
    shown = readme_alerts.in_readme((ROOT / "README.md").read_text(encoding="utf-8"))
    drawn = readme_alerts.drawings()
    assert set(shown) == {"new", "follow-up", "triaged"}
    for name, drawing in drawn.items():
        assert shown[name] == drawing, (
            f"README's {name} alert differs from the code's message: run "
            ".venv/bin/python tools/readme_alerts.py --write"
        )
    # What each drawing is there to show.
    assert "Why it matched" in drawn["new"] and "LINEヤフー" in drawn["new"]
    assert "Follow-up" in drawn["follow-up"] and "report 2" in drawn["follow-up"]
    assert "Acknowledged by <@U0ALICE>" in drawn["triaged"] and "[ False positive ]" in drawn["triaged"]


def test_the_drawing_is_faithful_to_the_blocks() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "🔴 Breach at vendor: Okta Inc."}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Published*\n<!date^1^{date}|2023-10-20>"}]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Incident #9 (new)"}]},
    ]
    assert readme_alerts.draw(blocks) == (
        "┃ 🔴 Breach at vendor: Okta Inc.\n┃\n┃ *Published*: 2023-10-20\n┃\n┃   Incident #9 (new)"
    )
