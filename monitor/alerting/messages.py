"""Compose alert messages (Block Kit + plain fallback + console text). Pure code, no I/O."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any

from .. import criticality
from ..matching.vendors import Vendor, supply_chain
from ..textutil import local_time, parse_iso
from ..textutil import printable as _printable
from .labels import label

if TYPE_CHECKING:
    from ..matching import roles as roles_of
    from ..matching.matcher import Match

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


def chain_text(vendor: Vendor, by_name: dict[str, Vendor], lang: str = "en") -> str:
    """'NAVER Cloud Corp. — supplier of LY Corporation' (whole chain to the top)."""
    chain = supply_chain(vendor, by_name)
    if not chain:
        return ""
    return f"{vendor.name} — " + " — ".join(label(lang, "supplier_of", name=c) for c in chain)


def slack_date(stamp: str | None) -> str:
    """A stored UTC timestamp as Slack's date token, which each reader's client shows in their own
    time zone ('Yesterday 18:00'); the fallback, for clients that cannot, is the UTC time."""
    dt = parse_iso(stamp)
    if dt is None:
        return escape(stamp or "unknown")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    fallback = dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(dt.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _evidence(m: Match, lang: str = "en") -> str:
    if m.how == "newsroom":  # sources/newsroom.py: the most authoritative source there is
        return label(lang, "evidence.newsroom", url=m.matched)
    how = label(lang, f"how.{m.how}") if m.how in ("name", "alias", "product", "domain", "fuzzy") else m.how
    score = "" if m.score >= 100 else label(lang, "score", score=f"{m.score:g}")
    where = label(lang, f"in.{m.field}") if m.field in ("title", "summary", "body", "link") else m.field
    return label(lang, "evidence", how=how, matched=m.matched, surface=m.surface, field=where, score=score)


def _of_match(m: Match, roles: Sequence[roles_of.RoleOf]) -> roles_of.RoleOf:
    # Imported when a report is alerted, not by every run: matching/roles compiles ~40 patterns.
    from ..matching.roles import of_match

    return of_match(m, roles)


def _role(m: Match, roles: Sequence[roles_of.RoleOf]) -> str:
    """' — breached: named in the headline of a breach report' (nothing when roles were not decided)."""
    if not roles:
        return ""
    r = _of_match(m, roles)
    return f" — {r.role}: {r.reason}"


@dataclass(frozen=True, slots=True)
class IncidentRef:
    """The incident an alert belongs to, as the message tells it."""

    id: int
    first_title: str = ""  # title of the incident's first report; empty when this report opens it
    report_no: int = 1
    reason: str = ""
    follow_up: bool = False


def _role_heading(
    matches: Sequence[Match],
    vendors: Sequence[Vendor],
    roles: Sequence[roles_of.RoleOf],
    lang: str,
    kind: str,
    names: str,
) -> tuple[str, str]:
    """(kind, names) for the header: when the vendors play different parts (a client and its contractor),
    each part is named with its own vendors, so the contractor is not headed as the one exposed through it."""
    parts: dict[str, list[str]] = {}
    for v in vendors:
        r = next((_of_match(m, roles) for m in matches if m.vendor == v.name), None)
        if r is None:
            continue
        key = "role.affected_unnamed" if r.role == "affected" and not r.via else f"role.{r.role}"
        parts.setdefault(label(lang, key, via=r.via), []).append(v.name)
    if len(parts) < 2:
        return kind, names
    first, *rest = parts.items()
    return first[0], " · ".join([", ".join(first[1]), *(f"{k}: {', '.join(n)}" for k, n in rest)])


def article_message(
    facts: ArticleFacts,
    matches: Sequence[Match],
    by_name: dict[str, Vendor],
    alert_id: int | None = None,
    incident: IncidentRef | None = None,
    tz: tzinfo = UTC,
    lang: str = "en",
    roles: Sequence[roles_of.RoleOf] = (),
) -> Message:
    """An alert for one breach report. Every string from the feed is escaped before it is truncated.
    `lang` (slack.language) picks the labels' wording (alerting/labels.py); roles: the matches' roles
    (matching/roles.py): the alert is headed with the first vendor's in words."""
    vendors = [by_name[m.vendor] for m in matches if m.vendor in by_name]
    vendors.sort(key=lambda v: criticality.rank(v.criticality))
    names = ", ".join(v.name for v in vendors)
    top = vendors[0] if vendors else None
    icon = criticality.ICON.get(top.criticality, "") if top else ""
    joined = incident is not None and incident.report_no > 1
    kind = label(lang, "kind.supply_chain" if facts.supply_chain else "kind.breach")
    if roles and top is not None:
        first = next(_of_match(m, roles) for m in matches if m.vendor == top.name)
        unnamed = first.role == "affected" and not first.via  # the text names no contractor
        kind = label(lang, "role.affected_unnamed" if unnamed else f"role.{first.role}", via=first.via)
        kind, names = _role_heading(matches, vendors, roles, lang, kind, names)
    if incident is not None and joined:
        kind = label(lang, "kind.follow_up" if incident.follow_up else "kind.another")
    if facts.claim:
        kind = label(lang, "kind.claim")
    elif not joined and any(m.how == "newsroom" for m in matches):
        kind = label(lang, "kind.newsroom")
    blocks = [header(f"{icon} {kind}: {names}".strip())]
    # A leak-site post's own link goes to the criminals' site: link the tracker's page instead.
    shown_link = (facts.page or "") if facts.claim else facts.link
    target = safe_url(shown_link)
    title_link = link(shown_link, facts.title or "(untitled)", 1000)
    blocks.append(section(f"*{title_link}*"))
    if facts.summary:
        blocks.append(section(truncate(escape(facts.summary), 1200)))
    pairs = [
        (label(lang, "field.source"), escape(facts.source)),
        (label(lang, "field.published"), slack_date(facts.published)),
    ]
    for v in vendors[:4]:
        crit = f"{criticality.ICON.get(v.criticality, '')} {label(lang, f'crit.{v.criticality}')}"
        owner = owner_mention(v.owner) if v.owner else "—"
        pairs.append((escape(v.name), label(lang, "owner", crit=crit, owner=owner)))
    blocks.append(fields(pairs))
    why = "\n".join(f"• *{escape(m.vendor)}*: {escape(_evidence(m, lang))}{escape(_role(m, roles))}" for m in matches)
    blocks.append(section(f"*{label(lang, 'why')}*\n{why}"))
    notes = []
    for v in vendors:
        chain = chain_text(v, by_name, lang)
        if chain:
            notes.append(label(lang, "fourth_party", chain=escape(chain)))
        if v.notes:
            notes.append(f"{escape(v.name)}: {escape(v.notes)}")
    if facts.supply_chain:
        notes.append(label(lang, "supply_chain_note"))
    if facts.claim:
        notes.append(
            label(lang, "claim_note") + (label(lang, "claim_post", post=defanged(facts.link)) if facts.link else "")
        )
    elif target is None and facts.link:
        notes.append(label(lang, "not_clickable", url=shown_url(facts.link)))
    if incident is not None:
        if joined:
            notes.append(
                label(
                    lang,
                    "incident_joined",
                    id=incident.id,
                    no=incident.report_no,
                    title=truncate(escape(incident.first_title), 300),
                    reason=escape(incident.reason),
                )
            )
        else:
            notes.append(label(lang, "incident_new", id=incident.id))
    if facts.terms:
        notes.append(label(lang, "terms", terms=escape(", ".join(facts.terms[:8]))))
    if alert_id is not None:
        notes.append(label(lang, "feedback", id=alert_id))
    if notes:
        blocks.append(context("\n".join(notes)))
    text = label(lang, "text", kind=kind, names=escape(names), title=escape(facts.title))
    if incident is not None and joined:
        text = label(
            lang,
            "text_joined",
            kind=kind,
            id=incident.id,
            first=escape(incident.first_title),
            names=escape(names),
            title=escape(facts.title),
        )
    text = truncate(text, TEXT_MAX - URL_MAX - 10)
    if target is not None and len(target) <= URL_MAX:
        text += f" {link(shown_link, 'link')}"
    console = _console(f"{kind}: {names}", facts, vendors, matches, by_name, alert_id, incident, tz, roles)
    return finish(text, blocks, console)


