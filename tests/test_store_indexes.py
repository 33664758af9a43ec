"""Indexes at scale (issue 10): which vectors get a graph or int8, what Edge is told, the BM25
title index, payload indexes added to old collections, and the ingest building them."""

from __future__ import annotations

import json

import numpy as np
import pytest
import qdrant_edge as qe

from ingest.indexes import index_plan
from recsys.errors import RecsysError
from recsys.store import CollectionSpec, PointRecord, QueryFilter, VectorIndex, open_backend
from recsys.store.edge_config import INDEXES_AFTER_FILL, payload_indexes


def test_the_plan_gives_a_graph_to_what_is_searched_and_int8_to_wide_graphed_vectors():
    dims = {"text": 1024, "image": 512, "audio": 128, "graph": 128, "fused": 1920}
    plan = index_plan(dims)
    assert plan["fused"] == VectorIndex(hnsw=True, int8=True)
    for m in ("text", "image", "audio", "graph"):  # scanned only: no graph, float16
        assert plan[m] == VectorIndex(hnsw=False, int8=False, half=True)
    assert index_plan({**dims, "fused": 128})["fused"] == VectorIndex(hnsw=True, int8=False)
    every = index_plan(dims, "all")
    assert every["text"] == VectorIndex(True, True) and every["audio"] == VectorIndex(True, False)
    assert not any(v.hnsw or v.int8 for v in index_plan(dims, "none").values())
    assert all(v.half for v in index_plan(dims, "none").values())
    assert not any(v.half for v in every.values())
    with pytest.raises(RecsysError, match="fused, all, none"):
        index_plan(dims, "some")


def test_edge_is_told_the_per_vector_options_and_keeps_them(tmp_path):
    b = open_backend(tmp_path)
    indexes = {"text": VectorIndex(hnsw=False, half=True), "fused": VectorIndex(hnsw=True, int8=True)}
    b.create_collection(CollectionSpec("c", {"text": 8, "fused": 16}, indexes=indexes))
    v = np.linspace(-1, 1, 8).astype(np.float32)
    b.upsert("c", [PointRecord("t", {"text": v, "fused": np.ones(16, np.float32)})])
    stored = b.retrieve("c", ["t"])[0].vectors["text"]
    unit = v / np.linalg.norm(v)
    assert np.abs(stored - unit).max() <= 2.5e-4 and not np.array_equal(stored, unit)  # float16
    assert b.search("c", v, "text", 1)[0].score == pytest.approx(1.0, abs=1e-3)
    b.close()
    config = json.loads((tmp_path / "collections/c/shard/edge_config.json").read_text())
    text, fused = config["vectors"]["text"], config["vectors"]["fused"]
    assert text["hnsw_config"]["m"] == 0 and text["memory"] == "cold" and text["datatype"] == "float16"
    assert fused["quantization_config"]["scalar"]["type"] == "int8" and fused["memory"] == "cold"
    assert "hnsw_config" not in fused  # the collection's own graph settings
    b = open_backend(tmp_path)
    assert b.get_spec("c").indexes == indexes
    b.close()


def _titles_collection(tmp_path):
    b = open_backend(tmp_path)
    b.create_collection(CollectionSpec("c", {"v": 4}))
    titles = [("Love Storm", "A"), ("Café del Mar", "B"), ("Lovely Day", "A"), ("Storm Warning", "C")]
    b.upsert("c", [
        PointRecord(f"t{i}", {"v": np.eye(4, dtype=np.float32)[i]}, {"title": t, "artist": a, "artist_norm": a.lower()})
        for i, (t, a) in enumerate(titles)
    ])
    return b


def test_text_search_ranks_titles_by_shared_words_folding_case_and_accents(tmp_path):
    b = _titles_collection(tmp_path)
    got = [p.payload["title"] for p in b.text_search("c", "title", "CAFE storm", 10)]
    assert got[0] == "Café del Mar" and set(got) == {"Café del Mar", "Storm Warning", "Love Storm"}
    assert [p.track_id for p in b.text_search("c", "title", "storm", 10, QueryFilter(artists=("a",)))] == ["t0"]
    assert b.text_search("c", "title", "nothing shared", 10) == []
    assert b.text_search("c", "title", "  ", 10) == []
    with pytest.raises(RecsysError, match="full-text"):
        b.text_search("c", "artist", "a", 10)
    b.close()


