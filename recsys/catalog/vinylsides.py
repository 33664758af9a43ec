"""A record's sides: the position a vinyl track has ("A1", "B2", "C3", a single's "A" and "AA"),
in a file's name and in its title tag, and the names that are a side or a tape of their own.

A needle drop is named by the record's positions, not by numbers: "A1 - Led Zeppelin - Black
Dog.flac", "B2. This Flight Tonight.flac", "01 - A1 - Born Under Punches.flac", a 7" single's
"A - Day Tripper.flac" and "AA-Side - We Can Work It Out.flac". Read with the number rules
alone, an untagged one was a song "A1. All I Want" by no one, or "Led Zeppelin - Black Dog" by
the artist "A1" (the artist facet of a vinyl rip listed "A1", "A2", "B1"... each a band). Such a
position is no part of the name where every name of its folder begins with one and they are two
positions or more (``side_listed``): a folder of one band "A"'s songs ("A - Nothing.mp3") has one
"position" only, and "B. B. King - The Thrill Is Gone.mp3" alone proves nothing. A side letter
alone ("A", "AA") needs a dot or a spaced dash after it ("A-Ha - Take on Me" keeps its "A-Ha").

A tagger that filled the title tag from such a name ("A1 - Running Up That Hill", Mp3tag's
"Filename - Tag" with "%title%") left the position in it: it goes where the file's track-number
tag is that position (Picard's vinyl "A1", Discogs' "B2") or the name begins with it
(``title_position``).

A side of ten tracks or more numbers them "A1".."A10": sorted as text, "A10 - Title" came before
"A2 - Title", and the catalog lists an album in its files' order. ``position_order`` is the sort
key that puts them in the record's order.

A whole side or tape ripped to one file is named for it: "Side A.flac", "Tape 1 - Side 2.flac".
"Tape 1" is no artist of "Side 2" (``names_a_side``): the name is the title, the folders give
the artist and the album.
"""

from __future__ import annotations

import re
from typing import Sequence

#: a position: a side letter (A-L: a box set's sixth record) or a double A-side's "AA", and the
#: track's number on that side ("A1", "C3", "AA2"); a letter alone is a single's side
_SIDE = r"(?:AA|[A-L])"
POSITION = re.compile(_SIDE + r"\d{0,2}")
_SIDE_NUMBER = re.compile("(" + _SIDE + r")(\d*)")
#: a name beginning with a position: after a track number ("01 - A1 - Title"), as "Side A" or
#: "A-Side", then a dot or parenthesis, a spaced dash, or (after a number: "A1 Title") a space
_LEADING = re.compile(
    r"^\s*(?:\d{1,3}\s*(?:[-.)_]\s*|\s+))?"
    r"(?:(?i:side)\s+)?(?P<position>" + _SIDE + r"\d{0,2})(?:[-\s](?i:side))?"
    r"(?:\s*[.)]\s*|\s+[-\u2013\u2014]\s+|(?<=\d)\s+|(?<=\d)_)(?=\S)"
)


def leading_position(stem: str) -> tuple[str, str] | None:
    """(the position, the rest of the name) of a name that begins with a vinyl position, else
    None: "01 - A1 - Born Under Punches" -> ("A1", "Born Under Punches")."""
    match = _LEADING.match(stem)
    if match is None or not stem[match.end():].strip():
        return None
    return match.group("position"), stem[match.end():].strip()


def side_listed(stems: Sequence[str]) -> bool:
    """Whether a folder's names are a record's track list: each begins with a position, and
    they name two positions or more (a band "A"'s "A - Song" files name one)."""
    found = [leading_position(stem) for stem in stems]
    return bool(found) and all(f is not None for f in found) and len({f[0] for f in found if f}) >= 2


def position_order(name: str) -> tuple[str, str]:
    """A file name's sort key in its folder: the name with its leading position's number in two
    digits ("A2 - Title" sorts as "A02 - Title", before "A10 - Title"), then the name itself (so
    that "A01" and "A1" keep one order); a name without a position sorts as itself."""
    match = _LEADING.match(name)
    if match is None:
        return name, name
    side, number = _SIDE_NUMBER.match(match.group("position")).groups()
    if not number:  # a single's side alone: "A", "AA"
        return name, name
    start, end = match.span("position")
    return name[:start] + side + number.zfill(2) + name[end:], name


def title_position(title: str, positions: set[str]) -> str:
    """A title tag without a leading position that is the file's own (its track-number tag's,
    its name's: ``positions``): "A1 - Running Up That Hill" -> "Running Up That Hill"."""
    found = leading_position(title)
    return found[1] if found is not None and found[0] in positions else title


#: a name that is a side or a tape of a record or a cassette: "Side A", "Side 1", "A-Side",
#: "Tape 1", "Cassette 2", "Tape 1 - Side 2"
_NAMES_A_SIDE = re.compile(
    r"^\s*(?:(?:tape|cassette|reel|lp|record)\s*\d{1,2}(?:\s*[-,:]?\s*(?:side\s*(?:[a-l]|aa|\d{1,2})))?"
    r"|side\s*(?:[a-l]|aa|\d{1,2})|(?:[a-l]|aa)[-\s]side)\s*$",
    re.IGNORECASE,
)


def names_a_side(text: str) -> bool:
    """Whether a name part is a side or a tape ("Tape 1", "Side 2", "A-Side"), no one's name."""
    return _NAMES_A_SIDE.match(text) is not None
