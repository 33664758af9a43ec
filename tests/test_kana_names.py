"""A Japanese artist named in kana and in romaji is one artist (``catalog.kananames``): a J-pop
listener's CD rips tagged "ヨルシカ", "あいみょん", "カネコアヤノ" beside iTunes purchases and
downloads tagged "Aimyon", "Ayano Kaneko", "Kitani Tatsuya" (the facet showed each twice), and
``--artist yorushika`` finds a library's "ヨルシカ" (it was "no artist matches")."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.kananames import kana_morae, reads_as, spelling_groups, typed_kana_keys
from recsys.errors import NotFoundError
from recsys.labels import SAME_ARTIST, label_key
from recsys.query.composers import ComposerIndex
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import TitleIndex
from tests.support.tagged_files import tagged_flac


# ---- a kana name's romaji readings -------------------------------------------------------------


@pytest.mark.parametrize("typed, kana", [
    ("Yorushika", "ヨルシカ"), ("YOASOBI", "ヨアソビ"), ("Aimyon", "あいみょん"),
    ("Kaneko Ayano", "カネコアヤノ"), ("Ayano Kaneko", "カネコアヤノ"),  # family name first or last
    ("Kitani Tatsuya", "キタニタツヤ"), ("Kitani Tatuya", "キタニタツヤ"),  # Kunrei "tu"
    ("Kyuso Nekokami", "キュウソネコカミ"), ("Kyuuso Nekokami", "キュウソネコカミ"),  # "ū" unwritten or doubled
    ("Kotaro", "コータロー"), ("Koutarou", "こうたろう"), ("Kohtaroh", "こうたろう"), ("Kōtarō", "こうたろう"),
    ("Chanmina", "ちゃんみな"), ("Tyanmina", "ちゃんみな"),  # Hepburn and Kunrei "cha"
    ("Shinji", "しんじ"), ("Sinzi", "しんじ"), ("Fujifaburikku", "フジファブリック"), ("Hujihaburikku", "フジファブリック"),
    ("Matcha", "まっちゃ"), ("Nippon", "ニッポン"), ("Namba", "なんば"), ("Nanba", "なんば"),
    ("Tiara", "ティアラ"), ("Konnichiwa", "こんにちは"), ("Kaneko", "ｶﾈｺ"),  # half-width katakana
])
def test_a_latin_name_reads_as_the_kana_name(typed, kana):
    assert reads_as(typed, kana)


@pytest.mark.parametrize("typed, kana", [
    ("Beat Mario", "ビートまりお"),  # a loanword's English is no reading ("biitomario")
    ("Fujifabric", "フジファブリック"),  # nor the band's English spelling
    ("ZUTOMAYO", "ずっと真夜中でいいのに。"),  # kanji: out of reach
    ("Yuzu", "ゆず"), ("Hachi", "ハチ"),  # two kana: too loose
    ("Kyuusou Nekokami", "キュウソネコカミ"), ("Fairy", "ファイリ"), ("Yorushiko", "ヨルシカ"),
    ("Wakonnichi", "はこんにち"),  # "は" is "wa" as a particle, never a name's first kana
    ("Kitani Tatsuya Band", "キタニタツヤ"),
])
def test_a_latin_name_that_is_no_reading_is_not_read(typed, kana):
    assert not reads_as(typed, kana)


def test_only_a_name_wholly_in_kana_of_three_morae_is_read():
    assert kana_morae("ヨルシカ") is not None and kana_morae("あいみょん") is not None
    assert kana_morae("ゆず") is None and kana_morae("キャー") is None  # one mora and a long mark
    assert kana_morae("初音ミク") is None and kana_morae("ハチ feat. GUMI") is None and kana_morae("YOASOBI") is None


def test_only_a_latin_name_of_one_kana_artist_joins():
    groups = spelling_groups(["ヨアソビ", "YOASOBI", "あいみょん", "Aimyon", "カネコアヤノ", "Ayano Kaneko",
                              "ゆず", "Yuzu", "ずっと真夜中でいいのに。", "ZUTOMAYO", "ヨルシカ", "LiSA"])
    assert groups == {"YOASOBI": "ヨアソビ", "ヨアソビ": "ヨアソビ", "Aimyon": "あいみょん", "あいみょん": "あいみょん",
                      "Ayano Kaneko": "カネコアヤノ", "カネコアヤノ": "カネコアヤノ"}
    # two kana artists one Latin name reads as: which one? neither
    assert spelling_groups(["ヨルシカ", "よるしか", "Yorushika"]) == {}


def test_an_artist_in_kana_and_in_romaji_is_one_artist(tmp_path: Path):
    """Each name as tagged, the tracks of both keyed as one artist (the more common spelling
    first), as MusicBrainz ids make two spellings one; "ゆず" and "Yuzu", "ずっと真夜中でいいのに。"
    and "ZUTOMAYO" stay apart (too short; kanji)."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "cd/01.flac", TITLE="マリーゴールド", ARTIST="あいみょん")
    tagged_flac(lib / "cd/02.flac", TITLE="今夜このまま", ARTIST="あいみょん")
    tagged_flac(lib / "itunes/03.flac", TITLE="Kimi wa Rock wo Kikanai", ARTIST="Aimyon")
    tagged_flac(lib / "cd/04.flac", TITLE="かみつきたい", ARTIST="カネコアヤノ")
    tagged_flac(lib / "dl/05.flac", TITLE="Shoujo Hanabi", ARTIST="Ayano Kaneko")
    tagged_flac(lib / "cd/06.flac", TITLE="夏色", ARTIST="ゆず")
    tagged_flac(lib / "itunes/07.flac", TITLE="Hey", ARTIST="Yuzu")
    tagged_flac(lib / "cd/08.flac", TITLE="秒針を噛む", ARTIST="ずっと真夜中でいいのに。")
    tagged_flac(lib / "itunes/09.flac", TITLE="Neko Reset", ARTIST="ZUTOMAYO")
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    keys = {s: t.payload()["artist_key"] for s, t in tracks.items()}
    for source in ("cd/01.flac", "itunes/03.flac"):
        assert keys[source][:2] == ["あいみょん", "aimyon"] and SAME_ARTIST in keys[source]
    assert keys["cd/04.flac"][0] == keys["dl/05.flac"][0] and {"カネコアヤノ", "ayanokaneko"} <= set(keys["cd/04.flac"])
    assert tracks["itunes/03.flac"].artist == "Aimyon"  # the name as tagged
    assert (keys["cd/06.flac"], keys["itunes/07.flac"]) == ("ゆず", "yuzu")
    assert (keys["cd/08.flac"], keys["itunes/09.flac"]) == (label_key("ずっと真夜中でいいのに。"), "zutomayo")


