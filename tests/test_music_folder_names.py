"""Artist and title from the file names of untagged music files ("Daft Punk - One More
Time.mp3" in a Downloads folder), decided per folder as beets' ``fromfilename`` does; tagged
files and names that fit no rule read as before. Every library is a few tiny files made on the
fly: WAVs without tags, FLACs with Vorbis comments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")
SR = 8000


def _wav(path: Path) -> Path:
    """An untagged file: a WAV has no tags unless given some."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(SR // 8, dtype=np.float32), SR)
    return path


def _flac(path: Path, **tags: str | list[str]) -> Path:
    return tagged_flac(path, seconds=0.125, **tags)


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _fields(track: TrackRecord) -> tuple:
    """What the name rules may change: title, artist, credited artists, album, album artist."""
    return track.title, track.artist, track.artists, track.album, track.album_artist


def _tagged_library(lib: Path) -> None:
    """Tagged files whose names look like "Artist - Title": the tags win, always."""
    _flac(lib / "Tagged Artist/Tagged Album/01 - Other Artist - Song.flac", artist="Tagged Artist", title="Song", album="Tagged Album")
    _flac(lib / "Downloads/Daft Punk - One More Time.flac", artist="Daft Punk", title="One More Time")
    _flac(lib / "Downloads/Air - Sexy Boy.flac", albumartist="Air", title="Sexy Boy", album="Moon Safari")
    _flac(lib / "Downloads/X - Y.flac", artist="Drake feat. Rihanna", title="Work")
    _flac(lib / "Mix/Jay-Z - Song.flac", artist="Someone Else", title="Song")
    _flac(lib / "Mix/Title - Artist.flac", artist="A Band")  # no title tag: the name, whole
    _flac(lib / "Mix/Only Album - 03 - Title.flac", albumartist="Album Band")
    _flac(lib / "Solo/Some Album/Song_With_Underscores.flac", artist="Solo", album="Some Album")


#: source -> (title, artist, artists, album, album artist), as read before names gave artists
TAGGED = {
    "Downloads/Air - Sexy Boy.flac": ("Sexy Boy", "Air", (), "Moon Safari", "Air"),
    "Downloads/Daft Punk - One More Time.flac": ("One More Time", "Daft Punk", (), "", ""),
    "Downloads/X - Y.flac": ("Work", "Drake feat. Rihanna", ("Drake", "Rihanna"), "", ""),
    "Mix/Jay-Z - Song.flac": ("Song", "Someone Else", (), "", ""),
    "Mix/Only Album - 03 - Title.flac": ("Only Album - 03 - Title", "Album Band", (), "", ""),
    "Mix/Title - Artist.flac": ("Title - Artist", "A Band", (), "", ""),
    "Solo/Some Album/Song_With_Underscores.flac": ("Song_With_Underscores", "Solo", (), "Some Album", ""),
    "Tagged Artist/Tagged Album/01 - Other Artist - Song.flac": ("Song", "Tagged Artist", (), "Tagged Album", ""),
}


def test_a_tagged_library_reads_as_before(tmp_path):
    lib = tmp_path / "lib"
    _tagged_library(lib)
    assert {source: _fields(t) for source, t in _read(lib, tmp_path).items()} == TAGGED


#: untagged files whose names fit no rule: source -> (title, artist, artists, album, album artist)
UNRULED = {
    # an album folder where only some names split: no artist from names, "Song - Live" stays whole
    "Band/Album/01 - Song.wav": ("Song", "Band", (), "Album", ""),
    "Band/Album/02 - Song - Live.wav": ("Song - Live", "Band", (), "Album", ""),
    # "NN - Title": nothing to split
    "Other Band/Other Album/01 First.wav": ("First", "Other Band", (), "Other Album", ""),
    "Other Band/Other Album/02 - Second.wav": ("Second", "Other Band", (), "Other Album", ""),
    "Other Band/Other Album/3. Third.wav": ("Third", "Other Band", (), "Other Album", ""),
    # a bare hyphen is no separator
    "Loose/Jay-Z.wav": ("Jay-Z", "", (), "", ""),
    "Some_Song.wav": ("Some_Song", "", (), "", ""),
    "07 loose two.wav": ("loose two", "", (), "", ""),
    # a part that is only a number where no artist can be
    "Numbers/Song - 03.wav": ("Song - 03", "", (), "", ""),
    "Numbers/01 - 02 - Song.wav": ("02 - Song", "", (), "", ""),
}


def test_names_that_fit_no_rule_read_as_before(tmp_path):
    lib = tmp_path / "lib"
    for source in UNRULED:
        _wav(lib / source)
    assert {source: _fields(t) for source, t in _read(lib, tmp_path).items()} == UNRULED
