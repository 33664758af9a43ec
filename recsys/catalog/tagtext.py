"""Tag text as the tagger meant it: UTF-8 that was stored as Latin-1 read back as UTF-8.

Old Windows taggers wrote UTF-8 bytes into ID3v2.3 frames marked Latin-1 (encoding 0), and some
programs did the same to Vorbis comments and MP4 atoms by decoding UTF-8 as Windows-1252
before writing it again. mutagen decodes what the frame says, so "Sigur Rós" arrives as
"Sigur RÃ³s" and "Café del Mar – Noël" as "CafÃ© del Mar â\\x80\\x93 NoÃ«l": shown in every
table, searched by nobody. The bytes come back exactly by encoding the text as Latin-1 (or
Windows-1252) again; they are taken as UTF-8 only when they decode as UTF-8. Real Latin-1 text
almost never does ("Motörhead", "Café" are not valid UTF-8), so it stays as it is.

ID3v1 tags in a Cyrillic or Greek code page ("Êèíî" for "Кино") cannot be told from real
Latin-1 text by their bytes: they are left alone.
"""

from __future__ import annotations


def repaired(text: str) -> str:
    """``text`` with UTF-8 mojibake undone; any other text unchanged."""
    if text.isascii():
        return text
    for codec in ("latin-1", "cp1252"):
        try:
            fixed = text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text:
            return fixed
    return text
