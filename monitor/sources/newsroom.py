"""Each vendor's own newsroom (vendors.csv `newsroom`) as a source: how to read it, worked out once and
remembered; and its notices attributed to the vendor.

Discovery, per page URL, in this order (sources/notices.py reads the documents, in the parser workers):
  1. the URL is a feed (RSS/Atom): polled as it is;
  2. the page advertises one (<link rel="alternate" type="application/rss+xml|atom+xml">) on its own
     host or a subdomain, which parses with items: that feed is polled instead of the page;
  3. otherwise the page itself, read for its list of dated notice links.
What worked is remembered in the `newsrooms` table (storage/newsroom_store.py) and tried again after
REDISCOVER, or after RETRY when nothing was found.

A notice on a vendor's newsroom is about that vendor even when it says only 当社: no name match is
needed. It is alerted when detection calls it an incident notice and it was published inside
ALERT_WINDOW, so the first poll stores years of old notices without alerting them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import progress
from ..config import AnySource, Config, NewsroomSource
from ..errors import ConfigError, SourceError
from ..matching.matcher import Match
from ..storage import newsroom_store
from ..textutil import iso, parse_iso
from . import fetch as fetchmod
from .notices import Found, discover, run_parser
from .parse import ParserPool

if TYPE_CHECKING:
    from ..matching.vendors import Vendor
    from ..pipeline.workers import Decision
    from ..storage.store import Store

ALERT_WINDOW = timedelta(days=14)
REDISCOVER = timedelta(days=7)
RETRY = timedelta(hours=1)  # a page that gave nothing (down, or no list found) is looked at again this soon
OWN_NOTICE = "newsroom"  # Match.how of the vendor's own notice


@dataclass(frozen=True, slots=True)
class Discovery:
    """How one newsroom page is read, and what that gave."""
    page: str
    method: str  # feed, advertised, html, none
    poll_url: str
    items: int = 0
    newest: str | None = None
    error: str | None = None
    status: int | None = None


def source_names(vendor: "Vendor") -> list[tuple[str, str]]:
    return [(f"{vendor.name} newsroom" + (f" {n}" if n > 1 else ""), url)
            for n, url in enumerate(vendor.newsroom, 1)]


def with_newsrooms(config: Config, vendors: Sequence["Vendor"], store: "Store | None" = None) -> Config:
    """The configuration with a source per newsroom URL of the register, polling what discovery
    remembered for it (the page itself until then). A feeds.yaml source of the same name wins."""
    taken = {s.name for s in config.sources if not isinstance(s, NewsroomSource)}
    known = newsroom_store.remembered(store.db) if store is not None else {}
    rooms: list[AnySource] = []
    for v in vendors:
        for name, url in source_names(v):
            if name in taken:
                continue
            row = known.get(url) or {}
            rooms.append(NewsroomSource(name=name, url=row.get("poll_url") or url, vendor=v.name, newsroom=url,
                                        method=row.get("method") or ""))
    mine = [s for s in config.sources if not isinstance(s, NewsroomSource)]
    if not mine and not rooms:
        raise ConfigError(f"{config.path.name}: sources: empty, and no vendor in {config.vendors.name} has a "
                          "newsroom: nothing to watch")
    if not rooms and len(mine) == len(config.sources):
        return config
    return config.model_copy(update={"sources": [*mine, *rooms]})


def same_site(page: str, link: str) -> bool:
    """Is `link` on the newsroom's own host (or a subdomain of it), where the configured URL's trust
    extends? Links to other hosts go through the link policy like any feed-supplied link."""
    try:
        p, q = urlsplit(page), urlsplit(link)
        p_port = p.port or (443 if p.scheme == "https" else 80)
        q_port = q.port or (443 if q.scheme == "https" else 80)
    except ValueError:
        return False
    a = (p.hostname or "").lower().rstrip(".").removeprefix("www.")
    b = (q.hostname or "").lower().rstrip(".").removeprefix("www.")
    if not a or not b or q.scheme.lower() not in ("http", "https") or q.username or q.password:
        return False
    return (b == a or b.endswith("." + a)) and (q_port == p_port or q_port in (80, 443))


def trusts(source: AnySource, link: str) -> bool:
    """Whether a link found in this source's items is fetched as trusted (see same_site)."""
    return isinstance(source, NewsroomSource) and same_site(source.newsroom, link)


def attribute(source: AnySource, decisions: Sequence["Decision"], now: datetime) -> Sequence["Decision"]:
    """A newsroom's notices are the vendor's own: the vendor is their subject (no name match needed)
    when detection calls them incident notices published inside ALERT_WINDOW; older notices are
    stored and searchable under the vendor, never alerted."""
    if not isinstance(source, NewsroomSource):
        return decisions
    host = urlsplit(source.newsroom).hostname or source.newsroom
    own = Match(vendor=source.vendor, matched=source.newsroom, how=OWN_NOTICE, field="link", surface=host,
                start=-1, end=-1, score=100.0)
    out = []
    for d in decisions:
        published = parse_iso(d.published)
        recent = published is not None and published >= now - ALERT_WINDOW
        others = tuple(m for m in d.matches if m.vendor != source.vendor)
        subjects: tuple[Match, ...] = ()
        if d.verdict.breach and recent:
            subjects = (own, *(m for m in d.subjects if m.vendor != source.vendor))
        out.append(replace(d, matches=(own, *others), subjects=subjects))
    return out


