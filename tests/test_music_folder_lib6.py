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


def _tagged_matroska(path: Path, tags: dict[str, str], stream_tags: dict[str, str] | None = None) -> Path:
    """A short tone in ``path`` (.mka or .webm) with ``tags`` as the container's tags, as
    ffmpeg, MKVToolNix and yt-dlp --embed-metadata write them."""
    import av

    from tests.test_audio_formats import write_tone

    path.parent.mkdir(parents=True, exist_ok=True)
    plain = write_tone(path.with_name("plain" + path.suffix), 1.0)
    with av.open(str(plain)) as source, av.open(str(path), "w", format="matroska" if path.suffix == ".mka" else "webm") as out:
        for key, value in tags.items():
            out.metadata[key] = value
        stream = out.add_stream_from_template(source.streams.audio[0])
        for key, value in (stream_tags or {}).items():
            stream.metadata[key] = value
        for packet in source.demux(source.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                out.mux(packet)
    plain.unlink()
    return path


def test_matroska_and_webm_tags_are_read(tmp_path):
    """mutagen has no Matroska reader: an .mka album track tagged ARTIST, ALBUM, DATE, GENRE
    had its file name for a title and nothing else, and yt-dlp's .webm (--embed-metadata)
    lost its artist, upload date and description. FFmpeg's view of the container gives them."""
    lib = tmp_path / "lib"
    _tagged_matroska(lib / "Holotz Castle/Castle Themes/03 Credits.mka", {
        "title": "Credits", "ARTIST": "Juan Carlos Seijo", "ALBUM": "Castle Themes", "DATE": "2004",
        "GENRE": "Chiptune", "COMPOSER": "Juan Carlos Seijo",
    })
    _tagged_matroska(lib / "YouTube/Trip on the Funny Boat [k3Jd9aXq2Lm].webm", {
        "title": "Trip on the Funny Boat", "ARTIST": "JDruid", "DATE": "20060815",
        "PURL": "https://www.youtube.com/watch?v=k3Jd9aXq2Lm", "COMMENT": "https://www.youtube.com/watch?v=k3Jd9aXq2Lm",
        "DESCRIPTION": "The title music of Funny Boat, a side-scrolling shooter.",
    })
    # MKVToolNix's track name is no title; a tag of the audio track fills what the file's lack
    _tagged_matroska(lib / "Holotz Castle/Castle Themes/04 Finale.mka", {}, {"title": "Stereo", "ARTIST": "Juan Carlos Seijo"})
    tracks = _by_file(lib, tmp_path)
    finale = tracks["Holotz Castle/Castle Themes/04 Finale.mka"]
    assert (finale.title, finale.artist) == ("Finale", "Juan Carlos Seijo")
    mka = tracks["Holotz Castle/Castle Themes/03 Credits.mka"]
    assert (mka.title, mka.artist, mka.album, mka.year, mka.genres) == (
        "Credits", "Juan Carlos Seijo", "Castle Themes", 2004, ("Chiptune",))
    assert mka.composer == ""  # the artist's own: no composer edge
    webm = tracks["YouTube/Trip on the Funny Boat [k3Jd9aXq2Lm].webm"]
    assert (webm.title, webm.artist, webm.year) == ("Trip on the Funny Boat", "JDruid", 2006)
    assert webm.description == "The title music of Funny Boat, a side-scrolling shooter."  # not the address


def test_artist_folders_the_tags_vouch_for_name_their_untagged_files(tmp_path):
    """Three layouts left untagged files without an artist although the library's tags said
    whose they were: singles loose in an artist folder (``Xmoto Team/Ride Along.ogg`` beside
    the team's tagged album), an untagged track of the band "1990s" (a decade's name: a
    container's), and an "Artist - Album" folder at the root whose artist is tagged elsewhere
    (so "H2" was two songs, one by nobody, and an ambiguous seed). A folder the tags beneath it
    do not name (a game's, holding its composer's album) still gives no artist, and neither
    does a word of a longer artist's name."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "Xmoto Team/Xmoto Soundtrack/01 Bat Cave.flac", TITLE="Bat Cave", ARTIST="Xmoto Team")
    _wav(lib / "Xmoto Team/Ride Along.wav")
    tagged_flac(lib / "1990s/Cookies (2007)/01 You Made Me Like It.flac", TITLE="You Made Me Like It", ARTIST="1990s")
    _wav(lib / "1990s/Cookies (2007)/02 Arrow Pierce.wav")
    tagged_flac(lib / "Compilations/Indie/03 H2.flac", TITLE="H2", ARTIST="Pete Shinners", ALBUMARTIST="Various Artists")
    _wav(lib / "Pete Shinners - SolarWolf/02 H2.wav")
    _wav(lib / "Live - 2001/01 Opening.wav")  # no tag names "Live"
    tagged_flac(lib / "Holotz Castle/Castle Themes/01 Main Title.flac", TITLE="Main Title", ARTIST="Juan Carlos Seijo")
    _wav(lib / "Holotz Castle/HCMainTitle_Fast.wav")
    tagged_flac(lib / "Music/Singles/a.flac", TITLE="A", ARTIST="Music Machine")
    _wav(lib / "Music/b.wav")
    tracks = _by_file(lib, tmp_path)
    ride = tracks["Xmoto Team/Ride Along.wav"]
    assert (ride.artist, ride.album) == ("Xmoto Team", "")  # a single: no album
    arrow = tracks["1990s/Cookies (2007)/02 Arrow Pierce.wav"]
    assert (arrow.artist, arrow.album) == ("1990s", "Cookies")
    h2 = tracks["Pete Shinners - SolarWolf/02 H2.wav"]
    assert (h2.artist, h2.album, h2.title) == ("Pete Shinners", "SolarWolf", "H2")
    assert tracks["Live - 2001/01 Opening.wav"].artist == ""
    assert tracks["Holotz Castle/HCMainTitle_Fast.wav"].artist == ""
    assert tracks["Music/b.wav"].artist == ""


def test_the_year_is_the_original_releases(tmp_path):
    """A 2011 remaster of a 1999 album (Picard: DATE 2011, ORIGINALDATE 1999; its MP3 copy
    ID3v2.3 TYER 2011, TORY 1999) and a 2015 compilation of a 2005 song (iTunes freeform
    ORIGINALDATE) were listed, faceted and filtered as 2011 and 2015: a person asking for a year
    means when the music came out. A date tag alone, or an "original" date later than it, gives
    the date tag's year."""
    from mutagen.id3 import TDRC, TORY, TXXX, TYER
    from mutagen.mp4 import MP4, MP4FreeForm
    from mutagen.wave import WAVE

    from tests.support.tagged_files import tagged_flac
    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", TITLE="Bat Cave", DATE="2011-03-07", ORIGINALDATE="1999-10-01")
    tagged_flac(lib / "b.flac", TITLE="Fox Run", DATE="2011", ORIGINALYEAR="1999")
    tagged_flac(lib / "c.flac", TITLE="Menu", DATE="2004")
    tagged_flac(lib / "d.flac", TITLE="Odd", DATE="2004", ORIGINALDATE="2010")
    wav = WAVE(_wav(lib / "e.wav"))
    wav.add_tags()
    wav.tags.add(TYER(encoding=0, text="2011"))
    wav.tags.add(TORY(encoding=0, text="1999"))
    wav.save(v2_version=3)
    wav = WAVE(_wav(lib / "f.wav"))
    wav.add_tags()
    wav.tags.add(TDRC(encoding=3, text="2015"))
    wav.tags.add(TXXX(encoding=3, desc="originalyear", text="1998"))
    wav.save()
    m4a = MP4(write_tone(lib / "g.m4a", 0.5))
    m4a["\xa9nam"], m4a["\xa9day"] = "Grass Theme", "2015-06-01T07:00:00Z"
    m4a["----:com.apple.iTunes:ORIGINALDATE"] = MP4FreeForm(b"2005")
    m4a.save()
    years = {name: t.year for name, t in _by_file(lib, tmp_path).items()}
    assert years == {"a.flac": 1999, "b.flac": 1999, "c.flac": 2004, "d.flac": 2004,
                     "e.wav": 1999, "f.wav": 1998, "g.m4a": 2005}


def test_a_title_tag_that_begins_with_the_track_number_loses_it(tmp_path):
    """A tagger that filled the title from the file name left "04 - Battle" in the title tag
    of 04 Battle.ogg (TRACKNUMBER 4): listed so, and the seed "Battle" had to match past it.
    Titles that begin with a number of their own keep it."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "04 Battle.flac", TITLE="04 - Battle", TRACKNUMBER="4")
    tagged_flac(lib / "a.flac", TITLE="05. Victory", TRACKNUMBER="5/12")
    tagged_flac(lib / "06 Snow.flac", TITLE="06 Snow")  # the file name's number, zero-padded
    tagged_flac(lib / "07 Seven.flac", TITLE="7 Seconds", TRACKNUMBER="7")
    tagged_flac(lib / "99 Luftballons.flac", TITLE="99 Luftballons")
    tagged_flac(lib / "05 1979.flac", TITLE="1979", TRACKNUMBER="5")
    tagged_flac(lib / "b.flac", TITLE="03 - Intro", TRACKNUMBER="8")  # another track's number
    # a concerto's movements on tracks 1-3: their own numbering, as the next work's on 4-6
    tagged_flac(lib / "01 Allegro.flac", TITLE="1. Allegro", TRACKNUMBER="1")
    tagged_flac(lib / "02 Largo.flac", TITLE="2) Largo", TRACKNUMBER="2")
    tagged_flac(lib / "3 Presto.flac", TITLE="3 - Presto", TRACKNUMBER="3")  # a dash: a file name's
    titles = {name: t.title for name, t in _by_file(lib, tmp_path).items()}
    assert titles == {"04 Battle.flac": "Battle", "a.flac": "Victory", "06 Snow.flac": "Snow",
                      "07 Seven.flac": "7 Seconds", "99 Luftballons.flac": "99 Luftballons",
                      "05 1979.flac": "1979", "b.flac": "03 - Intro", "01 Allegro.flac": "1. Allegro",
                      "02 Largo.flac": "2) Largo", "3 Presto.flac": "Presto"}


def test_a_title_whose_number_runs_on_keeps_it(tmp_path):
    """A title that begins with the track's number glued by ":", "-" or "." to more digits is
    the title's own ("5:15" as track 5, Logic's single "1-800-273-8255" as track 1, "2.0" as
    track 2): no tagger put a track number there, and "15" or "800-273-8255" is no title."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", TITLE="5:15", TRACKNUMBER="5")
    tagged_flac(lib / "Logic - 1-800-273-8255.flac", TITLE="1-800-273-8255", TRACKNUMBER="1/1")
    tagged_flac(lib / "c.flac", TITLE="2.0", TRACKNUMBER="2")
    tagged_flac(lib / "04 - 1979.flac", TITLE="04 - 1979", TRACKNUMBER="4")  # a number and a title
    titles = {name: t.title for name, t in _by_file(lib, tmp_path).items()}
    assert titles == {"a.flac": "5:15", "Logic - 1-800-273-8255.flac": "1-800-273-8255", "c.flac": "2.0",
                      "04 - 1979.flac": "1979"}


