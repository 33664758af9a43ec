"""What a twenty-second pass over real music (a Chinese-speaking listener's: Taiwan-release rips
in Traditional characters beside NetEase Cloud Music, QQ Music and KuGou downloads in Simplified
ones, their encrypted VIP downloads, "群星" compilations, Big5 and GBK bytes in old ID3 frames)
found in the catalog, each case rebuilt here from tiny files."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.credits import split_artists
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.sitenames import without_site_names
from recsys.hanzi import _SIMPLIFIED, _TRADITIONAL, simplified
from recsys.labels import genre_key, label_key
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _mp3(path: Path) -> Path:
    from tests.test_audio_formats import write_tone

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_tone(path, 0.3)


# ---- Traditional and Simplified: one key --------------------------------------------------------


@pytest.mark.parametrize("traditional, simple", [
    ("周杰倫", "周杰伦"), ("張學友", "张学友"), ("鄧麗君", "邓丽君"), ("陳奕迅", "陈奕迅"), ("張國榮", "张国荣"),
    ("G.E.M. 鄧紫棋", "G.E.M.邓紫棋"),
])
def test_an_artist_in_traditional_and_simplified_characters_is_one_key(traditional, simple):
    assert label_key(traditional) == label_key(simple)


def test_a_title_and_a_genre_in_either_script_are_one_key():
    assert normalise_title("說好的幸福呢") == normalise_title("说好的幸福呢")
    assert normalise_title("海闊天空") == normalise_title("海阔天空") != normalise_title("海阔")
    assert genre_key("華語流行") == genre_key("华语流行")
    assert label_key("王菲") != label_key("那英")


def test_the_table_folds_once_and_leaves_other_scripts_alone():
    assert len(_TRADITIONAL) == len(_SIMPLIFIED) and not set(_SIMPLIFIED) & set(_TRADITIONAL)
    assert simplified(simplified("後青春期的詩")) == simplified("後青春期的詩") == "后青春期的诗"
    # Japan's own simplified kanji, kana, Hangul and Latin text: as they are
    for text in ("芸能", "髪", "気持ち", "バード", "소녀시대", "Café del Mar", "AC/DC"):
        assert simplified(text) == text


def test_a_singers_taiwan_rip_and_mainland_download_are_one_artist(tmp_path):
    """Jay Chou's Taiwan FLAC "周杰倫" and his NetEase download "周杰伦" were two artist rows (37 and
    13 tracks of a real library), and "晴天" matched two tracks by two artists."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Music/周杰倫/葉惠美/03. 晴天.flac", TITLE="晴天", ARTIST="周杰倫", ALBUM="葉惠美")
    tagged_flac(lib / "CloudMusic/周杰伦 - 说好的幸福呢.flac", TITLE="说好的幸福呢", ARTIST="周杰伦", ALBUM="魔杰座")
    tracks = _read(lib, tmp_path)
    a, b = tracks["Music/周杰倫/葉惠美/03. 晴天.flac"], tracks["CloudMusic/周杰伦 - 说好的幸福呢.flac"]
    assert label_key(a.artist) == label_key(b.artist)
    assert a.payload()["artist_key"] == b.payload()["artist_key"]
    assert b.payload()["title_norm"] == normalise_title("說好的幸福呢")


# ---- the Chinese stores' lists of artists -------------------------------------------------------


@pytest.mark.parametrize("value, names", [
    ("陈奕迅/王菲", ["陈奕迅", "王菲"]),  # NetEase Cloud Music, QQ Music
    ("周杰伦、费玉清", ["周杰伦", "费玉清"]),  # KuGou
    ("陈奕迅,王菲", ["陈奕迅", "王菲"]),  # NetEase's file names
    ("薛之谦，黄龄", ["薛之谦", "黄龄"]),
    ("G.E.M.邓紫棋/周杰伦", ["G.E.M.邓紫棋", "周杰伦"]),
    # no Han, kana or Hangul beside the mark: one name, as before
    ("AC/DC", ["AC/DC"]), ("Earth, Wind & Fire", ["Earth, Wind & Fire"]), ("王菲 & 那英", ["王菲 & 那英"]),
])
def test_a_chinese_stores_list_of_singers_credits_each(value, names):
    assert split_artists(value) == names


