"""Playlists saved in a music folder (``recsys.catalog.playlistfiles``): each track they hold
carries their names, as a manifest's ``playlists`` do, however a player wrote the entries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.encoders.graph import build_graph, track_node

SR = 8000


def _wav(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(SR // 8, dtype=np.float32), SR)
    return path


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = tmp_path / "Music"
    for rel in ("Band/First/01 One.wav", "Band/First/02 Two.wav", "Band/Second/01 Intro.wav",
                "Other/Album/01 Intro.wav", "Other/Album/02 Café Song.wav"):
        _wav(root / rel)
    return root


def _playlists(root: Path, tmp_path: Path) -> tuple[dict[str, tuple[str, ...]], list]:
    cat = read_music_folder(root, tmp_path / "covers")
    return {t.source: t.playlists for t in cat.tracks}, cat.problems


def test_entries_as_players_write_them_find_their_tracks(lib, tmp_path):
    (lib / "Playlists").mkdir()
    # relative to the playlist, with a comment and the extended header
    (lib / "Playlists/Road Trip.m3u8").write_text(
        "#EXTM3U\n#EXTINF:123,Band - One\n../Band/First/01 One.wav\n\n../Other/Album/02 Café Song.wav\n",
        encoding="utf-8")
    # Winamp on Windows: backslashes, the Windows code page; a stream among the files
    (lib / "Band/Mixed.m3u").write_bytes(
        "First\\02 Two.wav\r\n..\\Other\\Album\\02 Caf\u00e9 Song.wav\r\nhttp://radio.example/stream\r\n".encode("cp1252"))
    # written on another machine: absolute paths elsewhere, a file:// URL, a drive letter
    (lib / "Playlists/Old Laptop.pls").write_text(
        "[playlist]\nFile1=/home/bob/Music/Band/Second/01 Intro.wav\nTitle1=Intro\n"
        "File2=file:///C:/Users/bob/Music/Band/First/01%20One.wav\n"
        "File3=D:\\Music\\Other\\Album\\01 Intro.wav\nNumberOfEntries=3\n", encoding="utf-8")
    held, problems = _playlists(lib, tmp_path)
    assert held == {
        "Band/First/01 One.wav": ("Playlists/Old Laptop", "Playlists/Road Trip"),
        "Band/First/02 Two.wav": ("Band/Mixed",),
        "Band/Second/01 Intro.wav": ("Playlists/Old Laptop",),
        "Other/Album/01 Intro.wav": ("Playlists/Old Laptop",),
        "Other/Album/02 Café Song.wav": ("Band/Mixed", "Playlists/Road Trip"),
    }
    assert not problems


def test_a_bare_file_name_shared_by_two_files_finds_neither(lib, tmp_path):
    """"01 Intro.wav" is a file of two albums: an entry that says no more is not guessed."""
    (lib / "p.m3u").write_text("/elsewhere/01 Intro.wav\n/elsewhere/Band/Second/01 Intro.wav\n/elsewhere/02 Two.wav\n")
    held, _ = _playlists(lib, tmp_path)
    assert held["Band/Second/01 Intro.wav"] == ("p",) and held["Other/Album/01 Intro.wav"] == ()
    assert held["Band/First/02 Two.wav"] == ()  # a tail must hold the file's folder too


def test_a_playlist_that_finds_nothing_says_so_once(lib, tmp_path):
    (lib / "Lost.m3u8").write_text("/mnt/old/x/1.mp3\n/mnt/old/x/2.mp3\n")
    (lib / "Empty.m3u").write_text("#EXTM3U\n")
    held, problems = _playlists(lib, tmp_path)
    assert not any(held.values())
    assert [(p.where, "none of its 2 entries" in p.message) for p in problems] == [("Lost.m3u8", True)]


def test_playlists_become_graph_edges(lib, tmp_path):
    (lib / "Mix.m3u").write_text("Band/First/01 One.wav\nOther/Album/01 Intro.wav\n")
    cat = read_music_folder(lib, tmp_path / "covers")
    ids = {t.source: t.track_id for t in cat.tracks}
    g = build_graph(cat.tracks)
    assert g.has_edge(track_node(ids["Band/First/01 One.wav"]), track_node(ids["Other/Album/01 Intro.wav"]))


XSPF = """<?xml version="1.0" encoding="UTF-8"?>
<playlist xmlns="http://xspf.org/ns/0/" xmlns:vlc="http://www.videolan.org/vlc/playlist/ns/0/" version="1">
  <title>VLC's</title>
  <location>http://example.org/this-playlist.xspf</location>
  <trackList>
    <track><location>file:///C:/Users/bob/Music/Band/First/01%20One.wav</location><title>One</title></track>
    <track><location>../Other/Album/02%20Caf%C3%A9%20Song.wav</location></track>
    <track><location>http://radio.example/stream</location></track>
    <track><title>no location</title></track>
    <track><location>/nowhere/x.wav</location><location>file:///home/bob/Music/Band/Second/01%20Intro.wav</location></track>
  </trackList>
  <extension application="http://www.videolan.org/vlc/playlist/0"><vlc:item tid="0"/></extension>
