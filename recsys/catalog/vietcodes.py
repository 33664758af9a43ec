"""Vietnamese tags written in the old code pages, read back: TCVN3 (the "ABC" fonts') and
Windows-1258 bytes that a Windows tagger stored as Latin-1 (``tagtext.repaired``).

Vietnamese MP3s of the 2000s were tagged on Windows in the code the typist's fonts used: TCVN3
(".VnTime", the ABC fonts, which Unikey and Vietkey typed for them) puts each toned vowel at
a Latin-1 place of its own, and Windows-1258 writes the base vowel and its tone as a combining
mark after it. Read as Latin-1, Khánh Ly's "Diễm Xưa" (Trịnh Công Sơn) arrives as "DiÔm X\xada" by
"Kh¸nh Ly", from "Kh¸nh Ly H¸t TrÞnh C«ng S¬n", and Quang Dũng's "Đêm Đông" as "Ðêm Ðông" by
"Quang DuÞng": an artist row of its own beside the singer's, a seed "Diễm Xưa" or "Diem Xua"
matched by nothing.

A reading is taken where it is Vietnamese: every word it changes is a Vietnamese syllable
(an initial consonant of the language, one to three vowels, a final among c ch m n ng nh p t;
one tone mark at most; "ă" before a final consonant: ``_syllable``), and the text holds a
sign no Latin text writes so: in TCVN3 a symbol inside a word ("Kh¸nh", "S¬n", "T©m": ¸ ¬ © are
á ơ â) or a capital after a small letter ("DiÔm", "TrÞnh"); in Windows-1258 a tone mark after
a vowel ("DuÞng": Þ is its combining tilde). Text that holds none ("Hång Nhung", which Swedish
writes too; "Ðêm Ðông") is read so where a value beside it, of the same file, holds one: one
tagger wrote them all in one code. Latin-1 text seldom reads as syllables so: "Col·lecció",
"São", "Così", "Sigurðsson" and "Motörhead" are no Vietnamese words in either code.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

#: TCVN3 (TCVN 5712:1993 VN3, the ABC fonts): the Latin-1 character at each Vietnamese
#: letter's place. Its capitals with a tone were drawn by a second font (".VnTimeH") from the
#: small letters' codes: a reading gives the small letter, the capital's sound
_TCVN3 = dict(zip(
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦",
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"))
#: TCVN3's characters that are no Latin-1 letter: a symbol inside a word is TCVN3's vowel
_TCVN3_SIGNS = frozenset("µ¸¶·¹¨»¾¼½©®ª×¬«÷¡¢§£¤¥¦\xad")
#: Windows-1258's combining tone marks, as Latin-1 reads them: Ì ì Þ Ò ò
_CP1258_TONES = frozenset("\xcc\xec\xde\xd2\xf2")
#: the five tone marks (grave, acute, tilde, hook above, dot below), as NFD writes them
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")

_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_FINAL = r"(?:ch|ng|nh|c|m|n|p|t)"
#: the rhymes: the vowel clusters that end a syllable ("ai", "ươi"), those a final consonant
#: must follow ("iê", "ươ", "ă": "Tiền", "Trắng"), and those with or without one
_RHYME = (r"(?:(?:oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyu|iêu|yêu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|ưi|ưu|ua|ưa)"
          r"|(?:uyê|iê|yê|uô|ươ|oă|uâ|ă|â)" + _FINAL +
          r"|(?:oa|oe|uê|uy|uơ|a|e|ê|i|o|ô|ơ|u|ư|y)" + _FINAL + "?)")
_SYLLABLE = re.compile(_INITIAL + _RHYME)
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")


def _syllable(word: str) -> bool:
    """Whether ``word`` is a Vietnamese syllable: an initial consonant of the language and a
    rhyme (``_RHYME``), one tone mark at most."""
    marks = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONES for c in marks) > 1:
        return False
    return bool(_SYLLABLE.fullmatch(unicodedata.normalize("NFC", "".join(c for c in marks if c not in _TONES))))


def _vietnamese(reading: str) -> bool:
    """Whether every word of ``reading`` beyond ASCII is a Vietnamese syllable (``_syllable``)."""
    words = [w for w in _WORD.findall(reading) if not w.isascii()]
    return bool(words) and all(_syllable(w) for w in words)


def _tcvn3(text: str) -> str | None:
    if not all(c.isascii() or c in _TCVN3 for c in text):
        return None
    return "".join(_TCVN3.get(c, c) for c in text)


def _tcvn3_sign(text: str) -> bool:
    """A symbol beside a letter ("Kh¸nh", "X\xada", "¥i": á, ư, Ơ), or a capital after a
    letter ("DiÔm", "MÑ": ễ, ẹ)."""
    for n in range(1, len(text)):
        c, before = text[n], text[n - 1]
        if before.isalpha() and (c in _TCVN3_SIGNS or not c.isascii() and c.isupper()):
            return True
        if before in _TCVN3_SIGNS and c.isalpha():
            return True
    return False


def _cp1258(text: str) -> str | None:
    try:
        return unicodedata.normalize("NFC", text.encode("latin-1").decode("cp1258"))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _cp1258_sign(text: str) -> bool:
    """A tone mark's byte after a vowel: "DuÞng", "Trãìng", "HôÌng"."""
    return any(c in _CP1258_TONES and text[n - 1] in _VOWELS | set("àáâãèéêìíòóôõùúýăơư") for n, c in enumerate(text) if n)


#: the two codes: each one's reading of Latin-1 text, and the sign that the text is in it
_CODES = ((_tcvn3, _tcvn3_sign), (_cp1258, _cp1258_sign))


def _reading(text: str, read) -> str | None:
    reading = read(text)
    return reading if reading is not None and reading != text and _vietnamese(reading) else None


def vietnamese_reading(text: str, beside: Iterable[str] = ()) -> str | None:
    """``text`` (Latin-1, as mutagen read it) read as TCVN3 or Windows-1258 where the reading
    is Vietnamese and ``text`` holds the code's sign, or a value ``beside`` it (the file's
    other names) does in the same code; else None."""
    if text.isascii():
        return None
    others = [v for v in beside if v != text and not v.isascii()]
    for read, sign in _CODES:
        reading = _reading(text, read)
        if reading is not None and (sign(text) or any(sign(v) and _reading(v, read) for v in others)):
            return reading
    return None
