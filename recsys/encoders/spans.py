"""Audio spans: where the audio of one track of an album ripped to one file lies in that file.

A track of a CD image (``recsys.catalog.cuesheets``) is an ``AudioSpan``: its file and its
start and end in seconds. The media decoder reads it as it reads a file, within the span
(``media._audio_of``): its middle ``duration`` seconds, or the whole span when shorter, as
``media._window`` places a file's excerpt (``excerpt``); when that middle is silent, the span's
first or last ``duration`` seconds, the louder (``media._louder_excerpt`` given the span's
bounds); the windows of ``--excerpt-vectors`` at fractions of the span (``window_starts``, the
rule ``media.load_windows`` follows for a file too). Every read seeks to its excerpt: a track
of an hour-long image is not decoded from the image's start. ``media.decode_input``,
``media.decode_many`` (its worker processes are sent the span) and
``media.decode_windows_many`` take spans as they take paths.

Only arithmetic here, so that ``media`` can use it without an import loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from recsys.catalog.model import AudioSpan


def bounds(span: AudioSpan, length_of: Callable[[Path], float | None]) -> tuple[float, float | None]:
    """(start, end) of the span in seconds; the end of an image's last track is the file's
    (``length_of`` its file: None when its header does not say)."""
    return span.start, span.end if span.end is not None else length_of(Path(span.path))


def excerpt(start: float, end: float | None, duration: float | None) -> tuple[float, float | None]:
    """(offset, length) in the file of the excerpt of the span ``start``..``end``: its middle
    ``duration`` seconds, or the whole span when shorter; of a span whose end is unknown,
    ``duration`` seconds from its start (a file's excerpt from an offset)."""
    if end is None:
        return start, duration
    length = max(0.0, end - start)
    if duration is None or length <= duration:
        return start, length
    return start + (length - duration) / 2.0, duration


def window_starts(start: float, end: float | None, fractions: tuple[float, ...], seconds: float,
                  shortest: float) -> list[float]:
    """Where each ``seconds``-long window centred at ``fractions`` of ``start``..``end`` starts,
    kept inside it; none when its length is unknown or below ``shortest``."""
    if end is None or end - start < shortest:
        return []
    total = end - start
    return [start + min(max(0.0, f * total - seconds / 2), max(0.0, total - seconds)) for f in fractions]
