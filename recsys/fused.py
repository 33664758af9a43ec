"""The untrained fused vector: the L2-normalised modality vectors present, concatenated in a
fixed order (a missing modality leaves its block at zero), then L2-normalised. On the paper's
data this already doubles the published P@10 (see ../shared/fairouz/README.md)."""

from __future__ import annotations

import numpy as np

from recsys.collection import FusedInfo


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
