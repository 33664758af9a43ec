"""The other legacy code pages of tags stored as Latin-1 (``tagtext.repaired``): Arabic and
Persian (Windows-1256), Hebrew (1255), Greek (1253), Thai (874, TIS-620), Turkish (1254) and
Central European (1250) text that old Windows taggers wrote into ID3v1 and into ID3v2 frames
marked Latin-1, read back as the tagger meant it.

Arabic, Hebrew, Greek and Thai letters share no byte with Latin-1's letters in the way a
Latin text uses them: their bytes read back as Latin-1 are runs of accented letters and signs
("ÝíÑæÒ" for فيروز, "ùìåí" for שלום, "¢ëêçóôéò" for Άλκηστις). A reading counts where every
non-ASCII character it gives is of the script (a letter, its marks and punctuation), three
letters or more, none glued to an ASCII letter, and the letters stand as the script writes
them (``_SCRIPTS``): Arabic's ة and ى end a word and a vowel sign follows a letter; Hebrew's
final letters (ך ם ן ף ץ) end a word and the others (כ מ נ פ צ) do not; Greek's ς ends a word
and σ does not, a word carries a tonos or the text is in capitals with its vowels; Thai's
vowel signs and tone marks follow a consonant and its leading vowels precede one. Random
bytes (a double-byte code's, another code page's) seldom keep all those rules.

Turkish (1254), Central European (1250) and Vietnamese (1258) are Latin-1 but for a few
letters, each a Latin-1 letter of another language as well (Turkish's ı ş ğ are Icelandic's
ý þ ð, Czech's ř ě č are Danish's ø, Italian's ì, French's è): they are left as they are.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple


class Reading(NamedTuple):
    """Latin-1 bytes read in one single-byte code page: ``script`` its name, ``text`` the
    text, ``vowels`` the share of its letters that are vowels (Greek's; 0 elsewhere)."""

    script: str
    text: str
    vowels: float


_WORD = re.compile(r"[^\W\d_]+(?:['\u05f3][^\W\d_]+)*")


def _arabic(text: str) -> bool:
    for word in _WORD.findall(text):
        if "\u064b" <= word[0] <= "\u0652" or word[0] in "\u0621\u0624\u0626":
            return False  # a vowel sign before its letter, a word begun by ء ؤ ئ
        if re.search(r"[\u0629\u0649].|[^\u0627\u0648\u064a]\u0621.|(?<!^)(?<!^\u0627\u0644)(?<!^[\u0648\u0628\u0641\u0644])\u0625", word):
            return False  # ة or ى inside a word, ء inside it after a consonant, إ not first
        if re.search(r"[\u064b-\u064d][^\u0627\u0649]|(?<!^)(?<!^\u0627\u0644)\u0622", word):
            return False  # a tanwin inside a word, آ not first
    return True


def _hebrew(text: str) -> bool:
    for word in _WORD.findall(text):
        letters = word.replace("'", "").replace("\u05f3", "")
        if re.search(r"[\u05da\u05dd\u05df\u05e3\u05e5].", letters) or (
                len(letters) > 1 and letters[-1] in "\u05db\u05de\u05e0\u05e4\u05e6"):
            return False  # a final letter inside a word, or a word ending on a medial one
    return True


_GREEK_VOWELS = frozenset("αεηιουωάέήίόύώϊϋΑΕΗΙΟΥΩΆΈΉΊΌΎΏΪΫ")


def _greek(text: str) -> bool:
    if not _greek_words(text):
        return False
    words = _WORD.findall(text)
    if any(c in "άέήίόύώΆΈΉΊΌΎΏ" for c in text):
        return True
    letters = "".join(words)
    return letters.isupper() and sum(c in _GREEK_VOWELS for c in letters) >= 0.3 * len(letters)


def _greek_words(text: str) -> bool:
    """Every word of ``text`` written as Greek words are: "ς" only at its end, "σ" nowhere there,
    one case (or capitalised), one accent at most; an accent is not required (a word of one
    syllable has none: "Πυξ Λαξ")."""
    for word in _WORD.findall(text):
        if re.search(r"ς.", word) or word.endswith("σ") and len(word) > 1:
            return False
        if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
            return False
        if sum(c in "άέήίόύώΆΈΉΊΌΎΏ" for c in word) > 1:
            return False  # a word carries one accent
    return True


def greek_words(raw: bytes) -> str | None:
    """``raw`` read as Windows-1253 where that reading is Greek words (``_greek_words``) and
    nothing else but ASCII, none glued to an ASCII letter, however short and unaccented: for a
    value whose tagger plainly wrote Greek in its other values (``tagtext``), as "Πυξ Λαξ" beside
    "Ο Πρίγκηπας", which alone reads as Cyrillic words too ("Рхо Лбо"), or "Κραυγή" beside
    "Ψέματα", which alone reads as GBK too ("蜀狨戕")."""
    if _GLUED.search(raw):
        return None
    try:
        text = raw.decode("cp1253")
    except UnicodeDecodeError:
        return None
    spec = _SCRIPTS["greek"]
    wide = [c for c in text if not c.isascii()]
    if not wide or not all(spec.chars.match(c) for c in wide) or not any(c.isalpha() for c in wide):
        return None
    return text if _greek_words(text) else None


_THAI_CONSONANT = re.compile(r"[\u0e01-\u0e2e]")
#: vowel signs above and below, tone marks, and the vowels written after a consonant
_THAI_AFTER = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45"
                        "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")


