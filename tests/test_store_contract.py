"""One contract suite for every StoreBackend, plus an Edge-vs-qdrant-client congruence test.

Edge runs in tmp_path; the remote backend runs qdrant-client's ":memory:" mode, so the suite
needs no server. Dims are tiny (audio 8, image 4) to keep it fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

from recsys.errors import NotFoundError, RecsysError, StoreError, StoreInUseError
from recsys.store import (
    CollectionSpec,
    EdgeBackend,
    PointRecord,
    QueryFilter,
    RemoteBackend,
    StoreBackend,
    VectorIndex,
    open_backend,
)

REPO = Path(__file__).resolve().parents[1]
DIMS = {"audio": 8, "image": 4}
NAME = "tracks"


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def e(i: int, dim: int = 8) -> np.ndarray:
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1.0
    return v


def make_backend(kind: str, tmp_path: Path) -> StoreBackend:
    if kind == "edge":
        return EdgeBackend(tmp_path / "store")
    if kind == "served":  # Edge through `recsys serve`'s store calls (tests/test_serve_cli.py)
        pytest.importorskip("fastapi")
        from tests.test_serve_cli import served_over

        return served_over(tmp_path / "store")
    return RemoteBackend(":memory:")


# Every backend the contract runs on; a new backend is added here (docs/architecture.md).
BACKEND_KINDS = ("edge", "remote", "served")


@pytest.fixture(params=BACKEND_KINDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreBackend]:
    b = make_backend(request.param, tmp_path)
    yield b
    b.close()


def create(b: StoreBackend, name: str = NAME, metadata: dict | None = None) -> CollectionSpec:
    spec = CollectionSpec(name=name, vectors=dict(DIMS), metadata=metadata or {})
    b.create_collection(spec)
    return spec


def random_catalog(n: int, seed: int) -> list[PointRecord]:
    """Random tracks; about a third lack the image vector, some lack a year."""
    rng = np.random.default_rng(seed)
    artists = ["ann", "bob", "cat", "dan", "eve"]
    genres = ["rock", "jazz", "pop", "folk"]
    points = []
    for i in range(n):
        vectors = {"audio": rng.normal(size=8).astype(np.float32)}
        if i % 3:
            vectors["image"] = rng.normal(size=4).astype(np.float32)
        k = int(rng.integers(0, 3))
        payload = {
            "title": f"song {i}",
            "artist": artists[i % len(artists)],
            "album": f"album {i % 7}",
            "genres": sorted(rng.choice(genres, size=k, replace=False).tolist()),
            "year": None if i % 11 == 0 else int(rng.integers(1970, 2021)),
        }
        if i % 5:  # a DJ's tempo and key, only where tagged (TrackRecord.payload)
            payload["bpm"] = 100.0 + (i * 7) % 60 + (0.5 if i % 2 else 0.0)
        if i % 4:
            payload["key"] = f"{i % 12 + 1}{'AB'[i // 12 % 2]}"
        points.append(PointRecord(track_id=f"t{i:03d}", vectors=vectors, payload=payload))
    return points


def expected_ids(
    points: list[PointRecord], q: np.ndarray, using: str, flt: QueryFilter | None
) -> list[str]:
    """Brute-force reference: ids ranked by cosine, QueryFilter applied by hand."""
    flt = flt or QueryFilter()
    scored = []
    for p in points:
        if using not in p.vectors:
            continue
        pl = p.payload
        if flt.genres and not set(flt.genres) & set(pl.get("genres") or []):
            continue
        if flt.artists and pl.get("artist") not in flt.artists:
            continue
        if pl.get("artist") in flt.exclude_artists or p.track_id in flt.exclude_track_ids:
            continue
        year = pl.get("year")
        if flt.year_min is not None and (year is None or year < flt.year_min):
            continue
        if flt.year_max is not None and (year is None or year > flt.year_max):
            continue
        bpm = pl.get("bpm")
        if flt.bpm_min is not None and (bpm is None or bpm < flt.bpm_min):
            continue
        if flt.bpm_max is not None and (bpm is None or bpm > flt.bpm_max):
            continue
        if flt.keys and pl.get("key") not in flt.keys:
            continue
        scored.append((float(unit(p.vectors[using]) @ unit(q)), p.track_id))
    scored.sort(reverse=True)
    return [t for _, t in scored]


FILTERS = [
    None,
    QueryFilter(genres=("rock", "jazz")),
    QueryFilter(artists=("ann", "cat")),
    QueryFilter(exclude_artists=("bob",)),
    QueryFilter(exclude_track_ids=("t001", "t002", "t004", "t005")),
    QueryFilter(year_min=1990),
    QueryFilter(year_max=1995),
    QueryFilter(year_min=1980, year_max=2000),
    QueryFilter(genres=("pop",), exclude_artists=("eve",), year_min=1975),
    QueryFilter(bpm_min=120.0, bpm_max=130.5),
    QueryFilter(bpm_min=127.5, bpm_max=128.5),
    QueryFilter(bpm_max=110),
    QueryFilter(keys=("8A", "9A", "7A", "8B")),
    QueryFilter(keys=("1B",), bpm_min=100.0),
]


# --- collections and spec -------------------------------------------------------------------


def test_collection_lifecycle(backend: StoreBackend) -> None:
    assert backend.list_collections() == []
    assert not backend.collection_exists(NAME)
    create(backend)
    create(backend, "other")
    assert backend.collection_exists(NAME)
    assert backend.list_collections() == ["other", NAME]
    with pytest.raises(StoreError, match="already exists"):
        create(backend)
    backend.delete_collection("other")
    assert backend.list_collections() == [NAME]
    assert not backend.collection_exists("other")
    with pytest.raises(NotFoundError):
        backend.delete_collection("other")
    with pytest.raises(NotFoundError):
        backend.get_spec("other")
    with pytest.raises(StoreError, match="invalid collection name"):
        create(backend, "../escape")
    assert not backend.collection_exists("../escape")
    # a deleted name can be created again
    create(backend, "other")
    assert backend.count("other") == 0


def test_spec_and_metadata_round_trip(backend: StoreBackend, tmp_path: Path) -> None:
    meta = {"encoders": {"audio": {"name": "clap", "dim": 8}}, "profile": "cpu", "w": [0.5, 1.0]}
    spec = CollectionSpec(NAME, dict(DIMS), meta, shard_number=2, replication_factor=1)
    backend.create_collection(spec)
    assert backend.get_spec(NAME) == spec
    backend.set_metadata(NAME, {"fusion": "rrf"})
    got = backend.get_spec(NAME)
    assert got.metadata == {"fusion": "rrf"}  # replaced, not merged
    assert got.vectors == DIMS
    if isinstance(backend, EdgeBackend):
        backend.upsert(NAME, random_catalog(5, seed=1))
        backend.close()
        reopened = EdgeBackend(tmp_path / "store")
        try:
            assert reopened.get_spec(NAME) == CollectionSpec(
                NAME, dict(DIMS), {"fusion": "rrf"}, shard_number=2, replication_factor=1
            )
            assert reopened.count(NAME) == 5
            assert reopened.list_collections() == [NAME]
        finally:
            reopened.close()


#: one vector without an HNSW graph (exact scan), one int8-quantized (rescored with float32)
INDEXES = {"audio": VectorIndex(hnsw=False, half=True), "image": VectorIndex(int8=True)}


def test_index_options_round_trip(backend: StoreBackend, tmp_path: Path) -> None:
    spec = CollectionSpec(NAME, dict(DIMS), {"profile": "cpu"}, indexes=dict(INDEXES))
    backend.create_collection(spec)
    assert backend.get_spec(NAME) == spec
    assert backend.get_spec(NAME).index_of("image") == VectorIndex(hnsw=True, int8=True)
    backend.upsert(NAME, random_catalog(5, seed=1))
    create(backend, "plain")
    assert backend.get_spec("plain").indexes == {}  # the default index is left unnamed
    backend.set_metadata(NAME, {"fusion": "rrf"})
    backend.add_vector(NAME, "fused_v2", 3)  # a vector added later gets the default index
    assert backend.get_spec(NAME).indexes == INDEXES
    backend.drop_vector(NAME, "audio")
    assert backend.get_spec(NAME).indexes == {"image": INDEXES["image"]}
    if isinstance(backend, EdgeBackend):
        backend.close()
        reopened = EdgeBackend(tmp_path / "store")
        try:
            assert reopened.get_spec(NAME).indexes == {"image": INDEXES["image"]}
            assert reopened.count(NAME) == 5
        finally:
            reopened.close()


def test_index_options_for_an_unknown_vector_are_refused(backend: StoreBackend) -> None:
    spec = CollectionSpec(NAME, dict(DIMS), indexes={"lyrics": VectorIndex(int8=True)})
    with pytest.raises(StoreError, match="lyrics"):
        backend.create_collection(spec)
    assert not backend.collection_exists(NAME)


@pytest.mark.parametrize("using", ["audio", "image"])
def test_search_without_hnsw_or_with_int8_is_still_exact(backend: StoreBackend, using: str) -> None:
    """Exact scan (no graph, float16) and int8 with rescoring rank as brute force does, and the
    int8 vector's scores are the float32 cosines (rescored), before and after an optimize;
    the float16 vector's within 1e-3 of them (a server may keep float32: qdrant-client's
    local mode does)."""
    backend.create_collection(CollectionSpec(NAME, dict(DIMS), indexes=dict(INDEXES)))
    points = random_catalog(60, seed=21)
    backend.upsert(NAME, points)
    by_id = {p.track_id: p for p in points}
    rng = np.random.default_rng(5)

    def check() -> None:
        for _ in range(3):
            q = rng.normal(size=DIMS[using]).astype(np.float32)
            hits = backend.search(NAME, q, using, limit=5)
            assert [h.track_id for h in hits] == expected_ids(points, q, using, None)[:5]
            for h in hits:
                exact = float(unit(by_id[h.track_id].vectors[using]) @ unit(q))
                assert h.score == pytest.approx(exact, abs=1e-3 if INDEXES[using].half else 1e-4)

    check()
    if isinstance(backend, EdgeBackend):
        backend.optimize(NAME)  # Edge builds its graphs and quantized vectors only now
        check()


# --- points ---------------------------------------------------------------------------------


def test_upsert_with_missing_vectors(backend: StoreBackend) -> None:
    create(backend)
    points = random_catalog(12, seed=2)
    backend.upsert(NAME, points)
    with_image = {p.track_id for p in points if "image" in p.vectors}
    assert backend.count(NAME) == 12
    assert backend.count(NAME, using="audio") == 12
    assert backend.count(NAME, using="image") == len(with_image) == 8
    hits = backend.search(NAME, np.ones(4), "image", limit=50)
    assert {h.track_id for h in hits} == with_image
    rec = {r.track_id: r for r in backend.retrieve(NAME, [p.track_id for p in points])}
    assert all(("image" in rec[t].vectors) == (t in with_image) for t in rec)
    with pytest.raises(StoreError, match="no vector"):
        backend.count(NAME, using="lyrics")


def test_reupsert_is_idempotent(backend: StoreBackend) -> None:
    create(backend)
    points = random_catalog(10, seed=3)
    backend.upsert(NAME, points)
    backend.upsert(NAME, points)
    assert backend.count(NAME) == 10
    changed = PointRecord("t000", {"audio": e(3)}, {"artist": "zed"})
    backend.upsert(NAME, [changed])
    assert backend.count(NAME) == 10
    [got] = backend.retrieve(NAME, ["t000"])
    assert got.payload["artist"] == "zed" and got.payload["track_id"] == "t000"
    assert set(got.vectors) == {"audio"}  # upsert replaces the whole point


def test_delete_points(backend: StoreBackend) -> None:
    create(backend)
    points = random_catalog(10, seed=6)
    backend.upsert(NAME, points)
    backend.delete_points(NAME, ["t001", "t004", "nope", "t001"])  # unknown and repeated ids are fine
    assert backend.count(NAME) == 8
    left = {r.track_id for r in backend.scroll(NAME)}
    assert left == {p.track_id for p in points} - {"t001", "t004"}
    assert backend.retrieve(NAME, ["t001", "t004"]) == []
    assert {r.track_id for r in backend.search(NAME, e(0), "audio", 20)} == left
    backend.delete_points(NAME, ["t001"])  # again: a no-op
    backend.delete_points(NAME, [])
    assert backend.count(NAME) == 8
    backend.upsert(NAME, [points[1]])  # a deleted id can come back
    assert backend.count(NAME) == 9
    with pytest.raises(StoreError, match="not one string"):
        backend.delete_points(NAME, "t002")
    with pytest.raises(NotFoundError):
        backend.delete_points("absent", ["t000"])


def test_retrieve(backend: StoreBackend) -> None:
    create(backend)
    points = random_catalog(6, seed=4)
    backend.upsert(NAME, points)
    got = backend.retrieve(NAME, ["t001", "t003", "nope"])
    assert sorted(r.track_id for r in got) == ["t001", "t003"]
    by_id = {p.track_id: p for p in points}
    for r in got:
        src = by_id[r.track_id]
        assert set(r.vectors) == set(src.vectors)
        for k, v in src.vectors.items():  # cosine collections store unit vectors
            np.testing.assert_allclose(r.vectors[k], unit(v), atol=1e-5)
        assert r.payload == {**src.payload, "track_id": r.track_id}
    bare = backend.retrieve(NAME, ["t001"], with_vectors=False)
    assert bare[0].vectors == {} and bare[0].payload["title"] == "song 1"
    assert backend.retrieve(NAME, []) == []


def test_scroll_over_several_batches(backend: StoreBackend) -> None:
    create(backend)
    points = random_catalog(23, seed=5)
    backend.upsert(NAME, points)
    seen = list(backend.scroll(NAME, batch_size=5))
    assert sorted(r.track_id for r in seen) == sorted(p.track_id for p in points)
    assert all(r.vectors == {} for r in seen)
    with_vec = list(backend.scroll(NAME, with_vectors=True, batch_size=7))
    assert len(with_vec) == 23 and all("audio" in r.vectors for r in with_vec)
    # using: only points with that vector, and only it
    have_image = {p.track_id for p in points if "image" in p.vectors}
    only = list(backend.scroll(NAME, batch_size=4, using="image"))
    assert {r.track_id for r in only} == have_image and len(only) == len(have_image)
    assert all(set(r.vectors) == {"image"} for r in only)


# --- queries --------------------------------------------------------------------------------


@pytest.mark.parametrize("using", ["audio", "image"])
def test_search_with_each_filter(backend: StoreBackend, using: str) -> None:
    create(backend)
    points = random_catalog(40, seed=6)
    backend.upsert(NAME, points)
    q = np.random.default_rng(7).normal(size=DIMS[using])
    for flt in FILTERS:
        hits = backend.search(NAME, q, using, limit=100, flt=flt)
        assert [h.track_id for h in hits] == expected_ids(points, q, using, flt), flt
        by_id = {p.track_id: p for p in points}
        for h in hits:  # scores are cosine similarities
            ref = float(unit(by_id[h.track_id].vectors[using]) @ unit(q))
            assert h.score == pytest.approx(ref, abs=1e-4)
            assert h.payload["track_id"] == h.track_id
    top = backend.search(NAME, q, using, limit=3, with_vectors=True)
    assert len(top) == 3 and using in top[0].vectors


def test_recommend_negative_pushes_neighbourhood_down(backend: StoreBackend) -> None:
    create(backend)
    rng = np.random.default_rng(8)
    near_a = e(0) + 0.4 * e(1)  # both groups sit close to the positive example e0
    near_b = e(0) + 0.4 * e(2)
    points = [
        PointRecord(f"a{i}", {"audio": near_a + 0.03 * rng.normal(size=8)}, {"artist": "A"})
        for i in range(3)
    ]
    points += [
        PointRecord(f"b{i}", {"audio": near_b + 0.03 * rng.normal(size=8)}, {"artist": "B"})
        for i in range(3)
    ]
    points += [PointRecord(f"c{i}", {"audio": e(3 + i)}, {"artist": "C"}) for i in range(3)]
    backend.upsert(NAME, points)

    plain = backend.recommend(NAME, [e(0)], [], "audio", limit=9)
    assert {h.track_id[0] for h in plain[:6]} == {"a", "b"}
    pushed = backend.recommend(NAME, [e(0)], [near_a], "audio", limit=9)
    order = [h.track_id for h in pushed]
    # with best_score, points closer to a negative than to any positive score below zero
    assert [t[0] for t in order] == ["b"] * 3 + ["c"] * 3 + ["a"] * 3
    assert all(h.score > 0 for h in pushed[:3]) and all(h.score < 0 for h in pushed[6:])
    assert max(h.score for h in pushed[6:]) < min(h.score for h in plain)
    # filters apply to recommend too
    only_a = backend.recommend(NAME, [e(0)], [], "audio", 9, QueryFilter(artists=("A",)))
    assert {h.track_id for h in only_a} == {"a0", "a1", "a2"}
    with pytest.raises(StoreError, match="positive"):
        backend.recommend(NAME, [], [near_a], "audio", limit=3)


def _clustered(rng: np.random.Generator) -> list[PointRecord]:
    """Cluster 0 is the most relevant to e0 and the largest; 1 and 2 are less relevant."""
    centers = [e(0) + 0.3 * e(1), e(0) + 0.6 * e(2), e(0) + 0.6 * e(3)]
    sizes = [10, 5, 5]
    points = []
    for c, (center, size) in enumerate(zip(centers, sizes)):
        for i in range(size):
            v = center + 0.02 * rng.normal(size=8)
            points.append(PointRecord(f"k{c}-{i}", {"audio": v}, {"cluster": c}))
    return points


def _mean_pairwise_similarity(vectors: list[np.ndarray]) -> float:
    m = np.stack([unit(v) for v in vectors])
    sim = m @ m.T
    n = len(vectors)
    return float((sim.sum() - n) / (n * (n - 1)))


def test_mmr_is_more_diverse_than_search(backend: StoreBackend) -> None:
    create(backend)
    points = _clustered(np.random.default_rng(9))
    backend.upsert(NAME, points)
    plain = backend.search(NAME, e(0), "audio", limit=5, with_vectors=True)
    assert {h.payload["cluster"] for h in plain} == {0}
    mmr = backend.mmr(
        NAME, e(0), "audio", limit=5, diversity=0.7, candidates_limit=20, with_vectors=True
    )
    assert len(mmr) == 5 and len({h.track_id for h in mmr}) == 5
    assert {h.payload["cluster"] for h in mmr} == {0, 1, 2}
    assert _mean_pairwise_similarity([h.vectors["audio"] for h in mmr]) < (
        _mean_pairwise_similarity([h.vectors["audio"] for h in plain]) - 0.05
    )
    by_id = {p.track_id: p for p in points}
    for h in mmr:  # MMR re-ranks but reports the plain cosine similarity
        ref = float(unit(by_id[h.track_id].vectors["audio"])[0])
        assert h.score == pytest.approx(ref, abs=1e-4)
    # diversity 0 is plain relevance order
    relevance = backend.mmr(NAME, e(0), "audio", limit=5, diversity=0.0, candidates_limit=20)
    assert [h.track_id for h in relevance] == [h.track_id for h in plain]
    excluded = backend.mmr(
        NAME, e(0), "audio", 5, 0.7, 20, flt=QueryFilter(exclude_track_ids=(mmr[0].track_id,))
    )
    assert mmr[0].track_id not in {h.track_id for h in excluded}
    with pytest.raises(StoreError, match="diversity"):
        backend.mmr(NAME, e(0), "audio", 5, 1.5, 20)


def test_update_vectors_keeps_other_vectors(backend: StoreBackend) -> None:
    create(backend)
    backend.upsert(NAME, [PointRecord("t1", {"audio": e(1)}, {"artist": "A"})])
    assert backend.count(NAME, using="image") == 0
    backend.update_vectors(NAME, "t1", {"image": np.array([0, 1, 0, 0], dtype=np.float32)})
    [got] = backend.retrieve(NAME, ["t1"])
    np.testing.assert_allclose(got.vectors["audio"], e(1), atol=1e-6)
    np.testing.assert_allclose(got.vectors["image"], [0, 1, 0, 0], atol=1e-6)
    assert got.payload["artist"] == "A"
    assert backend.count(NAME, using="image") == 1
    backend.update_vectors(NAME, "t1", {"audio": e(2)})
    [got] = backend.retrieve(NAME, ["t1"])
    np.testing.assert_allclose(got.vectors["audio"], e(2), atol=1e-6)
    assert "image" in got.vectors
    with pytest.raises(NotFoundError, match="not in collection"):
        backend.update_vectors(NAME, "missing", {"audio": e(1)})

    with pytest.raises(StoreError, match="dimensions"):
        backend.update_vectors(NAME, "t1", {"image": np.ones(8)})


def test_add_set_and_drop_a_named_vector(backend: StoreBackend, tmp_path: Path) -> None:
    create(backend)
    points = random_catalog(12, seed=11)
    backend.upsert(NAME, points)
    backend.add_vector(NAME, "fused_v2", 3)
    assert backend.get_spec(NAME).vectors == {**DIMS, "fused_v2": 3}
    assert backend.count(NAME, using="fused_v2") == 0
    rng = np.random.default_rng(3)
    new = {p.track_id: rng.normal(size=3).astype(np.float32) for p in points}
    backend.set_vectors(NAME, [PointRecord(t, {"fused_v2": v}) for t, v in new.items()])
    assert backend.count(NAME, using="fused_v2") == 12
    got = {r.track_id: r for r in backend.retrieve(NAME, list(new))}
    for p in points:
        np.testing.assert_allclose(got[p.track_id].vectors["fused_v2"], unit(new[p.track_id]), atol=1e-5)
        np.testing.assert_allclose(got[p.track_id].vectors["audio"], unit(p.vectors["audio"]), atol=1e-5)
    hits = backend.search(NAME, new[points[0].track_id], "fused_v2", 1)
    assert hits[0].track_id == points[0].track_id
    with pytest.raises(StoreError):
        backend.add_vector(NAME, "fused_v2", 3)
    backend.drop_vector(NAME, "audio")
    assert backend.get_spec(NAME).vectors == {"image": 4, "fused_v2": 3}
    assert "audio" not in backend.retrieve(NAME, [points[0].track_id])[0].vectors
    with pytest.raises(StoreError):
        backend.drop_vector(NAME, "audio")


# --- errors ---------------------------------------------------------------------------------


def _one_line_error(exc: pytest.ExceptionInfo[BaseException]) -> str:
    assert isinstance(exc.value, RecsysError)
    msg = str(exc.value)
    assert msg and "\n" not in msg
    return msg


def test_user_errors_are_one_line_recsys_errors(backend: StoreBackend) -> None:
    calls = [
        lambda: backend.count("ghost"),
        lambda: backend.search("ghost", e(0), "audio", 3),
        lambda: backend.upsert("ghost", [PointRecord("t", {"audio": e(0)})]),
        lambda: backend.retrieve("ghost", ["t"]),
        lambda: backend.scroll("ghost"),
        lambda: backend.set_metadata("ghost", {}),
        lambda: backend.recommend("ghost", [e(0)], [], "audio", 3),
        lambda: backend.mmr("ghost", e(0), "audio", 3, 0.5, 10),
    ]
    for call in calls:
        with pytest.raises(NotFoundError) as exc:
            call()
        assert "ghost" in _one_line_error(exc)
    create(backend)
    bad = [
        (lambda: backend.upsert(NAME, [PointRecord("t", {"audio": np.ones(5)})]), "dimensions"),
        (lambda: backend.upsert(NAME, [PointRecord("t", {"audio": np.zeros(8)})]), "zeros"),
        (lambda: backend.upsert(NAME, [PointRecord("t", {"lyrics": np.ones(8)})]), "unknown"),
        (lambda: backend.search(NAME, np.ones(3), "audio", 3), "dimensions"),
        (lambda: backend.search(NAME, np.ones(8), "audio", 0), "limit"),
    ]
    for call, text in bad:
        with pytest.raises(StoreError) as exc:
            call()
        assert text in _one_line_error(exc)
    assert backend.count(NAME) == 0  # a refused batch writes nothing


@pytest.mark.filterwarnings("ignore:Api key is used with an insecure connection")
def test_unreachable_server_is_a_store_error_without_the_key() -> None:
    b = RemoteBackend("http://127.0.0.1:9", api_key="sekrit-key-123")
    with pytest.raises(StoreError) as exc:
        b.list_collections()
    msg = _one_line_error(exc)
    assert "cannot reach" in msg and "sekrit" not in msg
    b.close()


def test_open_backend_dispatch(tmp_path: Path) -> None:
    assert isinstance(open_backend(":memory:"), RemoteBackend)
    assert isinstance(open_backend("http://localhost:6333"), RemoteBackend)
    assert isinstance(open_backend("https://x.cloud.qdrant.io", api_key="k"), RemoteBackend)
    edge = open_backend(tmp_path / "s")
    assert isinstance(edge, EdgeBackend) and edge.location == str(tmp_path / "s")
    assert isinstance(open_backend(str(tmp_path / "s2")), EdgeBackend)


# --- Edge locking ---------------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys
    from recsys.store import EdgeBackend
    b = EdgeBackend(sys.argv[1])
    b.count(sys.argv[2])          # opens (and locks) the shard
    print("ready", flush=True)
    sys.stdin.readline()
    b.close()
    """
)


