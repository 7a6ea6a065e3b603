"""Shared fixtures: a project folder (feeds.yaml + vendors.csv + SQLite file), the CLI, feed builders,
and the Slack stand-in. Everything runs against 127.0.0.1; nothing here reaches the internet."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pytest
import sqlite_utils
import yaml
from click.testing import CliRunner, Result

# tests/ mirrors the packages (tests/sources, tests/matching, ...). Helpers (slack_standin, alert_support,
# conftest's records) live here at the top, and a few test modules share constants across folders
# (`from test_incidents import LY_JA`): every folder is importable by its modules' plain names.
_HERE = Path(__file__).parent
sys.path[:0] = [
    str(_HERE),
    *(
        str(d)
        for d in sorted(_HERE.iterdir())
        if d.is_dir() and d.name.isidentifier() and d.name not in ("fixtures", "__pycache__")
    ),
]

from slack_standin import SlackStandIn  # noqa: E402

from monitor.cli import cli  # noqa: E402

SHARED_DATA = Path(
    os.environ.get("MONITOR_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data"
)
# CI has a read-only copy of shared/ beside the clone, so there a missing folder is a broken set-up, not
# a reason to skip: with CI=true (or MONITOR_REQUIRE_SHARED_DATA=1) those tests fail instead.
# MONITOR_REQUIRE_SHARED_DATA=0 opts out, e.g. in a fork's CI that has no shared data.
REQUIRE_SHARED_DATA = (
    os.environ.get("MONITOR_REQUIRE_SHARED_DATA", "1" if os.environ.get("CI", "").lower() == "true" else "0") == "1"
)
_SHARED_SKIP = "shared data not present: "

VENDORS_CSV = """name,aliases,domains,criticality,owner,parent,notes
LY Corporation,LINEヤフー|LY Corp,lycorp.co.jp,critical,<@U0SEC>,,Customer login provider
NAVER Cloud Corp.,NAVER Cloud,ncloud.com,high,<!subteam^S0RISK>,LY Corporation,Hosts LY systems
Okta Inc.,Okta,okta.com,critical,<@U0IAM>,,Workforce SSO
ISETOH Corporation,イセトー,isetoh.co.jp,high,Print ops,,Printing contractor
トヨタ自動車株式会社,トヨタ自動車|Toyota,toyota.co.jp,medium,,,
Box Inc.,Box,box.com,low,IT,,File sharing
"""

_ENV_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_WEBHOOK_URL",
    "SLACK_API_URL",
    "SLACK_CHANNEL",
    "MONITOR_CONFIG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
)


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if REQUIRE_SHARED_DATA:
            pytest.fail(f"shared data required (CI / MONITOR_REQUIRE_SHARED_DATA=1) but missing: {path}", pytrace=False)
        pytest.skip(f"{_SHARED_SKIP}{path}")
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say in the summary how many tests did not run for want of ../shared/data, and where we looked:
    a green run that skipped the real-world data should not look like a full one."""
    missing: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if _SHARED_SKIP in reason:
            path = reason.split(_SHARED_SKIP, 1)[1].strip()
            missing[path] = missing.get(path, 0) + 1
    terminalreporter.section("shared data")
    if not missing:
        state = "present" if SHARED_DATA.is_dir() else "absent"
        terminalreporter.write_line(f"no test skipped for missing shared data ({SHARED_DATA}: {state})")
        return
    terminalreporter.write_line(
        f"{sum(missing.values())} tests skipped: shared data missing "
        f"(looked in {SHARED_DATA}; set MONITOR_REQUIRE_SHARED_DATA=1 to fail instead)"
    )
    for path, n in sorted(missing.items()):
        terminalreporter.write_line(f"  {n:3d}  {path}")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def slack() -> Iterable[SlackStandIn]:
    s = SlackStandIn()
    yield s
    s.close()


@dataclass
class Entry:
    title: str
    link: str
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None


