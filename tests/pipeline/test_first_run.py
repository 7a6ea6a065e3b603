"""Issue 19: a first `make run` on a machine that cannot reach any source printed only connection errors;
it now also says that `monitor demo` shows the pipeline offline (and says nothing of it when a source
answered)."""

from __future__ import annotations

from conftest import Project, rss2
from pytest_httpserver import HTTPServer

HINT = "`monitor demo` (make demo) shows the whole pipeline"


def test_every_source_unreachable_points_to_the_demo(project: Project) -> None:
    # Port 9 (discard) is closed on 127.0.0.1: connection refused, as with no network.
    project.configure([{"name": f"news {i}", "url": f"http://127.0.0.1:9/feed{i}"} for i in range(3)])
    result = project.run("run", "--once")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("✗ news") == 3
    assert "every source failed" in result.stderr and HINT in result.stderr


def test_no_hint_when_a_source_answers_or_with_q(project: Project, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(rss2([]), content_type="application/rss+xml")
    project.configure(
        [{"name": "news", "url": httpserver.url_for("/feed")}, {"name": "down", "url": "http://127.0.0.1:9/feed"}]
    )
    result = project.run("run", "--once")
    assert result.exit_code == 0 and "✗ down" in result.stderr
    assert HINT not in result.stderr
    project.configure([{"name": f"news {i}", "url": f"http://127.0.0.1:9/feed{i}"} for i in range(2)])
    quiet = project.run("-q", "run", "--once")
    assert HINT not in quiet.stderr  # -q (cron): only the failures
