"""E-mail output over SMTP. Implements the Sender interface of alerting/slack.py, so alerts go
through the same outbox (written before sending, marked sent only when the server accepts the
message, retried after an outage), and `slack.digest: daily` folds low-criticality alerts into one
digest e-mail a day.

SMTP has no history to search, so an alert whose outcome is unknown (the connection dropped after
the message was handed over) is sent again. Each alert's Message-ID is derived from its identity
(instance, alert id, payload hash), so a resend carries the same Message-ID: mail clients and many
servers show or keep one copy.

Settings: feeds.yaml `email:` (host, port, sender, to, starttls, username, timeout); the password
only from SMTP_PASSWORD.
"""

from __future__ import annotations

import html
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from ..redact import redact
from .slack import ERROR_MAX, AlertRef, Message, Outcome, Permanent, Retry, Sent

_SLACK_LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")


def subject(message: Message) -> str:
    """The header's text (plain, unescaped), else the fallback text without Slack's link syntax."""
    for block in message.blocks:
        if block.get("type") == "header":
            text = str(block["text"]["text"])
            break
    else:
        text = html.unescape(_SLACK_LINK.sub(r"\2", message.text))
    return " ".join(text.split())[:200]  # one line: no header injection from feed text


def build(message: Message, ref_id: str, sender: str, to: list[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = subject(message)
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = f"<{ref_id}@monitor.invalid>"
    mail.set_content(message.console + "\n")
    return mail


class EmailSender:
    mode = "email"
    can_thread = False
    can_reconcile = False  # SMTP has no history to search
    paced = False  # no per-channel rate to respect
    needs_channel = False  # recipients come from email.to
    destination = "email"

    def __init__(self, settings: Any, password: str | None = None):
        self.host: str = settings.host
        self.port: int = settings.port
        self.sender: str = settings.sender
        self.to: list[str] = list(settings.to)
        self.starttls: bool = settings.starttls
        self.username: str | None = settings.username
        self.timeout: float = settings.timeout
        self._password = password

    def send(self, channel: str, message: Message, ref: AlertRef, thread_ts: str | None) -> Outcome:
        ident = f"monitor-{ref.instance}-{ref.alert_id}-{ref.payload_hash}"
        return self._send(build(message, ident, self.sender, self.to), f"email-{ref.alert_id}")

    def post_sample(self, channel: str, message: Message) -> Outcome:
        return self._send(build(message, "monitor-test", self.sender, self.to), "email-test")

    def find_sent(self, channel: str, ref: AlertRef, oldest: float, thread_ts: str | None = None) -> str | None:
        return None

    def _send(self, mail: EmailMessage, ts: str) -> Outcome:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self._password or "")
                refused = smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as e:
            return Permanent(f"SMTP server refused the login: {e.smtp_code}", auth=True)
        except smtplib.SMTPRecipientsRefused as e:
            return Permanent(f"SMTP server refused every recipient: {', '.join(e.recipients)}")
        except smtplib.SMTPSenderRefused as e:
            return Permanent(f"SMTP server refused the sender {e.sender}: {e.smtp_code}")
        except smtplib.SMTPResponseException as e:
            if 500 <= e.smtp_code < 600 and e.smtp_code != 554:
                return Permanent(f"SMTP server refused the message: {e.smtp_code} {_text(e.smtp_error)}")
            return Retry(f"SMTP server answered {e.smtp_code} {_text(e.smtp_error)}")
        except (smtplib.SMTPException, OSError) as e:  # TimeoutError is an OSError
            # Connection refused, timeouts, a dropped connection: resend (same Message-ID) rather than lose it.
            return Retry(redact(f"SMTP {self.host}:{self.port}: {type(e).__name__}: {e}")[:ERROR_MAX])
        if refused:
            # Accepted for some recipients: it is sent; the others are named for the operator.
            return Sent(ts=f"{ts} (refused: {', '.join(refused)})")
        return Sent(ts=ts)


def _text(raw: bytes | str) -> str:
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw)[:120]
