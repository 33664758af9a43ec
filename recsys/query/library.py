"""A collection opened for queries: seed lookup, neighbour fetching, the one dedup and artist cap."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Sequence

import numpy as np

from recsys.collection import CollectionMeta, physical_vector
from recsys.errors import NotFoundError, RecsysError
from recsys.modalities import MODALITIES
from recsys.store.base import Hit, PointRecord, QueryFilter, StoreBackend
from recsys.query.titles import TitleEntry, TitleIndex, version_key


@dataclass(frozen=True)
class Result:
    """One recommended track, with the cosine similarity to the seeds per modality when
    explained (None where the track or the seed lacks that modality)."""

    track_id: str
    title: str
    artist: str
    album: str
    genres: tuple[str, ...]
    year: int | None
    score: float
    explanation: dict[str, float | None] | None = None
    seed: str | None = None  # for playlists: the seed this track came from

    def as_dict(self) -> dict:
        d = {
            "track_id": self.track_id,
            "title": self.title,
            "artist": self.artist,
            "album": self.album,
            "genres": list(self.genres),
            "year": self.year,
            "score": round(self.score, 6),
        }
        if self.explanation is not None:
            d["explanation"] = {m: (None if v is None else round(v, 6)) for m, v in self.explanation.items()}
        if self.seed is not None:
            d["seed"] = self.seed
        return d


def track_key(p: PointRecord | Hit) -> tuple[str, str]:
    """The version key (base title, artist) of a stored track or a hit."""
    return version_key(str(p.payload.get("title", "")), str(p.payload.get("artist", "")))


def excluding(flt: QueryFilter, track_ids: Iterable[str]) -> QueryFilter:
    """``flt`` that also leaves out ``track_ids`` (the seeds) in the store itself."""
    return replace(flt, exclude_track_ids=tuple(sorted(set(flt.exclude_track_ids) | set(track_ids))))


class Picker:
    """The one dedup and artist-cap rule: a hit is taken unless it is an excluded track, a
    version of an excluded or already taken song, or past ``max_per_artist`` tracks of its
    artist (0: no cap). Taking a hit records it."""

    def __init__(
        self, max_per_artist: int = 0, exclude_keys: Iterable[tuple[str, str]] = (), exclude_ids: Iterable[str] = ()
    ):
        self.max_per_artist = max_per_artist
        self.keys: set[tuple[str, str]] = set(exclude_keys)
        self.ids: set[str] = set(exclude_ids)
        self.per_artist: dict[str, int] = {}

    def copy(self, max_per_artist: int | None = None) -> Picker:
        """An independent copy, with another cap if given."""
        other = Picker(self.max_per_artist if max_per_artist is None else max_per_artist, self.keys, self.ids)
        other.per_artist = dict(self.per_artist)
        return other

    def count(self, p: PointRecord | Hit) -> None:
        """Count ``p`` toward its artist's cap (a playlist's seeds) without taking it."""
        artist = track_key(p)[1]
        self.per_artist[artist] = self.per_artist.get(artist, 0) + 1

    def take(self, h: Hit) -> bool:
        if h.track_id in self.ids:
            return False
        key = track_key(h)
        if key in self.keys:
            return False
        if self.max_per_artist > 0 and self.per_artist.get(key[1], 0) >= self.max_per_artist:
            return False
        self.keys.add(key)
        self.ids.add(h.track_id)
        self.count(h)
        return True


@dataclass(frozen=True, eq=False)
class Neighbours:
    """One neighbour query for the store, in the named vector ``vector_name``: a nearest
    search for one positive vector, the store's recommend for several or with negatives,
    MMR around the first positive when ``diversity`` is set."""

    vector_name: str
    positives: tuple[np.ndarray, ...]
    negatives: tuple[np.ndarray, ...] = ()
    flt: QueryFilter = field(default_factory=QueryFilter)
    with_vectors: bool = False
    diversity: float | None = None


class Library:
    """A collection opened for queries: its metadata, its titles and its neighbours."""

    def __init__(self, backend: StoreBackend, collection: str):
        if not backend.collection_exists(collection):
            known = ", ".join(backend.list_collections()) or "none yet; run `recsys ingest`"
            raise NotFoundError(f"no collection '{collection}' (collections: {known})")
        self.backend = backend
        self.name = collection
        self.spec = backend.get_spec(collection)
        self.meta = CollectionMeta.from_dict(self.spec.metadata)
        self._titles: TitleIndex | None = None

    # -- finding seeds -------------------------------------------------------------------
    def titles(self) -> TitleIndex:
        if self._titles is None:
            self._titles = TitleIndex(
                TitleEntry(p.track_id, str(p.payload.get("title", "")), str(p.payload.get("artist", "")))
                for p in self.backend.scroll(self.name, with_vectors=False, batch_size=1024)
            )
        return self._titles

    def resolve(self, titles: Sequence[str], artist: str | None = None) -> list[PointRecord]:
        entries = [self.titles().resolve(t, artist) for t in titles]
        points = {p.track_id: p for p in self.backend.retrieve(self.name, [e.track_id for e in entries])}
        return [points[e.track_id] for e in entries]

    def vector(self, using: str) -> str:
        """The named vector that holds the logical vector ``using`` (checked to exist)."""
        return physical_vector(self.spec, using)

    def seed_vector(self, seed: PointRecord, using: str) -> np.ndarray:
        v = seed.vectors.get(self.vector(using))
        if v is None:
            raise RecsysError(
                f'"{seed.payload.get("title")}" has no {using} vector (that modality is missing '
                f"for this track); try --using fused"
            )
        return v

    # -- the result loop -----------------------------------------------------------------
    def fetch(self, q: Neighbours, limit: int) -> list[Hit]:
        """The store's first ``limit`` neighbours for ``q``."""
        if q.diversity is not None:
            # Qdrant's MMR only diversifies when its candidate pool is larger than the limit;
            # three times the limit keeps the pool in the seed's neighbourhood
            return self.backend.mmr(
                self.name, q.positives[0], q.vector_name, limit, q.diversity,
                candidates_limit=limit * 3, flt=q.flt, with_vectors=q.with_vectors,
            )
        if len(q.positives) == 1 and not q.negatives:
            # one vector, no negatives: recommend is a nearest search, which both backends
            # answer faster
            return self.backend.search(self.name, q.positives[0], q.vector_name, limit, q.flt, with_vectors=q.with_vectors)
        return self.backend.recommend(
            self.name, list(q.positives), list(q.negatives), q.vector_name, limit, q.flt, with_vectors=q.with_vectors
        )

    def collect(self, q: Neighbours, k: int, picker: Picker, max_fetch: int = 5000) -> list[Hit]:
        """The first ``k`` neighbours that ``picker`` takes, asking the store for more until
        enough are found. ``picker`` itself is left as it was."""
        limit = max(k * 4, k + 20)
        while True:
            hits = self.fetch(q, limit)
            attempt = picker.copy()
            out: list[Hit] = []
            for h in hits:
                if attempt.take(h):
                    out.append(h)
                    if len(out) == k:
                        return out
            if len(hits) < limit or limit >= max_fetch:
                return out
            limit = min(limit * 4, max_fetch)

    def to_results(
        self, hits: Sequence[Hit], seeds: Sequence[PointRecord] = (), explain: bool = False, seed_label: str | None = None
    ) -> list[Result]:
        out = []
        for h in hits:
            p = h.payload
            out.append(
                Result(
                    track_id=h.track_id,
                    title=str(p.get("title", "")),
                    artist=str(p.get("artist", "")),
                    album=str(p.get("album", "") or ""),
                    genres=tuple(p.get("genres") or ()),
                    year=p.get("year"),
                    score=float(h.score),
                    explanation=explain_hit(h.vectors, seeds) if explain else None,
                    seed=seed_label,
                )
            )
        return out


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.dot(a, b) / (na * nb))


def explain_hit(vectors: dict[str, np.ndarray], seeds: Sequence[PointRecord]) -> dict[str, float | None]:
    """Per modality, the best cosine similarity between this track and any seed: the bars
    of ``--explain`` (the paper's demo drew them as a radar plot)."""
    out: dict[str, float | None] = {}
    for m in MODALITIES:
        v = vectors.get(m)
        sims = [cosine(v, s.vectors[m]) for s in seeds if v is not None and m in s.vectors]
        out[m] = max(sims) if sims else None
    return out
