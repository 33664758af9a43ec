"""An artist tagged by initials, "NFAK", read as the library's artist they stand for.

Fans and cassette rippers write a long name by its initials: a qawwali collector's "NFAK" and
"N.F.A.K." are Nusrat Fateh Ali Khan, whose Real World and EMI albums the same library tags in
full. The letters were an artist of their own: a facet row, an artist node and an artist cap
apart from his, and ``--artist "Nusrat Fateh Ali Khan"`` missed the tracks.

An artist (or a credited artist) that is four capital letters or more, run together or each
followed by a dot, is read as the library's artist whose words begin with
those letters, one word a letter ("Nusrat Fateh Ali Khan"; an honorific before the name is
no word of it: "Ustad Nusrat Fateh Ali Khan" is his name too, ``labels.without_honorific``),
as the library spells that artist most often, where:

- exactly one artist of the library (a track's primary artist or an album artist, by
  ``label_key``) fits: two ("Nusrat Fateh Ali Khan" and a "Naseer Farooq Ahmed Khan") leave
  the letters as tagged;
- the letters are no name the library knows as one: never an album artist (a release filed
  under "ABBA" is the band's own) and never paired with a MusicBrainz artist id (Picard's tags
  say an artist has that name). "ABBA", "KISS", "INXS" are names, not initials, and a library of
  theirs holds no four-word artist whose initials they are; "AC/DC" is no run of letters.

Three letters are too few: "REM", "ELO", "BTS", "TLC" and the like are bands' own names far
more often, and a library's three-word artists many. Accepted: a band named by capitals in a
library without its album artists or ids is read as a four-word artist of its letters where
the library has one (no such pair among the real libraries' artists). The name is read, not
keyed alone (as ``sortnames`` reads "Davis, Miles"): the artist node, the facet row and the cap
are his.
"""

from __future__ import annotations

import re
from dataclasses import replace

from recsys.catalog.model import TrackRecord
from recsys.labels import label_key, without_honorific

#: four capital letters or more, run together ("NFAK") or each with its dot ("N.F.A.K.")
_INITIALS = re.compile(r"^(?:[A-Z]{4,}|(?:[A-Z]\.){4,})$")


def _letters(name: str) -> str:
    """The initials ``name`` is written as ("NFAK" of "N.F.A.K."), or "" for another name."""
    name = name.strip()
    return name.replace(".", "") if _INITIALS.match(name) else ""


def _initials(name: str) -> str:
    """The initials of a name whose every word begins with a capital letter ("NFAK" of
    "Nusrat Fateh Ali Khan", and of "Ustad Nusrat Fateh Ali Khan"), or "" for a name of a
    word, a lower-case particle ("Ludwig van Beethoven"), a band's join ("Simon & Garfunkel")
    or a number."""
    words = without_honorific(name).split()
    if len(words) < 4 or not all(w[0].isalpha() and w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).upper()


def initials_as_names(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each artist tagged by initials read as the library's one artist they stand
    for (see the module); every other track as it is."""
    # initials are capitals alone (``str.isupper`` is true of them): each name asked once
    names = {n for t in tracks for n in (t.artist, t.album_artist, *t.artists)}
    if not any(n.isupper() and _letters(n) for n in names):
        return tracks  # most libraries: no initials, nothing more read
    spellings: dict[str, dict[str, int]] = {}  # an artist's key -> spelling -> tracks naming it so
    for t in tracks:
        for name in {t.artists[0] if t.artists else t.artist, t.album_artist}:
            if name:
                row = spellings.setdefault(label_key(name), {})
                row[name] = row.get(name, 0) + 1
    # the letters -> the keys of the artists whose initials they are
    fits: dict[str, set[str]] = {}
    for key, row in spellings.items():
        for name in row:
            if initials := _initials(name):
                fits.setdefault(initials, set()).add(key)
    # names the library knows as names: an album artist, a name beside its MusicBrainz id
    named = {label_key(t.album_artist) for t in tracks if t.album_artist}
    named |= {label_key(n) for t in tracks for n, _ in t.artist_ids}
    mapping: dict[str, str] = {}
    for t in tracks:
        for name in (t.artist, *t.artists):
            letters = _letters(name) if name else ""
            keys = fits.get(letters, set())
            if len(keys) == 1 and label_key(name) not in named:
                row = spellings[next(iter(keys))]
                mapping[name] = min(row, key=lambda s: (-row[s], s))
    if not mapping:
        return tracks
    out: list[TrackRecord] = []
    for t in tracks:
        if t.artist in mapping or any(a in mapping for a in t.artists):
            artists = tuple(dict.fromkeys(mapping.get(a, a) for a in t.artists))
            t = replace(t, artist=mapping.get(t.artist, t.artist), artists=artists if len(artists) > 1 else ())
        out.append(t)
    return out
