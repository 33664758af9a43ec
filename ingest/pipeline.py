"""The ingest job: catalog -> graph -> encoders -> Qdrant named vectors, in resumable chunks.

Each chunk of tracks is encoded and upserted with all its vectors at once, so a run killed
midway leaves whole tracks or none; run again, it skips every track whose content hash is
already stored and picks up the rest. Point ids are UUIDv5 of track_id: nothing duplicates.

Every ingest syncs the collection with the catalog (``ingest.sync.plan_sync``): tracks gone
from the catalog are removed (unless ``keep_missing``, or the read dropped rows), a moved or
renamed file keeps its vectors, and a track whose fields and files' (size, mtime) are unchanged
is skipped without reading its files.

The chunks overlap (ingest.overlap; ``RECSYS_INGEST_OVERLAP=0`` turns it off): the next
chunk's inputs are decoded while this one is encoded, and a chunk is upserted by one writer
thread, the only one on the store until it is drained, while the next is encoded. A chunk
counts only once its upsert has returned; a failed write stops the job at the next hand-off.
"""

from __future__ import annotations

import functools
import time
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from ingest.compact import compact_fused, wants_compact
from ingest.deferred import deferred_runners
from ingest.excerpts import check_excerpts, recorded_fractions, window_vectors, with_excerpts
from ingest.heap import fix_mmap_threshold
from ingest.indexes import index_plan
from ingest.inputs import (
    decode_and_encode, decode_inputs, encode_decoded, input_key, input_source, published_vectors, read_chunk,
    uncached_sources,
)
from ingest.lanes import EncoderLanes, lanes_enabled
from ingest.overlap import ChunkReader, ModalityInputs, ReadAhead, WriteBehind, overlap_enabled
from ingest.preparation import kept_vectors, report_lines
from ingest.progress import NullProgress, ProgressSink
from ingest.report import IngestReport
from ingest.sync import MADE_BY, SYNC_KEYS, plan_sync
from recsys import __version__
from recsys.catalog.model import Catalog, CatalogProblem, TrackRecord
from recsys.collection import CollectionMeta, concat_fused
from recsys.device import CPU_BATCH_SIZE
from recsys.encoders.base import EncoderInfo
from recsys.encoders.preparation import PREPARED, record
from recsys.errors import EncoderError, MediaError, RecsysError
from recsys.fusion.fuser import Fuser
from recsys.encoders.graph import build_graph, graph_digest, graph_nodes
from recsys.modalities import AUDIO, FUSED, GRAPH, IMAGE, MODALITIES, TEXT
from recsys.settings import Settings
from recsys.text import escaped
from recsys.store.base import CollectionSpec, PointRecord, StoreBackend

#: what a point's ``made_by`` says of this recsys: points another one made may retry a lacking vector
MADE_BY_THIS = f"recsys {__version__}"


