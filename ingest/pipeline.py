"""The ingest job: catalog -> graph -> encoders -> Qdrant named vectors, in resumable chunks.

Each chunk of tracks is encoded and upserted with all its vectors at once, so a run killed
midway leaves whole tracks or none; run again, it skips every track whose content hash is
already stored and picks up the rest. Point ids are UUIDv5 of track_id: nothing duplicates.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from ingest.progress import NullProgress, ProgressSink
from recsys.catalog.model import Catalog, CatalogProblem, TrackRecord
from recsys.collection import CollectionMeta, concat_fused
from recsys.encoders.base import EncoderInfo
from recsys.errors import MediaError, RecsysError
from recsys.fusion.fuser import Fuser
from recsys.encoders.graph import build_graph, graph_digest, graph_nodes
from recsys.modalities import AUDIO, FUSED, GRAPH, IMAGE, MODALITIES, TEXT
from recsys.store.base import CollectionSpec, PointRecord, StoreBackend


@dataclass(frozen=True)
class IngestOptions:
    collection: str | None = None  # default: the catalog's name
    precomputed: bool = False  # use the catalog's published vectors (Fairouz)
    profile: str | None = None  # offline (default), paper, best: see recsys.encoders.profiles
    text_encoder: str | None = None  # registry names, in place of the profile's
    image_encoder: str | None = None
    audio_encoder: str | None = None
    graph_encoder: str | None = None  # randne (every profile's) or deepwalk
    batch_size: int = 32
    device: str | None = None
    force: bool = False  # re-encode tracks whose content hash is unchanged
    #: per-encoder embedding cache (None: off); inputs whose content it knows are not re-encoded
    cache_dir: Path | None = None
    shard_number: int | None = None
    replication_factor: int | None = None


@dataclass
class IngestReport:
    collection: str
    tracks: int = 0
    ingested: int = 0
    unchanged: int = 0
    vectors: dict[str, int] = field(default_factory=lambda: {m: 0 for m in (*MODALITIES, FUSED)})
    problems: list[CatalogProblem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    #: modality -> vectors taken from the embedding cache instead of the encoder
    cached: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Non-zero exit only when nothing could be ingested."""
        return self.tracks > 0 and (self.ingested + self.unchanged) > 0

    def as_dict(self) -> dict:
        return {
            "collection": self.collection,
            "tracks": self.tracks,
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "vectors": self.vectors,
            "problems": [str(p) for p in self.problems],
            "cached": self.cached,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


class _Timer:
    def __init__(self, report: IngestReport, stage: str):
        self.report, self.stage = report, stage

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        s = self.report.seconds
        s[self.stage] = s.get(self.stage, 0.0) + time.perf_counter() - self.t0


def ingest_catalog(
    catalog: Catalog,
    backend: StoreBackend,
    options: IngestOptions = IngestOptions(),
    progress: ProgressSink | None = None,
) -> IngestReport:
    progress = progress or NullProgress()
    name = options.collection or catalog.name
    report = IngestReport(collection=name, tracks=len(catalog.tracks), problems=list(catalog.problems))
    for p in catalog.problems:
        progress.warn(str(p))
    if not catalog.tracks:
        return report

    use_precomputed = options.precomputed and bool(catalog.precomputed)
    if options.precomputed and not catalog.precomputed:
        raise RecsysError(f"catalog '{catalog.root}' has no published vectors; drop --precomputed")
    if use_precomputed:
        profile, encoders = "precomputed", _precomputed_infos(catalog)
    else:
        profile, encoders = _encoder_infos(catalog, options)
    meta = CollectionMeta(
        encoders=encoders,
        fused=concat_fused({m: e.dim for m, e in encoders.items()}),
        catalog_kind=catalog.kind,
        catalog_path=str(catalog.root),
        profile=profile,
    )
    # load the models before the collection exists: a model that cannot load leaves nothing behind
    runners = {} if use_precomputed else _load_encoders(encoders, options)
    meta = _ensure_collection(backend, name, meta, options)  # an existing one keeps its fusion
    fuser = Fuser(meta, options.device)
    fused_name = meta.physical(FUSED)

    with _Timer(report, "scan"):
        stored = {
            p.track_id: p.payload.get("content_hash")
            for p in backend.scroll(name, with_vectors=False, batch_size=1024)
        }
    salt = "|".join(f"{m}={e.name}:{e.model}:{e.dim}" for m, e in sorted(encoders.items()))
    graph_encoder, graph = runners.get(GRAPH), None
    if graph_encoder is not None and not graph_encoder.id_stable:
        # a learnt space (DeepWalk) changes with the graph: a changed graph re-embeds every track
        with _Timer(report, "graph"):
            graph = build_graph(catalog.tracks)
        salt += f"|graph={graph_digest(graph)}"
    hashes = {t.track_id: _track_hash(t, salt) for t in catalog.tracks}
    todo = [t for t in catalog.tracks if options.force or stored.get(t.track_id) != hashes[t.track_id]]
    report.unchanged = len(catalog.tracks) - len(todo)
    if not todo:
        return report

    rows = {t.track_id: i for i, t in enumerate(catalog.tracks)}
    progress.stage("graph", len(todo))
    with _Timer(report, "graph"):
        if use_precomputed:
            graph_vecs = {t.track_id: _row(catalog, GRAPH, rows[t.track_id]) for t in todo}
        elif graph_encoder is not None:
            graph = graph if graph is not None else build_graph(catalog.tracks)
            emb = graph_encoder.encode(graph_nodes(graph, [t.track_id for t in todo]))
            graph_vecs = {t.track_id: emb[i] for i, t in enumerate(todo)}
        else:
            graph_vecs = {}
    progress.advance("graph", len(todo))

    caches = {}
    if options.cache_dir is not None and not use_precomputed:
        from recsys.encoders.cache import EmbeddingCache

        # graph vectors depend on the whole graph, not on one input's content: never cached
        caches = {m: EmbeddingCache(options.cache_dir, encoders[m]) for m in runners if m != GRAPH}
    for stage in (TEXT, IMAGE, AUDIO, "upsert"):
        progress.stage(stage, len(todo))
    chunk = max(1, options.batch_size)
    for start in range(0, len(todo), chunk):
        batch = todo[start : start + chunk]
        vectors: dict[str, dict[str, np.ndarray]] = {t.track_id: {} for t in batch}
        for t in batch:
            if graph_vecs.get(t.track_id) is not None:
                vectors[t.track_id][GRAPH] = graph_vecs[t.track_id]
        for modality in (TEXT, IMAGE, AUDIO):
            with _Timer(report, modality):
                if use_precomputed:
                    for t in batch:
                        v = _row(catalog, modality, rows[t.track_id])
                        if v is not None:
                            vectors[t.track_id][modality] = v
                elif modality in runners:
                    _encode_modality(modality, runners[modality], batch, vectors, report, progress, caches.get(modality))
            progress.advance(modality, len(batch))
        with _Timer(report, "upsert"):
            points = []
            fused_vecs = fuser.fuse([vectors[t.track_id] for t in batch])
            for t, fused in zip(batch, fused_vecs):
                vecs = vectors[t.track_id]
                payload = t.payload() | {"content_hash": hashes[t.track_id], "modalities": sorted(vecs)}
                for m in vecs:
                    report.vectors[m] += 1
                if fused is not None:
                    vecs[fused_name] = fused
                    report.vectors[FUSED] += 1
                points.append(PointRecord(track_id=t.track_id, vectors=vecs, payload=payload))
            backend.upsert(name, points)
            report.ingested += len(points)
        progress.advance("upsert", len(batch))
    for cache in caches.values():
        cache.close()
    return report


def _track_hash(track: TrackRecord, salt: str) -> str:
    return hashlib.sha256(f"{track.content_hash()}|{salt}".encode()).hexdigest()[:32]


def _row(catalog: Catalog, modality: str, i: int) -> np.ndarray | None:
    """A published vector, or None where the row marks a missing modality (zeros or NaN)."""
    arr = catalog.precomputed.get(modality)
    if arr is None:
        return None
    v = np.asarray(arr[i], dtype=np.float32)
    if not np.all(np.isfinite(v)) or not np.any(v):
        return None
    return v


def _precomputed_infos(catalog: Catalog) -> dict[str, EncoderInfo]:
    out = {}
    for m in MODALITIES:
        arr = catalog.precomputed.get(m)
        if arr is None:
            continue
        model = catalog.precomputed_encoders.get(m, f"published {m} vectors")
        out[m] = EncoderInfo.published(m, model, int(arr.shape[1]))
    return out


def _encoder_infos(catalog: Catalog, options: IngestOptions) -> tuple[str, dict[str, EncoderInfo]]:
    from recsys.encoders import get_encoder, get_encoder_spec
    from recsys.encoders.profiles import resolve

    profile, names = resolve(
        options.profile,
        {
            TEXT: options.text_encoder,
            IMAGE: options.image_encoder,
            AUDIO: options.audio_encoder,
            GRAPH: options.graph_encoder,
        },
    )
    out = {}
    for m, n in names.items():
        spec = get_encoder_spec(n, modality=m)
        # models given by id (st:...) know their dimension only once loaded
        dim = spec.dim or get_encoder(n, device=options.device).dim
        out[m] = EncoderInfo(name=spec.name, modality=m, model=spec.model, dim=dim)
    return profile, out


def _load_encoders(infos: dict[str, EncoderInfo], options: IngestOptions) -> dict:
    from recsys.encoders import get_encoder

    return {
        m: get_encoder(info.name, device=options.device, batch_size=options.batch_size)
        for m, info in infos.items()
        if m in MODALITIES
    }


def _source(modality: str, track: TrackRecord) -> str | Path | None:
    """A track's input for a modality, before decoding: its text document or its file's path."""
    if modality == TEXT:
        return track.text_document() or None
    path = track.cover_path if modality == IMAGE else track.audio_path
    return None if path is None else Path(path)


def _input_key(modality: str, track: TrackRecord) -> str | None:
    """What the cache knows an input by: the text itself, or the file's content."""
    from recsys.catalog.model import file_digest
    from recsys.encoders.cache import text_key

    source = _source(modality, track)
    if source is None:
        return None
    if modality == TEXT:
        return text_key(source)
    digest = file_digest(source)
    return None if digest == "unreadable" else digest


def _encode_modality(
    modality: str,
    encoder,
    batch: Sequence[TrackRecord],
    vectors: dict[str, dict[str, np.ndarray]],
    report: IngestReport,
    progress: ProgressSink,
    cache=None,
) -> None:
    """Take what the cache has; decode each other track's input (a bad file costs that track
    this modality, with one line naming it); encode the good ones as one batch."""
    from recsys.encoders.media import decode_many

    keys = {t.track_id: _input_key(modality, t) for t in batch} if cache is not None else {}
    hits = cache.get_many(k for k in keys.values() if k) if cache is not None else {}
    todo: list[tuple[TrackRecord, object]] = []
    for t in batch:
        key = keys.get(t.track_id)
        if key is not None and key in hits:
            vectors[t.track_id][modality] = hits[key]
            report.cached[modality] = report.cached.get(modality, 0) + 1
            continue
        source = _source(modality, t)
        if source is not None:
            todo.append((t, source))
    # decoded side by side (threads): reading and decoding files, not the model, bounded a GPU
    decoded = decode_many(encoder, [source for _, source in todo])
    ids, items = [], []
    for (t, _), item in zip(todo, decoded):
        if isinstance(item, MediaError):
            problem = CatalogProblem(t.source or t.track_id, f"{modality} skipped: {item}")
            report.problems.append(problem)
            progress.warn(str(problem))
            continue
        ids.append(t.track_id)
        items.append(item)
    if not items:
        return
    encoded = encoder.encode(items)
    for tid, v in zip(ids, encoded):
        vectors[tid][modality] = v
    if cache is not None:
        cache.put_many({keys[tid]: v for tid, v in zip(ids, encoded) if keys.get(tid)})


def _ensure_collection(backend: StoreBackend, name: str, meta: CollectionMeta, options: IngestOptions) -> CollectionMeta:
    if backend.collection_exists(name):
        existing = CollectionMeta.from_dict(backend.get_spec(name).metadata)
        if options.profile is not None:
            from recsys.encoders.profiles import check_profile

            check_profile(name, existing.profile, meta.profile)
        existing.check_encoders(name, meta.encoders)
        return existing
    backend.create_collection(
        CollectionSpec(
            name=name,
            vectors=meta.vector_dims(),
            metadata=meta.as_dict(),
            shard_number=options.shard_number,
            replication_factor=options.replication_factor,
        )
    )
    return meta
