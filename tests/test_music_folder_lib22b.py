"""What a second pass over the twenty-second real library (a Chinese listener's: NetEase, QQ
Music and KuGou downloads, Bilibili rips, Taiwan FLACs) found in the catalog, each case rebuilt
here from tiny files."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.bilibilinames import video_rip_name
from recsys.catalog.incompletes import app_partial
from recsys.catalog.model import TrackRecord
from recsys.catalog.sidecars import read_lyrics
from recsys.labels import double_name, genre_key, name_keys
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


# ---- the credit lines of the apps' lyrics -------------------------------------------------------

NETEASE = ("[00:00.000] 作词 : 林夕\n[00:01.000] 作曲 : 陈小霞\n[00:02.000] 编曲 : 陈辉阳\n[00:03.000] 制作人 : 陈辉阳\n"
           "[00:16.620]如果那两个字没有颤抖\n[00:20.450]我不会发现我难受\n")
QQ = ("[ti:演员]\n[ar:薛之谦]\n[al:绅士]\n[by:]\n[offset:0]\n[00:00.00]演员 - 薛之谦\n[00:01.00]词：薛之谦\n"
      "[00:02.00]曲：薛之谦/郑伟\n[00:03.00]编曲：郑伟/张宏光\n[00:05.00]OP：华宇世博\n[00:20.00]简单点说话的方式简单点\n"
      "[03:58.00]未经著作权人许可 不得翻唱 翻录或使用\n")


@pytest.mark.parametrize("text, lyrics, composers", [
    (NETEASE, "如果那两个字没有颤抖\n我不会发现我难受", ("陈小霞",)),  # the lyricist 林夕 is no composer
    (QQ, "简单点说话的方式简单点", ("薛之谦", "郑伟")),  # headers, heading, notice off
    ("[00:00.00]李荣浩 - 年少有为\n[00:01.50]词曲：李荣浩\n[00:18.00]假如时光倒流我能做什么\n", "假如时光倒流我能做什么", ("李荣浩",)),
    ("[00:00.00]作詞：方文山  作曲：周杰倫\n[00:20.00]一盞離愁\n", "一盞離愁", ("周杰倫",)),  # Traditional, one line
    ("[00:01.00]Composed by: Christopher Chak\n[00:02.00]監製：Alvin Leong\n徘徊過多少櫥窗\n", "徘徊過多少櫥窗", ("Christopher Chak",)),
])
def test_credit_lines_are_no_lyrics_and_name_the_composer(text, lyrics, composers):
    """NetEase's "作词 : 方文山 / 作曲 : 周杰伦 / 编曲 : ..." were the first lines of every song's
    lyrics, its text vector's words."""
    found = read_lyrics(text)
    assert (found.lyrics, found.composers) == (lyrics, composers)


@pytest.mark.parametrize("text", [
    "Music: the only thing I need\nLove: it is all",  # an English lyric's "Word:" lines stay
    "爱：是什么\n我不知道",
    "[00:00.00]孤勇者 - 陈奕迅\n[00:18.12]都是勇敢的",  # a heading with no credits after it: a lyric to us
])
def test_lyric_lines_that_look_like_credits_stay(text):
    assert read_lyrics(text).lyrics.count("\n") == text.count("\n") and read_lyrics(text).composers == ()


def test_the_lrcs_composer_is_the_tracks_where_its_tags_name_none(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "CloudMusic/陈奕迅 - 十年.flac", TITLE="十年", ARTIST="陈奕迅")
    (lib / "CloudMusic/陈奕迅 - 十年.lrc").write_text(NETEASE, encoding="utf-8")
    tagged_flac(lib / "CloudMusic/薛之谦 - 演员.flac", TITLE="演员", ARTIST="薛之谦", COMPOSER="郑伟")
    (lib / "CloudMusic/薛之谦 - 演员.lrc").write_text(QQ, encoding="utf-8")
    tagged_flac(lib / "CloudMusic/周杰伦 - 晴天.flac", TITLE="晴天", ARTIST="周杰伦")
    (lib / "CloudMusic/周杰伦 - 晴天.lrc").write_text("[00:00.00]作词：周杰伦\n[00:01.00]作曲：周杰伦\n故事的小黄花\n", encoding="utf-8")
    tagged_flac(lib / "QQMusic/陈奕迅 - 孤勇者.flac", TITLE="孤勇者", ARTIST="陈奕迅",
                LYRICS="孤勇者 - 陈奕迅 (Eason Chan)\n词：唐恬\n曲：钱雷\n编曲：钱雷\n都是勇敢的")
    tracks = _read(lib, tmp_path)
    ten = tracks["CloudMusic/陈奕迅 - 十年.flac"]
    assert (ten.composer, ten.lyrics) == ("陈小霞", "如果那两个字没有颤抖\n我不会发现我难受")
    assert tracks["CloudMusic/薛之谦 - 演员.flac"].composer == "郑伟"  # the tag's first
    assert tracks["CloudMusic/周杰伦 - 晴天.flac"].composer == ""  # a songwriter's own song, as a tag's
    embedded = tracks["QQMusic/陈奕迅 - 孤勇者.flac"]
    assert (embedded.composer, embedded.lyrics) == ("钱雷", "都是勇敢的")


