"""Korean (CP949), Traditional Chinese (Big5) and GBK text that old Windows taggers stored in
ID3 frames marked Latin-1, read back (``recsys.catalog.tagtext.repaired``); accented Latin
names, Cyrillic, Japanese and Simplified Chinese read as before."""

from __future__ import annotations

import pytest

from recsys.catalog.tagtext import repaired
from tests.support import tag_names


def _stored_as_latin1(text: str, codec: str) -> str:
    return text.encode(codec).decode("latin-1")


def test_korean_in_cp949_is_korean_again() -> None:
    """"소녀시대" in CP949 arrived as "¼Ò³à½Ã´ë" and was read as Windows-1251 ("јТіаЅГґл"),
    "아이유" as "ѕЖАМАЇ": Korean text whose syllables are Korean's reads as Korean."""
    for name in ("소녀시대", "아이유", "서태지와 아이들", "이소라", "거위의 꿈", "사랑해", "내게 오는 길"):
        assert repaired(_stored_as_latin1(name, "cp949")) == name
    assert repaired(_stored_as_latin1("이효리", "euc-kr")) == "이효리"


def test_big5_is_traditional_chinese_again() -> None:
    """A Taiwanese or Hong Kong rip's Big5 frames were left as "©PªN\\xadÛ" (周杰倫), or read
    as GBK's kana ("きるぱ" for 五月天): Big5 reads back where all of it is Big5's first level."""
    for name in ("周杰倫", "五月天", "張學友", "王菲", "羅大佑", "陳奕迅", "蔡依林", "伍佰", "麥克‧傑克森"):
        assert repaired(_stored_as_latin1(name, "cp950")) == name


def test_gbk_that_read_as_cyrillic_is_chinese() -> None:
    """GBK text whose bytes all lie in Windows-1251's letters was read as Cyrillic: 周杰伦 as
    "ЦЬЅЬВЧ", 陈奕迅 as "іВЮИСё", 一无所有 as "Т»ОЮЛщУР"; so was text holding a character
    of GBK beyond GB2312 (陶喆), a GB18030 four-byte character (李䶮) or a middle dot."""
    for name in ("周杰伦", "陈奕迅", "许巍", "朴树", "齐秦", "一无所有", "黎明", "陶喆", "朱镕基",
                 "迈克尔·杰克逊"):
        assert repaired(_stored_as_latin1(name, "gbk")) == name
    for name in ("李䶮", "周杰伦𠀀"):
        assert repaired(_stored_as_latin1(name, "gb18030")) == name


def test_ukrainian_with_ye_is_cyrillic_again() -> None:
    """Ukrainian's Є and є are Latin-1's ª and º: "Плач Єремії" stayed "Ïëà÷ ªðåì³¿"."""
    for name in ("Плач Єремії", "Бєларусь"):
        assert repaired(_stored_as_latin1(name, "cp1251")) == name


@pytest.mark.parametrize(("names", "codec"), [
    (tag_names.KOREAN, "cp949"),
    (tag_names.CHINESE, "gb18030"),
    (tag_names.TRADITIONAL, "cp950"),
    (tag_names.JAPANESE, "cp932"),
    (tag_names.CYRILLIC, "cp1251"),
], ids=["korean", "chinese", "traditional", "japanese", "cyrillic"])
def test_real_names_read_back(names: tuple[str, ...], codec: str) -> None:
    """Real artists and titles of each script read back whole (``tests.support.tag_names``)."""
    wrong = {name: got for name in names if (got := repaired(_stored_as_latin1(name, codec))) != name}
    assert wrong == {}


def test_a_short_korean_name_is_read_with_the_other_names_of_its_tag() -> None:
    """"빅뱅" alone reads as Korean and as Chinese alike ("候桂"), its two syllables too few to
    tell; the title and album its tagger wrote in the same code page tell for it. A Chinese
    value beside it keeps a Chinese name Chinese ("力宏" alone reads as "제브")."""
    names = [_stored_as_latin1(n, "cp949") for n in ("거짓말", "빅뱅", "빅뱅 베스트")]
    assert [repaired(n, names) for n in names] == ["거짓말", "빅뱅", "빅뱅 베스트"]
    names = [_stored_as_latin1(n, "cp949") for n in ("봄날", "방탄소년단", "윙스")]
    assert [repaired(n, names) for n in names] == ["봄날", "방탄소년단", "윙스"]
    chinese = _stored_as_latin1("力宏", "gbk")
    assert repaired(chinese, [_stored_as_latin1("王力宏演唱会", "gbk")]) == "力宏"


def test_chinese_that_also_reads_as_hangul_stays_chinese() -> None:
    """Every KS X 1001 syllable is a GB2312 first-level ideograph as well, and one Chinese name
    in four reads as Hangul ("崔健" as "달숯", "北京" as "굇쑴"): those syllables are not
    Korean's, so the text stays Chinese, as it was before Korean was read at all."""
    for name in ("崔健", "北京", "刘德华", "大海", "老男孩", "青花瓷", "李白", "黄河", "东风破", "好久不见"):
        assert repaired(_stored_as_latin1(name, "gbk")) == name


def test_accented_latin_names_stay_as_they_are() -> None:
    """The false-positive check: none of several hundred real accented names (French, German,
    Spanish, Portuguese, Icelandic, Nordic, Finnish, Turkish, Polish, and names with ®, °, «)
    is taken for mojibake by any of the code-page rules."""
    names = tag_names.ACCENTED_LATIN
    assert all(n.encode("latin-1") for n in names)  # what a Latin-1 frame can hold
    assert sum(not n.isascii() for n in names) >= 450
    assert {n: repaired(n) for n in names if repaired(n) != n} == {}


def test_korean_and_big5_tags_read_from_a_file(tmp_path) -> None:
    """The music-folder reader shows a Korean and a Taiwanese rip's Latin-1 frames as written,
    a short Korean name read with the file's other names."""
    mutagen = pytest.importorskip("mutagen")
    from mutagen.id3 import TALB, TIT2, TPE1

    from recsys.catalog import read_music_folder
    from tests.test_music_folder_tags import _wav

    def tagged(name: str, codec: str, title: str, artist: str, album: str) -> None:
        audio = mutagen.File(_wav(tmp_path / "lib" / name))
        audio.add_tags()
        for frame, text in ((TIT2, title), (TPE1, artist), (TALB, album)):
            audio.tags.add(frame(encoding=0, text=_stored_as_latin1(text, codec)))
        audio.save(v2_version=3)

    tagged("kr.wav", "cp949", "다시 만난 세계", "소녀시대", "소녀시대")
    tagged("tw.wav", "cp950", "晴天", "周杰倫", "葉惠美")
    tagged("bigbang.wav", "cp949", "거짓말", "빅뱅", "빅뱅 베스트")
    tracks = {t.source: t for t in read_music_folder(tmp_path / "lib", tmp_path / "covers").tracks}
    kr, tw = tracks["kr.wav"], tracks["tw.wav"]
    assert (kr.title, kr.artist, kr.album) == ("다시 만난 세계", "소녀시대", "소녀시대")
    assert (tw.title, tw.artist, tw.album) == ("晴天", "周杰倫", "葉惠美")
    bigbang = tracks["bigbang.wav"]
    assert (bigbang.title, bigbang.artist, bigbang.album) == ("거짓말", "빅뱅", "빅뱅 베스트")
