"""A fast reader for plain, well-formed RSS 2.0, RSS 1.0 and Atom feeds; feedparser reads all others.

feedparser spends ~160 us per item (a Python handler per tag, a FeedParserDict per entry), which on
feeds of short items was most of a poll's parsing CPU. Most feeds are plain: UTF-8, no DOCTYPE,
items made of the usual elements with text in them. lxml parses those in C, and this module reads
the fields parse.py makes an Item of, the way feedparser's strict (SAX) parser would: the same
stripping, URI joining, mojibake and cp1252 repairs, guid-as-link rule and date parser (feedparser's
own helpers, called directly).

`entries()` gives None for anything it does not read exactly as feedparser does: a charset feedparser
would override, a DOCTYPE (entity declarations never reach this parser: the
guard in parse.py runs first, and lxml is told not to resolve or fetch anything), xml:base, markup
or comments inside a field, an element in an item it does not know (media:title, say, which
feedparser would take as the title), a field given twice, a link with attributes, no items. The
caller then uses feedparser. tests/sources/test_fastfeed.py checks that both give the same Items on
feedparser's own test corpus and on captured real feeds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"

# Child elements of an item, by the entry key feedparser stores them under ("" = read for nothing
# parse.py uses, but known not to touch those fields).
_RSS2_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "summary",
    "guid": "id",
    "pubDate": "published",
    f"{_DC}date": "updated",
    f"{_CONTENT}encoded": "content",
    "category": "",
    "author": "",
    "comments": "",
    f"{_DC}creator": "",
    f"{_DC}subject": "",
}
_RSS1_FIELDS = {
    f"{_RSS1}title": "title",
    f"{_RSS1}link": "link",
    f"{_RSS1}description": "summary",
    f"{_DC}date": "updated",
    f"{_CONTENT}encoded": "content",
    f"{_DC}creator": "",
    f"{_DC}subject": "",
}
_ATOM_FIELDS = {
    f"{_ATOM}title": "title",
    f"{_ATOM}id": "id",
    f"{_ATOM}summary": "summary",
    f"{_ATOM}content": "content",
    f"{_ATOM}published": "published",
    f"{_ATOM}updated": "updated",
    f"{_ATOM}category": "",
    f"{_ATOM}author": "author",
}
_ATOM_PEOPLE = {f"{_ATOM}name", f"{_ATOM}email", f"{_ATOM}uri"}
_TEXT_TYPES = {None, "text", "html", "text/plain", "text/html"}

_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")  # a DOCTYPE or another declaration
_C1 = re.compile("[\x80-\x9f]")  # what feedparser maps from cp1252
_ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")


class _Unsure(Exception):
    """Something this reader does not handle exactly as feedparser: let feedparser read the feed."""


def entries(body: bytes, content_type: str) -> list[dict[str, Any]] | None:
    """The feed's entries as feedparser's strict parser gives the fields parse.py reads (title, link,
    id, summary, content, published(_parsed), updated(_parsed)), or None: use feedparser."""
    from feedparser.encodings import convert_to_utf8

    etree = _etree()
    if etree is None:
        return None
    result: dict[str, Any] = {}
    data = convert_to_utf8({"content-type": content_type}, body, result)
    if result.get("bozo"):
        return None  # feedparser overrides the declared charset, or finds the media type odd
    # Looked for in what feedparser parses (a UTF-16 body hides "<!DOCTYPE" from a byte search).
    if b"xml:base" in data or _DECLARATION.search(data):
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        return None
    try:
        return _read(root)
    except _Unsure:
        return None


_PARSER: Any = None
_NO_LXML = False


def _etree() -> Any:
    """lxml.etree, or None where it cannot be loaded: mapping its shared object takes address space a
    worker under a small limits.parse_memory_mb does not have (at 64 MB the import fails; preloaded in
    the fork server, it left the worker too little for SQLite). feedparser then reads every feed."""
    global _NO_LXML
    if _NO_LXML:
        return None
    try:
        from lxml import etree  # type: ignore[import-untyped]  # no stubs installed
    except (ImportError, MemoryError):
        _NO_LXML = True
        return None
    return etree


def _parser() -> Any:
    from lxml import etree

    global _PARSER
    if _PARSER is None:
        # Nothing resolved, loaded or fetched: a DTD never gets here (refused above), this is belt and braces.
        _PARSER = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=False,
            remove_pis=False,
        )
    return _PARSER


def _read(root: Any) -> list[dict[str, Any]]:
    read: Callable[[Any, dict[str, str]], dict[str, Any]]
    if root.tag == "rss":
        channels = [c for c in root if c.tag == "channel"]
        if len(channels) != 1:
            raise _Unsure
        items = [c for c in channels[0] if c.tag == "item"]
        fields, read = _RSS2_FIELDS, _rss_item
    elif root.tag == f"{_RDF}RDF":
        items = [c for c in root if c.tag == f"{_RSS1}item"]
        fields, read = _RSS1_FIELDS, _rss_item
    elif root.tag == f"{_ATOM}feed":
        items = [c for c in root if c.tag == f"{_ATOM}entry"]
        fields, read = _ATOM_FIELDS, _atom_entry
    else:
        raise _Unsure
    # feedparser starts an entry at an <item> or <entry> anywhere, at any depth, in any namespace.
    if not items or len(root.xpath("//*[local-name()='item' or local-name()='entry']")) != len(items):
        raise _Unsure
    return [read(item, fields) for item in items]


def _text(el: Any) -> str:
    """An element's text as feedparser's pop() returns it (strict parser, no sanitising)."""
    if len(el):  # child elements, comments or processing instructions: markup feedparser would keep
        raise _Unsure
    return _repair((el.text or "").strip())


def _repair(text: str) -> str:
    if text.isascii():  # both repairs leave ASCII as it is
        return text
    from feedparser.html import _cp1252

    try:  # UTF-8 that someone decoded as Latin-1 (feedparser's own repair)
        text = text.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return text.translate(_cp1252) if _C1.search(text) else text


def _uri(text: str) -> str:
    from feedparser.urls import _urljoin

    return str(_urljoin("", text))


def _content(el: Any) -> list[dict[str, str]]:
    return [{"value": _text(el)}]


def _check_item_attributes(item: Any, allowed: set[str]) -> None:
    if set(item.attrib) - allowed:  # CDF's href and lastmod on an item set its link and date
        raise _Unsure


def _rss_item(item: Any, fields: dict[str, str]) -> dict[str, Any]:
    _check_item_attributes(item, {f"{_RDF}about"})
    e: dict[str, Any] = {}
    about = item.get(f"{_RDF}about")
    if about:
        e["id"] = about
    seen: set[str] = set()
    for child in item:
        key = fields.get(child.tag) if isinstance(child.tag, str) else None
        if key is None or child.tag in seen:
            raise _Unsure
        seen.add(child.tag)
        if key == "title":
            _no_attributes(child)
            e["title"] = _text(child)
        elif key == "link":
            _no_attributes(child)
            e["link"] = _ENTITY_IN_LINK.sub(r"&\g<1>", _uri(_text(child)).replace("&amp;", "&"))
        elif key == "id":
            is_link = _guid_is_link(child)
            value = _text(child)
            e["id"] = _uri(value) if is_link else value
            if is_link:
                e.setdefault("link", e["id"])
        elif key == "summary":
            _no_attributes(child)
            e["summary"] = _text(child)
        elif key == "content":
            _no_attributes(child)
            e["content"] = _content(child)
        elif key in ("published", "updated"):
            _date(e, key, _text(child))
        elif len(child):  # a title nested in a category would be the item's title for feedparser
            raise _Unsure
    if "content" in e and "summary" in e:
        raise _Unsure  # which one feedparser calls the summary depends on their order
    if "content" in e:
        e["summary"] = e["content"][0]["value"]
    return e


def _guid_is_link(el: Any) -> bool:
    if any(k.lower() != "ispermalink" for k in el.attrib):
        raise _Unsure
    values = [v for k, v in el.attrib.items() if k.lower() == "ispermalink"]
    return not values or values[-1] == "true"


def _no_attributes(el: Any) -> None:
    if len(el.attrib):
        raise _Unsure


def _atom_entry(entry: Any, fields: dict[str, str]) -> dict[str, Any]:
    _check_item_attributes(entry, set())
    e: dict[str, Any] = {}
    seen: set[str] = set()
    alternate: str | None = None
    for child in entry:
        if not isinstance(child.tag, str):
            raise _Unsure  # a comment or processing instruction between fields
        if child.tag == f"{_ATOM}link":
            href = _atom_link(child)
            if href is not None:
                alternate = href
            continue
        key = fields.get(child.tag)
        if key is None or child.tag in seen:
            raise _Unsure
        seen.add(child.tag)
        if key in ("title", "summary", "content"):
            if set(child.attrib) - {"type"} or child.get("type") not in _TEXT_TYPES:
                raise _Unsure  # xhtml (markup), base64, out-of-line content
            value = _text(child)
            if key == "content":
                e["content"] = [{"value": value}]
            else:
                e[key] = value
        elif key == "id":
            _no_attributes(child)
            e["id"] = _uri(_text(child))
            e.setdefault("link", e["id"])
        elif key in ("published", "updated"):
            _no_attributes(child)
            _date(e, key, _text(child))
        elif key == "author":
            for part in child:
                if part.tag not in _ATOM_PEOPLE or len(part):
                    raise _Unsure
        elif len(child):
            raise _Unsure
    if alternate is not None:
        e["link"] = alternate  # the last alternate HTML link, wherever it stood (feedparser's rule)
    if "content" in e and "summary" in e:
        raise _Unsure
    if "content" in e:
        e["summary"] = e["content"][0]["value"]
    return e


def _atom_link(el: Any) -> str | None:
    """The href of an alternate HTML link; None for other links. Unsure of anything unusual."""
    if len(el) or (el.text or "").strip() or set(el.attrib) - {"rel", "type", "href", "hreflang", "title", "length"}:
        raise _Unsure
    href = el.get("href")
    if not href:
        raise _Unsure
    rel = el.get("rel", "alternate")
    kind = el.get("type", "text/html").lower()
    if rel == "alternate" and kind in ("text/html", "html", "application/xhtml+xml", "xhtml"):
        return _uri(href)
    return None


def _date(e: dict[str, Any], key: str, value: str) -> None:
    from feedparser.datetimes import _parse_date

    e[key] = value
    e[f"{key}_parsed"] = _parse_date(value)