# ---- Bilibili and Douyin rips -------------------------------------------------------------------


@pytest.mark.parametrize("stem, name", [
    ("【周杰伦】晴天 MV 1080P", "周杰伦 - 晴天"),
    ("【官方MV】G.E.M.邓紫棋 -《光年之外》电影《太空旅客》中文主题曲", "G.E.M.邓紫棋 - 光年之外"),
    ("《孤勇者》陈奕迅 - 英雄联盟：双城之战 动画剧集中文主题曲", "陈奕迅 - 孤勇者"),
    ("周杰伦 - 最伟大的作品【无损音质】", "周杰伦 - 最伟大的作品"),
    ("【4K修复】张国荣 - 风继续吹 1080P", "张国荣 - 风继续吹"),
    ("【Hi-Res无损】陈奕迅《富士山下》", "陈奕迅 - 富士山下"),
    ("《起风了》买辣椒也用券 高音质", "买辣椒也用券 - 起风了"),
    ("【五月天】倔强 (Live) 超清", "五月天 - 倔强 (Live)"),
    ("薛之谦《演员》MV 高清", "薛之谦 - 演员"),
    ("【周杰伦】稻香 官方MV 完整版", "周杰伦 - 稻香"),
    # as before: versions, other names, names in Latin letters
    ("周杰伦 - 晴天（伴奏）", "周杰伦 - 晴天（伴奏）"), ("陈奕迅 - K歌之王 (粤语版)", "陈奕迅 - K歌之王 (粤语版)"),
    ("Artist - Song MV 1080P", "Artist - Song MV 1080P"), ("01. 晴天", "01. 晴天"),
])
def test_a_video_sites_rip_name_reads_as_artist_and_title(stem, name):
    assert video_rip_name(stem) == name


def test_bilibili_rips_are_read_by_their_brackets(tmp_path):
    """"【周杰伦】晴天 MV 1080P" was a title of no artist, "《孤勇者》陈奕迅" an artist, and
    "抖音热歌" (Douyin's hot songs) the artist of a song."""
    lib = tmp_path / "lib"
    for stem in ("【周杰伦】晴天 MV 1080P", "《孤勇者》陈奕迅 - 英雄联盟：双城之战 动画剧集中文主题曲", "抖音热歌 - 起风了（DJ版）"):
        tagged_flac(lib / "下载/bilibili" / f"{stem}.flac")
    tracks = _read(lib, tmp_path)
    read = {(t.title, t.artist) for t in tracks.values()}
    assert read == {("晴天", "周杰伦"), ("孤勇者", "陈奕迅"), ("起风了（DJ版）", "")}


# ---- a Latin name glued to its Chinese one ------------------------------------------------------


@pytest.mark.parametrize("name, halves", [
    ("G.E.M.邓紫棋", ("G.E.M.", "邓紫棋")), ("G.E.M. 邓紫棋", ("G.E.M.", "邓紫棋")), ("GAI周延", ("GAI", "周延")),
    ("A-Lin黄丽玲", ("A-Lin", "黄丽玲")), ("林俊杰JJ", ("林俊杰", "JJ")),
    # one name: the scripts mixed within, several Latin words, no Han, kana
    ("Official髭男dism", None), ("Jay Chou 周杰伦", None), ("S.H.E", None), ("TK from 凛として時雨", None), ("周杰伦", None),
])
def test_a_latin_name_beside_a_chinese_one_is_a_name_in_two_scripts(name, halves):
    assert double_name(name) == halves


