"""What a nineteenth pass over real music (a K-pop, J-pop and anime listener's: Melon, Bugs and
Genie downloads naming artists in two scripts, iTunes' English names, J-pop FLACs with romaji
sort tags, share sites' anime single folders, a fan's OP/ED collection, YouTube openings and
music videos, Vocaloid producers, doujin circles) found in the music-folder reader, each case
rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.albumfolders import album_folder
from recsys.catalog.animethemes import anime_show
from recsys.catalog.credits import credited_artists, title_without_credits
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.uploads import upload_credit
from recsys.labels import double_name, genre_key, label_key
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")
from mutagen.id3 import TIT2, TPE1, TSOP, TSOT  # noqa: E402
from mutagen.wave import WAVE  # noqa: E402

from tests.test_music_folder_tags import _wav  # noqa: E402


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


# ---- an artist named in two scripts, every store's way ---------------------------------------


def test_two_stores_orders_of_one_double_name_are_one_artist(tmp_path):
    """Melon's "IU (아이유)", Bugs' "아이유(IU)", iTunes' "IU" and Melon's "아이유" were four
    artists: "IU" and "아이유" are halves of both double names, which kept them as tagged."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Melon/1.flac", TITLE="Blueming", ARTIST="IU (아이유)")
    tagged_flac(lib / "Bugs/2.flac", TITLE="unlucky", ARTIST="아이유(IU)")
    tagged_flac(lib / "iTunes/3.flac", TITLE="이런 엔딩", ARTIST="IU")
    tagged_flac(lib / "Melon/4.flac", TITLE="밤편지", ARTIST="아이유")
    tagged_flac(lib / "Melon/5.flac", TITLE="불티 (Spark)", ARTIST="태연 (TAEYEON)")
    tagged_flac(lib / "Bugs/6.flac", TITLE="INVU", ARTIST="TAEYEON (태연)")
    tracks = _read(lib, tmp_path)
    assert {tracks[f].artist for f in ("Melon/1.flac", "Bugs/2.flac", "iTunes/3.flac", "Melon/4.flac")} == {"아이유(IU)"}
    assert {tracks[f].artist for f in ("Melon/5.flac", "Bugs/6.flac")} == {"TAEYEON (태연)"}


def test_a_name_that_begins_with_a_bracket_is_half_of_a_double_name(tmp_path):
    """Genie's "(여자)아이들 ((G)I-DLE)": the group's own name begins with a bracket, so the double
    name was no double name, and "(G)I-DLE" (iTunes) and "(여자)아이들" (Melon) stayed apart."""
    assert double_name("(여자)아이들 ((G)I-DLE)") == ("(여자)아이들", "(G)I-DLE")
    assert double_name("(G)I-DLE") is None and double_name("Crush (Band)") is None
    lib = tmp_path / "lib"
    tagged_flac(lib / "Genie/1.flac", TITLE="Nxde", ARTIST="(여자)아이들 ((G)I-DLE)")
    tagged_flac(lib / "iTunes/2.flac", TITLE="Queencard", ARTIST="(G)I-DLE")
    tagged_flac(lib / "Melon/3.flac", TITLE="LATATA", ARTIST="(여자)아이들")
    assert {t.artist for t in _read(lib, tmp_path).values()} == {"(여자)아이들 ((G)I-DLE)"}


def test_each_name_of_a_double_name_is_its_artists_key():
    """``--only-artist blackpink`` found nothing: the Bugs download's artist key was
    "blackpink블랙핑크" alone."""
    payload = TrackRecord("t", "Pretty Savage", "BLACKPINK(블랙핑크)").payload()
    assert payload["artist_key"] == [label_key("BLACKPINK(블랙핑크)"), "blackpink", label_key("블랙핑크")]
    assert TrackRecord("t", "Song", "Crush (Band)").payload()["artist_key"] == "crushband"  # one name, as before
    duet = TrackRecord("t", "Song", "A feat. 태연 (TAEYEON)", artists=("A", "태연 (TAEYEON)")).payload()
    assert "taeyeon" in duet["artist_key"]


