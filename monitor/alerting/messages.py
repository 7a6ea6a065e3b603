"""Compose alert messages (Block Kit + plain fallback + console text). Pure code, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timezone, tzinfo

from .. import criticality
from ..matching import roles as roles_of
from ..matching.matcher import Match
from ..matching.vendors import Vendor, supply_chain
from ..textutil import local_time, parse_iso
from ..textutil import printable as _printable
from .slack import (
    SECTION_MAX,
    TEXT_MAX,
    URL_MAX,
    Message,
    context,
    escape,
    fields,
    finish,
    header,
    link,
    owner_mention,
    safe_url,
    section,
    shown_url,
    truncate,
)


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    title: str
    link: str
    source: str
    published: str | None
    summary: str
    supply_chain: bool
    terms: tuple[str, ...]
    leak_site: bool = False  # the source posts leak-site claims
    page: str = ""  # the source's own page for a reader (a tracker's site), linked for leak-site claims

    @property
    def claim(self) -> bool:
        """A leak-site claim: from a leak-site source, or an item whose only link is an onion address."""
        return self.leak_site or is_onion(self.link)


def is_onion(url: str) -> bool:
    host = url.strip().split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    return host.lower().rstrip(".").endswith(".onion")


def defanged(url: str) -> str:
    """hxxp://abc[.]onion/x: readable for the analyst, never a link Slack or a terminal makes clickable."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep:
        scheme, rest = "", scheme
    host, slash, path = rest.partition("/")
    shown = (scheme.lower().replace("http", "hxxp") + "://" if sep else "") + host.replace(".", "[.]") + slash + path
    return shown_url(shown)


CLAIM_KIND = "Leak-site claim (unverified)"


def chain_text(vendor: Vendor, by_name: dict[str, Vendor]) -> str:
    """'NAVER Cloud Corp. — supplier of LY Corporation' (whole chain to the top)."""
    chain = supply_chain(vendor, by_name)
    if not chain:
        return ""
    return f"{vendor.name} — " + " — ".join(f"supplier of {c}" for c in chain)


