"""`recsys train` as a function: learn the fusion model on a collection's vectors, save it
beside the collection, and switch the collection's fused vector to the model's output.

The switch never leaves the collection without a complete fused vector: the new vectors go to
a new named vector (fused_v1, fused_v2, ...), the metadata then points "fused" at it in one
write, and only then is the old named vector dropped."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from recsys.collection import CollectionMeta, FusedInfo
from recsys.modalities import FUSED
from recsys.store.base import PointRecord, StoreBackend
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

    def as_dict(self) -> dict:
        return {
            "collection": self.collection,
            "checkpoint": str(self.checkpoint),
            "vector_name": self.vector_name,
            "tracks": self.tracks,
            "history": self.history,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def models_dir(home: Path, collection: str) -> Path:
    return home / "models" / collection


def train_collection(
    backend: StoreBackend,
    collection: str,
    home: Path,
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
    version = 1 + max([int(v.rsplit("_v", 1)[1]) for v in spec.vectors if v.startswith("fused_v") and v.rsplit("_v", 1)[1].isdigit()] or [0])
    new_name = f"{FUSED}_v{version}"
    checkpoint = models_dir(home, collection) / f"v{version}"
    model.training_info = {**model.training_info, "collection": collection, "history": history.as_dict()}
    model.save(checkpoint)

    t2 = time.perf_counter()
    stage("writing fused vectors")
    fused = model.embed(data.vectors, data.masks, device=device)
    present = np.any(np.stack([data.masks[m] for m in model.modalities if m in data.masks], axis=1), axis=1)
    backend.add_vector(collection, new_name, model.out_dim)
    points = [PointRecord(t.track_id, {new_name: fused[i]}) for i, t in enumerate(data.tracks) if present[i]]
    for s in range(0, len(points), 512):
        backend.set_vectors(collection, points[s : s + 512])
    old_name = meta.physical(FUSED)
    new_meta = replace(
        meta,
        fused=FusedInfo(kind="model", dim=model.out_dim, parts=model.modalities, checkpoint=str(checkpoint.resolve())),
        vector_names={**meta.vector_names, FUSED: new_name},
        extra={**meta.extra, "fusion": {"arch": model.config.arch, "version": version}},
    )
    backend.set_metadata(collection, new_meta.as_dict())
    if old_name != new_name and old_name in backend.get_spec(collection).vectors:
        backend.drop_vector(collection, old_name)
    seconds["write"] = time.perf_counter() - t2
    seconds["total"] = time.perf_counter() - t0
    return TrainReport(collection, checkpoint, new_name, data.n, history.as_dict(), seconds)
