"""A change of how an input is decoded reaches the vectors stored before it (``ingest.preparation``,
``recsys.encoders.preparation``): a re-ingest skips unchanged files, so a 5.1 file ingested before
the BS.775 downmix kept the plain mean's audio vector for good. Each point records how its
vectors' inputs were prepared; an ingest re-encodes the modality whose record is not now's (for
the downmix: only files of more than two channels), keeps the other vectors, fuses anew."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from mutagen.flac import FLAC
from PIL import Image

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.encoders import downmix, preparation
from recsys.encoders.preparation import PREPARED
from recsys.store import open_backend
from recsys.store.base import PointRecord
from tests import test_sync
from tests.test_ingest_overlap import GuardedBackend
from tests.test_sync import CALLS, COUNTING

#: test_sync's autouse fixture (counting encoders), in force here too
counting_encoders = test_sync.counting_encoders

RATE = 22050
SURROUND, STEREO = "01 surround.flac", "02 stereo.flac"


def _library(tmp_path: Path, seconds: float = 2.0) -> Path:
    """A 5.1 FLAC and a stereo one with tags, lyrics (a text) and a cover beside them."""
    album = tmp_path / "lib" / "Band" / "Album"
    album.mkdir(parents=True)
    t = np.arange(int(RATE * seconds)) / RATE
    tones = [0.3 * np.sin(2 * np.pi * f * t) for f in (220, 330, 440, 55, 550, 660)]  # FL FR FC LFE BL BR
    sf.write(album / SURROUND, np.stack(tones, axis=1), RATE, subtype="PCM_16")
    sf.write(album / STEREO, np.stack(tones[:2], axis=1), RATE, subtype="PCM_16")
    for name in (SURROUND, STEREO):
        f = FLAC(album / name)
        f["artist"], f["title"], f["album"], f["lyrics"] = "Band", name[3:-5], "Album", f"the words of {name}"
        f.save()
    Image.new("RGB", (32, 32), (200, 40, 90)).save(album / "cover.png")
    return tmp_path / "lib"


def _ingest(tmp_path: Path, guarded: list | None = None, **kw):
    cat = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        store = backend
        if guarded is not None:  # the store used by one thread at a time, upserts slowed down
            store = GuardedBackend(backend, upsert_delay=0.01)
            guarded.append(store)
        # no embedding cache: each vector made is the encoder's (CALLS counts them)
        options = {"collection": "c", "batch_size": 8, "cache_dir": None} | COUNTING | kw
        return ingest_catalog(cat, store, IngestOptions(**options))
    finally:
        backend.close()


def _points(tmp_path: Path) -> dict:
    backend = open_backend(tmp_path / "store")
    try:
        return {Path(p.payload["audio_path"]).name: p for p in backend.scroll("c", with_vectors=True)}
    finally:
        backend.close()


def _unit(dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return v / np.linalg.norm(v)


def _as_stored_before(tmp_path: Path, record, stale: dict[str, tuple[str, ...]]) -> dict:
    """Each point rewritten as an older recsys left it: its record ``record(its record)`` (None:
    none), and the vectors ``stale`` names for its file replaced by marks of their own (what
    the old decoding made: any vector the new one would not). Returns the marks by file."""
    backend = open_backend(tmp_path / "store")
    marks: dict[str, dict[str, np.ndarray]] = {}
    try:
        rewritten = []
        for i, p in enumerate(backend.scroll("c", with_vectors=True)):
            name = Path(p.payload["audio_path"]).name
            marks[name] = {v: _unit(len(p.vectors[v]), 10 * i + j) for j, v in enumerate(stale.get(name, ()))}
            payload = dict(p.payload)
            kept = payload.pop(PREPARED)
            if record is not None:
                payload[PREPARED] = record(kept)
            rewritten.append(PointRecord(p.track_id, p.vectors | marks[name], payload))
        backend.upsert("c", rewritten)
    finally:
        backend.close()
    return marks


def _fused(tmp_path: Path, vectors: dict) -> np.ndarray:
    """The fused vector the collection makes of ``vectors`` (modality -> vector)."""
    from recsys.collection import CollectionMeta
    from recsys.fusion.fuser import Fuser

    backend = open_backend(tmp_path / "store")
    try:
        meta = CollectionMeta.from_dict(backend.get_spec("c").metadata)
    finally:
        backend.close()
    return Fuser(meta, "cpu").fuse([vectors])[0]


def _same(a, b) -> bool:
    # the store keeps a modality's vector in float16 (Edge's datatype: read back off by ~1e-4)
    return np.allclose(np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32), atol=1e-3)


def test_an_old_store_gets_the_audio_of_its_multichannel_files_made_again_and_nothing_else(tmp_path):
    """A store of before the records (no ``prepared`` in its payloads): the 5.1 file's audio
    vector is taken as the plain mean's and made again, its fused vector with it; its text, cover
    and graph vectors are kept; the stereo file's vectors are not touched (its record is written);
    a second re-ingest touches nothing."""
    _library(tmp_path)
    first = _ingest(tmp_path)
    assert first.added == 2 and CALLS["audio"] == 2
    made = _points(tmp_path)
    assert made[SURROUND].payload[PREPARED]["audio"] == f"decode=1;downmix={downmix.SCHEME}"
    fused = next(v for v in made[STEREO].vectors if v not in ("text", "image", "audio", "graph"))
    marks = _as_stored_before(tmp_path, None, {SURROUND: ("audio", fused, "text"), STEREO: ("audio", fused)})
    CALLS.clear()
    guarded: list[GuardedBackend] = []
    second = _ingest(tmp_path, guarded)
    assert second.reprepared == {"audio": 1}
    assert (second.ingested, second.updated, second.added, second.unchanged, second.refreshed) == (1, 0, 0, 1, 1)
    assert dict(CALLS) == {"audio": 1}  # the 5.1 file's sound alone: no text, no cover encoded
    assert not guarded[0].clashes, guarded[0].clashes
    after = _points(tmp_path)
    surround, stereo = after[SURROUND], after[STEREO]
    assert _same(surround.vectors["audio"], made[SURROUND].vectors["audio"])  # now's decoding
    # fused anew from the kept vectors (the marked text) and the new audio
    assert _same(surround.vectors[fused], _fused(tmp_path, {m: surround.vectors[m] for m in surround.payload["modalities"]}))
    assert not _same(surround.vectors[fused], marks[SURROUND][fused])
    assert _same(surround.vectors["text"], marks[SURROUND]["text"])  # kept, as stored
    for kept in ("image", "graph"):
        assert _same(surround.vectors[kept], made[SURROUND].vectors[kept])
    assert _same(stereo.vectors["audio"], marks[STEREO]["audio"]) and _same(stereo.vectors[fused], marks[STEREO][fused])
    for p in (surround, stereo):
        assert p.payload[PREPARED] == preparation.record(p.payload["modalities"])
    assert any("audio of 1 file(s) of more than two channels" in line and "plain-mean -> bs775-active" in line
               and "without a preparation record" in line for line in second.preparation), second.preparation
    CALLS.clear()
    third = _ingest(tmp_path)
    assert (third.ingested, third.unchanged, third.refreshed, third.reprepared) == (0, 2, 0, {})
    assert sum(CALLS.values()) == 0 and not third.preparation


def test_a_change_of_the_downmix_later_remakes_only_the_multichannel_files(tmp_path, monkeypatch):
    """A store with records, then another downmix (its version bumped): the 5.1 file's audio is
    made again; the stereo file, which no downmix touches, keeps its vectors and gets the record."""
    _library(tmp_path)
    _ingest(tmp_path)
    fused = next(v for v in _points(tmp_path)[STEREO].vectors if v not in ("text", "image", "audio", "graph"))
    marks = _as_stored_before(tmp_path, lambda kept: kept,
                              {SURROUND: ("audio",), STEREO: ("audio", fused)})
    monkeypatch.setattr(downmix, "SCHEME", "bs775-next")
    CALLS.clear()
    dry = _ingest(tmp_path, dry_run=True)
    assert dry.reprepared == {"audio": 1} and sum(CALLS.values()) == 0
    assert list(dry.plan["reprepared"].values()) == [["audio"]]
    assert _same(_points(tmp_path)[SURROUND].vectors["audio"], marks[SURROUND]["audio"])  # the dry run wrote nothing
    second = _ingest(tmp_path)
    assert second.reprepared == {"audio": 1} and (second.ingested, second.refreshed) == (1, 1)
    assert dict(CALLS) == {"audio": 1}
    after = _points(tmp_path)
    assert not _same(after[SURROUND].vectors["audio"], marks[SURROUND]["audio"])
    assert _same(after[STEREO].vectors["audio"], marks[STEREO]["audio"])
    assert after[STEREO].payload[PREPARED]["audio"] == "decode=1;downmix=bs775-next"
    assert any("downmix bs775-active -> bs775-next" in line and "without" not in line for line in second.preparation)
    CALLS.clear()
    third = _ingest(tmp_path)
    assert (third.ingested, third.refreshed, third.reprepared) == (0, 0, {}) and sum(CALLS.values()) == 0


def test_a_change_of_every_files_decoding_remakes_every_audio_vector_alone(tmp_path, monkeypatch):
    """A step every audio file goes through (its decoding) bumped: every track's audio is made
    again, whatever its channels, and said so in one line with the count; texts and covers not."""
    _library(tmp_path)
    _ingest(tmp_path)
    monkeypatch.setattr(preparation, "AUDIO_DECODE", "2")
    CALLS.clear()
    second = _ingest(tmp_path)
    assert second.reprepared == {"audio": 2} and dict(CALLS) == {"audio": 2}
    assert [line for line in second.preparation if "audio of 2 track(s), every one" in line and "decode 1 -> 2" in line]
    CALLS.clear()
    assert _ingest(tmp_path).ingested == 0 and sum(CALLS.values()) == 0


def test_a_moved_multichannel_file_of_an_old_store_is_moved_and_made_again(tmp_path):
    """A 5.1 file renamed since an old store's ingest: its point moves to its new id (a music
    folder's id is its path), and its audio is made again there; the old point goes."""
    lib = _library(tmp_path)
    _ingest(tmp_path)
    fused = next(v for v in _points(tmp_path)[STEREO].vectors if v not in ("text", "image", "audio", "graph"))
    marks = _as_stored_before(tmp_path, None, {SURROUND: ("audio", fused, "image")})
    album = lib / "Band" / "Album"
    (album / SURROUND).rename(album / "03 surround.flac")
    CALLS.clear()
    second = _ingest(tmp_path)
    assert (second.moved, second.reprepared, second.added, second.removed) == (1, {"audio": 1}, 0, 0)
    assert dict(CALLS) == {"audio": 1}
    after = _points(tmp_path)
    assert set(after) == {"03 surround.flac", STEREO}
    moved = after["03 surround.flac"]
    assert not _same(moved.vectors["audio"], marks[SURROUND]["audio"])
    assert _same(moved.vectors["image"], marks[SURROUND]["image"])  # kept through the move
    assert moved.payload[PREPARED] == preparation.record(moved.payload["modalities"])


