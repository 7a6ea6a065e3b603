"""A vendor's newsroom page read with no selectors: is it a feed, does it advertise one, and
otherwise its list of dated notice links, found generically.

Pure functions over one document (no I/O); they run in the parser workers (parse.run_parser,
kind "newsroom") under the pool's time and memory limits.

The list finder looks for dates, not for layouts: every date on the page (a <time>, or a short text
such as 2024.06.05, 2024/6/5, 2024年6月5日, 令和6年6月5日, June 5, 2024) is walked up to the
smallest element that also holds a link and no other date; that element is one notice (a <li>, a
<tr>, an <article>, an <a> wrapping date and title, a CMS <div>), or for <dl> lists the <dt> with its
<dd>. Navigation, headers, footers and sidebars are dropped first, and notices are kept only in
groups of two or more under one parent, so a lone dated link ("updated 2024/6/5") is no notice; a
list that holds one notice so far (one <li>, <tr>, <dd> or <article>) is the exception.

A page with no list may itself be one notice (the お詫びとお知らせ a vendors.csv points at): a heading,
a date outside any link, and a body of text make it one item linking to the page itself (method
"notice"). A page whose HTML holds only scripts is said to need JavaScript, which monitor does not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from ..config import AnySource
from ..textutil import clip, decode, iso, parse_date
from . import advisory, jvn, kev, parse
from .parse import MAX_TITLE, Item, Parsed, _soup, join_link, parse_feed

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.I)
# One date, as newsrooms write them; the whole match is handed to textutil.parse_date.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE = re.compile(
    r"(?:令和|平成|昭和)\s*(?:\d{1,2}|元)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}\s*[年/.\-]\s*\d{1,2}\s*[月/.\-]\s*\d{1,2}\s*日?"
    rf"|\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}\b",
    re.I,
)
_DATE_TEXT_MAX = 160  # a date inside a longer text is prose, not a list entry's date
# Page furniture: class/id words and roles of navigation, headers, footers, sidebars, breadcrumbs.
_FURNITURE_WORDS = {
    "nav",
    "navi",
    "navigation",
    "gnav",
    "gnavi",
    "globalnav",
    "menu",
    "megamenu",
    "footer",
    "header",
    "breadcrumb",
    "breadcrumbs",
    "topicpath",
    "pankuzu",
    "sidebar",
    "sidenav",
    "sitemap",
    "pagetop",
    "sns",
    "share",
    "social",
    "copyright",
    "drawer",
}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "menu", "menubar"}
_WORD = re.compile(r"[a-z]+")
# Site-wide links that carry a date now and then ("プライバシーポリシー改定 2024.04.01") but are no notice.
_POLICY_TITLE = re.compile(
    r"^\W*(?:プライバシー\s*ポリシー|個人情報保護方針|個人情報の取り?扱い(?:について)?|クッキー(?:ポリシー)?|"
    r"cookie\s*(?:policy|settings)|サイトマップ|サイトのご利用|ご利用条件|利用規約|ウェブサイト利用規約|"
    r"privacy(?:\s*(?:policy|notice|statement))?|terms\s*(?:of\s*(?:use|service))?|sitemap|site\s*map|"
    r"accessibility|アクセシビリティ|お問い?合わ?せ|contact(?:\s*us)?|english|日本語|home|ホーム|トップ(?:ページ)?|"
    r"一覧(?:を見る|へ)?|more|view\s*all|read\s*more|もっと見る|詳しく見る)\W*$",
    re.I,
)
_POLICY_PATH = re.compile(
    r"/(?:privacy|privacy-policy|privacypolicy|cookie|cookies|sitemap|terms|"
    r"accessibility|contact|inquiry)(?:[/._-]|$)",
    re.I,
)
# A row's link that only says "read more": the notice's title is the row's other text (a card's heading).
_MORE = re.compile(
    r"^\W*(?:read\s*more|more|learn\s*more|more\s*info|view\s*(?:more|details)|details|"
    r"詳しく(?:見る|はこちら)|続きを読む|詳細(?:を見る|はこちら)?|もっと見る)\W*$",
    re.I,
)
_TITLE_WORDS = {"title", "ttl", "heading", "headline", "subject"}
_SPACE = re.compile(r"\s")
_LABEL_WORDS = {
    "cat",
    "category",
    "categories",
    "tag",
    "tags",
    "label",
    "icon",
    "badge",
    "new",
    "genre",
    "type",
    "kind",
}


NO_NOTICES = "no feed and no list of dated notices found on the page"
NEEDS_JS = (
    "the page seems to need JavaScript (its HTML holds scripts and no notices), which monitor does not "
    "run: give vendors.csv the vendor's feed or a page that lists its notices without JavaScript"
)
_APP_ROOT = re.compile(r"^(?:root|app|__next|__nuxt|q-app|main-app|application)$", re.I)
_JS_NOTICE = re.compile(r"javascript|ジャバスクリプト", re.I)
_SINGLE_TEXT_MIN = 80  # characters of body text that make a page with a heading and a date a notice


@dataclass(frozen=True, slots=True)
class Found:
    """What one document is, for discovery: a feed, a page advertising feeds, or a page of notices."""

    method: str  # "feed", "advertised" (feeds listed: try them), "html" (the notices found), "notice", "none"
    feeds: tuple[str, ...]  # advertised feed URLs, best first
    parsed: Parsed
    empty: str = NO_NOTICES  # why nothing was found, when nothing was


def looks_like_feed(body: bytes, content_type: str) -> bool:
    ct = (content_type or "").lower()
    if any(t in ct for t in ("rss", "atom")):
        return True
    head = body[:4096]
    feed = _FEED_ROOT.search(head)
    page = _HTML_ROOT.search(head)
    return feed is not None and (page is None or feed.start() < page.start())


def advertised_feeds(soup: Any, base: str) -> tuple[str, ...]:
    """<link rel="alternate" type="application/rss+xml|atom+xml" href> in the page, comment feeds last."""
    found: list[str] = []
    for tag in soup.find_all("link"):  # bs4's fast path (name only); href checked here
        if tag.get("href") is None:
            continue
        rel = tag.get("rel") or []
        rels = {r.lower() for r in (rel if isinstance(rel, list) else str(rel).split())}
        kind = str(tag.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rels and kind in FEED_TYPES:
            href = join_link(base, str(tag["href"]).strip())
            if urlsplit(href).scheme.lower() in ("http", "https") and href not in found:
                found.append(href)
    # WordPress advertises its comments feed beside the posts feed: never the one to watch.
    return tuple(sorted(found, key=lambda u: "comment" in u.lower()))


def discover(body: bytes, content_type: str, base_url: str, max_items: int) -> Found:
    """Discovery's view of one fetched document (run in a parser worker)."""
    if looks_like_feed(body, content_type):
        return Found("feed", (), parse_feed(body, content_type, base_url, max_items))
    soup, base = _page(body, content_type, base_url)
    feeds = advertised_feeds(soup, base)
    items, kind = page_items(soup, base, base_url, max_items)
    parsed = Parsed(tuple(items))
    if feeds:
        return Found("advertised", feeds, parsed)
    if items:
        return Found(kind, (), parsed)
    # Why nothing: asked of the page as it came (page_items dropped its scripts), only when it matters.
    return Found(
        "none", (), parsed, NEEDS_JS if needs_javascript(_page(body, content_type, base_url)[0]) else NO_NOTICES
    )


