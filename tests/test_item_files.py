"""One recording in several files of one folder (an Internet Archive item's untagged upload
"track01.flac" beside its tagged derivatives "track01.mp3", "track01_64kb.mp3"): the untagged
file is read with its tagged sibling's names (``recsys.catalog.itemfiles``)."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from recsys.catalog import read_music_folder
from tests.support.tagged_files import tagged_flac


def _untagged(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(1000, dtype=np.float32), 8000)
    return path


def test_an_archive_items_untagged_upload_takes_its_derivatives_names(tmp_path):
    item = tmp_path / "lib/Internet Archive/WesnothOST-StephenRozanc"
    _untagged(item / "track01.wav")
    tagged_flac(item / "track01_64kb.flac", TITLE="Northerners", ARTIST="Stephen Rozanc")
    tagged_flac(item / "track01.flac", TITLE="Northerners", ARTIST="Stephen Rozanc",
                ALBUM="The Battle for Wesnoth OST", DATE="2010", GENRE="Soundtrack")
    _untagged(item / "track02.wav")  # no tagged file of its name: as before
    _untagged(item / "Frantic.WAV")
    tagged_flac(item / "frantic.flac", TITLE="Frantic", ARTIST="Stephen Rozanc", ALBUM="The Battle for Wesnoth OST")
    tracks = {t.source.rsplit("/", 1)[-1]: t for t in read_music_folder(tmp_path / "lib", tmp_path / "covers").tracks}
    upload = tracks["track01.wav"]
    assert (upload.title, upload.artist, upload.album, upload.genres, upload.year) == (
        "Northerners", "Stephen Rozanc", "The Battle for Wesnoth OST", ("Soundtrack",), 2010)
    assert (tracks["Frantic.WAV"].title, tracks["Frantic.WAV"].artist) == ("Frantic", "Stephen Rozanc")
    assert (tracks["track02.wav"].title, tracks["track02.wav"].artist) == ("track02", "")
    # a derivative tagged with a title and an artist alone: what its tags leave out, from the others
    small = tracks["track01_64kb.flac"]
    assert (small.title, small.album, small.genres, small.year) == (
        "Northerners", "The Battle for Wesnoth OST", ("Soundtrack",), 2010)


def test_a_file_of_the_name_tagged_as_another_song_keeps_its_tags(tmp_path):
    folder = tmp_path / "lib/Rips"
    tagged_flac(folder / "01.flac", TITLE="Northerners", ARTIST="Stephen Rozanc", ALBUM="Wesnoth", DATE="2010")
    tagged_flac(folder / "01_vbr.flac", TITLE="Frantic", ARTIST="Stephen Rozanc")
    tracks = {t.source.rsplit("/", 1)[-1]: t for t in read_music_folder(tmp_path / "lib", tmp_path / "covers").tracks}
    other = tracks["01_vbr.flac"]
    assert (other.title, other.album, other.year) == ("Frantic", "", None)
