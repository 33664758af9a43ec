"""What a twenty-third pass over real music (a downloader's: yt-dlp and youtube-dl rips of
music videos, lyric and promo channels, scdl SoundCloud reposts, Bandcamp label compilations,
spotDL and deemix) found in the catalog, each case rebuilt here from tiny files."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3, TIT2, TPE1, WOAR

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from recsys.catalog.reposts import repost_credit
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _mp3(path: Path) -> Path:
    from tests.test_audio_formats import write_tone

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_tone(path, 0.3)


def _video(lib: Path, name: str, title: str, channel: str, **more: str) -> Path:
    """yt-dlp's --embed-metadata: the video's title, the channel as the artist, the page's address."""
    return tagged_flac(lib / name, TITLE=title, ARTIST=channel, PURL="https://www.youtube.com/watch?v=qdpXxGPqW-Y",
                       COMMENT="https://www.youtube.com/watch?v=qdpXxGPqW-Y", **more)


# ---- reposts: another artist's song uploaded by a channel, a label or a remixer -----------------------


def test_a_lyric_channels_upload_is_the_songs_artists(tmp_path):
    """7clouds' "Alan Walker - Faded (Lyrics)" was a song of the artist "7clouds" titled so;
    MrSuicideSheep's "Seven Lions - Strangers (feat. Tyler Graves)" credited the channel."""
    lib = tmp_path / "lib"
    _video(lib, "Lyrics/Faded.flac", "Alan Walker - Faded (Lyrics)", "7clouds")
    _video(lib, "Lyrics/Strangers.flac", "Seven Lions - Strangers (feat. Tyler Graves)", "MrSuicideSheep")
    tracks = _read(lib, tmp_path)
    assert (tracks["Lyrics/Faded.flac"].title, tracks["Lyrics/Faded.flac"].artist) == ("Faded", "Alan Walker")
    strangers = tracks["Lyrics/Strangers.flac"]
    assert (strangers.title, strangers.artist) == ("Strangers (feat. Tyler Graves)", "Seven Lions")
    assert strangers.artists == ("Seven Lions", "Tyler Graves")


def test_a_soundcloud_repost_by_scdl_is_the_songs_artists(tmp_path):
    """scdl tags the uploader (a remixer, a premiere channel) and names the page in WOAR."""
    lib = tmp_path / "lib"
    path = _mp3(lib / "SoundCloud/Bonobo - Kerala (Dusky Remix).mp3")
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Bonobo - Kerala (Dusky Remix)"))
    tags.add(TPE1(encoding=3, text="Dusky"))
    tags.add(WOAR(url="https://soundcloud.com/dusky/bonobo-kerala-dusky-remix"))
    tags.save(path)
    track = _read(lib, tmp_path)["SoundCloud/Bonobo - Kerala (Dusky Remix).mp3"]
    assert (track.title, track.artist) == ("Kerala (Dusky Remix)", "Bonobo")


def test_a_downloads_version_title_and_a_files_without_a_page_stay(tmp_path):
    """A Topic upload's "Song - Remastered 2011", a type beat, and a title "X - Y" of a file
    with no page address and nothing vouching for X ("Part One - The Storm") are as tagged."""
    lib = tmp_path / "lib"
    _video(lib, "yt/a.flac", "Bohemian Rhapsody - Remastered 2011", "Queen")
    _video(lib, "yt/b.flac", "Drake Type Beat - Night (prod. Nightfall)", "Nightfall")
    tagged_flac(lib / "Band/Album/01.flac", TITLE="Part One - The Storm", ARTIST="Some Band", ALBUM="Album")
    tagged_flac(lib / "Band/Album/02.flac", TITLE="Part Two - The Calm", ARTIST="Some Band", ALBUM="Album")
    tracks = _read(lib, tmp_path)
    assert (tracks["yt/a.flac"].title, tracks["yt/a.flac"].artist) == ("Bohemian Rhapsody - Remastered 2011", "Queen")
    assert tracks["yt/b.flac"].artist == "Nightfall"
    assert [tracks[f"Band/Album/0{n}.flac"].artist for n in (1, 2)] == ["Some Band", "Some Band"]
    assert tracks["Band/Album/01.flac"].title == "Part One - The Storm"


