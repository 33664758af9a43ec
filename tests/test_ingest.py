"""The ingest job on the embedded store: counts, idempotence, bad input, resume after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.errors import EncoderError
from recsys.catalog import read_catalog
from recsys.store import open_backend
from tests.support.manifests import read_rows as _rows, write_rows as _write_rows
from tests.support.tiny_encoders import TINY

REPO = Path(__file__).resolve().parents[1]


def _ingest(catalog_dir: Path, store: Path, **kw):
    cat = read_catalog(catalog_dir, cover_cache=store.parent / "covers")
    backend = open_backend(store)
    try:
        return ingest_catalog(cat, backend, IngestOptions(**({"collection": "c", "batch_size": 8} | TINY | kw)))
    finally:
        backend.close()


def _vectors(store: Path) -> dict[str, dict[str, np.ndarray]]:
    backend = open_backend(store)
    try:
        return {p.track_id: p.vectors for p in backend.scroll("c", with_vectors=True)}
    finally:
        backend.close()


def test_ingest_counts_vectors_per_modality(sample_catalog, tmp_path):
    report = _ingest(sample_catalog, tmp_path / "store")
    rows = _rows(sample_catalog)
    with_text = sum(1 for r in rows if r.get("summary") or r.get("lyrics"))
    assert report.ok and report.tracks == report.ingested == len(rows)
    assert report.vectors["text"] == with_text < len(rows)  # instrumentals have no text vector
    assert report.vectors["image"] == report.vectors["audio"] == report.vectors["graph"] == len(rows)
    backend = open_backend(tmp_path / "store")
    try:
        assert backend.count("c") == len(rows)
        assert backend.count("c", using="text") == with_text
        payload = backend.retrieve("c", [rows[0]["track_id"]], with_vectors=False)[0].payload
        assert payload["title"] == rows[0]["title"] and payload["genres"] == rows[0]["genres"]
    finally:
        backend.close()


def test_reingest_changes_nothing_and_skips_unchanged(sample_catalog, tmp_path):
    first = _ingest(sample_catalog, tmp_path / "store")
    before = _vectors(tmp_path / "store")
    second = _ingest(sample_catalog, tmp_path / "store")
    assert second.ingested == 0 and second.unchanged == first.tracks
    after = _vectors(tmp_path / "store")
    assert before.keys() == after.keys()
    for tid in before:
        assert before[tid].keys() == after[tid].keys()
    # one track changes: only it is encoded again
    rows = _rows(sample_catalog)
    rows[3]["summary"] = "A completely new summary about rain and trains."
    _write_rows(sample_catalog, rows)
    third = _ingest(sample_catalog, tmp_path / "store")
    assert third.ingested == 1 and third.unchanged == first.tracks - 1


def test_bad_input_is_reported_and_tracks_keep_what_worked(sample_catalog, tmp_path):
    rows = _rows(sample_catalog)
    (sample_catalog / rows[0]["cover"]).write_bytes(b"this is not a png")  # corrupt image
    (sample_catalog / rows[1]["audio"]).write_bytes(b"")  # empty audio
    (sample_catalog / rows[2]["audio"]).unlink()  # missing audio
    rows[3]["cover"] = "../../outside.png"  # escapes the catalog
    _write_rows(sample_catalog, rows)
    with open(sample_catalog / "manifest.jsonl", "a") as fh:
        fh.write('{"track_id": "broken", "title": \n')  # malformed row
    report = _ingest(sample_catalog, tmp_path / "store")
    text = "\n".join(str(p) for p in report.problems)
    assert "manifest.jsonl:1" in text and Path(rows[0]["cover"]).name in text
    assert Path(rows[1]["audio"]).name in text and "empty" in text
    assert Path(rows[2]["audio"]).name in text
    assert "escapes" in text and f"manifest.jsonl:{len(rows) + 1}" in text
    assert report.ok and report.ingested == len(rows)  # every good row is kept
    backend = open_backend(tmp_path / "store")
    try:
        got = {p.track_id: p for p in backend.retrieve("c", [r["track_id"] for r in rows[:4]])}
    finally:
        backend.close()
    assert "image" not in got[rows[0]["track_id"]].vectors and "audio" in got[rows[0]["track_id"]].vectors
    assert "audio" not in got[rows[1]["track_id"]].vectors and "image" in got[rows[1]["track_id"]].vectors
    assert "audio" not in got[rows[2]["track_id"]].vectors
    assert "image" not in got[rows[3]["track_id"]].vectors and "fused" in got[rows[3]["track_id"]].vectors


def test_an_album_cover_shared_by_its_tracks_is_decoded_and_encoded_once(sample_catalog, tmp_path, monkeypatch):
    """A music folder's album: every track's cover is the one cover.jpg beside them. It was
    decoded and encoded once per track (a 31-track album: 31 times, a third of an ingest).
    Each distinct cover is now encoded once per chunk; every track still gets its vector."""
    from tests.support.tiny_encoders import ColourGridEncoder

    rows = _rows(sample_catalog)
    shared = rows[0]["cover"]
    for r in rows[:10]:
        r["cover"] = shared
    _write_rows(sample_catalog, rows)
    encoded: list[int] = []
    original = ColourGridEncoder.encode
    monkeypatch.setattr(ColourGridEncoder, "encode", lambda self, items: encoded.append(len(items)) or original(self, items))
    report = _ingest(sample_catalog, tmp_path / "store", batch_size=len(rows), cache_dir=None)
    assert report.ok and report.vectors["image"] == len(rows)
    assert sum(encoded) == len({(sample_catalog / r["cover"]).read_bytes() for r in rows}) <= len(rows) - 9
    vectors = _vectors(tmp_path / "store")
    image = {r["track_id"]: vectors[r["track_id"]]["image"] for r in rows}
    assert all(np.allclose(image[r["track_id"]], image[rows[0]["track_id"]]) for r in rows[:10])


def test_nothing_ingestable_is_not_ok(tmp_path):
    d = tmp_path / "cat"
    d.mkdir()
    (d / "manifest.jsonl").write_text('{"title": "no id"}\n')
    report = _ingest(d, tmp_path / "store")
    assert not report.ok and report.ingested == 0 and report.problems


def test_other_encoder_on_existing_collection_fails_clearly(sample_catalog, tmp_path):
    from tests.support.tiny_encoders import HashedWordsEncoder
    from recsys.encoders import EncoderSpec, register_encoder

    register_encoder(EncoderSpec("tiny-text-2", "text", "hashed-words-64b", 64, lambda s, d, b: HashedWordsEncoder("tiny-text-2")), replace=True)
    _ingest(sample_catalog, tmp_path / "store")
    with pytest.raises(EncoderError, match="built with text encoder 'tiny-text'"):
        _ingest(sample_catalog, tmp_path / "store", text_encoder="tiny-text-2")


_KILLABLE = """
import sys
from pathlib import Path
from tests.support.tiny_encoders import register_tiny_encoders, TINY
register_tiny_encoders(audio_delay=float(sys.argv[3]))
from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.store import open_backend

