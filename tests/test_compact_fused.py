"""The compact fused vector of a large precomputed collection (issue 10): a PCA projection of
the concat, fitted at ingest, recorded like a checkpoint, used by ingest and queries alike."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.compact import wants_compact
from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.catalog.sample.fairouz_like import write_catalog
from recsys.errors import RecsysError
from recsys.query.library import Library
from recsys.query.recommend import RecommendRequest, recommend
from recsys.store import open_backend


@pytest.fixture(scope="module")
def catalog_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("fz")
    write_catalog(root, 400, seed=3)
    return root


def _ingest(catalog_dir, store, models, fused):
    cat = read_catalog(catalog_dir, precomputed=True, cover_cache=None)
    b = open_backend(store)
    report = ingest_catalog(cat, b, IngestOptions(collection=fused, precomputed=True, fused=fused, models_dir=models, batch_size=128))
    return cat, b, report


def test_compact_fused_keeps_what_the_concat_finds(catalog_dir, tmp_path):
    cat, b, report = _ingest(catalog_dir, tmp_path / "store", tmp_path / "models", "compact")
    assert report.ingested == 400 and "compact" in report.seconds
    lib = Library(b, "compact")
    fused = lib.meta.fused
    assert fused.kind == "projection" and fused.dim == 128 and b.get_spec("compact").vectors["fused"] == 128
    assert (tmp_path / "models").is_dir() and fused.checkpoint.startswith(str((tmp_path / "models").resolve()))
    b.close()
    _, b2, _ = _ingest(catalog_dir, tmp_path / "store", tmp_path / "models", "concat")
    b2.close()
    b = open_backend(tmp_path / "store")
    compact, concat = Library(b, "compact"), Library(b, "concat")
    assert concat.meta.fused.kind == "concat" and concat.meta.fused.dim == 1792
    overlap = []
    for t in cat.tracks[:40]:
        req = RecommendRequest(seeds=(t.track_id,), k=10, max_per_artist=10)
        a = {r.track_id for r in recommend(compact, req).results}
        c = {r.track_id for r in recommend(concat, req).results}
        overlap.append(len(a & c) / 10)
    # the synthetic genres are strong: both spaces agree on most neighbours
    assert np.mean(overlap) >= 0.6, np.mean(overlap)
    b.close()


def test_the_fused_mode_is_checked_and_auto_stays_concat_for_small_catalogs(catalog_dir, tmp_path):
    cat = read_catalog(catalog_dir, precomputed=True, cover_cache=None)
    assert wants_compact("auto", cat, precomputed=True) is False
    assert wants_compact("compact", cat, precomputed=True) is True
    with pytest.raises(RecsysError, match="recsys train"):
        wants_compact("compact", cat, precomputed=False)
    with pytest.raises(RecsysError, match="auto, concat, compact"):
        wants_compact("small", cat, precomputed=True)


def test_verify_finds_a_missing_projection(catalog_dir, tmp_path):
    import shutil

    from ingest.verify import verify_collection

    _, b, _ = _ingest(catalog_dir, tmp_path / "store", tmp_path / "models", "compact")
    folder = Library(b, "compact").meta.fused.checkpoint
    shutil.rmtree(folder)
    report = verify_collection(b, "compact")
    assert any("fused projection" in f.message for f in report.findings)
    b.close()


def test_a_tiny_catalog_can_be_compact_too(tmp_path):
    write_catalog(tmp_path / "tiny", 12, seed=1)
    _, b, report = _ingest(tmp_path / "tiny", tmp_path / "store", tmp_path / "models", "compact")
    fused = Library(b, "compact").meta.fused
    assert report.ingested == 12 and fused.kind == "projection" and fused.dim <= 4 * 11
    b.close()


def test_a_batch_is_fused_as_each_track_would_be():
    """Fuser.fuse works a batch at a time (concat_matrix): the same vectors as concat_vector
    gives one track at a time, with missing parts, zero vectors and tracks with nothing."""
    from recsys.collection import FusedInfo
    from recsys.fusion.fuser import concat_matrix, concat_vector

    rng = np.random.default_rng(5)
    dims = {"text": 6, "image": 4, "audio": 3}
    fused = FusedInfo(kind="concat", dim=13, parts=("text", "image", "audio"))
    items = [
        {m: rng.normal(size=d).astype(np.float32) for m, d in dims.items()},
        {"image": rng.normal(size=4)},  # float64 in, one part
        {"text": np.zeros(6, dtype=np.float32), "audio": rng.normal(size=3).astype(np.float32)},
        {},  # nothing present
        {"text": np.zeros(6, dtype=np.float32)},  # only a zero vector: nothing present
        {"audio": rng.normal(size=3).astype(np.float32) * 1e3},
    ]
    matrix, present = concat_matrix(fused, dims, items)
    assert matrix.shape == (6, 13) and matrix.dtype == np.float32
    for row, there, item in zip(matrix, present, items):
        one = concat_vector(fused, dims, item)
        if one is None:
            assert not there and not row.any()
        else:
            assert there and np.allclose(row, one, atol=1e-6)


def test_a_trained_fusion_model_fuses_on_device_auto(tmp_path, monkeypatch):
    """`recsys ingest --device auto` (the option's default value) after `recsys train`: the
    Fuser got "auto" and torch refused it as a device string, an internal error at the first
    changed track."""
    from recsys.collection import CollectionMeta, EncoderInfo, FusedInfo
    from recsys.fusion.fuser import Fuser
    from recsys.fusion.model import FusionConfig, FusionModel

    monkeypatch.delenv("RECSYS_DEVICE", raising=False)
    dims = {"text": 6, "audio": 3}
    model = FusionModel(FusionConfig(input_dims=tuple(dims.items()), out_dim=8))
    folder = model.save(tmp_path / "fusion")
    meta = CollectionMeta(
        encoders={m: EncoderInfo(name=m, modality=m, model=m, dim=d) for m, d in dims.items()},
        fused=FusedInfo(kind="model", dim=8, parts=tuple(dims), checkpoint=str(folder)),
    )
    rng = np.random.default_rng(3)
    items = [{"text": rng.normal(size=6).astype(np.float32)}, {"audio": rng.normal(size=3).astype(np.float32)}]
    on_cpu = Fuser(meta, "cpu").fuse(items)
    for got, want in zip(Fuser(meta, "auto").fuse(items), on_cpu):
        assert np.allclose(got, want, atol=1e-5)
