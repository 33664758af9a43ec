"""An artist the library names in kana and in romaji: one artist.

``label_key`` keeps Japanese letters as they are (kanji have several readings: ``translit``), so
"ヨルシカ" and "Yorushika" were two keys: a J-pop listener's library holds a CD rip tagged in
kana beside an iTunes purchase or a download tagged in romaji, and the artist facet showed one
artist in two rows; ``--artist yorushika`` found none of a library that names it in kana alone.
Kana, unlike kanji, read one way: each kana is a syllable (a mora), and its Latin spellings are
a small, fixed table, Hepburn with Kunrei/Nihon-shiki and the common habits (``_MORA``): "し"
"shi" or "si", "つ" "tsu" or "tu", "ち" "chi" or "ti", "ふ" "fu" or "hu", "じ" "ji" or "zi";
"きゃ" "kya", "しゃ" "sha" or "sya", "ティ" "ti"; a long vowel as written, doubled or not at
all ("ō" folds to "o"; "おう" "ou", "oo", "oh" or "o"; "ー" the vowel doubled or dropped); a
small "っ" doubling the next consonant ("tch" before "ch"); "ん" "n", or "m" before "b", "m",
"p"; the particles "は" "ha" or "wa", "へ" "he" or "e", "を" "o" or "wo" (never a name's first
kana). A Latin name is a spelling of a kana name where its letters (``abjadnames.latin_letters``:
folded, run together, a doubled letter once) are the kana's morae each read as one of its
spellings, its words in either order for a name of two ("Ayano Kaneko" of "カネコアヤノ", family
name first): "あいみょん" "Aimyon", "ヨアソビ" "YOASOBI", "キタニタツヤ" "Kitani Tatsuya",
"キュウソネコカミ" "Kyuso Nekokami".

Only names of the library are joined, and only where that is safe: a name wholly in kana (a
kanji makes it out of reach: "ずっと真夜中でいいのに。" stays apart from "ZUTOMAYO") of three morae
or more ("ゆず" would take any "Yuzu"), a Latin name that reads as one kana artist's alone, no
name a MusicBrainz id or an earlier join places already. The joined names become one artist as
``artistids`` makes an id's spellings one (``TrackRecord.artist_ids``, an id of their own:
"kana:" and the kana name's key). Names as tagged are never changed. A translation or an English
loanword is no reading ("ビートまりお" reads "biitomario", not "Beat Mario").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from recsys.catalog.abjadnames import latin_letters
from recsys.catalog.artistids import with_spelling_ids
from recsys.catalog.model import TrackRecord
from recsys.labels import label_key

#: the mark of the ids this module gives (``artistids`` keys a name by them as by MusicBrainz's)
KANA_ID = "kana:"

#: each hiragana (katakana are read as their hiragana) -> its Latin spellings
_MORA: dict[str, tuple[str, ...]] = {
    "あ": ("a",), "い": ("i",), "う": ("u",), "え": ("e",), "お": ("o",),
    "か": ("ka",), "き": ("ki",), "く": ("ku",), "け": ("ke",), "こ": ("ko",),
    "が": ("ga",), "ぎ": ("gi",), "ぐ": ("gu",), "げ": ("ge",), "ご": ("go",),
    "さ": ("sa",), "し": ("shi", "si"), "す": ("su",), "せ": ("se",), "そ": ("so",),
    "ざ": ("za",), "じ": ("ji", "zi"), "ず": ("zu",), "ぜ": ("ze",), "ぞ": ("zo",),
    "た": ("ta",), "ち": ("chi", "ti"), "つ": ("tsu", "tu"), "て": ("te",), "と": ("to",),
    "だ": ("da",), "ぢ": ("ji", "di", "zi"), "づ": ("zu", "du", "dzu"), "で": ("de",), "ど": ("do",),
    "な": ("na",), "に": ("ni",), "ぬ": ("nu",), "ね": ("ne",), "の": ("no",),
    "は": ("ha",), "ひ": ("hi",), "ふ": ("fu", "hu"), "へ": ("he",), "ほ": ("ho",),
    "ば": ("ba",), "び": ("bi",), "ぶ": ("bu",), "べ": ("be",), "ぼ": ("bo",),
    "ぱ": ("pa",), "ぴ": ("pi",), "ぷ": ("pu",), "ぺ": ("pe",), "ぽ": ("po",),
    "ま": ("ma",), "み": ("mi",), "む": ("mu",), "め": ("me",), "も": ("mo",),
    "や": ("ya",), "ゆ": ("yu",), "よ": ("yo",),
    "ら": ("ra",), "り": ("ri",), "る": ("ru",), "れ": ("re",), "ろ": ("ro",),
    "わ": ("wa",), "ゐ": ("i", "wi"), "ゑ": ("e", "we"), "を": ("o", "wo"), "ゔ": ("vu", "bu"),
    # small kana standing alone (not after a kana they modify)
    "ぁ": ("a",), "ぃ": ("i",), "ぅ": ("u",), "ぇ": ("e",), "ぉ": ("o",),
    "ゃ": ("ya",), "ゅ": ("yu",), "ょ": ("yo",), "ゎ": ("wa",), "ゕ": ("ka",), "ゖ": ("ke", "ka", "ga"),
}
#: a particle's reading where it is no name's first kana ("こんにちは" "konnichiwa")
_PARTICLE: dict[str, tuple[str, ...]] = {"は": ("wa",), "へ": ("e",)}
#: an i-column kana before a small "ゃ", "ゅ", "ょ": the consonant of "kya", "sha"/"sya", "cha"/"tya"
_YOON: dict[str, tuple[str, ...]] = {
    "き": ("ky",), "ぎ": ("gy",), "し": ("sh", "sy"), "じ": ("j", "jy", "zy"), "ち": ("ch", "ty", "cy"),
    "ぢ": ("j", "dy", "zy"), "に": ("ny",), "ひ": ("hy",), "び": ("by",), "ぴ": ("py",),
    "み": ("my",), "り": ("ry",),
}
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
#: katakana's small vowels after a kana: a sound Japanese lacks ("ファ" "fa", "ティ" "ti", "ウィ" "wi")
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}
_SOKUON = "っ"  # small tsu: the next consonant doubled
_NASAL = "ん"
_LONG_MARK = "ー"  # katakana's long vowel
#: a name's fewest morae for a reading: "ゆず" would take any "Yuzu", "ハチ" any "Hachi"
MIN_MORAE = 3


def _hiragana(c: str) -> str:
    """A katakana's hiragana ("ア" -> "あ", "ヴ" -> "ゔ"); anything else as it is."""
    return chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c


