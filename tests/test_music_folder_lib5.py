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
