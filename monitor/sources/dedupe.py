"""Which fetched items are new: the dedupe keys, and which of them are stored already.

Pure: the caller passes in the lookup of stored keys (storage/article_store.known_keys on the main
process's connection, or on a worker's read-only one), so it runs in the parser workers beside
parsing and deciding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..normalize import fold

if TYPE_CHECKING:
    from .parse import Item

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref", "cmpid", "rss", "from")

# (item, link key, title key) of an item not stored yet
Fresh = tuple["Item", str, str]


def canonical_link(url: str) -> str:
    """A link identity stable across http/https, www., tracking parameters and trailing slashes."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        p = urlsplit(url)
        port_number = p.port
    except ValueError:  # a host urllib refuses (NFKC), an unclosed '[', a port past 65535
        return url
    if p.scheme.lower() not in ("http", "https"):
        return url
    host = (p.hostname or "").lower().removeprefix("www.")
    port = f":{port_number}" if port_number and port_number not in (80, 443) else ""
    query = p.query and urlencode(
        sorted((k, v) for k, v in parse_qsl(p.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING))
    )
    path = p.path.rstrip("/") or ""
    # Single-page-app routes (#/..., #!...) identify the page; other fragments do not.
    frag = p.fragment if p.fragment.startswith(("/", "!")) else ""
    return urlunsplit(("", host + port, path, query, frag)).lstrip("/")


def title_key(source: str, title: str, link_key: str) -> str:
    t = fold(title)
    # Short titles ("お知らせ", "Notice") repeat; they identify an article only together with the link.
    return f"{source}\x1f{t}" if len(t) >= 10 else f"{source}\x1f{t}\x1f{link_key}"


KnownKeys = Callable[[list[str], list[str]], tuple[set[str], set[str]]]


def new_items(source: str, items: Sequence[Item], shared_source: bool, known: KnownKeys) -> tuple[list[Fresh], bool]:
    """Items not stored yet, with their dedupe keys; and whether several items shared one link."""
    links = [canonical_link(i.link) for i in items]
    counts: dict[str, int] = {}
    for k in links:
        counts[k] = counts.get(k, 0) + 1
    # A link shared by several items (a leak-site group page) identifies none of them.
    candidates: list[Fresh] = []
    seen_keys: set[str] = set()
    for item, lk in zip(items, links, strict=True):
        if not lk or counts[lk] > 1 or shared_source:
            lk = ""
        tkey = title_key(source, item.title, lk)
        if tkey in seen_keys or (lk and lk in seen_keys):
            continue
        seen_keys.update({tkey, lk} - {""})
        candidates.append((item, lk, tkey))
    known_links, known_titles = known([c[1] for c in candidates if c[1]], [c[2] for c in candidates])
    fresh = [c for c in candidates if c[1] not in known_links and c[2] not in known_titles]
    return fresh, any(n > 1 for k, n in counts.items() if k)
