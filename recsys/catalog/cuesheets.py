"""Cue sheets: a whole album ripped to one file, its tracks listed in a ``.cue`` beside it.

Exact Audio Copy and its kin rip a CD to ``Artist - Album.flac`` with ``Artist - Album.cue``
naming the tracks and where each starts. recsys reads a file as one track, so such an image is
one track (an hour long, its audio vector from its middle). That is said once, as a problem
line naming the sheet, and the sheet's album title and performer fill what the file's tags
leave empty; without them the real library's image was a track named after its file, with no
album. Splitting the image into its tracks is not done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from recsys.catalog.model import CatalogProblem, TrackRecord, open_regular

#: a cue sheet larger than this is no cue sheet (a CD's has 99 tracks at most)
MAX_CUE_BYTES = 256 * 1024

_QUOTED = r'\s+(?:"([^"]*)"|(\S.*?))\s*$'
_TITLE = re.compile(r"^\s*TITLE" + _QUOTED, re.IGNORECASE)
_PERFORMER = re.compile(r"^\s*PERFORMER" + _QUOTED, re.IGNORECASE)
_FILE = re.compile(r'^\s*FILE\s+(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_TRACK = re.compile(r"^\s*TRACK\s+\d+\s+AUDIO\b", re.IGNORECASE)


@dataclass(frozen=True)
class CueSheet:
    """What a cue sheet says of the one file it names."""

    name: str  # the sheet's file name
    audio: str  # the file it names (its FILE line), lowercased
    title: str  # the album's title (its TITLE before the first TRACK)
    performer: str
    tracks: int


def _value(match: re.Match[str]) -> str:
    return (match.group(1) if match.group(1) is not None else match.group(2) or "").strip()


def parse_cue(text: str, name: str) -> CueSheet | None:
    """The sheet's album title, performer and track count, for a sheet that names one file;
    None for a sheet of several files (one per track: those files are tracks already)."""
    files: list[str] = []
    title = performer = ""
    tracks = 0
    for line in text.splitlines():
        if m := _FILE.match(line):
            files.append(_value(m))
        elif _TRACK.match(line):
            tracks += 1
        elif tracks == 0 and (m := _TITLE.match(line)):
            title = title or _value(m)
        elif tracks == 0 and (m := _PERFORMER.match(line)):
            performer = performer or _value(m)
    if len(files) != 1:
        return None
    return CueSheet(name=name, audio=Path(files[0].replace("\\", "/")).name.lower(), title=title,
                    performer=performer, tracks=tracks)


def _read_cue(path: Path) -> CueSheet | None:
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_CUE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_CUE_BYTES:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")  # EAC's sheets of its day
    return parse_cue(text, path.name)


class CueSheets:
    """The cue sheets of each folder, read once per folder."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, list[CueSheet]] = {}

    def image_sheet(self, audio: Path) -> CueSheet | None:
        """The sheet that lists two or more tracks in ``audio`` (its FILE line names it, or,
        as a sheet moved with a renamed file, it has the same stem), or None."""
        folder = audio.parent
        if folder not in self._by_folder:
            sheets = (_read_cue(p) for p in sorted(folder.iterdir()) if p.suffix.lower() == ".cue" and p.is_file())
            self._by_folder[folder] = [s for s in sheets if s is not None and s.tracks >= 2]
        name = audio.name.lower()
        for sheet in self._by_folder[folder]:
            if sheet.audio == name or Path(sheet.name).stem.lower() == audio.stem.lower():
                return sheet
        return None


def with_cue_sheets(
    tracks: list[TrackRecord], tagged: list[tuple[bool, bool]], problems: list[CatalogProblem]
) -> list[TrackRecord]:
    """The tracks, each album image (a file a cue sheet splits into tracks) with the sheet's
    album title where no album tag names one, and its performer where no artist tag does (a
    folder's or a file name's are guesses the sheet overrides); ``tagged`` says, per track,
    whether its tags gave the artist and the album. One problem line per image says it is
    read as one track."""
    sheets = CueSheets()
    out: list[TrackRecord] = []
    for track, (artist_tagged, album_tagged) in zip(tracks, tagged):
        sheet = sheets.image_sheet(track.audio_path) if track.audio_path is not None else None
        if sheet is not None:
            problems.append(CatalogProblem(
                track.source, f"the cue sheet {sheet.name} lists {sheet.tracks} tracks in this one file;"
                " it is read as one track (split the file to have them as tracks)",
            ))
            artist = track.artist if artist_tagged or not sheet.performer else sheet.performer
            album = track.album if album_tagged or not sheet.title else sheet.title
            track = replace(track, album=album, artist=artist, artists=track.artists if artist == track.artist else ())
        out.append(track)
    return out
