"""recsys train."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.common import (
    CollectionOpt, DeviceOpt, HomeOpt, JsonOpt, ThreadsOpt, UrlOpt, err_console, one_of, open_store, pick_collection, print_json,
    settings, status,
)
from cli.render import safe_text
from cli.tables import is_number, number_column, show

app = typer.Typer()


def missing_modality_warning(collection: str, modality: str) -> str:
    return (
        f"no {modality} vectors in '{collection}': the fused model never sees {modality}, "
        f"so {modality} queries into the fused space are refused"
    )


@app.command()
def train(
    arch: str = typer.Option("binding", "--arch", help="binding (ours: masking, InfoNCE, alignment) or paper (the published MLP)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", min=1, max=100_000, help="Most epochs (early stopping may end sooner)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="Seed of the pair mining, the split and the weights."),
    threads: Optional[int] = ThreadsOpt,
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
    from training.job import train_collection, train_on_catalog
    from training.train import TrainConfig

    config = TrainConfig.for_arch(arch, seed=seed, threads=threads, **({"max_epochs": epochs} if epochs else {}))
    cfg = settings(home, qdrant_url)
    dev = pick_device(device)
    if catalog is not None:
        with status(safe_text(f"reading {catalog}")) as shown:
            done = train_on_catalog(catalog, cfg, config, dev, on_stage=lambda s: shown.update(safe_text(s)))
        if as_json:
            print_json(done.as_dict())
        else:
            err_console.print(safe_text(f"trained on {done.tracks} tracks of {catalog} in {done.seconds:.1f} s; checkpoint: {done.checkpoint}"))
        return
    def train(on_epoch, on_stage):
        with open_store(cfg) as backend:
            name = pick_collection(backend, collection)
            return train_collection(backend, name, cfg, config, dev, on_epoch, on_stage)

    if not err_console.is_terminal:  # a file or a pipe: a line per stage and epoch, not bars
        with status(safe_text(f"training ({arch}, {dev})")) as shown:
            report = train(
                lambda e: shown.update(f"epoch {e.epoch}/{config.max_epochs}: loss {e.train_loss:.3f} / val {e.val_loss:.3f}"),
                lambda s: shown.update(safe_text(f"{s} ({arch}, {dev})")),
            )
    else:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[loss]}"), TimeElapsedColumn())
        with Progress(*columns, console=err_console, disable=as_json) as bars:
            task = bars.add_task(safe_text(f"training ({arch}, {dev})"), total=config.max_epochs, loss="")
            report = train(
                lambda e: bars.update(task, completed=e.epoch, loss=f"loss {e.train_loss:.3f} / val {e.val_loss:.3f}"),
                lambda s: bars.update(task, description=safe_text(f"{s} ({arch}, {dev})")),
            )
            bars.update(task, completed=config.max_epochs)
    for m in report.missing_modalities:
        err_console.print(
            f"[yellow]warning:[/yellow] {safe_text(missing_modality_warning(report.collection, m))}",
            highlight=False, soft_wrap=True,
        )
    if as_json:
        print_json(report.as_dict())
        return
    h = report.history
    err_console.print(safe_text(
        f"trained {arch} on {report.tracks} tracks of '{report.collection}': best epoch {h['best_epoch']} "
        f"of {h['epochs_run']}, val loss {h['best_val_loss']:.3f}, {report.seconds['train']:.1f} s on {h['device']}"
    ))
    err_console.print(safe_text(f"checkpoint: {report.checkpoint}; fused vectors rewritten ({report.vector_name})"))


def _check_folds(value: int) -> int:
    if value == 1:  # one fold holds every track out: no track is left to vote
        raise typer.BadParameter("1 fold leaves no track to vote; use 0 (skip B) or 2 or more", param_hint="--folds")
    return value


def _fold_units() -> tuple[str, ...]:
    from training.evaluate import FOLD_UNITS  # torch and networkx: only when eval runs

    return FOLD_UNITS


@app.command("eval")
def eval_(
    folds: int = typer.Option(
        5, "--folds", min=0, max=20, callback=_check_folds, help="Folds of the held-out genre protocol (0: skip B; else 2 or more)."
    ),
    folds_by: str = typer.Option(
        "track", "--folds-by", callback=one_of("--folds-by", _fold_units),
        help="What a fold of B holds out together: track (the paper's), artist or album. By track, an artist's "
        "other songs (and covers) stay among the voters.",
    ),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="Seed of protocol B's folds and of the models trained per fold."),
    threads: Optional[int] = ThreadsOpt,
    device: Optional[str] = DeviceOpt,
    as_json: bool = JsonOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Measure the collection's spaces: A (the paper's pair retrieval), B (held-out genre,
    k-fold, genre edges of held-out tracks removed), C (cross-modal self-retrieval)."""
    from rich.table import Table

    from training.eval_job import eval_collection, eval_tables, read_collection

    cfg = settings(home, qdrant_url)
    with open_store(cfg, last_use=False) as backend:  # the evaluation takes a while: closed
        vectors = read_collection(backend, pick_collection(backend, collection))
    with status("evaluating") as shown:
        result = eval_collection(
            vectors, folds, threads, device, progress=lambda s: shown.update(safe_text(s)), seed=seed, folds_by=folds_by
        )
    if as_json:
        print_json(result.as_dict())
        return
    for part in eval_tables(result):
        if isinstance(part, str):
            err_console.print(safe_text(part, newlines=True))
            continue
        table = Table(title=safe_text(part.title) if part.title else None, title_justify="left")
        for i, (header, justify) in enumerate(part.columns):
            if all(is_number(row[i]) for row in part.rows):
                number_column(table, header, justify=justify)
            else:
                table.add_column(header, justify=justify)
        for row in part.rows:
            table.add_row(*(safe_text(cell) for cell in row))
        show(table, err_console)
