"""Tag text as the tagger meant it: UTF-8 or a code page that was stored as Latin-1 read back.

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
Latin-1 letter from À to ÿ (or ª, º: Ukrainian's Є, є). Text whose every letter lies there,
three or more of them, is read back as Windows-1251. Real Latin-1 text is not like that: its
words are mostly plain ASCII letters with an accent here and there ("Motörhead", "ÉTÉ", "Ça").
A value too short to be sure of alone ("Áè-2", "Би-2") or whose Greek reading has more vowels
("Хочешь?") is Windows-1251 where the file's other values plainly are (one tagger, one code
page). KOI8-R, a Linux tagger's Russian, puts the small letters where Windows-1251 has the
capitals: text whose Windows-1251 words have their cases turned over ("зПТПД ЪПМПФПК") and
whose KOI8-R reading is Russian words is read so ("Город золотой", ``_koi8_r``).

Arabic and Persian (Windows-1256), Hebrew (1255), Greek (1253) and Thai (874) text in the same
frames ("ÝíÑæÒ" for فيروز) is read back where its reading keeps the script's own rules
(``recsys.catalog.codepages``): before a double-byte code's reading only where that one holds a
character beyond its code's first level (or the values ``beside`` read in the script), and
before Cyrillic words only where they are not the likelier (``_beats_cyrillic``). Turkish,
Central European code pages, which are Latin-1 but for a few letters, are left as mutagen reads
them. Vietnamese in TCVN3 (the ABC fonts' code) and Windows-1258 ("Kh¸nh Ly" for "Khánh Ly",
"Quang DuÞng" for "Quang Dũng") is read back where its reading is Vietnamese syllables and the
text holds the code's sign (``recsys.catalog.vietcodes``).

Japanese, Chinese and Korean tags from the same taggers hold Shift-JIS (Windows' code page
932), GBK (936, with GB18030's four-byte characters), Big5 (950) or CP949 (949, EUC-KR's
superset) bytes in the same Latin-1 frames: "雪のテーマ" arrives as "\x90á\x82Ì\x83e\x81[\x83}",
which the control-character rule then made "á Ì e [ }" (a real Japanese rip read so), and
"소녀시대" as "¼Ò³à½Ã´ë". A reading counts where every non-ASCII character it gives is one of
its language's (an ideograph, a kana, a Hangul syllable, CJK punctuation), two or more, none
glued to an ASCII letter (``_reading``). A kana is the surest sign (no Chinese, Korean or Latin
text decodes to one), so Shift-JIS with a kana goes first. Else the codes' own levels decide,
not how often a character is used: each code put its common characters in a first level
(GB2312's 0xB0-0xD7, Big5's 0xA440-0xC67E, JIS X 0208's 0x889F-0x9872, KS X 1001's Hangul
0xB0A1-0xC8FE), and the reading with the most of them wins (``_east_asian``), GBK first on a tie
but where the tag's other values read in Big5 alone (``_code_beside``: a Taiwanese rip's album
"S.H.E 精選" is GBK's "S.H.E 弘匡" as well, its titles beside it are Big5's),
Big5 only with nothing but its first level. These ranges overlap: every Hangul syllable of KS X
1001 is a GB2312 first-level ideograph too, and one Chinese name in four reads as Hangul
("崔健" as "달숯"), so between those two only the syllables tell (``_korean_syllables``), with
those of the tag's other values beside a short one ("빅뱅"), which its tagger wrote in the same
code page (``repaired``'s ``beside``). Latin-1 words rarely decode so: an accented letter
inside a Latin word ("Björk" as GBK is "Bj\u9c0ek") gives a character glued to ASCII letters,
which is refused.

The Cyrillic rule is tried before the double-byte codes unless the text holds a byte no Cyrillic
word has (a C1 control, "®", "³") or its words are not how Cyrillic is written
(``_cyrillic_words``): GBK's and CP949's bytes read as Windows-1251 mix cases and alphabets
("ЦЬЅЬВЧ" is 周杰伦) and put "№" or "»" inside words. Text no double-byte code reads is
Windows-1251 still.

A web store's API text copied into the tags keeps HTML's character references (``unescaped``):
JioSaavn's downloaders wrote "Channa Mereya (From &quot;Ae Dil Hai Mushkil&quot;)" by "Alka
Yagnik &amp; Arijit Singh", shown so in every table and split on the ";" of "&amp;" ("Alka Yagnik
&amp" was an artist of its own). A complete reference, its ";" included, is the character it
stands for; a bare "&" and "AT&T" stay.

A Windows program that wrote Hindi, Tamil or Arabic into a Latin-1 frame wrote a "?" for each
letter it could not encode: "??? ?? ??" by "?????? ????" (Windows Media Player on a phone's
Hindi songs). Such a value names nothing (``letters_lost``): two question marks or more and no
letter, it is read as no value, and the file's name stands for the title as for an untagged file.

Control characters are no part of a name (``visible``): a NUL that a tagger used as a value
separator in a Vorbis comment, a BEL, a terminal colour code ("\x1b[31m") pasted with the text.
The table's renderer drops them, so "Stage\x00Two" was shown as "StageTwo", and the JSON kept
them for every program downstream. Each becomes a space (a colour code goes whole).
"""

