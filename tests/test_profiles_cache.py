"""Encoder profiles stored with a collection, and the per-encoder embedding cache."""

from __future__ import annotations

import pytest

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.collection import CollectionMeta
from recsys.encoders import EncoderSpec, register_encoder
from recsys.errors import EncoderError
from recsys.encoders.profiles import PROFILES, resolve
from recsys.catalog import read_catalog
from recsys.store import open_backend
from tests.support.tiny_encoders import TINY, ColourGridEncoder


def test_resolve_profiles():
    assert resolve(None, {}) == ("offline", PROFILES["offline"])
    assert resolve("paper", {})[1]["image"] == "clip-vit-b-32"
    label, names = resolve("offline", {"text": "tiny-text"})
    assert label == "custom" and names["text"] == "tiny-text" and names["audio"] == "mir-librosa"
    assert resolve("offline", {"text": "minilm"})[0] == "offline"  # naming the profile's own encoder
    with pytest.raises(EncoderError, match="known: offline, paper, best"):
        resolve("fastest", {})


def _run(catalog_dir, store, cache=None, **kw):
    cat = read_catalog(catalog_dir, cover_cache=store.parent / "covers")
    b = open_backend(store)
    try:
        return ingest_catalog(cat, b, IngestOptions(collection="c", batch_size=16, cache_dir=cache, **(TINY | kw)))
    finally:
        b.close()


def test_profile_is_stored_and_checked(sample_catalog, tmp_path):
    _run(sample_catalog, tmp_path / "store")
    b = open_backend(tmp_path / "store")
    try:
        assert CollectionMeta.from_dict(b.get_spec("c").metadata).profile == "custom"
    finally:
        b.close()
    with pytest.raises(EncoderError, match="built with the 'custom' profile, not 'offline'"):
        _run(sample_catalog, tmp_path / "store", profile="offline", text_encoder="minilm",
             image_encoder="efficientnet-lite0", audio_encoder="mir-librosa")


def test_changing_one_encoder_reencodes_only_that_modality(sample_catalog, tmp_path):
    cache = tmp_path / "cache"
    first = _run(sample_catalog, tmp_path / "s1", cache)
    assert first.cached == {}
    register_encoder(
        EncoderSpec("tiny-image-2", "image", "colour-grid-4x4-b", 48, lambda s, d, b: ColourGridEncoder("tiny-image-2")),
        replace=True,
    )
    # a new collection with another image encoder: text and audio come from the cache
    second = _run(sample_catalog, tmp_path / "s2", cache, image_encoder="tiny-image-2")
    assert second.cached["text"] == first.vectors["text"]
    assert second.cached["audio"] == first.vectors["audio"]
    assert "image" not in second.cached and second.vectors["image"] == first.vectors["image"]
    # the cached vectors are the ones the encoder gives
    b1, b2 = open_backend(tmp_path / "s1"), open_backend(tmp_path / "s2")
    try:
        p1 = {p.track_id: p for p in b1.scroll("c", with_vectors=True)}
        p2 = {p.track_id: p for p in b2.scroll("c", with_vectors=True)}
    finally:
        b1.close()
        b2.close()
    import numpy as np

    for tid, p in p1.items():
        np.testing.assert_allclose(p2[tid].vectors["audio"], p.vectors["audio"], atol=1e-6)