def _thai(text: str) -> bool:
    for n, c in enumerate(text):
        before = text[n - 1] if n else " "
        if c in _THAI_AFTER and not (_THAI_CONSONANT.match(before) or before in _THAI_AFTER):
            return False
        if "\u0e40" <= c <= "\u0e44" and not _THAI_CONSONANT.match(text[n + 1:n + 2]):
            return False  # a leading vowel (เ แ โ ใ ไ) without its consonant
    return True


class _Script(NamedTuple):
    codec: str
    #: the non-ASCII characters a text of the script holds
    chars: re.Pattern[str]
    rule: Callable[[str], bool]


_PUNCTUATION = "\u00a0\u00ab\u00bb\u2013\u2014\u2018\u2019\u201c\u201d\u2026"
_SCRIPTS = {
    "hebrew": _Script("cp1255", re.compile(f"[\u05d0-\u05ea\u05f3\u05f4{_PUNCTUATION}]"), _hebrew),
    "arabic": _Script("cp1256", re.compile(f"[\u060c\u061b\u061f\u0621-\u0652\u0660-\u06c0\u06c2-\u06d3{_PUNCTUATION}]"), _arabic),
    "greek": _Script("cp1253", re.compile(f"[\u0384-\u0386\u0388-\u038f\u0391-\u03af\u03b1-\u03ce{_PUNCTUATION}\u0387]"), _greek),
    "thai": _Script("cp874", re.compile(f"[\u0e01\u0e02\u0e04\u0e06-\u0e4e{_PUNCTUATION}]"), _thai),
}


_GLUED = re.compile(rb"[A-Za-z][\x80-\xff]|[\x80-\xff][A-Za-z]")
_HIGH = bytes(range(0x80, 0x100))


def script_reading(raw: bytes) -> Reading | None:
    """``raw`` read as Hebrew, Greek, Arabic or Persian, or Thai: the first code page whose
    reading holds nothing but ASCII and the script's characters, three letters or more, none
    glued to an ASCII letter, written as the script is (``_SCRIPTS``)."""
    if _GLUED.search(raw) or len(raw) - len(raw.translate(None, _HIGH)) < 3:
        return None  # a byte above 0x7F beside an ASCII letter ("Motörhead"), or two at most
    for script, spec in _SCRIPTS.items():
        try:
            text = raw.decode(spec.codec)
        except UnicodeDecodeError:
            continue
        wide = [n for n, c in enumerate(text) if not c.isascii()]
        if not all(spec.chars.match(text[n]) for n in wide):
            continue
        if sum(text[n].isalpha() for n in wide) < 3:
            continue
        if any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha()
               for n in wide for j in (n - 1, n + 1)):
            continue
        if spec.rule(text):
            letters = [c for c in text if c.isalpha()]
            return Reading(script, text, sum(c in _GREEK_VOWELS for c in letters) / len(letters))
    return None


def beats_east_asian(script: Reading, raw: bytes, beside: list[str], east_asian: Callable[[bytes], list]) -> bool:
    """Whether a script's reading of bytes that a double-byte code reads too is the one meant:
    where the double-byte reading holds a character beyond its code's first level (Arabic's
    and Greek's common letters are GBK's second-level lead bytes), or the values ``beside``
    it read in the same script and in no double-byte code. ``east_asian``: the double-byte
    codes' readings of some bytes (``tagtext``'s, handed in: tagtext imports this module)."""
    readings = east_asian(raw)
    if readings and all(r.second or r.extra for r in readings) and sum(c.isalpha() for c in script.text) >= 6:
        return True
    return any(_beside_reads(value, script.script, lambda raw: bool(east_asian(raw))) for value in beside)


def _beside_reads(value: str, script: str, east_asian: Callable[[bytes], bool]) -> bool:
    try:
        raw = value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    if value.isascii():
        return False
    reading = script_reading(raw)
    return reading is not None and reading.script == script and not east_asian(raw)
