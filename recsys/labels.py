"""The key an artist or a genre is matched and grouped by, wherever it is spelled: one band
tagged "AC/DC" on one album, "ACDC" or "AC_DC" on a folder, typed "ac/dc" or "acdc"; "Guns N'
Roses" with a straight, a curly or a modifier apostrophe, or none; "Post-Rock", "Post Rock",
"Postrock"; "Mø" and "Mo", "Óðinn" and "Odinn"; "Art Blakey & The Jazz Messengers" and "Art
Blakey and the Jazz Messengers", "Rhythm & Blues" and "Rhythm and Blues".

Core, so that the catalog (which writes the key into each payload, ``artist_key`` and
``genres_key``) and the store (whose filters and facets compare by it) share one function.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters NFKD does not decompose, as a Latin keyboard types them: "Mø", "Óðinn", "Þeyr",
#: "Ægir", "Łódź". Folded after the accents are taken off.
_LETTERS = str.maketrans({
    "ø": "o", "Ø": "o", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h", "ı": "i",
    # apostrophes that Unicode calls letters (modifier letters: "Guns ʼnʼ Roses", Hawaiian
    # "ʻOkina"): the ASCII one, punctuation to every key
    "ʼ": "'", "ʻ": "'", "ʹ": "'",
})
#: A word's letters and digits: everything else (spaces, "/", "-", "_", apostrophes of every
#: form, "!", ")))") separates nothing in a key
_WORD = re.compile(r"[^\W_]+")


def fold_letters(text: str) -> str:
    """``text`` without accents (NFKD without combining marks) and with the letters NFKD
    keeps folded to what a Latin keyboard types (``_LETTERS``). ASCII is its own fold."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)


#: "and" in the languages of the libraries read so far: between two words of a name, the "&"
#: it is spelled for
_ANDS = frozenset({"and", "e", "y", "et", "und"})


def label_key(text: object) -> str:
    """An artist or a genre as filters and facets compare it: letters folded
    (``fold_letters``), casefolded, and its words' letters and digits alone, run together, a
    leading "The" dropped: "AC/DC", "AC_DC" and "ACDC" -> "acdc"; "Guns N’ Roses" ->
    "gunsnroses"; "Post-Rock" and "Post Rock" -> "postrock"; "The Beatles" -> "beatles". A
    name of symbols alone ("!!!", "†‡†") keeps them, casefolded: it would be "" otherwise, one
    key for every such name. ``label_key(normalise_label(x)) == label_key(x)``: a key made of an
    older collection's ``artist_norm`` is the key of its artist."""
    words = _words(text)
    # "&" is no word: "and" between two words is none either, as the "&" it is spelled for
    # ("Duke Ellington and His Orchestra", "Duke Ellington & His Orchestra"): one jazz
    # collector's Blue Note and Impulse! copies of one band were two artists. Not a first or
    # last "and" ("And One", "Me and"). Its Portuguese, Italian, Spanish, French and German
    # words too: "Chitãozinho e Xororó" and "Chitãozinho & Xororó" were two artists
    words = [w for i, w in enumerate(words) if w not in _ANDS or i == 0 or i == len(words) - 1]
    return "".join(words) or "".join(str(text).casefold().split())


def _words(text: object) -> list[str]:
    words = _WORD.findall(fold_letters(str(text)).casefold())
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return words
