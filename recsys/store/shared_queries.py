"""The vector queries, on every backend: search, recommend, MMR and their stream
``neighbours``, and BM25 ``text_search``. Each checks its arguments (limits, vectors against the
collection's dimensions, MMR diversity) and builds the client's query through the backend's
query hooks."""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np

from recsys.errors import StoreError
from recsys.store.base import TEXT_FIELDS, Hit, NeighbourQuery, PointRecord, QueryFilter
from recsys.store.filters import as_vector, check_limit
from recsys.store.records import hit_of, record_of
from recsys.store.shared_filters import NativeFilters


class Queries(NativeFilters):
    """The checked vector and text queries, over the backend's query hooks."""

    def text_search(
        self, name: str, field: str, text: str, limit: int, flt: QueryFilter | None = None
    ) -> list[PointRecord] | None:
        check_limit(limit)
        if field not in TEXT_FIELDS:
            raise StoreError(f"no full-text index on {field!r}; these have one: {', '.join(TEXT_FIELDS)}")
        self._open(name)
        if not text.strip():
            return []
        native = self._native_filter(self._conditions(name, flt))
        found = self._native_text_query(name, field, text, limit, native)
        return None if found is None else [record_of(r, False) for r in found]

    def _query(
        self,
        name: str,
        query: Any,
        using: str,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> list[Hit]:
        points = self._native_query(name, query, using, limit, flt, with_vectors)
        return [hit_of(p, with_vectors) for p in points]

    def _query_iter(
        self,
        name: str,
        query: Any,
        using: str,
        limit: int,
        flt: QueryFilter | None,
        with_vectors: bool,
    ) -> Iterator[Hit]:
        """The hits of a native query, in order (the query runs now, before the first hit is
        asked for). A backend whose payloads cost more than its search reads them lazily."""
        return iter(self._query(name, query, using, limit, flt, with_vectors))

    def neighbours(self, name: str, q: NeighbourQuery, limit: int) -> Iterator[Hit]:
        if q.kind == "mmr":
            query = self._mmr_native(name, q.positives[0], q.vector_name, limit, float(q.diversity or 0.0), limit * 3)
        elif q.kind == "search":
            query = self._search_native(name, q.positives[0], q.vector_name, limit)
        else:
            query = self._recommend_native(name, q.positives, q.negatives, q.vector_name, limit)
        return self._query_iter(name, query, q.vector_name, limit, q.flt, q.with_vectors)

    def search(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]:
        return self._query(name, self._search_native(name, vector, using, limit), using, limit, flt, with_vectors)

    def _search_native(self, name: str, vector: np.ndarray, using: str, limit: int) -> Any:
        check_limit(limit)
        vec = as_vector(vector, using, self._dims_of(name), f"search in {name!r}")
        return self._nearest_query(vec, using)

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
        query = self._recommend_native(name, positives, negatives, using, limit)
        return self._query(name, query, using, limit, flt, with_vectors)

    def _recommend_native(
        self, name: str, positives: Sequence[np.ndarray], negatives: Sequence[np.ndarray], using: str, limit: int
    ) -> Any:
        check_limit(limit)
        dims = self._dims_of(name)
        what = f"recommend in {name!r}"
        pos = [as_vector(v, using, dims, what) for v in positives]
        neg = [as_vector(v, using, dims, what) for v in negatives]
        if not pos:
            raise StoreError(f"{what}: give at least one positive example")
        return self._recommend_query(pos, neg, using)

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
        query = self._mmr_native(name, vector, using, limit, diversity, candidates_limit)
        return self._query(name, query, using, limit, flt, with_vectors)

    def _mmr_native(
        self, name: str, vector: np.ndarray, using: str, limit: int, diversity: float, candidates_limit: int
    ) -> Any:
        check_limit(limit)
        check_limit(candidates_limit, "candidates_limit")
        if not 0.0 <= diversity <= 1.0:
            raise StoreError(f"MMR diversity must be between 0 and 1, got {diversity}")
        vec = as_vector(vector, using, self._dims_of(name), f"MMR in {name!r}")
        return self._mmr_query(vec, using, float(diversity), max(candidates_limit, limit))
