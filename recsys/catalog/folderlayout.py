"""What a music folder's layout says of a file's artist and album: its folders
(``Artist/Album/NN Title.ext``, a disc folder skipped), its name with the other names of its
folder (``filenames``), and the tags beneath a folder, which may show it is no artist's.

The music-folder reader (``musicdir``) reads each file's tags, then hands the whole list here,
because these rules need every file of the library at once:

- ``folder_layout``: (artist, album) from the folders above one file, the nearest folder above
  the album folder that is no container (``categoryfolders``) as its artist;
- ``names_give_artists``: the file name rules applied to the files without an artist tag, a
  folder at a time (a record's positions, "A1 - Artist - Title", taken off first: ``vinylsides``);
- ``drop_category_artists``: an artist taken from a folder that the tags beneath it, or the
  library's sorting (a genre, a letter, a shelf of them), show is no artist's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from recsys.catalog.albumfolders import album_folder
from recsys.catalog.animethemes import theme_credit
from recsys.catalog.artistfolders import in_reading_order
from recsys.catalog.categoryfolders import artist_index, container_folder, shelf_folders
from recsys.catalog.ipodfolders import ipod_shard
from recsys.catalog.credits import credited_artists
from recsys.catalog.dawfolders import daw_made
from recsys.catalog.discs import album_folders
from recsys.catalog.filenames import NameCredit, folder_credits, song_key, title_from_name, titled_credit
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.nametempo import tempo_key_in_name
from recsys.catalog.promomarks import without_promo_marks
from recsys.catalog.placeholders import placeholder_album, placeholder_artist
from recsys.catalog.scenenames import release_folder
from recsys.catalog.slugnames import slug_name
from recsys.catalog.suffixes import name_without_suffix
from recsys.catalog.works import _MOVEMENT as MOVEMENT
from recsys.catalog.typebeats import names_a_type_beat
from recsys.catalog.worknames import names_a_work
from recsys.catalog.vinylsides import leading_position, names_a_side, side_listed
from recsys.labels import label_key


def unless(placeholder: Callable[[str], bool], value: str) -> str:
    return "" if placeholder(value) else value


def folder_layout(relative: str) -> tuple[str, str]:
    """(artist, album) from the folders above a file: ``Artist/Album/x`` gives both; one folder
    (``Folder/x``) or none gives neither. A disc folder is skipped."""
    folders = album_folders(relative)
    if not folders or daw_made(folders):  # a bounce, a project's export (``dawfolders``)
        return "", ""
    if len(folders) >= 2 and ipod_shard("/".join(folders[:-1]), folders[-1]):
        return "", ""  # an iPod's "F07", iTunes' pick at random: no one's album (``ipodfolders``)
    # "Kenta Cho - 2002 - Noiz2sa", "Noiz2sa (2002) [FLAC 24-96]": the album without the year
    # and the format, and the artist the name gives before the one above (``albumfolders``)
    named = album_folder(folders[-1])
    if named.artist:
        return unless(placeholder_artist, named.artist), unless(placeholder_album, named.album)
    if len(folders) >= 2:
        # "Unknown Artist/Unknown Album/": a ripper's folders name no one; "Soulseek/Album/",
        # "Radiohead/Singles/Album/": the nearest folder that is no container (``categoryfolders``)
        index = artist_index(folders)
        artist = "" if index is None else unless(placeholder_artist, in_reading_order(folders[index]))
        album = "" if not artist and container_folder(folders[-1]) else named.album  # "Music/Soundtracks/"
        return artist, unless(placeholder_album, album)
    # one folder is as often "Downloads" or a playlist as an artist: inferring an artist from
    # it would make a shared node of it, the "Unknown Artist" problem under another name
    return "", ""


def folder_names_artist(relative: str) -> bool:
    folders = album_folders(relative)
    return bool(folders) and bool(album_folder(folders[-1]).artist)


def layout_year(relative: str) -> int | None:
    """The year an album folder's name gives ("(2004) Album"), for a file without a date tag."""
    folders = album_folders(relative)
    return album_folder(folders[-1]).year if folders else None


