"""`monitor sources check`: fetch and parse each source once; store nothing, alert nobody."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from ..config import Config
from ..errors import ConfigError, SourceError
from ..matching.vendors import Vendor
from . import fetch as fetchmod
from .notices import parse_source
from .parse import ParserPool, source_kind


def check_sources(cfg: Config, vendors: Sequence[Vendor] = ()) -> list[dict[str, Any]]:
    from .newsroom import nothing_to_watch, watches_nothing

    if watches_nothing(cfg, vendors):  # an empty check is no "ok": there is nothing to poll
        raise ConfigError(nothing_to_watch(cfg))
    lim = cfg.limits
    limits = fetchmod.Limits.of(lim)
    sources = list(cfg.sources)
    responses = asyncio.run(fetchmod.fetch_many([fetchmod.Request(s.url) for s in sources], limits))
    rows = []
    pool = ParserPool.shared(timeout=lim.parse_timeout, memory_mb=lim.parse_memory_mb)
    for s, r in zip(sources, responses, strict=True):
        row: dict[str, Any] = {
            "name": s.name,
            "type": source_kind(s),
            "url": s.url,
            "status": None,
            "items": 0,
            "newest": None,
            "error": None,
        }
        if isinstance(r, SourceError):
            row["status"] = getattr(r, "status", None)
            row["error"] = str(r)
        else:
            row["status"] = r.status
            try:
                parsed = pool.result(
                    pool.submit(parse_source, s, r.body, r.content_type, r.url, lim.max_items_per_source)
                )
                row["items"] = len(parsed.items)
                row["newest"] = max((i.published for i in parsed.items if i.published), default=None)
                if parsed.warning:
                    row["error"] = parsed.warning
                elif not parsed.items:
                    row["error"] = "no items parsed (check the selectors)"
            except SourceError as e:
                row["error"] = str(e)
        rows.append(row)
    return rows + newsroom_rows(cfg, vendors, pool)


def newsroom_rows(cfg: Config, vendors: Sequence[Vendor], pool: ParserPool) -> list[dict[str, Any]]:
    """What discovery makes of each vendors.csv newsroom now (nothing remembered or stored)."""
    from .newsroom import discover_pages, source_names

    polled = {s.url for s in cfg.sources}  # a page feeds.yaml already polls is not a newsroom as well
    named = [(name, url) for v in vendors for name, url in source_names(v) if url not in polled]
    if not named:
        return []
    found = discover_pages(
        [url for _, url in named], fetchmod.Limits.of(cfg.limits), pool, cfg.limits.max_items_per_source
    )
    return [
        {
            "name": name,
            "type": "newsroom",
            "url": url,
            "status": d.status,
            "items": d.items,
            "newest": d.newest,
            "error": d.error,
            "method": d.method,
            "poll_url": d.poll_url,
        }
        for (name, url), d in zip(named, found, strict=True)
    ]