def needs_javascript(soup: Any) -> bool:
    """Does the page look like a JavaScript application (its notices drawn by scripts)? Asked before
    scripts are dropped, and only said when no notice was found."""
    scripts = soup.find_all("script")
    if not scripts:
        return False
    if any(_JS_NOTICE.search(n.get_text(" ", strip=True)) for n in soup.find_all("noscript")):
        return True
    if any(_APP_ROOT.match(str(d.get("id") or "")) and not d.get_text(strip=True) for d in soup.find_all("div")):
        return True
    body = soup.body or soup
    code = sum(len(t.get_text()) for t in scripts)
    text = len(body.get_text(" ", strip=True)) - sum(len(t.get_text(" ", strip=True)) for t in body.find_all("script"))
    return text < 400 and code > text


def page_items(soup: Any, base: str, page_url: str, max_items: int) -> tuple[list[Item], str]:
    """The page's notices and how they were read: its list ("html"), else the page as one notice
    ("notice"), else none."""
    items = notices(soup, base, max_items)
    if items:
        return items, "html"
    one = single_notice(soup, page_url)
    return ([one], "notice") if one is not None else ([], "none")


def single_notice(soup: Any, page_url: str) -> Item | None:
    """The page itself as one notice: its heading, its first date outside any link, and a body of text
    (furniture already dropped by notices())."""
    main = soup.find("main") or soup.find("article") or soup.body or soup
    heading = main.find("h1") or main.find("h2") or soup.find("h1")
    title = " ".join(heading.get_text(" ", strip=True).split()) if heading is not None else ""
    if not title and soup.title is not None:
        title = " ".join(soup.title.get_text(" ", strip=True).split())
    if not title or _POLICY_TITLE.match(title):
        return None
    stamp = None
    meta = soup.find("meta", attrs={"property": "article:published_time"})
    if meta is not None and (dt := parse_date(str(meta.get("content") or ""))) is not None:
        stamp = iso(dt)
    if stamp is None:
        stamp = next((st for el, st, _ in _date_holders(main) if el.find_parent("a") is None and el.name != "a"), None)
    text = sum(len(p.get_text(" ", strip=True)) for p in main.find_all(["p", "li", "td"]))
    if stamp is None or text < _SINGLE_TEXT_MIN:
        return None
    title = DATE.sub(" ", title) if DATE.fullmatch(title.strip()) else title
    return Item(title=clip(" ".join(title.split()), MAX_TITLE), link=clip(page_url, 2000), guid="", published=stamp)