def test_an_old_collection_gains_the_indexes_it_lacks(tmp_path):
    b = _titles_collection(tmp_path)
    shard = b._shard("c")
    shard.update(qe.UpdateOperation.delete_field_index("title"))
    shard.update(qe.UpdateOperation.delete_field_index("title_norm"))
    b.close()
    b = open_backend(tmp_path)
    assert b.text_search("c", "title", "storm", 10) is None  # no index: the caller scans
    assert sorted(b.ensure_indexes("c")) == ["title", "title_norm"]
    assert b.ensure_indexes("c") == []
    assert [p.track_id for p in b.text_search("c", "title", "lovely", 10)] == ["t2"]
    b.close()


def _payload_fields(b, name):
    return set(b._shard(name).info().payload_schema)


def _bulk_collection(tmp_path, n: int = 3):
    """A collection created for a bulk fill (the title's indexes at its first optimize), filled
    with n points: every 10th in genre "jazz", the rest "rock"."""
    b = open_backend(tmp_path)
    b.create_collection(CollectionSpec("c", {"v": 8}, payload_indexes_at_optimize=True))
    vectors = np.random.default_rng(5).normal(size=(n, 8)).astype(np.float32)
    b.upsert("c", [
        PointRecord(f"t{i}", {"v": vectors[i]},
                    {"title": f"Storm {i}" if i % 2 else f"Lovely {i}", "title_norm": f"title {i}",
                     "artist": f"A{i % 7}", "artist_norm": f"a{i % 7}",
                     "genres": ["jazz" if i % 10 == 0 else "rock"], "genres_norm": ["jazz" if i % 10 == 0 else "rock"]})
        for i in range(n)
    ])
    return b, vectors


def test_a_bulk_collection_gets_the_titles_indexes_from_its_first_optimize(tmp_path):
    b, _ = _bulk_collection(tmp_path, 20)
    every = set(payload_indexes())
    assert _payload_fields(b, "c") == every - set(INDEXES_AFTER_FILL)  # the graph's, at creation
    assert b.text_search("c", "title", "storm", 10) is None  # no title index yet: a seed scans
    jazz = QueryFilter(genres=("jazz",))
    q = np.ones(8, np.float32)
    before = [h.track_id for h in b.search("c", q, "v", 5, flt=jazz)]
    assert sorted(before) == ["t0", "t10"]
    assert b.optimize("c") is True
    assert _payload_fields(b, "c") == every
    assert [h.track_id for h in b.search("c", q, "v", 5, flt=jazz)] == before
    assert {p.track_id for p in b.text_search("c", "title", "storm", 20)} == {f"t{i}" for i in range(1, 20, 2)}
    b.optimize("c")  # once made, a later optimize has none to make
    assert _payload_fields(b, "c") == every
    b.close()


def test_a_bulk_fill_cut_short_gets_the_titles_indexes_from_the_next_ingest(tmp_path):
    b, _ = _bulk_collection(tmp_path)
    b.close()  # killed before its optimize: the title has no index
    b = open_backend(tmp_path)
    every = set(payload_indexes())
    assert _payload_fields(b, "c") == every - set(INDEXES_AFTER_FILL)
    b.optimize("c")  # a new process knows nothing of the plan...
    assert _payload_fields(b, "c") == every - set(INDEXES_AFTER_FILL)
    assert set(b.ensure_indexes("c")) == set(INDEXES_AFTER_FILL)  # ...the ingest's ensure_indexes does
    b.close()


