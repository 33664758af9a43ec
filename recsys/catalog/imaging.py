"""Station imaging in a radio station's library: jingles, station IDs, legal IDs, sweepers,
liners, promos, PSAs, underwriting spots, news beds, sound effects.

A playout library (RadioDJ, Rivendell, mAirList, StationPlaylist, Zetta) holds them beside the
music, as files like any other: read so, a song's radio listed a sweeper ("Real Music Real
Radio" by the station) or a legal ID between two songs, which a programmer calls wrong, and
the station's name topped the artists. They are no music, as a podcast episode is none: the
reader marks them spoken word (``kind`` "spoken", ``spokenword``), so a song's radio leaves
them out and a sweeper's radio keeps to imaging. A track is imaging on such evidence:

- its genre is one of the playout systems' kinds of cart (RadioDJ's track types "Jingle",
  "Sweeper", "Voice Over", "Commercial", "News"; "Station ID", "Legal ID", "Liner", "PSA",
  "Underwriting", "Sound Effects"...: ``IMAGING_GENRES``);
- its broadcast WAV's cart chunk files it under such a category (Rivendell's groups "LEGAL",
  "SWEEPERS", "TRAFFIC", "PROMOS": ``IMAGING_CATEGORIES``, the genres' names and the systems'
  own words for a cart that is no song; ``broadcastwav``);
- a folder above it is one a station names for imaging ("Imaging", "Sweepers", "Station IDs",
  "Legal IDs", "Liners", "Jingles", "PSAs", "Underwriting", "News Beds"...:
  ``IMAGING_FOLDERS``), unless the folder is the album of the track's artist ("Jingles" a
  band's album).
  Not "Promos" (a DJ's record-pool promos are music: ``categoryfolders``) nor "Sound
  Effects" (a game's or a producer's, a container there).

As spoken word does, the evidence yields to a genre naming a kind of music
(``categoryfolders.music_genre``), "Pop" of a singer's song filed under "Jingles" by a
volunteer, but not for a short file (``SHORT_SECONDS`` or less where its length is known): a
jingle package's cuts are sung and tagged "Pop" as the package's style, a song is longer than
a minute. A file whose length is unknown keeps to the genre.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from recsys.catalog.model import TrackRecord, normalise_title

#: genres that name a kind of cart that is no song: RadioDJ's track types, the words of the
#: other playout systems and of the imaging houses
IMAGING_GENRES = frozenset(normalise_title(n) for n in (
    "Jingle", "Jingles", "Sweeper", "Sweepers", "Station ID", "Station IDs", "Station Identification",
    "Legal ID", "Legal IDs", "Liner", "Liners", "Imaging", "Station Imaging", "Radio Imaging",
    "Voice Over", "Voiceover", "Voice Overs", "Voice Track", "Voicetrack", "Voice Tracks", "PSA", "PSAs",
    "Public Service Announcement", "Commercial", "Commercials", "Spot", "Spots", "Underwriting",
    "Sponsorship", "Station Promo", "News", "Newscast", "News Bed", "Sound Effects", "SFX",
    "DJ Drops", "Drops", "Stager", "Stagers", "Sounder", "Sounders", "Bumper", "Bumpers", "Teaser",
))
#: a cart chunk's categories that file a cart as no song: the genres' names and what a
#: playout system calls its groups of them (Rivendell's "LEGAL" and "TRAFFIC", a station's
#: "PROMO"); compared as ``normalise_title`` folds them ("SWEEPERS" is "sweepers")
IMAGING_CATEGORIES = IMAGING_GENRES | frozenset(normalise_title(n) for n in (
    "Legal", "ID", "IDs", "Traffic", "Promo", "Promos", "Bed", "Beds", "VT", "VO", "Spot", "Weather",
    "Sports", "Announcements",
))
#: folders a station names for its imaging
IMAGING_FOLDERS = frozenset(normalise_title(n) for n in (
    "Imaging", "Station Imaging", "Radio Imaging", "Sweepers", "Station IDs", "Legal IDs", "IDs",
    "Liners", "Jingles", "PSAs", "PSA", "Underwriting", "Commercials", "Spots", "News Beds", "Beds",
    "Voice Tracks", "Voicetracks", "Drops", "DJ Drops", "Stagers", "Sounders", "Bumpers",
))
#: a file no longer than this (seconds) is imaging on its folder's or genre's word, whatever
#: music genre it carries: a jingle's or a sweeper's length, a minute's PSA
SHORT_SECONDS = 65.0


def imaging_category(category: str) -> bool:
    """Whether a cart chunk's Category files the cart as imaging ("LEGAL", "SWEEPERS")."""
    return normalise_title(category) in IMAGING_CATEGORIES


@lru_cache(maxsize=4096)
def _imaging_folders(folder: str) -> tuple[str, ...]:
    """The folders of the path ``folder`` that a station names for imaging, as
    ``normalise_title`` folds them: asked once a folder, not once each of its tracks (a
    50,000-file library folded 200,000 folder names a read for this)."""
    return tuple(n for n in map(normalise_title, folder.split("/")) if n in IMAGING_FOLDERS)


def _imaging_folder(track: TrackRecord) -> bool:
    source = track.source.replace("\\", "/") if "\\" in track.source else track.source
    folder = source.rpartition("/")[0]
    folders = _imaging_folders(folder) if folder else ()
    if not folders:
        return False  # most tracks: no album folded
    # a band's album "Jingles" under "Band/Jingles/"; not an artist-less file's folder, whose
    # name the reader gave as its album ("Archive/Imaging/ID4901.mp2")
    album = normalise_title(track.album) if track.album and track.artist else ""
    return any(n != album for n in folders)


def imaging_evidence(track: TrackRecord, genres: Iterable[str] | None = None) -> bool:
    """Whether the track's genre or a folder above it says it is imaging (its cart chunk's
    category is read as the tags' flag is: ``track.kind`` as the reader set it); ``genres``
    its genres as ``normalise_title`` folds them, where the caller has folded them."""
    if genres is None:
        g = track.genres if isinstance(track.genres, tuple) else tuple(track.genres)
        return _imaging_genres(g) or _imaging_folder(track)
    return any(g in IMAGING_GENRES for g in genres) or _imaging_folder(track)


@lru_cache(maxsize=4096)
def _imaging_genres(genres: tuple[str, ...]) -> bool:
    """Whether one of ``genres`` names a kind of cart: once a set of genres, not once a track
    (a library's tracks share a few hundred)."""
    return any(normalise_title(g) in IMAGING_GENRES for g in genres)


def short(track: TrackRecord) -> bool:
    """Whether the file is known to be no longer than ``SHORT_SECONDS``."""
    return track.file_seconds is not None and track.file_seconds <= SHORT_SECONDS
