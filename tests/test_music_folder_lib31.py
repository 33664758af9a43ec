"""A Greek listener's library (lib31): Minos-EMI rips tagged in Greek ("Χάρις Αλεξίου"), iTunes
purchases under the labels' Latin names ("Haris Alexiou", "Yiorgos Dalaras", "Manos
Hadjidakis") and greeklish downloads ("Xaris Aleksiou", "Giorgos Ntalaras", "Stelios
Kazantzidhs"): one singer in two to four rows of the artist facet before (46 rows -> 28), and
an old Winamp folder in Windows-1253 whose short, unaccented "Πυξ Λαξ" read as Cyrillic ("Рхо
Лбо") and whose "Κραυγή" read as Chinese ("蜀狨戕")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.greeknames import greek_reading, reads_as, spelling_groups, typed_greek_keys
from recsys.catalog.model import TrackRecord
from recsys.catalog.tagtext import repaired
from recsys.labels import SAME_ARTIST, label_key
from recsys.query.composers import ComposerIndex
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import TitleIndex
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


# ---- a Greek name's Latin spellings ------------------------------------------------------------


@pytest.mark.parametrize("greek, latin", [
    ("Χάρις Αλεξίου", "Haris Alexiou"),  # χ "h": the label's
    ("Χάρις Αλεξίου", "Xaris Aleksiou"),  # greeklish: χ "x", ξ "ks"
    ("Γιώργος Νταλάρας", "Yiorgos Dalaras"),  # γι "yi", ντ "d"
    ("Γιώργος Νταλάρας", "Giorgos Ntalaras"),  # letter by letter
    ("Μάνος Χατζιδάκις", "Manos Hadjidakis"),  # τζ "dj"
    ("Στέλιος Καζαντζίδης", "Stelios Kazantzidhs"),  # η "h"
    ("Βασίλης Τσιτσάνης", "Vassilis Tsitsanis"),  # a doubled letter
    ("Διονύσης Σαββόπουλος", "Dionisis Savopoulos"),
    ("Μιχάλης Χατζηγιάννης", "Mixalis Hatzigiannis"),
    ("Καίτη Γαρμπή", "Kaiti Garbi"),  # μπ "b" within a word
    ("Ζεϊμπέκικο", "Zeibekiko"),  # the diaeresis parts ε and ι
    ("Υπάρχω", "Yparho"),
])
def test_latin_spellings_read_as_the_greek_name(greek, latin):
    assert reads_as(latin, greek)


@pytest.mark.parametrize("greek, latin", [
    ("Γιώργος Νταλάρας", "George Dalaras"),  # a translation, no spelling
    ("Χάρις Αλεξίου", "Haris Alexandrou"),
    ("Υπάρχω", "Ypaxro"),
    ("Ζεϊμπέκικο", "Zibekiko"),  # ει would be "i"; with its diaeresis it is "ei"
])
def test_other_names_are_no_spelling_of_the_greek_one(greek, latin):
    assert not reads_as(latin, greek)


def test_a_short_greek_name_has_no_reading():
    assert greek_reading("Άλφα") is not None and greek_reading("Ρία") is None  # three letters


def test_only_a_latin_name_of_one_greek_artist_joins():
    groups = spelling_groups(["Χάρις Αλεξίου", "Haris Alexiou", "Xaris Aleksiou", "Paschalis Terzis",
                              "Πασχάλης Τερζής", "Γιώργος Νταλάρας", "George Dalaras", "Νίκος Βέρτης",
                              "Νίκος Βέρτις", "Nikos Vertis", "Виктор Цой", "Viktor Tsoy"])
    assert groups["Haris Alexiou"] == groups["Xaris Aleksiou"] == groups["Χάρις Αλεξίου"] == label_key("Χάρις Αλεξίου")
    assert "George Dalaras" not in groups and "Γιώργος Νταλάρας" not in groups
    assert "Paschalis Terzis" not in groups  # its key is the Greek name's already
    assert "Nikos Vertis" not in groups  # it spells two Greek names: which one?
    assert "Viktor Tsoy" not in groups  # Cyrillic's, not Greek's


def test_a_singer_in_greek_and_in_her_latin_names_is_one_artist(tmp_path):
    """Haris Alexiou was four rows of a Greek listener's artist facet (the CD rip's "Χάρις
    Αλεξίου", iTunes' "Haris Alexiou", mp3xd's "Xaris Aleksiou" and "Xaris Alexiou")."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "cd/01.flac", TITLE="Τα τσιγάρα", ARTIST="Χάρις Αλεξίου")
    tagged_flac(lib / "iTunes/02.flac", TITLE="Krifa", ARTIST="Haris Alexiou")
    tagged_flac(lib / "dl/03.flac", TITLE="I Alli", ARTIST="Xaris Aleksiou")
    tagged_flac(lib / "dl/04.flac", TITLE="Dinata", ARTIST="George Dalaras")
    tagged_flac(lib / "cd/05.flac", TITLE="Μπαξέ τσιφλίκι", ARTIST="Γιώργος Νταλάρας")
    tracks = _read(lib, tmp_path)
    keys = {t.source: t.payload()["artist_key"] for t in tracks.values()}
    assert keys["cd/01.flac"] == keys["iTunes/02.flac"] == keys["dl/03.flac"]
    key = keys["cd/01.flac"]
    assert {"charisalexiou", "harisalexiou", "xarisaleksiou"} <= set(key) and SAME_ARTIST in key
    assert tracks["iTunes/02.flac"].artist == "Haris Alexiou"  # the name as tagged
    assert keys["dl/04.flac"] == "georgedalaras"  # a translation stays apart


