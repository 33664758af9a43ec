"""The audio windows of a collection made with ``recsys ingest --excerpt-vectors``: besides the
middle 30 s that its audio vector holds, each track of 40 s or more keeps one vector per 10 s
window at 1/6, 1/2 and 5/6 of its length, in named vectors of their own (``audio_x1`` ...).
Only ``query --audio`` searches them (a track scores its best of the four), so an excerpt from
a track's start or end finds it; the fused vector, training and recommend never read them.
Measured in docs/benchmarks.md, "One audio vector per track: the middle 30 s or three windows?".

First version: the windows are decoded and encoded here, after the chunk's audio, without the
embedding cache (a re-ingest decodes them again) and not on Ray (``--ray`` makes none).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ingest.inputs import encode_decoded
from recsys.catalog.model import TrackRecord
from recsys.collection import AUDIO_EXCERPTS, CollectionMeta
from recsys.encoders.media import WINDOW_FRACTIONS, WINDOW_SECONDS
from recsys.errors import MediaError, RecsysError
from recsys.modalities import AUDIO


def with_excerpts(meta: CollectionMeta) -> CollectionMeta:
    """``meta`` of a new collection whose tracks will keep their audio windows."""
    from dataclasses import replace

    audio = meta.encoders.get(AUDIO)
    if audio is None or audio.is_published:
        raise RecsysError("--excerpt-vectors needs an audio encoder (published audio vectors have no windows to encode)")
    windows = {"windows": len(WINDOW_FRACTIONS), "seconds": WINDOW_SECONDS, "at": [round(f, 4) for f in WINDOW_FRACTIONS]}
    return replace(meta, extra={**meta.extra, AUDIO_EXCERPTS: windows})


def check_excerpts(name: str, existing: CollectionMeta) -> None:
    """``--excerpt-vectors`` for a collection made without them: its named vectors are fixed."""
    if not existing.excerpt_vectors():
        raise RecsysError(
            f"collection '{name}' was made without --excerpt-vectors, and a collection's vectors are fixed "
            f"when it is made; ingest into a new collection (--collection NAME) to keep audio windows"
        )


def window_vectors(encoder, tracks: Sequence[TrackRecord], names: Sequence[str]) -> dict[str, dict[str, np.ndarray]]:
    """track_id -> {window vector name: vector} for ``tracks`` (those with an audio file):
    their windows decoded side by side (``media.decode_windows_many``), then encoded by the
    chunk's own audio encoder in batches no larger than the chunk (the GPU memory the middle's
    batch fits in). A short track, a silent or undecodable window: no vector, no problem line
    (the track's audio vector, or its problem line, already says what its file gave)."""
    from recsys.encoders.media import decode_windows_many

    with_audio = [t for t in tracks if t.audio_path]
    if not with_audio or not names:
        return {}
    decoded = decode_windows_many(encoder, [str(t.audio_path) for t in with_audio])
    items = [
        (t.track_id, names[i], y)
        for t, windows in zip(with_audio, decoded)
        for i, y in enumerate(windows[: len(names)])
        if y is not None
    ]
    out: dict[str, dict[str, np.ndarray]] = {}
    step = max(1, len(tracks))
    for start in range(0, len(items), step):
        part = items[start : start + step]
        for (tid, name, _), v in zip(part, encode_decoded(encoder, [y for _, _, y in part])):
            if not isinstance(v, MediaError):
                out.setdefault(tid, {})[name] = np.asarray(v, dtype=np.float32)
    return out
