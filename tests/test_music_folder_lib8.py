"""What an eighth pass over real music (an Android phone copied to a laptop, a Windows Media
Player "My Music", an Apple Music library on a Mac, built from Debian game soundtracks) found in
the music-folder reader, each case rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(folder, tmp_path / "covers").tracks}


def test_protected_itunes_files_are_named_not_dropped_without_a_word(tmp_path):
    """A Mac's library held a FairPlay ``.m4p`` (an old iTunes Store purchase) beside its
    ``.m4a`` songs: it was counted among the covers as "not audio", with no line. It is no
    track (FFmpeg cannot decrypt its sound) but one line says so, and how to get a copy."""
    lib = tmp_path / "lib"
    album = lib / "Music/Media.localized/Music/Evil Mastermind/Endgame_ Singularity"
    _wav(album / "1-04 Awakening.wav")
    (album / "1-05 By-Product.m4p").write_bytes(b"\x00\x00\x00\x20ftypM4P " + b"\x00" * 200)
    (album / "1-06 Coherence.m4p").write_bytes(b"\x00\x00\x00\x20ftypM4P " + b"\x00" * 200)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [t.source.rsplit("/", 1)[1] for t in catalog.tracks] == ["1-04 Awakening.wav"]
    lines = [p for p in catalog.problems if ".m4p" in p.message]
    assert len(lines) == 1
    assert lines[0].where == "Music/Media.localized/Music/Evil Mastermind/Endgame_ Singularity"
    assert lines[0].message.startswith("2 protected iTunes files (.m4p): encrypted with Apple's FairPlay")
    assert "iTunes Plus" in lines[0].message


def test_a_phones_voice_notes_recordings_and_tones_are_named_not_recommended_as_songs(tmp_path):
    """An Android phone copied to a laptop: WhatsApp's voice notes were songs by "WhatsApp Voice
    Notes" (album "202301"), a dentist's call and a 1-second notification chime came up in a
    radio. Android's own scanner files these folders as recordings and tones, never music: they
    are no tracks, one line a folder. A library's own "Recordings" or "Ringtones" folder (no
    phone's storage around it), the phone's Music/, Download/, WhatsApp Audio/ stay tracks."""
    lib = tmp_path / "lib"
    phone = lib / "Internal storage"
    (phone / "DCIM/Camera").mkdir(parents=True)
    songs = [
        "Internal storage/Music/Artist/Album/01 Song.wav",
        "Internal storage/Download/Single.wav",
        "Internal storage/WhatsApp/Media/WhatsApp Audio/AUD-20230101-WA0001.wav",
        "Internal storage/Podcasts/Show/Episode 1.wav",
        "Band/Recordings/Demo 1.wav",
        "Ringtones/Made by me.wav",
    ]
    skipped = [
        "Internal storage/WhatsApp/Media/WhatsApp Voice Notes/202301/PTT-20230101-WA0002.wav",
        "Internal storage/WhatsApp/Media/WhatsApp Voice Notes/202302/PTT-20230201-WA0003.wav",
        "Internal storage/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Voice Notes/202305/PTT-1.wav",
        "Internal storage/Recordings/Voice Recorder/Voice 001.wav",
        "Internal storage/Recordings/Call/Call@+15551234567(+15551234567)_20230101120000.wav",
        "Internal storage/Call/Mum_20230212_183005.wav",
        "Internal storage/Ringtones/Tone.wav",
        "Internal storage/Notifications/Chime.wav",
        "Internal storage/Alarms/Morning.wav",
    ]
    for rel in songs + skipped:
        _wav(lib / rel)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert sorted(t.source for t in catalog.tracks) == sorted(songs)
    assert catalog.stats["skipped"] == len(skipped)
    lines = {p.where: p.message for p in catalog.problems}
    assert lines["Internal storage/WhatsApp/Media/WhatsApp Voice Notes"].startswith("2 voice notes: a phone's recordings, not music")
    assert lines["Internal storage/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Voice Notes"].startswith("1 voice note:")
    assert lines["Internal storage/Recordings"].startswith("1 recording:")
    assert lines["Internal storage/Recordings/Call"].startswith("1 call recording:")
    assert lines["Internal storage/Call"].startswith("1 call recording:")
    assert lines["Internal storage/Ringtones"].startswith("1 ringtone: a phone's sounds")
    assert lines["Internal storage/Notifications"].startswith("1 notification sound:")
    assert lines["Internal storage/Alarms"].endswith("Move it out of this folder to include it")
    assert len(lines) == 8


def test_a_phone_copied_as_the_library_itself_is_read_alike(tmp_path):
    """The phone's storage folder given to recsys itself: its Ringtones/ are the phone's."""
    lib = tmp_path / "Internal storage"
    (lib / "Android/data").mkdir(parents=True)
    _wav(lib / "Music/Song.wav")
    _wav(lib / "Ringtones/Tone.wav")
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [t.source for t in catalog.tracks] == ["Music/Song.wav"]
    assert [p.where for p in catalog.problems] == ["Ringtones"]


def test_download_sites_names_leave_titles_artists_albums_and_file_names(tmp_path):
    """A phone's Download/ folder: "Breaking the Chains (www.SongsPk.com)" by "Mattias Westlund -
    www.SongsPk.com" from "The Battle for Wesnoth OST - www.SongsPk.com" (an artist of its own
    beside the real one), an album "www.MP3Juices.cc" shared by unrelated songs, y2mate's
    downloads by "y2mate.com". The sites' names and the converter's bitrate go; a dot inside a
    title's words ("Dot.com Blues", "Mr. Blue Sky") stays."""
    from mutagen.id3 import TALB, TIT2, TPE1
    from mutagen.wave import WAVE

    lib = tmp_path / "lib"

    def tagged(name: str, title: str, artist: str, album: str = "") -> None:
        audio = WAVE(_wav(lib / "Download" / name))
        audio.add_tags()
        for frame, text in ((TIT2, title), (TPE1, artist), (TALB, album)):
            if text:
                audio.tags.add(frame(encoding=3, text=text))
        audio.save()

    tagged("a.wav", "Breaking the Chains (www.SongsPk.com)", "Mattias Westlund - www.SongsPk.com",
           "The Battle for Wesnoth OST - www.SongsPk.com")
    tagged("b.wav", "Love Theme [www.MP3Juices.cc]", "Ryan Reilly", "www.MP3Juices.cc")
    tagged("c.wav", "Nunc Dimittis - Mr-Jatt.com", "Jeremy Nicoll", "Mr-Jatt.com")
    tagged("d.wav", "Dot.com Blues", "Mr. Blue Sky")
    tagged("e.wav", "supertux title", "http://zhaymusic.com/")  # the composer's own site: the one word on who
    _wav(lib / "Download/y2mate.com - Elvish Theme_128kbps.wav")
    tracks = _by_file(lib, tmp_path)
    a, b, c, d = (tracks[f"Download/{n}.wav"] for n in "abcd")
    assert (a.title, a.artist, a.album) == ("Breaking the Chains", "Mattias Westlund", "The Battle for Wesnoth OST")
    assert (b.title, b.artist, b.album) == ("Love Theme", "Ryan Reilly", "")
    assert (c.title, c.artist, c.album) == ("Nunc Dimittis", "Jeremy Nicoll", "")
    assert (d.title, d.artist) == ("Dot.com Blues", "Mr. Blue Sky")
    assert tracks["Download/e.wav"].artist == "http://zhaymusic.com/"
    y2mate = tracks["Download/y2mate.com - Elvish Theme_128kbps.wav"]
    assert (y2mate.title, y2mate.artist) == ("Elvish Theme", "")