def rss2(entries: Iterable[Entry], title: str = "Test feed", encoding: str = "utf-8") -> bytes:
    items = []
    for e in entries:
        guid = f"<guid>{xml_escape(e.guid)}</guid>" if e.guid else ""
        pub = f"<pubDate>{format_datetime(e.published)}</pubDate>" if e.published else ""
        items.append(
            f"<item><title>{xml_escape(e.title)}</title><link>{xml_escape(e.link)}</link>"
            f"<description>{xml_escape(e.summary)}</description>{guid}{pub}</item>"
        )
    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.invalid/</link><description>t</description>{''.join(items)}</channel></rss>"
    )
    return doc.encode(encoding)


def rdf(entries: Iterable[Entry], title: str = "RDF feed", encoding: str = "utf-8") -> bytes:
    items, seq = [], []
    for e in entries:
        seq.append(f'<rdf:li rdf:resource="{xml_escape(e.link)}"/>')
        date = f"<dc:date>{e.published.isoformat()}</dc:date>" if e.published else ""
        items.append(
            f'<item rdf:about="{xml_escape(e.link)}"><title>{xml_escape(e.title)}</title>'
            f"<link>{xml_escape(e.link)}</link><description>{xml_escape(e.summary)}</description>{date}</item>"
        )
    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="http://example.invalid/"><title>{title}</title><link>http://example.invalid/</link>'
        f"<description>d</description><items><rdf:Seq>{''.join(seq)}</rdf:Seq></items></channel>"
        f"{''.join(items)}</rdf:RDF>"
    )
    return doc.encode(encoding)


def atom(entries: Iterable[Entry], title: str = "Atom feed") -> bytes:
    items = []
    for e in entries:
        when = (e.published or datetime(2024, 6, 1, tzinfo=UTC)).isoformat()
        items.append(
            f'<entry><title>{xml_escape(e.title)}</title><link href="{xml_escape(e.link)}"/>'
            f"<id>{xml_escape(e.guid or e.link)}</id><updated>{when}</updated>"
            f"<summary>{xml_escape(e.summary)}</summary></entry>"
        )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:test</id><updated>2024-06-01T00:00:00Z</updated>{''.join(items)}</feed>"
    )
    return doc.encode()


class Project:
    """A folder with feeds.yaml, vendors.csv and the database, driven through the real CLI."""

    def __init__(self, root: Path):
        self.root = root
        self.config_path = root / "feeds.yaml"
        self.vendors_path = root / "vendors.csv"
        self.vendors_path.write_text(VENDORS_CSV, encoding="utf-8")
        self.env: dict[str, str] = {}

    def configure(self, sources: list[dict[str, Any]], **extra: Any) -> Project:
        slack = {"min_interval": "0s", **extra.pop("slack", {})}
        limits = {"fetch_timeout": "5s", "parse_timeout": "10s", **extra.pop("limits", {})}
        # Most tests replay reports dated 2024 and are not about the alert window (alerting/window.py):
        # a window reaching back to them, unless the test sets its own (None: the product's default).
        if extra.setdefault("alert_window", "36500d") is None:
            del extra["alert_window"]
        doc = {"sources": sources, "slack": slack, "limits": limits, **extra}
        self.config_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return self

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(
            cli, ["--config", str(self.config_path), *args], env={**self.env, **(env or {})}, catch_exceptions=False
        )

    def matches(self, text: str) -> list[dict[str, Any]]:
        """`monitor match --json TEXT`: what the register finds in the text, with the evidence."""
        result = self.run("match", "--json", text)
        assert result.exit_code == 0, result.output
        return list(json.loads(result.stdout)["matches"])

    @property
    def db_path(self) -> Path:
        return self.root / "monitor.db"

    def db(self) -> sqlite_utils.Database:
        return sqlite_utils.Database(self.db_path)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def bot_env(slack: SlackStandIn, channel: str = "C0GENERAL") -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test-000-secret", "SLACK_API_URL": slack.url, "SLACK_CHANNEL": channel}


def os_env_without_slack() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in _ENV_VARS}
