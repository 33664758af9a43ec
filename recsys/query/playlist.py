"""An ordered playlist from several seed tracks, and writing any playlist as an M3U8 file.

The pool: a few MMR-diversified neighbours per seed (past 16 seeds, per group of similar
seeds: ``recsys.query.seedgroups``), under one artist cap and one version dedup. A playlist
given as seeds (``recsys.query.playlistseeds``) is continued: its tracks are the seeds, left
out of the pool with their versions, and do not count toward the cap. The order: the seeds first, as given; then, starting from the last seed, a greedy
nearest-neighbour walk over the pool in the request's vector space (fused by default): each
next track is the remaining one closest (cosine) to the track before it, among those by
another artist than the track before it that still leave the rest orderable without an
artist twice in a row. A track that cannot be placed without repeating an artist is dropped
(``PlaylistResponse.dropped``)."""

from __future__ import annotations

import contextlib
import math
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from recsys.errors import writing_to
from recsys.query.clean import clean_songs, store_filter
from recsys.query.artistfilter import with_artists
from recsys.query.composers import with_composers
from recsys.query.performers import with_performers
from recsys.query.kinds import with_seed_kind
from recsys.query.library import Library, Neighbours, Picker, Result, artist_key, cosine, excluding
from recsys.query.mixable import mixable_filter, mixable_note
from recsys.query.playlistseeds import resolve_seeds
from recsys.query.recommend import RecommendResponse
from recsys.query.seedgroups import group_seeds, shares
from recsys.text import plain_text
from recsys.store.base import Hit, PointRecord, QueryFilter


@dataclass(frozen=True)
class PlaylistRequest:
    seeds: tuple[str, ...]
    artist: str | None = None
    per_seed: int = 3
    using: str = "fused"
    flt: QueryFilter = field(default_factory=QueryFilter)
    max_per_artist: int = 2
    diversity: float = 0.3
    include_seeds: bool = True  # the seeds count toward the artist cap (a playlist's tracks never do)
    explain: bool = False
    mixable: bool = False  # each seed's tracks mixable with that seed (``recsys.query.mixable``)
    #: the collection's playlists (by name, ``recsys.query.playlistseeds``) whose tracks are
    #: seeds too, before ``seeds``
    playlists: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaylistResponse(RecommendResponse):
    """``results``: the picked tracks in playing order (seeds left out, as in a recommend);
    ``playlist``: the whole ordered playlist, the seeds first; ``dropped``: pool tracks that
    could not be placed without an artist twice in a row."""

    playlist: list[Result] = field(default_factory=list)
    dropped: list[Result] = field(default_factory=list)

    def as_dict(self) -> dict:
        return super().as_dict() | {
            "playlist": [r.as_dict() for r in self.playlist],
            "dropped": [r.as_dict() for r in self.dropped],
        }