def test_songs_forwarded_on_whatsapp_are_no_one_s(tmp_path):
    """A phone's WhatsApp/Media/WhatsApp Audio/AUD-...opus (a forwarded song, untagged) was by
    the artist "WhatsApp", album "WhatsApp Audio": one artist for every song friends sent."""
    lib = tmp_path / "lib"
    _wav(lib / "Internal storage/WhatsApp/Media/WhatsApp Audio/AUD-20230101-WA0001.wav")
    _wav(lib / "Internal storage/Telegram/Telegram Audio/audio_2023-03-04_10-22-11.wav")
    _wav(lib / "Internal storage/Android/media/com.whatsapp/WhatsApp/Media/WhatsApp Audio/AUD-20230514-WA0011.wav")
    for track in _by_file(lib, tmp_path).values():
        assert (track.artist, track.album) == ("", ""), track.source


def test_a_linux_home_with_android_studios_folder_is_no_phone(tmp_path):
    """A Linux home holds Android Studio's ``Android/`` (its SDK) beside ``Music``, ``Pictures``
    and ``Documents``: its ``Recordings/`` (a musician's) are music, not a phone's recordings."""
    home = tmp_path / "home"
    (home / "Android/Sdk/platforms").mkdir(parents=True)
    for name in ("Pictures", "Documents", "Downloads", "Videos"):
        (home / name).mkdir()
    songs = ["Recordings/Band Practice 2023-05-01.wav", "Music/Album/01 Song.wav"]
    for rel in songs:
        _wav(home / rel)
    catalog = read_music_folder(home, tmp_path / "covers")
    assert sorted(t.source for t in catalog.tracks) == sorted(songs) and catalog.problems == []
