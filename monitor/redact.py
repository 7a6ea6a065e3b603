"""Secrets out of everything monitor logs, prints or stores: Slack tokens, webhook URLs,
user:password@ in URLs, and the values of the secret environment variables whatever they look like.

One function (redact) and one logging filter (RedactingFilter), used by the Slack senders, the
outbox (stored errors), the CLI's messages and its log handlers.
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import urlsplit

from .textutil import printable

SECRET_ENV = ("SLACK_BOT_TOKEN", "SLACK_WEBHOOK_URL", "SLACK_APP_TOKEN", "TEAMS_WEBHOOK_URL", "SMTP_PASSWORD")
_SECRET = re.compile(r"xox[abprse]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|https://hooks\.slack(-gov)?\.com/\S+")
# user:password@ in any URL (SLACK_API_URL through an authenticating proxy): slack-sdk logs the URL.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s@]+@")


def redact(text: str) -> str:
    """Remove Slack tokens and webhook URLs from anything we log or store.

    The pattern catches real tokens and hooks.slack.com URLs; the values of the
    secret environment variables are removed too, whatever they look like (a
    webhook behind a proxy, a GovSlack URL, a test stand-in).
    """
    text = _USERINFO.sub(r"\1[redacted]@", _SECRET.sub("[redacted]", text))
    for name in SECRET_ENV:
        value = os.environ.get(name, "").strip()
        if len(value) >= 8:
            text = text.replace(value, "[redacted]")
            # The secret part of a webhook URL also appears on its own (urllib errors name the path).
            path = urlsplit(value).path if "://" in value else ""
            if len(path) >= 8:
                text = text.replace(path, "[redacted]")
    return text


class RedactingFilter(logging.Filter):
    """Scrubs every record it sees: slack-sdk logs the webhook URL at DEBUG ("Sending a request - url:
    ..."), and the token in request dumps.

    terminal: also strip control characters (the CLI's log lines quote feed text and errors, which
    may carry terminal escape sequences)."""

    def __init__(self, terminal: bool = False):
        super().__init__()
        self.terminal = terminal

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's problem, not a reason to leak
            message = str(record.msg)
        clean = redact(message)
        if self.terminal:
            clean = printable(clean)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True
