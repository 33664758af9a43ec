"""Tables that fit the console: numbers whole, text cut short.

rich narrows a table that is too wide by shrinking the columns that may wrap, then, once none
is left, every column alike: ranks, scores and counts came out as "0…" or vanished while
titles kept their width. Here every column gets its width before rich lays the table out:
columns of numbers (``number_column``) keep theirs, text columns give way (with an ellipsis,
or wrapping where they fold), the widest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from rich.cells import cell_len
from rich.console import Console, JustifyMethod, RenderableType
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

from cli.common import err_console

#: the least width a text column is given while a plainer layout could still give it more
#: (``fits``); below it a title reads "Th…"
TEXT_MIN = 8


@dataclass
class _Number(Column):
    """A column that ``fit`` keeps as wide as its widest cell."""


def number_column(table: Table, header: str, justify: JustifyMethod = "right", **kwargs) -> None:
    """A column never cut (numbers, and short labels like a vector's name): its cells never
    wrap and ``fit`` never narrows it below the widest; its header may wrap, word by word."""
    table.columns.append(_Number(
        _index=len(table.columns), header=Text(header, no_wrap=False), justify=justify, no_wrap=True, **kwargs,
    ))


def _width(console: Console, cell: RenderableType) -> int:
    if isinstance(cell, str) and "[" not in cell and ":" not in cell:  # no markup, no emoji code
        return cell_len(cell)
    return Measurement.get(console, console.options, cell).maximum


def _header_words(column: Column) -> int:
    header = column.header.plain if isinstance(column.header, Text) else str(column.header)
    return max((cell_len(w) for w in header.split()), default=0)


def _widths(console: Console, column: Column, text_min: int) -> tuple[int, int]:
    """(natural, least) width of a column's content, padding aside."""
    cells = [_width(console, c) for c in column.cells]
    natural = max([_width(console, column.header), *cells])
    if isinstance(column, _Number):
        return natural, max([_header_words(column), *cells])
    if column.max_width is not None:
        natural = min(natural, column.max_width)
    return natural, min(natural, text_min)


def _chrome(table: Table) -> int:
    """The width of the borders and the padding."""
    n = len(table.columns)
    _, right, _, left = table.padding
    edges = (2 if table.show_edge else 0) + (n - 1) if table.box else 0
    return n * (left + right) + edges


def fits(table: Table, console: Console) -> bool:
    """Whether the numbers, and each text column at TEXT_MIN, fit the console's width."""
    least = sum(_widths(console, c, TEXT_MIN)[1] for c in table.columns)
    return least + _chrome(table) <= console.width


def _level(naturals: list[int], leasts: list[int], room: int) -> list[int]:
    """Widths that cap the widest columns at one level, the highest whose total fits ``room``;
    no column below its least."""

    def capped(level: int) -> list[int]:
        return [max(least, min(natural, level)) for natural, least in zip(naturals, leasts)]

    lo, hi = 0, max(naturals, default=0)
    while lo < hi:  # the highest level that fits
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if sum(capped(mid)) <= room else (lo, mid - 1)
    widths = capped(lo)
    spare = room - sum(widths)
    for i, natural in enumerate(naturals):  # the room rounding left, to the capped columns
        if spare > 0 and widths[i] < natural:
            widths[i] += 1
            spare -= 1
    return widths


def fit(table: Table, console: Console) -> None:
    """Set the column widths so that ``table`` fits ``console``: unchanged where it fits as it
    is; else text columns shrink (the widest first, down to one cell) and number columns
    only to their widest cell. Where even that is wider than the console, the table keeps
    that width (``show`` prints it uncropped: the terminal wraps the lines, numbers whole)."""
    room = console.width - _chrome(table)
    sizes = [_widths(console, c, 1) for c in table.columns]
    naturals = [n for n, _ in sizes]
    if sum(naturals) <= room:
        return
    widths = _level(naturals, [least for _, least in sizes], room)
    for column, width in zip(table.columns, widths):
        column.width = width
    if sum(widths) > room:
        table.width = sum(widths) + _chrome(table)


def show(table: Table, console: Optional[Console] = None) -> None:
    """Print ``table`` fitted to the console, its title on a line of its own: rich wraps a
    table's title at the table's width, so a narrow table broke a short title in two
    ("Genres in x" over "(0)")."""
    console = console or err_console
    title, table.title = table.title, None
    if title:
        console.print(title, style="table.title")
    fit(table, console)
    console.print(table, crop=False)


_NUMBER = re.compile(r"[-+]?(\d[\d,]*(\.\d*)?|\.\d+)(e[-+]?\d+)?%?|n/a|-|—|")


def is_number(cell: str) -> bool:
    """Whether a cell (a string of a table built elsewhere, e.g. eval's) is a number, or
    none: such columns are drawn with ``number_column``."""
    return bool(_NUMBER.fullmatch(cell.strip()))
