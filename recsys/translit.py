"""Cyrillic and Greek names as a listener types them on a Latin keyboard, for the keys names are
matched and grouped by (``labels.label_key``, ``query.composerkeys``): "Кино" is "kino", "ДДТ"
"ddt", "Би-2" "bi-2", "Земфира" "zemfira", "Ария" "aria", "Пётр Ильич Чайковский" "petr ilyich
chaikovsky", "Μίκης Θεοδωράκης" "mikis theodorakis", "Βαγγέλης" "vangelis". Keys only: no
title, artist or genre is shown transliterated.

The text read is already casefolded and without its combining marks (``labels.fold_letters``'s
NFKD): "й" is "и" there, "ё" "е", "ї" "і", "ў" "у", Greek without its accents. The rules read
those letters and no others, so that the key of a stripped string (an older collection's
``artist_norm``) is still the key of its name: ``label_key(normalise_label(x)) ==
label_key(x)``. So "й" reads as "i" ("Цой" "tsoi", "Алексей" "aleksei"), and "ё" as "e", as
Russian print mostly writes it anyway ("Пётр" and "Петр" one key).

Cyrillic, by the name's letters:

- Serbian and Macedonian (a name with "ђ", "ј", "љ", "њ", "ћ", "џ" or "ѕ"): their own Latin
  alphabet, folded as the Latin name is ("Бијело Дугме" "bijelo dugme", "Рибља Чорба" "riblja
  corba" as "Riblja Čorba" keys; "ђ" "d" as "đ" folds).
- Ukrainian and Belarusian (a name with "і", "є" or "ґ"): the Ukrainian national system
  (2010) with "ye", "yu", "ya" ("Брати Гадюкіни" "braty hadyukiny"): "г" "h", "и" "y", "-ий"
  "-yi".
- anything else (Russian, Bulgarian, the rest): BGN/PCGN simplified, as English-language
  releases and Wikipedia print Russian names: "ж" "zh", "х" "kh", "ц" "ts", "ч" "ch", "ш"
  "sh", "щ" "shch", "ы" "y", "ю" "yu", "я" "ya", "ь" and "ъ" nothing; and three of their
  English usages: a word's last "-ий"/"-ый" "-y" ("Дмитрий" "dmitry", "Горький" "gorky"),
  "-ия" "-ia" ("Мария" "maria", "Анастасия" "anastasia"), "ь" before "е", "и", "о" a "y"
  ("Ильич" "ilyich", "Прокофьев" "prokofyev"). Bulgarian's vowel "ъ" (before a consonant:
  "Кръстьо") is "a", as its own system writes it; its "щ" stays "shch" (no letter tells a
  Bulgarian name from a Russian one).

Greek: ELOT 743 (the UN's and the Greek passport's) as English releases print it: "θ" "th",
"χ" "ch" ("Χρήστος" "christos"; a release's "Haris" for "Χάρις" is missed), "ψ" "ps", "η" and
"ι" "i", "υ" "y", "ου" "ou", "αυ"/"ευ" "av"/"ev" ("af"/"ef" before a voiceless consonant:
"Ελευθερία" "eleftheria"), "γγ" "ng" ("Βαγγέλης"), and a word's first "μπ", "ντ", "γκ" "b",
"d", "g" ("Ντάλαρας" "dalaras"), "mb", "nt", "ng" within it ("Αντώνης" "antonis", "Τάγκο"
"tango").

What no rule reads the way listeners type: the Ukrainian "Океан Ельзи" has no Ukrainian letter
and reads as Russian ("okean elzi", not "Elzy"); "Мумий Тролль" is "mumy troll" (the band's
"Mumiy"); "Чайковский" is "chaikovsky" ("Tchaikovsky" is French-made: the composer table reads
it, ``query.composerkeys``); "Ёлка" is "elka". Two names spelled alike in Latin are one key,
the trade accent folding already makes ("Кино" and the English band Kino; "Mø" and "Mo").

Not transliterated: Chinese, Japanese, Korean, Arabic, Hebrew, Thai and the rest keep their
letters in the key. Kanji have several readings, Arabic and Hebrew leave their vowels out: a
guessed reading would be no spelling a listener shares, and would join strangers.
"""

