"""Disc folders: the ``CD1`` / ``Disc 2`` folder of a multi-disc album, which names no album.

An album of several discs is ripped as ``Artist/Album/CD1/01.flac``; the disc folder is no
album (and its parent no artist). Rippers and people name it many ways: ``CD1``, ``CD 01``,
``Disc 2``, ``Disk 3``, ``Disc 1 of 2``, ``[Disc 1]``, ``CD1 - The Early Years``, ``Disc 2 -
Bonus Tracks``, ``Disc One``. Only the leading "CD"/"Disc"/"Disk" and a number (or a number
word) count: ``CD Singles`` or ``Discography`` are ordinary folders. A double LP's needle drop
is ``Album/LP1/A1 - Title.flac`` (or ``Vinyl 2``, ``Record 2``, a box's ``Tape 3``), its sides
sometimes ``Side A/``: the same (its album's cover lies above it, and "LP1" was the album).
The disc it names is the disc of a file with no disc tag (``disc_folder_number``, for its
place: ``albumplaces``).
"""

from __future__ import annotations

import re

_NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
_DISC_FOLDER = re.compile(
    r"^[\[(]?\s*(?:(?:cd|dis[ck]|lp|vinyl|record|tape|cassette)\s*(?:0*\d+|" + _NUMBER_WORDS + r")"  # CD1, Disc 02, LP2
    r"|side\s*(?:[a-l]|aa|\d{1,2}))\s*"  # a record's or a tape's side: "Side A", "Side 2"
    r"(?:(?:of|/)\s*\d+\s*)?"  # "of 2", "/2"
    r"[\])]?"  # the closing bracket of "[Disc 1]"
    r"(?:\s*[-–—:_.]\s*.*|\s+\(.*\)|\s+\[.*\])?$",  # a subtitle: "CD1 - The Early Years", "Disc 2 (Bonus)"
    re.IGNORECASE,
)


def is_disc_folder(name: str) -> bool:
    """Whether a folder's name marks one disc of an album ("CD1", "Disc 2 - Bonus")."""
    return bool(_DISC_FOLDER.match(name.strip()))


_NUMBERS = {word: str(i) for i, word in enumerate(_NUMBER_WORDS.split("|"), start=1)}
_DISC_NUMBER = re.compile(r"^[\[(]?\s*(?:cd|dis[ck])\s*(?:0*(\d+)|(" + _NUMBER_WORDS + r"))", re.IGNORECASE)


def disc_folder_number(name: str) -> str:
    """The disc a disc folder names ("CD2", "Disc 02 - Bonus", "Disc Two": "2"), "" for any
    other folder."""
    match = _DISC_NUMBER.match(name.strip()) if is_disc_folder(name) else None
    if match is None:
        return ""
    return match.group(1).lstrip("0") if match.group(1) else _NUMBERS[match.group(2).casefold()]


def album_folders(relative: str) -> list[str]:
    """The folders above a file (a path relative to the music folder), a disc folder left
    out when a folder lies above it: ``Artist/Album/CD1/x.flac`` -> ``[Artist, Album]``."""
    folders = [p for p in relative.split("/")[:-1] if p.strip()]
    if len(folders) >= 3 and is_disc_folder(folders[-1]):
        folders = folders[:-1]
    return folders


_DISC = r"(?:cd|dis[ck])\s*(?:0*\d+|" + _NUMBER_WORDS + r")(?:\s*(?:of|/)\s*\d+)?"
#: "(Disc 1)", "[CD 2]", "(Disc 1 of 2)", " - CD2", ", Disc Two", ": Disc 1", " CD2" at a title's end
_DISC_SUFFIX = re.compile(
    r"(?:\s*[\(\[]\s*" + _DISC + r"\s*[\)\]]|\s*[-–—:,]\s*" + _DISC + r"|\s+" + _DISC + r")\s*$", re.IGNORECASE
)


def album_without_disc(album: str) -> str:
    """An album title without the disc a tagger wrote into it ("Endings (Disc 2)" ->
    "Endings"): freedb and the rippers that read it title each disc of a set so, and the discs
    were two albums to the graph. A title that is nothing but a disc is kept."""
    stripped = _DISC_SUFFIX.sub("", album).strip()
    return stripped or album
