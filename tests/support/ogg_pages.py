"""Rewriting an Ogg Vorbis file page by page, to make the valid-but-odd files real libraries hold."""

from __future__ import annotations

import struct
from pathlib import Path


def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        r = i << 24
        for _ in range(8):
            r = ((r << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if r & 0x80000000 else (r << 1) & 0xFFFFFFFF
        table.append(r)
    return table


_CRC = _crc_table()


def _crc(data: bytes) -> int:
    c = 0
    for b in data:
        c = ((c << 8) & 0xFFFFFFFF) ^ _CRC[((c >> 24) & 0xFF) ^ b]
    return c


def _pages(data: bytes) -> list[list]:
    """[header type, granule, serial, sequence, segment table, body] per page."""
    pos, pages = 0, []
    while pos < len(data):
        assert data[pos:pos + 4] == b"OggS"
        htype, granule, serial, seq, _, nseg = struct.unpack("<BqIIIB", data[pos + 5:pos + 27])
        segs = data[pos + 27:pos + 27 + nseg]
        body = data[pos + 27 + nseg:pos + 27 + nseg + sum(segs)]
        pages.append([htype, granule, serial, seq, bytes(segs), body])
        pos += 27 + nseg + sum(segs)
    return pages


def _page(htype: int, granule: int, serial: int, seq: int, segs: bytes, body: bytes) -> bytes:
    head = b"OggS" + struct.pack("<BBqIIIB", 0, htype, granule, serial, seq, 0, len(segs)) + segs
    return head[:22] + struct.pack("<I", _crc(head + body)) + head[26:] + body


def repeat_vorbis_headers(path: Path) -> None:
    """Insert a second copy of the three Vorbis header packets as a page of their own (granule
    -104) right after the headers, as Debian's hyperrogue-music hr-savino-ocean.ogg has: FFmpeg
    refuses the file ("Header processing failed"), libvorbis and libsndfile play it."""
    pages = _pages(path.read_bytes())
    heads: list[bytes] = []
    current = b""
    end = 0
    for end, page in enumerate(pages):
        offset = 0
        for size in page[4]:
            current += page[5][offset:offset + size]
            offset += size
            if size < 255:
                heads.append(current)
                current = b""
        if len(heads) >= 3:
            break
    heads = heads[:3]
    lacing = b"".join(bytes([255] * (len(p) // 255) + [len(p) % 255]) for p in heads)
    out = pages[:end + 1] + [[0, -104, pages[0][2], end + 1, lacing, b"".join(heads)]]
    for page in pages[end + 1:]:
        page[3] += 1
        out.append(page)
    path.write_bytes(b"".join(_page(*p) for p in out))