@dataclass(frozen=True)
class IngestOptions:
    collection: str | None = None  # default: the catalog's name
    precomputed: bool = False  # use the catalog's published vectors (Fairouz)
    profile: str | None = None  # offline (default), paper, best: see recsys.encoders.profiles
    text_encoder: str | None = None  # registry names, in place of the profile's
    image_encoder: str | None = None
    audio_encoder: str | None = None
    graph_encoder: str | None = None  # randne (every profile's) or deepwalk
    #: tracks per encode and upsert batch; None: by device (recsys.device.default_batch_size)
    batch_size: int | None = None
    device: str | None = None
    #: re-encode every track, unchanged ones too, reading nothing from the embedding cache
    #: (what it encodes is still written to the cache)
    force: bool = False
    retry_failed: bool = False  # encode again the inputs this recsys could not (default: after an upgrade only)
    keep_missing: bool = False  # keep points whose track left the catalog (default: remove them)
    dry_run: bool = False  # only plan: report what would change; write nothing, load no model
    #: per-encoder embedding cache (None: off); inputs whose content it knows are not re-encoded
    cache_dir: Path | None = None
    shard_number: int | None = None
    replication_factor: int | None = None
    #: decode and encode texts, covers and audio on a Ray cluster (None: here, in this process):
    #: "default" (ray.init()'s own choice: RAY_ADDRESS, a cluster started on this node, else a
    #: new local instance), "local", "auto", "ray://host:10001" or "host:6379"; see ingest.ray_stage
    ray_address: str | None = None
    #: which vectors of a new collection get an HNSW graph: see ingest.indexes
    index: str = "fused"
    #: the fused vector of a new collection: auto, concat or compact (see ingest.compact)
    fused: str = "auto"
    #: where a compact fused vector's projection is saved (None: RECSYS_HOME/models/<collection>)
    models_dir: Path | None = None
    #: a new collection keeps vectors of three audio windows per track for ``query --audio``
    #: (ingest.excerpts); a collection made so makes them at every ingest, without the option
    excerpt_vectors: bool = False


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
    # with RECSYS_MALLOC_FIXED=1, the chunks' transient buffers in mappings of their own, not
    # fragmenting the heaps: less memory, a third slower on 2 cores (ingest/heap.py says why)
    fix_mmap_threshold()
    progress = progress or NullProgress()
    name = options.collection or catalog.name
    report = IngestReport(
        collection=name, tracks=len(catalog.tracks), problems=list(catalog.problems), dry_run=options.dry_run,
        files=dict(catalog.stats),
    )
    for p in catalog.problems:
        progress.warn(str(p))
    if not catalog.tracks:
        # an empty read never empties a collection: nothing is added, nothing removed
        if backend.collection_exists(name):
            report.removal_skipped = "the catalog has no tracks"
        return report

    use_precomputed = options.precomputed and bool(catalog.precomputed)
    if options.precomputed and not catalog.precomputed:
        raise RecsysError(f"catalog '{catalog.root}' has no published vectors; drop --precomputed")
    # the collection being added to, read once: its encoders stand in for the default
    # profile's (``_stored_encoders``), then are checked against those resolved (``_existing_meta``)
    stored = CollectionMeta.from_dict(backend.get_spec(name).metadata) if backend.collection_exists(name) else None
    if use_precomputed:
        profile, encoders = "precomputed", _precomputed_infos(catalog)
    else:
        kept = _stored_encoders(stored, options)
        profile, encoders = _encoder_infos(catalog, options, kept)
        if kept is not None:
            from recsys.encoders.profiles import superseded

            report.superseded = superseded(*kept)
    meta = CollectionMeta(
        encoders=encoders,
        fused=concat_fused({m: e.dim for m, e in encoders.items()}),
        catalog_kind=catalog.kind,
        catalog_path=str(catalog.root),
        profile=profile,
    )
    if options.excerpt_vectors:
        meta = with_excerpts(meta)
    existing = _existing_meta(stored, name, meta, options)  # another encoder fails here, naming both

    # the graph encoder is no model (cheap to build): whether its space is id-stable decides the salt
    graph_encoder = None
    if not use_precomputed and GRAPH in encoders:
        # no model and no device: the batch size is settled later, for the encoders that have one
        # and the graph encoders (RandNE, DeepWalk) run on the CPU whatever the device: naming
        # it spares importing torch to find out (a retag that loads no model does without it)
        graph_options = replace(options, batch_size=options.batch_size or CPU_BATCH_SIZE, device="cpu")
        graph_encoder = _load_encoders({GRAPH: encoders[GRAPH]}, graph_options).get(GRAPH)
    salt = "|".join(f"{m}={e.name}:{e.model}:{e.dim}" for m, e in sorted(encoders.items()))
    graph = None
    if graph_encoder is not None and not graph_encoder.id_stable:
        # a learnt space (DeepWalk) changes with the graph: a changed graph re-embeds every track
        with _Timer(report, "graph"):
            graph = build_graph(catalog.tracks)
        salt += f"|graph={graph_digest(graph)}"

    with _Timer(report, "scan"):
        stored = (
            {p.track_id: p.payload for p in backend.payloads(name, SYNC_KEYS)}
            if existing is not None
            else {}
        )
        # a vector an earlier run could not make is tried again (published vectors are as published)
        retry = frozenset() if use_precomputed else frozenset(m for m in encoders if m != GRAPH)
        plan = plan_sync(catalog, stored, salt, force=options.force, keep_missing=options.keep_missing, retry=retry,
                         made_by=MADE_BY_THIS, retry_all=options.retry_failed, prepared=not use_precomputed)
    report.added, report.updated, report.retried = len(plan.added), len(plan.updated), len(plan.retried)
    for again in plan.reprepared.values():
        for m in again:
            report.reprepared[m] = report.reprepared.get(m, 0) + 1
    report.preparation = report_lines(plan.prepared_changes, plan.unrecorded)
    report.moved, report.removed = len(plan.moved), len(plan.removed)
    report.refreshed = len(plan.refresh)
    report.unchanged, report.removal_skipped = plan.unchanged, plan.removal_skipped
    if plan.removal_skipped and plan.stale:
        progress.warn(f"{len(plan.stale)} track(s) no longer in the catalog kept in '{name}': {plan.removal_skipped}")
    if options.dry_run:
        report.plan = plan.as_dict()
        return report

    # a reprepared track last: its chunks wait for the writer to read the vectors it keeps
    todo = plan.added + plan.updated + plan.retried + plan.reprepare
    wanted = {} if use_precomputed or not todo else _wanted(encoders, todo, plan)
    # a modality whose cache holds every input to encode (a retag) loads its model only if
    # the cache turns out to lack one after all (ingest.deferred)
    deferred = _cached_only(wanted, todo, plan, existing is not None, options)
    options = _with_batch_size(options, not [m for m in wanted if m not in deferred])
    report.batch_size = options.batch_size
    # load the models (or reach the Ray cluster) before the collection exists: a model that
    # cannot load leaves nothing behind
    runners, remote = ({}, None) if use_precomputed or not todo else _model_runners(
        {m: info for m, info in wanted.items() if m not in deferred}, options)
    runners |= deferred_runners(encoders, deferred, lambda info: _load_encoders({info.modality: info}, options)[info.modality])
    created = False
    try:
        if graph_encoder is not None and todo:
            runners[GRAPH] = graph_encoder
        if existing is None and wants_compact(options.fused, catalog, use_precomputed):
            folder = options.models_dir or Settings.from_env().models_dir(name)
            with _Timer(report, "compact"):
                meta = replace(meta, fused=compact_fused(catalog, {m: e.dim for m, e in encoders.items()}, folder))
        meta = existing if existing is not None else _create_collection(backend, name, meta, options)
        created = existing is None
        if existing is not None:
            # a collection made by an older recsys gains the payload indexes it lacks
            backend.ensure_indexes(name)
        fuser = Fuser(meta, options.device)
        fused_name = meta.physical(FUSED)

        # moved tracks and payload refreshes keep their stored vectors: nothing is encoded
        keep = [(t, old) for t, old in plan.moved] + [(t, t.track_id) for t in plan.refresh]
        if keep:
            with _Timer(report, "move"):
                chunk = max(1, options.batch_size)
                for start in range(0, len(keep), chunk):
                    batch = keep[start : start + chunk]
                    old_points = {p.track_id: p for p in backend.retrieve(name, [old for _, old in batch])}
                    points = []
                    for t, old in batch:
                        prev = old_points.get(old)
                        if prev is None:  # gone meanwhile: encode it after all, every modality
                            if plan.reprepared.pop(t.track_id, None) is None:
                                todo.append(t)
                            continue
                        listed = prev.payload.get("modalities", [])
                        payload = t.payload() | plan.sync_fields(t) | {"modalities": listed}
                        if MADE_BY in prev.payload:  # the vectors kept are that recsys's work
                            payload[MADE_BY] = prev.payload[MADE_BY]
                        # the vectors' record (ingest.preparation): as now, but a stale one stays
                        # until they are made again below; published vectors have none
                        prepared = (prev.payload.get(PREPARED) if t.track_id in plan.reprepared
                                    else None if use_precomputed else record(listed))
                        if prepared is not None:
                            payload[PREPARED] = prepared
                        points.append(PointRecord(track_id=t.track_id, vectors=prev.vectors, payload=payload))
                    backend.upsert(name, points)
            if todo and not runners and not use_precomputed:
                runners, remote = _model_runners(_wanted(encoders, todo, plan), options)
                if graph_encoder is not None:
                    runners[GRAPH] = graph_encoder

        if todo:
            _encode_and_upsert(catalog, backend, name, todo, plan, runners, graph, fuser, fused_name,
                               use_precomputed, encoders, options, report, progress, remote,
                               excerpts=tuple(meta.excerpt_vectors()), excerpt_at=recorded_fractions(meta))

        # deletes go last: a run killed before them leaves an extra point, never a lost one
        gone = plan.removed + [old for t, old in plan.moved if old != t.track_id]
        if gone:
            with _Timer(report, "remove"):
                backend.delete_points(name, gone)
        # a collection an older recsys laid out (Edge: quantized copies read whole at each open)
        # is rebuilt by the optimize once, even by an ingest that changes nothing
        outdated = existing is not None and backend.layout_outdated(name)
        if outdated and not (todo or keep or gone):
            # nothing else to do, yet an index stage that can take minutes at a million tracks:
            # say why, once
            progress.warn(
                f"'{name}' was stored by an older recsys: its index is rebuilt once, so that "
                "later commands open it faster"
            )
        if todo or keep or gone or outdated:
            # Edge has no background optimizer: the indexes are built here, once the points are in
            progress.stage("index", 1)
            with _Timer(report, "index"):
                backend.optimize(name)
            progress.advance("index", 1)
        return report
    except BaseException:
        if created:
            _drop_if_empty(backend, name)
        raise
    finally:
        if remote is not None:  # the Ray connection this ingest opened closes (a local instance stops)
            remote.close()


