"""Issue 7: bad configuration is refused before anything is fetched or sent, with one exact line per
problem naming file, line and field; `monitor check` lists every problem in both files at once."""

from __future__ import annotations

import pytest
from conftest import VENDORS_CSV, Project, bot_env

GOOD_VENDORS = VENDORS_CSV


def _feeds(url: str, extra: str = "") -> str:
    return f"sources:\n  - name: News\n    url: {url}\n{extra}"


FEEDS_CASES = {
    "syntax error": (
        "sources:\n  - name: News\n    url: {url}\n  - name: Other\n    url: [oops\n",
        [
            "feeds.yaml:5: url: YAML syntax error: while parsing a flow sequence: expected ',' or ']', "
            "but got '<stream end>'"
        ],
    ),
    "tab indentation": (
        "sources:\n  - name: News\n\turl: {url}\n",
        [
            "feeds.yaml:3: url: YAML syntax error: found character '\\t' that cannot start any token "
            "(a tab: indent with spaces)"
        ],
    ),
    "missing url": (
        "sources:\n  - name: News\n    url: {url}\n  - name: No URL\n    interval: 15m\n",
        ["feeds.yaml:4: sources[1].url: missing"],
    ),
    "unknown key": (
        "sources:\n  - name: News\n    url: {url}\n    colour: red\n",
        ["feeds.yaml:4: sources[0].colour: unknown key"],
    ),
    "wrong types": (
        "limits:\n  max_bytes: lots\nsources:\n  - name: News\n    url: {url}\n    enabled: maybe\n"
        "    interval: soon\n",
        [
            "feeds.yaml:2: limits.max_bytes: must be a valid integer, got 'lots'",
            "feeds.yaml:6: sources[0].enabled: must be a valid boolean, got 'maybe'",
            "feeds.yaml:7: sources[0].interval: 'soon' is not a duration such as 30s, 15m or 1h",
        ],
    ),
    "duplicate source": (
        "sources:\n  - name: News\n    url: {url}\n  - name: News\n    url: {url}?2\n",
        ["feeds.yaml:4: sources[1].name: duplicate 'News' (first on line 2)"],
    ),
    "not http": (
        "sources:\n  - name: News\n    url: file:///etc/passwd\n",
        ["feeds.yaml:3: sources[0].url: 'file:///etc/passwd' is not an http(s) URL (scheme 'file' is not allowed)"],
    ),
}

HEADER = "name,aliases,domains,criticality,owner,parent,notes\n"
VENDOR_CASES = {
    "no name column": (
        b"vendor,criticality\nOkta,critical\n",
        ["vendors.csv:1: header: no 'name' column (found: vendor, criticality)"],
    ),
    "duplicate names": (
        (HEADER + "Okta Inc.,Okta,okta.com,critical,,,\nBox Inc.,Box,box.com,low,,,\nOkta Inc.,,,high,,,\n").encode(),
        ["vendors.csv:4: name: duplicate 'Okta Inc.' (first on line 2)"],
    ),
    "unknown criticality": (
        (HEADER + "Okta Inc.,Okta,okta.com,severe,,,\n").encode(),
        ["vendors.csv:2: criticality: 'severe' is not one of critical, high, medium, low"],
    ),
    "parent naming no vendor": (
        (HEADER + "Okta Inc.,Okta,okta.com,critical,,,\nNAVER Cloud,,,high,,LY Corp,\n").encode(),
        ["vendors.csv:3: parent: 'LY Corp' names no vendor"],
    ),
    "bad encoding": (
        (HEADER + "Okta Inc.,Okta,okta.com,critical,,,\n").encode()
        + "Société Générale,SG,,high,,,\n".encode("latin-1"),
        ["vendors.csv:3: name: not valid UTF-8 (byte 0xe9); save the file as UTF-8"],
    ),
    "several problems": (
        (HEADER + "Okta Inc.,,,critical,,,\nBox,,,urgent,,,\nOkta Inc.,,,low,,,\nX,,,low,,Nobody,\n").encode(),
        [
            "vendors.csv:3: criticality: 'urgent' is not one of critical, high, medium, low",
            "vendors.csv:4: name: duplicate 'Okta Inc.' (first on line 2)",
            "vendors.csv:5: parent: 'Nobody' names no vendor",
        ],
    ),
}


