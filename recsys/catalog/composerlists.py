"""A composer tag that names several people: "Thelonious Monk, Cootie Williams & Bernie
Hanighen" ('Round Midnight), "Richard Rodgers; Lorenz Hart", "Lennon/McCartney", "Gilbert and
Sullivan", "Holland–Dozier–Holland", or several values of one tag (ID3v2.4's NUL-separated TCOM,
a FLAC's several COMPOSER fields), which the reader joins with "; " (``join_composers``).

Read whole, such a tag was one composer of its own: `--composer "Thelonious Monk"` missed Miles
Davis's 'Round Midnight and the composers facet listed "Lennon/McCartney" apart from "John
Lennon". ``composer_people`` reads it as its people, each as the tag spells him; the query side
(``recsys.query.composers``) counts a track for each of them.

The separators: ";", "/", "&", a word "and", a dash between names ("–", "—", or "-" with spaces
around it; never a hyphen inside a name, "Rimsky-Korsakov", nor one between dates), and a comma,
except where it makes a catalogue's sort form of one person: "Bach, Johann Sebastian", "Vaughan
Williams, Ralph", "Strauss, Johann, Jr.", "Beethoven, Ludwig van (1770-1827)". A comma between
two names each of two words or more ("John Lennon, Paul McCartney") is a list; with a surname
of one word before it, or one given name after it, a sort form. Left as one name, so: "Lennon,
McCartney" (read as a sort form, as "Bach, Johann" is) and "Lennon-McCartney" (a hyphen, as in
"Castelnuovo-Tedesco"). A team's name, "Rodgers & Hammerstein", is its two surnames: each counts
as the composer of the library whose surname it is (the query's rule for a surname alone).

A band's name is one name, as ``credits`` keeps it for an artist (it never splits a primary
artist on "&" or ","): a tag that is exactly (by ``labels.label_key``) an artist of the
library and not a list of full names ("Simon & Garfunkel", "AC/DC", "Florence and the Machine"
beside their own tracks; not "Hans Zimmer & Lisa Gerrard", a duo's album and the two who
wrote its songs), and without the library's word a list of single words closed by "&" or
"and" ("Earth, Wind & Fire", "Crosby, Stills, Nash & Young", "Emerson, Lake & Palmer",
"Blood, Sweat & Tears"): a catalogue names people in full, and its sort form has one comma
("Earth, Wind" was the sort form of a "Wind Earth" beside "Fire"). But a list of surnames is
written so too, "Ellington, Tizol & Mills" (Caravan), "Stock, Aitken & Waterman": where one of
its words is the surname of a composer the library names in full ("Duke Ellington" on other
tracks: ``surnames``), and the whole is no artist of the library (``bands``), it is that many
composers, each a surname as "Rodgers & Hammerstein"'s are. Accepted: without such a
composer ("Stock, Aitken & Waterman" in a library that names none of the three in full) the
list stays one name, and "Crosby, Stills, Nash & Young" on a track of no artist of that name,
in a library with Neil Young's songs, is four composers.
"""

from __future__ import annotations

import re
from typing import AbstractSet, Callable

from recsys.labels import label_key

#: words that join a given name to a surname ("Ludwig van Beethoven"), no name of their own
NAME_PARTICLES = frozenset({"van", "von", "de", "di", "da", "du", "del", "della", "der", "den", "la", "le", "ten",
                            "ter", "y", "dos", "das", "zu"})
#: a generation after the surname ("Johann Strauss II", "Strauss, Johann, Jr."), the son's and
#: the father's words read as "ii" and "i"
GENERATIONS = {"i": "i", "ii": "ii", "iii": "iii", "iv": "iv", "jr": "ii", "junior": "ii", "fils": "ii", "sr": "i",
               "senior": "i", "pere": "i", "père": "i"}
#: the separators no name holds (the comma is read apart: a sort form has one)
_SEPARATORS = re.compile(
    r"\s*[;/&]\s*"
    r"|\s+and\s+"
    r"|(?<=[^\d\s])\s*[–—]\s*(?=[^\d\s])"  # "Holland–Dozier–Holland", not "(1685–1750)"
    r"|(?<=[^\d\s])\s+-\s+(?=[^\d\s])",  # "Lennon - McCartney", not "Rimsky-Korsakov"
    re.IGNORECASE,
)
#: an arranger's mark before his name ("Traditional; arr. John Rutter", "Bizet/arr. Shchedrin"):
#: the tag names him, the mark is no part of his name (the facet listed "arr. John Rutter")
_ARRANGER = re.compile(r"^(?:arr(?:anged)?\.?(?:\s+by)?|arrangement(?:\s+by)?|bearb\.)\s*:?\s+(?=\S)", re.IGNORECASE)
#: what joins several values of one composer tag: a separator ``composer_people`` reads
JOINER = "; "
#: a band's name of single words, listed with commas and closed by "&" or "and": "Earth, Wind &
#: Fire", "Crosby, Stills, Nash & Young" (each word two letters or more, no initials: "Bach, J.
#: & Handel" is no band)
_WORD = r"[^\W\d_][\w'’-]+"
_BAND_OF_WORDS = re.compile(rf"^\s*{_WORD}(?:\s*,\s*{_WORD})+\s*,?\s+(?:&|and)\s+{_WORD}\s*$", re.IGNORECASE)