from __future__ import annotations

import html
import re
from typing import Iterable, NamedTuple

from recsys.catalog.codepages import Reading, beats_east_asian, greek_words, script_reading
from recsys.catalog.vietcodes import vietnamese_reading

#: an ANSI escape sequence (CSI: "\x1b[31m") whole, or any C0/C1 control character but none
_CONTROLS = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]")


def repaired(text: str, beside: Iterable[str] = ()) -> str:
    """``text`` with UTF-8 mojibake undone; any other text unchanged. ``beside``: the other
    values of the same tag, which one tagger wrote in one code page: where ``text`` reads as
    Korean and as Chinese alike, they decide with it (``_east_asian``)."""
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
    koi8 = _koi8_r(text, raw)
    if koi8 is not None:
        return koi8
    japanese = _reading(raw, "cp932")
    if japanese is not None and japanese.kana:  # kana: the surest sign of all
        return japanese.text
    script = script_reading(raw)
    others = [v for v in beside if v != text]
    # the tagger's other values in Windows-1251: so is this one, however short ("Áè-2" is "Би-2")
    # or however Greek its letters look ("Υξχεψό?" is "Хочешь?")
    tagger_cyrillic = _tagger_wrote_cyrillic(others)
    # the tagger's other values in Windows-1253: so is this one, however short or unaccented
    # ("Πυξ Λαξ", which reads as Cyrillic words too) or however Chinese it reads ("Κραυγή")
    greek = greek_words(raw) if not tagger_cyrillic and _tagger_wrote_greek(others) else None
    if greek is not None:
        return greek
    cyrillic = _windows_1251(text, raw, min_letters=1 if tagger_cyrillic else 3)
    if cyrillic is not None and _cyrillic_bytes(raw) and _cyrillic_words(cyrillic):
        if script is not None and not tagger_cyrillic and _beats_cyrillic(script, cyrillic):
            return script.text
        return cyrillic
    east_asian = _east_asian(raw, others)
    if script is not None and (east_asian is None or beats_east_asian(script, raw, others, _east_asian_readings)):
        return script.text
    if east_asian is not None:
        return east_asian
    # Vietnamese in TCVN3 or Windows-1258 ("Kh¸nh Ly", "Quang DuÞng"), where no other code read
    # it: its reading is Vietnamese syllables with the code's sign (``vietcodes``)
    vietnamese = vietnamese_reading(text, others) if cyrillic is None else None
    if vietnamese is not None:
        return vietnamese
    # a byte no Cyrillic letter has ("©", "°", "·"), or words no Cyrillic text is made of, only
    # let the double-byte codes go first: where none reads the text, it is Windows-1251 still
    # ("Сплин · Би-2")
    return cyrillic if cyrillic is not None else _windows_1252(text, raw)


def _windows_1252(text: str, raw: bytes) -> str:
    """``raw`` read as Windows-1252 where ``text`` (its Latin-1 reading) holds C1 control
    characters, which no Latin-1 text does: an old Windows tagger's ID3v1 or Latin-1 frame
    ("C\x9cur de pirate" is "Cœur de pirate", "L\x92Été" "L’Été", "\x80" "€"); else ``text``."""
    if not any("\x80" <= c <= "\x9f" for c in text):
        return text
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in Windows-1252
        return text


#: bytes of 0x80-0xBF that Windows-1251 gives Cyrillic text: Ё ё Ђ-џ's Serbian and Ukrainian
#: letters, № « » and the typographic quotes and dashes
_CYRILLIC_HIGH = frozenset(b"\x80\x81\x83\x8a\x8c\x8d\x8e\x8f\x90\x9a\x9c\x9d\x9e\x9f"
                           b"\xa1\xa2\xa3\xa5\xa8\xaa\xaf\xb2\xb3\xb4\xb8\xb9\xba\xbc\xbd\xbe\xbf"
                           b"\x84\x85\x91\x92\x93\x94\x96\x97\xab\xbb\xa0")

