"""Each modality's encoder in a thread of its own (ingest.lanes): on where an encoder runs on
cuda (or with RECSYS_ENCODE_LANES=1), the three encoders of a chunk then run at the same time;
a failing lane stops the job like a failing encoder did, and leaves no thread behind. That
lanes store and report the same as no lanes is in test_ingest_overlap.py."""

from __future__ import annotations

import threading
from typing import Callable

import numpy as np
import pytest

from ingest.lanes import LANES_ENV, EncoderLanes, lanes_enabled
from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.encoders import EncoderSpec, register_encoder
from recsys.store import open_backend
from tests.support.tiny_encoders import AUDIO_DIM, IMAGE_DIM, TEXT_DIM, BandEnergyEncoder, ColourGridEncoder, HashedWordsEncoder

BATCH = 8
MODALITIES = ("text", "image", "audio")


@pytest.mark.parametrize(
    "value, devices, on",
    [
        ("", ["cpu", "cpu"], False),
        ("", ["cpu", "cuda:0"], True),
        ("", ["cuda"], True),
        ("", ["mps"], False),
        ("1", ["cpu"], True),
        (" On ", ["cpu"], True),
        ("0", ["cuda"], False),
        ("off", ["cuda"], False),
    ],
)
def test_lanes_are_on_for_cuda_unless_the_variable_says(monkeypatch, value, devices, on):
    monkeypatch.setenv(LANES_ENV, value)
    assert lanes_enabled(devices) is on


def test_a_lane_opens_and_closes_its_cache_in_its_own_thread():
    seen: list[tuple[str, str]] = []

    class Cache:
        def __init__(self, modality):
            self.modality = modality
            seen.append(("open", threading.current_thread().name))

        def close(self):
            seen.append(("close", threading.current_thread().name))

    with EncoderLanes(["text", "audio"], Cache) as lanes:
        got = [lanes.submit(m, lambda cache: (cache.modality, threading.current_thread().name)).result() for m in ("text", "audio", "text")]
    assert [m for m, _ in got] == ["text", "audio", "text"]
    assert got[0][1] == got[2][1] != got[1][1]
    assert sorted(seen) == sorted([("open", got[0][1]), ("open", got[1][1]), ("close", got[0][1]), ("close", got[1][1])])
    with pytest.raises(RuntimeError, match="closed"):
        lanes.submit("text", lambda cache: None)


class FakeStreams:
    """torch.cuda's streams as this CPU-only torch cannot make them: each Stream notes the
    streams it waited for, and ``torch.cuda.stream(s)`` makes ``s`` the thread's current one."""

    def __init__(self) -> None:
        self.default = self.Stream(self, "default")
        self.local = threading.local()
        self.made: list[FakeStreams.Stream] = []

    class Stream:
        def __init__(self, owner: "FakeStreams", device: str) -> None:
            self.device = device
            self.waited = 0
            self.owner = owner

        def wait_stream(self, other: "FakeStreams.Stream") -> None:
            assert other is self.owner.default
            self.waited += 1

    def current(self) -> "FakeStreams.Stream":
        return getattr(self.local, "stream", self.default)

    def install(self, monkeypatch) -> "FakeStreams":
        import contextlib

        import torch

        def make(device=None):
            stream = self.Stream(self, device)
            self.made.append(stream)
            return stream

        @contextlib.contextmanager
        def use(stream):
            before = self.current()
            self.local.stream = stream
            try:
                yield
            finally:
                self.local.stream = before

        monkeypatch.setattr(torch.cuda, "Stream", make)
        monkeypatch.setattr(torch.cuda, "default_stream", lambda device=None: self.default)
        monkeypatch.setattr(torch.cuda, "stream", use)
        return self


@pytest.fixture(autouse=True)
def cuda_streams(monkeypatch) -> FakeStreams:
    """Encoders here may say they run on cuda: their lanes then make CUDA streams."""
    return FakeStreams().install(monkeypatch)


class Meeting:
    """Encoders that note their thread and, optionally, meet at a barrier: with three parties,
    each encode returns only once all three modalities are encoding at the same time."""

    current_stream: Callable[[], object] = staticmethod(lambda: None)

    def __init__(self, parties: int | None, fail_audio_at: int | None = None, error: Exception | None = None):
        self.barrier = threading.Barrier(parties, timeout=20) if parties else None
        self.fail_audio_at = fail_audio_at
        self.error = error or RuntimeError("the audio model broke")
        self.threads: dict[str, set[str]] = {m: set() for m in MODALITIES}
        self.calls = dict.fromkeys(MODALITIES, 0)
        self.streams: dict[str, list] = {m: [] for m in MODALITIES}  # the current CUDA stream of each call

    def wrap(self, modality: str, inner, device: str):
        meeting = self

        class Encoder(type(inner)):
            def encode(self, items):
                meeting.threads[modality].add(threading.current_thread().name)
                meeting.streams[modality].append(meeting.current_stream())
                meeting.calls[modality] += 1
                if meeting.barrier is not None:
                    meeting.barrier.wait()
                if modality == "audio" and meeting.calls["audio"] == meeting.fail_audio_at:
                    raise meeting.error
                return super().encode(items)

        encoder = Encoder.__new__(Encoder)
        encoder.__dict__.update(inner.__dict__)
        encoder.device = device  # what the pipeline reads to choose lanes
        return encoder

    def register(self, device: str = "cpu") -> dict[str, str]:
        makers = {
            "text": (HashedWordsEncoder, TEXT_DIM),
            "image": (ColourGridEncoder, IMAGE_DIM),
            "audio": (BandEnergyEncoder, AUDIO_DIM),
        }
        names = {}
        for m, (make, dim) in makers.items():
            name = f"lanes-test-{m}-{id(self)}"  # loaded encoders are kept by name: this test's own
            register_encoder(
                EncoderSpec(name, m, f"lanes-test-{m}", dim, lambda s, d, b, m=m, make=make: self.wrap(m, make(s.name), device)),
                replace=True,
            )
            names[f"{m}_encoder"] = name
        return names