def _is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u3096" or "\u30a1" <= c <= "\u30fa" or c == _LONG_MARK


def _vowel(spellings: tuple[str, ...]) -> str:
    """The vowel the spellings of a mora end in ("" where they end in none, or in several)."""
    ends = {s[-1] for s in spellings if s and s[-1] in "aiueo"}
    return next(iter(ends)) if len(ends) == 1 else ""


@lru_cache(maxsize=4096)
def kana_morae(name: str) -> tuple[tuple[str, ...], ...] | None:
    """The morae of the kana ``name``, each as its Latin spellings ("" among them: it may go
    unwritten); None for a name with a letter that is no kana (a kanji, a Latin letter) or a
    digit, or of fewer than ``MIN_MORAE`` morae. Half-width katakana read as full-width, spaces
    and punctuation ("・", "。") as no mora."""
    text = unicodedata.normalize("NFKC", name)
    kana: list[str] = []
    for c in text:
        if c.isalpha() or c.isdigit():
            if not _is_kana(c) or c in "\u30f7\u30f8\u30f9\u30fa":  # "ヷ".."ヺ": too rare to read
                return None
            kana.append(_hiragana(c))
    morae: list[list[str]] = []
    heads: list[str] = []  # each mora's first kana
    for i, c in enumerate(kana):
        after = heads[-1] if heads and heads[-1] == kana[i - 1] else ""  # a kana the small one modifies
        if c in _SMALL_Y and after in _YOON:
            morae[-1] = [y + _SMALL_Y[c] for y in _YOON[after]]
            continue
        if c in _SMALL_VOWEL and after in _MORA and after not in _SMALL_VOWEL:
            # the kana's consonant with this vowel ("テ"+"ィ" "ti", "フ"+"ァ" "fa", "ヴ"+"ァ" "va";
            # "ウ"+"ィ" "wi")
            consonants = {s[:-1] for s in _MORA[after] if len(s) > 1} or {"w"}
            morae[-1] = sorted({k + _SMALL_VOWEL[c] for k in consonants})
            continue
        vowel = _vowel(tuple(morae[-1])) if morae else ""
        if c == _LONG_MARK:
            # the vowel doubled (one letter once ``latin_letters`` reads it) or dropped, an "o"'s
            # as "ou" or "oh" too
            morae.append(["", "u", "h"] if vowel == "o" else [""])
        elif c == _SOKUON:
            morae.append([""])  # "kk", "pp": one letter once ``latin_letters`` reads it ("tch": below)
        elif c == _NASAL:
            morae.append(["n"])
        elif c in _MORA:
            spellings = list(_MORA[c])
            if i > 0 and c in _PARTICLE:
                spellings += _PARTICLE[c]
            # a long vowel written in kana: "おう" "ou", "o", "oh"; "えい" "ei" or "e"
            if c == "う" and vowel == "o":
                spellings += ["", "h"]
            elif c == "い" and vowel == "e":
                spellings.append("")
            morae.append(spellings)
        else:
            return None
        heads.append(c)
    # what follows decides two readings: "っ" before "ch" is "t" ("matcha"), "ん" before a
    # labial "m" ("Namba" for "なんば", Hepburn's rule)
    for i in range(len(morae) - 1):
        if heads[i] == _SOKUON and any(s.startswith("ch") for s in morae[i + 1]):
            morae[i] = ["", "t"]
        elif heads[i] == _NASAL and any(s[:1] in ("b", "m", "p") for s in morae[i + 1]):
            morae[i] = ["n", "m"]
    # a long vowel is no kana of its own to the name's count
    if sum(h != _LONG_MARK for h in heads) < MIN_MORAE:
        return None
    return tuple(tuple(m) for m in morae)