def test_a_filter_on_a_big_genre_finds_its_neighbours_in_a_bulk_filled_graph(tmp_path, monkeypatch):
    """The graph gets its per-genre links only from the genres' index existing when it is
    built; made after it, a filtered search on a genre above the full-scan threshold found
    next to nothing (100k tracks, a 2.5 % genre: recall@10 0.001)."""
    from recsys.store import edge_config

    monkeypatch.setattr(edge_config, "HNSW_FULL_SCAN_KB", 1)  # 32 points of 8-d: "jazz" (300) is big
    plain = qe.EdgeConfig

    def indexed_at_any_size(**kw):  # Edge's optimize builds no graph for a segment under 10 MB
        return plain(**kw, optimizers=qe.EdgeOptimizersConfig(indexing_threshold=1))

    monkeypatch.setattr(qe, "EdgeConfig", indexed_at_any_size)
    b, vectors = _bulk_collection(tmp_path, 3000)
    b.optimize("c")
    graph = list((tmp_path / "collections/c/shard/segments").glob("*/vector_index-v/links*.bin"))
    assert graph and graph[0].stat().st_size > 0  # a graph was built, and is what is searched
    jazz = QueryFilter(genres=("jazz",))
    rows = np.arange(0, 3000, 10)  # the jazz points
    unit = vectors[rows] / np.linalg.norm(vectors[rows], axis=1, keepdims=True)
    rng = np.random.default_rng(9)
    recall = []
    for _ in range(30):
        q = rng.normal(size=8).astype(np.float32)
        want = {f"t{rows[j]}" for j in np.argsort(-(unit @ q))[:10]}
        got = {h.track_id for h in b.search("c", q, "v", 10, flt=jazz)}
        recall.append(len(got & want) / 10)
    assert np.mean(recall) >= 0.9
    b.close()


def test_ingest_creates_the_planned_indexes_and_builds_them(tmp_path, sample_catalog):
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from tests.support.tiny_encoders import TINY

    cat = read_catalog(sample_catalog, cover_cache=tmp_path / "covers")
    b = open_backend(tmp_path / "store")
    report = ingest_catalog(cat, b, IngestOptions(collection="c", batch_size=16, **TINY))
    assert "index" in report.seconds
    indexes = b.get_spec("c").indexes
    assert indexes["fused"].hnsw and not indexes["text"].hnsw and not indexes["audio"].hnsw
    assert _payload_fields(b, "c") == set(payload_indexes())  # made by the ingest's optimize
    # a second run with nothing to do builds nothing
    again = ingest_catalog(cat, b, IngestOptions(collection="c", batch_size=16, **TINY))
    assert again.unchanged == report.ingested and "index" not in again.seconds
    b.close()


def _indexed_at_any_size(monkeypatch) -> None:
    """Edge's optimize builds no graph nor quantized copy for a segment under 10 MB."""
    plain = qe.EdgeConfig
    monkeypatch.setattr(qe, "EdgeConfig", lambda **kw: plain(**kw, optimizers=qe.EdgeOptimizersConfig(indexing_threshold=1)))


def _quantization_memory(shard) -> set[str]:
    """The memory setting of every quantized vector in Edge's config and in each segment."""
    found = set()
    files = [shard / "edge_config.json", *shard.glob("segments/*/segment.json")]
    for path in files:
        data = json.loads(path.read_text())
        vectors = data["vectors"] if path.name == "edge_config.json" else data["config"]["vector_data"]
        for params in vectors.values():
            quant = (params.get("quantization_config") or {}).get("scalar")
            if quant:
                found.add(quant.get("memory"))
    return found


def test_quantized_copies_are_mapped_not_read_whole_at_each_open(tmp_path, monkeypatch):
    """A pinned int8 copy is read whole by every open, then dropped from the page cache: 1.0-1.3
    s of each command on a 50k-track music folder (a 1,960-d fused vector)."""
    _indexed_at_any_size(monkeypatch)
    b = open_backend(tmp_path)
    b.create_collection(CollectionSpec("c", {"fused": 16}, indexes={"fused": VectorIndex(hnsw=True, int8=True)}))
    rng = np.random.default_rng(3)
    b.upsert("c", [PointRecord(f"t{i}", {"fused": rng.normal(size=16).astype(np.float32)}) for i in range(40)])
    b.optimize("c")
    assert not b.layout_outdated("c")
    b.close()
    assert _quantization_memory(tmp_path / "collections/c/shard") == {"cached"}


def _made_by_an_older_recsys(tmp_path, sample_catalog, monkeypatch):
    """(catalog, its first ingest's report) of collection "c", ingested with the int8 copies
    pinned in RAM, as a recsys before they were mapped made it."""
    from ingest import indexes
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from tests.support.tiny_encoders import TINY

    monkeypatch.setattr(indexes, "INT8_MIN_DIM", 1)  # the tiny encoders' fused vector gets int8
    _indexed_at_any_size(monkeypatch)
    cat = read_catalog(sample_catalog, cover_cache=tmp_path / "covers")
    scalar = qe.ScalarQuantizationConfig
    with monkeypatch.context() as older:
        older.setattr(qe, "ScalarQuantizationConfig", lambda *a, **kw: scalar(*a, **(kw | {"memory": qe.Memory.Pinned})))
        b = open_backend(tmp_path / "store")
        first = ingest_catalog(cat, b, IngestOptions(collection="c", batch_size=16, **TINY))
        b.close()
    return cat, first


