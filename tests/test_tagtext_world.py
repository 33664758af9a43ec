"""Arabic and Persian (Windows-1256), Hebrew (1255), Greek (1253) and Thai (874) text that old
Windows taggers stored in ID3 frames marked Latin-1, read back (``recsys.catalog.tagtext.repaired``,
``recsys.catalog.codepages``); Latin-1 names of the languages whose letters those bytes also are
stay as they are."""

from __future__ import annotations

import pytest

from recsys.catalog.tagtext import repaired
from tests.support import tag_names


def _stored_as_latin1(text: str, codec: str) -> str:
    return text.encode(codec).decode("latin-1")


@pytest.mark.parametrize(("names", "codec"), [
    (tag_names.ARABIC, "cp1256"),
    (tag_names.PERSIAN, "cp1256"),
    (tag_names.HEBREW, "cp1255"),
    (tag_names.GREEK, "cp1253"),
    (tag_names.THAI, "cp874"),
], ids=["arabic", "persian", "hebrew", "greek", "thai"])
def test_real_names_read_back(names: tuple[str, ...], codec: str) -> None:
    """Each name, its code page's bytes read as Latin-1 (as mutagen reads the frame), reads
    back whole: before, they came out as Cyrillic ("ÝíÑæÒ", فيروز, as "ЭнСжТ") or Chinese."""
    wrong = {name: got for name in names if (got := repaired(_stored_as_latin1(name, codec))) != name}
    assert wrong == {}


def test_fairouz_and_greek_and_hebrew_examples() -> None:
    assert repaired("ÝíÑæÒ") == "فيروز"
    assert repaired("¢ëêçóôéò Ðñùôïø\xdcëôç") == "Άλκηστις Πρωτοψάλτη"
    assert repaired("ùìåí") == "שלום"


def test_latin1_names_of_those_letters_stay() -> None:
    """Italian, Nordic, Icelandic, Faroese, Catalan names, and Turkish and Polish in UTF-8."""
    names = tag_names.LATIN_BESIDE_CODE_PAGES + tag_names.ACCENTED_LATIN
    assert {n: repaired(n) for n in names if repaired(n) != n} == {}


@pytest.mark.parametrize(("names", "codec"), [
    (tag_names.CYRILLIC, "cp1251"), (tag_names.CHINESE, "gb18030"), (tag_names.KOREAN, "cp949"),
    (tag_names.TRADITIONAL, "cp950"), (tag_names.JAPANESE, "cp932"),
], ids=["cyrillic", "chinese", "korean", "traditional", "japanese"])
def test_other_code_pages_read_as_before(names: tuple[str, ...], codec: str) -> None:
    wrong = {name: got for name in names if (got := repaired(_stored_as_latin1(name, codec))) != name}
    assert wrong == {}


def test_arabic_and_greek_tags_read_from_a_file(tmp_path) -> None:
    """An ID3v1 tag (30-byte fields of raw code-page bytes) and an ID3v2.3 tag with Latin-1
    frames holding Windows-1256 and Windows-1253 bytes read back as written."""
    mutagen = pytest.importorskip("mutagen")
    from mutagen.id3 import TALB, TIT2, TPE1

    from recsys.catalog import read_music_folder
    from tests.test_music_folder_tags import _wav

    lib = tmp_path / "lib"
    audio = mutagen.File(_wav(lib / "gr.wav"))
    audio.add_tags()
    for frame, text in ((TIT2, "Άρνηση"), (TPE1, "Άλκηστις Πρωτοψάλτη"), (TALB, "Τα καλύτερα")):
        audio.tags.add(frame(encoding=0, text=_stored_as_latin1(text, "cp1253")))
    audio.save(v2_version=3)

    from tests.test_audio_formats import write_tone

    mp3 = write_tone(lib / "fairouz.mp3", 0.5)

    def field(text: str) -> bytes:
        return text.encode("cp1256").ljust(30, b"\x00")

    mp3.write_bytes(mp3.read_bytes() + b"TAG" + field("زهرة المدائن") + field("فيروز")
                    + field("الأخوين رحباني") + b"1967" + b"\x00" * 30 + b"\xff")
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    gr = tracks["gr.wav"]
    assert (gr.title, gr.artist, gr.album) == ("Άρνηση", "Άλκηστις Πρωτοψάλτη", "Τα καλύτερα")
    fairouz = tracks["fairouz.mp3"]
    assert (fairouz.title, fairouz.artist, fairouz.album) == ("زهرة المدائن", "فيروز", "الأخوين رحباني")
