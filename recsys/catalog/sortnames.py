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

A title's sort tag in Latin letters, where the title is written in another script, is its
reading (``title_reading``: "Yoru ni Kakeru" of "夜に駆ける"), kept for the seeds a listener types.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Iterable

from recsys.catalog.artistfolders import in_reading_order
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.labels import script_of

#: "Last, First": one comma, neither side empty, no "&" / "and" / "+" (a band of several names)
_PERSON = re.compile(r"^(?P<last>[^,]*\S)\s*,\s*(?P<first>\S[^,]*)$")
_SEVERAL = re.compile(r"&|\+|\band\b|\bund\b|\bet\b|\by\b", re.IGNORECASE)


def _names(track: TrackRecord) -> Iterable[str]:
    return (track.artist, track.album_artist, track.composer, *track.artists)


def swapped(name: str) -> str | None:
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
        turned = swapped(name)
        if turned is not None and normalise_title(turned) in spelled:
            mapping[name] = spelled[normalise_title(turned)]
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


def title_reading(title: str, sort: str) -> str:
    """A title's sort tag where it is the title's reading in Latin letters: a Japanese tagger's
    TITLESORT "Yoru ni Kakeru" of "夜に駆ける", "Idol" of "アイドル" (what a listener without a
    Japanese keyboard types), else "". A title in Latin letters has no other reading: its sort
    tag ("Love Song" of "A Love Song", iTunes' article dropped) says nothing a seed needs."""
    sort = " ".join(sort.split())
    if not sort or not any(c.isalpha() and not unicodedata.name(c, "").startswith("LATIN") for c in title):
        return ""
    if script_of(sort) != "latin" or normalise_title(sort) == normalise_title(title):
        return ""
    return sort


#: what may follow a title in its versions' titles: a bracket, a wrapped mark, "off vocal"
_VERSION_AFTER = re.compile(r"^\s*(?:[\(\[（［【].*|[-~～〜]\S.*[-~～〜]|off\s?vocal.*)$", re.IGNORECASE)


def shared_readings(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, a title's reading lent to the artist's other copies and versions of it
    that have none: the single's "アイドル" read "Idol" by its sort tag, and a fan's untagged
    copy "アイドル", its "アイドル -TV Size-" and "アイドル (Instrumental)" by the same artist
    (a download titled "Idol" is that song, to the seeds and the dedup). A version is the title
    followed by a bracket, a mark wrapped in hyphens or wave dashes, or "off vocal"."""
    readings: dict[tuple[str, str], tuple[str, str]] = {}  # (artist, title) normalised -> (title, reading)
    for track in tracks:
        if track.title_sort:
            readings.setdefault((normalise_title(track.artist), normalise_title(track.title)), (track.title, track.title_sort))
    if not readings:
        return tracks
    by_artist: dict[str, list[tuple[str, str]]] = {}
    for (artist, _), pair in readings.items():
        by_artist.setdefault(artist, []).append(pair)
    out = []
    for track in tracks:
        if not track.title_sort and (known := by_artist.get(normalise_title(track.artist))):
            reading = _reading_of(track.title, known)
            if reading:
                track = replace(track, title_sort=reading)
        out.append(track)
    return out


def _reading_of(title: str, known: list[tuple[str, str]]) -> str:
    """The reading ``known`` (an artist's (title, reading) pairs) gives ``title``: its own
    title's, or a version's of a shorter title ("アイドル -TV Size-" of "アイドル"), else ""."""
    folded = unicodedata.normalize("NFKC", title).strip()
    for plain, reading in sorted(known, key=lambda pair: -len(pair[0])):
        base = unicodedata.normalize("NFKC", plain).strip()
        if normalise_title(folded) == normalise_title(base):
            return reading
        if folded.startswith(base) and _VERSION_AFTER.match(folded[len(base):]) and normalise_title(base):
            return reading
    return ""
