"""What a nineteenth pass over real music (a K-pop, J-pop and anime listener's) found in the
results' dedup and the seed lookup: a Japanese edition's and an anime single's version marks,
a title in two scripts, a title's romaji reading, an artist named in two scripts."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.model import TrackRecord
from recsys.query.library import Library, Picker
from recsys.query.titlekeys import base_title, plainness
from recsys.query.titlepick import TitleEntry, pick
from recsys.query.titles import TitleIndex
from recsys.store import CollectionSpec, EdgeBackend, PointRecord, QueryFilter
from recsys.store.base import Hit


def _picked(tracks: list[TrackRecord]) -> list[str]:
    picker = Picker()
    hits = [Hit(t.track_id, 1.0 - i / 100, t.payload()) for i, t in enumerate(tracks)]
    return [h.track_id for h in hits if picker.take(h)]


# ---- version marks ---------------------------------------------------------------------------


@pytest.mark.parametrize("title, base, rank", [
    ("TT -Japanese ver.-", "tt", 2),  # a Japanese edition: another mix
    ("How You Like That -JP Ver.-", "how you like that", 2),
    ("DDU-DU DDU-DU (Japanese ver.)", "ddu du ddu du", 2),
    ("FANCY - Japanese Version", "fancy", 2),
    ("紅蓮華 -TV size-", "紅蓮華", 1),  # the broadcast cut
    ("only my railgun ～TV size～", "only my railgun", 1),
    ("残響散歌 -TV ver.-", "残響散歌", 1),
    ("[OP] 残響散歌", "残響散歌", 1),
    ("Opening Theme - 紅蓮華", "紅蓮華", 1),
    ("again (Opening Theme)", "again", 1),
    ("紅蓮華 -Instrumental-", "紅蓮華", 3),  # a part
    ("紅蓮華 off vocal", "紅蓮華", 3),
    ("残酷な天使のテーゼ（オフボーカル）", "残酷な天使のテーゼ", 3),
    ("Blueming (Inst.)", "blueming", 3),
    ("Ａｕｔｏｍａｔｉｃ（Ｏｒｉｇｉｎａｌ Ｋａｒａｏｋｅ）", "automatic", 3),  # an old CD database's full width
    ("ﾌﾞﾙｰﾊﾞｰﾄﾞ（ｲﾝｽﾄｩﾙﾒﾝﾀﾙ）", "ブルーバード", 3),  # and half-width kana
    ("Automatic -Album Edit-", "automatic", 0),
    ("Ｌｅｍｏｎ", "lemon", 0),
])
def test_a_japanese_editions_and_an_anime_singles_marks(title, base, rank):
    """Each was a song of its own ("tt japanese ver"), and "(Inst.)", "(TV Size)" ranked as the
    song itself."""
    assert base_title(title) == base_title(base) and plainness(title) == rank


def test_a_subtitle_wrapped_like_a_mark_stays_the_title():
    """Only a wrapped part whose words are a version's is a mark: "LOVE ～Destiny～" and "LOVE
    ～refrain～" are two songs, a name's "-Starting Life-" and a show's "-ナルト-" stay."""
    assert base_title("LOVE ～Destiny～") != base_title("LOVE ～refrain～")
    assert base_title("Re:Zero -Starting Life-") == "re zero starting life"
    # (its kanji keyed in simplified characters, as Chinese is: ``recsys.hanzi``, "風" as "风")
    assert base_title("NARUTO -ナルト- 疾風伝") == "naruto ナルト 疾风伝"
    # a game's cues: "Opening"/"Ending" before a dash is no opening theme's mark
    assert base_title("Opening ~ Bombing Mission") == "opening bombing mission"
    assert base_title("Ending - Staff Roll") == "ending staff roll"


def test_a_songs_japanese_edition_is_no_other_song():
    """A radio of "TT" listed "TT -Japanese ver.-" first; an artist radio its seeds' Japanese
    editions."""
    twice = "TWICE (트와이스)"
    tracks = [TrackRecord("1", "TT", twice), TrackRecord("2", "TT -Japanese ver.-", twice),
              TrackRecord("3", "LIKEY -Japanese ver.-", twice), TrackRecord("4", "LIKEY", twice),
              TrackRecord("5", "LOVE ～Destiny～", "浜崎あゆみ"), TrackRecord("6", "LOVE ～refrain～", "浜崎あゆみ"),
              TrackRecord("7", "紅蓮華 -TV size-", "LiSA"), TrackRecord("8", "紅蓮華 off vocal", "LiSA")]
    assert _picked(tracks) == ["1", "3", "5", "6", "7"]


def test_a_seed_takes_the_broadcast_cut_before_the_karaoke():
    """Of a single's "-TV size-" and "-Instrumental-" (the song itself not owned), a seed "紅蓮華"
    took the shorter title: the karaoke track."""
    entries = [TitleEntry("1", "紅蓮華 (Inst.)", "LiSA"), TitleEntry("2", "紅蓮華 -TV size-", "LiSA")]
    assert pick("紅蓮華", entries).track_id == "2"


