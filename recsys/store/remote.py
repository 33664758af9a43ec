"""Store on a Qdrant server (or qdrant-client's in-process ":memory:" mode) via qdrant-client.

The CollectionSpec's metadata lives in Qdrant's collection metadata, under one top-level
key: Qdrant merges metadata updates key by key, so keeping ours under a single key makes
set_metadata a replacement, as the contract says. The checks and conversions common to
both backends live in BaseBackend (shared.py).

Big writes: an upsert is cut into batches (``UPLOAD_BATCH_POINTS`` points, at most
``UPLOAD_BATCH_BYTES`` of request) sent by a few threads at once (``UPLOAD_PARALLEL``), each
batch retried on its own: the client encodes and sends one batch while the server writes
another (and a cluster's shards take them in parallel), and a failed try resends one batch,
not the upload. ``RECSYS_QDRANT_GRPC=1`` talks gRPC (port
``RECSYS_QDRANT_GRPC_PORT``, 6334 by default) instead of JSON over HTTP: vectors travel as
packed floats instead of decimal text, which is what makes gRPC worth it for uploads.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import warnings
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Sequence, TypeVar

import grpc
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from recsys.errors import NotFoundError, RecsysError, StoreError
from recsys.store.base import (
    INDEXED_FIELDS,
    TEXT_FIELDS,
    CollectionSpec,
    PointRecord,
    QueryFilter,
    VectorIndex,
)
from recsys.store.filters import check_collection_name, point_payload, point_vectors
from recsys.store.ids import point_id
from recsys.store.remote_failures import failure, redact_url, transient
from recsys.store.messages import first_line, json_text
from recsys.store.shared import BaseBackend, Pager

T = TypeVar("T")

#: Top-level collection-metadata keys owned by recsys.
META_KEY = "recsys"
LAYOUT_KEY = "recsys_layout"
#: the facet limit that means "every value" (Qdrant's facet always takes a limit)
FACET_LIMIT = 1_000_000
#: Seconds qdrant-client waits to connect and for each answer (RECSYS_QDRANT_TIMEOUT overrides).
DEFAULT_TIMEOUT_S = 5
#: A call that fails for a passing reason (connection refused or reset, no answer, HTTP 429 and
#: 5xx) is tried this many times, waiting RETRY_BACKOFF_S, then twice that, between tries...
RETRIES = 3
RETRY_BACKOFF_S = 0.5
#: ...as long as the next try can end within this many seconds of the first: an unreachable
#: server is reported in under 15 s, whatever the timeout.
RETRY_DEADLINE_S = 12.0
#: Points per upsert request, and the most bytes one request may carry (estimated as JSON; a
#: server refuses requests over 32 MB by default): big enough that the per-request cost is
#: small, small enough that a retry resends little.
UPLOAD_BATCH_POINTS = 512
UPLOAD_BATCH_BYTES = 8 * 1024 * 1024
#: Upsert requests in flight at once.
UPLOAD_PARALLEL = 4
#: An int8-quantized vector's search takes this many times ``limit`` candidates from the
#: quantized vectors, then rescores them with the float32 originals.
INT8_OVERSAMPLING = 2.0
#: gRPC port used with RECSYS_QDRANT_GRPC=1 unless RECSYS_QDRANT_GRPC_PORT says otherwise.
DEFAULT_GRPC_PORT = 6334
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


def _timeout_s() -> int:
    raw = os.environ.get("RECSYS_QDRANT_TIMEOUT", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_TIMEOUT_S


def _grpc_settings() -> tuple[bool, int]:
    """(whether to talk gRPC, its port) from RECSYS_QDRANT_GRPC and RECSYS_QDRANT_GRPC_PORT."""
    raw = os.environ.get("RECSYS_QDRANT_GRPC", "").strip().lower()
    if raw not in _TRUE + _FALSE:
        raise StoreError(f"RECSYS_QDRANT_GRPC must be 1 (use gRPC) or 0 (HTTP), got {raw!r}")
    port_raw = os.environ.get("RECSYS_QDRANT_GRPC_PORT", "").strip()
    if not port_raw:
        return raw in _TRUE, DEFAULT_GRPC_PORT
    if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
        raise StoreError(f"RECSYS_QDRANT_GRPC_PORT must be a port number, got {port_raw!r}")
    return raw in _TRUE, int(port_raw)


def _wire_size(vectors: dict[str, list[float]], payload: dict) -> int:
    """About how many bytes a point takes in an upsert request (JSON: ~20 characters a float)."""
    return 20 * sum(len(v) for v in vectors.values()) + len(json.dumps(payload, default=str)) + 64


def _batches(sizes: Sequence[int], max_points: int, max_bytes: int) -> list[tuple[int, int]]:
    """[start, end) ranges over points of these sizes: at most ``max_points`` points and
    ``max_bytes`` bytes each (a single bigger point gets a batch of its own)."""
    ranges: list[tuple[int, int]] = []
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and (i - start >= max_points or total + size > max_bytes):
            ranges.append((start, i))
            start, total = i, 0
        total += size
    if start < len(sizes):
        ranges.append((start, len(sizes)))
    return ranges


def _index_from_config(params: Any, collection_hnsw: Any, collection_quant: Any) -> VectorIndex:
    """A named vector's VectorIndex from its Qdrant config (its own hnsw/quantization settings,
    else the collection's)."""
    hnsw = getattr(params, "hnsw_config", None)
    m = hnsw.m if hnsw is not None and hnsw.m is not None else getattr(collection_hnsw, "m", None)
    quant = getattr(params, "quantization_config", None) or collection_quant
    int8 = isinstance(quant, models.ScalarQuantization) and quant.scalar.type == models.ScalarType.INT8
    half = getattr(params, "datatype", None) == models.Datatype.FLOAT16
    return VectorIndex(hnsw=m != 0, int8=int8, half=half)