#: the Cyrillic alphabets Windows-1251 was written in: Russian (Bulgarian's is within it),
#: Ukrainian, Belarusian, Serbian and Macedonian
_ALPHABETS = tuple(frozenset(a) for a in (
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ", "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ",
    "АБВГДЕЁЖЗІЙКЛМНОПРСТУЎФХЦЧШЫЬЭЮЯ", "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ",
    "АБВГДЃЕЖЗЅИЈКЛЉМНЊОПРСТЌУФХЦЧЏШ"))


def _windows_1251(text: str, raw: bytes, min_letters: int = 3) -> str | None:
    """``raw`` read as Windows-1251 where every letter of ``text`` lies between À and ÿ
    (Windows-1251's А to я) or is ª or º (Ukrainian's Є and є), at least ``min_letters`` of
    them."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < min_letters or not all("\u00c0" <= c <= "\u00ff" or c in "ªº" for c in letters):
        return None
    try:
        return raw.decode("cp1251")
    except UnicodeDecodeError:  # 0x98, which Windows-1251 leaves undefined
        return None


def _tagger_wrote_cyrillic(others: list[str]) -> bool:
    """Whether the file's other values (``others``) say its tagger wrote Windows-1251: one of
    them or more is Windows-1251 stored as Latin-1 by every sign (three letters or more,
    Cyrillic words, no reading of another script that beats it), and none reads better in
    another script (an Arabic tagger's names: one of them may read as Cyrillic words too)."""
    cyrillic = False
    for text in others:
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            continue
        if text.isascii():
            continue
        script = script_reading(raw)
        reading = _windows_1251(text, raw)
        if reading is None or not _cyrillic_bytes(raw) or not _cyrillic_words(reading):
            if script is not None:
                return False
            continue
        if script is not None and _beats_cyrillic(script, reading):
            return False
        cyrillic = True
    return cyrillic


def _tagger_wrote_greek(others: list[str]) -> bool:
    """Whether the file's other values (``others``) say its tagger wrote Windows-1253: every
    one of them that is no ASCII reads as Greek by every sign (``codepages.script_reading``:
    Greek words, an accent), better than as Cyrillic words where it reads so too
    (``_beats_cyrillic``), one of them at least."""
    greek = False
    for text in others:
        if text.isascii():
            continue
        try:
            raw = text.encode("latin-1")
        except UnicodeEncodeError:
            continue
        script = script_reading(raw)
        if script is None or script.script != "greek":
            return False
        cyrillic = _windows_1251(text, raw)
        if cyrillic is not None and _cyrillic_bytes(raw) and _cyrillic_words(cyrillic) \
                and not _beats_cyrillic(script, cyrillic):
            return False
        greek = True
    return greek


def _koi8_r(text: str, raw: bytes) -> str | None:
    """``raw`` read as KOI8-R (a Linux tagger's Russian of 1995-2005) where Windows-1251 reads
    its words with their cases turned over and KOI8-R as Cyrillic words: KOI8-R puts the
    lower-case letters where Windows-1251 has the capitals, so "Город золотой" stored as Latin-1
    ("çÏÒÏÄ ÚÏÌÏÔÏÊ") read "зПТПД ЪПМПФПК" as Windows-1251, and "Кино" as GBK's "肷蜗". Text in one
    case alone reads in both as words; it stays with Windows-1251, the commoner."""
    cyrillic = _windows_1251(text, raw)
    if cyrillic is None or _cyrillic_words(cyrillic) or not all(b < 0x80 or b >= 0xC0 or b in (0xA3, 0xB3) for b in raw):
        return None
    koi8 = raw.decode("koi8-r")
    return koi8 if _cyrillic_words(koi8) and _spoken(koi8) else None


def _spoken(text: str) -> bool:
    """Whether ``text``'s Cyrillic words read as a language's: a vowel in every word of three
    letters or more, and more than half its letters among Russian's fifteen commonest (some
    four in five of a Russian text's letters). An Arabic or Persian name's Windows-1256 bytes
    read as KOI8-R give words of the right cases but of the rare letters ("Мг Цсгщя Фмоъ" is
    "يا مسافر وحدك", "Цяш смя" "مرغ سحر")."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    letters = "".join(words)
    if not letters or any(len(w) >= 3 and not any(c in _CYRILLIC_VOWELS for c in w) for w in words):
        return False
    return sum(c in _COMMON_RUSSIAN for c in letters) > 0.55 * len(letters)


#: Russian's fifteen commonest letters, by their share of running text
_COMMON_RUSSIAN = frozenset("оеаинтсрвлкмдпу")


_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєАЕЁИОУЫЭЮЯІЇЄ")


def _beats_cyrillic(script: Reading, cyrillic: str) -> bool:
    """Whether a Hebrew, Greek, Arabic or Thai reading of text that reads as Cyrillic words too
    is the one meant: Hebrew's and Thai's rules seldom hold for Cyrillic bytes, Greek's
    reading has more vowels, Arabic's holds its alef, which is Cyrillic's rare З."""
    letters = [c for c in cyrillic if c.isalpha()]
    vowels = sum(c in _CYRILLIC_VOWELS for c in letters) / len(letters)
    if script.script == "greek":
        return script.vowels > vowels
    if script.script == "arabic":  # Cyrillic's rare З is Arabic's alef
        return "З" in cyrillic or "з" in cyrillic
    if script.script == "thai":
        return not cyrillic.isupper()
    return True


def _cyrillic_bytes(raw: bytes) -> bool:
    return all(b < 0x80 or b >= 0xC0 or b in _CYRILLIC_HIGH for b in raw)


def _cyrillic_words(text: str) -> bool:
    """Every word of ``text`` written as Cyrillic words are: lower-case, capitalised or all
    capitals, its letters of one alphabet, no sign of 0xA0-0xBF ("№", "»", "°") inside it. A
    double-byte code's bytes read as Windows-1251 mix the cases at random ("іВЮИСё" is 陈奕迅
    in GBK), and one trail byte in three lands on a sign or a letter of another language
    ("ЦЬЅЬВЧ", 周杰伦: Macedonian's Ѕ beside Russian's Ь)."""
    if re.search(r"[^\W\d_][\u00a0-\u00bf\u2116]+[^\W\d_]", text):
        return False
    for word in re.findall(r"[^\W\d_]+", text):
        if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
            return False
        if not any(set(word.upper()) <= alphabet for alphabet in _ALPHABETS):
            return False
    return True


class _Reading(NamedTuple):
    """Latin-1 bytes read in one double-byte code, with how many of its characters lie in the
    code's first level (GB2312's, Big5's, JIS X 0208's and kana, KS X 1001's Hangul), in its
    second (the rarer ideographs; hanja in Korean) and among what it added to an older code
    (GBK's and GB18030's characters beyond GB2312, CP949's syllables beyond KS X 1001)."""

    text: str
    first: int
    second: int
    extra: int
    kana: int
    syllables: str


#: the double-byte codes a Latin-1 frame's bytes are read in, first to last where two
#: readings hold as many characters of their codes' first levels
_CODES = ("gb18030", "cp932", "cp950", "cp949")


def _east_asian(raw: bytes, beside: list[str]) -> str | None:
    """``raw`` read as Chinese (GBK, with GB18030's four-byte characters), Japanese
    (Shift-JIS), Traditional Chinese (Big5) or Korean (CP949): the reading that holds the
    most characters of its code's first level, on a tie the first in ``_CODES``, Korean going
    first where it holds no hanja (which Korean text seldom does, and Chinese read as CP949
    often), its syllables with those of the values ``beside`` it are Korean's
    (``_korean_syllables``) and no value beside it reads better in another code."""
    coded = {codec: r for codec in _CODES if (r := _reading(raw, codec)) is not None}
    readings = list(coded.values())
    korean = next((r for r in readings if r.syllables), None)
    if korean is not None:
        company = _syllables_beside(beside)
        if not korean.second and company is not None and _korean_syllables(korean.syllables + company):
            readings.insert(0, readings.pop(readings.index(korean)))
    if "gb18030" in coded and "cp950" in coded and coded["gb18030"].first == coded["cp950"].first == \
            max(r.first for r in readings) and _code_beside(beside) == "cp950":
        return coded["cp950"].text
    return max(readings, key=lambda r: r.first).text if readings else None


def _code_beside(beside: list[str]) -> str | None:
    """The double-byte code the values ``beside`` read best in, where they agree on one: a
    Taiwanese rip's "S.H.E 精選" reads as GBK ("S.H.E 弘匡") and as Big5 alike, both of their
    first levels, and GBK went first; its titles beside it ("戀人未滿", "中國話") read in Big5
    alone, which their tagger wrote."""
    codes = set()
    for value in beside:
        try:
            raw = value.encode("latin-1")
        except UnicodeEncodeError:
            continue
        if value.isascii():
            continue
        coded = {codec: r for codec in _CODES if (r := _reading(raw, codec)) is not None}
        if coded:
            top = max(r.first for r in coded.values())
            best = [codec for codec, r in coded.items() if r.first == top]
            if len(best) == 1:
                codes.add(best[0])
    return codes.pop() if len(codes) == 1 else None


def _syllables_beside(beside: list[str]) -> str | None:
    """The Hangul syllables that the values ``beside`` read as in CP949, or None where one of
    them reads better in another double-byte code (more of its first level, or as many where
    CP949 gives hanja): the tagger's code page was not Korean. A file's title, artist and album give a Korean name of two
    syllables ("빅뱅") the syllables that one value alone is too short to give."""
    syllables = []
    for value in beside:
        try:
            raw = value.encode("latin-1")
        except UnicodeEncodeError:
            continue
        readings = [] if value.isascii() else [r for r in (_reading(raw, codec) for codec in _CODES) if r is not None]
        if readings:
            korean = next((r for r in readings if r.syllables), None)
            if korean is None or korean.first < max(r.first for r in readings) or (korean.second and len(readings) > 1):
                return None
            syllables.append(korean.syllables)
    return "".join(syllables)


def _east_asian_readings(raw: bytes) -> list[_Reading]:
    """The double-byte codes' readings of ``raw`` (``_reading``), those that read it."""
    return [r for r in (_reading(raw, codec) for codec in _CODES) if r is not None]


def _reading(raw: bytes, codec: str) -> _Reading | None:
    """``raw`` decoded with ``codec`` (gb18030, cp932: Shift-JIS, cp950: Big5, cp949) where
    the result reads as text of that code's language: every non-ASCII character an ideograph,
    a kana (Shift-JIS alone), a Hangul syllable (CP949 alone), CJK punctuation or a full-width
    form, two or more of them, none glued to an ASCII letter, one of the first level at least;
    additions no more than the older code's characters, hanja no more than Hangul, and for
    Big5 the first level alone (its second is where GBK's and Shift-JIS's bytes fall)."""
    text, counts, syllables = [], {"first": 0, "second": 0, "extra": 0, "mark": 0}, []
    i = 0
    while i < len(raw):
        size = 1 if raw[i] < 0x80 else 4 if codec == "gb18030" and raw[i + 1:i + 2].isdigit() else 2
        seq = raw[i:i + size]
        i += len(seq)
        try:
            c = seq.decode(codec)
        except UnicodeDecodeError:
            # an ID3v1 field (30 bytes; a v1.1 comment 28) cut inside a character's two bytes:
            # the name without its half character, as a player that reads the tag shows it
            if len(seq) == 1 and i == len(raw) and len(raw) in (28, 30):
                break
            return None
        if len(c) != 1:
            return None  # a Shift-JIS half-width katakana, which Latin-1's 0xA1-0xDF read as
        if size > 1:
            kind = _kind(c, seq, codec)
            if kind is None:
                return None
            counts[kind] += 1
            if "\uac00" <= c <= "\ud7a3":
                syllables.append(c)
        text.append(c)
    first, second, extra = counts["first"], counts["second"], counts["extra"]
    if first == 0 or extra > first + second or (codec == "cp950" and second):
        return None
    if codec == "cp949" and (not syllables or second > first):
        return None
    wide = [n for n, c in enumerate(text) if not c.isascii()]
    if len(wide) < 2:
        return None
    for n in wide:  # "Bj\u9c0ek": an accented Latin word, not an ideograph
        if any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha() for j in (n - 1, n + 1)):
            return None
    kana = sum("\u3040" <= c <= "\u30ff" for c in text)
    return _Reading("".join(text), first, second, extra, kana, "".join(syllables))


