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
    device: Optional[str] = DeviceOpt,
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Learn the fusion model on the collection's vectors, then rewrite its fused vectors."""
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