from __future__ import annotations

import re

#: the scripts read here: a string with neither is returned as it is
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_GREEK = re.compile("[\u0370-\u03ff]")

#: a letter before (lookbehind) or after (lookahead): "no letter" is a word's edge
_EDGE_BEFORE = r"(?<![^\W\d_])"
_EDGE_AFTER = r"(?![^\W\d_])"

#: Russian by BGN/PCGN simplified, with the letters of the other Cyrillic alphabets that no
#: table below overrides (Old Russian, Kazakh: "ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ")
_RUSSIAN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "є": "ye", "ґ": "g", "ђ": "d", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
    "ѕ": "dz", "ѣ": "e", "ѳ": "f", "ѵ": "i",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
}
#: Ukrainian (and Belarusian) where it differs: the national system of 2010, "ye"/"yu"/"ya"
_UKRAINIAN = _RUSSIAN | {"г": "h", "и": "y", "і": "i", "є": "ye"}
#: Serbian and Macedonian: their Latin alphabet, as ``labels.fold_letters`` folds it ("č" "c")
_SERBIAN = _RUSSIAN | {"ж": "z", "х": "h", "ц": "c", "ч": "c", "ш": "s"}
_TABLES = {name: str.maketrans(t) for name, t in
           (("russian", _RUSSIAN), ("ukrainian", _UKRAINIAN), ("serbian", _SERBIAN))}
_SERBIAN_LETTERS = re.compile("[ђјљњћџѕ]")
_UKRAINIAN_LETTERS = re.compile("[ієґ]")

#: a word's last "-ий"/"-ый" ("й" stripped to "и"): "y" in Russian, "yi" in Ukrainian
_FINAL_IJ = re.compile("[иы]и" + _EDGE_AFTER)
#: "я" after "и"/"і": "a" ("Мария" "maria")
_IA = re.compile("(?<=[иі])я")
#: the soft sign before a vowel it keeps apart: "y" ("Ильич", "Прокофьев", "Кръстьо")
_SOFT_Y = re.compile("ь(?=[еиіо])")
#: the hard sign: nothing before "е", "ю", "я" (Russian), else Bulgarian's vowel "a"
_HARD_VOWEL = re.compile("ъ(?![еюя])")

_GREEK_LETTERS = str.maketrans({
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
})
#: Greek letter pairs read as one sound, first those at a word's first letter
_GREEK_PAIRS = (
    (re.compile(_EDGE_BEFORE + "μπ"), "b"), (re.compile(_EDGE_BEFORE + "ντ"), "d"),
    (re.compile(_EDGE_BEFORE + "γκ"), "g"),
    (re.compile("μπ"), "mb"), (re.compile("ντ"), "nt"), (re.compile("γκ"), "ng"), (re.compile("γ(?=[γξχ])"), "n"),
    (re.compile("ου"), "ou"),
    # "αυ", "ευ", "ηυ": "f" before a voiceless consonant and at a word's end, else "v"
    (re.compile("(?<=[αεη])υ(?:(?=[θκξπστφχψ])|" + _EDGE_AFTER + ")"), "f"),
    (re.compile("(?<=[αεη])υ"), "v"),
)


def to_latin(text: str) -> str:
    """``text`` (casefolded, without combining marks) with its Cyrillic and Greek letters in
    Latin ones, by the rules above; every other character as it is."""
    if text.isascii():
        return text
    if _CYRILLIC.search(text):
        text = _cyrillic(text)
    if _GREEK.search(text):
        text = _greek(text)
    return text


def _cyrillic(text: str) -> str:
    if _SERBIAN_LETTERS.search(text):
        return text.translate(_TABLES["serbian"])
    ukrainian = bool(_UKRAINIAN_LETTERS.search(text))
    text = _FINAL_IJ.sub("yi" if ukrainian else "y", text)
    text = _IA.sub("a", text)
    text = _SOFT_Y.sub("y", text)
    text = _HARD_VOWEL.sub("a", text)
    return text.translate(_TABLES["ukrainian" if ukrainian else "russian"])


def _greek(text: str) -> str:
    for pattern, latin in _GREEK_PAIRS:
        text = pattern.sub(latin, text)
    return text.translate(_GREEK_LETTERS)
