"""Seeds typed in Latin letters for Cyrillic titles: a listener without a Cyrillic keyboard types
"Vladimirskiy tsentral" for "Владимирский централ" (lib25: eight such seeds were "no track
matches")."""

from __future__ import annotations

import pytest

from recsys.errors import NotFoundError
from recsys.query.titlekeys import seed_form
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import TitleIndex

ENTRIES = [
    TitleEntry("krug", "Владимирский централ", "Михаил Круг"),
    TitleEntry("zemfira", "Хочешь?", "Земфира"),
    TitleEntry("bi2", "Мой рок-н-ролл", "Би-2"),
    TitleEntry("azis", "Мразиш", "Азис"),
    TitleEntry("kino", "Группа крови", "Кино"),
    TitleEntry("kino-latin", "Gruppa krovi", "Kino"),
    TitleEntry("sonne", "Sonne", "Rammstein"),
]


@pytest.mark.parametrize("typed, track", [
    ("Vladimirskiy tsentral", "krug"), ("Vladimirsky tsentral", "krug"), ("Hochesh", "zemfira"),
    ("Moy rok-n-roll", "bi2"), ("mrazish", "azis"), ("Владимирский централ", "krug"), ("Sonne", "sonne"),
])
def test_a_cyrillic_title_is_found_by_its_latin_spelling(typed, track):
    assert TitleIndex(ENTRIES).resolve(typed).track_id == track


def test_a_song_tagged_in_both_alphabets_is_one_song_to_a_seed():
    """"Gruppa krovi" (a hitmo download's tag) and "Группа крови" (the CD's), both Kino's: the
    seed in either alphabet finds the song, no error asking which."""
    index = TitleIndex(ENTRIES)
    assert index.resolve("Gruppa krovi").track_id in {"kino", "kino-latin"}
    assert index.resolve("Группа крови").track_id in {"kino", "kino-latin"}
    assert seed_form("Группа крови") == seed_form("Gruppa Krovi!") == "gruppa krovi"


def test_a_latin_seed_far_from_every_title_is_still_not_found():
    with pytest.raises(NotFoundError):
        TitleIndex(ENTRIES).resolve("Nothing Else Matters")
