"""How each modality's input is decoded and prepared for its encoder, as versions that every
stored point records, so that a change of the decoding reaches the collections made before it.

The embedding cache keys an input by how it is decoded where that changed (``downmix.CACHE_MARK``,
``cache_mark``), so a fresh encode never takes a vector of the old decoding. But an ingest skips a track whose
files did not change (``ingest.sync``): the vectors its point holds would stay those of the old
decoding for good (every 5.1 file ingested before the BS.775 downmix kept the plain mean's audio
vector). So a point records, for each of its vectors of text, image and audio, the version of
each step its input went through (payload ``PREPARED``: {"audio": "decode=1;downmix=bs775-active",
...}), and the ingest re-encodes the modality whose recorded steps are not these
(``ingest.preparation``), that modality alone.

A step applies to every input of its modality, or (``multichannel``) to an audio file of more
than two channels only: a change of it re-encodes only those files.

Bump a version with any change that changes the vectors of inputs that did not change: how an
audio file is decoded, resampled or cut (``AUDIO_DECODE``), how a cover is decoded and resized
(``IMAGE_DECODE``), how a text is made ready for its encoder (``TEXT_PREPARE``); the downmix's is
``downmix.SCHEME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from recsys.encoders import downmix
from recsys.modalities import AUDIO, IMAGE, TEXT

#: the payload field of the record: modality -> its steps' versions ("name=version;...")
PREPARED = "prepared"

#: the modalities whose inputs are decoded or prepared here (the graph's vector has no input file)
PREPARED_MODALITIES: tuple[str, ...] = (TEXT, IMAGE, AUDIO)

#: every audio file's decoding (recsys.encoders.media: read, resample, excerpt)
AUDIO_DECODE = "1"
#: every cover's decoding (recsys.encoders.media, pixels)
IMAGE_DECODE = "1"
#: every text's preparation for its encoder
TEXT_PREPARE = "1"

#: what a point stored without a record (before 2026-11-28) was prepared with: a file of more
#: than two channels was the plain mean of its channels; nothing else has changed since
LEGACY: dict[str, str] = {
    AUDIO: f"decode=1;downmix={downmix.PLAIN_MEAN}",
    IMAGE: "decode=1",
    TEXT: "prepare=1",
}


@dataclass(frozen=True)
class Step:
    """One step an input goes through before its encoder, and its version."""

    name: str
    version: str
    #: only an audio file of more than two channels goes through it (the downmix)
    multichannel: bool = False


def steps(modality: str) -> tuple[Step, ...]:
    """The steps of ``modality``'s inputs now (read at each call: a test may change one)."""
    if modality == AUDIO:
        return Step("decode", AUDIO_DECODE), Step("downmix", downmix.SCHEME, multichannel=True)
    if modality == IMAGE:
        return (Step("decode", IMAGE_DECODE),)
    if modality == TEXT:
        return (Step("prepare", TEXT_PREPARE),)
    return ()


def version(modality: str) -> str:
    """``modality``'s steps now, as a point records them: "decode=1;downmix=bs775-active"."""
    return ";".join(f"{s.name}={s.version}" for s in steps(modality))


def cache_mark(modality: str) -> str:
    """What the embedding cache's key of an input of ``modality`` carries (``ingest.inputs``):
    the steps every input of it goes through whose version is not ``LEGACY``'s, the one the
    cache's keys were made with before they carried any ("" while every one is: the caches made
    so far stay valid). Without it a bumped step re-encoded nothing: the cache, keyed by the
    input alone, served the old decoding's vectors under now's record. A multichannel step marks
    only the keys of files of more than two channels (``downmix.CACHE_MARK``)."""
    first = _parse(LEGACY.get(modality, ""))
    changed = [f"{s.name}={s.version}" for s in steps(modality) if not s.multichannel and first.get(s.name) != s.version]
    return f"|{modality}:{';'.join(changed)}" if changed else ""


def record(modalities: Iterable[str]) -> dict[str, str]:
    """The record of a point holding vectors of ``modalities`` (any names: the graph's and the
    fused vector's have none)."""
    held = set(modalities)
    return {m: version(m) for m in PREPARED_MODALITIES if m in held}


@dataclass(frozen=True)
class Change:
    """How a stored vector's preparation differs from the one of now."""

    modality: str
    #: the steps whose versions differ
    steps: tuple[str, ...]
    before: str
    now: str
    #: only files of more than two channels went through every step that changed
    multichannel: bool
    #: the point had no record: ``before`` is ``LEGACY``'s
    unrecorded: bool


def change(modality: str, stored: object) -> Change | None:
    """The ``Change`` of a vector of ``modality`` stored with the version ``stored`` (None: a
    point without a record, taken as ``LEGACY``'s), or None where it is prepared as now."""
    now = version(modality)
    before = stored if isinstance(stored, str) else (LEGACY.get(modality, "") if stored is None else "")
    if before == now:
        return None
    old, new = _parse(before), _parse(now)
    differ = tuple(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))
    if not differ:  # the same steps written in another order
        return None
    multichannel = {s.name for s in steps(modality) if s.multichannel}
    return Change(modality, differ, before, now, all(k in multichannel for k in differ), stored is None)


def _parse(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        name, _, value = part.partition("=")
        if name:
            out[name] = value
    return out
