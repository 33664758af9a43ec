"""A parent's radio (``recsys.query.clean``) over a store built on the fly, the vectors chosen so
that each song's explicit or unmarked copy is nearer the seed than its clean one: ``--clean``
leaves the tracks marked explicit out, takes a song's clean copy over its unmarked one, keeps
the tracks with no advisory, and an artist radio's seeds are its clean tracks."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.model import TrackRecord
from recsys.query.library import Library, Picker
from recsys.store import CollectionSpec, EdgeBackend, PointRecord, QueryFilter
from recsys.store.base import Hit

DIM = 10
#: (id, title, artist, advisory, nearness to the seed: the smaller the nearer)
TRACKS = [
    ("seed", "Seed Song", "Seeder", None, 0.0),
    ("hype-x", "Hype", "Drake", True, 0.10),
    ("bitch", "Bitch, Don't Kill My Vibe", "Kendrick Lamar", None, 0.20),
    ("hype-c", "Hype [Clean]", "Drake", False, 0.30),
    ("bitch-c", "B***h, Don't Kill My Vibe", "Kendrick Lamar", False, 0.40),
    ("nasty", "Nasty", "Ski Mask", True, 0.50),
    ("other", "Other Song", "Band", None, 0.60),
    ("more", "More Song", "Band B", None, 0.70),
]


def _vector(n: int, away: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[0] = 1.0
    if n:
        v[n] = away
    return v


@pytest.fixture
def lib(tmp_path):
    backend = EdgeBackend(tmp_path / "store")
    backend.create_collection(CollectionSpec("c", {"fused": DIM}, {"encoders": {}, "fused": {"kind": "concat", "dim": DIM}}))
    backend.upsert("c", [
        PointRecord(tid, {"fused": _vector(n, away)}, TrackRecord(tid, title, artist, explicit=explicit).payload())
        for n, (tid, title, artist, explicit, away) in enumerate(TRACKS)
    ])
    yield Library(backend, "c")
    backend.close()


def _recommend(lib: Library, clean: bool, *seeds: str, artist: str | None = None) -> tuple[list[str], list[str]]:
    from recsys.query.recommend import RecommendRequest, recommend

    resp = recommend(lib, RecommendRequest(seeds=seeds, artist=artist, k=10, max_per_artist=0, flt=QueryFilter(clean=clean)))
    return [s.track_id for s in resp.seeds], [r.track_id for r in resp.results]


def test_clean_leaves_explicit_out_and_plays_a_songs_clean_copy(lib):
    assert _recommend(lib, False, "Seed Song")[1] == ["hype-x", "bitch", "nasty", "other", "more"]
    # the unmarked "Bitch, Don't Kill My Vibe" is nearer, but the song has a clean copy
    assert _recommend(lib, True, "Seed Song")[1] == ["hype-c", "bitch-c", "other", "more"]


def test_an_explicit_seed_is_still_a_seed(lib):
    seeds, results = _recommend(lib, True, "Nasty")
    assert seeds == ["nasty"] and "nasty" not in results and not {"hype-x", "bitch"} & set(results)


def test_an_artist_radios_seeds_are_its_clean_tracks(lib):
    assert _recommend(lib, False, artist="Drake")[0] in (["hype-x"], ["hype-c"])  # one copy of the song
    assert _recommend(lib, True, artist="Drake")[0] == ["hype-c"]
    assert _recommend(lib, True, artist="Kendrick Lamar")[0] == ["bitch-c"]  # not the unmarked copy
    assert _recommend(lib, True, artist="kendrick")[0] == ["bitch-c"]  # a name only close to his: the same
    assert _recommend(lib, True, artist="Ski Mask")[0] == ["nasty"]  # every track explicit: a radio all the same


def test_a_playlist_and_a_path_keep_clean(lib):
    from recsys.query.path import PathRequest, path
    from recsys.query.playlist import PlaylistRequest, playlist

    resp = playlist(lib, PlaylistRequest(seeds=("Seed Song",), per_seed=6, max_per_artist=0, flt=QueryFilter(clean=True)))
    assert {r.track_id for r in resp.playlist} == {"seed", "hype-c", "bitch-c", "other", "more"}
    walk = path(lib, PathRequest(start="Seed Song", end="More Song", steps=3, max_per_artist=0, flt=QueryFilter(clean=True)))
    assert not {r.track_id for r in walk.results} & {"hype-x", "bitch", "nasty"}


def test_results_carry_the_advisory(lib):
    from recsys.query.recommend import RecommendRequest, recommend

    resp = recommend(lib, RecommendRequest(seeds=("Seed Song",), k=10, max_per_artist=0))
    shown = {r.track_id: r.as_dict().get("explicit") for r in resp.results}
    assert shown == {"hype-x": True, "bitch": None, "nasty": True, "other": None, "more": None}
    assert next(r for r in resp.results if r.track_id == "hype-x").explicit is True


def test_the_picker_takes_a_clean_copy_in_place_of_an_unmarked_one():
    """Unmarked first, then its clean copy: the clean one; and a song without a clean copy, or
    the pick without ``clean_songs``, as before."""
    from recsys.query.library import song_keys

    def hit(tid: str, title: str, advisory: str | None = None) -> Hit:
        payload = {"title": title, "artist": "Kendrick Lamar"} | ({"advisory": advisory} if advisory else {})
        return Hit(tid, 1.0, payload)

    unmarked, clean, other = hit("u", "Bitch, Don't Kill My Vibe"), hit("c", "B***h, Don't Kill My Vibe", "clean"), hit("o", "Money Trees")
    songs = frozenset(song_keys(clean))
    picker = Picker(clean_songs=songs)
    assert [h.track_id for h in (unmarked, clean, other) if picker.take(h)] == ["c", "o"]
    copied = Picker(clean_songs=songs).copy()  # a copy keeps them (``Library.collect`` picks with copies)
    assert [h.track_id for h in (unmarked, clean, other) if copied.take(h)] == ["c", "o"]
    plain = Picker()  # without them: the first copy met, as before
    assert [h.track_id for h in (unmarked, clean, other) if plain.take(h)] == ["u", "o"]


def test_a_collection_without_explicit_tracks_gets_no_store_filter():
    """Nothing marked explicit: the store's filter stays empty (its fast paths kept), the clean
    copies still read for the dedup."""
    from recsys.query.clean import clean_songs, store_filter

    class Lib:
        def __init__(self, explicit: bool):
            self.explicit = explicit

        def has_explicit(self) -> bool:
            return self.explicit

        def clean_copies(self) -> frozenset:
            return frozenset({("song", "artist")})

    assert store_filter(Lib(False), QueryFilter(clean=True)) == QueryFilter()
    assert store_filter(Lib(True), QueryFilter(clean=True)) == QueryFilter(clean=True)
    assert clean_songs(Lib(False), QueryFilter(clean=True)) == frozenset({("song", "artist")})
    assert clean_songs(Lib(True), QueryFilter()) == frozenset()


def test_the_library_counts_and_reads_once(lib):
    calls = {"count": 0, "payloads": 0}
    for name in calls:
        real = getattr(lib.backend, name)

        def spy(*a, _real=real, _name=name, **kw):
            calls[_name] += 1
            return _real(*a, **kw)

        setattr(lib.backend, name, spy)
    assert lib.has_explicit() and lib.has_explicit()
    assert len(lib.clean_copies()) >= 2 and lib.clean_copies() is lib.clean_copies()
    assert calls == {"count": 1, "payloads": 1}


def test_a_clean_copy_of_a_title_its_album_repeats_stands_for_its_own_place(tmp_path):
    """A hip-hop album's two "Interlude"s (tracks 3 and 7, ``album_place``) owned unmarked and
    clean: the clean copies' song keys are read with their places, as the dedup keys every hit,
    so under --clean the clean "Interlude" of track 3 plays in place of its unmarked copy."""
    from recsys.query.library import song_keys

    backend = EdgeBackend(tmp_path / "store")
    backend.create_collection(CollectionSpec("c", {"fused": DIM}, {"encoders": {}, "fused": {"kind": "concat", "dim": DIM}}))
    rows = [("seed", "Seed Song", "Seeder", None, "", 0.0), ("i3", "Interlude", "Kendrick Lamar", None, "1-3", 0.1),
            ("i7", "Interlude", "Kendrick Lamar", None, "1-7", 0.2), ("i3-c", "Interlude", "Kendrick Lamar", False, "1-3", 0.3),
            ("i7-c", "Interlude", "Kendrick Lamar", False, "1-7", 0.4)]
    records = {tid: TrackRecord(tid, title, artist, album="Section.80", explicit=explicit, album_place=place)
               for tid, title, artist, explicit, place, _ in rows}
    backend.upsert("c", [PointRecord(tid, {"fused": _vector(n, away)}, records[tid].payload())
                         for n, (tid, *_, away) in enumerate(rows)])
    try:
        lib = Library(backend, "c")
        for tid in ("i3-c", "i7-c"):
            stored = next(iter(backend.retrieve("c", [tid])))
            assert set(song_keys(stored)) <= lib.clean_copies(), tid
        assert _recommend(lib, True, "Seed Song")[1] == ["i3-c", "i7-c"]
    finally:
        backend.close()


def test_a_composers_and_a_musicians_radio_under_clean_are_seeded_with_clean_tracks(tmp_path):
    """--artist of a name no artist has but a composer (a producer the tags credit as writer) or
    a musician is an artist radio too: under --clean its seeds are the tracks not marked
    explicit, as an artist's own radio's are (README: "an artist radio's seeds are the artist's
    tracks not marked explicit")."""
    from recsys.catalog.model import Performer

    backend = EdgeBackend(tmp_path / "store")
    backend.create_collection(CollectionSpec("c", {"fused": DIM}, {"encoders": {}, "fused": {"kind": "concat", "dim": DIM}}))
    rows = [("x1", "Mask Off", "Future", True), ("c1", "Mask Off [Clean]", "Future", False),
            ("x2", "Bad and Boujee", "Migos", True), ("u1", "Tuesday", "ILoveMakonnen", None)]
    records = [TrackRecord(tid, title, artist, composer="Leland Wayne", explicit=explicit,
                           performers=(Performer("Leland Wayne", ("programming",)),))
               for tid, title, artist, explicit in rows]
    backend.upsert("c", [PointRecord(r.track_id, {"fused": _vector(n, 0.1 * n)}, r.payload())
                         for n, r in enumerate(records)])
    try:
        lib = Library(backend, "c")
        assert lib.radio_composer("Leland Wayne") == "Leland Wayne"
        seeds = {p.track_id for p in lib.resolve([], artist="Leland Wayne", clean=True)}
        assert seeds == {"c1", "u1"}
        assert {p.track_id for p in lib.resolve([], artist="Leland Wayne")} >= {"x2"}  # without --clean: every song
        # a musician's radio: no artist nor composer of the name
        backend.upsert("c", [PointRecord(r.track_id, {"fused": _vector(n, 0.1 * n)},
                                         {k: v for k, v in r.payload().items() if not k.startswith("composer")})
                             for n, r in enumerate(records)])
        lib = Library(backend, "c")
        assert lib.radio_composer("Leland Wayne") is None and lib.radio_performer("Leland Wayne") == "Leland Wayne"
        assert {p.track_id for p in lib.resolve([], artist="Leland Wayne", clean=True)} == {"c1", "u1"}
    finally:
        backend.close()
