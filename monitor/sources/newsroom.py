"""Each vendor's own newsroom (vendors.csv `newsroom`) as a source: how to read it, worked out once and
remembered; and its notices attributed to the vendor.

Discovery, per page URL, in this order (sources/notices.py reads the documents, in the parser workers):
  1. the URL is a feed (RSS/Atom): polled as it is;
  2. the page advertises one (<link rel="alternate" type="application/rss+xml|atom+xml">) on its own
     host or a subdomain, which parses with items: that feed is polled instead of the page;
  3. otherwise the page itself, read for its list of dated notice links.
What worked is remembered in the `newsrooms` table (storage/newsroom_store.py) and tried again after
REDISCOVER, or after RETRY when nothing was found. The fetch that discovery made is the cycle's fetch
of that source too (one request per page, not two).

Polite and cheap: robots.txt is honoured for every URL monitor found on its own here, the feed a page
advertises and the notices it links (sources/robots.py), and asked only when one of them is about to be
fetched; the configured page is the team's choice, like a feeds.yaml source, and is fetched without
asking (most newsrooms then never cost a robots.txt request: only those with a recent notice to read,
or an advertised feed, do). A page whose content hash is the one last parsed is not parsed again
(for servers that ignore conditional GET); a page with no notices is said once, then shown by
`monitor status`, not every cycle.

A notice on a vendor's newsroom is about that vendor even when it says only 当社: no name match is
needed. It is alerted when detection calls it an incident notice and it was published inside the
alert window (alerting/window.py, the one rule for every source), so the first poll stores years of
old notices without alerting them.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import progress
from ..clock import utcnow
from ..config import AnySource, Config, NewsroomSource
from ..errors import ConfigError, SourceError
from ..storage import newsroom_store
from ..textutil import iso, parse_iso
from . import fetch as fetchmod
from . import robots as robotsmod
from .notices import Found, discover, run_parser
from .parse import Parsed, ParserPool

if TYPE_CHECKING:
    from ..matching.matcher import Match
    from ..matching.vendors import Vendor
    from ..pipeline.workers import Decision
    from ..storage.store import Store

log = logging.getLogger(__name__)

REDISCOVER = timedelta(days=7)
RETRY = timedelta(hours=1)  # a page that gave nothing (down, or no list found) is looked at again this soon
OWN_NOTICE = "newsroom"
_LINKED = " linked notice(s) not read"  # Match.how of the vendor's own notice


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
    robots: str | None = None  # what robots.txt kept monitor from
    # The fetch of poll_url this discovery made: the cycle's fetch of the source too.
    response: fetchmod.Response | SourceError | None = field(default=None, compare=False, repr=False)
    parsed: Parsed | None = field(default=None, compare=False, repr=False)  # what reading response gave


def source_names(vendor: Vendor) -> list[tuple[str, str]]:
    return [(f"{vendor.name} newsroom" + (f" {n}" if n > 1 else ""), url) for n, url in enumerate(vendor.newsroom, 1)]


def with_newsrooms(config: Config, vendors: Sequence[Vendor], store: Store | None = None) -> Config:
    """The configuration with a source per newsroom URL of the register, polling what discovery
    remembered for it (the page itself until then). A feeds.yaml source of the same name wins."""
    taken = {s.name for s in config.sources if not isinstance(s, NewsroomSource)}
    # A page feeds.yaml already polls (with its own selectors) is not polled a second time.
    polled = {s.url for s in config.sources if not isinstance(s, NewsroomSource)}
    known = newsroom_store.remembered(store.db) if store is not None else {}
    rooms: list[AnySource] = []
    for v in vendors:
        for name, url in source_names(v):
            if name in taken or url in polled:
                continue
            row = known.get(url) or {}
            rooms.append(
                NewsroomSource(
                    name=name,
                    url=row.get("poll_url") or url,
                    vendor=v.name,
                    newsroom=url,
                    method=row.get("method") or "",
                )
            )
    mine = [s for s in config.sources if not isinstance(s, NewsroomSource)]
    if not mine and not rooms:
        raise ConfigError(nothing_to_watch(config))
    if not rooms and len(mine) == len(config.sources):
        return config
    return config.model_copy(update={"sources": [*mine, *rooms]})


def nothing_to_watch(config: Config) -> str:
    """The error of a configuration with no source at all (refused by run, check and sources check)."""
    return (
        f"{config.path.name}: sources: empty, and no vendor in {config.vendors.name} has a newsroom: nothing to watch"
    )


def watches_nothing(config: Config, vendors: Sequence[Vendor]) -> bool:
    return not any(not isinstance(s, NewsroomSource) for s in config.sources) and not any(v.newsroom for v in vendors)


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


def attribute(source: AnySource, decisions: Sequence[Decision], now: datetime) -> Sequence[Decision]:
    """A newsroom's notices are the vendor's own: the vendor is their subject (no name match needed)
    when detection calls them incident notices. Which of them are recent enough to alert is the
    cycle's alert window (alerting/window.py), as for every source; older notices are stored and
    searchable under the vendor."""
    if not isinstance(source, NewsroomSource):
        return decisions
    from ..matching.matcher import Match  # with decisions to attribute: a re-poll never loads the matcher

    host = urlsplit(source.newsroom).hostname or source.newsroom
    own = Match(
        vendor=source.vendor,
        matched=source.newsroom,
        how=OWN_NOTICE,
        field="link",
        surface=host,
        start=-1,
        end=-1,
        score=100.0,
    )
    out = []
    for d in decisions:
        others = tuple(m for m in d.matches if m.vendor != source.vendor)
        subjects: tuple[Match, ...] = ()
        if d.verdict.breach:
            subjects = (own, *(m for m in d.subjects if m.vendor != source.vendor))
        out.append(replace(d, matches=(own, *others), subjects=subjects))
    return out


def worth_reading(source: AnySource, fresh: Sequence[Any], now: datetime, window: timedelta) -> Sequence[Any]:
    """The new items whose linked notice is fetched: for a newsroom only those that could alert
    (published inside the source's alert window, or undated); its first poll stores years of old
    notices on their titles instead of fetching every one of them."""
    if not isinstance(source, NewsroomSource):
        return fresh
    out = []
    for entry in fresh:
        published = parse_iso(entry[0].published)
        if published is None or published >= now - window:
            out.append(entry)
    return out


# ---------------------------------------------------------------------- discovery


def discover_pages(
    pages: Sequence[str],
    limits: fetchmod.Limits,
    pool: ParserPool,
    max_items: int,
    policy: fetchmod.LinkPolicy = fetchmod.DEFAULT_POLICY,
    gate: robotsmod.Gate | None = None,
) -> list[Discovery]:
    """Fetch each page once (trusted: it is configured, and not asked of robots.txt) and work out how
    to read it. Advertised feeds that robots.txt forbids are not fetched (the page is read instead)."""
    gate = gate if gate is not None else robotsmod.Gate(None, datetime.now().astimezone())
    allowed = list(pages)
    reading: dict[int, Future[Any]] = {}  # each page read in a worker as soon as it is fetched

    with progress.bar(f"discovering {len(allowed)} newsrooms", len(allowed)) as shown:  # on a terminal only

        def read(j: int, resp: fetchmod.Response | SourceError) -> None:
            shown.advance()
            if isinstance(resp, fetchmod.Response):
                reading[j] = pool.submit(discover, resp.body, resp.content_type, resp.url, max_items)

        fetched = dict(
            zip(
                allowed,
                asyncio.run(fetchmod.fetch_many([fetchmod.Request(p) for p in allowed], limits, policy, on_done=read)),
                strict=True,
            )
        )
    at = {p: j for j, p in enumerate(allowed)}
    found: list[Found | SourceError] = []
    for page in pages:
        resp = fetched[page]
        if not isinstance(resp, fetchmod.Response):
            found.append(resp)
            continue
        try:
            found.append(pool.result(reading[at[page]]))
        except SourceError as e:
            found.append(e)
    # Advertised feeds on the page's own site, the first one each: fetched and parsed in one more round.
    wanted = {
        i: next((u for u in f.feeds if same_site(pages[i], u)), None)
        for i, f in enumerate(found)
        if isinstance(f, Found) and f.method == "advertised"
    }
    feeds = {i: u for i, u in wanted.items() if u}
    feed_barred = gate.check(((u, True) for u in feeds.values()), limits, policy) if feeds else {}
    feeds = {i: u for i, u in feeds.items() if not feed_barred[u]}
    feed_responses = (
        dict(
            zip(
                feeds,
                asyncio.run(fetchmod.fetch_many([fetchmod.Request(u) for u in feeds.values()], limits, policy)),
                strict=True,
            )
        )
        if feeds
        else {}
    )
    out = []
    for i, (page, f) in enumerate(zip(pages, found, strict=True)):
        got = fetched.get(page)
        status = getattr(got, "status", None)
        if isinstance(f, SourceError):
            out.append(
                Discovery(
                    page,
                    "none",
                    page,
                    error=str(f),
                    status=getattr(f, "status", status),
                    response=f,
                )
            )
            continue
        fr = feed_responses.get(i)
        if isinstance(fr, fetchmod.Response):
            try:
                parsed = pool.result(pool.submit(run_parser, "feed", fr.body, fr.content_type, fr.url, {}, max_items))
            except SourceError:
                parsed = None
            if parsed is not None and parsed.items:
                out.append(
                    Discovery(
                        page,
                        "advertised",
                        feeds[i],
                        len(parsed.items),
                        _newest(parsed.items),
                        None,
                        status,
                        response=fr,
                        parsed=parsed,
                    )
                )
                continue
        items = f.parsed.items
        method = f.method if f.method != "advertised" else ("html" if items else "none")
        error = None if items else f.empty
        forbidden = next((feed_barred[u] for u in f.feeds if feed_barred.get(u)), None)
        out.append(
            Discovery(
                page,
                method,
                page,
                len(items),
                _newest(items),
                error,
                status,
                robots=forbidden,
                response=got,
                parsed=f.parsed if method != "none" else None,
            )
        )
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
    compares like with like. What discovery fetched, and the advertised feeds robots.txt forbids, wait
    in `monitor.newsroom_fetched` for the cycle's fetch stage (take_fetched)."""
    monitor.newsroom_fetched, monitor.newsroom_rows = {}, {}
    rooms = [s for s in sources if isinstance(s, NewsroomSource)]
    if not rooms:
        return list(sources)
    store = monitor.store
    known = newsroom_store.remembered(store.db)
    gate = robotsmod.Gate(store.db, now)
    due = list(dict.fromkeys(s.newsroom for s in rooms if _stale(known.get(s.newsroom), now)))
    found: list[Discovery] = []
    clock = time.monotonic()
    if due:
        vendor = {s.newsroom: s.vendor for s in rooms}
        found = discover_pages(due, monitor.limits, monitor.pool, monitor.config.limits.max_items_per_source, gate=gate)
        with store.write() as db:
            for d in found:
                before = known.get(d.page) or {}
                newsroom_store.remember(
                    db,
                    {
                        "page": d.page,
                        "vendor": vendor[d.page],
                        "method": d.method,
                        "poll_url": d.poll_url,
                        "items": d.items,
                        "newest": d.newest,
                        "error": d.error,
                        "checked_at": iso(now),
                    },
                )
                if d.robots or before.get("robots"):
                    newsroom_store.note_robots(db, d.page, d.robots)
                if (
                    d.method == "none"
                    and not d.robots
                    and isinstance(d.response, fetchmod.Response)
                    and (before.get("method"), before.get("error")) != ("none", d.error)
                ):
                    # Said once here (cron mails it); then `monitor status` shows it, not every cycle.
                    log.warning("%s newsroom %s: %s (shown by monitor status)", vendor[d.page], d.page, d.error)
        known = newsroom_store.remembered(store.db)
    fetched: dict[str, fetchmod.Response | SourceError] = {}
    monitor.newsroom_parsed = {}
    for d in found:
        if d.response is not None and not d.robots:
            fetched[d.poll_url] = d.response
            if d.parsed is not None and isinstance(d.response, fetchmod.Response):
                monitor.newsroom_parsed[id(d.response)] = (d.response, d.parsed)
    # The feeds discovery found for known pages (the configured pages are not asked about): robots.txt
    # asked again once its answer is a day old.
    polled = [(known.get(s.newsroom) or {}).get("poll_url") or s.url for s in rooms]
    found_feeds = [url for s, url in zip(rooms, polled, strict=True) if url != s.newsroom and url not in fetched]
    barred = gate.check(((url, True) for url in found_feeds), monitor.limits)
    for url, why in barred.items():
        if why:
            fetched[url] = SourceError(why).at(url=url)
    if gate.fetched:
        with store.write() as db:
            gate.save(db)
    monitor.newsroom_fetched = fetched
    monitor.newsroom_rows = known
    log.info(
        "newsrooms: %d discovered, robots.txt of %d sites fetched, in %.2fs",
        len(found),
        len(gate.fetched_sites),
        time.monotonic() - clock,
    )

    def pointed(s: AnySource) -> AnySource:
        row = known.get(s.newsroom) if isinstance(s, NewsroomSource) else None
        if row is None:
            return s
        return s.model_copy(update={"url": row["poll_url"], "method": row["method"]})

    resolved = [pointed(s) for s in sources]
    by_name = {s.name: s for s in resolved}
    monitor.config = monitor.config.model_copy(
        update={"sources": [by_name.get(s.name, s) for s in monitor.config.sources]}
    )
    return resolved


def take_fetched(monitor: Any, sources: Sequence[AnySource]) -> dict[int, fetchmod.Response | SourceError]:
    """The newsroom fetches this cycle already has (by the source's index): the response discovery
    fetched, or why robots.txt forbids the advertised feed it polls. Taken once."""
    have: dict[str, fetchmod.Response | SourceError] = getattr(monitor, "newsroom_fetched", None) or {}
    monitor.newsroom_fetched = {}
    return {i: have[s.url] for i, s in enumerate(sources) if isinstance(s, NewsroomSource) and s.url in have}


def parsed_already(monitor: Any, resp: Any) -> Future[Any] | None:
    """Discovery's reading of this very response, as a finished parse task (the page is not parsed
    twice); None for any other response."""
    have = (getattr(monitor, "newsroom_parsed", None) or {}).pop(id(resp), None)
    if have is None or have[0] is not resp:
        return None
    done: Future[Any] = Future()
    done.set_result(have[1])
    return done


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def unchanged(
    monitor: Any,
    source: AnySource,
    resp: fetchmod.Response | SourceError,
) -> fetchmod.Response | SourceError:
    """A newsroom page (or feed) whose body is the one last parsed, answered as 304 Not Modified:
    servers that ignore conditional GET cost a fetch, not a parse."""
    if (
        not isinstance(source, NewsroomSource)
        or not isinstance(resp, fetchmod.Response)
        or resp.not_modified
        or not resp.body
    ):
        return resp
    row = (getattr(monitor, "newsroom_rows", None) or {}).get(source.newsroom)
    if row and row.get("hash_url") == source.url and row.get("body_hash") == body_hash(resp.body):
        log.info("%s: page unchanged since it was last parsed (same content hash): not parsed", source.name)
        return replace(resp, body=b"", not_modified=True)
    return resp


def parsed(db: Any, source: AnySource, resp: fetchmod.Response | SourceError) -> None:
    """The poll of a newsroom was parsed and stored: its content hash remembered (see unchanged)."""
    if isinstance(source, NewsroomSource) and isinstance(resp, fetchmod.Response) and resp.body:
        newsroom_store.remember_hash(db, source.newsroom, source.url, body_hash(resp.body))


def polite_links(monitor: Any, wanted: list[tuple[AnySource, str]]) -> list[tuple[AnySource, str]]:
    """The linked notices to fetch, without those robots.txt forbids on newsroom sources (their items
    are decided on their title, and `monitor status` says what was left out)."""
    rooms = [(s, link) for s, link in wanted if isinstance(s, NewsroomSource)]
    if not rooms:
        return wanted
    store = monitor.store
    gate = robotsmod.Gate(store.db, utcnow())
    barred = gate.check(((link, trusts(s, link)) for s, link in rooms), monitor.limits)
    left_out: dict[str, list[str]] = {}
    for s, link in rooms:
        if barred.get(link):
            assert isinstance(s, NewsroomSource)
            left_out.setdefault(s.newsroom, []).append(barred[link])
            log.info("%s: linked notice not fetched: %s", s.name, barred[link])
    known = newsroom_store.remembered(store.db)
    with store.write() as db:
        gate.save(db)
        for s in {s.newsroom: s for s, _ in rooms}.values():
            assert isinstance(s, NewsroomSource)
            why = left_out.get(s.newsroom)
            if why:
                newsroom_store.note_robots(db, s.newsroom, f"{len(why)}{_LINKED}: {why[0]}")
            elif _LINKED in ((known.get(s.newsroom) or {}).get("robots") or ""):
                newsroom_store.note_robots(db, s.newsroom, None)  # they are read again
    return [(s, link) for s, link in wanted if not barred.get(link)]


def notes(store: Store) -> dict[str, str]:
    """What `monitor status` says of each newsroom page besides its last error: what robots.txt
    forbids, or why discovery found nothing to read (by page URL)."""
    out = {}
    for page, row in newsroom_store.remembered(store.db).items():
        note = row.get("robots") or (row.get("error") if row.get("method") == "none" else None)
        if note:
            out[page] = note
    return out
