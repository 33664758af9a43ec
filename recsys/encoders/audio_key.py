"""What the audio embedding cache knows a file by: its sound, not its tags.

A tagger that changes a genre, adds a cover or lyrics rewrites the file, so its sha256 changes
although not one sample did; keyed on the whole file, the audio of every retagged track was
decoded and encoded again. ``audio_stream_key`` hashes only what holds the sound:

- FLAC: the STREAMINFO block and the frames (VORBIS_COMMENT, PICTURE, PADDING... skipped);
- MP3: the bytes between an ID3v2 tag (with its footer) and an ID3v1 / APEv2 tag at the end;
- Ogg (Vorbis, Opus, FLAC in Ogg): the first page's body (the codec's parameters) and the body
  and granule position of every page on which an audio packet ends (the comment header's pages
  end at granule 0, or at -1 while a long comment such as an embedded cover goes on);
- WAV / AIFF: the ``fmt `` / ``COMM`` and ``data`` / ``SSND`` chunks (LIST, id3 ... skipped).

Any other file, or one these rules cannot walk, gives None: the caller keys it on the whole
file, as before. A different key for the same sound only costs an encode; the same key for a
different sound cannot come from these rules (every byte of the sound is hashed).
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path
from typing import BinaryIO

from recsys.catalog.model import open_regular

#: the key's prefix: never equal to a whole-file sha256, and changed if these rules change
PREFIX = "sound1:"
_CHUNK = 1 << 20


def audio_stream_key(path: Path) -> str | None:
    """The hash of the sound in ``path`` without its tags, or None (unknown format, unreadable
    or malformed: key the whole file)."""
    try:
        with open_regular(path) as fh:
            head = fh.read(12)
            fh.seek(0)
            h = hashlib.sha256()
            if head[:4] == b"fLaC":
                ok = _flac(fh, h)
            elif head[:4] == b"OggS":
                ok = _ogg(fh, h)
            elif head[:4] == b"RIFF" and head[8:12] == b"WAVE":
                ok = _iff(fh, h, "<", {b"fmt ", b"data"})
            elif head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
                ok = _iff(fh, h, ">", {b"COMM", b"SSND"})
            elif head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
                ok = _mp3(fh, h)
            else:
                ok = False
    except (OSError, ValueError, struct.error):
        return None
    return PREFIX + h.hexdigest() if ok else None


def _copy(fh: BinaryIO, h: "hashlib._Hash", n: int) -> bool:
    """Hash the next ``n`` bytes; False when the file ends first."""
    while n > 0:
        chunk = fh.read(min(n, _CHUNK))
        if not chunk:
            return False
        h.update(chunk)
        n -= len(chunk)
    return True


def _flac(fh: BinaryIO, h: "hashlib._Hash") -> bool:
    fh.seek(4)
    while True:
        header = fh.read(4)
        if len(header) < 4:
            return False
        last, kind, size = header[0] & 0x80, header[0] & 0x7F, int.from_bytes(header[1:4], "big")
        if kind == 0:  # STREAMINFO
            if not _copy(fh, h, size):
                return False
        else:
            fh.seek(size, 1)
        if last:
            break
    while chunk := fh.read(_CHUNK):  # the frames, to the end of the file
        h.update(chunk)
    return True


def _ogg(fh: BinaryIO, h: "hashlib._Hash") -> bool:
    first = True
    while True:
        header = fh.read(27)
        if not header:
            return not first
        if len(header) < 27 or header[:4] != b"OggS":
            return False
        granule = struct.unpack_from("<q", header, 6)[0]
        lacing = fh.read(header[26])
        if len(lacing) < header[26]:
            return False
        size = sum(lacing)
        if first or granule not in (0, -1):
            h.update(struct.pack("<q", granule))
            if not _copy(fh, h, size):
                return False
        else:
            fh.seek(size, 1)
        first = False


def _iff(fh: BinaryIO, h: "hashlib._Hash", order: str, keep: set[bytes]) -> bool:
    fh.seek(12)
    found = 0
    while True:
        header = fh.read(8)
        if len(header) < 8:
            return found > 0
        cid, size = header[:4], struct.unpack(order + "I", header[4:])[0]
        if cid in keep:
            h.update(cid)
            if not _copy(fh, h, size):
                return found > 0  # a cut data chunk: what is there is the sound
            found += 1
        else:
            fh.seek(size, 1)
        if size % 2:
            fh.seek(1, 1)


def _mp3(fh: BinaryIO, h: "hashlib._Hash") -> bool:
    end = fh.seek(0, 2)
    start = 0
    fh.seek(0)
    head = fh.read(10)
    if head[:3] == b"ID3":
        size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)  # synchsafe
        start = 10 + size + (10 if head[5] & 0x10 else 0)
    fh.seek(max(end - 128, 0))
    if fh.read(3) == b"TAG":
        end -= 128
    if end >= 32:
        fh.seek(end - 32)
        footer = fh.read(32)
        if footer[:8] == b"APETAGEX":
            end -= struct.unpack_from("<I", footer, 12)[0] + (32 if struct.unpack_from("<I", footer, 20)[0] & 0x80000000 else 0)
    if end <= start:
        return False
    fh.seek(start)
    return _copy(fh, h, end - start)
