"""A radio station's playout library: broadcast WAVs tagged by their ``cart`` and ``bext`` chunks
alone (``recsys.catalog.broadcastwav``), station imaging beside the music (``imaging``: no
song's radio lists a sweeper), cart numbers before the file names (``cartnumbers``)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.broadcastwav import broadcast_tags
from recsys.catalog.cartnumbers import without_cart_number
from recsys.catalog.model import SPOKEN

mutagen = pytest.importorskip("mutagen")


def _chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")


def _fixed(text: str, size: int) -> bytes:
    return text.encode("cp1252")[:size].ljust(size, b"\0")


def _cart(title: str = "", artist: str = "", cut: str = "", category: str = "") -> bytes:
    """An AES46 cart chunk (version 0101) as Rivendell and ENCO DAD write it."""
    body = (b"0101" + _fixed(title, 64) + _fixed(artist, 64) + _fixed(cut, 64) + _fixed("", 64)
            + _fixed(category, 64) + b"\0" * (64 * 2 + 36 + 64 * 3 + 4 + 64 + 276 + 1024))
    return _chunk(b"cart", body)


def _bext(description: str, originator: str = "mAirList") -> bytes:
    """An EBU Tech 3285 bext chunk, v1, with its coding history."""
    body = (_fixed(description, 256) + _fixed(originator, 32) + _fixed("REF", 32) + b"2016-03-14" + b"10:22:31"
            + struct.pack("<QH", 0, 1) + b"\0" * 254 + b"A=PCM,F=48000,W=24,M=stereo\r\n")
    return _chunk(b"bext", body)


def _wav(path: Path, *, before: bytes = b"", after: bytes = b"") -> Path:
    """A short WAV with extra chunks before its audio (after ``fmt ``) or after it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, (0.2 * np.sin(np.arange(4000) / 8000 * 2 * np.pi * 440)).astype(np.float32), 8000, subtype="PCM_16")
    data = path.read_bytes()
    fmt_end = 12 + 8 + struct.unpack("<I", data[16:20])[0]
    body = data[12:fmt_end] + before + data[fmt_end:] + after
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    return path


def _mp3(path: Path, title: str | None = None, artist: str | None = None, genre: str | None = None,
         album: str | None = None, seconds: float = 0.5) -> Path:
    from mutagen import id3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(int(8000 * seconds), dtype=np.float32), 8000, format="MP3")
    tags = id3.ID3()
    for cls, value in ((id3.TIT2, title), (id3.TPE1, artist), (id3.TCON, genre), (id3.TALB, album)):
        if value:
            tags.add(cls(encoding=3, text=value))
    tags.save(path)
    return path


