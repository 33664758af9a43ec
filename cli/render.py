"""Rich tables for results and ingest summaries, drawn on stderr."""

from __future__ import annotations

from typing import Sequence

from rich.table import Table

from cli.common import err_console
from recsys.library import Result
from recsys.modalities import MODALITIES

_BAR = 12


def bar(value: float | None) -> str:
    """A similarity drawn as a bar: cosine in [-1, 1] mapped to [0, 12] cells."""
    if value is None:
        return "[dim]" + "·" * _BAR + "   n/a[/dim]"
    filled = max(0, min(_BAR, round((value + 1) / 2 * _BAR)))
    return "[cyan]" + "█" * filled + "[/cyan]" + "[dim]" + "░" * (_BAR - filled) + f"[/dim] {value:+.2f}"


def results_table(title: str, results: Sequence[Result], explain: bool = False) -> None:
    table = Table(title=title, title_justify="left", show_lines=explain)
    table.add_column("#", justify="right", style="dim")
    table.add_column("title", style="bold")
    table.add_column("artist")
    table.add_column("genres", style="green")
    table.add_column("year", justify="right")
    table.add_column("score", justify="right")
    if any(r.seed for r in results):
        table.add_column("from seed", style="dim")
    if explain:
        table.add_column("similarity to the seed, per modality")
    for i, r in enumerate(results, 1):
        row = [str(i), r.title, r.artist, ", ".join(r.genres), str(r.year or ""), f"{r.score:.3f}"]
        if any(x.seed for x in results):
            row.append(r.seed or "")
        if explain:
            exp = r.explanation or {}
            row.append("\n".join(f"{m:<5} {bar(exp.get(m))}" for m in MODALITIES))
        table.add_row(*row)
    if not results:
        err_console.print(f"{title}: no results (filters too narrow?)")
        return
    err_console.print(table)