def _payload_indexes() -> dict[str, Any]:
    """Every payload index a collection gets on a server: field -> schema (as on Edge)."""
    out: dict[str, Any] = {f: models.PayloadSchemaType.KEYWORD for f in INDEXED_FIELDS}
    out["year"] = models.PayloadSchemaType.INTEGER
    out["bpm"] = models.PayloadSchemaType.FLOAT  # --bpm, --key, --mixable (edge_config)
    out["key"] = models.PayloadSchemaType.KEYWORD
    for f in TEXT_FIELDS:
        out[f] = models.TextIndexParams(
            type=models.TextIndexType.TEXT,
            tokenizer=models.TokenizerType.WORD,
            lowercase=True,
            ascii_folding=True,
            scoring=True,
        )
    return out


def _vector_params(dim: int, index: VectorIndex) -> models.VectorParams:
    """A named vector's Qdrant params: cosine, plus its VectorIndex (no HNSW graph: m=0;
    int8: scalar quantization kept in RAM, the float32 originals on disk)."""
    quant = None
    if index.int8:
        quant = models.ScalarQuantization(
            scalar=models.ScalarQuantizationConfig(type=models.ScalarType.INT8, quantile=0.99, always_ram=True)
        )
    return models.VectorParams(
        size=dim,
        distance=models.Distance.COSINE,
        hnsw_config=None if index.hnsw else models.HnswConfigDiff(m=0),
        quantization_config=quant,
        on_disk=True if index.int8 else None,
        datatype=models.Datatype.FLOAT16 if index.half else None,
    )


