"""The half of every backend that does not depend on its client: BaseBackend.

BaseBackend implements the StoreBackend calls as template methods: it checks every argument
(names, limits, vectors against the collection's dimensions, MMR diversity, add/drop of a
named vector), gives point ids, turns results into PointRecord/Hit (``records``), streams
scrolls in batches and builds payload filters from the neutral conditions of ``filters``. A
backend only translates the checked calls into its client's calls, through the hooks of
``shared_hooks.BackendHooks``, so a check made here is made the same way on every backend.

The base is split by concern: this module holds the collection and point calls, scroll and
count; ``shared_filters`` the native filters, ``shared_facets`` the facet (with the pure
row arithmetic of ``facet_rows``), ``shared_queries`` search, recommend, MMR, ``neighbours``
and ``text_search``. Its helpers keep their old names here (``__all__``) for the modules and
tests that import them from ``shared``.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

import numpy as np

from recsys.errors import NotFoundError, RecsysError, StoreError
from recsys.store.base import CollectionSpec, PointRecord, QueryFilter
from recsys.store.facet_rows import by_spelling, credited_rows, same_artist_rows
from recsys.store.filters import (
    as_vector,
    check_collection_name,
    check_limit,
    check_spec,
    point_payload,
    point_vectors,
)
from recsys.store.ids import point_id
from recsys.store.messages import error_line, first_line, json_text
from recsys.store.records import record_of, track_id_of
from recsys.store.shared_facets import Facets
from recsys.store.shared_hooks import Pager
from recsys.store.shared_queries import Queries

# the names modules and tests import from here, from before the base was split by concern
__all__ = [
    "UPSERT_BATCH",
    "BaseBackend",
    "Pager",
    "by_spelling",
    "credited_rows",
    "error_line",
    "first_line",
    "json_text",
    "same_artist_rows",
    "track_id_of",
]

#: Points per update operation: bounds the memory of one request (or WAL record) on big ingests.
UPSERT_BATCH = 256


class BaseBackend(Facets, Queries):
    """StoreBackend's checks and conversions, over a few client-specific hooks."""

    def optimize(self, name: str) -> bool:
        """Build the collection's indexes now; True if anything changed. A server indexes in
        the background, so this base does nothing; Edge has no background optimizer."""
        self._open(name)
        return False

    def ensure_indexes(self, name: str) -> list[str]:
        self._open(name)
        return []

    def _not_found(self, name: str) -> NotFoundError:
        try:
            existing = ", ".join(self.list_collections()) or "none"
        except RecsysError:
            existing = "unknown"
        return NotFoundError(f"collection {name!r} not found {self._where} (existing: {existing})")

    # --- collections --------------------------------------------------------------------

    def collection_exists(self, name: str) -> bool:
        try:
            check_collection_name(name)
        except StoreError:  # an invalid name cannot exist
            return False
        return self._exists(name)

    def create_collection(self, spec: CollectionSpec) -> None:
        check_spec(spec)
        with self._lock:
            if self.collection_exists(spec.name):
                raise StoreError(
                    f"collection {spec.name!r} already exists {self._where}; "
                    "delete it first or choose another name"
                )
            self._native_create(spec)
            self._dims[spec.name] = dict(spec.vectors)
            self._indexes[spec.name] = dict(spec.indexes)

    # --- points -------------------------------------------------------------------------

    def upsert(self, name: str, points: Sequence[PointRecord]) -> None:
        self._open(name)
        self._norm.pop(name, None)  # new points may lack (or bring) the normalised fields
        dims = self._dims_of(name)
        # validate everything first, so a bad point does not leave half a batch written
        native = [
            self._native_point(point_id(p.track_id), point_vectors(p, dims, name), point_payload(p))
            for p in points
        ]
        for i in range(0, len(native), UPSERT_BATCH):
            self._native_upsert(name, native[i : i + UPSERT_BATCH])

    def delete_points(self, name: str, track_ids: Sequence[str]) -> None:
        if isinstance(track_ids, str):  # a bare id would be deleted character by character
            raise StoreError(f"delete_points in {name!r}: give a list of track ids, not one string")
        self._open(name)
        ids = list(dict.fromkeys(point_id(str(t)) for t in track_ids))
        for i in range(0, len(ids), UPSERT_BATCH):
            self._native_delete(name, ids[i : i + UPSERT_BATCH])

    def update_vectors(self, name: str, track_id: str, vectors: dict[str, np.ndarray]) -> None:
        self._open(name)
        dims = self._dims_of(name)
        what = f"track {track_id!r} in collection {name!r}"
        vecs = {vname: as_vector(v, vname, dims, what) for vname, v in vectors.items()}
        pid = point_id(track_id)
        if not self._native_retrieve(name, [pid], False, False):
            raise NotFoundError(f"track {track_id!r} is not in collection {name!r}")
        if vecs:
            self._native_set_vectors(name, [self._native_point_vectors(pid, vecs)])

    def set_vectors(self, name: str, points: Sequence[PointRecord]) -> None:
        self._open(name)
        dims = self._dims_of(name)
        native = [
            self._native_point_vectors(point_id(p.track_id), point_vectors(p, dims, name))
            for p in points
            if p.vectors
        ]
        for i in range(0, len(native), UPSERT_BATCH):
            self._native_set_vectors(name, native[i : i + UPSERT_BATCH])

    def add_vector(self, name: str, vector_name: str, dim: int) -> None:
        with self._lock:
            if vector_name in self._current_dims(name):
                raise StoreError(f"collection {name!r} already has a vector {vector_name!r}")
            if dim <= 0:
                raise StoreError(f"vector {vector_name!r}: dimension must be positive, got {dim}")
            self._native_add_vector(name, vector_name, int(dim))
            self._dims.pop(name, None)

    def drop_vector(self, name: str, vector_name: str) -> None:
        with self._lock:
            if vector_name not in self._current_dims(name):
                raise StoreError(f"collection {name!r} has no vector {vector_name!r}")
            self._native_drop_vector(name, vector_name)
            self._dims.pop(name, None)

    def retrieve(
        self, name: str, track_ids: Sequence[str], with_vectors: bool | Sequence[str] = True
    ) -> list[PointRecord]:
        self._open(name)
        ids = list(dict.fromkeys(point_id(t) for t in track_ids))
        if not ids:
            return []
        fetch: bool | list[str] = with_vectors if isinstance(with_vectors, bool) else list(with_vectors)
        if isinstance(fetch, list):
            dims = self._dims_of(name)
            unknown = [v for v in fetch if v not in dims]
            if unknown:
                raise StoreError(
                    f"collection {name!r} has no vector {unknown[0]!r} (it has: {', '.join(sorted(dims))})"
                )
            fetch = fetch or False
        recs = self._native_retrieve(name, ids, True, fetch)
        return [record_of(r, bool(fetch)) for r in recs]

    def scroll(
        self,
        name: str,
        with_vectors: bool = False,
        batch_size: int = 256,
        using: str | None = None,
        flt: QueryFilter | None = None,
    ) -> Iterator[PointRecord]:
        return self._scroll(name, with_vectors, batch_size, using, flt, None)

    def payloads(
        self, name: str, keys: Sequence[str], batch_size: int = 1024, flt: QueryFilter | None = None
    ) -> Iterator[PointRecord]:
        wanted = list(dict.fromkeys(keys))
        if "track_id" in wanted:
            return self._scroll(name, False, batch_size, None, flt, wanted)
        # a point's id is read from its payload (``track_id_of``): read, then left out
        records = self._scroll(name, False, batch_size, None, flt, ["track_id", *wanted])
        return (PointRecord(p.track_id, {}, {k: v for k, v in p.payload.items() if k != "track_id"}) for p in records)

    def _scroll(
        self,
        name: str,
        with_vectors: bool,
        batch_size: int,
        using: str | None,
        flt: QueryFilter | None,
        keys: list[str] | None,
    ) -> Iterator[PointRecord]:
        check_limit(batch_size, "batch_size")
        # with ``using``: only the points that have that vector, and only that vector
        fetch: bool | list[str] = [using] if using else with_vectors
        native = None
        if using or (flt is not None and not flt.is_empty()):
            if flt is not None and not flt.is_empty():
                self._open(name)  # the normalised-field check counts points
            native = self._native_filter(self._conditions(name, flt, has_vector=using))
        page = self._native_pager(name, batch_size, fetch, native, keys)  # fail now, not on next()

        def gen() -> Iterator[PointRecord]:
            offset: Any = None
            while True:
                recs, offset = page(offset)
                for r in recs:
                    yield record_of(r, bool(fetch))
                if offset is None:
                    return

        return gen()

    def count(self, name: str, using: str | None = None, flt: QueryFilter | None = None) -> int:
        self._check_count(name, using)
        native = None
        if using is not None or (flt is not None and not flt.is_empty()):
            native = self._native_filter(self._conditions(name, flt, has_vector=using))
        return int(self._native_count(name, native))

    def _check_count(self, name: str, using: str | None) -> None:
        """``count``'s checks, before any client call: the collection, the vector's name."""
        self._open(name)
        if using is not None:
            dims = self._dims_of(name)
            if using not in dims:
                raise StoreError(
                    f"collection {name!r} has no vector {using!r} "
                    f"(it has: {', '.join(sorted(dims))})"
                )
