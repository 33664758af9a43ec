"""A broadcast WAV's own tags: the AES46 ``cart`` chunk and the EBU ``bext`` chunk, which mutagen
does not read.

Radio playout systems keep their music and imaging as WAV files tagged for the station, not for
a player: Rivendell exports "012345_001.wav" (cart and cut numbers), ENCO DAD, Zetta, WideOrbit,
AudioVault, Myriad and Genesys write the CartChunk (AES46: ``cart``: Title, Artist, CutID,
Category, the intro and segue timers), and every Broadcast Wave File has EBU Tech 3285's
``bext`` (Description, Originator, OriginationDate, the coding history). Such a file often has
no ``LIST/INFO`` and no ID3 at all: read as any WAV, a station's music was titled "010123_001"
or "C12001" with no artist, its folder ("Rivendell") the artist of every song.

``broadcast_wav`` reads both chunks (a few small reads a file, the audio seeked over, as
``riffinfo`` walks the chunks) and ``broadcast_tags`` gives the reader easy keys ("title",
"artist") as ``riffinfo.riff_info`` does:

- the cart chunk's Title and Artist are the title and the artist;
- without a cart title, the bext Description is the title where it reads as one: one line, no
  field recorder's "sSCENE=...", "zTAKE=..." keys (Sound Devices', Zaxcom's), not a path
  ("C:\\Audio\\x.wav", what some editors put there). mAirList and Audition users write
  "Artist - Title" there: such a title tag is split as every title tag without an artist is
  (``folderlayout.names_give_artists``, when every file of its folder splits);
- the cart chunk's Category (Rivendell's group, "MUSIC", "LEGAL", "SWEEPERS", "TRAFFIC") is no
  genre (a station's own word, more often a rotation or a kind of cart than a style): it is
  kept as ``category`` for ``imaging``, which reads station imaging from it.

Fixed-width fields are ASCII by the standards, and padded with NULs or spaces; a byte that is
not ASCII is read as UTF-8 where it decodes so, else as Windows-1252 (the Windows systems').
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

#: chunks walked before giving up (a damaged size field must not send the walk on for ever)
_MAX_CHUNKS = 64
#: a cart or bext chunk larger than this is damaged: the tag text a system appends is small
_MAX_CHUNK = 256 * 1024
#: AES46 cart chunk: Version (4), then Title, Artist, CutID at 64 bytes each, ClientID,
#: Category: the offsets of the fields read here
_CART_FIELDS = {"title": (4, 64), "artist": (68, 64), "cut_id": (132, 64), "category": (260, 64)}
#: EBU Tech 3285 bext: Description (256), Originator (32)
_BEXT_FIELDS = {"description": (0, 256), "originator": (256, 32)}
#: a Description longer than this is notes, not a name
_MAX_DESCRIPTION = 160


@dataclass(frozen=True)
class BroadcastWav:
    """What a WAV's ``cart`` and ``bext`` chunks say; "" where a field is empty or absent."""

    title: str = ""
    artist: str = ""
    cut_id: str = ""
    #: the cart chunk's Category: a playout system's group ("MUSIC", "LEGAL", "SWEEPERS")
    category: str = ""
    #: the bext chunk's Description and Originator (the software or the station that wrote it)
    description: str = ""
    originator: str = ""


def _field(body: bytes, at: int, size: int) -> str:
    raw = body[at:at + size].split(b"\0", 1)[0]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    return " ".join(text.split())


def _fields(body: bytes, layout: dict[str, tuple[int, int]]) -> dict[str, str]:
    return {name: _field(body, at, size) for name, (at, size) in layout.items()}


def broadcast_wav(path: Path) -> BroadcastWav | None:
    """The file's cart and bext fields, or None when it has neither chunk or is no RIFF WAVE
    file (an RF64 file's sizes are elsewhere: its chunks after the audio are not walked)."""
    found: dict[str, str] = {}
    try:
        with open(path, "rb") as fh:
            header = fh.read(12)
            if len(header) < 12 or header[:4] not in (b"RIFF", b"RF64") or header[8:12] != b"WAVE":
                return None
            for _ in range(_MAX_CHUNKS):
                head = fh.read(8)
                if len(head) < 8:
                    break
                cid, size = head[:4], struct.unpack("<I", head[4:])[0]
                if cid in (b"cart", b"bext") and size <= _MAX_CHUNK:
                    body = fh.read(size + (size & 1))
                    layout = _CART_FIELDS if cid == b"cart" else _BEXT_FIELDS
                    for name, value in _fields(body, layout).items():
                        found.setdefault(name, value)
                    continue
                if cid == b"data" and size == 0xFFFFFFFF:  # RF64's: the real size is elsewhere
                    break
                fh.seek(size + (size & 1), 1)
    except OSError:
        return None
    return BroadcastWav(**found) if found else None


def _named_description(description: str) -> str:
    """The bext Description where it reads as a name, else ""."""
    if not description or len(description) > _MAX_DESCRIPTION:
        return ""
    if "=" in description or "\\" in description or description.startswith("/"):
        return ""  # a field recorder's "sSPEED=...", a path
    return description


def broadcast_tags(path: Path) -> tuple[dict[str, list[str]], str]:
    """Easy keys ("title", "artist") from the file's cart chunk, else its bext Description as
    the title, and the cart chunk's Category ("" where there is none). ({}, "") for a file
    with neither chunk."""
    wav = broadcast_wav(path)
    if wav is None:
        return {}, ""
    tags: dict[str, list[str]] = {}
    title = wav.title or _named_description(wav.description)
    if title:
        tags["title"] = [title]
    if wav.artist:
        tags["artist"] = [wav.artist]
    return tags, wav.category
