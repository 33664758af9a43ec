"""A WAV file's RIFF ``LIST/INFO`` tags, which mutagen does not read.

Audacity's export, Windows' file properties, Sound Forge, Adobe Audition and most sound-effect
libraries tag a WAV with a ``LIST`` chunk of type ``INFO``: ``INAM`` the title, ``IART`` the
artist, ``IPRD`` the album (the "product"), ``IGNR`` the genre, ``ICRD`` the date, ``ITRK`` (or
``IPRT``) the track number, ``IMUS`` the composer. mutagen reads a WAV's ID3
chunk alone, so such a file was titled by its name and had no artist, album or genre. FFmpeg
reads them, but opening every WAV with it costs a few milliseconds a file, and a sample pack
holds thousands: the chunks are walked here instead, a few small reads a file (the audio
itself is seeked over).

Values are UTF-8 where they decode so (Audacity), else Windows-1252 (the Windows tools), then
repaired as every tag is (``tagtext``). ``riff_info`` returns easy keys with lists of values,
as ``matroska`` does: ``tagvalues.tag_values`` reads any such mapping.
"""

from __future__ import annotations

import struct
from pathlib import Path

from recsys.catalog.tagtext import repaired

#: INFO chunk ids -> the easy key the reader asks for
_KEYS = {
    b"INAM": "title", b"IART": "artist", b"IPRD": "album", b"IGNR": "genre", b"ICRD": "date",
    b"ITRK": "tracknumber", b"IPRT": "tracknumber", b"IMUS": "composer",
}
#: chunks walked before giving up (a damaged size field must not send the walk on for ever)
_MAX_CHUNKS = 64
#: an INFO list larger than this is not tags
_MAX_INFO = 64 * 1024


def _text(raw: bytes) -> str:
    raw = raw.split(b"\0", 1)[0]
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        pass
    # a Japanese, Chinese, Korean or Russian Windows' code page: its bytes as a Latin-1 frame
    # holds them, which ``tag_values`` reads back (``tagtext.repaired``, with the file's other
    # names). Read as Windows-1252, Shift-JIS's lead bytes (0x81-0x9F) became "‚", "ƒ" or
    # U+FFFD, and no code page could be read back from them
    latin = raw.decode("latin-1").strip()
    if repaired(latin) != latin:
        return latin
    return raw.decode("cp1252", "replace").strip()


def _parse_info(body: bytes) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    at = 0
    while at + 8 <= len(body):
        cid, size = body[at:at + 4], struct.unpack("<I", body[at + 4:at + 8])[0]
        value = _text(body[at + 8:at + 8 + size])
        key = _KEYS.get(cid)
        if key is not None and value and key not in tags:
            tags[key] = [value]
        at += 8 + size + (size & 1)  # chunks are word-aligned
    return tags


def riff_info(path: Path) -> dict[str, list[str]]:
    """The file's INFO tags as easy keys ("title", "artist", "album"...), or {} when it has
    none or is no RIFF WAVE file."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(12)
            if len(header) < 12 or header[:4] not in (b"RIFF", b"RF64") or header[8:12] != b"WAVE":
                return {}
            for _ in range(_MAX_CHUNKS):
                head = fh.read(8)
                if len(head) < 8:
                    return {}
                cid, size = head[:4], struct.unpack("<I", head[4:])[0]
                if cid == b"LIST" and 4 <= size <= _MAX_INFO:
                    body = fh.read(size + (size & 1))
                    if body[:4] == b"INFO":
                        return _parse_info(body[4:size])
                    continue
                if cid == b"data" and size == 0xFFFFFFFF:  # RF64's: the real size is elsewhere
                    return {}
                fh.seek(size + (size & 1), 1)
    except OSError:
        return {}
    return {}
