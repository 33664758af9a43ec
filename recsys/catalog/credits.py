"""The credited artists of a music file: "Drake feat. Rihanna" is Drake's track, with Rihanna.

The rules a tagger uses (MusicBrainz Picard, beets' ``ftintitle``, foobar2000's multi-value
fields), for the music-folder reader only (a manifest's artist is taken as written):

- split on a featuring word: " feat. ", " feat ", " ft. ", " ft ", " featuring " (any case),
  and on "(feat. X)" / "[ft. X]" brackets, in the artist and in the title ("Song (feat. X)",
  the most common form);
- split on ";" and on " / " (with spaces: "AC/DC" stays one), on " vs. " / " vs " (a DJ's
  credit of a mashup or a back-to-back: "Armin van Buuren vs. Vini Vici", the first the
  primary), and on NUL (ID3v2.4's value separator where a reader left it joined); several
  values of a multi-value artist frame are several artists too;
- the featured part (what follows a featuring word, or a "(feat. ...)" bracket) also on ", ",
  " & " and " and ": "A feat. B, C & D" credits B, C and D, as taggers write a list of guests;
- never the primary part on "&", "and", "," or "x": those are in band names ("Simon &
  Garfunkel", "Earth, Wind & Fire", "Crosby, Stills, Nash & Young"), which no rule can tell
  from a duet. A featured band with one is split (accepted: "feat. Earth, Wind & Fire").

The first name is the primary artist: the artist node of the graph, the artist of the artist
cap. The others are featured: an edge each from the track to their own artist node.
"""

from __future__ import annotations

import re
from typing import Iterable

_FEAT_WORD = r"(?:feat\.?|ft\.?|featuring)"
#: "(feat. X)" or "[ft. X]": the bracket and what it holds
_BRACKETED_FEAT = re.compile(r"[\(\[]\s*" + _FEAT_WORD + r"\s+([^\)\]]*)[\)\]]", re.IGNORECASE)
#: " feat. " and its kin, between two names
_FEAT = re.compile(r"\s+" + _FEAT_WORD + r"\s+", re.IGNORECASE)
#: ";" (with or without spaces), " / " (with spaces), " vs. " / " vs " (with spaces), NUL
_LIST = re.compile(r"\s*;\s*|\s+/\s+|\s+vs\.?\s+|\x00", re.IGNORECASE)
#: ", ", " & ", " and ": a list of guests, split in the featured part only (a primary
#: artist with one is a band name far more often than a duet)
_GUESTS = re.compile(r"\s*,\s+|\s+&\s+|\s+and\s+", re.IGNORECASE)


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def split_artists(text: str) -> list[str]:
    """The artists one artist (or album artist) value credits, in order, primary first.
    "Drake feat. Rihanna" -> ["Drake", "Rihanna"]; "Simon & Garfunkel" -> ["Simon & Garfunkel"]."""
    featured = [n for m in _BRACKETED_FEAT.finditer(text) for n in _names(m.group(1), featured=True)]
    main = _BRACKETED_FEAT.sub(" ", text)
    return _unique([*_names(main), *featured])


def title_featured(title: str) -> list[str]:
    """The artists a title's "(feat. X)" / "[ft. X]" brackets credit: "Song (feat. A; B)" ->
    ["A", "B"]. A bare "feat." in a title is not read (it may be the song's own words)."""
    return _unique(n for m in _BRACKETED_FEAT.finditer(title) for n in _names(m.group(1), featured=True))


def credited_artists(artist_values: Iterable[str], title: str = "") -> tuple[str, ...]:
    """Every artist a track credits, primary first, each once (case and spacing folded): the
    values of its artist tag split by ``split_artists``, then the title's featured artists."""
    names = [n for value in artist_values for n in split_artists(value)]
    return tuple(_unique([*names, *title_featured(title)]))


def _names(text: str, featured: bool = False) -> list[str]:
    """``text`` split on the featuring words, then on ";", " / " and NUL (no brackets); what
    follows a featuring word (all of ``text`` when ``featured``: a bracket's contents) also
    on ", ", " & " and " and "."""
    out: list[str] = []
    for i, chunk in enumerate(_FEAT.split(text)):
        for name in _LIST.split(chunk):
            out.extend(_GUESTS.split(name) if featured or i > 0 else [name])
    return out


def _unique(names: Iterable[str]) -> list[str]:
    out: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and _fold(name) not in out:
            out[_fold(name)] = name
    return list(out.values())
