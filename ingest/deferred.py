"""Models loaded only when an input needs them.

Retagging a few files of a music library re-ingests their tracks, and every vector they need
is already in the embedding cache: the audio cache knows a file by its sound without its tags,
the image cache a cover by its bytes. Loading the image and audio models for nothing (torch,
torchvision, the weights) was 3.1 s of the 3.7 s such an ingest took on a real library, and
most of its memory; with ``--profile best`` it is CLIP and CLAP.

So before the models load, an ingest that updates a collection asks each modality's cache
whether it holds every input of the tracks to encode (``cached_modalities``). A modality it
does is given a ``DeferredEncoder``: the encoder's identity without its model, loaded at its
first real use should the cache lack something after all (another process may have changed
the cache meanwhile). No file is read twice for the question: the audio files' sound keys and
digests come from the sync's one read of them (``SyncPlan.key_many``), which the chunk reader
then takes as known; the question stops at a modality's first miss.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from ingest.inputs import input_key
from ingest.sync import SyncPlan, file_digests
from recsys.catalog.model import TrackRecord, input_source
from recsys.encoders.base import EncoderInfo
from recsys.modalities import AUDIO, IMAGE, TEXT

#: tracks asked about at once (their files are hashed side by side, as the sync does)
PROBE_BLOCK = 512


def cached_modalities(
    infos: Mapping[str, EncoderInfo], todo: Sequence[TrackRecord], plan: SyncPlan, cache_dir: Path
) -> set[str]:
    """The modalities of ``infos`` (text, image, audio) whose embedding cache holds the input
    of every track of ``todo`` that has one: their models need not load."""
    from recsys.encoders.cache import EmbeddingCache

    out = set()
    for modality in (TEXT, IMAGE, AUDIO):
        if modality not in infos:
            continue
        cache = EmbeddingCache(cache_dir, infos[modality])
        try:
            if _all_cached(modality, todo, plan, cache):
                out.add(modality)
        finally:
            cache.close()
    return out


def _all_cached(modality: str, todo: Sequence[TrackRecord], plan: SyncPlan, cache) -> bool:
    # a reprepared track's kept vectors are no inputs to encode (``SyncPlan.encodes``)
    with_input = [t for t in todo if input_source(modality, t) is not None and plan.encodes(t, modality)]
    for start in range(0, len(with_input), PROBE_BLOCK):
        block = with_input[start : start + PROBE_BLOCK]
        keys = _keys(modality, block, plan)
        if keys is None:
            return False
        if len(cache.get_many(keys)) < len(set(keys)):
            return False
    return True


def _keys(modality: str, block: Sequence[TrackRecord], plan: SyncPlan) -> list[str] | None:
    """The cache keys of ``block``'s inputs, None where one has none (it would be decoded)."""
    sounds: Mapping[str, str | None] = {}
    digests: dict[str, str] = {}
    if modality == AUDIO:
        # the sync read the changed files already (key_many passes over what it keyed); a file
        # it did not read (a manifest's track whose text changed) is read here, once: its
        # digest and sound key are then known to the chunk reader, which would have read it
        plan.key_many(block)
        sounds = plan.known_sounds(block)
        digests = plan.known_digests(block)
    elif modality == IMAGE:
        digests = plan.known_digests(block)
        digests |= file_digests(t.cover_path for t in block if str(t.cover_path) not in digests)
    keys = []
    for t in block:
        if modality == AUDIO and sounds.get(str(t.audio_path)) is None and str(t.audio_path) not in digests:
            return None  # neither key known: asking would read the file once more
        key = input_key(modality, t, digests, sounds)
        if key is None:
            return None
        keys.append(key)
    return keys


class DeferredEncoder:
    """An encoder whose model loads at its first use (``load``, once, thread-safe). Its
    ``info`` and ``name`` are known without loading it; its ``device`` reads "cpu" until
    then (which keeps the ingest's GPU lanes off for a modality that encodes nothing);
    every other attribute loads the model and is the loaded encoder's."""

    def __init__(self, info: EncoderInfo, load: Callable[[], Any]):
        self.info = info
        self._load = load
        self._encoder: Any = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    @property
    def device(self) -> str:
        return self._encoder.device if self._encoder is not None else "cpu"

    def encoder(self) -> Any:
        with self._lock:
            if self._encoder is None:
                self._encoder = self._load()
        return self._encoder

    def __getattr__(self, attr: str) -> Any:
        # only for what the instance and the class lack: the model's own attributes
        if attr.startswith("__") or attr in ("_load", "_encoder", "_lock", "info"):
            raise AttributeError(attr)
        return getattr(self.encoder(), attr)


def deferred_runners(infos: Mapping[str, EncoderInfo], modalities: Iterable[str],
                     load: Callable[[EncoderInfo], Any]) -> dict[str, DeferredEncoder]:
    """A ``DeferredEncoder`` for each of ``modalities``, loading with ``load(info)``."""
    return {m: DeferredEncoder(infos[m], lambda info=infos[m]: load(info)) for m in modalities}
