"""A collection's fusion models on disk: which folders under its models folder
(``Settings.models_dir``) are its own, and their removal with the collection (``recsys drop``).

A collection's folder is keyed by its store and its name, but not all it holds is the
collection's: ``recsys train --catalog`` keeps a catalog's checkpoints in the folder of the
catalog's name, which an embedded collection of that name shares. And a collection finds its
model by the path its metadata records, which for a server's collection trained before models
were kept by store lies in ``models/<name>``, the embedded store's folder of that name.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from recsys.settings import CHECKPOINT_PREFIX, PROJECTION_PREFIX


def is_collection_checkpoint(name: str) -> bool:
    """Whether a folder under a collection's models folder is the collection's: a checkpoint
    of ``recsys train`` (``v<N>``) or a compact fused vector's projection (``projection-*``);
    not a catalog's ``catalog-v<N>``."""
    tail = name[len(CHECKPOINT_PREFIX):]
    return (name.startswith(CHECKPOINT_PREFIX) and tail.isdigit()) or name.startswith(PROJECTION_PREFIX)


@dataclass(frozen=True)
class RemovedModels:
    """What removing a collection's models did."""

    #: the collection had checkpoints in its folder
    found: bool
    #: those that could not be removed
    left: tuple[Path, ...] = ()


def remove_collection_models(folder: Path) -> RemovedModels:
    """Remove the collection's checkpoints from its models folder ``folder``, and the folder
    once nothing else is in it (a catalog's checkpoints stay)."""
    if not folder.is_dir():
        return RemovedModels(False)
    owned = [p for p in folder.iterdir() if p.is_dir() and is_collection_checkpoint(p.name)]
    for path in owned:
        shutil.rmtree(path, ignore_errors=True)
    try:
        folder.rmdir()  # only when empty
    except OSError:
        pass
    return RemovedModels(bool(owned), tuple(p for p in owned if p.exists()))


def recorded_elsewhere(checkpoint: str | None, folder: Path) -> Path | None:
    """The checkpoint a collection's metadata records, where it exists outside the collection's
    models folder ``folder``: a server's collection trained before models were kept by store
    (in ``models/<name>``, whose checkpoints the embedded store's collection of that name may
    use: one ``recsys train`` overwrote the other's ``v1``). Not the collection's alone to
    remove."""
    if not checkpoint:
        return None
    path = Path(checkpoint)
    if not path.exists():
        return None
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return path
    return None
