"""recsys info and recsys drop: the collections of a store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from cli.common import HomeOpt, JsonOpt, UrlOpt, err_console, open_store, print_json, settings
from cli.render import counted, safe_text
from cli.tables import number_column, show
from recsys.errors import NotFoundError, RecsysError
from recsys.query.info import collect_info
from training.model_files import recorded_elsewhere, remove_collection_models

app = typer.Typer()


@app.command()
def info(as_json: bool = JsonOpt, home: Optional[Path] = HomeOpt, qdrant_url: Optional[str] = UrlOpt) -> None:
    """Collections, points, vectors per modality, encoders and where the store lives."""
    cfg = settings(home, qdrant_url)
    with open_store(cfg) as backend:
        data = [c.as_dict() for c in collect_info(backend)]
    if as_json:
        print_json({"store": cfg.store_label, "collections": data})
        return
    err_console.print(f"store: {safe_text(cfg.store_label)}")
    if not data:
        err_console.print("no collections yet; run `recsys ingest`")
    for c in data:
        t = Table(title=safe_text(f"collection '{c['collection']}': {counted(c['points'], 'track')} ({c['catalog']['kind']} {c['catalog']['path']})"),
                  title_justify="left")
        number_column(t, "vector", justify="left")  # a name, a short one: kept whole like the numbers
        number_column(t, "points")
        number_column(t, "dim")
        t.add_column("encoder", no_wrap=True, overflow="ellipsis")
        t.add_column("model", no_wrap=True, overflow="ellipsis")
        for v, n in c["vectors"].items():
            enc = c["encoders"].get(v)
            if v == "fused":
                enc_name, model = c["fused"]["kind"], "+".join(c["fused"]["parts"]) or (c["fused"]["checkpoint"] or "")
            else:
                enc_name, model = (enc["name"], enc["model"]) if enc else ("", "")
            t.add_row(*(safe_text(x) for x in (v, n, c["dims"][v], enc_name, model)))
        show(t, err_console)
        if c.get("spoken"):
            err_console.print(f"{counted(c['spoken'], 'track')} of spoken word (podcasts, audiobooks, voice memos, skits):"
                              " a song's results leave them out, an episode's keep to them (--kind)", highlight=False)
        if c.get("explicit") or c.get("clean"):
            err_console.print(f"{counted(c['explicit'], 'track')} marked explicit, {c['clean']} clean (by their tags"
                              " or titles): --clean leaves the explicit ones out", highlight=False)
        if c.get("performers"):
            err_console.print(f"{counted(c['performers'], 'performer')} on {counted(c['performer_tracks'], 'track')}, as"
                              " the tags credit them (`recsys facets performers`, --performer)", highlight=False)
        for modality, s in c.get("superseded", {}).items():
            err_console.print(f"note: its {modality} encoder '{safe_text(s['kept'])}' is kept; the"
                              f" '{safe_text(c['profile'])}' profile uses '{safe_text(s['profile_now'])}' now"
                              " (a new collection gets it: docs/encoders.md)", highlight=False)


@app.command()
def drop(
    collection: str = typer.Argument(..., help="The collection to delete.", show_default=False),
    yes: bool = typer.Option(False, "--yes", "-y", help="Delete without asking (needed where stdin is no terminal)."),
    as_json: bool = JsonOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Delete a collection: its tracks' points and vectors, and the fusion models trained on it.
    Your music files and the embedding cache stay: an ingest into a new collection takes the
    vectors of unchanged encoders from the cache."""
    cfg = settings(home, qdrant_url)
    with open_store(cfg) as backend:
        names = backend.list_collections()
        if collection not in names:
            raise NotFoundError(f"no collection '{collection}' in {cfg.store_label}"
                                f" (collections: {', '.join(names) or 'none'})")
        points = backend.count(collection)
        if not yes:
            if not sys.stdin.isatty():
                raise RecsysError(f"drop deletes collection '{collection}' ({counted(points, 'track')}): pass --yes to confirm")
            if not typer.confirm(f"delete collection '{collection}' ({counted(points, 'track')})?", default=False, err=True):
                err_console.print("nothing deleted")
                return
        checkpoint = recorded_checkpoint(backend.get_spec(collection).metadata)
        backend.delete_collection(collection)
    # the collection's own folder (keyed by its store and name: training.model_files), and the
    # model its metadata names where that lies elsewhere, kept: another collection's may be it
    models = cfg.models_dir(collection)
    removed = remove_collection_models(models)
    elsewhere = recorded_elsewhere(checkpoint, models)
    kept = elsewhere or (models if removed.left else None)
    if as_json:
        print_json({"store": cfg.store_label, "dropped": collection, "points": points,
                    "models_removed": removed.found and not removed.left, "models_kept": str(kept) if kept else None})
        return
    err_console.print(f"deleted collection '{safe_text(collection)}' ({counted(points, 'track')})", highlight=False)
    if removed.left:
        err_console.print(f"note: the fusion models in {safe_text(models)} could not all be deleted; delete them by hand",
                          highlight=False)
    if elsewhere:
        err_console.print(f"note: its fusion model {safe_text(elsewhere)} was kept: it lies outside the collection's"
                          f" models folder ({safe_text(models)}), and another collection may use it (a server's"
                          " collection trained before models were kept by store shares the embedded store's folder);"
                          " delete it by hand if it is this collection's alone", highlight=False)


def recorded_checkpoint(metadata: object) -> str | None:
    """The fusion checkpoint a collection's metadata names (None without one, or on metadata
    of another form: nothing to keep apart)."""
    fused = metadata.get("fused") if isinstance(metadata, dict) else None
    path = fused.get("checkpoint") if isinstance(fused, dict) else None
    return path if isinstance(path, str) and path else None
