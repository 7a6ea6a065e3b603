"""Tests that need ../shared/data say so when it is missing, and CI fails loudly instead of skipping them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "MONITOR_REQUIRE_SHARED_DATA", "MONITOR_SHARED_DATA")}
    return {**env, **extra}


def _pytest(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/sources/test_corpus.py"],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )


def test_summary_counts_tests_skipped_for_missing_shared_data_and_where_it_looked(tmp_path: Path) -> None:
    nowhere = tmp_path / "no-shared" / "data"
    run = _pytest(_clean_env(MONITOR_SHARED_DATA=str(nowhere)))
    assert run.returncode == 0, run.stdout[-2000:]
    summary = run.stdout.split("shared data", 1)[1]
    assert f"tests skipped: shared data missing (looked in {nowhere}" in summary, run.stdout[-2000:]
    assert str(nowhere / "html-wild") in summary


def test_ci_fails_the_tests_instead_of_skipping(tmp_path: Path) -> None:
    run = _pytest(_clean_env(MONITOR_SHARED_DATA=str(tmp_path / "missing"), CI="true"))
    assert run.returncode == 1
    assert "shared data required (CI / MONITOR_REQUIRE_SHARED_DATA=1) but missing" in run.stdout
    assert " skipped" not in run.stdout.splitlines()[-1]


def _clone(tmp_path: Path, with_shared: bool) -> Path:
    """A checkout with .ci/run and a stub Makefile whose `lint` and `test` targets reports what it was given."""
    repo = tmp_path / "clone"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    (repo / "Makefile").write_text(
        "lint:\n\t@echo make-lint\ntest:\n\t@echo make-test require=$$MONITOR_REQUIRE_SHARED_DATA\n"
    )
    if with_shared:
        (tmp_path / "shared" / "data").mkdir(parents=True)
    return repo


def test_ci_run_stops_loudly_when_shared_data_is_missing(tmp_path: Path) -> None:
    repo = _clone(tmp_path, with_shared=False)
    run = subprocess.run(["bash", ".ci/run"], cwd=repo, env=_clean_env(CI="true"), text=True, capture_output=True)
    assert run.returncode == 1 and "make-test" not in run.stdout
    assert f"shared data expected at {tmp_path.resolve() / 'shared' / 'data'} but it is missing" in run.stderr


def test_ci_run_requires_shared_data_in_ci_only(tmp_path: Path) -> None:
    repo = _clone(tmp_path, with_shared=True)
    ci = subprocess.run(["bash", ".ci/run"], cwd=repo, env=_clean_env(CI="true"), text=True, capture_output=True)
    assert ci.returncode == 0, ci.stderr
    assert "make-test require=1" in ci.stdout  # present, and the tests are told to fail rather than skip
    shutil.rmtree(tmp_path / "shared")
    local = subprocess.run(["bash", ".ci/run"], cwd=repo, env=_clean_env(), text=True, capture_output=True)
    assert local.returncode == 0 and "make-test require=0" in local.stdout
    opted_out = subprocess.run(
        ["bash", ".ci/run"],
        cwd=repo,
        env=_clean_env(CI="true", MONITOR_REQUIRE_SHARED_DATA="0"),
        text=True,
        capture_output=True,
    )
    assert opted_out.returncode == 0 and "make-test require=0" in opted_out.stdout