def test_a_netease_duet_credits_both_singers(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "CloudMusic/陈奕迅,王菲 - 因为爱情.flac", TITLE="因为爱情", ARTIST="陈奕迅/王菲")
    tagged_flac(lib / "KuGou/王菲、那英 - 相约一九九八.flac", TITLE="相约一九九八", ARTIST="王菲、那英")
    tracks = _read(lib, tmp_path)
    assert tracks["CloudMusic/陈奕迅,王菲 - 因为爱情.flac"].artists == ("陈奕迅", "王菲")
    assert tracks["KuGou/王菲、那英 - 相约一九九八.flac"].artists == ("王菲", "那英")


# ---- "群星" and "未知歌手" ------------------------------------------------------------------------


def test_the_stores_various_artists_and_unknown_singer_name_no_artist(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "KuGou/群星 - 难忘今宵.flac", TITLE="难忘今宵", ARTIST="群星", ALBUM="春节联欢晚会")
    tagged_flac(lib / "KuGou/未知歌手 - DJ舞曲串烧.flac", TITLE="DJ舞曲串烧", ARTIST="未知歌手")
    tagged_flac(lib / "金曲/01.flac", TITLE="童年", ARTIST="罗大佑", ALBUMARTIST="群星", ALBUM="华语经典金曲")
    tracks = _read(lib, tmp_path)
    various = tracks["KuGou/群星 - 难忘今宵.flac"]
    assert various.artist == "" and various.album_artist == "群星"
    assert tracks["KuGou/未知歌手 - DJ舞曲串烧.flac"].artist == ""
    assert tracks["金曲/01.flac"].album_artist == "群星"  # a compilation's album artist stays


# ---- the streaming apps' encrypted downloads ----------------------------------------------------


