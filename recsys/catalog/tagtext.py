"""Tag text as the tagger meant it: UTF-8 that was stored as Latin-1 read back as UTF-8.

Old Windows taggers wrote UTF-8 bytes into ID3v2.3 frames marked Latin-1 (encoding 0), and some
programs did the same to Vorbis comments and MP4 atoms by decoding UTF-8 as Windows-1252
before writing it again. mutagen decodes what the frame says, so "Sigur Rós" arrives as
"Sigur RÃ³s" and "Café del Mar – Noël" as "CafÃ© del Mar â\\x80\\x93 NoÃ«l": shown in every
table, searched by nobody. The bytes come back exactly by encoding the text as Latin-1 (or
Windows-1252) again; they are taken as UTF-8 only when they decode as UTF-8. Real Latin-1 text
almost never does ("Motörhead", "Café" are not valid UTF-8), so it stays as it is.

Russian (and Ukrainian, Belarusian, Bulgarian, Serbian) tags written in Windows-1251 by
the taggers of their day, in ID3v1 or in ID3v2 frames marked Latin-1, arrive as "Êèíî" for
"Кино" and "Ãðóïïà êðîâè" for "Группа крови": every Cyrillic letter of Windows-1251 is a
Latin-1 letter from À to ÿ. Text whose every letter lies there, three or more of them, is read
back as Windows-1251. Real Latin-1 text is not like that: its words are mostly plain ASCII
letters with an accent here and there ("Motörhead", "ÉTÉ", "Ça"). Greek code pages, whose
letters overlap Latin-1 less neatly, are left alone.

Control characters are no part of a name (``visible``): a NUL that a tagger used as a value
separator in a Vorbis comment, a BEL, a terminal colour code ("\x1b[31m") pasted with the text.
The table's renderer drops them, so "Stage\x00Two" was shown as "StageTwo", and the JSON kept
them for every program downstream. Each becomes a space (a colour code goes whole).
"""

from __future__ import annotations

import re

#: an ANSI escape sequence (CSI: "\x1b[31m") whole, or any C0/C1 control character but none
_CONTROLS = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]")


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
    if _windows_1251_as_latin1(text):
        return text.encode("latin-1").decode("cp1251")
    return text


def visible(text: str) -> str:
    """``text`` with its control characters made spaces (runs of them one space) and ANSI
    colour codes removed; text without any is returned as it is."""
    if not _CONTROLS.search(text):
        return text
    return re.sub(r" {2,}", " ", _CONTROLS.sub(" ", text)).strip()


def _windows_1251_as_latin1(text: str) -> bool:
    """Every letter between À and ÿ (Windows-1251's А to я), at least three of them."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3 or not all("\u00c0" <= c <= "\u00ff" for c in letters):
        return False
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
