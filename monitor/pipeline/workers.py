"""The deciding stage: breach verdict, vendor matches and whether to alert, for new items.

`decide()` does no I/O. The worker tasks around it read two things: the prebuilt Matcher from its
cache file, and (parse_and_decide) which dedupe keys are stored already, through a read-only
connection. They run in the parser worker processes, one task per source, so that parsing,
detection and matching use both cores while the main process fetches and stores. The Matcher is
built once per vendors.csv (and per version of the matching code), pickled beside the database,
and loaded once per worker.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..config import AnySource
from ..matching.vendors import Vendor
from ..records import Skipped, compact_pickle
from ..sources import advisory as advisories
from ..sources.dedupe import Fresh, KnownKeys, new_items
from ..sources.notices import parse_source, read_advisories
from ..sources.parse import Item, Parsed, source_kind
from ..storage import filecache
from ..storage.article_store import known_keys
from ..storage.store import read_only
from ..textutil import iso, parse_iso

if TYPE_CHECKING:
    from ..matching.detect import Verdict
    from ..matching.matcher import Match, Matcher
    from ..matching.roles import RoleOf
    from ..matching.vendor_field import VendorNames


@compact_pickle
@dataclass(frozen=True, slots=True)
class Decision:
    """What the pure stage decided for one new item."""

    item: Item
    link_key: str
    tkey: str
    published: str
    body: str
    verdict: Verdict
    matches: tuple[Match, ...]  # every vendor the text names (stored, searchable)
    subjects: tuple[Match, ...]  # the ones the breach report is about: alerted, routed, threaded
    roles: tuple[RoleOf, ...] = ()  # each match's role (matching/roles.py), stored with it

    @property
    def alert(self) -> bool:
        return bool(self.subjects)


@dataclass(frozen=True, slots=True)
class MatcherRef:
    """Where a worker finds the Matcher: a pickle named by the hash of what it was built from."""

    path: str
    key: str


@compact_pickle
@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """What the store needs to know of a source's parse, beyond its new items."""

    items: int
    newest: str | None
    warning: str | None
    shared_links: bool  # several items of this fetch shared one link
    skipped: Skipped = Skipped()  # items left out because reading or deciding them raised

    @classmethod
    def of(cls, parsed: Parsed, shared_links: bool) -> ParseOutcome:
        return cls(
            len(parsed.items),
            max((i.published for i in parsed.items if i.published), default=None),
            parsed.warning,
            shared_links,
            parsed.skipped,
        )

    def plus(self, skipped: Skipped) -> ParseOutcome:
        return replace(self, skipped=self.skipped + skipped) if skipped.count else self


@compact_pickle
@dataclass(frozen=True, slots=True)
class Decided:
    """A deciding task's answer: the decisions, the items left out because deciding them raised, and,
    when the same task parsed the source (parse_and_decide), what the parse gave."""

    decisions: list[Decision]
    skipped: Skipped = Skipped()
    parsed: ParseOutcome | None = None


def decide(
    matcher: Matcher, assume_breach: bool, fresh: Sequence[Fresh], bodies: dict[str, str], now: datetime
) -> tuple[list[Decision], Skipped]:
    """fresh: (item, link key, title key) of items not stored yet; bodies: linked notice text by link.

    An item whose deciding raises is left out and counted, not its whole source."""
    # Imported here, not with this module: the main process imports this module for a run with nothing
    # new, and the matching modules compile their patterns as they load (the forkserver preloads them).
    from ..matching.detect import assess
    from ..matching.roles import alerted_matches, assign

    out = []
    skipped = Skipped()
    for item, lk, tkey in fresh:
        try:
            out.append(
                _decide_one(
                    matcher,
                    assume_breach,
                    item,
                    lk,
                    tkey,
                    bodies.get(item.link, ""),
                    now,
                    assess,
                    assign,
                    alerted_matches,
                )
            )
        except MemoryError:
            raise
        except Exception as error:
            skipped = skipped.add(error)
    # Feeds list the newest first. Stored in that order on a fresh database, a 再発防止策 follow-up
    # opened the incident's thread and the original report became its reply: oldest first instead
    # (a stable sort, so items of one date keep the feed's order).
    out.sort(key=lambda d: d.published)
    return out, skipped


