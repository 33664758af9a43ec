"""A first ingest stopped before it wrote a track (Ctrl-C, an encoder that fails on the first
chunk) leaves no empty collection behind: with one, every later command had to be told which
collection to use, the empty one beside the user's others. One with tracks stays."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.encoders import EncoderSpec, register_encoder
from recsys.encoders.base import Encoder, EncoderInfo
from recsys.store import open_backend
from tests.support.tiny_encoders import TEXT_DIM, TINY


class _StoppedText(Encoder):
    """Text vectors for the first ``good`` calls, then a Ctrl-C."""

    calls = 0
    good = 0

    def __init__(self) -> None:
        self.info = EncoderInfo(name="stopped-text", modality="text", model="stopped", dim=TEXT_DIM)

    def encode(self, items):
        type(self).calls += 1
        if type(self).calls > type(self).good:
            raise KeyboardInterrupt
        return np.ones((len(items), TEXT_DIM), dtype=np.float32)


@pytest.fixture(autouse=True)
def _stopped_text(monkeypatch):
    from recsys.encoders import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    register_encoder(EncoderSpec("stopped-text", "text", "stopped", TEXT_DIM, lambda s, d, b: _StoppedText()))
    _StoppedText.calls = 0


def _ingest(catalog_dir, tmp_path, good: int):
    _StoppedText.good = good
    catalog = read_catalog(catalog_dir, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        with pytest.raises(KeyboardInterrupt):
            ingest_catalog(catalog, backend, IngestOptions(collection="music", batch_size=8,
                                                           **(TINY | {"text_encoder": "stopped-text"})))
        return backend.list_collections(), backend.count("music") if backend.collection_exists("music") else None
    finally:
        backend.close()


def test_a_first_ingest_stopped_before_its_first_tracks_leaves_no_collection(sample_catalog, tmp_path):
    assert _ingest(sample_catalog, tmp_path, good=0) == ([], None)


def test_one_stopped_after_some_tracks_keeps_them_for_the_next(sample_catalog, tmp_path):
    collections, count = _ingest(sample_catalog, tmp_path, good=2)
    assert collections == ["music"] and count and count >= 8
