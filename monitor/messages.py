"""Compose alert messages (Block Kit + plain fallback + console text). Pure code, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .alert import Message, context, escape, fields, finish, header, link, owner_mention, section, truncate
from .match import Match
from .vendors import Vendor, supply_chain

_CRIT_ICON = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "⚪"}
CRIT_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    title: str
    link: str
    source: str
    published: str | None
    summary: str
    supply_chain: bool
    follow_up: bool
    terms: tuple[str, ...]


def chain_text(vendor: Vendor, by_name: dict[str, Vendor]) -> str:
    """'NAVER Cloud Corp. — supplier of LY Corporation' (whole chain to the top)."""
    chain = supply_chain(vendor, by_name)
    if not chain:
        return ""
    return f"{vendor.name} — " + " — ".join(f"supplier of {c}" for c in chain)


def _evidence(m: Match) -> str:
    how = {"name": "name", "alias": "alias", "domain": "domain", "fuzzy": "near match"}.get(m.how, m.how)
    score = "" if m.score >= 100 else f", score {m.score:g}"
    return f"{how} “{m.matched}” as “{m.surface}” in {m.field}{score}"


def article_message(facts: ArticleFacts, matches: Sequence[Match], by_name: dict[str, Vendor],
                    incident_id: int | None = None, follow_up_of: str | None = None) -> Message:
    vendors = [by_name[m.vendor] for m in matches if m.vendor in by_name]
    vendors.sort(key=lambda v: CRIT_RANK.get(v.criticality, 9))
    names = ", ".join(v.name for v in vendors)
    top = vendors[0] if vendors else None
    icon = _CRIT_ICON.get(top.criticality, "") if top else ""
    kind = "Supply-chain breach report" if facts.supply_chain else "Breach report"
    if follow_up_of:
        kind = "Follow-up"
    blocks = [header(f"{icon} {kind}: {names}".strip())]
    title_link = link(facts.link, facts.title or "(untitled)", 1000)
    blocks.append(section(f"*{title_link}*"))
    if facts.summary:
        blocks.append(section(truncate(escape(facts.summary), 1200)))
    pairs = [("Source", escape(facts.source)), ("Published", escape(facts.published or "unknown"))]
    for v in vendors[:4]:
        crit = f"{_CRIT_ICON.get(v.criticality, '')} {v.criticality}"
        owner = owner_mention(v.owner) if v.owner else "—"
        pairs.append((escape(v.name), f"{crit} · owner {owner}"))
    blocks.append(fields(pairs))
    why = "\n".join(f"• *{escape(m.vendor)}*: {escape(_evidence(m))}" for m in matches)
    blocks.append(section(f"*Why it matched*\n{why}"))
    notes = []
    for v in vendors:
        chain = chain_text(v, by_name)
        if chain:
            notes.append(f"Fourth party: {escape(chain)}")
        if v.notes:
            notes.append(f"{escape(v.name)}: {escape(v.notes)}")
    if facts.supply_chain:
        notes.append("Entry point was a contractor / 委託先 (supply-chain report)")
    if follow_up_of:
        notes.append(f"Follow-up to incident #{incident_id}: {escape(follow_up_of)}")
    elif incident_id is not None:
        notes.append(f"Incident #{incident_id}")
    if facts.terms:
        notes.append("Breach terms: " + escape(", ".join(facts.terms[:8])))
    if notes:
        blocks.append(context("\n".join(notes)))
    text = f"{kind} naming {escape(names)}: {escape(facts.title)}"
    url = facts.link if link(facts.link, "x").startswith("<") else ""
    if url:
        text += f" {link(url, 'link')}"
    console = _console(kind, facts, vendors, matches, by_name, incident_id, follow_up_of)
    return finish(text, blocks, console)


def _console(kind: str, facts: ArticleFacts, vendors: list[Vendor], matches: Sequence[Match],
             by_name: dict[str, Vendor], incident_id: int | None, follow_up_of: str | None) -> str:
    lines = [f"=== {kind}: {', '.join(v.name for v in vendors)}",
             f"    {facts.title}",
             f"    {facts.link or '(no link)'}",
             f"    source: {facts.source} · published: {facts.published or 'unknown'}"]
    for v in vendors:
        owner = f" · owner {v.owner}" if v.owner else ""
        lines.append(f"    vendor: {v.name} ({v.criticality}{owner})")
        chain = chain_text(v, by_name)
        if chain:
            lines.append(f"    fourth party: {chain}")
    for m in matches:
        lines.append(f"    why: {m.vendor}: {_evidence(m)}")
    if facts.supply_chain:
        lines.append("    supply chain: entry point was a contractor / 委託先")
    if incident_id is not None:
        lines.append(f"    incident #{incident_id}" + (f" (follow-up to: {follow_up_of})" if follow_up_of else ""))
    # Terminal escape sequences in feed text must not reach the operator's terminal.
    return "".join(ch if ch in "\n" or ch.isprintable() else "?" for ch in "\n".join(lines))


def health_message(source: str, url: str, failures: int, error: str, recovered: bool = False,
                   empty: bool = False) -> Message:
    if recovered:
        title = f"✅ Source recovered: {source}"
        body = f"*{escape(source)}* is being read again ({escape(url)})."
    elif empty:
        title = f"⚠️ Source returns no items: {source}"
        body = (f"*{escape(source)}* parsed to zero items after returning items before. "
                f"The page layout or selectors may have changed. ({escape(url)})")
    else:
        title = f"⚠️ Source failing: {source}"
        body = (f"*{escape(source)}* failed {failures} times in a row. Breach news from it is not being "
                f"seen.\nLast error: {escape(error)}\n{escape(url)}")
    console = f"=== {title}\n    {error or url}"
    return finish(f"{escape(title)}", [header(title), section(body)], console)


def digest_message(items: list[tuple[str, str, str, str]]) -> Message:
    """items: (vendor, title, link, source) for low-criticality alerts of the day."""
    blocks = [header(f"Daily digest: {len(items)} low-criticality vendor reports")]
    lines = [f"• *{escape(v)}*: {link(u, t, 300)} ({escape(s)})" for v, t, u, s in items]
    chunk: list[str] = []
    for line in lines:
        if sum(len(x) + 1 for x in chunk) + len(line) > 2900:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    console = "=== Daily digest\n" + "\n".join(f"    {v}: {t} {u}" for v, t, u, _ in items)
    return finish(f"Daily digest: {len(items)} low-criticality vendor reports", blocks, console)
