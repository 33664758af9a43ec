"""A band named for its leader, "The Miles Davis Quintet", credits him where the library knows him.

A jazz collector's shelves file one leader under many names: "Miles Davis", "The Miles Davis
Quintet", "Miles Davis Sextet", "Miles Davis & John Coltrane", "Duke Ellington and His
Orchestra", "Art Blakey & The Jazz Messengers", "Bill Evans Trio". ``credits`` splits none of
them (a primary artist with "&" is a band's name far more often than a duet's), so ``--artist
"Miles Davis"`` was an artist radio of the albums tagged with his name alone, and the artist
facet counted the Quintet's tracks as no one's of his.

A name is read as a leader's band where a part of it, its ensemble word taken off ("Quintet",
"Orchestra", "Big Band", "Trio"...), is an artist the library itself names elsewhere as a
track's primary artist or an album artist: "The Miles Davis Quintet" beside Miles Davis's own
albums, "Miles Davis & John Coltrane" beside both men's. That part is then credited after the
whole name, which stays the primary artist (the version dedup and the artist cap key on it, as
before): the track is the band's, with its leader. Nothing else is guessed: "Mingus Big Band"
(a repertory band that plays his music since his death) credits no "Charles Mingus", "The
Modern Jazz Quartet" no "Modern Jazz", "Simon & Garfunkel" neither half, "Alban Berg Quartett"
no composer, unless the library names that very part as an artist of its own. A one-word part
is a leader only where the name reads as a leader and his band ("Prince & The Revolution") or
every part is an artist of the library ("Drake & Future"): "Love and Rockets" beside the band
Love, "Above & Beyond" beside Beyond, "She & Him" beside HIM are names of their own. A
collaboration's " x " joins two names as " & " does ("bbno$ x Yung Gravy" beside both), and so
does a comma: a film song's singers as Songs.PK, DJMaza and Spotify list them ("Arijit Singh,
Antara Mitra" beside Arijit Singh's own songs credits him; "Crosby, Stills, Nash & Young" beside
Neil Young credits no one, its parts one word each; "Concentus Musicus Wien, Nikolaus
Harnoncourt" credits the conductor the library names, though his recordings with two
orchestras stay two to the dedup: ``named_leaders``). A qawwal's party ("Nusrat Fateh Ali Khan
Qawwal & Party") credits the qawwal, as a leader's quintet does.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Iterable

from recsys.catalog.model import TrackRecord
from recsys.labels import label_key

#: " & ", " and ", " with ": the joins of a leader and his band, or of two leaders; a
#: collaboration's " x " ("Future x Metro Boomin"), which ``credits`` splits between names
#: begun in capitals, for the stylised ones the library vouches for ("bbno$ x Yung Gravy"); and
#: ", ", the Indian download sites' list of a film song's singers ("Arijit Singh, Antara Mitra",
#: "Coke Studio, Rahat Fateh Ali Khan, Momina Mustehsan")
_JOIN = re.compile(r"\s+(?:&|and|with|x|×)\s+|\s*,\s+", re.IGNORECASE)
_NO_COMMA_JOIN = re.compile(r"\s+(?:&|and|with|x|×)\s+", re.IGNORECASE)
#: a band's ensemble word at the end of its name: "Quintet", "His Orchestra", "Big Band", "All Stars"
_ENSEMBLE = re.compile(
    r"\s+(?:(?:big\s+)?band|orchestra|orkestra|trio|quartet|quartette|quintet|sextet|septet|octet|nonet|tentet|"
    r"all[\s-]?stars|group|combo|ensemble|"
    # a qawwal's party: "Nusrat Fateh Ali Khan Qawwal & Party", "Aziz Mian Qawwal", "Sabri Brothers Qawwals"
    r"qawwals?)$",
    re.IGNORECASE,
)

#: what is left of a band's name without its ensemble word that names no leader
_NO_LEADER = frozenset({"the", "his", "her", "their"})


def _parts(name: str, lists: bool = True) -> list[str]:
    """The names ``name`` may hold: "The Miles Davis Quintet" -> ["Miles Davis"], "Miles Davis
    & John Coltrane" -> ["Miles Davis", "John Coltrane"], "Duke Ellington and His Orchestra"
    -> ["Duke Ellington"], "Arijit Singh, Antara Mitra" -> both (not with ``lists`` False)."""
    parts = [_ENSEMBLE.sub("", p.strip()).strip() for p in (_JOIN if lists else _NO_COMMA_JOIN).split(name)]
    # what an ensemble word leaves of "The Band", "The All Stars", "Her Orchestra" is no one's
    # name: "The" is keyed as "The The" is, "Her" as "H.E.R."
    return [p for p in parts if p and p.casefold() not in _NO_LEADER]


def _runs(parts: list[str], name: str) -> list[str]:
    """The names two or more neighbouring parts of ``name`` make, joined: a duo the library
    names within a longer credit, "Wisin & Yandel & Daddy Yankee" -> "Wisin & Yandel", "Yandel
    & Daddy Yankee"; Puerto Rican reggaeton credits its duos so (Zion & Lennox, Jowell & Randy,
    Alexis & Fido) beside a guest, and a split on every "&" left the duo out, "Wisin" and
    "Yandel" nobody's. The whole is not among them, nor are a comma list's runs: "Berliner
    Philharmoniker, Herbert von Karajan" is a classical record's list of its performers, each
    of whom ``named_leaders`` tells apart."""
    if "," in name:
        return []
    return [" & ".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 2, len(parts) + 1)
            if j - i < len(parts)]


def library_artists(tracks: Iterable[TrackRecord]) -> dict[str, str]:
    """The library's own artists (primary artists and album artists), by ``label_key``, each
    in its first spelling."""
    known: dict[str, str] = {}
    seen: set[str] = set()  # a name's key once: 50,000 tracks name some 2,500 artists
    for t in tracks:
        for name in (t.artists[0] if t.artists else t.artist, t.album_artist):
            if name and name not in seen:
                seen.add(name)
                known.setdefault(label_key(name), name)
    return known


def _band_side(name: str) -> bool:
    """Whether ``name`` reads as a leader and his band: an ensemble word ("Quintet", "Big
    Band"), or a part after the join that is a band ("& The Revolution", "and His Orchestra")."""
    parts = [p.strip() for p in _NO_COMMA_JOIN.split(name) if p.strip()]
    return any(_ENSEMBLE.search(p) for p in parts) or any(
        p.split()[0].casefold() in _NO_LEADER for p in parts[1:])


def leaders_of(primary: str, known: dict[str, str]) -> tuple[str, ...]:
    """The library's artists ``primary`` is named for. A one-word part counts only where the
    name reads as a leader and his band ("Prince & The Revolution") or every part is an artist
    of the library ("Drake & Future"): "Love and Rockets" beside the band Love, "Above &
    Beyond" beside Beyond, "She & Him" beside HIM are names of their own."""
    whole = label_key(primary)
    parts = _parts(primary)
    keyed = [(p, label_key(p)) for p in parts]
    # a duo the library names among the parts ("Wisin & Yandel" of "Wisin & Yandel & Daddy
    # Yankee"): a name of several words, its parts covered by it
    duos = [(r, k) for r in _runs(parts, primary) if (k := label_key(r)) in known and k != whole]
    # in the credit's order: a part's key is where it stands in the whole's
    found = sorted([(p, k) for p, k in keyed if k in known and k != whole] + duos, key=lambda pk: whole.find(pk[1]))
    if not found:
        return ()
    in_duos = {label_key(p) for r, _ in duos for p in _parts(r)}
    every = all(k in known or k in in_duos for _, k in keyed)
    band = _band_side(primary)
    return tuple(dict.fromkeys(known[k] for p, k in found if len(p.split()) > 1 or every or band))


def credit_leaders(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with each band named for a leader the library knows crediting him too (see
    the module). A track without such a name is returned as it is."""
    known = library_artists(tracks)
    leaders: dict[str, tuple[str, ...]] = {}
    out: list[TrackRecord] = []
    for t in tracks:
        primary = t.artists[0] if t.artists else t.artist
        if not primary:
            out.append(t)
            continue
        if primary not in leaders:
            leaders[primary] = leaders_of(primary, known)
        found = leaders[primary]
        if not found:  # no leader: nothing to add (most tracks; their keys not made again)
            out.append(t)
            continue
        credited = t.artists or (t.artist,)
        have = {label_key(a) for a in credited}
        new = tuple(n for n in found if label_key(n) not in have)
        out.append(replace(t, artists=(*credited, *new)) if new else t)
    return out


@lru_cache(maxsize=4096)
def named_leaders(primary: str, credited: tuple[str, ...], lists: bool = False) -> tuple[str, ...]:
    """The names of ``credited`` that are leaders ``primary`` is named for: "Miles Davis" of
    "The Miles Davis Quintet", both men of "Miles Davis & John Coltrane", and with ``lists``
    the names of a comma's list ("Arijit Singh" of "Arijit Singh, Lofi Boy"); not a guest
    credited apart ("Rihanna" of "Drake"), nor the people of a classical list ("Herbert von
    Karajan" of "Berliner Philharmoniker, Herbert von Karajan": his Fifth with another orchestra
    is another recording, so the dedup of a composed work's performance asks without ``lists``).
    Remembered: the results' dedup asks it for each hit."""
    names = _parts(primary, lists)
    parts = {label_key(p) for p in (*names, *_runs(names, primary))}
    whole = label_key(primary)
    return tuple(n for n in credited if (k := label_key(n)) in parts and k != whole)