# ---- a title in two scripts, and a title's reading -------------------------------------------


def test_a_title_in_two_scripts_is_one_song_with_either_name():
    """Melon's "뚜두뚜두 (DDU-DU DDU-DU)" and iTunes' "DDU-DU DDU-DU", one recording, were two songs:
    a radio of one listed the other first. A bracket in the title's own script, or a version's
    mark, names no other song: two live takes stay two songs."""
    bp = "BLACKPINK(블랙핑크)"
    tracks = [TrackRecord("1", "DDU-DU DDU-DU", bp), TrackRecord("2", "뚜두뚜두 (DDU-DU DDU-DU)", bp),
              TrackRecord("3", "Kick It", "NCT 127"), TrackRecord("4", "영웅 (英雄; Kick It)", "NCT 127"),
              TrackRecord("5", "夜に駆ける (Live)", "YOASOBI"), TrackRecord("6", "群青 (Live)", "YOASOBI"),
              TrackRecord("7", "Elevator (127F)", "NCT 127"), TrackRecord("8", "Elevator", "NCT 127")]
    assert _picked(tracks) == ["1", "3", "5", "6", "7"]
    # a seed matching both names is one song, not a choice between them
    entries = [TitleEntry("1", "DDU-DU DDU-DU", bp), TitleEntry("2", "뚜두뚜두 (DDU-DU DDU-DU)", bp)]
    assert pick("ddu-du", entries).track_id == "1"


def test_a_titles_reading_is_the_song_to_the_dedup_and_the_seeds():
    """"アイドル" read "Idol" by its sort tag, and a music video's download titled "Idol": one song."""
    tracks = [TrackRecord("1", "アイドル", "YOASOBI", title_sort="Idol"), TrackRecord("2", "Idol", "YOASOBI")]
    assert _picked(tracks) == ["1"]
    index = TitleIndex([TitleEntry("1", "アイドル", "YOASOBI", reading="Idol"), TitleEntry("2", "夜に駆ける", "YOASOBI")])
    assert index.resolve("idol").track_id == "1" and index.resolve("Idol", artist="yoasobi").track_id == "1"


# ---- through the store: the reading, each name of a double name --------------------------------


def _store(tmp_path, tracks: list[TrackRecord]) -> EdgeBackend:
    backend = EdgeBackend(tmp_path / "store")
    backend.create_collection(CollectionSpec("c", {"fused": 4}, {"encoders": {}, "fused": {"kind": "concat", "dim": 4}}))
    backend.upsert("c", [PointRecord(t.track_id, {"fused": np.eye(4, dtype=np.float32)[n % 4]}, t.payload())
                         for n, t in enumerate(tracks)])
    return backend


def test_a_reading_and_each_name_of_an_artist_are_found_by_the_store(tmp_path):
    """"Yoru ni Kakeru" found nothing (no title shares a word with it), ``--only-artist
    blackpink`` no track of "BLACKPINK(블랙핑크)", ``--artist iu`` a radio of "IU" alone."""
    tracks = [TrackRecord("1", "夜に駆ける", "YOASOBI", title_sort="Yoru ni Kakeru"),
              TrackRecord("2", "Pretty Savage", "BLACKPINK(블랙핑크)"),
              TrackRecord("3", "휘파람 (WHISTLE)", "BLACKPINK(블랙핑크)"),
              TrackRecord("4", "Blueming", "아이유(IU)"), TrackRecord("5", "Song", "IU Band")]
    backend = _store(tmp_path, tracks)
    try:
        lib = Library(backend, "c")
        assert [p.track_id for p in lib.resolve(["yoru ni kakeru"])] == ["1"]
        assert lib._titles is None  # the store's exact lookup, no scan
        assert backend.count("c", flt=QueryFilter(artists=("blackpink",))) == 2
        assert backend.count("c", flt=QueryFilter(artists=("블랙핑크",))) == 2
        assert [p.track_id for p in lib.resolve(["Blueming"], artist="iu")] == ["4"]
        assert sorted(p.track_id for p in lib.resolve([], artist="blackpink")) == ["2", "3"]
    finally:
        backend.close()


def test_an_artist_radio_seeds_a_song_of_two_names_once():
    """Its seeds took "뚜두뚜두 (DDU-DU DDU-DU)" and "DDU-DU DDU-DU" as two of the artist's ten songs."""
    bp = "BLACKPINK(블랙핑크)"
    index = TitleIndex([TitleEntry("1", "뚜두뚜두 (DDU-DU DDU-DU)", bp), TitleEntry("2", "DDU-DU DDU-DU", bp),
                        TitleEntry("3", "Forever Young", bp)])
    assert [e.track_id for e in index.artist_tracks("blackpink")] == ["2", "3"]
