"""`monitor demo`: the whole pipeline on a bundled set of breach reports, offline, in a few seconds.

The reports (monitor/demo_data/ja.xml, en.xml) are served over HTTP from 127.0.0.1 by a thread of
this process and read by the real Monitor.run_once: fetch, parse in the worker pool, detect, match
against the demo vendors.csv, store in a throwaway SQLite file, queue and deliver through the
console sender (or Slack with --slack). Nothing is faked after the feed server: what the demo shows
is what a poll of those feeds would alert. monitor/demo_data/cases.yaml says what each report is
meant to show; the demo checks the pipeline's decisions against it and says so when they differ.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

import yaml

from .alerting.slack import ConsoleSender, Sender, sender_from_env
from .errors import MonitorError

FEEDS = (
    ("セキュリティニュース (demo)", "ja.xml", "application/rss+xml; charset=utf-8"),
    ("Breach News (demo)", "en.xml", "application/atom+xml; charset=utf-8"),
)
DEMO_CHANNEL = "#monitor-demo"  # only named in the console rendering; --slack uses SLACK_CHANNEL


@dataclass(frozen=True, slots=True)
class DemoAlert:
    alert_id: int
    guid: str
    title: str
    source: str
    vendors: tuple[str, ...]  # as the alert names them, most critical first
    state: str  # sent / pending / failed: what delivery made of it
    console: str  # the console sender's rendering
    text: str  # the Slack fallback text
    blocks: tuple[dict[str, Any], ...]  # the Block Kit the Slack sender posts
    case: str


@dataclass(frozen=True, slots=True)
class NotAlerted:
    guid: str
    title: str
    source: str
    reason: str  # what the pipeline decided, from the stored article
    case: str  # what the report was written to show


@dataclass(frozen=True, slots=True)
class DemoResult:
    alerts: tuple[DemoAlert, ...]
    not_alerted: tuple[NotAlerted, ...]
    unexpected: tuple[str, ...]  # decisions that differ from cases.yaml (empty with --vendors)
    reports: int
    vendors: int
    seconds: float
    delivered_to: str  # "console" or "Slack channel C123"
    delivery_errors: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "vendors": self.vendors,
            "seconds": round(self.seconds, 2),
            "delivered_to": self.delivered_to,
            "alerts": [
                {
                    "alert_id": a.alert_id,
                    "guid": a.guid,
                    "title": a.title,
                    "source": a.source,
                    "vendors": list(a.vendors),
                    "state": a.state,
                    "case": a.case,
                    "console": a.console,
                    "text": a.text,
                    "blocks": list(a.blocks),
                }
                for a in self.alerts
            ],
            "not_alerted": [
                {"guid": n.guid, "title": n.title, "source": n.source, "reason": n.reason, "case": n.case}
                for n in self.not_alerted
            ],
            "unexpected": list(self.unexpected),
            "delivery_errors": list(self.delivery_errors),
        }


def _data(name: str) -> bytes:
    return resources.files("monitor").joinpath("demo_data", name).read_bytes()


def cases() -> dict[str, dict[str, Any]]:
    """guid -> {alert: [vendor, ...], case: text}, from demo_data/cases.yaml."""
    return dict(yaml.safe_load(_data("cases.yaml"))["cases"])


class _FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        for _name, file, content_type in FEEDS:
            if self.path == "/" + file:
                body = _data(file)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        self.send_error(404)

    def log_message(self, format: str, *args: Any) -> None:  # the demo's output is the alerts, not access logs
        pass


class _FeedServer:
    """The demo feeds on 127.0.0.1, on a free port, served by a daemon thread."""

    def __enter__(self) -> _FeedServer:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="demo-feeds", daemon=True)
        self.thread.start()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _write_config(folder: Path, base: str, vendors_csv: Path, channel: str, slack: bool) -> Path:
    cfg = {
        "vendors": str(vendors_csv),
        "database": "demo.db",
        # Console alerts need no pacing; Slack's chat.postMessage allows about one post per second.
        "slack": {"channel": channel, "min_interval": "1s" if slack else 0},
        # The demo replays reports of 2023-2024: a window reaching back to them (alerting/window.py).
        "alert_window": "36500d",
        "sources": [{"name": name, "url": f"{base}/{file}"} for name, file, _ in FEEDS],
    }
    path = folder / "feeds.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _evidence(matches: list[dict[str, Any]]) -> str:
    return "; ".join(f"{m['vendor']} ({m['how']} “{m['surface'] or m['matched']}” in {m['field']})" for m in matches)


def _reason(article: dict[str, Any], matches: list[dict[str, Any]]) -> str:
    """Why the pipeline did not alert on a stored article, from what it stored about it."""
    terms = json.loads(article["terms"] or "[]")
    if not article["breach"]:
        why = f"not a breach report (score {article['breach_score']:g}, below 3"
        why += f"; breach terms seen: {', '.join(terms[:5])})" if terms else "; no breach terms)"
        return why + (f"; names {_evidence(matches)}" if matches else "")
    if not matches:
        return f"a breach report (score {article['breach_score']:g}), but it names no vendor in vendors.csv"
    return (
        f"a breach report naming {_evidence(matches)}, but not as its subject: named outside the title "
        "and the sentence with the breach terms, or as the source of the report"
    )


_VENDOR_LINE = re.compile(r"^    vendor: (.+) \((?:critical|high|medium|low)(?: · owner .*)?\)$")


def _alerted_vendors(console: str) -> tuple[str, ...]:
    """The vendors an alert names, read back from its console rendering ('    vendor: NAME (high · owner X)')."""
    return tuple(m.group(1) for m in map(_VENDOR_LINE.match, console.splitlines()) if m)


def _collect(
    db: Any, expected: dict[str, dict[str, Any]] | None
) -> tuple[list[DemoAlert], list[NotAlerted], list[str]]:
    from .alerting.alert_rows import decode
    from .storage.article_store import stored_articles

    alerts, skipped, unexpected = [], [], []
    for stored in stored_articles(db):
        art, matches, row = stored.article, stored.matches, stored.alert
        case = (expected or {}).get(art["guid"], {})
        if row is not None:
            message = decode(row[2])
            alert = DemoAlert(
                row[0],
                art["guid"],
                art["title"],
                art["source"],
                _alerted_vendors(message.console),
                row[1],
                message.console,
                message.text,
                message.blocks,
                case.get("case", ""),
            )
            alerts.append(alert)
        else:
            skipped.append(
                NotAlerted(art["guid"], art["title"], art["source"], _reason(art, matches), case.get("case", ""))
            )
        if expected is not None:
            want = set(case.get("alert") or [])
            got = set(alerts[-1].vendors) if row is not None else set()
            if not case:
                unexpected.append(f"{art['guid']}: not in cases.yaml")
            elif want != got:
                unexpected.append(
                    f"{art['guid']}: expected alert for {sorted(want) or 'nobody'}, got {sorted(got) or 'no alert'}"
                )
    return alerts, skipped, unexpected


class _Tee(io.TextIOBase):
    """The console sender's stream: each alert printed as it is delivered, or nowhere (--json)."""

    def __init__(self, out: TextIO | None):
        super().__init__()
        self.out = out

    def write(self, s: str) -> int:
        if self.out is not None:
            self.out.write(s)
        return len(s)

    def flush(self) -> None:
        if self.out is not None:
            self.out.flush()


