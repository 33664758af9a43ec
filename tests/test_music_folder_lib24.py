"""What a twenty-fourth pass over real music (a library recovered from an old iPod's
``iPod_Control/Music/F00``..``F49`` and an old Windows XP PC's LimeWire and Kazaa folders) found
in the catalog, each case rebuilt here from tiny files."""

from __future__ import annotations

from pathlib import Path

from recsys.catalog import read_music_folder
from recsys.catalog.categoryfolders import sorting_folders
from recsys.catalog.incompletes import incomplete_download, without_download_mark
from recsys.catalog.ipodfolders import ipod_music_folder
from recsys.catalog.model import TrackRecord
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


# ---- the iPod -----------------------------------------------------------------------------------


def test_an_ipods_shards_name_no_album(tmp_path):
    """iTunes strews an iPod's songs over ``iPod_Control/Music/F00``..``F49`` at random: an
    untagged file there had the album "F03", shared with every other untagged song of that
    shard (one album node joining unrelated songs). The tagged ones keep what their tags say;
    a folder "F03" elsewhere (no iPod's) is still an album."""
    lib = tmp_path / "lib"
    music = lib / "iPod Recovery/iPod_Control/Music"
    tagged_flac(music / "F03/ABCD.flac", title="Zombie", artist="The Cranberries", album="No Need to Argue")
    tagged_flac(music / "F03/QWER.flac", seconds=0.6)
    tagged_flac(music / "F17/ZXCV.flac", seconds=0.7)
    tagged_flac(lib / "iPod nano/iTunes_Control/Music/F02/KDUE.flac", seconds=0.8)
    tagged_flac(lib / "Band/F03/01 Song.flac", seconds=0.9)  # a band's album "F03"
    tracks = _read(lib, tmp_path)
    albums = {source: t.album for source, t in tracks.items()}
    assert albums == {
        "iPod Recovery/iPod_Control/Music/F03/ABCD.flac": "No Need to Argue",
        "iPod Recovery/iPod_Control/Music/F03/QWER.flac": "",
        "iPod Recovery/iPod_Control/Music/F17/ZXCV.flac": "",
        "iPod nano/iTunes_Control/Music/F02/KDUE.flac": "",
        "Band/F03/01 Song.flac": "F03",
    }
    assert not any(t.artist in ("iPod_Control", "iTunes_Control", "Music", "iPod Recovery", "iPod nano")
                   for t in tracks.values())
    assert ipod_music_folder("x/iPod_Control/Music/F07") == "x/iPod_Control/Music"
    assert ipod_music_folder("Band/Music/F07") is None
    assert sorting_folders(["iPod_Control/Music/F07/ABCD.mp3"]) == {"iPod_Control/Music/F07"}


def test_an_ipods_own_folder_given_as_the_library_names_no_album(tmp_path):
    """``recsys ingest /media/IPOD/iPod_Control``: the reader sees "Music/F03", not the
    "iPod_Control" above it, and each untagged song was the album of its shard ("F03", "F17")
    and each shard's protected files a line of their own."""
    ipod = tmp_path / "iPod_Control"
    tagged_flac(ipod / "Music/F03/ABCD.flac", title="Zombie", artist="The Cranberries", album="No Need to Argue")
    tagged_flac(ipod / "Music/F03/QWER.flac", seconds=0.6)
    tagged_flac(ipod / "Music/F17/ZXCV.flac", seconds=0.7)
    for shard in ("F02", "F06"):
        (ipod / "Music" / shard).mkdir(parents=True, exist_ok=True)
        (ipod / "Music" / shard / "AAAA.m4p").write_bytes(b"\x00\x00\x00\x20ftypM4P " + b"\x00" * 200)
    catalog = read_music_folder(ipod, tmp_path / "covers")
    assert {t.source: t.album for t in catalog.tracks} == {
        "Music/F03/ABCD.flac": "No Need to Argue", "Music/F03/QWER.flac": "", "Music/F17/ZXCV.flac": "",
    }
    assert [(p.where, p.message.split(":")[0]) for p in catalog.problems] == [("Music", "2 protected iTunes files (.m4p)")]
    assert ipod_music_folder("Music/F07") == "Music"
    assert ipod_music_folder("Band/F07") is None