def run(catalog, store, names: dict[str, str], **kw):
    cat = read_catalog(catalog, cover_cache=store.parent / "covers")
    backend = open_backend(store)
    try:
        return ingest_catalog(cat, backend, IngestOptions(collection="c", batch_size=BATCH, **names, **kw))
    finally:
        backend.close()


def lane_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("recsys-encode-")]


def test_on_cuda_the_three_encoders_of_a_chunk_run_at_once(sample_catalog, tmp_path, monkeypatch, cuda_streams):
    monkeypatch.delenv(LANES_ENV, raising=False)
    meeting = Meeting(parties=3)  # would time out (BrokenBarrierError) if they ran in turn
    meeting.current_stream = cuda_streams.current
    # encoders that say they run on cuda (they compute on the CPU: the choice is what is tested)
    report = run(sample_catalog, tmp_path / "store", meeting.register(device="cuda:0"), cache_dir=tmp_path / "cache")
    assert report.ingested > BATCH and not report.problems
    for m in MODALITIES:
        assert meeting.threads[m] == {f"recsys-encode-{m}_0"}
    assert not lane_threads()
    # each lane queued its kernels on a stream of its own, made once on the encoder's device,
    # after what the default stream held (the models' weights) at each of its batches
    per_lane = {m: {id(s) for s in meeting.streams[m]} for m in MODALITIES}
    assert all(len(ids) == 1 for ids in per_lane.values())
    assert len(set().union(*per_lane.values())) == 3 and len(cuda_streams.made) == 3
    for m in MODALITIES:
        stream = meeting.streams[m][0]
        assert stream is not cuda_streams.default and stream.device == "cuda:0"
        assert stream.waited > 0 and meeting.calls[m] > 0


def test_on_the_cpu_the_encoders_run_in_turn_in_the_jobs_thread(sample_catalog, tmp_path, monkeypatch):
    monkeypatch.delenv(LANES_ENV, raising=False)
    meeting = Meeting(parties=None)
    report = run(sample_catalog, tmp_path / "store", meeting.register(device="cpu"))
    assert report.ingested > BATCH
    for m in MODALITIES:
        assert meeting.threads[m] == {threading.current_thread().name}


def test_a_failing_lane_stops_the_job_keeps_the_chunks_before_and_leaves_no_thread(sample_catalog, tmp_path, monkeypatch, cuda_streams):
    monkeypatch.setenv(LANES_ENV, "1")
    meeting = Meeting(parties=None, fail_audio_at=2)
    names = meeting.register()
    with pytest.raises(RuntimeError, match="the audio model broke"):
        run(sample_catalog, tmp_path / "store", names, cache_dir=tmp_path / "cache")
    assert not lane_threads()
    assert not cuda_streams.made  # lanes on the CPU: no CUDA stream
    backend = open_backend(tmp_path / "store")
    try:
        stored = {p.track_id: p for p in backend.scroll("c", with_vectors=True)}
    finally:
        backend.close()
    assert len(stored) == BATCH  # the first chunk, whole; nothing of the second
    assert all({"text", "image", "audio"} <= p.vectors.keys() for p in stored.values())
    # the next run (the model fixed) takes the rest; the lanes' caches were closed and kept
    meeting.fail_audio_at = None
    again = run(sample_catalog, tmp_path / "store", names, cache_dir=tmp_path / "cache")
    assert again.unchanged == BATCH and again.ingested > 0 and again.cached
    assert not lane_threads()
    assert np.isfinite(np.stack([p.vectors["audio"] for p in stored.values()])).all()


class OutOfMemoryError(RuntimeError):
    """What torch raises when a CUDA allocation fails (torch.OutOfMemoryError), by its name."""


@pytest.mark.parametrize("lanes", ["0", "1"])
@pytest.mark.parametrize(
    "error",
    [
        OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 7.6 GiB\nmore"),
        RuntimeError("MPS backend out of memory (MPS allocated: 9.1 GB)"),
        # a lane's first matrix product makes its cuBLAS handle, after another lane took the memory
        RuntimeError("CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"),
    ],
)
def test_a_model_out_of_gpu_memory_is_one_line_that_says_what_to_do(sample_catalog, tmp_path, monkeypatch, lanes, error):
    from recsys.errors import EncoderError

    monkeypatch.setenv(LANES_ENV, lanes)
    meeting = Meeting(parties=None, fail_audio_at=1, error=error)
    names = meeting.register(device="cuda:0")
    with pytest.raises(EncoderError) as info:
        run(sample_catalog, tmp_path / "store", names)
    message = str(info.value)
    assert "\n" not in message and "ran out of memory on cuda:0 with a batch of" in message
    assert "--batch-size" in message and f"{LANES_ENV}=0" in message and names["audio_encoder"] in message
    assert not lane_threads()


def test_other_runtime_errors_of_a_model_are_not_taken_for_memory(sample_catalog, tmp_path, monkeypatch):
    monkeypatch.setenv(LANES_ENV, "0")
    meeting = Meeting(parties=None, fail_audio_at=1, error=RuntimeError("expected scalar type Half but found Float"))
    with pytest.raises(RuntimeError, match="expected scalar type Half"):
        run(sample_catalog, tmp_path / "store", meeting.register())
