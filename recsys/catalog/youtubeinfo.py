"""What yt-dlp knows of a download beyond its file name: the ``.info.json`` beside it, and the
release year YouTube Music's generated description gives.

**The info file.** ``yt-dlp -x --write-info-json`` (an archivist's usual options, without
``--embed-metadata``) leaves the audio untagged, named by the video's title, "Reckoner
[_Rx4JvmSBWA].opus", and beside it "Reckoner [_Rx4JvmSBWA].info.json": the video's data, with
YouTube Music's song data for a song's upload ("track", "artist", "artists", "album",
"release_year"). Read by its name alone, such a file was a song by no one ("Reckoner", "Maria
También" with no artist: no artist node, no ``--artist``, a seed that matched two tracks). An
untagged file (no title, no artist tag) with its info file beside it (same name, ".info.json"
for the audio's suffix) is read from it:

- with the song data: the track's title, its artists (the first the primary, the others
  credited), album and release year;
- without: the video's title read as the upload it is (``uploads.upload_credit``, else
  ``reposts.repost_credit``: "Tycho - Awake (Official Video)" by the channel "Tycho" is Tycho's
  "Awake"), else the video's title without the video's words by the channel ("Radiohead -
  Topic" is Radiohead); no year (the upload's date is not the song's).

An info file that cannot be read (not JSON, not an object, over ``MAX_BYTES``) is passed over.

**The Topic artists.** yt-dlp joins a song's artists with ", " in the artist tag ("Daft Punk,
Pharrell Williams, Nile Rodgers"), which ``credits`` cannot split (a band's "Earth, Wind & Fire"
is written so too): one artist of its own, a facet row beside Daft Punk. The generated
description lists them one by one ("Get Lucky · Daft Punk · Pharrell Williams · Nile Rodgers");
where the artist tag is that list joined, the list is the artists (``topic_artists``), the first
the primary.

**The Topic year.** yt-dlp's ``--embed-metadata`` writes the upload's date ("20180423") as the
date tag: YouTube Music's "Topic" uploads of a 1997 album were all of 2018 in ``facets years``.
Their generated description says when the music came out: "℗ 1997 XL Recordings" and
"Released on: 1997-05-21". ``topic_year`` reads it (the earlier of the two); the reader takes it
over a date tag of yt-dlp's eight digits.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from recsys.catalog.credits import credited_artists
from recsys.catalog.filenames import without_video_words
from recsys.catalog.folderlayout import Tagged
from recsys.catalog.listing import FolderFiles
from recsys.catalog.model import TrackRecord
from recsys.catalog.reposts import repost_credit
from recsys.catalog.tagvalues import comment_texts
from recsys.catalog.uploads import upload_credit

#: an info file larger than this is no video's (a playlist's runs to a few MB at most)
MAX_BYTES = 8_000_000
_SUFFIX = ".info.json"
#: YouTube's generated description of a Topic upload, and its dates
_GENERATED = re.compile(r"provided to youtube by", re.IGNORECASE)
_PHONOGRAM = re.compile(r"(?:\u2117|\(p\))\s*((?:19|20)\d\d)\b", re.IGNORECASE)
_RELEASED = re.compile(r"released\s+on:\s*((?:19|20)\d\d)-\d\d-\d\d", re.IGNORECASE)
#: yt-dlp's date tag: the upload's day, eight digits
UPLOAD_DATE = re.compile(r"^\s*(?:19|20)\d{6}\s*$")
#: " - Topic" after an artist's name: YouTube's channel of the artist's songs
_TOPIC = re.compile(r"\s+-\s+topic\s*$", re.IGNORECASE)


def topic_year(texts: list[str]) -> int | None:
    """The year a YouTube Music song came out, from its generated description ("Provided to
    YouTube by ...", "℗ 1997 ...", "Released on: 1997-05-21"): the earlier one; None for any
    other text."""
    years = [int(m.group(1)) for text in texts if _GENERATED.search(text)
             for m in (*_PHONOGRAM.finditer(text), *_RELEASED.finditer(text))]
    return min(years) if years else None


def topic_artists(texts: list[str]) -> list[str]:
    """The artists a YouTube Music song's generated description lists ("Get Lucky · Daft Punk ·
    Pharrell Williams · Nile Rodgers": the song, then each artist), or []."""
    for text in texts:
        if not _GENERATED.search(text):
            continue
        for line in text.splitlines():
            parts = [p.strip() for p in line.split(" \u00b7 ")]
            if len(parts) >= 2 and all(parts):
                return parts[1:]
    return []


def listed_artists(artist_tag: str, raw_tags: Any) -> list[str]:
    """yt-dlp's "Daft Punk, Pharrell Williams, Nile Rodgers" where the YouTube Music song's
    generated description (in the raw mutagen tag) lists those names one by one: the list; []
    for any other artist tag."""
    if ", " not in artist_tag:
        return []
    names = topic_artists([str(t) for t in comment_texts(raw_tags)])
    return names if len(names) > 1 and ", ".join(names) == artist_tag.strip() else []


def song_year(year: int | None, date_tag: str, raw_tags: Any) -> int | None:
    """``year``, the tags' release year; where the date tag is yt-dlp's eight-digit upload date,
    the year a YouTube Music song's generated description gives, if it gives one."""
    if year is not None and UPLOAD_DATE.match(date_tag):
        return topic_year([str(t) for t in comment_texts(raw_tags)]) or year
    return year


def _info(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _year(data: dict[str, Any]) -> int | None:
    year = data.get("release_year")
    if isinstance(year, int) and 1000 < year < 3000:
        return year
    date = _text(data, "release_date")
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def _read(track: TrackRecord, data: dict[str, Any]) -> TrackRecord | None:
    """``track`` as its info file tells it; None where the file names no song or artist."""
    names = data.get("artists")
    artists = [a.strip() for a in names if isinstance(a, str) and a.strip()] if isinstance(names, list) else []
    artists = artists or [a for a in (_text(data, "artist"), _text(data, "creator")) if a][:1]
    song = _text(data, "track")
    if song and artists:  # YouTube Music's song data
        credits = credited_artists(artists, song)
        album = _text(data, "album")
        return replace(track, title=song, artist=artists[0], artists=credits if len(credits) > 1 else (),
                       album=album or track.album, year=_year(data) or track.year)
    title = _text(data, "title")
    channel = _TOPIC.sub("", _text(data, "channel") or _text(data, "uploader"))
    if not title or not channel:
        return None
    read = upload_credit(title, channel) or repost_credit(title, channel) or (without_video_words(title), channel)
    credits = credited_artists([read[1]], read[0])
    return replace(track, title=read[0], artist=read[1], artists=credits if len(credits) > 1 else ())


def with_info_files(tracks: list[TrackRecord], tagged: list[Tagged],
                    listed: FolderFiles) -> tuple[list[TrackRecord], list[Tagged]]:
    """``tracks`` and ``tagged``, each untagged file with yt-dlp's info file beside it read
    from that file (see the module's rules)."""
    # the untagged files alone, found in one pass; each folder by its path as text (a Path's
    # parent made, hashed and compared for each untagged file): ``listing``'s lookups are keyed so
    untagged = [i for i, tags in enumerate(tagged) if not (tags.title or tags.artist)]
    beside: dict[str, dict[str, Path]] = {}
    out_tracks, out_tagged = list(tracks), list(tagged)
    for i in untagged:
        track, tags = tracks[i], tagged[i]
        if track.audio_path is None or track.audio_start is not None:
            continue
        folder, _, name = os.fspath(track.audio_path).rpartition(os.sep)
        found = beside.get(folder)
        if found is None:
            found = beside[folder] = {p.name[: -len(_SUFFIX)].casefold(): p
                                      for p in listed.ending(Path(folder or os.curdir), (_SUFFIX,))}
        if not found:
            continue  # most folders: no info file
        info = found.get(Path(name).stem.casefold())
        data = _info(info) if info is not None else None
        read = _read(track, data) if data is not None else None
        if read is not None:
            out_tracks[i] = read
            out_tagged[i] = Tagged(artist=True, title=True, album=tags.album or bool(read.album))
    return out_tracks, out_tagged
