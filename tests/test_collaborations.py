"""Credits that real libraries wrote past the rules: a collaboration's " x " ("Future x Metro
Boomin"), a common noun after "mit"/"con" in a title's bracket ("(mit Liebe)"), the "e"/"y"
between two guests, and a band's name in a composer tag ("Earth, Wind & Fire"), each rebuilt
from names alone or from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.composerlists import composer_people
from recsys.catalog.credits import credited_artists, split_artists
from recsys.catalog.leaders import credit_leaders, named_leaders
from recsys.catalog.model import TrackRecord
from recsys.labels import label_key
from recsys.query.composers import ComposerIndex
from tests.support.tagged_files import tagged_flac

# ---- a collaboration's " x " -----------------------------------------------------------------


@pytest.mark.parametrize("tag, credited", [
    # lib12's "Future x Metro Boomin" and "21 Savage x Offset x Metro Boomin", lib9's "Kenta Cho x
    # Evil Mastermind": each artist, after the whole value, which stays the primary artist
    ("Future x Metro Boomin", ["Future x Metro Boomin", "Future", "Metro Boomin"]),
    ("Travis Scott x Drake", ["Travis Scott x Drake", "Travis Scott", "Drake"]),
    ("Kygo X Whitney Houston", ["Kygo X Whitney Houston", "Kygo", "Whitney Houston"]),
    ("21 Savage x Offset x Metro Boomin", ["21 Savage x Offset x Metro Boomin", "21 Savage", "Offset", "Metro Boomin"]),
    ("米津玄師 × 菅田将暉", ["米津玄師 × 菅田将暉", "米津玄師", "菅田将暉"]),
    ("Future x Metro Boomin; Drake", ["Future x Metro Boomin", "Future", "Metro Boomin", "Drake"]),
    # a guest's collaboration: its artists (a guest list is split, as on "&")
    ("Drake feat. Future x Metro Boomin", ["Drake", "Future", "Metro Boomin"]),
    ("Drake (feat. Future X Young Thug & Rihanna)", ["Drake", "Future", "Young Thug", "Rihanna"]),
])
def test_a_collaboration_credits_each_artist(tag, credited):
    assert split_artists(tag) == credited


@pytest.mark.parametrize("tag", [
    # a name's own "X", at its start or end or in a word
    "Malcolm X", "X Japan", "Brand X", "Racer X", "Generation X", "The xx", "X Ambassadors", "Pussy Riot x",
    "SBTRKT", "XXXTENTACION", "Charli XCX", "Dr. X", "Mr. X x Drake",
    # such a name going on past its "X": one name, not "Brand" with "Music"
    "Brand X Music", "Malcolm X Band", "Generation X Tribute", "Planet X Live",
    # a side that is no name: a number, one letter, a stylised lower-case name (which the library
    # may vouch for: ``leaders``)
    "10 x 10", "A x B", "bbno$ x Yung Gravy",
])
def test_an_x_of_a_name_credits_one_artist(tag):
    assert split_artists(tag) == [tag]


def test_the_library_vouches_for_a_stylised_collaboration():
    # "bbno$" begins in lower case: no rule splits it, but the library's own tracks of both do,
    # as they do "Drake & Future" (``leaders``); one of them alone and a one-word side do not
    tracks = [
        TrackRecord(track_id="1", title="Lalala", artist="bbno$ x Yung Gravy"),
        TrackRecord(track_id="2", title="Edamame", artist="bbno$"),
        TrackRecord(track_id="3", title="Mr. Clean", artist="Yung Gravy"),
        TrackRecord(track_id="4", title="Song", artist="blackbear x lany"),
        TrackRecord(track_id="5", title="Other", artist="lany"),
    ]
    assert [t.artists for t in credit_leaders(tracks)] == [
        ("bbno$ x Yung Gravy", "bbno$", "Yung Gravy"), (), (), (), ()]
    # in the results' dedup, the collaboration's song is each artist's version, as a duo's is
    assert named_leaders("Future x Metro Boomin", ("Future x Metro Boomin", "Future", "Metro Boomin")) == (
        "Future", "Metro Boomin")


def test_a_collaboration_is_read_from_a_file(tmp_path: Path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", seconds=0.25, ARTIST="Future x Metro Boomin", TITLE="Mask Off", ALBUMARTIST="Future")
    tagged_flac(lib / "b.flac", seconds=0.25, ARTIST="Malcolm X", TITLE="Speech")
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["Mask Off"].artist == "Future x Metro Boomin"
    assert tracks["Mask Off"].artists == ("Future x Metro Boomin", "Future", "Metro Boomin")
    assert tracks["Speech"].artists == ()


# ---- "(mit Liebe)": a noun, no guest ---------------------------------------------------------


@pytest.mark.parametrize("title", [
    # what a song is sung with, capitalised as German writes every noun (or a title-caser Italian)
    "Ich liebe dich (mit Liebe)", "Song (mit Gefühl)", "Song (mit Herz und Seele)", "Song (mit Freunden)",
    "Song (con Amore)", "Song (con Amor)", "Chanson (avec Amour)",
    # instruments, as the ensembles were
    "Song (mit Pauken und Trompeten)", "Song (mit Akkordeon)", "Canción (con Mariachi)", "Song (con Violines)",
])
def test_a_noun_after_mit_or_con_credits_no_one(title):
    assert credited_artists(["A"], title) == ("A",)


@pytest.mark.parametrize("title, guests", [
    ("Song (mit Udo Lindenberg)", ("Udo Lindenberg",)), ("Song (con Alejandro Sanz)", ("Alejandro Sanz",)),
    # lib15's one-word guests, none of them an artist of that library: kept (a two-word rule
    # or the library's word would have lost all four)
    ("Cello (mit Clueso) (MTV Unplugged)", ("Clueso",)), ("Vivo per lei (con Giorgia)", ("Giorgia",)),
    ("Callaíta (con Tainy)", ("Tainy",)), ("La Bicicleta (con Shakira)", ("Shakira",)),
])
def test_a_name_after_mit_or_con_is_still_a_guest(title, guests):
    assert credited_artists(["A"], title) == ("A", *guests)


# ---- "e" / "y" between two guests: as "&" ---------------------------------------------------


@pytest.mark.parametrize("joined", [
    "Henrique e Juliano", "Wisin y Yandel", "Henrique et Juliano", "Henrique und Juliano",
])
def test_the_and_of_other_languages_splits_guests_as_the_ampersand_does(joined):
    # a guest duo is split on "&" (the accepted risk of credits: "feat. Earth, Wind & Fire"),
    # so on its "e" and "y" too: one rule whichever the store wrote
    duo = joined.split()[0] + " & " + joined.split()[-1]
    assert credited_artists([f"A feat. {joined}"]) == credited_artists([f"A feat. {duo}"])
    assert credited_artists(["A"], f"Song (feat. {joined})") == credited_artists(["A"], f"Song (feat. {duo})")
    assert len(credited_artists(["A"], f"Song (feat. {joined})")) == 3
    assert credited_artists([joined]) == (joined,)  # a primary duo is one artist, as "A & B" is


# ---- a band's name in a composer tag ----------------------------------------------------------


@pytest.mark.parametrize("tag", [
    "Earth, Wind & Fire", "Crosby, Stills, Nash & Young", "Emerson, Lake & Palmer", "Crosby, Stills & Nash",
    "Blood, Sweat & Tears", "Peter, Paul and Mary",
])
def test_a_band_of_single_words_is_one_composer(tag):
    assert composer_people(tag) == (tag,)


def test_a_composer_tag_that_is_an_artist_of_the_library_is_one_name():
    artists = ("Simon & Garfunkel", "AC/DC", "Florence + the Machine", "Hans Zimmer & Lisa Gerrard")
    bands = {label_key(a) for a in artists}
    assert composer_people("Simon & Garfunkel", bands) == ("Simon & Garfunkel",)
    assert composer_people("AC/DC", bands) == ("AC/DC",)
    assert composer_people("Florence and the Machine", bands) == ("Florence and the Machine",)
    # without the library's word: a team's surnames, as before
    assert composer_people("Simon & Garfunkel") == ("Simon", "Garfunkel")
    # a duo's album named for two people who wrote its songs: each of them still
    assert composer_people("Hans Zimmer & Lisa Gerrard", bands) == ("Hans Zimmer", "Lisa Gerrard")
    # and what was a list stays one
    for tag, people in [("Rodgers & Hammerstein", ("Rodgers", "Hammerstein")),
                        ("Lennon/McCartney", ("Lennon", "McCartney")),
                        ("Bach, J. & Handel", ("Bach, J.", "Handel")),
                        ("Thelonious Monk, Cootie Williams & Bernie Hanighen",
                         ("Thelonious Monk", "Cootie Williams", "Bernie Hanighen"))]:
        assert composer_people(tag, bands) == people


def test_the_composers_facet_lists_a_band_as_one():
    index = ComposerIndex.of_rows([("Earth, Wind & Fire", 2), ("Simon & Garfunkel", 1), ("Paul Simon", 3)],
                                  frozenset({label_key("Simon & Garfunkel")}))
    assert index.rows() == [("Paul Simon", 3), ("Earth, Wind & Fire", 2), ("Simon & Garfunkel", 1)]
    # without the artists: "Simon" is Paul Simon's surname, and counts for him
    assert dict(ComposerIndex.of_rows([("Simon & Garfunkel", 1), ("Paul Simon", 3)]).rows())["Paul Simon"] == 4