def run_parser(
    kind: str, body: bytes, content_type: str, base_url: str, spec: dict[str, str | None], max_items: int
) -> Parsed:
    """parse.run_parser, and kind "newsroom": a vendor's newsroom, its feed or its page's dated notices.
    (Here rather than in parse.py, which this module builds on: the package has no import cycle.)"""
    if kind == "newsroom":
        return parse_newsroom(body, content_type, base_url, max_items)
    return parse.run_parser(kind, body, content_type, base_url, spec, max_items)


def parse_source(source: AnySource, body: bytes, content_type: str, base_url: str, max_items: int) -> Parsed:
    """parse.parse_source, a vendor's newsroom (its feed or its page's dated notices), and the
    entries of an advisory source (kev, jvn) as items."""
    if source.type == "newsroom":
        return parse_newsroom(body, content_type, base_url, max_items)
    if source.type in advisory.KINDS:
        return read_advisories(source, body, content_type, base_url, max_items).parsed()
    return parse.parse_source(source, body, content_type, base_url, max_items)


def read_advisories(
    source: AnySource, body: bytes, content_type: str, base_url: str, max_items: int
) -> advisory.Advisories:
    """The entries of a structured vulnerability source, with the vendor names each states."""
    if source.type == "kev":
        return kev.parse_catalogue(body, content_type, max_items)
    return jvn.parse_rdf(body, content_type, base_url, max_items)


def parse_newsroom(body: bytes, content_type: str, base_url: str, max_items: int) -> Parsed:
    """A newsroom's items whatever it turned out to be: its feed, or its page's dated notices."""
    if looks_like_feed(body, content_type):
        return parse_feed(body, content_type, base_url, max_items)
    soup, base = _page(body, content_type, base_url)
    items, _ = page_items(soup, base, base_url, max_items)
    # No warning when there is none: discovery said so once, and `monitor status` shows it (newsroom.notes).
    return Parsed(tuple(items))


def _page(body: bytes, content_type: str, base_url: str) -> tuple[Any, str]:
    soup = _soup(decode(body, content_type, is_html=True), class_lists=False)  # _words reads it either way
    base = base_url
    tag = next((t for t in soup.find_all("base") if t.get("href") is not None), None)
    if tag is not None:
        base = join_link(base_url, str(tag["href"]))
    return soup, base


def _words(tag: Any) -> set[str]:
    attrs = getattr(tag, "attrs", None) or {}
    classes = attrs.get("class") or []
    text = " ".join(classes if isinstance(classes, list) else [str(classes)]) + " " + str(attrs.get("id") or "")
    return set(_WORD.findall(text.lower()))


def _is_furniture(tag: Any, holds_main: set[int], in_article: bool) -> bool:
    name = tag.name
    if name in ("body", "html", "main", "article", "time", "a") or id(tag) in holds_main:
        return False
    if name in ("nav", "aside", "menu"):
        return True
    if name in ("header", "footer"):
        # An <article>'s own header holds its title and date (WordPress): only the page's are furniture.
        return not in_article
    attrs = getattr(tag, "attrs", None) or {}
    if str(attrs.get("role") or "").lower() in _FURNITURE_ROLES:
        return True
    return bool(_words(tag) & _FURNITURE_WORDS)


_STRIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "form"})


def _drop_furniture(soup: Any) -> None:
    """Scripts, styles, forms and page furniture out of the tree. One walk from the top that does not
    go into what it drops, and extract() rather than decompose(): decomposing clears every descendant,
    and asking a cleared tag anything goes through bs4's slow attribute fallback (a third of the time
    a page took). Scripts and the like are dropped in the same walk (a search for them by a list of
    names goes through bs4's slow general filter, as long again as the walk)."""
    # A <main> inside a form or template is dropped with it: it does not keep its ancestors.
    mains = (m for m in soup.find_all("main") if not any(a.name in _STRIPPED for a in m.parents))
    holds_main = {id(a) for m in mains for a in m.parents}
    drop = []
    stack: list[tuple[Any, bool]] = [(soup, False)]
    while stack:
        node, in_article = stack.pop()
        for child in node.contents:
            if child.name is None:  # text, comments
                continue
            if child.name in _STRIPPED or _is_furniture(child, holds_main, in_article):
                drop.append(child)
            else:
                stack.append((child, in_article or child.name == "article"))
    for tag in drop:
        tag.extract()