def test_a_copys_name_gives_its_originals_title(tmp_path):
    """Windows' "Ride Along - Copy.ogg" beside "Ride Along.ogg" (untagged) was a song of its
    own, "Ride Along - Copy", recommended for its original; alone in a folder it was a song
    "Copy" by the artist "Ride Along". What copying adds to a name (Explorer, the Finder, a
    browser, Dropbox, Syncthing) is no part of the title; "Carbon Copy" is a title."""
    from recsys.catalog.filenames import without_copy_marks

    lib = tmp_path / "lib"
    _wav(lib / "Singles/Ride Along.wav")
    _wav(lib / "Singles/Ride Along - Copy.wav", 441.0)  # edited since: not the same bytes (``copies``)
    _wav(lib / "Other/Ride Along - Copy (2).wav")
    _wav(lib / "Other/Speed It Up copy.wav")
    _wav(lib / "Other/Carbon Copy.wav")
    _wav(lib / "Alone/01 Madeira Stew.sync-conflict-20231101-120000-ABCDEFG.wav")
    titles = {name: (t.artist, t.title) for name, t in _by_file(lib, tmp_path).items()}
    assert titles["Singles/Ride Along - Copy.wav"] == ("", "Ride Along") == titles["Singles/Ride Along.wav"]
    assert titles["Other/Ride Along - Copy (2).wav"] == ("", "Ride Along")
    assert titles["Other/Speed It Up copy.wav"] == ("", "Speed It Up")
    assert titles["Other/Carbon Copy.wav"] == ("", "Carbon Copy")
    assert titles["Alone/01 Madeira Stew.sync-conflict-20231101-120000-ABCDEFG.wav"] == ("", "Madeira Stew")
    for name in ("Ride Along (1)", "Song (Ana's conflicted copy 2023-01-01)", "Song - Kopie"):
        assert without_copy_marks(name) in ("Ride Along", "Song")
    for name in ("Copy", "01 - Copy", "Symphony (12)", "Carbon Copy"):
        assert without_copy_marks(name) == name


