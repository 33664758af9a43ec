"""Chapters: an album or a DJ mix in one file, its tracks marked as chapters inside it.

yt-dlp saves a YouTube "full album" upload with the description's timestamps as chapters
(``--embed-chapters``, in .webm, .mka, .m4a, .mp4, .opus), and DJ software exports a mix with
a chapter per record (ID3 ``CHAP`` frames in an MP3, Nero or QuickTime chapters in an M4A). As
one track, an hour of twelve songs had one audio vector of its middle 30 s, one title ("Some
Band - Full Album (2015)") and was recommended for none of them. Such a file is read as its
chapters' tracks, as an album image is read as its cue sheet's (``cuesheets.split_tracks``:
ids ``f...#03``, each track's audio the span from its chapter's start to the next one's).

Only files of ``MIN_SECONDS`` or more are opened for chapters (PyAV; mutagen gives the length
with the tags), never an audiobook (``.m4b``: its chapters are no songs), and only two
chapters or more with increasing starts split a file; a podcast's or a book's (genre "Podcast", "Audiobook",
"Spoken Word", or under a "Podcasts" or "Audiobooks" folder: ``spokenword.kept_whole``) stays whole. What a chapter's
title says:

- a leading timestamp ("00:00 ", "[1:02:03] ") and the chapter's own number ("1. ", "01 - ",
  "3) ": the number that is the chapter's place, so "99 Luftballons" as a second chapter keeps
  its 99) go;
- "Artist - Title" in most chapters, with artists that vary, is a mix: each chapter its
  artist; one artist in all of them is that artist's album;
- "Chapter 3", "Track 03" or nothing is no title: the track is "<file's title> (track 3)";
- a tempo and a key in a DJ's shapes ("Artist - Title 128 8A": ``nametempo``) are the
  chapter's, not its title's.

A long file without chapters whose description lists its records by their start ("00:00
Artist - Title", three or more, the first at 0:00: YouTube's own rule) is read by that list
(``listed_chapters``): a SoundCloud mix (scdl writes its description as the comment), a video
yt-dlp saved without ``--embed-chapters``.

A chapter's tempo and key are its own: the ``TBPM``/``TKEY`` frames of an ID3 chapter (FFmpeg
gives them as the chapter's metadata), else its title's. The file's tags describe the mix
as a whole (one tempo, one key for an hour of records): no chapter takes them.

The album is the file's album tag, else its title without "(Full Album)" and its kin, an
upload's "Artist - Album (2015)" read as such (``_album``); the artist where a chapter names
none is the album's, else the file's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from recsys.catalog.cuesheets import CueSheet, CueTrack, split_tracks
from recsys.catalog.model import CatalogProblem, TrackRecord
from recsys.catalog.nametempo import tempo_key_in_name
from recsys.catalog.spokenword import AUDIOBOOK_SUFFIXES, kept_whole
from recsys.catalog.tagtext import repaired, visible
from recsys.catalog.tempokey import parse_bpm, parse_key
from recsys.catalog.works import _MOVEMENT as MOVEMENT

#: a file shorter than this is a song, whatever chapters it has (a song's own "Intro",
#: "Verse" marks), and is not opened again to look
MIN_SECONDS = 600.0
#: audiobooks: their chapters are a book's, not songs
NOT_SPLIT = AUDIOBOOK_SUFFIXES



class Chapter(NamedTuple):
    """One chapter: its start in seconds, its title, and the tempo and key its own metadata
    gives (None and "" without them). A tuple: ``(start, title)`` alone is one too."""

    start: float
    title: str
    bpm: float | None = None
    key: str = ""


#: the chapter metadata keys that hold a tempo and a key (ID3's frames, as FFmpeg names them)
_CHAPTER_BPM = ("tbpm", "bpm")
_CHAPTER_KEY = ("tkey", "initialkey", "key")

_TIMESTAMP = re.compile(r"^\s*[\[(]?\d{1,2}(?::\d{2}){1,2}[\])]?\s*(?:[-–—|:.]\s*)?")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*(?:[.):]\s*|\s[-–—]\s*|-\s*|\s+(?=\S))")
_NO_TITLE = re.compile(r"^\s*(?:(?:chapter|track|part|kapitel|chapitre)\s*\d*)?\s*$", re.IGNORECASE)
_SPLIT = re.compile(r"\s+[-–—]\s+")
#: a year at the end of an upload's title: "(2015)", "[2015]", "2015"
_YEAR_END = re.compile(r"\s*[\[(]?((?:19|20)\d\d)[\])]?\s*$")
_FULL_ALBUM = re.compile(
    r"\s*[\[(]?\b(?:full\s+album|full\s+ep|full\s+mix|complete\s+album|album\s+completo|"
    r"album\s+complet|ganzes\s+album)\b[\])]?\s*", re.IGNORECASE,
)


def may_have_chapters(path: Path, length: float | None) -> bool:
    """Whether ``path`` is long enough, and no audiobook, to be opened for chapters."""
    return length is not None and length >= MIN_SECONDS and path.suffix.lower() not in NOT_SPLIT


def container_chapters(container: Any, length: float | None = None) -> tuple[Chapter, ...]:
    """The chapters of an open PyAV container, sorted, or () unless two or more start at
    different times. A chapter that starts at or past the file's end (``length``, the tags'
    length, or the container's duration, whichever is longer) is none: a download cut short
    keeps the whole list its description gave, and such a track had no audio to encode
    (a cue sheet's track past the end is refused alike: ``cuesheets.split_tracks``)."""
    found: list[Chapter] = []
    for chapter in container.chapters():
        base = chapter.get("time_base")
        start = float(chapter["start"] * base) if base else float(chapter["start"])
        metadata = {str(k).casefold(): str(v) for k, v in (chapter.get("metadata") or {}).items()}
        title = metadata.get("title", "")
        bpm = next((b for b in (parse_bpm(metadata[k]) for k in _CHAPTER_BPM if k in metadata) if b is not None), None)
        key = next((k for k in (parse_key(metadata[k]) for k in _CHAPTER_KEY if k in metadata) if k), "")
        found.append(Chapter(max(0.0, start), visible(repaired(title)).strip(), bpm, key))
    found.sort(key=lambda c: c[0])
    ends = [s for s in (length, container.duration / 1_000_000 if container.duration else None) if s and s > 0]
    if ends:
        found = [c for c in found if c[0] < max(ends)]
    if len(found) < 2 or any(b[0] <= a[0] for a, b in zip(found, found[1:])):
        return ()
    return tuple(found)


def read_chapters(path: Path, length: float | None = None) -> tuple[Chapter, ...]:
    """The file's chapters (``container_chapters``, ``length`` its length as its tags' reader
    gave it); () when PyAV cannot open it."""
    try:
        import av  # the decoder's library, imported only for the long files that need it
    except ImportError:
        return ()
    try:
        with av.open(str(path), metadata_errors="replace") as container:
            return container_chapters(container, length)
    except Exception:  # noqa: BLE001 - a file PyAV cannot read has no chapters to split by
        return ()


#: a tracklist's line: a timestamp first, then the record ("00:00 Artist - Title", "[1:02:03] Title",
#: "12:30 - Title")
_LISTED = re.compile(r"^\s*[\[(]?(\d{1,2}(?::\d{2}){1,2})[\])]?\s*(?:[-\u2013\u2014|:.]\s*)?(\S.*)$")


def _seconds(stamp: str) -> float:
    seconds = 0.0
    for part in stamp.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def listed_chapters(texts: Iterable[str], length: float | None) -> tuple[Chapter, ...]:
    """The chapters a long file's description lists, where its container has none: a
    SoundCloud mix's (scdl writes the description as the comment) or a video's that yt-dlp
    saved without ``--embed-chapters``. YouTube's own rule for a description's chapters: three
    timestamped lines or more, the first at 0:00, each later than the one before and before the
    file's end (``length``); () for any other text. The first such list of a text is taken."""
    for text in texts:
        found: list[Chapter] = []
        for line in text.replace("\r\n", "\n").split("\n"):
            match = _LISTED.match(line)
            if match is not None:
                found.append(Chapter(_seconds(match.group(1)), visible(repaired(match.group(2))).strip()))
            elif found and line.strip():
                break  # the list ended: what follows is another part of the description
        if len(found) >= 3 and found[0].start == 0 and all(b.start > a.start for a, b in zip(found, found[1:])) \
                and (length is None or found[-1].start < length):
            return tuple(found)
    return ()


def _plain_title(title: str, number: int) -> str:
    title = _TIMESTAMP.sub("", title, count=1)
    match = _NUMBER.match(title)
    if match is not None and int(match.group(1)) == number and title[match.end():].strip():
        title = title[match.end():]
    return "" if _NO_TITLE.match(title) else title.strip()


def _credits(titles: list[str]) -> list[tuple[str, str]]:
    """(performer, title) of each chapter: "Artist - Title" where most chapters read so."""
    # "Symphony No. 5 - I. Allegro con brio": a work and its movement, no performer's title
    parts = [p if len(p) == 2 and p[0].strip() and p[1].strip() and not MOVEMENT.match(p[1]) else [t]
             for p, t in ((_SPLIT.split(t, maxsplit=1), t) for t in titles)]
    split = [p for p in parts if len(p) == 2]
    if len(split) < 2 or 3 * len(split) < 2 * len(titles):
        return [("", t) for t in titles]
    return [(p[0].strip(), p[1].strip()) if len(p) == 2 else ("", t) for p, t in zip(parts, titles)]


def _album(track: TrackRecord) -> tuple[str, str, str]:
    """(album, its artist, its year) of a file with chapters: its album tag; else its title,
    which names the album as an upload does ("Some Band - Greatest Hits (Full Album) 2015":
    "Greatest Hits" by "Some Band", of 2015; the channel that uploaded it is the artist tag
    yt-dlp writes, "Some Band Official" or "Some Band - Topic")."""
    if track.album:
        return track.album, "", ""
    title = _FULL_ALBUM.sub(" ", track.title)
    year = ""
    match = _YEAR_END.search(title)
    # "Prince - 1999 (Full Album)": a year that is the album's whole name is no upload's date
    if match is not None and title[:match.start()].strip(" -–—|") \
            and (_artist_album(title[:match.start()]) or not _artist_album(title)):
        year, title = match.group(1), title[:match.start()]
    title = re.sub(r"\s{2,}", " ", title).strip(" -–—|")
    parts = _SPLIT.split(title, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[1].strip(), parts[0].strip(), year
    return title, "", year


def _artist_album(title: str) -> bool:
    """Whether an upload's title (as ``_album`` cleans it) reads "Artist - Album"."""
    parts = _SPLIT.split(re.sub(r"\s{2,}", " ", title).strip(" -–—|"), maxsplit=1)
    return len(parts) == 2 and bool(parts[0].strip()) and bool(parts[1].strip())


def chapter_sheet(track: TrackRecord, chapters: Iterable[Chapter]) -> CueSheet:
    """The chapters of ``track``'s file as the cue sheet that would list them, each track
    with the chapter's own tempo and key (its metadata's, else its title's), never the file's."""
    chapters = [Chapter(*c) for c in chapters]
    named = [tempo_key_in_name(_plain_title(c.title, i + 1)) for i, c in enumerate(chapters)]
    titles = [title for title, _, _ in named]
    tempos = [(c.bpm if c.bpm is not None else bpm, c.key or key) for c, (_, bpm, key) in zip(chapters, named)]
    credited = _credits(titles)
    album, performer, year = _album(track)
    name = Path(str(track.audio_path)).name.lower() if track.audio_path else ""
    return CueSheet(
        name="chapters", files=(name,), counts=(len(chapters),), starts=(len(chapters),), title=album,
        performer=performer, date=year,
        tracks=tuple(CueTrack(i + 1, title, performer, chapter.start, bpm, key)
                     for i, (chapter, (performer, title), (bpm, key)) in enumerate(zip(chapters, credited, tempos))),
    )


def with_chapters(
    tracks: list[TrackRecord], chapters: dict[str, tuple[Chapter, ...]], problems: list[CatalogProblem],
) -> list[TrackRecord]:
    """The tracks, each file with chapters (``chapters``, by the track's ``source``) as its
    chapters' tracks; a track a cue sheet split already is left as it is, and so is a podcast
    or a book (its genre, or a folder above it, says so: ``spokenword.kept_whole``)."""
    if not chapters:
        return tracks
    out: list[TrackRecord] = []
    for track in tracks:
        marks = chapters.get(track.source) if track.audio_start is None and not kept_whole(track) else None
        if not marks:
            out.append(track)
            continue
        sheet = chapter_sheet(track, marks)
        split = split_tracks(track, sheet, None)
        if isinstance(split, str):  # not met: chapters are checked in order when read
            problems.append(CatalogProblem(track.source, f"its chapters cannot split it ({split}): read as one track"))
            out.append(track)
            continue
        # a mix's records are by many artists: the mix is one album node, the DJ's
        whole = sheet.performer or track.artist
        out.extend(t if t.album_artist or t.artist == whole or not whole else replace(t, album_artist=whole)
                   for t in split)
    return out
