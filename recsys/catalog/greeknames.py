"""An artist the library names in Greek and in a Latin spelling of its own: one artist.

``recsys.translit`` keys a Greek name by one system (ELOT 743), so "Μίκης Θεοδωράκης" and
"Mikis Theodorakis" are one key already. But Greek names reach a library in as many Latin
spellings as there are habits: the labels' own ("Χάρις Αλεξίου" is "Haris Alexiou", χ as "h",
where the key reads "charis"; "Γιώργος Νταλάρας" "Yiorgos Dalaras"; "Μάνος Χατζιδάκις" "Manos
Hadjidakis"), and the greeklish of download sites and forums, which spells the letters as they
look or are typed ("Xaris Aleksiou": χ as "x", ξ as "ks"; "Giorgos Ntalaras": ντ letter by
letter; "Stelios Kazantzidhs": η as "h"; "Giannis Ploutarxos"). A Greek listener's library holds
them side by side (a Minos-EMI rip in Greek, an iTunes purchase and mp3xd downloads in Latin
letters), so the artist facet showed one singer in two to four rows.

So, as ``cyrillicnames`` does for Cyrillic: a Latin name is a spelling of a Greek name where its
letters (``abjadnames.latin_letters``) are the Greek name's letters each read as one of the Latin
spellings it is given (``_LATIN``), its pairs read as one sound as one of theirs (``_PAIRS``:
"ου" "ou" or "u"; "αι" "ai" or "e"; "ει", "οι" "i"; "αυ"/"ευ" "av"/"ev", "af"/"ef"; "μπ" "b" or
"mb"; "ντ" "d" or "nt"; "γκ"/"γγ" "g" or "ng"; "τζ" "tz", "dz" or "dj"; "γι" before a vowel "y"
or "gi") or letter by letter. Greek writes every vowel, so each letter of the Latin name is
accounted for. Only names of the library are joined, and only where that is safe, as
``cyrillicnames.spelling_groups`` decides: a Greek name of four letters or more, a Latin name
that reads as one Greek artist's alone, no name a MusicBrainz id places already. The joined
names become one artist as ``artistids`` makes an id's spellings one (an id of their own:
"greek:" and the Greek name's key). Names as tagged are never changed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product
from typing import Iterable

from recsys.catalog.artistids import with_spelling_ids
from recsys.catalog.cyrillicnames import MIN_LETTERS, reads_as as script_reads_as, spelling_groups as script_groups
from recsys.catalog.cyrillicnames import typed_cyrillic_keys as typed_script_keys
from recsys.catalog.model import TrackRecord

#: the mark of the ids this module gives (``artistids`` keys a name by them as by MusicBrainz's)
GREEK_ID = "greek:"

#: each Greek letter (lowercase, without its accents) -> its Latin spellings: ELOT 743 (the
#: key's), the labels' older English habits ("h" for χ, "b" for β, "dh" for δ) and greeklish,
#: which writes a letter as it looks on a Latin keyboard (η "h", ω "w", χ "x", ξ "ks", υ "u")
_LATIN: dict[str, tuple[str, ...]] = {
    "α": ("a",), "β": ("v", "b", "w"), "γ": ("g", "gh", "y"), "δ": ("d", "dh"), "ε": ("e",),
    "ζ": ("z",), "η": ("i", "h", "e"), "θ": ("th",), "ι": ("i", "y", "j"), "κ": ("k", "c"),
    "λ": ("l",), "μ": ("m",), "ν": ("n",), "ξ": ("x", "ks"), "ο": ("o",), "π": ("p",),
    "ρ": ("r", "rh"), "σ": ("s",), "ς": ("s",), "τ": ("t",), "υ": ("y", "i", "u"),
    "φ": ("f", "ph"), "χ": ("ch", "h", "x", "kh"), "ψ": ("ps",), "ω": ("o", "w"),
}
#: letter pairs read as one sound -> that sound's spellings (besides the pair's letters read one
#: by one, which every pair may be too: "ντ" "nt", "ου" "oy" in greeklish)
_PAIRS: dict[str, tuple[str, ...]] = {
    "ου": ("ou", "u"), "αι": ("ai", "e", "ae"), "ει": ("ei", "i"), "οι": ("oi", "i"),
    "υι": ("yi", "i"), "αυ": ("av", "af"), "ευ": ("ev", "ef"), "ηυ": ("iv", "if"),
    "μπ": ("b", "mb", "mp"), "ντ": ("d", "nt", "nd"), "γκ": ("g", "ng", "nk"),
    "γγ": ("ng", "g", "nk"), "γχ": ("nch", "nh", "nkh"), "γξ": ("nx", "nks"),
    "τζ": ("tz", "dz", "dj", "j", "z"), "τσ": ("ts", "tz"),
}
#: "γι" before a vowel is one sound, "y" ("Γιώργος" "Yiorgos", "Yorgos", "Giorgos")
_GI = ("gi", "yi", "y", "j", "g")
_VOWELS = frozenset("αεηιουω")
_GREEK_WORDS = re.compile(r"[^\W\d_]+")
#: a diaeresis keeps a vowel out of a pair: "Ζεϊμπέκικο" is "ze-i-mbekiko", not "zimbekiko"
_DIAERESIS = "\u0308"


def _letters(name: str) -> list[tuple[str, bool]] | None:
    """``name``'s letters without their accents, each with whether a diaeresis parts it from the
    letter before; None for a name with a letter that is no Greek one."""
    out: list[tuple[str, bool]] = []
    for word in _GREEK_WORDS.findall(unicodedata.normalize("NFC", name).casefold()):
        for c in unicodedata.normalize("NFD", word):
            if c == _DIAERESIS and out:
                out[-1] = (out[-1][0], True)
            elif not unicodedata.combining(c):
                if c not in _LATIN:
                    return None
                out.append((c, False))
    return out


def _spelled(spellings: Iterable[str]) -> str:
    """``spellings`` as one alternative of a pattern, each also as written after its own first
    letter (``latin_letters`` writes a doubled letter once: "ευ" "ef" after "φ" reads "f")."""
    forms: list[str] = []
    for s in dict.fromkeys(spellings):
        forms.append(s)
        forms.append(f"(?<={s[0]}){s[1:]}")
    return "(?:" + "|".join(forms) + ")"


@lru_cache(maxsize=4096)
def greek_reading(name: str) -> re.Pattern[str] | None:
    """What the letters (``latin_letters``) of a Latin spelling of the Greek ``name`` may be, as
    a pattern: each pair (``_PAIRS``, "γι" before a vowel) as one of its sounds' spellings or its
    letters', each other letter as one of its spellings (``_LATIN``), a doubled letter as one
    ("σσ" of "Θαλασσινός" the "s" of "Thalasinos", as "Thalassinos" reads); None for a name
    with a letter of another script, or of fewer than ``MIN_LETTERS`` letters."""
    letters = _letters(name)
    if letters is None or len(letters) < MIN_LETTERS:
        return None
    parts: list[str] = []
    i = 0
    while i < len(letters):
        c = letters[i][0]
        pair = c + letters[i + 1][0] if i + 1 < len(letters) and not letters[i + 1][1] else ""
        following = letters[i + 2][0] if i + 2 < len(letters) else ""
        if pair in _PAIRS or (pair == "γι" and following in _VOWELS):
            sounds = _PAIRS.get(pair, _GI)
            one_by_one = ("".join(p) for p in product(_LATIN[pair[0]], _LATIN[pair[1]]))
            parts.append(_spelled((*sounds, *one_by_one)))
            i += 2
            continue
        if i and letters[i - 1][0] == c:
            i += 1
            continue  # a doubled letter: the Latin letters' double is one too
        parts.append(_spelled(_LATIN[c]))
        i += 1
    return re.compile("".join(parts))


def spelling_groups(names: Iterable[str]) -> dict[str, str]:
    """The library's artist ``names`` that are one artist by a Greek reading: each such name ->
    the key of its Greek name (``cyrillicnames.spelling_groups``' rules, Greek's reading)."""
    return script_groups(names, greek_reading)


def greek_spellings(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each credited name of an artist the library names in Greek and in a Latin
    spelling its key does not make one given that artist's id (``TrackRecord.artist_ids``,
    "greek:" and its Greek key), for ``artistids.same_artists`` to key them as one; names a
    MusicBrainz id places keep theirs alone."""
    return with_spelling_ids(tracks, GREEK_ID, spelling_groups)


def reads_as(typed: str, name: str) -> bool:
    """Whether ``typed``, in Latin letters, is a spelling of the Greek ``name`` by its reading
    (``greek_reading``, read as ``cyrillicnames.reads_as`` reads a Cyrillic name): "Haris
    Alexiou" of "Χάρις Αλεξίου" (whose key is "charis alexiou"), "Yparho" of "Υπάρχω"; their
    numbers alike. False for a ``name`` it gives no reading."""
    return script_reads_as(typed, name, greek_reading)


def typed_greek_keys(typed: str, names: Iterable[str]) -> set[str]:
    """The keys (``label_key``) of the Greek names among ``names`` that a name typed in Latin
    letters is a spelling of (``reads_as``): "Haris Alexiou" -> {key of "Χάρις Αλεξίου"}, for a
    library that names it in Greek alone; empty for a typed name with another letter, or none
    read. A translation is no spelling: "George Dalaras" reads as no "Γιώργος Νταλάρας"."""
    return typed_script_keys(typed, names, greek_reading)