def _drop_if_empty(backend: StoreBackend, name: str) -> None:
    """The collection this ingest made, stopped before its first tracks were written (Ctrl-C, an
    encoder that failed on the first chunk): deleted, or every command after would have to be
    told which collection, the empty one beside the user's others. One with tracks stays: the
    next ingest goes on from them."""
    try:
        if backend.count(name) == 0:
            backend.delete_collection(name)
    except Exception:  # noqa: BLE001 - the error on its way out is the one to report
        pass


def _encode_and_upsert(catalog, backend, name, todo, plan, runners, graph, fuser, fused_name,
                       use_precomputed, encoders, options, report, progress, remote=None, excerpts=(),
                       excerpt_at=None) -> None:
    rows = {t.track_id: i for i, t in enumerate(catalog.tracks)}
    graph_encoder = runners.get(GRAPH)
    progress.stage("graph", len(todo))
    with _Timer(report, "graph"):
        if use_precomputed:
            graph_vecs = dict(zip((t.track_id for t in todo), published_vectors(catalog, GRAPH, [rows[t.track_id] for t in todo])))
        elif graph_encoder is not None and (embed := [t for t in todo if plan.encodes(t, GRAPH)]):
            graph = graph if graph is not None else build_graph(catalog.tracks)
            emb = graph_encoder.encode(graph_nodes(graph, [t.track_id for t in embed]))
            graph_vecs = {t.track_id: emb[i] for i, t in enumerate(embed)}
        else:
            graph_vecs = {}
    progress.advance("graph", len(todo))

    # graph vectors depend on the whole graph, not on one input's content: never cached
    cached = set() if options.cache_dir is None or use_precomputed else {m for m in runners if m != GRAPH}
    for stage in (TEXT, IMAGE, AUDIO, "upsert"):
        progress.stage(stage, len(todo))
    chunk = max(1, options.batch_size)
    overlap = overlap_enabled()
    local = [] if use_precomputed or remote is not None else [m for m in (TEXT, IMAGE, AUDIO) if m in runners]

    def open_cache(modality: str):  # a thread's own: a SQLite connection stays in its thread
        from recsys.encoders.cache import EmbeddingCache

        return EmbeddingCache(options.cache_dir, encoders[modality]) if modality in cached else None

    # on a GPU each modality's encoder runs in a thread of its own (ingest.lanes), with its cache
    use_lanes = bool(local) and lanes_enabled(_devices(runners, local))
    # the caches of the thread that drives the job (the encoders' unless they run in lanes)
    caches = {} if use_lanes else {m: open_cache(m) for m in cached}

    reader = ChunkReader(functools.partial(read_chunk, catalog, rows, plan, runners, local,
                                           not options.force, use_precomputed), open_cache)

    def write(w: _Written) -> None:  # the writer thread's only job: the one thread on the store
        backend.upsert(name, w.points)

    def acknowledge(done: list[_Written]) -> None:  # counted only once their upsert returned
        for w in done:
            report.ingested += len(w.points)
            for m, n in w.vectors.items():
                report.vectors[m] = report.vectors.get(m, 0) + n
            progress.advance("upsert", len(w.points))

    if excerpts and remote is not None:  # ingest.excerpts: a first version, on this machine only
        progress.warn(f"--ray makes no audio windows ({', '.join(excerpts)}): the tracks ingested now have none")
    chunks = [todo[start : start + chunk] for start in range(0, len(todo), chunk)]
    ahead = ReadAhead(reader.read, chunks, enabled=overlap, finish=reader.close)
    writer = WriteBehind(write, depth=1, enabled=overlap)
    lanes = EncoderLanes(local, open_cache, dict(zip(local, _devices(runners, local)))) if use_lanes else None
    try:
        if remote is not None:  # every input the cache lacks goes to Ray now; results stream back
            models = [m for m in (TEXT, IMAGE, AUDIO) if m in runners]
            remote.start({m: uncached_sources(m, [t for t in todo if plan.encodes(t, m)], caches.get(m),
                                              not options.force) for m in models},
                         {m: runners[m].name for m in models}, decode_and_encode)
        # chunk i+1's inputs are read while chunk i is encoded, and chunk i is written while
        # chunk i+1 is encoded: ingest.overlap; the store is used by the writer alone meanwhile
        with ahead:
            for batch, inputs in ahead:
                vectors: dict[str, dict[str, np.ndarray]] = {t.track_id: {} for t in batch}
                if remote is not None:
                    with _Timer(report, "ray"):
                        remote.wait_for([t.track_id for t in batch])
                for t in batch:
                    if graph_vecs.get(t.track_id) is not None:
                        vectors[t.track_id][GRAPH] = graph_vecs[t.track_id]
                kept_windows: dict[str, dict] = {}
                again = [t.track_id for t in batch if t.track_id in plan.reprepared]
                if again:  # ingest.preparation: the vectors they keep, read while no write is under way
                    acknowledge(writer.flush())
                    kept, kept_windows = kept_vectors(backend.retrieve(name, again), plan, excerpts)
                    for tid in again:
                        if tid in kept:
                            vectors[tid].update(kept[tid])
                        else:  # the point is gone meanwhile: every vector made
                            plan.reprepared.pop(tid, None)
                encoded: dict[str, Future | _Encoded] = {}
                for modality in (TEXT, IMAGE, AUDIO):
                    if use_precomputed:
                        with _Timer(report, modality):
                            for tid, v in inputs.published.get(modality, {}).items():
                                vectors[tid][modality] = v
                    elif modality in runners:
                        job = functools.partial(
                            _encode_modality, modality, runners[modality],
                            [t for t in batch if plan.encodes(t, modality)], read_cache=not options.force,
                            remote=remote, inputs=inputs.modalities.get(modality),
                        )
                        encoded[modality] = lanes.submit(modality, job) if lanes else job(caches.get(modality))
                for modality in (TEXT, IMAGE, AUDIO):  # merged in this order, lanes or not
                    if modality in encoded:
                        result = encoded[modality]
                        _merge(modality, result.result() if isinstance(result, Future) else result,
                               vectors, report, progress)
                    progress.advance(modality, len(batch))
                windows = kept_windows
                if excerpts and AUDIO in local:  # the audio windows of the tracks whose audio was encoded
                    with _Timer(report, "audio windows"):
                        audio_inputs = inputs.modalities.get(AUDIO)
                        made = [t for t in batch if AUDIO in vectors[t.track_id] and plan.encodes(t, AUDIO)]
                        job = functools.partial(
                            window_vectors, runners[AUDIO], made,
                            excerpts, keys=audio_inputs.keys if audio_inputs is not None else None,
                            read_cache=not options.force, fractions=excerpt_at,
                        )
                        # in lanes, in the audio lane: its cache (a SQLite connection is its
                        # thread's) and its CUDA stream; without it no window was ever cached
                        windows = kept_windows | (lanes.submit(AUDIO, lambda cache: job(cache=cache)).result()
                                                  if lanes else job(cache=caches.get(AUDIO)))
                with _Timer(report, "upsert"):
                    points, counts = [], dict.fromkeys((*MODALITIES, FUSED), 0)
                    fused_vecs = fuser.fuse([vectors[t.track_id] for t in batch])
                    for t, fused in zip(batch, fused_vecs):
                        vecs = vectors[t.track_id]
                        payload = t.payload() | inputs.sync[t.track_id] | {"modalities": sorted(vecs), MADE_BY: MADE_BY_THIS}
                        if not use_precomputed:  # how each vector's input was prepared (ingest.preparation)
                            payload[PREPARED] = record(vecs)
                        for m in vecs:
                            counts[m] += 1
                        if fused is not None:
                            vecs[fused_name] = fused
                            counts[FUSED] += 1
                        for wname, v in windows.get(t.track_id, {}).items():  # not in "modalities": no modality
                            vecs[wname] = v
                            counts[wname] = counts.get(wname, 0) + 1
                        points.append(PointRecord(track_id=t.track_id, vectors=vecs, payload=payload))
                acknowledge(writer.submit(_Written(points, counts)))
            acknowledge(writer.drain())  # every chunk written before the deletes and the indexes
    finally:
        ahead.close()  # the read under way ends, the reader's caches close in its thread
        if lanes is not None:  # the encodes under way end, each lane's cache closes in its thread
            lanes.close()
        writer.close()  # on an error: what was handed over is written, then the thread stops
        for cache in caches.values():
            cache.close()
        report.seconds["upsert"] = report.seconds.get("upsert", 0.0) + writer.writing
        report.seconds["decode"] = report.seconds.get("decode", 0.0) + reader.seconds
        if overlap:  # how long the encoders waited for the reader, and for the writer
            report.seconds["decode wait"] = ahead.waited
            report.seconds["write wait"] = writer.waited


