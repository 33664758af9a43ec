"""The eleventh real library's (a classical collector's) findings, each on files made here."""

from __future__ import annotations

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.worknames import names_a_work
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")


def test_an_untagged_rip_named_by_work_and_movement_keeps_its_folders_artist_and_album(tmp_path):
    """A box's untagged rip, "CD1/01 Symphony No. 1 - Adagio molto.flac": "Symphony No. 1" was
    each disc's artist and the album was lost; the name is the title, the folders the rest."""
    lib = tmp_path / "lib"
    box = lib / "Beethoven, Ludwig van/Complete Symphonies (Karajan 1963)"
    tagged_flac(box / "CD1/01 Symphony No. 1 - Adagio molto.flac", 0.2)
    tagged_flac(box / "CD1/02 Symphony No. 1 - Andante cantabile.flac", 0.2)
    tagged_flac(box / "CD3/01 Symphony No. 5 - Allegro con brio.flac", 0.2)
    tagged_flac(lib / "Fournier/Cello Suites/01 BWV 1007 - Prelude.flac", 0.2)
    tagged_flac(lib / "Fournier/Cello Suites/02 BWV 1007 - Allemande.flac", 0.2)
    tagged_flac(lib / "Downloads/Daft Punk - One More Time.flac", 0.2)  # an artist's, as before
    tracks = {t.source.rsplit("/", 1)[1]: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    one = tracks["01 Symphony No. 1 - Adagio molto.flac"]
    assert (one.title, one.album) == ("Symphony No. 1 - Adagio molto", "Complete Symphonies (Karajan 1963)")
    assert "Beethoven" in one.artist and "Symphony" not in one.artist
    assert tracks["01 Symphony No. 5 - Allegro con brio.flac"].album == one.album
    prelude = tracks["01 BWV 1007 - Prelude.flac"]
    assert (prelude.title, prelude.artist, prelude.album) == ("BWV 1007 - Prelude", "Fournier", "Cello Suites")
    assert tracks["Daft Punk - One More Time.flac"].artist == "Daft Punk"


@pytest.mark.parametrize("text", ["Symphony No. 5", "BWV 1007", "Piano Concerto No. 1, Op. 23", "Sinfonie Nr. 9",
                                  "K. 525", "Hob. XVI:52", "Cello Suite, BWV 1007"])
def test_works_by_number_or_catalogue(text):
    assert names_a_work(text)


@pytest.mark.parametrize("text", ["Symphony X", "Sonata Arctica", "Op Ivy", "Requiem", "D 12", "Suite 16", "Daft Punk"])
def test_bands_named_like_forms_stay_artists(text):
    assert not names_a_work(text)


def test_a_composer_tagged_by_surname_is_the_librarys_full_name_for_him(tmp_path):
    """Harnoncourt's Fifth tagged composer "Beethoven" (iTunes), Karajan's "Ludwig van
    Beethoven": two composer nodes for one man. "Bach" with two Bachs in the library stays."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Karajan/Fifth/01 I.flac", TITLE="Symphony No. 5: I. Allegro con brio",
                ARTIST="Berliner Philharmoniker, Herbert von Karajan", COMPOSER="Ludwig van Beethoven")
    tagged_flac(lib / "Harnoncourt/Fifth/01 I.flac", TITLE="Symphony No. 5: I. Allegro con brio",
                ARTIST="Chamber Orchestra of Europe, Nikolaus Harnoncourt", COMPOSER="beethoven")
    tagged_flac(lib / "Leonhardt/Bachs/01 a.flac", TITLE="a", ARTIST="Leonhardt", COMPOSER="Johann Sebastian Bach")
    tagged_flac(lib / "Leonhardt/Bachs/02 b.flac", TITLE="b", ARTIST="Leonhardt", COMPOSER="Carl Philipp Emanuel Bach")
    tagged_flac(lib / "Leonhardt/Bachs/03 c.flac", TITLE="c", ARTIST="Leonhardt", COMPOSER="Bach")
    tagged_flac(lib / "Old/Rip/01 d.flac", TITLE="d", ARTIST="Someone", COMPOSER="Mozart")
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["Harnoncourt/Fifth/01 I.flac"].composer == "Ludwig van Beethoven"
    assert tracks["Leonhardt/Bachs/03 c.flac"].composer == "Bach"  # which Bach: no one can say
    assert tracks["Old/Rip/01 d.flac"].composer == "Mozart"  # no full name to vouch for it
