"""Cue titles: the titles a score, a game soundtrack or a cast recording gives a piece of its own
film, game or show ("Main Title", "End Credits", "Prologue", "Finale", "Battle Theme"), which
name another piece on each album.

"Main Title" by John Williams on "Star Wars" and on "E.T." are two pieces; keyed on title and
artist alone they were one song: a seed "Main Title" --artist "John Williams" chose one film's in
silence, and a radio never listed the other. Such a title is its album's piece: its song key
carries the album (``album_scope``). A song title ("Let It Go", "Aerith's Theme") does not: its
versions on a soundtrack, the singer's album and a compilation stay one song's.

A record's or a tape's side ripped whole is titled so too: "Side A" of "Animals" and of "Meddle"
by Pink Floyd, "Side 1" of two Bob Marley cassettes, "Tape 1 - Side 2", are two albums' sides,
not one song's versions (a radio listed one of them, a seed "Side A" --artist chose in silence).
"""

from __future__ import annotations

import re

# On a title already normalised (``titles.base_title``: lowercased, punctuation and version
# brackets gone). Each names what a piece is for in its film, game or show, not what it is;
# an optional number ("Battle 1", "Fanfare 2") is a game's own numbering of its cues.
_CUE = re.compile(
    r"(?:(?:main|opening|end|ending|closing)\s+(?:titles?|themes?|credits?)"
    r"|(?:titles?|title\s+theme|title\s+screen|main\s+menu|menu|credits|staff\s+roll|end\s+roll)"
    r"|(?:opening|ending|closing|prologue|epilogue|finale|grand\s+finale|overture|entr\s?acte|suite"
    r"|intro|introduction|outro|interlude|prelude|reprise)"
    r"|(?:(?:main|love|battle|boss|boss\s+battle|final\s+battle|victory)\s+)?theme"
    r"|(?:battle|boss\s+battle|final\s+battle|victory\s+fanfare|fanfare|game\s+over)"
    # a side or a tape ripped whole: "Side A", "Side 1", "Tape 1", "Tape 1 Side B" (not "B-Side",
    # a song's title as often: Khruangbin's)
    r"|(?:(?:tape|cassette|reel|lp|record)\s+\d{1,2}\s+)?side\s+(?:[a-l]|aa|\d{1,2}|one|two)"
    r"|(?:tape|cassette|reel)\s+\d{1,2})"
    r"(?:\s+\d{1,2})?",
)


def is_cue(base: str) -> bool:
    """Whether ``base`` (a normalised base title) is a cue title, its album's own piece."""
    return bool(base) and _CUE.fullmatch(base) is not None


def album_scope(base: str, album_base: str) -> str:
    """What a song key's title is: ``base``, or for a cue title ``base`` and its album's base
    title (``album_base``: "star wars a new hope" for "Star Wars: A New Hope (Original
    Soundtrack)", so that the album's reissue and its copy keep one key). A cue with no album
    (a loose download) is its title's alone."""
    return f"{base}\0{album_base}" if album_base and is_cue(base) else base
