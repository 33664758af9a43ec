"""What a twenty-fifth pass over real music (a Russian, Ukrainian, Serbian and Bulgarian
listener's: an old Windows-1251 and KOI8-R mp3 collection, EAC rips of Russian rock, VK saves
whose uploaders mixed Latin and Cyrillic letters, iTunes copies under the bands' Latin names,
hitmo and primemusic downloads typed in Latin, Serbian in both alphabets) found in the catalog,
each case rebuilt here from tiny files."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.homoglyphs import one_script
from recsys.catalog.model import TrackRecord
from recsys.labels import label_key
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


# ---- a word typed in Latin and Cyrillic letters ------------------------------------------------


@pytest.mark.parametrize("typed, meant", [
    ("Kино", "Кино"),  # a VK uploader's Latin K
    ("Земфирa", "Земфира"),  # a Latin a
    ("ДДT", "ДДТ"),  # a Russian keyboard's Latin T
    ("Cплин", "Сплин"),
    ("Rаmmstеin", "Rammstein"),  # Cyrillic а and е in a Latin name
    ("Меtallica", "Metallica"),
    ("Виктор Цoй - Kукушкa", "Виктор Цой - Кукушка"),
])
def test_a_word_in_two_alphabets_is_read_in_the_one_most_of_it_is_in(typed, meant):
    assert one_script(typed) == meant


@pytest.mark.parametrize("text", ["Кино", "Би-2", "Motörhead", "Tатy", "Ünterwegs Кино", "BIG Кино", "Sonne"])
def test_words_in_one_alphabet_or_split_evenly_are_as_typed(text):
    assert one_script(text) == text


def test_vk_saves_with_mixed_letters_are_the_bands_they_name(tmp_path):
    """A VK save by "Kино" (Latin K) beside the CD's "Кино": the seed "Группа крови" was two songs
    by two artists (an error asking which), "Cплин" a row of its own ("cplin") beside "Сплин"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "CD/01.flac", TITLE="Группа крови", ARTIST="Кино")
    tagged_flac(lib / "vk/02.flac", TITLE="Группа крови", ARTIST="Kино")
    tagged_flac(lib / "vk/03.flac", TITLE="Романс", ARTIST="Cплин")
    tagged_flac(lib / "vk/04.flac", TITLE="Sonne", ARTIST="Rаmmstein")
    tagged_flac(lib / "vk/05.flac", TITLE="Искaла", ARTIST="Земфира")
    tracks = _read(lib, tmp_path)
    assert tracks["vk/02.flac"].artist == "Кино"
    assert tracks["vk/03.flac"].artist == "Сплин" and label_key(tracks["vk/03.flac"].artist) == "splin"
    assert tracks["vk/04.flac"].artist == "Rammstein"
    assert tracks["vk/05.flac"].title == "Искала"
