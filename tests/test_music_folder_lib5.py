"""What a fifth pass over real music (Kenta Cho's ABA Games soundtracks tagged by MusicBrainz
Picard, downloaded from Bandcamp, YouTube and Soulseek, in every container a person meets)
found in the music-folder reader, each case rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from tests.support.tagged_files import tagged_flac
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(folder, tmp_path / "covers").tracks}


def test_picards_artists_tag_credits_each_artist_of_a_duet(tmp_path):
    """Picard writes a duet's artist as credited, "Kenta Cho & Yuzo Koshiro", and each name
    in ARTISTS. Without reading it the duet was an artist of its own: a graph node apart from
    Kenta Cho, a facet row, and ``recommend --artist "Kenta Cho"`` could not find the track."""
    from mutagen.id3 import TPE1, TXXX
    from mutagen.wave import WAVE

    lib = tmp_path / "lib"
    tagged_flac(lib / "Kenta Cho/Gunroar/01 Fleet.flac", TITLE="Fleet", ARTIST="Kenta Cho & Yuzo Koshiro",
                ARTISTS=["Kenta Cho", "Yuzo Koshiro"])
    tagged_flac(lib / "Kenta Cho/Gunroar/02 Alone.flac", TITLE="Alone", ARTIST="Kenta Cho", ARTISTS=["Kenta Cho"])
    wav = _wav(lib / "Kenta Cho/Torus Trooper/03 Ring Out.wav")
    audio = WAVE(wav)
    audio.add_tags()
    audio.tags.add(TPE1(encoding=3, text="Kenta Cho x Hitoshi Sakimoto"))
    audio.tags.add(TXXX(encoding=3, desc="ARTISTS", text=["Kenta Cho", "Hitoshi Sakimoto"]))
    audio.save()
    tracks = _by_file(lib, tmp_path)
    fleet = tracks["Kenta Cho/Gunroar/01 Fleet.flac"]
    assert fleet.artist == "Kenta Cho & Yuzo Koshiro"  # shown as credited
    assert fleet.artists == ("Kenta Cho", "Yuzo Koshiro") and fleet.primary_artist == "Kenta Cho"
    assert tracks["Kenta Cho/Gunroar/02 Alone.flac"].artists == ()
    ring = tracks["Kenta Cho/Torus Trooper/03 Ring Out.wav"]
    assert ring.artists == ("Kenta Cho", "Hitoshi Sakimoto")


def test_wavpack_tta_matroska_webm_and_audiobooks_are_tracks_midi_and_modules_are_named(tmp_path):
    """WavPack, TTA, Matroska audio, yt-dlp's audio-only WebM and an .m4b audiobook all decode
    through PyAV, but the reader took none of them: they were "skipped by type (not audio)"
    with the covers, and a WavPack collection was invisible. MIDI files and tracker modules,
    which FFmpeg cannot play, were counted the same way without a word: one line a folder and
    a kind now. A WavPack's APEv2 "Year" and "Album Artist" are read as an APE-tagged MP3's."""
    from mutagen.wavpack import WavPack

    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    (lib / "Formats").mkdir(parents=True)
    for ext in ("wv", "tta", "mka", "webm", "m4b"):
        write_tone(lib / f"Formats/Stage {ext}.{ext}", 1.0)
    wv = WavPack(lib / "Formats/Stage wv.wv")
    if wv.tags is None:
        wv.add_tags()
    wv.tags["Title"], wv.tags["Artist"], wv.tags["Album Artist"], wv.tags["Year"] = "Stage Five", "Kenta Cho", "ABA", "2002"
    wv.tags["Album"] = "Noiz2sa"
    wv.save()
    (lib / "MIDI").mkdir()
    for name in ("a.mid", "b.MID", "c.kar"):
        (lib / "MIDI" / name).write_bytes(b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60")
    (lib / "MIDI/readme.txt").write_text("songs")
    (lib / "Trackers").mkdir()
    (lib / "Trackers/song.xm").write_bytes(b"Extended Module: song")
    catalog = read_music_folder(lib, tmp_path / "covers")
    sources = {t.source for t in catalog.tracks}
    assert sources == {f"Formats/Stage {ext}.{ext}" for ext in ("wv", "tta", "mka", "webm", "m4b")}
    five = next(t for t in catalog.tracks if t.source.endswith(".wv"))
    assert (five.title, five.artist, five.album_artist, five.year) == ("Stage Five", "Kenta Cho", "ABA", 2002)
    assert catalog.stats["skipped"] == 5
    lines = {p.where: p.message for p in catalog.problems}
    assert set(lines) == {"MIDI", "Trackers"}
    assert lines["MIDI"].startswith("3 MIDI files (.kar, .mid)") and "timidity" in lines["MIDI"]
    assert lines["Trackers"].startswith("1 tracker module (.xm)") and "Render it " in lines["Trackers"]


def test_control_characters_in_tags_are_no_part_of_a_name(tmp_path):
    """A BEL and a terminal colour code pasted into a title, a vertical tab after an artist:
    the table dropped them ("Stage Two\\x07\\x1b[31m" read "Stage Two[31m" in JSON, NUL-joined
    values one glued word in the table). Controls are spaces, colour codes go, and NUL still
    separates values."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Tags/control.flac", TITLE="Stage\tTwo\x07\x1b[31m", ARTIST="Kenta Cho\x00ABA Games\x0b",
                ALBUM="Control\x1b[0m Characters", GENRE="Chiptune\x00Electronic")
    track = _by_file(lib, tmp_path)["Tags/control.flac"]
    assert track.title == "Stage Two"
    assert track.artist == "Kenta Cho" and track.artists == ("Kenta Cho", "ABA Games")
    assert track.album == "Control Characters"
    assert track.genres == ("Chiptune", "Electronic")
    # Picard's ARTISTS list is cleaned the same way: the credited names match --artist
    tagged_flac(lib / "Tags/duet.flac", TITLE="Fleet", ARTIST="Kenta Cho & Yuzo Koshiro",
                ARTISTS=["Kenta\x07 Cho", "Yuzo\x1b[31m Koshiro", "\x07"])
    assert _by_file(lib, tmp_path)["Tags/duet.flac"].artists == ("Kenta Cho", "Yuzo Koshiro")


