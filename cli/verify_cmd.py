"""recsys verify."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cli.common import CollectionOpt, HomeOpt, JsonOpt, UrlOpt, err_console, open_store, pick_collection, print_json, settings
from cli.render import counted, safe_text
from cli.tables import number_column, show

app = typer.Typer()


@app.command()
def verify(
    catalog: Optional[Path] = typer.Argument(
        None, help="The catalog the collection should hold [default: the one it was ingested from, if it is still there]."
    ),
    collection: Optional[str] = CollectionOpt,
    profile: Optional[str] = typer.Option(
        None, "--profile", envvar="RECSYS_PROFILE", help="Check the collection against this encoder profile."
    ),
    text_encoder: Optional[str] = typer.Option(None, "--text-encoder", help="Check against this text encoder."),
    image_encoder: Optional[str] = typer.Option(None, "--image-encoder", help="Check against this image encoder."),
    audio_encoder: Optional[str] = typer.Option(None, "--audio-encoder", help="Check against this audio encoder."),
    graph_encoder: Optional[str] = typer.Option(None, "--graph-encoder", help="Check against this graph encoder."),
    as_json: bool = JsonOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Check the store against the catalog (missing or extra tracks, missing, zero or wrong-size
    vectors, encoders, the fusion checkpoint, vectors whose input is decoded otherwise now) and
    say what to run to repair it; exit 1 when anything needs repair."""
    from ingest.verify import VerifyOptions, verify_collection
    from recsys.catalog import read_catalog
    from recsys.collection import CollectionMeta

    cfg = settings(home, qdrant_url)
    store_args: list[str] = []
    if qdrant_url:
        store_args += ["--qdrant-url", qdrant_url]
    elif home is not None:
        store_args += ["--home", str(home)]
    options = VerifyOptions(
        profile=profile, text_encoder=text_encoder, image_encoder=image_encoder, audio_encoder=audio_encoder,
        graph_encoder=graph_encoder, store_args=tuple(store_args),
    )
    with open_store(cfg) as backend:
        name = pick_collection(backend, collection)
        try:
            meta = CollectionMeta.from_dict(backend.get_spec(name).metadata)
        except Exception:  # verify_collection reports an unreadable spec or metadata
            meta = None
        path = catalog
        if path is None and meta is not None and meta.catalog_path and Path(meta.catalog_path).exists():
            path = Path(meta.catalog_path)
        cat = None
        if path is not None:
            precomputed = meta is not None and meta.profile == "precomputed"
            cat = read_catalog(path, precomputed=precomputed, cover_cache=cfg.cover_cache, tag_cache=cfg.tag_cache)
        report = verify_collection(backend, name, cat, str(path) if path is not None else None, options)
    if as_json:
        print_json(report.as_dict() | {"store": cfg.store_label})
    else:
        render(report, cfg.store_label)
    if not report.ok:
        raise typer.Exit(1)


def render(report, store_label: str) -> None:
    err_console.print(f"store: {safe_text(store_label)}")
    against = f"catalog {report.catalog} ({counted(report.tracks, 'track')})" if report.catalog else "no catalog"
    head = f"collection '{report.collection}': {counted(report.points, 'point')}, checked against {against}"
    for note in report.notes:
        err_console.print(f"note: {safe_text(note)}", soft_wrap=True)
    if not report.findings:
        err_console.print(f"[green]ok[/green] {safe_text(head)}: nothing to repair", soft_wrap=True)
        return
    repairs = report.repairs()
    t = Table(title=safe_text(head), title_justify="left")
    number_column(t, "severity", justify="left")
    for col in ("finding", "vector"):
        t.add_column(col, overflow="fold")
    number_column(t, "count")
    t.add_column("what", overflow="fold")
    number_column(t, "repair", justify="left")  # [1]: the command below
    for f in report.findings:
        style = "red" if f.severity == "error" else "yellow"
        shown = f.examples or f.track_ids[:3]
        what = f.message + (f" (e.g. {', '.join(shown)})" if shown else "")
        t.add_row(f"[{style}]{f.severity}[/{style}]", f.kind, f.vector or "", str(f.count),
                  safe_text(what), safe_text(f"[{repairs.index(f.repair) + 1}]"))
    show(t, err_console)
    counts = report.counts()
    err_console.print(f"{counts['error']} error(s), {counts['warning']} warning(s); to repair, run:")
    for i, cmd in enumerate(repairs, 1):
        err_console.print(f"  {safe_text(f'[{i}]')} {safe_text(cmd)}", soft_wrap=True, highlight=False)