def test_an_ipods_locked_files_are_said_once_for_the_ipod(tmp_path):
    """A recovered iPod's FairPlay purchases lie in a dozen of its fifty shards: each shard had
    its own line (eleven lines for twelve files of one iPod). Audible's books (``.aa``,
    ``.aax``) beside them were counted "not audio" without a word. One line a kind for the
    iPod, each saying what the files are and how to unlock one's own."""
    lib = tmp_path / "lib"
    music = lib / "iPod_Control/Music"
    tagged_flac(music / "F00/ZFQH.flac", title="Good People", artist="Jack Johnson")
    for shard, name in (("F02", "AAAA"), ("F06", "BBBB"), ("F24", "CCCC"), ("F24", "DDDD")):
        (music / shard).mkdir(parents=True, exist_ok=True)
        (music / shard / f"{name}.m4p").write_bytes(b"\x00\x00\x00\x20ftypM4P " + b"\x00" * 200)
    (music / "F12").mkdir(parents=True)
    (music / "F12/ZQXW.aa").write_bytes(b"\x00\x01\x2a\x7c\x57\x90\x75\x36" + b"\x00" * 200)
    (music / "F07").mkdir(parents=True)
    (music / "F07/KDUE.aax").write_bytes(b"\x00\x00\x00\x20ftypaax " + b"\x00" * 200)
    (lib / "Audible").mkdir()
    (lib / "Audible/Book.aax").write_bytes(b"\x00\x00\x00\x20ftypaax " + b"\x00" * 200)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [t.source for t in catalog.tracks] == ["iPod_Control/Music/F00/ZFQH.flac"]
    lines = [(p.where, p.message.split(":")[0]) for p in catalog.problems]
    assert lines == [
        ("Audible", "1 Audible audiobook (.aax)"),
        ("iPod_Control/Music", "2 Audible audiobooks (.aa, .aax)"),
        ("iPod_Control/Music", "4 protected iTunes files (.m4p)"),
    ]
    assert all(p.notice for p in catalog.problems)
    assert "activation bytes" in catalog.problems[0].message


# ---- the PC: LimeWire and Kazaa -----------------------------------------------------------------


def test_limewires_unfinished_downloads_are_no_tracks(tmp_path):
    """LimeWire's ``Incomplete/`` holds "T-<whole size>-<name>" while a download runs: a third of
    Shakira's song was a track, an untagged one a song by "T-5120331-Nelly Furtado", an empty one
    a problem line of its own. Those under their size are one notice for the folder; one whose
    bytes all came is a track, by its name without the mark."""
    lib = tmp_path / "lib"
    inc = lib / "LimeWire/Incomplete"
    full = tagged_flac(inc / "x.flac", seconds=0.6)
    whole = full.stat().st_size
    full.rename(inc / f"T-{whole}-Sean Paul - Temperature.flac")
    part = tagged_flac(inc / "y.flac", seconds=0.7, title="Hips Don't Lie", artist="Shakira")
    data = part.read_bytes()
    (inc / f"T-{len(data) * 3}-Shakira - Hips Dont Lie.flac").write_bytes(data)
    part.unlink()
    (inc / "T-3891200-James Blunt - Youre Beautiful.mp3").write_bytes(b"")
    (inc / "___ARESTRA___Akon - Lonely.mp3").write_bytes(b"\xff\xfb\x90\x00" * 100)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [(t.artist, t.title) for t in catalog.tracks] == [("Sean Paul", "Temperature")]
    assert [(p.where, p.notice) for p in catalog.problems] == [("LimeWire/Incomplete", True)]
    assert catalog.problems[0].message.startswith("3 unfinished downloads (LimeWire's")
    assert catalog.stats["skipped"] == 3
    assert without_download_mark("T-4523008-Shakira - Hips Dont Lie") == "Shakira - Hips Dont Lie"
    assert without_download_mark("T-Rex - Get It On") == "T-Rex - Get It On"
    assert incomplete_download(inc, "T-Rex - Get It On.mp3") is None
    # the folder and the name apart: the walk makes no Path for each audio file to ask
    assert incomplete_download(inc, "T-3891200-James Blunt - Youre Beautiful.mp3") == (0, 3891200)


