"""`make mutants`: mutation testing (cosmic-ray) of the modules that carry the README's guarantees.

Each module is mutated alone and tested only by the test files that exercise it (the whole suite takes
minutes), one mutant at a time under `nice`, each with its own timeout. A reduced set of operators is
used (negated and boundary comparisons, and/or, not, True/False, numbers, arithmetic, break/continue,
exceptions, loops that never run): the full set multiplies every `+` into ten variants that say
nothing more. The mutants are made in a copy of monitor/ and tests/ (mutation/out/tree-MODULE), never in the
working tree, so a run stopped half-way leaves no mutant behind. Sessions are kept in mutation/out/ and resumed, so a run cut short by --budget goes on
where it stopped next time.

    .venv/bin/python mutation/run.py                       # every module, as far as the budget goes
    .venv/bin/python mutation/run.py dedupe config         # chosen modules
    .venv/bin/python mutation/run.py --report              # scores and survivors of the sessions so far
    .venv/bin/python mutation/run.py --fresh dedupe        # start the module's session again (after edits)
    .venv/bin/python mutation/run.py --survivors dedupe    # test only the survivors again (after new tests)
    .venv/bin/python mutation/run.py --fresh --sample 60 outbox   # a random sample of 60 mutants (seed 21)

A module too large to run whole on a shared machine (each mutant runs the module's test files) is
measured on a random sample: `--sample N` keeps N of the selected mutants, drawn with `--seed`, when
the session is made; the others are recorded as "not in the random sample" and left out of the score.
"""

from __future__ import annotations

import argparse
import ast
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "mutation" / "out"
PY = sys.executable


@dataclass(frozen=True)
class Module:
    name: str
    path: str  # the file mutated
    tests: tuple[str, ...]  # the test files (or file::test ids) that cover it
    timeout: float  # seconds per mutant (a mutant that loops forever counts as killed)
    functions: tuple[str, ...] = ()  # only these functions/classes (empty: the whole file)


MODULES = (
    Module("dedupe", "monitor/sources/dedupe.py",
           ("tests/cli/test_mutant_kills.py", "tests/cli/test_readme_claims.py", "tests/storage/test_store.py"), 120),
    # dedupe's lookup of stored keys (the chunked IN query on the partial link index) moved to storage.
    Module("article-keys", "monitor/storage/article_store.py",
           ("tests/cli/test_mutant_kills.py", "tests/storage/test_store.py"), 120, ("known_keys",)),
    Module("fetch-policy", "monitor/sources/fetch.py",
           ("tests/cli/test_mutant_kills.py", "tests/sources/test_fetch_policy.py", "tests/sources/test_link_policy_ipv6.py"), 120,
           ("_is_public", "LinkPolicy", "check_link_shape", "resolve_public")),
    # The validation helpers: durations, source URLs, selectors, file caps, duplicate names, health.
    Module("config", "monitor/config.py",
           ("tests/cli/test_mutant_kills.py", "tests/cli/test_config.py", "tests/cli/test_readme_claims.py",
            "tests/cli/test_config_hostile.py", "tests/cli/test_config_mutant_kills.py"), 180,
           ("parse_duration", "check_source_url", "check_selector", "HealthConfig", "_duplicate_names",
            "read_capped", "_read_yaml")),
    # The rest of config validation: LimitsConfig's bounds, the YAML shape check (_check_shape, _Open, _line),
    # where an error points (_line_index, _dotted), its wording (_message, _yaml_problem) and load_config.
    Module("config-load", "monitor/config.py",
           ("tests/cli/test_mutant_kills.py", "tests/cli/test_config.py", "tests/cli/test_readme_claims.py",
            "tests/cli/test_config_hostile.py", "tests/cli/test_config_mutant_kills.py"), 180,
           ("LimitsConfig", "_check_shape", "_Open", "_line", "_line_index", "_dotted", "_message", "_yaml_problem",
            "load_config")),
    Module("matcher", "monitor/matching/matcher.py",
           ("tests/matching/test_match.py", "tests/cli/test_readme_claims.py", "tests/cli/test_mutant_kills.py",
            "tests/matching/test_match_in_sentences.py", "tests/matching/test_match_evidence.py",
            "tests/matching/test_match_mutant_kills.py"), 180),
    Module("incidents", "monitor/alerting/incidents.py",
           ("tests/alerting/test_incident_linking.py", "tests/alerting/test_incident_mutant_kills.py",
            "tests/alerting/test_incidents.py", "tests/alerting/test_incident_corrections.py"), 180),
    Module("outbox", "monitor/alerting/outbox.py",
           ("tests/alerting/test_outbox_mutant_kills.py", "tests/alerting/test_delivery.py", "tests/cli/test_readme_claims.py",
            "tests/alerting/test_outbox_identity.py",
            "tests/alerting/test_slack_routing.py", "tests/alerting/test_incident_corrections.py", "tests/alerting/test_outbox_threads.py",
            "tests/alerting/test_slack_probe_backoff.py", "tests/alerting/test_slack_cli.py", "tests/alerting/test_incidents.py",
            "tests/alerting/test_incident_thread.py",
            # the console is never paced (the rest of test_outage.py takes 20 s and tests the cycle)
            "tests/alerting/test_outage.py::test_deliver_to_the_console_never_sleeps",
            "tests/alerting/test_claims.py"),
           300),
    # enqueue (one alert per dedupe key), the stored message's codec, and the Slack metadata (kind, incident,
    # vendors with roles) that finds a posted alert again: moved out of outbox.py, still its guarantees.
    Module("alert-rows", "monitor/alerting/alert_rows.py",
           ("tests/alerting/test_outbox_identity.py", "tests/alerting/test_roles_alerts.py",
            "tests/alerting/test_delivery.py", "tests/alerting/test_incident_thread.py"), 180),
)

