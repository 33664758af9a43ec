"""A duo or a band credited as a guest, "feat. Wisin y Yandel", stays one where the library knows it.

``credits`` splits what follows a featuring word on ", ", " & ", " and " and the "and" of
Spanish, Portuguese, Italian, French and German ("A feat. B, C & D" credits B, C and D, as
taggers write a list of guests). A guest that is one act whose name joins two ("Wisin y Yandel",
"Chitãozinho & Xororó", "Simon & Garfunkel", "Earth, Wind & Fire") was so credited as two or
three people: "Daddy Yankee feat. Wisin y Yandel" credited "Wisin" and "Yandel", an artist
radio of "Wisin y Yandel" missed the song, and the facet counted two artists the library has no
track of.

Where adjacent guests so split, joined again, are an artist the library itself names (a track's
primary artist or an album artist: "Wisin y Yandel" of their own albums), and the tags wrote them
together (the artist tag or the title holds the joined name), they are that one artist, as the
library spells it. A member the library also knows as an artist of his own stays credited after
it, by the rule a band named for its leader credits him (``leaders``: "Miles Davis & John
Coltrane" credits both men where the library has both). Nothing else moves: guests the library
knows only apart ("feat. Drake & Future" beside their own albums, no "Drake & Future" album)
stay each one, and a primary artist was never split.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from recsys.catalog.leaders import leaders_of, library_artists
from recsys.catalog.model import TrackRecord
from recsys.labels import label_key


#: ``label_key``, remembered: every run of a track's guests is keyed (n(n-1)/2 runs of n
#: guests) and an album's tracks credit one list and one artist: a classical collector's
#: 50,000 tracks of 8 performers each took 3.5 s CPU in this pass (a warm read of 50,000
#: files is ~4.2 s), 0.5 s remembered and the title keyed only for a run the library knows
_key = lru_cache(maxsize=1 << 16)(label_key)


@lru_cache(maxsize=1 << 16)
def _joined(names: tuple[str, ...]) -> str:
    """The key of ``names`` written as one act ("Wisin", "Yandel" -> "wisinyandel"): ``label_key``
    keys no join ("y", "&", "and", ","), so any of them gives it."""
    return label_key(" & ".join(names))


def _guests(guests: tuple[str, ...], known: dict[str, str], track: TrackRecord, primary: str) -> list[str]:
    """``guests`` with each run of two or more that is one act of ``known`` (by key) and
    written so (a key among the ``track``'s artist's and title's) as that act, its members the
    library knows after it; the longest run first. Never a run within the ``primary`` artist's key: a
    classical performer list ("Luciano Pavarotti, Mirella Freni, Berliner Philharmoniker,
    Herbert von Karajan") is credited whole and then its people (``performers``), who are no
    guests, though the library has "Berliner Philharmoniker, Herbert von Karajan" as an artist."""
    out: list[str] = []
    written: tuple[str, ...] = ()  # keyed once a run is an act of the library (most tracks: none)
    i = 0
    while i < len(guests):
        for j in range(len(guests), i + 1, -1):
            key = _joined(guests[i:j])
            if key not in known or key in primary:
                continue
            written = written or (_key(track.artist), label_key(track.title))
            if any(key in w for w in written):
                act = known[key]
                out += [act, *leaders_of(act, known)]
                i = j
                break
        else:
            out.append(guests[i])
            i += 1
    return out


def joined_guest_acts(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks``, each guest duo or band the library knows credited as one (see the module);
    a track without two guests, or whose guests make no such act, as it is."""
    known: dict[str, str] | None = None
    out: list[TrackRecord] = []
    for t in tracks:
        if len(t.artists) < 3:  # a primary artist and two guests at least (most tracks: none)
            out.append(t)
            continue
        if known is None:
            known = library_artists(tracks)
        guests = _guests(t.artists[1:], known, t, _key(t.artists[0]))
        if guests == list(t.artists[1:]):
            out.append(t)
            continue
        credited: dict[str, str] = {}  # each once: a member may be credited apart too
        for name in (t.artists[0], *guests):
            credited.setdefault(_key(name), name)
        out.append(replace(t, artists=tuple(credited.values())))
    return out
