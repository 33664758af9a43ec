"""A collection opened for queries: its metadata, its titles and the one loop that turns raw
neighbours into results a listener wants (no seed, no other version of it, a cap per artist)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

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


class Library:
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
    def collect(
        self,
        fetch: Callable[[int], list[Hit]],
        k: int,
        exclude_keys: set[tuple[str, str]],
        max_per_artist: int,
        exclude_ids: set[str] = frozenset(),  # type: ignore[assignment]
        max_fetch: int = 5000,
    ) -> list[Hit]:
        """The first ``k`` hits that are not a seed, not a version of one, not a duplicate
        and within the per-artist cap, asking the store for more until enough are found."""
        limit = max(k * 4, k + 20)
        while True:
            hits = fetch(limit)
            out: list[Hit] = []
            per_artist: dict[str, int] = {}
            seen_keys: set[tuple[str, str]] = set()
            for h in hits:
                if h.track_id in exclude_ids:
                    continue
                key = version_key(str(h.payload.get("title", "")), str(h.payload.get("artist", "")))
                if key in exclude_keys or key in seen_keys:
                    continue
                if max_per_artist > 0 and per_artist.get(key[1], 0) >= max_per_artist:
                    continue
                seen_keys.add(key)
                per_artist[key[1]] = per_artist.get(key[1], 0) + 1
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