@dataclass(frozen=True)
class Tagged:
    """Which of a file's fields its tags gave: the others came from its path, and the file
    name rules (``filenames``) may give them instead."""

    artist: bool  # an artist or an album-artist tag
    title: bool
    album: bool


def _artist_folder(relative: str) -> str | None:
    """The folder ``folder_layout`` took a file's artist from, relative to the music folder; None
    when it took none."""
    folders = album_folders(relative)
    if daw_made(folders):
        return None
    if folder_names_artist(relative):  # "Artist - 2002 - Album" names it itself
        return "/".join(folders)
    index = artist_index(folders) if len(folders) >= 2 else None
    return None if index is None else "/".join(folders[:index + 1])


def _names_artist(folder: str, artists: set[str]) -> bool:
    """Whether a folder's name is one of these (normalised) artist names, or its words are
    some of one's ("Beatles" for "The Beatles", "Wansti" for "Wansti feat. X"), or the other
    way round. Whole words: "Music" is not in "zhaymusic"."""
    name = set(normalise_title(folder.rsplit("/", 1)[-1]).split())
    return bool(name) and any(name <= set(a.split()) or set(a.split()) <= name for a in artists if a)


def _under_shelf(artist_folder: str, source: str, shelves: set[str]) -> bool:
    """Whether a shelf (``categoryfolders.shelf_folders``) is the artist folder or lies between
    it and the file: MTG-Jamendo's ``raw_30s/audio/14/x.mp3`` took "raw_30s" from above the
    container ``audio/``, which shelves the shards ``00/``-``99/``."""
    folders = album_folders(source)
    return any("/".join(folders[:depth]) in shelves for depth in range(artist_folder.count("/") + 1, len(folders) + 1))


def drop_category_artists(tracks: list[TrackRecord], from_layout: list[bool], sorting: set[str]) -> list[TrackRecord]:
    """Untagged tracks lose an artist taken from a folder that the tags beneath it show is no
    artist's: in ``Games/Bos Wars/x.wav`` "Games" holds tracks tagged Mattias Westlund, Wansti,
    Daniel Roux..., none of them "Games". As an artist such a folder ("Games", "Music",
    "Soundtracks") is the "Unknown Artist" hub again: one artist node for unrelated records, the
    top of the artist facet, and an artist cap that let two of a game's untagged tracks into a
    recommendation. They keep the album (their own folder). A folder without tagged tracks
    beneath it gives its artist unless it is a genre or a letter the library sorts by
    (``categoryfolders.sorting_folders``: "Rock/Album/" beside "Jazz/"); such a folder is no
    album either for a track left without an artist ("Music/Rock/x.mp3"), nor is a container in
    a container ("Mike/My Documents/My Shared Folder/x.mp3", once "Mike" is dropped)."""
    shelves = shelf_folders(sorting)
    beneath: dict[str, set[str]] = {}
    for track, layout in zip(tracks, from_layout):
        if layout or not track.artist:
            continue
        folders = track.source.split("/")[:-1]
        for depth in range(1, len(folders) + 1):
            beneath.setdefault("/".join(folders[:depth]), set()).add(normalise_title(track.artist))
    out: list[TrackRecord] = []
    for track, layout in zip(tracks, from_layout):
        folder = _artist_folder(track.source) if layout else None
        if folder is not None and (
            folder in sorting or _under_shelf(folder, track.source, shelves) or (folder in beneath and not _names_artist(folder, beneath[folder]))
        ):
            track = replace(track, artist="")
        if not track.artist and track.album and _sorting_album(album_folders(track.source), sorting) \
                and track.album == folder_layout(track.source)[1]:
            track = replace(track, album="")
        out.append(track)
    return out


