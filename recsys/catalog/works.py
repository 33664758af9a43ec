"""Classical titles: a movement's title with its work, when the tags keep the work apart.

Classical rips and purchases often title a track by its movement alone ("I. Allegro") and
name the work in a tag of its own: Vorbis ``WORK`` (Picard), MP4 ``©wrk`` (iTunes 12.5 on),
ID3 ``TXXX:WORK`` (Picard), or ID3 ``TIT1`` beside iTunes' movement frames (``MVNM`` /
``MVIN``) or before a numbered movement. A real library's Four Seasons had "I. Allegro" and
"III. Allegro" twice each (Spring and Autumn) by one ensemble: to the dedup of results they
were versions of one song, so half of the album never appeared in a recommendation, and
the title "I. Allegro" named one of them at random. Such a title becomes "<work>: <movement>",
as the work is written on the sleeve; a title that already holds the work is kept as tagged.
"""

from __future__ import annotations

import re
from typing import Any

from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.model import normalise_title
from recsys.catalog.tagtext import repaired
from recsys.catalog.tagvalues import freeform_texts

#: "I. Allegro", "IV - Presto", "iii: Adagio": a movement numbered in Roman numerals
_MOVEMENT = re.compile(r"^\s*[IVXLC]{1,6}\s*[.:\-–]\s+\S", re.IGNORECASE)


def _texts(values: Any) -> list[str]:
    items = values if isinstance(values, list) else [values]
    return [repaired(str(v)).strip() for v in items if v is not None and str(v).strip()]


def _id3_work(tags: ID3, title: str) -> str:
    works = _texts([t for _, t in freeform_texts(tags, {"work"})])
    if works:
        return works[0]
    groups = [t for f in tags.getall("TIT1") for t in _texts(f.text)]
    # TIT1 is also a plain "grouping" ("Summer Hits"): a work only beside iTunes' movement
    # frames or before a numbered movement
    if groups and (tags.getall("MVNM") or tags.getall("MVIN") or _MOVEMENT.match(title)):
        return groups[0]
    return ""


def tagged_work(tags: Any, title: str) -> str:
    """The work a track's raw tags name (see the module), or ""."""
    if tags is None:
        return ""
    try:
        if isinstance(tags, ID3):
            return _id3_work(tags, title)
        if isinstance(tags, MP4Tags):
            return next(iter(_texts(tags.get("\xa9wrk", []))), "")
        if hasattr(tags, "get"):  # Vorbis comments (FLAC, Ogg, Opus): keys without case
            return next(iter(_texts(tags.get("work") or [])), "")
    except (KeyError, ValueError, TypeError):
        return ""
    return ""


def with_work(title: str, work: str) -> str:
    """``title`` with the work before it ("<work>: <title>"), unless it holds the work already
    or there is no work or title."""
    if not work or not title:
        return title
    if normalise_title(work) in normalise_title(title):
        return title
    return f"{work}: {title}"
