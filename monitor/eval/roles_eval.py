"""Roles (issue 15) scored on a labelled set: is each vendor a report names given the part it plays?

The role set (monitor/eval/data/roles.jsonl with roles_vendors.csv) is the shipped set's JSONL format
plus, per item:
- `roles`: each labelled vendor's role, one of breached / affected / product / mentioned, or a list
  of the roles a careful reader could defend (["affected", "breached"] for a victim whose own server
  of a contractor-run service was hit), the first being the one written down when the monitor gives
  none of them;
- `software` (optional): the vendors named only as the victim's software or platform (the forum's
  vBulletin, the victim's Snowflake account): their product, never a breach at them.
- `source` (optional, not scored): where real text no one here wrote comes from ('jp-news/secnews_sample.jsonl
  line 27', 'breaches/hibp: Plex'); `split` is `held-out` exactly when sha1(id)[0] % 3 == 0.

Each item is decided as the pipeline decides it (detect.assess, Matcher.match, detect.is_subject,
roles.assign), with the same distractor companies as the shipped set registered beside the vendors.
Scored per part (development / held-out, eval/splits.py):
- role accuracy: the labelled (item, vendor) pairs given one of their roles (an unmatched vendor is
  wrong);
- alerts with roles counted: an alert is a pair whose role alerts (breached, affected, product). It is
  correct when the label's role is that role; an alert with another role, or about a vendor the item
  is not labelled with, is a false positive, and a labelled alerting role not alerted as such a miss;
- the same per role, and two counts that must stay 0: vendors labelled mentioned that alert, and
  platforms named as the victim's software alerted as a breach (breached or affected) that the labels do not call
  so (a provider whose own systems were hit while serving the victim, Blue Yonder for its clients, is labelled
  breached, and is right to alert).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..matching.roles import ALERTED, ROLES
from ..matching.vendors import Vendor
from ..normalize import fold, strip_legal
from .splits import DEV, HELD_OUT, split_of

if TYPE_CHECKING:
    from .evaluate import Counts

ROLE_TARGETS: dict[str, float] = {
    "alert_precision": 0.95,
    "alert_recall": 0.95,
    "mentioned_alerted": 0,
    "software_alerted_as_breach": 0,
}
ALERT_ROLES = tuple(r for r in ROLES if r in ALERTED)
ROLE_SET = "roles.jsonl"
ROLE_VENDORS = "roles_vendors.csv"


def role_problem(item: dict[str, object]) -> str | None:
    """What is wrong with an item's role labels, or None (items without `roles` have none to check)."""
    if "roles" not in item:
        return None
    roles = item["roles"]
    vendors = cast("list[str]", item.get("vendors", []))
    if not isinstance(roles, dict):
        return "roles: expected an object mapping each vendor to its role"
    for vendor, role in roles.items():
        options = role if isinstance(role, list) else [role]
        if not options or not all(isinstance(r, str) and r in ROLES for r in options):
            return f"roles: {vendor}: expected one of {', '.join(ROLES)} or a list of them"
    if set(roles) != set(vendors):
        return "roles: expected one role for each name in vendors, and no other"
    software = item.get("software", [])
    if not isinstance(software, list) or not set(cast("list[object]", software)) <= set(roles):
        return "software: expected a list of names from vendors"
    return None


def has_roles(path: str | Path) -> bool:
    """Whether any line of a labelled set carries role labels (a quick look; the loader checks them)."""
    with Path(path).open(encoding="utf-8") as fh:
        return any('"roles"' in line for line in fh)


def load_role_items(path: str | Path) -> list[dict[str, object]]:
    """The items (checked as the shipped set's) whose role labels are sound; ValueError naming file, line
    and field of the first bad one. Items without role labels are left out."""
    from .evaluate import load_items

    items = load_items(path)
    out = []
    n = 0
    with Path(path).open(encoding="utf-8") as fh:
        lines = [i for i, line in enumerate(fh, 1) if line.strip()]
    for n, item in zip(lines, items, strict=True):
        if problem := role_problem(item):
            raise ValueError(f"{Path(path).name}:{n}: {problem}")
        if "roles" in item:
            out.append(item)
    return out


