"""Several artists in one tag ("Drake feat. Rihanna", "A; B", a multi-value artist frame, a
title's "(feat. X)"): the music-folder reader credits each, the first is the primary artist,
which the graph's artist node and the artist cap key on; band names are never split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.credits import credited_artists, split_artists
from recsys.catalog.model import TrackRecord
from recsys.encoders.graph import album_node, artist_node, build_graph, track_node
from recsys.query.library import Picker
from recsys.store.base import Hit
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")
SR = 8000


def _flac(path: Path, **tags: str | list[str]) -> Path:
    return tagged_flac(path, seconds=0.25, **tags)


def _id3_wav(path: Path, title: str, artists: list[str]) -> Path:
    """A WAV with an ID3v2.4 TPE1 of several values (NUL-separated in the file)."""
    from mutagen.id3 import TIT2, TPE1

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(SR // 4, dtype=np.float32), SR)
    audio = mutagen.File(path)
    audio.add_tags()
    audio.tags.add(TIT2(encoding=3, text=title))
    audio.tags.add(TPE1(encoding=3, text=artists))
    audio.save(v2_version=4)
    return path


@pytest.mark.parametrize(
    "tag, credited",
    [
        ("Drake feat. Rihanna", ["Drake", "Rihanna"]),
        ("Daft Punk ft. Pharrell Williams", ["Daft Punk", "Pharrell Williams"]),
        ("Daft Punk Ft Pharrell Williams", ["Daft Punk", "Pharrell Williams"]),
        ("Calvin Harris featuring Florence Welch", ["Calvin Harris", "Florence Welch"]),
        ("Calvin Harris feat Florence Welch", ["Calvin Harris", "Florence Welch"]),
        ("Eminem (feat. Rihanna)", ["Eminem", "Rihanna"]),
        ("Eminem [ft. Rihanna]", ["Eminem", "Rihanna"]),
        ("Massive Attack; Tracey Thorn", ["Massive Attack", "Tracey Thorn"]),
        ("Massive Attack / Tracey Thorn", ["Massive Attack", "Tracey Thorn"]),
        ("A feat. B; C", ["A", "B", "C"]),
        ("A\x00B", ["A", "B"]),
        # a DJ's mashup or back-to-back credit: both, the first the primary
        ("Armin van Buuren vs. Vini Vici", ["Armin van Buuren", "Vini Vici"]),
        ("A VS B feat. C", ["A", "B", "C"]),
        ("Versus the World", ["Versus the World"]),
        ("Evs. Band", ["Evs. Band"]),
        # band names: never split on "&", "and", "," or a slash without spaces (nor an "X"
        # of a name: tests/test_collaborations.py)
        ("Simon & Garfunkel", ["Simon & Garfunkel"]),
        ("Earth, Wind & Fire", ["Earth, Wind & Fire"]),
        ("Crosby, Stills, Nash & Young", ["Crosby, Stills, Nash & Young"]),
        ("Florence and the Machine", ["Florence and the Machine"]),
        # a collaboration's " x ": each credited, after the whole value (the primary artist)
        ("Tyler x Kali", ["Tyler x Kali", "Tyler", "Kali"]),
        ("AC/DC", ["AC/DC"]),
        ("Ft. Lauderdale Sound", ["Ft. Lauderdale Sound"]),
        ("Lift Off", ["Lift Off"]),
        # the featured part is a list of guests: split on ", ", " & " and " and "
        ("A feat. B, C & D", ["A", "B", "C", "D"]),
        ("A feat. B & C", ["A", "B", "C"]),
        ("A ft. B and C", ["A", "B", "C"]),
        ("A (feat. B, C & D)", ["A", "B", "C", "D"]),
        ("A feat. B; C & D", ["A", "B", "C", "D"]),
        ("Simon & Garfunkel feat. B & C", ["Simon & Garfunkel", "B", "C"]),
        ("Earth, Wind & Fire feat. The Emotions", ["Earth, Wind & Fire", "The Emotions"]),
        ("Mumford & Sons; B", ["Mumford & Sons", "B"]),
        # the accepted risk (credits' docstring): a featured band with a comma or "&" is split
        ("A feat. Earth, Wind & Fire", ["A", "Earth", "Wind", "Fire"]),
    ],
)
def test_split_rules(tag, credited):
    assert split_artists(tag) == credited


def test_credits_take_the_titles_featured_artists_once_and_drop_duplicates():
    assert credited_artists(["Drake"], "Work (feat. Rihanna)") == ("Drake", "Rihanna")
    assert credited_artists(["Drake feat. Rihanna"], "Work (feat. RIHANNA)") == ("Drake", "Rihanna")
    assert credited_artists(["Drake", "Rihanna"], "Work") == ("Drake", "Rihanna")
    assert credited_artists(["Simon & Garfunkel"], "The Boxer") == ("Simon & Garfunkel",)
    assert credited_artists(["Drake"], "Feat of Strength") == ("Drake",)  # no bracket: the title's own words
    # a title's bracket lists guests as the artist tag does
    assert credited_artists(["A"], "Song (feat. B, C & D)") == ("A", "B", "C", "D")
    assert credited_artists(["A & B"], "Song [ft. C and D]") == ("A & B", "C", "D")


def _library(tmp_path: Path) -> dict[str, TrackRecord]:
    lib = tmp_path / "lib"
    _flac(lib / "a.flac", artist="Drake", title="Hotline Bling", album="Views")
    _flac(lib / "b.flac", artist="Drake feat. Rihanna", title="Too Good", album="Views")
    _flac(lib / "c.flac", artist="Rihanna", title="Umbrella")
    _flac(lib / "d.flac", artist="Drake", title="Take Care (feat. Rihanna)")
    _flac(lib / "e.flac", artist=["Daft Punk", "Pharrell Williams"], title="Get Lucky")  # Vorbis multi-value
    _id3_wav(lib / "f.wav", "Lose Yourself to Dance", ["Daft Punk", "Pharrell Williams"])  # ID3v2.4 multi-value
    _flac(lib / "g.flac", artist="Simon & Garfunkel", title="The Boxer")
    _flac(lib / "h.flac", artist="Earth, Wind & Fire", title="September")
    catalog = read_music_folder(lib, tmp_path / "covers")
    return {t.source: t for t in catalog.tracks}


def test_the_reader_credits_every_artist_and_keeps_the_artist_as_tagged(tmp_path):
    t = _library(tmp_path)
    assert (t["b.flac"].artist, t["b.flac"].artists) == ("Drake feat. Rihanna", ("Drake", "Rihanna"))
    assert t["b.flac"].primary_artist == "Drake"
    assert (t["d.flac"].artist, t["d.flac"].title, t["d.flac"].artists) == (
        "Drake", "Take Care (feat. Rihanna)", ("Drake", "Rihanna"))
    assert (t["e.flac"].artist, t["e.flac"].artists) == ("Daft Punk", ("Daft Punk", "Pharrell Williams"))
    assert (t["f.wav"].artist, t["f.wav"].artists) == ("Daft Punk", ("Daft Punk", "Pharrell Williams"))
    for one in ("a.flac", "c.flac", "g.flac", "h.flac"):
        assert t[one].artists == (), one
    assert t["g.flac"].artist == "Simon & Garfunkel"
    assert t["b.flac"].payload()["artists"] == ["Drake", "Rihanna"]


def test_a_featuring_track_is_its_primary_artists_with_an_edge_to_the_featured(tmp_path):
    t = _library(tmp_path)
    g = build_graph(t.values())
    drake, rihanna = "artist:drake", "artist:rihanna"
    assert artist_node(t["b.flac"]) == artist_node(t["a.flac"]) == artist_node(t["d.flac"]) == drake
    assert "artist:drake feat. rihanna" not in g
    assert album_node(t["b.flac"]) == album_node(t["a.flac"])  # one "Views" album
    for featuring in ("b.flac", "d.flac"):
        tn = track_node(t[featuring].track_id)
        assert g.has_edge(tn, drake) and g.has_edge(tn, rihanna)
        assert g[tn][rihanna]["weight"] < g[tn][drake]["weight"]
    # the collaboration links Rihanna's own track to Drake's within two hops of her node
    assert g.has_edge(track_node(t["c.flac"].track_id), rihanna)
    assert not g.has_edge(album_node(t["b.flac"]), rihanna)  # the album stays Drake's
    assert artist_node(t["e.flac"]) == artist_node(t["f.wav"]) == "artist:daft punk"
    assert g.has_edge(track_node(t["f.wav"].track_id), "artist:pharrell williams")
    assert artist_node(t["h.flac"]) == "artist:earth, wind & fire"


def test_the_artist_cap_counts_a_featuring_track_as_its_primary_artists(tmp_path):
    t = _library(tmp_path)
    hits = [Hit(t[f].track_id, 1.0 - i / 10, t[f].payload()) for i, f in enumerate(("a.flac", "b.flac", "d.flac", "c.flac"))]
    picker = Picker(max_per_artist=1)
    taken = [h.payload["title"] for h in hits if picker.take(h)]
    assert taken == ["Hotline Bling", "Umbrella"]


def test_a_manifest_artist_is_taken_as_written():
    """Only the music-folder reader splits: a manifest's (and the paper's Fairouz data's)
    artist is one node as before, whatever it holds."""
    track = TrackRecord(track_id="m1", title="Song (feat. B)", artist="A feat. B")
    assert artist_node(track) == "artist:a feat. b"
    g = build_graph([track])
    assert sorted(g.neighbors(track_node("m1"))) == ["artist:a feat. b"]


def test_a_one_artist_track_has_the_payload_and_hash_it_had(tmp_path):
    """No ``artists`` key for one artist: a collection ingested before the field existed is not
    re-encoded (the hash was computed with the code before it)."""
    record = TrackRecord(track_id="t1", title="River", artist="Low Tide Choir", album="Pale Oceans",
                         genres=("ambient",), year=2014)
    assert "artists" not in record.payload()
    assert record.content_hash() == "ec59fb2a700e41124f23a273d1e1667e"
    t = _library(tmp_path)
    assert "artists" not in t["g.flac"].payload() and "artists" not in t["a.flac"].payload()


def test_training_from_a_store_keeps_the_credits(tmp_path):
    """A collection's payload gives back the same artist node and featured edges
    (``training.store_data``): the graph trained on is the graph ingested."""
    from training.store_data import track_from_payload

    t = _library(tmp_path)["b.flac"]
    back = track_from_payload(t.track_id, t.payload())
    assert back.artists == ("Drake", "Rihanna")
    assert sorted(build_graph([back]).edges) == sorted(build_graph([t]).edges)
