"""The fast reader of plain feeds (monitor/sources/fastfeed.py) must give exactly the Items feedparser
gives, and leave to feedparser every feed it cannot read that way.

Each test parses the same bytes twice through parse.parse_feed: as monitor does (fast reader first)
and with the fast reader switched off (feedparser alone), and compares the Items."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from conftest import Entry, atom, rdf, rss2, shared_data

from monitor.errors import MonitorError
from monitor.sources import fastfeed, parse

BASE = "https://news.example.com/feed/"


def both(body: bytes, content_type: str = "application/rss+xml; charset=utf-8") -> tuple[object, object]:
    """(monitor's parse, feedparser's parse) of body: Parsed, or the error's type name."""

    def once() -> object:
        try:
            return parse.parse_feed(body, content_type, BASE, 500)
        except MonitorError as e:
            return type(e).__name__

    fast = once()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(fastfeed, "entries", lambda *_: None)
        slow = once()
    return fast, slow


ENTRIES = [
    Entry(
        "Acme Corp discloses data breach &amp; ransomware",
        "https://news.example.com/a?x=1&utm_source=rss",
        "Attackers stole <b>customer</b> records &lt;script&gt;",
        "guid-1",
        datetime(2025, 5, 28, 15, 11, tzinfo=UTC),
    ),
    Entry(
        "株式会社サンプルに不正アクセス、個人情報が漏えいした恐れ",
        "/relative/2",
        "フィッシング　攻撃の被害",
        None,
        datetime(2025, 5, 27, 9, 7, tzinfo=UTC),
    ),
    Entry("  spaced   title  ", "https://news.example.com/c", "", "https://news.example.com/c", None),
]


@pytest.mark.parametrize("build", [rss2, rdf, atom])
def test_plain_feeds_are_read_fast_and_identically(build):
    body = build(ENTRIES)
    assert fastfeed.entries(body, "application/xml") is not None  # the fast reader takes them
    fast, slow = both(body)
    assert isinstance(fast, parse.Parsed) and fast.items
    assert fast == slow


PLAIN = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    b"<item><title>Acme breach</title><link>https://news.example.com/1</link>"
    b"<description>Acme was breached.</description><pubDate>Wed, 28 May 2025 15:11:00 +0000</pubDate>"
    b"</item></channel></rss>"
)


@pytest.mark.parametrize(
    "name, edit",
    [
        # entity declarations (refused before any parser runs) and other declarations
        ("doctype", lambda b: b.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY x "Other">]><rss', 1)),
        ("undefined entity", lambda b: b.replace(b"Acme breach", b"Acme&nbsp;breach")),
        ("xml:base", lambda b: b.replace(b"<item>", b'<item xml:base="https://elsewhere.example/">')),
        # fields feedparser reads differently from their plain text
        (
            "media:title",
            lambda b: b.replace(b"<rss ", b'<rss xmlns:media="http://search.yahoo.com/mrss/" ').replace(
                b"<title>Acme breach</title>", b"<media:title>Other Corp breach</media:title>"
            ),
        ),
        ("markup in title", lambda b: b.replace(b"Acme breach", b"Acme <b>breach</b>")),
        ("comment in title", lambda b: b.replace(b"Acme breach", b"Acme <!-- x --> breach")),
        ("two descriptions", lambda b: b.replace(b"</item>", b"<description>second</description></item>")),
        ("cdf href on item", lambda b: b.replace(b"<item>", b'<item href="https://other.example/">')),
        (
            "guid not a permalink",
            lambda b: b.replace(
                b"<link>https://news.example.com/1</link>",
                b'<guid isPermaLink="false">https://news.example.com/1</guid>',
            ),
        ),
        (
            "charset override",
            lambda b: b.replace(b'encoding="utf-8"', b'encoding="us-ascii"').replace(
                b"Acme breach", "Acmé breach".encode()
            ),
        ),
        ("mojibake", lambda b: b.replace(b"Acme breach", "Acme\u00e2\u0080\u0099s breach \u0093q\u0094".encode())),
        (
            "item nested elsewhere",
            lambda b: b.replace(b"<title>t</title>", b"<x><item><title>hidden</title></item></x>"),
        ),
        ("bad date", lambda b: b.replace(b"Wed, 28 May 2025 15:11:00 +0000", b"28/05/2025 nonsense")),
    ],
)
def test_odd_feeds_give_what_feedparser_gives(name, edit):
    body = edit(PLAIN)
    assert body != PLAIN
    fast, slow = both(body)
    assert fast == slow, name


def test_entity_declarations_are_still_refused_before_parsing():
    body = PLAIN.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY x "y">]><rss', 1)
    assert both(body) == ("UnsafeXML", "UnsafeXML")


