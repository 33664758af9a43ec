"""Copies of a file beside it (Explorer's "Song - Copy", the Finder's "Song copy", a browser's
"Song (1)", a sync tool's conflict copy), byte for byte: no tracks of their own, said once a
folder (``recsys.catalog.copies``). They were the same song twice in the artist facet (an
album of six counted twelve), two graph nodes of one recording, a training pair of itself."""

from __future__ import annotations

import shutil

import pytest

from recsys.catalog import read_catalog
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")


def test_byte_identical_copies_beside_their_file_are_no_tracks(tmp_path):
    lib = tmp_path / "lib"
    album = lib / "Band/Album"
    for n, title in enumerate(("Opening", "Middle", "Closing"), start=1):
        tagged_flac(album / f"0{n} {title}.flac", seconds=0.5 + n / 10, title=title, artist="Band", album="Album")
    shutil.copy(album / "01 Opening.flac", album / "01 Opening - Copy.flac")
    shutil.copy(album / "01 Opening.flac", album / "01 Opening - Copy (2).flac")
    shutil.copy(album / "02 Middle.flac", album / "02 Middle copy.flac")
    shutil.copy(album / "03 Closing.flac", album / "03 Closing (1).FLAC")
    # a copy edited since (retagged: another size) is a track of its own
    tagged_flac(album / "02 Middle - Copy.flac", seconds=0.6, title="Middle (Demo)", artist="Band", album="Album")
    # the same bytes under another name, or in another folder, are not copies by name
    shutil.copy(album / "03 Closing.flac", album / "Bonus.flac")
    shutil.copy(album / "03 Closing.flac", lib / "03 Closing - Copy.flac")
    shutil.copy(album / "01 Opening.flac", lib / "Loose.flac")
    shutil.copy(album / "01 Opening.flac", lib / "Loose copy.flac")  # in the library's own folder
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    assert sorted(t.source for t in catalog.tracks) == [
        "03 Closing - Copy.flac", "Band/Album/01 Opening.flac", "Band/Album/02 Middle - Copy.flac",
        "Band/Album/02 Middle.flac", "Band/Album/03 Closing.flac", "Band/Album/Bonus.flac", "Loose.flac",
    ]
    assert [str(p) for p in catalog.problems] == [
        '.: 1 copy of a file beside it ("Song - Copy", "Copy of Song", "Song copy", "Song (1)": the same bytes as "Song"):'
        ' not a track of its own',
        'Band/Album: 4 copies of files beside them ("Song - Copy", "Copy of Song", "Song copy", "Song (1)": the same bytes'
        ' as "Song"): not tracks of their own',
    ]
    assert all(p.notice for p in catalog.problems)
    assert catalog.stats == {"seen": 12, "audio": 7, "skipped": 5, "failed": 0}


