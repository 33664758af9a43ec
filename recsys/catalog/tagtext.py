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

Japanese and Chinese tags from the same taggers hold Shift-JIS (Windows' code page 932) or GBK
bytes in the same Latin-1 frames: "雪のテーマ" arrives as "\x90á\x82Ì\x83e\x81[\x83}", which
the control-character rule then made "á Ì e [ }" (a real Japanese rip read so). Such text is
read back as Shift-JIS when that gives kana or kanji alone (a kana is the surest sign: no
Chinese or Latin text decodes to one), else as GBK when that gives only the common characters
of GB2312, else as Shift-JIS kanji alone (``_east_asian``). Latin-1 words rarely decode so: a
double-byte code needs its non-ASCII bytes in pairs, and an accented letter inside a Latin word
("Björk" as GBK is "Bj\u9c0ek") gives a character glued to ASCII letters, which is refused; the
Cyrillic rule above is tried first unless the text holds a byte no Cyrillic word has (a C1
control, "®", "³").

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
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        return text  # holds characters no Latin-1 frame can: not mojibake of a code page
    japanese = _east_asian(raw, "cp932", kana=True)
    if japanese is not None:
        return japanese
    cyrillic = _windows_1251_as_latin1(text)
    if cyrillic and _cyrillic_bytes(raw):
        return raw.decode("cp1251")
    east_asian = _east_asian(raw, "gbk", kana=False) or _east_asian(raw, "cp932", kana=False)
    if east_asian is not None:
        return east_asian
    # a byte no Cyrillic letter has ("©", "°", "·") only lets GBK and Shift-JIS go first:
    # where neither reads the text, it is Windows-1251 still ("Сплин · Би-2")
    if cyrillic:
        try:
            return raw.decode("cp1251")
        except UnicodeDecodeError:  # 0x98, which Windows-1251 leaves undefined
            pass
    return text


#: bytes of 0x80-0xBF that Windows-1251 gives Cyrillic text: Ё ё Ђ-џ's Serbian and Ukrainian
#: letters, № « » and the typographic quotes and dashes
_CYRILLIC_HIGH = frozenset(b"\x80\x81\x83\x8a\x8c\x8d\x8e\x8f\x90\x9a\x9c\x9d\x9e\x9f"
                           b"\xa1\xa2\xa3\xa5\xa8\xaa\xaf\xb2\xb3\xb4\xb8\xb9\xba\xbc\xbd\xbe\xbf"
                           b"\x84\x85\x91\x92\x93\x94\x96\x97\xab\xbb\xa0")


def _cyrillic_bytes(raw: bytes) -> bool:
    return all(b < 0x80 or b >= 0xC0 or b in _CYRILLIC_HIGH for b in raw)


def _east_asian(raw: bytes, codec: str, *, kana: bool) -> str | None:
    """``raw`` decoded with ``codec`` (cp932: Shift-JIS, gbk) where the result reads as
    Japanese or Chinese text: every non-ASCII character a kana, a CJK ideograph, CJK
    punctuation or a full-width form, two or more of them, none glued to an ASCII letter; with
    ``kana``, one kana at least; for GBK, only GB2312's characters (lead and trail bytes from
    0xA1), which everyday Chinese text keeps to and other bytes read as GBK seldom do."""
    if sum(b >= 0x80 for b in raw) < 4:
        return None
    if codec == "gbk" and not _gb2312_pairs(raw):
        return None
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        # an ID3v1 field (30 bytes; a v1.1 comment 28) cut inside a character's two bytes: the
        # name without its half character, as a player that reads the tag shows it
        if not (len(raw) in (28, 30) and exc.start == len(raw) - 1):
            return None
        try:
            text = raw[:-1].decode(codec)
        except UnicodeDecodeError:
            return None
    wide = [c for c in text if not c.isascii()]
    if len(wide) < 2 or not all(_cjk(c) for c in wide):
        return None
    if kana and not any("\u3040" <= c <= "\u30ff" for c in wide):
        return None
    for i, c in enumerate(text):  # "Bj\u9c0ek": an accented Latin word, not an ideograph
        if not c.isascii() and any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha() for j in (i - 1, i + 1)):
            return None
    return text


def _gb2312_pairs(raw: bytes) -> bool:
    i = 0
    while i < len(raw):
        if raw[i] < 0x80:
            i += 1
            continue
        if i + 1 >= len(raw):
            return len(raw) in (28, 30) and 0xA1 <= raw[i] <= 0xF7  # an ID3v1 field cut mid-character
        if not (0xA1 <= raw[i] <= 0xF7 and 0xA1 <= raw[i + 1] <= 0xFE):
            return False
        i += 2
    return True


def _cjk(c: str) -> bool:
    """A kana, a CJK ideograph, CJK punctuation or a full-width form (not the half-width
    katakana, which Latin-1 bytes from 0xA1 to 0xDF decode to in Shift-JIS)."""
    return ("\u3000" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"
            or "\uff01" <= c <= "\uff60")


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