def test_an_ingest_rebuilds_a_collection_whose_quantized_copies_an_older_recsys_pinned(
    tmp_path, sample_catalog, monkeypatch
):
    from ingest.pipeline import IngestOptions, ingest_catalog
    from ingest.progress import NullProgress
    from tests.support.tiny_encoders import TINY

    cat, first = _made_by_an_older_recsys(tmp_path, sample_catalog, monkeypatch)
    shard = tmp_path / "store/collections/c/shard"
    assert _quantization_memory(shard) == {"pinned"}
    assert list(shard.glob("segments/*/vector_storage-fused/quantized.data"))
    seed = cat.tracks[0].track_id
    b = open_backend(tmp_path / "store")
    before = [h.track_id for h in b.search("c", b.retrieve("c", [seed])[0].vectors["fused"], "fused", 8)]
    assert b.layout_outdated("c")  # opened with today's config: an optimize would rebuild it
    warned: list[str] = []

    class Lines(NullProgress):
        def warn(self, line: str) -> None:
            warned.append(line)

    again = ingest_catalog(cat, b, IngestOptions(collection="c", batch_size=16, **TINY), progress=Lines())
    assert again.unchanged == first.ingested and "index" in again.seconds  # nothing written, rebuilt
    assert warned == ["'c' was stored by an older recsys: its index is rebuilt once, so that later commands open it faster"]
    assert not b.layout_outdated("c")
    assert [h.track_id for h in b.search("c", b.retrieve("c", [seed])[0].vectors["fused"], "fused", 8)] == before
    b.close()
    assert _quantization_memory(shard) == {"cached"}
    b = open_backend(tmp_path / "store")
    third = ingest_catalog(cat, b, IngestOptions(collection="c", batch_size=16, **TINY))
    assert "index" not in third.seconds  # once only
    b.close()


def test_an_ingest_beside_recsys_serve_rebuilds_an_older_layout_and_keeps_the_counts(
    tmp_path, sample_catalog, monkeypatch
):
    """Through the server that holds the store (``ServedBackend``), an ingest asks the server's
    backend whether the layout is an older recsys's, and makes the counts that `facets` and
    `info` then read (they were only ever made by an ingest without a server)."""
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.query.facets import keep_counts
    from recsys.store.edge_derived import DERIVED_FILE
    from tests.support.tiny_encoders import TINY
    from tests.test_serve_cli import served_over

    cat, _ = _made_by_an_older_recsys(tmp_path, sample_catalog, monkeypatch)
    shard = tmp_path / "store/collections/c/shard"
    served = served_over(tmp_path / "store")
    try:
        assert served.layout_outdated("c")
        again = ingest_catalog(cat, served, IngestOptions(collection="c", batch_size=16, **TINY))
        assert "index" in again.seconds and not served.layout_outdated("c")
        keep_counts(served, "c")
        assert (tmp_path / "store/collections/c" / DERIVED_FILE).exists()
    finally:
        served.close()
    assert _quantization_memory(shard) == {"cached"}


def test_a_server_of_an_older_recsys_that_cannot_tell_the_layout_stops_no_ingest(tmp_path, monkeypatch):
    """A `recsys serve` started before an upgrade has no "layout_outdated" call: the ingest
    beside it goes on (the next ingest without the server rebuilds), not stops."""
    from serve import routes_store
    from tests.test_serve_cli import served_over

    monkeypatch.delitem(routes_store.READS, "layout_outdated")
    b = open_backend(tmp_path / "store")
    b.create_collection(CollectionSpec("c", {"fused": 4}))
    b.close()
    served = served_over(tmp_path / "store")
    try:
        assert served.layout_outdated("c") is False
        with pytest.raises(Exception, match="no store call 'optimise'"):
            served._call("optimise", name="c")  # any other unknown call is still an error
    finally:
        served.close()
