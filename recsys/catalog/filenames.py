"""Titles (and more, as rules come) from the file names of music files without tags."""

from __future__ import annotations

import re

#: a leading track number, with or without a disc: "01 ", "01 - ", "1. ", "1-03 ", "12_"
_TRACK_NUMBER = re.compile(r"^\s*(?:\d{1,2}[-.])?\d{1,3}(?:\s*[-._)]\s*|\s+)(?=\S)")


def title_from_name(stem: str) -> str:
    """A title from a file name: "01 - River" -> "River"; the name itself when nothing is left."""
    return _TRACK_NUMBER.sub("", stem).strip() or stem
