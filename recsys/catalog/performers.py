"""The people a file's tags name as performing: the musicians of a track ("Paul Chambers" on
bass, "Red Garland" on piano) for ``--performer``, and, from the same tags, a classical
performer list in the artist tag read as a list.

**The musicians.** Picard writes MusicBrainz's performer credits as Vorbis/APE ``PERFORMER``
"Name (instrument)" (the instrument in the last parentheses, which may nest: "Philly Joe Jones
(drums (drum set))"), ID3v2.4 ``TMCL`` (instrument, name) pairs and, in ID3v2.3, ``IPLS``
(which mutagen reads as ``TIPL``) with the producer, the engineer, the arranger and the mixer
beside the players. Other taggers write ``PERFORMER:piano=Name`` (foobar2000, Mp3tag), a
``TXXX:PERFORMER`` or an MP4 freeform ``----:com.apple.iTunes:PERFORMER`` (Picard writes no
performer into MP4 at all); ``SOLOIST(S)`` names a classical soloist. ``musicians`` reads all of
them, each person once (case, accents and punctuation aside: ``labels.label_key``) with every
instrument the tags give him. Not a player: an involved person's role in ``TIPL``/``IPLS``
(``_NOT_PLAYING``: producer, engineer, arranger, mix, mastering...), a conductor (``TPE3``,
``CONDUCTOR``: he conducts) nor an ``ENSEMBLE``/``ORCHESTRA`` tag (a group, named so where it
plays: Picard's "Berliner Philharmoniker (orchestra)" is a performer). The primary artist is
untouched: a sideman is no artist of the track (a leader's albums stay his).

**A classical performer list.** Classical rips and purchases credit an orchestra and its
conductor (or a singer, a soloist) in one artist value joined by ", ": "Berliner
Philharmoniker, Herbert von Karajan", "Luciano Pavarotti, Mirella Freni, Berliner
Philharmoniker, Herbert von Karajan". ``credits`` never splits a primary artist on ", " ("Earth,
Wind & Fire", "Crosby, Stills, Nash & Young"), so in a real collector's library Karajan was three
unrelated artists (his Beethoven box, his Bohème, a compilation) and none of them him, while
Kleiber's "Wiener Philharmoniker; Carlos Kleiber" was split on ";": `--artist` and the artist
facet found the one conductor and not the other.

The same files say who the people are, in tags of their own: a conductor (Vorbis
``CONDUCTOR``, ID3 ``TPE3``, a ``TIPL`` "conductor"), an orchestra or ensemble (``ENSEMBLE``,
``ORCHESTRA``), soloists (Vorbis ``PERFORMER`` "Name (instrument)", ``PERFORMER:piano``, ID3
``TMCL``), a freeform ``CONDUCTOR`` in MP4. When one of the ", " parts of an artist value is
exactly (case and spacing aside) one of those names, the tags say it is a list: each part is
credited, after the whole value, which stays the primary artist. Not the first part: the
version dedup keys on the title and the primary artist, and "Berliner Philharmoniker" first
would make Karajan's Fifth and Abbado's with the same orchestra one song's versions, the one
hiding the other; as the whole value it stays the performance it names, and Karajan, the
orchestra and the singers are each credited (an edge to their own node, a facet row, found by
``--only-artist``). Without such a tag nothing changes: a band's name with a comma stays one
artist.
"""

from __future__ import annotations

import re
from typing import Any

from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.model import MAX_NAME_CHARS, Performer
from recsys.catalog.placeholders import placeholder_artist
from recsys.catalog.tagtext import repaired, visible
from recsys.catalog.tagvalues import freeform_texts
from recsys.labels import label_key

#: Vorbis / APE keys (any case) that name a performing person or group
_VORBIS_KEYS = ("conductor", "ensemble", "orchestra", "performer", "soloists", "soloist")
_ID3_DESCS = {"conductor", "ensemble", "orchestra", "performer", "soloists"}
#: of those, the ones that name a player (``musicians``)
_PLAYING_KEYS = frozenset({"performer", "soloists", "soloist"})
#: an involved person's role in ID3's TIPL/IPLS that is no instrument: Picard's producer,
#: engineer, arranger, DJ-mix and mix, and the credits other taggers write there
_NOT_PLAYING = re.compile(
    r"\b(?:produc\w*|engineer\w*|arrang\w*|mix\w*|dj-mix|master\w*|record\w*|lyric\w*|writ\w*|compos\w*|"
    r"edit\w*|design\w*|artwork|art|photo\w*|notes|translat\w*|publish\w*|orchestrat\w*|conduct\w*|direct\w*)\b",
    re.IGNORECASE,
)
#: a tag's musicians at most: a big band's or an orchestra's full roll, not a corrupt tag's thousands
MAX_PERFORMERS = 100