# Operators kept (regular expressions over cosmic-ray's operator names).
KEEP = re.compile(r"core/(ReplaceComparisonOperator_(Eq_NotEq|NotEq_Eq|Lt_GtE|GtE_Lt|Gt_LtE|LtE_Gt|Lt_LtE|LtE_Lt"
                  r"|Gt_GtE|GtE_Gt|Is_IsNot|IsNot_Is)"
                  r"|ReplaceBinaryOperator_(Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Mul|Pow_Mul|Mod_FloorDiv)"
                  r"|ReplaceUnaryOperator_(Delete_Not|USub_UAdd)|AddNot|ReplaceTrueWithFalse|ReplaceFalseWithTrue"
                  r"|ReplaceAndWithOr|ReplaceOrWithAnd|ReplaceBreakWithContinue|ReplaceContinueWithBreak"
                  r"|NumberReplacer|ZeroIterationForLoop|ExceptionReplacer)$")


def _tree(m: Module) -> Path:
    """The module's own copy of the project: two modules may be run at once (two `make mutants`)."""
    return OUT / f"tree-{m.name}"


def _config(m: Module) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    tests = " ".join(t for t in m.tests if (ROOT / t.split("::")[0]).exists())
    cfg = OUT / f"{m.name}.toml"  # beside the tree, which is copied afresh for each module
    cfg.write_text(f"""[cosmic-ray]
module-path = "{m.path}"
timeout = {m.timeout}
excluded-modules = []
test-command = "{PY} -m pytest -x -q -p no:cacheprovider {tests}"

[cosmic-ray.distributor]
name = "local"
""", encoding="utf-8")
    return cfg


def _line_ranges(m: Module) -> list[tuple[int, int]] | None:
    if not m.functions:
        return None
    tree = ast.parse((_tree(m) / m.path).read_text(encoding="utf-8"))
    return [(n.lineno, n.end_lineno or n.lineno) for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name in m.functions]


def _selected(mutation: Any, ranges: list[tuple[int, int]] | None) -> bool:
    line = mutation.start_pos[0]
    return bool(KEEP.match(mutation.operator_name)) and (ranges is None or any(a <= line <= b for a, b in ranges))


NOT_SAMPLED = "not in the random sample"


def _where(mutation: Any) -> tuple[int, int, str, int]:
    """A mutant's place and kind, the same in every session of an unchanged file."""
    return (*mutation.start_pos, mutation.operator_name, mutation.occurrence)