def _kind(c: str, seq: bytes, codec: str) -> str | None:
    """"first", "second", "extra" or "mark" for one double-byte (or GB18030 four-byte)
    character ``c`` read from ``seq`` in ``codec`` (``_Reading``); None for one that no text of
    the code's language holds."""
    if "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff60" or "\u2010" <= c <= "\u2027" or c == "\u00b7":
        return "mark"  # CJK punctuation, full-width forms, dashes, quotes, middle dots
    ideograph = ("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"
                 or "\U00020000" <= c <= "\U0003134f")
    code = int.from_bytes(seq, "big")
    if codec == "cp932":
        if "\u3040" <= c <= "\u30ff":
            return "first"  # a kana: the surest sign, no Chinese or Latin text decodes to one
        return ("first" if 0x889F <= code <= 0x9872 else "second") if ideograph else None
    if codec == "cp949":
        if "\uac00" <= c <= "\ud7a3":
            return "first" if min(seq) >= 0xA1 else "extra"
        return "second" if ideograph else None
    if not ideograph:
        return None
    if codec == "cp950":
        return "first" if 0xA440 <= code <= 0xC67E else "second"
    if len(seq) == 2 and 0xA1 <= seq[0] <= 0xF7 and seq[1] >= 0xA1:
        return "first" if seq[0] >= 0xB0 and code <= 0xD7F9 else "second"  # GB2312's two levels
    return "extra"