def test_a_numbered_name_that_is_no_copy_keeps_its_number(tmp_path):
    """" (1)" is what a browser adds to a second download of one file, but also how Windows
    names a batch of files renamed at once ("Chill (1)", "Chill (2)") and its Voice Recorder
    its recordings ("Recording (2)"): untagged, those were all one title, "Chill", and one
    song to the results' dedup (untagged tracks of one title in one folder), so recommending
    one hid the others. A numbered name is a copy where a file of the unnumbered name beside
    it has its size; otherwise the number stays in the title."""
    import soundfile as sf
    import numpy as np

    def wav(path: Path, seconds: float) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        sf.write(path, np.zeros(int(8000 * seconds), dtype=np.float32), 8000)

    lib = tmp_path / "lib"
    wav(lib / "Downloads/Song.wav", 0.5)
    wav(lib / "Downloads/Song (1).wav", 0.5)  # the same file downloaded twice: no track (``copies``)
    wav(lib / "Downloads/Tune.wav", 0.5)
    with open(lib / "Downloads/Tune.wav", "r+b") as fh:  # the second download of another edition:
        fh.seek(60)                                      # its size, not its bytes
        fh.write(b"\x01\x02")
    wav(lib / "Downloads/Tune (1).wav", 0.5)
    wav(lib / "Batch/Chill (1).wav", 0.5)
    wav(lib / "Batch/Chill (2).wav", 0.6)
    wav(lib / "Voice/Recording.wav", 0.4)
    wav(lib / "Voice/Recording (2).wav", 0.7)
    titles = {name: t.title for name, t in _by_file(lib, tmp_path).items()}
    assert titles == {
        "Downloads/Song.wav": "Song", "Downloads/Tune.wav": "Tune", "Downloads/Tune (1).wav": "Tune",
        "Batch/Chill (1).wav": "Chill (1)", "Batch/Chill (2).wav": "Chill (2)",
        "Voice/Recording.wav": "Recording", "Voice/Recording (2).wav": "Recording (2)",
    }


