"""A classical performer list in the artist tag, "Berliner Philharmoniker, Herbert von Karajan",
read as a list where the file's own performer tags name its people.

Classical rips and purchases credit an orchestra and its conductor (or a singer, a soloist)
in one artist value joined by ", ": "Berliner Philharmoniker, Herbert von Karajan", "Luciano
Pavarotti, Mirella Freni, Berliner Philharmoniker, Herbert von Karajan". ``credits`` never
splits a primary artist on ", " ("Earth, Wind & Fire", "Crosby, Stills, Nash & Young"), so in a
real collector's library Karajan was three unrelated artists (his Beethoven box, his Bohème, a
compilation) and none of them him, while Kleiber's "Wiener Philharmoniker; Carlos Kleiber"
was split on ";": `--artist` and the artist facet found the one conductor and not the other.

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

#: Vorbis / APE keys (any case) that name a performing person or group
_VORBIS_KEYS = ("conductor", "ensemble", "orchestra", "performer", "soloists", "soloist")
_ID3_DESCS = {"conductor", "ensemble", "orchestra", "performer", "soloists"}
#: " (tenor)", " [piano]": a role after a performer's name
_ROLE = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")


def _fold(name: str) -> str:
    return " ".join(_ROLE.sub("", str(name)).casefold().split())


def performer_names(raw_tags: Any) -> set[str]:
    """The (folded) names a file's performer tags give: conductor, ensemble, orchestra,
    soloists; empty for none."""
    names: list[str] = []
    try:
        if isinstance(raw_tags, ID3):
            names += [t for f in raw_tags.getall("TPE3") for t in f.text]
            for frame in raw_tags.getall("TMCL") + raw_tags.getall("TIPL"):
                names += [person for _role, person in frame.people]
            names += [t for f in raw_tags.getall("TXXX") if f.desc.casefold() in _ID3_DESCS for t in f.text]
        elif isinstance(raw_tags, MP4Tags):
            for key, values in raw_tags.items():
                if key.casefold().startswith("----:com.apple.itunes:") and key.split(":")[-1].casefold() in _ID3_DESCS:
                    names += [bytes(v).decode("utf-8", "replace") for v in values]
        elif raw_tags is not None and hasattr(raw_tags, "keys"):
            for key in raw_tags.keys():
                if key.casefold().split(":")[0] in _VORBIS_KEYS:
                    value = raw_tags[key]
                    names += [str(v) for v in (value if isinstance(value, list) else [value])]
    except (KeyError, ValueError, TypeError, AttributeError):
        return set()
    return {f for f in map(_fold, names) if f}


def as_performer_list(value: str, performers: set[str]) -> list[str]:
    """``value`` and its ", " parts when a part of it is one of ``performers`` (see the
    module), else ``[value]``."""
    parts = [p.strip() for p in value.split(", ")]
    if len(parts) < 2 or not performers or not any(_fold(p) in performers for p in parts):
        return [value]
    return [value, *(p for p in parts if p)]
