"""Tracks like one or more seed tracks (and unlike the negatives), through the store's recommend call."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from recsys.errors import RecsysError
from recsys.query.clean import clean_songs, store_filter
from recsys.query.artistfilter import with_artists
from recsys.query.composers import with_composers
from recsys.query.kinds import with_seed_kind
from recsys.query.library import Library, Neighbours, Picker, Result, excluding
from recsys.query.mixable import mixable_filter, mixable_note
from recsys.query.performers import with_performers
from recsys.query.playlistseeds import PlaylistSeeds, resolve_seeds
from recsys.query.seedgroups import query_vectors
from recsys.store.base import PointRecord, QueryFilter


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
    #: only tracks a DJ can mix into the first seed: a compatible key, a tempo within 6 %
    #: (``recsys.query.mixable``)
    mixable: bool = False
    #: the collection's playlists (by name, ``recsys.query.playlistseeds``) whose tracks are
    #: seeds too, before ``seeds``
    playlists: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecommendResponse:
    """The resolved seeds and negatives and the results: the answer of a recommend or a playlist."""

    seeds: list[PointRecord]
    negatives: list[PointRecord]
    results: list[Result]
    #: with ``mixable``: the seed's tempo and key and the keys and tempi matched
    mixable: dict | None = None
    #: an artist radio whose name is no artist's but a composer's: that composer (his radio)
    composer_radio: str | None = None
    #: an artist radio whose name is no artist's nor composer's but a musician's (a sideman's):
    #: that musician (the radio of the sessions he plays on)
    performer_radio: str | None = None
    #: the playlists (files or the collection's) whose tracks are among the seeds
    playlists: tuple[PlaylistSeeds, ...] = ()

    def as_dict(self) -> dict:
        d = {
            "seeds": [_seed_dict(s) for s in self.seeds],
            "negatives": [_seed_dict(s) for s in self.negatives],
            "results": [r.as_dict() for r in self.results],
        }
        if self.mixable is not None:  # only then: every other answer is as it was
            d["mixable"] = self.mixable
        if self.composer_radio is not None:  # the same
            d["composer_radio"] = self.composer_radio
        if self.performer_radio is not None:  # the same
            d["performer_radio"] = self.performer_radio
        if self.playlists:  # the same
            d["playlists"] = [p.as_dict() for p in self.playlists]
        return d


def _seed_dict(p: PointRecord) -> dict:
    return {"track_id": p.track_id, "title": p.payload.get("title"), "artist": p.payload.get("artist")}


def seed_vectors(req: RecommendRequest) -> tuple[str, ...] | None:
    """The vectors a request reads of its seeds: an explanation compares every modality with
    the seeds' (None: all of them); else only ``using``."""
    return None if req.explain else (req.using,)


def recommend(lib: Library, req: RecommendRequest) -> RecommendResponse:
    """Tracks like the seeds (and unlike the negatives): resolve the titles, read their vectors,
    collect the store's neighbours through the one dedup and artist cap, make results."""
    vectors = seed_vectors(req)
    resolved = resolve_seeds(lib, req.seeds, req.artist, req.playlists, vectors, clean=req.flt.clean)
    seeds = resolved.points
    negatives = lib.resolve(req.negatives, vectors=vectors) if req.negatives else []
    resp = recommend_from(lib, req, seeds, negatives)
    if resolved.playlists:
        resp = replace(resp, playlists=resolved.playlists)
    if not req.seeds and not req.playlists and req.artist:
        composer = lib.radio_composer(req.artist)
        if composer is not None:
            return replace(resp, composer_radio=composer)
        performer = lib.radio_performer(req.artist)
        if performer is not None:
            return replace(resp, performer_radio=performer)
    return resp


def recommend_from(
    lib: Library, req: RecommendRequest, seeds: list[PointRecord], negatives: list[PointRecord]
) -> RecommendResponse:
    """``recommend`` of seeds and negatives already read (with ``seed_vectors(req)``)."""
    req = with_artists(lib.backend, lib.name, req)  # "--only-artist yorushika": the library's "ヨルシカ"
    req = with_composers(lib.backend, lib.name, req)  # "--composer bach": his every spelling
    req = with_performers(lib.backend, lib.name, req)  # "--performer chambers": Paul Chambers
    both = {p.track_id for p in seeds} & {n.track_id for n in negatives}
    if both:
        # like a track and unlike it: the vectors cancel out and every score comes out negative
        n = next(n for n in negatives if n.track_id in both)
        title = n.payload.get("title") or n.track_id
        raise RecsysError(f"'{title}' ({n.track_id}) is both a seed and a negative (--not): give it as one or the other")
    vname = lib.vector(req.using)
    given = seeds + negatives
    # a song's radio no podcast episode, an episode's other episodes (``kinds``)
    flt = with_seed_kind(lib, req.flt, seeds)
    flt = store_filter(lib, flt)  # --clean: no track marked explicit (``clean``)
    flt = mixable_filter(flt, seeds[0]) if req.mixable and seeds else flt
    neighbours = Neighbours(
        vector_name=vname,
        # a playlist's 300 tracks: the centres of 16 groups of them (``recsys.query.seedgroups``)
        positives=query_vectors([lib.seed_vector(s, req.using) for s in seeds]),
        negatives=tuple(lib.seed_vector(n, req.using) for n in negatives),
        flt=excluding(flt, (p.track_id for p in given)),
        with_vectors=req.explain,
    )
    picker = Picker.seeded(req.max_per_artist, given, clean_songs(lib, req.flt))
    hits = lib.collect(neighbours, req.k, picker)
    note = mixable_note(seeds[0], flt) if req.mixable and seeds else None
    return RecommendResponse(seeds, negatives, lib.to_results(hits, seeds, req.explain), mixable=note)