def _sorting_album(folders: list[str], sorting: set[str]) -> bool:
    """Whether a track's album folder names no album once the track has no artist: a sorting
    folder, or a container in a container (Kazaa's "My Documents/My Shared Folder" under a
    user's "Mike", whom the tagged downloads there show is no artist: its untagged ones were one
    album "My Shared Folder"). A container right under the dropped artist's folder stays its
    album: a game's "Wesnoth/sounds/" tells its sounds from another game's."""
    return bool(folders) and ("/".join(folders) in sorting
                              or len(folders) >= 2 and container_folder(folders[-1]) and container_folder(folders[-2]))


def _scene_release(relative: str) -> bool:
    folders = album_folders(relative)
    return bool(folders) and release_folder(folders[-1]) is not None


def _named(track: TrackRecord, credit: NameCredit, tagged: Tagged) -> TrackRecord:
    """The track with what its file name gives: its title (unless a tag gave it), and the
    artist, credited like a tagged one, or else the album the name's part is."""
    title = track.title if tagged.title else credit.title
    if not credit.artist:
        return replace(track, title=title, album=track.album or credit.album)
    album = track.album if tagged.album else credit.album
    # a folder of many artists ("Downloads") is no album; a scene release's is, whoever's
    # each file is ("VA-Label_Uncaged_Vol_1-(CAT)-WEB-2023-GRP/", ``scenenames``)
    if not album and (credit.folder_album or _scene_release(track.source)):
        album = folder_layout(track.source)[1]
    credited = credited_artists([credit.artist], title)
    return replace(
        track, title=title, artist=credit.artist, artists=credited if len(credited) > 1 else (), album=album,
    )


#: a title's right part that names a version, not a song: "Song - Live", "- Remastered 2011"
_VERSION = re.compile(
    r"^\s*(?:(?:19|20)\d\d\s+)?(?:(?:radio|single|album|extended|original|club|acoustic|live|remaster(?:ed)?|mono|"
    r"stereo|demo|instrumental|deluxe|bonus|unplugged|edit|version|mix|remix|take|session|reprise)\b[\s,.]*)+"
    r"(?:(?:19|20)\d\d)?\s*$|^\s*live\s+(?:at|in|from)\b",
    re.IGNORECASE,
)


def _album_songs(tracks: list[TrackRecord], tagged: list[Tagged]) -> dict[tuple[str, str], str]:
    """The tagged tracks' (title, album) pairs (``filenames.song_key``) -> their artist, "" where
    two copies name two artists."""
    songs: dict[tuple[str, str], str] = {}
    for track, tags in zip(tracks, tagged):
        if tags.artist and track.album and track.title:
            key = song_key(track.title, track.album)
            songs[key] = track.artist if songs.get(key, track.artist) == track.artist else ""
    return songs


