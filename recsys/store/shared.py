"""The half of every backend that does not depend on its client: BaseBackend.

BaseBackend implements the StoreBackend calls as template methods: it checks every argument
(names, limits, vectors against the collection's dimensions, MMR diversity, add/drop of a
named vector), gives point ids, turns results into PointRecord/Hit, streams scrolls in
batches and builds payload filters from the neutral conditions of ``filters``. A backend
only translates the checked calls into its client's calls, through the hooks marked
"backend hook" below, so a check made here is made the same way on every backend.
"""

from __future__ import annotations

import json
import threading
from abc import abstractmethod
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

import numpy as np

from recsys.errors import NotFoundError, RecsysError, StoreError
from recsys.store.base import (
    CREDITS_FIELD,
    TEXT_FIELDS,
    CollectionSpec,
    Hit,
    NeighbourQuery,
    PointRecord,
    QueryFilter,
    StoreBackend,
    VectorIndex,
)
from recsys.labels import SAME_ARTIST, label_key
from recsys.store.filters import (
    KEYED_FIELDS,
    KEYS,
    NORMALISED_FIELDS,
    Conditions,
    HasVectorCond,
    HasIdCond,
    IsEmptyCond,
    MatchAnyCond,
    RangeCond,
    as_vector,
    check_collection_name,
    check_limit,
    check_spec,
    normalise_label,
    point_payload,
    point_vectors,
    to_conditions,
    to_numpy_vectors,
)
from recsys.store.ids import point_id

B = TypeVar("B", bound="BaseBackend")

#: Points per update operation: bounds the memory of one request (or WAL record) on big ingests.
UPSERT_BATCH = 256

#: A backend's scroll, one page at a time: offset (None for the first) -> (records, next offset).
Pager = Callable[[Any], tuple[Sequence[Any], Any]]


def first_line(text: str) -> str:
    """The first line of ``text``, stripped ("" for blank text)."""
    text = text.strip()
    return text.splitlines()[0] if text else ""


def error_line(exc: BaseException) -> str:
    """An exception as one line: its first line of text, or its type's name."""
    return first_line(str(exc)) or type(exc).__name__


def json_text(name: str, data: Any, **dumps: Any) -> str:
    """``json.dumps(data, **dumps)``; a StoreError naming collection ``name`` if it cannot be."""
    try:
        return json.dumps(data, **dumps)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"metadata of collection {name!r} is not JSON-serialisable: {error_line(exc)}"
        ) from exc


def track_id_of(payload: dict, point: Any) -> str:
    """A stored point's track id: its payload's, else its point id. The point id is read only
    when needed: a client makes a UUID object of it on every access."""
    tid = payload.get("track_id")
    return str(point.id if tid is None else tid)


