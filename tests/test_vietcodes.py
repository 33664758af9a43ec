"""Vietnamese tags that old Windows taggers wrote in TCVN3 (the ABC fonts' code) or in
Windows-1258 into ID3 frames marked Latin-1, read back (``recsys.catalog.vietcodes``, through
``tagtext.repaired``); Latin-1 names whose letters those codes also use stay as they are."""

from __future__ import annotations

import unicodedata

import pytest

from recsys.catalog.tagtext import repaired
from recsys.catalog.vietcodes import vietnamese_reading
from tests.support import tag_names

#: TCVN3's small letters and the capitals it has, at their Latin-1 places (TCVN 5712 VN3)
_TCVN3 = dict(zip(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ",
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦"))
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _tcvn3(text: str) -> str:
    """As an ABC-font typist wrote it and mutagen reads it: a toned capital in the small
    letter's code (its font drew it as a capital)."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c.isupper() and not c.isascii() and c not in _TCVN3:
            c = c.lower()
        out.append(_TCVN3.get(c, c))
    return "".join(out)


def _cp1258(text: str) -> str:
    """Windows-1258 as Windows writes it (a toned vowel as its base and the tone's combining
    mark where the code has no composed letter), read as Latin-1."""
    out = b""
    for c in unicodedata.normalize("NFC", text):
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", c)
            base = unicodedata.normalize("NFC", "".join(m for m in nfd if m not in _TONES))
            out += base.encode("cp1258") + "".join(m for m in nfd if m in _TONES).encode("cp1258")
    return out.decode("latin-1")


VIETNAMESE = ("Khánh Ly", "Diễm Xưa", "Hạ Trắng", "Trịnh Công Sơn", "Khánh Ly Hát Trịnh Công Sơn", "Ca Dao Mẹ",
              "Hà Nội Mùa Vắng Những Cơn Mưa", "Như Quỳnh", "Duyên Phận", "Biển Nhớ", "Việt Nam", "Tiền",
              "Quang Dũng", "Tuyển Tập Quang Dũng", "Mưa Hồng", "Sơn Tùng", "Mỹ Tâm", "Hồng Nhung - Bống Bồng Ơi",
              "Đêm Đông ft. Khánh Ly")


def test_the_abc_fonts_mojibake_reads_back() -> None:
    """"Kh¸nh Ly" is Khánh Ly, "DiÔm X\xada" "Diễm Xưa": before, both stood so in every table,
    an artist row of their own beside the singer's."""
    assert repaired("Kh¸nh Ly") == "Khánh Ly"
    assert repaired("DiÔm X\xada") == "Diễm Xưa"
    assert repaired("Mü T©m") == "Mỹ Tâm"
    wrong = {n: got for n in VIETNAMESE if (got := repaired(_tcvn3(n), [_tcvn3("Khánh Ly")])) != n}
    assert wrong == {}


def test_windows_1258_reads_back() -> None:
    """"Quang DuÞng" (Þ: 1258's combining tilde) is Quang Dũng; "Ðêm Ðông", with no tone mark
    to tell, is "Đêm Đông" beside a value of the file that is plainly 1258."""
    assert repaired("Quang DuÞng") == "Quang Dũng"
    assert repaired("Haò Trãìng") == "Hạ Trắng"
    assert repaired("Ðêm Ðông", ["Quang DuÞng"]) == "Đêm Đông"
    assert repaired("Ðêm Ðông") == "Ðêm Ðông"
    wrong = {n: got for n in VIETNAMESE if (got := repaired(_cp1258(n), [_cp1258("Quang Dũng")])) != n}
    assert wrong == {}


def test_latin1_names_stay() -> None:
    """Names of the languages whose letters TCVN3's and 1258's bytes also are (755 of them),
    alone and beside each other: none reads as Vietnamese syllables with a code's sign."""
    names = tag_names.LATIN_BESIDE_CODE_PAGES + tag_names.ACCENTED_LATIN + (
        "Col·lecció", "São Paulo", "Così fan tutte", "Sigurðsson", "Så länge", "Måns Zelmerlöw", "Lunedì",
        "«Le Chant»", "¡Hola!", "MÖTLEY CRÜE", "Björk Guðmundsdóttir", "Jón Þór Birgisson", "Não", "© 2004 Sony")
    assert {n: vietnamese_reading(n) for n in names if vietnamese_reading(n) is not None} == {}
    assert {n: repaired(n) for n in names if repaired(n) != n} == {}
    # a file's other Latin-1 names beside it vouch for no Vietnamese code
    beside = list(names[:40])
    assert {n: repaired(n, beside) for n in names if repaired(n, beside) != n} == {}


def test_an_old_vietnamese_mp3_reads_from_its_file(tmp_path) -> None:
    """An ID3v2.3 tag of Latin-1 frames holding TCVN3 bytes: title, artist, album and composer
    read as written, the artist keyed as the singer typed without tones."""
    pytest.importorskip("mutagen")
    from mutagen.id3 import ID3, TALB, TCOM, TIT2, TPE1

    from recsys.catalog import read_music_folder
    from recsys.labels import label_key
    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    lib.mkdir()
    mp3 = write_tone(lib / "01.mp3", 0.5)
    tags = ID3()
    for frame, text in ((TIT2, "Diễm Xưa"), (TPE1, "Khánh Ly"), (TALB, "Khánh Ly Hát Trịnh Công Sơn"), (TCOM, "Trịnh Công Sơn")):
        tags.add(frame(encoding=0, text=_tcvn3(text)))
    tags.save(mp3, v2_version=3)
    track = read_music_folder(lib, tmp_path / "covers").tracks[0]
    assert (track.title, track.artist, track.album, track.composer) == (
        "Diễm Xưa", "Khánh Ly", "Khánh Ly Hát Trịnh Công Sơn", "Trịnh Công Sơn")
    assert label_key(track.artist) == label_key("Khanh Ly")
