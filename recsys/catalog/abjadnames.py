"""An artist the library names in Arabic, Persian or Hebrew letters and in Latin ones: one artist.

An Arab listener's library names Fairuz "فيروز" on a Deezer download and "Fairuz", "Fairouz" or
"Fayrouz" on iTunes, a compilation and a YouTube rip; Umm Kulthum "أم كلثوم", "Umm Kulthum",
"Oum Kalthoum", "Om Kalsoum"; Googoosh "گوگوش"; Ofra Haza "עפרה חזה". ``label_key`` keys the
letters (``recsys.translit`` reads no Arabic: its vowels are not written, so no reading is the
one a listener types), so the artist facet showed one singer in five rows and ``--artist
fairuz`` found a third of her songs.

These scripts are abjads: they write a name's consonants, its long vowels as the letters ا و ي
(which are consonants too: "w", "y"), and leave its short vowels out. Every Latin spelling of a
name keeps those consonants and adds vowels as its language hears them. So a Latin name is a
spelling of an abjad name where its consonants, vowels taken out, are the abjad name's letters
each read as one of the Latin spellings it is given (``_LATIN``): ف "f" or "ph", ث "th", "t"
or "s" (Egypt says "Kalsoum"), ج "j", "g" or "dj", ش "sh" or "ch" (French), ق "q", "k", "g" or
nothing; a long vowel (ا و ي), ع, ء, ح and ه may be written or not. "Fairuz", "Fairouz",
"Fayrouz" and "Feyrouz" are "frz" or "fyrz", and فيروز reads "f(y)r(w)z".

Only names of the library are joined, and only where that is safe: an abjad name whose reading
fixes three letters or more (a shorter one, "وردة" "w?rd", would take any "Ward" or "Word"),
and a name of one word five with its long vowels (``MIN_ONE_WORD``: "كريم" would take the band
"Cream"), Latin names that read as one abjad artist's alone, and no name a MusicBrainz id places already
(``artistids`` keys those). The joined names become one artist as ``artistids`` makes an id's
spellings one: the same evidence (``TrackRecord.artist_ids``), with an id of its own
("abjad:" and the abjad name's key). Names as tagged are never changed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

from recsys.catalog.artistids import with_spelling_ids
from recsys.catalog.model import TrackRecord
from recsys.labels import fold_letters, label_key, without_honorific

#: the mark of the ids this module gives (``artistids`` keys a name by them as by MusicBrainz's)
ABJAD_ID = "abjad:"

#: each letter of an abjad name (after ``labels.fold_letters``: alef maksura and Persian yeh are
#: yeh, keheh kaf, teh marbuta heh, hamza's alefs alef) -> the Latin spellings of it; "" among
#: them: it may be left unwritten (a long vowel, a glottal stop, ع, a soft h)
_LATIN: dict[str, tuple[str, ...]] = {
    # Arabic
    "ا": ("",), "ء": ("",), "ع": ("",), "ب": ("b", "p"), "ت": ("t",), "ث": ("th", "t", "s"),
    "ج": ("j", "g", "dj", "dsh"), "ح": ("h", ""), "خ": ("kh", "h", "ch", "k", "x"), "د": ("d",),
    "ذ": ("dh", "z", "d", "th"), "ر": ("r",), "ز": ("z",), "س": ("s", "c"), "ش": ("sh", "ch", "sch", "s"),
    "ص": ("s", "c"), "ض": ("d", "dh"), "ط": ("t",), "ظ": ("z", "dh", "d"), "غ": ("gh", "g", "r"),
    "ف": ("f", "ph"), "ق": ("q", "k", "g", ""), "ك": ("k", "c", "ck", "q"), "ل": ("l",), "م": ("m",),
    "ن": ("n",), "ه": ("h", ""), "و": ("w", "v", ""), "ي": ("y", ""),
    # Persian's own letters
    "پ": ("p",), "چ": ("ch", "tch", "tsh", "c"), "ژ": ("zh", "j"), "گ": ("g",),
    # Hebrew (its final forms as the letters)
    "א": ("",), "ב": ("b", "v"), "ג": ("g", "j"), "ד": ("d",), "ה": ("h", ""), "ו": ("v", "w", ""),
    "ז": ("z",), "ח": ("ch", "h", "kh"), "ט": ("t",), "י": ("y", ""), "כ": ("k", "ch", "kh"),
    "ך": ("k", "ch", "kh"), "ל": ("l",), "מ": ("m",), "ם": ("m",), "נ": ("n",), "ן": ("n",),
    "ס": ("s",), "ע": ("",), "פ": ("p", "f", "ph"), "ף": ("p", "f", "ph"), "צ": ("tz", "ts", "z", "s"),
    "ץ": ("tz", "ts", "z", "s"), "ק": ("k", "q"), "ר": ("r",), "ש": ("sh", "s"), "ת": ("t", "th", "s"),
}
#: the long vowels (and Hebrew's alef): inside a word, a Latin spelling writes them as their
#: consonant or as vowels ("فيروز": "Fairuz", "Fayrouz"; never "Freeze", which has none between
#: "f" and "r"); at a word's end they may go unwritten (the silent "و" of "عمرو", "Amr")
_LONG: dict[str, tuple[str, ...]] = {"ا": (), "و": ("w", "v"), "ي": ("y",), "א": (), "ו": ("v", "w"), "י": ("y",)}
#: the vowel a long vowel written as vowels has among them: ا (ā) an "a", و (ū, ō) an "o" or a
#: "u", ي (ī, ē) an "i", an "e" or a "y" ("Fairuz", "Fayrouz", "Marcel"); the band "Camel" is
#: no "كمال" (Kamal), nor "Mariano" "مروان" (Marwan). A word's first alef (its hamza's seat:
#: "أم كلثوم" is "Umm Kulthum") any vowel, and Hebrew's letters too: its doubled yod is a
#: consonant ("אייל" is "Eyal")
_LONG_VOWEL: dict[str, str] = {"ا": "a", "و": "ou", "ي": "iey"}
#: a Latin spelling's vowels ("y" is one in "Nancy", a consonant in "Fayrouz": either)
_VOWELS = "[aeiouy]"
_DOUBLED = re.compile(r"(.)\1+")
#: a reading must fix this many consonants: "وردة" fixes two ("w?rd"), and any "Ward" would match
MIN_FIXED = 3
#: a name of one word must have this many letters a Latin spelling writes (its fixed consonants
#: and the long vowels inside it): "فيروز" (f, ي, r, و, z) and "گوگوش" have five, as "شاكيرا",
#: "مادونا" and "كارمن"; "كريم" (Karim: k, r, ي, m), "كمال" (Kamal), "سمير" (Samir) and
#: "سلمى" (Salma) four or three, which short English names read as too: the bands "Cream",
#: "Camel", a "Summer", a "Slim", beside an Arab's singer in one library, were one artist
MIN_ONE_WORD = 5
_WORDS = re.compile(r"[^\W\d_]+")


def latin_letters(name: str) -> str:
    """A Latin name's letters as an abjad reading compares them: folded and lowercased, its
    letters alone, run together, a doubled letter once: "Umm Kulthum" -> "umkulthum",
    "Fayrouz" -> "fayrouz"; "" for a name with a letter that is no Latin one."""
    text = fold_letters(without_honorific(name)).lower()
    letters = "".join(c for c in text if c.isalpha())
    if not letters.isascii():
        return ""
    return _DOUBLED.sub(r"\1", letters)


#: the Arabic article "ال" before a word of its own: a Latin spelling writes it "al", "el", as the
#: sun letter it takes ("ar-Rahbani": "arahbani" once the double letter is one) or not at all
#: ("زياد الرحباني" is "Ziad Rahbani", "كاظم الساهر" "Kadim Al Sahir")
_ARTICLE = "ال"
#: a family's ensemble, its first word in Arabic ("الأخوين رحباني": the two brothers Rahbani) or
#: Hebrew, and the words a Latin name gives it instead, after the family's name ("Rahbani
#: Brothers") or, in French, before it ("Les Frères Rahbani")
_FAMILY: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    **dict.fromkeys(("الاخوين", "الاخوان", "الاخوه", "اخوان", "האחים"), (("brothers", "bros"), ("lesfreres", "freres"))),
    **dict.fromkeys(("الاخوات", "האחיות"), (("sisters",), ("lessoeurs", "soeurs"))),
}


@lru_cache(maxsize=4096)
def abjad_reading(name: str) -> re.Pattern[str] | None:
    """What the letters (``latin_letters``) of a Latin spelling of an Arabic, Persian or Hebrew
    ``name`` may be, as a pattern: each letter as one of its spellings (``_LATIN``, ``_LONG``),
    vowels anywhere between, the article "ال" written or not (``_ARTICLE``), a family's word
    ("الأخوين") as its own or as a Latin name's ("Brothers", ``_FAMILY``); None for a name with
    another letter, or whose reading fixes fewer than ``MIN_FIXED`` consonants."""
    words = _WORDS.findall(fold_letters(name))
    if not words or any(c not in _LATIN for w in words for c in w):
        return None
    family = _FAMILY.get(words[0]) if len(words) > 1 else None
    rest = _letters_reading(words[1:] if family else words)
    if rest is None or (len(words) == 1 and rest[1] < MIN_ONE_WORD):
        return None
    reading = rest[0]
    if family:
        after, before = ("|".join(w) for w in family)
        reading = f"(?:{_letters_reading(words)[0]}|{rest[0]}(?:{after}){_VOWELS}*|(?:{before}){rest[0]})"
    return re.compile(reading)


def _letters_reading(words: list[str]) -> tuple[str, int] | None:
    """``abjad_reading``'s pattern of ``words`` and how many letters it writes (the consonants
    it fixes and the long vowels inside a word); None where the consonants are fewer than
    ``MIN_FIXED``."""
    parts: list[str] = [f"{_VOWELS}*"]
    fixed = 0
    long_vowels = 0  # inside a word: a word's first alef is its hamza's seat
    for word in words:
        article = word.startswith(_ARTICLE) and len(word) > len(_ARTICLE) + 1
        for n, c in enumerate(word):
            spellings = _LATIN[c]
            written = "|".join(s for s in spellings if s)
            if article and n < len(_ARTICLE):
                parts.append("l?" if c == "ل" else "")
            elif c in _LONG and n < len(word) - 1:
                # a word's first alef carries its hamza, whatever vowel it has ("أم" "Umm", "Oum")
                vowels = f"{_VOWELS}*[{_LONG_VOWEL[c]}]{_VOWELS}*" if c in _LONG_VOWEL and n else f"{_VOWELS}+"
                parts.append("(?:" + "|".join((*_LONG[c], vowels)) + ")")
                long_vowels += n > 0
            elif "" in spellings:
                parts.append(f"(?:{written})?" if written else "")
            else:
                parts.append(f"(?:{written})")
                fixed += 1
            parts.append(f"{_VOWELS}*")
    if fixed < MIN_FIXED:
        return None
    return "".join(parts), fixed + long_vowels


def typed_abjad_keys(typed: str, names: Iterable[str]) -> set[str]:
    """The keys (``label_key``) of the abjad names among ``names`` whose reading a name typed in
    Latin letters is: "Marcel Khalife" -> {key of "مارسيل خليفة"}, for a library that names
    him in Arabic alone, where no Latin spelling joined him (``abjad_spellings``); empty for
    a typed name with another letter, or none read."""
    letters = latin_letters(typed)
    if not letters:
        return set()
    return {label_key(n) for n in dict.fromkeys(names)
            if n and not n.isascii() and (r := abjad_reading(n)) is not None and r.fullmatch(letters)}


def reading_groups(names: Iterable[str], reading_of: Callable[[str], re.Pattern[str] | None]) -> dict[str, str]:
    """The library's artist ``names`` that are one artist by a reading of another script's
    letters (``reading_of``: ``abjad_reading`` here, ``cyrillicnames``' and ``greeknames``'
    readings there): each such name -> the key of its name in that script (the group's id). A
    name in the script joins only where a Latin name reads as it (and the Latin name is not its
    key already: a Cyrillic name's key is Latin letters), a Latin name only where it reads as the
    names of one artist alone."""
    script: dict[str, re.Pattern[str]] = {}  # the script name's key -> its reading
    latin: dict[str, str] = {}  # Latin name -> its letters
    spelled: dict[str, list[str]] = {}  # key -> the names of it
    for name in dict.fromkeys(names):
        if not name:
            continue
        reading = reading_of(name)
        if reading is not None:
            key = label_key(name)
            script.setdefault(key, reading)
            spelled.setdefault(key, []).append(name)
        elif letters := latin_letters(name):
            latin[name] = letters
    out: dict[str, str] = {}
    for name, letters in latin.items():
        found = sorted(k for k, r in script.items() if r.fullmatch(letters))
        if len(found) != 1 or label_key(name) == found[0]:
            continue  # none, or two artists it may be: which one?; or its key is theirs already
        out[name] = found[0]
        for spelling in spelled[found[0]]:
            out[spelling] = found[0]
    return out


def spelling_groups(names: Iterable[str]) -> dict[str, str]:
    """The library's artist ``names`` that are one artist by an abjad reading (``reading_groups``
    with ``abjad_reading``): "Fairuz", "Fayrouz" and "فيروز" -> the key of "فيروز"."""
    return reading_groups(names, abjad_reading)


def abjad_spellings(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each credited name of an artist the library names in an abjad and in Latin
    letters given that artist's id (``TrackRecord.artist_ids``, "abjad:" and its abjad key),
    for ``artistids.same_artists`` to key them as one; names a MusicBrainz id places keep theirs
    alone."""
    return with_spelling_ids(tracks, ABJAD_ID, spelling_groups)