def _published(item: Item, now: datetime) -> str:
    pub_dt = parse_iso(item.published)
    if item.published is None or pub_dt is None or pub_dt > now + timedelta(days=1):
        return iso(now) or ""  # missing, unreadable or future dates: keep the item, use fetch time
    return item.published


def _decide_one(
    matcher: Matcher,
    assume_breach: bool,
    item: Item,
    lk: str,
    tkey: str,
    body: str,
    now: datetime,
    assess: Callable[..., Verdict],
    assign_roles: Callable[..., tuple[RoleOf, ...]],
    alerted_matches: Callable[[Sequence[Match], Sequence[RoleOf]], tuple[Match, ...]],
) -> Decision:
    published = _published(item, now)
    # The same string as match() folds, when there is no body, so fold()'s cache serves both.
    text = f"{item.summary}\n{body}" if body else item.summary
    verdict = assess(item.title, text, assume_breach=assume_breach)
    matches = tuple(matcher.match({"title": item.title, "summary": item.summary, "body": body}, item.link))
    # A vendor cited as the reporter ("according to Okta researchers") is named but not alerted:
    # routing and incidents follow the subjects only. Of those, a vendor only mentioned (a platform the
    # data was posted on, a parent in an aside) is not alerted either; its product exploited is.
    roles = assign_roles(matches, item.title, text, verdict.breach, verdict.subjects(matches, item.title, text))
    return Decision(item, lk, tkey, published, body, verdict, matches, alerted_matches(matches, roles), roles)


# ---------------------------------------------------------------------- the Matcher cache

_CODE = ("matching/matcher.py", "normalize.py", "matching/vendors.py")


def matcher_key(vendors: Sequence[Vendor]) -> str:
    """Changes when the register or the matching code changes."""
    from ..matching.matcher import Matcher  # called when there are items to decide, never by a re-poll

    h = hashlib.sha256()
    here = Path(__file__).parents[1]
    for name in _CODE:
        h.update((here / name).read_bytes())
    # The pickle names the classes by module path: a cache written before a module moved must not match.
    h.update(f"{Matcher.__module__} {Vendor.__module__}".encode())
    h.update(pickle.dumps(list(map(attrgetter(*Vendor.__slots__), vendors)), protocol=4))
    return h.hexdigest()[:24]


def prepare_matcher(vendors: Sequence[Vendor], database: Path) -> tuple[MatcherRef, Matcher | None]:
    """Make sure the cache file for this register exists. Returns its ref, and the Matcher if built now."""
    key = matcher_key(vendors)
    path = filecache.cache_path(database, "matcher", key)
    if filecache.usable(path):
        return MatcherRef(str(path), key), None
    from ..matching.matcher import Matcher

    matcher = Matcher(vendors)
    filecache.store(path, key, matcher)
    return MatcherRef(str(path), key), matcher


T = TypeVar("T")
_IN_PROCESS: dict[str, tuple[str, object]] = {}  # kind of cache -> (its key, the object loaded)


def _load_once(ref: MatcherRef, kind: type[T]) -> T:
    """The object cached at `ref`, loaded once per process (the one of its kind loaded before is dropped:
    a register edited while the daemon runs gives a new key)."""
    held = _IN_PROCESS.get(kind.__name__)
    if held is not None and held[0] == ref.key and isinstance(held[1], kind):
        return held[1]
    loaded = filecache.load(Path(ref.path), ref.key)
    if not isinstance(loaded, kind):
        raise RuntimeError(f"{kind.__name__} cache {ref.path} is missing or does not hold key {ref.key}")
    _IN_PROCESS[kind.__name__] = (ref.key, loaded)
    return loaded


def load_matcher(ref: MatcherRef) -> Matcher:
    from ..matching.matcher import Matcher

    return _load_once(ref, Matcher)


def decide_in_worker(
    ref: MatcherRef, assume_breach: bool, fresh: Sequence[Fresh], bodies: dict[str, str], now: datetime
) -> Decided:
    """Deciding the new items of a source this process parsed (fetch_article: with their notices)."""
    decisions, skipped = decide(load_matcher(ref), assume_breach, fresh, bodies, now)
    return Decided(decisions, skipped)


_READERS: dict[str, sqlite3.Connection] = {}


