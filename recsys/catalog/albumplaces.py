"""A track's place on its album, and the tracks of one album that only their place tells apart.

A game music collection lists "Battle Theme" four times (four games' battle themes, tracks 1 to
4) and "Victory Fanfare" twice; a hip-hop album "Interlude" three times; a rip without work
tags "Allegro" at tracks 2, 5 and 9. Same title, same artist, same album: to the results' dedup
they were versions of one song, so three of the four battle themes never appeared in a
recommendation nor as a seed. Only the place on the album (its track and disc numbers) tells
such tracks apart, and the payload had none.

``track_place`` reads a file's place: the TRACKNUMBER / TRCK tag (and DISCNUMBER / TPOS), else
the file name's leading number ("03 Battle Theme", "2-03 ..."), the disc a ``CD2`` folder
names; a cue sheet's or a file's chapters' tracks are numbered by the sheet (``cuesheets``).
``repeated_places`` keeps it as ``TrackRecord.album_place`` ("1-3", disc and track) only on the
tracks whose album holds their exact title by their artist at another place: every other
track's payload is as it was. What a place means is the dedup's to say (``query.cues``): a
cue's ("Battle Theme") is another piece at each place, a song's title twice (a live show's
"Playing in the Band" resumed after a jam, a disc's mono and stereo mixes, a deluxe edition's
live disc, as MusicBrainz titles them) is one song.

Copies keep one place: the album's FLAC and its MP3 in another folder, "01 Battle Theme.mp3"
and "01 Battle Theme (1).mp3", an album image's tracks beside the same album in files, all
number the same track alike, so they stay one song. A title whose places are not two (one
place, or no number at all) gets none.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from recsys.catalog.discs import disc_folder_number
from recsys.catalog.model import TrackRecord, normalise_title

#: a tag's number: "3", "03", "3/12", " 3 / 12", a record's side and track "A1", "B2"
_TAGGED = re.compile(r"\s*([A-Za-z]?\d{1,4})\s*(?:/.*)?$")
#: a file name's leading track number, with a disc before it: "03 ", "03. ", "3 - ", "2-03 ", "1.07_"
#: (``filenames._TRACK_NUMBER``'s shape, its parts kept)
_NAMED = re.compile(r"^\s*(?:(\d{1,2})[-.])?(\d{1,3})(?:\s*[-._)]\s*|\s+)(?=\S)")


def _number(value: str) -> str:
    """A tag's number as a place compares it: without leading zeros or the total ("03/12" ->
    "3"), a side's letter folded ("A1" -> "a1"); "" for none or 0 (a tagger's "unknown")."""
    match = _TAGGED.match(value)
    if match is None:
        return ""
    number = match.group(1).casefold()
    letter, digits = (number[0], number[1:]) if number[0].isalpha() else ("", number)
    digits = digits.lstrip("0")
    return f"{letter}{digits}" if digits else ""


def track_place(track_tags: Sequence[str], disc_tags: Sequence[str], relative: str) -> tuple[str, str]:
    """(track number, disc number) of a file, each "" where unknown: its tags' first values,
    else its name's leading number (and a disc before it), else for the disc the ``CD2``
    folder it is in (``relative``: its path in the music folder)."""
    track = next((n for n in map(_number, track_tags) if n), "")
    disc = next((n for n in map(_number, disc_tags) if n), "")
    folders, _, name = relative.rpartition("/")
    if not track:
        named = _NAMED.match(name)
        track = named.group(2).lstrip("0") if named else ""
        if track:  # "00 Intro" names no place, nor its disc
            disc = disc or (named.group(1) or "").lstrip("0")
    if not disc and folders:
        disc = disc_folder_number(folders.rpartition("/")[2])
    return track, disc


def _place(t: TrackRecord) -> str:
    # a single disc's tracks name no disc: disc 1's, as its copy that does name it
    return f"{t.disc_number or '1'}-{t.track_number}" if t.track_number else ""


def repeated_places(tracks: list[TrackRecord]) -> list[TrackRecord]:
    """``tracks`` with ``album_place`` set where their album holds their exact (normalised)
    title by their artist at two places or more (module docstring); the rest as they were."""
    places: dict[tuple[str, str, str], set[str]] = {}
    keys: list[tuple[str, str, str] | None] = []
    names: dict[str, str] = {}  # an album's or an artist's, normalised once (a library has few)
    for t in tracks:
        place = _place(t)
        key = None
        if place and t.album:
            album = names.get(t.album) or names.setdefault(t.album, normalise_title(t.album))
            artist = names.get(t.primary_artist) or names.setdefault(t.primary_artist, normalise_title(t.primary_artist))
            key = (album, artist, normalise_title(t.title))
        keys.append(key)
        if key is not None:
            places.setdefault(key, set()).add(place)
    if all(len(found) < 2 for found in places.values()):
        return tracks
    out = []
    for t, key in zip(tracks, keys):
        want = _place(t) if key is not None and len(places[key]) > 1 else ""
        out.append(t if t.album_place == want else replace(t, album_place=want))
    return out
