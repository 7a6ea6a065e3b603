"""Which non-Slack output the settings choose: Microsoft Teams (TEAMS_WEBHOOK_URL), else e-mail
(feeds.yaml `email:`), else None and the Slack senders (bot token, webhook, console) decide.

Slack settings win when both are set: a Slack bot token or webhook in the environment means Slack."""

from __future__ import annotations

import os
from typing import Any

from .slack import Sender


def other_sender(cfg: Any) -> Sender | None:
    """A TeamsSender or an EmailSender, or None for Slack (or the console)."""
    if os.environ.get("SLACK_BOT_TOKEN", "").strip() or os.environ.get("SLACK_WEBHOOK_URL", "").strip():
        return None
    teams = os.environ.get("TEAMS_WEBHOOK_URL", "").strip()
    if teams:
        from .teams import TeamsSender

        return TeamsSender(teams, cfg.slack.timeout)
    if cfg.email is not None:
        from .email import EmailSender

        return EmailSender(cfg.email, os.environ.get("SMTP_PASSWORD") or None)
    return None
