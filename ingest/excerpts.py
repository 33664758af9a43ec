"""The audio windows of a collection made with ``recsys ingest --excerpt-vectors``: besides the
middle 30 s that its audio vector holds, each track of 40 s or more keeps one vector per 10 s
window near its start, at its middle and near its end (``media.WINDOW_FRACTIONS``), in named vectors of their own (``audio_x1`` ...).
Only ``query --audio`` searches them (a track scores its best of the four), so an excerpt from
a track's start or end finds it; the fused vector, training and recommend never read them.
Measured in docs/benchmarks.md, "One audio vector per track: the middle 30 s or three windows?".

The windows are decoded and encoded here, after the chunk's audio, through the audio embedding
cache (keyed on the file's sound and the window: a retagged file's windows come from it); not
on Ray (``--ray`` makes none), and with encoders in lanes (a GPU) without the cache, which
belongs to the audio lane's thread there.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ingest.inputs import encode_decoded
from recsys.catalog.model import AudioSpan, TrackRecord, input_source
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


def recorded_fractions(meta: CollectionMeta) -> tuple[float, ...]:
    """Where a collection's windows lie, as it recorded them when made (a collection keeps its
    windows where they were, whatever this recsys's default)."""
    at = (meta.extra.get(AUDIO_EXCERPTS) or {}).get("at")
    return tuple(float(f) for f in at) if at else WINDOW_FRACTIONS


#: the name a file's "no window" mark is cached under (``window_vectors``)
NO_WINDOWS = "no-windows"


def _window_key(sound: str | None, name: str, fractions: tuple[float, ...]) -> str | None:
    """What the audio embedding cache knows a window by: the file's sound key (the one its
    middle is cached under), the window and where windows lie (other windows, other keys)."""
    if not sound:
        return None
    at = ",".join(f"{f:.4f}" for f in fractions)
    return f"{sound}|{name}@{at}/{WINDOW_SECONDS:g}s"


def window_vectors(
    encoder, tracks: Sequence[TrackRecord], names: Sequence[str], cache=None,
    keys: dict[str, str | None] | None = None, read_cache: bool = True,
    fractions: tuple[float, ...] | None = None,
) -> dict[str, dict[str, np.ndarray]]:
    """track_id -> {window vector name: vector} for ``tracks`` (those with an audio file):
    from the audio embedding ``cache`` where it holds a track's windows (``keys``: each track's
    audio cache key, as the chunk reader took it), else decoded side by side
    (``media.decode_windows_many``) and encoded by the chunk's own audio encoder in batches no
    larger than the chunk (the GPU memory the middle's batch fits in), then cached. A retagged
    file is not decoded again for its windows, as for its middle. A short track, a silent or
    undecodable window: no vector, no problem line (the track's audio vector, or its problem
    line, already says what its file gave)."""
    with_audio = [t for t in tracks if t.audio_path]
    if not with_audio or not names:
        return {}
    fractions = fractions or WINDOW_FRACTIONS  # where the collection's windows lie (recorded_fractions)
    wanted = {t.track_id: {n: _window_key((keys or {}).get(t.track_id), n, fractions) for n in names} for t in with_audio}
    # a file with no window at all (too short, every window silent) is cached as such, under a
    # key of its own: a retag of a short track decodes nothing and loads no model (ingest.deferred)
    none = {tid: _window_key((keys or {}).get(tid), NO_WINDOWS, fractions) for tid in wanted}
    hits = (cache.get_many([k for ks in wanted.values() for k in ks.values() if k] + [k for k in none.values() if k])
            if cache is not None and read_cache else {})
    out: dict[str, dict[str, np.ndarray]] = {}
    for tid, ks in wanted.items():
        # any window cached: the run that cached it made all this file's windows (a silent
        # one has none to cache)
        found = {n: hits[k] for n, k in ks.items() if k in hits}
        if found or none[tid] in hits:
            out[tid] = found
    with_audio = [t for t in with_audio if t.track_id not in out]
    if not with_audio:
        return {tid: vs for tid, vs in out.items() if vs}
    made = _encoded_windows(encoder, with_audio, names, fractions)
    if cache is not None:
        windowless = [none[t.track_id] for t in with_audio if t.track_id not in made and none[t.track_id]]
        cache.put_many({wanted[tid][n]: v for tid, vs in made.items() for n, v in vs.items() if wanted[tid][n]}
                       | {k: np.zeros(encoder.info.dim, dtype=np.float32) for k in windowless})
    return {tid: vs for tid, vs in out.items() if vs} | made


def _encoded_windows(encoder, with_audio: Sequence[TrackRecord], names: Sequence[str],
                     fractions: tuple[float, ...]) -> dict[str, dict[str, np.ndarray]]:
    """The windows of these tracks' files, decoded side by side and encoded in batches."""
    from recsys.encoders.media import decode_windows_many

    # a track of an album in one file: its span's windows (``recsys.encoders.spans``)
    sources = [input_source(AUDIO, t) for t in with_audio]
    decoded = decode_windows_many(encoder, [s if isinstance(s, AudioSpan) else str(s) for s in sources],
                                  fractions=fractions)
    items = [
        (t.track_id, names[i], y)
        for t, windows in zip(with_audio, decoded)
        for i, y in enumerate(windows[: len(names)])
        if y is not None
    ]
    out: dict[str, dict[str, np.ndarray]] = {}
    step = max(1, len(with_audio))
    for start in range(0, len(items), step):
        part = items[start : start + step]
        for (tid, name, _), v in zip(part, encode_decoded(encoder, [y for _, _, y in part])):
            if not isinstance(v, MediaError):
                out.setdefault(tid, {})[name] = np.asarray(v, dtype=np.float32)
    return out
