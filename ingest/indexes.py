"""Which named vectors of a new collection get an index, and of which kind.

Building an HNSW graph costs time at ingest (1M x 128 dims: 256 s on 2 cores) and memory for
as long as the collection is open, so only the vectors searched at scale get one: by default
the fused vector, which every recommend searches. The modality vectors are searched by
``--using``, cross-modal queries and the explanations' per-modality tabs: an exact scan of
them is fast enough up to some 100k tracks, and ``--index all`` gives them graphs too.
Wide vectors with a graph (the untrained fused concatenation, 1,792-1,960 dims; text 1,024
and image 512 under ``--index all``) are int8 quantized: a quarter of the memory for the
search, the float32 originals on disk and read only to rescore. Vectors without a graph stay
on disk until a scan reads them, stored as float16: half of what the index stage copies and
the page cache holds, for cosine scores within 1e-3. The choices and their figures: docs/benchmarks.md, "A million tracks, and the index choices".
"""

from __future__ import annotations

from typing import Mapping

from recsys.errors import RecsysError
from recsys.modalities import FUSED
from recsys.store import VectorIndex

#: ``--index`` choices: HNSW on the fused vector only, on every vector, on none
INDEX_MODES = ("fused", "all", "none")
#: vectors at least this wide are int8-quantized
INT8_MIN_DIM = 512


def index_plan(dims: Mapping[str, int], mode: str = "fused", fused_name: str = FUSED) -> dict[str, VectorIndex]:
    """The ``VectorIndex`` of each named vector (physical names: ``fused_name`` is the
    collection's fused vector) for ``--index mode``."""
    if mode not in INDEX_MODES:
        raise RecsysError(f"unknown index mode {mode!r}; choose one of: {', '.join(INDEX_MODES)}")
    plan = {}
    for vname, dim in dims.items():
        hnsw = mode == "all" or (mode == "fused" and vname == fused_name)
        # int8 only where there is a graph: an exact scan of a vector nobody searches at scale
        # needs none (and while the quantized copies were read into RAM, they were most of the
        # time a shard took to open: 100k tracks, 2.9 s with text and image quantized, 0.7 s
        # without; they are mapped now, edge_config.vector_params)
        # a vector without a graph is stored as float16: it is only ever scanned or read
        # (explanations, per-modality tabs), and at a million tracks the modality vectors
        # are 7 GB of float32 that the index stage copies
        plan[vname] = VectorIndex(hnsw=hnsw, int8=hnsw and dim >= INT8_MIN_DIM, half=not hnsw)
    return plan
