"""A playlist from several seed tracks: a few MMR-diversified neighbours per seed under one artist cap."""

from __future__ import annotations

from dataclasses import dataclass, field

from recsys.query.library import Library, Neighbours, Picker, Result, excluding, track_key
from recsys.query.recommend import RecommendResponse
from recsys.store.base import QueryFilter


@dataclass(frozen=True)
class PlaylistRequest:
    seeds: tuple[str, ...]
    artist: str | None = None
    per_seed: int = 3
    using: str = "fused"
    flt: QueryFilter = field(default_factory=QueryFilter)
    max_per_artist: int = 2
    diversity: float = 0.3
    include_seeds: bool = True  # the seeds count toward the artist cap
    explain: bool = False


def playlist(lib: Library, req: PlaylistRequest) -> RecommendResponse:
    """``per_seed`` tracks around each seed, diversified with Qdrant's MMR, with no duplicates,
    no versions of a seed and at most ``max_per_artist`` tracks per artist overall."""
    vname = lib.vector(req.using)
    seeds = lib.resolve(req.seeds, req.artist)
    flt = excluding(req.flt, (s.track_id for s in seeds))
    # one picker for the whole playlist: what it took, and how many per artist
    picker = Picker(req.max_per_artist, map(track_key, seeds), (s.track_id for s in seeds))
    if req.include_seeds:
        for s in seeds:
            picker.count(s)
    results: list[Result] = []
    for seed in seeds:
        neighbours = Neighbours(
            vector_name=vname, positives=(lib.seed_vector(seed, req.using),), flt=flt,
            with_vectors=req.explain, diversity=req.diversity,
        )
        # the seed's nearest new songs, uncapped; then the playlist's cap, in that order
        candidates = lib.collect(neighbours, req.per_seed + len(results) + 10, picker.copy(max_per_artist=0))
        picked = []
        for h in candidates:
            if picker.take(h):
                picked.append(h)
                if len(picked) == req.per_seed:
                    break
        results.extend(lib.to_results(picked, [seed], req.explain, seed_label=str(seed.payload.get("title"))))
    return RecommendResponse(seeds, [], results)
