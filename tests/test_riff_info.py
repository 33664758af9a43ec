"""A WAV's RIFF LIST/INFO tags (Audacity's export, Windows' file properties, Sound Forge), which
mutagen does not read: such files were titled by their names and had no artist, album or
genre (``recsys.catalog.riffinfo``)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_catalog
from recsys.catalog.riffinfo import riff_info

pytest.importorskip("mutagen")


def _chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack("<I", len(body)) + body + (b"\0" if len(body) & 1 else b"")


def _info(**fields: bytes) -> bytes:
    return _chunk(b"LIST", b"INFO" + b"".join(_chunk(k.encode(), v + b"\0") for k, v in fields.items()))


def _wav(path: Path, *, before: bytes = b"", after: bytes = b"") -> Path:
    """A short WAV with extra chunks before its audio (after ``fmt ``) or after it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, (0.2 * np.sin(np.arange(4000) / 8000 * 2 * np.pi * 440)).astype(np.float32), 8000, subtype="PCM_16")
    data = path.read_bytes()
    fmt_end = 12 + 8 + struct.unpack("<I", data[16:20])[0]
    body = data[12:fmt_end] + before + data[fmt_end:] + after
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)
    return path


def test_info_tags_give_the_names(tmp_path):
    lib = tmp_path / "lib"
    _wav(lib / "Effects/03 take_2.wav", before=_info(
        INAM="Caf\xe9 Ambience".encode("cp1252"), IART=b"Sound Forge User", IPRD=b"Effects Vol. 1",
        IGNR=b"Ambient", ICRD=b"2009-04-01", ITRK=b"3"))
    _wav(lib / "Audacity/mix.wav", after=_info(INAM="Noël".encode(), IART=b"Audacity Person"))
    # a Freesound recordist's address as the artist (a real Debian game's sound effect): no one
    _wav(lib / "Games/SuperTux/Sound Effects/cracking.wav", before=_info(INAM=b"cracking", IART=b"lmh.0013@gmail.com", ICRD=b"2013"))
    tracks = {t.source: t for t in read_catalog(lib, cover_cache=tmp_path / "covers").tracks}
    cracking = tracks["Games/SuperTux/Sound Effects/cracking.wav"]
    assert (cracking.artist, cracking.album, cracking.year) == ("SuperTux", "Sound Effects", 2013)  # the layout's
    take = tracks["Effects/03 take_2.wav"]
    assert (take.title, take.artist, take.album, take.genres, take.year) == (
        "Café Ambience", "Sound Forge User", "Effects Vol. 1", ("Ambient",), 2009)
    assert (tracks["Audacity/mix.wav"].title, tracks["Audacity/mix.wav"].artist) == ("Noël", "Audacity Person")


def test_info_tags_in_an_east_asian_or_cyrillic_code_page_are_read_back(tmp_path):
    """A Japanese Windows tool writes INFO in Shift-JIS: read as Windows-1252 its lead bytes
    (0x81-0x9F) were "‚", "ƒ" or U+FFFD and "雪のテーマ" came out "\ufffdá‚Ìƒe\ufffd[ƒ}", where
    the same bytes in an ID3 frame marked Latin-1 read back as Japanese (``tagtext``)."""
    lib = tmp_path / "lib"
    _wav(lib / "jp.wav", before=_info(INAM="雪のテーマ".encode("cp932"), IART="坂本龍一".encode("cp932")))
    _wav(lib / "ru.wav", before=_info(INAM="Кино".encode("cp1251"), IART="Группа крови".encode("cp1251")))
    _wav(lib / "quote.wav", before=_info(INAM="Don\u2019t Stop".encode("cp1252"), IART=b"Caf\xe9"))
    tracks = {t.source: t for t in read_catalog(lib, cover_cache=tmp_path / "covers").tracks}
    assert (tracks["jp.wav"].title, tracks["jp.wav"].artist) == ("雪のテーマ", "坂本龍一")
    assert (tracks["ru.wav"].title, tracks["ru.wav"].artist) == ("Кино", "Группа крови")
    assert (tracks["quote.wav"].title, tracks["quote.wav"].artist) == ("Don\u2019t Stop", "Café")


def test_an_id3_chunk_wins_and_broken_chunks_give_nothing(tmp_path):
    from mutagen.id3 import TIT2
    from mutagen.wave import WAVE

    both = _wav(tmp_path / "both.wav", before=_info(INAM=b"Info Title"))
    wave = WAVE(both)
    wave.add_tags()
    wave.tags.add(TIT2(encoding=3, text="ID3 Title"))
    wave.save()
    assert read_catalog(both.parent, cover_cache=tmp_path / "covers").tracks[0].title == "ID3 Title"
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\xff\xff\xff\xffWAVE" + b"LIST\xff\xff\xff\x7fINFO")  # sizes past the end
    assert riff_info(broken) == {}
    assert riff_info(tmp_path / "missing.wav") == {}
    (tmp_path / "notriff.wav").write_bytes(b"ID3\x04" + b"\0" * 40)
    assert riff_info(tmp_path / "notriff.wav") == {}