def names_give_artists(tracks: list[TrackRecord], tagged: list[Tagged]) -> tuple[list[TrackRecord], list[bool]]:
    """``filenames``' rules applied to the files without an artist tag, a folder at a time:
    the tracks, and whether each one's artist came from the folders (``folder_layout``), for
    ``drop_category_artists``. A tagged file is returned as it is."""
    folders: dict[str, list[int]] = {}
    tagged_artists: dict[str, list[str]] = {}  # folder -> the artists of its tagged files
    for i, (track, tags) in enumerate(zip(tracks, tagged)):
        if not tags.artist:
            folders.setdefault(track.source.rpartition("/")[0], []).append(i)
        else:
            tagged_artists.setdefault(track.source.rpartition("/")[0], []).append(track.artist)
    out = list(tracks)
    named: set[int] = set()  # tracks whose artist the name gave: real artists to the folder check
    # the artists the tags name, which a name may put last ("Tum Hi Ho - Arijit Singh"); made
    # only where some file has no artist tag
    known = frozenset(map(label_key, {a for t, tags in zip(tracks, tagged) if tags.artist
                                      for a in (t.artists or (t.artist,))})) if folders else frozenset()  # each name keyed once
    # the songs of the albums the tags name, by their one artist ("" where copies differ), which
    # such a name may give as "Song - Film" ("Kesariya - Brahmastra")
    songs = _album_songs(tracks, tagged) if folders else {}
    for members in folders.values():
        # a name's part equal to the layout's album is the album ("Album - 03 - Title"); a
        # folder one deep gives no album: "Daft Punk/Daft Punk - Da Funk.mp3" is the artist's
        layout_artist, layout_album = folder_layout(tracks[members[0]].source)
        # without a DJ's tempo and key: "8A - 128 - Artist - Title" is the artist's (``nametempo``),
        # nor a promo's marks: "PREMIERE: Artist - Title" (``promomarks``)
        # a download blog's slug "Burna-Boy-Last-Last-[NaijaLoaded.com.ng]" whose first words a
        # tag names: "Burna Boy - Last Last" (``slugnames``)
        stems = {i: tempo_key_in_name(without_promo_marks(name_without_suffix(tracks[i].source.rpartition("/")[2])))[0]
                 for i in members}
        stems = {i: stem if tagged[i].artist else slug_name(stem, known) for i, stem in stems.items()}
        plain = [i for i in members if not tagged[i].title]
        # a record's track list, "A1 - Artist - Title", "B2. Title": its positions are no part
        # of the names, nor the artist "A1" (``vinylsides``)
        if side_listed([stems[i] for i in members]):
            stems = {i: leading_position(stem)[1] for i, stem in stems.items()}  # type: ignore[index]
            for i in plain:
                out[i] = replace(out[i], title=title_from_name(stems[i]))
        beside = tagged_artists.get(tracks[members[0]].source.rpartition("/")[0], [])
        one = {normalise_title(a) for a in beside}
        siblings_artist = beside[0] if len(beside) >= 2 and len(one) == 1 else ""
        credits = dict(zip(plain, folder_credits([stems[i] for i in plain], layout_artist, layout_album,
                                                 siblings_artist=siblings_artist, known=known, songs=songs)))
        for i in members:
            if tagged[i].title:
                credits[i] = titled_credit(stems[i], tracks[i].title, layout_artist, layout_album)
        # an old compilation's title tags "Moby - Porcelain" under the artist "Various Artists"
        # (a placeholder: no artist tag), a download's "Daft Punk - One More Time": the title
        # tags read as the folder's file names are (every one of them split, or none)
        titled = [i for i in members if tagged[i].title and credits.get(i) is None]
        split_titles: set[int] = set()
        for i, credit in zip(titled, folder_credits([tracks[i].title for i in titled], layout_artist, layout_album,
                                                    siblings_artist=siblings_artist) if titled else []):
            # "Symphony No. 5 - I. Allegro con brio": a work and its movement, no artist's song
            if credit is not None and credit.artist and not _VERSION.match(credit.title) \
                    and not MOVEMENT.match(credit.title):
                credits[i] = credit
                split_titles.add(i)
        for i, credit in credits.items():
            # "Shingeki no Kyojin OP1 - Guren no Yumiya.mp3": the show's theme, no artist's (``animethemes``)
            theme = theme_credit(credit) if credit is not None and i not in split_titles else None
            credit = theme or credit
            # "CD1/01 Symphony No. 1 - Adagio.wav": a work and its movement, no artist's song
            # (``worknames``); "Drake Type Beat - Ocean.mp3", a producer's beat named after the
            # artists it sounds like (``typebeats``), "Tape 1 - Side 2.flac", a cassette's side
            # (``vinylsides``): the name stays the title, the folders give artist and album
            if credit is not None and not (credit.artist and (
                    names_a_work(credit.artist) or names_a_type_beat(credit.artist) or names_a_side(credit.artist))):
                out[i] = _named(out[i], credit, replace(tagged[i], title=False) if i in split_titles else tagged[i])
                if theme is not None and not tagged[i].album:  # the show, not the folder of downloads
                    out[i] = replace(out[i], album=theme.album)
                if credit.artist:
                    named.add(i)
    # an artist an album folder's name gives ("Artist - 2002 - Album") is a real one too
    from_layout = [
        not tags.artist and bool(track.artist) and i not in named and not folder_names_artist(track.source)
        for i, (track, tags) in enumerate(zip(out, tagged))
    ]
    return out, from_layout