def test_share_folders_give_album_year_and_artist_and_bandcamp_names_their_parts(tmp_path):
    """Untagged downloads: "Soulseek/Kenta Cho - 2002 - Noiz2sa/01 - Stage 1.mp3" was the
    artist "Soulseek" and the album "Kenta Cho - 2002 - Noiz2sa"; "Noiz2sa (2002) [FLAC
    24-96]" an album of its own, "(2004) Tumiki Fighters" too. A Bandcamp WAV download (no
    tags) "Kenta Cho - rRootage - 01 Stage A.wav" was titled "rRootage - 01 Stage A" in the
    album "Kenta Cho - rRootage"."""
    lib = tmp_path / "lib"
    for i in (1, 2):
        _wav(lib / f"Soulseek/Kenta Cho - 2002 - Noiz2sa/0{i} - Stage {i}.wav")
        _wav(lib / f"Soulseek/Noiz2sa (2002) [FLAC 24-96]/0{i + 3}. Stage {i + 3}.wav")
        _wav(lib / f"Kenta Cho/(2004) Tumiki Fighters/0{i} Song {i}.wav")
        _wav(lib / f"Bandcamp/Kenta Cho - rRootage/Kenta Cho - rRootage - 0{i} Stage {'AB'[i - 1]}.wav")
    _wav(lib / "Kenta Cho/1984 Sessions/01 Song.wav")
    tracks = _by_file(lib, tmp_path)
    one = tracks["Soulseek/Kenta Cho - 2002 - Noiz2sa/01 - Stage 1.wav"]
    assert (one.title, one.artist, one.album, one.year) == ("Stage 1", "Kenta Cho", "Noiz2sa", 2002)
    hires = tracks["Soulseek/Noiz2sa (2002) [FLAC 24-96]/04. Stage 4.wav"]
    # "Soulseek" holds Kenta Cho's album: it is no artist
    assert (hires.title, hires.artist, hires.album, hires.year) == ("Stage 4", "", "Noiz2sa", 2002)
    toy = tracks["Kenta Cho/(2004) Tumiki Fighters/01 Song 1.wav"]
    assert (toy.artist, toy.album, toy.year) == ("Kenta Cho", "Tumiki Fighters", 2004)
    assert tracks["Kenta Cho/1984 Sessions/01 Song.wav"].album == "1984 Sessions"  # a bare year is the title's
    stage = tracks["Bandcamp/Kenta Cho - rRootage/Kenta Cho - rRootage - 01 Stage A.wav"]
    assert (stage.title, stage.artist, stage.album) == ("Stage A", "Kenta Cho", "rRootage")


