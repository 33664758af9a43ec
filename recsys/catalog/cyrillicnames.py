"""An artist the library names in Cyrillic and in a Latin spelling of its own: one artist.

``recsys.translit`` keys a Cyrillic name by one system (BGN/PCGN for Russian, the national ones
for Ukrainian and Serbian), so "Кино" and "Kino" are one key already. But a name has as many
Latin spellings as there are systems and habits: "Виктор Цой" is "Viktor Tsoi" (the key),
"Viktor Tsoy" (iTunes), "Viktor Coj" (ISO 9, Czech and Polish sites); "Мумий Тролль" is the
band's own "Mumiy Troll" and a download's "Mumij Troll"; "Сплин" calls itself "Splean";
"Океан Ельзи" "Okean Elzy"; "Ляпис Трубецкой" "Lyapis Trubetskoy"; Serbian "Цеца" is "Ceca"
(no Serbian letter tells the key it is Serbian, so it read "tsetsa") and "Ђорђе Балашевић"
"Djordje Balasevic". A Russian listener's library holds these side by side (an EAC rip in
Cyrillic, an iTunes purchase and a hitmo download in Latin), so the artist facet showed one band
in two or three rows and ``--artist "Mumiy Troll"`` found a third of its songs.

So, as ``abjadnames`` does for Arabic: a Latin name is a spelling of a Cyrillic name where its
letters (``abjadnames.latin_letters``: folded, run together, a doubled letter once) are the
Cyrillic name's letters each read as one of the Latin spellings it is given (``_LATIN``): "ц"
"ts", "c", "tz" or "z"; "й" "y", "i", "j" or nothing; "х" "kh", "h", "ch" or "x"; "ь" nothing,
"y", "i" or "j"; "я" "ya", "ja", "ia" or "a"; Serbian "ђ" "dj" or "d". Unlike an abjad, Cyrillic
writes every vowel, so each letter of the Latin name is accounted for. Only names of the library
are joined, and only where that is safe: a Cyrillic name of four letters or more, a Latin name
that reads as one Cyrillic artist's alone, no name a MusicBrainz id places already. The joined
names become one artist as ``artistids`` makes an id's spellings one (``TrackRecord.artist_ids``,
an id of their own: "cyrillic:" and the Cyrillic name's key). Names as tagged are never changed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

from recsys.catalog.abjadnames import latin_letters, reading_groups
from recsys.catalog.artistids import with_spelling_ids
from recsys.catalog.model import TrackRecord
from recsys.labels import label_key

#: the mark of the ids this module gives (``artistids`` keys a name by them as by MusicBrainz's)
CYRILLIC_ID = "cyrillic:"

#: each Cyrillic letter (lowercase, composed: "й", "ё", "ї" are letters of their own here) ->
#: its Latin spellings in the systems and habits listeners meet: BGN/PCGN, ISO 9 and the Czech
#: and Polish ones, German ("sch", "tsch", "w"), the national Ukrainian, Bulgarian ("щ" "sht",
#: "ъ" "a") and Serbian Latin systems, as folded by ``latin_letters`` ("č" "c", "đ" "d");
#: "" among them: it may go unwritten
_LATIN: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g", "h", "gh"), "д": ("d",),
    "е": ("e", "ye", "je", "ie"), "ё": ("yo", "jo", "io", "e", "o"), "ж": ("zh", "z", "j", "zj", "sh"),
    "з": ("z", "s"), "и": ("i", "y", "ea"), "й": ("y", "i", "j", ""), "к": ("k", "c", "ck"),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s", "c"),
    "т": ("t",), "у": ("u", "ou", "w"), "ф": ("f", "ph"), "х": ("kh", "h", "ch", "x"),
    "ц": ("ts", "c", "tz", "z", "tc", "cz"), "ч": ("ch", "c", "tch", "tsch", "cz", "tsh"),
    "ш": ("sh", "s", "sch", "ch", "sz"), "щ": ("shch", "sch", "sh", "sht", "sc", "szcz", "shtch"),
    "ъ": ("", "a", "u"), "ы": ("y", "i", "yi"), "ь": ("", "y", "i", "j"), "э": ("e",),
    "ю": ("yu", "ju", "iu", "u", "you"), "я": ("ya", "ja", "ia", "a"),
    # Ukrainian and Belarusian
    "і": ("i", "y"), "ї": ("yi", "i", "ji"), "є": ("ye", "je", "ie", "e"), "ґ": ("g",), "ў": ("u", "w"),
    # Serbian and Macedonian
    "ђ": ("dj", "d", "gj"), "ј": ("j", "y", "i"), "љ": ("lj", "ly", "l"), "њ": ("nj", "ny", "n"),
    "ћ": ("c", "ch", "tj"), "џ": ("dz", "dj", "j"), "ѓ": ("gj", "g"), "ќ": ("kj", "k"), "ѕ": ("dz", "z"),
}
#: a Cyrillic name's fewest letters for a reading: "Цой" would take any "Coj" or "Tsoy"
MIN_LETTERS = 4
_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=4096)
def cyrillic_reading(name: str) -> re.Pattern[str] | None:
    """What the letters (``latin_letters``) of a Latin spelling of the Cyrillic ``name`` may be,
    as a pattern: each letter as one of its spellings (``_LATIN``), a doubled letter as one ("лл"
    of "Тролль" is the "l" of "Trol", as "Troll" reads); None for a name with a letter of another
    script, or of fewer than ``MIN_LETTERS`` letters."""
    letters = "".join(_WORDS.findall(unicodedata.normalize("NFC", name).casefold()))
    if len(letters) < MIN_LETTERS or any(c not in _LATIN for c in letters):
        return None
    parts: list[str] = []
    previous = ""
    for c in letters:
        if c == previous:
            continue  # a doubled letter: the Latin letters' double is one too
        previous = c
        spellings = _LATIN[c]
        written = "|".join(s for s in spellings if s)
        parts.append(f"(?:{written})?" if "" in spellings else f"(?:{written})")
    # a spelling's own doubled letters are one in ``latin_letters`` ("ts" after "t": "tts" is "ts")
    return re.compile("".join(parts))


def spelling_groups(
    names: Iterable[str], reading_of: Callable[[str], re.Pattern[str] | None] = cyrillic_reading,
) -> dict[str, str]:
    """The library's artist ``names`` that are one artist by a Cyrillic reading (or another
    script's, ``reading_of``: ``greeknames``): each such name -> the key of its Cyrillic name
    (the group's id). A Cyrillic name joins only where a Latin name reads as it (and a Latin name
    not its key already), a Latin name only where it reads as the Cyrillic names of one artist
    alone."""
    return reading_groups(names, reading_of)


def cyrillic_spellings(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each credited name of an artist the library names in Cyrillic and in a Latin
    spelling its key does not make one given that artist's id (``TrackRecord.artist_ids``,
    "cyrillic:" and its Cyrillic key), for ``artistids.same_artists`` to key them as one; names a
    MusicBrainz id places keep theirs alone."""
    return with_spelling_ids(tracks, CYRILLIC_ID, spelling_groups)


