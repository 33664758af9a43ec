"""Shared fixtures: tiny encoders, a sample catalog built once, data paths in tmp dirs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.tiny_encoders import register_tiny_encoders

REPO = Path(__file__).resolve().parents[1]
FAIROUZ = Path(os.environ.get("RECSYS_FAIROUZ") or REPO.parent / "shared" / "fairouz")


@pytest.fixture(autouse=True, scope="session")
def _tiny_encoders():
    register_tiny_encoders()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No test reads or writes the user's ./recsys-data or talks to a configured server."""
    monkeypatch.setenv("RECSYS_HOME", str(tmp_path / "recsys-home"))
    for var in ("RECSYS_QDRANT_URL", "RECSYS_QDRANT_API_KEY", "RECSYS_COLLECTION", "RECSYS_DEVICE", "RECSYS_GRAPH_ENCODER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    # a command fails at once on a held store, as the tests of that error expect (the default
    # waits up to 10 s for a short holder: tests/test_concurrency.py sets it where it tests it)
    monkeypatch.setenv("RECSYS_STORE_WAIT", "0")


@pytest.fixture(scope="session")
def sample_catalog_master(tmp_path_factory) -> Path:
    from recsys.catalog.sample.generator import write_sample_catalog

    root = tmp_path_factory.mktemp("sample-catalog")
    write_sample_catalog(root, n_tracks=48, seed=0)
    return root


@pytest.fixture
def sample_catalog(sample_catalog_master, tmp_path) -> Path:
    """A private copy, so a test may break files in it."""
    dst = tmp_path / "catalog"
    shutil.copytree(sample_catalog_master, dst)
    return dst


@pytest.fixture(scope="session")
def fairouz_dir() -> Path:
    if not (FAIROUZ / "ids.json").exists():
        pytest.skip(f"the paper's Fairouz data is not at {FAIROUZ} (it lives in ../shared/fairouz beside the repo)")
    return FAIROUZ
