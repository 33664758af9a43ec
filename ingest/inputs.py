"""A chunk's inputs, as the ingest job reads them ahead of its encoders: what each track gives
each modality (its text, its cover's or audio file's path, a published vector), what the
embedding cache knows an input by, the files decoded side by side, and the keys and digests
the sync fields need, each audio file read once for both (``read_chunk``, which
``ingest.overlap.ChunkReader`` calls in its thread). Also what a Ray worker runs
(``decode_and_encode``), so both paths decode and encode alike.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ingest.lanes import LANES_ENV
from ingest.overlap import ChunkInputs, ModalityInputs
from ingest.sync import audio_keys, file_digests, sound_keys
from recsys.catalog.model import AudioSpan, Catalog, TrackRecord, input_source
from recsys.device import out_of_device_memory
from recsys.errors import EncoderError, MediaError
from recsys.modalities import AUDIO, IMAGE, TEXT


def published_vectors(catalog: Catalog, modality: str, indexes: Sequence[int]) -> list[np.ndarray | None]:
    """The published vectors of rows ``indexes``, read and checked as one block (a quarter of
    the time of a row at a time), None where a row marks a missing modality (zeros or NaN)."""
    arr = catalog.precomputed.get(modality)
    if arr is None:
        return [None] * len(indexes)
    idx = np.asarray(indexes, dtype=np.int64)
    if len(idx) and idx[-1] - idx[0] + 1 == len(idx) and np.all(np.diff(idx) == 1):
        block = np.array(arr[idx[0] : idx[-1] + 1], dtype=np.float32)  # a copy: arr may be a read-only map
    else:
        block = np.array(arr[idx], dtype=np.float32)
    present = np.isfinite(block).all(axis=1) & (block != 0).any(axis=1)
    return [row if ok else None for row, ok in zip(block, present)]


def input_key(
    modality: str, track: TrackRecord, digests: dict[str, str] | None = None, sounds: Mapping[str, str | None] | None = None
) -> str | None:
    """What the cache knows an input by: the text itself, an audio file's sound without its
    tags (from ``sounds`` where it holds it: ``ingest.sync.sound_keys``), or the file's content
    (its digest from ``digests`` where it holds it: ``ingest.sync.file_digests``); a span of an
    audio file (a track of an album in one file) by its file's key and the span; each with the
    marks of how it is decoded now where that changed (``_downmix_mark``, ``preparation.cache_mark``)."""
    from recsys.catalog.model import file_digest
    from recsys.encoders.cache import text_key

    from recsys.encoders.preparation import cache_mark

    source = input_source(modality, track)
    if source is None:
        return None
    if modality == TEXT:
        return text_key(source) + cache_mark(TEXT)
    if isinstance(source, AudioSpan):
        # two tracks of one file are two inputs: the span is in the key
        whole = input_key(modality, replace(track, audio_start=None, audio_end=None), digests, sounds)
        end = "end" if source.end is None else f"{source.end:.6f}"
        return None if whole is None else f"{whole}|span={source.start:.6f}-{end}"
    if modality == AUDIO:
        # the sound without the tags: a retagged file is not decoded and encoded again
        from recsys.encoders.audio_key import audio_stream_key

        sound = sounds[str(source)] if sounds is not None and str(source) in sounds else audio_stream_key(Path(source))
        if sound is not None:
            return sound + _downmix_mark(source, track.file_channels) + cache_mark(AUDIO)
    digest = (digests or {}).get(str(source)) or file_digest(source)
    if digest == "unreadable":
        return None
    # how the input is decoded now, where that changed (``preparation.cache_mark``): a vector
    # of another decoding is not served
    mark = _downmix_mark(source, track.file_channels) if modality == AUDIO else ""
    return digest + mark + cache_mark(modality)


def _downmix_mark(path, known: int | None) -> str:
    """A file of more than two channels is cached under a key of its own (``downmix.CACHE_MARK``):
    its vectors cached before the BS.775 downmix, of a plain average of its channels (a 5.1
    file 2 to 5 dB quieter than its stereo copy), are not served. The count the reader's tag
    read gave (``known``: ``recsys.catalog.channelcount``) where it gave one; FFmpeg's look
    at the file cost ~2 ms a non-FLAC, non-MP3 file on every cache lookup."""
    from recsys.encoders import downmix

    channels = known if known is not None else downmix.audio_channels(path)
    return downmix.CACHE_MARK if channels is not None and channels > 2 else ""


def uncached_sources(modality: str, tracks: Sequence[TrackRecord], cache, read_cache: bool) -> dict[str, str]:
    """track_id -> the input (text, or file path as a string, or a span's ``as_text``) of every
    track whose input the embedding cache does not hold: what the Ray stage encodes."""
    keys = {t.track_id: input_key(modality, t) for t in tracks} if cache is not None and read_cache else {}
    hits = cache.get_many(k for k in keys.values() if k) if keys else {}
    out = {}
    for t in tracks:
        source = input_source(modality, t)
        if source is not None and not (keys.get(t.track_id) and keys[t.track_id] in hits):
            out[t.track_id] = source.as_text() if isinstance(source, AudioSpan) else str(source)
    return out


def decode_and_encode(encoder, sources: Sequence) -> list:
    """Each source's vector, or its MediaError where it cannot be decoded; the good ones are
    encoded as one batch. What a Ray worker runs too (ingest.ray_stage), so both agree."""
    return encode_decoded(encoder, decode_inputs(encoder, sources))


def decode_inputs(encoder, sources: Sequence) -> list:
    from recsys.encoders import media

    # decoded side by side (audio by worker processes, the rest on threads): reading and
    # decoding files, not the model, bounded a GPU. Each distinct input once: the tracks of an
    # album share its cover.jpg, and they get one decoded object (encode_decoded encodes it once)
    sources = list(sources)
    if not sources:  # nothing to decode: the encoder is not asked even what it takes (ingest.deferred)
        return []
    unique = list(dict.fromkeys(sources))
    by_source = dict(zip(unique, media.decode_many(encoder, unique)))
    return [by_source[s] for s in sources]


def encode_decoded(encoder, decoded: list) -> list:
    """``decoded`` with each decoded input replaced by its vector (one batch); MediaErrors stay."""
    decoded = list(decoded)
    good = [i for i, item in enumerate(decoded) if not isinstance(item, MediaError)]
    # one input decoded once for several tracks (``decode_inputs``) is encoded once
    first = {id(decoded[i]): i for i in reversed(good)}
    unique = sorted(first.values())
    if unique:
        try:
            encoded = encoder.encode([decoded[i] for i in unique])
        except RuntimeError as exc:
            if not out_of_device_memory(exc):
                raise
            raise memory_error(encoder, len(unique), exc) from None
        vector = {id(decoded[i]): v for i, v in zip(unique, encoded)}
        keys = [id(decoded[i]) for i in good]  # taken while every input is still alive
        for i, key in zip(good, keys):
            decoded[i] = vector[key]
    return decoded


def memory_error(encoder, batch: int, exc: BaseException) -> EncoderError:
    """A model that ran out of GPU memory: the user's fix in one line, not an internal error."""
    name = getattr(getattr(encoder, "info", None), "name", type(encoder).__name__)
    device = getattr(encoder, "device", "the device")
    first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
    return EncoderError(
        f"the encoder '{name}' ran out of memory on {device} with a batch of {batch} ({first}); "
        f"ingest with a smaller --batch-size (or RECSYS_BATCH_SIZE), or with {LANES_ENV}=0 so that "
        f"the encoders take the GPU one at a time"
    )


def read_chunk(catalog, rows, plan, runners, local, read_cache, precomputed, batch, cache_of) -> ChunkInputs:
    """A chunk's inputs, read ahead of its encoding (ingest.overlap.ChunkReader calls this in
    its thread): the published vectors, the decoded inputs the caches lack, the sync fields."""
    published = {}
    if precomputed:
        for m in (TEXT, IMAGE, AUDIO):
            vecs = zip((t.track_id for t in batch), published_vectors(catalog, m, [rows[t.track_id] for t in batch]))
            published[m] = {tid: v for tid, v in vecs if v is not None}
    modalities = {}
    # The audio cache's keys, each file's sound without its tags, and the files' digests, for
    # the sync fields (tracks without a content key yet) and the image cache's keys (an audio
    # file's only where its sound has none): read and hashed on threads (one after another
    # they held the reader's thread). The stats are taken first, as SyncPlan.content_key takes
    # them: a file changed meanwhile is then re-read next time.
    for t in batch:
        plan.file_stat(t)
    audio_cache = AUDIO in local and cache_of(AUDIO) is not None
    image_cache = IMAGE in local and cache_of(IMAGE) is not None
    # A new file's digest and its sound's key come from one read of it (a 100k-file library
    # is read once, not twice); a file the sync already read has its sound's key from then.
    sounds = plan.known_sounds(batch) if audio_cache else {}
    unkeyed = [t.audio_path for t in batch if t.audio_path and not plan.has_content_key(t)]
    if audio_cache:
        both = audio_keys(unkeyed)
        digests = {p: digest for p, (digest, _) in both.items()}
        sounds |= {p: sound for p, (_, sound) in both.items() if p not in sounds}
        sounds |= sound_keys(t.audio_path for t in batch if t.audio_path and str(t.audio_path) not in sounds)
    else:
        digests = file_digests(unkeyed)
    digests = plan.known_digests(batch) | digests  # what the sync (or the cache probe) read
    digests |= file_digests(
        path
        for t in batch
        for path, needed in (
            (t.audio_path, audio_cache and sounds.get(str(t.audio_path)) is None),
            (t.cover_path, image_cache or not plan.has_content_key(t)),
        )
        if path and needed and str(path) not in digests
    )
    # Audio is decoded by worker processes (recsys.encoders.decode_pool), covers on threads of
    # this process: the audio's batch is started first, from a side thread, and collected last,
    # so the two decode side by side.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="recsys-read-audio") as side:
        for m in sorted(local, key=lambda m: m != AUDIO):
            cache = cache_of(m)
            # a reprepared track's modality it keeps is neither looked up nor decoded (plan.encodes)
            mine = [t for t in batch if plan.encodes(t, m)]
            keys = {t.track_id: input_key(m, t, digests, sounds) for t in mine} if cache is not None else {}
            # a guess (the encoders may cache more before this chunk's turn): _encode_modality
            # asks its own cache again, and decodes any input missing here
            hits = cache.get_many(k for k in keys.values() if k) if cache is not None and read_cache else {}
            todo = [(t.track_id, input_source(m, t)) for t in mine if keys.get(t.track_id) not in hits]
            todo = [(tid, source) for tid, source in todo if source is not None]
            sources = [source for _, source in todo]
            decoded = side.submit(decode_inputs, runners[m], sources) if m == AUDIO and todo else decode_inputs(runners[m], sources)
            modalities[m] = (keys, [tid for tid, _ in todo], decoded)
        for m, (keys, ids, decoded) in modalities.items():
            items = decoded.result() if isinstance(decoded, Future) else decoded
            modalities[m] = ModalityInputs(keys, dict(zip(ids, items)))
    return ChunkInputs({m: modalities[m] for m in local}, published, {t.track_id: plan.sync_fields(t, digests) for t in batch})