def _tracks(lib: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def test_rivendell_exports_are_named_by_their_cart_chunks(tmp_path):
    """Rivendell's "010123_001.wav" has a cart chunk and nothing else: it was titled
    "010123_001" by the artist "Rivendell" (its folder), one artist for every song."""
    lib = tmp_path / "lib"
    _wav(lib / "Rivendell/export/010123_001.wav", before=_cart("Losing My Religion", "R.E.M.", "010123", "MUSIC"))
    _wav(lib / "Rivendell/export/010131_001.wav", after=_cart("Dreams", "The Cranberries", "010131", "MUSIC"))
    _wav(lib / "Rivendell/export/000900_001.wav", before=_cart("Legal ID 1", "WXRC", "000900", "LEGAL"))
    tracks = _tracks(lib, tmp_path)
    song = tracks["Rivendell/export/010123_001.wav"]
    assert (song.title, song.artist, song.genres, song.kind) == ("Losing My Religion", "R.E.M.", (), "")
    after = tracks["Rivendell/export/010131_001.wav"]  # a chunk after the audio is read too
    assert (after.title, after.artist) == ("Dreams", "The Cranberries")
    legal = tracks["Rivendell/export/000900_001.wav"]  # the cart's category files it as imaging
    assert (legal.title, legal.kind) == ("Legal ID 1", SPOKEN)


def test_a_bext_description_is_the_title_where_it_reads_as_one(tmp_path):
    """mAirList's "C12001.wav" has a bext chunk alone, its Description "Artist - Title"; a field
    recorder's Description ("sSCENE=...") and a path are no title."""
    lib = tmp_path / "lib"
    _wav(lib / "mAirList/Music/C12001.wav", before=_bext("The National - Bloodbuzz Ohio"))
    _wav(lib / "mAirList/Music/C12002.wav", before=_bext("Spoon - The Underdog"))
    _wav(lib / "Recorder/T001.wav", before=_bext("sSPEED=023.976-ND\r\nsSCENE=12\r\nsTAKE=3", "Sound Devices"))
    _wav(lib / "Edits/take.wav", before=_bext("C:\\Audio\\take.wav", "Pro Tools"))
    tracks = _tracks(lib, tmp_path)
    one = tracks["mAirList/Music/C12001.wav"]
    assert (one.title, one.artist) == ("Bloodbuzz Ohio", "The National")
    assert tracks["Recorder/T001.wav"].title == "T001"
    assert tracks["Edits/take.wav"].title == "take"
    # a cart chunk's title wins over the Description; no chunk, nothing
    both = _wav(tmp_path / "both.wav", before=_bext("Notes") + _cart("Heroes", "David Bowie"))
    assert broadcast_tags(both) == ({"title": ["Heroes"], "artist": ["David Bowie"]}, "")
    assert broadcast_tags(_wav(tmp_path / "plain.wav")) == ({}, "")


def test_station_imaging_is_no_music(tmp_path):
    """RadioDJ's track types as genres, a station's imaging folders: sweepers and IDs were
    songs to a song's radio. A jingle package tagged "Pop" is imaging where it is short; a
    song filed under "Jingles" by mistake, a minute and more long, stays music, and so does a
    band's album called "Jingles"."""
    lib = tmp_path / "lib"
    _mp3(lib / "RadioDJ/Imaging/Sweepers/Sweeper - 10 in a Row.mp3", "10 in a Row", "WXRC 95.3", "Sweeper")
    _mp3(lib / "RadioDJ/Imaging/PSAs/Buckle Up.mp3", "Buckle Up", "Ad Council", "PSA")
    _mp3(lib / "RadioDJ/Imaging/Station IDs/ID_generic_dry.mp3")  # untagged: its folder says
    _mp3(lib / "Archive/Imaging/ID4901.mp3")  # the folder the reader makes its album
    _mp3(lib / "RadioDJ/Jingles/Jam - River Cut 01.mp3", "River Cut 01", "JAM Creative Productions", "Pop")
    _mp3(lib / "RadioDJ/Jingles/Carol.mp3", "Carol", "A Choir", "Pop", seconds=70)
    _mp3(lib / "Music/The Jinglers/Jingles/01.mp3", "Bells", "The Jinglers", "Rock", "Jingles")
    _mp3(lib / "Music/Songs/Sweeper.mp3", "Sweeper", "A Band", "Rock")  # a song called so
    kinds = {k: t.kind for k, t in _tracks(lib, tmp_path).items()}
    assert kinds == {
        "RadioDJ/Imaging/Sweepers/Sweeper - 10 in a Row.mp3": SPOKEN,
        "RadioDJ/Imaging/PSAs/Buckle Up.mp3": SPOKEN,
        "RadioDJ/Imaging/Station IDs/ID_generic_dry.mp3": SPOKEN,
        "Archive/Imaging/ID4901.mp3": SPOKEN,
        "RadioDJ/Jingles/Jam - River Cut 01.mp3": SPOKEN,
        "RadioDJ/Jingles/Carol.mp3": "",
        "Music/The Jinglers/Jingles/01.mp3": "",
        "Music/Songs/Sweeper.mp3": "",
    }


def test_a_cart_number_before_a_name_is_no_artist(tmp_path):
    """"MUS02101 - The Clash - Train in Vain.mp3" was by "MUS02101"; a band's name with a
    number ("C418", "UB40", "10000 Maniacs") and a name that is a cart number alone stay."""
    lib = tmp_path / "lib"
    _mp3(lib / "C Gold/MUS02101 - The Clash - Train in Vain.mp3")
    _mp3(lib / "C Gold/MUS02102 - The Pretenders - Brass in Pocket.mp3")
    _mp3(lib / "DAD/04010 - Tears for Fears - Head Over Heels.mp3")
    tracks = _tracks(lib, tmp_path)
    clash = tracks["C Gold/MUS02101 - The Clash - Train in Vain.mp3"]
    assert (clash.title, clash.artist) == ("Train in Vain", "The Clash")
    tff = tracks["DAD/04010 - Tears for Fears - Head Over Heels.mp3"]
    assert (tff.title, tff.artist) == ("Head Over Heels", "Tears for Fears")
    assert without_cart_number("C12001_Kurt_Vile_Pretty_Pimpin") == "Kurt_Vile_Pretty_Pimpin"
    assert without_cart_number("012345_001 - Artist - Title") == "Artist - Title"
    for kept in ("C418 - Sweden", "UB40 - Red Red Wine", "10000 Maniacs - Trouble Me", "1999 - Prince - 1999",
                 "2112 - Overture", "C12001", "012345_001", "01 - Title"):
        assert without_cart_number(kept) == kept


def test_a_folders_names_are_folded_once_not_once_a_track(monkeypatch):
    """The imaging evidence folds a folder's names once (``imaging._imaging_folders``): it
    folded every folder name of every track, 200,000 names a read of a 50,000-file library.
    A manifest's Windows-style source and a band's album "Jingles" read as before."""
    from recsys.catalog import imaging
    from recsys.catalog.model import TrackRecord, normalise_title

    folded: list[str] = []

    def counted(text: str) -> str:
        folded.append(text)
        return normalise_title(text)

    monkeypatch.setattr(imaging, "normalise_title", counted)
    imaging._imaging_folders.cache_clear()
    tracks = [TrackRecord(track_id=str(i), title=f"Song {i}", artist="A Band", album="Album",
                          source=f"Music/A Band/Album/{i:02d}.mp3") for i in range(100)]
    assert not any(imaging.imaging_evidence(t) for t in tracks)
    assert sorted(folded) == ["A Band", "Album", "Music"]
    station = TrackRecord(track_id="s", title="ID", artist="", source="Station\\Imaging\\ID4901.mp2")
    band = TrackRecord(track_id="b", title="Bells", artist="The Jinglers", album="Jingles",
                       source="Music/The Jinglers/Jingles/01.mp3")
    assert imaging.imaging_evidence(station) and not imaging.imaging_evidence(band)