def _content_type(body: bytes) -> str:
    m = re.search(rb"Header:\s*Content-type:\s*([^\r\n]*?)\s*(?:-->|\n)", body[:2000], re.I)
    return m.group(1).decode() if m else "application/xml"


def test_same_items_as_feedparser_on_real_feeds_and_feedparsers_corpus():
    """feedparser's own test corpus (1,749 well-formed cases, encodings, entities) and captured real
    feeds: wherever the fast reader takes a feed, the Items are feedparser's, field for field."""
    folders = [shared_data("feeds-wild"), shared_data("ransomware", "rss_snapshots")]
    files = sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())
    taken = 0
    for path in files:
        body = path.read_bytes()
        content_type = _content_type(body)
        if fastfeed.entries(body, content_type) is None:
            continue
        taken += 1
        fast, slow = both(body, content_type)
        assert fast == slow, path
    assert taken >= 500  # the comparison covered many feeds (533 of 2,164 files when written)


def test_fast_reader_is_used_by_monitor_for_plain_feeds(monkeypatch):
    """parse_feed calls feedparser only for the feeds the fast reader declines."""
    import feedparser

    calls = []
    real = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda *a, **k: calls.append(1) or real(*a, **k))
    parse.parse_feed(rss2(ENTRIES), "application/rss+xml", BASE, 50)
    assert calls == []
    parse.parse_feed(PLAIN.replace(b"Acme breach", b"Acme <b>breach</b>"), "application/rss+xml", BASE, 50)
    assert calls == [1]


