"""One joined artist's songs however its tracks name them: the credited artist by the name the
reader joined it under, and a title written in Latin letters and in Cyrillic or abjad ones.

The reader makes an artist's several names one artist (``catalog.artistids``, with the
evidence of ``abjadnames``, ``cyrillicnames``, ``initialnames``, ``foldernames``): its primary
artist's joined name is the payload's ``artist_as``, each credited artist's ``artists_as``. A
band's leader credited beside it ("Fela Ransome-Kuti" of "Fela Ransome-Kuti and the Africa
'70", in the ``Fela Kuti/`` folder) is that joined artist to the version keys, as he is to the
filters: "Lady" by the band and by "Fela Kuti" are one song (``joined_name``).

One joined artist's title in two scripts ("Линия жизни" by Сплин, and "Liniya zhizni" by
Splean, which the iTunes store spells so where ``translit`` writes "linia") is one song where
the Latin title is a reading of the other (``cyrillicnames.reads_as``, ``abjadnames.abjad_reading``:
``read_alike``). Those readings are loose (a letter may be written several ways), so they are
asked only of one artist's titles: two of its songs read alike are as rare as they are unlikely.
"""

from __future__ import annotations

from typing import Sequence

from recsys.catalog.abjadnames import abjad_reading, latin_letters
from recsys.catalog.cyrillicnames import reads_as
from recsys.catalog.greeknames import reads_as as reads_as_greek
from recsys.labels import script_of


def joined_name(name: str, credited: Sequence[str], known: Sequence[str]) -> str:
    """``name`` (one of a track's ``credited`` artists) by the name the library joined it under
    (``known``, the payload's ``artists_as``: one per credited artist, "" where it is known as
    tagged); ``name`` itself where the payload says nothing of it."""
    if known and len(known) == len(credited):
        for n, k in zip(credited, known):
            if k and n == name:
                return k
    return name


def read_alike(rows: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Of ``rows`` ((artist key, base title) each), the pairs (i, j) of one artist key whose
    title ``i`` in Latin letters reads as title ``j`` in Cyrillic, Greek or abjad letters:
    "liniya zhizni" and "линия жизни" by "splin", "Yparho" and "Υπάρχω". Asked only where an artist's titles are of both
    scripts (no regular expression for the rest)."""
    by_artist: dict[str, tuple[list[int], list[int]]] = {}
    for i, (artist, title) in enumerate(rows):
        script = script_of(title)
        if artist and script:
            by_artist.setdefault(artist, ([], []))[script != "latin"].append(i)
    pairs: list[tuple[int, int]] = []
    for latin, other in by_artist.values():
        if not latin or not other:
            continue
        for j in dict.fromkeys(other):
            pairs.extend((i, j) for i in latin if reads_alike(rows[i][1], rows[j][1]))
    return pairs


def reads_alike(typed: str, title: str) -> bool:
    """Whether the Latin ``typed`` (a base title) reads as ``title`` in Cyrillic, Greek or abjad
    letters: "chto takoye osen'" as "что такое осень", "yparho" as "υπάρχω". Ask it only of
    one artist's titles (``read_alike``): the readings are loose."""
    if reads_as(typed, title) or reads_as_greek(typed, title):
        return True
    abjad = abjad_reading(title)  # None for a Cyrillic title: its letters are no abjad's (remembered)
    return abjad is not None and abjad.fullmatch(latin_letters(typed)) is not None
