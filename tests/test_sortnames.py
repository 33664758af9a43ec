"""Names tagged last name first ("Davis, Miles", a CD database's "Beethoven, Ludwig van") are
read in reading order where the library spells the same person so elsewhere
(``recsys.catalog.sortnames``): one artist, one composer, not two."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_catalog
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")


def _read(lib: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_catalog(lib, cover_cache=tmp_path / "covers").tracks}


def test_a_sort_form_artist_is_the_library_s_reading_order_one(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", artist="Davis, Miles", title="So What", album="Kind of Blue")
    tagged_flac(lib / "b.flac", artist="Miles Davis", title="Solar", album="Walkin'")
    tagged_flac(lib / "c.flac", artist="Miles Davis & John Coltrane", title="Duet")
    tagged_flac(lib / "d.flac", artist="Coltrane, John", title="Naima", album="Giant Steps", albumartist="Coltrane, John")
    tagged_flac(lib / "e.flac", artist="John Coltrane", title="Giant Steps")
    tracks = _read(lib, tmp_path)
    assert tracks["a.flac"].artist == "Miles Davis"
    assert (tracks["d.flac"].artist, tracks["d.flac"].album_artist) == ("John Coltrane", "John Coltrane")


def test_composers_from_a_cd_database(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", artist="Berliner Philharmoniker", composer="Beethoven, Ludwig van", title="Symphony No. 5")
    tagged_flac(lib / "b.flac", artist="Wiener Philharmoniker", composer="Ludwig van Beethoven", title="Symphony No. 7")
    assert _read(lib, tmp_path)["a.flac"].composer == "Ludwig van Beethoven"


def test_without_a_witness_or_with_several_names_a_name_stays(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", artist="Tyler, The Creator", title="EARFQUAKE")
    tagged_flac(lib / "b.flac", artist="Earth, Wind & Fire", title="September")
    tagged_flac(lib / "c.flac", artist="Wind & Fire Earth", title="Not a band")
    tagged_flac(lib / "d.flac", artist="Davis, Miles", title="So What")
    tagged_flac(lib / "e.flac", artist="Peter, Paul and Mary", title="Puff")
    tagged_flac(lib / "f.flac", artist="Paul and Mary Peter", title="Nobody")
    tracks = _read(lib, tmp_path)
    assert [tracks[s].artist for s in ("a.flac", "b.flac", "d.flac", "e.flac")] == [
        "Tyler, The Creator", "Earth, Wind & Fire", "Davis, Miles", "Peter, Paul and Mary",
    ]


def test_an_article_at_the_end_is_read_first(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", artist="Beatles, The", title="Help!")
    tagged_flac(lib / "b.flac", artist="The beatles", title="Yesterday")
    tagged_flac(lib / "c.flac", artist="Ärzte, Die", title="Schrei nach Liebe")
    tracks = _read(lib, tmp_path)
    assert (tracks["a.flac"].artist, tracks["c.flac"].artist) == ("The beatles", "Die Ärzte")
