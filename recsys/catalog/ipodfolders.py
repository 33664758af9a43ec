"""An iPod's own music folders: ``iPod_Control/Music/F00`` .. ``F49`` (``iTunes_Control/Music/F00``
on the iPods, iPhones and nanos since 2007).

iTunes copies each song to one of fifty folders picked at random, under a four-letter name
("F23/DVTQ.mp3"): the folders sort nothing a person chose, the names say nothing, and the songs'
names live in the iPod's database (``iTunes/iTunesDB``) and in each file's tags. A library
recovered from an iPod is such a tree. Read as a layout, "F23" was the album of every untagged
file in it (unrelated songs one album, an album node joining them in the graph), and each of a
recovered iPod's protected ``.m4p`` purchases and Audible books was said once for its folder:
fifty lines for one iPod. Here the shards are sorting folders (``categoryfolders``: no album,
no artist), ``iPod_Control`` and ``iTunes_Control`` are containers, and the files of an iPod's
shards are said once for the iPod (``ipod_music_folder``).
"""

from __future__ import annotations

import re

#: the folders an iPod keeps its music under, and that folder's own name
IPOD_FOLDERS = ("iPod_Control", "iTunes_Control")
_IPOD = frozenset(name.casefold() for name in IPOD_FOLDERS)
#: a shard's name: "F00" .. "F49" (more on the iPods with more room), as iTunes writes it
_SHARD = re.compile(r"^F\d{2,3}$")


def ipod_shard(parent: str, name: str) -> bool:
    """Whether the folder ``name`` in the folder ``parent`` (a "/"-joined path relative to the
    library) is one of an iPod's music shards: "F07" in ".../iPod_Control/Music", or in a
    "Music" at the library's top, where the library is the iPod's ``iPod_Control`` itself
    (``recsys ingest /media/IPOD/iPod_Control``: the reader sees "Music/F07", not the folder's
    name above it; "F07" of a top "Music" has no artist folder either way)."""
    if not _SHARD.match(name):
        return False
    folders = parent.split("/")
    if folders[-1].casefold() != "music":
        return False
    return len(folders) == 1 or folders[-2].casefold() in _IPOD


def ipod_music_folder(folder: str) -> str | None:
    """The iPod's music folder (".../iPod_Control/Music") when ``folder`` is one of its shards
    (".../iPod_Control/Music/F07"); else None."""
    parent, _, name = folder.rpartition("/")
    return parent if ipod_shard(parent, name) else None