#: Korean's syllables in its own words and in Sino-Korean (names, most nouns): no tense
#: initial (ㄲ ㄸ ㅃ ㅆ ㅉ), and a final, if any, of ㄱ ㄴ ㄹ ㅁ ㅂ ㅇ
_TENSE_INITIALS = frozenset((1, 4, 8, 10, 13))
_PLAIN_FINALS = frozenset((0, 1, 4, 8, 16, 17, 21))


def _korean_syllables(syllables: str) -> bool:
    """Whether Hangul syllables read from bytes that GBK's and Big5's first levels also read
    are Korean's. KS X 1001's Hangul (0xB0A1-0xC8FE) lies inside GB2312's first level and much
    of Big5's, so no byte range tells them apart: Korean text keeps to open syllables and a few
    finals (half of them open in names and titles), while Chinese read as CP949 gives
    syllables picked evenly from KS X 1001's 2350, mostly closed, many by a tense initial or
    a rare final ("달숯" for 崔健, "굇쑴" for 北京). An open syllable without a tense initial counts
    one for, one with a tense initial or a rare final one against, a closed plain one nothing
    (the two give those alike); a score of two is Korean. Counted so, no more of 85 Chinese
    and Big5 names that read as Hangul, nor of pairs of them, come out Korean than one in a
    hundred, and about half of Korean names alone, nine in ten with their file's others."""
    score = 0
    for s in syllables:
        index = ord(s) - 0xAC00
        initial, final = index // 588, index % 28
        if initial in _TENSE_INITIALS or final not in _PLAIN_FINALS:
            score -= 1
        elif final == 0:
            score += 1
    return score >= 2


