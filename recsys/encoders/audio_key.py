"""What the audio embedding cache knows a file by: its sound, not its tags.

A tagger that changes a genre, adds a cover or lyrics rewrites the file, so its sha256 changes
although not one sample did; keyed on the whole file, the audio of every retagged track was
decoded and encoded again. ``audio_stream_key`` hashes only what holds the sound:

- FLAC: the STREAMINFO block and the frames (VORBIS_COMMENT, PICTURE, PADDING... skipped);
- MP3: the bytes between an ID3v2 tag (with its footer) and an ID3v1 / APEv2 tag at the end;
- Ogg (Vorbis, Opus, FLAC in Ogg): the first page's body (the codec's parameters) and the body
  and granule position of every page on which an audio packet ends (the comment header's pages
  end at granule 0, or at -1 while a long comment such as an embedded cover goes on);
- WAV / AIFF: the ``fmt `` / ``COMM`` and ``data`` / ``SSND`` chunks (LIST, id3 ... skipped);
- MP4 (.m4a, iTunes' and Apple Music's files; .m4b, .m4r, stem files): every ``mdat`` box's
  bytes and each track's sample tables (``stbl``, ``mdhd``'s time scale and duration), the
  chunk offsets taken as places in the ``mdat`` boxes: a tagger that grows ``moov`` moves the
  ``mdat`` after it and rewrites every offset, not one sample (``udta``, ``free``, ``ftyp``,
  ``mvhd`` and ``tkhd`` skipped). A fragmented file (``moof``) has no key;
- WavPack, Monkey's Audio, TTA, TAK and Musepack: the bytes between an ID3v2 tag at the start
  and an APEv2 / ID3v1 tag at the end, as an MP3's;
- DSF: the ``fmt `` and ``data`` chunks (the ID3v2 tag its header points to, at the end, skipped);
- WMA (ASF): the header's stream properties objects and the data object (the content
  descriptions, the file properties a retag rewrites and the index after the data skipped);
- Matroska and WebM (.mka, .webm: yt-dlp's downloads): the Tracks element and every Cluster
  (Info, Tags, Chapters, Attachments such as the cover, and the SeekHead and Cues that hold
  positions skipped): a retag, a chapter retitled or a remux with other tags keeps the key.
  An element of unknown size (a live stream's) gives none.

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
import uuid
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
    if head[:4] in _APE_TAGGED or head[:3] == b"MP+":
        return _mp3(fh, h)  # their tags are an MP3's: APEv2 / ID3v1 at the end
    if head[4:8] == b"ftyp":
        return _mp4(fh, h)
    if head[:4] == _EBML:
        return _matroska(fh, h)
    if fh.peek(0, 16) == _ASF_HEADER:
        return _asf(fh, h)
    if head[:4] == b"DSD " and len(head) == 12 and struct.unpack_from("<Q", head, 4)[0] == 28:
        return _dsf(fh, h)
    return False


#: ASF's object ids (their GUIDs as the file holds them): the header, a stream's properties, the data
_ASF_HEADER = uuid.UUID("75B22630-668E-11CF-A6D9-00AA0062CE6C").bytes_le
_ASF_STREAM = uuid.UUID("B7DC0791-A9B7-11CF-8EE6-00C00C205365").bytes_le
_ASF_DATA = uuid.UUID("75B22636-668E-11CF-A6D9-00AA0062CE6C").bytes_le

#: Matroska's element ids: the EBML header, the Segment, its Tracks, a Cluster
_EBML, _SEGMENT = b"\x1a\x45\xdf\xa3", b"\x18\x53\x80\x67"
_TRACKS, _CLUSTER = b"\x16\x54\xae\x6b", b"\x1f\x43\xb6\x75"

#: a TrackEntry, and what in one is no part of the sound: a muxer draws its UID at random
#: (FFmpeg does, each remux), its name and language are tags
_TRACK_ENTRY = b"\xae"
_TRACK_NOT_SOUND = frozenset((b"\x73\xc5", b"\x53\x6e", b"\x22\xb5\x9c", b"\x22\xb5\x9d"))

#: the first bytes of WavPack, Monkey's Audio, TTA, TAK and Musepack (SV8) files
_APE_TAGGED = (b"wvpk", b"MAC ", b"TTA1", b"tBaK", b"MPCK")


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


def _dsf(fh: _OneRead, h: "hashlib._Hash") -> bool:
    """The ``fmt `` and ``data`` chunks of a DSF file (sizes in 64 bits, with their header)."""
    fh.skip(28)  # the DSD chunk: the file's size and where its ID3v2 tag is, both a tag's to change
    for kind in (b"fmt ", b"data"):
        header = fh.read(12)
        if len(header) < 12 or header[:4] != kind:
            return False
        size = struct.unpack_from("<Q", header, 4)[0]
        h.update(header)
        if size < 12 or not _copy(fh, h, size - 12):
            return False
    return True


#: a ``moov`` box larger than this is read no further (its tables of a 10-hour file and a large
#: cover are a few MB): a corrupt size would read the rest of the file into memory
_MAX_MOOV = 64 << 20


def _mp4(fh: _OneRead, h: "hashlib._Hash") -> bool:
    """An MP4's sound (module docstring): the ``mdat`` boxes hashed as they pass, ``moov``'s
    tracks parsed from memory, wherever each lies; the offsets placed once both are known."""
    data = hashlib.sha256()
    mdats: list[tuple[int, int]] = []  # (where the box's bytes start in the file, how many)
    tracks: list[tuple[bytes, list[int]]] | None = None
    while fh.pos < fh.size:
        header = fh.read(8)
        if len(header) < 8:
            return False
        size, kind = struct.unpack(">I4s", header)
        if size == 1:
            large = fh.read(8)
            if len(large) < 8:
                return False
            size, head = struct.unpack(">Q", large)[0], 16
        else:
            size, head = (fh.size - fh.pos + 8 if size == 0 else size), 8
        if size < head:
            return False
        body = size - head
        if kind == b"mdat":
            mdats.append((fh.pos, body))
            if not _copy(fh, data, body):
                return False
        elif kind == b"moov":
            if body > _MAX_MOOV:
                return False
            raw = fh.read(body)
            if tracks is not None or len(raw) < body:
                return False
            tracks = _mp4_tracks(raw)
            if tracks is None:
                return False
        elif kind == b"moof":
            return False  # a fragmented file: its tables are in the fragments
        elif not fh.skip(body):
            return False
    if not tracks or not mdats:
        return False
    for tables, offsets in tracks:
        h.update(struct.pack(">I", len(tables)))
        h.update(tables)
        for offset in offsets:
            place = next(((i, offset - start) for i, (start, n) in enumerate(mdats) if start <= offset <= start + n), None)
            if place is None:
                return False
            h.update(struct.pack(">IQ", *place))
    h.update(data.digest())
    return True


def _boxes(buf: bytes) -> list[tuple[bytes, bytes]] | None:
    """The (type, body) of each box in ``buf``; None when they do not fill it exactly."""
    out, pos = [], 0
    while pos < len(buf):
        if pos + 8 > len(buf):
            return None
        size, kind = struct.unpack_from(">I4s", buf, pos)
        head = 8
        if size == 1:
            if pos + 16 > len(buf):
                return None
            size, head = struct.unpack_from(">Q", buf, pos + 8)[0], 16
        if size < head or pos + size > len(buf):
            return None
        out.append((kind, buf[pos + head:pos + size]))
        pos += size
    return out


def _child(boxes: list[tuple[bytes, bytes]] | None, kind: bytes) -> bytes | None:
    return next((body for k, body in boxes or () if k == kind), None)


def _mp4_tracks(moov: bytes) -> list[tuple[bytes, list[int]]] | None:
    """Per ``trak``: (its time scale and duration, then its sample tables without the chunk
    offsets' values; those offsets), or None when a track lacks its tables."""
    children = _boxes(moov)
    if children is None:
        return None
    out = []
    for kind, trak in children:
        if kind != b"trak":
            continue
        mdia = _boxes(_child(_boxes(trak), b"mdia") or b"")
        mdhd, minf = _child(mdia, b"mdhd"), _child(mdia, b"minf")
        stbl = _boxes(_child(_boxes(minf or b""), b"stbl") or b"")
        if not mdhd or not stbl:
            return None
        # version 0: 4-byte times, time scale, 4-byte duration; version 1: 8-byte ones
        tables = [mdhd[12:20] if mdhd[0] == 0 else mdhd[20:32]]
        offsets: list[int] = []
        for kind_, body in stbl:
            if kind_ in (b"stco", b"co64"):
                count = struct.unpack_from(">I", body, 4)[0]
                width = "I" if kind_ == b"stco" else "Q"
                offsets += struct.unpack_from(f">{count}{width}", body, 8)
                tables.append(kind_ + struct.pack(">I", count))
            else:
                tables.append(kind_ + struct.pack(">I", len(body)) + body)
        out.append((b"".join(tables), offsets))
    return out


def _asf(fh: _OneRead, h: "hashlib._Hash") -> bool:
    """A WMA's stream properties (the codec's parameters) and its data object."""
    head = fh.read(30)  # the header object: its id, its size, how many objects, two reserved bytes
    if len(head) < 30:
        return False
    end, streams = struct.unpack_from("<Q", head, 16)[0], 0
    while fh.pos + 24 <= end:
        obj = fh.read(24)
        size = struct.unpack_from("<Q", obj, 16)[0]
        if size < 24 or fh.pos - 24 + size > end:
            return False
        if obj[:16] == _ASF_STREAM:
            h.update(obj)
            if not _copy(fh, h, size - 24):
                return False
            streams += 1
        elif not fh.skip(size - 24):
            return False
    obj = fh.read(24)
    if fh.pos != end + 24 or not streams or obj[:16] != _ASF_DATA:
        return False
    size = struct.unpack_from("<Q", obj, 16)[0]
    h.update(obj[:16])
    return size >= 24 and _copy(fh, h, size - 24)


def _ebml_id(fh: _OneRead) -> bytes | None:
    """An element id as it is written (1 to 4 bytes, its length in its first byte's leading
    zeros), or None at the end or for no id."""
    first = fh.read(1)
    if not first or first[0] < 0x10:
        return None
    rest = fh.read(8 - first[0].bit_length())
    return first + rest if len(rest) == 8 - first[0].bit_length() else None


def _ebml_size(fh: _OneRead) -> int | None:
    """An element's size (1 to 8 bytes, the length marker taken off); -1 for "unknown", None
    for none."""
    first = fh.read(1)
    if not first or first[0] == 0:
        return None
    n = 9 - first[0].bit_length()
    rest = fh.read(n - 1)
    if len(rest) < n - 1:
        return None
    value = first[0] & ((1 << (8 - n)) - 1)
    for byte in rest:
        value = value << 8 | byte
    return -1 if value == (1 << (7 * n)) - 1 else value


def _matroska(fh: _OneRead, h: "hashlib._Hash") -> bool:
    """A Matroska or WebM file's Tracks and Clusters (module docstring)."""
    if _ebml_id(fh) != _EBML:
        return False
    size = _ebml_size(fh)
    if size is None or size < 0 or not fh.skip(size) or _ebml_id(fh) != _SEGMENT:
        return False
    size = _ebml_size(fh)
    if size is None:
        return False
    end = fh.size if size < 0 else min(fh.size, fh.pos + size)
    tracks = clusters = 0
    while fh.pos < end:
        eid, size = _ebml_id(fh), _ebml_size(fh)
        if eid is None or size is None or size < 0:
            return False
        if eid == _TRACKS:
            body = fh.read(size)
            entries = _track_entries(body) if len(body) == size else None
            if entries is None:
                return False
            h.update(eid + entries)
            tracks += 1
        elif eid == _CLUSTER:
            h.update(eid + size.to_bytes(8, "big"))
            if not _copy(fh, h, size):
                return False
            clusters += 1
        elif not fh.skip(size):
            return False
    return tracks == 1 and clusters > 0


def _ebml_children(buf: bytes) -> list[tuple[bytes, bytes]] | None:
    """The (id, body) of each element in ``buf``; None when they do not fill it exactly."""
    out, pos = [], 0
    while pos < len(buf):
        first = buf[pos]
        if first < 0x10:
            return None
        n = 9 - first.bit_length()
        eid, pos = buf[pos:pos + n], pos + n
        if pos >= len(buf) or buf[pos] == 0:
            return None
        m = 9 - buf[pos].bit_length()
        size = int.from_bytes(buf[pos:pos + m], "big") & ((1 << (7 * m)) - 1)
        pos += m
        if len(eid) < n or pos + size > len(buf):
            return None
        out.append((eid, buf[pos:pos + size]))
        pos += size
    return out


def _track_entries(body: bytes) -> bytes | None:
    """The Tracks element's entries as hashed: each TrackEntry's elements but its UID, name
    and language, in order."""
    entries = _ebml_children(body)
    if entries is None:
        return None
    out = bytearray()
    for eid, entry in entries:
        if eid != _TRACK_ENTRY:
            continue
        children = _ebml_children(entry)
        if children is None:
            return None
        for cid, value in children:
            if cid not in _TRACK_NOT_SOUND:
                out += cid + len(value).to_bytes(8, "big") + value
        out += b"\0"
    return bytes(out)
