"""Match stage per article vs feedparser's parse per entry, at 1k, 10k and 50k vendors.

Vendors are real company names from ../shared/data/companies/ (about 13k after cleaning), topped
up to 50k with names recombined from their words. Articles are the jp-news summaries (Japanese)
and the shipped English evaluation items; the feed parsed by feedparser holds the same articles,
so both sides of the ratio see the same text. Printed: per-article match time, per-entry parse
time, their ratio (target: <= 1x at 10k vendors), and Matcher construction time.

    .venv/bin/python bench/match_bench.py
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.eval.evaluate import EVAL_DIR, company_vendors, load_items, synthetic_vendors  # noqa: E402
from monitor.matching.matcher import Matcher  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def articles(n: int = 400) -> list[tuple[str, str, str]]:
    out = [
        (str(i["title"]), str(i["text"]), f"https://news.example/{i['id']}")
        for i in load_items(EVAL_DIR / "items.jsonl")
    ]
    news = SHARED / "jp-news" / "secnews_sample.jsonl"
    if news.exists():
        rows = [json.loads(line) for line in news.open(encoding="utf-8")]
        random.Random(1).shuffle(rows)
        out += [(r["タイトル"], r["概要"], r["URL"]) for r in rows[: n - len(out)]]
    return out


def rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(u)}</link><description>{escape(s)}</description>"
        f"<guid>{escape(u)}</guid><pubDate>Wed, 05 Jun 2024 09:00:00 GMT</pubDate></item>"
        for t, s, u in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>'
        f"<link>https://news.example/</link><description>d</description>{body}</channel></rss>"
    ).encode()


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    real = company_vendors(SHARED / "companies")
    if not real:
        print(f"skipped: {SHARED / 'companies'} not found")
        return
    pool = real + synthetic_vendors(real, max(0, 50_000 - len(real)))
    random.Random(2).shuffle(pool)
    items = articles()
    feed = rss(items)
    print(f"{len(items)} articles; {len(real)} real company vendors, topped up to {len(pool)} with recombined names")
    print(f"{'vendors':>8} {'build s':>8} {'match ms/article':>17} {'parse ms/entry':>15} {'ratio':>6}")
    for n in (1_000, 10_000, 50_000):
        vendors = pool[:n]
        t = time.perf_counter()
        matcher = Matcher(vendors)
        build = time.perf_counter() - t

        def match_all() -> None:
            for title, summary, link in items:
                matcher.match({"title": title, "summary": summary}, link)  # noqa: B023 (run within this iteration)

        def parse_all() -> None:
            feedparser.parse(feed)

        # Side by side, interleaved, best of 5: the machine is noisy.
        m = p = float("inf")
        for _ in range(3):
            m = min(m, best_of(match_all, 2) / len(items))
            p = min(p, best_of(parse_all, 2) / len(items))
        print(f"{n:>8} {build:>8.2f} {m * 1000:>17.3f} {p * 1000:>15.3f} {m / p:>5.2f}x")


if __name__ == "__main__":
    main()