def _prune(session: Path, m: Module, sample: int | None = None, seed: int = 21) -> None:
    """Skip the mutants of operators not kept and outside the chosen functions (and, for a new session
    with `sample`, all but `sample` of the rest, drawn at random with `seed`)."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    ranges = _line_ranges(m)
    with use_db(str(session), WorkDB.Mode.open) as db:
        skip = []
        for item in db.pending_work_items:
            if not all(_selected(mutation, ranges) for mutation in item.mutations):
                skip.append(item.job_id)
        db.set_multiple_results(skip, WorkResult(worker_outcome=WorkerOutcome.SKIPPED,
                                                 output="operator or lines not selected"))
        if sample is not None:
            # Drawn in the order of the mutants in the file: cosmic-ray's job ids are random (uuid4), so an
            # order by id made every new session a different draw whatever the seed.
            order = sorted((_where(item.mutations[0]), item.job_id) for item in db.pending_work_items)
            pending = [job_id for _, job_id in order]
            kept = set(random.Random(seed).sample(pending, min(sample, len(pending))))
            db.set_multiple_results([j for j in pending if j not in kept],
                                    WorkResult(worker_outcome=WorkerOutcome.SKIPPED, output=NOT_SAMPLED))


def _copy_tree(m: Module) -> None:
    """The project as the tests see it (README.md, feeds.yaml, deploy/ ... are read by some)."""
    if _tree(m).exists():
        shutil.rmtree(_tree(m))
    skip = shutil.ignore_patterns(".git", ".venv", "out", "__pycache__", "*.pickle", "*.db", "*.egg-info", "build",
                                  "dist", ".pytest_cache")
    shutil.copytree(ROOT, _tree(m), ignore=skip)


def _baseline(m: Module, env: dict[str, str]) -> bool:
    """The tests must pass on the unmutated copy, or every mutant would count as killed."""
    tests = [t for t in m.tests if (ROOT / t.split("::")[0]).exists()]
    done = subprocess.run(["nice", "-n", "10", PY, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                          cwd=_tree(m), env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"   baseline failed: {m.name}'s tests do not pass unmutated; not run\n{done.stdout[-2000:]}", flush=True)
    return done.returncode == 0


def _forget_survivors(session: Path) -> None:
    """Test the survivors again (after new tests were written), not every mutant."""
    import sqlite3

    with sqlite3.connect(session) as conn:
        conn.execute("DELETE FROM work_results WHERE lower(test_outcome) = 'survived'")


def run(m: Module, budget: float, fresh: bool, survivors: bool = False, sample: int | None = None,
        seed: int = 21) -> float:
    cfg, session = _config(m), OUT / f"{m.name}.sqlite"
    if fresh and session.exists():
        session.unlink()
    if survivors and session.exists():
        _forget_survivors(session)
    _copy_tree(m)
    # The copy comes first on the path, also for the CLI subprocesses some tests start.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "MONITOR_REQUIRE_SHARED_DATA": "0", "PYTHONPATH": str(_tree(m))}
    started = time.monotonic()
    if not _baseline(m, env):
        return time.monotonic() - started
    new = not session.exists()
    if new:
        subprocess.run([PY, "-m", "cosmic_ray.cli", "init", str(cfg), str(session)], check=True, cwd=_tree(m), env=env)
    # also narrows a session begun before `functions` was set; a sample is drawn only for a new session
    _prune(session, m, sample if new else None, seed)
    print(f"== {m.name}: {m.path} ({budget:.0f} s left)", flush=True)
    proc = subprocess.Popen(["nice", "-n", "10", PY, "-m", "cosmic_ray.cli", "exec", str(cfg), str(session)],
                            cwd=_tree(m), env=env)
    try:
        proc.wait(timeout=max(1.0, budget - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        # cosmic-ray restores the file after each mutant; stop between mutants by SIGINT, then make sure.
        proc.send_signal(2)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        print(f"   budget used up: {m.name} is resumed next time", flush=True)
    return time.monotonic() - started


def report(modules: tuple[Module, ...]) -> None:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    print(f"{'module':14} {'mutants':>7} {'sampled':>7} {'killed':>6} {'survived':>8} {'not run':>7} {'score':>6}")
    for m in modules:
        session = OUT / f"{m.name}.sqlite"
        if not session.exists():
            continue
        ranges = _line_ranges(m) if (_tree(m) / m.path).exists() else None
        with use_db(str(session), WorkDB.Mode.open) as db:
            items = {i.job_id: i for i in db.work_items if _selected(i.mutations[0], ranges)}
            results = {j: r for j, r in db.results if j in items}
        done = {j: r for j, r in results.items() if r.worker_outcome != WorkerOutcome.SKIPPED}
        unsampled = sum(r.worker_outcome == WorkerOutcome.SKIPPED and r.output == NOT_SAMPLED
                        for r in results.values())
        selected = len(items) - (len(results) - len(done))
        killed = [j for j, r in done.items() if r.test_outcome in (TestOutcome.KILLED, TestOutcome.INCOMPETENT)]
        survived = [j for j, r in done.items() if r.test_outcome == TestOutcome.SURVIVED]
        ran = len(killed) + len(survived)
        score = f"{len(killed) / ran:.1%}" if ran else "-"
        print(f"{m.name:14} {selected + unsampled:7d} {selected:7d} {len(killed):6d} {len(survived):8d}"
              f" {selected - ran:7d} {score:>6}")
        for j in survived:
            mut = items[j].mutations[0]
            print(f"   survived {m.path}:{mut.start_pos[0]} {mut.operator_name.removeprefix('core/')}"
                  f" #{mut.occurrence}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("modules", nargs="*", help=", ".join(m.name for m in MODULES))
    ap.add_argument("--budget", type=float, default=35 * 60, help="seconds of mutation runs in all (default 2100)")
    ap.add_argument("--fresh", action="store_true", help="start the sessions of these modules again")
    ap.add_argument("--survivors", action="store_true", help="test only the survivors of the sessions again")
    ap.add_argument("--report", action="store_true", help="only print the scores")
    ap.add_argument("--sample", type=int, help="a new session runs only this many mutants, drawn at random")
    ap.add_argument("--seed", type=int, default=21, help="the random draw of --sample (default 21)")
    args = ap.parse_args()
    by_name = {m.name: m for m in MODULES}
    unknown = [n for n in args.modules if n not in by_name]
    if unknown:
        ap.error(f"unknown module {', '.join(unknown)} (known: {', '.join(by_name)})")
    chosen = tuple(by_name[n] for n in args.modules) or MODULES
    if not args.report:
        left = args.budget
        for m in chosen:
            if left <= 0:
                print(f"== {m.name}: not run (budget used up)")
                continue
            left -= run(m, left, args.fresh, args.survivors, args.sample, args.seed)
    report(chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
