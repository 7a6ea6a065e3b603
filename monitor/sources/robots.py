"""robots.txt for the pages monitor finds on its own: the feed a vendor newsroom's page advertises and
the notices it links (sources/newsroom.py), asked when one of them is about to be fetched. The
newsroom page itself (vendors.csv) and sources written in feeds.yaml are a team's explicit choice and
are not asked about.

robots.txt is fetched through the project's own fetcher (its deadline, size cap and, for a host other
than the newsroom's, the link policy) and read with the standard library's urllib.robotparser. Each
host's answer is kept for TTL in the database (storage/newsroom_store.py), so a cron `run --once`
every 15 minutes asks each host once a day. As RFC 9309 says:
  - 2xx: its rules, for the user-agent token `monitor` (else `*`);
  - 4xx (no robots.txt): everything allowed;
  - 5xx, or no answer: everything disallowed for now, asked again after RETRY.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import HTTPStatus, SourceError, TooLarge
from ..storage import newsroom_store
from ..textutil import iso, parse_iso
from . import fetch as fetchmod

log = logging.getLogger(__name__)

AGENT = "monitor"  # the product token of fetch.USER_AGENT, which robots.txt groups name
TTL = timedelta(hours=24)  # RFC 9309 2.4: a crawler should not use a cached robots.txt for longer
RETRY = timedelta(hours=1)  # an unreachable robots.txt (5xx, no answer) is asked again this soon
MAX_BYTES = 500 * 1024  # RFC 9309 2.5: at least 500 KiB must be parsed; the rest may be ignored


@dataclass(frozen=True, slots=True)
class Rules:
    """One host's robots.txt as last fetched."""

    site: str  # scheme://host[:port]
    state: str  # "rules", "none" (4xx: all allowed), "unreachable" (5xx or no answer: all disallowed)
    text: str
    fetched_at: str
    note: str = ""  # why unreachable

    def allows(self, url: str) -> bool:
        if self.state == "none":
            return True
        if self.state == "unreachable":
            return False
        return _parser(self.text).can_fetch(AGENT, url)

    def fresh(self, now: datetime) -> bool:
        at = parse_iso(self.fetched_at)
        return at is not None and now - at < (RETRY if self.state == "unreachable" else TTL)


@functools.lru_cache(maxsize=4096)
def _parser(text: str) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


def site(url: str) -> str:
    try:
        p = urlsplit(url)
        port = p.port
    except ValueError:
        return ""
    host = (p.hostname or "").lower().rstrip(".")
    default = 443 if p.scheme.lower() == "https" else 80
    return f"{p.scheme.lower()}://{host}" + (f":{port}" if port and port != default else "")


def forbidden(rules: Rules, url: str) -> str:
    """Why robots.txt keeps monitor from url ('' when it does not)."""
    if rules.allows(url):
        return ""
    if rules.state == "unreachable":
        # Not fetched until robots.txt answers (RFC 9309); the note names the URL that did not.
        return f"robots.txt unreachable: {rules.note}"
    return f"{rules.site}/robots.txt forbids {url[:200]}"


class Gate:
    """The robots.txt answers of one cycle: loaded from the database, fetched where missing or
    stale, saved back with save()."""

    def __init__(self, db: Any, now: datetime):
        """db: where answers are kept between runs (None: this process only, as `sources check`).
        They are read from it on the first check() that asks about a URL (most cycles ask about none)."""
        self.now = now
        self._db = db
        self._rules: dict[str, Rules] | None = None
        self.fetched: list[Rules] = []
        self.fetched_sites: set[str] = set()  # fetched in this process (saved or not)

    def check(
        self,
        urls: Iterable[tuple[str, bool]],
        limits: fetchmod.Limits,
        policy: fetchmod.LinkPolicy = fetchmod.DEFAULT_POLICY,
    ) -> dict[str, str]:
        """{url: why it is forbidden, '' when allowed} for (url, trusted) pairs, fetching the robots.txt
        of each site not known (trusted like the URL it is asked for)."""
        urls = list(urls)
        if not urls:
            return {}
        wanted: dict[str, bool] = {}
        for url, trusted in urls:
            s = site(url)
            if s and not (s in self.rules and self.rules[s].fresh(self.now)):
                wanted[s] = wanted.get(s, False) or trusted
        if wanted:
            self._fetch(list(wanted.items()), limits, policy)
        out = {}
        for url, _ in urls:
            rules = self.rules.get(site(url))
            out[url] = forbidden(rules, url) if rules is not None else f"{url[:200]}: not an http(s) URL"
        return out

    @property
    def rules(self) -> dict[str, Rules]:
        if self._rules is None:
            rows = newsroom_store.robots_rows(self._db) if self._db is not None else []
            self._rules = {r["site"]: Rules(**r) for r in rows}
        return self._rules

    def _fetch(self, sites: Sequence[tuple[str, bool]], limits: fetchmod.Limits, policy: fetchmod.LinkPolicy) -> None:
        requests = [fetchmod.Request(f"{s}/robots.txt", trusted=trusted, max_bytes=MAX_BYTES) for s, trusted in sites]
        clock = time.monotonic()
        answers = asyncio.run(fetchmod.fetch_many(requests, limits, policy))
        log.info("robots.txt of %d sites fetched in %.2fs", len(sites), time.monotonic() - clock)
        at = iso(self.now) or ""
        for (s, _), answer in zip(sites, answers, strict=True):
            rules = _rules(s, answer, at)
            self.rules[s] = rules
            self.fetched.append(rules)
            self.fetched_sites.add(s)

    def save(self, db: Any) -> None:
        for r in self.fetched:
            newsroom_store.remember_robots(
                db, {"site": r.site, "state": r.state, "text": r.text, "fetched_at": r.fetched_at, "note": r.note}
            )
        self.fetched = []


def _rules(s: str, answer: fetchmod.Response | SourceError, at: str) -> Rules:
    if isinstance(answer, fetchmod.Response):
        text = answer.body.decode("utf-8", "replace")
        return Rules(s, "rules", text, at)
    if isinstance(answer, HTTPStatus) and 400 <= (answer.status or 0) < 500:
        return Rules(s, "none", "", at)
    if isinstance(answer, TooLarge):
        return Rules(s, "none", "", at)  # larger than any robots.txt: RFC 9309 lets it be ignored
    return Rules(s, "unreachable", "", at, note=str(answer)[:200])
