"""Start-up cost of the commands run most: `run --once` from cron every few minutes, and `search`
typed by an analyst. A run whose feeds all answer 304 has nothing to match, detect or place in an
incident, and a search reads stored matches: neither may load that code (the matching modules compile
hundreds of patterns as they load: ~10% of such a run's time, a third of a search's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import Entry, Project, os_env_without_slack, rss2

HEAVY = ("monitor.matching.matcher", "monitor.matching.detect", "monitor.matching.roles", "monitor.alerting.incidents")
# The CLI in a fresh interpreter, saying at exit which of HEAVY it loaded.
_RUN = (
    "import atexit, sys\n"
    f"HEAVY = {HEAVY!r}\n"
    "atexit.register(lambda: print('LOADED', *[m for m in HEAVY if m in sys.modules], file=sys.stderr))\n"
    "from monitor.cli import main\n"
    "main()\n"
)


def _cli(project: Project, *args: str) -> str:
    env = {**os_env_without_slack(), "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run(
        [sys.executable, "-c", _RUN, "--config", str(project.config_path), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=project.root,
    )
    assert proc.returncode == 0, proc.stderr
    (loaded,) = [line for line in proc.stderr.splitlines() if line.startswith("LOADED")]
    return loaded


def test_a_run_with_nothing_new_loads_no_matching_code(project: Project, httpserver: HTTPServer) -> None:
    feed = rss2([Entry("Acme Corp discloses data breach", "https://news.example/1", "Attackers stole records.")])

    def answer(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(feed, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    httpserver.expect_request("/feed").respond_with_handler(answer)
    project.configure([{"name": "news", "url": httpserver.url_for("/feed")}])
    first = _cli(project, "run", "--once")
    assert "monitor.matching.matcher" in first  # the first run matched the new item in this process
    assert _cli(project, "run", "--once") == "LOADED"  # the second: every feed answered 304
    assert _cli(project, "search", "breach") == "LOADED"


def test_the_collector_runs_during_every_poll_and_after_every_command(
    project: Project, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up pauses the cyclic garbage collector while the command's modules load; a poll, and so
    every cycle of the daemon, must run with it on, or cyclic garbage would pile up for days."""
    import gc

    from monitor.pipeline.cycle import Monitor

    seen: list[bool] = []
    run_once = Monitor.run_once

    def watched(self: Monitor, *args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return run_once(self, *args, **kwargs)  # type: ignore[arg-type]

    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")
    project.configure([{"name": "news", "url": httpserver.url_for("/feed")}])
    monkeypatch.setattr(Monitor, "run_once", watched)
    for args in (("run", "--once"), ("search", "breach"), ("status",)):
        result = project.run(*args)
        assert result.exit_code == 0, result.output
        assert gc.isenabled(), args
    assert seen == [True]
