"""ID3v1's fields hold 30 bytes: a longer title or album is cut there, its file name keeps it whole.

An old ripper that wrote ID3v1 alone cut "Kuch Kuch Hota Hai (Sad Version)" to
"Kuch Kuch Hota Hai (Sad Versio" and named the file by the whole title: the cut title was shown
in every list, its open bracket was no version mark (so the song and its sad version were two
songs), and a seed "Kuch Kuch Hota Hai (Sad Version)" found it only by the fuzzy match. Where
a title or album of 29 or 30 characters is the file's ID3v1 field (no ID3v2 frame gave it) and
the start of the longer title its file name (or the album its folder) gives, that longer one is
the field's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from recsys.catalog.model import normalise_title
from recsys.labels import label_key

#: an ID3v1 field's bytes; a field that ended in a space was read one shorter
_FIELD = 30


#: where ID3v1's title and album fields lie in its 128 bytes
_TITLE, _ALBUM = slice(3, 33), slice(63, 93)


def _v1_fields(path: Path) -> tuple[str, str] | None:
    """The title and album of ``path``'s ID3v1 tag ("TAG" in its last 128 bytes), None without one."""
    try:
        with open(path, "rb") as fh:
            fh.seek(-128, os.SEEK_END)
            tag = fh.read(128)
    except OSError:
        return None
    if tag[:3] != b"TAG":
        return None
    return tuple(tag[f].split(b"\0")[0].decode("cp1252", "replace").strip() for f in (_TITLE, _ALBUM))  # type: ignore[return-value]


def cut_field(value: str, fuller: str) -> bool:
    """Whether ``value`` reads as ``fuller`` cut to an ID3v1 field: 29 or 30 characters, and
    ``fuller`` longer and begun by it (case, accents and punctuation aside)."""
    if not _FIELD - 1 <= len(value) <= _FIELD or len(fuller) <= len(value):
        return False
    head = normalise_title(value)
    return bool(head) and normalise_title(fuller).startswith(head)


#: "Artist - Title": the name an old P2P folder's files have
_ARTIST_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")


def _named_title(named: str, artist: str) -> str:
    """The title a file's name gives: after "Artist - " where the name begins with the tagged
    artist ("Ricky Martin - Livin' la Vida Loca (Spanglish)"), else the name whole."""
    parts = _ARTIST_DASH.split(named, maxsplit=1)
    if artist and len(parts) == 2 and label_key(parts[0]) == label_key(artist):
        return parts[1]
    return named


def whole_fields(path: Path, title: str, named_title: str, album: str, folder_album: str, artist: str = "") -> tuple[str, str]:
    """(title, album) with a field ID3v1 cut given whole by the file's name or folder: see the
    module. A file with an ID3v2 tag, or fields of other lengths, keeps them (its bytes are read
    only for a field of 29 or 30 characters), and an ID3v2 tag's own title is its tagger's. A
    name "Artist - Title" of the tagged artist gives the title after the dash: a Windows
    ripper's "Ricky Martin - Livin' la Vida Loca (Spanglish).mp3" kept the "Livin' la Vida Loca
    (Spanglish" ID3v1 cut, its bracket open."""
    named_title = _named_title(named_title, artist)
    title_cut, album_cut = cut_field(title, named_title), cut_field(album, folder_album)
    if not (title_cut or album_cut):
        return title, album
    # the value must be the ID3v1 field's (a converter's ID3v2 tag may hold nothing but its name:
    # mutagen then reads the fields from ID3v1)
    fields = _v1_fields(path)
    if fields is None:
        return title, album
    return (named_title if title_cut and fields[0] == title else title), \
        (folder_album if album_cut and fields[1] == album else album)