class Tell:
    def stage(self, name, total): pass
    def warn(self, line): pass
    def advance(self, name, n=1):
        if name == "upsert":
            print("upserted", n, flush=True)

cat = read_catalog(Path(sys.argv[1]), cover_cache=Path(sys.argv[2]).parent / "covers")
backend = open_backend(Path(sys.argv[2]))
ingest_catalog(cat, backend, IngestOptions(collection="c", batch_size=8, **TINY), Tell())
backend.close()
print("done", flush=True)
"""


def test_killed_ingest_resumes_without_duplicates_or_loss(sample_catalog, tmp_path):
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE, str(sample_catalog), str(store), "0.3"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    chunks = 0
    deadline = time.time() + 120
    while chunks < 2 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        chunks += line.startswith("upserted")
    os.kill(proc.pid, signal.SIGKILL)  # no clean shutdown: the WAL must carry what was written
    proc.wait()
    assert chunks == 2, "the ingest ended before it could be killed"

    resumed = _ingest(sample_catalog, store)
    n = len(_rows(sample_catalog))
    assert resumed.unchanged >= 16 and resumed.unchanged + resumed.ingested == n
    got = _vectors(store)
    assert len(got) == n

    clean = tmp_path / "clean"
    _ingest(sample_catalog, clean)
    want = _vectors(clean)
    assert got.keys() == want.keys()
    for tid in want:
        assert got[tid].keys() == want[tid].keys()
        for name in want[tid]:
            np.testing.assert_allclose(got[tid][name], want[tid][name], atol=1e-5)


def test_collection_from_before_the_sync_fields_is_kept_and_upgraded(sample_catalog, tmp_path, monkeypatch):
    """Points written before the sync fields (an id-bound content_hash only) are recognised as
    unchanged by their hash, not re-encoded, and get the fields: the next run reads no file."""
    import recsys.catalog.model as model
    from ingest.sync import _track_hash
    from recsys.collection import CollectionMeta
    from recsys.store import PointRecord

    store = tmp_path / "store"
    _ingest(sample_catalog, store)
    cat = read_catalog(sample_catalog, cover_cache=store.parent / "covers")
    backend = open_backend(store)
    try:
        meta = CollectionMeta.from_dict(backend.get_spec("c").metadata)
        salt = "|".join(f"{m}={e.name}:{e.model}:{e.dim}" for m, e in sorted(meta.encoders.items()))
        by_id = cat.by_id()
        legacy = []
        for p in backend.scroll("c", with_vectors=True):
            payload = {k: v for k, v in p.payload.items() if k not in ("fields_hash", "file_stat")}
            payload["content_hash"] = _track_hash(by_id[p.track_id], salt)
            legacy.append(PointRecord(p.track_id, p.vectors, payload))
        backend.upsert("c", legacy)
    finally:
        backend.close()
    before = _vectors(store)
    upgraded = _ingest(sample_catalog, store)
    assert upgraded.ingested == 0 and upgraded.unchanged == len(cat.tracks) and upgraded.removed == 0
    after = _vectors(store)
    for tid in before:
        for name, v in before[tid].items():
            np.testing.assert_array_equal(after[tid][name], v)
    read = []
    monkeypatch.setattr(model, "file_digest", lambda p: read.append(p) or "x")
    assert _ingest(sample_catalog, store).unchanged == len(cat.tracks) and read == []
