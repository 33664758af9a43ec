"""The ingest's overlapped stages (ingest.overlap): the next chunk's inputs decoded while this one
is encoded, one writer thread upserting behind. Bounded, failures surface and stop the job,
nothing is acknowledged before it is written, the store is used by one thread at a time, and
the result is the same with the overlap on and off (RECSYS_INGEST_OVERLAP=0)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.lanes import LANES_ENV
from ingest.overlap import OVERLAP_ENV, ReadAhead, WriteBehind, overlap_enabled
from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.errors import StoreError
from recsys.store import open_backend
from tests.support.manifests import read_rows, write_rows
from tests.support.tiny_encoders import TINY

TIMING_FIELDS = frozenset({"ingested_at", "updated_at"})
BATCH = 8


# --------------------------------------------------------------------------- the machinery


@pytest.mark.parametrize("value, on", [("", True), ("1", True), ("0", False), ("off", False), (" False ", False)])
def test_overlap_is_on_unless_the_variable_turns_it_off(monkeypatch, value, on):
    monkeypatch.setenv(OVERLAP_ENV, value)
    assert overlap_enabled() is on


def test_read_ahead_reads_at_most_one_chunk_ahead_in_its_own_thread():
    started: list[int] = []
    threads: set[int] = set()
    finished_in: list[int] = []

    def read(c: int) -> int:
        started.append(c)
        threads.add(threading.get_ident())
        time.sleep(0.005)
        return c * 10

    got = []
    with ReadAhead(read, range(6), finish=lambda: finished_in.append(threading.get_ident())) as ahead:
        for c, r in ahead:
            time.sleep(0.03)  # a slow consumer: an unbounded reader would run far ahead
            assert max(started) <= c + 1, f"chunk {max(started)} read while chunk {c} is worked on"
            got.append((c, r))
    assert got == [(c, c * 10) for c in range(6)]
    assert len(threads) == 1 and threading.get_ident() not in threads
    assert finished_in == list(threads)  # closed in the thread that read


def test_read_ahead_off_reads_in_turn_in_the_callers_thread():
    order = []
    with ReadAhead(lambda c: order.append(("read", c, threading.get_ident())), range(3), enabled=False) as ahead:
        for c, _ in ahead:
            order.append(("use", c, threading.get_ident()))
    me = threading.get_ident()
    assert order == [(w, c, me) for c in range(3) for w in ("read", "use")]


def test_read_ahead_raises_a_reads_error_at_its_chunk():
    def read(c: int) -> int:
        if c == 3:
            raise StoreError("chunk 3 is unreadable")
        return c

    seen = []
    with pytest.raises(StoreError, match="chunk 3"):
        with ReadAhead(read, range(6)) as ahead:
            for c, _ in ahead:
                seen.append(c)
    assert seen == [0, 1, 2]


def test_write_behind_failure_surfaces_and_writes_nothing_after_it():
    written = []

    def write(item: int) -> None:
        if item == 3:
            raise StoreError("disk full")
        written.append(item)

    acknowledged = []
    writer = WriteBehind(write)
    with pytest.raises(StoreError, match="disk full"):
        try:
            for item in range(1, 8):
                acknowledged += writer.submit(item)
            acknowledged += writer.drain()
        finally:
            writer.close()
    assert written == [1, 2]
    assert set(acknowledged) <= {1, 2}


def test_write_behind_acknowledges_only_written_items_and_drains_in_order():
    gate = threading.Event()
    written = []

    def write(item: int) -> None:
        gate.wait(5)
        written.append(item)

    writer = WriteBehind(write, depth=1)
    assert writer.submit(1) == []  # handed over, not written yet
    gate.set()
    assert writer.drain() == [1] and written == [1]
    assert writer.writing > 0


def test_write_behind_flush_waits_for_the_writes_and_keeps_the_writer():
    """``flush`` returns once every item handed over is written (the store is then the caller's
    to read: a reprepared chunk's kept vectors), and the writer takes more after it."""
    gate = threading.Event()
    written = []

    def write(item: int) -> None:
        gate.wait(5)
        written.append(item)

    writer = WriteBehind(write, depth=1)
    try:
        assert writer.submit(1) == []
        threading.Timer(0.05, gate.set).start()
        assert writer.flush() == [1] and written == [1]
        writer.submit(2)
        assert writer.drain() == [2] and written == [1, 2]
    finally:
        writer.close()


def test_write_behind_closed_after_a_callers_error_writes_what_it_was_given():
    written = []
    with pytest.raises(ZeroDivisionError):
        with WriteBehind(lambda item: (time.sleep(0.01), written.append(item))) as writer:
            writer.submit(1)
            writer.submit(2)
            1 / 0  # the job fails elsewhere: chunks handed over before it are kept
    assert written == [1, 2]


# --------------------------------------------------------------------------- the ingest job


class GuardedBackend:
    """A store that fails the test if two threads use it at once, records which threads call
    what, can fail its n-th upsert, and slows upserts down so the threads really overlap."""

    def __init__(self, backend, fail_upsert: int | None = None, upsert_delay: float = 0.02):
        self._b, self.fail_upsert, self.upsert_delay = backend, fail_upsert, upsert_delay
        self._active = 0
        self._guard = threading.Lock()
        self.clashes: list[str] = []
        self.calls: list[tuple[str, str]] = []  # (method, thread name)
        self.upserts = 0
        self.written = 0  # points whose upsert returned

    def __getattr__(self, attr):
        fn = getattr(self._b, attr)
        if not callable(fn):
            return fn

        def call(*a, **kw):
            with self._guard:
                self._active += 1
                if self._active > 1:
                    self.clashes.append(f"{attr} in {threading.current_thread().name}")
                self.calls.append((attr, threading.current_thread().name))
            try:
                if attr == "upsert":
                    self.upserts += 1
                    time.sleep(self.upsert_delay)
                    if self.upserts == self.fail_upsert:
                        raise StoreError("the store refused the write")
                result = fn(*a, **kw)
                if attr == "upsert":
                    self.written += len(a[1])
                return result
            finally:
                with self._guard:
                    self._active -= 1

        return call


class Upserted:
    """A progress sink that checks a chunk is acknowledged only once the store has it."""

    def __init__(self, store: GuardedBackend):
        self.store, self.acknowledged, self.early = store, 0, []

    def stage(self, name, total):
        pass

    def warn(self, line):
        pass

    def advance(self, name, n=1):
        if name == "upsert":
            self.acknowledged += n
            if self.acknowledged > self.store.written:
                self.early.append((self.acknowledged, self.store.written))


def ingest(catalog: Path, store: Path, progress=None, wrap=None, **kw):
    cat = read_catalog(catalog, cover_cache=store.parent / "covers")
    backend = open_backend(store)
    try:
        target = wrap(backend) if wrap else backend
        return ingest_catalog(cat, target, IngestOptions(collection="c", batch_size=BATCH, **(TINY | kw)), progress)
    finally:
        backend.close()


def points(store: Path) -> dict:
    backend = open_backend(store)
    try:
        return {p.track_id: p for p in backend.scroll("c", with_vectors=True)}
    finally:
        backend.close()


def comparable(report) -> dict:
    d = report.as_dict()
    d.pop("seconds")
    return d


def test_the_writer_runs_alone_on_the_store_and_acknowledges_only_written_chunks(sample_catalog, tmp_path, monkeypatch):
    monkeypatch.setenv(OVERLAP_ENV, "1")
    guarded: list[GuardedBackend] = []

    def wrap(b):
        guarded.append(GuardedBackend(b))
        return guarded[0]

    n = len(read_rows(sample_catalog))
    sink = Upserted(None)
    cat = read_catalog(sample_catalog, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        store = wrap(backend)
        sink.store = store
        report = ingest_catalog(cat, store, IngestOptions(collection="c", batch_size=BATCH, **TINY), sink)
    finally:
        backend.close()
    assert report.ingested == n and sink.acknowledged == n and not sink.early
    assert not store.clashes, f"the store was used by two threads at once: {store.clashes}"
    upserters = {t for m, t in store.calls if m == "upsert"}
    assert upserters == {"recsys-ingest-writer"}
    # the deletes and the indexes come after the last write, from the job's own thread
    last_upsert = max(i for i, (m, _) in enumerate(store.calls) if m == "upsert")
    optimize = [i for i, (m, t) in enumerate(store.calls) if m == "optimize" and t == threading.current_thread().name]
    assert optimize and optimize[0] > last_upsert
    assert {"text", "image", "audio", "upsert", "decode", "decode wait", "write wait"} <= report.seconds.keys()


@pytest.mark.parametrize("overlap", ["1", "0"])
def test_a_failed_write_stops_the_job_and_keeps_the_chunks_before_it(sample_catalog, tmp_path, monkeypatch, overlap):
    monkeypatch.setenv(OVERLAP_ENV, overlap)
    made: list[GuardedBackend] = []
    sink = Upserted(None)

    def wrap(b):
        made.append(GuardedBackend(b, fail_upsert=3))
        sink.store = made[0]
        return made[0]

    with pytest.raises(StoreError, match="refused the write"):
        ingest(sample_catalog, tmp_path / "store", progress=sink, wrap=wrap)
    assert made[0].upserts == 3  # nothing was written after the failed chunk
    got = points(tmp_path / "store")
    rows = read_rows(sample_catalog)
    assert set(got) == {r["track_id"] for r in rows[: 2 * BATCH]}
    assert sink.acknowledged <= 2 * BATCH and not sink.early
    # the next run picks up where the failed one stopped
    again = ingest(sample_catalog, tmp_path / "store")
    assert again.unchanged == 2 * BATCH and again.ingested == len(rows) - 2 * BATCH


def test_decoding_runs_one_chunk_ahead_in_the_reader_thread(sample_catalog, tmp_path, monkeypatch):
    from ingest import pipeline
    from recsys.encoders import media

    monkeypatch.setenv(OVERLAP_ENV, "1")
    monkeypatch.setenv(LANES_ENV, "0")  # the encoders in the job's thread, as the events below say
    cat = read_catalog(sample_catalog, cover_cache=tmp_path / "covers")
    chunk_of = {str(t.cover_path): i // BATCH for i, t in enumerate(cat.tracks) if t.cover_path}
    events: list[tuple[str, int, str]] = []
    encoded = [-1]  # the latest chunk whose every modality is encoded
    decode_many, encode_modality = media.decode_many, pipeline._encode_modality

    def decode(encoder, sources, *a, **kw):
        if sources and str(sources[0]) in chunk_of:
            chunk = chunk_of[str(sources[0])]
            events.append(("decode", chunk, threading.current_thread().name))
            # read(j) starts once chunk j-1 is handed to the encoders, so chunk j-2 is done:
            # never two chunks ahead
            assert chunk <= encoded[0] + 2, f"chunk {chunk} decoded when only chunk {encoded[0]} is encoded"
        return decode_many(encoder, sources, *a, **kw)

    def encode(modality, encoder, batch, *a, **kw):
        chunk = chunk_of[str(batch[0].cover_path)]
        if modality == "image":
            events.append(("encode", chunk, threading.current_thread().name))
        out = encode_modality(modality, encoder, batch, *a, **kw)
        if modality == "audio":
            encoded[0] = chunk
        return out

    monkeypatch.setattr(media, "decode_many", decode)
    monkeypatch.setattr(pipeline, "_encode_modality", encode)
    backend = open_backend(tmp_path / "store")
    try:
        report = ingest_catalog(cat, backend, IngestOptions(collection="c", batch_size=BATCH, **TINY))
    finally:
        backend.close()
    chunks = -(-len(cat.tracks) // BATCH)
    assert report.ingested == len(cat.tracks)
    decodes = [e for e in events if e[0] == "decode"]
    assert [c for _, c, _ in decodes] == list(range(chunks))  # each chunk's covers once, in order
    assert {t for _, _, t in decodes} == {"recsys-read-ahead_0"}
    # every chunk after the first was decoded before its encoding began, behind the one before
    for c in range(1, chunks):
        assert events.index(("decode", c, "recsys-read-ahead_0")) < events.index(("encode", c, threading.current_thread().name))


def test_overlap_on_and_off_store_and_report_the_same(sample_catalog, tmp_path, monkeypatch):
    rows = read_rows(sample_catalog)
    (sample_catalog / rows[0]["cover"]).write_bytes(b"this is not a png")  # one problem line
    (sample_catalog / rows[9]["audio"]).write_bytes(b"")  # another, in the second chunk
    rows[12]["cover"] = rows[11]["cover"]  # a cover two tracks share, in one chunk
    rows[10]["cover"] = rows[5]["cover"]  # and in the next chunk: decoded ahead, then a cache hit
    rows[17]["cover"] = rows[5]["cover"]  # and two chunks on: the cache serves it
    write_rows(sample_catalog, rows)
    results = {}
    # the overlap off and on, and the encoders in lanes of their own (ingest.lanes) with both:
    # each lane opens and closes its SQLite cache in its own thread
    for overlap, lanes in (("0", "0"), ("1", "0"), ("1", "1"), ("0", "1")):
        monkeypatch.setenv(OVERLAP_ENV, overlap)
        monkeypatch.setenv(LANES_ENV, lanes)
        run = tmp_path / f"overlap-{overlap}-lanes-{lanes}"
        first = ingest(sample_catalog, run / "store", cache_dir=run / "cache")
        # a second store from the same cache: the cached inputs are not decoded again
        second = ingest(sample_catalog, run / "store2", cache_dir=run / "cache")
        results[overlap, lanes] = (comparable(first), comparable(second), points(run / "store"), points(run / "store2"))
    off = results["0", "0"]
    assert off[0]["failed"] == {"image": 1, "audio": 1} and off[1]["cached"]
    assert off[0]["ingested"] == len(rows)
    for on in (results["1", "0"], results["1", "1"], results["0", "1"]):
        assert on[0] == off[0] and on[1] == off[1]
        _same_points(off, on)


def _same_points(off: tuple, on: tuple) -> None:
    for want, got in ((off[2], on[2]), (off[3], on[3])):
        assert want.keys() == got.keys()
        for tid, p in want.items():
            q = got[tid]
            assert {k: v for k, v in p.payload.items() if k not in TIMING_FIELDS} == {
                k: v for k, v in q.payload.items() if k not in TIMING_FIELDS
            }
            assert p.vectors.keys() == q.vectors.keys()
            for name in p.vectors:
                np.testing.assert_allclose(q.vectors[name], p.vectors[name], atol=1e-6)


def test_precomputed_overlap_on_and_off_store_the_same(tmp_path, monkeypatch):
    from recsys.catalog.sample.fairouz_like import write_catalog

    write_catalog(tmp_path / "fz", 300, seed=5)
    results = {}
    for overlap in ("0", "1"):
        monkeypatch.setenv(OVERLAP_ENV, overlap)
        store = tmp_path / f"store-{overlap}"
        cat = read_catalog(tmp_path / "fz", precomputed=True, cover_cache=None)
        backend = open_backend(store)
        try:
            report = ingest_catalog(cat, backend, IngestOptions(collection="c", precomputed=True, batch_size=64))
        finally:
            backend.close()
        results[overlap] = (comparable(report), points(store))
    (off, off_points), (on, on_points) = results["0"], results["1"]
    assert on == off and off["ingested"] == 300 and off["vectors"]["fused"] == 300
    # a zero row is a missing modality: left out, not stored
    published = read_catalog(tmp_path / "fz", precomputed=True, cover_cache=None).precomputed
    for m in ("text", "image", "audio", "graph"):
        assert off["vectors"][m] == int(np.any(np.asarray(published[m]) != 0, axis=1).sum())
    assert off["vectors"]["text"] < 300
    assert on_points.keys() == off_points.keys()
    for tid, p in off_points.items():
        assert p.vectors.keys() == on_points[tid].vectors.keys()
        for name in p.vectors:
            np.testing.assert_array_equal(on_points[tid].vectors[name], p.vectors[name])