def _console_link(facts: ArticleFacts) -> str:
    if facts.claim:
        post = f" · leak-site post (not opened): {defanged(facts.link)}" if facts.link else ""
        return f"{facts.page or '(no tracker page)'}{post}"
    return facts.link or "(no link)"


def _console(
    heading: str,
    facts: ArticleFacts,
    vendors: list[Vendor],
    matches: Sequence[Match],
    by_name: dict[str, Vendor],
    alert_id: int | None,
    incident: IncidentRef | None,
    tz: tzinfo,
    roles: Sequence[roles_of.RoleOf] = (),
) -> str:
    published = local_time(facts.published, tz) or facts.published or "unknown"
    lines = [
        f"=== {heading}",  # the Slack header's words: each vendor under its own part
        f"    {facts.title}",
        f"    {_console_link(facts)}",
        f"    source: {facts.source} · published: {published}",
    ]
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
        more = (
            f", report {incident.report_no}: {incident.first_title} ({incident.reason})"
            if incident.report_no > 1
            else " (new)"
        )
        lines.append(f"    incident #{incident.id}{more}")
    if alert_id is not None:
        lines.append(f"    alert #{alert_id} (wrong? monitor feedback {alert_id} --wrong-vendor)")
    return _printable("\n".join(lines))


def health_message(
    source: str,
    url: str,
    failures: int,
    error: str,
    recovered: bool = False,
    empty: bool = False,
    before: bool = True,
    lang: str = "en",
) -> Message:
    if recovered:
        title = label(lang, "health.recovered", source=source)
        body = label(lang, "health.recovered_body", source=escape(source), url=escape(url))
    elif empty:
        title = label(lang, "health.empty", source=source)
        body = label(
            lang, "health.empty_body" if before else "health.empty_first_body", source=escape(source), url=escape(url)
        )
    else:
        title = label(lang, "health.failing", source=source)
        body = label(
            lang, "health.failing_body", source=escape(source), failures=failures, error=escape(error), url=escape(url)
        )
    console = _printable(f"=== {title}\n    {error or url}")
    return finish(f"{escape(title)}", [header(title), section(body)], console)