def test_edge_store_in_use_by_another_process(tmp_path: Path) -> None:
    root = tmp_path / "store"
    b = EdgeBackend(root)
    create(b)
    b.upsert(NAME, random_catalog(3, seed=10))
    pid_file = root / "collections" / NAME / ".lock.pid"
    assert pid_file.read_text().strip() == str(os.getpid())
    b.close()
    assert not pid_file.exists()

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root), NAME],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        other = EdgeBackend(root)
        with pytest.raises(StoreInUseError) as exc:
            other.count(NAME)
        msg = _one_line_error(exc)
        assert f"in use by PID {proc.pid}" in msg and "wait for it" in msg
        # reading the spec needs no lock
        assert other.get_spec(NAME).vectors == DIMS
        assert other.list_collections() == [NAME]
        with pytest.raises(StoreInUseError):
            other.delete_collection(NAME)
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(timeout=30)
    assert proc.returncode == 0
    assert other.count(NAME) == 3  # free again once the holder closed
    other.close()


# --- congruence -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k for k in BACKEND_KINDS if k != "edge"])
def test_every_backend_gives_edges_results(kind: str, tmp_path: Path) -> None:
    points = random_catalog(60, seed=11)
    edge = EdgeBackend(tmp_path / "edge")
    remote = make_backend(kind, tmp_path / kind)
    try:
        for b in (edge, remote):
            create(b)
            b.upsert(NAME, points)
        rng = np.random.default_rng(12)

        def same(a: list, b: list) -> None:
            assert [h.track_id for h in a] == [h.track_id for h in b]
            np.testing.assert_allclose([h.score for h in a], [h.score for h in b], atol=1e-4)

        for using in ("audio", "image"):
            assert edge.count(NAME, using) == remote.count(NAME, using)
            for flt in FILTERS:
                q = rng.normal(size=DIMS[using])
                same(edge.search(NAME, q, using, 10, flt), remote.search(NAME, q, using, 10, flt))
                pos = [rng.normal(size=DIMS[using]) for _ in range(2)]
                neg = [rng.normal(size=DIMS[using])]
                same(
                    edge.recommend(NAME, pos, neg, using, 10, flt),
                    remote.recommend(NAME, pos, neg, using, 10, flt),
                )
                same(
                    edge.mmr(NAME, q, using, 6, 0.5, 25, flt),
                    remote.mmr(NAME, q, using, 6, 0.5, 25, flt),
                )
        assert sorted(r.track_id for r in edge.scroll(NAME)) == sorted(
            r.track_id for r in remote.scroll(NAME)
        )
    finally:
        edge.close()
        remote.close()