#: the marks and embeddings that set a text's direction (LRM, RLM, ALM, LRE...PDF, LRI...PDI)
#: at a value's edges: an Arabic or Hebrew tagger's "\u200fفيروز\u200f", "\u202bفيروز\u202c"
#: showed them in the artist row and made a second spelling of the name; inside a text, between
#: a Latin and an Arabic word, they order its display and stay
_DIRECTION_EDGES = re.compile("^[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\\s]+|[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\\s]+$")
_DIRECTION = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """``text`` with its control characters made spaces (runs of them one space), ANSI colour
    codes removed, and the direction marks at its edges (``_DIRECTION_EDGES``); text without
    any is returned as it is."""
    if text and (text[0] in _DIRECTION or text[-1] in _DIRECTION):
        text = _DIRECTION_EDGES.sub("", text)
    if not _CONTROLS.search(text):
        return text
    return re.sub(r" {2,}", " ", _CONTROLS.sub(" ", text)).strip()


#: an HTML character reference, complete: "&quot;", "&amp;", "&#39;", "&#x27;"
_REFERENCE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8}\d{0,2});", re.IGNORECASE)


def unescaped(text: str) -> str:
    """``text`` with its HTML character references read as their characters ("&quot;" is '"');
    text without one ("AT&T", "R&B") is returned as it is."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(lambda m: html.unescape(m.group(0)), text)


def letters_lost(text: str) -> bool:
    """Whether ``text`` is what a Latin-1 frame kept of letters it could not hold: two "?" or
    more and no letter ("??? ?? ??", "????? 2"). A title "?" or "Why?" names something."""
    return text.count("?") >= 2 and not any(c.isalpha() for c in text)
