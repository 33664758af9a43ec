"""Rich tables of query results, drawn on stderr."""

from __future__ import annotations

import re
from typing import Sequence

from rich.table import Table

from cli.common import err_console
from cli.tables import fits, number_column, show
from recsys.query.library import Result
from recsys.modalities import MODALITIES
from recsys.text import plain_text

_BAR = 5

# What rich reads as markup: a tag with the backslashes before it (2n+1 backslashes show n and
# the tag as written: rich.markup.escape's rule), and backslashes before any other "[" (rich
# drops the last one). rich's own escape misses the second case and doubles a trailing one,
# which rich then prints twice ("C:\\" for "C:\").
_MARKUP = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])|(\\+)(?=\[)")


def _escape_markup(match: re.Match) -> str:
    if match.group(2) is not None:
        return f"{match.group(1)}{match.group(1)}\\{match.group(2)}"
    return match.group(3) + "\\"


def safe_text(value: object, newlines: bool = False) -> str:
    """User data (a title, artist, genre, path, track id, collection name, message) for a rich
    string: control sequences removed (``plain_text``) and rich markup escaped, so
    ``[link=...]`` or ``[/bold]`` prints as written instead of styling or failing. Every user
    string printed through rich goes through here."""
    return _MARKUP.sub(_escape_markup, plain_text(value, newlines))


_EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar(value: float | None, cells: int = _BAR) -> str:
    """A similarity drawn as a bar: cosine in [0, 1] over ``cells`` cells (negatives draw
    empty), the value beside it; one cell draws eighths of it, none the value alone. n/a
    where the track or the seed lacks the modality."""
    if value is None:
        return "[dim]" + ("·" * cells + " " if cells else "") + "  n/a[/dim]"
    if cells == 0:
        return f"{value:5.2f}"
    if cells == 1:
        return f"[cyan]{_EIGHTHS[max(0, min(8, round(value * 8)))]}[/cyan] {value:5.2f}"
    filled = max(0, min(cells, round(value * cells)))
    return "[cyan]" + "█" * filled + "[/cyan][dim]" + "░" * (cells - filled) + f"[/dim] {value:5.2f}"


#: the layouts of a table, richest first, by (genres shown, cells per bar): the first whose
#: numbers fit beside legible text is drawn, the last whatever the width
_LAYOUTS = {False: ((True, 0), (False, 0)), True: ((False, _BAR), (False, 1), (False, 0))}


def results_table(title: str, results: Sequence[Result], explain: bool = False) -> None:
    """``title`` is plain text (it may hold user data); the table goes to stderr. Ranks,
    scores and similarities are never cut: title, artist, genres and seed give way, then
    the genres column and the bars' drawing go (``cli.tables``)."""
    title = safe_text(title)
    if not results:
        err_console.print(f"{title}: no results (filters too narrow?)")
        return
    layouts = _LAYOUTS[explain]
    for i, (genres, cells) in enumerate(layouts):
        table = _results(title, results, explain, genres, cells)
        if i == len(layouts) - 1 or fits(table, err_console):
            break
    show(table, err_console)


def _results(title: str, results: Sequence[Result], explain: bool, genres: bool, cells: int) -> Table:
    table = Table(title=title, title_justify="left")
    number_column(table, "#", style="dim")
    table.add_column("title", style="bold", no_wrap=True, overflow="ellipsis", max_width=32)
    table.add_column("artist", no_wrap=True, overflow="ellipsis", max_width=24)
    if genres:
        table.add_column("genres", style="green", no_wrap=True, overflow="ellipsis", max_width=24)
    if not explain:
        number_column(table, "year")
    # a DJ's tempo and key, where some result's tags give them: a library without them is
    # drawn as before (narrow columns, never cut)
    bpm = any(r.bpm is not None for r in results)
    key = any(r.key for r in results)
    if bpm:
        number_column(table, "bpm")
    if key:
        number_column(table, "key")
    # the parental advisory as the stores badge it, E or C, where some result has one
    advisory = any(r.explicit is not None for r in results)
    if advisory:
        number_column(table, "adv")
    number_column(table, "score")
    from_seed = any(r.seed or r.is_seed for r in results)
    if from_seed:
        table.add_column("from seed", style="dim", no_wrap=True, overflow="ellipsis", max_width=24)
    if explain:
        for m in MODALITIES:
            number_column(table, m, justify="left" if cells else "right")
    for i, r in enumerate(results, 1):
        row = [str(i), safe_text(r.title), safe_text(r.artist or "—")]
        if genres:
            row.append(safe_text(", ".join(r.genres)))
        if not explain:
            row.append(safe_text(r.year or ""))
        if bpm:
            row.append(f"{r.bpm:g}" if r.bpm is not None else "")
        if key:
            row.append(safe_text(r.key or ""))
        if advisory:
            row.append({True: "E", False: "C"}.get(r.explicit, ""))
        row.append(f"{r.score + 0.0:.3f}".replace("-0.000", "0.000"))  # no "-0.000" for a score that rounds to 0
        if from_seed:
            row.append("(seed)" if r.is_seed else safe_text(r.seed or ""))
        if explain:
            exp = r.explanation or {}
            row.extend(bar(exp.get(m), cells) for m in MODALITIES)
        table.add_row(*row)
    return table


def counted(n: int, noun: str) -> str:
    """``n`` and the noun agreeing with it: "1 seed", "3 seeds" (regular plurals only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def playlist_seeds_note(playlists) -> None:
    """For each playlist given as seeds (``recsys.query.playlistseeds.PlaylistSeeds``) whose
    entries are not all tracks of the collection: how many are not, and the first few."""
    for p in playlists:
        if not p.missing:
            continue
        shown = ", ".join(safe_text(repr(m[:120])) for m in p.missing[:3])
        more = f" and {len(p.missing) - 3} more" if len(p.missing) > 3 else ""
        err_console.print(
            f"note: {len(p.missing)} of the {p.entries} entries of {safe_text(p.name)} are no track of this "
            f"collection, left out: {shown}{more}", markup=False, highlight=False, soft_wrap=True,
        )


def playlist_file_note(written) -> None:
    """What a written playlist file holds, and a warning for tracks it could not play
    (``recsys.query.playlist.PlaylistFile``)."""
    err_console.print(f"wrote {safe_text(written.path)} ({counted(written.tracks, 'track')})")
    if written.unavailable:
        err_console.print(
            f"[yellow]warning:[/yellow] {counted(len(written.unavailable), 'track')} without an audio file "
            "listed as comment lines (# unavailable: ...)"
        )
