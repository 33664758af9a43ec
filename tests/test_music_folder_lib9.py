"""What a ninth pass over real music (a working DJ's library: Beatport singles, promos, scene
releases, Serato's, rekordbox's and Traktor's folders, built from Debian game soundtracks) found
in the music-folder reader, each case rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")
from mutagen.id3 import COMM, TALB, TBPM, TIT2, TKEY, TPE1, TPUB  # noqa: E402
from mutagen.wave import WAVE  # noqa: E402


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(folder, tmp_path / "covers").tracks}


def _dj_wav(path: Path, title: str, artist: str, comment: str = "", **frames: str) -> Path:
    """A WAV with an ID3 chunk, as Beatport sells them and DJ software tags them."""
    _wav(path)
    audio = WAVE(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text=[title]))
    audio.tags.add(TPE1(encoding=3, text=[artist]))
    if comment:
        audio.tags.add(COMM(encoding=3, lang="eng", desc="", text=[comment]))
    for name, value in frames.items():
        cls = {"album": TALB, "label": TPUB, "bpm": TBPM, "key": TKEY}[name]
        audio.tags.add(cls(encoding=3, text=[value]))
    audio.save()
    return path


def test_a_key_analysers_comment_is_no_description(tmp_path):
    """Mixed In Key writes "8A - Energy 7" into every analysed track's comment: each was the
    track's description, its text vector "Song by Artist. 8A - Energy 7.", so tracks of one key
    were one text apart. Such notes (Camelot or Open Key and an energy level, cue times, a key
    alone) are no description; a DJ's own words are."""
    lib = tmp_path / "lib"
    notes = ["8A - Energy 7", "1m - Energy 6", "Energy 6, 9A, Cue1 0:16", "5A - Energy 6 | Cue: 0:32 drop, 1:04 break", "Am"]
    for i, note in enumerate(notes):
        _dj_wav(lib / f"Tracks/Artist {i} - Song {i}.wav", f"Song {i}", f"Artist {i}", note)
    _dj_wav(lib / "Mixes/DJ - Live.wav", "Live", "DJ", "Recorded live at Fabric, room 1: a peak time techno set")
    tracks = _by_file(lib, tmp_path)
    assert [tracks[f"Tracks/Artist {i} - Song {i}.wav"].description for i in range(len(notes))] == [""] * len(notes)
    assert tracks["Mixes/DJ - Live.wav"].description == "Recorded live at Fabric, room 1: a peak time techno set"