DIGEST_MAX_ITEMS = 40  # keeps one digest within 50 blocks even with 1,500-character URLs


def _digest_title(title: str, url: str, lang: str = "en") -> str:
    if is_onion(url):  # a leak-site post: never a clickable link
        return f"{truncate(escape(title), 300)} {label(lang, 'digest.claim', post=defanged(url))}"
    return link(url, title, 300)


def digest_message(
    items: list[tuple[int, str, str, str, str]], part: int = 1, parts: int = 1, lang: str = "en"
) -> Message:
    """items: (alert id, vendor, title, link, source) of held low-criticality alerts, at most DIGEST_MAX_ITEMS."""
    if len(items) > DIGEST_MAX_ITEMS:
        raise ValueError(f"a digest holds at most {DIGEST_MAX_ITEMS} items, got {len(items)}")
    of = label(lang, "digest.part", part=part, parts=parts) if parts > 1 else ""
    title = label(lang, "digest.title", n=len(items), s="s" if len(items) != 1 else "", part=of)
    blocks = [header(title)]
    lines = [
        f"• *{escape(v)}*: {_digest_title(t, u, lang)} ({escape(s)}) · {label(lang, 'digest.alert', id=i)}"
        for i, v, t, u, s in items
    ]
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > SECTION_MAX - 100:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    blocks.append(context(label(lang, "digest.feedback")))
    console = _printable(f"=== {title}\n" + "\n".join(f"    #{i} {v}: {t} {u}" for i, v, t, u, _ in items))
    return finish(escape(title), blocks, console)


def incident_note_message(text: str, link_url: str = "", link_label: str = "") -> Message:
    """A note about a correction by hand (merge, split), posted into the incident threads it concerns.
    `text` is ours but names titles from feeds: escaped here."""
    body = escape(text) + (f" {link(link_url, link_label)}" if link_url else "")
    return finish(
        truncate(escape(text), TEXT_MAX - 10),
        [section(body)],
        _printable(f"=== Incident corrected by hand\n    {text}" + (f" {link_url}" if link_url else "")),
    )


# ---------------------------------------------------------------------- the incident's top-level message

