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

``audio_file_keys`` gives the whole file's sha256 (``file_digest``'s) and the sound's key from
one read, front to back: an ingest needs both for a new file (the sync's content key, the
cache's key), and reading a 100k-file library twice over is an hour more of a laptop's disk.
The rules only ever skip forward; the few bytes they look at out of order (an MP3's trailing
ID3v1 / APEv2 tags, the first 12 bytes) are peeked without moving the read.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

from recsys.catalog.model import open_regular

#: the key's prefix: never equal to a whole-file sha256, and changed if these rules change
PREFIX = "sound1:"
#: ``file_digest``'s marker for a file that cannot be read
UNREADABLE = "unreadable"
_CHUNK = 1 << 20


class _OneRead:
    """A file read once, front to back, up to the size it had when opened (a growing file never
    keeps the read going): every byte read or skipped goes into ``whole`` (when kept), so the
    whole file's sha256 comes with the sound's. ``peek`` reads a few bytes anywhere and puts
    the position back."""

    def __init__(self, fh, size: int, whole: "hashlib._Hash | None") -> None:
        self._fh, self.size, self._whole, self.pos = fh, size, whole, 0

    def read(self, n: int) -> bytes:
        data = self._fh.read(max(0, min(n, self.size - self.pos)))
        if self._whole is not None:
            self._whole.update(data)
        self.pos += len(data)
        return data

    def skip(self, n: int) -> bool:
        """Pass over ``n`` bytes (hashed into ``whole`` all the same); False when the file ends first."""
        if self._whole is None:  # no whole-file hash to feed: a seek does
            target = min(self.pos + n, self.size)
            self._fh.seek(target)
            ok, self.pos = self.pos + n <= self.size, target
            return ok
        while n > 0:
            chunk = self.read(min(n, _CHUNK))
            if not chunk:
                return False
            n -= len(chunk)
        return True

    def peek(self, offset: int, n: int) -> bytes:
        self._fh.seek(max(offset, 0))
        data = self._fh.read(max(0, min(n, self.size - max(offset, 0))))
        self._fh.seek(self.pos)
        return data

    def finish(self) -> None:
        """Read what is left, for the whole file's hash."""
        if self._whole is not None:
            while self.read(_CHUNK):
                pass


def audio_file_keys(path: Path) -> tuple[str, str | None]:
    """(the whole file's sha256 as ``file_digest`` gives it, the sound's key or None), from one
    read of ``path``."""
    return _keys(path, whole=True)  # type: ignore[return-value]


def audio_stream_key(path: Path) -> str | None:
    """The hash of the sound in ``path`` without its tags, or None (unknown format, unreadable
    or malformed: key the whole file)."""
    return _keys(path, whole=False)[1]


def _keys(path: Path, whole: bool) -> tuple[str | None, str | None]:
    whole_hash = hashlib.sha256() if whole else None
    try:
        with open_regular(path) as fh:
            reader = _OneRead(fh, os.fstat(fh.fileno()).st_size, whole_hash)
            sound = hashlib.sha256()
            try:
                ok = _walk(reader, sound)
            except (ValueError, struct.error):
                ok = False
            reader.finish()
    except (OSError, ValueError):
        return (UNREADABLE if whole else None), None
    return (whole_hash.hexdigest() if whole_hash is not None else None), (PREFIX + sound.hexdigest() if ok else None)


def _walk(fh: _OneRead, h: "hashlib._Hash") -> bool:
    head = fh.peek(0, 12)
    if head[:4] == b"fLaC":
        return _flac(fh, h)
    if head[:4] == b"OggS":
        return _ogg(fh, h)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return _iff(fh, h, "<", {b"fmt ", b"data"})
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return _iff(fh, h, ">", {b"COMM", b"SSND"})
    if head[:3] == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return _mp3(fh, h)
    return False


def _copy(fh: _OneRead, h: "hashlib._Hash", n: int) -> bool:
    """Hash the next ``n`` bytes; False when the file ends first."""
    while n > 0:
        chunk = fh.read(min(n, _CHUNK))
        if not chunk:
            return False
        h.update(chunk)
        n -= len(chunk)
    return True


def _flac(fh: _OneRead, h: "hashlib._Hash") -> bool:
    fh.skip(4)
    while True:
        header = fh.read(4)
        if len(header) < 4:
            return False
        last, kind, size = header[0] & 0x80, header[0] & 0x7F, int.from_bytes(header[1:4], "big")
        if kind == 0:  # STREAMINFO
            if not _copy(fh, h, size):
                return False
        else:
            fh.skip(size)
        if last:
            break
    while chunk := fh.read(_CHUNK):  # the frames, to the end of the file
        h.update(chunk)
    return True


def _ogg(fh: _OneRead, h: "hashlib._Hash") -> bool:
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
            fh.skip(size)
        first = False


def _iff(fh: _OneRead, h: "hashlib._Hash", order: str, keep: set[bytes]) -> bool:
    fh.skip(12)
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
            fh.skip(size)
        if size % 2:
            fh.skip(1)


def _mp3(fh: _OneRead, h: "hashlib._Hash") -> bool:
    end, start = fh.size, 0
    head = fh.peek(0, 10)
    if head[:3] == b"ID3" and len(head) == 10:
        size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)  # synchsafe
        start = 10 + size + (10 if head[5] & 0x10 else 0)
    if fh.peek(end - 128, 3) == b"TAG":
        end -= 128
    if end >= 32:
        footer = fh.peek(end - 32, 32)
        if footer[:8] == b"APETAGEX":
            end -= struct.unpack_from("<I", footer, 12)[0] + (32 if struct.unpack_from("<I", footer, 20)[0] & 0x80000000 else 0)
    if end <= start:
        return False
    fh.skip(start)
    return _copy(fh, h, end - start)