def _precomputed_infos(catalog: Catalog) -> dict[str, EncoderInfo]:
    out = {}
    for m in MODALITIES:
        arr = catalog.precomputed.get(m)
        if arr is None:
            continue
        model = catalog.precomputed_encoders.get(m, f"published {m} vectors")
        out[m] = EncoderInfo.published(m, model, int(arr.shape[1]))
    return out


def _stored_encoders(stored: CollectionMeta | None, options: IngestOptions) -> tuple[str, dict[str, str]] | None:
    """The profile label and encoder names of the collection being added to (``stored``), when
    no profile is named: an ingest into it uses them, not the default profile's (which may have
    changed since: ``mir-librosa`` became ``mir-librosa-v2``). None for a new collection, or one
    of published vectors (``--precomputed`` says so)."""
    if options.profile is not None or stored is None or stored.published:
        return None
    return stored.profile, stored.encoder_names()


def _encoder_infos(catalog: Catalog, options: IngestOptions,
                   stored: tuple[str, dict[str, str]] | None = None) -> tuple[str, dict[str, EncoderInfo]]:
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
        stored,
    )
    out = {}
    for m, n in names.items():
        spec = get_encoder_spec(n, modality=m)
        # models given by id (st:...) know their dimension only once loaded
        dim = spec.dim or get_encoder(n, device=options.device).dim
        out[m] = EncoderInfo(name=spec.name, modality=m, model=spec.model, dim=dim)
    return profile, out


