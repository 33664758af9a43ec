"""Recommendations from seed tracks, playlists from several seeds."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from recsys.query.library import Library, Result
from recsys.store.base import PointRecord, QueryFilter
from recsys.query.titles import version_key


@dataclass(frozen=True)
class RecommendRequest:
    seeds: tuple[str, ...]
    artist: str | None = None  # disambiguates the seeds' titles
    negatives: tuple[str, ...] = ()
    k: int = 10
    using: str = "fused"
    flt: QueryFilter = field(default_factory=QueryFilter)
    max_per_artist: int = 2
    explain: bool = False


@dataclass(frozen=True)
class RecommendResponse:
    seeds: list[PointRecord]
    negatives: list[PointRecord]
    results: list[Result]

    def as_dict(self) -> dict:
        return {
            "seeds": [_seed_dict(s) for s in self.seeds],
            "negatives": [_seed_dict(s) for s in self.negatives],
            "results": [r.as_dict() for r in self.results],
        }


def _seed_dict(p: PointRecord) -> dict:
    return {"track_id": p.track_id, "title": p.payload.get("title"), "artist": p.payload.get("artist")}


def recommend(lib: Library, req: RecommendRequest) -> RecommendResponse:
    """Tracks like the seeds (and unlike the negatives), through Qdrant's recommend API."""
    vname = lib.vector(req.using)
    seeds = lib.resolve(req.seeds, req.artist)
    negatives = lib.resolve(req.negatives) if req.negatives else []
    positives = [lib.seed_vector(s, req.using) for s in seeds]
    negative_vecs = [lib.seed_vector(n, req.using) for n in negatives]
    exclude_ids = {s.track_id for s in seeds} | {n.track_id for n in negatives}
    flt = replace(req.flt, exclude_track_ids=tuple(sorted(set(req.flt.exclude_track_ids) | exclude_ids)))
    exclude_keys = {_key(s) for s in seeds} | {_key(n) for n in negatives}

    def fetch(limit: int):
        if len(positives) == 1 and not negative_vecs:
            # one seed, no negatives: recommend is a nearest search, which both backends
            # answer faster
            return lib.backend.search(lib.name, positives[0], vname, limit, flt, with_vectors=req.explain)
        return lib.backend.recommend(
            lib.name, positives, negative_vecs, vname, limit, flt, with_vectors=req.explain
        )

    hits = lib.collect(fetch, req.k, exclude_keys, req.max_per_artist, exclude_ids)
    return RecommendResponse(seeds, negatives, lib.to_results(hits, seeds, req.explain))


@dataclass(frozen=True)
class PlaylistRequest:
    seeds: tuple[str, ...]
    artist: str | None = None
    per_seed: int = 3
    using: str = "fused"
    flt: QueryFilter = field(default_factory=QueryFilter)
    max_per_artist: int = 2
    diversity: float = 0.3
    include_seeds: bool = True
    explain: bool = False


def playlist(lib: Library, req: PlaylistRequest) -> RecommendResponse:
    """``per_seed`` tracks around each seed, diversified with Qdrant's MMR, with no duplicates,
    no versions of a seed and at most ``max_per_artist`` tracks per artist overall."""
    vname = lib.vector(req.using)
    seeds = lib.resolve(req.seeds, req.artist)
    exclude_ids = {s.track_id for s in seeds}
    exclude_keys = {_key(s) for s in seeds}
    flt = replace(req.flt, exclude_track_ids=tuple(sorted(set(req.flt.exclude_track_ids) | exclude_ids)))
    results: list[Result] = []
    per_artist: dict[str, int] = {}
    if req.include_seeds:
        for s in seeds:
            per_artist[_key(s)[1]] = per_artist.get(_key(s)[1], 0) + 1
    for seed in seeds:
        vector = lib.seed_vector(seed, req.using)
        taken_ids = {r.track_id for r in results}
        taken_keys = exclude_keys | {version_key(r.title, r.artist) for r in results}

        def fetch(limit: int, vector=vector):
            # Qdrant's MMR only diversifies when its candidate pool is larger than the limit;
            # three times the limit keeps the pool in the seed's neighbourhood
            return lib.backend.mmr(
                lib.name, vector, vname, limit, req.diversity,
                candidates_limit=limit * 3, flt=flt, with_vectors=req.explain,
            )

        cap = req.max_per_artist
        hits = lib.collect(fetch, req.per_seed + len(results) + 10, taken_keys, 0, exclude_ids | taken_ids)
        picked = []
        for h in hits:
            artist_key = version_key("", str(h.payload.get("artist", "")))[1]
            if cap > 0 and per_artist.get(artist_key, 0) >= cap:
                continue
            per_artist[artist_key] = per_artist.get(artist_key, 0) + 1
            picked.append(h)
            if len(picked) == req.per_seed:
                break
        results.extend(lib.to_results(picked, [seed], req.explain, seed_label=str(seed.payload.get("title"))))
    return RecommendResponse(seeds, [], results)


def _key(p: PointRecord) -> tuple[str, str]:
    return version_key(str(p.payload.get("title", "")), str(p.payload.get("artist", "")))