</playlist>
"""


def test_an_xspf_playlist_finds_its_tracks(lib, tmp_path):
    """VLC's and Rhythmbox's own format: each track's location is a URI (a file:// URL, or a
    relative path percent-encoded); the playlist's own location and a stream are no tracks."""
    (lib / "Playlists").mkdir()
    (lib / "Playlists/VLC.xspf").write_text(XSPF, encoding="utf-8")
    held, problems = _playlists(lib, tmp_path)
    assert {k: v for k, v in held.items() if v} == {
        "Band/First/01 One.wav": ("Playlists/VLC",),
        "Other/Album/02 Café Song.wav": ("Playlists/VLC",),
    }  # a track's second location is an alternative, not another entry
    assert not problems


def test_an_xspf_that_is_no_playlist_links_nothing(lib, tmp_path):
    (lib / "broken.xspf").write_text("<playlist><trackList><track><location>Band/First/01 One.wav")
    (lib / "bomb.xspf").write_text(
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "Band/First/01 One.wav">]>'
        '<playlist><trackList><track><location>&a;</location></track></trackList></playlist>')
    # an encoding Python has no codec for raised LookupError out of the folder's read (the
    # Archive XML beside a taper's show had the same fault; both now parse through xmlfiles)
    (lib / "mac.xspf").write_text(
        '<?xml version="1.0" encoding="x-mac-roman"?>'
        '<playlist><trackList><track><location>Band/First/01 One.wav</location></track></trackList></playlist>')
    held, problems = _playlists(lib, tmp_path)
    assert not any(held.values()) and not problems


def test_a_playlist_saved_as_utf16_finds_its_tracks(lib, tmp_path):
    """Notepad's "Unicode" (UTF-16 with its byte-order mark), as a hand-edited .m3u is often
    saved: read as such, not as Windows-1252 into NUL-riddled entries that find nothing."""
    (lib / "Hand.m3u").write_bytes("#EXTM3U\r\nBand\\First\\01 One.wav\r\nOther\\Album\\02 Café Song.wav\r\n"
                                   .encode("utf-16"))
    (lib / "Big.m3u8").write_bytes("Band/First/02 Two.wav\n".encode("utf-16-be"))  # no BOM: not guessed
    (lib / "BE.m3u8").write_bytes(b"\xfe\xff" + "Band/Second/01 Intro.wav\n".encode("utf-16-be"))
    held, problems = _playlists(lib, tmp_path)
    assert held["Band/First/01 One.wav"] == ("Hand",)
    assert held["Other/Album/02 Café Song.wav"] == ("Hand",)
    assert held["Band/Second/01 Intro.wav"] == ("BE",)
    assert [p.where for p in problems] == ["Big.m3u8"]