def test_shared_base_checks_arguments_the_same_way_on_both_backends(tmp_path: Path) -> None:
    """BaseBackend does the argument checks once, before any client call: a bad argument
    fails with the same error class and message on Edge and on qdrant-client."""
    from recsys.store.shared import BaseBackend

    edge, remote = EdgeBackend(tmp_path / "store"), RemoteBackend(":memory:")
    bad_calls = [
        lambda b: b.recommend(NAME, [], [e(1)], "audio", 3),  # no positive example
        lambda b: b.recommend(NAME, [e(0, 5)], [], "audio", 3),  # wrong dimension
        lambda b: b.mmr(NAME, e(0), "audio", 3, 1.5, 10),  # diversity out of [0, 1]
        lambda b: b.search(NAME, e(0), "lyrics", 3),  # no such vector
        lambda b: b.count(NAME, "lyrics"),
        lambda b: b.scroll(NAME, batch_size=0),
        lambda b: b.add_vector(NAME, "audio", 8),  # already there
        lambda b: b.drop_vector(NAME, "lyrics"),
        lambda b: b.delete_points(NAME, "t"),  # one string, not a list of ids
        lambda b: b.upsert(NAME, [PointRecord("t", {"audio": np.full(8, np.nan)})]),
    ]

    def client_call(*args: object, **kwargs: object) -> None:
        raise AssertionError("a refused call reached the client")

    try:
        for b in (edge, remote):
            assert isinstance(b, BaseBackend)
            create(b)
            for hook in (
                "_native_query",
                "_native_upsert",
                "_native_add_vector",
                "_native_drop_vector",
                "_native_count",
                "_native_pager",
                "_native_delete",
            ):
                setattr(b, hook, client_call)
        for call in bad_calls:
            errors = []
            for b in (edge, remote):
                with pytest.raises(StoreError) as exc:
                    call(b)
                errors.append((type(exc.value), _one_line_error(exc)))
            assert errors[0] == errors[1]
        nan = f"track 't' in collection {NAME!r}: vector 'audio' contains NaN or infinity"
        assert errors[0][1] == nan
    finally:
        edge.close()
        remote.close()


