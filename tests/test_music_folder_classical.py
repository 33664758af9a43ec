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