_DIGITS = re.compile(r"\d+")


def reads_as(typed: str, name: str, reading_of: Callable[[str], re.Pattern[str] | None] = cyrillic_reading) -> bool:
    """Whether ``typed``, in Latin letters, is a spelling of the Cyrillic ``name`` by its
    reading (``cyrillic_reading``): "Utekay" of "Утекай" (й as "y", where the key's system
    writes "i"), "Shturche" of Bulgarian "Щурче" ("щ" as "sht"), "Yolka" of "Ёлка"; their
    numbers alike ("Zvezda 2" is no "Звезда 3"). False for a ``name`` it gives no reading.
    ``reading_of``: another script's reading (``greeknames``)."""
    letters = latin_letters(typed)
    if not letters or name.isascii():
        return False
    reading = reading_of(name)
    return reading is not None and reading.fullmatch(letters) is not None \
        and _DIGITS.findall(typed) == _DIGITS.findall(name)


def typed_cyrillic_keys(
    typed: str, names: Iterable[str], reading_of: Callable[[str], re.Pattern[str] | None] = cyrillic_reading,
) -> set[str]:
    """The keys (``label_key``) of the Cyrillic names among ``names`` that a name typed in Latin
    letters is a spelling of (``reads_as``): "Yolka" -> {key of "Ёлка"}, "Mumiy Troll" ->
    {key of "Мумий Тролль"}, for a library that names them in Cyrillic alone, where no Latin
    spelling of its own joined them (``cyrillic_spellings``) and their keys' system spells them
    otherwise ("yolka", "mumii troll"); empty for a typed name with another letter, or none read.
    A translation is no spelling: "Aquarium" reads as no "Аквариум" ("Akvarium" does).
    ``reading_of``: another script's reading (``greeknames``)."""
    if not latin_letters(typed):
        return set()
    return {label_key(n) for n in dict.fromkeys(names) if n and reads_as(typed, n, reading_of)}
