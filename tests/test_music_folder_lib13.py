"""The thirteenth real library's (a metal and rock collector's) findings, each on files made here:
band names of symbols and diacritics, one band tagged several ways, genre spellings."""

from __future__ import annotations

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.listing import hidden_name
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")

TRAIL = "...And You Will Know Us by the Trail of Dead"


def test_a_band_whose_name_begins_with_an_ellipsis_is_read(tmp_path):
    """"...And You Will Know Us by the Trail of Dead/Source Tags & Codes/" was a hidden folder
    (a dot first) and its every album was left out; a loose "...Trail of Dead - x.flac" too.
    Dot files stay hidden: macOS's "._x.flac" beside the audio, ".git"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / TRAIL / "Source Tags & Codes/01 - Relative Ways.flac", 0.2, TITLE="Relative Ways", ARTIST=TRAIL)
    tagged_flac(lib / "Downloads" / "...And You Will Know Us by the Trail of Dead - Caterwaul.flac", 0.2)
    tagged_flac(lib / "Mogwai/Young Team/._01 Like Herod.flac", 0.2)
    tagged_flac(lib / ".hidden/01 Secret.flac", 0.2)
    tagged_flac(lib / "Mogwai/Young Team/01 Like Herod.flac", 0.2, TITLE="Like Herod", ARTIST="Mogwai")
    tracks = read_music_folder(lib, tmp_path / "covers").tracks
    assert sorted(t.title for t in tracks) == ["Caterwaul", "Like Herod", "Relative Ways"]
    assert {t.artist for t in tracks} == {TRAIL, "Mogwai"}


@pytest.mark.parametrize("name, hidden", [(".git", True), ("._Song.mp3", True), (".Trashes", True), ("..", True),
                                           ("...", True), (TRAIL, False), ("...Baby One More Time.mp3", False)])
def test_hidden_names(name, hidden):
    assert hidden_name(name) is hidden
