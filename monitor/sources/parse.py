"""Turn fetched bytes into Items: RSS/Atom (plain feeds by fastfeed.py, the rest by feedparser), HTML lists (CSS selectors),
JSON APIs (dotted paths), and linked article pages (HTML or PDF) into text.

Parsing runs in a pool of worker processes with a memory limit and a wall-clock
timeout per document: feedparser 6.0.x has a quadratic author-email regex and an
entity expansion path with no bound, and lxml/pypdf on hostile input are no better.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urljoin

from ..config import AnySource, HtmlSource, JsonSource
from ..errors import MonitorError, ParseError, SourceBug, UnsafeXML, describe
from ..records import Skipped, compact_pickle
from ..textutil import clip, decode, html_to_text, iso, parse_date, sane_date
from . import fastfeed

MAX_TITLE = 500
MAX_SUMMARY = 5_000
MAX_BODY = 100_000


@compact_pickle
@dataclass(frozen=True, slots=True)
class Item:
    title: str
    link: str
    guid: str = ""
    published: str | None = None  # ISO 8601 UTC, or None when the source gave none we could read
    summary: str = ""


@compact_pickle
@dataclass(frozen=True, slots=True)
class Parsed:
    items: tuple[Item, ...]
    warning: str | None = None  # e.g. a malformed feed recovered by the lenient parser
    skipped: Skipped = Skipped()  # items whose fields could not be read (a link no URL parser accepts)


# ---------------------------------------------------------------- guards (run in the parent)

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)


def refuse_entity_doctype(body: bytes) -> None:
    """Refuse a DOCTYPE that declares entities: expansion bombs and external entities (XXE)."""
    head = body[:1_000_000]
    m = _DOCTYPE.search(head)
    if not m:
        return
    end = head.find(b"]>", m.end())
    subset = head[m.end() : end if end >= 0 else len(head)]
    if _ENTITY.search(subset):
        raise UnsafeXML("feed declares XML entities in its DOCTYPE (refused: entity expansion / XXE risk)")
    # feedparser re-declares every <!ENTITY> it finds before the first element, wherever it sits
    # (after a "]>" inside a comment, say); its lenient parser then expands them without limit.
    first_element = _FIRST_ELEMENT.search(head)
    prolog = head[: first_element.start() if first_element else len(head)]
    if _ENTITY.search(prolog) or _expat_declares_entities(head):
        raise UnsafeXML("feed declares XML entities in its DOCTYPE (refused: entity expansion / XXE risk)")


_FIRST_ELEMENT = re.compile(rb"<\w")


class _PrologEnd(Exception):
    pass


def _expat_declares_entities(head: bytes) -> bool:
    """Ask expat itself (comments, quoted ']>' and all) whether the prolog declares an entity.
    Stops at the root element, so nothing is ever expanded or fetched."""
    from xml.parsers import expat

    found = []

    def entity(*_args: Any) -> None:
        found.append(True)
        raise _PrologEnd

    def root(*_args: Any) -> None:
        raise _PrologEnd

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        parser.Parse(head, True)
    except (_PrologEnd, expat.ExpatError, ValueError):
        pass
    return bool(found)


def feedparser_bytes(body: bytes, content_type: str) -> bytes:
    """The UTF-8 bytes feedparser will parse (it decodes UTF-16/32, declared and detected charsets first)."""
    from feedparser.encodings import convert_to_utf8

    utf8: bytes = convert_to_utf8({"content-type": content_type or "application/xml"}, body[:1_000_000], {})
    return utf8


# ---------------------------------------------------------------- workers (run in the pool)


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                year, month, day, hour, minute, second = t[:6]
                published = iso(sane_date(datetime(year, month, day, hour, minute, second, tzinfo=UTC)))
            except (TypeError, ValueError, OverflowError):
                continue
            if published:
                return published
    for key in ("published", "updated"):
        dt = parse_date(entry.get(key))
        if dt:
            return iso(dt)
    return None


def parse_feed(body: bytes, content_type: str, base_url: str, max_items: int) -> Parsed:
    import feedparser

    refuse_entity_doctype(body)
    # A UTF-16 or UTF-7 document hides "<!ENTITY" from a byte search: check what feedparser will see too.
    refuse_entity_doctype(feedparser_bytes(body, content_type))
    plain = fastfeed.entries(body, content_type or "application/xml")
    if plain is not None:  # a plain well-formed feed, read as feedparser would, at a fraction of its cost
        items, skipped = each_item(plain[:max_items], lambda e: _feed_item(e, base_url))
        return Parsed(items, None, skipped)
    # Bytes go in wrapped: feedparser.parse(bytes) first tries the body as a *path or URL*.
    d = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-type": content_type or "application/xml"},
        sanitize_html=False,  # we keep only text; the sanitiser is slow and not needed for that
        resolve_relative_uris=False,
    )
    entries = d.get("entries") or []
    bozo = d.get("bozo_exception")
    benign = type(bozo).__name__ in ("CharacterEncodingOverride", "NonXMLContentType")
    if not entries and bozo is not None and not benign:
        if not d.get("feed") or d.get("version", "") == "":
            raise ParseError(f"not a feed: {_bozo_text(bozo)}")
    if not entries and not d.get("version"):
        raise ParseError("not a feed (no RSS/Atom root element)")
    items, skipped = each_item(entries[:max_items], lambda e: _feed_item(e, base_url))
    if entries and not items and bozo is not None and not benign:
        raise ParseError(f"malformed feed with no complete item: {_bozo_text(bozo)}")
    warning = None if bozo is None or benign else f"malformed feed, recovered: {_bozo_text(bozo)}"
    return Parsed(items, warning, skipped)


def each_item(nodes: Iterable[Any], read: Callable[[Any], Item | None]) -> tuple[tuple[Item, ...], Skipped]:
    """Read each entry, row or node of a document on its own: one odd field costs that item, counted
    in Skipped, not the whole source (MemoryError is the worker's limit: it ends the parse)."""
    items: list[Item] = []
    skipped = Skipped()
    for node in nodes:
        try:
            item = read(node)
        except MemoryError:
            raise
        except Exception as error:
            skipped = skipped.add(error)
            continue
        if item is not None:
            items.append(item)
    return tuple(items), skipped


def _feed_item(e: Any, base_url: str) -> Item | None:
    link = (e.get("link") or "").strip()
    if link:
        link = join_link(base_url, link)
    summary = e.get("summary") or ""
    if not summary and e.get("content"):
        summary = e["content"][0].get("value", "")
    title = clip(html_to_text(e.get("title") or ""), MAX_TITLE)
    if not title and not link:
        return None  # a fragment (a feed cut off mid-item): nothing to show or to dedupe on
    return Item(
        title=title,
        link=clip(link, 2000),
        guid=clip((e.get("id") or "").strip(), 1000),
        published=_entry_date(e),
        summary=clip(html_to_text(summary[: MAX_SUMMARY * 4]), MAX_SUMMARY),
    )


def join_link(base: str, link: str) -> str:
    """The item's link resolved against the page; as given when urllib refuses to split it (a host
    that NFKC-normalises to contain ':' as in `example.com：80`, an unclosed '['). The report is kept:
    later stages read such a link as no link (no domain match, no Slack link, never fetched)."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link


def _bozo_text(exc: BaseException) -> str:
    return clip(f"{type(exc).__name__}: {exc}".replace("\n", " "), 200)


_WHITESPACE = re.compile(r"\s")


def _soup(text: str, class_lists: bool = True) -> Any:
    """The page's tree (lxml). class_lists=False keeps `class` one string, as written: bs4 splits it into
    a list on every tag otherwise (a tenth of a newsroom page's parse), which only CSS selectors need."""
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

    # Sites serve XHTML and odd fragments as text/html; bs4's advice about that is noise in our logs.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        if class_lists:
            return BeautifulSoup(text, "lxml")
        return BeautifulSoup(text, "lxml", multi_valued_attributes=None)


def _select_value(node: Any, spec: str | None, base_url: str) -> str:
    """'a' -> text of the first match; 'a@href' -> its attribute; '@href' -> node's own attribute."""
    if not spec:
        return ""
    selector, _, attr = spec.partition("@")
    target = node.select_one(selector) if selector.strip() else node
    if target is None:
        return ""
    if attr:
        value = target.get(attr.strip()) or ""
        if isinstance(value, list):
            value = " ".join(value)
        if attr.strip() in ("href", "src"):
            # Hand-made CMS pages leave spaces inside hrefs; browsers send them percent-encoded.
            return join_link(base_url, _WHITESPACE.sub(lambda m: quote(m.group()), value.strip()))
        return value.strip()
    return " ".join(target.get_text(" ", strip=True).split())


def parse_html_list(
    body: bytes, content_type: str, base_url: str, spec: dict[str, str | None], max_items: int
) -> Parsed:
    soup = _soup(decode(body, content_type, is_html=True))
    base_tag = soup.find("base", href=True)
    base = base_url
    if base_tag:
        try:
            base = urljoin(base_url, str(base_tag["href"]))
        except ValueError:  # a <base> urllib refuses: links resolve against the page's own URL
            pass
    items, skipped = each_item(soup.select(spec["item"] or "")[:max_items], lambda node: _html_item(node, spec, base))
    return Parsed(items, nothing_matched(soup, spec, len(items) + skipped.count), skipped)


def nothing_matched(soup: Any, spec: dict[str, str | None], found: int) -> str | None:
    """A page that gives no item is a wrong selector (or a redesign), not a quiet day: say which."""
    if found:
        return None
    nodes = len(soup.select(spec["item"] or ""))
    if not nodes:
        return f"selectors matched nothing: item selector {spec['item']!r} found no element (check the selectors)"
    return (
        f"selectors matched nothing: {nodes} elements matched {spec['item']!r} but none gave a title "
        "(check the title and link selectors)"
    )


def _html_item(node: Any, spec: dict[str, str | None], base: str) -> Item | None:
    title = _select_value(node, spec.get("title"), base)
    if not title:
        return None
    link = _select_value(node, spec.get("link"), base) if spec.get("link") else ""
    date = parse_date(_select_value(node, spec.get("date"), base)) if spec.get("date") else None
    summary = _select_value(node, spec.get("summary"), base) if spec.get("summary") else ""
    return Item(
        title=clip(title, MAX_TITLE),
        link=clip(link, 2000),
        guid="",
        published=iso(date),
        summary=clip(summary, MAX_SUMMARY),
    )


def _path(obj: Any, dotted: str | None) -> Any:
    if not dotted:
        return obj
    for part in dotted.split("."):
        if isinstance(obj, dict):
            obj = obj.get(part)
        elif isinstance(obj, list) and part.lstrip("-").isdigit():
            idx = int(part)
            obj = obj[idx] if -len(obj) <= idx < len(obj) else None
        else:
            return None
    return obj


def _scalar(v: Any) -> str:
    if v is None or isinstance(v, (dict, list)):
        return ""
    return str(v).strip()


def _field(row: Any, spec: str | None) -> str:
    """'victim|post_title': the first alternative with a non-empty value (APIs rename fields);
    'description+domain': the non-empty values of several paths, joined."""
    for alternative in (spec or "").split("|"):
        parts = [_scalar(_path(row, p.strip())) for p in alternative.split("+") if p.strip()]
        value = "\n".join(p for p in parts if p)
        if value:
            return value
    return ""


def parse_json_api(
    body: bytes, content_type: str, base_url: str, spec: dict[str, str | None], max_items: int
) -> Parsed:
    try:
        data = json.loads(decode(body, content_type, is_html=False))
    except (ValueError, RecursionError) as e:
        raise ParseError(f"not JSON: {clip(str(e), 150)}") from e
    rows = _path(data, spec.get("items"))
    if not isinstance(rows, list):
        where = spec.get("items") or "(top level)"
        raise ParseError(f"JSON path {where!r} is not a list")
    rows = [row for row in rows[:max_items] if isinstance(row, dict)]
    items, skipped = each_item(rows, lambda row: _json_item(row, spec, base_url))
    return Parsed(items, skipped=skipped)


def _json_item(row: dict[str, Any], spec: dict[str, str | None], base_url: str) -> Item | None:
    title = html_to_text(_field(row, spec["title"]))
    if not title:
        return None
    link = _field(row, spec.get("link"))
    if link:
        link = join_link(base_url, link)
    date = parse_date(_field(row, spec.get("date")))
    summary = html_to_text(_field(row, spec.get("summary")))
    return Item(
        title=clip(title, MAX_TITLE),
        link=clip(link, 2000),
        guid="",
        published=iso(date),
        summary=clip(summary, MAX_SUMMARY),
    )


_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "template")


def extract_article(body: bytes, content_type: str) -> str:
    """Main text of a linked notice: HTML (navigation and scripts dropped) or PDF."""
    try:
        if body[:5] == b"%PDF-" or "pdf" in (content_type or "").lower():
            return _pdf_text(body)
        return _html_text(_without_scripts(body), content_type)
    finally:
        # Only after a large body: gc.collect() and malloc_trim cost ~70 ms a call, more than reading
        # a small notice (the newsroom bench's first poll spent most of its linked-notice time there).
        if len(body) >= _GIVE_BACK_FROM:
            _give_back_memory()


_GIVE_BACK_FROM = 256 * 1024


def _html_text(body: bytes, content_type: str) -> str:
    soup = _soup(decode(body, content_type, is_html=True))
    for tag in soup(_NOISE):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    text = root.get_text("\n", strip=True)
    return clip(f"{title}\n{text}".strip(), MAX_BODY)


def _without_scripts(body: bytes) -> bytes:
    """The page without the contents of its <script> and <style> elements (dropped as noise anyway),
    before parsing: inline scripts are what makes most notice pages megabytes long, and lxml's tree of
    them was most of a worker's memory. One pass with find(), so unclosed tags cost nothing extra."""
    low = body.lower()
    if b"<script" not in low and b"<style" not in low:
        return body
    out, at = [], 0
    while True:
        starts = [i for i in (low.find(b"<script", at), low.find(b"<style", at)) if i >= 0]
        if not starts:
            break
        start = min(starts)
        tag = b"</script" if low.startswith(b"<script", start) else b"</style"
        end = low.find(tag, start)
        if end < 0:
            break
        out.append(body[at:start])
        at = end + len(tag)
        close = low.find(b">", at)
        at = len(body) if close < 0 else close + 1
    out.append(body[at:])
    return b"".join(out)


def _give_back_memory() -> None:
    """Return the heap a large notice used to the system (glibc keeps it otherwise, and a worker that
    had read a few 5 MB pages stayed 50 MB larger than after reading one)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(body))
        parts = []
        for page in reader.pages[:50]:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_BODY:
                break
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise ParseError(f"unreadable PDF: {clip(str(e), 150)}") from e
    except MemoryError:
        raise
    except Exception as e:  # pypdf on hostile input raises anything (NotImplementedError, IndexError, ...)
        raise ParseError(f"unreadable PDF: {describe(e, 150)}") from e
    return clip("\n".join(parts).strip(), MAX_BODY)


def source_kind(source: AnySource) -> str:
    """feed (rss and atom too), html, json, kev, jvn or newsroom: which parser reads the source."""
    return source.type if source.type in ("html", "json", "kev", "jvn", "newsroom") else "feed"


def parser_spec(source: AnySource) -> dict[str, str | None]:
    """The selectors (html) or field paths (json) of the source; {} for a feed."""
    if isinstance(source, HtmlSource):
        return {
            "item": source.item,
            "title": source.title,
            "link": source.link,
            "date": source.date,
            "summary": source.summary,
        }
    if isinstance(source, JsonSource):
        return {
            "items": source.items,
            "title": source.title,
            "link": source.link,
            "date": source.date,
            "summary": source.summary,
        }
    return {}


def parse_source(source: AnySource, body: bytes, content_type: str, base_url: str, max_items: int) -> Parsed:
    """The source's fetched body read by its parser. The source model itself crosses to the worker
    (a few hundred bytes pickled, about 10 us): its type says which parser, its fields which selectors."""
    return run_parser(source_kind(source), body, content_type, base_url, parser_spec(source), max_items)


def run_parser(
    kind: str, body: bytes, content_type: str, base_url: str, spec: dict[str, str | None], max_items: int
) -> Parsed:
    if kind == "html":
        return parse_html_list(body, content_type, base_url, spec, max_items)
    if kind == "json":
        return parse_json_api(body, content_type, base_url, spec, max_items)
    return parse_feed(body, content_type, base_url, max_items)


# ---------------------------------------------------------------- the pool


def _give_back_free_memory() -> None:
    """Return to the system the free heap a worker inherits from the fork server, before its limit.

    The limit is on address space, and the fork server's heap holds the garbage of compiling every
    preloaded module when there is no bytecode (PYTHONDONTWRITEBYTECODE, an editable install): ~0.3 MB
    that a worker under `parse_memory_mb: 64` needs for its SQLite and XML reader (measured: a worker
    started 65.3 of its 65.5 MB in and failed with "No parsers found"; 65.0 after this). Not gc.collect():
    it would write to every object shared with the server, and copy those pages into each worker."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim this way
        pass


def _limit_memory(megabytes: int) -> None:
    """Worker set-up: an address-space limit, and Ctrl-C left to the main process.

    A Ctrl-C in a terminal goes to the whole process group; the daemon finishes its cycle on
    SIGINT, so a worker must not die of it mid-parse (that cycle recorded parse failures)."""
    import resource
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _give_back_free_memory()
    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    import feedparser  # noqa: F401  (warm the worker once)


# Workers fork from the server with the parsing and deciding code already imported, instead of each
# importing it on its first task.
FORKSERVER_PRELOAD = [
    "feedparser",
    "monitor.pipeline.workers",
    "monitor.matching.detect",
    "monitor.matching.matcher",
    "monitor.matching.roles",
]


def start_forkserver() -> None:
    """Start the process the parser workers fork from, without waiting for it.

    `monitor run` calls it first thing when some source cannot be fetched conditionally (so it will
    send a body to parse): the server imports the parsing and deciding code on the second core while
    this process imports its own and reads vendors.csv, and the workers are ready when the first
    feeds arrive instead of ~0.3 s later. Otherwise the pool starts it on first use, as a cycle of
    304s would not use it and its imports would compete with the fetching. It exits with this process."""
    import multiprocessing
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
    forkserver.ensure_running()


class ParserPool:
    """Worker processes for parsing; a document that runs too long or too large kills its worker only."""

    _shared: ParserPool | None = None

    @classmethod
    def shared(cls, timeout: float = 15.0, memory_mb: int = 512) -> ParserPool:
        """One pool per process (starting workers costs more than a small poll)."""
        pool = cls._shared
        if pool is None or pool.timeout != timeout or pool.memory_mb != memory_mb:
            if pool is not None:
                pool.close()
            pool = cls._shared = cls(workers=2, timeout=timeout, memory_mb=memory_mb)
            import atexit

            atexit.register(pool.close)
        return pool

    def __init__(self, workers: int = 2, timeout: float = 15.0, memory_mb: int = 512):
        import multiprocessing

        from pebble import ProcessPool

        self.timeout = timeout
        self.memory_mb = memory_mb
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(FORKSERVER_PRELOAD)  # no effect once the server runs (start_forkserver)
        self._pool = ProcessPool(max_workers=workers, initializer=_limit_memory, initargs=(memory_mb,), context=context)
        self._shutdown: threading.Thread | None = None

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        return self._pool.schedule(fn, args=args, timeout=self.timeout)

    def result(self, future: Future[Any]) -> Any:
        """The parse result, or ParseError for timeouts, crashes and memory exhaustion, or SourceBug
        for any other exception the task raised (with the worker's traceback as its cause)."""
        from pebble import ProcessExpired

        try:
            return future.result()
        except MonitorError:
            raise
        except FutureTimeout as e:
            raise ParseError(f"parsing took longer than {self.timeout:g}s (stopped)") from e
        except MemoryError as e:
            raise ParseError("parsing needed more memory than allowed (stopped)") from e
        except ProcessExpired as e:
            raise ParseError(f"parser process died (exit code {e.exitcode})") from e
        except RecursionError as e:
            raise ParseError("document nested too deeply") from e
        except Exception as e:
            raise SourceBug(e) from e

    def close_in_background(self) -> None:
        """Start closing while this process goes on with other work (a one-shot run's delivery):
        pebble's shutdown mostly waits, for its manager threads to notice the stop at their 0.1 s tick."""
        if ParserPool._shared is self:
            ParserPool._shared = None
        if self._shutdown is None:
            self._shutdown = threading.Thread(target=self._shut_down, name="parser-pool-shutdown")
            self._shutdown.start()

    def close(self) -> None:
        """Stop the workers and wait until they have exited."""
        self.close_in_background()
        assert self._shutdown is not None
        self._shutdown.join()

    def _shut_down(self) -> None:
        self._pool.stop()  # type: ignore[no-untyped-call]  # pebble leaves stop() unannotated
        # pebble closes its channels, unlinking their semaphores, before it stops the workers: a worker
        # still starting up (a short run on a busy machine) then fails to open them and prints a
        # traceback after the run's output. Stop the workers first, once no new one can be started.
        # (pebble internals, read defensively: without them this is pebble's own order.)
        manager_loop = getattr(self._pool, "_pool_manager_loop", None)
        if manager_loop is not None:
            manager_loop.join(5)  # stop() ends it at its next tick; it replaces workers that exit
        manager = getattr(self._pool, "_pool_manager", None)
        workers = list(getattr(getattr(manager, "worker_manager", None), "workers", {}).values())
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(5)
        self._pool.join(timeout=5)

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