def _with_batch_size(options: IngestOptions, no_models: bool) -> IngestOptions:
    """``options`` with its batch size settled: the one asked for, else the device's. An ingest
    that loads no model here (published vectors, nothing to encode, a Ray cluster whose workers
    pick their own devices) keeps the CPU's, and does not import torch to learn the device."""
    from recsys.device import default_batch_size, pick_device

    if options.batch_size is not None:
        return options
    if no_models or options.ray_address is not None:
        return replace(options, batch_size=CPU_BATCH_SIZE)
    return replace(options, batch_size=default_batch_size(pick_device(options.device)))


def _wanted(infos: dict[str, EncoderInfo], todo: Sequence[TrackRecord], plan) -> dict[str, EncoderInfo]:
    """The text, image and audio encoders the tracks to encode have inputs for: a music
    folder's tracks mostly have no text, and loading the text model for none took 5 of a real
    library's 7 s to take in four retagged files. A modality without an encoder here gets no
    vectors, as it would; nor one that only reprepared tracks keep (``plan.encodes``). (The
    graph encoder is no model: the job builds it apart.)"""
    return {m: info for m, info in infos.items()
            if m != GRAPH and any(input_source(m, t) is not None and plan.encodes(t, m) for t in todo)}


def _cached_only(wanted: dict[str, EncoderInfo], todo: Sequence[TrackRecord], plan, updating: bool,
                 options: IngestOptions) -> set[str]:
    """The modalities of ``wanted`` whose embedding cache holds every input of ``todo``, asked
    only where the answer may be yes: a collection being updated, a cache read, no Ray."""
    if not updating or not todo or options.cache_dir is None or options.force or options.ray_address is not None:
        return set()
    from ingest.deferred import cached_modalities

    return cached_modalities(wanted, todo, plan, options.cache_dir)


