"""recsys facets genres|artists|years|composers|performers|playlists: what a collection holds, with track counts."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cli.common import CollectionOpt, HomeOpt, JsonOpt, UrlOpt, err_console, open_store, pick_collection, print_json, settings
from cli.render import safe_text
from cli.tables import number_column, show

app = typer.Typer()

#: the rows a table shows without --limit: a million-track collection has some 100,000 artists,
#: and drawing them all took 15 s (docs/benchmarks.md); --json still gives every value
TABLE_ROWS = 1000


class Facet(str, Enum):
    genres = "genres"
    artists = "artists"
    years = "years"
    composers = "composers"
    performers = "performers"
    playlists = "playlists"


@app.command()
def facets(
    facet: Facet = typer.Argument(..., help="What to list: genres, artists, years, composers, performers or playlists."),
    limit: Optional[int] = typer.Option(
        None, "--limit", "-n", min=1,
        help=f"Only the N most common [default: all with --json, else the first {TABLE_ROWS:,}].",
    ),
    clean: bool = typer.Option(
        False, "--clean/--no-clean", envvar="RECSYS_CLEAN",
        help="Count only the tracks not marked explicit, as --clean's answers hold them: a value whose every track"
        " is marked is not listed. RECSYS_CLEAN=1 makes it the default; --no-clean overrides that.",
    ),
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """The genres, artists, years, composers, performers or playlists of a collection with
    their number of tracks, most common first (grouped regardless of case, accents and
    punctuation, "Кино" and "Kino", "Prog Rock" and "Progressive Rock"; "A feat. B" counts for
    A and for B).

    Use them with --genre, --only-artist, --exclude-artist, --year, --composer, --performer and
    --from-playlist; with --clean, each count is what those find with --clean."""
    from recsys.query.facets import facets as run
    from recsys.query.library import Library

    with open_store(settings(home, qdrant_url)) as backend:
        lib = Library(backend, pick_collection(backend, collection))
        resp = run(lib, facet.value, limit if limit is not None or as_json else TABLE_ROWS, clean=clean)
    if as_json:
        print_json(resp.as_dict() | {"collection": lib.name})
        return
    shown = f"{len(resp.values)} of {resp.total}" if len(resp.values) < resp.total else str(resp.total)
    which = ", not marked explicit" if clean else ""
    table = Table(title=f"{facet.value.capitalize()} in {safe_text(lib.name)} ({shown}{which})", title_justify="left")
    if facet is Facet.years:
        number_column(table, "year")
    else:
        table.add_column(facet.value[:-1], no_wrap=True, overflow="ellipsis", max_width=48)
    number_column(table, "tracks")
    for value, count in resp.values:
        table.add_row(safe_text(value), str(count))
    show(table, err_console)
    if limit is None and len(resp.values) < resp.total:
        err_console.print(f"and {resp.total - len(resp.values):,} more: --limit N shows more, --json all of them")