def run_demo(
    out: TextIO | None,
    slack: bool = False,
    channel: str | None = None,
    vendors_csv: Path | None = None,
    keep: Path | None = None,
) -> DemoResult:
    """Replay the bundled reports through one real poll cycle.

    out: where the console sender prints each alert as it is delivered (None: nowhere, for --json).
    slack: deliver through SLACK_BOT_TOKEN to `channel` instead of the console.
    vendors_csv: your own register instead of the demo one (the expectations are then not checked).
    keep: a folder to leave feeds.yaml, vendors.csv and demo.db in, instead of a temporary one.
    """
    from .app import Setup, build_monitor
    from .config import load_config
    from .matching.vendors import load_vendors
    from .sources.parse import start_forkserver
    from .storage.store import Store

    clock = time.monotonic()
    start_forkserver()  # the workers' imports overlap reading the vendors (as in `monitor run`)
    sender: Sender
    if slack:
        sender = sender_from_env()
        if sender.mode != "slack":
            raise MonitorError("--slack needs SLACK_BOT_TOKEN in the environment (a bot token with chat:write)")
        if not channel:
            raise MonitorError("--slack needs a channel: set SLACK_CHANNEL or give --channel")
        delivered_to = f"Slack channel {channel}"
    else:
        sender = ConsoleSender(_Tee(out))
        delivered_to = "console"
    with _workdir(keep) as folder:
        register = folder / "vendors.csv"
        if vendors_csv is None:
            register.write_bytes(_data("vendors.csv"))
        else:
            shutil.copyfile(vendors_csv, register)
        with _FeedServer() as feeds:
            config = load_config(_write_config(folder, feeds.base, register, channel or DEMO_CHANNEL, slack))
            vendors = load_vendors(config.vendors)
            if out is not None:
                out.write(
                    f"monitor demo: {len(FEEDS)} feeds served on {feeds.base}, {len(vendors)} vendors "
                    f"({'your' if vendors_csv else 'the demo'} vendors.csv), "
                    f"{'database ' + str(config.database) if keep else 'a throwaway database'}.\n"
                    + (
                        "Posting the alerts to Slack...\n"
                        if slack
                        else "Alerts as the console sender delivers them:\n\n"
                    )
                )
                out.flush()
            with Store(config.database) as store:
                report = build_monitor(Setup(config, vendors, sender), store).run_once(last=True)
                failed = [f"{s.name}: {s.error}" for s in report.failed]
                if failed:  # the feeds are ours: a failure here is a bug, not a flaky source
                    raise MonitorError("demo feed not read: " + "; ".join(failed))
                alerts, skipped, unexpected = _collect(store.db, cases() if vendors_csv is None else None)
    return DemoResult(
        tuple(alerts),
        tuple(skipped),
        tuple(unexpected),
        len(alerts) + len(skipped),
        len(vendors),
        time.monotonic() - clock,
        delivered_to,
        tuple(report.delivery.errors),
    )