def slack_date(stamp: str | None) -> str:
    """A stored UTC timestamp as Slack's date token, which each reader's client shows in their own
    time zone ('Yesterday 18:00'); the fallback, for clients that cannot, is the UTC time."""
    dt = parse_iso(stamp)
    if dt is None:
        return escape(stamp or "unknown")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    fallback = dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(dt.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _evidence(m: Match) -> str:
    if m.how == "newsroom":  # sources/newsroom.py: the most authoritative source there is
        return f"the vendor's own notice, on its newsroom {m.matched}"
    how = {"name": "name", "alias": "alias", "domain": "domain", "fuzzy": "near match"}.get(m.how, m.how)
    score = "" if m.score >= 100 else f", score {m.score:g}"
    return f"{how} “{m.matched}” as “{m.surface}” in {m.field}{score}"


def _role(m: Match, roles: Sequence[roles_of.RoleOf]) -> str:
    """' — breached: named in the headline of a breach report' (nothing when roles were not decided)."""
    if not roles:
        return ""
    r = roles_of.of_match(m, roles)
    return f" — {r.role}: {r.reason}"


@dataclass(frozen=True, slots=True)
class IncidentRef:
    """The incident an alert belongs to, as the message tells it."""
    id: int
    first_title: str = ""  # title of the incident's first report; empty when this report opens it
    report_no: int = 1
    reason: str = ""
    follow_up: bool = False


def article_message(facts: ArticleFacts, matches: Sequence[Match], by_name: dict[str, Vendor],
                    alert_id: int | None = None, incident: IncidentRef | None = None,
                    tz: tzinfo = timezone.utc, roles: Sequence[roles_of.RoleOf] = ()) -> Message:
    """An alert for one breach report. Every string from the feed is escaped before it is truncated.

    roles: the matches' roles (matching/roles.py): the alert is headed with the first vendor's in words."""
    vendors = [by_name[m.vendor] for m in matches if m.vendor in by_name]
    vendors.sort(key=lambda v: criticality.rank(v.criticality))
    names = ", ".join(v.name for v in vendors)
    top = vendors[0] if vendors else None
    icon = criticality.ICON.get(top.criticality, "") if top else ""
    joined = incident is not None and incident.report_no > 1
    kind = "Supply-chain breach report" if facts.supply_chain else "Breach report"
    if roles and top is not None:
        first = next(roles_of.of_match(m, roles) for m in matches if m.vendor == top.name)
        kind = roles_of.heading(first.role, first.via)
    if incident is not None and joined:
        kind = "Follow-up" if incident.follow_up else "Another report"
    if facts.claim:
        kind = CLAIM_KIND
    elif not joined and any(m.how == "newsroom" for m in matches):
        kind = "Vendor's own notice"
    blocks = [header(f"{icon} {kind}: {names}".strip())]
    # A leak-site post's own link goes to the criminals' site: link the tracker's page instead.
    shown_link = (facts.page or "") if facts.claim else facts.link
    target = safe_url(shown_link)
    title_link = link(shown_link, facts.title or "(untitled)", 1000)
    blocks.append(section(f"*{title_link}*"))
    if facts.summary:
        blocks.append(section(truncate(escape(facts.summary), 1200)))
    pairs = [("Source", escape(facts.source)), ("Published", slack_date(facts.published))]
    for v in vendors[:4]:
        crit = f"{criticality.ICON.get(v.criticality, '')} {v.criticality}"
        owner = owner_mention(v.owner) if v.owner else "—"
        pairs.append((escape(v.name), f"{crit} · owner {owner}"))
    blocks.append(fields(pairs))
    why = "\n".join(f"• *{escape(m.vendor)}*: {escape(_evidence(m))}{escape(_role(m, roles))}" for m in matches)
    blocks.append(section(f"*Why it matched*\n{why}"))
    notes = []
    for v in vendors:
        chain = chain_text(v, by_name)
        if chain:
            notes.append(f"Fourth party: {escape(chain)}")
        if v.notes:
            notes.append(f"{escape(v.name)}: {escape(v.notes)}")
    if facts.supply_chain:
        notes.append("Supply-chain report: the entry point was a contractor / 委託先")
    if facts.claim:
        notes.append("Claimed on a leak site; not confirmed by the vendor."
                     + (f" Post (not opened; do not visit): {defanged(facts.link)}" if facts.link else ""))
    elif target is None and facts.link:
        notes.append(f"Link not clickable (not an http(s) URL): {shown_url(facts.link)}")
    if incident is not None:
        if joined:
            notes.append(f"Incident #{incident.id}, report {incident.report_no}: "
                         f"{truncate(escape(incident.first_title), 300)} ({escape(incident.reason)})")
        else:
            notes.append(f"Incident #{incident.id} (new)")
    if facts.terms:
        notes.append("Breach terms: " + escape(", ".join(facts.terms[:8])))
    if alert_id is not None:
        notes.append(f"Alert #{alert_id} · wrong vendor? `monitor feedback {alert_id} --false-positive`")
    if notes:
        blocks.append(context("\n".join(notes)))
    text = f"{kind} naming {escape(names)}: {escape(facts.title)}"
    if incident is not None and joined:
        text = f"{kind} on incident #{incident.id} ({escape(incident.first_title)}) naming {escape(names)}: " \
               f"{escape(facts.title)}"
    text = truncate(text, TEXT_MAX - URL_MAX - 10)
    if target is not None and len(target) <= URL_MAX:
        text += f" {link(shown_link, 'link')}"
    console = _console(kind, facts, vendors, matches, by_name, alert_id, incident, tz, roles)
    return finish(text, blocks, console)


def _console_link(facts: ArticleFacts) -> str:
    if facts.claim:
        post = f" · leak-site post (not opened): {defanged(facts.link)}" if facts.link else ""
        return f"{facts.page or '(no tracker page)'}{post}"
    return facts.link or "(no link)"


def _console(kind: str, facts: ArticleFacts, vendors: list[Vendor], matches: Sequence[Match],
             by_name: dict[str, Vendor], alert_id: int | None, incident: IncidentRef | None,
             tz: tzinfo, roles: Sequence[roles_of.RoleOf] = ()) -> str:
    published = local_time(facts.published, tz) or facts.published or "unknown"
    lines = [f"=== {kind}: {', '.join(v.name for v in vendors)}",
             f"    {facts.title}",
             f"    {_console_link(facts)}",
             f"    source: {facts.source} · published: {published}"]
    for v in vendors:
        owner = f" · owner {v.owner}" if v.owner else ""
        lines.append(f"    vendor: {v.name} ({v.criticality}{owner})")
        chain = chain_text(v, by_name)
        if chain:
            lines.append(f"    fourth party: {chain}")
    for m in matches:
        lines.append(f"    why: {m.vendor}: {_evidence(m)}{_role(m, roles)}")
    if facts.supply_chain:
        lines.append("    supply chain: entry point was a contractor / 委託先")
    if incident is not None:
        more = f", report {incident.report_no}: {incident.first_title} ({incident.reason})" \
            if incident.report_no > 1 else " (new)"
        lines.append(f"    incident #{incident.id}{more}")
    if alert_id is not None:
        lines.append(f"    alert #{alert_id} (wrong? monitor feedback {alert_id} --false-positive)")
    return _printable("\n".join(lines))


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
    console = _printable(f"=== {title}\n    {error or url}")
    return finish(f"{escape(title)}", [header(title), section(body)], console)


DIGEST_MAX_ITEMS = 40  # keeps one digest within 50 blocks even with 1,500-character URLs


def _digest_title(title: str, url: str) -> str:
    if is_onion(url):  # a leak-site post: never a clickable link
        return f"{truncate(escape(title), 300)} (leak-site claim, unverified: {defanged(url)})"
    return link(url, title, 300)


def digest_message(items: list[tuple[int, str, str, str, str]], part: int = 1, parts: int = 1) -> Message:
    """items: (alert id, vendor, title, link, source) of held low-criticality alerts, at most DIGEST_MAX_ITEMS."""
    if len(items) > DIGEST_MAX_ITEMS:
        raise ValueError(f"a digest holds at most {DIGEST_MAX_ITEMS} items, got {len(items)}")
    of = f" (part {part} of {parts})" if parts > 1 else ""
    title = f"Daily digest: {len(items)} low-criticality vendor report{'s' if len(items) != 1 else ''}{of}"
    blocks = [header(title)]
    lines = [f"• *{escape(v)}*: {_digest_title(t, u)} ({escape(s)}) · alert #{i}" for i, v, t, u, s in items]
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > SECTION_MAX - 100:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(context("Wrong vendor? `monitor feedback ALERT_ID --false-positive`"))
    console = _printable(f"=== {title}\n" + "\n".join(f"    #{i} {v}: {t} {u}" for i, v, t, u, _ in items))
    return finish(escape(title), blocks, console)


def incident_note_message(text: str, link_url: str = "", link_label: str = "") -> Message:
    """A note about a correction by hand (merge, split), posted into the incident threads it concerns.
    `text` is ours but names titles from feeds: escaped here."""
    body = escape(text) + (f" {link(link_url, link_label)}" if link_url else "")
    return finish(truncate(escape(text), TEXT_MAX - 10), [section(body)],
                  _printable(f"=== Incident corrected by hand\n    {text}" + (f" {link_url}" if link_url else "")))
