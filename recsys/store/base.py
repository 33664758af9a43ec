"""The store contract: the few calls recsys makes, the same on every backend."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import numpy as np


@dataclass(frozen=True)
class PointRecord:
    """A track as stored: its id, the named vectors it has (a missing modality is absent,
    never a zero vector) and its payload."""

    track_id: str
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """One payload field (``payload.get``)."""
        return self.payload.get(key, default)


@dataclass(frozen=True)
class Hit:
    """One search result: similarity score (cosine; higher is closer) and the payload."""

    track_id: str
    score: float
    payload: dict[str, Any]
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """One payload field (``payload.get``). A hit from a payload cache reads it without
        building the whole payload: a dedup and artist cap read two fields of 30 hits to
        keep 10."""
        return self.payload.get(key, default)


@dataclass(frozen=True)
class PayloadCacheStats:
    """What a server's payload cache holds and how it has done since it was last emptied or
    made (``recsys.store.payload_cache``)."""

    points: int
    max_points: int
    hits: int
    misses: int


#: the payload field of a track's kind and its one value (music has no field: ``TrackRecord.payload``)
KIND_FIELD = "kind"
SPOKEN = "spoken"
#: the kinds a filter keeps to ("any" or "": no filter)
KINDS = ("music", SPOKEN)
#: the payload field of a track's parental advisory and its two values (absent where nothing
#: says: ``TrackRecord.payload``, ``recsys.catalog.advisory``). A keyword, not a boolean: Qdrant
#: Edge's binding reads ``MatchValue(True)`` as the integer 1, which matches no stored boolean,
#: and qdrant-client's local mode takes 1 and True for one value; keywords match alike everywhere
ADVISORY_FIELD = "advisory"
EXPLICIT = "explicit"
CLEAN = "clean"


@dataclass(frozen=True)
class QueryFilter:
    """Payload filters shared by every query. Empty fields do not filter."""

    genres: tuple[str, ...] = ()  # any of these genres
    artists: tuple[str, ...] = ()  # any of these artists
    exclude_artists: tuple[str, ...] = ()
    #: any of these composers (the payload's ``composer``, case and accents aside where the
    #: collection has ``composer_norm``)
    composers: tuple[str, ...] = ()
    #: tracks on which any of these musicians plays (the payload's ``performers_key``, by
    #: ``labels.label_key``; the query layer reads a surname as the one musician it names)
    performers: tuple[str, ...] = ()
    exclude_track_ids: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    #: tempo within [bpm_min, bpm_max] (the payload's ``bpm``: a DJ's tags); a track without one
    #: does not match
    bpm_min: float | None = None
    bpm_max: float | None = None
    #: any of these musical keys, in Camelot notation ("8A"; the payload's ``key``): the caller
    #: normalises other notations (``recsys.catalog.tempokey``), the store cannot import it
    keys: tuple[str, ...] = ()
    #: generic exact matches: (payload field, values), the field equal to any of the values
    match: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: payload fields the point must lack (missing, null or [])
    missing: tuple[str, ...] = ()
    #: the tracks' kind: "spoken" (the payload's ``kind`` is "spoken": podcasts, audiobooks,
    #: voice memos), "music" (it is not: every track of a collection ingested before the field),
    #: or "" / "any" (both). The query layer picks it from the seeds (``recsys.query.kinds``)
    kind: str = ""
    #: a parent's radio (``--clean``): leave out the tracks marked explicit (the payload's
    #: ``advisory`` "explicit"); a track with no advisory stays. The query layer also plays a song's
    #: clean copy rather than another (``recsys.query.clean``)
    clean: bool = False

    def is_empty(self) -> bool:
        return not (
            self.match
            or self.missing
            or self.genres
            or self.artists
            or self.composers
            or self.performers
            or self.exclude_artists
            or self.exclude_track_ids
            or self.year_min is not None
            or self.year_max is not None
            or self.bpm_min is not None
            or self.bpm_max is not None
            or self.keys
            or self.kind in KINDS
            or self.clean
        )


@dataclass(frozen=True)
class VectorIndex:
    """How one named vector is indexed, chosen when the collection is created.

    ``hnsw``: the vector gets an HNSW graph (Edge builds it when ``optimize`` runs, a server
    in the background); without one, search scans every point exactly, which is what a vector
    that is never searched at scale should cost: no build time, no graph in memory.
    ``int8``: scalar int8 quantization for the search (mapped from its file, in the page cache
    once read), the float32 originals on disk, and results rescored with the originals (4x
    less memory for a wide vector).
    ``half``: stored as float16, half the disk, page cache and copying of float32; a stored
    value is within 2.5e-4 of the unit vector's (cosine scores within about 1e-3).
    """

    hnsw: bool = True
    int8: bool = False
    half: bool = False

    def as_dict(self) -> dict[str, bool]:
        d = {"hnsw": self.hnsw, "int8": self.int8}
        if self.half:  # written only when set: specs written before it read back equal
            d["half"] = True
        return d

    @classmethod
    def from_dict(cls, d: Any) -> "VectorIndex":
        if not isinstance(d, dict):
            return cls()
        return cls(hnsw=bool(d.get("hnsw", True)), int8=bool(d.get("int8", False)), half=bool(d.get("half", False)))


@dataclass(frozen=True)
class CollectionSpec:
    """A collection's named vectors (name -> dim, all cosine) and its recsys metadata
    (encoders, profile, fusion), which the backend stores with the collection.
    ``indexes``: how each named vector is indexed (a vector not named: ``VectorIndex()``).
    ``payload_indexes_at_optimize``: a collection about to be bulk-filled gets the payload
    indexes no graph needs (the title's, ``edge_config.INDEXES_AFTER_FILL``) from its first
    ``optimize``, not at creation (Edge; a server indexes in the background anyway). Not
    stored: it says how to create, not what exists."""

    name: str
    vectors: dict[str, int]
    metadata: dict[str, Any] = field(default_factory=dict)
    shard_number: int | None = None
    replication_factor: int | None = None
    indexes: dict[str, VectorIndex] = field(default_factory=dict)
    payload_indexes_at_optimize: bool = False

    def index_of(self, vector_name: str) -> VectorIndex:
        return self.indexes.get(vector_name, VectorIndex())


#: The payload field of the artists a track credits, primary first, on the tracks that credit
#: several (a music folder's "Drake feat. Rihanna": Drake, Rihanna; ``TrackRecord.payload``).
#: The artist facet counts each of them instead of the tagged string.
CREDITS_FIELD = "artists"
#: Payload fields that get a keyword index (the ``*_norm`` ones: case- and accent-insensitive
#: filters, see ``recsys.store.filters.NORMALISED_FIELDS``; ``artist`` and ``genres``: facets
#: and filters of collections made before the normalised fields; ``title_norm``: exact title
#: seeds, see ``recsys.query.library``; ``artists``: the artist facet reads the credited names
#: and tells the tracks crediting several from the others through it, without reading their
#: payloads). No query filters on ``album`` or ``track_id`` (seeds are excluded by point id),
#: and building their indexes was a tenth of an ingest's index stage (100k tracks: 12.0 s
#: without them against 13.2-14.1 s); collections made with them keep them.
#: ``composer`` and ``composer_norm``: a classical collection's facet and --composer (only the
#: tracks naming a composer carry them, so their indexes cost next to nothing elsewhere).
#: ``artist_key`` and ``genres_key``: the filters of collections that have them
#: (``recsys.store.filters.KEYED_FIELDS``). ``kind``: every seeded query of a collection with
#: spoken word filters on it (``QueryFilter.kind``); only spoken word carries it. ``advisory``:
#: ``--clean`` filters on it (``QueryFilter.clean``); only the tracks whose tags or titles say carry it.
#: ``performers`` and ``performers_key``: the musicians' facet and --performer (only the tracks
#: whose tags name musicians carry them).
INDEXED_FIELDS: tuple[str, ...] = (
    "artist", "genres", "artist_norm", "genres_norm", "title_norm", CREDITS_FIELD, "composer", "composer_norm",
    "artist_key", "genres_key", KIND_FIELD, ADVISORY_FIELD,
    "performers", "performers_key",
)
#: Payload fields with a full-text index ranked by BM25 (lowercased, accents folded): the
#: candidates of a fuzzy title seed, found without reading every title
TEXT_FIELDS: tuple[str, ...] = ("title",)


@dataclass(frozen=True, eq=False)
class NeighbourQuery:
    """One neighbour query, in the named vector ``vector_name``: a nearest search for one
    positive vector, the store's recommend for several or with negatives, MMR around the
    first positive when ``diversity`` is set (its candidates: three times the limit, which
    keeps them in the seed's neighbourhood; Qdrant's MMR only diversifies a pool larger than
    the limit)."""

    vector_name: str
    positives: tuple[np.ndarray, ...]
    negatives: tuple[np.ndarray, ...] = ()
    flt: QueryFilter = field(default_factory=QueryFilter)
    with_vectors: bool = False
    diversity: float | None = None

    @property
    def kind(self) -> str:
        """Which store call answers it: "mmr", "search" or "recommend"."""
        if self.diversity is not None:
            return "mmr"
        return "search" if len(self.positives) == 1 and not self.negatives else "recommend"


class StoreBackend(ABC):
    """One Qdrant deployment. Collections hold tracks keyed by track_id (point id = UUIDv5)."""

    location: str
    #: Whether its calls are answered in this process, in about a millisecond, holding the
    #: GIL (the embedded store): a server then answers them on its event loop, not through
    #: worker threads that could not run two at once anyway.
    answers_in_process: bool = False

    def cache_payloads(self, max_points: int) -> bool:
        """Keep up to ``max_points`` payloads of the hits it reads, for a long-lived process
        (0: none); whether this backend does (the embedded store, where reading a payload
        costs as much as a search; a server's answers carry theirs already)."""
        return False

    def fill_payload_cache(self, name: str) -> Iterator[int]:
        """Read collection ``name``'s payloads into the cache ``cache_payloads`` made, a page
        at a time: each ``next`` reads one page and gives the number kept. It ends when every
        point was read, the cache is full, or a write has emptied the cache since it began.
        The caller paces it (a server reads a page between requests). Nothing to read where
        the backend keeps no payloads."""
        return iter(())

    def payload_cache_stats(self, name: str) -> PayloadCacheStats | None:
        """What is kept of collection ``name``'s payloads; None when this backend keeps none
        for it."""
        return None

    @abstractmethod
    def list_collections(self) -> list[str]: ...

    @abstractmethod
    def collection_exists(self, name: str) -> bool: ...

    @abstractmethod
    def create_collection(self, spec: CollectionSpec) -> None: ...

    @abstractmethod
    def delete_collection(self, name: str) -> None: ...

    @abstractmethod
    def get_spec(self, name: str) -> CollectionSpec:
        """Named vectors and metadata of an existing collection (NotFoundError if absent)."""

    @abstractmethod
    def set_metadata(self, name: str, metadata: dict[str, Any]) -> None:
        """Replace the recsys metadata of a collection."""

    @abstractmethod
    def upsert(self, name: str, points: Sequence[PointRecord]) -> None: ...

    @abstractmethod
    def delete_points(self, name: str, track_ids: Sequence[str]) -> None:
        """Remove these tracks' points (vectors and payload); ids not in the collection are
        ignored, so a repeated delete is a no-op."""

    @abstractmethod
    def update_vectors(self, name: str, track_id: str, vectors: dict[str, np.ndarray]) -> None:
        """Set (add or replace) some named vectors of an existing point, keeping the others."""

    @abstractmethod
    def set_vectors(self, name: str, points: Sequence[PointRecord]) -> None:
        """Batch form of update_vectors: for each existing point, set the named vectors given
        in ``points[i].vectors`` (payloads are ignored), keeping its other vectors."""

    @abstractmethod
    def add_vector(self, name: str, vector_name: str, dim: int) -> None:
        """Add a named vector (cosine) to an existing collection; points lack it until set."""

    @abstractmethod
    def drop_vector(self, name: str, vector_name: str) -> None:
        """Remove a named vector, and its values on every point, from a collection."""

    @abstractmethod
    def retrieve(
        self, name: str, track_ids: Sequence[str], with_vectors: bool | Sequence[str] = True
    ) -> list[PointRecord]:
        """Points in no particular order; unknown ids are left out. ``with_vectors``: every
        named vector (True), none (False), or only those named (a point lacking one of them
        comes without it)."""

    @abstractmethod
    def scroll(
        self,
        name: str,
        with_vectors: bool = False,
        batch_size: int = 256,
        using: str | None = None,
        flt: QueryFilter | None = None,
    ) -> Iterator[PointRecord]:
        """Every point of the collection, streamed in batches; with ``using``, only the points
        that have that named vector, each with that vector alone; with ``flt``, only the
        points it matches."""

    def payloads(
        self, name: str, keys: Sequence[str], batch_size: int = 1024, flt: QueryFilter | None = None
    ) -> Iterator[PointRecord]:
        """Every point (that ``flt`` matches), no vectors, with only those of the payload fields
        ``keys`` it has: what a pass over a whole collection that needs a few fields reads (the
        ingest's sync, the title index). A backend that can select fields reads no others:
        each field read of 50,000 points is Python objects made and dropped."""
        for p in self.scroll(name, with_vectors=False, batch_size=batch_size, flt=flt):
            yield PointRecord(p.track_id, {}, {k: p.payload[k] for k in keys if k in p.payload})

    @abstractmethod
    def count(self, name: str, using: str | None = None, flt: QueryFilter | None = None) -> int:
        """Number of points; with ``using``, the number of points that have that vector; with
        ``flt``, only the points it matches."""

    @abstractmethod
    def facet(
        self, name: str, key: str, limit: int | None = None, flt: QueryFilter | None = None
    ) -> list[tuple[Any, int]]:
        """The values of payload field ``key`` with the exact number of points holding each
        (a list field counts each of its values), most common first, then by value; at most
        ``limit`` of them (all with None). ``artist`` and ``genres`` are grouped case- and
        accent-insensitively and shown in their most common spelling. ``artist`` counts the
        credited artists (CREDITS_FIELD) of a track crediting several, and not its tagged
        string: a row's count is the number of points an ``artists`` filter of it matches.
        With ``flt``, only the points it matches are counted (a clean server's facets:
        ``QueryFilter(clean=True)``), and a value none of them holds is no row; a row's count
        is then what ``flt`` and an ``artists`` filter of it match together."""

    @abstractmethod
    def search(
        self,
        name: str,
        vector: np.ndarray,
        using: str,
        limit: int,
        flt: QueryFilter | None = None,
        with_vectors: bool = False,
    ) -> list[Hit]: ...

    @abstractmethod
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
        """Qdrant's recommend API, best-score strategy, with example vectors (not ids)."""

    @abstractmethod
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
        """Nearest neighbours re-ranked by Maximal Marginal Relevance (Qdrant's MMR)."""

    def neighbours(self, name: str, q: NeighbourQuery, limit: int) -> Iterator[Hit]:
        """The first ``limit`` neighbours of ``q``, best first, as the store call of
        ``q.kind`` finds them. An iterator: a backend may read each hit's payload only when
        the caller comes to it, so a caller that stops early reads fewer (the embedded store
        reads a payload for about as long as it takes to find all the neighbours)."""
        if q.kind == "mmr":
            return iter(self.mmr(name, q.positives[0], q.vector_name, limit, float(q.diversity or 0.0),
                                 candidates_limit=limit * 3, flt=q.flt, with_vectors=q.with_vectors))
        if q.kind == "search":
            return iter(self.search(name, q.positives[0], q.vector_name, limit, q.flt, with_vectors=q.with_vectors))
        return iter(self.recommend(name, list(q.positives), list(q.negatives), q.vector_name, limit, q.flt,
                                   with_vectors=q.with_vectors))

    @abstractmethod
    def text_search(
        self, name: str, field: str, text: str, limit: int, flt: QueryFilter | None = None
    ) -> list[PointRecord] | None:
        """The points (that ``flt`` matches) whose full-text field ``field`` (one of
        TEXT_FIELDS) best matches ``text`` by BM25 (any word counts), best first, without
        vectors; None when this
        backend or collection has no such index (a collection made before it, a local-mode
        client), and the caller reads every point instead."""

    @abstractmethod
    def ensure_indexes(self, name: str) -> list[str]:
        """Create the payload indexes a collection made by an older recsys lacks
        (INDEXED_FIELDS, TEXT_FIELDS, year, bpm, key); the fields indexed now."""

    @abstractmethod
    def optimize(self, name: str) -> bool:
        """Build the collection's indexes (HNSW graphs, quantized copies) now, blocking; True
        if anything changed. Edge has no background optimizer: until this runs, every search
        is an exact scan. A server indexes in the background and returns False."""

    @abstractmethod
    def close(self) -> None: ...

    #: whether facets and per-vector counts are kept until the next write (Edge:
    #: ``recsys.store.edge_derived``), so that an ingest's making them spares the next command
    keeps_counts = False

    def layout_outdated(self, name: str) -> bool:
        """Whether the collection's stored layout is an older recsys's that an ``optimize``
        would bring up to date (Edge: quantized copies kept in RAM, which every open read back
        from disk); an ingest then optimizes even when it writes nothing."""
        return False

    def park(self) -> None:
        """Release the store as the process ends (its last use of the store): the embedded
        store keeps its shards open until the exit (recsys.store.edge_park); others close."""
        self.close()
