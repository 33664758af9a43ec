"""A ripper's placeholders ("Unknown Artist", "Unknown Album", "Track 01") name nothing: they
make no artist or album node shared by unrelated rips (``recsys.catalog.placeholders``)."""

from __future__ import annotations

import pytest

from recsys.catalog.placeholders import placeholder_album, placeholder_artist, placeholder_title
from recsys.encoders.graph import album_node, artist_node, build_graph
from tests.test_music_folder_names import _flac, _read, _wav


@pytest.mark.parametrize("value", ["Unknown Artist", "<unknown>", "[Unknown]", "unknown", "Artiste inconnu",
                                   "Unbekannter Interpret", "Various Artists"])
def test_artist_placeholders(value):
    assert placeholder_artist(value)


@pytest.mark.parametrize("value", ["Unknown Mortal Orchestra", "The Unknown", "Daft Punk", "Artist Vs Poet", ""])
def test_artists_that_are_artists(value):
    assert not placeholder_artist(value)


def test_album_and_title_placeholders():
    assert placeholder_album("Unknown Album") and placeholder_album("<Unknown>")
    assert not placeholder_album("Unknown Album (27/11/2026 10:00:00)")  # one folder per rip: one album
    assert not placeholder_album("Untitled") and not placeholder_album("Discovery")
    assert all(placeholder_title(t) for t in ("Track 01", "Track01", "Audio Track 3", "Piste 12"))
    assert not any(placeholder_title(t) for t in ("Track 1 (Live)", "Tracks", "Back on Track 2"))


def test_unknown_artist_rips_share_no_artist_or_album_node(tmp_path):
    """Two CDs an iTunes could not look up, one a WMP rip, a tagged "Unknown Artist" beside a
    real artist: no artist node "unknown artist", no album node holding two rips; a placeholder
    title gives way to the file name's; "Various Artists" stays a compilation's album artist."""
    lib = tmp_path / "lib"
    _flac(lib / "Unknown Artist/Unknown Album/01 Track 01.flac", artist="Unknown Artist", album="Unknown Album",
          title="Track 01")
    _flac(lib / "Unknown Artist/Unknown Album/02 Track 02.flac", artist="Unknown Artist", album="Unknown Album",
          title="Track 02", genre="Unknown")
    _wav(lib / "Unknown Artist/Unknown Album (27-11-2026 10-00-00)/01 Track 1.wav")
    _wav(lib / "Unknown Artist/Unknown Album (27-11-2026 10-00-00)/02 Track 2.wav")
    _flac(lib / "Downloads/Daft Punk - Da Funk.flac", artist="<unknown>", title="Track 5")
    _flac(lib / "Hits/a.flac", artist="Air", title="Sexy Boy", album="Hits 98", albumartist="Various Artists")
    _flac(lib / "Hits/b.flac", artist="Moby", title="Porcelain", album="Hits 98", albumartist="Various Artists")
    tracks = _read(lib, tmp_path)
    assert not any(t.artist.lower().startswith("unknown") or t.artist == "<unknown>" for t in tracks.values())
    rip = [tracks[f"Unknown Artist/Unknown Album/0{i} Track 0{i}.flac"] for i in (1, 2)]
    assert [(t.artist, t.album, t.genres) for t in rip] == [("", "", ()), ("", "", ())]
    wmp = [t for s, t in tracks.items() if "(27-11-2026" in s]
    assert {t.album for t in wmp} == {"Unknown Album (27-11-2026 10-00-00)"} and len({album_node(t) for t in wmp}) == 1
    # the file name says what the placeholders did not
    assert (tracks["Downloads/Daft Punk - Da Funk.flac"].artist, tracks["Downloads/Daft Punk - Da Funk.flac"].title) == (
        "Daft Punk", "Da Funk")
    hits = [tracks["Hits/a.flac"], tracks["Hits/b.flac"]]
    assert {t.album_artist for t in hits} == {"Various Artists"} and len({album_node(t) for t in hits}) == 1
    assert {artist_node(t) for t in hits} == {"artist:air", "artist:moby"}
    graph = build_graph(list(tracks.values()))
    assert "artist:air" in graph  # the graph holds real artists' nodes, and none of the placeholders'
    assert not any("unknown artist" in str(n) or str(n).endswith("/unknown album") for n in graph.nodes)