@dataclass
class RoleTally:
    """One part's role scores."""

    labelled: int = 0  # labelled (item, vendor) pairs
    correct: int = 0  # of them, given one of their roles
    alerts: Counts = field(default_factory=lambda: _counts())  # all alerts, roles counted
    per_role: dict[str, Counts] = field(default_factory=lambda: {r: _counts() for r in ALERT_ROLES})
    mentioned_alerted: int = 0
    software_alerted_as_breach: int = 0
    unlabelled_alerted: int = 0  # alerts about a vendor the item is not labelled with (a distractor)
    confusion: dict[str, int] = field(default_factory=dict)  # "label -> got": pairs

    @property
    def accuracy(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "accuracy": round(self.accuracy, 4),
            "labelled": self.labelled,
            "correct": self.correct,
            "alerts": self.alerts.as_dict(),
            "per_role": {r: c.as_dict() for r, c in self.per_role.items()},
            "mentioned_alerted": self.mentioned_alerted,
            "software_alerted_as_breach": self.software_alerted_as_breach,
            "unlabelled_alerted": self.unlabelled_alerted,
            "confusion": dict(sorted(self.confusion.items())),
        }


def _counts() -> Counts:
    from .evaluate import Counts

    return Counts()


@dataclass
class RoleReport:
    name: str
    items: int
    vendors: int
    distractors: int
    parts: dict[str, RoleTally] = field(default_factory=dict)  # dev, held-out, all, en, ja
    errors: list[dict[str, object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "set": self.name,
            "kind": "roles",
            "items": self.items,
            "vendors": self.vendors,
            "distractors": self.distractors,
            "roles": {k: t.as_dict() for k, t in self.parts.items()},
            "targets": ROLE_TARGETS,
            "notes": self.notes,
            "errors": self.errors,
        }

    def lines(self) -> list[str]:
        t = ROLE_TARGETS
        out = [
            f"{self.name}: {self.items} items with role labels, {self.vendors} vendors registered "
            f"({self.distractors} distractors)"
        ]
        for part in (DEV, HELD_OUT):
            if part not in self.parts:
                continue
            r = self.parts[part]
            a = r.alerts
            out.append(f"  roles {part:8} accuracy {r.accuracy:.3f} ({r.correct} of {r.labelled} labelled vendors)")
            out.append(
                f"  roles {part:8} alerts, roles counted: precision {a.precision:.3f} (target >= "
                f"{t['alert_precision']})  recall {a.recall:.3f} (target >= {t['alert_recall']})  "
                f"(tp {a.tp}, fp {a.fp}, fn {a.fn}; {r.unlabelled_alerted} fp about unlabelled vendors)"
            )
            for role, c in r.per_role.items():
                out.append(
                    f"  roles {part:8}   {role:9} precision {c.precision:.3f}  recall {c.recall:.3f}  "
                    f"(tp {c.tp}, fp {c.fp}, fn {c.fn})"
                )
            out.append(
                f"  roles {part:8} mentioned vendors alerted {r.mentioned_alerted} (target "
                f"{t['mentioned_alerted']}); platforms named as the victim's software alerted as a breach "
                f"{r.software_alerted_as_breach} (target {t['software_alerted_as_breach']})"
            )
        out += [f"  note: {n}" for n in self.notes]
        return out


def _decided(matcher: object, item: dict[str, object]) -> dict[str, str]:
    """Each matched vendor's role, decided as the pipeline decides it (pipeline/workers._decide_one)."""
    from ..matching.detect import assess
    from ..matching.matcher import Matcher
    from ..matching.roles import assign

    title, text, link = str(item.get("title", "")), str(item.get("text", "")), str(item.get("link", ""))
    # Organisations outside the register that the text really names: a distractor matched on one of them
    # is that organisation, not an error of the roles.
    also = {strip_legal(fold(n)) for n in cast("list[str]", item.get("also_named", []))}
    gold = set(cast("list[str]", item["vendors"]))
    matches = [
        m
        for m in cast(Matcher, matcher).match({"title": title, "summary": text}, link)
        if m.vendor in gold or strip_legal(fold(m.vendor)) not in also
    ]
    verdict = assess(title, text)
    out: dict[str, str] = {}
    for r in assign(matches, title, text, verdict.breach, verdict.subjects(matches, title, text)):
        out.setdefault(r.vendor, r.role)
    return out


def _score(tally: RoleTally, item: dict[str, object], got: dict[str, str]) -> list[dict[str, object]]:
    """Add one item's pairs to a tally; the pairs scored wrong."""
    labels = {v: (r if isinstance(r, list) else [r]) for v, r in cast("dict[str, object]", item["roles"]).items()}
    software = set(cast("list[str]", item.get("software", [])))
    wrong: list[dict[str, object]] = []
    for vendor in sorted(set(labels) | {v for v, r in got.items() if r in ALERTED}):
        role = got.get(vendor, "unmatched")
        options = cast("list[str]", labels.get(vendor, []))
        label = (role if role in options else options[0]) if options else ""
        if options:
            tally.labelled += 1
            tally.correct += role in options
            key = f"{label} -> {role}"
            tally.confusion[key] = tally.confusion.get(key, 0) + 1
        expected = label if label in ALERTED else ""
        alerted = role if role in ALERTED else ""
        if alerted and alerted == expected:
            tally.alerts.tp += 1
            tally.per_role[alerted].tp += 1
        else:
            if alerted:
                tally.alerts.fp += 1
                tally.per_role[alerted].fp += 1
                tally.unlabelled_alerted += not options
            if expected:
                tally.alerts.fn += 1
                tally.per_role[expected].fn += 1
        tally.mentioned_alerted += bool(alerted) and label == "mentioned"
        # (a platform the labels call breached itself, its own systems hit as it served the victim, is rightly so)
        tally.software_alerted_as_breach += (
            vendor in software and role in ("breached", "affected") and role not in options
        )
        if role not in options:
            wrong.append(
                {"id": item["id"], "kind": "role", "vendor": vendor, "expected": options or "not alerted", "got": role}
            )
    return wrong


def evaluate_roles(
    items: list[dict[str, object]], vendors: list[Vendor], distractors: Iterable[Vendor], name: str = "role set"
) -> RoleReport:
    """Score the role labels of `items` (checked by load_role_items) against vendors + distractors."""
    from ..matching.matcher import Matcher
    from .distractors import without_registered_companies

    kept = without_registered_companies(vendors, list(distractors))
    matcher = Matcher(vendors + kept)
    rep = RoleReport(name, len(items), len(vendors) + len(kept), len(kept))
    held_out_errors = 0
    for it in items:
        part = split_of(it)
        got = _decided(matcher, it)
        wrong: list[dict[str, object]] = []
        for key in (part, "all", str(it["lang"])):
            wrong = _score(rep.parts.setdefault(key, RoleTally()), it, got)
        if part == HELD_OUT:
            held_out_errors += len(wrong)
        else:
            rep.errors.extend(wrong)
    if HELD_OUT in rep.parts:
        rep.notes.append(
            f"{sum(split_of(it) == HELD_OUT for it in items)} held-out items are scored but their "
            f"{held_out_errors} role errors are not listed: do not tune on them"
        )
    rep.notes.append(
        "an alert counts as correct only with the labelled role; a vendor labelled with two "
        "defensible roles is right with either"
    )
    return rep


def evaluate_role_set(items_path: str | Path, vendors_path: str | Path, companies: str | Path | None) -> RoleReport:
    """A labelled set's role labels against its register (ValueError for a bad line or unknown vendor)."""
    from ..matching.vendors import load_vendors
    from .evaluate import company_vendors

    items, vendors = load_role_items(items_path), load_vendors(vendors_path)
    registered = {v.name for v in vendors}
    for it in items:
        unknown = sorted(set(cast("list[str]", it["vendors"])) - registered)
        if unknown:
            raise ValueError(
                f"{Path(items_path).name}: item {it['id']}: vendors: {', '.join(unknown)} not in {vendors_path}"
            )
    distractors = company_vendors(companies)
    rep = evaluate_roles(items, vendors, distractors, name=f"roles ({Path(items_path).name})")
    if not distractors:
        rep.notes.append(f"no distractor vendors: {companies} not found")
    return rep


def evaluate_shipped_roles(companies: str | Path | None) -> RoleReport:
    from .evaluate import EVAL_DIR

    return evaluate_role_set(EVAL_DIR / ROLE_SET, EVAL_DIR / ROLE_VENDORS, companies)