def test_a_labels_bandcamp_compilation_is_its_artists(tmp_path):
    """Chillhop Music's compilation tags every track by the label, the artists in the titles:
    a channel, where its titles name two artists and the library has one of them."""
    lib = tmp_path / "lib"
    album = "Chillhop Essentials - Winter 2018"
    for n, title in enumerate(["Philanthrope - Snowflakes", "Aso - Take Me Back", "Sleepy Fish - Clouds"], 1):
        tagged_flac(lib / f"Bandcamp/{album}/0{n}.flac", TITLE=title, ARTIST="Chillhop Music",
                    ALBUMARTIST="Chillhop Music", ALBUM=album, TRACKNUMBER=str(n))
    tagged_flac(lib / "Sleepy Fish/Everything Fades to Blue/01.flac", TITLE="Beneath the Waves", ARTIST="Sleepy Fish",
                ALBUM="Everything Fades to Blue")
    tracks = _read(lib, tmp_path)
    got = [(tracks[f"Bandcamp/{album}/0{n}.flac"].title, tracks[f"Bandcamp/{album}/0{n}.flac"].artist) for n in (1, 2, 3)]
    assert got == [("Snowflakes", "Philanthrope"), ("Take Me Back", "Aso"), ("Clouds", "Sleepy Fish")]
    assert tracks[f"Bandcamp/{album}/01.flac"].album_artist == "Chillhop Music"  # the compilation stays the label's


