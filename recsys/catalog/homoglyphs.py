"""A word typed in two alphabets, read in the one it is written in: "Kино" is "Кино", "Rаmmstein" "Rammstein".

Cyrillic and Latin share a dozen letter shapes: а a, е e, о o, р p, с c, у y, х x, і i, ј j, ѕ s,
and in capitals А В Е К М Н О Р С Т Х A B E K M H O P C T X. A Russian listener's library is
full of words that mix them: VK uploaders swap a letter or two to pass the copyright filter
("Kино" with a Latin K, "Земфирa" with a Latin a, "Rаmmstеin" with Cyrillic а and е), and a
tagger on a Russian keyboard types "ДДT" or "Cплин" without seeing it. Every table showed the
name as typed, the seed "Группа крови" was two songs by "Kино" and "Кино" (an error asking which),
and "Cплин" keyed as "cplin", a row of its own beside "Сплин".

A word (a run of letters) holding Latin and Cyrillic letters is read in the alphabet most of
its letters are in, where each of the others has a twin there (``_TO_CYRILLIC``,
``_TO_LATIN``); a word split evenly, or with a letter of no twin ("Ü" in a Cyrillic word), is
left as it is: no guess which alphabet it meant. Words in one alphabet, and every other script,
are untouched.
"""

from __future__ import annotations

import re
import unicodedata

#: each Latin letter whose shape a Cyrillic letter shares -> that letter
_TO_CYRILLIC = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і", "j": "ј", "s": "ѕ",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р", "C": "С", "T": "Т",
    "X": "Х", "Y": "У", "I": "І", "J": "Ј", "S": "Ѕ",
}
_TO_LATIN = {c: l for l, c in _TO_CYRILLIC.items()}
#: a run of letters (a word: "Би-2" is two)
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _script(c: str) -> str:
    if "\u0400" <= c <= "\u04ff":
        return "cyrillic"
    return "latin" if c.isascii() or unicodedata.name(c, "").startswith("LATIN") else "other"


def _one_script(match: re.Match[str]) -> str:
    word = match.group(0)
    scripts = [_script(c) for c in word]
    cyrillic, latin = scripts.count("cyrillic"), scripts.count("latin")
    if not cyrillic or not latin or cyrillic == latin or "other" in scripts:
        return word
    table, minority = (_TO_CYRILLIC, "latin") if cyrillic > latin else (_TO_LATIN, "cyrillic")
    out = [table.get(c, "") if s == minority else c for c, s in zip(word, scripts)]
    return word if "" in out else "".join(out)


def one_script(text: str) -> str:
    """``text`` with each word that mixes Latin and Cyrillic letters written in the alphabet
    most of its letters are in, where its other letters have twins there: "Kино" -> "Кино",
    "Rаmmstеin" -> "Rammstein", "ДДT" -> "ДДТ"; every other text as it is."""
    if text.isascii() or not _CYRILLIC.search(text):
        return text  # most tags: nothing to read
    return _WORD.sub(_one_script, text)
