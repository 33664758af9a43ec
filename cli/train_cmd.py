"""recsys train."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.common import (
    CollectionOpt, DeviceOpt, HomeOpt, JsonOpt, UrlOpt, err_console, open_store, pick_collection, print_json, settings,
)

app = typer.Typer()


@app.command()
def train(
    arch: str = typer.Option("binding", "--arch", help="binding (ours: masking, InfoNCE, alignment) or paper (the published MLP)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", min=1, help="Most epochs (early stopping may end sooner)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the pair mining, the split and the weights."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads for torch."),
    catalog: Optional[Path] = typer.Option(
        None, "--catalog", help="Train on a catalog folder's published vectors (e.g. ../shared/fairouz) instead of the store."
    ),
    device: Optional[str] = DeviceOpt,
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Learn the fusion model on the collection's vectors, then rewrite its fused vectors
    (with --catalog: on a folder's published vectors, saving the checkpoint only)."""
    from recsys.device import pick_device
    from recsys.errors import RecsysError
    from training.job import train_collection
    from training.train import TrainConfig

    if arch not in ("binding", "paper"):
        raise RecsysError(f"unknown arch '{arch}'; choose binding or paper")
    config = TrainConfig.paper() if arch == "paper" else TrainConfig()
    config = replace(config, seed=seed, threads=threads, **({"max_epochs": epochs} if epochs else {}))
    cfg = settings(home, qdrant_url)
    dev = pick_device(device)
    if catalog is not None:
        _train_on_catalog(catalog, cfg, config, dev, as_json)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[loss]}"), TimeElapsedColumn())
    with Progress(*columns, console=err_console, disable=as_json) as bars:
        task = bars.add_task(f"training ({arch}, {dev})", total=config.max_epochs, loss="")

        def on_epoch(e) -> None:
            bars.update(task, completed=e.epoch, loss=f"loss {e.train_loss:.3f} / val {e.val_loss:.3f}")

        def on_stage(s: str) -> None:
            bars.update(task, description=f"{s} ({arch}, {dev})")

        with open_store(cfg) as backend:
            name = pick_collection(backend, collection)
            report = train_collection(backend, name, cfg.home, config, dev, on_epoch, on_stage)
        bars.update(task, completed=config.max_epochs)
    if as_json:
        print_json(report.as_dict())
        return
    h = report.history
    err_console.print(
        f"trained {arch} on {report.tracks} tracks of '{report.collection}': best epoch {h['best_epoch']} "
        f"of {h['epochs_run']}, val loss {h['best_val_loss']:.3f}, {report.seconds['train']:.1f} s on {h['device']}"
    )
    err_console.print(f"checkpoint: {report.checkpoint}; fused vectors rewritten ({report.vector_name})")


def _train_on_catalog(path: Path, cfg, config, dev: str, as_json: bool) -> None:
    from recsys.errors import RecsysError
    from recsys.catalog import read_catalog
    from training.data import from_catalog
    from training.job import models_dir
    from training.train import train_fusion

    cat = read_catalog(path, precomputed=True, cover_cache=cfg.cover_cache)
    if not cat.precomputed:
        raise RecsysError(f"catalog '{path}' has no published vectors; ingest it and run `recsys train` on the collection")
    data = from_catalog(cat)
    with err_console.status(f"training on {data.n} tracks of {path} ({dev})"):
        model, history = train_fusion(data, config, dev)
    folder = models_dir(cfg.home, cat.name)
    version = 1 + sum(1 for p in folder.glob("catalog-v*")) if folder.exists() else 1
    out = model.save(folder / f"catalog-v{version}")
    if as_json:
        print_json({"catalog": str(path), "checkpoint": str(out), "tracks": data.n, "history": history.as_dict()})
    else:
        err_console.print(f"trained on {data.n} tracks of {path} in {history.seconds:.1f} s; checkpoint: {out}")


@app.command("eval")
def eval_(
    folds: int = typer.Option(5, "--folds", min=0, max=20, help="Folds of the held-out genre protocol (0: skip B)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads for torch."),
    device: Optional[str] = DeviceOpt,
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Measure the collection's spaces: A (the paper's pair retrieval), B (held-out genre,
    k-fold, genre edges of held-out tracks removed), C (cross-modal self-retrieval)."""
    import numpy as np

    from recsys.collection import CollectionMeta
    from recsys.modalities import FUSED
    from training.report import evaluate_collection
    from training.store_data import data_from_store
    from training.train import TrainConfig

    cfg = settings(home, qdrant_url)
    with open_store(cfg) as backend:
        name = pick_collection(backend, collection)
        spec = backend.get_spec(name)
        meta = CollectionMeta.from_dict(spec.metadata)
        data = data_from_store(backend, name)
        fused_name = meta.physical(FUSED)
        stored = {p.track_id: p.vectors[fused_name] for p in backend.scroll(name, using=fused_name)}
    dim = spec.vectors.get(fused_name, 0)
    fused = np.stack([stored.get(t, np.zeros(dim, dtype=np.float32)) for t in data.track_ids]) if stored else None
    model = None
    if meta.fused.kind == "model" and meta.fused.checkpoint:
        from recsys.fusion.model import FusionModel

        model = FusionModel.load(meta.fused.checkpoint, expected_dims=data.dims)
    with err_console.status("evaluating") as status:
        report = evaluate_collection(
            data, fused, model, meta.catalog_path, folds, replace(TrainConfig(), threads=threads), device,
            progress=lambda s: status.update(s),
        )
    if as_json:
        print_json(report.as_dict() | {"collection": name, "tracks": data.n})
        return
    _eval_tables(name, data.n, report)


def _eval_tables(name: str, n: int, report) -> None:
    from rich.table import Table

    t = Table(title=f"A: pair retrieval on '{name}' ({n} tracks; positives: {report.relevance})", title_justify="left")
    for col in ("vectors", "HR@10", "P@10", "MRR@10", "nDCG@10", "P@10 (authors' L2, query kept)"):
        t.add_column(col, justify="right" if col != "vectors" else "left")
    for method, v in report.a.items():
        c, a = v["clean"], v["authors"]
        t.add_row(method, f"{c['hr']:.3f}", f"{c['precision']:.3f}", f"{c['mrr']:.3f}", f"{c['ndcg']:.3f}", f"{a['precision']:.3f}")
    err_console.print(t)
    if report.b:
        t = Table(title=f"B: held-out genre, {report.folds} folds, 10-NN vote", title_justify="left")
        t.add_column("vectors")
        t.add_column("accuracy", justify="right")
        t.add_column("macro-F1", justify="right")
        for method, v in report.b.items():
            t.add_row(method, f"{v['accuracy']:.3f}", f"{v['macro_f1']:.3f}")
        err_console.print(t)
    else:
        err_console.print("B: skipped (--folds 0, or too few tracks with a genre)")
    t = Table(title="C: one modality alone into the fused space, the track itself among all", title_justify="left")
    for col in ("model", "modality", "recall@1", "recall@10", "genre P@10"):
        t.add_column(col)
    for method, per in report.c.items():
        for m, v in per.items():
            t.add_row(method, m, f"{v['recall@1']:.3f}", f"{v['recall@10']:.3f}", f"{v['genre_p@10']:.3f}")
    err_console.print(t)
