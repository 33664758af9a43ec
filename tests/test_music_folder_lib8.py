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
