"""Issue 15, measure it: `monitor eval` scores each vendor's role (breached / affected / product /
mentioned) on a labelled role set, development and held-out apart, with the targets beside."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import Project, shared_data

from monitor.eval.evaluate import EVAL_DIR, load_items
from monitor.eval.roles_eval import ROLE_SET, ROLE_TARGETS, ROLE_VENDORS, evaluate_roles, evaluate_shipped_roles
from monitor.matching.vendors import Vendor, load_vendors

VENDORS = """name,aliases,domains,criticality,owner,parent,notes
"Epic Games, Inc.",Epic Games,,low,,,
"vBulletin Solutions, Inc.",vBulletin,,low,,,
フランスベッド株式会社,フランスベッド,,medium,,,
東山産業株式会社,東山産業,,medium,,,
Okta Inc.,Okta,,critical,,,
"""

EPIC = {
    "id": "epic",
    "lang": "en",
    "title": "Epic Games forum hacked",
    "text": "The Epic Games forum suffered a data breach due to a SQL injection vulnerability in vBulletin.",
    "vendors": ["Epic Games, Inc.", "vBulletin Solutions, Inc."],
    "breach": True,
    "roles": {"Epic Games, Inc.": "breached", "vBulletin Solutions, Inc.": "product"},
    "software": ["vBulletin Solutions, Inc."],
}
FRANCEBED = {
    "id": "francebed",
    "lang": "ja",
    "title": "フランスベッドの委託先である東山産業がランサムウェア被害",
    "text": "顧客の個人情報への影響を調査している。",
    "vendors": ["フランスベッド株式会社", "東山産業株式会社"],
    "breach": True,
    "roles": {"フランスベッド株式会社": "affected", "東山産業株式会社": "breached"},
}
LAUNCH = {
    "id": "launch",
    "lang": "en",
    "title": "Okta launches new identity governance product",
    "text": "Okta announced general availability of a product for access certification.",
    "vendors": ["Okta Inc."],
    "breach": False,
    "roles": {"Okta Inc.": "mentioned"},
}


def _set(tmp_path: Path, items: list[dict[str, object]]) -> tuple[Path, Path]:
    (tmp_path / "vendors.csv").write_text(VENDORS, encoding="utf-8")
    path = tmp_path / "roles.jsonl"
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path, tmp_path / "vendors.csv"


def _role_report(output: str) -> dict[str, object]:
    reports = json.loads(output)
    [rep] = [r for r in reports if r.get("kind") == "roles"]
    return dict(rep)


def test_the_shipped_role_set_is_bilingual_labelled_from_every_role_and_held_out_in_part() -> None:
    items = load_items(EVAL_DIR / ROLE_SET)
    assert len(items) >= 150 and len({i["id"] for i in items}) == len(items)
    assert min(sum(i["lang"] == lang for i in items) for lang in ("en", "ja")) >= 70
    labels = [r for i in items for v in i["roles"].values() for r in (v if isinstance(v, list) else [v])]
    assert min(labels.count(r) for r in ("breached", "affected", "product", "mentioned")) >= 20
    assert sum(1 for i in items if i.get("software")) >= 15  # platforms named as the victim's software
    # held out by a hash of the id, a third of the items, whoever wrote them: nobody picks which items are tests
    assert all((i.get("split") == "held-out") == (hashlib.sha1(i["id"].encode()).digest()[0] % 3 == 0) for i in items)
    # and at least 100 are real text no one here wrote (../shared/data), each naming where it comes from
    assert sum(1 for i in items if str(i.get("source", "")).startswith(("jp-news/", "breaches/"))) >= 100
    registered = {v.name for v in load_vendors(EVAL_DIR / ROLE_VENDORS)}
    assert all(set(i["vendors"]) <= registered for i in items)


def test_the_second_labelling_labels_the_same_organisations_of_items_in_the_set_from_both_parts() -> None:
    """bench/roles_agreement.py compares it with the set: it must label exactly the set's organisations of each item
    it covers, in roles a label may take, from both the development and the held-out part."""
    first = {i["id"]: i for i in load_items(EVAL_DIR / ROLE_SET)}
    second = [json.loads(line) for line in (EVAL_DIR / "roles_second.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(second) >= 200 and len({s["id"] for s in second}) == len(second)
    for s in second:
        assert set(s["roles"]) == set(first[s["id"]]["vendors"]), s["id"]
        assert all(
            r in ("breached", "affected", "product", "mentioned")
            for v in s["roles"].values()
            for r in (v if isinstance(v, list) else [v])
        ), s["id"]
    parts = [first[s["id"]].get("split", "dev") for s in second]
    assert min(parts.count("dev"), parts.count("held-out")) >= 100


def test_monitor_eval_prints_role_scores_per_part_with_the_targets(project: Project, tmp_path: Path) -> None:
    r = project.run("eval", "--companies", str(tmp_path / "absent"), "--jp-news", str(_jsonl(tmp_path)))
    assert r.exit_code == 0, r.output
    for part in ("dev", "held-out"):
        assert f"roles {part:8} accuracy" in r.output
        assert f"roles {part:8} alerts, roles counted: precision" in r.output
        for role in ("breached", "affected", "product"):
            assert f"roles {part:8}   {role:9} precision" in r.output
        assert f"roles {part:8} mentioned vendors alerted" in r.output
    assert "(target >= 0.95)" in r.output and "alerted as a breach" in r.output and "(target 0)" in r.output
    r = project.run("eval", "--companies", str(tmp_path / "absent"), "--jp-news", str(_jsonl(tmp_path)), "--json")
    rep = _role_report(r.stdout)
    assert rep["items"] >= 150 and rep["targets"]["alert_precision"] == 0.95
    for part in ("dev", "held-out"):
        scores = rep["roles"][part]
        assert 0 < scores["accuracy"] <= 1 and scores["labelled"] > 50
        assert set(scores["per_role"]) == {"breached", "affected", "product"}
        assert scores["alerts"]["tp"] + scores["alerts"]["fn"] > 30


def _jsonl(tmp_path: Path) -> Path:
    """An empty jp-news file, so the run does not wait for the real sample."""
    path = tmp_path / "news.jsonl"
    path.write_text("", encoding="utf-8")
    return path


def test_an_own_set_with_role_labels_is_scored_by_role(project: Project, tmp_path: Path) -> None:
    items, vendors = _set(tmp_path, [EPIC, FRANCEBED, LAUNCH])
    r = project.run(
        "eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "absent"), "--json"
    )
    assert r.exit_code == 0, r.output
    dev = _role_report(r.stdout)["roles"]["dev"]
    assert (dev["labelled"], dev["correct"], dev["accuracy"]) == (5, 5, 1.0)
    assert dev["per_role"]["product"]["tp"] == 1 and dev["per_role"]["affected"]["tp"] == 1
    assert dev["per_role"]["breached"]["tp"] == 2
    assert dev["mentioned_alerted"] == 0 and dev["software_alerted_as_breach"] == 0
    assert dev["alerts"]["precision"] == 1.0 and dev["alerts"]["recall"] == 1.0


def test_an_alert_with_the_wrong_role_is_a_false_alert_and_a_miss(project: Project, tmp_path: Path) -> None:
    # Labelled as if the platform were breached: the monitor's product alert is wrong for that label,
    # and the label's breach is missed; the platform named as the victim's software is never a breach.
    wrong = {
        **EPIC,
        "id": "epic-as-breach",
        "roles": {"Epic Games, Inc.": "breached", "vBulletin Solutions, Inc.": "breached"},
    }
    launch_alerted = {**LAUNCH, "id": "launch-as-product", "roles": {"Okta Inc.": "product"}}
    items, vendors = _set(tmp_path, [wrong, launch_alerted])
    r = project.run(
        "eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "absent"), "--json"
    )
    dev = _role_report(r.stdout)["roles"]["dev"]
    assert dev["per_role"]["product"]["fp"] == 1 and dev["per_role"]["breached"]["fn"] == 1
    assert dev["per_role"]["product"]["fn"] == 1  # the launch labelled product is not alerted
    assert dev["alerts"]["tp"] == 1 and (dev["correct"], dev["labelled"]) == (1, 3)
    r = project.run(
        "eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "absent"), "--errors"
    )
    assert '"vendor": "vBulletin Solutions, Inc.", "expected": ["breached"], "got": "product"' in r.output


def test_held_out_role_errors_are_counted_not_listed(project: Project, tmp_path: Path) -> None:
    hidden = {**LAUNCH, "id": "hidden", "split": "held-out", "roles": {"Okta Inc.": "breached"}}
    items, vendors = _set(tmp_path, [EPIC, hidden])
    r = project.run(
        "eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "absent"), "--errors"
    )
    assert r.exit_code == 0, r.output
    assert "roles held-out accuracy 0.000 (0 of 1 labelled vendors)" in r.output
    assert '"id": "hidden"' not in r.output and "1 role errors are not listed" in r.output


def test_a_bad_role_label_is_one_clear_line(project: Project, tmp_path: Path) -> None:
    bad = {**LAUNCH, "roles": {"Okta Inc.": "victim"}}
    items, vendors = _set(tmp_path, [EPIC, bad])
    r = project.run("eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "absent"))
    assert r.exit_code != 0
    assert "roles.jsonl:2: roles: Okta Inc.: expected one of breached, affected, product, mentioned" in r.output
    assert "Traceback" not in r.output
    missing = {**LAUNCH, "roles": {}}
    items, vendors = _set(tmp_path, [missing])
    r = project.run("eval", "--set", str(items), "--vendors", str(vendors), "--companies", str(tmp_path / "absent"))
    assert r.exit_code != 0 and "roles.jsonl:1: roles: expected one role for each name in vendors" in r.output


# The role targets (ROLE_TARGETS: alert precision and recall >= 0.95 with roles counted, no mentioned vendor and no
# platform named as the victim's software alerted as a breach) are met on neither part. These are REGRESSION
# FLOORS: what each part reached when last measured (README, "Roles"), less a little, so a change that loses ground
# fails; each failure prints the measured value, the floor and the target. Measured 2026-12-08, 1769 items, 1330 of
# them real text labelled blind in sessions 13 to 15 (dev / held-out): alerts P 0.945 / 0.847, R 0.957 / 0.871;
# accuracy 0.928 / 0.825; mentioned alerted 38 / 49; platform as breach 3 / 14 (counted where the labels do not call
# it breached). The held-out part (a third of the items by a hash of the id) is never tuned on: its floors only catch
# a loss.
ROLE_FLOORS = {
    "dev": {"alert_precision": 0.94, "alert_recall": 0.95, "accuracy": 0.92, "mentioned_alerted": 38, "software": 3},
    "held-out": {
        "alert_precision": 0.84,
        "alert_recall": 0.865,
        "accuracy": 0.815,
        "mentioned_alerted": 49,
        "software": 14,
    },
}


@pytest.mark.shared_data
def test_the_shipped_role_scores_hold_their_floors_with_the_targets_printed() -> None:
    rep = evaluate_shipped_roles(shared_data("companies"))
    lines = "\n".join(rep.lines())
    for part, floor in ROLE_FLOORS.items():
        got = rep.parts[part]
        for what, value in (("alert_precision", got.alerts.precision), ("alert_recall", got.alerts.recall)):
            assert value >= floor[what], (
                f"roles {part} {what} {value:.3f}: under its floor {floor[what]} (target {ROLE_TARGETS[what]})",
                lines,
            )
        assert got.accuracy >= floor["accuracy"], (
            f"roles {part} accuracy {got.accuracy:.3f} < {floor['accuracy']}",
            lines,
        )
        assert got.mentioned_alerted <= floor["mentioned_alerted"], (
            f"roles {part} mentioned alerted {got.mentioned_alerted} > {floor['mentioned_alerted']} "
            f"(target {ROLE_TARGETS['mentioned_alerted']})",
            lines,
        )
        assert got.software_alerted_as_breach <= floor["software"], (
            f"roles {part} platforms alerted as a breach {got.software_alerted_as_breach} > {floor['software']} "
            f"(target {ROLE_TARGETS['software_alerted_as_breach']})",
            lines,
        )


def test_a_platform_counts_as_alerted_as_a_breach_only_where_the_labels_do_not_call_it_breached() -> None:
    # The victim's shift-planning SaaS, itself attacked: labelled breached (its own systems were hit while it served
    # the victim), alerting it is right; labelled only the victim's software, the same alert is the error counted.
    provider = {
        "id": "provider",
        "lang": "ja",
        "title": "スタバ従業員情報漏えい",
        "text": "スターバックスは従業員ID約47000件の漏えいを確認した。漏えいはシフト作成ツール提供元の米Blue Yonderに対するサイバー攻撃が原因である。",
        "vendors": ["Blue Yonder Group, Inc."],
        "breach": True,
        "software": ["Blue Yonder Group, Inc."],
    }
    register = [Vendor(name="Blue Yonder Group, Inc.", aliases=("Blue Yonder",))]
    breached = evaluate_roles([{**provider, "roles": {"Blue Yonder Group, Inc.": "breached"}}], register, [])
    as_software = evaluate_roles([{**provider, "roles": {"Blue Yonder Group, Inc.": "product"}}], register, [])
    assert breached.parts["dev"].alerts.tp == 1 and breached.parts["dev"].software_alerted_as_breach == 0
    assert as_software.parts["dev"].alerts.fp == 1 and as_software.parts["dev"].software_alerted_as_breach == 1
