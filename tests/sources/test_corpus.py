"""Issue 5: the parsers never crash on real malformed HTML and real leak-site data.

Reads ../shared/data/html-wild/ (html5lib tree-construction and encoding cases) and
../shared/data/ransomware/ (tracker posts as JSON and CSV); skipped when the data is absent.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import shared_data

from monitor.config import load_config
from monitor.errors import BlockedURL
from monitor.sources.fetch import check_link_shape
from monitor.sources.parse import extract_article, parse_html_list, parse_json_api, parser_spec
from monitor.textutil import decode, html_to_text, parse_date

BUNDLED = Path(__file__).resolve().parents[2] / "feeds.yaml"
HTML_SPECS = [
    {"item": "li, p, td, div, span, a", "title": "a", "link": "a@href", "date": "span, time", "summary": "p"},
    {"item": "a", "title": "", "link": "@href", "date": None, "summary": None},
    {"item": "*", "title": "*", "link": "[src]@src", "date": "*", "summary": "*"},
]


def _data_blocks(raw: bytes) -> list[bytes]:
    """The '#data' sections of an html5lib .dat file, as the bytes a server would send."""
    blocks = []
    for chunk in raw.split(b"#data\n")[1:]:
        end = len(chunk)
        for marker in (b"\n#errors", b"\n#encoding", b"\n#document", b"\n#new-errors", b"\n#script-"):
            pos = chunk.find(marker)
            if pos != -1:
                end = min(end, pos)
        blocks.append(chunk[:end])
    return blocks


def _bundled_spec(name: str) -> dict[str, str | None]:
    return parser_spec(load_config(BUNDLED).source(name))


def test_html_parsers_survive_html5lib_tree_construction_cases() -> None:
    root = shared_data("html-wild", "tree-construction")
    docs = items = 0
    texts = 0
    for path in sorted(root.rglob("*.dat")):
        for body in _data_blocks(path.read_bytes()):
            docs += 1
            for spec in HTML_SPECS:
                parsed = parse_html_list(body, "text/html", "https://example.org/news/", spec, 500)
                items += len(parsed.items)
                for item in parsed.items:
                    assert item.title and len(item.title) <= 500
            if extract_article(body, "text/html"):
                texts += 1
    # Every case was read, and the parsers found real content in them (not a no-op).
    assert docs >= 1500, docs
    assert items > 1000 and texts > 500, (items, texts)


def test_html_parsers_survive_html5lib_encoding_cases() -> None:
    root = shared_data("html-wild", "encoding")
    docs = 0
    for path in sorted(root.rglob("*.dat")):
        for body in _data_blocks(path.read_bytes()):
            docs += 1
            assert isinstance(decode(body, "text/html"), str)
            extract_article(body, "text/html")
            parse_html_list(body, "text/html", "https://example.org/", HTML_SPECS[0], 500)
    assert docs >= 50, docs


def test_yahoo_japan_page_reads_as_japanese_although_its_meta_lies() -> None:
    """The stored copy is UTF-8 while its <meta> says EUC-JP: a strict decode falls through to the truth."""
    (body,) = _data_blocks(shared_data("html-wild", "encoding", "test-yahoo-jp.dat").read_bytes())
    text = extract_article(body, "text/html")
    assert text.startswith("Yahoo! JAPAN")
    assert "\ufffd" not in decode(body, "text/html")
    assert "日本最大級" in decode(body, "text/html")


def test_undeclared_big5_text_is_detected() -> None:
    body = shared_data("html-wild", "encoding", "chardet", "test_big5.txt").read_bytes()
    text = decode(body, "")
    assert "\ufffd" not in text and body.decode("big5hkscs") == text


def test_json_parser_reads_every_ransomwatch_post_with_the_bundled_spec() -> None:
    raw = shared_data("ransomware", "ransomwatch_posts.json").read_bytes()
    rows = json.loads(raw)
    parsed = parse_json_api(
        raw, "application/json", "https://api.ransomware.live/", _bundled_spec("ransomware.live"), 100_000
    )
    # Only titles that are nothing but markup (one post is just "</a>") are dropped.
    assert len(parsed.items) == sum(1 for r in rows if html_to_text(str(r.get("post_title") or "")))
    assert len(parsed.items) > 5000
    # Every post's discovery date is read (the tracker's "2021-09-09 23:46:53.997398" form).
    assert all(i.published for i in parsed.items)


def test_csv_posts_with_descriptions_and_onion_links() -> None:
    text = shared_data("ransomware", "ransomware_live_posts_2024-03.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    body = json.dumps(rows).encode()
    parsed = parse_json_api(
        body, "application/json", "https://api.ransomware.live/", _bundled_spec("ransomware.live"), 100_000
    )
    assert len(parsed.items) == sum(1 for r in rows if html_to_text(r["post_title"]))
    with_description = [i for i in parsed.items if i.summary]
    assert len(with_description) > 500
    assert all("<" not in i.summary or ">" not in i.summary for i in with_description)
    onion = [i.link for i in parsed.items if ".onion" in i.link]
    assert len(onion) > 500
    for link in onion:
        with pytest.raises(BlockedURL):
            check_link_shape(link)
    # Descriptions also pass through the article extractor (as if a source linked to them).
    for row in rows:
        extract_article(row["description"].encode(), "text/html; charset=utf-8")
    assert sum(1 for r in rows if parse_date(r["discovered"])) == len(rows)