def _fits(letters: str, morae: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``letters`` (``latin_letters``: a doubled letter once) are ``morae`` each read as
    one of its spellings, the spellings' doubled letters once as well ("kk" of "Nikki": "k")."""
    seen: set[tuple[int, int]] = set()

    def walk(i: int, j: int) -> bool:
        if i == len(morae):
            return j == len(letters)
        if (i, j) in seen:
            return False
        seen.add((i, j))
        for spelling in morae[i]:
            k = j
            for c in spelling:
                if k > 0 and letters[k - 1] == c:
                    continue  # the letter before written again: one letter in ``letters``
                if k < len(letters) and letters[k] == c:
                    k += 1
                else:
                    break
            else:
                if walk(i + 1, k):
                    return True
        return False

    return walk(0, 0)


_WORDS = re.compile(r"[^\W\d_]+")


def _orders(name: str) -> list[str]:
    """The letters (``latin_letters``) of the Latin ``name``, and of its two words the other way
    round ("Ayano Kaneko" and "Kaneko Ayano": a Japanese name's family name first or last)."""
    letters = latin_letters(name)
    if not letters:
        return []
    words = _WORDS.findall(name)
    swapped = latin_letters(f"{words[1]} {words[0]}") if len(words) == 2 else ""
    return [letters, swapped] if swapped and swapped != letters else [letters]


def reads_as(typed: str, name: str) -> bool:
    """Whether ``typed``, in Latin letters, is a romaji reading of the kana ``name``
    (``kana_morae``): "Yorushika" of "ヨルシカ", "Aimyon" of "あいみょん", "Ayano Kaneko" of
    "カネコアヤノ". False for a ``name`` it gives no reading."""
    morae = kana_morae(name)
    return morae is not None and any(_fits(letters, morae) for letters in _orders(typed))


def spelling_groups(names: Iterable[str]) -> dict[str, str]:
    """The library's artist ``names`` that are one artist by a kana reading: each such name ->
    the key of its kana name (the group's id). A kana name joins only where a Latin name reads as
    it, a Latin name only where it reads as the kana names of one artist alone."""
    kana: dict[str, tuple[tuple[str, ...], ...]] = {}  # kana key -> its morae
    latin: dict[str, list[str]] = {}  # Latin name -> its letters, in each order
    spelled: dict[str, list[str]] = {}  # key -> the names of it
    for name in dict.fromkeys(names):
        if not name:
            continue
        morae = None if name.isascii() else kana_morae(name)
        if morae is not None:
            key = label_key(name)
            kana.setdefault(key, morae)
            spelled.setdefault(key, []).append(name)
        elif orders := _orders(name):
            latin[name] = orders
    if not kana:
        return {}
    # the kana names by the letter their reading may begin with: a Latin name is tried against
    # those of its first letter alone (5,000 Latin names and 300 kana ones: 1.8 s -> 0.24 s)
    by_first: dict[str, list[str]] = {}
    for key, morae in kana.items():
        for first in {s[:1] for s in morae[0]}:
            by_first.setdefault(first, []).append(key)
    out: dict[str, str] = {}
    for name, orders in latin.items():
        tried = {k for letters in orders for k in (*by_first.get(letters[0], ()), *by_first.get("", ()))}
        found = sorted(k for k in tried if any(_fits(letters, kana[k]) for letters in orders))
        if len(found) != 1:
            continue  # none, or two kana artists it may be
        out[name] = found[0]
        for spelling in spelled[found[0]]:
            out[spelling] = found[0]
    return out


def kana_spellings(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each credited name of an artist the library names in kana and in romaji given
    that artist's id (``TrackRecord.artist_ids``, "kana:" and its kana key), for
    ``artistids.same_artists`` to key them as one; names another id places keep theirs alone."""
    return with_spelling_ids(tracks, KANA_ID, spelling_groups)


def typed_kana_keys(typed: str, names: Iterable[str]) -> set[str]:
    """The keys (``label_key``) of the kana names among ``names`` that a name typed in Latin
    letters reads as (``reads_as``): "yorushika" -> {key of "ヨルシカ"}, for a library that names
    it in kana alone; empty for a typed name with another letter, or none read."""
    if not latin_letters(typed):
        return set()
    return {label_key(n) for n in dict.fromkeys(names) if n and not n.isascii() and reads_as(typed, n)}
