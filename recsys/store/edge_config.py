"""Qdrant Edge's configuration of a collection: its named vectors (HNSW or not, float16,
int8), its payload indexes, and what a shard folder's own config files say."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

import qdrant_edge as qe

from recsys.store.base import INDEXED_FIELDS, TEXT_FIELDS, VectorIndex

#: Edge's own config file in a shard folder, and the config of each segment
EDGE_CONFIG = "edge_config.json"
SEGMENT_CONFIG = "segment.json"

#: HNSW build parameters, and the beam of a search: ef 64 keeps recall@10 at or above 0.95
#: with a genre filter at 1M points (docs/benchmarks.md, "A million tracks, and the index
#: choices"). M is Qdrant's default; ef_construct is 64, not Qdrant's 100: the index stage of a
#: 100k ingest took 15 s against 23 s, recall@10 of the recommend path 1.000 both ways
#: (docs/benchmarks.md, "The index built with ef_construct 64").
HNSW_M = 16
HNSW_EF_CONSTRUCT = 64
HNSW_FULL_SCAN_KB = 10_000
SEARCH_EF = 64


def segment_vectors(shard_dir: Path) -> dict[str, tuple[int, str]] | None:
    """The dense vectors (name -> (size, distance)) the shard's segments hold, when every
    segment agrees; None when they cannot be read or disagree."""
    found: dict[str, tuple[int, str]] | None = None
    try:
        paths = sorted((shard_dir / "segments").glob(f"*/{SEGMENT_CONFIG}"))
        for path in paths:
            data = json.loads(path.read_text(encoding="utf-8"))["config"]["vector_data"]
            vecs = {str(k): (int(v["size"]), str(v["distance"])) for k, v in data.items()}
            if found is not None and vecs != found:
                return None
            found = vecs
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return found


def edge_config_vectors(shard_dir: Path) -> dict[str, tuple[int, str]] | None:
    """The dense vectors Edge's own config file names; None when it cannot be read."""
    try:
        data = json.loads((shard_dir / EDGE_CONFIG).read_text(encoding="utf-8"))["vectors"]
        return {str(k): (int(v["size"]), str(v["distance"])) for k, v in data.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _quantized_in_ram(vectors: Any) -> set[str]:
    """The names among ``vectors`` (a config file's name -> vector params) whose quantized
    copy is kept in RAM: ``memory: pinned``, or the older ``always_ram``."""
    pinned: set[str] = set()
    if not isinstance(vectors, dict):
        return pinned
    for vname, params in vectors.items():
        quant = params.get("quantization_config") if isinstance(params, dict) else None
        for kind in (quant or {}).values() if isinstance(quant, dict) else ():
            if isinstance(kind, dict) and (kind.get("memory") == "pinned" or kind.get("always_ram") is True):
                pinned.add(str(vname))
    return pinned


def config_quantized_in_ram(shard_dir: Path) -> set[str]:
    """The vectors whose quantized copy Edge's own config keeps in RAM (a shard made by a
    recsys before the copies were mapped: ``vector_params``); empty when it cannot be read."""
    try:
        return _quantized_in_ram(json.loads((shard_dir / EDGE_CONFIG).read_text(encoding="utf-8"))["vectors"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def segments_quantized_in_ram(shard_dir: Path) -> set[str]:
    """The vectors whose quantized copy some segment of the shard keeps in RAM: a segment
    keeps the config it was built with until an optimize rebuilds it."""
    found: set[str] = set()
    for path in (shard_dir / "segments").glob(f"*/{SEGMENT_CONFIG}"):
        try:
            found |= _quantized_in_ram(json.loads(path.read_text(encoding="utf-8"))["config"]["vector_data"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def vector_params(size: int, index: VectorIndex, distance: Any = None) -> qe.EdgeVectorParams:
    """Edge's parameters of one named vector: no HNSW graph (m = 0) for a vector that is
    never searched at scale, its originals left on disk (Cold: opening the shard reads none of
    them, an exact scan reads them through the page cache); int8 quantization in RAM with the
    originals on disk (read only to rescore) for a wide one."""
    extra: dict[str, Any] = {}
    if not index.hnsw:
        extra["hnsw_config"] = qe.HnswIndexConfig(
            m=0, ef_construct=HNSW_EF_CONSTRUCT, full_scan_threshold=HNSW_FULL_SCAN_KB
        )
        extra["memory"] = qe.Memory.Cold
    if index.int8:
        # The quantized copy is mapped from its file (Cached), not copied into RAM (Pinned):
        # Edge reads a pinned copy whole when it opens a shard, then drops its file from the
        # page cache, so every command read it back from disk: 1.0-1.3 s of the 1.4-2.2 s of
        # `recsys info` on a 50,000-track music folder (98 MB of int8 for its 1,960-d fused
        # vector). Searched from the page cache, the same queries return the same ids as fast
        # (docs/benchmarks.md, "Opening a large store, and a no-change ingest at 50k").
        extra["quantization_config"] = qe.ScalarQuantizationConfig(
            qe.ScalarType.Int8, quantile=0.99, memory=qe.Memory.Cached
        )
        extra["memory"] = qe.Memory.Cold
    if index.half:
        extra["datatype"] = qe.VectorStorageDatatype.Float16
    return qe.EdgeVectorParams(size=size, distance=distance or qe.Distance.Cosine, **extra)


def edge_config(
    vectors: Mapping[str, tuple[int, str]], indexes: Mapping[str, VectorIndex] | None = None
) -> qe.EdgeConfig:
    indexes = indexes or {}
    return qe.EdgeConfig(
        vectors={
            vname: vector_params(
                size, indexes.get(vname, VectorIndex()), getattr(qe.Distance, dist, qe.Distance.Cosine)
            )
            for vname, (size, dist) in vectors.items()
        },
        hnsw_config=qe.HnswIndexConfig(
            m=HNSW_M, ef_construct=HNSW_EF_CONSTRUCT, full_scan_threshold=HNSW_FULL_SCAN_KB
        ),
    )


#: Payload fields no filtered graph search needs. An HNSW build adds links within each value of
#: an indexed field that has more points than the full-scan threshold, so that a search
#: filtered on it (a big genre) stays connected: the genres', artists' and year's indexes must
#: exist before the graph is built (made after it, recall@10 on a 2.5 % genre fell to 0.001).
#: Nothing searches the graph filtered on a title, yet its full-text index gave a block, and
#: links, to every frequent title word. A collection bulk-filled by an ingest gets these two
#: at its optimize, after the merge: kept in memory and updated with every upsert, they were
#: most of the ingest's own memory growth (docs/benchmarks.md, "A million tracks in 6 GB").
INDEXES_AFTER_FILL: tuple[str, ...] = ("title", "title_norm")


def payload_indexes() -> dict[str, Any]:
    """Every payload index a collection gets: field -> Edge schema. All of them on disk
    (mapped, read when a filter needs them): held in memory, Edge reads every index whole
    when it opens a shard, 10.5 s for a million tracks against 0.6 s on disk, and a filtered
    search pays little for it. Even the genres' index alone, few keys, adds 0.4 s to that
    open, for nothing measurable on a genre-filtered recommend (docs/benchmarks.md, "A
    million tracks, and the index choices")."""
    out: dict[str, Any] = {f: qe.KeywordIndexParams(on_disk=True) for f in INDEXED_FIELDS}
    out["year"] = qe.IntegerIndexParams(lookup=True, range=True, on_disk=True)
    # a DJ's tempo and key (--bpm, --key, --mixable): a range and a match at a million tracks
    # read the index, not every payload
    out["bpm"] = qe.FloatIndexParams(on_disk=True)
    out["key"] = qe.KeywordIndexParams(on_disk=True)
    for f in TEXT_FIELDS:
        out[f] = qe.TextIndexParams(
            tokenizer=qe.TokenizerType.Word, lowercase=True, ascii_folding=True, scoring=True, on_disk=True
        )
    return out