def _reader(database: str) -> sqlite3.Connection:
    """A read-only connection per worker process, for the dedupe lookups."""
    conn = _READERS.get(database)
    if conn is None:
        conn = _READERS[database] = read_only(database)
    return conn


def parse_and_decide(
    source: AnySource,
    body: bytes,
    content_type: str,
    url: str,
    max_items: int,
    shared_source: bool,
    database: str,
    ref: MatcherRef,
    now: datetime,
) -> Decided:
    """A source's whole pure stage in one worker task: parse, drop what is stored, decide the rest.

    One trip to the worker and back per source: the items cross the process boundary once, with
    their decisions, instead of three times. An advisory source (kev, jvn) passes the ref of its
    VendorNames (prepare_names) instead of the Matcher's."""

    def known(links: list[str], titles: list[str]) -> tuple[set[str], set[str]]:
        return known_keys(_reader(database), links, titles)

    if source_kind(source) in advisories.KINDS:
        return _advisories(
            source, read_advisories(source, body, content_type, url, max_items), shared_source, known, ref, now
        )
    parsed = parse_source(source, body, content_type, url, max_items)
    fresh, shared = new_items(source.name, parsed.items, shared_source, known)
    decisions, skipped = decide(load_matcher(ref), source.assume_breach, fresh, {}, now) if fresh else ([], Skipped())
    return Decided(decisions, skipped, ParseOutcome.of(parsed, shared))


# ---------------------------------------------------------------------- advisory sources (kev, jvn)


def prepare_names(vendors: Sequence[Vendor], database: Path) -> MatcherRef:
    """The register's VendorNames (matching/vendor_field.py) cached beside the database, as the Matcher."""
    h = hashlib.sha256(matcher_key(vendors).encode())
    h.update((Path(__file__).parents[1] / "matching" / "vendor_field.py").read_bytes())
    key = h.hexdigest()[:24]
    path = filecache.cache_path(database, "vendornames", key)
    if not filecache.usable(path):
        from ..matching.vendor_field import VendorNames

        filecache.store(path, key, VendorNames(vendors))
    return MatcherRef(str(path), key)


def load_names(ref: MatcherRef) -> VendorNames:
    from ..matching.vendor_field import VendorNames

    return _load_once(ref, VendorNames)


def decide_advisories(
    names: VendorNames,
    entries: Sequence[advisories.Advisory],
    fresh: Sequence[Fresh],
    min_score: float | None,
    now: datetime,
) -> list[Decision]:
    """Each new entry's vendors, found by the field that names them (never by its text), with role
    product; alerted unless its CVSS score is under min_score (None: every entry alerts)."""
    from ..matching.detect import Verdict
    from ..matching.matcher import Match
    from ..matching.roles import RoleOf

    not_news = Verdict(breach=False, score=0.0, terms=(), supply_chain=False, follow_up=False)
    by_item = {a.item: a for a in entries}
    out = []
    for item, lk, tkey in fresh:
        a = by_item[item]
        matches = tuple(
            Match(
                vendor=f.vendor,
                matched=f.matched,
                how=f.how,
                field=a.field,
                surface=f.surface,
                start=-1,
                end=-1,
                score=100.0,
            )
            for f in names.resolve(a.vendors)
        )
        alert = min_score is None or (a.score is not None and a.score >= min_score)
        reason = a.reason if alert else f"{a.reason}; under min_cvss {min_score:g}, not alerted"
        roles = tuple(RoleOf(m.vendor, "product", reason) for m in matches)
        out.append(
            Decision(item, lk, tkey, _published(item, now), "", not_news, matches, matches if alert else (), roles)
        )
    out.sort(key=lambda d: d.published)
    return out


def _advisories(
    source: AnySource,
    read: advisories.Advisories,
    shared_source: bool,
    known: KnownKeys,
    ref: MatcherRef,
    now: datetime,
) -> Decided:
    parsed = read.parsed()
    fresh, shared = new_items(source.name, parsed.items, shared_source, known)
    min_score = getattr(source, "min_cvss", None)
    decisions = decide_advisories(load_names(ref), read.entries, fresh, min_score, now) if fresh else []
    return Decided(decisions, Skipped(), ParseOutcome.of(parsed, shared))
