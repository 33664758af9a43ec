"""With the real offline encoders, recommendations on the sample catalog follow genre; the
paper's data ingests with its published vectors and answers end to end."""

from __future__ import annotations

import json

import pytest

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.query.library import Library
from recsys.query.recommend import RecommendRequest, recommend
from recsys.catalog import read_catalog
from recsys.store import open_backend


@pytest.fixture(scope="module")
def real_store(tmp_path_factory):
    from recsys.catalog.sample.generator import write_sample_catalog

    root = tmp_path_factory.mktemp("real")
    manifest = write_sample_catalog(root / "catalog", n_tracks=64, seed=1)
    cat = read_catalog(manifest.parent, cover_cache=root / "covers")
    backend = open_backend(root / "store")
    report = ingest_catalog(cat, backend, IngestOptions(collection="sample"))  # the offline defaults
    yield backend, cat, report
    backend.close()


def test_top_recommendation_shares_the_seed_genre(real_store):
    backend, cat, report = real_store
    assert report.ok and not report.problems
    lib = Library(backend, "sample")
    hits = 0
    for t in cat.tracks:
        resp = recommend(lib, RecommendRequest(seeds=(t.title,), artist=t.artist, k=1))
        top = resp.results[0]
        hits += bool(set(top.genres) & set(t.genres))
    share = hits / len(cat.tracks)
    assert share >= 0.8, f"top-1 genre agreement {share:.2f}"


@pytest.mark.parametrize("using", ["audio", "image", "text"])
def test_each_offline_encoder_carries_genre(real_store, using):
    backend, cat, _ = real_store
    lib = Library(backend, "sample")
    hits = total = 0
    for t in cat.tracks:
        if using == "text" and not t.text_document():
            continue
        resp = recommend(lib, RecommendRequest(seeds=(t.title,), artist=t.artist, k=1, using=using))
        hits += bool(set(resp.results[0].genres) & set(t.genres))
        total += 1
    assert hits / total >= 0.6, f"{using}: top-1 genre agreement {hits / total:.2f}"


def test_sample_cover_and_clip_queries_find_their_genre(real_store, tmp_path):
    from recsys.query.cross_modal import QueryRequest, query

    backend, cat, _ = real_store
    lib = Library(backend, "sample")
    q = json.loads((cat.root / "sample_queries.json").read_text())
    res = query(lib, QueryRequest(modality="image", value=str(cat.root / q["cover"]["path"]), k=5))
    assert sum(q["cover"]["genre"] in r.genres for r in res) >= 4
    res = query(lib, QueryRequest(modality="audio", value=str(cat.root / q["clip"]["path"]), k=5))
    assert sum(q["clip"]["genre"] in r.genres for r in res) >= 4


def test_fairouz_precomputed_end_to_end(fairouz_dir, tmp_path):
    cat = read_catalog(fairouz_dir, precomputed=True, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        report = ingest_catalog(cat, backend, IngestOptions(collection="fairouz", precomputed=True, batch_size=256))
        assert report.ingested == 822 and report.vectors["text"] == 773 and report.vectors["fused"] == 822
        assert backend.count("fairouz", using="text") == 773
        lib = Library(backend, "fairouz")
        seed = cat.tracks[0]
        resp = recommend(lib, RecommendRequest(seeds=(seed.title,), artist=seed.artist, k=10, explain=True))
        assert len(resp.results) == 10
        assert all(r.track_id != seed.track_id for r in resp.results)
        assert resp.results[0].explanation["audio"] is not None
    finally:
        backend.close()
