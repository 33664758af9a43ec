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


def _mp3_with(path, **frames):
    import numpy as np
    import soundfile as sf
    from mutagen.id3 import ID3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tags = ID3()
    for frame in frames.values():
        tags.add(frame)
    tags.save(path)


def test_an_orchestra_and_its_conductor_are_a_list_where_the_performer_tags_name_them(tmp_path):
    """"Berliner Philharmoniker, Herbert von Karajan" with CONDUCTOR Karajan: each part is
    credited, Karajan an artist of his own (a real box, an opera and a compilation were three
    unrelated artists); the whole value stays the primary artist, so that Abbado's Fifth with
    the same orchestra is no version of Karajan's. A comma without such a tag is a band's name."""
    from mutagen.id3 import TIT2, TMCL, TPE1, TPE3

    lib = tmp_path / "lib"
    tagged_flac(lib / "Karajan/Box/CD1/01 a.flac", TITLE="Symphony No. 1: I. Adagio",
                ARTIST="Berliner Philharmoniker, Herbert von Karajan", CONDUCTOR="Herbert von Karajan")
    tagged_flac(lib / "Karajan/Boheme/01 b.flac", TITLE="La Bohème: Act I",
                ARTIST="Luciano Pavarotti, Mirella Freni, Berliner Philharmoniker, Herbert von Karajan",
                PERFORMER=["Luciano Pavarotti (tenor)", "Mirella Freni (soprano)"])
    _mp3_with(lib / "Kleiber/Fifth/01 c.mp3", a=TIT2(encoding=3, text="I. Allegro con brio"),
              b=TPE1(encoding=3, text="Wiener Philharmoniker, Carlos Kleiber"), c=TPE3(encoding=3, text="Carlos Kleiber"))
    _mp3_with(lib / "Argerich/Concerto/01 d.mp3", a=TIT2(encoding=3, text="I. Allegro"),
              b=TPE1(encoding=3, text="Martha Argerich, Claudio Abbado"),
              c=TMCL(encoding=3, people=[["piano", "Martha Argerich"]]))
    tagged_flac(lib / "Abbado/Fifth/01 g.flac", TITLE="Symphony No. 1: I. Adagio",
                ARTIST="Berliner Philharmoniker, Claudio Abbado", CONDUCTOR="Claudio Abbado")
    tagged_flac(lib / "EWF/Hits/01 e.flac", TITLE="September", ARTIST="Earth, Wind & Fire")
    tagged_flac(lib / "Abbado/Mahler/01 f.flac", TITLE="I. Kräftig", ARTIST="Wiener Philharmoniker, Claudio Abbado")
    tracks = {t.source.rsplit("/", 1)[1]: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    karajan = "Berliner Philharmoniker, Herbert von Karajan"
    assert tracks["01 a.flac"].artists == (karajan, "Berliner Philharmoniker", "Herbert von Karajan")
    assert tracks["01 a.flac"].artist == "Berliner Philharmoniker, Herbert von Karajan"  # as tagged
    assert tracks["01 b.flac"].artists[1:] == ("Luciano Pavarotti", "Mirella Freni", "Berliner Philharmoniker",
                                              "Herbert von Karajan")
    assert tracks["01 c.mp3"].artists == ("Wiener Philharmoniker, Carlos Kleiber", "Wiener Philharmoniker",
                                          "Carlos Kleiber")
    assert tracks["01 d.mp3"].artists == ("Martha Argerich, Claudio Abbado", "Martha Argerich", "Claudio Abbado")
    # the same work by the same orchestra under another conductor: another primary artist
    assert tracks["01 g.flac"].artists[0] != tracks["01 a.flac"].artists[0]
    assert tracks["01 e.flac"].artists == ()  # a band's name
    assert tracks["01 f.flac"].artists == ()  # no tag says it is a list