INCIDENT_BLOCK_ID = "monitor_incident_state"


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    """What an incident's top-level message shows about it, kept current with chat.update."""

    id: int
    status: str  # where it stands, from the newest report (incidents.status)
    reports: int
    sources: int
    first_seen: str | None
    last_seen: str | None
    largest: int  # the largest affected count so far (0: none given)
    newest_title: str
    newest_link: str
    moved_to: int | None = None  # this message was the parent, until a correction by hand moved it here
    moved_how: str = ""  # "merged" | "split"

    def line(self) -> str:
        """The summary as one line of plain text (for the fallback text and the console)."""
        largest = f" · largest affected count {self.largest:,}" if self.largest else ""
        return (
            f"Incident #{self.id}: {self.status} · {self.reports} report{'s' * (self.reports != 1)} from "
            f"{self.sources} source{'s' * (self.sources != 1)} · first seen {(self.first_seen or '?')[:10]}, "
            f"last seen {(self.last_seen or '?')[:10]}{largest}"
        )


def incident_state_block(s: IncidentSummary) -> dict[str, Any]:
    """The block the top-level message carries once its incident has more than one report."""
    lines = []
    if s.moved_to is not None:
        lines.append(
            f"*{'Merged' if s.moved_how == 'merged' else 'Split out'} by hand into incident #{s.moved_to}*: "
            "its later reports are threaded there"
        )
    largest = f" · largest affected count *{s.largest:,}*" if s.largest else ""
    lines.append(
        f"*Incident #{s.id}: {escape(s.status)}* · {s.reports} report{'s' * (s.reports != 1)} from "
        f"{s.sources} source{'s' * (s.sources != 1)} · first seen {slack_date(s.first_seen)} · last seen "
        f"{slack_date(s.last_seen)}{largest}"
    )
    lines.append(f"Newest: {link(s.newest_link, s.newest_title or '(untitled)', 300)}")
    return {**section("\n".join(lines)), "block_id": INCIDENT_BLOCK_ID}


def with_incident_state(message: Message, s: IncidentSummary | None) -> Message:
    """The report as first posted, with its incident's current state under the headline (replaced, not
    added to, on every update: the update is idempotent)."""
    blocks = [b for b in message.blocks if b.get("block_id") != INCIDENT_BLOCK_ID]
    if s is None:
        return Message(message.text, tuple(blocks), message.console)
    blocks = blocks[:2] + [incident_state_block(s)] + blocks[2:]  # under the headline and the title
    text = truncate(f"{message.text}\n{escape(s.line())}", TEXT_MAX)
    return finish(text, blocks, message.console)


def broadcast_note(message: Message, reason: str, broadcast: bool) -> Message:
    """A later report that changes its incident's picture says why; `broadcast`: a thread reply also
    shown in the channel."""
    note = context(
        f":loudspeaker: {'Also sent to the channel' if broadcast else 'Changes the picture'}: {escape(reason)}"
    )
    done = finish(message.text, [*message.blocks, note], message.console + f"\n    changes the picture: {reason}")
    return dataclasses.replace(done, broadcast=broadcast)


SUMMARY_MAX_ITEMS = 200  # one summary message (50 blocks of 3,000 characters) holds this many report lines


def followups_message(
    incident_id: int, incident_title: str, day: str, items: Sequence[tuple[int, str, str, str]], lang: str = "en"
) -> Message:
    """Without threads (webhook, console): one message per incident per day for its later reports.
    items: (alert id, title, link, source), every one of the day's."""
    n = len(items)
    title = f"{n} more report{'s' * (n != 1)} about incident #{incident_id} on {day}"
    blocks = [header(title), section(f"*{escape(truncate(incident_title, 300))}*")]
    lines = [f"• {link(u, t or '(untitled)', 300)} ({escape(s)}) · alert #{i}" for i, t, u, s in items]
    chunk: list[str] = []
    for line in lines[:SUMMARY_MAX_ITEMS]:
        if chunk and sum(len(x) + 1 for x in chunk) + len(line) > SECTION_MAX - 100:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    if n > SUMMARY_MAX_ITEMS:
        blocks.append(context(f"… {n - SUMMARY_MAX_ITEMS} more: monitor incidents --json"))
    console = _printable(
        f"=== {title}: {incident_title}\n" + "\n".join(f"    #{i} {t} {u} ({s})" for i, t, u, s in items)
    )
    return finish(escape(f"{title}: {incident_title}"), blocks, console)
