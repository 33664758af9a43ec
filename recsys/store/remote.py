"""Store on a Qdrant server (or qdrant-client's in-process ":memory:" mode) via qdrant-client.

The CollectionSpec's metadata lives in Qdrant's collection metadata, under one top-level
key: Qdrant merges metadata updates key by key, so keeping ours under a single key makes
set_metadata a replacement, as the contract says.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator, Sequence, TypeVar
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from recsys.catalog.model import point_id
from recsys.errors import NotFoundError, RecsysError, StoreError
from recsys.store.base import (
    INDEXED_FIELDS,
    CollectionSpec,
    Hit,
    PointRecord,
    QueryFilter,
    StoreBackend,
)
from recsys.store.filters import (
    Conditions,
    HasVectorCond,
    MatchAnyCond,
    RangeCond,
    as_vector,
    check_collection_name,
    check_limit,
    check_spec,
    point_payload,
    point_vectors,
    to_conditions,
    to_numpy_vectors,
)

T = TypeVar("T")

#: Top-level collection-metadata keys owned by recsys.
META_KEY = "recsys"
LAYOUT_KEY = "recsys_layout"
UPSERT_BATCH = 256


def _redact_url(url: str) -> str:
    """The URL without any user:password part, safe to show in messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _first_line(text: str) -> str:
    text = text.strip()
    return text.splitlines()[0] if text else ""


def _server_message(exc: UnexpectedResponse) -> str:
    """The server's own error text ({"status": {"error": ...}}) rather than the raw body."""
    try:
        body = json.loads(exc.content.decode("utf-8", "replace"))
        msg = body.get("status", {}).get("error") or ""
    except (ValueError, AttributeError):
        msg = ""
    return _first_line(msg or exc.reason_phrase or "")


def _native_filter(conds: Conditions) -> models.Filter | None:
    def one(c: Any) -> Any:
        if isinstance(c, MatchAnyCond):
            return models.FieldCondition(key=c.key, match=models.MatchAny(any=list(c.values)))
        if isinstance(c, RangeCond):
            return models.FieldCondition(key=c.key, range=models.Range(gte=c.gte, lte=c.lte))
        if isinstance(c, HasVectorCond):
            return models.HasVectorCondition(has_vector=c.name)
        raise TypeError(f"unknown condition {c!r}")

    if conds.is_empty():
        return None
    return models.Filter(
        must=[one(c) for c in conds.must] or None,
        must_not=[one(c) for c in conds.must_not] or None,
    )


