"""Replay a year of real Japanese security news through the incident rule: how many top-level
threads does each heavily covered vendor get?

    python bench/incident_replay.py              # threads per vendor
    python bench/incident_replay.py --explain    # and why each report joined or opened its incident

../shared/data/jp-news (4,000 items, 2025-06 to 2026-07) is replayed one day at a time, each site one
feed, in published order, through the real stages after the fetch: dedupe (new_items against the
store), detect + match (decide.decide with a Matcher of the register below), storing, and
Monitor._queue_article_alert, which joins each report to an incident (Monitor._incident, the SQL
candidate query and incidents.decide) and queues its alert. Nothing is delivered. One top-level Slack
message is one incident row, so threads per vendor = incidents per vendor.

The register holds six vendors with the names the press uses for them (group names, subsidiaries,
English names). READER_COUNT is what a reader of the same items counts as separate incidents.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.alerting.slack import ConsoleSender  # noqa: E402
from monitor.config import FeedSource, load_config  # noqa: E402
from monitor.matching.matcher import Matcher  # noqa: E402
from monitor.matching.vendors import parse_vendors  # noqa: E402
from monitor.pipeline.cycle import Monitor  # noqa: E402
from monitor.pipeline.workers import decide  # noqa: E402
from monitor.sources.dedupe import new_items  # noqa: E402
from monitor.sources.parse import Item  # noqa: E402
from monitor.storage.feedback import Rules  # noqa: E402
from monitor.storage.store import Store  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "jp-news" / "secnews_sample.jsonl"

VENDORS_CSV = """name,aliases,domains,criticality,owner,parent,notes
Asahi Group Holdings,アサヒグループホールディングス|アサヒグループHD|アサヒGHD|アサヒHD|アサヒグループ|アサヒビール|アサヒ飲料|アサヒ|Asahi Group|Asahi,asahigroup-holdings.com,critical,,,
ASKUL Corporation,アスクル株式会社|アスクル|ASKUL|LOHACO,askul.co.jp,critical,,,
Ryohin Keikaku,良品計画|無印良品|MUJI,ryohin-keikaku.jp,high,,,
Jaguar Land Rover,ジャガーランドローバー|ジャガー・ランドローバー|Jaguar Land Rover|JLR|英ジャガー,jaguarlandrover.com,high,,,
Murata Manufacturing,村田製作所|Murata Manufacturing|Murata,murata.com,high,,,
Shinchosha,審調社|Shinchosha,,high,,,
"""

# Separate incidents a reader counts in the replayed items, per vendor (read from the items, not from
# the rule's output). Asahi: the 2025-09-29 Qilin ransomware attack (outage, leak, 191万件, earnings,
# final figures; アサヒ通信's own April attack is not alerted as Asahi). ASKUL: the 2025-10-19
# ransomware attack. Ryohin Keikaku: the ASKUL attack's effect on its online store, and the 2026-06
# fake login screens (polyfill). JLR: the 2025-09 attack. Murata: the 2026-02-28 unauthorised access,
# and in 2026-07 a leak at its subsidiary 村田土地建物 (another company, another system). Shinchosha:
# the 2025-06-27 ransomware attack, with its December final report.
READER_COUNT = {
    "Asahi Group Holdings": 1,
    "ASKUL Corporation": 1,
    "Ryohin Keikaku": 2,
    "Jaguar Land Rover": 1,
    "Murata Manufacturing": 2,
    "Shinchosha": 1,
}


def load_days(path: Path) -> list[tuple[str, dict[str, list[Item]]]]:
    """[(day, {site: items published that day})], in published order."""
    days: dict[str, dict[str, list[Item]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    with path.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            day = d["掲載日"].replace("/", "-")  # a few items write 2025/06/09
            days[day][d["収集元サイト"]].append(Item(d["タイトル"], d["URL"], d["URL"], f"{day}T00:00:00Z", d["概要"]))
    return sorted((day, dict(sites)) for day, sites in days.items())


def replay(path: Path, workdir: Path) -> Store:
    (workdir / "vendors.csv").write_text(VENDORS_CSV, encoding="utf-8")
    (workdir / "feeds.yaml").write_text(
        'sources:\n  - {name: jp-news, url: "http://127.0.0.1:9/feed"}\n', encoding="utf-8"
    )
    config = load_config(workdir / "feeds.yaml")
    vendors = parse_vendors(VENDORS_CSV)
    matcher = Matcher(vendors)
    store = Store(workdir / "monitor.db")
    monitor = Monitor(config, vendors, store, ConsoleSender())
    verdicts = Rules()  # no analyst feedback in a replay
    for day, sites in load_days(path):
        now = datetime.fromisoformat(day + "T23:00:00+00:00").astimezone(UTC)
        with store.write() as db:
            for site in sorted(sites):
                source = FeedSource(name=site, url="http://127.0.0.1:9/feed")
                fresh, _ = new_items(site, sites[site], False, store.known_keys)
                for d in decide(matcher, False, fresh, {}, now)[0]:
                    aid = monitor._store_decision(db, source, d, now.isoformat())  # noqa: SLF001
                    if aid is not None:
                        monitor._queue_alerts(db, source, aid, d, now, verdicts)  # noqa: SLF001
    return store


def threads_table(store: Store) -> list[str]:
    """Top-level threads per vendor against what a reader counts, one line each, and the total."""
    rows = list(
        store.db.query(
            "SELECT i.vendor, i.id, i.title, i.first_seen, i.last_seen, i.reports FROM incidents i ORDER BY i.id"
        )
    )
    by_vendor: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        by_vendor[r["vendor"]].append(r)
    reports = sum(r["reports"] for r in rows)
    lines = [f"{'vendor':24} {'threads':>7} {'reader':>6} {'reports':>7}  longest thread"]
    for vendor, expected in READER_COUNT.items():
        incs = by_vendor.get(vendor, [])
        longest = max(incs, key=lambda r: r["reports"], default=None)
        span = (
            f"{longest['reports']} reports, {longest['first_seen'][:10]} .. {longest['last_seen'][:10]}"
            if longest
            else "-"
        )
        lines.append(f"{vendor:24} {len(incs):7} {expected:6} {sum(r['reports'] for r in incs):7}  {span}")
    lines.append(
        f"{'total':24} {len(rows):7} {sum(READER_COUNT.values()):6} {reports:7}  "
        f"({len(rows) / sum(READER_COUNT.values()):.1f} threads per incident a reader counts)"
    )
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--explain", action="store_true", help="print every report with why it joined or opened")
    args = ap.parse_args()
    if not args.data.exists():
        print(f"{args.data}: not found (the shared jp-news data set)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        store = replay(args.data, Path(tmp))
        for line in threads_table(store):
            print(line)
        if args.explain:
            for r in store.db.query(
                "SELECT a.incident_id, a.vendor, a.incident_reason, ar.published, ar.title FROM alerts a "
                "JOIN articles ar ON ar.id = a.article_id ORDER BY a.vendor, a.id"
            ):
                print(
                    f"{r['vendor'][:10]:10} #{r['incident_id']:<4} {r['published'][:10]} {r['title'][:34]:34} "
                    f"{r['incident_reason']}"
                )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