def test_a_label_upload_of_an_artist_the_library_has_is_that_artists(tmp_path):
    """Without a page address (a tagger kept the title), an artist the library has on its own
    vouches for the title's: "Tame Impala - Let It Happen (Lyrics)" by "Dan Music"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Lyrics/Let It Happen.flac", TITLE="Tame Impala - Let It Happen (Lyrics)", ARTIST="Dan Music")
    tagged_flac(lib / "Tame Impala/Currents/01.flac", TITLE="Let It Happen", ARTIST="Tame Impala", ALBUM="Currents")
    track = _read(lib, tmp_path)["Lyrics/Let It Happen.flac"]
    assert (track.title, track.artist) == ("Let It Happen", "Tame Impala")


@pytest.mark.parametrize("title, artist, expected", [
    ("Beach House - Space Song", "Sub Pop", ("Space Song", "Beach House")),
    ("Porter Robinson - Shelter (Lyrics)", "Proximity", ("Shelter", "Porter Robinson")),
    ("Song - Live at Wembley", "Channel", None),  # a version
    ("Live at Glastonbury 2019 - Full Set", "Channel", None),
    ("Song - From \"Frozen\"", "Channel", None),
    ("Adele - Hello", "Adele", None),  # the artist's own: ``uploads``
    ("Just A Title", "Channel", None),
    # a label's "Song - Film | Cast | Singer" is ``labeluploads``' (the song is no artist)
    ("Kesariya - Brahmāstra | Ranbir Kapoor | Alia Bhatt | Pritam | Arijit Singh", "Sony Music India", None),
    ("Kesariya - Brahmāstra", "T-Series", None),
])
def test_repost_credit(title, artist, expected):
    assert repost_credit(title, artist) == expected


# ---- deemix's ID3v2.3 "A/B" artist list -------------------------------------------------------------


def _deemix(path: Path, artists: list[str], album_artist: str, v: int = 3) -> Path:
    from mutagen.id3 import TALB, TPE2

    _mp3(path)
    tags = ID3()
    tags.add(TIT2(encoding=1, text="Feel Good Inc."))
    tags.add(TPE1(encoding=1, text=artists))  # a list: saved "/"-joined in v2.3, as deemix's default does
    tags.add(TPE2(encoding=1, text=album_artist))
    tags.add(TALB(encoding=1, text="Demon Days"))
    tags.save(path, v2_version=v)
    return path


def test_a_deemix_v23_slash_list_is_its_artists(tmp_path):
    """"Gorillaz/De La Soul" was an artist of its own beside Gorillaz, De La Soul no credit."""
    lib = tmp_path / "lib"
    _deemix(lib / "Gorillaz - Demon Days/03.mp3", ["Gorillaz", "De La Soul"], "Gorillaz")
    track = _read(lib, tmp_path)["Gorillaz - Demon Days/03.mp3"]
    assert track.artist == "Gorillaz"
    assert track.artists == ("Gorillaz", "De La Soul")


def test_a_slash_in_a_bands_name_stays(tmp_path):
    """AC/DC is its own album artist whole; a slash under another album artist is no list."""
    lib = tmp_path / "lib"
    _deemix(lib / "AC-DC/01.mp3", ["AC/DC"], "AC/DC")
    _deemix(lib / "VA/01.mp3", ["AC/DC"], "Various Artists")
    tracks = _read(lib, tmp_path)
    assert tracks["AC-DC/01.mp3"].artist == "AC/DC" and tracks["AC-DC/01.mp3"].artists == ()
    assert tracks["VA/01.mp3"].artist == "AC/DC"


# ---- youtube-dl's names, a video's words, SoundCloud's marks --------------------------------------------


@pytest.mark.parametrize("name, title", [
    ("Daft Punk - Digital Love-9EntoOr7ZfI", "Digital Love"),  # youtube-dl's "%(title)s-%(id)s"
    ("Justice - D.A.N.C.E. (Official Video)-sy1dYFGkPUE", "D.A.N.C.E."),
    ("Daft Punk - Giorgio-zhl-Cs1-sG4", "Giorgio"),  # an id with hyphens of its own
    ("Jay-Z - Some-Superstitious", "Some-Superstitious"),  # a hyphenated word is no id
    ("Voice - audio_2023-03-04_10-22-11", "audio_2023-03-04_10-22-11"),  # a recorder's time is none
])
def test_youtube_dl_names_lose_the_video_id(tmp_path, name, title):
    lib = tmp_path / "lib"
    _mp3(lib / f"youtube-dl/{name}.mp3")
    _mp3(lib / "youtube-dl/Phoenix - 1901-HL548cHH3OY.mp3")
    tracks = _read(lib, tmp_path)
    assert tracks[f"youtube-dl/{name}.mp3"].title == title
    assert tracks["youtube-dl/Phoenix - 1901-HL548cHH3OY.mp3"].title == "1901"


@pytest.mark.parametrize("text, expected", [
    ("Africa (Official HD Video)", "Africa"),
    ("Bohemian Rhapsody (Official Video Remastered)", "Bohemian Rhapsody"),
    ("Good Things Fall Apart (Lyrics) ft. Jon Bellion", "Good Things Fall Apart ft. Jon Bellion"),
    ("Lyrics (Official Video)", "Lyrics"),
])
def test_a_videos_other_words(text, expected):
    from recsys.catalog.filenames import without_video_words

    assert without_video_words(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Joji - Slow Dancing In The Dark (Vantage Remix) | FREE DOWNLOAD", "Joji - Slow Dancing In The Dark (Vantage Remix)"),
    ("Artist - Song | Premiere", "Artist - Song"),
    ("Free Bird | Free", "Free Bird | Free"),  # no mark: "Free" alone is a word
])
def test_a_soundcloud_mark_after_a_bar(text, expected):
    from recsys.catalog.promomarks import without_promo_marks

    assert without_promo_marks(text) == expected


# ---- yt-dlp's info file and YouTube Music's generated description ----------------------------------------


def _topic(song: str, artists: list[str], album: str, year: int, released: str = "") -> str:
    text = f"Provided to YouTube by XL Recordings\n\n{song} · {' · '.join(artists)}\n\n{album}\n\n\u2117 {year} XL Recordings\n\n"
    return text + (f"Released on: {released}\n\n" if released else "") + "Auto-generated by YouTube."


def _untagged(path: Path, info: dict | str | None) -> None:
    import json

    _mp3(path)
    if info is not None:
        sidecar = path.with_name(path.stem + ".info.json")
        sidecar.write_text(info if isinstance(info, str) else json.dumps(info), encoding="utf-8")


def test_an_untagged_download_is_read_from_its_info_file(tmp_path):
    """``yt-dlp -x --write-info-json``: "Reckoner [_Rx4JvmSBWA].opus" was a song by no one."""
    lib = tmp_path / "lib"
    _untagged(lib / "archive/Reckoner [_Rx4JvmSBWA].mp3", {
        "title": "Reckoner", "channel": "Radiohead - Topic", "track": "Reckoner", "artist": "Radiohead",
        "artists": ["Radiohead"], "album": "In Rainbows", "release_year": 2007, "upload_date": "20190101"})
    _untagged(lib / "archive/Get Lucky [5NV6Rdv1a3I].mp3", {
        "title": "Get Lucky", "channel": "Daft Punk - Topic", "track": "Get Lucky",
        "artist": "Daft Punk, Pharrell Williams", "artists": ["Daft Punk", "Pharrell Williams"], "album": "RAM"})
    _untagged(lib / "archive/Tycho - Awake (Official Video) [1QpL5zEHuBM].mp3",
              {"title": "Tycho - Awake (Official Video)", "channel": "Tycho", "upload_date": "20160301"})
    _untagged(lib / "archive/Roygbiv [yT0gRc2c2wQ].mp3", {"title": "Roygbiv", "channel": "Boards of Canada - Topic"})
    tracks = _read(lib, tmp_path)
    reckoner = tracks["archive/Reckoner [_Rx4JvmSBWA].mp3"]
    assert (reckoner.title, reckoner.artist, reckoner.album, reckoner.year) == ("Reckoner", "Radiohead", "In Rainbows", 2007)
    lucky = tracks["archive/Get Lucky [5NV6Rdv1a3I].mp3"]
    assert (lucky.artist, lucky.artists) == ("Daft Punk", ("Daft Punk", "Pharrell Williams"))
    awake = tracks["archive/Tycho - Awake (Official Video) [1QpL5zEHuBM].mp3"]
    assert (awake.title, awake.artist, awake.year) == ("Awake", "Tycho", None)  # the upload's date is no song's
    roygbiv = tracks["archive/Roygbiv [yT0gRc2c2wQ].mp3"]
    assert (roygbiv.title, roygbiv.artist) == ("Roygbiv", "Boards of Canada")


def test_a_broken_info_file_and_a_tagged_file_keep_their_reading(tmp_path):
    lib = tmp_path / "lib"
    _untagged(lib / "dl/Portishead - Roads [Vg1jyL3cr60].mp3", "{not json")
    tagged_flac(lib / "dl/Song [abcdefgh1jk].flac", TITLE="Glory Box", ARTIST="Portishead")
    (lib / "dl/Song [abcdefgh1jk].info.json").write_text('{"track": "Other", "artist": "Someone"}')
    tracks = _read(lib, tmp_path)
    assert (tracks["dl/Portishead - Roads [Vg1jyL3cr60].mp3"].title,
            tracks["dl/Portishead - Roads [Vg1jyL3cr60].mp3"].artist) == ("Roads", "Portishead")
    assert (tracks["dl/Song [abcdefgh1jk].flac"].title, tracks["dl/Song [abcdefgh1jk].flac"].artist) == ("Glory Box", "Portishead")


def test_a_youtube_music_songs_year_is_its_releases(tmp_path):
    """yt-dlp's date tag is the upload's day: OK Computer's songs were of 2018."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "ytm/a.flac", TITLE="Karma Police", ARTIST="Radiohead", ALBUM="OK Computer", DATE="20180423",
                DESCRIPTION=_topic("Karma Police", ["Radiohead"], "OK Computer", 2009, "1997-05-21"))
    tagged_flac(lib / "ytm/b.flac", TITLE="Creep", ARTIST="Radiohead", DATE="20080415",
                DESCRIPTION="Radiohead's official video for Creep")  # a video: its year as tagged
    tagged_flac(lib / "ytm/c.flac", TITLE="Let Down", ARTIST="Radiohead", DATE="2018-04-23",
                DESCRIPTION=_topic("Let Down", ["Radiohead"], "OK Computer", 1997))  # a tagger's date: the tag's
    tracks = _read(lib, tmp_path)
    assert [tracks[f"ytm/{n}.flac"].year for n in "abc"] == [1997, 2008, 2018]