@pytest.mark.parametrize("stored, expected", [
    (None, ("downmix",)),  # no record: the plain mean's
    (f"decode=1;downmix={downmix.SCHEME}", None),
    (f"downmix={downmix.SCHEME};decode=1", None),  # the same steps in another order
    ("decode=0;downmix=x", ("decode", "downmix")),
])
def test_a_stored_version_against_now(stored, expected):
    from recsys.encoders.preparation import change

    c = change("audio", stored)
    assert (c.steps if c else None) == expected
    if c is not None:
        assert c.multichannel == (expected == ("downmix",)) and c.unrecorded == (stored is None)


def test_the_audio_windows_are_made_again_with_the_audio_and_kept_with_it(tmp_path, monkeypatch):
    """A collection with audio windows (``--excerpt-vectors``): a re-encoded 5.1 file's windows
    are made again with its audio (they are of the same decoding); the stereo file's stay. A
    text prepared otherwise later re-encodes the texts alone: every audio window is kept."""
    _library(tmp_path, seconds=45.0)  # windows are made of tracks of 40 s or more
    _ingest(tmp_path, excerpt_vectors=True)
    made = _points(tmp_path)
    modal = ("text", "image", "audio", "graph")
    named = sorted(made[STEREO].vectors)
    windows = [v for v in named if v not in modal and "fused" not in v]
    assert windows, named
    marks = _as_stored_before(tmp_path, None, {SURROUND: ("audio", *windows), STEREO: ("audio", *windows)})
    CALLS.clear()
    second = _ingest(tmp_path)
    assert second.reprepared == {"audio": 1}
    after = _points(tmp_path)
    for w in windows:
        assert _same(after[SURROUND].vectors[w], made[SURROUND].vectors[w]), w
        assert _same(after[STEREO].vectors[w], marks[STEREO][w]), w
    monkeypatch.setattr(preparation, "TEXT_PREPARE", "2")
    marks = _as_stored_before(tmp_path, lambda kept: kept, {SURROUND: ("audio", *windows), STEREO: windows})
    CALLS.clear()
    third = _ingest(tmp_path)
    assert third.reprepared == {"text": 2} and dict(CALLS) == {"text": 2}
    after = _points(tmp_path)
    assert _same(after[SURROUND].vectors["audio"], marks[SURROUND]["audio"])
    for name in (SURROUND, STEREO):
        for w in windows:
            assert _same(after[name].vectors[w], marks[name][w]), (name, w)


