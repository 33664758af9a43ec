"""What a backend gives the shared base (``shared.BaseBackend``), and the state the base keeps.

``BackendHooks`` declares the client-specific hooks, each marked "backend hook": a backend only
translates a checked call into its client's call through them. It also holds what every part
of the shared base reads: the cached vectors and indexes of a collection, the lock, and which
normalised fields a collection's points carry (``shared_filters``).
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from typing import Any, Callable, Mapping, Sequence, TypeVar

from recsys.store.base import CollectionSpec, QueryFilter, StoreBackend, VectorIndex

B = TypeVar("B", bound="BackendHooks")

#: A backend's scroll, one page at a time: offset (None for the first) -> (records, next offset).
Pager = Callable[[Any], tuple[Sequence[Any], Any]]


class BackendHooks(StoreBackend):
    """The hooks a backend implements, and the caches the shared base keeps over them."""

    location: str
    #: where a collection lives, as messages say it: "in store <folder>" or "on <url>"
    _where: str

    def __init__(self) -> None:
        self._dims: dict[str, dict[str, int]] = {}
        self._indexes: dict[str, dict[str, VectorIndex]] = {}
        self._lock = threading.RLock()
        #: whether each collection's points all carry the normalised fields (see _normalised)
        self._norm: dict[str, dict[str, bool]] = {}

    def __enter__(self: B) -> B:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- backend hooks ------------------------------------------------------------------

    @abstractmethod
    def _open(self, name: str) -> None:
        """Backend hook: fail now (NotFoundError, or StoreInUseError on Edge) unless
        collection ``name`` can be used."""

    @abstractmethod
    def _exists(self, name: str) -> bool:
        """Backend hook: whether collection ``name`` (a valid name) exists."""

    @abstractmethod
    def _native_create(self, spec: CollectionSpec) -> None:
        """Backend hook: create the collection of a checked ``spec`` that does not exist yet."""

    @abstractmethod
    def _native_point(self, pid: str, vectors: dict[str, list[float]], payload: dict) -> Any:
        """Backend hook: the client's point from checked values."""

    @abstractmethod
    def _native_point_vectors(self, pid: str, vectors: dict[str, list[float]]) -> Any:
        """Backend hook: the client's "set these vectors of point pid" from checked values."""

    @abstractmethod
    def _native_upsert(self, name: str, points: list[Any]) -> None:
        """Backend hook: write one batch of ``_native_point`` values."""

    @abstractmethod
    def _native_delete(self, name: str, ids: list[str]) -> None:
        """Backend hook: delete one batch of point ids (unknown ids are no error)."""

    @abstractmethod
    def _native_set_vectors(self, name: str, points: list[Any]) -> None:
        """Backend hook: write one batch of ``_native_point_vectors`` values."""

    @abstractmethod
    def _native_add_vector(self, name: str, vector_name: str, dim: int) -> None:
        """Backend hook: add a checked new named vector (cosine)."""

    @abstractmethod
    def _native_drop_vector(self, name: str, vector_name: str) -> None:
        """Backend hook: remove an existing named vector."""

    @abstractmethod
    def _native_retrieve(
        self, name: str, ids: list[str], with_payload: bool, with_vectors: bool | list[str]
    ) -> Sequence[Any]:
        """Backend hook: the client's records (.id, .payload, .vector) of these point ids."""

    @abstractmethod
    def _native_pager(
        self, name: str, batch_size: int, fetch: bool | list[str], flt: Any, keys: Sequence[str] | None = None
    ) -> Pager:
        """Backend hook: check the collection now, then return its scroll, page by page; with
        ``keys``, each point's payload holds only those fields."""

    @abstractmethod
    def _native_count(self, name: str, flt: Any) -> int:
        """Backend hook: the exact number of points matching the native filter ``flt``."""

    @abstractmethod
    def _native_query(
        self,
        name: str,
        query: Any,
        using: str,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> Sequence[Any]:
        """Backend hook: run a query built by the ``_*_query`` hooks; the client's scored
        points (.id, .score, .payload, .vector). ``flt`` goes through ``_native_filter``."""

    @abstractmethod
    def _nearest_query(self, vec: list[float], using: str) -> Any:
        """Backend hook: the client's nearest-neighbour query."""

    @abstractmethod
    def _recommend_query(self, pos: list[list[float]], neg: list[list[float]], using: str) -> Any:
        """Backend hook: the client's recommend query, best-score strategy."""

    @abstractmethod
    def _mmr_query(self, vec: list[float], using: str, diversity: float, candidates: int) -> Any:
        """Backend hook: the client's MMR query (diversity 0 = relevance only)."""

    @abstractmethod
    def _match_any(self, key: str, values: list[str]) -> Any:
        """Backend hook: the client's "payload field equals any of values" condition."""

    @abstractmethod
    def _range(self, key: str, gte: float | None, lte: float | None) -> Any:
        """Backend hook: the client's numeric range condition."""

    @abstractmethod
    def _has_vector(self, vector_name: str) -> Any:
        """Backend hook: the client's "point has this named vector" condition."""

    @abstractmethod
    def _filter(self, must: list[Any] | None, must_not: list[Any] | None) -> Any:
        """Backend hook: the client's filter of these conditions."""

    @abstractmethod
    def _has_id(self, point_ids: Sequence[str]) -> Any:
        """Backend hook: the client's "point is one of these ids" condition."""

    @abstractmethod
    def _is_empty(self, key: str) -> Any:
        """Backend hook: the client's "payload field is missing, null or []" condition."""

    @abstractmethod
    def _values_at_least(self, key: str, n: int) -> Any:
        """Backend hook: the client's "payload field holds at least n values" condition."""

    @abstractmethod
    def _native_facet(self, name: str, key: str, flt: Any = None) -> dict[Any, int] | None:
        """Backend hook: every value of payload field ``key`` with its exact count, through
        the client's facet call, on the points the native filter ``flt`` matches (all with
        None); None where the client cannot facet on ``key`` (no payload index on it), and
        the shared base counts by scrolling payloads instead."""

    def _native_text_query(
        self, name: str, field: str, text: str, limit: int, flt: Any
    ) -> Sequence[Any] | None:
        """Backend hook: BM25 over ``field``'s text index (``flt``: a native filter or None),
        or None where there is no such index."""
        return None

    # --- the cached shape of a collection -------------------------------------------------

    def _current_dims(self, name: str) -> Mapping[str, int]:
        """The named vectors that add_vector/drop_vector check against."""
        return self._dims_of(name)

    def _dims_of(self, name: str) -> dict[str, int]:
        # vectors change only through add_vector/drop_vector, which drop this cache
        if name not in self._dims:
            self._dims[name] = dict(self.get_spec(name).vectors)
        return self._dims[name]

    def _index_of(self, name: str, vector_name: str) -> VectorIndex:
        """How ``vector_name`` is indexed (fixed at creation, so cached for the backend's life)."""
        indexes = self._indexes.get(name)
        if indexes is None:
            indexes = self._indexes[name] = dict(self.get_spec(name).indexes)
        return indexes.get(vector_name, VectorIndex())