class BaseBackend(StoreBackend):
    """StoreBackend's checks and conversions, over a few client-specific hooks."""

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

    # --- shared helpers -----------------------------------------------------------------

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

    def optimize(self, name: str) -> bool:
        """Build the collection's indexes now; True if anything changed. A server indexes in
        the background, so this base does nothing; Edge has no background optimizer."""
        self._open(name)
        return False

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
        return None if found is None else [self._record(r, False) for r in found]

    def _native_text_query(
        self, name: str, field: str, text: str, limit: int, flt: Any
    ) -> Sequence[Any] | None:
        """Backend hook: BM25 over ``field``'s text index (``flt``: a native filter or None),
        or None where there is no such index."""
        return None

    def ensure_indexes(self, name: str) -> list[str]:
        self._open(name)
        return []

    def _not_found(self, name: str) -> NotFoundError:
        try:
            existing = ", ".join(self.list_collections()) or "none"
        except RecsysError:
            existing = "unknown"
        return NotFoundError(f"collection {name!r} not found {self._where} (existing: {existing})")

    def _native_filter(self, conds: Conditions) -> Any:
        def one(c: Any) -> Any:
            if isinstance(c, MatchAnyCond):
                return self._match_any(c.key, list(c.values))
            if isinstance(c, RangeCond):
                return self._range(c.key, c.gte, c.lte)
            if isinstance(c, HasVectorCond):
                return self._has_vector(c.name)
            if isinstance(c, IsEmptyCond):
                return self._is_empty(c.key)
            if isinstance(c, HasIdCond):
                return self._has_id(c.point_ids)
            raise TypeError(f"unknown condition {c!r}")

        if conds.is_empty():
            return None
        return self._filter(
            [one(c) for c in conds.must] or None,
            [one(c) for c in conds.must_not] or None,
        )

    def _normalised(self, name: str, key: str = "artist") -> bool:
        """Whether every point of ``name`` carries the normalised field of ``key`` (collections
        made before it do not: their filters match the exact field). Artists and genres: one
        exact count of the points lacking ``artist_norm``; a composer: of the points naming one
        without ``composer_norm``. Remembered until the next upsert."""
        with self._lock:
            known = self._norm.setdefault(name, {})
            key = "composer" if key == "composer" else "artist"
            if key not in known:
                if key == "composer":
                    flt = self._filter([self._is_empty(NORMALISED_FIELDS[key])], [self._is_empty(key)])
                else:
                    flt = self._filter([self._is_empty(NORMALISED_FIELDS[key])], None)
                known[key] = int(self._native_count(name, flt)) == 0
            return known[key]

    def _keyed(self, name: str) -> bool:
        """Whether every point of ``name`` carries the KEYED_FIELDS (collections ingested before
        them do not, until their next ingest: their filters match the normalised fields). One
        exact count of the points lacking ``artist_key``, remembered until the next upsert."""
        with self._lock:
            known = self._norm.setdefault(name, {})
            if "keyed" not in known:
                flt = self._filter([self._is_empty(KEYED_FIELDS["artist"])], None)
                known["keyed"] = int(self._native_count(name, flt)) == 0
            return known["keyed"]

    def _conditions(
        self, name: str, flt: QueryFilter | None, has_vector: str | None = None
    ) -> Conditions:
        """``flt`` as conditions on collection ``name``: on the normalised fields it has."""
        if flt is None or not (flt.genres or flt.artists or flt.exclude_artists or flt.composers):
            return to_conditions(flt, has_vector=has_vector)
        fields = [k for k in NORMALISED_FIELDS if k != "composer"] if self._normalised(name) else []
        if flt.composers and self._normalised(name, "composer"):
            fields.append("composer")
        keyed = bool(flt.genres or flt.artists or flt.exclude_artists) and self._keyed(name)
        return to_conditions(flt, has_vector=has_vector, normalised=fields, keyed=keyed)

    def _facet_counts(self, name: str, key: str, flt: Any = None) -> dict[Any, int]:
        """Every value of ``key`` with its exact count, on the points the native filter
        ``flt`` matches (all with None): the client's facet, else a scroll of their payloads
        (no vectors)."""
        counts = self._native_facet(name, key, flt)
        if counts is not None:
            # a value whose last point was deleted or retagged stays in Edge's index with a
            # count of 0 (an artist renamed in the tags was listed under its old name too)
            return {value: n for value, n in counts.items() if n > 0}
        counts = {}
        page = self._native_pager(name, 1024, False, flt)
        offset: Any = None
        while True:
            recs, offset = page(offset)
            for rec in recs:
                value = (rec.payload or {}).get(key)
                values = value if isinstance(value, list) else [value]
                for v in dict.fromkeys(v for v in values if v is not None and not isinstance(v, (dict, list))):
                    counts[v] = counts.get(v, 0) + 1
            if offset is None:
                return counts

    def _credits(self, name: str) -> tuple[dict[Any, int], Any, Any]:
        """The names credited by the tracks that credit several artists, each with its number
        of tracks, and two native filters: those tracks, the others. Read through the index on
        CREDITS_FIELD; a collection made before it (the next ingest makes it) tells those
        tracks by their artist_norm, which holds two values or more on them alone
        (``TrackRecord.payload``), and reads the credits from their payloads only."""
        credited = self._native_facet(name, CREDITS_FIELD)
        if credited is not None:
            empty = self._is_empty(CREDITS_FIELD)
            # a name no track credits now (its tracks retagged: "AKLO" of a title read anew)
            # stays in Edge's index with a count of 0, as ``_facet_counts`` says: no row of its own
            credited = {value: n for value, n in credited.items() if n > 0}
            return credited, self._filter(None, [empty]), self._filter([empty], None)
        several = self._values_at_least(NORMALISED_FIELDS["artist"], 2)
        crediting = self._filter([several], None)
        return self._facet_counts(name, CREDITS_FIELD, crediting), crediting, self._filter(None, [several])

    def _same_artists(self, name: str) -> bool:
        """Whether MusicBrainz artist ids made spellings one artist on some point of ``name``
        (its ``artist_key`` holds ``labels.SAME_ARTIST``): one count on the key's index,
        remembered until the next upsert."""
        with self._lock:
            known = self._norm.setdefault(name, {})
            if "same" not in known:
                flt = self._filter([self._match_any(KEYED_FIELDS["artist"], [SAME_ARTIST])], None)
                known["same"] = int(self._native_count(name, flt)) > 0
            return known["same"]

    def _artist_facet(self, name: str) -> dict[Any, int]:
        """The artist facet: the credited artists of a track crediting several, the artist of
        any other, each row counting what an artist filter of it matches."""
        credited, crediting, others = self._credits(name)
        if self._keyed(name) and self._same_artists(name):
            # "植松伸夫" and "Nobuo Uematsu" one artist by its id: a point is counted by its
            # keys, not by the spelling it is tagged with (``catalog.artistids``)
            one = self._facet_counts(name, "artist", others if credited else None)
            return same_artist_rows(one, credited, self._facet_counts(name, KEYED_FIELDS["artist"]))
        if not credited:
            # no track credits several artists (a manifest's, Fairouz's, a collection read
            # before credits were): the facet of the tagged artist, as it always was
            return self._grouped(name, "artist", self._facet_counts(name, "artist"))
        one = self._facet_counts(name, "artist", others)
        # a crediting track's artist_norm (artist_key) holds each credited name and the tagged
        # string, and an artist filter matches any of them: counting it keeps each row's count
        # the filter's
        field = (KEYED_FIELDS if self._keyed(name) else NORMALISED_FIELDS)["artist"]
        among = self._facet_counts(name, field, crediting)
        return credited_rows(one, credited, among)

    def _grouped(self, name: str, key: str, raw: dict[Any, int]) -> dict[Any, int]:
        """``raw`` (a NORMALISED_FIELDS facet) as one entry per normalised value, shown in its
        most common spelling."""
        # composers as --composer matches them (composer_norm), the others by their key (a
        # genre's reads its abbreviations: "Prog Rock" is a row of "Progressive Rock"'s)
        keyed_as = normalise_label if key == "composer" else KEYS.get(key, label_key)
        spelling, summed = by_spelling(raw, keyed_as)
        counts = summed
        if len(summed) < len(raw) and key == "genres" and self._keyed(name):
            # a point holding two spellings of one genre counts once: count the key field.
            # Not for the artist or the composer, one string a point: the sums are exact. Its
            # values keyed again: keys older rules wrote ("progrock") are counted as their
            # genre's until the next ingest rewrites them (a key is its own key otherwise)
            _, counts = by_spelling(self._facet_counts(name, KEYED_FIELDS[key]), keyed_as)
        elif len(summed) < len(raw) and key == "genres" and self._normalised(name):
            # an older collection: its norm field, keyed (a point holding "Jazz" and "jazz"
            # counts once, one holding "Post-Rock" and "Post Rock" twice until its next ingest)
            _, counts = by_spelling(self._facet_counts(name, NORMALISED_FIELDS[key]), keyed_as)
        return {spelling[k]: n for k, n in counts.items() if k in spelling}

    @staticmethod
    def _record(rec: Any, with_vectors: bool) -> PointRecord:
        payload = dict(rec.payload or {})
        return PointRecord(
            track_id=track_id_of(payload, rec),
            vectors=to_numpy_vectors(rec.vector) if with_vectors else {},
            payload=payload,
        )

    @staticmethod
    def _hit(p: Any, with_vectors: bool) -> Hit:
        payload = dict(p.payload or {})
        return Hit(
            track_id=track_id_of(payload, p),
            score=float(p.score),
            payload=payload,
            vectors=to_numpy_vectors(p.vector) if with_vectors else {},
        )

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
        return [self._record(r, bool(fetch)) for r in recs]

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
                    yield self._record(r, bool(fetch))
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

    def facet(self, name: str, key: str, limit: int | None = None) -> list[tuple[Any, int]]:
        if limit is not None:
            check_limit(limit)
        if not isinstance(key, str) or not key:
            raise StoreError(f"facet in {name!r}: give a payload field name, got {key!r}")
        self._open(name)
        items = self._facet_rows(name, key)
        return items if limit is None else items[:limit]

    def _facet_rows(self, name: str, key: str) -> list[tuple[Any, int]]:
        """Every row of ``facet(name, key)``, most common first."""
        if key == "artist":
            raw = self._artist_facet(name)
        elif key in NORMALISED_FIELDS:
            raw = self._grouped(name, key, self._facet_counts(name, key))
        else:
            raw = self._facet_counts(name, key)
        return sorted(raw.items(), key=lambda kv: (-kv[1], str(kv[0])))

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
        points = self._native_query(name, query, using, limit, flt, with_vectors)
        return [self._hit(p, with_vectors) for p in points]

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


