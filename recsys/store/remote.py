"""Store on a Qdrant server (or qdrant-client's in-process ":memory:" mode) via qdrant-client.

The CollectionSpec's metadata lives in Qdrant's collection metadata, under one top-level
key: Qdrant merges metadata updates key by key, so keeping ours under a single key makes
set_metadata a replacement, as the contract says. The checks and conversions common to
both backends live in BaseBackend (shared.py).
"""

from __future__ import annotations

import json
from typing import Any, Callable, Sequence, TypeVar
from urllib.parse import urlsplit, urlunsplit

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

from recsys.errors import NotFoundError, RecsysError, StoreError
from recsys.store.base import INDEXED_FIELDS, CollectionSpec, QueryFilter
from recsys.store.filters import check_collection_name
from recsys.store.shared import BaseBackend, Pager, first_line, json_text

T = TypeVar("T")

#: Top-level collection-metadata keys owned by recsys.
META_KEY = "recsys"
LAYOUT_KEY = "recsys_layout"
#: the facet limit that means "every value" (Qdrant's facet always takes a limit)
FACET_LIMIT = 1_000_000


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


def _server_message(exc: UnexpectedResponse) -> str:
    """The server's own error text ({"status": {"error": ...}}) rather than the raw body."""
    try:
        body = json.loads(exc.content.decode("utf-8", "replace"))
        msg = body.get("status", {}).get("error") or ""
    except (ValueError, AttributeError):
        msg = ""
    return first_line(msg or exc.reason_phrase or "")


class RemoteBackend(BaseBackend):
    """A Qdrant deployment reached over HTTP(S), or qdrant-client's local ":memory:" mode."""

    def __init__(self, url: str, api_key: str | None = None) -> None:
        super().__init__()
        self._url = url
        self._local = url == ":memory:"
        self.location = _redact_url(url)
        self._where = f"on {self.location}"
        self._api_key = api_key  # kept only to redact it from messages; never printed
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
        text = first_line(text)
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

    def _require(self, name: str) -> None:
        check_collection_name(name)
        if not self.collection_exists(name):
            raise self._not_found(name)

    def _open(self, name: str) -> None:
        self._dims_of(name)  # existence check, cached after the first call

    def close(self) -> None:
        self._dims.clear()
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
        json_text(spec.name, metadata)
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
        if self._local:
            return  # local mode ignores payload indexes and warns about each one
        indexes = [(f, models.PayloadSchemaType.KEYWORD) for f in INDEXED_FIELDS]
        for field, schema in indexes + [("year", models.PayloadSchemaType.INTEGER)]:
            self._call(
                lambda: self._client.create_payload_index(spec.name, field, schema, wait=True),
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
        json_text(name, metadata)
        # Qdrant merges top-level keys, so replacing our one key replaces all our metadata
        self._call(
            lambda: self._client.update_collection(name, metadata={META_KEY: dict(metadata)}),
            name,
        )

    # --- points -------------------------------------------------------------------------

    def _native_point(self, pid: str, vectors: dict[str, list[float]], payload: dict) -> Any:
        return models.PointStruct(id=pid, vector=vectors, payload=payload)

    def _native_point_vectors(self, pid: str, vectors: dict[str, list[float]]) -> Any:
        return models.PointVectors(id=pid, vector=vectors)

    def _native_upsert(self, name: str, points: list[Any]) -> None:
        self._call(lambda: self._client.upsert(name, points=points, wait=True), name)

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
            lambda: self._client.create_vector_name(name, vector_name, config, wait=True), name
        )

    def _native_drop_vector(self, name: str, vector_name: str) -> None:
        self._call(lambda: self._client.delete_vector_name(name, vector_name, wait=True), name)

    def _native_retrieve(
        self, name: str, ids: list[str], with_payload: bool, with_vectors: bool
    ) -> Sequence[Any]:
        return self._call(
            lambda: self._client.retrieve(
                name, ids, with_payload=with_payload, with_vectors=with_vectors
            ),
            name,
        )

    def _native_pager(self, name: str, batch_size: int, fetch: bool | list[str], flt: Any) -> Pager:
        self._open(name)

        def page(offset: Any) -> Any:
            return self._call(
                lambda: self._client.scroll(
                    name,
                    limit=batch_size,
                    offset=offset,
                    with_payload=True,
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
        resp = self._call(
            lambda: self._client.query_points(
                name,
                query=query,
                using=using,
                limit=limit,
                query_filter=self._native_filter(self._conditions(name, flt)),
                with_payload=True,
                with_vectors=with_vectors,
            ),
            name,
        )
        return resp.points

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

    def _is_empty(self, key: str) -> Any:
        return models.IsEmptyCondition(is_empty=models.PayloadField(key=key))

    # --- facets -------------------------------------------------------------------------

    def _native_facet(self, name: str, key: str) -> dict[Any, int] | None:
        # qdrant-client's facet: a server facets indexed fields only (a field without an
        # index, e.g. *_norm in a collection made before it, is counted by scrolling);
        # ":memory:" mode facets any field
        try:
            resp = self._call(
                lambda: self._client.facet(name, key, limit=FACET_LIMIT, exact=True), name
            )
        except StoreError as exc:
            if "index" in str(exc).lower():
                return None
            raise
        return {h.value: int(h.count) for h in resp.hits}
