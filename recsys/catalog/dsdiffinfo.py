"""A DSDIFF (``.dff``) file's edited-master information (the ``DIIN`` chunk), which mutagen
does not read.

DSDIFF, Philips' file of SACD mastering, has no tag of its own but a ``DIIN`` chunk: ``DIAR``
the artist, ``DITI`` the title, ``EMID`` an id. What sacd_extract wrote into the tracks it
extracted from an SACD ISO, and what the mastering tools (Pyramix, Sonoma) and Korg's AudioGate
write; TagLib (foobar2000, MusicBee, JRiver) reads them. mutagen reads only the ``ID3 `` chunk
some programs add, so a ``.dff`` with a ``DIIN`` alone was titled by its file name and had no
artist: a shelf of "01 - Babylon Sisters.dff" under "Steely Dan - Gaucho (SACD) [DSD64]".

The chunks are walked here, a few small reads a file (the DSD data is seeked over). The
chunk's strings are counted (a 4-byte length first) and their code page unsaid: UTF-8 where
they decode so, else Latin-1, then repaired as every tag is (``tagtext``). ``dsdiff_info``
returns easy keys with lists of values, as ``riffinfo`` does: ``tagvalues.tag_values`` reads
any such mapping.
"""

from __future__ import annotations

import struct
from pathlib import Path

#: DIIN sub-chunk ids -> the easy key the reader asks for
_KEYS = {b"DIAR": "artist", b"DITI": "title"}
#: chunks walked before giving up (a damaged size field must not send the walk on for ever)
_MAX_CHUNKS = 64
#: a DIIN chunk larger than this is not edited-master information (a marker list is a few KB)
_MAX_DIIN = 256 * 1024


def _text(raw: bytes) -> str:
    raw = raw.split(b"\0", 1)[0]
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return raw.decode("latin-1").strip()


def _parse_diin(body: bytes) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    at = 0
    while at + 12 <= len(body):
        cid, size = body[at:at + 4], struct.unpack(">Q", body[at + 4:at + 12])[0]
        key = _KEYS.get(cid)
        if key is not None and size >= 4 and at + 16 <= len(body):
            count = struct.unpack(">I", body[at + 12:at + 16])[0]
            value = _text(body[at + 16:at + 16 + min(count, size - 4)])
            if value and key not in tags:
                tags[key] = [value]
        at += 12 + size + (size & 1)  # chunks are padded to an even length
    return tags


def dsdiff_info(path: Path) -> dict[str, list[str]]:
    """The file's DIIN artist and title as easy keys ("artist", "title"), or {} when it has
    none or is no DSDIFF file."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
            if len(header) < 16 or header[:4] != b"FRM8" or header[12:16] != b"DSD ":
                return {}
            for _ in range(_MAX_CHUNKS):
                head = fh.read(12)
                if len(head) < 12:
                    return {}
                cid, size = head[:4], struct.unpack(">Q", head[4:])[0]
                if cid == b"DIIN" and size <= _MAX_DIIN:
                    return _parse_diin(fh.read(size))
                fh.seek(size + (size & 1), 1)
    except (OSError, ValueError, OverflowError):  # unreadable, or a damaged size past any file
        return {}
    return {}