# ---- the query side: a Latin name typed for a Greek one ----------------------------------------


def test_a_latin_name_typed_finds_the_greek_artist():
    names = ["Χάρις Αλεξίου", "Γιώργος Νταλάρας", "Haris Alexandrou"]
    assert typed_greek_keys("Haris Alexiou", names) == {label_key("Χάρις Αλεξίου")}
    assert typed_greek_keys("George Dalaras", names) == set()
    entries = [TitleEntry("a", "Τα τσιγάρα", "Χάρις Αλεξίου"), TitleEntry("b", "Υπάρχω", "Στέλιος Καζαντζίδης"),
               TitleEntry("c", "Krifa", "Haris Alexandrou")]
    index = TitleIndex(entries)
    assert [e.track_id for e in index.artist_tracks("Haris Alexiou")] == ["a"]
    assert index.resolve("Yparho").track_id == "b"  # keyed "yparcho"


def test_a_latin_name_typed_finds_the_greek_composer():
    index = ComposerIndex.of_rows([("Μάνος Χατζιδάκις", 3), ("Μίκης Θεοδωράκης", 2)])
    (found,) = index.matching("Manos Hadjidakis")
    assert "Μάνος Χατζιδάκις" in found.spellings


# ---- the Winamp folder's Windows-1253 ----------------------------------------------------------


def _stored_as_latin1(text: str, codec: str = "cp1253") -> str:
    return text.encode(codec).decode("latin-1")


def _id3_wav(path: Path, **frames: str) -> Path:
    import mutagen
    from mutagen import id3

    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(11025) / 22050
    sf.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 22050)
    audio = mutagen.File(path)
    audio.add_tags()
    for frame, text in frames.items():
        audio.tags.add(getattr(id3, frame)(encoding=0, text=_stored_as_latin1(text)))
    audio.save(v2_version=3)
    return path


def test_a_files_tags_in_windows_1253_read_its_unaccented_and_chinese_looking_values_too(tmp_path):
    """"Πυξ Λαξ" has no accent (a word of one syllable takes none), so alone it is no sure Greek
    and read as Cyrillic words ("Рхо Лбо"); "Κραυγή" alone read as GBK ("蜀狨戕"). Beside a
    title and an artist plainly Greek: one tagger, one code page."""
    lib = tmp_path / "lib"
    _id3_wav(lib / "a.wav", TIT2="Ο Πρίγκηπας", TPE1="Πυξ Λαξ", TALB="Ο Πρίγκηπας")
    _id3_wav(lib / "b.wav", TIT2="Ψέματα", TPE1="Άννα Βίσση", TALB="Κραυγή")
    tracks = _read(lib, tmp_path)
    assert (tracks["a.wav"].title, tracks["a.wav"].artist) == ("Ο Πρίγκηπας", "Πυξ Λαξ")
    assert (tracks["b.wav"].artist, tracks["b.wav"].album) == ("Άννα Βίσση", "Κραυγή")


@pytest.mark.parametrize("text, beside", [
    ("Πυξ Λαξ", ["Ο Πρίγκηπας"]), ("Κραυγή", ["Ψέματα", "Άννα Βίσση"]),
])
def test_a_value_beside_greek_values_is_greek(text, beside):
    assert repaired(_stored_as_latin1(text), [_stored_as_latin1(b) for b in beside]) == text


def test_a_cyrillic_taggers_values_stay_cyrillic():
    """Windows-1251 values that read as Greek too ("Хочешь?" as "Υξχεψό?") are no Greek
    tagger's: its other values are Cyrillic words."""
    beside = [_stored_as_latin1(v, "cp1251") for v in ("Земфира", "Прости меня моя любовь")]
    assert repaired(_stored_as_latin1("Хочешь?", "cp1251"), beside) == "Хочешь?"
    assert repaired(_stored_as_latin1("Би-2", "cp1251"), [_stored_as_latin1("Полковнику никто не пишет", "cp1251")]) == "Би-2"
