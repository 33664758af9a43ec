"""The thirteenth real library's (a metal and rock collector's) findings, each on files made here:
band names of symbols and diacritics, one band tagged several ways, genre spellings."""

from __future__ import annotations

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.listing import hidden_name
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")

TRAIL = "...And You Will Know Us by the Trail of Dead"


def test_a_band_whose_name_begins_with_an_ellipsis_is_read(tmp_path):
    """"...And You Will Know Us by the Trail of Dead/Source Tags & Codes/" was a hidden folder
    (a dot first) and its every album was left out; a loose "...Trail of Dead - x.flac" too.
    Dot files stay hidden: macOS's "._x.flac" beside the audio, ".git"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / TRAIL / "Source Tags & Codes/01 - Relative Ways.flac", 0.2, TITLE="Relative Ways", ARTIST=TRAIL)
    tagged_flac(lib / "Downloads" / "...And You Will Know Us by the Trail of Dead - Caterwaul.flac", 0.2)
    tagged_flac(lib / "Mogwai/Young Team/._01 Like Herod.flac", 0.2)
    tagged_flac(lib / ".hidden/01 Secret.flac", 0.2)
    tagged_flac(lib / "Mogwai/Young Team/01 Like Herod.flac", 0.2, TITLE="Like Herod", ARTIST="Mogwai")
    tracks = read_music_folder(lib, tmp_path / "covers").tracks
    assert sorted(t.title for t in tracks) == ["Caterwaul", "Like Herod", "Relative Ways"]
    assert {t.artist for t in tracks} == {TRAIL, "Mogwai"}


@pytest.mark.parametrize("name, hidden", [(".git", True), ("._Song.mp3", True), (".Trashes", True), ("..", True),
                                           ("...", True), (TRAIL, False), ("...Baby One More Time.mp3", False)])
def test_hidden_names(name, hidden):
    assert hidden_name(name) is hidden


# --- names typed without their symbols ------------------------------------------------------

from recsys.labels import label_key  # noqa: E402
from recsys.query.titlepick import TitleEntry  # noqa: E402
from recsys.query.titles import TitleIndex  # noqa: E402


@pytest.mark.parametrize("a, b", [("AC/DC", "acdc"), ("AC_DC", "ac dc"), ("Guns N’ Roses", "guns n' roses"),
                                  ("Guns ʼnʼ Roses", "Guns N Roses"), ("Post-Rock", "postrock"), ("Black-Metal", "black metal"),
                                  ("MØ", "mo"), ("Þeyr", "theyr"), ("The Beatles", "Beatles"), ("Motörhead", "motorhead"),
                                  ("Godspeed You! Black Emperor", "Godspeed You Black Emperor!")])
def test_one_band_or_genre_spelled_two_ways_has_one_key(a, b):
    assert label_key(a) == label_key(b)


@pytest.mark.parametrize("a, b", [("!!!", "†‡†"), ("Ghost", "Ghost B.C."), ("Kesha", "Ke$ha"), ("Кино", "Ария")])
def test_names_that_differ_keep_their_keys_apart(a, b):
    assert label_key(a) != label_key(b) and label_key(a) and label_key(b)


def _index() -> TitleIndex:
    rows = [("a1", "Hells Bells", "AC/DC"), ("a2", "Go Down", "ACDC"), ("a3", "Thunderstruck", "AC_DC"),
            ("m1", "Pilgrim", "MØ"), ("m2", "Mogwai Fear Satan", "Mogwai"), ("m3", "Ace of Spades", "Motörhead"),
            ("m4", "Kickstart My Heart", "Mötley Crüe"), ("s1", "Óðinn", "Skálmöld"), ("g1", "Patience", "Guns N’ Roses"),
            ("g2", "Paradise City", "Guns N' Roses")]
    return TitleIndex(TitleEntry(i, t, a) for i, t, a in rows)


def test_an_artist_radio_typed_without_symbols_takes_every_spelling_of_the_band():
    """`--artist acdc` took the "ACDC" folder's tracks alone (the exact normalised name) and
    `--artist ac/dc` AC/DC's tagged ones alone; `--artist mo` took Mogwai, Motörhead and Mötley
    Crüe (WRatio over 80), not "MØ"."""
    idx = _index()
    assert {e.track_id for e in idx.artist_tracks("acdc")} == {"a1", "a2", "a3"}
    assert {e.track_id for e in idx.artist_tracks("ac/dc")} == {"a1", "a2", "a3"}
    assert {e.track_id for e in idx.artist_tracks("mo")} == {"m1"}
    assert {e.track_id for e in idx.artist_tracks("guns n' roses")} == {"g1", "g2"}
    assert idx.resolve("go down", artist="ac/dc").track_id == "a2"


def test_a_title_typed_without_its_nordic_letters_is_found_exactly():
    """"odinn" matched nothing ("Óðinn": NFKD keeps "ð"); the closest named it."""
    assert _index().resolve("odinn").track_id == "s1"
    assert _index().resolve("Óðinn").track_id == "s1"
