"""`recsys train` as functions: ``train_collection`` learns the fusion model on a collection's
vectors, saves it beside the collection, and switches the collection's fused vector to the
model's output; ``train_on_catalog`` learns it on a catalog folder's published vectors and
only saves the checkpoint.

The switch never leaves the collection without a complete fused vector: the new vectors go to
a new named vector (fused_v1, fused_v2, ...), the metadata then points "fused" at it in one
write, and only then is the old named vector dropped. A kill at any point of it leaves a
collection that opens (the Edge backend reconciles an interrupted add or drop of a named vector
when it opens the collection) and whose metadata names a complete fused vector: before the
metadata write, the old one; after it, the new one. A fused_vN that no metadata names (the run
was killed before its switch) is dropped by the next train (``stale_fused_vectors``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from recsys.catalog import read_catalog
from recsys.collection import CollectionMeta, FusedInfo
from recsys.errors import RecsysError
from recsys.modalities import FUSED
from recsys.settings import CATALOG_CHECKPOINT_PREFIX, CHECKPOINT_PREFIX, Settings
from recsys.store.base import PointRecord, StoreBackend
from training.data import from_catalog
from training.store_data import data_from_store
from training.train import EpochStats, TrainConfig, train_fusion


@dataclass
class TrainReport:
    collection: str
    checkpoint: Path
    vector_name: str
    tracks: int
    history: dict
    seconds: dict[str, float] = field(default_factory=dict)
    #: the modalities the model read that had vectors, and those it read that had none: a
    #: query of a missing modality into the fused space is refused (``cross_modal``)
    trained_modalities: tuple[str, ...] = ()
    missing_modalities: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "collection": self.collection,
            "checkpoint": str(self.checkpoint),
            "vector_name": self.vector_name,
            "tracks": self.tracks,
            "history": self.history,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "trained_modalities": list(self.trained_modalities),
            "missing_modalities": list(self.missing_modalities),
        }


@dataclass
class CatalogTrainReport:
    catalog: Path
    checkpoint: Path
    tracks: int
    history: dict
    seconds: float

    def as_dict(self) -> dict:
        return {"catalog": str(self.catalog), "checkpoint": str(self.checkpoint), "tracks": self.tracks, "history": self.history}


def next_version(names: Iterable[str], prefix: str) -> int:
    """1 + the highest N among the names ``<prefix>N`` (1 when there is none): the number of
    the next fused vector (``fused_v``) or checkpoint folder (``v``, ``catalog-v``)."""
    return 1 + max((int(n[len(prefix) :]) for n in names if n.startswith(prefix) and n[len(prefix) :].isdigit()), default=0)


def stale_fused_vectors(vectors: Iterable[str], current: str) -> list[str]:
    """The ``fused_vN`` named vectors other than ``current`` (the one the metadata names):
    those of a train that was killed after adding its vector and before switching to it, or
    after switching and before dropping the old one."""
    prefix = f"{FUSED}_v"
    return sorted(v for v in vectors if v != current and v.startswith(prefix) and v[len(prefix) :].isdigit())


def train_collection(
    backend: StoreBackend,
    collection: str,
    settings: Settings,
    config: TrainConfig = TrainConfig(),
    device: str | None = None,
    on_epoch: Callable[[EpochStats], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> TrainReport:
    stage = on_stage or (lambda s: None)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    stage("reading vectors")
    data = data_from_store(backend, collection)
    seconds["read"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    stage("training")
    model, history = train_fusion(data, config, device, on_epoch)
    seconds["train"] = time.perf_counter() - t1

    spec = backend.get_spec(collection)
    meta = CollectionMeta.from_dict(spec.metadata)
    version = next_version(spec.vectors, f"{FUSED}_v")
    new_name = f"{FUSED}_v{version}"
    checkpoint = settings.models_dir(collection) / f"{CHECKPOINT_PREFIX}{version}"
    trained = tuple(m for m in model.modalities if m in data.masks and bool(np.any(data.masks[m])))
    missing = tuple(m for m in model.modalities if m not in trained)
    model.training_info = {
        **model.training_info, "collection": collection, "history": history.as_dict(),
        "trained_modalities": list(trained), "missing_modalities": list(missing),
    }
    model.save(checkpoint)

    t2 = time.perf_counter()
    stage("writing fused vectors")
    fused = model.embed(data.vectors, data.masks, device=device)
    present = np.any(np.stack([data.masks[m] for m in model.modalities if m in data.masks], axis=1), axis=1)
    old_name = meta.physical(FUSED)
    for stale in stale_fused_vectors(spec.vectors, old_name):
        backend.drop_vector(collection, stale)  # left by a train that was killed before its switch
    backend.add_vector(collection, new_name, model.out_dim)
    points = [PointRecord(t.track_id, {new_name: fused[i]}) for i, t in enumerate(data.tracks) if present[i]]
    for s in range(0, len(points), 512):
        backend.set_vectors(collection, points[s : s + 512])
    new_meta = replace(
        meta,
        fused=FusedInfo(kind="model", dim=model.out_dim, parts=model.modalities, checkpoint=str(checkpoint.resolve())),
        vector_names={**meta.vector_names, FUSED: new_name},
        extra={
            **meta.extra,
            "fusion": {
                "arch": model.config.arch, "version": version,
                "trained_modalities": list(trained), "missing_modalities": list(missing),
            },
        },
    )
    backend.set_metadata(collection, new_meta.as_dict())
    if old_name != new_name and old_name in backend.get_spec(collection).vectors:
        backend.drop_vector(collection, old_name)
    seconds["write"] = time.perf_counter() - t2
    seconds["total"] = time.perf_counter() - t0
    return TrainReport(collection, checkpoint, new_name, data.n, history.as_dict(), seconds, trained, missing)


def train_on_catalog(
    path: Path,
    settings: Settings,
    config: TrainConfig = TrainConfig(),
    device: str | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> CatalogTrainReport:
    """Train on the vectors a catalog folder publishes (e.g. the paper's Fairouz folder) and
    save the checkpoint as ``models/<catalog name>/catalog-v<N>``; no store is touched."""
    stage = on_stage or (lambda s: None)
    cat = read_catalog(path, precomputed=True, cover_cache=settings.cover_cache, tag_cache=settings.tag_cache)
    if not cat.precomputed:
        raise RecsysError(f"catalog '{path}' has no published vectors; ingest it and run `recsys train` on the collection")
    data = from_catalog(cat)
    stage(f"training on {data.n} tracks of {path} ({device})")
    model, history = train_fusion(data, config, device)
    folder = settings.catalog_models_dir(cat.name)
    prefix = CATALOG_CHECKPOINT_PREFIX
    version = next_version((p.name for p in folder.glob(f"{prefix}*")) if folder.exists() else (), prefix)
    out = model.save(folder / f"{prefix}{version}")
    return CatalogTrainReport(path, out, data.n, history.as_dict(), history.seconds)