# ---------------------------------------------------------------------- discovery

def discover_pages(pages: Sequence[str], limits: fetchmod.Limits, pool: ParserPool, max_items: int,
                   policy: fetchmod.LinkPolicy = fetchmod.DEFAULT_POLICY) -> list[Discovery]:
    """Fetch each page once (trusted: it is configured) and work out how to read it."""
    with progress.bar(f"discovering {len(pages)} newsrooms", len(pages)) as fetched:  # on a terminal only
        responses = asyncio.run(fetchmod.fetch_many([fetchmod.Request(p) for p in pages], limits, policy,
                                                    on_done=lambda _i, _r: fetched.advance()))
    found: list[Found | SourceError] = []
    for resp in responses:
        if isinstance(resp, SourceError):
            found.append(resp)
            continue
        try:
            found.append(pool.result(pool.submit(discover, resp.body, resp.content_type, resp.url, max_items)))
        except SourceError as e:
            found.append(e)
    # Advertised feeds on the page's own site, the first one each: fetched and parsed in one more round.
    wanted = {i: next((u for u in f.feeds if same_site(pages[i], u)), None)
              for i, f in enumerate(found) if isinstance(f, Found) and f.method == "advertised"}
    feeds = {i: u for i, u in wanted.items() if u}
    feed_responses = dict(zip(feeds, asyncio.run(fetchmod.fetch_many(
        [fetchmod.Request(u) for u in feeds.values()], limits, policy)), strict=True)) if feeds else {}
    out = []
    for i, (page, f) in enumerate(zip(pages, found, strict=True)):
        resp = responses[i]
        status = getattr(resp, "status", None)
        if isinstance(f, SourceError):
            out.append(Discovery(page, "none", page, error=str(f), status=getattr(f, "status", status)))
            continue
        fr = feed_responses.get(i)
        if isinstance(fr, fetchmod.Response):
            try:
                parsed = pool.result(pool.submit(run_parser, "feed", fr.body, fr.content_type, fr.url, {}, max_items))
            except SourceError:
                parsed = None
            if parsed is not None and parsed.items:
                out.append(Discovery(page, "advertised", feeds[i], len(parsed.items), _newest(parsed.items), None,
                                     status))
                continue
        items = f.parsed.items
        method = f.method if f.method != "advertised" else ("html" if items else "none")
        error = None if items else "no feed and no list of dated notices found on the page"
        out.append(Discovery(page, method, page, len(items), _newest(items), error, status))
    return out


def _newest(items: Sequence[Any]) -> str | None:
    return max((i.published for i in items if i.published), default=None)


def _stale(row: dict[str, Any] | None, now: datetime) -> bool:
    if row is None:
        return True
    checked = parse_iso(row.get("checked_at"))
    if checked is None:
        return True
    return now - checked > (RETRY if row.get("method") == "none" else REDISCOVER)


def resolve(monitor: Any, sources: Sequence[AnySource], now: datetime) -> list[AnySource]:
    """The cycle's sources with each newsroom pointed at what discovery found for it (discovering the
    pages not known yet, or due again); `monitor.config` takes the result, so the daemon's schedule
    compares like with like."""
    rooms = [s for s in sources if isinstance(s, NewsroomSource)]
    if not rooms:
        return list(sources)
    store = monitor.store
    known = newsroom_store.remembered(store.db)
    due = list(dict.fromkeys(s.newsroom for s in rooms if _stale(known.get(s.newsroom), now)))
    if due:
        vendor = {s.newsroom: s.vendor for s in rooms}
        found = discover_pages(due, monitor.limits, monitor.pool, monitor.config.limits.max_items_per_source)
        with store.write() as db:
            for d in found:
                newsroom_store.remember(db, {"page": d.page, "vendor": vendor[d.page], "method": d.method,
                                             "poll_url": d.poll_url, "items": d.items, "newest": d.newest,
                                             "error": d.error, "checked_at": iso(now)})
        known = newsroom_store.remembered(store.db)

    def pointed(s: AnySource) -> AnySource:
        row = known.get(s.newsroom) if isinstance(s, NewsroomSource) else None
        if row is None:
            return s
        return s.model_copy(update={"url": row["poll_url"], "method": row["method"]})

    resolved = [pointed(s) for s in sources]
    by_name = {s.name: s for s in resolved}
    monitor.config = monitor.config.model_copy(update={"sources": [by_name.get(s.name, s)
                                                                   for s in monitor.config.sources]})
    return resolved
