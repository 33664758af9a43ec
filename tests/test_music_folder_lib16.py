"""What a sixteenth pass over real music (a jazz collector's shelves: iTunes Legacy editions,
Picard-tagged RVG reissues, an EAC rip of a complete-sessions box with six takes of one tune,
a leader filed under his name, his Quintet and his Orchestra) found in the music-folder reader,
the artist keys and the results' version dedup, each case rebuilt here from tiny files made on
the fly or from names alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from recsys.labels import label_key
from recsys.query.library import Picker
from recsys.store.base import Hit
from tests.test_music_folder_tags import _flac



def _tagged(path: Path, title: str, artist: str, album_artist: str = "") -> Path:
    tags = {"TITLE": title, "ARTIST": artist, "ALBUM": path.parent.name,
            **({"ALBUMARTIST": album_artist} if album_artist else {})}
    return _flac(path.with_suffix(".flac"), **tags)


# ---- "&" and "and": one band ------------------------------------------------------------------


@pytest.mark.parametrize("one, other", [
    ("Art Blakey & The Jazz Messengers", "Art Blakey and the Jazz Messengers"),
    ("Duke Ellington and His Orchestra", "Duke Ellington & His Orchestra"),
    ("Rhythm and Blues", "Rhythm & Blues"),
    ("Florence and the Machine", "Florence + the Machine"),
    # the "and" of the fifteenth library's languages
    ("Chitãozinho e Xororó", "Chitãozinho & Xororó"),
    ("Ana Belén y Víctor Manuel", "Ana Belén & Víctor Manuel"),
    ("Les Négresses Vertes et Amis", "Les Négresses Vertes & Amis"),
    ("Rosenstolz und Freunde", "Rosenstolz & Freunde"),
])
def test_and_is_the_ampersand_it_spells(one, other):
    # a Blue Note CD tagged "&", an Impulse! one "and": two artist rows, and --artist of the one
    # missed the other's tracks
    assert label_key(one) == label_key(other)


@pytest.mark.parametrize("one, other", [("And One", "One"), ("Me and", "Me"), ("Band of Horses", "B of Horses"),
                                          ("Y Kant Tori Read", "Kant Tori Read"), ("Take That e", "Take That")])
def test_a_first_or_last_and_and_a_word_with_and_in_it_stay(one, other):
    assert label_key(one) != label_key(other)


# ---- a leader's band credits him ------------------------------------------------------------


def _artists(folder: Path) -> dict[str, tuple[str, ...]]:
    cat = read_music_folder(folder, cover_cache=folder.parent / "covers")
    return {t.title: (t.artists or (t.artist,)) for t in cat.tracks}


def test_a_band_named_for_a_leader_the_library_knows_credits_him(tmp_path):
    lib = tmp_path / "lib"
    _tagged(lib / "Miles Davis/Kind of Blue/01.wav", "So What", "Miles Davis")
    _tagged(lib / "John Coltrane/Giant Steps/01.wav", "Naima", "John Coltrane")
    _tagged(lib / "Duke Ellington/Money Jungle/01.wav", "Caravan", "Duke Ellington")
    _tagged(lib / "Count Basie/April in Paris/01.wav", "Corner Pocket", "Count Basie Orchestra", "Count Basie")
    _tagged(lib / "Prestige/Cookin/01.wav", "Airegin", "The Miles Davis Quintet")
    _tagged(lib / "Columbia/Milestones/01.wav", "Billy Boy", "Miles Davis Sextet")
    _tagged(lib / "Box/CD1/01.wav", "'Round Midnight (Take 2)", "Miles Davis & John Coltrane")
    _tagged(lib / "Newport/01.wav", "Jeep's Blues (Live)", "Duke Ellington and His Orchestra")
    _tagged(lib / "Basie/Newport/01.wav", "One O'Clock Jump (Live)", "Count Basie and His Orchestra")
    artists = _artists(lib)
    # the band stays the primary artist (the dedup and the cap key on it); the leader follows
    assert artists["Airegin"] == ("The Miles Davis Quintet", "Miles Davis")
    assert artists["Billy Boy"] == ("Miles Davis Sextet", "Miles Davis")
    assert artists["'Round Midnight (Take 2)"] == ("Miles Davis & John Coltrane", "Miles Davis", "John Coltrane")
    assert artists["Jeep's Blues (Live)"] == ("Duke Ellington and His Orchestra", "Duke Ellington")
    # a leader known as an album artist alone ("Count Basie" over his Orchestra's albums)
    assert artists["One O'Clock Jump (Live)"] == ("Count Basie and His Orchestra", "Count Basie")
    assert artists["So What"] == ("Miles Davis",)


def test_a_band_named_for_no_artist_of_the_library_credits_no_one(tmp_path):
    lib = tmp_path / "lib"
    _tagged(lib / "Charles Mingus/Ah Um/01.wav", "Fables of Faubus", "Charles Mingus")
    _tagged(lib / "Mingus Big Band/01.wav", "Goodbye Pork Pie Hat", "Mingus Big Band")  # his repertory band
    _tagged(lib / "MJQ/01.wav", "Django", "The Modern Jazz Quartet")
    _tagged(lib / "SG/01.wav", "The Boxer", "Simon & Garfunkel")
    _tagged(lib / "Brubeck/01.wav", "Take Five", "Dave Brubeck Quartet")  # no Dave Brubeck album owned
    artists = _artists(lib)
    assert artists["Goodbye Pork Pie Hat"] == ("Mingus Big Band",)
    assert artists["Django"] == ("The Modern Jazz Quartet",)
    assert artists["The Boxer"] == ("Simon & Garfunkel",)
    assert artists["Take Five"] == ("Dave Brubeck Quartet",)


def test_a_one_word_artist_is_no_leader_of_a_name_of_its_own(tmp_path):
    """"Love and Rockets" beside the band Love, "Above & Beyond" beside Beyond, "She & Him"
    beside HIM are names of their own, no one's band: a one-word part is a leader only where
    the name reads as a leader and his band ("Prince & The Revolution"), or every part is an
    artist of the library ("Drake & Future")."""
    lib = tmp_path / "lib"
    for artist, title in (("Love", "Alone Again Or"), ("Beyond", "Amani"), ("HIM", "Join Me"), ("Prince", "Kiss"),
                          ("Drake", "Passionfruit"), ("Future", "Mask Off")):
        _tagged(lib / f"{artist}/01.wav", title, artist)
    for artist, title in (("Love and Rockets", "So Alive"), ("Above & Beyond", "Sun & Moon"), ("She & Him", "Why Do You Let Me Stay Here"),
                          ("Prince & The Revolution", "Purple Rain"), ("Drake & Future", "Jumpman")):
        _tagged(lib / f"{artist}/01.wav", title, artist)
    artists = _artists(lib)
    assert artists["So Alive"] == ("Love and Rockets",)
    assert artists["Sun & Moon"] == ("Above & Beyond",)
    assert artists["Why Do You Let Me Stay Here"] == ("She & Him",)
    assert artists["Purple Rain"] == ("Prince & The Revolution", "Prince")
    assert artists["Jumpman"] == ("Drake & Future", "Drake", "Future")


# ---- a leader's song by him and by his band: one song's versions ------------------------------


def _hits(tracks: list[TrackRecord]) -> list[Hit]:
    return [Hit(t.track_id, 1.0 - i / 100, t.payload()) for i, t in enumerate(tracks)]


def test_a_leaders_song_by_him_and_by_his_band_is_one_song_in_a_list():
    # "Four" by Miles Davis and by "Miles Davis Quintet", "Little Melonae" by him and by "Miles
    # Davis & John Coltrane": an --only-artist "Miles Davis" list took each twice
    tracks = [
        TrackRecord(track_id="1", title="Four", artist="Miles Davis"),
        TrackRecord(track_id="2", title="Four", artist="Miles Davis Quintet", artists=("Miles Davis Quintet", "Miles Davis")),
        TrackRecord(track_id="3", title="Little Melonae (Take 4)", artist="Miles Davis & John Coltrane", composer="Jackie McLean",
                    artists=("Miles Davis & John Coltrane", "Miles Davis", "John Coltrane")),
        TrackRecord(track_id="4", title="Little Melonae", artist="Miles Davis"),
        TrackRecord(track_id="5", title="Naima", artist="John Coltrane"),
        TrackRecord(track_id="6", title="Naima", artist="Miles Davis & John Coltrane",
                    artists=("Miles Davis & John Coltrane", "Miles Davis", "John Coltrane")),
    ]
    picker = Picker()
    assert [h.track_id for h in _hits(tracks) if picker.take(h)] == ["1", "3", "5"]


def test_a_guest_or_a_classical_performer_list_makes_no_versions():
    tracks = [
        # a guest's own song of that title is another song
        TrackRecord(track_id="1", title="Work", artist="Drake", artists=("Drake", "Rihanna")),
        TrackRecord(track_id="2", title="Work", artist="Rihanna"),
        # Karajan's Fifth with the Berliner and with the Wiener: two recordings
        TrackRecord(track_id="3", title="Symphony No. 5", artist="Berliner Philharmoniker, Herbert von Karajan", composer="Beethoven",
                    artists=("Berliner Philharmoniker, Herbert von Karajan", "Berliner Philharmoniker", "Herbert von Karajan")),
        TrackRecord(track_id="4", title="Symphony No. 5", artist="Wiener Philharmoniker, Herbert von Karajan", composer="Beethoven",
                    artists=("Wiener Philharmoniker, Herbert von Karajan", "Wiener Philharmoniker", "Herbert von Karajan")),
    ]
    picker = Picker()
    assert [h.track_id for h in _hits(tracks) if picker.take(h)] == ["1", "2", "3", "4"]


def test_an_ensemble_word_alone_names_no_leader():
    # "The Band" is no band of a leader "The" (whose key is The The's), "The Orchestra" and "The
    # All Stars" neither; "Her Orchestra" is no "H.E.R."
    from recsys.catalog.leaders import credit_leaders, named_leaders

    tracks = [
        TrackRecord(track_id="1", title="Uncertainty", artist="The The"),
        TrackRecord(track_id="2", title="The Weight", artist="The Band"),
        TrackRecord(track_id="3", title="X", artist="The Orchestra"),
        TrackRecord(track_id="4", title="Focus", artist="H.E.R."),
        TrackRecord(track_id="5", title="Truckin'", artist="Ina Ray Hutton and Her Orchestra"),
        TrackRecord(track_id="6", title="Y", artist="The All Stars"),
    ]
    assert [t.artists or (t.artist,) for t in credit_leaders(tracks)] == [(t.artist,) for t in tracks]
    assert named_leaders("The Band", ("The Band", "The The")) == ()
