"""Artist folders the tags vouch for: the artist of an untagged file that the layout rules
(``folderlayout.folder_layout``, ``categoryfolders``) leave without one.

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

The evidence is a name equal to a tagged artist (the case, the accents, a leading "The"
aside), never a folder's word inside a longer name ("Music" in "Music Machine"); for loose
files, also the artist the layout rule gave the untagged files of the folder's own album
folders (``Radiohead/x.flac`` beside an untagged ``Radiohead/OK Computer/``), which that rule
has already denied a container or a folder whose tags name others (``Games/Bos Wars``); and
the shelf itself: where the library sorts Artist/Album/ (its tags agree with its artist
folders), a folder of loose files that are no numbered track list, at the root or under
"Music", is an artist's (``Music/Radiohead/Creep.flac``). Under a kind's container it is not:
"Sound Effects/Garden/" is a game's, as the fifth real library showed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from recsys.catalog.categoryfolders import artist_index, container_folder, sorting_folder
from recsys.catalog.discs import album_folders
from recsys.catalog.filenames import begins_with_track_number
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.placeholders import placeholder_artist

#: "Artist - Album" with a spaced dash (never "Jay-Z"); the first dash splits
_ARTIST_ALBUM = re.compile(r"^(?P<artist>.+?)\s+[-\u2013\u2014]\s+(?P<album>.+)$")


#: a name in sort form, its article last: "Beatles, The", "Ärzte, Die", "Rita Mitsouko, Les"
_SORT_FORM = re.compile(r"^(?P<name>.*\S),\s*(?P<article>the|a|an|die|der|das|les|le|la|los|las|el|il|de|het)$",
                        re.IGNORECASE)


def in_reading_order(name: str) -> str:
    """A folder's artist name in reading order: "Beatles, The" -> "The Beatles". Libraries
    sorted by artist (foobar2000's and MusicBee's "%artistsort%" folders, a person's shelf) name
    folders so, and an untagged file in "Beatles, The/Abbey Road/" was by "Beatles, The": an
    artist node, a facet row and a cap of its own beside the tagged "The Beatles". A name with
    another comma ("Earth, Wind & Fire") is as written."""
    match = _SORT_FORM.match(name.strip())
    return f"{match.group('article')} {match.group('name')}" if match else name.strip()


def _key(name: str) -> str:
    key = normalise_title(in_reading_order(name))
    return key[4:] if key.startswith("the ") else key


def _split(folder: str) -> tuple[str, str] | None:
    match = _ARTIST_ALBUM.match(folder.strip())
    if not match or placeholder_artist(match.group("artist")):
        return None
    return match.group("artist").strip(), match.group("album").strip()


def _loose(folders: list[str]) -> bool:
    """Whether a file in ``folders`` lies loose in its folder at the top of the library: every
    folder above it a container ("Music/Radiohead/x.flac" as well as "Radiohead/x.flac")."""
    return all(container_folder(f) for f in folders[:-1])


def _artist_folder(folders: list[str]) -> str | None:
    """The path of the folder the layout rule took an untagged file's artist from."""
    index = artist_index(folders) if len(folders) >= 2 else None
    return None if index is None else "/".join(folders[:index + 1])


@dataclass(frozen=True)
class _Evidence:
    """What the library says about its folders, gathered once for ``_vouched``."""

    beneath: dict[str, set[str]]  # folder path -> keys of the tagged artists beneath it
    everywhere: set[str]  # keys of every tagged artist
    named_so: set[str]  # the parents of an "X - Y" folder whose tracks are tagged X
    laid_out: dict[str, set[str]]  # artist folder -> keys its album folders' untagged files took
    numbered: set[str]  # folders whose every file name starts with a track number (an album's)
    by_artist: bool  # the library sorts Artist/Album/: its tags agree with its artist folders


#: the folders a person's artist shelf lies in ("Music/Radiohead/"), as opposed to the kinds a
#: container sorts ("Sound Effects/Garden/" is a game's, "Downloads/X/" an album's as often)
_SHELVES = frozenset(normalise_title(n) for n in (
    "Music", "My Music", "Musik", "Meine Musik", "Musique", "Ma musique", "Música", "Musica",
    "Muziek", "Mijn muziek", "Muzyka", "Музыка", "音楽", "iTunes", "iTunes Media", "iTunes Music",
    "Media", "Audio", "Library", "Music Library",
))
#: the last word of a folder a person gathers others' songs in, never an artist's shelf ("Workout
#: Mix", "Road Trip Playlist", "Summer Mixtape", "My Favourites")
_GATHERED = re.compile(r"\b(?:mix|mixes|mixtape|mixtapes|playlist|playlists|favorites|favourites|faves)$")


def vouched_artists(tracks: list[TrackRecord], tagged: list[bool]) -> list[TrackRecord]:
    """``tracks`` with the artist (and for an "Artist - Album" folder the album) the tags
    vouch for given to each track that has no artist and whose artist no tag gave
    (``tagged[i]`` False)."""
    evidence = _evidence(tracks, tagged)
    out: list[TrackRecord] = []
    for track, has_tag in zip(tracks, tagged):
        if not has_tag and not track.artist:
            track = _vouched(track, evidence)
        out.append(track)
    return out


def _evidence(tracks: list[TrackRecord], tagged: list[bool]) -> _Evidence:
    beneath: dict[str, set[str]] = {}
    everywhere: set[str] = set()
    laid_out: dict[str, set[str]] = {}
    named_so: set[str] = set()
    names_by_folder: dict[str, list[str]] = {}
    agree = total = 0  # tagged tracks in Artist/Album/ folders, and those the folder names
    for track, has_tag in zip(tracks, tagged):
        folders = album_folders(track.source)
        names_by_folder.setdefault(track.source.rpartition("/")[0], []).append(track.source.rpartition("/")[2])
        artist_folder = _artist_folder(folders)
        if not has_tag:
            if track.artist and artist_folder is not None:
                laid_out.setdefault(artist_folder, set()).add(_key(track.artist))
            continue
        names = {_key(n) for n in (track.artist, track.album_artist, *track.artists) if n}
        everywhere |= names
        for depth in range(1, len(folders) + 1):
            beneath.setdefault("/".join(folders[:depth]), set()).update(names)
        split = _split(folders[-1]) if folders else None
        if split is not None and _key(split[0]) in names:
            named_so.add("/".join(folders[:-1]))
        if artist_folder is not None:
            total += 1
            agree += _key(artist_folder.rpartition("/")[2]) in names
    numbered = {
        folder for folder, files in names_by_folder.items()
        if all(begins_with_track_number(name.rpartition(".")[0] or name) for name in files)
    }
    # three tagged tracks at least, two thirds of them in their artist's folder: a person's
    # Artist/Album/ shelf, not a games folder or a downloads heap
    by_artist = total >= 3 and 3 * agree >= 2 * total
    return _Evidence(beneath, everywhere, named_so, laid_out, numbered, by_artist)


def _vouched(track: TrackRecord, evidence: _Evidence) -> TrackRecord:
    folders = album_folders(track.source)
    if not folders:
        return track
    if len(folders) >= 2 and _key(folders[-2]) in evidence.beneath.get("/".join(folders[:-1]), set()):
        # the folder above the album: a band with a container's name ("1990s/Cookies (2007)/")
        return replace(track, artist=in_reading_order(folders[-2]))
    if not _loose(folders):
        return track
    folder, path = folders[-1], "/".join(folders)
    tagged_beneath = evidence.beneath.get(path, set())
    # the library sorts by artist, this folder holds loose files that are no album's track list
    # and no tag beneath it names anyone: "Music/Radiohead/Creep.flac" beside "Music/Portishead/Dummy/"
    shelf = (evidence.by_artist and not tagged_beneath and track.source.rpartition("/")[0] not in evidence.numbered
             and all(normalise_title(f) in _SHELVES for f in folders[:-1])
             and not container_folder(folder) and not sorting_folder(folder) and _split(folder) is None
             and not _GATHERED.search(normalise_title(folder)))
    if _key(folder) in tagged_beneath | evidence.laid_out.get(path, set()) or shelf:
        # a single in the artist's folder: the folder is no album ("Music/Radiohead/x.flac")
        album = "" if normalise_title(track.album) == normalise_title(folder) else track.album
        return replace(track, artist=in_reading_order(folder), album=album)
    split = _split(folder)
    if split is not None and (_key(split[0]) in evidence.everywhere or path.rpartition("/")[0] in evidence.named_so):
        album = track.album if track.album and normalise_title(track.album) != normalise_title(folder) else split[1]
        return replace(track, artist=split[0], album=album)
    return track
