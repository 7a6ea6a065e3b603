"""Content-Encoding is decoded by monitor itself, with the size cap applied to every step's output."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib

import pytest

from monitor.errors import FetchError, TooLarge
from monitor.sources.fetch import Limits, Request, fetch_many

FEED = b"<rss version='2.0'><channel><title>t</title></channel></rss>" * 50


def _get(url: str, max_bytes: int = 1 << 20):  # type: ignore[no-untyped-def]
    (result,) = asyncio.run(fetch_many([Request(url)], Limits(deadline=10, max_bytes=max_bytes)))
    return result


@pytest.mark.parametrize(
    "encoding, body",
    [
        ("gzip", gzip.compress(FEED)),
        ("deflate", zlib.compress(FEED)),  # RFC 9110: zlib-wrapped
        ("deflate", zlib.compress(FEED)[2:-4]),  # what some servers send: raw deflate
        ("identity", FEED),
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw", "identity"],
)
def test_encoded_bodies_are_decoded(httpserver, encoding, body):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/f").respond_with_data(body, headers={"Content-Encoding": encoding})
    assert _get(httpserver.url_for("/f")).body == FEED


def test_gzip_bomb_is_stopped_without_inflating_it(httpserver):  # type: ignore[no-untyped-def]
    bomb = gzip.compress(b"\0" * (200 << 20))  # 200 MiB of zeros in ~200 KB
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        result = _get(httpserver.url_for("/bomb"), max_bytes=1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(result, TooLarge)
    assert peak < 16 << 20, f"peak {peak >> 20} MiB while refusing a 1 MiB cap"


@pytest.mark.parametrize(
    "encoding, body, message",
    [
        ("br", b"\x0b\x02\x80hello\x03", "unsupported Content-Encoding 'br'"),
        ("gzip", b"\x1f\x8b\x08\x00garbage-not-gzip", "corrupt gzip body"),
    ],
)
def test_bad_encodings_are_source_errors(httpserver, encoding, body, message):  # type: ignore[no-untyped-def]
    httpserver.expect_request("/x").respond_with_data(body, headers={"Content-Encoding": encoding})
    result = _get(httpserver.url_for("/x"))
    assert isinstance(result, FetchError) and message in str(result)
