"""JVN's vulnerability feed (JVNDB RSS 1.0/RDF, e.g. https://jvndb.jvn.jp/ja/rss/jvndb_new.rdf) as
Advisories. Pure; runs in the parser workers.

Each <item> carries, in JVN's mod_sec namespace, the JVNDB id (sec:identifier), CVE references
(sec:references source="CVE"), the products (sec:cpe vendor="..." product="...">cpe:/a:vendor:product)
and CVSS base scores (sec:cvss score= version= severity=), dated by dcterms:issued (first published),
else dc:date. feedparser keeps none of the sec: attributes, so the document is read with the standard
library's ElementTree (expat), after the same refusal of entity-declaring DOCTYPEs as every feed
(sources/parse.py): with no entity declared there is nothing to expand, and ElementTree never loads
an external DTD or entity (an undeclared reference is a parse error).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ParseError
from ..records import Skipped
from ..textutil import clip, html_to_text, iso, parse_date
from .advisory import Advisories, Advisory
from .parse import MAX_SUMMARY, MAX_TITLE, Item, feedparser_bytes, join_link, refuse_entity_doctype

RSS = "{http://purl.org/rss/1.0/}"
SEC = "{http://jvn.jp/rss/mod_sec/3.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"
FIELD = "sec:cpe vendor"
# CPE vendor tokens that name no vendor: JVN files WordPress plugins and the like under "misc".
_NO_VENDOR = {"", "*", "-", "misc"}
_CPE = re.compile(r"^cpe:/[aho]:([^:]+)", re.I)


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v)[:2]) or (0,)


def best_score(scores: list[tuple[str, float, str]]) -> tuple[float, str, str] | None:
    """(score, version, severity) of the newest CVSS version the entry gives (v3 over v2: the one
    JVN leads with), the highest of that version; None when it gives none."""
    if not scores:
        return None
    version, score, severity = max(scores, key=lambda s: (_version(s[0]), s[1]))
    return score, version, severity


def _item(node: Any, base_url: str) -> Advisory | None:
    def text(tag: str) -> str:
        found = node.find(tag)
        return " ".join((found.text or "").split()) if found is not None and found.text else ""

    ident = clip(text(f"{SEC}identifier"), 60)
    title = clip(html_to_text(text(f"{RSS}title")), MAX_TITLE)
    link = clip(
        join_link(
            base_url, text(f"{RSS}link") or str(node.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "")
        ),
        2000,
    )
    if not title and not link:
        return None
    cves = [clip(r.get("id") or "", 40) for r in node.iter(f"{SEC}references") if r.get("source") == "CVE"]
    vendors: list[str] = []
    products: list[str] = []
    for cpe in node.iter(f"{SEC}cpe"):
        vendor = clip(" ".join((cpe.get("vendor") or "").split()), 200)
        product = clip(" ".join((cpe.get("product") or "").split()), 200)
        token = _CPE.match((cpe.text or "").strip())
        for name in (vendor, token.group(1).replace("_", " ") if token else ""):
            if name.lower() not in _NO_VENDOR and name not in vendors:
                vendors.append(name)
        if product and product not in products:
            products.append(product)
    scores = []
    for c in node.iter(f"{SEC}cvss"):
        try:
            scores.append((c.get("version") or "", float(c.get("score") or ""), c.get("severity") or ""))
        except ValueError:
            continue
    best = best_score(scores)
    cvss = f"CVSS {best[1]} {best[0]:g} ({best[2]})" if best else "no CVSS score"
    what = ", ".join(products[:5]) or title
    published = parse_date(text(f"{DCTERMS}issued") or text(f"{DC}date"))
    facts = " · ".join(p for p in (ident, ", ".join(cves[:10]), f"product: {what}", cvss) if p)
    summary = f"{facts}\n{html_to_text(text(f'{RSS}description'))}".strip()
    reason = f"a vulnerability in its product {what} ({ident or 'JVN'}, {cvss}) published by JVN"
    return Advisory(
        Item(title=title or ident, link=link, guid=ident, published=iso(published), summary=clip(summary, MAX_SUMMARY)),
        tuple(vendors),
        FIELD,
        reason,
        best[0] if best else None,
    )


def parse_rdf(body: bytes, content_type: str, base_url: str, max_items: int) -> Advisories:
    from xml.etree import ElementTree

    refuse_entity_doctype(body)
    # A UTF-16 document hides "<!ENTITY" from a byte search: check the decoded form too.
    refuse_entity_doctype(feedparser_bytes(body, content_type))
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as e:
        raise ParseError(f"not a JVN RDF feed: {clip(str(e), 150)}") from e
    if not str(root.tag).endswith("RDF"):
        raise ParseError("not a JVN RDF feed (no rdf:RDF root element)")
    out: list[Advisory] = []
    skipped = Skipped()
    for node in root.iter(f"{RSS}item"):
        if len(out) + skipped.count >= max_items:
            break
        try:
            advisory = _item(node, base_url)
        except MemoryError:
            raise
        except Exception as error:
            skipped = skipped.add(error)
            continue
        if advisory is not None:
            out.append(advisory)
    return Advisories(tuple(out), skipped)