def test_a_tagged_files_album_and_year_are_the_tags(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "Kenta Cho/Torus Trooper (2004) [FLAC]/01 A.flac", TITLE="A", ARTIST="Kenta Cho",
                ALBUM="Torus Trooper (Deluxe)", DATE="2005")
    track = _by_file(lib, tmp_path)["Kenta Cho/Torus Trooper (2004) [FLAC]/01 A.flac"]
    assert (track.album, track.year) == ("Torus Trooper (Deluxe)", 2005)


def test_yt_dlps_video_id_is_no_part_of_a_title(tmp_path):
    """yt-dlp names a download "Artist - Title (Official Video) [aBcD3fGh1jK].m4a": the id
    stayed in the title, and kept "(Official Video)" in it too (the video words are read at
    the end of the name). A word in brackets ("[Alternative]") is kept."""
    from recsys.catalog.filenames import title_from_name

    lib = tmp_path / "lib"
    _wav(lib / "YouTube/Kenta Cho - Panic On Meadow (Official Video) [aBcD3fGh1jK].wav")
    _wav(lib / "YouTube/Tumiki Fighters OST - We Are Tumiki Fighters [Xy_Z-12abcd].wav")
    tracks = _by_file(lib, tmp_path)
    panic = tracks["YouTube/Kenta Cho - Panic On Meadow (Official Video) [aBcD3fGh1jK].wav"]
    assert (panic.artist, panic.title) == ("Kenta Cho", "Panic On Meadow")
    assert tracks["YouTube/Tumiki Fighters OST - We Are Tumiki Fighters [Xy_Z-12abcd].wav"].title == "We Are Tumiki Fighters"
    assert title_from_name("Return To Home [dQw4w9WgXcQ]") == "Return To Home"
    assert title_from_name("Song [Alternative]") == "Song [Alternative]"
    # an edition in brackets is no id, hyphen or not: "[Re-Recorded]" is another version's name
    for edition in ("Re-Recorded", "Single-Edit", "Bonus-Track"):
        assert title_from_name(f"Song [{edition}]") == f"Song [{edition}]"
    assert title_from_name("Song [abcdeFghijk]") == "Song"  # an id of letters alone: a small then a capital
    assert title_from_name("[dQw4w9WgXcQ]") == "[dQw4w9WgXcQ]"


def test_a_bandcamp_folder_numbers_its_tracks_past_09_and_a_title_keeps_its_number(tmp_path):
    """Bandcamp pads 01-09 only: in a folder of its "Artist - Album - NN Title" names, "12
    Last" is track 12. A lone name's two digits are a title's ("Green Day - 21st Century
    Breakdown - 21 Guns" was titled "Guns"), unless zero-padded."""
    lib = tmp_path / "lib"
    for n, title in ((1, "Stage A"), (12, "Last Stage")):
        _wav(lib / f"Bandcamp/Kenta Cho - rRootage/Kenta Cho - rRootage - {n:02d} {title}.wav")
    _wav(lib / "Downloads/Green Day - 21st Century Breakdown - 21 Guns.wav")
    tracks = _by_file(lib, tmp_path)
    last = tracks["Bandcamp/Kenta Cho - rRootage/Kenta Cho - rRootage - 12 Last Stage.wav"]
    assert (last.title, last.artist, last.album) == ("Last Stage", "Kenta Cho", "rRootage")
    assert "21 Guns" in tracks["Downloads/Green Day - 21st Century Breakdown - 21 Guns.wav"].title



def test_a_wavpack_s_apev2_cover_is_its_cover(tmp_path):
    """foobar2000 embeds a WavPack's (and a Monkey's Audio's) cover as an APEv2 binary item,
    "Cover Art (Front)": the file's name, a NUL, the image. Such albums had no image vector."""
    import io

    from mutagen.apev2 import APEValue, BINARY
    from mutagen.wavpack import WavPack
    from PIL import Image

    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    (lib / "Lossless").mkdir(parents=True)
    path = write_tone(lib / "Lossless/01 Stage.wv", 1.0)
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), (10, 200, 30)).save(buffer, format="JPEG")
    wv = WavPack(path)
    if wv.tags is None:
        wv.add_tags()
    wv.tags["Title"] = "Stage"
    wv.tags["Cover Art (Back)"] = APEValue(b"back.jpg\x00" + b"\xff\xd8 not this one", BINARY)
    wv.tags["Cover Art (Front)"] = APEValue(b"cover.jpg\x00" + buffer.getvalue(), BINARY)
    wv.save()
    track = read_music_folder(lib, tmp_path / "covers").tracks[0]
    assert track.cover_path is not None and track.cover_path.parent == tmp_path / "covers"
    with Image.open(track.cover_path) as image:
        assert image.size == (24, 24)