class RemoteBackend(StoreBackend):
    """A Qdrant deployment reached over HTTP(S), or qdrant-client's local ":memory:" mode."""

    def __init__(self, url: str, api_key: str | None = None) -> None:
        self._url = url
        self._local = url == ":memory:"
        self.location = _redact_url(url)
        self._api_key = api_key  # kept only to redact it from messages; never printed
        self._dims: dict[str, dict[str, int]] = {}
        try:
            if self._local:
                self._client = QdrantClient(":memory:")
            else:
                # no compatibility probe: it would warn on an unreachable server before the
                # first real call can raise our one-line error
                self._client = QdrantClient(url=url, api_key=api_key, check_compatibility=False)
        except Exception as exc:
            raise StoreError(
                f"cannot open Qdrant at {self.location}: {self._clean(str(exc))}"
            ) from exc

    # --- error handling -----------------------------------------------------------------

    def _clean(self, text: str) -> str:
        text = _first_line(text)
        if self._api_key:
            text = text.replace(self._api_key, "***")
        return text

    def _call(self, fn: Callable[[], T], collection: str | None = None) -> T:
        """Run a client call, turning its exceptions into one-line RecsysErrors."""
        where = f"collection {collection!r} on {self.location}" if collection else self.location
        try:
            return fn()
        except RecsysError:
            raise
        except UnexpectedResponse as exc:
            code = exc.status_code
            msg = self._clean(_server_message(exc))
            if code == 404 and collection is not None:
                raise NotFoundError(f"{where}: not found ({msg})") from None
            if code in (401, 403):
                raise StoreError(
                    f"Qdrant at {self.location} refused the request (HTTP {code}); "
                    "check the API key"
                ) from None
            raise StoreError(f"{where}: Qdrant answered HTTP {code}: {msg}") from None
        except ResponseHandlingException as exc:
            raise StoreError(
                f"cannot reach Qdrant at {self.location} ({self._clean(str(exc))}); "
                "check the URL and that the server is running"
            ) from None
        except ValueError as exc:  # local mode reports everything as ValueError
            msg = self._clean(str(exc))
            low = msg.lower()
            if collection is not None and "not found" in low and "collection" in low:
                raise NotFoundError(f"{where}: not found") from None
            raise StoreError(f"{where}: {msg}") from exc
        except Exception as exc:
            raise StoreError(f"{where}: {self._clean(str(exc)) or type(exc).__name__}") from exc

    def _not_found(self, name: str) -> NotFoundError:
        try:
            existing = ", ".join(self.list_collections()) or "none"
        except RecsysError:
            existing = "unknown"
        return NotFoundError(
            f"collection {name!r} not found on {self.location} (existing: {existing})"
        )

    def _require(self, name: str) -> None:
        check_collection_name(name)
        if not self.collection_exists(name):
            raise self._not_found(name)

    def _dims_of(self, name: str) -> dict[str, int]:
        if name not in self._dims:
            self._dims[name] = dict(self.get_spec(name).vectors)
        return self._dims[name]

    def close(self) -> None:
        self._dims.clear()
        try:
            self._client.close()
        except Exception:
            pass  # nothing useful to tell the user on shutdown

    def __enter__(self) -> "RemoteBackend":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- collections --------------------------------------------------------------------

    def list_collections(self) -> list[str]:
        resp = self._call(self._client.get_collections)
        return sorted(c.name for c in resp.collections)

    def collection_exists(self, name: str) -> bool:
        try:
            check_collection_name(name)
        except StoreError:
            return False
        return bool(self._call(lambda: self._client.collection_exists(name), name))

    def create_collection(self, spec: CollectionSpec) -> None:
        check_spec(spec)
        if self.collection_exists(spec.name):
            raise StoreError(
                f"collection {spec.name!r} already exists on {self.location}; "
                "delete it first or choose another name"
            )
        vectors = {
            vname: models.VectorParams(size=dim, distance=models.Distance.COSINE)
            for vname, dim in spec.vectors.items()
        }
        metadata = {
            META_KEY: spec.metadata,
            LAYOUT_KEY: {
                "shard_number": spec.shard_number,
                "replication_factor": spec.replication_factor,
            },
        }
        try:
            json.dumps(metadata)
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"metadata of collection {spec.name!r} is not JSON-serialisable: {exc}"
            ) from None
        self._call(
            lambda: self._client.create_collection(
                spec.name,
                vectors_config=vectors,
                shard_number=spec.shard_number,
                replication_factor=spec.replication_factor,
                metadata=metadata,
            ),
            spec.name,
        )
        self._dims[spec.name] = dict(spec.vectors)
        if self._local:
            return  # local mode ignores payload indexes and warns about each one
        for field in INDEXED_FIELDS:
            self._call(
                lambda: self._client.create_payload_index(
                    spec.name, field, models.PayloadSchemaType.KEYWORD, wait=True
                ),
                spec.name,
            )
        self._call(
            lambda: self._client.create_payload_index(
                spec.name, "year", models.PayloadSchemaType.INTEGER, wait=True
            ),
            spec.name,
        )

    def delete_collection(self, name: str) -> None:
        self._require(name)
        self._call(lambda: self._client.delete_collection(name), name)
        self._dims.pop(name, None)

    def get_spec(self, name: str) -> CollectionSpec:
        self._require(name)
        info = self._call(lambda: self._client.get_collection(name), name)
        params = info.config.params
        raw = params.vectors
        if isinstance(raw, dict):
            vectors = {k: int(v.size) for k, v in raw.items()}
        elif raw is not None:  # a collection with one unnamed vector, not made by recsys
            vectors = {"": int(raw.size)}
        else:
            vectors = {}
        meta = info.config.metadata or {}
        layout = meta.get(LAYOUT_KEY) or {}
        return CollectionSpec(
            name=name,
            vectors=vectors,
            metadata=dict(meta.get(META_KEY) or {}),
            # what recsys asked for; the server's own values for foreign collections
            shard_number=layout.get("shard_number", params.shard_number),
            replication_factor=layout.get("replication_factor", params.replication_factor),
        )

    def set_metadata(self, name: str, metadata: dict[str, Any]) -> None:
        self._require(name)
        try:
            json.dumps(metadata)
        except (TypeError, ValueError) as exc:
            raise StoreError(
                f"metadata of collection {name!r} is not JSON-serialisable: {exc}"
            ) from None
        # Qdrant merges top-level keys, so replacing our one key replaces all our metadata
        self._call(
            lambda: self._client.update_collection(name, metadata={META_KEY: dict(metadata)}),
            name,
        )

    # --- points -------------------------------------------------------------------------

    def upsert(self, name: str, points: Sequence[PointRecord]) -> None:
        dims = self._dims_of(name)
        structs = [
            models.PointStruct(
                id=point_id(p.track_id),
                vector=point_vectors(p, dims, name),
                payload=point_payload(p),
            )
            for p in points
        ]
        for i in range(0, len(structs), UPSERT_BATCH):
            chunk = structs[i : i + UPSERT_BATCH]
            self._call(lambda: self._client.upsert(name, points=chunk, wait=True), name)

    def update_vectors(self, name: str, track_id: str, vectors: dict[str, np.ndarray]) -> None:
        dims = self._dims_of(name)
        what = f"track {track_id!r} in collection {name!r}"
        vecs = {vname: as_vector(v, vname, dims, what) for vname, v in vectors.items()}
        pid = point_id(track_id)
        found = self._call(
            lambda: self._client.retrieve(name, [pid], with_payload=False, with_vectors=False),
            name,
        )
        if not found:
            raise NotFoundError(f"track {track_id!r} is not in collection {name!r}")
        if vecs:
            pv = [models.PointVectors(id=pid, vector=vecs)]
            self._call(lambda: self._client.update_vectors(name, points=pv, wait=True), name)

    def set_vectors(self, name: str, points: Sequence[PointRecord]) -> None:
        dims = self._dims_of(name)
        pv = [
            models.PointVectors(
                id=point_id(p.track_id),
                vector={v: as_vector(x, v, dims, f"track {p.track_id!r} in collection {name!r}") for v, x in p.vectors.items()},
            )
            for p in points
            if p.vectors
        ]
        for i in range(0, len(pv), UPSERT_BATCH):
            chunk = pv[i : i + UPSERT_BATCH]
            self._call(lambda: self._client.update_vectors(name, points=chunk, wait=True), name)

    def add_vector(self, name: str, vector_name: str, dim: int) -> None:
        dims = self._dims_of(name)
        if vector_name in dims:
            raise StoreError(f"collection {name!r} already has a vector {vector_name!r}")
        if dim <= 0:
            raise StoreError(f"vector {vector_name!r}: dimension must be positive, got {dim}")
        config = models.DenseVectorNameConfig(dense=models.DenseVectorConfig(size=int(dim), distance=models.Distance.COSINE))
        self._call(lambda: self._client.create_vector_name(name, vector_name, config, wait=True), name)
        self._dims.pop(name, None)

    def drop_vector(self, name: str, vector_name: str) -> None:
        if vector_name not in self._dims_of(name):
            raise StoreError(f"collection {name!r} has no vector {vector_name!r}")
        self._call(lambda: self._client.delete_vector_name(name, vector_name, wait=True), name)
        self._dims.pop(name, None)

    @staticmethod
    def _record(rec: Any, with_vectors: bool) -> PointRecord:
        payload = dict(rec.payload or {})
        return PointRecord(
            track_id=str(payload.get("track_id", rec.id)),
            vectors=to_numpy_vectors(rec.vector) if with_vectors else {},
            payload=payload,
        )

    def retrieve(
        self, name: str, track_ids: Sequence[str], with_vectors: bool = True
    ) -> list[PointRecord]:
        self._dims_of(name)  # existence check, cached after the first call
        ids = list(dict.fromkeys(point_id(t) for t in track_ids))
        if not ids:
            return []
        recs = self._call(
            lambda: self._client.retrieve(
                name, ids, with_payload=True, with_vectors=with_vectors
            ),
            name,
        )
        return [self._record(r, with_vectors) for r in recs]

    def scroll(
        self, name: str, with_vectors: bool = False, batch_size: int = 256, using: str | None = None
    ) -> Iterator[PointRecord]:
        check_limit(batch_size, "batch_size")
        # with ``using``: only the points that have that vector, and only that vector
        fetch: bool | list[str] = [using] if using else with_vectors
        flt = _native_filter(to_conditions(None, has_vector=using)) if using else None
        self._dims_of(name)  # fail now, not on the first next()

        def gen() -> Iterator[PointRecord]:
            offset: Any = None
            while True:
                off = offset
                recs, offset = self._call(
                    lambda: self._client.scroll(
                        name,
                        limit=batch_size,
                        offset=off,
                        with_payload=True,
                        with_vectors=fetch,
                        scroll_filter=flt,
                    ),
                    name,
                )
                for r in recs:
                    yield self._record(r, bool(fetch))
                if offset is None:
                    return

        return gen()

    def count(self, name: str, using: str | None = None) -> int:
        flt = None
        if using is not None:
            dims = self._dims_of(name)
            if using not in dims:
                raise StoreError(
                    f"collection {name!r} has no vector {using!r} "
                    f"(it has: {', '.join(sorted(dims))})"
                )
            flt = _native_filter(to_conditions(None, has_vector=using))
        else:
            self._dims_of(name)
        resp = self._call(
            lambda: self._client.count(name, count_filter=flt, exact=True), name
        )
        return int(resp.count)

    # --- queries ------------------------------------------------------------------------

    def _query(
        self,
        name: str,
        query: Any,
        using: str,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> list[Hit]:
        resp = self._call(
            lambda: self._client.query_points(
                name,
                query=query,
                using=using,
                limit=limit,
                query_filter=_native_filter(to_conditions(flt)),
                with_payload=True,
                with_vectors=with_vectors,
            ),
            name,
        )
        hits: list[Hit] = []
        for p in resp.points:
            payload = dict(p.payload or {})
            hits.append(
                Hit(
                    track_id=str(payload.get("track_id", p.id)),
                    score=float(p.score),
                    payload=payload,
                    vectors=to_numpy_vectors(p.vector) if with_vectors else {},
                )
            )
        return hits

    def search(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        check_limit(limit)
        vec = as_vector(vector, using, self._dims_of(name), f"search in {name!r}")
        return self._query(
            name, models.NearestQuery(nearest=vec), using, limit, flt, with_vectors
        )

    def recommend(
        self,
        name: str,
        positives: Sequence[np.ndarray],
        negatives: Sequence[np.ndarray],
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        check_limit(limit)
        dims = self._dims_of(name)
        what = f"recommend in {name!r}"
        pos = [as_vector(v, using, dims, what) for v in positives]
        neg = [as_vector(v, using, dims, what) for v in negatives]
        if not pos:
            raise StoreError(f"{what}: give at least one positive example")
        query = models.RecommendQuery(
            recommend=models.RecommendInput(
                positive=pos, negative=neg, strategy=models.RecommendStrategy.BEST_SCORE
            )
        )
        return self._query(name, query, using, limit, flt, with_vectors)

    def mmr(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        diversity: float,
        candidates_limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        check_limit(limit)
        check_limit(candidates_limit, "candidates_limit")
        if not 0.0 <= diversity <= 1.0:
            raise StoreError(f"MMR diversity must be between 0 and 1, got {diversity}")
        vec = as_vector(vector, using, self._dims_of(name), f"MMR in {name!r}")
        query = models.NearestQuery(
            nearest=vec,
            mmr=models.Mmr(
                diversity=float(diversity), candidates_limit=max(candidates_limit, limit)
            ),
        )
        return self._query(name, query, using, limit, flt, with_vectors)
