"""An artist named in two scripts, "BTS (방탄소년단)", where the library names it by one of them.

Korean and Japanese stores (Melon, Bugs, mora) and the taggers that copy them write an artist
by both names, "BTS (방탄소년단)", "IU (아이유)", "宇多田ヒカル (Utada Hikaru)"; the same
library's iTunes purchases say "BTS" or "Utada Hikaru", a Japanese rip "宇多田ヒカル". The three
spellings were three artist nodes of the graph, three facet rows and three artist caps for one
artist, and ``--artist BTS`` was an artist radio of the iTunes copies alone.

A name that is one name followed by a bracket holding another in another script (Latin letters
on one side, Hangul, kana, Han, Cyrillic, Greek... on the other) is such a double name; a name
elsewhere in the library that is either half of it alone is read as the double name, as the
library first spells it. A half that two double names share ("Crush" of "Crush (크러쉬)" and of
"Crush (クラッシュ)") stays as tagged, as does a bracket in one script ("Crush (Band)": a
disambiguation, not a translation). Names compare as ``normalise_title`` makes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Iterable

from recsys.catalog.model import TrackRecord, normalise_title

#: "Name (Other Name)": a name, then one bracket closing the whole
_DOUBLE = re.compile(r"^\s*(?P<one>[^()\[\]]*[^\s()\[\]])\s*[\(\[](?P<other>[^()\[\]]+)[\)\]]\s*$")


def _script(text: str) -> str:
    """"latin" when every letter of ``text`` is a Latin one, "other" when none is, "" when it
    mixes them or has no letter."""
    latin = [unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha()]
    if not latin:
        return ""
    return "latin" if all(latin) else "other" if not any(latin) else ""


def _halves(name: str) -> tuple[str, str] | None:
    """The two names of a double name ("BTS (방탄소년단)" -> "BTS", "방탄소년단"), else None."""
    if "(" not in name and "[" not in name:  # no bracket, no double name (most names: no match tried)
        return None
    match = _DOUBLE.match(name)
    if match is None:
        return None
    one, other = match.group("one"), match.group("other").strip()
    scripts = {_script(one), _script(other)}
    return (one, other) if scripts == {"latin", "other"} else None


def _names(track: TrackRecord) -> Iterable[str]:
    return (track.artist, track.album_artist, *track.artists)


def double_script_names(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """The tracks, an artist named by one half of a double name the library holds read as
    that double name (see the module)."""
    doubles: dict[str, set[str]] = {}  # a half, normalised -> the double names (as first spelled) it is half of
    spelled: dict[str, str] = {}
    for track in tracks:
        for name in _names(track):
            halves = _halves(name) if name else None
            if halves is None:
                continue
            double = spelled.setdefault(normalise_title(name), name)
            for half in halves:
                doubles.setdefault(normalise_title(half), set()).add(double)
    if not doubles:
        return tracks
    mapping = {half: next(iter(names)) for half, names in doubles.items() if len(names) == 1}
    mapping.update(spelled)  # "BTS (방탄소년단)" and "bts (방탄소년단)": the first spelling

    def read(name: str) -> str:
        return mapping.get(normalise_title(name), name) if name else name

    out: list[TrackRecord] = []
    for track in tracks:
        if any(normalise_title(n) in mapping for n in _names(track) if n):
            artists = tuple(dict.fromkeys(read(a) for a in track.artists))
            track = replace(track, artist=read(track.artist), album_artist=read(track.album_artist),
                            artists=artists if len(artists) > 1 else ())
        out.append(track)
    return out
