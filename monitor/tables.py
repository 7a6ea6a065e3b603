"""Tables for the terminal: columns measured in display cells (漢字 and full-width letters take two),
fitted to the terminal width, coloured only on a terminal and never under NO_COLOR.

One helper for every command that prints rows (search, incidents, status, alerts, feedback list).
Cell text comes from feeds: control characters (terminal escape sequences) are replaced before it is
measured or printed.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

GAP = "  "
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    min: int = 4  # display cells the column keeps when the table is squeezed
    max: int | None = None  # never wider than this
    right: bool = False  # numbers


@dataclass(frozen=True, slots=True)
class Styled:
    """A cell with a colour (a click colour name), shown only on a colour terminal."""

    text: str
    fg: str


Cell = str | Styled


def clean(text: object) -> str:
    """One line of printable text: newlines and tabs become spaces, other control characters '?'."""
    s = "" if text is None else str(text)
    if s.isprintable():
        return s
    return "".join(" " if ch in "\n\r\t" else ch if ch.isprintable() else "?" for ch in s)


def width(text: str) -> int:
    """Display cells of printable text (wide East Asian characters count two)."""
    from wcwidth import wcswidth

    w = wcswidth(text)
    if w >= 0:
        return w
    from wcwidth import wcwidth

    return sum(max(wcwidth(ch), 0) for ch in text)


def clip(text: str, cells: int) -> str:
    """Cut to at most `cells` display cells, marking the cut with an ellipsis."""
    if width(text) <= cells:
        return text
    from wcwidth import wcwidth

    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, cells: int, right: bool = False) -> str:
    fill = " " * max(0, cells - width(text))
    return fill + text if right else text + fill


def terminal_width(stream: TextIO | None = None) -> int | None:
    """$COLUMNS, else the terminal's width; None (no limit) when writing to a pipe or a file."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream or sys.stdout
    if not stream.isatty():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def use_color(stream: TextIO | None = None) -> bool:
    """Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return stream.isatty()


def _fit(natural: list[int], columns: Sequence[Column], limit: int | None) -> list[int]:
    """Column widths: natural ones, the widest shrunk one cell at a time (not below its minimum) until
    the row fits the limit."""
    widths = [min(n, c.max) if c.max else n for n, c in zip(natural, columns, strict=True)]
    if limit is None:
        return widths
    budget = limit - len(GAP) * (len(columns) - 1)
    while sum(widths) > budget:
        shrinkable = [i for i, c in enumerate(columns) if widths[i] > min(c.min, natural[i])]
        if not shrinkable:
            break
        widths[max(shrinkable, key=lambda k: widths[k])] -= 1
    return widths


def render(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    limit: int | None = None,
    color: bool = False,
    header: bool = True,
) -> list[str]:
    """The table's lines: a header (bold on a colour terminal) and one line per row.

    Every line but the last column is padded, so columns start at the same display cell on every line."""
    import click

    text_rows = [[clean(c.text if isinstance(c, Styled) else c) for c in row] for row in rows]
    heads = [c.header for c in columns]
    natural = [max([width(h) if header else 0] + [width(r[i]) for r in text_rows]) for i, h in enumerate(heads)]
    widths = _fit(natural, columns, limit)
    last = len(columns) - 1

    def line(cells: Sequence[str], styles: Sequence[str | None], bold: bool = False) -> str:
        parts = []
        for i, (text, col) in enumerate(zip(cells, columns, strict=True)):
            shown = clip(text, widths[i])
            shown = shown if i == last and not col.right else pad(shown, widths[i], col.right)
            if color and (styles[i] or bold):
                shown = click.style(shown, fg=styles[i], bold=bold)
            parts.append(shown)
        return GAP.join(parts).rstrip()

    out = []
    if header:
        out.append(line(heads, [None] * len(heads), bold=True))
    for row, texts in zip(rows, text_rows, strict=True):
        out.append(line(texts, [c.fg if isinstance(c, Styled) else None for c in row]))
    return out


def echo_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    *,
    header: bool = True,
    after: Sequence[Sequence[str]] | None = None,
) -> None:
    """Print a table to stdout, fitted to the terminal. after[i]: extra lines printed under row i
    (indented, clipped to the width too)."""
    import click

    limit = terminal_width()
    lines = render(columns, rows, limit=limit, color=use_color(), header=header)
    if header:
        click.echo(lines[0], color=use_color())
        lines = lines[1:]
    for i, text in enumerate(lines):
        click.echo(text, color=use_color())
        for extra in after[i] if after else ():
            extra = "    " + clean(extra)
            click.echo(clip(extra, limit) if limit else extra)
