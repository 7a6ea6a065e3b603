"""Issue 22: an e-mail output over SMTP (a real SMTP server on 127.0.0.1, aiosmtpd) through the same
outbox: one e-mail per alert, once; the daily digest as one e-mail; an outage or a temporary refusal
keeps alerts pending and they go out once the server takes them; a refused recipient fails the alert."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from alert_support import Clock, Feed, outbox
from conftest import Entry

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

NOW = datetime.now(UTC) - timedelta(hours=1)
OKTA = Entry(
    "Okta confirms breach of support system, customer files stolen",
    "https://news.example/okta",
    "Attackers used stolen credentials.",
    "o",
    NOW,
)
ISETOH = Entry("株式会社イセトーにランサムウェア攻撃、顧客情報が流出", "https://news.example/isetoh", "", "i", NOW)
BOX = Entry("Box Inc. hacked, customer files leaked", "https://news.example/box", "", "b", NOW)


class Mailbox:
    """aiosmtpd handler: keeps each message; `plan` scripts replies to DATA ("451 ...", "550 ...")."""

    def __init__(self) -> None:
        self.mails: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.plan: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address.endswith("@nowhere.invalid"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.plan:
            return self.plan.pop(0)
        self.mails.append(message_from_bytes(envelope.original_content or envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    box = Mailbox()
    controller = aiosmtpd.Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port  # type: ignore[attr-defined]  # read by the tests' configuration
    box.controller = controller  # type: ignore[attr-defined]  # stopped and started by the outage test
    yield box
    box.controller.stop()  # type: ignore[attr-defined]


@pytest.fixture
def feed(httpserver):  # type: ignore[no-untyped-def]
    return Feed(httpserver)


def _email(box: Mailbox, **extra: Any) -> dict[str, Any]:
    return {
        "host": "127.0.0.1",
        "port": box.port,
        "sender": "monitor@example.test",  # type: ignore[attr-defined]
        "to": ["secops@example.test", "risk@example.test"],
        "timeout": "5s",
        **extra,
    }


def _body(mail: Message) -> str:
    return str(mail.get_content())  # type: ignore[attr-defined]  # an EmailMessage under policy.default


def test_each_alert_is_one_email_once(project, feed, smtp) -> None:  # type: ignore[no-untyped-def]
    feed.add(OKTA, ISETOH)
    project.configure([feed.source], email=_email(smtp))
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert sorted(m["Subject"] for m in smtp.mails) == [
        "🔴 Breach at vendor: Okta Inc.",
        "🟠 Breach at vendor: ISETOH Corporation",
    ]
    assert smtp.envelopes[0] == ("monitor@example.test", ["secops@example.test", "risk@example.test"])
    okta = next(m for m in smtp.mails if "Okta" in m["Subject"])
    body = _body(okta)
    assert OKTA.title in body and OKTA.link in body and "why: Okta Inc.:" in body
    assert okta["Message-ID"].startswith("<monitor-") and okta["From"] == "monitor@example.test"
    assert {a["state"] for a in outbox(project)} == {"sent"}
    assert result.stdout == ""  # delivered by e-mail, not printed
    assert project.run("run", "--once").exit_code == 0 and len(smtp.mails) == 2  # nothing sent twice


def test_the_daily_digest_is_one_email(project, feed, smtp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    Clock(monkeypatch).at(12)
    feed.add(OKTA, BOX)
    project.configure([feed.source], email=_email(smtp), slack={"digest": "daily", "digest_hour": 0})
    assert project.run("run", "--once").exit_code == 0
    subjects = sorted(m["Subject"] for m in smtp.mails)
    assert subjects == ["Daily digest: 1 low-criticality vendor report", "🔴 Breach at vendor: Okta Inc."]
    digest = next(m for m in smtp.mails if m["Subject"].startswith("Daily digest"))
    assert "Box Inc.: Box Inc. hacked, customer files leaked" in _body(digest)


def test_an_outage_and_a_temporary_refusal_keep_alerts_pending_until_delivered_once(project, feed, smtp) -> None:  # type: ignore[no-untyped-def]
    feed.add(OKTA, ISETOH)
    project.configure([feed.source], email=_email(smtp))
    smtp.controller.stop()  # the server is down: connection refused
    down = project.run("run", "--once")
    assert down.exit_code == 0 and smtp.mails == []
    assert "ConnectionRefusedError" in down.stderr
    assert {a["state"] for a in outbox(project, pending=True)} == {"pending"}
    back = aiosmtpd.Controller(smtp, hostname="127.0.0.1", port=smtp.port)  # the same server, restarted
    back.start()
    smtp.controller = back
    smtp.plan = ["451 4.3.0 try again later"]
    busy = project.run("alerts", "retry")
    assert "SMTP server answered 451" in busy.stderr
    assert project.run("alerts", "retry").exit_code == 0
    assert sorted(m["Subject"] for m in smtp.mails) == [
        "🔴 Breach at vendor: Okta Inc.",
        "🟠 Breach at vendor: ISETOH Corporation",
    ]
    assert {a["state"] for a in outbox(project)} == {"sent"}


def test_a_refused_recipient_fails_the_alert_with_the_address(project, feed, smtp) -> None:  # type: ignore[no-untyped-def]
    feed.add(OKTA)
    project.configure([feed.source], email=_email(smtp, to=["secops@nowhere.invalid"]))
    result = project.run("run", "--once")
    assert result.exit_code == 0
    [alert] = outbox(project)
    assert alert["state"] == "failed" and "secops@nowhere.invalid" in alert["last_error"]
    assert smtp.mails == []


def test_a_bad_email_setting_names_the_field(project) -> None:  # type: ignore[no-untyped-def]
    project.configure(
        [{"name": "news", "url": "http://127.0.0.1:9/feed"}],
        email={"host": "127.0.0.1", "sender": "m@example.test", "to": [], "port": 99999},
    )
    result = project.run("check")
    assert result.exit_code == 2 and "email" in result.stderr and "Traceback" not in result.output
