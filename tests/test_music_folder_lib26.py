"""The 26th real library: an audiophile's hi-res shelf. qobuz-dl's "Artist - Album (Year)
[24B-96kHz]" folders, DSD (.dsf, and sacd_extract's .dff whose artist and title are in its
DIIN chunk alone), SACD ISO images, DTS and AC-3 discs' streams, Japanese SHM-CD and MFSL
pressings named in their folders."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.albumfolders import album_folder
from recsys.catalog.dsdiffinfo import dsdiff_info
from recsys.catalog.model import TrackRecord


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack(">Q", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def _text(cid: bytes, text: str) -> bytes:
    raw = text.encode("utf-8")
    return _chunk(cid, struct.pack(">I", len(raw)) + raw)


def write_dff(path: Path, artist: str | None = None, title: str | None = None, seconds: float = 0.5) -> Path:
    """A DSDIFF file of DSD64 stereo silence (0x69: DSD's idle pattern), with a DIIN chunk of
    the artist and title given (as sacd_extract writes them), none without them."""
    rate = 2_822_400
    prop = b"SND " + _chunk(b"FS  ", struct.pack(">I", rate)) + _chunk(b"CHNL", struct.pack(">H", 2) + b"SLFTSRGT") + \
        _chunk(b"CMPR", b"DSD " + bytes([14]) + b"not compressed" + b"\0")
    body = b"DSD " + _chunk(b"FVER", struct.pack(">I", 0x01050000)) + _chunk(b"PROP", prop) + \
        _chunk(b"DSD ", b"\x69" * (int(rate * seconds) // 8 * 2))
    if artist or title:
        body += _chunk(b"DIIN", _chunk(b"EMID", b"sacd_extract") + (_text(b"DIAR", artist) if artist else b"")
                       + (_text(b"DITI", title) if title else b""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"FRM8" + struct.pack(">Q", len(body)) + body)
    return path


def test_a_dffs_diin_chunk_gives_its_artist_and_title(tmp_path):
    lib = tmp_path / "lib"
    write_dff(lib / "SACD/Gaucho/01 - track01.dff", "Steely Dan", "Babylon Sisters")
    write_dff(lib / "SACD/Gaucho/02 - track02.dff", "Steely Dan", "Hey Nineteen")
    tracks = _read(lib, tmp_path)
    # were "track01" and "track02" by "SACD": mutagen reads a .dff's ID3 chunk alone
    assert {(t.title, t.artist) for t in tracks.values()} == {("Babylon Sisters", "Steely Dan"), ("Hey Nineteen", "Steely Dan")}


def test_dsdiff_info_of_other_files_is_empty(tmp_path):
    assert dsdiff_info(write_dff(tmp_path / "plain.dff")) == {}
    (tmp_path / "x.dff").write_bytes(b"FRM8" + b"\xff" * 8 + b"DSD " + b"DIIN" + b"\xff" * 8)  # a size past the end
    assert dsdiff_info(tmp_path / "x.dff") == {}
    (tmp_path / "y.dff").write_bytes(b"RIFF....WAVE")
    assert dsdiff_info(tmp_path / "y.dff") == {}
    assert dsdiff_info(tmp_path / "missing.dff") == {}


@pytest.mark.parametrize("name, album, artist, year", [
    # qobuz-dl's own folder name, and its kin from HDtracks and the shares
    ("Pink Floyd - Wish You Were Here (1975) [24B-96kHz]", "Wish You Were Here", "Pink Floyd", 1975),
    ("Pink Floyd - The Dark Side Of The Moon (2011 Remastered Version) (1973) [24B-192kHz]",
     "The Dark Side Of The Moon (2011 Remastered Version)", "Pink Floyd", 1973),
    ("Eagles - Hotel California (1976) {24-bit 192kHz}", "Hotel California", "Eagles", 1976),
    ("Steely Dan - Gaucho (1980) [DSD64]", "Gaucho", "Steely Dan", 1980),
    ("Miles Davis - Kind of Blue (1959) [SACD-R] [DSD128]", "Kind of Blue", "Miles Davis", 1959),
    ("Dire Straits - Brothers In Arms (1985) [SACD ISO]", "Brothers In Arms", "Dire Straits", 1985),
    ("Fleetwood Mac - Rumours (1977) [MQA] [24B-48kHz]", "Rumours", "Fleetwood Mac", 1977),
    ("Queen - A Night At The Opera (1975) (DTS-CD)", "A Night At The Opera", "Queen", 1975),
    ("Steely Dan - Aja (1977) (5.1) [DVD-A]", "Aja", "Steely Dan", 1977),
    ("Dire Straits - Brothers In Arms (1985) (SHM-CD) [UICY-20164]", "Brothers In Arms", "Dire Straits", 1985),
    ("Dire Straits - Brothers In Arms (1985) [MFSL UDCD 2-0700]", "Brothers In Arms", "Dire Straits", 1985),
])
def test_a_hi_res_shelfs_folder_gives_its_artist_album_and_year(name, album, artist, year):
    found = album_folder(name)
    assert (found.album, found.artist, found.year) == (album, artist, year)


@pytest.mark.parametrize("name, album", [
    ("Live at Donington (1991) [Bootleg]", "Live at Donington (1991) [Bootleg]"),  # no format: as it was
    ("Brothers In Arms (SHM-CD)", "Brothers In Arms"),
    ("Steely Dan - Gaucho [DSD64]", "Steely Dan - Gaucho"),  # no year: "Artist - Album" is not told from a title
    ("Songs of the 5.1 Era", "Songs of the 5.1 Era"),
])
def test_other_hi_res_folders_keep_what_is_no_mark(name, album):
    assert album_folder(name).album == album and album_folder(name).artist == ""


def test_an_untagged_dff_in_a_qobuz_style_folder_is_its_artists_album(tmp_path):
    lib = tmp_path / "lib"
    write_dff(lib / "SACD/Steely Dan - Gaucho (1980) [DSD64]/01 - Babylon Sisters.dff")
    write_dff(lib / "SACD/Steely Dan - Gaucho (1980) [DSD64]/02 - Hey Nineteen.dff", "Steely Dan", "Hey Nineteen")
    tracks = _read(lib, tmp_path)
    got = {(t.title, t.artist, t.album) for t in tracks.values()}
    # the album was "Steely Dan - Gaucho (1980) [DSD64]", the artist "SACD" or none
    assert got == {("Babylon Sisters", "Steely Dan", "Gaucho"), ("Hey Nineteen", "Steely Dan", "Gaucho")}


def test_an_sacd_iso_is_named_once_a_folder(tmp_path):
    lib = tmp_path / "lib"
    write_dff(lib / "SACD/Kind of Blue/01 - So What.dff", "Miles Davis", "So What")
    iso = lib / "SACD/ISO/Dire Straits - Brothers In Arms (2005)/Brothers In Arms.iso"
    iso.parent.mkdir(parents=True)
    iso.write_bytes(b"\0" * (510 * 2048) + b"SACDMTOC" + b"\0" * 2040)  # Scarlet Book's master TOC at sector 510
    catalog = read_music_folder(lib, tmp_path / "covers")
    assert [t.title for t in catalog.tracks] == ["So What"]
    lines = [(p.where, p.notice) for p in catalog.problems]
    # it was counted as "not audio" without a word
    assert lines == [("SACD/ISO/Dire Straits - Brothers In Arms (2005)", True)]
    assert "1 disc image (.iso)" in catalog.problems[0].message and "sacd_extract" in catalog.problems[0].message


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg command")
def test_a_dts_discs_streams_are_tracks_and_decode(tmp_path):
    from recsys.encoders.media import load_audio

    lib = tmp_path / "lib"
    folder = lib / "Multichannel/Eagles - Hotel California (1976) (DTS 5.1)"
    folder.mkdir(parents=True)
    made = []
    for name, codec in (("01 - Hotel California.dts", ["-c:a", "dca", "-strict", "-2"]), ("02 - New Kid in Town.ac3", ["-c:a", "ac3"])):
        done = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "sine=frequency=440:duration=3:sample_rate=48000",
                               "-af", "pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0", *codec, str(folder / name)], capture_output=True)
        if done.returncode == 0:
            made.append(name)
    if not made:
        pytest.skip("this ffmpeg writes neither DTS nor AC-3")
    tracks = _read(lib, tmp_path)
    # were "skipped by type (not audio)"
    assert sorted(Path(s).name for s in tracks) == sorted(made)
    assert {t.artist for t in tracks.values()} == {"Eagles"} and {t.album for t in tracks.values()} == {"Hotel California"}
    for name in made:
        y = load_audio(folder / name, sr=16000)
        assert y.size > 2 * 16000 and 0.1 < abs(y).max() < 1.5
