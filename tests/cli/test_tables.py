"""Tables (search, incidents, status, alerts, feedback list) line up with Japanese text: columns are
measured in display cells (漢字 take two), fitted to the terminal width; colour only on a terminal."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from conftest import Entry, Project, rss2
from wcwidth import wcswidth, wcwidth

from monitor.tables import Column, Styled, render, use_color

NOW = datetime(2024, 6, 5, 9, 0, tzinfo=UTC)
ENTRIES = [
    Entry(
        "LINEヤフーに不正アクセス、委託先PCのマルウェア感染が起点で約44万件の情報漏えい",
        "https://news.example/ly",
        "LINEヤフーは不正アクセスにより個人情報が漏えいしたと発表した。",
        "g1",
        NOW,
    ),
    Entry(
        "イセトーにランサムウェア攻撃",
        "https://news.example/isetoh",
        "株式会社イセトーはランサムウェア攻撃を受け、委託元の個人情報が流出したと発表した。",
        "g2",
        NOW,
    ),
    Entry(
        "Okta confirms attackers accessed its support system",
        "https://news.example/okta",
        "Okta said a threat actor used a stolen credential to access files.",
        "g3",
        NOW,
    ),
]
WIDTH = 80


@pytest.fixture
def populated(project: Project, httpserver) -> Project:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/ja").respond_with_data(rss2(ENTRIES[:2]), content_type="application/rss+xml")
    httpserver.expect_request("/en").respond_with_data(rss2(ENTRIES[2:]), content_type="application/rss+xml")
    project.configure(
        [
            {"name": "セキュリティニュース速報", "url": httpserver.url_for("/ja")},
            {"name": "Breach news", "url": httpserver.url_for("/en")},
        ]
    )
    assert project.run("run", "--once").exit_code == 0
    assert project.run("feedback", "1", "--false-positive", "--reason", "委託先の誤検知").exit_code == 0
    return project


def _columns(header: str) -> list[int]:
    """Display cells where each header word starts (headers are ASCII, one space inside at most)."""
    return [i for i, ch in enumerate(header) if ch != " " and (i == 0 or header[i - 2 : i] == "  ")]


def _cells(line: str, starts: list[int]) -> list[str]:
    """Cut a line at display cells `starts`; a cut that would fall inside a wide character fails."""
    cuts, cells, pos = set(starts[1:]), [], 0
    current = ""
    for ch in line:
        if pos in cuts:
            cells.append(current)
            current = ""
        w = max(wcwidth(ch), 0)
        assert not any(pos < c < pos + w for c in cuts), f"a column boundary falls inside {ch!r}: {line!r}"
        current += ch
        pos += w
    cells.append(current)
    return cells


@pytest.mark.parametrize(
    "command",
    [["search", "不正アクセス"], ["search", "attackers"], ["incidents"], ["status"], ["alerts"], ["feedback", "list"]],
)
def test_japanese_columns_line_up_and_fit_the_width(populated: Project, command: list[str]) -> None:
    result = populated.run(*command, env={"COLUMNS": str(WIDTH)})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("    ")]  # not the URL lines
    header, rows = lines[0], lines[1:]
    assert rows, result.stdout
    assert any(wcswidth(r) != len(r) for r in rows) or command == ["search", "attackers"]  # wide text is there
    starts = _columns(header)
    widths = [wcswidth(c) for c in _cells(header, starts)][:-1]
    for row in rows:
        assert wcswidth(row) <= WIDTH, f"{row!r} is wider than the terminal"
        # Trailing blanks are stripped (an empty last column): invisible, so pad them back for the cut.
        cells = _cells(row + " " * max(0, wcswidth(header) - wcswidth(row)), starts)
        assert len(cells) == len(starts)
        # Every cell but the last takes the same display width as its header cell: the columns line up.
        assert [wcswidth(c) for c in cells][:-1] == widths, f"{header!r}\n{row!r}"
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_json_output_is_unchanged_by_the_tables(populated: Project) -> None:
    import json

    rows = json.loads(populated.run("incidents", "--json", env={"COLUMNS": "40"}).stdout)
    assert rows[0]["title"] in {e.title for e in ENTRIES}  # not clipped or padded


def test_a_squeezed_column_is_clipped_at_a_display_cell_with_an_ellipsis() -> None:
    lines = render(
        [Column("id", right=True), Column("title", min=6)],
        [["1", "情報漏えいの可能性があると発表"], ["22", "short"]],
        limit=20,
    )
    assert lines == ["id  title", " 1  情報漏えいの可…", "22  short"]
    assert all(wcswidth(line) <= 20 for line in lines)


def test_colour_only_on_a_terminal_and_never_under_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    master, slave = os.openpty()
    with os.fdopen(slave, "w") as tty, open(os.devnull, "w") as pipe:
        monkeypatch.delenv("NO_COLOR", raising=False)
        assert use_color(tty) and not use_color(pipe)
        monkeypatch.setenv("NO_COLOR", "1")
        assert not use_color(tty)
    os.close(master)
    coloured = render([Column("state")], [[Styled("failed", "red")]], color=True)
    assert "\x1b[31m" in coloured[1] and "\x1b[1m" in coloured[0]
    assert render([Column("state")], [[Styled("failed", "red")]], color=False) == ["state", "failed"]


def test_feed_text_cannot_send_escape_sequences_to_the_terminal() -> None:
    lines = render([Column("title")], [["evil\x1b]0;pwned\x07title\nsecond line"]])
    assert lines[1] == "evil?]0;pwned?title second line"
