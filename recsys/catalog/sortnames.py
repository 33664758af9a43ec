"""Names tagged in sort form, "Davis, Miles" or "Bach, Johann Sebastian", where the library
names the same person in reading order elsewhere.

Tags filled from a sort field, by a person typing as a shelf is sorted, or from an old CD
database (classical discs gave "Beethoven, Ludwig van" as the composer) hold a name last name
first; the same library's other files say "Miles Davis". Two spellings were two artist (or
composer) nodes in the graph, two facet rows and two artist caps for one person, and
``--only-artist "Miles Davis"`` missed half of his tracks.

A name with exactly one comma and no "&" or "and" ("Earth, Wind & Fire" and "Crosby, Stills &
Nash" have them), whose two sides read the other way round is a name the library holds in
reading order, is read so, as the library spells it. Without such a witness a name stays as
tagged: "Tyler, The Creator" is an artist's whole name, and a library of sort-form names only
is one spelling throughout anyway. An article left at the end ("Beatles, The") is read in
reading order always, as a folder's name is (``artistfolders.in_reading_order``).
Names compare as ``normalise_title`` makes them (case, accents, punctuation).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from recsys.catalog.artistfolders import in_reading_order
from recsys.catalog.model import TrackRecord, normalise_title

#: "Last, First": one comma, neither side empty, no "&" / "and" / "+" (a band of several names)
_PERSON = re.compile(r"^(?P<last>[^,]*\S)\s*,\s*(?P<first>\S[^,]*)$")
_SEVERAL = re.compile(r"&|\+|\band\b|\bund\b|\bet\b|\by\b", re.IGNORECASE)


def _names(track: TrackRecord) -> Iterable[str]:
    return (track.artist, track.album_artist, track.composer, *track.artists)


def _swapped(name: str) -> str | None:
    """"Davis, Miles" -> "Miles Davis"; None for a name of no such form."""
    match = _PERSON.match(name.strip())
    if match is None or _SEVERAL.search(name):
        return None
    return f"{match.group('first').strip()} {match.group('last').strip()}"


def reading_order_names(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, their names in sort form read in reading order where the library vouches
    for it (see the module)."""
    spelled: dict[str, str] = {}  # normalised -> the library's first spelling in reading order
    commas: set[str] = set()
    for track in tracks:
        for name in _names(track):
            if not name:
                continue
            if "," in name:
                commas.add(name)
            else:
                spelled.setdefault(normalise_title(name), name)
    if not commas:
        return tracks
    mapping: dict[str, str] = {}
    for name in commas:
        article = in_reading_order(name)
        if article != name.strip():
            mapping[name] = spelled.get(normalise_title(article), article)
            continue
        swapped = _swapped(name)
        if swapped is not None and normalise_title(swapped) in spelled:
            mapping[name] = spelled[normalise_title(swapped)]
    if not mapping:
        return tracks
    out: list[TrackRecord] = []
    for track in tracks:
        if any(name in mapping for name in _names(track)):
            track = replace(
                track, artist=mapping.get(track.artist, track.artist),
                album_artist=mapping.get(track.album_artist, track.album_artist),
                composer=mapping.get(track.composer, track.composer),
                artists=tuple(mapping.get(a, a) for a in track.artists),
            )
        out.append(track)
    return out