def test_a_youtube_music_songs_joined_artists_are_its_list(tmp_path):
    """yt-dlp's "The Weeknd, Daft Punk" was an artist of its own; "Earth, Wind & Fire" is a band."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "ytm/a.flac", TITLE="Starboy", ARTIST="The Weeknd, Daft Punk", DATE="20160922",
                DESCRIPTION=_topic("Starboy", ["The Weeknd", "Daft Punk"], "Starboy", 2016))
    tagged_flac(lib / "ytm/b.flac", TITLE="September", ARTIST="Earth, Wind & Fire", DATE="20160922",
                DESCRIPTION=_topic("September", ["Earth, Wind & Fire"], "The Best Of", 1978))
    tagged_flac(lib / "ytm/c.flac", TITLE="Helpless", ARTIST="Crosby, Stills, Nash & Young")
    tracks = _read(lib, tmp_path)
    assert (tracks["ytm/a.flac"].artist, tracks["ytm/a.flac"].artists) == ("The Weeknd", ("The Weeknd", "Daft Punk"))
    assert (tracks["ytm/b.flac"].artist, tracks["ytm/b.flac"].year) == ("Earth, Wind & Fire", 1978)
    assert tracks["ytm/c.flac"].artist == "Crosby, Stills, Nash & Young"


def test_yt_dlps_stand_ins_in_a_name_are_read_back(tmp_path):
    """yt-dlp writes "⧸" for "/" and "：" for ":": "Weird Fishes⧸Arpeggi" was a title no one types."""
    lib = tmp_path / "lib"
    _mp3(lib / "yt-dlp/Radiohead - Weird Fishes⧸Arpeggi [X4L5ivD9Pr4].mp3")
    _mp3(lib / "Mixes/Boiler Room： Peggy Gou [bXlf8FJ2_kE].mp3")  # its own folder: a name that splits not
    _mp3(lib / "J-Pop/なんで？.mp3")  # no video's name: a Japanese title's own punctuation stays
    tracks = _read(lib, tmp_path)
    weird = tracks["yt-dlp/Radiohead - Weird Fishes⧸Arpeggi [X4L5ivD9Pr4].mp3"]
    assert (weird.title, weird.artist) == ("Weird Fishes/Arpeggi", "Radiohead")
    assert tracks["Mixes/Boiler Room： Peggy Gou [bXlf8FJ2_kE].mp3"].title == "Boiler Room: Peggy Gou"
    assert tracks["J-Pop/なんで？.mp3"].title == "なんで？"


# ---- a mix's tracklist in its description ------------------------------------------------------------------


def test_a_soundcloud_mixs_tracklist_splits_it(tmp_path, monkeypatch):
    """scdl writes a mix's description as the comment, its tracklist there and no chapters: an
    hour of records was one track of the uploader's. (Seconds stand for an hour here.)"""
    from mutagen.id3 import COMM

    from recsys.catalog import chapters as chapters_module

    monkeypatch.setattr(chapters_module, "MIN_SECONDS", 4.0)
    lib = tmp_path / "lib"
    path = lib / "SoundCloud/Peggy Gou - Boiler Room Seoul.mp3"
    path.parent.mkdir(parents=True, exist_ok=True)
    from tests.test_audio_formats import write_tone

    write_tone(path, 7.0)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Boiler Room Seoul DJ Set"))
    tags.add(TPE1(encoding=3, text="Peggy Gou"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text="Live from Seoul.\n\nTracklist:\n0:00 Peggy Gou - Starry Night\n"
                                                         "0:02 Dixon - Deep Love\n0:04 Moodymann - Shades of Jae\n\n"
                                                         "Follow: https://soundcloud.com/boilerroom"))
    tags.save(path)
    tracks = list(_read(lib, tmp_path).values())
    assert [(t.title, t.artist, t.audio_start) for t in tracks] == [
        ("Starry Night", "Peggy Gou", 0.0), ("Deep Love", "Dixon", 2.0), ("Shades of Jae", "Moodymann", 4.0)]


