"""An audiophile's files through the audio decoder: DSD in both its files (.dsf, .dff), whose
1-bit stream at 2.8224 MHz FFmpeg gives at 352.8 kHz, and a hi-res file whose length its header
does not give (a FLAC written to a pipe, a download cut short), whose excerpt must not cost
the whole file's samples at its own rate in memory."""

from __future__ import annotations

import struct
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

av = pytest.importorskip("av")

from recsys.encoders import media  # noqa: E402
from recsys.encoders.media import load_audio  # noqa: E402

DSD64 = 2_822_400


def pdm(seconds: float, freq: float) -> np.ndarray:
    """A tone as DSD64's 1-bit stream: first-order delta-sigma (each bit the carry of a running
    sum of the signal's level), as 0/1 values."""
    t = np.arange(int(seconds * DSD64)) / DSD64
    level = 0.5 + 0.25 * np.sin(2 * np.pi * freq * t)
    ones = np.floor(np.cumsum(level))
    return np.diff(ones, prepend=0).astype(np.uint8)[: len(t) // 8 * 8]


def write_dsf(path: Path, bits: np.ndarray) -> Path:
    """A stereo DSF file (Sony's DSD file: blocks of 4096 bytes a channel, LSB first)."""
    packed = np.packbits(bits.reshape(-1, 8)[:, ::-1].reshape(-1))
    block = 4096
    data = b"".join(packed[i : i + block].tobytes().ljust(block, b"\0") * 2 for i in range(0, packed.size, block))
    fmt = b"fmt " + struct.pack("<QIIIIIIQII", 52, 1, 0, 2, 2, DSD64, 1, bits.size, block, 0)
    chunk = b"data" + struct.pack("<Q", 12 + len(data)) + data
    path.write_bytes(b"DSD " + struct.pack("<QQQ", 28, 28 + len(fmt) + len(chunk), 0) + fmt + chunk)
    return path


def write_dff(path: Path, bits: np.ndarray) -> Path:
    """A stereo DSDIFF file (Philips' DSD file: the channels' bytes interleaved, MSB first)."""
    def chunk(cid: bytes, body: bytes) -> bytes:
        return cid + struct.pack(">Q", len(body)) + body + (b"\0" if len(body) % 2 else b"")

    packed = np.packbits(bits)
    prop = b"SND " + chunk(b"FS  ", struct.pack(">I", DSD64)) + chunk(b"CHNL", struct.pack(">H", 2) + b"SLFTSRGT") + \
        chunk(b"CMPR", b"DSD " + bytes([14]) + b"not compressed" + b"\0")
    body = b"DSD " + chunk(b"FVER", struct.pack(">I", 0x01050000)) + chunk(b"PROP", prop) + \
        chunk(b"DSD ", np.repeat(packed, 2).tobytes())
    path.write_bytes(b"FRM8" + struct.pack(">Q", len(body)) + body)
    return path


def pitch(y: np.ndarray, sr: int) -> float:
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size)))
    return float(np.fft.rfftfreq(y.size, 1 / sr)[np.argmax(spectrum)])


@pytest.mark.parametrize("write", [write_dsf, write_dff], ids=["dsf", "dff"])
def test_both_dsd_files_decode_to_their_tone(tmp_path, write):
    path = write(tmp_path / f"tone.{write.__name__[-3:]}", pdm(3.0, 1000.0))
    got = media._decode(path, None, 2.0)
    assert got.rate == DSD64 // 8  # FFmpeg's DSD decoders give 352.8 kHz
    y = load_audio(path, sr=22050, duration=2.0)
    assert y.size == 2 * 22050
    assert abs(pitch(y, 22050) - 1000.0) < 3
    assert 0.05 < np.abs(y).max() < 1.0


def test_an_excerpt_of_a_hi_res_file_of_unknown_length_keeps_only_the_window(tmp_path, monkeypatch):
    rate, seconds = 96000, 40
    path = tmp_path / "long.flac"
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=rate, layout="stereo")
        t = np.arange(rate * seconds) / rate
        data = np.stack([(0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)] * 2)
        for i in range(0, data.shape[1], 8192):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data[:, i : i + 8192]), format="fltp", layout="stereo")
            frame.sample_rate, frame.pts = rate, i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    whole = media._decode(path, None, None).samples
    monkeypatch.setattr(media, "_stream_seconds", lambda container, stream: None)  # a header without a length
    tracemalloc.start()
    try:
        got = media._decode(path, None, 4.0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    first = int(round(18.0 * rate))
    np.testing.assert_array_equal(got.samples, whole[first : first + 4 * rate])  # the middle 4 s, as before
    # the whole file's mono samples are 15 MB (and twice that while they were joined): the
    # window's 1.5 MB and a frame or two are all that may be held
    assert peak < 5_000_000, peak