def _model_runners(infos: dict[str, EncoderInfo], options: IngestOptions) -> tuple[dict, object | None]:
    """What encodes each modality: the loaded encoders, or with ``ray_address`` the Ray stage
    (connected now) with each modality's ``EncoderInfo``, its models loaded on the workers."""
    if options.ray_address is None:
        return _load_encoders(infos, options), None
    from ingest.ray_stage import RayEncodeStage

    remote = RayEncodeStage.connect(options.ray_address, device=options.device, batch_size=options.batch_size)
    return {m: info for m, info in infos.items() if m in (TEXT, IMAGE, AUDIO)}, remote


def _load_encoders(infos: dict[str, EncoderInfo], options: IngestOptions) -> dict:
    from recsys.encoders import get_encoder

    return {
        m: get_encoder(info.name, device=options.device, batch_size=options.batch_size)
        for m, info in infos.items()
        if m in MODALITIES
    }


@dataclass(frozen=True)
class _Written:
    """A chunk handed to the writer, and the vectors per name it adds once written."""

    points: list[PointRecord]
    vectors: dict[str, int]


@dataclass
class _Encoded:
    """One modality's vectors of a chunk and what befell its tracks, merged into the job's
    vectors and report by the thread that drives the job (``_merge``), in modality order: so
    the report reads the same whether the encoders ran in lanes or one after another."""

    vectors: dict[str, np.ndarray] = field(default_factory=dict)  # track_id -> vector
    problems: list[CatalogProblem] = field(default_factory=list)
    cached: int = 0
    failed: int = 0
    seconds: float = 0.0