# ---- a romaji name typed for an artist named in kana alone -------------------------------------


def _library() -> TitleIndex:
    return TitleIndex([
        TitleEntry("1", "だから僕は音楽を辞めた", "ヨルシカ"), TitleEntry("2", "花に亡霊", "ヨルシカ"),
        TitleEntry("3", "かみつきたい", "カネコアヤノ"), TitleEntry("4", "夏色", "ゆず"),
        TitleEntry("5", "アイドル", "YOASOBI"),
    ])


@pytest.mark.parametrize("typed, artist", [
    ("yorushika", "ヨルシカ"), ("Yorushika", "ヨルシカ"), ("Kaneko Ayano", "カネコアヤノ"), ("Ayano Kaneko", "カネコアヤノ"),
])
def test_a_romaji_name_typed_finds_the_artist_named_in_kana(typed, artist):
    """``--artist yorushika`` was "no artist matches 'yorushika'" where the library names it "ヨルシカ" alone."""
    assert {e.artist for e in _library().artist_tracks(typed)} == {artist}


def test_a_romaji_name_of_a_short_kana_name_is_still_not_found():
    with pytest.raises(NotFoundError):
        _library().artist_tracks("Yuzu")
    assert typed_kana_keys("Yuzu", ["ゆず"]) == set() and typed_kana_keys("ヨルシカ", ["ヨルシカ"]) == set()


def test_a_composer_named_in_kana_is_found_by_a_romaji_spelling():
    index = ComposerIndex.of_rows([("キタニタツヤ", 2), ("ハチ", 3)])
    assert [c.name for c in index.matching("Kitani Tatsuya")] == ["キタニタツヤ"]
