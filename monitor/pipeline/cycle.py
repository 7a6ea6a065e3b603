"""One poll cycle: fetch -> parse -> dedupe -> (fetch linked notices) -> detect -> match -> store -> alert.

Each source's failure is a value (SourceError) recorded on that source; the cycle
goes on. An unexpected exception is contained at the smallest unit it hit: one item
is skipped and counted (SourceResult.skipped), one source records it as its error
(SourceBug, logged with its traceback at -v). Only the database's own failures
(disk full, I/O) end a cycle.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import random
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .. import clock as clocks
from .. import criticality, progress
from ..alerting.alert_rows import enqueue
from ..alerting.messages import (
    DIGEST_MAX_ITEMS,
    ArticleFacts,
    IncidentRef,
    article_message,
    digest_message,
    health_message,
)
from ..alerting.outbox import DeliveryReport, deliver
from ..alerting.route import route
from ..alerting.slack import Sender
from ..alerting.window import held_back
from ..config import AnySource, Config
from ..errors import ConfigError, LockTimeout, SourceBug, SourceError, describe
from ..matching.vendors import Vendor
from ..normalize import name_variants
from ..sources import advisory, health, newsroom
from ..sources import fetch as fetchmod
from ..sources.dedupe import Fresh, new_items
from ..sources.health import SourceState
from ..sources.notices import parse_source
from ..sources.parse import ParserPool, extract_article, source_kind
from ..storage import digest_store, feedback, incident_store
from ..storage.store import Store, dumps
from ..textutil import clip, iso, parse_iso
from . import triage_step
from .workers import (
    Decided,
    Decision,
    MatcherRef,
    ParseOutcome,
    decide_in_worker,
    parse_and_decide,
    prepare_matcher,
    prepare_names,
)

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 600.0
FTS_BATCH = 1000  # new articles indexed for search per statement
_NEVER_POLLED = SourceState()
Fetched = fetchmod.Response | SourceError  # a source's fetch: its response, or why there is none


@dataclass
class SourceResult:
    name: str
    type: str
    status: int | None = None
    items: int = 0
    new: int = 0
    alerts: int = 0
    not_modified: bool = False
    error: str | None = None
    warning: str | None = None
    newest: str | None = None
    # fetch_article: new items stored without their linked notice because of limits.articles_per_source
    # or limits.article_budget (decided on title and summary alone)
    articles_skipped: int = 0
    suppressed: int = 0  # new articles not alerted because of an analyst's verdict (monitor feedback)
    held_back: int = 0  # new reports that would alert, stored without: outside alert_window (alerting/window.py)
    skipped: int = 0  # items left out because reading, deciding or storing them raised
    skip_reason: str | None = None  # the first such error


@dataclass
class _Cycle:
    """The state of one cycle between its stages: per source (by index), the fetch result, what
    parsing made of it, and the worker tasks still running."""

    sources: Sequence[AnySource]
    states: dict[str, SourceState]
    now: datetime
    responses: Sequence[Fetched] = ()
    outcome: list[ParseOutcome | SourceError | None] = field(default_factory=list)
    parsing: dict[Future[Any], int] = field(default_factory=dict)  # fetch_article sources: parse first
    deciding: dict[Future[Any], int] = field(default_factory=dict)
    articles_skipped: dict[str, int] = field(default_factory=dict)  # by source name

    def __post_init__(self) -> None:
        self.outcome = [None] * len(self.sources)

    def shared_links(self, source: str) -> bool:
        """Did an earlier fetch of this source give several items one link (so links identify none)?"""
        return self.states.get(source, _NEVER_POLLED).shared_links


@dataclass
class CycleReport:
    sources: list[SourceResult] = field(default_factory=list)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for -v and benchmarks

    @property
    def failed(self) -> list[SourceResult]:
        return [s for s in self.sources if s.error]

    def summary(self) -> str:
        new = sum(s.new for s in self.sources)
        alerts = sum(s.alerts for s in self.sources)
        skipped = sum(s.articles_skipped for s in self.sources)
        # Said only when it happened: a stored item without its notice may have missed a vendor.
        linked = f", {skipped} linked notices skipped (limits)" if skipped else ""
        # Feedback that withholds alerts must be visible: a wrong verdict would otherwise hide breaches.
        suppressed = sum(s.suppressed for s in self.sources)
        held = f", {suppressed} suppressed by feedback" if suppressed else ""
        old = sum(s.held_back for s in self.sources)
        held += f", {old} not alerted (older than alert_window)" if old else ""
        bad_items = sum(s.skipped for s in self.sources)
        return (
            f"{len(self.sources)} sources ({len(self.failed)} failed), {new} new articles{linked}, "
            f"{alerts} alerts queued{held}, {self.delivery.sent} sent, {self.delivery.retrying} pending retry, "
            f"{self.delivery.failed} failed" + (f", {items_skipped(bad_items)}" if bad_items else "")
        )


def items_skipped(n: int) -> str:
    return f"{n} item{'' if n == 1 else 's'} skipped"


def log_bug(source: str, error: SourceBug, outcome: str = "recorded as the source's error") -> None:
    """A bug some input reached: its type at the default level, where it happened at -v."""
    log.warning("%s: %s (a bug, %s; -v logs the traceback)", source, error, outcome)
    log.info("%s: traceback of the unexpected error:\n%s", source, error.traceback())


@functools.lru_cache(maxsize=4096)
def _folded_names(vendor: Vendor) -> tuple[str, ...]:
    """The vendor's names as they appear folded in text: left out when comparing report titles."""
    return tuple(sorted(set().union(*(name_variants(n) for n in (vendor.name, *vendor.aliases)))))


