"""The fused vector a collection asks for: until a fusion model is trained, the L2-normalised
modality vectors present, concatenated in a fixed order (a missing modality leaves its block
at zero) and L2-normalised — on the paper's data this already doubles the published P@10 (see
../shared/fairouz/README.md); in a collection created large, that concat mapped to a few
dims by a fixed projection (recsys.fusion.projection, see ingest.compact); after
`recsys train`, the trained model's output."""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from recsys.collection import CollectionMeta, FusedInfo
from recsys.errors import RecsysError


def concat_vector(fused: FusedInfo, dims: dict[str, int], vectors: dict[str, np.ndarray]) -> np.ndarray | None:
    """The concat-fused vector of one track (or one query), None when no part is present."""
    blocks = []
    present = False
    for m in fused.parts:
        v = vectors.get(m)
        if v is None:
            blocks.append(np.zeros(dims[m], dtype=np.float32))
            continue
        v = np.asarray(v, dtype=np.float32)
        n = float(np.linalg.norm(v))
        if n == 0.0:
            blocks.append(np.zeros(dims[m], dtype=np.float32))
            continue
        blocks.append(v / n)
        present = True
    if not present:
        return None
    out = np.concatenate(blocks)
    return out / np.linalg.norm(out)


def concat_matrix(
    fused: FusedInfo, dims: dict[str, int], items: Sequence[dict[str, np.ndarray]]
) -> tuple[np.ndarray, np.ndarray]:
    """``concat_vector`` of many items at once: one row each (a zero row where no part is
    present) and which rows have a part; the same vectors up to float rounding. An ingest
    fuses a batch at a time, and a track at a time took 40 us of numpy calls (40 s of a
    million-track ingest)."""
    n = len(items)
    out = np.zeros((n, sum(dims[m] for m in fused.parts)), dtype=np.float32)
    present = np.zeros(n, dtype=bool)
    start = 0
    for m in fused.parts:
        width = dims[m]
        rows = [i for i, item in enumerate(items) if item.get(m) is not None]
        if rows:
            block = np.stack([np.asarray(items[i][m], dtype=np.float32).reshape(-1) for i in rows])
            norms = np.linalg.norm(block, axis=1)
            ok = norms > 0  # a zero vector has no direction: its block stays at zero
            taken = np.asarray(rows)[ok]
            out[taken, start : start + width] = block[ok] / norms[ok, None]
            present[taken] = True
        start += width
    out[present] /= np.linalg.norm(out[present], axis=1)[:, None]
    return out, present


@lru_cache(maxsize=4)
def _load_model(checkpoint: str, dims: tuple[tuple[str, int], ...], device: str | None):
    from recsys.fusion.model import FusionModel

    from recsys.device import pick_device

    # "auto" (the CLI's --device default) names no torch device: resolved here, as the encoders do
    return FusionModel.load(checkpoint, expected_dims=dict(dims), device=pick_device(device) if device else "cpu")


@lru_cache(maxsize=4)
def _load_projection(folder: str, parts: tuple[tuple[str, int], ...]):
    from recsys.fusion.projection import FusedProjection

    projection = FusedProjection.load(folder)
    projection.check_parts(parts)
    return projection


class Fuser:
    """Fuses modality vectors the way a collection's metadata says (concat or model)."""

    def __init__(self, meta: CollectionMeta, device: str | None = None):
        self.meta = meta
        self.dims = {m: e.dim for m, e in meta.encoders.items()}
        self.device = device

    def fuse(self, items: Sequence[dict[str, np.ndarray]]) -> list[np.ndarray | None]:
        """One fused vector per item (modality -> vector), None where nothing is present."""
        fused = self.meta.fused
        if fused.kind == "concat":
            concat, present = concat_matrix(fused, self.dims, items)
            return [row if p else None for row, p in zip(concat, present)]
        if fused.kind == "projection" and fused.checkpoint:
            # the concat vector, mapped to a few dims by a fixed projection: what a collection
            # of many tracks searches (an HNSW graph of 1,960-d vectors would not fit the time)
            parts = tuple((m, self.dims[m]) for m in fused.parts)
            projection = _load_projection(fused.checkpoint, parts)
            concat, present = concat_matrix(fused, self.dims, items)
            out: list[np.ndarray | None] = [None] * len(items)
            if present.any():
                for i, row in zip(np.flatnonzero(present), projection.project(concat[present])):
                    out[i] = row
            return out
        if fused.kind != "model" or not fused.checkpoint:
            raise RecsysError(f"unknown fused vector kind '{fused.kind}' in the collection's metadata")
        model = _load_model(fused.checkpoint, tuple(sorted(self.dims.items())), self.device)
        n = len(items)
        vectors, masks = {}, {}
        for m in model.modalities:
            if m not in self.dims:
                continue
            mat = np.zeros((n, self.dims[m]), dtype=np.float32)
            mask = np.zeros(n, dtype=bool)
            for i, item in enumerate(items):
                if m in item:
                    mat[i] = item[m]
                    mask[i] = True
            vectors[m], masks[m] = mat, mask
        out = model.embed(vectors, masks)
        return [out[i] if any(m in items[i] for m in model.modalities) else None for i in range(n)]