def test_a_p2p_folders_untagged_names_are_read_past_a_numbered_one(tmp_path):
    """Kazaa's "My Shared Folder": "Usher - Burn.mp3", "Akon - Lonely.mp3" beside one "01 -
    Unknown Artist - Track 1.mp3" and a "Track 07.mp3". The one numbered name made the folder an
    album's (no name read), and the folder was the album "My Shared Folder" of them all."""
    lib = tmp_path / "lib"
    shared = lib / "Documents and Settings/Mike/My Documents/My Shared Folder"
    tagged_flac(shared / "50 Cent - In Da Club.flac", title="In Da Club", artist="50 Cent")
    tagged_flac(shared / "Nelly - Hot In Herre.flac", title="Hot In Herre", artist="Nelly")
    for n, name in enumerate(("Usher - Burn", "Akon - Lonely", "Outkast - Ms Jackson", "jay-z - 99 problems",
                              "Nickelback_-_How_You_Remind_Me", "Track 07", "01 - Unknown Artist - Track 1")):
        tagged_flac(shared / f"{name}.flac", seconds=0.3 + n / 20)
    got = {t.source.rsplit("/", 1)[1]: (t.artist, t.title, t.album) for t in _read(lib, tmp_path).values()}
    assert got["Usher - Burn.flac"] == ("Usher", "Burn", "")
    assert got["Nickelback_-_How_You_Remind_Me.flac"] == ("Nickelback", "How You Remind Me", "")
    assert got["jay-z - 99 problems.flac"] == ("jay-z", "99 problems", "")
    assert got["Track 07.flac"] == ("", "Track 07", "")
    assert got["01 - Unknown Artist - Track 1.flac"] == ("", "Track 1", "")


def test_an_albums_numbered_names_are_still_its_titles(tmp_path):
    """The rule above counts numbered names: an album folder of "01 - Song", "02 - Song - Live"
    (and one unnumbered "Song - Demo") is one artist's titles, as before."""
    lib = tmp_path / "lib"
    album = lib / "Band/Album"
    for n, name in enumerate(("01 - Song", "02 - Song - Live", "03 - Other", "Song - Demo")):
        tagged_flac(album / f"{name}.flac", seconds=0.3 + n / 20)
    got = {t.source.rsplit("/", 1)[1]: (t.artist, t.title) for t in _read(lib, tmp_path).values()}
    assert got["02 - Song - Live.flac"] == ("Band", "Song - Live")
    assert got["Song - Demo.flac"] == ("Band", "Song - Demo")


def test_an_aac_stream_named_mp3_is_said_to_be_one(tmp_path):
    """A P2P ".mp3" that is an AAC stream: the line said "cannot read tags (HeaderNotFoundError:
    can't sync to MPEG frame)", a broken file by all it said. It says what the file is now."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("ffmpeg") is None:  # running it to ask raised FileNotFoundError where it is missing
        pytest.skip("no ffmpeg command")
    lib = tmp_path / "lib"
    lib.mkdir()
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.5",
                    "-c:a", "aac", "-f", "adts", str(lib / "Gwen Stefani - Hollaback Girl.mp3")], check=True)
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [(t.artist, t.title) for t in catalog.tracks] == [("Gwen Stefani", "Hollaback Girl")]
    (line,) = [p.message for p in catalog.problems]
    assert line.startswith("cannot read tags (")
    assert "its bytes are an AAC stream (ADTS), not a .mp3 file: named .aac it is read whole" in line