@pytest.fixture
def watched(project: Project, httpserver, slack):  # type: ignore[no-untyped-def]
    """A feed server and the Slack stand-in, so tests can assert nobody was contacted."""
    httpserver.expect_request("/feed").respond_with_data("<rss version='2.0'><channel/></rss>")
    return project, httpserver.url_for("/feed"), httpserver, slack


def _assert_refused(result, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert result.stderr == "".join(f"error: {line}\n" for line in expected)
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize("case", list(FEEDS_CASES))
def test_bad_feeds_yaml_is_refused_before_any_fetch(watched, case: str) -> None:  # type: ignore[no-untyped-def]
    project, url, httpserver, slack = watched
    text, expected = FEEDS_CASES[case]
    project.config_path.write_text(text.format(url=url))
    result = project.run("run", "--once", env=bot_env(slack))
    _assert_refused(result, expected)
    assert httpserver.log == [] and slack.requests == []
    assert not project.db_path.exists()
    check = project.run("check")
    _assert_refused(check, expected)


@pytest.mark.parametrize("case", list(VENDOR_CASES))
def test_bad_vendors_csv_is_refused_before_any_fetch(watched, case: str) -> None:  # type: ignore[no-untyped-def]
    project, url, httpserver, slack = watched
    raw, expected = VENDOR_CASES[case]
    project.config_path.write_text(_feeds(url))
    project.vendors_path.write_bytes(raw)
    result = project.run("run", "--once", env=bot_env(slack))
    _assert_refused(result, expected)
    assert httpserver.log == [] and slack.requests == []
    _assert_refused(project.run("check"), expected)


def test_check_reports_problems_in_both_files_at_once(project: Project) -> None:
    project.config_path.write_text("sources:\n  - name: News\n    colour: red\n")
    project.vendors_path.write_bytes(VENDOR_CASES["several problems"][0])
    result = project.run("check")
    _assert_refused(
        result,
        [
            "feeds.yaml:2: sources[0].url: missing",
            "feeds.yaml:3: sources[0].colour: unknown key",
            *VENDOR_CASES["several problems"][1],
        ],
    )


def test_check_finds_vendors_named_in_a_broken_feeds_yaml(project: Project) -> None:
    project.config_path.write_text("vendors: register.csv\nsources:\n  - name: News\n")
    (project.root / "register.csv").write_bytes(b"vendor\nOkta\n")
    result = project.run("check")
    _assert_refused(
        result, ["feeds.yaml:3: sources[0].url: missing", "register.csv:1: header: no 'name' column (found: vendor)"]
    )


def test_check_says_ok_for_a_good_configuration(project: Project) -> None:
    project.config_path.write_text(_feeds("http://127.0.0.1:9/feed"))
    result = project.run("check")
    assert result.exit_code == 0
    assert result.stderr == "ok: 1 sources in feeds.yaml, 6 vendors in vendors.csv\n"


def test_traceback_only_with_vv(project: Project) -> None:
    from click.testing import CliRunner

    from monitor.cli import cli
    from monitor.errors import ConfigError

    project.config_path.write_text("sources:\n  - name: News\n")
    quiet = project.run("check")
    assert quiet.exit_code == 2 and "Traceback" not in quiet.output
    with pytest.raises(ConfigError, match=r"feeds.yaml:2: sources\[0\].url: missing"):
        CliRunner().invoke(cli, ["-vv", "--config", str(project.config_path), "check"], catch_exceptions=False)


def test_vendor_register_fixture_is_valid() -> None:
    from monitor.matching.vendors import parse_vendors

    assert len(parse_vendors(GOOD_VENDORS)) == 6