def _encode_modality(
    modality: str,
    encoder,
    batch: Sequence[TrackRecord],
    cache=None,
    read_cache: bool = True,
    remote=None,
    inputs: ModalityInputs | None = None,
) -> _Encoded:
    """Take what the cache has; decode each other track's input (a bad file costs that track
    this modality, with one line naming it), or take it from ``inputs`` (read ahead); encode
    the good ones as one batch (or take what the Ray stage ``remote`` made of them). Touches
    nothing of the job's but ``cache``: it may run in the modality's own thread (ingest.lanes)."""
    t0 = time.perf_counter()
    out = _Encoded()
    if inputs is not None and cache is not None:
        keys = inputs.keys
    else:
        keys = {t.track_id: input_key(modality, t) for t in batch} if cache is not None else {}
    hits = cache.get_many(k for k in keys.values() if k) if cache is not None and read_cache else {}
    todo: list[tuple[TrackRecord, object]] = []
    for t in batch:
        key = keys.get(t.track_id)
        if key is not None and key in hits:
            out.vectors[t.track_id] = hits[key]
            out.cached += 1
            continue
        source = input_source(modality, t)
        if source is not None:
            todo.append((t, source))
    if remote is not None:
        results = remote.results(modality, [t.track_id for t, _ in todo])
    else:
        ready = inputs.decoded if inputs is not None else {}
        late = [(t, source) for t, source in todo if t.track_id not in ready]
        if late:  # no inputs read ahead, or the cache held them then
            ready = ready | {t.track_id: item for (t, _), item in zip(late, decode_inputs(encoder, [s for _, s in late]))}
        results = encode_decoded(encoder, [ready[t.track_id] for t, _ in todo])
    fresh: dict[str, np.ndarray] = {}
    for (t, source), item in zip(todo, results):
        if isinstance(item, MediaError):
            out.failed += 1
            out.problems.append(_media_problem(t, modality, source, item))
            continue
        fresh[t.track_id] = item
    out.vectors.update(fresh)
    if cache is not None and fresh:
        cache.put_many({keys[tid]: v for tid, v in fresh.items() if keys.get(tid)})
    out.seconds = time.perf_counter() - t0
    return out


