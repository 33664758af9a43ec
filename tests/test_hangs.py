"""Files that would hang a reader: a FIFO blocks whoever opens it until a writer comes, a link
to /dev/zero never ends, a symlink loop never resolves. Each must cost one problem line naming
the file, within seconds, while every other track is read and ingested.

Every case runs on a daemon thread with a deadline, so a regression fails the test instead of
hanging the suite (and the thread is unblocked by opening the FIFOs for writing)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.support.deadline import within_deadline
from ingest.pipeline import IngestOptions, ingest_catalog
from ingest.sync import _file_stat
from recsys.catalog import read_catalog
from recsys.catalog.model import file_digest, file_problem
from recsys.errors import CatalogError, MediaError
from recsys.store import open_backend
from tests.support.manifests import read_rows
from tests.support.tiny_encoders import TINY

N_TRACKS = 5


def _ingest(catalog_path: Path, tmp_path: Path):
    catalog = read_catalog(catalog_path, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        report = ingest_catalog(catalog, backend, IngestOptions(collection="c", batch_size=4, **TINY))
    finally:
        backend.close()
    return catalog, report


@pytest.fixture
def small_catalog(sample_catalog_master, tmp_path) -> Path:
    """The first N_TRACKS tracks of the sample catalog with their files."""
    root = tmp_path / "cat"
    rows = read_rows(sample_catalog_master)[:N_TRACKS]
    for row in rows:
        for key in ("audio", "cover"):
            (root / row[key]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sample_catalog_master / row[key], root / row[key])
    _write(root, rows)
    return root


def _write(root: Path, rows: list[dict]) -> None:
    (root / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def _make(root: Path, kind: str, name: str) -> Path:
    path = root / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path.name)  # loop.wav -> loop.wav
    return path


REASON = {
    "fifo": "not a regular file (a FIFO)",
    "dev-zero": "not a regular file (a device or socket)",
    "loop": "cannot read (Too many levels of symbolic links)",
}


def _naming(problems, name: str) -> list[str]:
    return [str(p) for p in problems if name in str(p)]


@pytest.mark.parametrize("kind", sorted(REASON))
@pytest.mark.parametrize("field", ["audio", "cover"])
def test_manifest_file_that_would_hang_costs_one_line(small_catalog, tmp_path, kind, field):
    rows = read_rows(small_catalog)
    name = f"bad-{kind}.{'wav' if field == 'audio' else 'png'}"
    bad = _make(small_catalog, kind, name)
    rows[1][field] = name
    _write(small_catalog, rows)

    catalog, report = within_deadline(lambda: _ingest(small_catalog, tmp_path), fifos=(bad,))

    assert [str(p) for p in catalog.problems] == [f"manifest.jsonl:2: {field} '{name}': {REASON[kind]}"]
    assert _naming(report.problems, name) == [str(catalog.problems[0])]  # once, not again per stage
    assert report.ok and report.ingested == N_TRACKS  # the track keeps its other modalities
    modality = "audio" if field == "audio" else "image"
    assert report.vectors[modality] == N_TRACKS - 1


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_file_that_turns_into_a_fifo_after_the_read_does_not_hang_the_ingest(small_catalog, tmp_path, kind):
    """The reader saw a regular file; by the time the pipeline stats, hashes and decodes it,
    it is a FIFO or a link to /dev/zero: the hashing (file_digest) and the decoder refuse it."""
    rows = read_rows(small_catalog)
    catalog = read_catalog(small_catalog, cover_cache=tmp_path / "covers")
    assert catalog.problems == []
    audio = small_catalog / rows[0]["audio"]
    audio.unlink()
    _make(audio.parent, kind, audio.name)

    def run():
        backend = open_backend(tmp_path / "store")
        try:
            return ingest_catalog(catalog, backend, IngestOptions(collection="c", batch_size=4, **TINY))
        finally:
            backend.close()

    report = within_deadline(run, fifos=(audio,))
    assert _naming(report.problems, audio.name) == [
        f"manifest.jsonl:1: audio skipped: {audio}: {REASON[kind]}"
    ]
    assert report.ok and report.ingested == N_TRACKS and report.vectors["audio"] == N_TRACKS - 1


@pytest.fixture
def music_folder(sample_catalog_master, tmp_path) -> Path:
    root = tmp_path / "music"
    (root / "Artist" / "Album").mkdir(parents=True)
    for i, row in enumerate(read_rows(sample_catalog_master)[:3]):
        src = sample_catalog_master / row["audio"]
        shutil.copyfile(src, root / "Artist" / "Album" / f"0{i + 1} Song{src.suffix}")
    return root


@pytest.mark.parametrize(
    "kind, name", [("fifo", "x.mp3"), ("dev-zero", "zero.flac"), ("loop", "loop.ogg")]
)
def test_music_folder_entry_that_would_hang_costs_one_line(music_folder, tmp_path, kind, name):
    bad = _make(music_folder / "Artist", kind, name)

    catalog, report = within_deadline(lambda: _ingest(music_folder, tmp_path), fifos=(bad,))

    assert [str(p) for p in catalog.problems] == [f"Artist/{name}: {REASON[kind]}"]
    assert _naming(report.problems, name) == [f"Artist/{name}: {REASON[kind]}"]
    assert len(catalog.tracks) == 3 and all(name not in str(t.audio_path) for t in catalog.tracks)
    assert catalog.stats == {"seen": 4, "audio": 3, "skipped": 1, "failed": 0}
    assert report.ok and report.ingested == 3 and report.vectors["audio"] == 3


@pytest.mark.parametrize("kind", sorted(REASON))
def test_file_digest_and_stat_never_open_what_is_not_a_regular_file(tmp_path, kind):
    bad = _make(tmp_path, kind, "bad.wav")
    assert within_deadline(lambda: file_digest(bad), fifos=(bad,)) == "unreadable"
    assert _file_stat(bad) is None
    assert file_problem(bad) == REASON[kind]


def test_file_digest_is_the_sha256_of_a_regular_file(tmp_path):
    import hashlib

    data = os.urandom(3 << 20)  # several read chunks
    (tmp_path / "a.bin").write_bytes(data)
    (tmp_path / "link.bin").symlink_to("a.bin")
    assert file_digest(tmp_path / "a.bin") == file_digest(tmp_path / "link.bin") == hashlib.sha256(data).hexdigest()
    assert file_problem(tmp_path / "a.bin") is None
    assert file_digest(tmp_path / "missing.bin") == "unreadable"


@pytest.mark.parametrize("kind", [*sorted(REASON), "directory", "missing"])
def test_the_catalog_and_the_media_decoder_word_a_bad_file_alike(tmp_path, kind):
    """The media decoder describes a bad file with the catalog's file_problem, whichever stage
    meets the file first."""
    from recsys.encoders.media import load_audio

    path = tmp_path / "bad.wav"
    if kind == "directory":
        path.mkdir()
    elif kind != "missing":
        _make(tmp_path, kind, path.name)
    with pytest.raises(MediaError) as err:
        within_deadline(lambda: load_audio(path), fifos=(path,))
    assert str(err.value) == f"{path}: {file_problem(path)}"


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "loop"])
@pytest.mark.parametrize("as_name", ["catalog.jsonl", "manifest.jsonl"])
def test_a_manifest_that_is_not_a_regular_file_is_one_error(tmp_path, kind, as_name):
    """Given as the catalog path, or as a folder's manifest: one CatalogError, no hang."""
    folder = tmp_path / "cat"
    folder.mkdir()
    bad = _make(folder, kind, as_name)
    target = bad if as_name == "catalog.jsonl" else folder
    with pytest.raises(CatalogError) as err:
        within_deadline(lambda: read_catalog(target, cover_cache=tmp_path / "covers"), fifos=(bad,))
    assert REASON[kind] in str(err.value) and as_name in str(err.value)


def test_a_music_file_name_that_is_not_utf8_is_one_line(music_folder, tmp_path):
    """A name no payload or hash can hold (bytes that are not UTF-8) is reported, not a crash."""
    src = next((music_folder / "Artist" / "Album").iterdir())
    bad = os.fsencode(music_folder / "Artist") + b"/caf\xe9.wav"  # Latin-1, not UTF-8
    with open(bad, "wb") as fh:
        fh.write(src.read_bytes())

    catalog, report = within_deadline(lambda: _ingest(music_folder, tmp_path))

    assert [str(p) for p in catalog.problems] == ["Artist/caf\ufffd.wav: the file name is not UTF-8 text; rename the file"]
    assert report.ok and report.ingested == 3