def test_scroll_and_count_with_a_field_match_or_a_missing_field(backend: StoreBackend) -> None:
    """``QueryFilter.match`` (a payload field equal to any of some values) and ``missing`` (a
    field absent) narrow scroll and count in the store, without reading the other points."""
    create(backend)
    points = random_catalog(30, seed=11)
    points = [
        PointRecord(p.track_id, p.vectors, p.payload | ({"title_norm": f"song {i % 4}"} if i % 5 else {}))
        for i, p in enumerate(points)
    ]
    backend.upsert(NAME, points)
    for values in (("song 1",), ("song 1", "song 3"), ("nothing",)):
        flt = QueryFilter(match=(("title_norm", values),))
        want = sorted(p.track_id for p in points if p.payload.get("title_norm") in values)
        got = [r.track_id for r in backend.scroll(NAME, batch_size=2, flt=flt)]
        assert sorted(got) == want and len(got) == len(set(got))
        assert backend.count(NAME, flt=flt) == len(want)
    lacking = QueryFilter(missing=("title_norm",))
    want = sorted(p.track_id for p in points if "title_norm" not in p.payload)
    assert sorted(r.track_id for r in backend.scroll(NAME, flt=lacking)) == want
    assert backend.count(NAME, flt=lacking) == len(want) == 6
    # with ``using`` too: both conditions hold
    both = [r for r in backend.scroll(NAME, using="image", flt=lacking)]
    assert {r.track_id for r in both} == {
        p.track_id for p in points if "title_norm" not in p.payload and "image" in p.vectors
    }
    assert backend.count(NAME, using="image", flt=lacking) == len(both)


