"""Analyst verdicts on alerts, kept apart because they teach different things.

- wrong vendor (the text names another organisation: "Jack in the Box", not Box Inc.): suppresses
  that vendor named that way in that context only: the matched text plus the words around it (up to
  two before and one after, or a phrase the analyst gives). "Box confirms breach" still alerts.
- not a breach (the detector was wrong: a product launch about 情報漏えい対策): the article becomes a
  labelled negative; later reports with a near-identical title are stored but not alerted, and
  `monitor eval --export-negatives` writes them out for the labelled set. The vendor is never
  suppressed: "Fujitsu confirms ransomware attack" still alerts.
- true positive: recorded only.

Both last until removed (`monitor feedback remove`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import clock
from ..errors import MonitorError
from ..matching.context import context_of, surroundings
from ..normalize import fold
from .store import Store

if TYPE_CHECKING:
    from ..matching.matcher import Match

VERDICTS = ("wrong_vendor", "not_breach", "true_positive")
# Before issue 20 one "false positive" verdict did the work of both, by suppressing the vendor.
LEGACY_VERDICTS = {"false_positive": "wrong_vendor"}
NEAR_IDENTICAL = 90.0  # rapidfuzz ratio of folded titles at or above which a labelled negative applies


@dataclass(frozen=True, slots=True)
class Suppression:
    """A wrong-vendor verdict: `vendor` named as `matched` (folded) between `before` and `after`
    (folded; '' = anything)."""

    vendor: str
    matched: str
    before: str = ""
    after: str = ""

    @property
    def context(self) -> str:
        return " ".join(p for p in (self.before, self.matched, self.after) if p)


@dataclass(frozen=True, slots=True)
class Rules:
    """What feedback withholds in a cycle: read once, under the run lock."""

    suppressions: tuple[Suppression, ...] = ()
    negatives: tuple[str, ...] = ()  # folded titles of articles labelled "not a breach"

    def allowed(self, matches: tuple[Match, ...], texts: Mapping[str, str]) -> tuple[Match, ...]:
        return tuple(m for m in matches if not suppressed_by(self.suppressions, m, texts))

    def negative(self, title: str) -> bool:
        """Is this title near-identical to one labelled "not a breach"?"""
        if not self.negatives:
            return False
        from rapidfuzz import fuzz

        t = fold(title)
        return any(fuzz.ratio(t, n) >= NEAR_IDENTICAL for n in self.negatives)


def suppressed_by(
    suppressions: tuple[Suppression, ...] | list[Suppression], m: Match, texts: Mapping[str, str]
) -> Suppression | None:
    """The suppression covering this match, if any: same vendor, same text, same surroundings."""
    surface = fold(m.surface or "") or m.matched
    around: tuple[str, str] | None = None
    located = False  # surroundings are computed once, when a suppression needs them
    for s in suppressions:
        if s.vendor != m.vendor or s.matched not in (surface, m.matched):
            continue
        if not s.before and not s.after:
            return s
        if not located:
            around, located = surroundings(texts.get(m.field, ""), m.start, m.end), True
        if around is not None and around[0].endswith(s.before) and around[1].startswith(s.after):
            return s
    return None


def _article(store: Store, alert_id: int) -> dict[str, Any]:
    row = store.db.execute("SELECT article_id FROM alerts WHERE id = ?", [alert_id]).fetchone()
    if row is None:
        raise MonitorError(f"no alert #{alert_id} (see 'monitor alerts')")
    if row[0] is None:
        raise MonitorError(f"alert #{alert_id} is not about an article (a digest or health alert)")
    art = store.db.execute("SELECT id, title, summary, body, link FROM articles WHERE id = ?", [row[0]]).fetchone()
    return dict(zip(("id", "title", "summary", "body", "link"), art, strict=True))


def _texts(article: Mapping[str, Any]) -> dict[str, str]:
    return {f: article.get(f) or "" for f in ("title", "summary", "body", "link")}


def record(
    store: Store, alert_id: int, verdict: str, reason: str = "", vendor: str | None = None, context: str | None = None
) -> list[Suppression]:
    """Store the verdict. wrong_vendor suppresses the alert article's matches (only `vendor`'s, when
    given) in their context (or within the phrase `context`); not_breach labels the article a negative.
    Returns the suppressions made."""
    verdict = LEGACY_VERDICTS.get(verdict, verdict)
    if verdict not in VERDICTS:
        raise MonitorError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    article = _article(store, alert_id)
    rows = store.db.execute(
        "SELECT vendor, matched, field, surface, start, end FROM matches WHERE article_id = ?", [article["id"]]
    ).fetchall()
    if vendor is not None:
        names = {r[0] for r in rows}
        found = next((n for n in names if n.casefold() == vendor.casefold()), None)
        if found is None:
            raise MonitorError(
                f"alert #{alert_id} did not match {vendor!r} (it matched: {', '.join(sorted(names)) or 'no vendor'})"
            )
        rows = [r for r in rows if r[0] == found]
    made: list[Suppression] = []
    if verdict == "wrong_vendor":
        texts = _texts(article)
        for v, matched, field, surface, start, end in rows:
            # The text as it stood ("box"), not the registered name ("Box Inc."): "Box Inc. hacked" still alerts.
            name = fold(surface or "") or matched
            if context is not None:
                before, after = _split_context(context, name)
            else:
                before, after = context_of(texts.get(field, ""), start if start is not None else -1, end or 0)
            made.append(Suppression(v, name, before, after))
        made = sorted(set(made), key=lambda s: (s.vendor, s.matched, s.before, s.after))
    with store.write() as db:
        db.table("feedback").insert(
            {
                "alert_id": alert_id,
                "verdict": verdict,
                "reason": reason,
                "vendor": vendor or "",
                "created_at": clock.now_iso(),
            }
        )
        for s in made:
            db.execute(
                "INSERT OR REPLACE INTO suppressions (vendor, matched, ctx_before, ctx_after, reason, alert_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [s.vendor, s.matched, s.before, s.after, reason, alert_id, clock.now_iso()],
            )
        if verdict == "not_breach":
            db.execute(
                "INSERT OR REPLACE INTO negatives (article_id, alert_id, title, title_folded, summary, "
                "vendors, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article["id"],
                    alert_id,
                    article["title"] or "",
                    fold(article["title"] or ""),
                    article["summary"] or "",
                    json.dumps(sorted({r[0] for r in rows}), ensure_ascii=False),
                    reason,
                    clock.now_iso(),
                ],
            )
    return made


def _split_context(phrase: str, name: str) -> tuple[str, str]:
    folded = fold(phrase)
    at = folded.find(name)
    if not name or at < 0:
        raise MonitorError(f"--context {phrase!r} must contain the matched text {name!r}")
    return folded[:at].strip(), folded[at + len(name) :].strip()


def rules(store: Store) -> Rules:
    return Rules(tuple(Suppression(*r) for r in store.suppressions()), tuple(store.negatives()))


SLACK_REASON = "marked in Slack by "  # how a verdict set by a reaction or a button begins its reason


def set_by(reason: str | None) -> str:
    """Who set a verdict: the Slack user of a reaction or a button, else the command line."""
    reason = reason or ""
    return reason[len(SLACK_REASON) :].split()[0] if reason.startswith(SLACK_REASON) else "monitor feedback"


def suppressions(store: Store) -> list[dict[str, Any]]:
    rows = [
        dict(r)
        for r in store.db.query(
            "SELECT vendor, matched, ctx_before, ctx_after, reason, alert_id, created_at "
            "FROM suppressions ORDER BY created_at, vendor"
        )
    ]
    for r in rows:
        r["context"] = Suppression(r["vendor"], r["matched"], r.pop("ctx_before"), r.pop("ctx_after")).context
        r["by"] = set_by(r["reason"])
    return rows


def negatives(store: Store) -> list[dict[str, Any]]:
    out = [
        dict(r)
        for r in store.db.query(
            "SELECT article_id, alert_id, title, summary, vendors, reason, created_at "
            "FROM negatives ORDER BY created_at, article_id"
        )
    ]
    for r in out:
        r["vendors"] = json.loads(r["vendors"] or "[]")
    return out


def remove(store: Store, vendor: str, matched: str, context: str | None = None) -> int:
    """Remove the suppressions of (vendor, matched): all of them, or the one with this context."""
    name = fold(matched) or matched
    with store.write() as db:
        found = [
            Suppression(*r)
            for r in db.execute(
                "SELECT vendor, matched, ctx_before, ctx_after FROM suppressions WHERE vendor = ? AND matched IN (?, ?)",
                [vendor, matched, name],
            )
        ]
        if context is not None:
            found = [s for s in found if s.context == fold(context)]
        for s in found:
            db.execute(
                "DELETE FROM suppressions WHERE vendor = ? AND matched = ? AND ctx_before = ? AND ctx_after = ?",
                [s.vendor, s.matched, s.before, s.after],
            )
        return len(found)


def remove_negative(store: Store, alert_id: int) -> bool:
    with store.write() as db:
        return db.execute("DELETE FROM negatives WHERE alert_id = ?", [alert_id]).rowcount > 0
