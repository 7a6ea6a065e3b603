"""Issue 20, identity and trust: the pickled caches beside the database are loaded only when this user
owns them and no one else can write them; terminal escapes in stored text never reach the terminal;
SLACK_API_URL credentials never reach the logs; database failures name the path and the fix."""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
from pathlib import Path

import pytest
from conftest import Entry, Project, rss2


class _RunsCode:
    """What a planted cache would hold: unpickling it creates the marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (str(self.marker), "w"))


def _plant(cache: Path, marker: Path, mode: int) -> None:
    with cache.open("rb") as f:
        key, _ = pickle.load(f)
    cache.write_bytes(pickle.dumps((key, _RunsCode(marker))))
    cache.chmod(mode)


def _feed_project(project: Project, httpserver) -> None:  # type: ignore[no-untyped-def]
    entries = [Entry("Okta confirms breach of support system", "https://news.example/okta", "Data stolen.", "o1")]
    httpserver.expect_request("/news").respond_with_data(rss2(entries), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/news")}])


@pytest.mark.parametrize("kind", ["vendors", "matcher"])
@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_cache_writable_by_others_is_not_loaded_but_rebuilt(
    project: Project, httpserver, tmp_path: Path, kind: str, mode: int
) -> None:  # type: ignore[no-untyped-def]
    _feed_project(project, httpserver)
    assert project.run("run", "--once").exit_code == 0
    [cache] = project.root.glob(f"monitor.db.{kind}-*.pickle")
    marker = tmp_path / "code-ran"
    _plant(cache, marker, mode)

    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert not marker.exists(), "a cache others could write was unpickled"
    [rebuilt] = project.root.glob(f"monitor.db.{kind}-*.pickle")
    assert stat.S_IMODE(rebuilt.stat().st_mode) == 0o600
    with rebuilt.open("rb") as f:
        pickle.load(f)  # ours again: loading it runs nothing
    assert not marker.exists()
    assert project.run("match", "Okta confirms breach").exit_code == 0


def test_cache_owned_by_another_user_is_not_loaded(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.matching.vendors import load_vendors

    load_vendors(project.vendors_path, project.db_path)
    [cache] = project.root.glob("monitor.db.vendors-*.pickle")
    marker = tmp_path / "code-ran"
    _plant(cache, marker, 0o600)
    # This process's user is not the file's owner (as for a file another user left there).
    real_uid = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real_uid + 1)
    vendors = load_vendors(project.vendors_path, project.db_path)
    assert not marker.exists()
    assert "Okta Inc." in {v.name for v in vendors}


# ---------------------------------------------------------------- terminal escapes

HOSTILE_TITLE = (
    "Okta confirms breach of support system \x1b]8;;http://evil\x07click here\x1b]8;;\x07\x1b[2J\x1b]0;owned\x07\x9b31m"
)


@pytest.mark.parametrize("command", [["search", "Okta"], ["alerts"], ["incidents"], ["status"]])
def test_stored_titles_reach_the_terminal_without_control_characters(
    project: Project, httpserver, command: list[str]
) -> None:  # type: ignore[no-untyped-def]
    import json

    items = [{"title": HOSTILE_TITLE, "url": "https://news.example/okta", "summary": "Customer data was stolen."}]
    httpserver.expect_request("/api").respond_with_data(json.dumps({"data": items}), content_type="application/json")
    project.configure(
        [
            {
                "name": "api",
                "url": httpserver.url_for("/api"),
                "type": "json",
                "items": "data",
                "title": "title",
                "link": "url",
                "summary": "summary",
            }
        ]
    )
    run = project.run("run", "--once")
    assert run.exit_code == 0, run.output
    stored = project.db().execute("select title from articles").fetchall()
    assert "\x1b]8;;http://evil\x07" in stored[0][0]  # kept as published: stored text is evidence
    if command[0] == "status":  # a source error quoting the hostile text
        project.db().execute("update sources set last_error = ?", [HOSTILE_TITLE])
        project.db().conn.commit()
    result = project.run(*command)
    assert result.exit_code == 0, result.output
    shown = result.output
    assert shown.strip(), "nothing printed"
    for control in ("\x1b", "\x07", "\x9b"):
        assert control not in shown, (command, shown)
    if command[0] in ("search", "alerts", "incidents"):
        assert "Okta confirms breach of support system ?]8;;http://evil?" in shown


# ---------------------------------------------------------------- SLACK_API_URL credentials


def test_userinfo_in_slack_api_url_is_redacted_at_debug(project: Project, httpserver, slack, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.DEBUG)
    _feed_project(project, httpserver)
    api = slack.url.replace("http://", "http://proxyuser:Pr0xyPassw0rd@")
    env = {"SLACK_BOT_TOKEN": "xoxb-test-000-secret", "SLACK_API_URL": api, "SLACK_CHANNEL": "C0GENERAL"}
    run = project.run("-vvv", "run", "--once", env=env)
    again = project.run("-vvv", "alerts", "retry", env=env)
    listing = project.run("alerts", "--json")
    seen = run.output + again.output + listing.output + caplog.text
    for p in project.root.glob("monitor.db*"):
        seen += p.read_bytes().decode("latin-1")
    assert any(r.name == "monitor.slack" for r in caplog.records), "slack-sdk's request dumps were not logged"
    assert "proxyuser:[redacted]" not in seen  # the whole userinfo goes
    assert "Pr0xyPassw0rd" not in seen and "proxyuser" not in seen
    assert "http://[redacted]@127.0.0.1" in seen


# ---------------------------------------------------------------- database failures

_DB_ERROR_CMDS = [["run", "--once"], ["status"], ["alerts"], ["incidents"]]


def _as_ordinary_user() -> list[str]:
    """Root writes anywhere: drop the capabilities that let it, so permissions apply as for a service user."""
    if os.getuid() != 0:
        return []
    import shutil

    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be simulated")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def _monitor(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    import subprocess
    import sys

    from conftest import os_env_without_slack

    return subprocess.run(
        [*_as_ordinary_user(), sys.executable, "-m", "monitor", "--config", str(project.config_path), *args],
        cwd=project.root,
        env=os_env_without_slack(),
        text=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("existing", [False, True], ids=["new-database", "existing-database"])
@pytest.mark.parametrize("command", _DB_ERROR_CMDS, ids=" ".join)
def test_read_only_database_folder_names_the_path_and_the_fix(
    project: Project, httpserver, command: list[str], existing: bool
) -> None:  # type: ignore[no-untyped-def]
    _feed_project(project, httpserver)
    files = []
    if existing:
        assert project.run("run", "--once").exit_code == 0
        before = project.db_path.read_bytes()
        files = list(project.root.glob("monitor.db*"))
    for f in files:
        f.chmod(0o444)
    project.root.chmod(0o555)
    try:
        result = _monitor(project, *command)
    finally:
        project.root.chmod(0o755)
        for f in files:
            f.chmod(0o600)
    if existing and command != ["run", "--once"] and result.returncode == 0:
        return  # reading may work without write access (SQLite may still need to write the -shm file)
    assert result.returncode == 1, result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith(f"error: {project.root}/monitor.db"), line
    assert "cannot write" in line and "writable by the user running monitor" in line, line
    if existing:
        assert project.db_path.read_bytes() == before


@pytest.mark.parametrize("command", [*_DB_ERROR_CMDS, ["search", "okta"]], ids=" ".join)
def test_corrupt_database_names_the_path_and_the_fix(project: Project, command: list[str]) -> None:
    project.configure([{"name": "news", "url": "http://127.0.0.1:9/feed"}])
    garbage = b"this is not an SQLite database, it was overwritten by something else\n" * 100
    project.db_path.write_bytes(garbage)
    result = project.run(*command)
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"error: {project.db_path}: not a readable SQLite database (file is not a database): move it and its "
        "-wal/-shm files aside to start a new one, or restore it from a backup"
    )
    assert project.db_path.read_bytes() == garbage  # left as it was, for recovery


def test_disk_full_names_the_path_and_the_fix(project: Project, httpserver, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """SQLite's own disk-full error, raised from the store by a page limit (as a full disk would)."""
    from monitor.storage import store as storemod

    entries = [
        Entry(f"Okta confirms breach {i}", f"https://news.example/{i}", "Data stolen. " * 200, f"g{i}")
        for i in range(200)
    ]
    httpserver.expect_request("/news").respond_with_data(rss2(entries), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/news")}])
    assert project.run("status").exit_code == 0  # creates the database
    real_init = storemod.Store.__init__

    def tiny_disk(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_init(self, *args, **kwargs)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(storemod.Store, "__init__", tiny_disk)
    result = project.run("run", "--once")
    assert result.exit_code == 1, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith(f"error: {project.db_path}: the disk is full (database or disk is full)"), line
    assert "free space on the disk" in line