def _media_problem(track: TrackRecord, modality: str, source, error: MediaError) -> CatalogProblem:
    """One line for an input that could not be decoded. A music folder's track is named by its
    file: that file's absolute path, which the error begins with, is not said a second time
    ("Album/x.ogg: audio skipped: cannot decode audio (...)")."""
    what = str(error)
    if track.source and isinstance(source, Path) and source.as_posix().endswith("/" + track.source):
        prefix = f"{escaped(source)}: "
        what = what[len(prefix):] if what.startswith(prefix) else what
    return CatalogProblem(track.source or track.track_id, f"{modality} skipped: {what}")


def _merge(modality: str, encoded: _Encoded, vectors: dict[str, dict[str, np.ndarray]], report: IngestReport,
           progress: ProgressSink) -> None:
    """A modality's ``_Encoded`` into the chunk's ``vectors`` and the job's report."""
    for tid, v in encoded.vectors.items():
        vectors[tid][modality] = v
    if encoded.cached:
        report.cached[modality] = report.cached.get(modality, 0) + encoded.cached
    if encoded.failed:
        report.failed[modality] = report.failed.get(modality, 0) + encoded.failed
    for problem in encoded.problems:
        report.problems.append(problem)
        progress.warn(str(problem))
    report.seconds[modality] = report.seconds.get(modality, 0.0) + encoded.seconds


def _devices(runners: dict, modalities: Sequence[str]) -> list[str]:
    """The devices the encoders of ``modalities`` run on (``cpu`` where one does not say)."""
    return [str(getattr(runners[m], "device", "cpu")) for m in modalities]


def _existing_meta(existing: CollectionMeta | None, name: str, meta: CollectionMeta,
                   options: IngestOptions) -> CollectionMeta | None:
    """The collection's own meta (``existing``: it keeps its fusion), checked against ``meta``;
    None if absent."""
    if existing is None:
        return None
    if options.excerpt_vectors:
        check_excerpts(name, existing)
    try:
        existing.check_encoders(name, meta.encoders)
    except EncoderError:
        # the profile's name says it best where the encoders differ; where they are the
        # collection's, its label alone is no reason to refuse ("--profile offline
        # --audio-encoder mir-librosa" into a collection made when that was the default)
        if options.profile is not None:
            from recsys.encoders.profiles import check_profile

            check_profile(name, existing.profile, meta.profile)
        raise
    return existing


def _create_collection(backend: StoreBackend, name: str, meta: CollectionMeta, options: IngestOptions) -> CollectionMeta:
    # the audio windows' vectors (if any) are named vectors of their own, made with the collection
    dims = meta.vector_dims() | meta.excerpt_vectors()
    backend.create_collection(
        CollectionSpec(
            name=name,
            vectors=dims,
            metadata=meta.as_dict(),
            shard_number=options.shard_number,
            replication_factor=options.replication_factor,
            indexes=index_plan(dims, options.index),
            # every point comes in before the optimize that ends the ingest (below)
            payload_indexes_at_optimize=True,
        )
    )
    return meta