def playlist(lib: Library, req: PlaylistRequest) -> PlaylistResponse:
    """``per_seed`` tracks around each seed, diversified with Qdrant's MMR, with no duplicates,
    no versions of a seed and at most ``max_per_artist`` tracks per artist overall, then put
    in playing order by ``walk_order`` (the module docstring has the rule)."""
    vname = lib.vector(req.using)
    req = with_artists(lib.backend, lib.name, req)  # "--only-artist yorushika": the library's "ヨルシカ"
    req = with_composers(lib.backend, lib.name, req)  # "--composer bach": his every spelling
    req = with_performers(lib.backend, lib.name, req)  # "--performer chambers": Paul Chambers
    resolved = resolve_seeds(lib, req.seeds, req.artist, req.playlists, clean=req.flt.clean)
    seeds = resolved.points
    # a song's playlist no podcast episode, an episode's other episodes (``kinds``)
    songs = clean_songs(lib, req.flt)  # --clean: a song's clean copy (``clean``)
    req = replace(req, flt=store_filter(lib, with_seed_kind(lib, req.flt, seeds)))
    # each seed's tracks mixable with that seed (a set that climbs from 124 to 140 BPM): every
    # seed needs its tempo and key, and the note says the first one's
    mixables = {s.track_id: mixable_filter(req.flt, s) for s in seeds} if req.mixable else {}
    mixable = mixables.get(seeds[0].track_id) if seeds else None
    seed_ids = [s.track_id for s in seeds]
    # one picker for the whole playlist: what it took, and how many per artist
    picker = Picker.seeded(req.max_per_artist, seeds, songs)
    if req.include_seeds:
        # a playlist's own tracks do not count: a 300-track playlist would spend the cap of
        # every artist it holds, and the songs to continue it with are new songs by them too
        for s in seeds:
            if s.track_id not in resolved.from_playlists:
                picker.count(s)
    pool: list[tuple[Hit, PointRecord]] = []  # (hit, the seed it came from)
    # up to 16 seeds: each its own pool of per_seed tracks; more (a playlist): 16 groups of
    # similar seeds, each a pool around its centre, per_seed tracks a group on average, in
    # proportion to its size (``recsys.query.seedgroups``)
    groups = group_seeds([lib.seed_vector(s, req.using) for s in seeds])
    for group, wanted in zip(groups, shares(groups, req.per_seed)):
        seed = seeds[group.medoid]  # the group's own track closest to its centre: the results' "seed"
        centre = lib.seed_vector(seed, req.using) if len(group.members) == 1 else group.centre.astype(np.float32)
        # the tracks already in the pool are left out by the store: asking for as many more
        # as the pool held instead made the MMR's work grow with the pool (the fifth seed of
        # 100 tracks each took 67 s at 100k tracks, 50 seeds hours)
        flt = excluding(mixables.get(seed.track_id, req.flt), seed_ids)
        neighbours = Neighbours(
            vector_name=vname, positives=(centre,),
            flt=excluding(flt, (h.track_id for h, _ in pool)), with_vectors=True, diversity=req.diversity,
        )
        # the seed's nearest new songs, uncapped; then the playlist's cap, in that order
        candidates = lib.collect(neighbours, wanted + 10, picker.copy(max_per_artist=0))
        picked = 0
        for h in candidates:
            if picker.take(h):
                pool.append((h, seed))
                picked += 1
                if picked == wanted:
                    break
        if picked < wanted:
            # those nearest songs were mostly one capped artist's (a seed from a 30-track
            # album): go on past them, under the cap, rather than leave the seed without tracks
            for h in lib.collect(neighbours, wanted - picked, picker.copy()):
                if picker.take(h):
                    pool.append((h, seed))

    if not seeds:
        return PlaylistResponse(seeds, [], [])
    seed_vecs = [lib.seed_vector(s, req.using) for s in seeds]
    order, scores, dropped = walk_order(
        [h.vectors[vname] for h, _ in pool],
        [artist_key(h) for h, _ in pool],
        start=seed_vecs[-1],
        start_artist=artist_key(seeds[-1]),
    )

    def result(i: int, score: float) -> Result:
        h, seed = pool[i]
        label = str(seed.payload.get("title"))
        return lib.to_results([h], [seed], req.explain, seed_label=label, scores=[score])[0]

    results = [result(i, s) for i, s in zip(order, scores)]
    # a seed's score: its similarity to the seed before it (1 for the first)
    seed_scores = [1.0] + [cosine(a, b) for a, b in zip(seed_vecs, seed_vecs[1:])]
    seed_results = lib.to_results(seeds, seeds, req.explain, scores=seed_scores, is_seed=True)
    # an artist radio whose name is no artist's but a composer's: his works (``Library.find``)
    composer = lib.radio_composer(req.artist) if req.artist and not req.seeds and not req.playlists else None
    # or a musician's (a sideman's): the sessions he plays on
    performer = lib.radio_performer(req.artist) if req.artist and not req.seeds and not req.playlists \
        and composer is None else None
    return PlaylistResponse(
        seeds, [], results, mixable=mixable_note(seeds[0], mixable) if mixable is not None else None,
        composer_radio=composer, performer_radio=performer, playlists=resolved.playlists, playlist=seed_results + results, dropped=[result(i, 0.0) for i in dropped],
    )




