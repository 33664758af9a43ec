"""The composer tag (``TrackRecord.composer``): a concerto played by two ensembles, tagged with
its composer, meets the other at the composer's artist node in the graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from recsys.encoders.graph import build_graph, composer_node, track_node
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")


def _mp3_with_tcom(path: Path, artist: str, composer: str) -> None:
    from mutagen.id3 import ID3, TCOM, TIT2, TPE1

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Largo"))
    tags.add(TPE1(encoding=3, text=artist))
    tags.add(TCOM(encoding=3, text=composer))
    tags.save(path)


def test_the_composer_tag_is_read_and_joins_performances_in_the_graph(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "Solisti/Seasons/01 Allegro.flac", TITLE="I. Allegro", ARTIST="I Solisti di Praga",
                ALBUM="The Four Seasons", COMPOSER="Antonio Vivaldi")
    _mp3_with_tcom(lib / "Other Band/Live/01 Largo.mp3", "Another Ensemble", "Antonio Vivaldi")
    tagged_flac(lib / "Singer/Own/01 Song.flac", TITLE="Song", ARTIST="Singer", COMPOSER="singer")
    tagged_flac(lib / "Plain/Album/01 Plain.flac", TITLE="Plain", ARTIST="Plain")
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    one, two = tracks["Solisti/Seasons/01 Allegro.flac"], tracks["Other Band/Live/01 Largo.mp3"]
    assert one.composer == two.composer == "Antonio Vivaldi"
    assert tracks["Singer/Own/01 Song.flac"].composer == ""  # a songwriter's own recording
    assert "composer" not in tracks["Plain/Album/01 Plain.flac"].payload()  # hashes as before
    g = build_graph(tracks.values())
    node = composer_node(one)
    assert node == composer_node(two) and g.has_edge(track_node(one.track_id), node)
    assert g.has_edge(track_node(two.track_id), node)


def test_a_composer_who_is_the_artist_adds_no_node():
    t = TrackRecord(track_id="t", title="x", artist="Bach", composer="bach")
    assert composer_node(t) is None


def test_an_m4a_composer_is_read_from_its_own_atom(tmp_path):
    """iTunes keeps the composer in "\\xa9wrt", which mutagen's easy MP4 view does not show."""
    from mutagen.mp4 import MP4

    from tests.test_music_folder import _encode

    path = tmp_path / "lib/Ensemble/Album/01 Largo.m4a"
    _encode(path, "aac", "ipod", 44100, seconds=0.5)
    tags = MP4(path)
    tags["\xa9nam"], tags["\xa9ART"], tags["\xa9wrt"] = ["Largo"], ["Ensemble"], ["Antonio Vivaldi"]
    tags.save()
    (track,) = read_music_folder(tmp_path / "lib", tmp_path / "covers").tracks
    assert track.composer == "Antonio Vivaldi"


def test_a_composer_tag_of_several_values_keeps_every_composer(tmp_path):
    """ID3v2.4's NUL-separated TCOM and a FLAC's two COMPOSER fields name two composers: the
    first alone lost "Paul McCartney" (``--composer McCartney`` missed the song)."""
    from mutagen.id3 import ID3

    lib = tmp_path / "lib"
    tagged_flac(lib / "A/Album/01 a.flac", TITLE="Yesterday", ARTIST="Singer", COMPOSER=["John Lennon", "Paul McCartney"])
    tagged_flac(lib / "A/Album/02 b.flac", TITLE="Help", ARTIST="Singer", COMPOSER=["Gershwin", "gershwin", "Unknown"])
    _mp3_with_tcom(lib / "B/Live/01 c.mp3", "Band", "Richard Rodgers")
    tags = ID3(lib / "B/Live/01 c.mp3")
    tags["TCOM"].text = ["Richard Rodgers", "Lorenz Hart"]  # written NUL-separated (v2.4)
    tags.save()
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["A/Album/01 a.flac"].composer == "John Lennon; Paul McCartney"
    assert tracks["A/Album/02 b.flac"].composer == "Gershwin"  # once; a placeholder is no composer
    assert tracks["B/Live/01 c.mp3"].composer == "Richard Rodgers; Lorenz Hart"


def test_a_surname_alone_is_not_read_as_a_list_that_ends_with_it():
    """A "McCartney" beside "Lennon/McCartney" is no "Lennon/McCartney" (the list's last word
    made it a full name ending in "mccartney"); beside "John Lennon, Paul McCartney" he is Paul."""
    from recsys.catalog.composernames import full_composer_names

    def read(*composers: str) -> list[str]:
        tracks = [TrackRecord(f"t{i}", "x", "Band", composer=c) for i, c in enumerate(composers)]
        return [t.composer for t in full_composer_names(tracks)]

    assert read("Lennon/McCartney", "McCartney") == ["Lennon/McCartney", "McCartney"]
    assert read("John Lennon, Paul McCartney", "McCartney") == ["John Lennon, Paul McCartney", "Paul McCartney"]
