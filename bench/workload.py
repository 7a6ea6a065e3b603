"""The benchmark workload, made locally and deterministically: a vendor register drawn from
../shared/data/companies/, and breach-news feeds (RSS 2.0, Atom, RSS 1.0) in Japanese and English
where a few percent of the items are breach reports naming registered vendors.

Filler items are ordinary security news: Japanese text from ../shared/data/jp-news (its
`non_incident` sample: advisories and trend pieces) and English text from templates.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
COMPANIES = SHARED_DATA / "companies"
JP_NEWS = SHARED_DATA / "jp-news" / "secnews_sample.jsonl"
BREACH_SHARE = 0.03  # share of feed items that are breach reports naming a registered vendor
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)  # fixed, so generated feeds are byte-identical per run


class MissingData(RuntimeError):
    """../shared/data is absent: the benchmark cannot draw real company names."""


def _need(path: Path) -> Path:
    if not path.exists():
        raise MissingData(f"shared data not present: {path}")
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with _need(path).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True, slots=True)
class BenchVendor:
    name: str  # as registered (EDINET names keep 株式会社 and the full-width space)
    alias: str  # English name for Japanese companies, "" otherwise
    said: str  # how news text names it
    japanese: bool


_US_NOISE = re.compile(r"\s*(-\s.*|Common Stock.*|Class [A-Z].*|Ordinary Shares.*|American Depositary.*)$")
_JA_FORM = re.compile(r"(株式会社|有限会社|合同会社)")


def _real_vendors() -> list[BenchVendor]:
    """Every distinct company in the shared lists, Japanese first (EDINET, JPX), then US."""
    out: list[BenchVendor] = []
    seen: set[str] = set()

    def add(name: str, alias: str, said: str, japanese: bool) -> None:
        name, said = name.strip(), said.strip()
        key = name.casefold()
        if len(said) < 2 or key in seen:
            return
        seen.add(key)
        out.append(BenchVendor(name, alias.strip(), said, japanese))

    for r in _read_csv(COMPANIES / "edinet_corporate.csv"):
        ja = r["提出者名"]
        add(ja, r["提出者名（英字）"], _JA_FORM.sub("", ja).replace("\u3000", "").strip(), True)
    for r in _read_csv(COMPANIES / "jpx_listed.csv"):
        if "ETF" in r["市場・商品区分"] or "REIT" in r["市場・商品区分"]:
            continue
        add(r["銘柄名"], "", r["銘柄名"], True)
    for r in _read_csv(COMPANIES / "sp500.csv"):
        add(r["Security"], "", r["Security"], False)
    for path in ("nasdaq.csv", "nyse.csv"):
        for r in _read_csv(COMPANIES / path):
            if r.get("ETF") == "Y":
                continue
            name = _US_NOISE.sub("", r["Company Name"]).strip()
            add(name, "", re.sub(r",?\s+(Inc|Corp|Corporation|Ltd|plc|N\.V|S\.A)\.?$", "", name), False)
    return out


_EN_TAILS = (
    "Partners",
    "Logistics",
    "Analytics",
    "Foods",
    "Robotics",
    "Pharma",
    "Retail",
    "Labs",
    "Motors",
    "Textiles",
    "Trading",
    "Marine",
    "Chemicals",
    "Devices",
    "Apparel",
    "Biosciences",
)
_JA_TAILS = ("商事", "物産", "工業", "電機", "製作所", "化学", "産業", "精機", "建設", "運輸", "食品", "薬品")


def vendors(n: int, seed: int = 7) -> list[BenchVendor]:
    """n vendors: real companies first, then (beyond ~17k) synthetic names recombined from real ones."""
    real = _real_vendors()
    rng = random.Random(seed)
    rng.shuffle(real)
    if n <= len(real):
        return real[:n]
    out = list(real)
    names = {v.name.casefold() for v in out}
    ja_words = [v.said for v in real if v.japanese and 2 <= len(v.said) <= 6]
    en_words = [
        v.said.split()[0]
        for v in real
        if not v.japanese and v.said.split()[0].isalpha() and len(v.said.split()[0]) >= 4
    ]
    while len(out) < n:
        if rng.random() < 0.5:
            said = f"{rng.choice(ja_words)}{rng.choice(_JA_TAILS)}"
            name, japanese = f"株式会社{said}", True
        else:
            said = f"{rng.choice(en_words)} {rng.choice(en_words)} {rng.choice(_EN_TAILS)}"
            name, japanese = f"{said} Inc.", False
        if name.casefold() not in names:
            names.add(name.casefold())
            out.append(BenchVendor(name, "", said, japanese))
    return out


def vendors_csv(vs: list[BenchVendor], seed: int = 7) -> str:
    rng = random.Random(seed)
    crit = ("critical", "high", "medium", "medium", "low")
    rows = [("name", "aliases", "domains", "criticality", "owner", "parent", "notes")]
    for v in vs:
        # The register format splits aliases on "|"; names never contain it, but be sure.
        rows.append(
            (v.name.replace("|", " "), v.alias.replace("|", " "), "", rng.choice(crit), "<@U0SEC>", "", "bench")
        )
    buf = []
    for r in rows:
        buf.append(",".join('"' + c.replace('"', '""') + '"' for c in r))
    return "\n".join(buf) + "\n"


# ---------------------------------------------------------------------------- articles


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    link: str
    summary: str  # HTML, as feeds carry it
    published: datetime
    breach: bool  # planted breach report naming a vendor
    japanese: bool


EN_TOPICS = (
    "zero-day exploitation",
    "phishing kits",
    "botnet infrastructure",
    "cloud misconfiguration",
    "identity security",
    "browser extensions",
    "firmware updates",
    "open-source packages",
    "router firmware",
    "mobile banking apps",
    "industrial control systems",
    "password managers",
)
EN_VERBS = (
    "Researchers detail",
    "Analysts track",
    "CISA adds",
    "Vendors patch",
    "Experts discuss",
    "Teams review",
    "Report examines",
    "Guide explains",
)
EN_SENTENCES = (
    "The write-up walks through indicators, detection logic and mitigations for defenders.",
    "Administrators are advised to apply the latest updates and review exposed services.",
    "The analysis covers several months of telemetry from honeypots across three continents.",
    "Security teams can use the published rules to hunt for related activity in their logs.",
    "The maintainers thanked the researchers who reported the issue through coordinated disclosure.",
    "Readers will find a timeline, affected versions and configuration guidance below.",
    "The piece also discusses how detection engineering programs mature over time.",
)
JA_BREACH = (
    (
        "{n}、ランサムウェア攻撃によりサーバーが暗号化　顧客情報流出の可能性",
        "{n}は、外部からの不正アクセスを受け、社内サーバーの一部がランサムウェアにより暗号化されたと発表した。"
        "個人情報の漏えいの可能性について、外部専門家と調査を進めている。",
    ),
    (
        "{n}に不正アクセス、個人情報が漏えいした恐れ",
        "{n}は、第三者による不正アクセスを確認したと公表した。顧客情報が外部に流出した可能性があり、"
        "対象となる顧客には個別に連絡するとしている。",
    ),
)
EN_BREACH = (
    (
        "{n} discloses data breach after ransomware attack",
        "{n} said an unauthorized third party accessed parts of its network and that customer data may have been "
        "exfiltrated. The company has notified law enforcement and engaged forensic experts.",
    ),
    (
        "Hackers claim theft of {n} customer data on leak site",
        "A ransomware group listed {n} on its leak site and claims to have stolen internal documents. {n} confirmed "
        "a security incident and said its investigation is ongoing.",
    ),
)


def _jp_filler() -> list[tuple[str, str]]:
    rows = []
    with _need(JP_NEWS).open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("_sample_group") == "non_incident":
                rows.append((d["タイトル"], d["概要"]))
    return rows


def articles(
    n_feeds: int, per_feed: int, vs: list[BenchVendor], seed: int = 11, breach_share: float = BREACH_SHARE
) -> list[list[Article]]:
    """Articles per feed; odd feeds lean Japanese, even feeds English (a third each way is mixed)."""
    rng = random.Random(seed)
    jp = _jp_filler()
    feeds = []
    for f in range(n_feeds):
        items = []
        lean_jp = f % 2 == 1
        for j in range(per_feed):
            japanese = rng.random() < (0.67 if lean_jp else 0.33)
            published = NOW - timedelta(minutes=rng.randrange(60 * 24 * 30))
            link = f"https://news{f}.example.com/{published:%Y/%m}/article-{f}-{j}"
            if rng.random() < breach_share:
                v = rng.choice([x for x in rng.sample(vs, min(len(vs), 20)) if x.japanese == japanese] or vs)
                said = v.said if japanese or not v.alias else v.alias
                title, body = rng.choice(JA_BREACH if v.japanese else EN_BREACH)
                items.append(
                    Article(
                        title.format(n=said), link, f"<p>{escape(body.format(n=said))}</p>", published, True, v.japanese
                    )
                )
                continue
            if japanese:
                t, s = rng.choice(jp)
                title = f"{t}（No.{f * per_feed + j}）"
                summary = f'<p>{escape(s)}</p><p><a href="{link}">続きを読む</a></p>'
            else:
                title = f"{rng.choice(EN_VERBS)} {rng.choice(EN_TOPICS)} (CVE-2025-{10000 + f * per_feed + j})"
                sentences = rng.sample(EN_SENTENCES, 4)
                summary = "".join(f"<p>{escape(s)}</p>" for s in sentences) + f'<p><a href="{link}">Read more</a></p>'
            items.append(Article(title, link, summary, published, False, japanese))
        feeds.append(items)
    return feeds


# ---------------------------------------------------------------------------- feed documents


def feed_document(index: int, items: list[Article]) -> bytes:
    """RSS 2.0 for most feeds, Atom for every fifth, RSS 1.0 (RDF) for every tenth."""
    title = f"Bench news {index}"
    if index % 10 == 9:
        seq = "".join(f'<rdf:li rdf:resource="{escape(a.link)}"/>' for a in items)
        body = "".join(
            f'<item rdf:about="{escape(a.link)}"><title>{escape(a.title)}</title><link>{escape(a.link)}</link>'
            f"<description>{escape(a.summary)}</description><dc:date>{a.published.isoformat()}</dc:date></item>"
            for a in items
        )
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="https://news{index}.example.com/"><title>{title}</title>'
            f"<link>https://news{index}.example.com/</link><description>d</description>"
            f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>{body}</rdf:RDF>"
        )
    elif index % 5 == 4:
        body = "".join(
            f'<entry><title>{escape(a.title)}</title><link href="{escape(a.link)}"/><id>{escape(a.link)}</id>'
            f'<updated>{a.published.isoformat()}</updated><summary type="html">{escape(a.summary)}</summary></entry>'
            for a in items
        )
        doc = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:bench:{index}</id><updated>{NOW.isoformat()}</updated>{body}</feed>"
        )
    else:
        body = "".join(
            f"<item><title>{escape(a.title)}</title><link>{escape(a.link)}</link>"
            f"<description>{escape(a.summary)}</description><guid>{escape(a.link)}</guid>"
            f"<pubDate>{format_datetime(a.published)}</pubDate></item>"
            for a in items
        )
        doc = (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://news{index}.example.com/</link><description>d</description>{body}</channel></rss>"
        )
    return doc.encode("utf-8")


def write_feeds(folder: Path, n_feeds: int, per_feed: int, vs: list[BenchVendor]) -> tuple[int, int]:
    """Write feed-0.xml ... into folder (reused when already there). Returns (items, planted breach items)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "stats.json"
    if stamp.exists():
        s = json.loads(stamp.read_text())
        return s["items"], s["breach"]
    feeds = articles(n_feeds, per_feed, vs)
    for i, items in enumerate(feeds):
        (folder / f"feed-{i}.xml").write_bytes(feed_document(i, items))
    stats = {"items": sum(len(f) for f in feeds), "breach": sum(a.breach for f in feeds for a in f)}
    stamp.write_text(json.dumps(stats))
    return stats["items"], stats["breach"]