class _workdir:
    """A temporary folder removed afterwards, or the folder asked for with --keep."""

    def __init__(self, keep: Path | None):
        self.keep = keep

    def __enter__(self) -> Path:
        if self.keep is not None:
            self.keep.mkdir(parents=True, exist_ok=True)
            if (self.keep / "demo.db").exists():
                raise MonitorError(f"{self.keep / 'demo.db'} exists: give --keep an empty or new folder")
            return self.keep
        self._tmp = tempfile.TemporaryDirectory(prefix="monitor-demo-")
        return Path(self._tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self.keep is None:
            self._tmp.cleanup()


def render(result: DemoResult) -> Iterator[str]:
    """The demo's text output after the run: the alerts when they went to Slack (the console sender has
    printed them already otherwise), what was not alerted and why, and a summary."""
    if result.delivered_to != "console":
        for a in result.alerts:
            yield a.console
            yield f"    → {a.state} ({result.delivered_to})"
    yield ""
    yield f"=== Not alerted ({len(result.not_alerted)} of {result.reports} reports), and why"
    for n in result.not_alerted:
        yield f"  ✗ {n.title}"
        yield f"      {n.reason}"
        if n.case:
            yield f"      (demo case: {n.case})"
    yield ""
    for e in result.delivery_errors:
        yield f"! {e}"
    sent = sum(1 for a in result.alerts if a.state == "sent")
    yield (
        f"{result.reports} reports from 2 feeds on 127.0.0.1, {result.vendors} vendors: {len(result.alerts)} "
        f"alerts ({sent} delivered to the {result.delivered_to}), {len(result.not_alerted)} not alerted, "
        f"in {result.seconds:.1f} s"
    )
    for u in result.unexpected:
        yield f"! unexpected: {u}"