class RemoteBackend(BaseBackend):
    """A Qdrant deployment reached over HTTP(S), or qdrant-client's local ":memory:" mode."""

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        prefer_grpc: bool | None = None,
        grpc_port: int | None = None,
        batch_points: int = UPLOAD_BATCH_POINTS,
        batch_bytes: int = UPLOAD_BATCH_BYTES,
        parallel: int = UPLOAD_PARALLEL,
    ) -> None:
        """``prefer_grpc``/``grpc_port``: None reads RECSYS_QDRANT_GRPC(_PORT) (":memory:" has
        no transport and ignores them); ``batch_points``, ``batch_bytes``, ``parallel``: how
        upserts are cut and sent (see the module's doc)."""
        super().__init__()
        upload = {"batch_points": batch_points, "batch_bytes": batch_bytes, "parallel": parallel}
        for what, value in upload.items():
            if not isinstance(value, int) or value <= 0:
                raise StoreError(f"{what} must be a positive integer, got {value!r}")
        self._url = url
        self._local = url == ":memory:"
        self.location = redact_url(url)
        self._where = f"on {self.location}"
        self._api_key = api_key  # kept only to redact it from messages; never printed
        self._timeout = _timeout_s()
        self._batch_points = batch_points
        self._batch_bytes = batch_bytes
        self._parallel = parallel
        # local mode's collections are plain Python objects, not safe to change from two
        # threads at once: its calls take turns (a server handles concurrent requests itself)
        self._turns: contextlib.AbstractContextManager[Any] = (
            threading.RLock() if self._local else contextlib.nullcontext()
        )
        env_grpc, env_port = (False, DEFAULT_GRPC_PORT) if self._local else _grpc_settings()
        self._grpc = env_grpc if prefer_grpc is None else bool(prefer_grpc)
        self._grpc_port = env_port if grpc_port is None else int(grpc_port)
        try:
            if self._local:
                self._client = QdrantClient(":memory:")
            else:
                # no compatibility probe: it would warn on an unreachable server before the
                # first real call can raise our one-line error
                with warnings.catch_warnings():
                    # "Api key is used with an insecure connection": the user chose the http URL
                    # (a local server); a warning would add two lines around every message
                    warnings.filterwarnings("ignore", message="Api key is used with an insecure")
                    self._client = QdrantClient(
                        url=url,
                        api_key=api_key,
                        check_compatibility=False,
                        timeout=self._timeout,
                        prefer_grpc=self._grpc,
                        grpc_port=self._grpc_port,
                    )
        except UnicodeError:  # the error's fields hold the key itself: never chained
            raise StoreError(
                f"cannot open Qdrant at {self.location}: the API key has characters an HTTP "
                "header cannot carry (ASCII only)"
            ) from None
        except Exception as exc:
            raise StoreError(
                f"cannot open Qdrant at {self.location}: {self._clean(str(exc))}"
            ) from None

    # --- error handling -----------------------------------------------------------------

    def _clean(self, text: str) -> str:
        text = first_line(text)
        key = self._api_key
        if key:
            # the key as given, stripped, and as a repr shows it (b'key\\n' in an httpx error)
            forms = {key, key.strip(), repr(key)[1:-1], repr(key.encode("utf-8", "replace"))[2:-1]}
            for form in sorted((f for f in forms if len(f) >= 4), key=len, reverse=True):
                text = text.replace(form, "***")
        return text

    def _call(
        self,
        fn: Callable[[], T],
        collection: str | None = None,
        retry: bool = True,
        stop: threading.Event | None = None,
    ) -> T:
        """Run a client call, turning its exceptions into one-line RecsysErrors. A call that
        fails for a passing reason is tried again (``RETRIES``, backing off, within
        ``RETRY_DEADLINE_S``) when ``retry`` says it is idempotent (reads, upserts and deletes
        by id), or whatever it is when the request never reached the server; never once
        ``stop`` is set (another part of the same upload has failed)."""
        start = time.monotonic()
        tries = 0
        longest = 0.0
        while True:
            tries += 1
            began = time.monotonic()
            try:
                with self._turns:
                    return fn()
            except RecsysError:
                raise
            except (UnexpectedResponse, ResponseHandlingException, grpc.RpcError) as exc:
                now = time.monotonic()
                longest = max(longest, now - began)
                again, sent = self._transient(exc)
                delay = RETRY_BACKOFF_S * 2 ** (tries - 1)
                if (
                    again
                    and (retry or not sent)
                    and tries < RETRIES
                    and now - start + delay + longest <= RETRY_DEADLINE_S
                    and not (stop is not None and stop.is_set())
                ):
                    time.sleep(delay)
                    continue
                raise self._failure(exc, collection, tries, now - start) from None
            except ValueError as exc:  # local mode reports everything as ValueError
                where = self._where_of(collection)
                msg = self._clean(str(exc))
                low = msg.lower()
                if collection is not None and "not found" in low and "collection" in low:
                    raise NotFoundError(f"{where}: not found") from None
                raise StoreError(f"{where}: {msg}") from None
            except Exception as exc:
                where = self._where_of(collection)
                raise StoreError(f"{where}: {self._clean(str(exc)) or type(exc).__name__}") from None

    def _where_of(self, collection: str | None) -> str:
        return f"collection {collection!r} on {self.location}" if collection else self.location

    def _transient(self, exc: Exception) -> tuple[bool, bool]:
        return transient(exc, self._timeout)

    def _failure(self, exc: Exception, collection: str | None, tries: int, elapsed: float) -> RecsysError:
        return failure(exc, self._where_of(collection), self.location, collection, tries, elapsed,
                       self._timeout, self._grpc_port, self._clean)

    def _require(self, name: str) -> None:
        check_collection_name(name)
        if not self.collection_exists(name):
            raise self._not_found(name)

    def _open(self, name: str) -> None:
        self._dims_of(name)  # existence check, cached after the first call

    def close(self) -> None:
        self._dims.clear()
        self._indexes.clear()
        try:
            self._client.close()
        except Exception:
            pass  # nothing useful to tell the user on shutdown

    # --- collections --------------------------------------------------------------------

    def list_collections(self) -> list[str]:
        resp = self._call(self._client.get_collections)
        return sorted(c.name for c in resp.collections)

    def _exists(self, name: str) -> bool:
        return bool(self._call(lambda: self._client.collection_exists(name), name))

    def _native_create(self, spec: CollectionSpec) -> None:
        vectors = {vname: _vector_params(dim, spec.index_of(vname)) for vname, dim in spec.vectors.items()}
        metadata = {
            META_KEY: spec.metadata,
            LAYOUT_KEY: {
                "shard_number": spec.shard_number,
                "replication_factor": spec.replication_factor,
            },
        }
        json_text(spec.name, metadata)
        try:
            # not retried once sent: a create that timed out may have been made
            self._call(
                lambda: self._client.create_collection(
                    spec.name,
                    vectors_config=vectors,
                    shard_number=spec.shard_number,
                    replication_factor=spec.replication_factor,
                    metadata=metadata,
                ),
                spec.name,
                retry=False,
            )
            if self._local:
                return  # local mode ignores payload indexes and warns about each one
            for field, schema in _payload_indexes().items():
                self._call(
                    lambda: self._client.create_payload_index(spec.name, field, schema, wait=True),
                    spec.name,
                )
        except RecsysError as exc:
            # no half-made collection is left behind: what the failed create made is removed
            if not self._discard(spec.name):
                raise type(exc)(
                    f"{exc}; collection {spec.name!r} may be left half-made on {self.location}: "
                    "delete it before trying again"
                ) from None
            raise

    def ensure_indexes(self, name: str) -> list[str]:
        self._open(name)
        if self._local:
            return []  # local mode has no payload indexes
        info = self._call(lambda: self._client.get_collection(name), name)
        have = set((info.payload_schema or {}).keys())
        made = []
        for field, schema in _payload_indexes().items():
            if field not in have:
                self._call(lambda: self._client.create_payload_index(name, field, schema, wait=True), name)
                made.append(field)
        return made

    def _native_text_query(self, name: str, field: str, text: str, limit: int, flt: Any) -> Sequence[Any] | None:
        if self._local:
            return None  # local mode has no text index: the caller reads every title
        try:
            resp = self._call(
                lambda: self._client.query_points(
                    name,
                    query=models.TextQuery(text=models.TextQueryInput(query=text)),
                    using=field,
                    limit=limit,
                    query_filter=flt,
                    with_payload=True,
                    with_vectors=False,
                ),
                name,
            )
        except StoreError as exc:
            if "text index" in str(exc).lower() or "bm25" in str(exc).lower():
                return None  # a collection made before the title index: ensure_indexes adds it
            raise
        return resp.points

    def _discard(self, name: str) -> bool:
        """Delete ``name`` if it exists (one try each, errors swallowed); True when it is gone."""
        try:
            if self._client.collection_exists(name):
                self._client.delete_collection(name)
            return True
        except Exception:
            return False

    def delete_collection(self, name: str) -> None:
        self._require(name)
        self._call(lambda: self._client.delete_collection(name), name, retry=False)
        self._dims.pop(name, None)
        self._indexes.pop(name, None)

    def get_spec(self, name: str) -> CollectionSpec:
        self._require(name)
        info = self._call(lambda: self._client.get_collection(name), name)
        params = info.config.params
        raw = params.vectors
        if isinstance(raw, dict):
            configs = dict(raw)
        elif raw is not None:  # a collection with one unnamed vector, not made by recsys
            configs = {"": raw}
        else:
            configs = {}
        vectors = {k: int(v.size) for k, v in configs.items()}
        # read back from the vectors' own config (a server and local mode both keep it)
        indexes = {
            k: _index_from_config(v, info.config.hnsw_config, info.config.quantization_config)
            for k, v in configs.items()
        }
        self._indexes[name] = indexes
        meta = info.config.metadata or {}
        layout = meta.get(LAYOUT_KEY) or {}
        return CollectionSpec(
            name=name,
            vectors=vectors,
            metadata=dict(meta.get(META_KEY) or {}),
            # what recsys asked for; the server's own values for foreign collections
            shard_number=layout.get("shard_number", params.shard_number),
            replication_factor=layout.get("replication_factor", params.replication_factor),
            # the default index is left unnamed, as in the spec it was made from
            indexes={k: ix for k, ix in indexes.items() if ix != VectorIndex()},
        )

    def set_metadata(self, name: str, metadata: dict[str, Any]) -> None:
        self._require(name)
        json_text(name, metadata)
        # Qdrant merges top-level keys, so replacing our one key replaces all our metadata
        self._call(
            lambda: self._client.update_collection(name, metadata={META_KEY: dict(metadata)}),
            name,
        )

    # --- points -------------------------------------------------------------------------

    def upsert(self, name: str, points: Sequence[PointRecord]) -> None:
        # BaseBackend.upsert's checks, then the batches go out in parallel rather than in turn
        self._open(name)
        self._norm.pop(name, None)  # new points may lack (or bring) the normalised fields
        dims = self._dims_of(name)
        # validate everything first, so a bad point does not leave half an upload written;
        # a track given twice keeps its last version, as when the batches went in order
        last: dict[str, tuple[Any, int]] = {}
        for p in points:
            vecs, payload = point_vectors(p, dims, name), point_payload(p)
            pid = point_id(p.track_id)
            last.pop(pid, None)  # keep the order of the last occurrences
            last[pid] = (self._native_point(pid, vecs, payload), _wire_size(vecs, payload))
        native = [pt for pt, _ in last.values()]
        ranges = _batches([size for _, size in last.values()], self._batch_points, self._batch_bytes)
        self._upload(name, native, ranges)

    def _upload(self, name: str, native: list[Any], ranges: list[tuple[int, int]]) -> None:
        """Send ``native[a:b]`` for each range, ``parallel`` requests in flight, each retried
        on its own. A failed batch stops the upload: no new batch starts, those in flight end
        (without retrying), and one error says how many points were written."""
        if len(ranges) <= 1:
            for a, b in ranges:
                self._native_upsert(name, native[a:b])
            return
        stop = threading.Event()
        written = 0
        failure: RecsysError | None = None
        todo = iter(ranges)
        with ThreadPoolExecutor(min(self._parallel, len(ranges)), thread_name_prefix="recsys-upsert") as pool:
            flying: dict[Future[None], int] = {}

            def launch() -> bool:
                rng = next(todo, None)
                if rng is None:
                    return False
                a, b = rng
                fut = pool.submit(self._native_upsert, name, native[a:b], stop)
                flying[fut] = b - a
                return True

            for _ in range(min(self._parallel, len(ranges))):
                launch()
            while flying:
                done, _ = wait(flying, return_when=FIRST_COMPLETED)
                for fut in done:
                    n = flying.pop(fut)
                    exc = fut.exception()
                    if exc is None:
                        written += n
                    elif failure is None:
                        stop.set()
                        failure = exc if isinstance(exc, RecsysError) else StoreError(
                            f"collection {name!r} {self._where}: {self._clean(str(exc)) or type(exc).__name__}"
                        )
                    if failure is None:
                        launch()
        if failure is not None:
            raise type(failure)(
                f"{failure}; {written} of {len(native)} points were written before the upload "
                "stopped (upserting them again is harmless)"
            ) from None

    def _native_point(self, pid: str, vectors: dict[str, list[float]], payload: dict) -> Any:
        return models.PointStruct(id=pid, vector=vectors, payload=payload)

    def _native_point_vectors(self, pid: str, vectors: dict[str, list[float]]) -> Any:
        return models.PointVectors(id=pid, vector=vectors)

    def _native_upsert(self, name: str, points: list[Any], stop: threading.Event | None = None) -> None:
        self._call(lambda: self._client.upsert(name, points=points, wait=True), name, stop=stop)

    def _native_set_vectors(self, name: str, points: list[Any]) -> None:
        self._call(lambda: self._client.update_vectors(name, points=points, wait=True), name)

    def _native_delete(self, name: str, ids: list[str]) -> None:
        selector = models.PointIdsList(points=list(ids))
        self._call(lambda: self._client.delete(name, points_selector=selector, wait=True), name)

    def _native_add_vector(self, name: str, vector_name: str, dim: int) -> None:
        config = models.DenseVectorNameConfig(
            dense=models.DenseVectorConfig(size=dim, distance=models.Distance.COSINE)
        )
        self._call(
            lambda: self._client.create_vector_name(name, vector_name, config, wait=True), name, retry=False
        )
        self._indexes.pop(name, None)

    def _native_drop_vector(self, name: str, vector_name: str) -> None:
        self._call(lambda: self._client.delete_vector_name(name, vector_name, wait=True), name, retry=False)
        self._indexes.pop(name, None)

    def _native_retrieve(
        self, name: str, ids: list[str], with_payload: bool, with_vectors: bool | list[str]
    ) -> Sequence[Any]:
        return self._call(
            lambda: self._client.retrieve(
                name, ids, with_payload=with_payload, with_vectors=with_vectors
            ),
            name,
        )

    def _native_pager(
        self, name: str, batch_size: int, fetch: bool | list[str], flt: Any, keys: Sequence[str] | None = None
    ) -> Pager:
        self._open(name)

        def page(offset: Any) -> Any:
            return self._call(
                lambda: self._client.scroll(
                    name,
                    limit=batch_size,
                    offset=offset,
                    with_payload=True if keys is None else list(keys),
                    with_vectors=fetch,
                    scroll_filter=flt,
                ),
                name,
            )

        return page

    def _native_count(self, name: str, flt: Any) -> int:
        resp = self._call(lambda: self._client.count(name, count_filter=flt, exact=True), name)
        return resp.count

    # --- queries ------------------------------------------------------------------------

    def _native_query(
        self,
        name: str,
        query: Any,
        using: str,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> Sequence[Any]:
        params = self._search_params(name, using)
        resp = self._call(
            lambda: self._client.query_points(
                name,
                query=query,
                using=using,
                limit=limit,
                query_filter=self._native_filter(self._conditions(name, flt)),
                search_params=params,
                with_payload=True,
                with_vectors=with_vectors,
            ),
            name,
        )
        return resp.points

    def _search_params(self, name: str, using: str) -> Any:
        """Rescoring with the float32 originals for an int8 vector; None otherwise, and in local
        mode, which searches exactly and warns about any search params."""
        if self._local or not self._index_of(name, using).int8:
            return None
        return models.SearchParams(
            quantization=models.QuantizationSearchParams(rescore=True, oversampling=INT8_OVERSAMPLING)
        )

    def _nearest_query(self, vec: list[float], using: str) -> Any:
        return models.NearestQuery(nearest=vec)

    def _recommend_query(self, pos: list[list[float]], neg: list[list[float]], using: str) -> Any:
        return models.RecommendQuery(
            recommend=models.RecommendInput(
                positive=pos, negative=neg, strategy=models.RecommendStrategy.BEST_SCORE
            )
        )

    def _mmr_query(self, vec: list[float], using: str, diversity: float, candidates: int) -> Any:
        mmr = models.Mmr(diversity=diversity, candidates_limit=candidates)
        return models.NearestQuery(nearest=vec, mmr=mmr)

    # --- filters ------------------------------------------------------------------------

    def _match_any(self, key: str, values: list[str]) -> Any:
        return models.FieldCondition(key=key, match=models.MatchAny(any=values))

    def _range(self, key: str, gte: float | None, lte: float | None) -> Any:
        return models.FieldCondition(key=key, range=models.Range(gte=gte, lte=lte))

    def _has_vector(self, vector_name: str) -> Any:
        return models.HasVectorCondition(has_vector=vector_name)

    def _filter(self, must: list[Any] | None, must_not: list[Any] | None) -> Any:
        return models.Filter(must=must, must_not=must_not)

    def _has_id(self, point_ids: Sequence[str]) -> Any:
        return models.HasIdCondition(has_id=list(point_ids))

    def _is_empty(self, key: str) -> Any:
        return models.IsEmptyCondition(is_empty=models.PayloadField(key=key))

    def _values_at_least(self, key: str, n: int) -> Any:
        return models.FieldCondition(key=key, values_count=models.ValuesCount(gte=n))

    # --- facets -------------------------------------------------------------------------

    def _native_facet(self, name: str, key: str, flt: Any = None) -> dict[Any, int] | None:
        # qdrant-client's facet: a server facets indexed fields only (a field without an
        # index, e.g. *_norm in a collection made before it, is counted by scrolling);
        # ":memory:" mode facets any field
        try:
            resp = self._call(
                lambda: self._client.facet(name, key, facet_filter=flt, limit=FACET_LIMIT, exact=True), name
            )
        except StoreError as exc:
            if "index" in str(exc).lower():
                return None
            raise
        return {h.value: int(h.count) for h in resp.hits}
