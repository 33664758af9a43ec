"""A music folder's track ids: a hash of the file's path in the folder (``track_id_for``), and
a track as a person finds it again by its file (``track_label``)."""

from __future__ import annotations

import hashlib
import re


def track_id_for(relative: str) -> str:
    """A stable id from the path relative to the folder: the same file gets the same id on
    every machine and every run, and a moved file is a new track."""
    return "f" + hashlib.sha1(relative.encode("utf-8")).hexdigest()[:20]


#: a music folder's id: a hash of the file's path, and for a track of an album ripped to one
#: file the track's number in its cue sheet ("f0123...#03", ``cuesheets.split_tracks``)
_PATH_ID = re.compile(r"f[0-9a-f]{20}(#\d{2,})?")


def track_label(track_id: str, where: str | None) -> str:
    """A track as a person finds it: a music folder's id is a hash of its path, so its file
    stands for it (with "#03" for a track of an album in one file); any other id (a
    manifest's) is shown with where it is ("t003 (manifest.jsonl:4)")."""
    if not where:
        return track_id
    match = _PATH_ID.fullmatch(track_id)
    if match is None:
        return f"{track_id} ({where})"
    # a removed point's stored file is the whole file: its tracks are told apart by their "#03"
    return where if match.group(1) is None or where.endswith(match.group(1)) else where + match.group(1)
