"""Cue sheets: a whole album ripped to one file, its tracks listed in a ``.cue`` beside it.

Exact Audio Copy and its kin rip a CD to ``Artist - Album.flac`` with ``Artist - Album.cue``
naming the tracks and where each starts. Such an image is read as the sheet's tracks: each
TRACK becomes a track of its own, its part of the file from its ``INDEX 01`` to the next
track's (the last one to the file's end; ``INDEX 00``, the pregap, belongs to the track before,
and audio before track 1's ``INDEX 01``, a hidden track, to none). Its id is the file's with the
track's number (``f...#03``), its title and performer the TRACK's, else the album's PERFORMER,
else the file's tags; the sheet's TITLE is the album, and ``REM GENRE`` / ``REM DATE`` fill
what the tags leave empty. The span travels in the record (``TrackRecord.audio_start`` /
``audio_end``, so a sheet's edit changes the tracks it changes, and their content hashes), and
the audio encoders read that span alone (``recsys.encoders.spans``).

The sheet of a file is the one whose FILE line names it or, as EAC's ``FILE "Range.wav"`` for a
file compressed to FLAC afterwards, the one with its stem. Where no sheet is beside it, the
sheet in the file's own tags (``embedded_sheet``: foobar2000's and EAC's ``CUESHEET`` Vorbis
comment in a FLAC image, the ``Cuesheet`` APEv2 item of a WavPack or Monkey's Audio image)
splits it alike, whatever its FILE line names. A sheet that cannot be used (an
``INDEX`` time that is no ``mm:ss:ff``, out of order or past the file's end, a track without
``INDEX 01``, several FILE lines naming tracks in this one, a FILE naming no file here beside
a lone audio file) leaves the file one track, with one problem line saying which sheet, where
and why. Sheets in UTF-8 (with or without a BOM) or, as EAC wrote them, CP1252.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from recsys.catalog.credits import credited_artists
from recsys.catalog.listing import FolderFiles, folder_text
from recsys.catalog.model import CatalogProblem, TrackRecord, read_small, small_text

#: a cue sheet larger than this is no cue sheet (a CD's has 99 tracks at most)
MAX_CUE_BYTES = 256 * 1024
#: CUE times are minutes:seconds:frames, 75 frames a second (a CD sector each)
FRAMES_PER_SECOND = 75

_QUOTED = r'\s+(?:"([^"]*)"|(\S.*?))\s*$'
_TITLE = re.compile(r"^\s*TITLE" + _QUOTED, re.IGNORECASE)
_PERFORMER = re.compile(r"^\s*PERFORMER" + _QUOTED, re.IGNORECASE)
_GENRE = re.compile(r"^\s*REM\s+GENRE" + _QUOTED, re.IGNORECASE)
_DATE = re.compile(r"^\s*REM\s+DATE" + _QUOTED, re.IGNORECASE)
_FILE = re.compile(r'^\s*FILE\s+(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_TRACK = re.compile(r"^\s*TRACK\s+(\d+)\s+(\S+)", re.IGNORECASE)
_INDEX = re.compile(r"^\s*INDEX\s+(\d+)\s+(\S+)\s*$", re.IGNORECASE)
_TIME = re.compile(r"(\d+):(\d{1,2}):(\d{1,2})")


@dataclass(frozen=True)
class CueTrack:
    """One TRACK of a sheet: its number, names and where it starts (seconds, its INDEX 01);
    the tempo and key a chapter's own metadata gives (``chapters``: a sheet's track has none)."""

    number: int
    title: str
    performer: str
    start: float
    bpm: float | None = None
    key: str = ""


@dataclass(frozen=True)
class CueSheet:
    """What a cue sheet says of the file(s) it names."""

    name: str  # the sheet's file name
    files: tuple[str, ...]  # the files its FILE lines name, lowercased file names
    counts: tuple[int, ...]  # audio tracks listed under each of them
    #: the INDEX 01 lines (track starts) under each of them: EAC's per-track sheets list a
    #: TRACK line under the file before the one its INDEX 01 (and its audio) is in
    starts: tuple[int, ...] = ()
    title: str = ""  # the album's title (its TITLE before the first TRACK)
    performer: str = ""
    genre: str = ""
    date: str = ""
    tracks: tuple[CueTrack, ...] = ()
    #: why its tracks cannot be read ("line 14: INDEX 01 ... before ..."), or None
    error: str | None = None

    @property
    def audio(self) -> str:
        return self.files[0] if self.files else ""


def _value(match: re.Match[str]) -> str:
    return (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()


def _seconds(text: str) -> float | None:
    """A CUE time (mm:ss:ff) in seconds, or None when it is none."""
    m = _TIME.fullmatch(text)
    if m is None or int(m.group(2)) >= 60 or int(m.group(3)) >= FRAMES_PER_SECOND:
        return None
    return int(m.group(1)) * 60 + int(m.group(2)) + int(m.group(3)) / FRAMES_PER_SECOND


@dataclass
class _Open:
    """A TRACK being read."""

    number: int
    line: int
    audio: bool
    title: str = ""
    performer: str = ""
    start: float | None = None
    start_line: int = 0
    notes: list[str] = field(default_factory=list)


def parse_cue(text: str, name: str) -> CueSheet | None:
    """The sheet's album fields and tracks; None for text that names no file (no cue sheet).
    A sheet whose tracks cannot be read has its ``error`` (the first thing wrong) and, as far as
    they were read, its track count per file."""
    files: list[str] = []
    counts: list[int] = []
    starts: list[int] = []
    album: dict[str, str] = {"title": "", "performer": "", "genre": "", "date": ""}
    opened: list[_Open] = []
    error: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _FILE.match(line):
            files.append(Path(_value(m).replace("\\", "/")).name.lower())
            counts.append(0)
            starts.append(0)
        elif m := _TRACK.match(line):
            audio = m.group(2).upper() == "AUDIO"  # a data track (MODE1/2352) is not in the file
            opened.append(_Open(int(m.group(1)), number, audio))
            if audio and counts:
                counts[-1] += 1
        elif m := _INDEX.match(line):
            if not opened or not opened[-1].audio or int(m.group(1)) != 1:
                continue  # INDEX 00 (the pregap) and INDEX 02+ (sub-indexes) start no track
            if starts:
                starts[-1] += 1
            at = _seconds(m.group(2))
            if at is None:
                error = error or f"line {number}: INDEX 01 {m.group(2)} is no mm:ss:ff time"
            elif opened[-1].start is None:
                opened[-1].start, opened[-1].start_line = at, number
        elif not opened:
            for key, pattern in (("title", _TITLE), ("performer", _PERFORMER), ("genre", _GENRE), ("date", _DATE)):
                if (m := pattern.match(line)) and not album[key]:
                    album[key] = _value(m)
        elif m := _TITLE.match(line):
            opened[-1].title = opened[-1].title or _value(m)
        elif m := _PERFORMER.match(line):
            opened[-1].performer = opened[-1].performer or _value(m)
    if not files:
        return None
    audio = [t for t in opened if t.audio]
    if len(files) > 1:  # each file's times count from its own start
        error = f"it names {len(files)} files (FILE lines); only the sheet of one file is split"
    if error is None:
        error = _order_error(audio)
    tracks = tuple(CueTrack(t.number, t.title, t.performer, t.start) for t in audio) if error is None else ()
    return CueSheet(name=name, files=tuple(files), counts=tuple(counts), starts=tuple(starts), tracks=tracks,  # type: ignore[arg-type]
                    error=error,
                    **album)


def _order_error(tracks: list[_Open]) -> str | None:
    """Why these tracks' starts cannot be spans, or None: one without INDEX 01, a number twice,
    a start at or before the one before it."""
    seen: set[int] = set()
    for before, track in zip([None, *tracks], tracks):
        if track.start is None:
            return f"line {track.line}: TRACK {track.number:02d} has no INDEX 01"
        if track.number in seen:
            return f"line {track.line}: TRACK {track.number:02d} is listed twice"
        seen.add(track.number)
        if before is not None and before.start is not None and track.start <= before.start:
            return (f"line {track.start_line}: TRACK {track.number:02d} starts at {_cue_time(track.start)},"
                    f" not after TRACK {before.number:02d} ({_cue_time(before.start)})")
    return None


def _cue_time(seconds: float) -> str:
    frames = round(seconds * FRAMES_PER_SECOND)
    return f"{frames // (60 * FRAMES_PER_SECOND):02d}:{frames // FRAMES_PER_SECOND % 60:02d}:{frames % FRAMES_PER_SECOND:02d}"


def _read_cue(path: Path) -> CueSheet | None:
    data = read_small(path, MAX_CUE_BYTES)
    if data is None:
        return None
    # EAC's sheets of its day: cp1252, or its "Unicode" sheets (UTF-16)
    return parse_cue(small_text(data), path.name)


#: the name a sheet read from a file's tags goes by (``CueSheet.name``)
EMBEDDED = ""


def embedded_sheet(tags: Any, name: str) -> CueSheet | None:
    """The sheet in the tags of the audio file ``name`` (a ``cuesheet`` tag, whose lines the
    tag readers' cleaning would join: read as it is): it lists this file's tracks whatever its
    FILE line names (the file the sheet was made for, "Range.wav", "CDImage.wav"), and one
    written without a FILE line is read as if it had one. None without one, or for one that
    lists fewer than two audio tracks (a single track's sheet splits nothing)."""
    try:
        values = tags.get("cuesheet") if hasattr(tags, "get") else None
    except (KeyError, ValueError):  # EasyID3 and its kin raise on a key they do not map
        values = None
    text = next((v for v in values or () if isinstance(v, str) and v.strip()), "")
    if not text or len(text) > MAX_CUE_BYTES:
        return None
    sheet = parse_cue(text, EMBEDDED)
    if sheet is None:
        sheet = parse_cue(f'FILE "{name}" WAVE\n{text}', EMBEDDED)
    if sheet is None or not _holds_image(sheet):
        return None
    return replace(sheet, files=(name.lower(),) * len(sheet.files))


def sheet_label(sheet: CueSheet) -> str:
    """How a problem line names the sheet: its file, or the tags it was read from."""
    return f"the cue sheet {sheet.name}" if sheet.name != EMBEDDED else "the cue sheet in its tags"


def audio_length(path: Path) -> float | None:
    """A file's length in seconds as its header gives it (mutagen), None when it does not say."""
    import mutagen

    try:
        info = getattr(mutagen.File(path), "info", None)
    except Exception:  # noqa: BLE001 - mutagen raises many kinds on malformed input
        return None
    length = getattr(info, "length", None)
    return float(length) if length else None


def _lists_several(sheet: CueSheet, i: int) -> bool:
    """Whether the sheet lists two or more audio tracks in its file ``i``: their TRACK lines,
    and where it names several files, their starts too (a sheet of per-track files, EAC's
    "with gaps" kind, has a TRACK line under the file before its own: no file holds two)."""
    return sheet.counts[i] >= 2 and (len(sheet.files) == 1 or sheet.starts[i] >= 2)


def _holds_image(sheet: CueSheet) -> bool:
    return any(_lists_several(sheet, i) for i in range(len(sheet.files)))


class CueSheets:
    """The cue sheets of each folder, read once per folder."""

    def __init__(self, files: FolderFiles | None = None) -> None:
        self._files = files or FolderFiles()
        # by the folder's path as text (``listing.folder_text``): a track's folder is no Path made
        self._by_folder: dict[str, list[CueSheet]] = {}

    def folder_sheets(self, folder: Path) -> list[CueSheet]:
        """The sheets of ``folder`` that list two or more audio tracks in one file."""
        return self._sheets(str(folder), folder)

    def _sheets(self, key: str, folder: Path | None = None) -> list[CueSheet]:
        found = self._by_folder.get(key)
        if found is None:
            folder = Path(key) if folder is None else folder
            names = sorted(p for p in self._files.ending(folder, (".cue",)) if p.suffix.lower() == ".cue")
            sheets = (_read_cue(p) for p in names)
            found = self._by_folder[key] = [s for s in sheets if s is not None and _holds_image(s)]
        return found

    def image_sheet(self, audio: Path) -> CueSheet | None:
        """The sheet that lists two or more tracks in ``audio`` (its FILE line names it, or,
        as a sheet moved with a renamed file, it names one file and has the same stem), or None."""
        sheets = self._sheets(folder_text(audio))
        if not sheets:  # most folders
            return None
        name = audio.name.lower()
        for sheet in sheets:
            named = name in sheet.files and _lists_several(sheet, sheet.files.index(name))
            if named or (len(sheet.files) == 1 and Path(sheet.name).stem.lower() == audio.stem.lower()):
                return sheet
        return None

    def stray_sheet(self, audio: Path, others: set[str]) -> CueSheet | None:
        """A sheet of one file beside ``audio``, the folder's lone audio file, that names a file
        not there (``others``: the folder's audio files, lowercased) and has another stem: it
        was meant for this file, most likely, but that is not known."""
        for sheet in self._sheets(folder_text(audio)):
            if len(sheet.files) == 1 and sheet.audio not in others:
                return sheet
        return None


def split_tracks(track: TrackRecord, sheet: CueSheet, length: float | None) -> list[TrackRecord] | str:
    """The tracks of an album image, or why the sheet cannot split it."""
    if sheet.error is not None:
        return sheet.error
    if length is not None and sheet.tracks[-1].start >= length:
        last = sheet.tracks[-1]
        return f"TRACK {last.number:02d} starts at {_cue_time(last.start)}, past the file's end ({_cue_time(length)})"
    genres = track.genres or ((sheet.genre,) if sheet.genre else ())
    year = track.year
    if year is None and (m := re.match(r"\s*(\d{4})", sheet.date)):
        year = int(m.group(1))
    out: list[TrackRecord] = []
    for i, cue in enumerate(sheet.tracks):
        end = sheet.tracks[i + 1].start if i + 1 < len(sheet.tracks) else None
        title = cue.title or f"{track.title} (track {cue.number})"
        artist = cue.performer or sheet.performer or track.artist
        credited = credited_artists([artist], title) if artist else ()
        out.append(replace(
            track,
            track_id=f"{track.track_id}#{cue.number:02d}",
            title=title,
            artist=artist,
            artists=credited if len(credited) > 1 else (),
            album=sheet.title or track.album,
            genres=genres,
            year=year,
            lyrics="",  # an album's lyrics in one tag say nothing of one track
            # nor does a mix's one tempo and key (an hour of records): the track's own, or none
            bpm=cue.bpm,
            key=cue.key,
            source=f"{track.source}#{cue.number:02d}",
            track_number=str(cue.number),  # its place on the album (``albumplaces``); the disc the file's
            audio_start=cue.start,
            audio_end=end,
        ))
    return out


def with_cue_sheets(
    tracks: list[TrackRecord], tagged: list[tuple[bool, bool]], problems: list[CatalogProblem],
    files: FolderFiles | None = None, embedded: dict[str, CueSheet] | None = None,
) -> list[TrackRecord]:
    """The tracks, each album image (a file a cue sheet splits into tracks) as its tracks
    (``split_tracks``). An image whose sheet cannot be used stays one track, with the sheet's
    album title where no album tag names one and its performer where no artist tag does (a
    folder's or a file name's are guesses the sheet overrides), and one problem line; ``tagged``
    says, per track, whether its tags gave the artist and the album. ``embedded`` holds the
    sheets read from files' tags (``embedded_sheet``), by the track's ``source``: a sheet beside
    the file wins over its own."""
    embedded = embedded or {}
    sheets = CueSheets(files)
    # a Path made again from a Path is parsed again: 150,000 of them were a second of a
    # 50,000-file folder's read
    paths = [None if t.audio_path is None else t.audio_path if isinstance(t.audio_path, Path) else Path(t.audio_path)
             for t in tracks]
    per_folder: dict[str, set[str]] = {}  # by the folder's path as text (``listing.folder_text``)
    for path in paths:
        if path is not None:
            per_folder.setdefault(folder_text(path), set()).add(path.name.lower())
    out: list[TrackRecord] = []
    for track, path, (artist_tagged, album_tagged) in zip(tracks, paths, tagged):
        if path is None:
            out.append(track)
            continue
        sheet = sheets.image_sheet(path) or embedded.get(track.source)
        if sheet is None:
            here = per_folder[folder_text(path)]
            stray = sheets.stray_sheet(path, here) if len(here) == 1 else None
            if stray is not None:
                problems.append(CatalogProblem(
                    track.source, f"the cue sheet {stray.name} names \"{stray.audio}\", which is not in this folder,"
                    " and is not named like this file: it is read as one track (rename the sheet as the file)",
                ))
            out.append(track)
            continue
        split = split_tracks(track, sheet, audio_length(path))
        if isinstance(split, list):
            out.extend(split)
            continue
        problems.append(CatalogProblem(
            track.source, f"{sheet_label(sheet)} cannot split this file ({split}): it is read as one track",
        ))
        artist = track.artist if artist_tagged or not sheet.performer else sheet.performer
        album = track.album if album_tagged or not sheet.title else sheet.title
        out.append(replace(track, album=album, artist=artist, artists=track.artists if artist == track.artist else ()))
    return out
