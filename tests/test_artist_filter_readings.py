"""``--only-artist`` and ``--exclude-artist`` read a name typed in Latin letters for an artist the
collection names in another script alone (``recsys.query.artistfilter``): "yorushika" for
"ヨルシカ", "Marcel Khalife" for "مارسيل خليفة", "Yolka" for "Ёлка", "Haris Alexiou" for "Χάρις
Αλεξίου", "Kaneko Ayano" for the "カネコアヤノ" a library joined with "Ayano Kaneko". They
matched the typed key alone: "no track in collection ... has the artist 'yorushika'", and an
exclusion left the artist in."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from recsys.query.artistfilter import artist_filter
from recsys.query.facets import unmatched_filter
from recsys.query.library import Library
from recsys.query.recommend import RecommendRequest, recommend
from recsys.store import PointRecord, QueryFilter
from tests.support.tagged_files import tagged_flac
from tests.test_store_contract import NAME, create, e, make_backend

ARTISTS = ("ヨルシカ", "مارسيل خليفة", "Ёлка", "Χάρις Αλεξίου", "Kino", "ヨアソビ", "よあそび")


@pytest.fixture(params=["edge", "remote"])
def lib(request, tmp_path):
    backend = make_backend(request.param, tmp_path)
    try:
        create(backend)
        records = [TrackRecord(f"t{i}", f"Song {i}", artist) for i, artist in enumerate(ARTISTS)]
        backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, r.payload()) for i, r in enumerate(records)])
        yield Library(backend, NAME)
    finally:
        backend.close()


def _count(lib: Library, flt: QueryFilter) -> int:
    return lib.backend.count(lib.name, flt=artist_filter(lib.backend, lib.name, flt))


@pytest.mark.parametrize("typed, artist", [
    ("yorushika", "ヨルシカ"), ("Marcel Khalife", "مارسيل خليفة"), ("Yolka", "Ёлка"), ("Haris Alexiou", "Χάρις Αλεξίου"),
])
def test_a_latin_name_filters_the_artist_the_library_names_in_another_script(lib, typed, artist):
    assert lib.backend.count(lib.name, flt=QueryFilter(artists=(typed,))) == 0  # the typed key: none
    flt = artist_filter(lib.backend, lib.name, QueryFilter(artists=(typed,), exclude_artists=(typed,)))
    assert flt.artists == (artist,) and flt.exclude_artists == (artist,)
    assert _count(lib, QueryFilter(artists=(typed,))) == 1
    assert _count(lib, QueryFilter(exclude_artists=(typed,))) == len(ARTISTS) - 1
    assert unmatched_filter(lib, QueryFilter(artists=(typed,))) is None  # no typo


def test_a_value_a_key_matches_stays_as_typed_and_reads_no_artist(lib, monkeypatch):
    """The common case costs one count: the artists are not read (their facet, the joined tracks)."""
    def no_facet(*args, **kwargs):
        raise AssertionError("the artist facet was read for a value a key matches")

    monkeypatch.setattr(lib.backend, "facet", no_facet)
    flt = QueryFilter(artists=("kino", "Кино"), exclude_artists=("KINO",))
    assert artist_filter(lib.backend, lib.name, flt) is flt


def test_a_name_of_two_artists_or_of_none_stays_as_typed(lib):
    """"yoasobi" reads as "ヨアソビ" and as "よあそび", two artists here: which one? Neither, as
    the seeds' ``--artist`` reads it; "yorushiko" reads as none, and is a typo as before."""
    flt = QueryFilter(artists=("yoasobi", "yorushiko"))
    assert artist_filter(lib.backend, lib.name, flt) is flt
    assert "has the artist 'yorushiko'" in unmatched_filter(lib, QueryFilter(artists=("yorushiko",)))


def test_recommend_keeps_and_leaves_out_the_artist_typed_in_latin_letters(lib):
    """Every surface's query (the CLI's options and the API's filters end in the same request)."""
    only = recommend(lib, RecommendRequest(seeds=("t4",), using="audio", k=10, flt=QueryFilter(artists=("Yolka",))))
    assert [r.artist for r in only.results] == ["Ёлка"]
    rest = recommend(lib, RecommendRequest(seeds=("t4",), using="audio", k=10, max_per_artist=0,
                                           flt=QueryFilter(exclude_artists=("yorushika", "Yolka"))))
    assert rest.results and not {"ヨルシカ", "Ёлка"} & {r.artist for r in rest.results}


def test_a_kana_name_in_either_order_finds_the_artist_a_library_joined(tmp_path: Path):
    """"カネコアヤノ" and "Ayano Kaneko" are one artist (``kananames``), shown in one spelling;
    its tracks are keyed "ayanokaneko" and "カネコアヤノ", not "kanekoayano": a family name typed
    first found nothing."""
    folder = tmp_path / "lib"
    tagged_flac(folder / "cd/01.flac", TITLE="かみつきたい", ARTIST="カネコアヤノ")
    tagged_flac(folder / "dl/02.flac", TITLE="Shoujo Hanabi", ARTIST="Ayano Kaneko")
    tagged_flac(folder / "dl/03.flac", TITLE="Boy", ARTIST="Ayano Kaneko")
    tagged_flac(folder / "dl/04.flac", TITLE="Other", ARTIST="Someone Else")
    tracks = read_music_folder(folder, tmp_path / "covers").tracks
    backend = make_backend("edge", tmp_path)
    try:
        create(backend)
        backend.upsert(NAME, [PointRecord(t.track_id, {"audio": e(i)}, t.payload()) for i, t in enumerate(tracks)])
        lib = Library(backend, NAME)
        assert backend.count(NAME, flt=QueryFilter(artists=("Kaneko Ayano",))) == 0
        assert _count(lib, QueryFilter(artists=("Kaneko Ayano",))) == 3
        assert _count(lib, QueryFilter(exclude_artists=("kaneko ayano",))) == 1
        assert unmatched_filter(lib, QueryFilter(artists=("Kaneko Ayano",))) is None
    finally:
        backend.close()
