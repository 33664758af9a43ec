"""Audio files FFmpeg has no writer for, written byte by byte: a DSDIFF (.dff) that decodes,
and the headers of a Musepack, a TAK and an Ogg Speex file, which mutagen reads (its length
and tags) though their audio is no real stream. No sample files are kept in the repository."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

DSD_RATE = 2_822_400  # DSD64: 64 x 44.1 kHz, one bit a sample


def _chunk(ck_id: bytes, body: bytes) -> bytes:
    """A DSDIFF chunk: id, 64-bit big-endian size, body padded to an even length."""
    return ck_id + struct.pack(">Q", len(body)) + body + b"\0" * (len(body) % 2)


def write_dff(path: Path, signal: np.ndarray, channels: int = 2) -> Path:
    """``signal`` (floats in -1..1 at ``DSD_RATE``) as uncompressed DSD in a DSDIFF file, the
    same on each channel. The bits are a first-order sigma-delta modulator's: the running sum
    of the signal, each bit what its floor steps by (no loop: fast for millions of samples)."""
    level = np.cumsum((signal.astype(np.float64) + 1.0) / 2.0)
    bits = np.diff(np.floor(level), prepend=0.0).astype(np.uint8)
    packed = np.packbits(bits)  # most significant bit first, as DSDIFF stores them
    data = np.repeat(packed, channels)  # byte-interleaved: a byte of each channel in turn
    names = [b"SLFT", b"SRGT"] if channels == 2 else [b"C   "] * channels
    cmpr = b"DSD " + bytes([14]) + b"not compressed"
    prop = b"SND " + _chunk(b"FS  ", struct.pack(">I", DSD_RATE)) \
        + _chunk(b"CHNL", struct.pack(">H", channels) + b"".join(names)) + _chunk(b"CMPR", cmpr)
    body = b"DSD " + _chunk(b"FVER", struct.pack(">I", 0x01050000)) + _chunk(b"PROP", prop) \
        + _chunk(b"DSD ", data.tobytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_chunk(b"FRM8", body))
    return path


def _sv8_int(value: int) -> bytes:
    """Musepack SV8's variable-length integer: 7 bits a byte, the high bit "more follows"."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _sv8_packet(key: bytes, body: bytes) -> bytes:
    size = len(key) + len(body) + 1
    if size > 127:
        size += 1
    return key + _sv8_int(size) + body


def write_mpc_header(path: Path, seconds: float, version: int = 8) -> Path:
    """A Musepack stream header of ``seconds`` at 44.1 kHz, stereo: SV8 ("MPCK": stream header
    and ReplayGain packets) or SV7 ("MP+": 1152 samples a frame), no audio frames after it."""
    if version == 8:
        samples = int(seconds * 44100)
        sh = b"\0\0\0\0" + bytes([8]) + _sv8_int(samples) + _sv8_int(0) + bytes([0 << 5, (2 - 1) << 4 | 1])
        data = b"MPCK" + _sv8_packet(b"SH", sh) + _sv8_packet(b"RG", b"\1" + b"\0" * 8) + _sv8_packet(b"SE", b"")
    else:
        frames = int(round((seconds * 44100 + 576) / 1152))
        data = b"MP+" + bytes([0x07]) + struct.pack("<II", frames, 0) + b"\0" * 20
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def write_tak_header(path: Path, seconds: float, rate: int = 44100, channels: int = 2) -> Path:
    """A TAK file's "tBaK" and its STREAM_INFO block (fields packed from the low bit up, as
    mutagen reads them), then the END block: no frames."""
    fields = [(2, 6), (0, 4), (0, 4), (int(seconds * rate), 35), (0, 3), (rate - 6000, 18), (16 - 8, 5),
              (channels - 1, 4), (0, 1)]  # codec, profile, frame size, samples, format, rate, bits, channels
    value, shift = 0, 0
    for field, width in fields:
        value |= field << shift
        shift += width
    info = value.to_bytes(10, "little") + b"\0\0\0"  # and a CRC, which mutagen does not check
    block = bytes([1]) + struct.pack("<I", len(info))[:3] + info
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"tBaK" + block + b"\0\0\0\0")
    return path


def write_speex_header(path: Path, seconds: float, rate: int = 32000) -> Path:
    """An Ogg Speex stream's header and (empty) comment packets and a last page that says how
    long it is; its one audio packet is no real Speex frame."""
    from mutagen.ogg import OggPage

    header = b"Speex   " + b"1.2.1".ljust(20, b"\0") + struct.pack(
        "<IIIiiIiiiiI", 1, 80, rate, 2, 4, 1, -1, 640, 0, 1, 0) + b"\0" * 8
    comment = struct.pack("<I", 6) + b"recsys" + struct.pack("<I", 0)
    pages = []
    for sequence, (packet, position) in enumerate([(header, 0), (comment, 0), (b"\0" * 38, int(seconds * rate))]):
        page = OggPage()
        page.serial, page.sequence, page.position, page.packets = 0x5EED, sequence, position, [packet]
        page.first, page.last = sequence == 0, sequence == 2
        pages.append(page.write())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(pages))
    return path
