"""A path between two tracks: a playlist that walks from A to B through the fused space.

``steps`` targets lie evenly on the great circle from A's vector to B's (slerp on the unit
sphere); for each, in order, the nearest track not used yet (the usual version dedup and
artist cap, A and B counted) by another artist than the track before it (and than B, for the
last step) is taken, when the nearest few hold one. A comes first and B last."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from recsys.errors import RecsysError
from recsys.query.clean import clean_songs, store_filter
from recsys.query.artistfilter import with_artists
from recsys.query.composers import with_composers
from recsys.query.performers import with_performers
from recsys.query.kinds import with_seed_kind
from recsys.query.library import Library, Neighbours, Picker, Result, artist_key, excluding, song_keys
from recsys.store.base import PointRecord, QueryFilter


@dataclass(frozen=True)
class PathRequest:
    start: str
    end: str
    steps: int = 4
    start_artist: str | None = None  # disambiguates the start's title
    end_artist: str | None = None
    using: str = "fused"
    flt: QueryFilter = field(default_factory=QueryFilter)
    max_per_artist: int = 2


@dataclass(frozen=True)
class PathResponse:
    """The two ends and the whole path in order (``results``: A, the steps, B); each step's
    score is its similarity to its target on the line (1 for A and B)."""

    start: PointRecord
    end: PointRecord
    results: list[Result]
    steps: int

    def as_dict(self) -> dict:
        ends = {
            k: {"track_id": p.track_id, "title": p.payload.get("title"), "artist": p.payload.get("artist")}
            for k, p in (("from", self.start), ("to", self.end))
        }
        return ends | {"steps": self.steps, "results": [r.as_dict() for r in self.results]}


def slerp(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """The point a fraction ``t`` of the way from ``a`` to ``b`` along the great circle
    through them (both normalised first); a straight line renormalised when they are
    (anti)parallel."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    a = a / (np.linalg.norm(a) or 1.0)
    b = b / (np.linalg.norm(b) or 1.0)
    omega = float(np.arccos(np.clip(np.dot(a, b), -1.0, 1.0)))
    if np.sin(omega) < 1e-6:
        v = (1 - t) * a + t * b
    else:
        v = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    return (v / (np.linalg.norm(v) or 1.0)).astype(np.float32)


def path(lib: Library, req: PathRequest) -> PathResponse:
    """A first, then for each of ``steps`` targets between A and B the nearest unused track,
    then B."""
    if req.steps < 1:
        raise RecsysError("a path needs at least one step between its two tracks")
    vname = lib.vector(req.using)
    req = with_artists(lib.backend, lib.name, req)  # "--only-artist yorushika": the library's "ヨルシカ"
    req = with_composers(lib.backend, lib.name, req)  # "--composer bach": his every spelling
    req = with_performers(lib.backend, lib.name, req)  # "--performer chambers": Paul Chambers
    (a,) = lib.resolve([req.start], req.start_artist)
    (b,) = lib.resolve([req.end], req.end_artist)
    if set(song_keys(a)) & set(song_keys(b)):
        raise RecsysError(
            f'"{a.payload.get("title")}" and "{b.payload.get("title")}" are the same song; '
            "a path needs two different tracks"
        )
    va, vb = lib.seed_vector(a, req.using), lib.seed_vector(b, req.using)
    # between two songs no podcast episode, between two episodes episodes (``kinds``)
    # --clean: no track marked explicit between them, a song's clean copy (``clean``)
    flt = excluding(store_filter(lib, with_seed_kind(lib, req.flt, (a, b))), (a.track_id, b.track_id))
    picker = Picker.seeded(req.max_per_artist, (a, b), clean_songs(lib, req.flt))
    picker.count(a)
    picker.count(b)
    # a few candidates per target, so that one by another artist than the track before it
    # (and, for the last step, than B) can be taken: the artist cap leaves at most that many
    # of the previous artist among them
    k = req.max_per_artist + 1 if req.max_per_artist > 0 else 10
    middle = []
    prev = artist_key(a)
    for i in range(1, req.steps + 1):
        target = slerp(va, vb, i / (req.steps + 1))
        hits = lib.collect(Neighbours(vector_name=vname, positives=(target,), flt=flt), k, picker)
        avoid = {prev, artist_key(b)} if i == req.steps else {prev}
        best = next((h for h in hits if artist_key(h) not in avoid), None)
        best = best or next((h for h in hits if artist_key(h) != prev), None) or (hits[0] if hits else None)
        if best is not None and picker.take(best):
            middle.append(best)
            prev = artist_key(best)
    results = (
        lib.to_results([a], scores=[1.0])
        + lib.to_results(middle)
        + lib.to_results([b], scores=[1.0])
    )
    return PathResponse(a, b, results, req.steps)
