"""Discogs' numbers: the "(2)" that Discogs puts after an artist's name when its database holds
another artist of that name, as its taggers copy it into the tags.

Mp3tag's Discogs source and discogstagger write the artist as Discogs lists it: "Nirvana (2)"
is the British band of 1967, "Nirvana" the American one; "Harmonia (2)" the German trio. In a
library holding one of them the number is noise: the artist facet listed "Harmonia (2)",
``--artist Harmonia`` found no one, and the band's own MP3s tagged "Harmonia" elsewhere were
another artist. Where the library holds two artists of that name ("Nirvana" and "Nirvana (2)",
or "(2)" and "(3)"), the number is what tells them apart, as it does on Discogs: two bands, two
graph nodes, two facet rows, no dedup across them; it stays.

A name "X (n)" (n from 2: Discogs' first artist of a name has none; a browser's copy is "(1)")
reads "X" in the artist, the album artist, the credited artists and the composer, unless the
library names another artist "X" or "X (m)". Names compared as the artist filter compares
them (``labels.label_key``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from recsys.catalog.model import TrackRecord
from recsys.labels import label_key

_NUMBERED = re.compile(r"^(?P<name>\S.*?)\s+\((?P<number>[1-9]\d{0,3})\)$")


def discogs_number(name: str) -> tuple[str, int] | None:
    """(the name, its Discogs number) of "Nirvana (2)"; None for a name without one."""
    match = _NUMBERED.match(name.strip())
    if match is None or int(match.group("number")) < 2:
        return None
    return match.group("name"), int(match.group("number"))


def _names(track: TrackRecord) -> tuple[str, ...]:
    return (track.artist, track.album_artist, *track.artists, track.composer)


def without_discogs_numbers(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with each Discogs number that tells no two artists of the library apart
    taken off the names (the artist string keeps its credits: "Nirvana (2) feat. X" reads
    "Nirvana feat. X")."""
    numbered = {name for t in tracks for name in _names(t) if name and discogs_number(name)}
    if not numbered:  # most libraries: nothing more to read
        return tracks
    numbers: dict[str, set[int]] = {}  # a bare name's key -> its numbers in the library, 0 for none
    for t in tracks:
        for name in _names(t):
            if name:
                found = discogs_number(name)
                numbers.setdefault(label_key(found[0] if found else name), set()).add(found[1] if found else 0)
    plain: dict[str, str] = {}
    for name in numbered:
        bare, number = discogs_number(name)  # type: ignore[misc]
        if numbers.get(label_key(bare)) == {number}:
            plain[name] = bare
    if not plain:
        return tracks
    return [_plain(t, plain) for t in tracks]


def _plain(track: TrackRecord, plain: dict[str, str]) -> TrackRecord:
    if not any(name in plain for name in _names(track)):
        return track
    artist = plain.get(track.artist, track.artist)
    for credited in track.artists:  # "Nirvana (2) feat. X": the credit within the string
        if credited in plain and credited in artist:
            artist = artist.replace(credited, plain[credited])
    return replace(
        track, artist=artist, album_artist=plain.get(track.album_artist, track.album_artist),
        artists=tuple(plain.get(a, a) for a in track.artists), composer=plain.get(track.composer, track.composer),
    )