def _hostile_bodies() -> dict[str, bytes]:
    from hostile_server import GOOD_FEED, _utf7, billion_laughs, quadratic, rss

    small_quad = quadratic(value_kb=1, refs=10)
    netscape = '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://127.0.0.1:9/rss.dtd">'
    plain_utf16 = GOOD_FEED.decode().replace('encoding="utf-8"', 'encoding="utf-16"')
    return {
        "billion laughs": billion_laughs(),
        "quadratic": small_quad.encode(),
        "quadratic in UTF-16": small_quad.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16"),
        "quadratic in UTF-7": _utf7(small_quad),
        "external entity": rss(
            [("&x;", "https://x.example/xxe")], prolog='<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        )
        .replace("&amp;x;", "&x;")
        .encode(),
        "parameter entity": rss(
            [("p", "https://x.example/p")],
            prolog='<!DOCTYPE rss [<!ENTITY % d SYSTEM "http://127.0.0.1:9/evil.dtd"> %d;]>',
        ).encode(),
        "external DTD": rss([("d", "https://x.example/d")], prolog=netscape).encode(),
        "external DTD in UTF-16": plain_utf16.replace("?>", "?>" + netscape, 1).encode("utf-16"),
        "undefined entity": GOOD_FEED.replace(b"Okta confirms", b"&ext; Okta confirms"),
        "plain UTF-16": plain_utf16.encode("utf-16"),
        "truncated": GOOD_FEED[: GOOD_FEED.index(b"<item>") + 30],
        "html page": b"<html><head><title>x</title></head><body><p>not a feed</p></body></html>",
        "random bytes": bytes(range(256)) * 40,
    }


# What parse_feed gives each hostile body, today and with the fast reader: a refusal, an error, or items.
HOSTILE_OUTCOME = {
    "billion laughs": "UnsafeXML",
    "quadratic": "UnsafeXML",
    "quadratic in UTF-7": "UnsafeXML",
    "external entity": "UnsafeXML",
    "parameter entity": "UnsafeXML",
    "quadratic in UTF-16": "ParseError",
    "external DTD in UTF-16": "ParseError",
    "plain UTF-16": "ParseError",
    "truncated": "ParseError",
    "html page": "ParseError",
    "random bytes": "ParseError",
    "external DTD": ["d"],  # read by feedparser, the DTD never fetched
    "undefined entity": ["&ext; Okta confirms breach of support system, customer files stolen"],
}


@pytest.mark.parametrize("name", sorted(HOSTILE_OUTCOME))
def test_hostile_bodies_are_refused_or_read_exactly_as_before(name):
    """Entity declarations are refused before either reader runs; any other DOCTYPE, an undefined
    entity, a broken document: the fast reader declines and feedparser's answer (Items or error) stands."""
    body = _hostile_bodies()[name]
    assert fastfeed.entries(body, "application/rss+xml; charset=utf-8") is None  # never taken by the fast reader
    fast, slow = both(body)
    assert fast == slow
    outcome = [i.title for i in fast.items] if isinstance(fast, parse.Parsed) else fast
    assert outcome == HOSTILE_OUTCOME[name]


def test_a_utf16_feed_is_read_fast_and_identically_and_its_doctype_is_seen():
    """A UTF-16 body hides "<!DOCTYPE" from a search of its bytes: the fast reader looks in what
    feedparser parses, so an external DTD there still goes to feedparser (which reads it as today)."""
    body = _hostile_bodies()["plain UTF-16"]
    assert fastfeed.entries(body, "application/rss+xml") is not None
    fast, slow = both(body, "application/rss+xml")
    assert isinstance(fast, parse.Parsed) and [i.title for i in fast.items] == [
        "Okta confirms breach of support system, customer files stolen"
    ]
    assert fast == slow
    with_dtd = _hostile_bodies()["external DTD in UTF-16"]
    assert fastfeed.entries(with_dtd, "application/rss+xml") is None
    assert both(with_dtd, "application/rss+xml")[0] == both(with_dtd, "application/rss+xml")[1]


def test_the_fast_reader_resolves_and_fetches_nothing():
    """Even called without parse.py's guard in front, lxml is told to load, resolve and fetch nothing:
    a document with a DOCTYPE is declined before it is parsed, and a reference to an entity nobody
    declared is a syntax error (declined), never looked up."""
    from hostile_server import GOOD_FEED

    doctype = GOOD_FEED.replace(b"<rss", b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss', 1)
    assert fastfeed.entries(doctype.replace(b"Okta", b"&x;"), "application/xml") is None
    assert fastfeed.entries(GOOD_FEED.replace(b"Okta", b"&x;"), "application/xml") is None
    # A plain feed is read (the same bytes, without the reference).
    assert [e["title"] for e in fastfeed.entries(GOOD_FEED, "application/xml")] == [
        "Okta confirms breach of support system, customer files stolen"
    ]


# Edits that real feeds carry and that change how a field reads: each mutant of a plain feed must be
# read the same by both paths (or declined by the fast reader).
_EDITS = [
    (b"<title>", b"<title> <![CDATA[Cdata & <b>bold</b>]]> "),
    (b"<title>", b"<title>&lt;b&gt;escaped&lt;/b&gt; &amp;amp; "),
    (b"<title>", b'<title type="html">'),
    (b"<title>", "<title>\u00e2\u0080\u0099moji\u00e9 \u0093x\u0094 ".encode()),
    (b"<title>", b"<title>\t\n  "),
    (b"<description>", b"<description>&#233;&#x20AC;&#128; "),
    (b"<description>", b"<description><![CDATA[<p>para</p><script>x</script>]]>"),
    (b"<link>", b"<link> /relative?a=1&amp;b=2 "),
    (b"<link>", b"<link>javascript:alert(1)"),
    (b"<guid>", b'<guid isPermaLink="true">'),
    (b"<guid>", b'<guid isPermaLink="false">'),
    (b"<pubDate>", b"<pubDate>Tue, 31 Feb 2025 25:61:00 GMT</pubDate><x-pub>"),
    (b"<item>", b"<item><category>c</category>"),
    (b"<item>", b'<item><enclosure url="https://x.example/a.mp3" length="1" type="audio/mpeg"/>'),
    (b"</item>", b"<author>a@example.com (A)</author></item>"),
    (b"<entry>", b'<entry><link rel="enclosure" href="https://x.example/e"/>'),
    (b"<entry>", b'<entry><link href="https://x.example/alt2"/>'),
    (b"<summary", b'<content type="text">content first</content><summary'),
    (b"<summary", b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div></summary><summary'),
    (b"<id>", b"<id>  tag:x.example,2025:1  "),
    (b"<updated>", b"<updated>2025-05-28</updated><published>"),
    (b"</title>", b"\xc2\xa0\xe3\x80\x80</title>"),
    (b"<channel>", b"<channel><item><title>first</title></item>"),
]


def test_mutated_plain_feeds_read_the_same_both_ways():
    import random

    rng = random.Random(18)
    bases = [rss2(ENTRIES), rdf(ENTRIES), atom(ENTRIES), PLAIN]
    taken = 0
    for _ in range(400):
        body = rng.choice(bases)
        for old, new in rng.sample(_EDITS, rng.randint(1, 3)):
            if old in body:
                at = rng.choice([m.start() for m in re.finditer(re.escape(old), body)])
                body = body[:at] + new + body[at + len(old) :]
        taken += fastfeed.entries(body, "application/rss+xml") is not None
        fast, slow = both(body, "application/rss+xml")
        assert fast == slow, body
    assert taken >= 100  # many mutants were read by the fast reader, not only declined