def test_a_file_that_differs_from_its_namesake_in_the_middle_only_is_a_track(tmp_path):
    """The ends are compared first, then the rest: a WAV bounce of a revised mix ("Mix (1).wav",
    the second download of a collaborator's "Mix.wav") has its original's size, header, intro
    and tail, and differs only where the mix changed. Taken for a copy, it was left out."""
    import wave

    import numpy as np

    lib = tmp_path / "lib"
    (lib / "Bounces").mkdir(parents=True)
    rate = 44100
    t = np.arange(rate * 4) / rate
    first = np.sin(2 * np.pi * 220 * t)
    revised = first.copy()
    revised[rate:3 * rate] = np.sin(2 * np.pi * 330 * t[rate:3 * rate])  # the chorus remixed
    for name, signal in (("Mix.wav", first), ("Mix (1).wav", revised)):
        with wave.open(str(lib / "Bounces" / name), "wb") as fh:
            fh.setnchannels(1)
            fh.setsampwidth(2)
            fh.setframerate(rate)
            fh.writeframes((signal * 20000).astype("<i2").tobytes())
    song = tagged_flac(lib / "Song.flac", seconds=90.0, title="Song", artist="Band")
    data = bytearray(song.read_bytes())
    assert len(data) > 3 * 64 * 1024
    data[len(data) // 2] ^= 0xFF
    (lib / "Song - Copy.flac").write_bytes(bytes(data))
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    assert sorted(t.source for t in catalog.tracks) == [
        "Bounces/Mix (1).wav", "Bounces/Mix.wav", "Song - Copy.flac", "Song.flac",
    ]
    assert not catalog.problems


def test_windows_xp_copies_and_firefox_second_downloads_are_no_tracks(tmp_path):
    """An old PC's P2P folder: Windows XP's Explorer named a copy "Copy of Song.mp3" ("Copy (2)
    of Song.mp3"; "Kopie von" in German XP), Firefox a second download "Song(1).mp3" with no
    space. They were the same song two and three times (an artist's row counted each); the
    untagged ones were songs by "Copy of Eminem"."""
    lib = tmp_path / "lib"
    saved = lib / "LimeWire/Saved"
    tagged_flac(saved / "Linkin Park - In The End.flac", seconds=0.6, title="In The End", artist="Linkin Park")
    tagged_flac(saved / "Daft Punk - One More Time.flac", seconds=0.7, title="One More Time", artist="Daft Punk")
    tagged_flac(saved / "Lied.flac", seconds=0.8, title="Lied", artist="Band")
    shutil.copy(saved / "Linkin Park - In The End.flac", saved / "Copy of Linkin Park - In The End.flac")
    shutil.copy(saved / "Linkin Park - In The End.flac", saved / "Copy (2) of Linkin Park - In The End.flac")
    shutil.copy(saved / "Daft Punk - One More Time.flac", saved / "Daft Punk - One More Time(1).flac")
    shutil.copy(saved / "Lied.flac", saved / "Kopie von Lied.flac")
    # "copy of" as a title's words, and a copy edited since: tracks of their own
    shutil.copy(saved / "Lied.flac", saved / "copy of Lied.flac")
    tagged_flac(saved / "Copy of Daft Punk - One More Time.flac", seconds=0.5, title="One More Time (Edit)", artist="Daft Punk")
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    assert sorted(t.source.rpartition("/")[2] for t in catalog.tracks) == [
        "Copy of Daft Punk - One More Time.flac", "Daft Punk - One More Time.flac", "Lied.flac",
        "Linkin Park - In The End.flac", "copy of Lied.flac",
    ]
    assert [str(p) for p in catalog.problems] == [
        'LimeWire/Saved: 4 copies of files beside them ("Song - Copy", "Copy of Song", "Song copy", "Song (1)":'
        ' the same bytes as "Song"): not tracks of their own',
    ]


def test_an_untagged_xp_copy_is_read_by_its_originals_name(tmp_path):
    """An untagged "Copy of Eminem - Kim.mp3" whose original is gone: Eminem's "Kim", not a song
    "Kim" by "Copy of Eminem"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Shared/Copy of Eminem - Kim.flac", seconds=0.5)
    tagged_flac(lib / "Shared/Copy (2) of Nelly - Hot In Herre.flac", seconds=0.6)
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    assert sorted((t.artist, t.title) for t in catalog.tracks) == [("Eminem", "Kim"), ("Nelly", "Hot In Herre")]


def test_a_title_that_begins_with_copy_of_is_the_title(tmp_path):
    """XP's "Copy of " goes before an "Artist - Title" name whatever is beside it, and before a
    bare title only where its original is beside: Nine Inch Nails' "Copy of A" (Hesitation
    Marks, 2013), untagged in its album's folder, was the song "A"."""
    lib = tmp_path / "lib"
    album = lib / "Nine Inch Nails/Hesitation Marks"
    tagged_flac(album / "Copy of A.flac", seconds=0.5)
    tagged_flac(album / "Came Back Haunted.flac", seconds=0.6, title="Came Back Haunted", artist="Nine Inch Nails")
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    assert sorted(t.title for t in catalog.tracks) == ["Came Back Haunted", "Copy of A"]
