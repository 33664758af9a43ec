"""What a second pass over the twenty-fifth real library (a Russian, Ukrainian, Serbian and
Bulgarian listener's) found: a Latin name typed for an artist the library names in Cyrillic alone,
a surname typed alone across scripts, a seed typed a letter off the one transliteration of its
Cyrillic title. Each case rebuilt here from tiny entries."""

from __future__ import annotations

import pytest

from recsys.catalog.cyrillicnames import reads_as, typed_cyrillic_keys
from recsys.errors import NotFoundError
from recsys.labels import label_key
from recsys.query.composers import ComposerIndex
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import TitleIndex


def _library() -> TitleIndex:
    return TitleIndex([
        TitleEntry("1", "Прованс", "Ёлка"), TitleEntry("2", "Около тебя", "Ёлка"),
        TitleEntry("3", "Утекай", "Мумий Тролль"), TitleEntry("4", "Владивосток 2000", "Мумий Тролль"),
        TitleEntry("5", "Пачка сигарет", "Виктор Цой"), TitleEntry("6", "Город золотой", "Аквариум"),
        TitleEntry("7", "Щурче", "Лили Иванова"), TitleEntry("8", "Blue Train", "John Coltrane"),
    ])


# ---- a Latin name typed for an artist named in Cyrillic alone --------------------------------


@pytest.mark.parametrize("typed, artist", [
    ("Yolka", "Ёлка"),  # its key is "elka": BGN/PCGN writes "ё" "e"
    ("Mumiy Troll", "Мумий Тролль"),  # the band's own spelling; the key is "mumii troll"
    ("Viktor Tsoy", "Виктор Цой"),  # iTunes' spelling
    ("Akvarium", "Аквариум"),
])
def test_a_latin_spelling_typed_finds_the_artist_named_in_cyrillic(typed, artist):
    """``--artist Yolka`` was "no artist matches 'Yolka'" where the library names her "Ёлка" alone."""
    assert {e.artist for e in _library().artist_tracks(typed)} == {artist}


def test_a_translation_is_no_spelling():
    """"Aquarium" translates "Аквариум"; only a spelling of its letters is read as it."""
    with pytest.raises(NotFoundError):
        _library().artist_tracks("Aquarium")
    assert typed_cyrillic_keys("Aquarium", ["Аквариум"]) == set()


def test_a_typed_name_that_reads_as_two_artists_is_neither():
    assert typed_cyrillic_keys("Elka", ["Ёлка", "Елка", "Кино"]) == {label_key("Ёлка")}  # one key
    assert len(typed_cyrillic_keys("Mumiy Trol", ["Мумий Тролль", "Мумий Троль"])) == 2


def test_a_composer_named_in_cyrillic_is_found_by_a_latin_spelling():
    index = ComposerIndex.of_rows([("Виктор Цой", 4), ("Борис Гребенщиков", 2)])
    assert [c.name for c in index.matching("Viktor Tsoy")] == ["Виктор Цой"]
    assert [c.name for c in index.matching("Boris Grebenshchikov")] == ["Борис Гребенщиков"]  # its key


# ---- a surname typed alone, across scripts ----------------------------------------------------


def test_a_surname_typed_alone_finds_the_cyrillic_artist_as_a_latin_one():
    """``--artist coltrane`` found "John Coltrane"; ``--artist tsoi`` found no "Виктор Цой"."""
    index = _library()
    assert {e.artist for e in index.artist_tracks("coltrane")} == {"John Coltrane"}
    assert {e.artist for e in index.artist_tracks("tsoi")} == {"Виктор Цой"}


# ---- a seed a letter off its Cyrillic title's transliteration ----------------------------------


@pytest.mark.parametrize("typed, title", [
    ("Utekay", "Утекай"),  # "й" as "y" ("utekai" by the key's system)
    ("Shturche", "Щурче"),  # Bulgarian "щ" as "sht"
    ("Vladivostok 2000", "Владивосток 2000"),
])
def test_a_latin_seed_is_read_as_its_cyrillic_title(typed, title):
    index = _library()
    assert index.resolve(typed).title == title
    assert index.resolve(typed, artist=index.resolve(title).artist).title == title


def test_a_seed_of_other_letters_or_numbers_is_still_no_title():
    assert not reads_as("Vladivostok 3000", "Владивосток 2000")
    with pytest.raises(NotFoundError):
        _library().resolve("Utekey")  # "е" is no "й"
