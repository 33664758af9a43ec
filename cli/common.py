"""Options every command shares, the store they open, and how results are shown: rich on
stderr for people, JSON on stdout for scripts."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console

from recsys.errors import NotFoundError, RecsysError
from recsys.settings import Settings

# Piped or captured output gets 120 columns rather than rich's 80, so result tables with
# explanation bars stay on one line per track; a terminal or $COLUMNS decides otherwise.
err_console = Console(
    stderr=True,
    highlight=False,
    width=None if sys.stderr.isatty() or os.environ.get("COLUMNS") else 120,
)

HomeOpt = typer.Option(
    None, "--home", envvar="RECSYS_HOME", help="Data folder of the embedded store [default: ./recsys-data]."
)
UrlOpt = typer.Option(
    None,
    "--qdrant-url",
    envvar="RECSYS_QDRANT_URL",
    help="A Qdrant server or cluster (http://host:6333); the API key comes from RECSYS_QDRANT_API_KEY.",
)
CollectionOpt = typer.Option(
    None, "--collection", "-c", envvar="RECSYS_COLLECTION", help="Collection to use [default: the only one, or 'sample']."
)
JsonOpt = typer.Option(False, "--json", help="Print JSON on stdout instead of tables.")
DeviceOpt = typer.Option(None, "--device", envvar="RECSYS_DEVICE", help="cuda, mps or cpu [default: auto].")
ThreadsOpt = typer.Option(None, "--threads", min=1, help="CPU threads for torch.")


def settings(home: Optional[Path], qdrant_url: Optional[str]) -> Settings:
    return Settings.from_env(home=home, qdrant_url=qdrant_url)


@contextmanager
def open_store(cfg: Settings) -> Iterator["StoreBackend"]:  # noqa: F821
    """Open late, close early: the embedded store locks its WAL while open."""
    from recsys.store import open_backend

    backend = open_backend(cfg.store_location, api_key=cfg.qdrant_api_key)
    try:
        yield backend
    finally:
        backend.close()


def pick_collection(backend, requested: Optional[str]) -> str:
    if requested:
        return requested
    names = backend.list_collections()
    if len(names) == 1:
        return names[0]
    if "sample" in names:
        return "sample"
    if not names:
        raise NotFoundError("the store has no collections yet; run `recsys ingest` first")
    raise RecsysError(f"several collections ({', '.join(names)}); choose one with --collection")


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
