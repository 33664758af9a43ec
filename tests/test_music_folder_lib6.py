"""What a sixth pass over real music (the soundtracks of X-Moto, Lugaru, Holotz's Castle,
SolarWolf and Funny Boat laid out as people's libraries are: Japanese and Chinese rips, yt-dlp's
WebM, Matroska, a remaster beside its MP3 copy, loose singles in an artist folder) found in the
music-folder reader, each case rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.tagtext import repaired
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(folder, tmp_path / "covers").tracks}


def _stored_as_latin1(text: str, codec: str) -> str:
    return text.encode(codec).decode("latin-1")


def test_shift_jis_and_gbk_tags_read_as_latin1_are_japanese_and_chinese_again(tmp_path):
    """A Japanese rip's ID3v2.3 frames marked Latin-1 held Shift-JIS bytes, a Chinese one's GBK:
    "雪のテーマ" by "ウルフファイア" was listed as "á Ì e [ }" by "E t t @ C A" (the C1 bytes
    made spaces), a facet row and a genre of their own. Latin-1 words with accents, and
    Cyrillic read back from Windows-1251, stay as they were."""
    from mutagen.id3 import TALB, TCON, TIT2, TPE1
    from mutagen.wave import WAVE

    def tagged(name: str, codec: str, title: str, artist: str, album: str, genre: str = "") -> None:
        audio = WAVE(_wav(tmp_path / "lib" / name))
        audio.add_tags()
        for frame, text in ((TIT2, title), (TPE1, artist), (TALB, album), (TCON, genre)):
            if text:
                audio.tags.add(frame(encoding=0, text=_stored_as_latin1(text, codec)))
        audio.save(v2_version=3)

    tagged("jp.wav", "cp932", "雪のテーマ", "ウルフファイア", "ルガル サウンドトラック", "ゲーム音楽")
    tagged("kanji.wav", "cp932", "坂本龍一", "細野晴臣", "東京")
    tagged("cn.wav", "gbk", "沙漠之歌", "狼火工作室", "游戏音乐精选")
    tracks = _by_file(tmp_path / "lib", tmp_path)
    jp, kanji, cn = tracks["jp.wav"], tracks["kanji.wav"], tracks["cn.wav"]
    assert (jp.title, jp.artist, jp.album, jp.genres) == ("雪のテーマ", "ウルフファイア", "ルガル サウンドトラック", ("ゲーム音楽",))
    assert (kanji.title, kanji.artist) == ("坂本龍一", "細野晴臣")
    assert (cn.title, cn.artist, cn.album) == ("沙漠之歌", "狼火工作室", "游戏音乐精选")
    for latin in ("Motörhead", "Björk", "Mötley Crüe", "Ärzte Übel", "Sinéad O’Connor", "ÉTÉ", "Ça va"):
        assert repaired(latin) == latin
    assert repaired(_stored_as_latin1("Группа крови", "cp1251")) == "Группа крови"
    assert repaired(_stored_as_latin1("Ёлка", "cp1251")) == "Ёлка"
