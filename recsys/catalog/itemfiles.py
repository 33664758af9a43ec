"""One recording in several files of one folder: an untagged file named as a tagged one.

An Internet Archive item holds each recording as its upload and the Archive's derivatives:
"track01.flac" (the upload, often untagged), "track01.mp3", "track01.ogg" and
"track01_64kb.mp3" (tagged by the Archive from the item's metadata). Read alone, the untagged
FLAC was a song titled "track01" by no one, of an album named after the item's identifier (its
folder): so it was listed among the results of other seeds, with no artist for the cap, while
the results' dedup already took it for one song with its siblings (``recsys.query.library``).
A song kept in two formats ("Song.wav" beside "Song.mp3", only the MP3 tagged) is the same case.

``with_sibling_tags``: a file whose tags give no title, artist or album takes what the tags of
the file of its folder with the same name in another format give (an Archive derivative's
"_64kb", "_vbr"... left out of the name: ``suffixes.recording_name``), the one whose tags give
most: title, artist, credited artists, album and its artist, composer, MusicBrainz recording
id, and the genres and year where its own give none. Its ``Tagged`` is that file's: the file
name rules (``filenames``) leave it alone. A tagged file of the group with that title (the
Archive tags its "_64kb.mp3" with a title and an artist alone) takes the album, genres, year,
composer and recording id its own tags leave out: listed in a result, that song had no year or
genre while its other files have them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from recsys.catalog.folderlayout import Tagged
from recsys.catalog.listing import folder_text
from recsys.catalog.model import TrackRecord, normalise_title
from recsys.catalog.suffixes import recording_name


def _untagged(tags: Tagged) -> bool:
    return not (tags.title or tags.artist or tags.album)


def with_sibling_tags(tracks: list[TrackRecord], tagged: list[Tagged]) -> tuple[list[TrackRecord], list[Tagged]]:
    """``tracks`` and ``tagged``, each untagged file named as a tagged one of its folder read
    with that file's tags, and each tagged one of the same title given what its own tags leave
    out (a derivative's album, genres, year)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, t in enumerate(tracks):
        if t.audio_path is not None and t.audio_start is None:
            # the reader's Path as it is: a Path made again from one is parsed again
            p = t.audio_path if isinstance(t.audio_path, Path) else Path(t.audio_path)
            groups.setdefault((folder_text(p), recording_name(p.name).casefold()), []).append(i)
    tracks, tagged = list(tracks), list(tagged)
    for group in groups.values():
        named = [i for i in group if not _untagged(tagged[i])]
        if len(group) < 2 or not named:
            continue

        def given(i: int) -> tuple:
            t, tags = tracks[i], tagged[i]
            return (tags.artist, tags.title, tags.album, t.year is not None, len(t.genres), bool(t.recording_id), -i)

        best = max(named, key=given)
        src = tracks[best]
        for i in group:
            t = tracks[i]
            if _untagged(tagged[i]):
                t = replace(t, title=src.title, artist=src.artist, artists=src.artists, album=src.album,
                            album_artist=src.album_artist, composer=src.composer, artist_ids=src.artist_ids)
                tagged[i] = tagged[best]
            elif i == best or normalise_title(t.title) != normalise_title(src.title):
                continue  # the best itself, or tagged as another song: as tagged
            elif not tagged[i].album and src.album:
                t = replace(t, album=src.album, album_artist=t.album_artist or src.album_artist)
            tracks[i] = replace(
                t, genres=t.genres or src.genres, year=t.year if t.year is not None else src.year,
                recording_id=t.recording_id or src.recording_id, composer=t.composer or src.composer,
            )
    return tracks, tagged
