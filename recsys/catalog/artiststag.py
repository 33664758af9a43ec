"""The ARTISTS tag: MusicBrainz Picard's list of a track's artists, one name a value.

Picard writes the artist tag as the release credits it, the names joined by the credit's own
phrases ("Kenta Cho & Yuzo Koshiro", "A x B", "A with B", "A vs. B"), and every artist once
more in ARTISTS: Vorbis ``ARTISTS`` (FLAC, Ogg, Opus), ID3 ``TXXX:ARTISTS``, MP4
``----:com.apple.iTunes:ARTISTS``, APEv2 ``Artists`` (WavPack, Monkey's Audio), ASF
``WM/ARTISTS``. ``credits`` cannot split "&" (band names hold it), so without this tag such a
duet was one artist of its own, "Kenta Cho & Yuzo Koshiro": a graph node apart from Kenta Cho,
a row of its own in ``facets artists``, and ``recommend --artist "Kenta Cho"`` could not find
the track. When the tag lists two names or more they are the credits, the first the primary
artist; the artist tag stays what is shown.
"""

from __future__ import annotations

from typing import Any

from mutagen.asf import ASFTags
from mutagen.id3 import ID3
from mutagen.mp4 import MP4Tags

from recsys.catalog.tagvalues import freeform_texts


def _texts(values: Any) -> list[str]:
    out: list[str] = []
    for value in values if isinstance(values, list) else [values]:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif not isinstance(value, str):
            value = str(getattr(value, "value", value))
        out.extend(value.split("\x00"))
    return [v.strip() for v in out if v.strip()]


def artists_tag(tags: Any) -> list[str]:
    """The names of a raw mutagen tag's ARTISTS field, in order; [] when it has none."""
    if tags is None:
        return []
    if isinstance(tags, (ID3, MP4Tags)):  # TXXX:ARTISTS, ----:com.apple.iTunes:ARTISTS, without case
        return _texts([t for _, t in freeform_texts(tags, {"artists"})])
    if isinstance(tags, ASFTags):
        return _texts([v.value for v in tags.get("WM/ARTISTS", [])])
    try:  # Vorbis comments and APEv2: case-insensitive keys
        values = tags.get("artists") if hasattr(tags, "get") else None
    except (KeyError, ValueError):
        return []
    return _texts(values) if values is not None else []
