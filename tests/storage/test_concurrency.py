"""Issue 7: overlapping runs are safe. Two or three `monitor run --once` processes started at the same
moment on one database send each alert exactly once, and none fails with "database is locked"."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import Entry, Project, bot_env, os_env_without_slack, rss2

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)


def _reports(round_no: int) -> bytes:
    names = ["Okta", "LINEヤフー", "トヨタ自動車", "Box", "ISETOH Corporation"]
    return rss2(
        [
            Entry(
                f"{n} confirms data breach, round {round_no}",
                f"https://news.example/{round_no}/{i}",
                "Attackers stole customer data.",
                f"g{round_no}-{i}",
                NOW,
            )
            for i, n in enumerate(names)
        ]
    )


def _start_together(project: Project, env: dict[str, str], n: int) -> list[subprocess.CompletedProcess[str]]:
    barrier = threading.Barrier(n)
    results: list[subprocess.CompletedProcess[str]] = [None] * n  # type: ignore[list-item]

    def one(i: int) -> None:
        barrier.wait()
        results[i] = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(project.config_path), "run", "--once"],
            cwd=project.root,
            env={**os_env_without_slack(), **env},
            text=True,
            capture_output=True,
            timeout=120,
        )

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("n", [2, 3])
def test_simultaneous_runs_alert_exactly_once(project: Project, httpserver, slack, n: int) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/a").respond_with_data(_reports(1), content_type="application/rss+xml")
    # The same five reports from a second source: deduplicated across sources and across processes.
    httpserver.expect_request("/b").respond_with_data(_reports(1), content_type="application/rss+xml")
    httpserver.expect_request("/down").respond_with_data("x", status=500)
    project.configure(
        [
            {"name": "A", "url": httpserver.url_for("/a")},
            {"name": "B", "url": httpserver.url_for("/b")},
            {"name": "Down", "url": httpserver.url_for("/down")},
        ],
        health={"failure_threshold": 1},
    )
    results = _start_together(project, bot_env(slack), n)
    for r in results:
        assert r.returncode == 0, r.stderr
        assert "database is locked" not in r.stderr and "Traceback" not in r.stderr
    article_posts = [m["text"] for m in slack.messages if "round 1" in m["text"]]
    assert len(article_posts) == 5 and len(set(article_posts)) == 5, article_posts
    health = [m["text"] for m in slack.messages if "Source failing" in m["text"]]
    assert health == ["⚠️ Source failing: Down"]  # one health alert, not one per process
    db = sqlite3.connect(project.db_path)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert db.execute("SELECT state, count(*) FROM alerts GROUP BY state").fetchall() == [("sent", 6)]
    assert db.execute("SELECT consecutive_failures FROM sources WHERE name = 'Down'").fetchone()[0] == n
    db.close()


def test_concurrent_writers_never_see_database_is_locked(tmp_path: Path) -> None:
    """Two processes, 300 write transactions each, interleaved with reads (the SQLITE_BUSY_SNAPSHOT trap)."""
    script = (
        "import sys\n"
        "from monitor.storage.store import Store\n"
        "s = Store(sys.argv[1])\n"
        "for i in range(300):\n"
        "    s.all_source_states()\n"
        "    with s.write() as db:\n"
        "        s.save_source_state(db, f'{sys.argv[2]}-{i % 7}', consecutive_failures=i)\n"
        "print('done')\n"
    )
    db_path = tmp_path / "m.db"
    from monitor.storage.store import Store

    Store(db_path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(db_path), name],
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("x", "y")
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0 and out.strip() == "done", err
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM sources").fetchone()[0] == 14


def test_store_uses_wal_busy_timeout_and_immediate_writes(tmp_path: Path) -> None:
    from monitor.storage.store import Store

    with Store(tmp_path / "m.db") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        # While one connection holds a write transaction, a second writer waits instead of failing.
        other = Store(tmp_path / "m.db")
        other.conn.execute("PRAGMA busy_timeout = 300")
        with s.write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                with other.write():
                    pass
        with other.write() as db:  # free again
            other.save_source_state(db, "z", consecutive_failures=1)
        other.close()


def test_a_run_that_cannot_get_the_lock_exits_75_and_sends_nothing(project, httpserver, slack, monkeypatch):  # type: ignore[no-untyped-def]
    """cron's EX_TEMPFAIL: another run has held the lock too long; nothing is stored or sent."""
    import subprocess
    import sys

    from conftest import Entry, bot_env, rss2

    import monitor.pipeline.cycle

    httpserver.expect_request("/f").respond_with_data(
        rss2([Entry("Okta confirms breach of support system", "https://n.example/1", "Files were stolen.")]),
        content_type="application/rss+xml",
    )
    project.configure([{"name": "news", "url": httpserver.url_for("/f")}])
    lock = str(project.db_path) + ".lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import filelock, sys, time\n"
            f"l = filelock.FileLock({lock!r}); l.acquire(); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(monitor.pipeline.cycle, "LOCK_TIMEOUT", 0.5)
        result = project.run("run", "--once", env=bot_env(slack))
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 75
    assert "another monitor run holds" in result.stderr
    assert slack.messages == []
    assert project.db()["articles"].count == 0


def test_processes_opening_a_new_database_together_all_succeed(tmp_path: Path) -> None:
    """Switching a new file to WAL needs an exclusive lock, and SQLite does not wait for it: runs started
    together on a fresh install failed with "database is locked" before the switch was retried."""
    # Each process says "ready" once past its imports, then waits for "go" on stdin: all four open the
    # database together however long the imports take on a loaded machine (a fixed 0.5 s head start
    # made time.sleep() negative and the test fail there).
    script = (
        "import sys\n"
        "from monitor.storage.store import Store\n"
        "print('ready', flush=True)\n"
        "sys.stdin.readline()\n"
        "Store(sys.argv[1]).close()\n"
        "print('ok')\n"
    )

    for round_no in range(6):
        db_path = tmp_path / f"fresh-{round_no}.db"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(db_path)],
                text=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready", p.communicate(timeout=60)[1]
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0 and out.strip() == "ok", err.strip().splitlines()[-1:]
        mode = sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
