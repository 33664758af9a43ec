"""An artist the reader joined is one artist to the song keys and the seed lookup: a band's
leader credited beside it by his joined name (lib28's Fela), and one joined artist's title in
Latin letters and in Cyrillic or abjad ones one song (lib25's Сплин / Splean)."""

from __future__ import annotations

from pathlib import Path

from recsys.catalog import read_music_folder
from recsys.query.samesongs import joined_name, read_alike
from recsys.query.seeds import title_entry
from recsys.query.titlepick import AmbiguousTitleError, TitleEntry, pick, song_roots
from recsys.query.titles import TitleIndex
from recsys.query.versions import song_keys
from recsys.store.base import PointRecord
from tests.support.tagged_files import tagged_flac

import pytest


def _fela(lib: Path) -> None:
    """lib28's Fela: his 1972 record as "Fela Ransome-Kuti and the Africa '70", his 1975 one as
    "Fela Anikulapo Kuti & Africa 70" (the band credits its leader), a compilation as "Fela
    Kuti", all in ``Fela Kuti/``."""
    tagged_flac(lib / "FLAC/Fela Kuti/1972 - Shakara/01 - Lady.flac", TITLE="Lady", ARTIST="Fela Ransome-Kuti and the Africa '70",
                ALBUMARTIST="Fela Ransome-Kuti and the Africa '70", ALBUM="Shakara")
    tagged_flac(lib / "FLAC/Fela Kuti/1975 - Expensive Shit/02 - Water No Get Enemy.flac", TITLE="Water No Get Enemy",
                ARTIST="Fela Anikulapo Kuti & Africa 70", ALBUMARTIST="Fela Anikulapo Kuti & Africa 70", ALBUM="Expensive Shit")
    for n, title in enumerate(("Lady", "Water No Get Enemy"), 1):
        tagged_flac(lib / f"FLAC/Fela Kuti/2009 - The Best of the Black President/0{n} - {title}.flac", TITLE=title,
                    ARTIST="Fela Kuti", ALBUMARTIST="Fela Kuti", ALBUM="The Best of the Black President")


def _points(lib: Path, tmp_path: Path) -> list[PointRecord]:
    return [PointRecord(t.track_id, payload=t.payload()) for t in read_music_folder(lib, tmp_path / "covers").tracks]


def test_a_bands_leader_is_credited_by_his_joined_name(tmp_path):
    lib = tmp_path / "lib"
    _fela(lib)
    band = next(p for p in _points(lib, tmp_path) if p.get("album") == "Shakara")
    assert band.get("artists") == ["Fela Ransome-Kuti and the Africa '70", "Fela Ransome-Kuti"]
    assert band.get("artists_as") == ["", "Fela Kuti"]  # the band is itself; its leader is Fela Kuti
    compilation = next(p for p in _points(lib, tmp_path) if p.get("album") == "The Best of the Black President")
    assert "artists_as" not in compilation.payload  # one artist, known as tagged: the payload as it was


@pytest.mark.parametrize("title", ["Lady", "Water No Get Enemy"])
def test_a_song_by_a_leaders_band_and_by_his_joined_name_is_one_seed(tmp_path, title):
    """lib28: the seeds "Lady" and "Water No Get Enemy" were errors naming "Fela Ransome-Kuti and
    the Africa '70" and "Fela Kuti": the band's leader was compared by his spelling."""
    lib = tmp_path / "lib"
    _fela(lib)
    points = _points(lib, tmp_path)
    index = TitleIndex(title_entry(p) for p in points)
    assert index.resolve(title).title == title
    band, own = (p for p in points if p.get("title") == title and p.get("album") != "The Best of the Black President"), \
        (p for p in points if p.get("title") == title and p.get("album") == "The Best of the Black President")
    assert set(song_keys(next(band))) & set(song_keys(next(own)))  # the results' dedup: one song too


def test_a_leader_without_a_joined_name_is_keyed_by_his_own():
    assert joined_name("Miles Davis", ("Miles Davis Quintet", "Miles Davis"), ()) == "Miles Davis"
    assert joined_name("Fela Ransome-Kuti", ("Band", "Fela Ransome-Kuti"), ("", "Fela Kuti")) == "Fela Kuti"
    assert joined_name("Band", ("Band", "Fela Ransome-Kuti"), ("", "Fela Kuti")) == "Band"


def _splin() -> list[TitleEntry]:
    """lib25: Сплин's CD rip in Cyrillic and the iTunes album of "Splean" (joined: ``artist_as``)."""
    return [TitleEntry("1", "Линия жизни", "Сплин"), TitleEntry("2", "Романс", "Сплин"),
            TitleEntry("3", "Liniya zhizni", "Splean", known_as="Сплин"),
            TitleEntry("4", "Orbit bez sakhara", "Splean", known_as="Сплин"), TitleEntry("5", "Орбит без сахара", "Сплин")]


def test_one_joined_artists_title_in_two_scripts_is_one_song():
    """``translit`` writes "линия" "linia", iTunes "Liniya": ``--artist Splin`` seeded both."""
    entries = _splin()
    roots = song_roots(entries)
    assert roots[0] == roots[2] and roots[3] == roots[4] and roots[1] != roots[0]
    seeds = TitleIndex(entries).artist_tracks("Splin")
    assert sorted(e.track_id for e in seeds) in (["1", "2", "4"], ["1", "2", "5"], ["2", "3", "4"], ["2", "3", "5"])


def test_two_artists_titles_that_read_alike_stay_two_songs():
    """A reading is loose: only one joined artist's titles are compared."""
    entries = [TitleEntry("1", "Линия жизни", "Сплин"), TitleEntry("2", "Liniya zhizni", "Someone Else")]
    with pytest.raises(AmbiguousTitleError):
        pick("Liniya zhizni", entries)
    assert read_alike([("splin", "линия жизни"), ("someoneelse", "liniya zhizni")]) == []


def test_an_artists_other_latin_title_is_no_reading():
    assert read_alike([("splin", "линия жизни"), ("splin", "romans")]) == []
    assert read_alike([("fairuz", "نسم علينا الهوى"), ("fairuz", "nassam alayna el hawa")]) == [(1, 0)]