def _date_holders(soup: Any) -> list[tuple[Any, str, str]]:
    """(element, date as ISO, the date text to leave out of a title) for each date on the page."""
    holders: list[tuple[Any, str, str]] = []
    seen: set[int] = set()
    # One walk for both (find_all(string=DATE) is bs4's slow general filter): <time>s first, then
    # the texts holding a date, each in page order.
    times, texts = [], []
    for node in soup.descendants:
        if node.name is None:  # text (bs4's NavigableString and its kinds, as find_all(string=) sees them)
            if DATE.search(node):
                texts.append(node)
        elif node.name == "time":
            times.append(node)
    for t in times:
        dt = parse_date(str(t.get("datetime") or "")) or parse_date(t.get_text(" ", strip=True))
        if dt is not None and (stamp := iso(dt)):
            holders.append((t, stamp, t.get_text(" ", strip=True)))
            seen.add(id(t))
    for s in texts:
        parent = s.parent
        if (
            parent is None
            or parent.name in ("script", "style", "title", "option")
            or _within(parent, "time")
            or id(parent) in seen
            or parent.name == "time"
        ):
            continue
        text = " ".join(str(s).split())
        if len(text) > _DATE_TEXT_MAX:
            continue
        m = DATE.search(text)
        if m is None or not (m.start() <= 3 or m.end() >= len(text) - 3):
            continue  # a date in the middle of a sentence
        dt = parse_date(m.group())
        if dt is None or not (stamp := iso(dt)):
            continue
        seen.add(id(parent))
        holders.append((parent, stamp, m.group()))
    return holders


def _within(tag: Any, name: str) -> Any:
    """The nearest ancestor of tag with this name (bs4's find_parent, without its filter machinery)."""
    return next((a for a in tag.parents if a.name == name), None)


def _links(node: Any) -> Any:
    """node's <a href> descendants in page order (bs4's find_all("a", href=True), without its filter)."""
    return (d for d in node.descendants if d.name == "a" and d.get("href") is not None)


def _good_link(a: Any) -> bool:
    href = str(a.get("href") or "").strip()
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:"))


def _row(holder: Any, counts: dict[int, int]) -> tuple[Any, Any] | None:
    """(row, its link or None) for one date holder."""
    dt = holder if holder.name == "dt" else _within(holder, "dt")
    if dt is not None:
        # The dt's dd's up to the next dt: a category <dd> may come before the one with the link.
        dds = []
        for sib in dt.next_siblings:
            if sib.name not in ("dd", "dt"):  # text has no name
                continue
            if sib.name == "dt":
                break
            dds.append(sib)
        for dd in dds:
            link = next((a for a in _links(dd) if _good_link(a)), None)
            if link is not None:
                return dd, link
        if dds:
            return dds[0], None
    node = holder
    while True:
        if node.name == "a" and _good_link(node):
            return node, node
        link = next((a for a in _links(node) if _good_link(a)), None)
        if link is not None:
            return node, link
        parent = node.parent
        if parent is None or parent.name in ("body", "html", "[document]") or counts.get(id(parent), 0) > 1:
            return None  # the next step up holds other notices' dates: this date has no link of its own
        node = parent


def _titled_row(row: Any, link: Any, counts: dict[int, int], date_text: str) -> tuple[Any, Any, str]:
    """A date whose nearest link says nothing else (WordPress's posted-on permalink wrapping only the
    <time>): the notice is the smallest element above it, holding no other notice's date, with a link
    that has a title (the entry-title link of the same <article>). (row, link, "") when there is none."""
    for anc in row.parents:
        if anc.name in ("body", "html", "[document]") or counts.get(id(anc), 0) > 1:
            break
        for a in anc.find_all("a", href=True):
            if (
                a is not link
                and _good_link(a)
                and not _MORE.match(a.get_text(" ", strip=True))
                and (title := _title(a, a, date_text))
            ):
                return anc, a, title
    return row, link, ""


