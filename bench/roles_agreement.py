"""How far the role set's labels can be trusted: a second, independent blind labelling of 210 of its items (105
development, 105 held-out, drawn at random; monitor/eval/data/roles_second.jsonl) compared with the first, and the
classifier scored against each.

The second labellers read only the text, the organisations to label and the other items' labels (the sampled items
left out), never the first labels or the classifier. Alerts are scored as `monitor eval` scores them: an alerted role
is right when it is one of the labelled roles; a labeller's own alert is its first role.

    .venv/bin/python bench/roles_agreement.py

Prints counts and ratios only, never the held-out texts.
"""

from __future__ import annotations

import json
from pathlib import Path

from monitor.eval.distractors import without_registered_companies
from monitor.eval.evaluate import company_vendors
from monitor.eval.roles_eval import _decided
from monitor.matching.matcher import Matcher
from monitor.matching.roles import ALERTED
from monitor.matching.vendors import load_vendors

DATA = Path(__file__).resolve().parents[1] / "monitor" / "eval" / "data"
COMPANIES = Path(__file__).resolve().parents[2] / "shared" / "data" / "companies"

Labels = dict[str, list[str]]


def _roles(labels: dict[str, object]) -> Labels:
    return {v: list(r) if isinstance(r, list) else [str(r)] for v, r in labels.items()}


def _score(gold: Labels, decided: dict[str, str]) -> tuple[int, int, int, int, int]:
    """(tp, fp, fn, right, labelled) of one item's decided roles against its labels."""
    tp = fp = fn = right = 0
    for vendor in set(gold) | {v for v, r in decided.items() if r in ALERTED}:
        options, got = gold.get(vendor, []), decided.get(vendor, "unmatched")
        right += vendor in gold and got in options
        tp += got in ALERTED and got in options
        fp += got in ALERTED and got not in options
        fn += any(r in ALERTED for r in options) and got not in options
    return tp, fp, fn, right, len(gold)


def _line(name: str, t: list[int]) -> str:
    tp, fp, fn, right, n = t
    return f"  {name:<28} precision {tp / (tp + fp):.3f}  recall {tp / (tp + fn):.3f}  accuracy {right / n:.3f}"


def main() -> None:
    first = {(d := json.loads(line))["id"]: d for line in open(DATA / "roles.jsonl", encoding="utf-8")}
    second = {(d := json.loads(line))["id"]: d for line in open(DATA / "roles_second.jsonl", encoding="utf-8")}
    vendors = load_vendors(DATA / "roles_vendors.csv")
    # the register as `monitor eval` builds it: the labelled organisations and, as distractors, the real companies list
    distractors = company_vendors(COMPANIES) if COMPANIES.is_dir() else []
    matcher = Matcher(vendors + without_registered_companies(vendors, distractors))
    for part in ("dev", "held-out", "all"):
        ids = [i for i in second if part == "all" or first[i].get("split", "dev") == part]
        rows: dict[str, list[int]] = {}
        same = 0
        total = 0
        for i in ids:
            a, b = _roles(first[i]["roles"]), _roles(second[i]["roles"])
            decided = _decided(matcher, first[i])
            for name, (gold, got) in {
                "second labels vs first": (a, {v: r[0] for v, r in b.items()}),
                "first labels vs second": (b, {v: r[0] for v, r in a.items()}),
                "classifier vs first": (a, decided),
                "classifier vs second": (b, decided),
            }.items():
                rows[name] = [x + y for x, y in zip(rows.get(name, [0] * 5), _score(gold, got), strict=True)]
            same += sum(a[v][0] == b.get(v, [""])[0] for v in a)
            total += len(a)
        print(f"{part}: {len(ids)} items, {total} labelled vendors; first roles the same {same / total:.3f}")
        for name, t in rows.items():
            print(_line(name, t))


if __name__ == "__main__":
    main()
