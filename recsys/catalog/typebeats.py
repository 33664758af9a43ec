"""A producer's "Type Beat": a beat named after the artists it sounds like, none of them on it.

Producers upload and sell their beats as "Drake Type Beat - 'Night' (prod. Nightfall)",
"Future x Metro Boomin Type Beat - Toxic", "SZA Type Beat 'Lonely'": the names are what a
listener searches for, not who made or performs the beat. Read by ``filenames``' "Artist -
Title" rule, an untagged beat's name made "Drake Type Beat" (and "Playboi Carti Type Beat")
an artist: a row of the artist facet, and an artist near "Drake" to ``--artist``. Such a part
names no artist: the name stays the title, the folders give the artist (the producer's beat
tape folder) as for a classical work's name (``worknames``).
"""

from __future__ import annotations

import re

#: "Type Beat", "Type Beats", "type-beat", "Type Instrumental" at a name part's end, perhaps
#: followed by a year or a number ("Drake Type Beat 2024")
_TYPE_BEAT = re.compile(r"\btype[\s-]+(?:beats?|instrumentals?)\b(?:\s*[\(\[]?\s*\d{0,4}\s*[\)\]]?)?\s*$", re.IGNORECASE)


def names_a_type_beat(text: str) -> bool:
    """Whether ``text`` (a file name's part) is a type beat's "<artists> Type Beat": "Drake
    Type Beat", "Kendrick Lamar x J. Cole Type Beat 2023"; not "Beat It" nor "Your Type"."""
    return bool(_TYPE_BEAT.search(" ".join(text.split())))