@pytest.mark.parametrize("modality, step", [("audio", "AUDIO_DECODE"), ("image", "IMAGE_DECODE"), ("text", "TEXT_PREPARE")])
def test_a_changed_decoding_is_not_served_the_old_one_from_the_embedding_cache(tmp_path, monkeypatch, modality, step):
    """With the embedding cache (every real ingest has one), a step bumped re-encodes the
    modality for real: the cache, keyed by the input alone, held the old decoding's vectors for
    the same files, and served them under now's record, for good (the downmix's own mark,
    ``CACHE_MARK``, only covered files of more than two channels)."""
    _library(tmp_path)
    assert preparation.cache_mark(modality) == ""  # the keys of the caches made so far, as they were
    cache = {"cache_dir": tmp_path / "cache"}
    _ingest(tmp_path, **cache)
    marks = _as_stored_before(tmp_path, lambda kept: kept, {SURROUND: (modality,), STEREO: (modality,)})
    monkeypatch.setattr(preparation, step, "2")
    CALLS.clear()
    second = _ingest(tmp_path, **cache)
    assert second.reprepared == {modality: 2}
    # encoded, not taken from the cache (the two tracks share one cover: encoded once)
    assert dict(CALLS) == {modality: 1 if modality == "image" else 2}
    after = _points(tmp_path)
    for name in (SURROUND, STEREO):
        assert not _same(after[name].vectors[modality], marks[name][modality]), name
        assert after[name].payload[PREPARED][modality] == preparation.version(modality)
