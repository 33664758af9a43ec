"""recsys verify says which points an ingest would re-encode or re-record because their
preparation record (``recsys.encoders.preparation``) is missing or not now's: the sync's own
verdict (``ingest.preparation.Records``), one warning with examples and the ingest to run."""

from __future__ import annotations

from pathlib import Path

from ingest.verify import verify_collection
from recsys.catalog import read_catalog
from recsys.encoders.preparation import PREPARED
from recsys.store import open_backend
from recsys.store.base import PointRecord
from tests import test_sync
from tests.test_preparation import STEREO, SURROUND, _ingest, _library

#: test_sync's autouse fixture (the tiny counting encoders), in force here too
counting_encoders = test_sync.counting_encoders


def _verify(tmp_path: Path) -> dict:
    cat = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        return verify_collection(backend, "c", cat).as_dict()  # what --json prints
    finally:
        backend.close()


def _strip_record(tmp_path: Path, file_name: str) -> None:
    """The point of ``file_name`` as a recsys of before 2026-11-28 left it: no record."""
    backend = open_backend(tmp_path / "store")
    try:
        for p in backend.scroll("c", with_vectors=True):
            if Path(p.payload["audio_path"]).name == file_name:
                payload = {k: v for k, v in p.payload.items() if k != PREPARED}
                backend.upsert("c", [PointRecord(p.track_id, p.vectors, payload)])
    finally:
        backend.close()


def test_a_point_without_a_preparation_record_is_a_warning_an_ingest_repairs(tmp_path):
    _library(tmp_path)
    _ingest(tmp_path)
    report = _verify(tmp_path)
    assert report["ok"] and report["findings"] == [], report["findings"]  # a current store: nothing
    _strip_record(tmp_path, SURROUND)
    report = _verify(tmp_path)
    assert report["ok"]  # a warning: the store answers queries as it did
    [found] = [f for f in report["findings"] if f["kind"] == "preparation"]
    assert found["severity"] == "warning" and found["count"] == 1 and found["vector"] is None
    assert len(found["track_ids"]) == 1 and SURROUND in found["examples"][0]
    assert "audio downmix changed for 1" in found["message"] and "run recsys ingest to re-encode" in found["message"]
    assert found["repair"].startswith("recsys ingest ") and "--force" not in found["repair"]
    assert report["repairs"] == [found["repair"]]
    # the ingest re-encodes the 5.1 file's audio (its downmix changed) and records it: clean again
    again = _ingest(tmp_path)
    assert again.reprepared == {"audio": 1}
    assert _verify(tmp_path)["findings"] == []


def test_a_stereo_point_without_a_record_is_counted_too_an_ingest_only_records_it(tmp_path):
    """No downmix ever touched a stereo file: an ingest writes its record, encoding nothing."""
    _library(tmp_path)
    _ingest(tmp_path)
    _strip_record(tmp_path, STEREO)
    [found] = [f for f in _verify(tmp_path)["findings"] if f["kind"] == "preparation"]
    assert found["count"] == 1 and STEREO in found["examples"][0]
    again = _ingest(tmp_path)
    assert again.reprepared == {} and again.refreshed == 1
    assert _verify(tmp_path)["findings"] == []