# --- neighbours: the query stream the library's result loop reads ------------------------------


def test_neighbours_are_the_store_calls_hits(backend: StoreBackend) -> None:
    """``neighbours`` answers what search, recommend and MMR answer, hit for hit, payloads
    and vectors included; a caller stopping early gets the same first hits; the seeds are
    left out by track id."""
    from recsys.store import NeighbourQuery

    create(backend)
    points = random_catalog(60, seed=21)  # more hits than the lazy reader's first chunks
    backend.upsert(NAME, points)
    rng = np.random.default_rng(22)
    q, neg = rng.normal(size=8), rng.normal(size=8)
    flt = QueryFilter(exclude_track_ids=("t001", "t005"), genres=("rock", "jazz", "pop"))
    cases = [
        (NeighbourQuery("audio", (q,), flt=flt), backend.search(NAME, q, "audio", 50, flt)),
        (NeighbourQuery("audio", (q,), flt=flt, with_vectors=True),
         backend.search(NAME, q, "audio", 50, flt, with_vectors=True)),
        (NeighbourQuery("audio", (q, neg), flt=flt), backend.recommend(NAME, [q, neg], [], "audio", 50, flt)),
        (NeighbourQuery("audio", (q,), (neg,)), backend.recommend(NAME, [q], [neg], "audio", 50)),
        (NeighbourQuery("audio", (q,), diversity=0.5), backend.mmr(NAME, q, "audio", 50, 0.5, 150)),
    ]
    for query, want in cases:
        got = list(backend.neighbours(NAME, query, 50))
        assert [h.track_id for h in got] == [h.track_id for h in want], query.kind
        assert [h.payload for h in got] == [h.payload for h in want]
        assert [h.score for h in got] == pytest.approx([h.score for h in want], abs=1e-5)
        for a, b in zip(got, want):
            assert set(a.vectors) == set(b.vectors)
        head = []
        for h in backend.neighbours(NAME, query, 50):
            head.append(h.track_id)
            if len(head) == 3:
                break
        assert head == [h.track_id for h in want[:3]]
    searched = [h.track_id for h in cases[0][1]]
    assert "t001" not in searched and "t005" not in searched
    assert searched == [t for t in expected_ids(points, q, "audio", flt)][:50]
    with pytest.raises(StoreError):  # checked when asked, not when first read
        backend.neighbours(NAME, NeighbourQuery("audio", (np.ones(3),)), 5)