class Monitor:
    def __init__(
        self, config: Config, vendors: Sequence[Vendor], store: Store, sender: Sender, pool: ParserPool | None = None
    ):
        self.store = store
        self._pool = pool
        self.lock = FileLock(str(config.database) + ".lock")
        self._take(config, vendors, sender)

    def reconfigure(self, config: Config, vendors: Sequence[Vendor], sender: Sender) -> None:
        """Take an edited feeds.yaml and vendors.csv (the daemon, between cycles). The database cannot
        change under a running process: that edit is refused, and the old configuration stays."""
        if Path(config.database).resolve() != Path(self.config.database).resolve():
            raise ConfigError(
                f"{config.path.name}: database: changed from {self.config.database} to "
                f"{config.database}; restart monitor to use another database"
            )
        lim = config.limits
        if self._pool is not None and (self._pool.timeout, self._pool.memory_mb) != (
            lim.parse_timeout,
            lim.parse_memory_mb,
        ):
            self._pool = None  # ParserPool.shared replaces the workers with ones under the new limits
        self._take(config, vendors, sender)

    def _take(self, config: Config, vendors: Sequence[Vendor], sender: Sender) -> None:
        self.config = newsroom.with_newsrooms(config, vendors, self.store)  # vendors.csv newsrooms as sources
        self.vendors = list(vendors)
        self.by_name = {v.name: v for v in self.vendors}
        self._matcher_ref: MatcherRef | None = None  # prepared on first use, for this register
        self._names_ref: MatcherRef | None = None  # the same, for advisory sources (kev, jvn)
        self.sender = sender
        self.limits = fetchmod.Limits.of(config.limits)

    @property
    def pool(self) -> ParserPool:
        """Started on first use: a cycle of 304s parses nothing."""
        if self._pool is None:
            lim = self.config.limits
            self._pool = ParserPool.shared(timeout=lim.parse_timeout, memory_mb=lim.parse_memory_mb)
        return self._pool

    @property
    def matcher_ref(self) -> MatcherRef:
        """Prepared on first use (a cycle of 304s never needs it); cached beside the database."""
        if self._matcher_ref is None:
            self._matcher_ref, _ = prepare_matcher(self.vendors, self.config.database)
        return self._matcher_ref

    def ref_for(self, source: AnySource) -> MatcherRef:
        """What the source's items are matched with: the register's names for an advisory source
        (kev, jvn: a field names the vendor), the Matcher for text."""
        if source_kind(source) not in advisory.KINDS:
            return self.matcher_ref
        if self._names_ref is None:
            self._names_ref = prepare_names(self.vendors, self.config.database)
        return self._names_ref

    # ------------------------------------------------------------------ the cycle

    def run_once(
        self, sources: Sequence[AnySource] | None = None, deliver_alerts: bool = True, last: bool = False
    ) -> CycleReport:
        """One cycle: fetch, parse and decide without the lock; store and deliver with it.

        Each source goes to the worker pool as soon as its fetch returns, as one task that parses it,
        drops the items already stored and decides the rest (detect + match). Holding the lock, the
        main process stores each source as its decisions come back, so the SQLite writes overlap the
        workers. Sources with fetch_article are parsed first and decided once their linked notices
        are fetched.

        last: no cycle follows in this process (`run --once`), so the parser workers are shut down
        while the alerts are delivered, instead of at exit.
        """
        sources = [s for s in (sources if sources is not None else self.config.sources) if s.enabled]
        now = clocks.utcnow()
        sources = newsroom.resolve(self, sources, now)  # each newsroom: its page or the feed found for it
        report = CycleReport()
        clock = time.monotonic()
        history = triage_step.start_history(self) if deliver_alerts else None  # on a thread while fetching
        cycle = _Cycle(sources, self.store.source_states(), now)
        with progress.bar(f"polling {len(sources)} sources", len(sources)) as polled:  # on a terminal only

            def fetched(i: int, resp: Fetched) -> None:
                self._submit(cycle, i, resp)
                polled.advance()

            cycle.responses = asyncio.run(self._fetch_sources(sources, cycle.states, fetched))
        report.timings["fetch"] = time.monotonic() - clock
        self._decide_with_articles(cycle)
        report.timings["parse"] = time.monotonic() - clock - report.timings["fetch"]
        try:
            self.lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout as e:
            raise LockTimeout(f"another monitor run holds {self.lock.lock_file} for over {LOCK_TIMEOUT:.0f}s") from e
        try:
            report.sources = self._store_as_decided(cycle)
            if last and self._pool is not None:
                self._pool.close_in_background()
                self._pool = None
            self._queue_digest()
            report.timings["decide+store"] = time.monotonic() - clock - sum(report.timings.values())
            if deliver_alerts:
                report.delivery = self.deliver()
                triage_step.after_delivery(self, history)  # reactions on alerts read back (Slack triage)
            report.timings["deliver"] = time.monotonic() - clock - sum(report.timings.values())
        finally:
            self.lock.release()
        log.info(
            "cycle timings: %s (this process's CPU so far: %.2fs)",
            ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items()),
            time.process_time(),
        )
        return report

    def _submit(self, cycle: _Cycle, i: int, resp: Fetched) -> None:
        """A source's fetch is back: hand its body to the worker pool."""
        try:
            self._submit_one(cycle, i, resp)
        except Exception as e:  # called from inside the fetching: it must not end the other fetches
            cycle.outcome[i] = SourceBug(e)

    def _submit_one(self, cycle: _Cycle, i: int, resp: Fetched) -> None:
        if not isinstance(resp, fetchmod.Response) or resp.not_modified:
            return
        if not resp.body.strip():
            cycle.outcome[i] = SourceError("empty response body")
            return
        s = cycle.sources[i]
        args = (s, resp.body, resp.content_type, resp.url, self.config.limits.max_items_per_source)
        if s.fetch_article:  # a newsroom's page that discovery has just read is not read again
            cycle.parsing[newsroom.parsed_already(self, resp) or self.pool.submit(parse_source, *args)] = i
        else:
            cycle.deciding[
                self.pool.submit(
                    parse_and_decide,
                    *args,
                    cycle.shared_links(s.name),
                    str(self.config.database),
                    self.ref_for(s),
                    cycle.now,
                )
            ] = i

    def _decide_with_articles(self, cycle: _Cycle) -> None:
        """Sources with fetch_article: new items from their parse, their linked notices, then deciding."""
        fresh: dict[str, list[Fresh]] = {}
        for future in as_completed(cycle.parsing):
            i = cycle.parsing[future]
            source = cycle.sources[i]
            try:
                parsed = self.pool.result(future)
                fresh[source.name], shared = new_items(
                    source.name, parsed.items, cycle.shared_links(source.name), self.store.known_keys
                )
            except SourceError as e:
                cycle.outcome[i] = e
                continue
            except Exception as e:
                cycle.outcome[i] = SourceBug(e)
                continue
            cycle.outcome[i] = ParseOutcome.of(parsed, shared)
        with_articles = [s for s in cycle.sources if s.fetch_article and fresh.get(s.name)]
        bodies, cycle.articles_skipped = self._fetch_articles(with_articles, fresh)
        # By name (unique): `source in with_articles` compared pydantic models pairwise, n^2/2 of them
        # (2M comparisons on a first poll of 2,000 newsrooms).
        chosen = {s.name for s in with_articles}
        for i, source in enumerate(cycle.sources):
            if source.name in chosen:
                try:
                    future = self._submit_decide(source, fresh[source.name], bodies.get(source.name, {}), cycle.now)
                except Exception as e:
                    cycle.outcome[i] = SourceBug(e)
                    continue
                cycle.deciding[future] = i

    def _store_as_decided(self, cycle: _Cycle) -> list[SourceResult]:
        """Store every source, in config order, as soon as its decisions are back. Call with the lock."""
        # Re-read under the lock: an overlapping run may have recorded failures or health alerts
        # since we fetched, and counting from the stale copy would alert twice.
        states = self.store.source_states()
        verdicts = feedback.rules(self.store)
        results: list[SourceResult] = []
        # Config order, whatever order the decisions come back in: which report opens an incident's
        # thread must not depend on worker timing.
        ready: dict[int, Sequence[Decision]] = {
            i: [] for i in range(len(cycle.sources)) if i not in cycle.deciding.values()
        }
        # One transaction for the cycle's ingestion: one fsync instead of one per source.
        with self.store.write() as db:
            indexed = self.store.last_article_id()
            for future in itertools.chain([None], as_completed(cycle.deciding)):
                if future is not None:
                    i = cycle.deciding[future]
                    ready[i] = self._decisions(cycle, i, future)
                while len(results) in ready:
                    i = len(results)
                    s = cycle.sources[i]
                    res = self._ingest_contained(
                        db,
                        s,
                        cycle.responses[i],
                        cycle.outcome[i],
                        ready.pop(i),
                        states.get(s.name, _NEVER_POLLED),
                        verdicts,
                        cycle.now,
                    )
                    res.articles_skipped = cycle.articles_skipped.get(s.name, 0)
                    results.append(res)
                # Search indexing in batches: per 50-item source it cost 30% more per article than per
                # thousand, and waiting for the end would take it out of the overlap with the workers.
                newest = self.store.last_article_id()
                if newest - indexed >= FTS_BATCH or (newest > indexed and len(results) == len(cycle.sources)):
                    self.store.index_new_articles(db, indexed)
                    indexed = newest
        return results

    def _decisions(self, cycle: _Cycle, i: int, future: Future[Any]) -> Sequence[Decision]:
        """A deciding task's decisions; its parse outcome too when it also parsed. [] when it failed."""
        try:
            decided: Decided = self.pool.result(future)
        except SourceError as e:  # hostile text that outran the time or memory limit
            cycle.outcome[i] = e if cycle.outcome[i] is None else SourceError(f"deciding on new items failed: {e}")
            return []
        # parse_and_decide parsed the source too; decide_in_worker decided what this process parsed.
        outcome = decided.parsed if decided.parsed is not None else cycle.outcome[i]
        if isinstance(outcome, ParseOutcome):
            cycle.outcome[i] = outcome.plus(decided.skipped)
        return decided.decisions

    def deliver(self, force: bool = False) -> DeliveryReport:
        triage_step.before_delivery(self)  # Slack triage: muted replies wait; buttons while Socket Mode listens
        return deliver(
            self.store,
            self.sender,
            min_interval=self.config.slack.min_interval,
            force=force,
            limit=None if force else self.config.limits.max_alerts_per_cycle,
            tz=self.config.tz,
        )

    async def _fetch_sources(
        self, sources: Sequence[AnySource], states: dict[str, SourceState], on_done: Callable[[int, Fetched], None]
    ) -> list[Fetched]:
        have = newsroom.take_fetched(self, sources)  # newsrooms: discovery's fetch, or robots.txt's refusal
        out: dict[int, Fetched] = {}

        def done(i: int, resp: Fetched) -> None:
            out[i] = newsroom.unchanged(self, sources[i], resp)  # a newsroom's unchanged page: not parsed
            on_done(i, out[i])

        for i, resp in have.items():
            done(i, resp)
        todo = [i for i in range(len(sources)) if i not in have]
        requests = []
        for s in (sources[i] for i in todo):
            etag, last_modified = states.get(s.name, _NEVER_POLLED).validators(s.url)
            requests.append(fetchmod.Request(url=s.url, trusted=True, etag=etag, last_modified=last_modified))
        await fetchmod.fetch_many(requests, self.limits, on_done=lambda j, resp: done(todo[j], resp))
        return [out[i] for i in range(len(sources))]

    # ------------------------------------------------------------------ per source

    def _ingest_contained(
        self,
        db: Any,
        source: AnySource,
        resp: Fetched,
        outcome: ParseOutcome | SourceError | None,
        decisions: Sequence[Decision],
        state: SourceState,
        verdicts: feedback.Rules,
        now: datetime,
    ) -> SourceResult:
        """_ingest(), and when it raises, that source's writes undone and the error recorded as its failure."""
        try:
            with self.store.savepoint("source"):
                res = self._ingest(db, source, resp, outcome, decisions, state, verdicts, now)
        except Exception as e:
            if not self.store.recoverable(e):
                raise
            return self._ingest(db, source, resp, SourceBug(e), (), state, verdicts, now)
        if res.skipped:
            log.info("%s: %s, first: %s", source.name, items_skipped(res.skipped), res.skip_reason)
        return res

    def _ingest(
        self,
        db: Any,
        source: AnySource,
        resp: Fetched,
        outcome: ParseOutcome | SourceError | None,
        decisions: Sequence[Decision],
        state: SourceState,
        verdicts: feedback.Rules,
        now: datetime,
    ) -> SourceResult:
        res = SourceResult(name=source.name, type=source_kind(source))
        err = resp if isinstance(resp, SourceError) else outcome if isinstance(outcome, SourceError) else None
        if err is not None:
            err.at(source.name, source.url)
            if isinstance(err, SourceBug):
                log_bug(source.name, err)
            res.error = str(err)
            res.status = getattr(err, "status", None)
            self._record(db, source, state, health.Failed(res.error), now)
            return res
        assert isinstance(resp, fetchmod.Response)
        res.status = resp.status
        if resp.not_modified:
            res.not_modified = True
            self._record(db, source, state, health.Polled(resp.etag, resp.last_modified), now)
            return res
        assert isinstance(outcome, ParseOutcome)
        res.items = outcome.items
        res.warning = outcome.warning
        res.newest = outcome.newest
        fetched_at = iso(now) or ""
        skipped = outcome.skipped
        window = timedelta(seconds=self.config.window_for(source))
        for d in newsroom.attribute(source, decisions, now):  # a newsroom's notices are its vendor's
            # Old news is stored and searchable, not alerted: a new source must not flood the channel.
            old = held_back(d.item.published, now, window)
            try:
                # An item naming no vendor is one INSERT, atomic by itself, and queues nothing: without a
                # savepoint of its own (each one copied the pages it touched, ~0.1 s CPU per 10,000 items).
                with self.store.savepoint("item") if d.matches or d.subjects else contextlib.nullcontext():
                    aid = self._store_decision(db, source, d, fetched_at)
                    queued = (
                        self._queue_alerts(db, source, aid, d, now, verdicts) if aid is not None and old is None else 0
                    )
            except Exception as e:
                if not self.store.recoverable(e):
                    raise
                log.warning("%s: item %r skipped: %s", source.name, clip(d.item.title, 80), describe(e))
                skipped = skipped.add(e)
                continue
            if aid is None:
                continue  # an overlapping run stored it first
            res.new += 1
            res.held_back += old is not None and d.alert  # would have alerted
            res.alerts += max(queued, 0)
            res.suppressed += queued < 0
        res.skipped, res.skip_reason = skipped.count, skipped.reason
        self._record(
            db,
            source,
            state,
            health.Polled(resp.etag, resp.last_modified, res.items, res.new, outcome.shared_links),
            now,
        )
        newsroom.parsed(db, source, resp)  # its content hash: the same page is not parsed again
        return res

    def _submit_decide(
        self, source: AnySource, fresh: list[Fresh], bodies: dict[str, str], now: datetime
    ) -> Future[Any]:
        return self.pool.submit(decide_in_worker, self.matcher_ref, source.assume_breach, fresh, bodies, now)

    def _fetch_articles(
        self,
        sources: Sequence[AnySource],
        fresh: dict[str, list[Fresh]],
    ) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
        """Linked notices of new items, for sources with fetch_article: ({source: {link: text}},
        {source: how many new items go without theirs}).

        Bounded three ways (limits): articles_per_source links per source, article_budget for the
        whole stage, and article_bytes_in_flight of bodies held at once. Items left out are still
        stored and decided on their title and summary: a security team would rather have the item
        now, searchable and alerting on what it says, than wait for a notice that may never fit."""
        lim = self.config.limits
        skipped: dict[str, int] = {}
        per_source: list[list[tuple[AnySource, str]]] = []
        for s in sources:
            # A newsroom's notices too old to alert are stored on their title: their pages are not fetched.
            worth = newsroom.worth_reading(
                s, fresh.get(s.name, []), clocks.utcnow(), timedelta(seconds=self.config.window_for(s))
            )
            links = list(dict.fromkeys(i.link for i, _, _ in worth if i.link))
            if len(links) > lim.articles_per_source:
                skipped[s.name] = len(links) - lim.articles_per_source
                log.warning(
                    "%s: %d new items over limits.articles_per_source (%d) are stored without their linked notice",
                    s.name,
                    skipped[s.name],
                    lim.articles_per_source,
                )
            per_source.append([(s, link) for link in links[: lim.articles_per_source]])
        # Round-robin over sources: one source's many links must not take the whole budget.
        wanted = [w for batch in itertools.zip_longest(*per_source) for w in batch if w is not None]
        wanted = newsroom.polite_links(self, wanted)  # a newsroom's links: as its robots.txt allows
        if not wanted:
            return {}, skipped
        clock = time.monotonic()
        bodies, late = asyncio.run(self._stream_articles(wanted))
        for name, n in late.items():
            skipped[name] = skipped.get(name, 0) + n
            log.warning(
                "%s: %d linked notices not fetched within limits.article_budget (%gs); their items "
                "are stored without them",
                name,
                n,
                lim.article_budget,
            )
        log.info(
            "linked notices: %d wanted, %d read, %d over the time budget, in %.2fs",
            len(wanted),
            sum(map(len, bodies.values())),
            sum(late.values()),
            time.monotonic() - clock,
        )
        return bodies, skipped

    async def _stream_articles(
        self,
        wanted: list[tuple[AnySource, str]],
    ) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
        """Fetch and extract the linked notices, each body going to a parser worker as soon as it
        arrives. A slot is held from the fetch until the worker returns the text, so at most
        article_bytes_in_flight // article_max_bytes bodies exist at once: holding every body until
        the last fetch ended cost 1.55 GB for 300 notices of 5 MB. Returns the texts and, per source,
        how many were cut off by article_budget."""
        lim = self.config.limits
        slots = asyncio.Semaphore(max(1, min(lim.concurrency, lim.article_bytes_in_flight // lim.article_max_bytes)))
        bodies: dict[str, dict[str, str]] = {}

        async def one(fetcher: fetchmod.Fetcher, s: AnySource, link: str) -> None:
            async with slots:
                req = fetchmod.Request(
                    url=link,
                    trusted=newsroom.trusts(s, link),
                    allow_private=s.allow_private_links,
                    max_bytes=lim.article_max_bytes,
                )
                try:
                    r = await fetcher.get(req)
                except SourceError as e:
                    log.info("%s: linked notice not fetched: %s", s.name, e)
                    return
                if not r.body:
                    return
                future = self.pool.submit(extract_article, r.body, r.content_type)
                del r  # the worker's copy is the one that counts now
                try:
                    # Cancelling this task (the budget ran out) cancels the worker's task too.
                    await asyncio.wrap_future(future)
                except Exception:
                    pass  # read below, as ParserPool.result words it
                try:
                    bodies.setdefault(s.name, {})[link] = self.pool.result(future)
                except SourceError as e:  # the item goes on without its notice
                    if isinstance(e, SourceBug):
                        log_bug(f"{s.name}: linked notice {link}", e, "the item goes on without it")
                    else:
                        log.info("%s: linked notice unreadable: %s", s.name, e)

        async with fetchmod.Fetcher(self.limits) as fetcher:
            tasks = [asyncio.create_task(one(fetcher, s, link)) for s, link in wanted]
            done, pending = await asyncio.wait(tasks, timeout=lim.article_budget)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for t in done:
            t.result()  # anything but a SourceError is a bug: raised, as everywhere in the cycle
        late: dict[str, int] = {}
        for (s, _), t in zip(wanted, tasks, strict=True):
            if t in pending:
                late[s.name] = late.get(s.name, 0) + 1
        return bodies, late

    def _store_decision(self, db: Any, source: AnySource, d: Decision, fetched_at: str) -> int | None:
        aid = self.store.insert_article(
            db,
            {
                "source": source.name,
                "guid": d.item.guid,
                "link": d.item.link,
                "link_key": d.link_key,
                "title": d.item.title,
                "title_key": d.tkey,
                "summary": d.item.summary,
                "body": clip(d.body, 100_000),
                "published": d.published,
                "fetched_at": fetched_at,
                "breach": int(d.verdict.breach),
                "breach_score": d.verdict.score,
                "terms": dumps(list(d.verdict.terms)),
                "supply_chain": int(d.verdict.supply_chain),
                "follow_up": int(d.verdict.follow_up),
            },
        )
        if aid is not None:
            from ..matching import roles  # a new article: not imported by a run with nothing new

            self.store.insert_matches(
                db,
                aid,
                [
                    {
                        "vendor": m.vendor,
                        "matched": m.matched,
                        "how": m.how,
                        "field": m.field,
                        "surface": m.surface,
                        "start": m.start,
                        "end": m.end,
                        "score": m.score,
                        "role": roles.of_match(m, d.roles).role,
                        "role_reason": roles.of_match(m, d.roles).reason,
                    }
                    for m in d.matches
                ],
            )
        return aid

    # ------------------------------------------------------------------ alerts

    def _incident(
        self, db: Any, vendor: Vendor, d: Decision, now: datetime, join_only: bool = False, alone: bool = False
    ) -> IncidentRef | None:
        """Join the report to an incident of this vendor by the rule in monitor/incidents.py, or open one
        (join_only: None instead; alone: always open one, as each advisory entry is its own event)."""
        from ..alerting import incidents  # with the report to join: a run with nothing new never needs it

        published = parse_iso(d.published) or now
        when = iso(published) or ""
        report = incidents.Report(d.item.title, f"{d.item.title}\n{d.item.summary}", published)
        found = incidents.decide(
            report, [] if alone else incident_store.candidates(db, vendor.name, published), _folded_names(vendor)
        )
        if found.incident_id is None and join_only:
            return None
        if found.incident_id is None:
            return IncidentRef(incident_store.open_incident(db, vendor.name, d.item.title, when), "", 1, found.reason)
        title, n = incident_store.add_report(db, found.incident_id, when)
        return IncidentRef(found.incident_id, title, n, found.reason, follow_up=incidents.is_follow_up(report.text))

    def _queue_alerts(
        self, db: Any, source: AnySource, article_id: int, d: Decision, now: datetime, verdicts: feedback.Rules
    ) -> int:
        """Queue the stored article's alert: a breach report about its subjects; or, below the breach
        threshold, a report naming a vendor in its title that continues one of its incidents (it goes
        into that incident's thread; it never opens one)."""
        if d.alert:  # an alert per kind: vendors breached or affected, and vendors whose product is exploited
            from ..matching import roles

            return roles.combined(
                self._queue_article_alert(db, source, article_id, d, now, verdicts, kind=kind, subjects=subjects)
                for kind, subjects in roles.alert_groups(d.subjects, d.roles)
                if kind != "product" or self.config.slack.product_alerts
            )
        from ..alerting import incidents

        named = tuple(m for m in d.matches if m.field in ("title", "link"))
        if named and incidents.continues_coverage(f"{d.item.title}\n{d.item.summary}"):
            return self._queue_article_alert(db, source, article_id, d, now, verdicts, named)
        return 0

    def _queue_article_alert(
        self,
        db: Any,
        source: AnySource,
        article_id: int,
        d: Decision,
        now: datetime,
        verdicts: feedback.Rules,
        continuing: tuple[Any, ...] = (),
        kind: str = "article",
        subjects: tuple[Any, ...] = (),
    ) -> int:
        """1 when an alert was queued, 0 when not (already queued, or a report below the breach
        threshold that joins none of its vendors' incidents), -1 when feedback withheld it.

        continuing: the vendors named by a report below the breach threshold (alerted only if it
        joins one of their incidents)."""
        if verdicts.negative(d.item.title):
            if continuing:
                return 0
            log.info("%s: not alerted, near-identical to a report labelled not a breach: %s", source.name, d.item.title)
            return -1
        # Wrong-vendor suppressions are keyed on the text that matched ("box") and the words around it.
        matches = verdicts.allowed(
            continuing or subjects or d.subjects,
            {"title": d.item.title, "summary": d.item.summary, "body": d.body, "link": d.item.link},
        )
        if not matches and continuing:
            return 0
        if not matches:
            log.info("%s: not alerted, suppressed by feedback: %s", source.name, d.item.title)
            return -1
        vendors = sorted((self.by_name[m.vendor] for m in matches), key=lambda v: criticality.rank(v.criticality))
        primary, incident = vendors[0], None
        # A report below the breach threshold joins the incident of whichever named vendor it continues
        # ('police arrest four over M&S and Co-op cyberattacks' is M&S's incident even if Co-op ranks first).
        # The headline's first-named vendor first among equals: 'M&S and Co-op' is told as M&S's story.
        first = {m.vendor: m.start if m.field == "title" and m.start >= 0 else 10**6 for m in matches}
        for vendor in (
            sorted(vendors, key=lambda v: (criticality.rank(v.criticality), first.get(v.name, 10**6)))
            if continuing
            else vendors[:1]
        ):
            incident = self._incident(
                db, vendor, d, now, join_only=bool(continuing), alone=source_kind(source) in advisory.KINDS
            )
            if incident is not None:
                primary = vendor
                break
        if incident is None:
            return 0
        facts = ArticleFacts(
            d.item.title,
            d.item.link,
            source.name,
            d.published,
            d.item.summary,
            d.verdict.supply_chain,
            d.verdict.terms,
            leak_site=source.leak_site,
            page=source.page or "",
        )
        # Low-criticality reports wait for the daily digest (slack.digest: daily) instead of posting one by one.
        digest = (
            self.config.slack.digest == "daily" and kind == "article" and all(v.criticality == "low" for v in vendors)
        )
        aid = enqueue(
            self.store,
            db,
            kind="digest_item" if digest else kind,
            channel=route(self.config.slack, "digest_item" if digest else kind, primary.criticality),
            message=lambda alert_id: article_message(
                facts, matches, self.by_name, alert_id, incident, self.config.tz, self.config.slack.language, d.roles
            ),
            dedupe_key=f"{kind}:{article_id}",
            article_id=article_id,
            incident_id=incident.id,
            vendor=primary.name,
            state="held" if digest else "pending",
            reason=incident.reason,
        )
        return 1 if aid else 0

    def _queue_digest(self) -> None:
        """Once a day (after slack.digest_hour in the configured timezone), fold held low-criticality
        alerts into one message.

        Items held after the day's digest wait for the next day's. With the digest switched off,
        held alerts are released to go out one by one: nothing waits forever.
        """
        held = digest_store.held(self.store)
        if not held:
            return
        if self.config.slack.digest != "daily":
            with self.store.write() as db:
                digest_store.release_held(db)
            return
        # The digest hour and day are the team's (timezone:), not UTC's: 9 means 9 in Tokyo.
        now = clocks.utcnow().astimezone(self.config.tz)
        if now.hour < self.config.slack.digest_hour:
            return
        day = now.strftime("%Y-%m-%d")
        if digest_store.queued_on(self.store, day):
            return
        chunks = [held[k : k + DIGEST_MAX_ITEMS] for k in range(0, len(held), DIGEST_MAX_ITEMS)]
        with self.store.write() as db:
            for n, chunk in enumerate(chunks, 1):
                message = digest_message(
                    [(r["id"], r["vendor"], r["title"], r["link"], r["source"]) for r in chunk],
                    n,
                    len(chunks),
                    self.config.slack.language,
                )
                enqueue(
                    self.store,
                    db,
                    kind="digest",
                    channel=route(self.config.slack, "digest"),
                    message=message,
                    dedupe_key=f"digest:{day}:{n}",
                )
            digest_store.mark_digested(db, [r["id"] for r in held])

    # ------------------------------------------------------------------ source state and health

    def _record(self, db: Any, source: AnySource, state: SourceState, result: health.PollResult, now: datetime) -> None:
        """The poll's result on the source's row, and its health alert, as sources/health.py decides."""
        schedule = health.Schedule(
            source.url, source_kind(source), self.config.interval_for(source), self.config.health.failure_threshold
        )
        update, event = health.decide(state, result, now, schedule, random.random())
        if event is not None:
            enqueue(
                self.store,
                db,
                kind="health",
                channel=route(self.config.slack, "health"),
                message=health_message(
                    source.name,
                    source.url,
                    event.failures,
                    event.error,
                    recovered=event.kind == "recovered",
                    empty=event.kind == "empty",
                    before=event.before,
                    lang=self.config.slack.language,
                ),
                dedupe_key=f"health:{source.name}:{event.kind}:{iso(now)}",
            )
        self.store.save_source_state(db, source.name, **update.columns())
