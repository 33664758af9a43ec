"""Cue titles: the titles a score, a game soundtrack or a cast recording gives a piece of its own
film, game or show ("Main Title", "End Credits", "Prologue", "Finale", "Battle Theme"), which
name another piece on each album.

"Main Title" by John Williams on "Star Wars" and on "E.T." are two pieces; keyed on title and
artist alone they were one song: a seed "Main Title" --artist "John Williams" chose one film's in
silence, and a radio never listed the other. Such a title is its album's piece: its song key
carries the album (``album_scope``). A song title ("Let It Go", "Aerith's Theme") does not: its
versions on a soundtrack, the singer's album and a compilation stay one song's.

On one album a cue is its place's piece: a game music collection's four "Battle Theme"s (four
games' battle themes, tracks 1 to 4), a hip-hop album's three "Interlude"s, a rip's "Allegro"s
of three works are as many pieces, told apart by their place on the album (the payload's
``album_place``, which only a track whose album repeats its exact title carries:
``catalog.albumplaces``). A song's title twice on one album stays one song: a live show's
"Playing in the Band" resumed after a jam (the Grateful Dead's sandwiches), a reissue's mono and
stereo mixes or a deluxe edition's live disc, which MusicBrainz titles as the studio song. The
audio cannot tell them: on the seventeenth real library two of the four battle themes, two
games' pieces, score 0.99 to each other (audio vectors' cosine).
A record's or a tape's side ripped whole is titled so too: "Side A" of "Animals" and of "Meddle"
by Pink Floyd, "Side 1" of two Bob Marley cassettes, "Tape 1 - Side 2", are two albums' sides,
not one song's versions (a radio listed one of them, a seed "Side A" --artist chose in silence).
"""

from __future__ import annotations

import re

# On a title already normalised (``titlekeys.base_title``: lowercased, punctuation and version
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

_TEMPO = (r"(?:allegr(?:o|etto)|adagi(?:o|etto)|andant(?:e|ino)|larg(?:o|hetto)|lento|grave|prest(?:o|issimo)"
          r"|vivace|moderato|menuett?o?|minuet|scherzo|rondo)")
# what may follow a tempo in a movement's name: "con brio", "ma non troppo", "molto vivace"
_QUALIFIER = (r"(?:con|ma|non|troppo|assai|molto|poco|un|e|piu|brio|moto|spirito|fuoco|grazia|cantabile|sostenuto"
              r"|maestoso|giusto|mosso|vivace|moderato|espressivo|agitato|tranquillo|sempre|quasi|allegro|adagio"
              r"|andante|presto)")
#: a movement named by its tempo alone, numbered or not ("Allegro", "II. Adagio", "Allegro con
#: brio"): of whichever work its album holds at its place. Not a cue: "Presto" on Rush's album
#: and on their live album is one song, and so is one recording's bare "I. Allegro" on a box and
#: a compilation; only the places of one album that repeats it tell pieces apart
_MOVEMENT_NAME = re.compile(rf"(?:(?:[ivx]{{1,4}}|\d{{1,2}})\s+)?{_TEMPO}(?:\s+{_QUALIFIER})*")


def is_cue(base: str) -> bool:
    """Whether ``base`` (a normalised base title) is a cue title, its album's own piece."""
    return bool(base) and _CUE.fullmatch(base) is not None


def is_movement_name(base: str) -> bool:
    """Whether ``base`` (a normalised base title) names a movement by its tempo alone."""
    return bool(base) and _MOVEMENT_NAME.fullmatch(base) is not None


def album_scope(base: str, album_base: str, place: str = "") -> str:
    """What a song key's title is: ``base``, or for a cue title ``base`` and its album's base
    title (``album_base``: "star wars a new hope" for "Star Wars: A New Hope (Original
    Soundtrack)", so that the album's reissue and its copy keep one key), and its ``place``
    there where the album repeats it (the payload's ``album_place``: "1-3"). A cue with no
    album (a loose download) is its title's alone; a song's title keeps no place, and a movement
    named by its tempo alone ("Allegro") a place only."""
    if not album_base:
        return base
    if place and (is_cue(base) or is_movement_name(base)):
        return f"{base}\0{album_base}\0{place}"
    return f"{base}\0{album_base}" if is_cue(base) else base