def test_musicbrainz_recording_ids_make_copies_one_song(tmp_path):
    """One recording on an album and on a compilation credited otherwise ("Legolodio" by Xmoto
    Team, and by "X-Moto Team" on "Indie Game Music Vol. 1"), both tagged by Picard with one
    MusicBrainz recording id, was recommended for itself. The id is read from every tag kind
    (Vorbis MUSICBRAINZ_TRACKID, ID3 UFID, MP4 freeform) into the payload, only where there is
    one, and the results' dedup takes two tracks of one id for one song."""
    from mutagen.id3 import UFID
    from mutagen.mp4 import MP4, MP4FreeForm
    from mutagen.wave import WAVE

    from recsys.query.library import Picker, song_keys, track_key
    from recsys.store.base import Hit
    from tests.support.tagged_files import tagged_flac
    from tests.test_audio_formats import write_tone

    rid = "7a1c2f0e-1d2b-4c3d-8e9f-000000000004"
    lib = tmp_path / "lib"
    tagged_flac(lib / "Xmoto Team/Soundtrack/04 Legolodio.flac", TITLE="Legolodio", ARTIST="Xmoto Team",
                MUSICBRAINZ_TRACKID=rid)
    wav = WAVE(_wav(lib / "Xmoto Team/Soundtrack WAV/04 Legolodio.wav"))
    wav.add_tags()
    wav.tags.add(UFID(owner="http://musicbrainz.org", data=rid.upper().encode()))
    wav.save()
    (lib / "Compilations/Indie").mkdir(parents=True)
    m4a = MP4(write_tone(lib / "Compilations/Indie/02 Legolodio.m4a", 0.5))
    # credited otherwise ("X-Moto Team" would key as "Xmoto Team" now: the song key's artist is
    # the facet's key), so only the recording id tells the copies one song
    m4a["\xa9nam"], m4a["\xa9ART"], m4a["aART"] = "Legolodio", "X-Moto Developers", "Various Artists"
    m4a["----:com.apple.iTunes:MusicBrainz Track Id"] = MP4FreeForm(rid.encode())
    m4a.save()
    tagged_flac(lib / "Xmoto Team/Soundtrack/05 Menu.flac", TITLE="Menu", ARTIST="Xmoto Team")
    tracks = _by_file(lib, tmp_path)
    ids = {name: t.recording_id for name, t in tracks.items()}
    assert ids == {"Xmoto Team/Soundtrack/04 Legolodio.flac": rid, "Xmoto Team/Soundtrack WAV/04 Legolodio.wav": rid,
                   "Compilations/Indie/02 Legolodio.m4a": rid, "Xmoto Team/Soundtrack/05 Menu.flac": ""}
    assert "recording_id" not in tracks["Xmoto Team/Soundtrack/05 Menu.flac"].payload()

    def hit(name: str) -> Hit:
        return Hit(track_id=tracks[name].track_id, score=1.0, payload=tracks[name].payload())

    seed, compiled = hit("Xmoto Team/Soundtrack/04 Legolodio.flac"), hit("Compilations/Indie/02 Legolodio.m4a")
    assert track_key(seed) != track_key(compiled)  # credited otherwise: only the id tells
    picker = Picker(max_per_artist=0, exclude_keys=song_keys(seed), exclude_ids=[seed.track_id])
    assert not picker.take(compiled)
    assert picker.take(hit("Xmoto Team/Soundtrack/05 Menu.flac"))


