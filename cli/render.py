"""Rich tables of query results, drawn on stderr."""

from __future__ import annotations

from typing import Sequence

from rich.table import Table

from cli.common import err_console
from recsys.query.library import Result
from recsys.modalities import MODALITIES

_BAR = 5


def bar(value: float | None) -> str:
    """A similarity drawn as a bar: cosine in [0, 1] over 5 cells (negatives draw empty),
    the value beside it. n/a where the track or the seed lacks the modality."""
    if value is None:
        return "[dim]" + "·" * _BAR + "   n/a[/dim]"
    filled = max(0, min(_BAR, round(value * _BAR)))
    return "[cyan]" + "█" * filled + "[/cyan][dim]" + "░" * (_BAR - filled) + f"[/dim] {value:5.2f}"


def results_table(title: str, results: Sequence[Result], explain: bool = False) -> None:
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right", style="dim")
    table.add_column("title", style="bold", no_wrap=True, overflow="ellipsis", max_width=32)
    table.add_column("artist", no_wrap=True, overflow="ellipsis", max_width=24)
    if not explain:  # the bars need the room
        table.add_column("genres", style="green", no_wrap=True, overflow="ellipsis", max_width=24)
        table.add_column("year", justify="right", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    from_seed = any(r.seed or r.is_seed for r in results)
    if from_seed:
        table.add_column("from seed", style="dim")
    if explain:
        for m in MODALITIES:
            table.add_column(m, no_wrap=True)
    for i, r in enumerate(results, 1):
        row = [str(i), r.title, r.artist or "—"]
        row += [f"{r.score:.3f}"] if explain else [", ".join(r.genres), str(r.year or ""), f"{r.score:.3f}"]
        if from_seed:
            row.append("(seed)" if r.is_seed else r.seed or "")
        if explain:
            exp = r.explanation or {}
            row.extend(bar(exp.get(m)) for m in MODALITIES)
        table.add_row(*row)
    if not results:
        err_console.print(f"{title}: no results (filters too narrow?)")
        return
    err_console.print(table)


def playlist_file_note(written) -> None:
    """What a written playlist file holds, and a warning for tracks it could not play
    (``recsys.query.playlist.PlaylistFile``)."""
    err_console.print(f"wrote {written.path} ({written.tracks} tracks)")
    if written.unavailable:
        n = len(written.unavailable)
        err_console.print(
            f"[yellow]warning:[/yellow] {n} track{'s' if n != 1 else ''} without an audio file "
            "listed as comment lines (# unavailable: ...)"
        )