@pytest.mark.parametrize("text, starts", [
    ("Tracklist:\n00:00 A - One\n02:30 B - Two\n05:00 C - Three\nthanks", [0, 150, 300]),
    ("[0:00:00] A - One\n[0:10:00] B - Two\n[1:00:00] C - Three", [0, 600, 3600]),
    ("0:00 One\n2:30 Two", []),  # two lines: no list (YouTube asks three)
    ("1:00 One\n2:30 Two\n3:00 Three", []),  # not from 0:00
    ("0:00 One\n5:00 Two\n2:30 Three", []),  # not in order
    ("0:00 One\n2:30 Two\n9:00:00 Three", []),  # past the file's end
])
def test_listed_chapters(text, starts):
    from recsys.catalog.chapters import listed_chapters

    assert [c.start for c in listed_chapters([text], 7200.0)] == starts


def test_info_files_are_looked_for_once_a_folder_without_a_path_a_file(tmp_path, monkeypatch):
    """``with_info_files`` asks of the untagged files alone and keys their folders by text: a
    folder of 50 untagged files and no ``.info.json`` makes one Path, not one a file (and its
    parent's) as before; a file with its info file beside it is still read from it."""
    import json

    from recsys.catalog import youtubeinfo
    from recsys.catalog.folderlayout import Tagged
    from recsys.catalog.listing import FolderFiles

    rips, plain = tmp_path / "rips", tmp_path / "plain"
    rips.mkdir()
    plain.mkdir()
    (rips / "Reckoner [_Rx4JvmSBWA].info.json").write_text(
        json.dumps({"track": "Reckoner", "artist": "Radiohead", "album": "In Rainbows"}), encoding="utf-8")
    listed = FolderFiles()
    names = [f"{i:02d}.mp3" for i in range(50)]
    listed.add(plain, names)
    listed.add(rips, ["Reckoner [_Rx4JvmSBWA].opus", "Reckoner [_Rx4JvmSBWA].info.json"])
    tracks = [TrackRecord(track_id=n, title=n, artist="", audio_path=plain / n) for n in names]
    tracks.append(TrackRecord(track_id="r", title="Reckoner", artist="", audio_path=rips / "Reckoner [_Rx4JvmSBWA].opus"))
    tagged = [Tagged(artist=False, title=False, album=False)] * len(tracks)
    made: list[object] = []
    real = youtubeinfo.Path

    def counted(*parts):
        made.append(parts)
        return real(*parts)

    monkeypatch.setattr(youtubeinfo, "Path", counted)
    out, out_tagged = youtubeinfo.with_info_files(tracks, tagged, listed)
    assert out[:50] == tracks[:50] and (out[50].title, out[50].artist, out[50].album) == ("Reckoner", "Radiohead", "In Rainbows")
    assert out_tagged[50].artist and out_tagged[50].title
    assert len(made) <= 3  # each folder once, and the name of the file its info file is beside


