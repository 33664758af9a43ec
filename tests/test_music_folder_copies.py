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
        '.: 1 copy of a file beside it ("Song - Copy", "Song copy", "Song (1)": the same bytes as "Song"):'
        ' not a track of its own',
        'Band/Album: 4 copies of files beside them ("Song - Copy", "Song copy", "Song (1)": the same bytes'
        ' as "Song"): not tracks of their own',
    ]
    assert all(p.notice for p in catalog.problems)
    assert catalog.stats == {"seen": 12, "audio": 7, "skipped": 5, "failed": 0}


def test_a_copy_whose_bytes_differ_in_the_middle_only_is_taken_for_a_copy_by_design(tmp_path):
    """Two slices of 64 KB at each end are compared, not the whole files: audio frames that
    differ differ all through (another encode, another edit), so a file that differs in its
    middle alone is a corrupted copy, read as a copy."""
    lib = tmp_path / "lib"
    song = tagged_flac(lib / "Song.flac", seconds=90.0, title="Song", artist="Band")
    data = bytearray(song.read_bytes())
    assert len(data) > 3 * 64 * 1024
    data[len(data) // 2] ^= 0xFF
    (lib / "Song - Copy.flac").write_bytes(bytes(data))
    assert [t.source for t in read_catalog(lib, cover_cache=tmp_path / "covers").tracks] == ["Song.flac"]