def test_retrieve_named_vectors_only(backend: StoreBackend) -> None:
    create(backend)
    points = random_catalog(6, seed=23)
    backend.upsert(NAME, points)
    got = {r.track_id: r for r in backend.retrieve(NAME, ["t001", "t003"], with_vectors=["image"])}
    assert set(got) == {"t001", "t003"}
    assert set(got["t001"].vectors) == {"image"}  # t001 has both vectors
    assert got["t003"].vectors == {}  # t003 has no image
    np.testing.assert_allclose(got["t001"].vectors["image"], unit(points[1].vectors["image"]), atol=1e-5)
    assert got["t001"].payload["title"] == "song 1"
    assert backend.retrieve(NAME, ["t001"], with_vectors=[])[0].vectors == {}
    with pytest.raises(StoreError, match="no vector 'lyrics'"):
        backend.retrieve(NAME, ["t001"], with_vectors=["lyrics"])


def test_edge_reads_payloads_as_the_hits_are_taken(tmp_path: Path) -> None:
    """Edge's neighbours search for ids and scores and read payloads a chunk at a time: a
    caller keeping the first three reads one chunk, not every hit's; a hit deleted between
    the search and its payload's read is left out."""
    from recsys.store import NeighbourQuery
    from recsys.store.edge_payloads import LAZY_PAYLOAD_CHUNK

    b = EdgeBackend(tmp_path / "store")
    try:
        create(b)
        points = random_catalog(80, seed=24)
        b.upsert(NAME, points)
        real = b._shard(NAME)
        asked: list[int] = []

        class Counting:  # the shard, counting the points whose payloads are read
            def __getattr__(self, attr):
                return getattr(real, attr)

            def retrieve(self, ids, **kw):
                asked.append(len(ids))
                return real.retrieve(ids, **kw)

        b._shards[NAME] = Counting()
        q = np.random.default_rng(25).normal(size=8)
        stream = b.neighbours(NAME, NeighbourQuery("audio", (q,)), 60)
        head = [next(stream).track_id for _ in range(3)]
        assert asked == [LAZY_PAYLOAD_CHUNK]
        want = [h.track_id for h in b.search(NAME, q, "audio", 60)]
        assert head == want[:3]
        b.delete_points(NAME, [want[LAZY_PAYLOAD_CHUNK + 1]])  # not read yet
        rest = [h.track_id for h in stream]
        assert head + rest == [t for t in want if t != want[LAZY_PAYLOAD_CHUNK + 1]]
        b._shards[NAME] = real
    finally:
        b.close()


def test_tempo_and_key_are_indexed_and_an_old_collection_gains_the_indexes(backend: StoreBackend) -> None:
    """``bpm`` (a range) and ``key`` (a match) have payload indexes from the start, so a
    --bpm or --key filter at a million tracks reads an index, not every payload; a collection
    made before them gets them from the next ingest's ``ensure_indexes``."""
    create(backend)
    assert backend.ensure_indexes(NAME) == []  # made with every index already
    if isinstance(backend, EdgeBackend):
        import qdrant_edge as qe

        fields = set(backend._shard(NAME).info().payload_schema)
        assert {"bpm", "key", "year"} <= fields
        for field in ("bpm", "key"):
            backend._update(NAME, lambda: qe.UpdateOperation.delete_field_index(field))
        assert sorted(backend.ensure_indexes(NAME)) == ["bpm", "key"]
    elif isinstance(backend, RemoteBackend):  # local mode keeps no index: what a server is asked for
        from qdrant_client import models

        from recsys.store.remote import _payload_indexes

        plan = _payload_indexes()
        assert (plan["bpm"], plan["key"]) == (models.PayloadSchemaType.FLOAT, models.PayloadSchemaType.KEYWORD)