def test_a_title_without_a_dash_is_not_split(monkeypatch):
    """The reposts' pass asks every track's title for "X - Y": a title with no dash in it is
    answered without the pattern (50,000 splits a read of lib50k, none of them a dash)."""
    from recsys.catalog import reposts

    class Counted:
        calls = 0

        def split(self, text: str) -> list[str]:
            Counted.calls += 1
            return real.split(text)

    real = reposts._DASH
    monkeypatch.setattr(reposts, "_DASH", Counted())
    assert reposts._split("Karma Police") is None
    assert Counted.calls == 0
    assert reposts._split("Alan Walker - Faded (Lyrics)") == ("Alan Walker", "Faded (Lyrics)")
    assert reposts._split("Song \u2013 Live") is None and Counted.calls == 2


def test_a_video_sites_page_is_found_in_one_walk_of_the_tags():
    """``from_video_site`` walks an ID3 tag's frames once and a Vorbis comment's pairs as they
    are (no dict view: 8-10 us a file of every cold read before, 1-2 now), and finds what it
    found: yt-dlp's PURL and comment, scdl's WOAR, a WXXX; not another TXXX's address."""
    from mutagen._vorbis import VComment
    from mutagen.id3 import COMM, TXXX, WXXX

    from recsys.catalog.reposts import from_video_site

    class Pairs(VComment):
        def items(self):
            raise AssertionError("the dict view was built")

    def comment(*pairs: tuple[str, str]) -> Pairs:
        tags = Pairs()
        tags.extend(pairs)
        return tags

    assert from_video_site(comment(("TITLE", "x"), ("PURL", "https://www.youtube.com/watch?v=_Rx4JvmSBWA")))
    assert not from_video_site(comment(("TITLE", "x"), ("URL", "https://example.org/song")))
    for frame, found in ((WXXX(encoding=3, desc="", url="https://soundcloud.com/a/b"), True),
                         (COMM(encoding=3, lang="eng", desc="", text=["https://youtu.be/_Rx4JvmSBWA"]), True),
                         (TXXX(encoding=3, desc="purl", text=["https://www.youtube.com/watch?v=x"]), True),
                         (TXXX(encoding=3, desc="Lyrics Site", text=["https://www.youtube.com/watch?v=x"]), False)):
        tags = ID3()
        tags.add(TPE1(encoding=3, text=["A"]))
        tags.add(frame)
        assert from_video_site(tags) is found, frame
