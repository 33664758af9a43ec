"""A seed's copy titled in another script is no result (``query.scriptcopies``): lib25's DDT
radio seeded "Что такое осень" and listed "Chto takoye osen'" (iTunes' spelling, which the
transliteration writes "chto takoe osen'"), lib31 seeded "Υπάρχω" and listed "Yparho"."""

from __future__ import annotations

from pathlib import Path

from recsys.catalog import read_music_folder
from recsys.query.picker import Picker
from recsys.query.samesongs import read_alike, reads_alike
from recsys.query.versions import song_keys
from recsys.store.base import Hit
from tests.support.tagged_files import tagged_flac


def _album(lib: Path, artist: str, album: str, titles: tuple[str, ...]) -> None:
    for n, title in enumerate(titles, 1):
        tagged_flac(lib / f"{artist}/{album}/0{n} - {title}.flac", TITLE=title, ARTIST=artist, ALBUMARTIST=artist, ALBUM=album)


def _hits(tmp_path: Path) -> dict[str, Hit]:
    """lib25's and lib31's shapes: a band's FLAC album in its own letters, its iTunes purchase
    in Latin ones; another artist's song whose title reads as the seed's."""
    lib = tmp_path / "lib"
    _album(lib, "ДДТ", "Актриса Весна", ("Что такое осень", "Родина"))
    _album(lib, "DDT", "Aktrisa Vesna", ("Chto takoye osen'", "Rodina", "Aktrisa vesna"))
    _album(lib, "Στέλιος Καζαντζίδης", "Υπάρχω", ("Υπάρχω",))
    _album(lib, "Stelios Kazantzidis", "Yparho", ("Yparho",))
    _album(lib, "Someone Else", "Covers", ("Chto takoye osen'",))
    tracks = read_music_folder(lib, tmp_path / "covers").tracks
    return {f"{t.artist}/{t.title}": Hit(t.track_id, 1.0, t.payload()) for t in tracks}


def _taken(picker: Picker, hits: list[Hit]) -> list[str]:
    return [f"{h.get('artist')}/{h.get('title')}" for h in hits if picker.take(h)]


def test_a_seeds_copy_in_another_script_is_no_result(tmp_path):
    hits = _hits(tmp_path)
    seed, copy = hits["ДДТ/Что такое осень"], hits["DDT/Chto takoye osen'"]
    # the keys alone take it for another song: the transliteration spells it otherwise
    assert not set(song_keys(seed)) & set(song_keys(copy))
    rest = [copy, hits["DDT/Rodina"], hits["Someone Else/Chto takoye osen'"]]
    # the band's other song stays, and another artist's song of that title (no reading asked)
    assert _taken(Picker.seeded(0, [seed]), rest) == ["DDT/Rodina", "Someone Else/Chto takoye osen'"]
    # the other way round: the Latin seed, the Cyrillic copy
    assert _taken(Picker.seeded(0, [copy]), [seed, hits["ДДТ/Родина"]]) == ["ДДТ/Родина"]
    # Greek: lib31's "Υπάρχω" (key "yparcho") and iTunes' "Yparho"
    assert _taken(Picker.seeded(0, [hits["Στέλιος Καζαντζίδης/Υπάρχω"]]), [hits["Stelios Kazantzidis/Yparho"]]) == []


def test_a_taken_results_copy_in_another_script_is_no_second_result(tmp_path):
    hits = _hits(tmp_path)
    picker = Picker.seeded(0, [hits["DDT/Aktrisa vesna"]])
    listed = [hits["ДДТ/Что такое осень"], hits["DDT/Rodina"], hits["DDT/Chto takoye osen'"], hits["ДДТ/Родина"]]
    assert _taken(picker, listed) == ["ДДТ/Что такое осень", "DDT/Rodina"]
    # a copy of the picker remembers what it took, and leaves the original as it was
    other = picker.copy()
    other.take(hits["Στέλιος Καζαντζίδης/Υπάρχω"])
    assert not other.take(hits["Stelios Kazantzidis/Yparho"])
    assert picker.take(hits["Stelios Kazantzidis/Yparho"])  # the original took no Greek song


def test_reads_alike_is_read_alikes_one_pair():
    assert reads_alike("chto takoye osen'", "что такое осень") and reads_alike("yparho", "υπάρχω")
    assert not reads_alike("rodina", "что такое осень")
    assert read_alike([("ddt", "что такое осень"), ("ddt", "chto takoye osen'"), ("ddt", "rodina")]) == [(1, 0)]


def test_two_latin_spellings_of_one_seed_read_as_one_through_its_own_letters(tmp_path):
    """The seed "Chto takoye osen'" (iTunes) leaves out "Что такое осень", then a download's
    "Chto takoe osen" (the transliteration's spelling): the two Latin titles are one script
    (no reading asked of them), but both read as the Cyrillic one the picker left out."""
    lib = tmp_path / "lib"
    _album(lib, "ДДТ", "Актриса Весна", ("Что такое осень",))
    _album(lib, "DDT", "Aktrisa Vesna", ("Chto takoye osen'",))
    tagged_flac(lib / "downloads/DDT - Chto takoe osen.flac", TITLE="Chto takoe osen", ARTIST="DDT")
    hits = {t.title: Hit(t.track_id, 1.0, t.payload()) for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert _taken(Picker.seeded(0, [hits["Chto takoye osen'"]]), [hits["Что такое осень"], hits["Chto takoe osen"]]) == []
