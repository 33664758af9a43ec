"""Artist folders the tags vouch for: the artist of an untagged file that the layout rules
(``musicdir._layout``, ``categoryfolders``) leave without one.

Three cases a real library showed (the sixth pass: X-Moto's soundtrack, the band "1990s"):

- **Loose files in an artist folder**: ``Xmoto Team/Ride Along.ogg`` beside
  ``Xmoto Team/Xmoto Soundtrack/01 Bat Cave.flac`` (tagged "Xmoto Team"). A single folder
  under the library's root is as often "Downloads" or an album as an artist, so the layout
  rule gives its files no artist; but where the tagged tracks beneath the folder name it as
  their artist, it is one, and its loose files (a single, a download) are that artist's.
- **A band named like a container**: "1990s/Cookies (2007)/02 Arrow Pierce.mp3". "1990s" is
  a decade, a container's name (``categoryfolders``), never an artist by its name alone; when
  the folder's tagged tracks are by "1990s", its untagged ones are too.
- **"Artist - Album" folders at the root**: ``Pete Shinners - SolarWolf/01 Game Over.flac``.
  "A - B" may as well be an album title with a dash ("Live - 2001", "Now - Disc 1"), so the
  name alone gives nothing (``albumfolders``); where "A" is an artist the library's tags name
  (exactly, as a whole), or a folder beside it named "X - Y" holds tracks tagged X (the
  library names its folders so), "A" is the artist and "B" the album.

Only a tag is evidence here: a name equal to a tagged artist (the case, the accents, a leading
"The" aside), never a folder's word inside a longer name ("Music" in "Music Machine").
"""

from __future__ import annotations

import re
from dataclasses import replace

from recsys.catalog.discs import album_folders
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.placeholders import placeholder_artist

#: "Artist - Album" with a spaced dash (never "Jay-Z"); the first dash splits
_ARTIST_ALBUM = re.compile(r"^(?P<artist>.+?)\s+[-\u2013\u2014]\s+(?P<album>.+)$")


def _key(name: str) -> str:
    key = normalise_title(name)
    return key[4:] if key.startswith("the ") else key


def _split(folder: str) -> tuple[str, str] | None:
    match = _ARTIST_ALBUM.match(folder.strip())
    if not match or placeholder_artist(match.group("artist")):
        return None
    return match.group("artist").strip(), match.group("album").strip()


def vouched_artists(tracks: list[TrackRecord], tagged: list[bool]) -> list[TrackRecord]:
    """``tracks`` with the artist (and for an "Artist - Album" folder the album) the tags
    vouch for given to each track that has no artist and whose artist no tag gave
    (``tagged[i]`` False)."""
    beneath: dict[str, set[str]] = {}  # folder path -> keys of the tagged artists beneath it
    everywhere: set[str] = set()
    for track, has_tag in zip(tracks, tagged):
        if not has_tag:
            continue
        names = {_key(n) for n in (track.artist, track.album_artist, *track.artists) if n}
        everywhere |= names
        folders = album_folders(track.source)
        for depth in range(1, len(folders) + 1):
            beneath.setdefault("/".join(folders[:depth]), set()).update(names)
    named_so = _folders_named_artist_album(tracks, tagged)
    out: list[TrackRecord] = []
    for track, has_tag in zip(tracks, tagged):
        if not has_tag and not track.artist:
            track = _vouched(track, beneath, everywhere, named_so)
        out.append(track)
    return out


def _vouched(track: TrackRecord, beneath: dict[str, set[str]], everywhere: set[str],
             named_so: set[str]) -> TrackRecord:
    folders = album_folders(track.source)
    if not folders:
        return track
    # the artist folder: the file's own when it lies loose one deep, else the one above its album
    index = 0 if len(folders) == 1 else len(folders) - 2
    folder, path = folders[index], "/".join(folders[:index + 1])
    if _key(folder) in beneath.get(path, set()):
        return replace(track, artist=folder.strip())
    split = _split(folder) if len(folders) == 1 else None
    if split is not None:
        artist, album = split
        parent = path.rpartition("/")[0]
        if _key(artist) in everywhere or parent in named_so:
            return replace(track, artist=artist, album=track.album or album)
    return track


def _folders_named_artist_album(tracks: list[TrackRecord], tagged: list[bool]) -> set[str]:
    """The parents (paths, "" for the root) of an "X - Y" folder whose tracks are tagged X."""
    found: set[str] = set()
    for track, has_tag in zip(tracks, tagged):
        folders = album_folders(track.source)
        if not has_tag or len(folders) != 1:
            continue
        split = _split(folders[0])
        if split is not None and _key(split[0]) in {_key(n) for n in (track.artist, track.album_artist) if n}:
            found.add("")
    return found
