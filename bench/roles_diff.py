"""Every role decision that a change to the role rules moves, on real text no one here labelled: the 4,000
jp-news summaries (../shared/data/jp-news), the Have I Been Pwned write-ups and the HHS OCR breach summaries that
name a business associate (../shared/data/breaches).

The role set scores a rule on a few hundred labelled items; a rule written from their errors can still be
wrong on the news it will meet. This decides each text with this checkout and with another one and prints
the decisions that differ, for a reader to judge: a rule that demotes the attacked company under a headline
about its parent shows up here, not in the scores (session 11: 50 such demotions in Japanese, half wrong).

    python bench/roles_diff.py --base ../other-checkout      # that checkout's .venv runs its code
    python bench/roles_diff.py --base ../other-checkout --limit 0   # counts only

Register: the role set's and the labelled set's vendors and the companies lists (jp-news); each HIBP entry's
organisation with the platforms the write-ups name (HIBP, as bench/roles_hibp.py); each HHS row's covered entity
and business associate (HHS).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1] / "shared" / "data"
JP_NEWS = SHARED / "jp-news" / "secnews_sample.jsonl"
HHS = SHARED / "breaches" / "hhs_ocr_breaches_2009-2014_Ecdat.csv"


def _roles(matcher: object, title: str, text: str) -> dict[str, str]:
    from monitor.matching.detect import assess
    from monitor.matching.roles import assign

    matches = matcher.match({"title": title, "summary": text})  # type: ignore[attr-defined]
    if not matches:
        return {}
    verdict = assess(title, text)
    subjects = verdict.subjects(matches, title, text)
    return {r.vendor: r.role for r in assign(matches, title, text, verdict.breach, subjects)}


def dump() -> None:
    """One JSON line per text with a registered name: {"id", "title", "roles"} (run in the checkout judged)."""
    import monitor
    from monitor.eval.evaluate import company_vendors
    from monitor.matching.matcher import Matcher
    from monitor.matching.vendors import Vendor, load_vendors

    sys.path.insert(0, str(HERE))
    import roles_hibp

    data = Path(monitor.__file__).parent / "eval" / "data"
    register = load_vendors(data / "roles_vendors.csv") + load_vendors(data / "vendors.csv")
    matcher = Matcher(register + list(company_vendors(SHARED / "companies")))
    for n, line in enumerate(JP_NEWS.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        title, text = item.get("タイトル") or "", item.get("概要") or ""
        roles = _roles(matcher, title, text)
        if roles:
            print(json.dumps({"id": f"jp-news:{n}", "title": title, "roles": roles}, ensure_ascii=False))
    rows = roles_hibp.entries()
    titles = {e["Title"] for e in rows}
    vendors = [Vendor(name=e["Title"], domains=(e["Domain"],) if e.get("Domain") else ()) for e in rows]
    hibp = Matcher(vendors + [Vendor(name=p) for p in roles_hibp.PLATFORMS if p not in titles])
    for e in rows:
        title = f"{e['Title']} data breach"
        roles = _roles(hibp, title, re.sub(r"<[^>]+>", "", unescape(e["Description"])))
        if roles:
            print(json.dumps({"id": f"hibp:{e['Title']}", "title": title, "roles": roles}, ensure_ascii=False))
    if HHS.is_file():
        # US health-data breach summaries naming the covered entity's business associate: each row's two parties
        with HHS.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                entity, associate = row["Name_of_Covered_Entity"].strip(), row["Business_Associate_Involved"].strip()
                if not associate or not row["Summary"].strip():
                    continue
                title = f"{entity} data breach"
                roles = _roles(Matcher([Vendor(name=entity), Vendor(name=associate)]), title, row["Summary"])
                if roles:
                    print(json.dumps({"id": f"hhs:{row['rownames']}", "title": title, "roles": roles}))


def _decisions(checkout: Path) -> dict[str, dict[str, object]]:
    python = checkout / ".venv" / "bin" / "python"
    out = subprocess.run(
        [str(python), str(HERE / "roles_diff.py"), "--dump"],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {d["id"]: d for d in map(json.loads, out.splitlines())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, help="the checkout to compare with (its .venv runs its code)")
    parser.add_argument("--limit", type=int, default=60, help="changed texts to print (0: counts only)")
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump()
        return 0
    if args.base is None:
        parser.error("--base is required")
    if not JP_NEWS.is_file():
        print(f"no {JP_NEWS}: skipped")
        return 0
    base, this = _decisions(args.base.resolve()), _decisions(HERE.parent)
    changed = []
    for key in sorted(set(base) | set(this)):
        old = base.get(key, {}).get("roles", {})
        new = this.get(key, {}).get("roles", {})
        moved = {v: (old.get(v, "-"), new.get(v, "-")) for v in set(old) | set(new) if old.get(v) != new.get(v)}
        if moved:
            changed.append((key, (this.get(key) or base[key])["title"], moved))
    for source in ("jp-news", "hibp", "hhs"):
        texts = sum(1 for k in set(base) | set(this) if k.startswith(source))
        moves = [c for c in changed if c[0].startswith(source)]
        print(f"{source}: {texts} texts with a registered name, {len(moves)} with a role changed")
    # the role set's held-out texts are counted, never listed (roles_hibp.held_out_keys)
    sys.path.insert(0, str(HERE))
    import roles_hibp

    hidden = roles_hibp.held_out_keys()
    shown = [c for c in changed if c[0] not in hidden]
    if len(shown) < len(changed):
        print(f"  ({len(changed) - len(shown)} of them in the role set's held-out part: not listed)")
    changed = shown
    for key, title, moved in changed[: args.limit]:
        what = "; ".join(f"{v}: {a} -> {b}" for v, (a, b) in sorted(moved.items()))
        print(f"  {key} | {str(title)[:60]} | {what}")
    if len(changed) > args.limit > 0:
        print(f"  ... and {len(changed) - args.limit} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
