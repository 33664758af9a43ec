"""A YouTube converter's name as the artist (``sitenames.converter_name``): ytmp3, y2mate and
their kin write their bare name as the artist of every file they make. A title that names its
artist gives it (a V-pop video's "Artist | Song | Official Music Video": ``uploads.video_credit``);
any other names no artist. And an Asian label's "(M/V)", "(Official MV)" (saved "(M_V)" in a
file's name) is a video's word, no part of the song's title (``filenames.without_video_words``)."""

from __future__ import annotations

from recsys.catalog import read_music_folder
from recsys.catalog.filenames import without_video_words
from recsys.catalog.sitenames import converter_name
from recsys.catalog.uploads import video_credit
from tests.support.tagged_files import tagged_flac


def test_a_converters_name_is_known_with_its_domain_or_without():
    for name in ("ytmp3", "y2mate", "savefrom", "onlymp3", "mp3juices", "320ytmp3", "ytmp3.cc", "www.y2mate.com", "Y2Mate"):
        assert converter_name(name), name
    for name in ("Yung Mate", "Savage", "MP3", "Jay-Z", "y2mate remix", ""):
        assert not converter_name(name), name


def test_a_music_videos_mark_is_no_part_of_the_title():
    assert without_video_words("Mười Năm ft. Ngọc Linh (M_V)") == "Mười Năm ft. Ngọc Linh"
    assert without_video_words("See Tình (Official MV)") == "See Tình"
    assert without_video_words("ĐÂU CHỈ RIÊNG EM (OFFICIAL M/V)") == "ĐÂU CHỈ RIÊNG EM"
    assert without_video_words("Song [MV]") == "Song"
    # not a word of the title's own
    assert without_video_words("MVP (MV Remix)") == "MVP (MV Remix)"
    assert without_video_words("(M/V)") == "(M/V)"


def test_a_piped_music_videos_title_names_artist_and_song():
    assert video_credit("Sơn Tùng M-TP | LẠC TRÔI | Official Music Video") == ("LẠC TRÔI", "Sơn Tùng M-TP")
    # three parts: which is the artist is not said
    assert video_credit("A | B | C | Official MV") is None
    assert video_credit("Song | Official Music Video") is None


def test_a_converters_downloads_are_by_their_titles_artist_or_none(tmp_path):
    """lib29: ytmp3's "Sơn Tùng M-TP | LẠC TRÔI | Official Music Video" was by "ytmp3" with that
    whole title; the untagged "ĐEN - Mười Năm ft. Ngọc Linh (M_V)" was titled with its "(M_V)"."""
    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    tagged_flac(lib / "YouTube/Son Tung.flac", TITLE="Sơn Tùng M-TP | LẠC TRÔI | Official Music Video", ARTIST="ytmp3")
    tagged_flac(lib / "YouTube/vlog.flac", TITLE="Rainy Day Vlog", ARTIST="y2mate")
    tagged_flac(lib / "YouTube/site.flac", TITLE="Rainy Night", ARTIST="ytmp3.cc")
    (lib / "YouTube").mkdir(exist_ok=True)
    write_tone(lib / "YouTube" / "ĐEN - Mười Năm ft. Ngọc Linh (M_V).mp3", 0.3)
    write_tone(lib / "YouTube" / "Hoàng Thùy Linh - See Tình (Official MV).mp3", 0.3)
    tracks = {t.source.rpartition("/")[2]: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert (tracks["Son Tung.flac"].title, tracks["Son Tung.flac"].artist) == ("LẠC TRÔI", "Sơn Tùng M-TP")
    assert tracks["vlog.flac"].title == "Rainy Day Vlog"
    assert tracks["vlog.flac"].artist == ""  # the folder "YouTube" names no artist either
    assert tracks["site.flac"].artist == ""
    assert tracks["ĐEN - Mười Năm ft. Ngọc Linh (M_V).mp3"].title == "Mười Năm ft. Ngọc Linh"
    assert tracks["Hoàng Thùy Linh - See Tình (Official MV).mp3"].title == "See Tình"