def join_composers(values: list[str]) -> str:
    """Several values of one composer tag as one composer string (the first of equal ones)."""
    seen: dict[str, str] = {}
    for value in values:
        if value.strip():
            seen.setdefault(" ".join(value.casefold().split()), value.strip())
    return JOINER.join(seen.values())


def _words(part: str) -> list[str]:
    return [w for w in re.split(r"[\s.]+", part.casefold()) if any(c.isalpha() for c in w)]


def _comma_names(chunk: str) -> list[str]:
    """A chunk without other separators as its names: a sort form one, a comma list several."""
    parts: list[str] = []
    for part in (p.strip() for p in chunk.split(",")):
        words = _words(part)
        if not words:  # dates alone ("1685-1750"), or nothing: part of the name before them
            if parts and part:
                parts[-1] = f"{parts[-1]}, {part}"
            continue
        if parts and len(words) == 1 and words[0] in GENERATIONS:  # "Harry Connick, Jr."
            parts[-1] = f"{parts[-1]}, {part}"
            continue
        parts.append(part)
    if len(parts) == 2:
        surname = [w for w in _words(parts[0]) if w not in NAME_PARTICLES]
        given = _words(parts[1].split(",")[0])
        if len(surname) <= 1 or len(given) == 1:  # "Bach, Johann Sebastian", "Vaughan Williams, Ralph"
            return [chunk.strip()]
    return parts


#: a first word that makes a part of a list no person's name: "the Machine", "His Orchestra"
_NO_PERSON = frozenset({"the", "a", "an", "his", "her", "their"})


def _a_full_name(name: str) -> bool:
    """Whether a list's part reads as a person's full name: two words or more, not begun by an
    article ("Hans Zimmer", "Monk, Thelonious"; not "Simon", "the Machine")."""
    words = _words(name)
    return len(words) > 1 and words[0] not in _NO_PERSON


def band_of_words(composer: str) -> bool:
    """Whether a composer tag is written as a band's name of single words ("Earth, Wind &
    Fire", and a list of surnames alike: "Ellington, Tizol & Mills")."""
    return _BAND_OF_WORDS.match(composer) is not None


def maybe_a_band(composer: str) -> bool:
    """Whether a composer tag is a band's name if the library names it as an artist: a list
    of people, not all of them in full ("Simon & Garfunkel", "AC/DC"), or single words
    ("Crosby, Stills, Nash & Young"), read as one name by ``composer_people`` when its
    ``bands`` hold it."""
    people = composer_people(composer)
    return band_of_words(composer) or len(people) > 1 and not all(_a_full_name(p) for p in people)


def _a_band(composer: str, people: list[str], bands: AbstractSet[str],
            surnames: Callable[[str], bool] | None) -> bool:
    """Whether a composer tag that ``people`` would split is a band's one name (see the
    module)."""
    if label_key(composer) in bands and not all(_a_full_name(p) for p in people):
        return True
    # single words: a band's name, unless one is the surname of a composer the library names
    # in full ("Ellington, Tizol & Mills" beside Duke Ellington's songs)
    return band_of_words(composer) and not (surnames is not None and any(surnames(p) for p in people))


def composer_people(composer: str, bands: AbstractSet[str] = frozenset(),
                    surnames: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The people a composer tag names, each as it spells him, in order, each once (case aside):
    the tag itself for one person, and for a band's name (``bands``: the library's artists by
    ``label_key``), a list of single words among them where none is a surname ``surnames``
    knows (whether a word is the surname of a composer the library names in full). Empty for a
    tag of no name."""
    if not composer.strip():
        return ()
    found: dict[str, str] = {}
    if band_of_words(composer):  # single words: each a surname, or together a band's name
        names = [w.strip() for chunk in _SEPARATORS.split(composer) for w in chunk.split(",")]
    else:
        names = [n for chunk in _SEPARATORS.split(composer) for n in _comma_names(_ARRANGER.sub("", chunk.strip()))]
    for name in names:
        if _words(name):
            found.setdefault(" ".join(name.casefold().split()), name)
    people = list(found.values())
    if len(people) > 1 and _a_band(composer, people, bands, surnames):
        return (composer.strip(),)
    return tuple(people)
