"""Several genres a tagger wrote as one comma-joined value, read as those genres.

qobuz-dl writes a Qobuz album's genre path as one value: "Pop/Rock, Rock", "Jazz, Cool Jazz",
"Jazz, Jazz Fusion & Jazz Rock"; a Spotify-genre tagger writes "hip hop, rap, trap". Each was
one genre nobody asks for ("--genre Jazz" missed Miles Davis's Qobuz "Kind Of Blue"). Split
only where every part is a genre: Discogs' one genre "Folk, World, & Country" (its last part
"& Country" is no genre) stays one, as does any comma-holding name whose parts are not all
genres. A part is a genre when its ``labels.genre_key`` is one of the genres the tags name by
number (ID3v1's, as mutagen names them) or spell otherwise (``labels.GENRE_SPELLINGS``), or a
few common ones ID3v1 lacks, or a genre the library tags on its own elsewhere; or when it is
such a genre qualified ("Cool Jazz", "Jazz Fusion": its last word one), or several joined by
"/" or "&" ("Pop/Rock", "Jazz Fusion & Jazz Rock").

Runs over the whole library (``librarypasses``): the library's own genres are known only then.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mutagen._constants import GENRES as ID3V1_GENRES

from recsys.catalog.model import TrackRecord
from recsys.labels import GENRE_SPELLINGS, genre_key

#: common genres ID3v1's list (1997-2010) lacks, which the streaming stores' and Spotify's
#: genre lists write: a list's part such as "trap" is a genre without the library naming it
_MORE_GENRES = (
    "Trap", "Drill", "Grime", "Afrobeats", "Afrobeat", "Amapiano", "Reggaeton", "Dancehall", "K-Pop",
    "J-Pop", "Cantopop", "Mandopop", "EDM", "Electronica", "Singer-Songwriter", "World", "Latin Pop",
    "Contemporary R&B", "Neo Soul", "Hyperpop", "Phonk", "Lo-Fi", "Soundtrack", "Classical", "Vocal Jazz",
)

_KNOWN_KEYS = frozenset(
    genre_key(name) for name in (
        *ID3V1_GENRES, *_MORE_GENRES, *GENRE_SPELLINGS,
        *(spelling for spellings in GENRE_SPELLINGS.values() for spelling in spellings),
    )
)

#: Discogs' genres whose own name holds commas: one genre however the tags punctuate it
#: ("Folk, World, & Country", "Folk, World & Country", "Folk, World and Country")
_ONE_GENRES = frozenset({genre_key("Folk, World, & Country")})

#: the separator between a list's genres: a comma and the space after it ("Pop, Rock"), or a
#: comma alone between words ("Pop,Rock"); never a comma inside a number ("1,000")
_COMMA = re.compile(r"\s*,\s*")
#: "/" and "&" join genres into one name of several ("Pop/Rock", "Jazz Fusion & Jazz Rock")
_JOINER = re.compile(r"\s*[/&+]\s*")


def _is_genre(part: str, known: frozenset[str]) -> bool:
    """Whether ``part`` names a genre: known, or a known genre qualified ("Cool Jazz"), or known
    genres joined by "/" or "&". An empty piece ("& Country": Discogs' "Folk, World, & Country")
    is none."""
    pieces = _JOINER.split(part)
    if len(pieces) > 1:
        return all(_is_genre(p, known) for p in pieces)
    words = part.split()
    if not words:
        return False
    return genre_key(part) in known or genre_key(words[-1]) in known


def genre_list(value: str, library_genres: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """``value``'s genres when it is a comma-joined list of genres ("Jazz, Cool Jazz" ->
    ("Jazz", "Cool Jazz")), else ``(value,)``; ``library_genres`` the keys of the library's own
    genres, known beside the genres known everywhere."""
    if "," not in value or genre_key(value) in _ONE_GENRES:
        return (value,)
    parts = _COMMA.split(value.strip())
    known = _KNOWN_KEYS | library_genres if library_genres else _KNOWN_KEYS
    if len(parts) < 2 or not all(_is_genre(p, known) for p in parts):
        return (value,)
    return tuple(parts)


def split_genre_lists(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with each comma-joined list of genres read as its genres (``genre_list``)."""
    if not any("," in g for t in tracks for g in t.genres):
        return tracks
    known = frozenset(genre_key(g) for t in tracks for g in t.genres if "," not in g)
    out: list[TrackRecord] = []
    for track in tracks:
        if any("," in g for g in track.genres):
            genres = tuple(dict.fromkeys(p for g in track.genres for p in genre_list(g, known)))
            track = replace(track, genres=genres) if genres != track.genres else track
        out.append(track)
    return out