# ---------------------------------------------------------------------------- short items (case 7)

SHORT_BREACH_SHARE = 0.05
SHORT_TITLE = 60  # characters, about what many real feeds carry
SHORT_SUMMARY = 130
EN_SHORT_BREACH = (
    (
        "{n} discloses data breach after ransomware attack",
        "{n} said an unauthorized party reached parts of its network and customer data may have been taken.",
    ),
    (
        "Hackers claim theft of {n} customer data",
        "A ransomware group listed {n} on its leak site; the company confirmed a security incident.",
    ),
)
JA_SHORT_BREACH = (
    (
        "{n}に不正アクセス、個人情報が漏えいした恐れ",
        "{n}は第三者による不正アクセスを確認したと公表した。顧客情報が外部に流出した可能性があり、外部の専門家と調査を進めている。"
        "対象の顧客には個別に連絡するとしている。",
    ),
    (
        "{n}、ランサムウェア被害でサーバー暗号化",
        "{n}はランサムウェア攻撃により社内サーバーの一部が暗号化されたと発表した。個人情報の漏えいの有無を調べている。",
    ),
)


def _clip(text: str, n: int) -> str:
    """text cut to about n characters, at a word boundary when there is one."""
    if len(text) <= n:
        return text
    cut = text[:n]
    space = cut.rfind(" ")
    return (cut[:space] if space > n // 2 else cut).rstrip(" ,;") + "…"


def short_articles(
    n_feeds: int, per_feed: int, vs: list[BenchVendor], seed: int = 13, breach_share: float = SHORT_BREACH_SHARE
) -> list[list[Article]]:
    """Articles shaped like many real feeds: a ~60-character title and a ~130-character plain summary
    (English), real jp-news titles with their summary cut to ~130 characters (Japanese); breach_share
    of them are breach reports naming a registered vendor."""
    rng = random.Random(seed)
    jp = _jp_filler()
    feeds = []
    for f in range(n_feeds):
        items = []
        lean_jp = f % 2 == 1
        for j in range(per_feed):
            japanese = rng.random() < (0.67 if lean_jp else 0.33)
            published = NOW - timedelta(minutes=rng.randrange(60 * 24 * 7))
            link = f"https://news{f}.example.com/{published:%Y/%m}/{f}-{j}"
            if rng.random() < breach_share:
                v = rng.choice([x for x in rng.sample(vs, min(len(vs), 20)) if x.japanese == japanese] or vs)
                said = v.said if japanese or not v.alias else v.alias
                title, body = rng.choice(JA_SHORT_BREACH if v.japanese else EN_SHORT_BREACH)
                items.append(
                    Article(
                        title.format(n=said),
                        link,
                        escape(_clip(body.format(n=said), SHORT_SUMMARY)),
                        published,
                        True,
                        v.japanese,
                    )
                )
                continue
            if japanese:
                t, s = rng.choice(jp)
                title, summary = f"{t}（{f * per_feed + j}）", _clip(s, SHORT_SUMMARY)
            else:
                title = _clip(
                    f"{rng.choice(EN_VERBS)} {rng.choice(EN_TOPICS)} in CVE-2025-{10000 + f * per_feed + j}"
                    f" and related flaws",
                    SHORT_TITLE,
                )
                summary = _clip(" ".join(rng.sample(EN_SENTENCES, 2)), SHORT_SUMMARY)
            items.append(Article(title, link, escape(summary), published, False, japanese))
        feeds.append(items)
    return feeds


def write_short_feeds(folder: Path, n_feeds: int, per_feed: int, vs: list[BenchVendor]) -> tuple[int, int]:
    """Like write_feeds, with short_articles. Returns (items, planted breach items)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "stats.json"
    if stamp.exists():
        s = json.loads(stamp.read_text())
        return s["items"], s["breach"]
    feeds = short_articles(n_feeds, per_feed, vs)
    for i, items in enumerate(feeds):
        (folder / f"feed-{i}.xml").write_bytes(feed_document(i, items))
    stats = {
        "items": sum(len(f) for f in feeds),
        "breach": sum(a.breach for f in feeds for a in f),
        "title_chars": sum(len(a.title) for f in feeds for a in f) / max(1, sum(len(f) for f in feeds)),
        "summary_chars": sum(len(a.summary) for f in feeds for a in f) / max(1, sum(len(f) for f in feeds)),
    }
    stamp.write_text(json.dumps(stats))
    return stats["items"], stats["breach"]