def test_a_romaji_sort_tag_reads_a_japanese_name_in_latin_letters(tmp_path):
    """A Japanese tagger's ARTISTSORT "Kenshi Yonezu" of "米津玄師" (and ID3's TSOP): the double
    name of the two, so the iTunes purchase by "Kenshi Yonezu" is the same artist; Picard's
    "Yonezu, Kenshi" read in reading order; a sort tag of several artists paired name by name;
    an album's sort name lent to a guest's track, a kana sort name and a Latin name's sort
    name give nothing."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "J-Pop/1.flac", TITLE="感電", ARTIST="米津玄師", ARTISTSORT="Kenshi Yonezu")
    tagged_flac(lib / "iTunes/2.flac", TITLE="Lemon", ARTIST="Kenshi Yonezu")
    tagged_flac(lib / "J-Pop/3.flac", TITLE="First Love", ARTIST="宇多田ヒカル", ARTISTSORT="Utada, Hikaru")
    tagged_flac(lib / "Vocaloid/4.flac", TITLE="ヴァンパイア", ARTIST="DECO*27 feat. 初音ミク",
                ARTISTSORT="DECO*27 feat. Hatsune Miku")
    tagged_flac(lib / "Vocaloid/5.flac", TITLE="ハッピーシンセサイザ", ARTIST="巡音ルカ & GUMI", ARTISTSORT="Megurine Luka")
    tagged_flac(lib / "iTunes/6.flac", TITLE="馬と鹿", ARTIST="あいみょん", ARTISTSORT="アイミョン")
    tagged_flac(lib / "Rock/7.flac", TITLE="Help!", ARTIST="The Beatles", ARTISTSORT="Beatles, The")
    _id3_wav(lib / "Rock/8.wav", "白日", "King Gnu", TSOP(encoding=3, text=["King Gnu"]))
    _id3_wav(lib / "Rock/9.wav", "踊", "アド", TSOP(encoding=3, text=["Ado"]))
    tracks = _read(lib, tmp_path)
    assert tracks["J-Pop/1.flac"].artist == tracks["iTunes/2.flac"].artist == "米津玄師 (Kenshi Yonezu)"
    assert tracks["J-Pop/3.flac"].artist == "宇多田ヒカル (Hikaru Utada)"
    assert tracks["Vocaloid/4.flac"].artists == ("DECO*27", "初音ミク (Hatsune Miku)")
    assert tracks["Vocaloid/4.flac"].artist == "DECO*27 feat. 初音ミク"  # as tagged
    assert tracks["Vocaloid/5.flac"].artist == "巡音ルカ & GUMI"  # "GUMI" is not read "Megurine Luka"
    assert tracks["iTunes/6.flac"].artist == "あいみょん"
    assert tracks["Rock/7.flac"].artist == "The Beatles"
    assert tracks["Rock/8.wav"].artist == "King Gnu"
    assert tracks["Rock/9.wav"].artist == "アド (Ado)"  # ID3's TSOP, as Mp3tag writes it


def _id3_wav(path: Path, title: str, artist: str, *frames) -> Path:
    _wav(path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text=[title]))
    audio.tags.add(TPE1(encoding=3, text=[artist]))
    for frame in frames:
        audio.tags.add(frame)
    audio.save()
    return path


# ---- a title's reading from its sort tag -----------------------------------------------------


def test_a_titles_romaji_sort_tag_is_its_reading_and_its_versions(tmp_path):
    """TITLESORT "Yoru ni Kakeru" of "夜に駆ける": what a listener without a Japanese keyboard
    types. Kept where the title is in another script; the artist's copies and versions of the
    title share it ("アイドル -TV Size-", a fan's untagged copy), a Latin title's sort tag is none."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "J-Pop/1.flac", TITLE="夜に駆ける", ARTIST="YOASOBI", TITLESORT="Yoru ni Kakeru")
    tagged_flac(lib / "J-Pop/2.flac", TITLE="アイドル", ARTIST="YOASOBI", TITLESORT="Idol")
    tagged_flac(lib / "Anime/3.flac", TITLE="アイドル -TV Size-", ARTIST="ＹＯＡＳＯＢＩ")
    tagged_flac(lib / "Anime/4.flac", TITLE="アイドル 2", ARTIST="YOASOBI")
    tagged_flac(lib / "J-Pop/5.flac", TITLE="Automatic -Album Edit-", ARTIST="宇多田ヒカル", TITLESORT="Automatic")
    _id3_wav(lib / "J-Pop/6.wav", "群青", "YOASOBI", TSOT(encoding=3, text=["Gunjou"]))
    tracks = _read(lib, tmp_path)
    assert tracks["J-Pop/1.flac"].title_sort == "Yoru ni Kakeru"
    assert tracks["Anime/3.flac"].title_sort == "Idol"
    assert tracks["Anime/4.flac"].title_sort == ""  # another song
    assert tracks["J-Pop/5.flac"].title_sort == ""
    assert tracks["J-Pop/6.wav"].title_sort == "Gunjou"
    payload = tracks["J-Pop/1.flac"].payload()
    assert payload["title_norm"] == ["夜に駆ける", "yoru ni kakeru"] and payload["title_sort"] == "Yoru ni Kakeru"
    # out of the hashes: no vector reads it, a collection gains it without encoding
    assert "title_sort" not in tracks["J-Pop/1.flac"].payload(derived=False)


# ---- credits ---------------------------------------------------------------------------------


def test_a_guest_after_feat_with_no_space_is_credited():
    """Japanese releases write "砂の惑星 feat.初音ミク", "Bad Apple!! feat.nomico": no guest was
    credited, and the title kept its credit."""
    assert credited_artists(["ハチ"], "砂の惑星 feat.初音ミク") == ("ハチ", "初音ミク")
    assert credited_artists(["DECO*27 feat.初音ミク"]) == ("DECO*27", "初音ミク")
    assert title_without_credits("Bad Apple!! feat.nomico") == "Bad Apple!!"
    assert credited_artists(["A"], "Song (Part.2)") == ("A",)


def test_a_korean_stores_list_of_double_names_credits_each():
    """Melon's drama OST duet "찬열 (CHANYEOL), 펀치 (Punch)" was one artist; a comma in a name
    that is no list of double names stays ("Earth, Wind & Fire")."""
    assert credited_artists(["찬열 (CHANYEOL), 펀치 (Punch)"]) == ("찬열 (CHANYEOL)", "펀치 (Punch)")
    assert credited_artists(["Earth, Wind & Fire"]) == ("Earth, Wind & Fire",)
    assert credited_artists(["BTS (방탄소년단), Halsey"]) == ("BTS (방탄소년단), Halsey",)


# ---- folders and file names ------------------------------------------------------------------


@pytest.mark.parametrize("name, album, artist, year", [
    ("[230412] TVアニメ「推しの子」OP主題歌「アイドル」／YOASOBI [FLAC 24bit-96kHz]", "アイドル", "YOASOBI", 2023),
    ("[221012] TVアニメ「チェンソーマン」OPテーマ「KICK BACK」／米津玄師 [FLAC]", "KICK BACK", "米津玄師", 2022),
    ("[981209] 『ブルーバード』／いきものがかり", "ブルーバード", "いきものがかり", 1998),
    ("[Single] Aimer - 残響散歌／朝が来る [FLAC]", "残響散歌／朝が来る", "Aimer", None),
    ("[Album] LiSA - LEO-NiNE (2020) [FLAC]", "LEO-NiNE", "LiSA", 2020),
    ("Alstroemeria Records - Lovelight [C80]", "Lovelight", "Alstroemeria Records", None),
    ("[C103] 幽閉サテライト - 色は匂へど散りぬるを", "色は匂へど散りぬるを", "幽閉サテライト", None),
    ("Circle - Album (C97)", "Album", "Circle", None),
    # Comiket's C100 (and C90, C60) look as a tape's length does: in square brackets, or in a
    # name written in Japanese, the event's ("(C100)" was read as a tape, the folder as one album)
    ("COOL&CREATE - 東方ボーカルロック (C100)", "東方ボーカルロック", "COOL&CREATE", None),
    ("サークル - アルバム (C90) [FLAC]", "アルバム", "サークル", None),
    ("Circle - Album [C100]", "Album", "Circle", None),
    ("Mixtape - Summer 86 (C90)", "Mixtape - Summer 86", "", None),
    # no mark vouching for "Artist - Album", and a tape's length: as before
    ("IOSYS - 東方氷雪歌集", "IOSYS - 東方氷雪歌集", "", None),
    ("Summer Mixtape (C60)", "Summer Mixtape", "", None),
])
def test_a_share_sites_and_a_circles_release_folders(name, album, artist, year):
    assert album_folder(name) == type(album_folder(""))(album, artist, year)


def test_an_untagged_anime_single_folder_gives_its_artist_and_album(tmp_path):
    lib = tmp_path / "lib"
    folder = "Anime/[221012] TVアニメ「チェンソーマン」OPテーマ「KICK BACK」／米津玄師 [FLAC]"
    tagged_flac(lib / folder / "01. KICK BACK.flac")
    tagged_flac(lib / folder / "02. 恋しい.flac")
    got = {(t.title, t.artist, t.album, t.year) for t in _read(lib, tmp_path).values()}
    assert got == {("KICK BACK", "米津玄師", "KICK BACK", 2022), ("恋しい", "米津玄師", "KICK BACK", 2022)}


def test_an_anime_openings_name_makes_its_show_no_artist(tmp_path):
    """"Shingeki no Kyojin OP1 - Guren no Yumiya.mp3" was by the artist "Shingeki no Kyojin
    OP1": the show is the album; "Show OP - Artist - Title" is the artist's."""
    assert anime_show("Naruto Shippuden Opening 16") == "Naruto Shippuden"
    assert anime_show("Jujutsu Kaisen ED1") == "Jujutsu Kaisen" and anime_show("Oshi no Ko OP Full") == "Oshi no Ko"
    assert anime_show("Grand Opening") == anime_show("Happy Ending") == anime_show("Red") == ""
    lib = tmp_path / "lib"
    for name in ("Shingeki no Kyojin OP1 - Guren no Yumiya", "Oshi no Ko OP Full - YOASOBI - Idol",
                 "Kenta Cho - Noiz2sa"):
        tagged_flac(lib / "Anime/YouTube" / f"{name}.flac")
    got = {(t.title, t.artist, t.album) for t in _read(lib, tmp_path).values()}
    assert ("Guren no Yumiya", "", "Shingeki no Kyojin") in got
    assert ("Idol", "YOASOBI", "Oshi no Ko") in got
    assert ("Noiz2sa", "Kenta Cho", "") in got


@pytest.mark.parametrize("title, channel, want", [
    ("BLACKPINK - 'How You Like That' M/V", "BLACKPINK", ("How You Like That", "BLACKPINK")),
    ('TWICE "FANCY" M/V', "JYP Entertainment", ("FANCY", "TWICE")),
    ("[MV] IU(아이유) _ Blueming(블루밍)", "1theK (원더케이)", ("Blueming(블루밍)", "IU(아이유)")),
    ("YOASOBI「アイドル」 Official Music Video", "Ayase ⧸ YOASOBI", ("アイドル", "YOASOBI")),
    ("Drive MV", "Band", None),  # no artist and song in it
    ("Song - Live", "Band", None),
])
def test_a_music_videos_title_names_its_artist_and_song(title, channel, want):
    """yt-dlp's title tags of K-pop and J-pop videos, uploaded by the artist or its label: the
    song was "'How You Like That' M/V", by the channel "JYP Entertainment"."""
    assert upload_credit(title, channel) == want


# ---- genres and kana -------------------------------------------------------------------------


def test_melons_korean_genres_are_their_english_names():
    """``--genre dance`` found none of the Melon downloads, whose genre is "댄스"."""
    assert genre_key("댄스") == genre_key("Dance") and genre_key("발라드") == genre_key("Ballad")
    assert genre_key("랩/힙합") == genre_key("Rap/Hip-Hop") and genre_key("Rock") != genre_key("록/메탈")


def test_a_kanas_voicing_mark_is_no_accent():
    """"ブルーバード" (blue bird) and "フルーハート" were one title to the seeds and the dedup (the
    dakuten went as an accent would); half-width kana are the full-width ones."""
    assert normalise_title("ブルーバード") != normalise_title("フルーハート")
    assert normalise_title("ﾌﾞﾙｰﾊﾞｰﾄﾞ") == normalise_title("ブルーバード") == "ブルーバード"
    assert normalise_title("Café") == "cafe" and label_key("Кино") == "kino"
