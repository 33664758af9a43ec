"""The remote store's big writes and server options, without a server: qdrant-client's
":memory:" mode stands in for Qdrant, and a wrapper around its client injects failures.

Batched parallel upsert (batches by points and bytes, a few in flight, each retried on its
own, one error naming what was written), the per-vector index options (no HNSW, int8 with
rescoring) as they reach qdrant-client, and gRPC (the client's arguments, and the errors of a
gRPC port that refuses connections: the only gRPC transport there is here).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

import grpc
import numpy as np
import pytest
from qdrant_client import models
from qdrant_client.http.exceptions import UnexpectedResponse

from recsys.errors import NotFoundError, StoreError
from recsys.store import CollectionSpec, PointRecord, VectorIndex, open_backend
from recsys.store.ids import point_id
from recsys.store.remote import RemoteBackend, _batches

NAME = "tracks"
DIMS = {"audio": 8, "image": 4}
KEY = "sk-test-1c9e4b7a2f6d3085"


def catalog(n: int, seed: int = 0) -> list[PointRecord]:
    rng = np.random.default_rng(seed)
    return [
        PointRecord(
            track_id=f"t{i:05d}",
            vectors={
                "audio": rng.normal(size=8).astype(np.float32),
                "image": rng.normal(size=4).astype(np.float32),
            },
            payload={"title": f"song {i}", "artist": f"artist {i % 9}", "year": 1970 + i % 50},
        )
        for i in range(n)
    ]


def backend(**kw: Any) -> RemoteBackend:
    b = RemoteBackend(":memory:", **kw)
    b.create_collection(CollectionSpec(NAME, dict(DIMS)))
    return b


def unavailable() -> UnexpectedResponse:
    return UnexpectedResponse(503, "Service Unavailable", b'{"status": {"error": "overloaded"}}', None)


class Faulty:
    """Wraps the client's ``upsert``: records each call (thread, first point id, size, how many
    ran at once) and fails the calls ``fail(first_id, attempt)`` says should fail."""

    def __init__(self, b: RemoteBackend, fail=lambda first, attempt: None, pause_s: float = 0.0) -> None:
        self.real = b._client.upsert
        self.fail = fail
        self.pause_s = pause_s
        self.calls: list[tuple[str, str, int]] = []
        self.attempts: dict[str, int] = {}
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()
        # the backend's own turn-taking would hide how many requests are in flight: this
        # wrapper takes over (it serialises the real local-mode call itself)
        b._turns = contextlib.nullcontext()
        b._client.upsert = self

    def __call__(self, name: str, points: list, wait: bool = True, **kw: Any) -> Any:
        first = str(points[0].id)
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.attempts[first] = self.attempts.get(first, 0) + 1
            attempt = self.attempts[first]
            self.calls.append((threading.current_thread().name, first, len(points)))
        try:
            time.sleep(self.pause_s)  # a request's round trip, so requests overlap
            exc = self.fail(first, attempt)
            if exc is not None:
                raise exc
            with self.lock:
                return self.real(name, points=points, wait=wait, **kw)
        finally:
            with self.lock:
                self.running -= 1


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr("recsys.store.remote.RETRY_BACKOFF_S", 0.01)
    for var in ("RECSYS_QDRANT_GRPC", "RECSYS_QDRANT_GRPC_PORT", "RECSYS_QDRANT_TIMEOUT"):
        monkeypatch.delenv(var, raising=False)


# --- batches --------------------------------------------------------------------------------


def test_batches_end_at_the_point_count_or_the_byte_budget() -> None:
    assert _batches([], 3, 100) == []
    assert _batches([10] * 7, 3, 1000) == [(0, 3), (3, 6), (6, 7)]
    assert _batches([40, 40, 40, 40], 10, 100) == [(0, 2), (2, 4)]
    # a point over the budget travels alone rather than being refused here
    assert _batches([10, 500, 10], 10, 100) == [(0, 1), (1, 2), (2, 3)]


def test_a_big_upsert_goes_out_in_parallel_batches_and_every_point_is_there() -> None:
    b = backend(batch_points=50, parallel=4)
    faulty = Faulty(b, pause_s=0.02)
    points = catalog(430)
    b.upsert(NAME, points)
    assert b.count(NAME) == 430
    assert sorted(n for _, _, n in faulty.calls) == [30] + [50] * 8
    assert len({thread for thread, _, _ in faulty.calls}) > 1
    assert 2 <= faulty.peak <= 4, faulty.peak  # several in flight, never more than asked
    got = {r.track_id: r for r in b.retrieve(NAME, [p.track_id for p in points[::37]])}
    for p in points[::37]:
        unit = p.vectors["audio"] / np.linalg.norm(p.vectors["audio"])
        np.testing.assert_allclose(got[p.track_id].vectors["audio"], unit, rtol=1e-5)
        assert got[p.track_id].payload["title"] == p.payload["title"]


def test_the_byte_budget_cuts_batches_of_wide_payloads() -> None:
    b = backend(batch_points=1000, batch_bytes=20_000, parallel=3)
    faulty = Faulty(b)
    points = [
        PointRecord(p.track_id, p.vectors, {**p.payload, "lyrics": "la " * 2000}) for p in catalog(20)
    ]  # ~6 kB of payload each: 3 a batch
    b.upsert(NAME, points)
    assert b.count(NAME) == 20
    assert max(n for _, _, n in faulty.calls) == 3 and sum(n for _, _, n in faulty.calls) == 20


def test_a_track_given_twice_keeps_its_last_version_as_in_order() -> None:
    b = backend(batch_points=2, parallel=4)
    points = catalog(9)
    newer = PointRecord("t00001", points[1].vectors, {"title": "newer"})
    b.upsert(NAME, [points[1]] + points + [newer])
    assert b.count(NAME) == 9
    assert b.retrieve(NAME, ["t00001"])[0].payload["title"] == "newer"


def test_a_bad_point_anywhere_writes_nothing() -> None:
    b = backend(batch_points=5, parallel=4)
    points = catalog(40)
    points[33] = PointRecord("bad", {"audio": np.zeros(8, dtype=np.float32)}, {})
    with pytest.raises(StoreError, match="all zeros"):
        b.upsert(NAME, points)
    assert b.count(NAME) == 0


# --- failures -------------------------------------------------------------------------------


def test_a_batch_that_fails_twice_is_retried_and_nothing_is_lost() -> None:
    points = catalog(200)
    unlucky = point_id(points[100].track_id)
    b = backend(batch_points=50, parallel=4)
    faulty = Faulty(b, fail=lambda first, attempt: unavailable() if first == unlucky and attempt <= 2 else None)
    b.upsert(NAME, points)
    assert faulty.attempts[unlucky] == 3
    assert all(n == 1 for first, n in faulty.attempts.items() if first != unlucky)
    assert b.count(NAME) == 200


def test_a_batch_that_keeps_failing_is_one_error_naming_what_was_written() -> None:
    points = catalog(200)
    unlucky = point_id(points[150].track_id)  # the last batch: every other one gets written
    b = backend(batch_points=50, parallel=2)
    faulty = Faulty(b, fail=lambda first, attempt: unavailable() if first == unlucky else None)
    with pytest.raises(StoreError) as info:
        b.upsert(NAME, points)
    msg = str(info.value)
    assert "\n" not in msg and "HTTP 503: overloaded (3 tries over" in msg, msg
    assert "150 of 200 points were written" in msg, msg
    assert faulty.attempts[unlucky] == 3
    assert b.count(NAME) == 150  # what the message says, nothing more or less


def test_after_a_failed_batch_no_new_batch_starts_and_the_count_told_is_the_count_stored() -> None:
    points = catalog(500)
    unlucky = point_id(points[100].track_id)  # batch 3 of 10
    b = backend(batch_points=50, parallel=2)
    # each request takes 0.1 s, so batches 3 and 4 are in flight together
    faulty = Faulty(
        b, fail=lambda first, attempt: StoreError("no space left") if first == unlucky else None, pause_s=0.1
    )
    with pytest.raises(StoreError, match=r"no space left; \d+ of 500 points were written") as info:
        b.upsert(NAME, points)
    written = int(str(info.value).split("; ")[1].split()[0])
    assert b.count(NAME) == written < 500
    started = {first for _, first, _ in faulty.calls}
    # the batches in flight when it failed, and the one that may take batch 4's place in the
    # moment before batch 3's failure is seen: batches 1-5 of 10, never the later ones
    assert started <= {point_id(points[i].track_id) for i in range(0, 250, 50)}, started


def test_no_new_batch_starts_when_the_server_is_gone() -> None:
    points = catalog(400)
    b = backend(batch_points=50, parallel=4)
    faulty = Faulty(b, fail=lambda first, attempt: unavailable())
    t0 = time.monotonic()
    with pytest.raises(StoreError, match="0 of 400 points were written"):
        b.upsert(NAME, points)
    assert time.monotonic() - t0 < 5
    assert len(faulty.attempts) == 4  # only the first four batches were ever sent
    assert b.count(NAME) == 0


def test_batches_in_flight_stop_retrying_once_one_has_failed(monkeypatch) -> None:
    monkeypatch.setattr("recsys.store.remote.RETRY_BACKOFF_S", 0.3)
    points = catalog(200)
    broken = point_id(points[0].track_id)

    def fail(first: str, attempt: int) -> Exception:
        if first == broken:  # refused for good at once
            return UnexpectedResponse(400, "Bad Request", b'{"status": {"error": "bad batch"}}', None)
        return unavailable()  # the others would be tried 3 times over ~0.9 s

    b = backend(batch_points=50, parallel=4)
    faulty = Faulty(b, fail=fail, pause_s=0.02)
    with pytest.raises(StoreError, match=r"HTTP 400: bad batch; 0 of 200 points were written"):
        b.upsert(NAME, points)
    assert faulty.attempts[broken] == 1
    assert len(faulty.attempts) == 4 and max(faulty.attempts.values()) <= 2, faulty.attempts


def test_a_collection_deleted_under_an_upload_is_a_not_found_error() -> None:
    b = backend(batch_points=10, parallel=2)

    def gone(first: str, attempt: int) -> Exception:
        return UnexpectedResponse(404, "Not Found", b'{"status": {"error": "Collection tracks not found"}}', None)

    Faulty(b, fail=gone)
    with pytest.raises(NotFoundError, match="0 of 30 points were written"):
        b.upsert(NAME, catalog(30))


# --- index options --------------------------------------------------------------------------


def test_index_options_reach_the_collection_and_come_back() -> None:
    b = RemoteBackend(":memory:")
    indexes = {"audio": VectorIndex(hnsw=False), "image": VectorIndex(int8=True)}
    spec = CollectionSpec(NAME, dict(DIMS), {"p": 1}, indexes=indexes)
    b.create_collection(spec)
    vectors = b._client.get_collection(NAME).config.params.vectors
    assert vectors["audio"].hnsw_config.m == 0 and vectors["audio"].quantization_config is None
    quant = vectors["image"].quantization_config.scalar
    assert quant.type == models.ScalarType.INT8 and quant.always_ram and quant.quantile == 0.99
    assert vectors["image"].on_disk is True and vectors["image"].hnsw_config is None
    assert b.get_spec(NAME) == spec
    other = RemoteBackend(":memory:")  # a fresh backend reads them from the collection itself
    other._client = b._client
    assert other.get_spec(NAME).indexes == indexes


def test_index_options_for_an_unknown_vector_are_refused() -> None:
    b = RemoteBackend(":memory:")
    with pytest.raises(StoreError, match="unknown vectors lyrics"):
        b.create_collection(CollectionSpec(NAME, dict(DIMS), indexes={"lyrics": VectorIndex(int8=True)}))
    assert not b.collection_exists(NAME)


def test_a_search_on_an_int8_vector_asks_the_server_to_rescore() -> None:
    b = RemoteBackend(":memory:")
    b.create_collection(CollectionSpec(NAME, dict(DIMS), indexes={"image": VectorIndex(int8=True)}))
    b.upsert(NAME, catalog(20))
    seen: list[Any] = []
    real = b._client.query_points

    def query_points(*args: Any, search_params: Any = None, **kw: Any) -> Any:
        seen.append(search_params)
        return real(*args, **kw)  # local mode searches exactly and warns about search params

    b._client.query_points = query_points
    b._local = False  # as against a server
    q = np.ones(4, dtype=np.float32)
    hits = b.search(NAME, q, "image", limit=5)
    b.search(NAME, np.ones(8, dtype=np.float32), "audio", limit=5)
    b.mmr(NAME, q, "image", limit=3, diversity=0.5, candidates_limit=10)
    assert len(hits) == 5
    rescore = models.SearchParams(quantization=models.QuantizationSearchParams(rescore=True, oversampling=2.0))
    assert seen == [rescore, None, rescore]


# --- gRPC -----------------------------------------------------------------------------------


class Recorder:
    """Stands in for QdrantClient: records how it was made."""

    made: list[dict[str, Any]] = []

    def __init__(self, *args: Any, **kw: Any) -> None:
        Recorder.made.append(dict(kw, args=args))

    def close(self) -> None:
        pass


@pytest.fixture
def recorder(monkeypatch):
    Recorder.made = []
    monkeypatch.setattr("recsys.store.remote.QdrantClient", Recorder)
    return Recorder.made


def test_http_is_the_default(recorder) -> None:
    open_backend("http://db:6333", api_key=KEY)
    assert recorder[-1]["url"] == "http://db:6333" and recorder[-1]["prefer_grpc"] is False


@pytest.mark.parametrize("value", ["1", "true", "YES"])
def test_recsys_qdrant_grpc_makes_the_client_prefer_grpc(recorder, monkeypatch, value) -> None:
    monkeypatch.setenv("RECSYS_QDRANT_GRPC", value)
    open_backend("https://db.example:6333", api_key=KEY)
    made = recorder[-1]
    assert made["prefer_grpc"] is True and made["grpc_port"] == 6334
    assert made["url"] == "https://db.example:6333" and made["api_key"] == KEY
    monkeypatch.setenv("RECSYS_QDRANT_GRPC_PORT", "7334")
    open_backend("http://db:6333")
    assert recorder[-1]["grpc_port"] == 7334
    RemoteBackend("http://db:6333", prefer_grpc=False)  # an argument wins over the variable
    assert recorder[-1]["prefer_grpc"] is False


@pytest.mark.parametrize(
    "var, value, message",
    [
        ("RECSYS_QDRANT_GRPC", "maybe", "RECSYS_QDRANT_GRPC must be 1 (use gRPC) or 0 (HTTP), got 'maybe'"),
        ("RECSYS_QDRANT_GRPC_PORT", "70000", "RECSYS_QDRANT_GRPC_PORT must be a port number, got '70000'"),
    ],
)
def test_a_bad_grpc_setting_is_one_line(recorder, monkeypatch, var, value, message) -> None:
    monkeypatch.setenv("RECSYS_QDRANT_GRPC", "1")
    monkeypatch.setenv(var, value)
    with pytest.raises(StoreError) as info:
        open_backend("http://db:6333")
    assert str(info.value) == message
    open_backend(":memory:")  # no transport: the variables do not matter


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_grpc_port_that_refuses_is_one_line_after_retries() -> None:
    port = _free_port()
    b = RemoteBackend("http://127.0.0.1:1", api_key=KEY, prefer_grpc=True, grpc_port=port)
    t0 = time.monotonic()
    with pytest.raises(StoreError) as info:
        b.list_collections()
    msg = str(info.value)
    assert msg.startswith(
        f"cannot reach Qdrant's gRPC port {port} at http://127.0.0.1:1: connection refused (3 tries over"
    ), msg
    assert "\n" not in msg and KEY not in msg and time.monotonic() - t0 < 5


class FakeRpcError(grpc.RpcError):
    def __init__(self, code: grpc.StatusCode, details: str) -> None:
        self._code, self._details = code, details

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details


def test_grpc_errors_are_retried_or_named_like_http_ones() -> None:
    b = RemoteBackend("http://127.0.0.1:1", api_key=KEY, prefer_grpc=True)
    tries = []

    def busy_twice() -> str:
        tries.append(1)
        if len(tries) <= 2:
            raise FakeRpcError(grpc.StatusCode.RESOURCE_EXHAUSTED, "too many requests")
        return "ok"

    assert b._call(busy_twice, NAME) == "ok" and len(tries) == 3

    def raiser(code: grpc.StatusCode, details: str):
        def fn() -> None:
            raise FakeRpcError(code, details)

        return fn

    with pytest.raises(NotFoundError, match="not found"):
        b._call(raiser(grpc.StatusCode.NOT_FOUND, "Collection `x` doesn't exist!"), "x")
    refused = r"refused the request \(gRPC UNAUTHENTICATED\); check the API key"
    with pytest.raises(StoreError, match=refused) as info:
        b._call(raiser(grpc.StatusCode.UNAUTHENTICATED, f"bad key {KEY}"))
    assert KEY not in str(info.value)
    with pytest.raises(StoreError, match=r"answered gRPC INVALID_ARGUMENT: Wrong input: dim$"):
        b._call(raiser(grpc.StatusCode.INVALID_ARGUMENT, "Wrong input:\n dim"), NAME)
    tries.clear()

    def unavailable_after_sending() -> None:
        tries.append(1)
        raise FakeRpcError(grpc.StatusCode.UNAVAILABLE, "Socket closed")

    # a create is not idempotent: once it may have reached the server it is not sent again
    with pytest.raises(StoreError, match="answered gRPC UNAVAILABLE: Socket closed"):
        b._call(unavailable_after_sending, NAME, retry=False)
    assert len(tries) == 1


def test_a_grpc_url_is_refused_with_the_way_to_grpc() -> None:
    with pytest.raises(StoreError) as info:
        open_backend("grpc://db:6334")
    assert "is not a store location" in str(info.value)
    assert "set RECSYS_QDRANT_GRPC=1" in str(info.value)
