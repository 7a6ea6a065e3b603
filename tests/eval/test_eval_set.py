"""Issue 13: the evaluation set ships as package data, and `monitor eval --set FILE` scores a team's own items."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

OWN_ITEMS = [
    {
        "id": "okta-1",
        "lang": "en",
        "title": "Okta confirms breach of its support case system",
        "text": "Okta said attackers stole files uploaded by customers.",
        "vendors": ["Okta Inc."],
        "breach": True,
    },
    {
        "id": "isetoh-1",
        "lang": "ja",
        "title": "株式会社イセトーにランサムウェア攻撃",
        "text": "イセトーはランサムウェアによる攻撃を受け、委託元の個人情報が流出したと発表した。",
        "vendors": ["ISETOH Corporation"],
        "breach": True,
    },
    {
        "id": "box-1",
        "lang": "en",
        "title": "Box launches new AI features for enterprise customers",
        "text": "Box announced the features at its annual conference.",
        "vendors": ["Box Inc."],
        "breach": False,
    },
    # Labelled with a vendor the text never names: scored as a missed match.
    {
        "id": "weather-1",
        "lang": "en",
        "title": "Sunny weekend ahead",
        "text": "Forecasters expect clear skies.",
        "vendors": ["Box Inc."],
        "breach": False,
    },
]


def _write_items(path: Path, items: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


def test_eval_set_scores_own_items_against_given_register(project, tmp_path):  # type: ignore[no-untyped-def]
    items = _write_items(tmp_path / "ours.jsonl", OWN_ITEMS)
    r = project.run(
        "eval",
        "--set",
        str(items),
        "--vendors",
        str(project.vendors_path),
        "--companies",
        str(tmp_path / "absent"),
        "--json",
        "--jp-news",
        str(tmp_path / "none.jsonl"),
    )
    # --jp-news given but missing: still refused with --set
    assert r.exit_code != 0 and "none.jsonl" in r.output
    r = project.run(
        "eval",
        "--set",
        str(items),
        "--vendors",
        str(project.vendors_path),
        "--companies",
        str(tmp_path / "absent"),
        "--json",
    )
    assert r.exit_code == 0, r.output
    reports = json.loads(r.stdout)
    assert len(reports) == 1  # only the team's set: neither the shipped set nor jp-news
    rep = reports[0]
    assert rep["set"] == "ours.jsonl" and rep["items"] == 4 and rep["vendors"] == 6
    assert rep["matching"]["en"]["tp"] == 2 and rep["matching"]["en"]["fn"] == 1  # weather-1 names no Box
    assert rep["matching"]["ja"]["tp"] == 1
    assert rep["detection"]["en"]["tp"] == 1 and rep["detection"]["ja"]["tp"] == 1
    assert [e["id"] for e in rep["errors"] if e["kind"] == "matching"] == ["weather-1"]


def test_eval_set_defaults_to_the_configured_register(project, tmp_path):  # type: ignore[no-untyped-def]
    project.configure([{"name": "x", "url": "http://127.0.0.1:9/feed"}])
    items = _write_items(tmp_path / "ours.jsonl", OWN_ITEMS[:2])
    r = project.run("eval", "--set", str(items), "--companies", str(tmp_path / "absent"), "--errors")
    assert r.exit_code == 0, r.output
    assert "ours.jsonl" in r.output and "wrong:" not in r.output


@pytest.mark.parametrize(
    "line, says",
    [
        ('{"id": "a", "lang": "en", "title": "t", "vendors": []}', "ours.jsonl:2: breach: expected true or false"),
        ('{"id": "a", "lang": "en", "title": "t", "breach": "yes"}', "ours.jsonl:2: breach: expected true or false"),
        ('{"id": "a", "title": "t", "breach": true}', "ours.jsonl:2: lang:"),
        ('{"id": "a", "lang": "en", "title": "t", "breach": true, "vendors": "Okta Inc."}', "ours.jsonl:2: vendors:"),
        ('{"id": "a", "lang": "en", "breach": true}', "ours.jsonl:2: title, text:"),
        ('{"id": "a", "lang": "en", "title": "t"', "ours.jsonl:2: not JSON"),
        (
            '{"id": "a", "lang": "en", "title": "t", "breach": true, "vendors": ["Nobody Ltd"]}',
            "ours.jsonl: item a: vendors: Nobody Ltd not in",
        ),
    ],
)
def test_eval_set_bad_line_is_one_clear_error(project, tmp_path, line, says):  # type: ignore[no-untyped-def]
    items = tmp_path / "ours.jsonl"
    items.write_text(json.dumps(OWN_ITEMS[0]) + "\n" + line + "\n", encoding="utf-8")
    r = project.run(
        "eval", "--set", str(items), "--vendors", str(project.vendors_path), "--companies", str(tmp_path / "absent")
    )
    assert r.exit_code == 1
    assert says in r.output and "Traceback" not in r.output


def test_eval_vendors_needs_set(project, tmp_path):  # type: ignore[no-untyped-def]
    r = project.run("eval", "--vendors", str(project.vendors_path), "--companies", str(tmp_path / "absent"))
    assert r.exit_code == 2 and "--set" in r.output


def test_installed_package_runs_eval_from_any_folder(tmp_path):  # type: ignore[no-untyped-def]
    """A normal (non-editable) install, run from a folder that is not the checkout: the shipped set is package data."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "monitor", src / "monitor", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "site"
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            str(target),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pip.returncode == 0, pip.stderr
    assert (target / "monitor" / "eval" / "data" / "items.jsonl").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import monitor; print(monitor.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert Path(where.stdout.strip()).is_relative_to(target), where.stdout  # not the checkout
    r = subprocess.run(
        [sys.executable, "-m", "monitor", "eval", "--json", "--companies", str(tmp_path / "absent")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    shipped = json.loads(r.stdout)[0]
    assert shipped["set"] == "shipped set" and shipped["items"] >= 150
