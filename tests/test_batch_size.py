"""Tracks per encode batch by device (issue 11): 32 on a CPU, more on a cuda card with the
memory for it; what a user asks for (``--batch-size``, ``RECSYS_BATCH_SIZE``) always wins, and an
ingest that loads no model never imports torch to choose."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import recsys.device as device_mod
from ingest.pipeline import IngestOptions, _with_batch_size, ingest_catalog
from recsys.catalog import read_catalog
from recsys.device import CPU_BATCH_SIZE, default_batch_size
from recsys.store import open_backend
from tests.support.tiny_encoders import TINY

GIB = 1024**3


def _fake_card(monkeypatch, gib: float) -> list[int]:
    """torch.cuda answering for one card of ``gib`` GiB; returns the indexes asked about."""
    import torch

    asked: list[int] = []

    def properties(index: int):
        asked.append(index)
        return SimpleNamespace(total_memory=int(gib * GIB))

    monkeypatch.setattr(torch.cuda, "get_device_properties", properties)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    return asked


@pytest.mark.parametrize(("gib", "size"), [(141, 128), (80, 128), (20, 128), (16, 64), (8, 64), (6, 32)])
def test_cuda_batch_size_follows_the_card_memory(monkeypatch, gib, size):
    asked = _fake_card(monkeypatch, gib)
    assert default_batch_size("cuda") == size
    assert default_batch_size("cuda:1") == size
    assert asked == [0, 1]  # the card named, else the current one


@pytest.mark.parametrize("device", ["cpu", "mps"])
def test_cpu_and_mps_keep_32(device):
    assert default_batch_size(device) == CPU_BATCH_SIZE == 32


def test_an_asked_size_wins_and_no_model_means_no_device_lookup(monkeypatch):
    def no_lookup(*_):
        raise AssertionError("the device was looked up")

    monkeypatch.setattr(device_mod, "pick_device", no_lookup)
    assert _with_batch_size(IngestOptions(batch_size=7), no_models=False).batch_size == 7
    assert _with_batch_size(IngestOptions(), no_models=True).batch_size == 32
    assert _with_batch_size(IngestOptions(ray_address="local"), no_models=False).batch_size == 32
    monkeypatch.setattr(device_mod, "pick_device", lambda requested=None: "cuda")
    _fake_card(monkeypatch, 80)
    assert _with_batch_size(IngestOptions(), no_models=False).batch_size == 128


class _Advances:
    def __init__(self) -> None:
        self.upserts: list[int] = []

    def stage(self, name, total) -> None:
        pass

    def advance(self, name, n=1) -> None:
        if name == "upsert":
            self.upserts.append(n)

    def warn(self, line) -> None:
        pass


def _ingest(catalog_dir: Path, tmp_path: Path, **kw):
    cat = read_catalog(catalog_dir, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    progress = _Advances()
    try:
        return ingest_catalog(cat, backend, IngestOptions(collection="c", **(TINY | kw)), progress), progress
    finally:
        backend.close()


def test_the_ingest_chunks_by_the_device_size(sample_catalog, tmp_path, monkeypatch):
    monkeypatch.setattr(device_mod, "default_batch_size", lambda device: 5)
    report, progress = _ingest(sample_catalog, tmp_path)
    assert report.ok and report.batch_size == 5 and report.as_dict()["batch_size"] == 5
    assert max(progress.upserts) == 5 and sum(progress.upserts) == report.ingested
    again, _ = _ingest(sample_catalog, tmp_path)  # nothing to encode: no device asked about
    assert again.ingested == 0 and again.batch_size == 32


def test_cli_reads_the_size_from_the_environment(sample_catalog, tmp_path, monkeypatch, capsys):
    from cli.main import main
    from tests.support.cli import TINY_ARGS

    monkeypatch.setenv("RECSYS_BATCH_SIZE", "6")
    assert main(["ingest", str(sample_catalog), "-c", "c", "--home", str(tmp_path), *TINY_ARGS, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["batch_size"] == 6