def test_either_name_of_a_glued_double_name_finds_her(tmp_path):
    """"--artist 邓紫棋" and "--artist G.E.M." found no "G.E.M.邓紫棋"; KuGou's "邓紫棋" was an
    artist row of its own."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "CloudMusic/G.E.M.邓紫棋 - 泡沫.flac", TITLE="泡沫", ARTIST="G.E.M.邓紫棋")
    tagged_flac(lib / "KuGou/邓紫棋 - 喜欢你.flac", TITLE="喜欢你", ARTIST="邓紫棋")
    tracks = _read(lib, tmp_path)
    assert {t.artist for t in tracks.values()} == {"G.E.M.邓紫棋"}
    keys = tracks["CloudMusic/G.E.M.邓紫棋 - 泡沫.flac"].payload()["artist_key"]
    assert set(name_keys("邓紫棋")) <= set(keys) and set(name_keys("G.E.M.")) <= set(keys)


# ---- the Chinese apps' genres -------------------------------------------------------------------


@pytest.mark.parametrize("spelling, genre", [
    ("流行", "Pop"), ("粤语流行", "Cantopop"), ("粵語流行音樂", "Cantopop"), ("华语流行", "Mandopop"),
    ("國語流行音樂", "Mandopop"), ("摇滚", "Rock"), ("民谣", "Folk"), ("说唱", "Hip-Hop"), ("电子", "Electronic"),
    ("古風", "Gufeng"), ("轻音乐", "Light Music"),
])
def test_a_chinese_genre_is_keyed_as_its_genre(spelling, genre):
    assert genre_key(spelling) == genre_key(genre)


def test_cantopop_and_mandopop_stay_apart():
    assert len({genre_key(g) for g in ("粤语流行", "华语流行", "流行", "K-Pop")}) == 4


# ---- the apps' unfinished downloads -------------------------------------------------------------


@pytest.mark.parametrize("name, found", [
    ("周杰伦 - 晴天.mp3.kgtemp", ("KuGou", ".kgtemp")), ("五月天 - 知足.ncm.tmp", ("NetEase Cloud Music", ".ncm.tmp")),
    ("周杰伦 - 夜曲.flac.tmp", ("a download program", ".flac.tmp")), ("186016-320-6a4f2b1c.uc!", ("NetEase Cloud Music", ".uc!")),
    ("~WRL0001.tmp", None), ("notes.txt", None), ("晴天.mp3", None),
])
def test_an_apps_unfinished_download_is_known(name, found):
    assert app_partial(name) == found


def test_unfinished_app_downloads_are_said_once_a_folder(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "KuGou/周杰伦 - 稻香.flac", TITLE="稻香", ARTIST="周杰伦")
    for name in ("KuGou/周杰伦 - 晴天.mp3.kgtemp", "KuGou/陈奕迅 - 孤勇者.mp3.kgtemp", "CloudMusic/Cache/186016-320-6a4f.uc!"):
        (lib / name).parent.mkdir(parents=True, exist_ok=True)
        (lib / name).write_bytes(b"\xff\xfb" * 2000)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [t.source for t in catalog.tracks] == ["KuGou/周杰伦 - 稻香.flac"]
    lines = {p.where: p.message for p in catalog.problems}
    assert all(p.notice for p in catalog.problems) and set(lines) == {"KuGou", "CloudMusic/Cache"}
    assert lines["KuGou"].startswith("2 unfinished downloads or cache files of KuGou (.kgtemp)")


def test_a_tagged_bilibili_download_is_its_brackets_artists_song(tmp_path):
    """yt-dlp's Bilibili download: the video's title as the title tag, the uploader as the artist."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "bilibili/a.flac", TITLE="【周杰伦】晴天 MV 1080P", ARTIST="音乐搬运小站")
    tagged_flac(lib / "bilibili/b.flac", TITLE="周杰伦 - 最伟大的作品【无损音质】", ARTIST="周杰伦")
    tagged_flac(lib / "bilibili/c.flac", TITLE="晴天", ARTIST="周杰伦")  # a song's own tags: as they are
    tracks = _read(lib, tmp_path)
    assert [(t.title, t.artist) for t in sorted(tracks.values(), key=lambda t: t.source)] == [
        ("晴天", "周杰伦"), ("最伟大的作品", "周杰伦"), ("晴天", "周杰伦")]


def test_a_tagged_title_ending_in_a_mark_keeps_its_parts_unless_its_artist_leads():
    from recsys.catalog.uploads import upload_credit

    assert upload_credit("稻香 - Live 高清", "周杰伦") is None  # "Live" is no song by "稻香"
    assert upload_credit("周杰伦 - 稻香 高清", "周杰伦") == ("稻香", "周杰伦")