def _title(row: Any, link: Any, date_text: str) -> str:
    """The link's text (else the row's), without the date and category labels around it."""
    said = link.get_text(" ", strip=True) if link is not None else ""
    source = link if said and not _MORE.match(said) else row
    if said and source is row:  # a "read more" link: the card's heading (else its text) is the title
        head = row.find(["h1", "h2", "h3", "h4", "h5", "h6"]) or row.find(
            lambda t: bool(_words(t) & _TITLE_WORDS) and not _MORE.match(t.get_text(" ", strip=True))
        )
        if head is not None and head.get_text(strip=True):
            source = head
    text = " ".join(_text_without_labels(source).split())
    if date_text:
        text = text.replace(" ".join(date_text.split()), " ")
    text = DATE.sub(" ", text) if len(text) < 40 and DATE.fullmatch(text.strip()) else text
    return " ".join(text.split()).strip(" |:：-–—")


def _text_without_labels(source: Any) -> str:
    """source.get_text(" ", strip=True) without its <time>s, short category labels and "read more"
    links: read in one walk that skips them (copying the tree to decompose them took half the time
    discovery spent past the parse)."""
    types = source.interesting_string_types or source.MAIN_CONTENT_STRING_TYPES
    parts = []
    stack = list(reversed(source.contents))
    while stack:
        node = stack.pop()
        if node.name is None:  # text: the kinds get_text reads (not comments, not doctypes)
            if (type(node) is types) if isinstance(types, type) else (type(node) in types):
                if said := node.strip():
                    parts.append(said)
            continue
        if (
            node.name == "time"
            or (_words(node) & _LABEL_WORDS and len(node.get_text(strip=True)) <= 20)
            or (node.name == "a" and _MORE.match(node.get_text(" ", strip=True)))
        ):
            continue  # left out with all it holds
        stack.extend(reversed(node.contents))
    return " ".join(parts)


def notices(soup: Any, base: str, max_items: int) -> list[Item]:
    """The page's dated notice links, in page order (see the module's docstring)."""
    _drop_furniture(soup)
    holders = _date_holders(soup)
    counts: dict[int, int] = {}
    for el, _, _ in holders:
        for anc in el.parents:
            counts[id(anc)] = counts.get(id(anc), 0) + 1
    groups: dict[int, list[Item]] = {}
    listed: dict[int, bool] = {}  # the group's rows are list entries (li, tr, dd, article)
    order: list[int] = []
    links: set[str] = set()
    for el, stamp, date_text in holders:
        found = _row(el, counts)
        if found is None:
            continue
        row, link = found
        # The list a notice belongs to: the nearest element holding other notices' dates too.
        group = next((a for a in row.parents if counts.get(id(a), 0) > 1), None)
        # Hand-made CMS pages leave spaces inside hrefs; browsers send them percent-encoded.
        raw = _SPACE.sub(lambda m: quote(m.group()), str(link.get("href")).strip()) if link is not None else ""
        href = join_link(base, raw) if raw else ""
        if href and urlsplit(href).scheme.lower() not in ("http", "https"):
            href = ""
        title = _title(row, link, date_text)
        if not title and row.parent is not None and counts.get(id(row.parent), 0) <= 1:
            title = _title(row.parent, None, date_text)  # <a>2024.06.05</a> <a>title</a>: the row is the parent
        if not title:
            row, link, title = _titled_row(row, link, counts, date_text)
            if link is not None:
                raw = _SPACE.sub(lambda m: quote(m.group()), str(link.get("href")).strip())
                href = join_link(base, raw)
                href = href if urlsplit(href).scheme.lower() in ("http", "https") else ""
        title = clip(title, MAX_TITLE)
        if not title or _POLICY_TITLE.match(title) or (href and _POLICY_PATH.search(urlsplit(href).path)):
            continue
        if href and href in links:
            continue
        links.add(href)
        key = id(group)
        if key not in groups:
            groups[key] = []
            order.append(key)
        listed[key] = _list_entry(row)
        groups[key].append(Item(title=title, link=clip(href, 2000), guid="", published=stamp))
    items = [i for key in order if len(groups[key]) >= 2 for i in groups[key]]
    if not items:
        # A list holding one notice so far: one list entry, and no other dated link on the page.
        lone = [key for key in order if listed[key] and groups[key][0].link]
        if len(order) == 1 and lone:
            items = groups[lone[0]]
    return items[:max_items]


def _list_entry(row: Any) -> bool:
    """Is the notice's row an entry of a list (not a sentence with a date and a link in it)?"""
    node = row
    for _ in range(3):
        if node is None:
            return False
        if node.name in ("li", "tr", "dd", "article"):
            return True
        if node.name in ("p", "span", "td", "body", "main"):
            return False
        node = node.parent
    return False