def test_encrypted_app_downloads_are_named_with_what_to_do(tmp_path):
    """NetEase's .ncm, QQ Music's .qmcflac/.mflac/.qmc0, KuGou's .kgm, Kuwo's .kwm were counted
    "not audio" with the covers: 22 songs of a real library gone without a word."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "QQMusic/周杰伦 - 晴天.flac", TITLE="晴天", ARTIST="周杰伦")
    for name in ("CloudMusic/VipSongsDownload/周杰伦 - 晴天.ncm", "QQMusic/周杰伦 - 告白气球.qmcflac",
                 "QQMusic/林俊杰 - 江南.mflac", "QQMusic/李荣浩 - 麻雀.mgg", "KuGou/刀郎 - 冲动的惩罚.kgm",
                 "KwDownload/song/许嵩-素颜.kwm"):
        (lib / name).parent.mkdir(parents=True, exist_ok=True)
        (lib / name).write_bytes(b"CTENFDAM" + bytes(range(256)) * 20)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [t.source for t in catalog.tracks] == ["QQMusic/周杰伦 - 晴天.flac"]
    lines = {p.where: p.message for p in catalog.problems if "encrypted by the app" in p.message}
    assert set(lines) == {"CloudMusic/VipSongsDownload", "QQMusic", "KuGou", "KwDownload/song"}
    assert lines["QQMusic"].startswith("3 QQ Music downloads (.mflac, .mgg, .qmcflac): encrypted by the app")
    assert lines["CloudMusic/VipSongsDownload"].startswith("1 NetEase Cloud Music download (.ncm)")
    assert "MP3 or FLAC download" in lines["KuGou"]


# ---- Big5 bytes that GBK reads as well ----------------------------------------------------------


def _big5_frames(path: Path, frames: dict[str, str]) -> None:
    """ID3v2.3 frames marked Latin-1 holding Big5 bytes, as a Taiwanese Windows tagger wrote."""
    body = b""
    for fid, value in frames.items():
        payload = b"\x00" + value.encode("big5")
        body += fid.encode() + struct.pack(">I", len(payload)) + b"\x00\x00" + payload
    size = len(body)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    path.write_bytes(b"ID3\x03\x00\x00" + syncsafe + body + path.read_bytes())


def test_a_big5_album_that_gbk_reads_too_is_read_as_its_titles_are(tmp_path):
    """S.H.E's "精選" in Big5 is "弘匡" in GBK, both of their codes' first levels: GBK went first
    on the tie, and the album was "S.H.E 弘匡" beside the Big5 titles "戀人未滿", "中國話"."""
    lib = tmp_path / "lib"
    _big5_frames(_mp3(lib / "MP3/S.H.E/02 戀人未滿.mp3"), {"TIT2": "戀人未滿", "TPE1": "S.H.E", "TALB": "S.H.E 精選"})
    track = _read(lib, tmp_path)["MP3/S.H.E/02 戀人未滿.mp3"]
    assert (track.title, track.album) == ("戀人未滿", "S.H.E 精選")


# ---- the Chinese MP3 sites' names ---------------------------------------------------------------


@pytest.mark.parametrize("album", ["www.9ku.com 九酷音乐网", "一听音乐网 www.1ting.com", "九酷音樂網www.9ku.com"])
def test_a_chinese_sites_name_beside_its_host_is_no_album(album):
    """Every download of a 2000s MP3 site had the album "www.9ku.com 九酷音乐网": one album node
    for unrelated songs."""
    assert without_site_names(album, alone=True) == ""


@pytest.mark.parametrize("text", ["九酷音乐网", "网 www.9ku.com", "人间 天堂", "千里之外"])
def test_a_name_without_a_host_or_the_sites_word_stays(text):
    assert without_site_names(text, alone=True) == text


# ---- a GBK or Big5 .lrc beside the song ---------------------------------------------------------


@pytest.mark.parametrize("codec, lines", [
    ("gbk", ["故事的小黄花", "从出生那年就飘着"]),  # 千千静听's and the lyric sites' ANSI .lrc
    ("big5", ["故事的小黃花", "從出生那年就飄著"]),
])
def test_a_chinese_players_lrc_is_read_in_its_code_page(tmp_path, codec, lines):
    lib = tmp_path / "lib"
    tagged_flac(lib / "周杰伦 - 晴天.flac", TITLE="晴天", ARTIST="周杰伦")
    lrc = "[ti:晴天]\r\n[ar:周杰倫]\r\n" + "".join(f"[00:{10 + i}.50]{line}\r\n" for i, line in enumerate(lines))
    (lib / "周杰伦 - 晴天.lrc").write_bytes(lrc.encode(codec))
    assert _read(lib, tmp_path)["周杰伦 - 晴天.flac"].lyrics == "\n".join(lines)


def test_an_lrc_in_a_code_page_is_decoded_once_not_line_by_line(tmp_path, monkeypatch):
    """Each line of a GBK .lrc was repaired on its own as a tag is, its forty lines beside
    it: 17.5 ms for 80 lines (a Windows-1252 one 5.6 ms), on every read of the library. A few
    lines tell the file's code page, and the file is decoded in it: the same text."""
    from recsys.catalog import sidecars

    lines = [f"[00:{i:02d}.50]故事的小黄花 从出生那年就飘着" for i in range(60)]
    path = tmp_path / "晴天.lrc"
    path.write_bytes("\r\n".join(["[ti:晴天]", *lines, "Café"]).encode("gbk"))
    repairs = []
    repair = sidecars.repaired
    monkeypatch.setattr(sidecars, "repaired", lambda text, beside=(): repairs.append(text) or repair(text, beside))
    assert sidecars.read_text(path).split("\r\n") == ["[ti:晴天]", *lines, "Café"]
    assert len(repairs) <= 3  # 62 before: each line not ASCII