def by_spelling(
    raw: Mapping[Any, int], key: Callable[[object], str] = label_key
) -> tuple[dict[str, Any], dict[str, int]]:
    """Spellings counted (value -> points) as the keys they spell (``key``): the most common
    spelling of each (ties: the least string, "Jazz" before "jazz"), and the sum of their
    counts."""
    spelling: dict[str, tuple[int, Any]] = {}
    summed: dict[str, int] = {}
    for value, n in raw.items():
        norm = key(value)
        summed[norm] = summed.get(norm, 0) + n
        best = spelling.get(norm)
        if best is None or n > best[0] or (n == best[0] and str(value) < str(best[1])):
            spelling[norm] = (n, value)
    return {k: v for k, (_, v) in spelling.items()}, summed


def same_artist_rows(one: Mapping[Any, int], credited: Mapping[Any, int], keys: Mapping[Any, int]) -> dict[Any, int]:
    """The artist facet's rows where MusicBrainz artist ids made spellings one artist: each row
    in its most common spelling (of ``one``, the tagged artist of the points crediting one, and
    ``credited``, the names credited by the others), counting the points whose ``artist_key``
    holds its key (``keys``: value -> points), as the artist filter matches them; a key a point
    carries marked as its artist's other spelling (``labels.SAME_ARTIST``) counts it under that
    artist's key alone. Exact: without such points it counts as ``credited_rows`` does."""
    tally = dict(one)
    for value, n in credited.items():
        tally[value] = tally.get(value, 0) + n
    spelling, _ = by_spelling(tally)
    marked = {k[len(SAME_ARTIST):]: n for k, n in keys.items() if isinstance(k, str) and k.startswith(SAME_ARTIST)}
    plain = {k: n - marked.get(k, 0) for k, n in keys.items() if not (isinstance(k, str) and k.startswith(SAME_ARTIST))}
    _, counts = by_spelling(plain)  # keys older rules wrote counted as their artist's
    return {shown: counts[k] for k, shown in spelling.items() if counts.get(k, 0) > 0}


def credited_rows(one: Mapping[Any, int], credited: Mapping[Any, int], among: Mapping[Any, int]) -> dict[Any, int]:
    """The artist facet's rows, each in its most common spelling: ``one`` counts the artist of
    each track crediting one (spelling -> tracks), ``credited`` the names credited by the
    others (spelling -> tracks), ``among`` the values of those others' artist_norm (-> tracks).
    Exact: one artist a track in ``one``, each value once a track in ``among``; a tagged
    string of ``among`` ("drake feat. rihanna") is counted only where it is a row."""
    tally = dict(one)
    for value, n in credited.items():
        tally[value] = tally.get(value, 0) + n
    spelling, _ = by_spelling(tally)
    _, counts = by_spelling(one)
    for value, n in among.items():
        norm = label_key(value)  # an older collection's artist_norm keys as its artist does
        counts[norm] = counts.get(norm, 0) + n
    return {shown: counts.get(norm, 0) for norm, shown in spelling.items()}

