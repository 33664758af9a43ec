"""An ID3v2.3 artist frame holding a list joined by "/": deemix's "Gorillaz/De La Soul".

ID3v2.3 has no value separator of its own (v2.4's NUL came later); its spec joins a frame's
names with "/", and mutagen saves a list to a v2.3 tag so, as deemix does with its default
settings (TPE1 ["Gorillaz", "De La Soul"] written "Gorillaz/De La Soul", no ARTISTS frame).
Read as one name, every duet of a deemix library was an artist of its own ("Gorillaz/De La
Soul", "Gorillaz/Shaun Ryder", "Massive Attack/Elizabeth Fraser": three facet rows, three
graph nodes beside Gorillaz), and ``recommend --artist "De La Soul"`` found nothing.
``credits`` splits " / " with spaces only: "AC/DC" is one band.

A v2.2 or v2.3 artist frame of one value "A/B" is the list [A, B] where A is the album artist
tag (TPE2): deemix writes the album's main artist there, and a band whose name holds a "/"
("AC/DC") is its own album artist whole. A v2.4 frame, a frame without an album artist, and any
other slash stay as they are.
"""

from __future__ import annotations

from typing import Any

from mutagen.id3 import ID3

from recsys.labels import label_key


def slashed_artists(raw_tags: Any, album_artist: str) -> list[str]:
    """The names of a v2.3 (or v2.2) ID3 artist frame "A/B/..." whose first name is the album
    artist ``album_artist``; [] for any other tag."""
    if not isinstance(raw_tags, ID3) or raw_tags.version >= (2, 4, 0) or not album_artist:
        return []
    frames = raw_tags.getall("TPE1")
    texts = [str(t) for f in frames for t in f.text]
    if len(texts) != 1 or "/" not in texts[0]:
        return []
    names = [n.strip() for n in texts[0].split("/")]
    if len(names) < 2 or not all(names) or label_key(names[0]) != label_key(album_artist):
        return []
    return names