def test_loose_files_of_an_untagged_artist_folder_and_sort_form_folders(tmp_path):
    """``Music/Radiohead/x.wav`` beside an untagged ``Music/Radiohead/OK Computer/`` had no
    artist and the album "Radiohead" (the folder: the artist's, not an album), and an untagged
    file in ``Beatles, The/Abbey Road/`` (a library sorted by artist) was by "Beatles, The", an
    artist of its own beside the tagged "The Beatles". A container's loose files still get
    nothing from it, nor does a game's folder whose album folders gave no artist."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    _wav(lib / "Music/Radiohead/x.wav")
    _wav(lib / "Music/Radiohead/OK Computer/01 Airbag.wav")
    _wav(lib / "Portishead/Roads.wav")
    _wav(lib / "Portishead/Dummy/01 Mysterons.wav")
    _wav(lib / "Beatles, The/Abbey Road/01 Come Together.wav")
    tagged_flac(lib / "The Beatles/Help/01 Help.flac", TITLE="Help!", ARTIST="The Beatles")
    _wav(lib / "Earth, Wind & Fire/I Am/01 Boogie Wonderland.wav")
    _wav(lib / "Games/y.wav")
    _wav(lib / "Games/Wesnoth/01 z.wav")
    tracks = _by_file(lib, tmp_path)
    loose = tracks["Music/Radiohead/x.wav"]
    assert (loose.artist, loose.album) == ("Radiohead", "")
    assert tracks["Portishead/Roads.wav"].artist == "Portishead"
    assert tracks["Beatles, The/Abbey Road/01 Come Together.wav"].artist == "The Beatles"
    assert tracks["Earth, Wind & Fire/I Am/01 Boogie Wonderland.wav"].artist == "Earth, Wind & Fire"
    assert tracks["Games/y.wav"].artist == "" and tracks["Games/Wesnoth/01 z.wav"].artist == ""


def test_an_id3_tag_before_a_flac_stream_is_read(tmp_path):
    """Old taggers wrote a FLAC's tags as an MP3's, an ID3v2 tag before the "fLaC" stream:
    players and FFmpeg read it, mutagen's FLAC reader steps over it, so the track was titled
    by its file name with no artist. Vorbis comments, where there are, still win."""
    import io

    from mutagen.id3 import ID3, TALB, TIT2, TPE1

    from tests.support.tagged_files import tagged_flac

    def with_id3(path: Path, title: str, artist: str) -> None:
        tag, buffer = ID3(), io.BytesIO()
        tag.add(TIT2(encoding=3, text=title))
        tag.add(TPE1(encoding=3, text=artist))
        tag.add(TALB(encoding=3, text="Castle Themes"))
        tag.save(buffer, v2_version=3)
        path.write_bytes(buffer.getvalue() + path.read_bytes())

    lib = tmp_path / "lib"
    with_id3(tagged_flac(lib / "01 fast.flac"), "Fast Theme", "Juan Carlos Seijo")
    with_id3(tagged_flac(lib / "02 slow.flac", TITLE="Slow Theme", ARTIST="Holotz"), "Other", "Someone")
    tracks = _by_file(lib, tmp_path)
    fast, slow = tracks["01 fast.flac"], tracks["02 slow.flac"]
    assert (fast.title, fast.artist, fast.album) == ("Fast Theme", "Juan Carlos Seijo", "Castle Themes")
    assert (slow.title, slow.artist) == ("Slow Theme", "Holotz")


def test_an_id3v1_field_cut_inside_a_japanese_or_chinese_character(tmp_path):
    """ID3v1 keeps 30 bytes of a title: a Shift-JIS or GBK title cut between the two bytes of
    a character was left as Latin-1 mojibake whole ("Vol1 K E T E h g b N"); it reads without
    the half character, as a player shows it."""
    from tests.test_audio_formats import write_tone

    def field(text: bytes) -> bytes:
        return text[:30].ljust(30, b"\0")

    lib = tmp_path / "lib"
    lib.mkdir()
    for name, codec, title, artist in (
        ("jp.mp3", "cp932", "Vol1 ルガル・サウンドトラック～雪のテーマ～", "ウルフファイア"),
        ("cn.mp3", "gbk", "1游戏音乐精选游戏音乐精选游戏音乐精选", "狼火工作室"),
    ):
        sound = write_tone(lib / name, 0.5).read_bytes()
        tag = b"TAG" + field(title.encode(codec)) + field(artist.encode(codec)) + field(b"") + b"2005"
        (lib / name).write_bytes(sound + tag + bytes(28) + b"\0\x01\xff")
    tracks = _by_file(lib, tmp_path)
    assert (tracks["jp.mp3"].title, tracks["jp.mp3"].artist) == ("Vol1 ルガル・サウンドトラック", "ウルフファイア")
    assert (tracks["cn.mp3"].title, tracks["cn.mp3"].artist) == ("1游戏音乐精选游戏音乐精选游戏", "狼火工作室")


def test_a_folder_of_loose_untagged_files_on_an_artist_shelf_is_the_artist(tmp_path):
    """``Music/Radiohead/Creep.wav`` with nothing else in the folder and no tag: no artist,
    and the album "Radiohead". Where the library sorts Artist/Album/ (its tags agree with its
    artist folders), a folder of loose files on that shelf that are no album's track list is an
    artist's; a numbered folder is an album dropped there, and a kind's container ("Sound
    Effects/Garden/") or a library not sorted so gives nothing."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    for n, title in enumerate(("Mysterons", "Sour Times", "Strangers"), 1):
        tagged_flac(lib / f"Music/Portishead/Dummy/0{n} {title}.flac", TITLE=title, ARTIST="Portishead")
    _wav(lib / "Music/Radiohead/Creep.wav")
    _wav(lib / "Music/Radiohead/Karma Police.wav")
    _wav(lib / "Music/OK Computer/01 Airbag.wav")
    _wav(lib / "Music/OK Computer/02 Paranoid Android.wav")
    _wav(lib / "Sound Effects/Garden/bang.wav")
    _wav(lib / "Music/Workout Mix/Eye of the Tiger.wav")  # others' songs a person gathered
    _wav(lib / "Music/Road Trip Playlist/Africa.wav")
    tracks = _by_file(lib, tmp_path)
    creep = tracks["Music/Radiohead/Creep.wav"]
    assert (creep.artist, creep.album) == ("Radiohead", "")
    assert tracks["Music/Workout Mix/Eye of the Tiger.wav"].artist == ""
    assert tracks["Music/Road Trip Playlist/Africa.wav"].artist == ""
    airbag = tracks["Music/OK Computer/01 Airbag.wav"]
    assert (airbag.artist, airbag.album) == ("", "OK Computer")
    assert tracks["Sound Effects/Garden/bang.wav"].artist == ""

    unsorted = tmp_path / "unsorted"
    tagged_flac(unsorted / "Music/Portishead/Dummy/01 Mysterons.flac", TITLE="Mysterons", ARTIST="Portishead")
    _wav(unsorted / "Music/Radiohead/Creep.wav")
    assert _by_file(unsorted, tmp_path / "u")["Music/Radiohead/Creep.wav"].artist == ""


def test_cyrillic_with_a_symbol_no_cjk_text_has_is_still_cyrillic() -> None:
    """Windows-1251 text holding a byte the Cyrillic letters do not ("©", "°", "·", "®", "§")
    was read back as Cyrillic before the Japanese and Chinese rule: that rule skips the
    Cyrillic one for such text so that GBK or Shift-JIS may be tried, but where neither reads
    it, the text is still Cyrillic, not left as "Ñïëèí · Áè-2"."""
    for text in ("Сплин · Би-2", "Кино ©", "Алиса ®", "Жара 40°", "Мумий Тролль §1"):
        assert repaired(_stored_as_latin1(text, "cp1251")) == text


def test_results_carry_their_musicbrainz_recording_id(capsys, tmp_path):
    """A script joining recsys's answers with MusicBrainz or ListenBrainz reads the recording
    id of each result (--json, and the server's tracks), where the tags give one."""
    import json

    from cli.main import main
    from tests.support.cli import TINY_ARGS, run
    from tests.support.tagged_files import tagged_flac
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    rid = "7a1c2f0e-1d2b-4c3d-8e9f-000000000004"
    lib = tmp_path / "lib"
    tagged_flac(lib / "Xmoto Team/Soundtrack/04 Legolodio.flac", TITLE="Legolodio", ARTIST="Xmoto Team",
                MUSICBRAINZ_TRACKID=rid)
    tagged_flac(lib / "Xmoto Team/Soundtrack/05 Menu.flac", TITLE="Menu", ARTIST="Xmoto Team")
    tagged_flac(lib / "Lugaru/Music/01 Grass.flac", TITLE="Grass", ARTIST="Wolfire Games")
    home = tmp_path / "home"
    assert main(["ingest", str(lib), "--home", str(home), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "recommend", "Grass", "-k", "5", "--max-per-artist", "0", "--json",
                         "--home", str(home))
    assert code == 0, err
    found = {r["title"]: r.get("recording_id") for r in json.loads(out)["results"]}
    assert found == {"Legolodio": rid, "Menu": None}

    from serve.models import TrackOut
    from recsys.query.library import Result

    r = Result("t", "Legolodio", "Xmoto Team", "", (), None, 0.5, recording_id=rid)
    assert TrackOut.of(r).recording_id == rid and TrackOut.of(Result("u", "Menu", "", "", (), None, 0.1)).recording_id is None