def split_role(value: str) -> tuple[str, str]:
    """("Name", "role") of Picard's "Name (role)": the role in the last parentheses (or
    brackets), which may nest ("Philly Joe Jones (drums (drum set))"); ``(value, "")`` where it
    ends in none."""
    text = value.rstrip()
    if not text or text[-1] not in ")]":
        return value.strip(), ""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        c = text[i]
        depth += c in ")]"
        depth -= c in "(["
        if depth == 0:
            name = text[:i].strip()
            return (name, text[i + 1:-1].strip()) if name else (value.strip(), "")
    return value.strip(), ""


def _fold(name: str) -> str:
    return " ".join(split_role(str(name))[0].casefold().split())


def _people(raw_tags: Any) -> list[tuple[str, str, str]]:
    """(which tag, name, role) of every person a file's performer tags name: "performer",
    "involved" (ID3's TIPL/IPLS), "conductor", "ensemble"... as the Vorbis keys call them. The
    role is the instrument where the tag gives one (TMCL's, TIPL's, a ``PERFORMER:piano`` key's);
    a Vorbis "Name (instrument)" is left whole."""
    people: list[tuple[str, str, str]] = []
    if isinstance(raw_tags, ID3):
        people += [("conductor", t, "") for f in raw_tags.getall("TPE3") for t in f.text]
        people += [("performer", person, role) for f in raw_tags.getall("TMCL") for role, person in f.people]
        people += [("involved", person, role) for f in raw_tags.getall("TIPL") for role, person in f.people]
        people += [(name, t, "") for name, t in freeform_texts(raw_tags, _ID3_DESCS)]
    elif isinstance(raw_tags, MP4Tags):
        people += [(name, t, "") for name, t in freeform_texts(raw_tags, _ID3_DESCS)]
    elif raw_tags is not None and hasattr(raw_tags, "keys"):
        for key in raw_tags.keys():
            base, _, role = key.casefold().partition(":")
            if base in _VORBIS_KEYS:
                value = raw_tags[key]
                # an APE value holds its several values NUL-joined
                texts = [s for v in (value if isinstance(value, list) else [value]) for s in str(v).split("\0")]
                people += [(base, t, role) for t in texts]
    return people


def performer_names(raw_tags: Any) -> set[str]:
    """The (folded) names a file's performer tags give: conductor, ensemble, orchestra,
    soloists; empty for none."""
    try:
        people = _people(raw_tags)
    except (KeyError, ValueError, TypeError, AttributeError):
        return set()
    return {f for f in (_fold(name) for _, name, _ in people) if f}


def musicians(raw_tags: Any) -> tuple[Performer, ...]:
    """The musicians a file's tags name, in the tags' order, each once with every instrument
    given him (see the module); () for none."""
    try:
        people = _people(raw_tags)
    except (KeyError, ValueError, TypeError, AttributeError):
        return ()
    played: list[tuple[str, str]] = []
    for tag, value, role in people:
        if tag == "involved" and _NOT_PLAYING.search(role):
            continue
        if tag not in _PLAYING_KEYS and tag not in ("performer", "involved"):
            continue  # a conductor, an ensemble tag
        name = visible(repaired(str(value))).strip()
        if not role:  # Picard's Vorbis and APE "Name (instrument)"
            name, role = split_role(name)
        played.append((name, visible(repaired(str(role))).strip()))
    return merged(played)


def merged(played: list[tuple[str, str]]) -> tuple[Performer, ...]:
    """(name, instrument) pairs as performers: each person once (by ``label_key``), in order,
    with his instruments in order (none for "" and Picard's generic "performer"); no name, a
    placeholder ("Unknown Artist"), an overlong one or past MAX_PERFORMERS left out."""
    people: dict[str, tuple[str, list[str]]] = {}
    for name, role in played:
        if not name or len(name) > MAX_NAME_CHARS or placeholder_artist(name):
            continue
        key = label_key(name)
        if key not in people:
            if len(people) == MAX_PERFORMERS:
                continue
            people[key] = (name, [])
        instruments = people[key][1]
        if role and role.casefold() != "performer" and role.casefold() not in (i.casefold() for i in instruments):
            instruments.append(role)
    return tuple(Performer(name, tuple(instruments)) for name, instruments in people.values())


def as_performer_list(value: str, performers: set[str]) -> list[str]:
    """``value`` and its ", " parts when a part of it is one of ``performers`` (see the
    module), else ``[value]``."""
    parts = [p.strip() for p in value.split(", ")]
    if len(parts) < 2 or not performers or not any(_fold(p) in performers for p in parts):
        return [value]
    return [value, *(p for p in parts if p)]