def orderable(artists: Sequence[str], previous: str | None) -> bool:
    """Whether ``artists`` can be put in an order with no artist twice in a row that does not
    start with ``previous``: no artist more than half of them (rounded up; rounded down for
    ``previous``, which stands just before the first)."""
    n = len(artists)
    return all(c <= (n // 2 if a == previous else (n + 1) // 2) for a, c in Counter(artists).items())


def walk_order(
    vectors: Sequence[np.ndarray], artists: Sequence[str], start: np.ndarray, start_artist: str | None
) -> tuple[list[int], list[float], list[int]]:
    """The greedy nearest-neighbour walk from ``start``: (the order as indices, each track's
    cosine to the one before it, the indices dropped). Each step takes the remaining track
    closest to the previous one among those by another artist whose choice leaves the rest
    ``orderable``; when none does, the closest by another artist; when every remaining track
    is by the previous artist, those are dropped. Ties go to the earlier index.

    Whole arrays per step, O(n^2) in all: the cosines of every pair are one matrix product,
    and ``orderable`` after taking a track depends only on its artist, the count of tracks
    left and the two largest artist counts (a track at a time with lists, 50 seeds of 100
    tracks each took over an hour and held the server's interpreter for it)."""
    n = len(vectors)
    if not n:
        return [], [], []
    unit = np.stack([np.asarray(v, dtype=np.float64).reshape(-1) for v in vectors])
    unit /= np.where((norms := np.linalg.norm(unit, axis=1)) == 0, 1.0, norms)[:, None]
    prev = np.asarray(start, dtype=np.float64).reshape(-1)
    prev = prev / (np.linalg.norm(prev) or 1.0)
    names = {a: k for k, a in enumerate(dict.fromkeys(artists))}
    code = np.fromiter((names[a] for a in artists), dtype=np.int64, count=n)
    counts = np.bincount(code, minlength=len(names))  # remaining tracks per artist
    prev_code = names.get(start_artist, -1) if start_artist is not None else -1
    alive = np.ones(n, dtype=bool)
    sims = unit @ prev
    pairs = unit @ unit.T
    order: list[int] = []
    scores: list[float] = []
    for left in range(n, 0, -1):
        other = alive & (code != prev_code)
        if not other.any():
            break
        # taking one track of artist a leaves left - 1: ``orderable`` with a before the first
        rest = left - 1
        top = int(np.argmax(counts))
        second = int(np.max(counts, initial=0, where=np.arange(len(counts)) != top))
        others_most = np.where(np.arange(len(counts)) == top, second, counts[top])
        safe_artist = (counts - 1 <= rest // 2) & (others_most <= (rest + 1) // 2)
        safe = other & safe_artist[code]
        allowed = safe if safe.any() else other
        best = int(np.argmax(np.where(allowed, sims, -np.inf)))  # the first of equals: the earlier index
        order.append(best)
        scores.append(float(sims[best]))
        alive[best] = False
        counts[code[best]] -= 1
        sims, prev_code = pairs[best], int(code[best])
    return order, scores, [int(i) for i in np.flatnonzero(alive)]


# -- the playlist file ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlaylistFile:
    """A written M3U8 playlist: how many tracks it plays, and the tracks it could not (no
    audio file known, or the file is not there), listed in it as comment lines."""

    path: Path
    tracks: int
    unavailable: list[Result]

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "tracks": self.tracks,
            "unavailable": [{"track_id": r.track_id, "title": r.title, "artist": r.artist} for r in self.unavailable],
        }


def _one_line(text: str) -> str:
    # a title's escape sequences would recolour (or retitle) the terminal of whoever cats the file
    return " ".join(plain_text(text).split())


def audio_seconds(path: str) -> int:
    """The audio file's length in whole seconds, read from its header (any format the decoder
    reads: mp3, opus, m4a, wma...); -1 when unknown."""
    from recsys.encoders.media import audio_duration

    seconds = audio_duration(path)
    return int(round(seconds)) if seconds is not None and math.isfinite(seconds) and seconds > 0 else -1


def write_m3u8(tracks: Sequence[Result], out: Path, relative: bool = False) -> PlaylistFile:
    """Write ``tracks`` in order as an extended M3U playlist (UTF-8): ``#EXTM3U``, then per
    track ``#EXTINF:<seconds or -1>,<artist> - <title>`` and its audio file, absolute or, with
    ``relative``, relative to the playlist's folder (a track of an album ripped to one file:
    that file, with VLC's ``#EXTVLCOPT`` start and stop times of its part). A track without a
    playable file is one ``# unavailable: ...`` comment line instead."""
    out = Path(out)
    folder = out.parent.resolve() if str(out.parent) else Path.cwd()
    lines = ["#EXTM3U"]
    missing: list[Result] = []
    played = 0
    for r in tracks:
        name = _one_line(f"{r.artist} - {r.title}" if r.artist else r.title)
        if not r.audio_path or not os.path.isfile(r.audio_path):
            why = "no audio file" if not r.audio_path else f"file not found: {_one_line(r.audio_path)}"
            lines.append(f"# unavailable: {name} [{r.track_id}] ({why})")
            missing.append(r)
            continue
        where = r.audio_path
        if relative:
            try:
                where = os.path.relpath(r.audio_path, folder)
            except ValueError:  # another drive (Windows): keep it absolute
                pass
            if where.startswith("#"):
                where = "./" + where
        if r.audio_start is None:
            lines.append(f"#EXTINF:{audio_seconds(r.audio_path)},{name}")
        else:  # a track of an album in one file: its part of it (VLC's options; others skip them)
            end = r.audio_end if r.audio_end is not None else audio_seconds(r.audio_path)
            lines.append(f"#EXTINF:{int(round(end - r.audio_start)) if end >= 0 else -1},{name}")
            lines.append(f"#EXTVLCOPT:start-time={r.audio_start:.3f}")
            if r.audio_end is not None:
                lines.append(f"#EXTVLCOPT:stop-time={r.audio_end:.3f}")
        lines.append(where)
        played += 1
    tmp = out.with_name(f".{out.name}.partial")
    with writing_to(out):
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
            os.replace(tmp, out)
        finally:
            with contextlib.suppress(OSError):  # none was made where the folder is not one
                tmp.unlink(missing_ok=True)
    return PlaylistFile(out, played, missing)
