"""recsys info and recsys drop: the collections of a store."""

from __future__ import annotations

import shutil
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
        backend.delete_collection(collection)
    models = cfg.models_dir(collection)
    # the models folder is keyed by the collection's name under this home: an embedded store's
    # collection is the only one of that name here; a server's may share the name with one of
    # the embedded store's, whose models these may be
    had = models.is_dir()
    kept = had and cfg.qdrant_url is not None
    if had and not kept:
        shutil.rmtree(models, ignore_errors=True)
    removed_models = had and not models.exists()
    if as_json:
        print_json({"store": cfg.store_label, "dropped": collection, "points": points, "models_removed": removed_models,
                    "models_kept": str(models) if models.exists() else None})
        return
    err_console.print(f"deleted collection '{safe_text(collection)}' ({counted(points, 'track')})", highlight=False)
    if models.exists():
        why = ("a collection of the same name in the embedded store may use them" if kept
               else "they could not all be deleted")
        err_console.print(f"note: the fusion models in {safe_text(models)} were kept ({why}); delete the folder"
                          " by hand if they are this collection's", highlight=False)
