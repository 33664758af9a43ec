"""recsys map / export: looking at a space, and taking its vectors out."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from cli.common import (
    CollectionOpt, HomeOpt, JsonOpt, UrlOpt, err_console, one_of, open_store, pick_collection, print_json, settings,
    status, vector_names,
)
from cli.render import safe_text

app = typer.Typer()


def _methods() -> tuple[str, ...]:
    from recsys.analysis.projection import METHODS

    return METHODS


@app.command("map")
def map_(
    output: Path = typer.Option(Path("map.html"), "--output", "-o", help="map.html (interactive) or map.png."),
    using: str = typer.Option(
        "fused", "--using", "-u", callback=one_of("--using", vector_names), help="Vector to map: fused, text, image, audio or graph."
    ),
    color: str = typer.Option("genre", "--color", help="Colour by genre, artist or year."),
    method: str = typer.Option(
        "auto", "--method", callback=one_of("--method", _methods),
        help="auto (UMAP from 2,000 tracks, t-SNE below: UMAP takes ~10 s to start), umap, tsne or pca.",
    ),
    seed: int = typer.Option(42, "--seed", min=0, max=2**32 - 1, help="Random seed of the projection."),
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """A 2-D map of every track in one embedding space, as a self-contained HTML page or a PNG."""
    from recsys.errors import RecsysError, writing_to
    from recsys.analysis.maps import build_map, write_html, write_png

    if output.suffix.lower() not in (".html", ".png"):
        raise RecsysError(f"cannot write a map to '{output.name}': use a .html or .png file name")
    with writing_to(output):  # its folder before the projection, which may take minutes
        output.parent.mkdir(parents=True, exist_ok=True)
    with open_store(settings(home, qdrant_url)) as backend:
        name = pick_collection(backend, collection)
        with status(safe_text(f"projecting the {using} vectors of '{name}'")):
            points, used = build_map(backend, name, using, color, method, seed)
    title = f"{name}: {using} space ({used.upper()}), coloured by {color}"
    with writing_to(output):
        (write_png if output.suffix.lower() == ".png" else write_html)(points, output, title)
    if as_json:
        print_json({"path": str(output), "points": len(points), "method": used, "using": using, "collection": name})
    else:
        err_console.print(safe_text(f"wrote {output} ({len(points)} tracks, {used})"))


@app.command()
def export(
    output: Path = typer.Option(
        ..., "--output", "-o", help="vectors.npy (+ vectors.ids.json and vectors.paths.json) or vectors.parquet."
    ),
    using: str = typer.Option(
        "fused", "--using", "-u", callback=one_of("--using", vector_names), help="Vector to export: fused, text, image, audio or graph."
    ),
    batch_size: int = typer.Option(1024, "--batch-size", min=1, max=1_000_000, help="Tracks read per batch."),
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Every track's vector of one name, streamed to .npy or .parquet, with each track's audio
    and cover files as absolute paths (null when the catalog has none).

    .parquet: one row per track, columns track_id, title, artist, album, genres, tags, year,
    audio_path, cover_path, vector. .npy: the vectors alone, with two sidecars in row order:
    NAME.ids.json (a list of track ids) and NAME.paths.json (a list of
    {"track_id", "audio_path", "cover_path"})."""
    from recsys.analysis.export import export_vectors

    with open_store(settings(home, qdrant_url)) as backend:
        name = pick_collection(backend, collection)
        report = export_vectors(backend, name, using, output, batch_size)
    if as_json:
        print_json(report.as_dict() | {"collection": name, "using": using})
    else:
        extra = f", track ids to {report.ids_path} and file paths to {report.paths_path}" if report.ids_path else ""
        err_console.print(safe_text(f"wrote {report.rows} x {report.dim} {using} vectors to {report.path}{extra}"))
