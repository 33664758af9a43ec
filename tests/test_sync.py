"""An ingest keeps a collection in sync with its catalog: removed tracks go, moved and renamed
files keep their vectors, unchanged tracks are recognised without reading their files, a dry
run changes nothing, --force re-encodes."""

from __future__ import annotations

import json
import os
import shutil
import wave
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog
from recsys.encoders import EncoderSpec, register_encoder
from recsys.encoders.registry import clear_encoder_cache
from recsys.store import open_backend
from tests.support.manifests import read_rows as _rows, write_rows as _write_rows
from tests.support.tiny_encoders import (
    AUDIO_DIM, IMAGE_DIM, TEXT_DIM, BandEnergyEncoder, ColourGridEncoder, HashedWordsEncoder,
)

#: items each counting encoder was asked to encode, and how often each was loaded
CALLS: Counter = Counter()
LOADS: Counter = Counter()


def _counting(base):
    class Counting(base):
        def encode(self, items):
            items = list(items)
            CALLS[self.info.modality] += len(items)
            return super().encode(items)

    return Counting


def _loader(cls, name):
    def load(spec, device, batch_size):
        LOADS[name] += 1
        return cls(name)

    return load


@pytest.fixture(autouse=True)
def counting_encoders(monkeypatch):
    from recsys.encoders import registry

    # registered into a copy of the registry: they leave with the test (test_encoder_contract
    # lists every registered encoder, and would meet them in a later test of one session)
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    for name, base, modality, model, dim in (
        ("count-text", HashedWordsEncoder, "text", "hashed-words-64", TEXT_DIM),
        ("count-image", ColourGridEncoder, "image", "colour-grid-4x4", IMAGE_DIM),
        ("count-audio", BandEnergyEncoder, "audio", "band-energy-24", AUDIO_DIM),
    ):
        register_encoder(EncoderSpec(name, modality, model, dim, _loader(_counting(base), name)), replace=True)
    clear_encoder_cache()  # every test loads its models afresh, so LOADS counts real loads
    CALLS.clear()
    LOADS.clear()
    yield
    clear_encoder_cache()
    CALLS.clear()
    LOADS.clear()


COUNTING = {"text_encoder": "count-text", "image_encoder": "count-image", "audio_encoder": "count-audio"}


def _ingest(catalog_dir: Path, tmp_path: Path, **kw):
    cat = read_catalog(catalog_dir, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    kw.setdefault("cache_dir", tmp_path / "cache")
    try:
        return ingest_catalog(cat, backend, IngestOptions(**({"collection": "c", "batch_size": 8} | COUNTING | kw)))
    finally:
        backend.close()


def _points(tmp_path: Path) -> dict:
    backend = open_backend(tmp_path / "store")
    try:
        if not backend.collection_exists("c"):
            return {}
        return {p.track_id: p for p in backend.scroll("c", with_vectors=True)}
    finally:
        backend.close()


def _write_wav(path: Path, freq: float) -> None:
    t = np.arange(8000 * 3) / 8000
    pcm = (0.4 * np.sin(2 * np.pi * freq * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(pcm.tobytes())


def _change_library(cat: Path) -> dict:
    """Move one file, rename one track and its file, delete one, add one, edit one's text."""
    rows = _rows(cat)
    moved, renamed, deleted, edited = rows[0], rows[1], rows[2], rows[4]
    (cat / "elsewhere").mkdir()
    for key in ("audio", "cover"):  # moved: same id, files in another folder
        dst = f"elsewhere/{Path(moved[key]).name}"
        shutil.move(cat / moved[key], cat / dst)
        moved[key] = dst
    old_renamed = renamed["track_id"]
    new_audio = f"audio/renamed-{Path(renamed['audio']).name}"
    shutil.move(cat / renamed["audio"], cat / new_audio)  # renamed: new file name, new id
    renamed["audio"], renamed["track_id"] = new_audio, old_renamed + "-renamed"
    (cat / deleted["audio"]).unlink()
    rows.remove(deleted)
    edited["summary"] = "A brand new summary about rain, trains and a lighthouse at dusk."
    _write_wav(cat / "audio/new.wav", 523.25)
    Image.new("RGB", (32, 32), (10, 200, 90)).save(cat / "covers/new.png")
    rows.append({
        "track_id": "new1", "title": "Fresh Track", "artist": "Newcomer", "album": "Debut",
        "genres": ["pop"], "year": 2024, "summary": "A bright new song about beginnings.",
        "audio": "audio/new.wav", "cover": "covers/new.png",
    })
    _write_rows(cat, rows)
    return {
        "moved": moved["track_id"], "renamed": (old_renamed, renamed["track_id"]),
        "deleted": deleted["track_id"], "edited": edited["track_id"], "added": "new1",
        "ids": {r["track_id"] for r in rows},
    }


def test_sync_removes_moves_adds_and_reencodes_only_what_changed(sample_catalog, tmp_path):
    first = _ingest(sample_catalog, tmp_path)
    n = len(_rows(sample_catalog))
    assert first.added == first.ingested == n and first.removed == first.moved == 0
    before = _points(tmp_path)
    change = _change_library(sample_catalog)

    CALLS.clear()
    report = _ingest(sample_catalog, tmp_path)
    assert (report.added, report.updated, report.moved, report.removed) == (1, 1, 2, 1)
    assert report.unchanged == n - 4 and report.ingested == 2 and report.removal_skipped is None
    # encoded: the new track's text, cover and audio, the edited track's text; nothing else
    assert CALLS == Counter({"text": 2, "image": 1, "audio": 1})
    assert report.cached == {"image": 1, "audio": 1}  # the edited track's unchanged files

    after = _points(tmp_path)
    assert set(after) == change["ids"]
    old_id, new_id = change["renamed"]
    for old, new in ((change["moved"], change["moved"]), (old_id, new_id)):
        assert after[new].vectors.keys() == before[old].vectors.keys()
        for name, v in before[old].vectors.items():
            np.testing.assert_array_equal(after[new].vectors[name], v)
    assert after[change["moved"]].payload["audio_path"].endswith("elsewhere/" + Path(after[change["moved"]].payload["audio_path"]).name)
    assert after[new_id].payload["track_id"] == new_id and "renamed-" in after[new_id].payload["audio_path"]
    edited_before, edited_after = before[change["edited"]].vectors, after[change["edited"]].vectors
    assert not np.allclose(edited_after["text"], edited_before["text"])
    for name in ("image", "audio"):
        np.testing.assert_allclose(edited_after[name], edited_before[name], atol=1e-6)
    assert {"text", "image", "audio", "graph", "fused"} <= set(after["new1"].vectors)

    # and the next ingest finds nothing to do: no model is even loaded
    clear_encoder_cache()
    CALLS.clear()
    LOADS.clear()
    again = _ingest(sample_catalog, tmp_path)
    assert (again.added, again.updated, again.moved, again.removed, again.unchanged) == (0, 0, 0, 0, n)
    assert sum(CALLS.values()) == 0 and sum(LOADS.values()) == 0


def test_dry_run_reports_the_changes_and_changes_nothing(sample_catalog, tmp_path):
    # against no collection: everything would be added, nothing is created, no model loaded
    dry = _ingest(sample_catalog, tmp_path, dry_run=True)
    n = len(_rows(sample_catalog))
    assert dry.dry_run and dry.ok and dry.added == n and dry.ingested == 0
    assert _points(tmp_path) == {} and sum(LOADS.values()) == 0

    _ingest(sample_catalog, tmp_path)
    before = _points(tmp_path)
    change = _change_library(sample_catalog)
    clear_encoder_cache()
    LOADS.clear()
    CALLS.clear()
    dry = _ingest(sample_catalog, tmp_path, dry_run=True)
    assert (dry.added, dry.updated, dry.moved, dry.removed, dry.unchanged) == (1, 1, 2, 1, n - 4)
    old_id, new_id = change["renamed"]
    names = dry.plan.pop("names")
    assert dry.plan == {
        "added": ["new1"],
        "updated": [change["edited"]],
        "moved": [{"from": change["moved"], "to": change["moved"]}, {"from": old_id, "to": new_id}],
        "removed": [change["deleted"]],
        "retried": [],
        "reprepared": {},
    }
    # each as a person finds it: the manifest's line, or the removed (or moved away) point's stored file
    assert set(names) == {"new1", change["edited"], change["moved"], new_id, change["deleted"], old_id}
    stored = Path(before[old_id].payload["audio_path"])  # its file, in the catalog's folder
    assert names[old_id] == f"{old_id} ({stored.relative_to(tmp_path / 'catalog').as_posix()})"
    assert all(names[t].startswith(f"{t} (manifest.jsonl:") for t in ("new1", change["edited"], new_id))
    gone = Path(before[change["deleted"]].payload["audio_path"]).relative_to(tmp_path / "catalog").as_posix()
    assert names[change["deleted"]] == f"{change['deleted']} ({gone})"
    assert sum(LOADS.values()) == 0 and sum(CALLS.values()) == 0
    after = _points(tmp_path)
    assert after.keys() == before.keys()
    for tid, p in before.items():
        assert after[tid].payload == p.payload
    assert dry.as_dict()["plan"]["removed"] == [change["deleted"]]


def test_removal_is_skipped_when_the_read_lost_rows_or_keep_missing(sample_catalog, tmp_path):
    _ingest(sample_catalog, tmp_path)
    rows = _rows(sample_catalog)
    gone = rows.pop(5)["track_id"]
    _write_rows(sample_catalog, rows)
    kept = _ingest(sample_catalog, tmp_path, keep_missing=True)
    assert kept.removed == 0 and kept.removal_skipped == "--keep-missing" and gone in _points(tmp_path)

    with open(sample_catalog / "manifest.jsonl", "a") as fh:
        fh.write('{"track_id": "broken", "title": \n')  # a row the read loses
    lost = _ingest(sample_catalog, tmp_path)
    assert lost.removed == 0 and "dropped 1 row" in lost.removal_skipped
    assert gone in _points(tmp_path)

    _write_rows(sample_catalog, rows)  # a clean read: the missing track goes
    clean = _ingest(sample_catalog, tmp_path)
    assert clean.removed == 1 and clean.removal_skipped is None
    assert set(_points(tmp_path)) == {r["track_id"] for r in rows}


def test_another_catalog_into_the_same_collection_removes_nothing(sample_catalog, tmp_path):
    _ingest(sample_catalog, tmp_path)
    rows = _rows(sample_catalog)
    other = [r | {"track_id": "x" + r["track_id"], "title": r["title"] + " (other)"} for r in rows[:3]]
    _write_rows(sample_catalog, other)
    report = _ingest(sample_catalog, tmp_path)
    assert report.added == 3 and report.removed == 0 and "no track of this catalog" in report.removal_skipped
    assert len(_points(tmp_path)) == len(rows) + 3


def test_empty_catalog_never_empties_the_collection(sample_catalog, tmp_path):
    _ingest(sample_catalog, tmp_path)
    n = len(_rows(sample_catalog))
    _write_rows(sample_catalog, [])
    (sample_catalog / "manifest.jsonl").write_text('{"title": "no id"}\n')
    report = _ingest(sample_catalog, tmp_path)
    assert report.removed == 0 and not report.ok
    assert len(_points(tmp_path)) == n


def test_unchanged_reingest_reads_no_file(sample_catalog, tmp_path, monkeypatch):
    import recsys.catalog.model as model
    import recsys.encoders.audio_key as audio_key

    _ingest(sample_catalog, tmp_path)
    n = len(_rows(sample_catalog))
    read: list[Path] = []
    real, real_audio = model.file_digest, audio_key.audio_file_keys
    monkeypatch.setattr(model, "file_digest", lambda p: read.append(Path(p)) or real(p))
    # an audio file's digest comes with its sound's key, from one read
    monkeypatch.setattr(audio_key, "audio_file_keys", lambda p: read.append(Path(p)) or real_audio(p))
    report = _ingest(sample_catalog, tmp_path)
    assert report.unchanged == n and read == []
    # a touched file (same bytes, new mtime) is hashed once, found unchanged, not encoded
    audio = sample_catalog / _rows(sample_catalog)[7]["audio"]
    st = audio.stat()
    os.utime(audio, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    CALLS.clear()
    touched = _ingest(sample_catalog, tmp_path)
    assert touched.unchanged == n and touched.updated == 0 and sum(CALLS.values()) == 0
    assert audio in read and len(read) == 2  # its audio and its cover, nothing else
    read.clear()
    assert _ingest(sample_catalog, tmp_path).unchanged == n and read == []  # the new mtime is stored


def test_changed_bytes_with_the_same_size_and_name_are_reencoded(sample_catalog, tmp_path):
    _ingest(sample_catalog, tmp_path)
    row = _rows(sample_catalog)[9]
    cover = sample_catalog / row["cover"]
    Image.new("RGB", (64, 64), (250, 20, 20)).save(cover)
    CALLS.clear()
    report = _ingest(sample_catalog, tmp_path)
    assert report.updated == 1 and CALLS["image"] == 1 and CALLS["audio"] == 0


def test_force_reencodes_every_track_without_reading_the_cache(sample_catalog, tmp_path):
    _ingest(sample_catalog, tmp_path)
    n = len(_rows(sample_catalog))
    CALLS.clear()
    report = _ingest(sample_catalog, tmp_path, force=True)
    assert report.updated == report.ingested == n and report.cached == {}
    assert CALLS["image"] == CALLS["audio"] == n and CALLS["text"] == report.vectors["text"]


def test_music_folder_rename_keeps_the_vectors(sample_catalog, tmp_path):
    from mutagen.flac import FLAC

    music = tmp_path / "music"
    music.mkdir()
    flacs = sorted((sample_catalog / "audio").glob("*.flac"))[:2]
    assert len(flacs) == 2
    for i, src in enumerate(flacs):
        dst = music / f"song{i}.flac"
        shutil.copy(src, dst)
        tags = FLAC(dst)
        tags["title"], tags["artist"], tags["album"] = f"Song {i}", "Tagged Artist", "Tagged Album"
        tags.save()
    _ingest(music, tmp_path)
    before = _points(tmp_path)
    (music / "song0.flac").rename(music / "renamed.flac")  # the music folder's id is the path's
    CALLS.clear()
    report = _ingest(music, tmp_path)
    assert (report.moved, report.added, report.removed) == (1, 0, 0) and sum(CALLS.values()) == 0
    after = _points(tmp_path)
    assert len(after) == 2 and set(after) != set(before)
    [new] = set(after) - set(before)
    [old] = set(before) - set(after)
    for name, v in before[old].vectors.items():
        np.testing.assert_array_equal(after[new].vectors[name], v)


def test_an_unchanged_music_folder_is_synced_on_the_readers_stats(sample_catalog, tmp_path, monkeypatch):
    """The reader stats every audio file (its tag cache keys on size and mtime); the sync
    stat'ed each again (50,000 more at 50,000 files): it takes the reader's. A file changed
    after the read is caught by the next ingest, whose read sees its new stat."""
    from mutagen.flac import FLAC

    import ingest.sync as sync

    music = tmp_path / "music"
    music.mkdir()
    for i, src in enumerate(sorted((sample_catalog / "audio").glob("*.flac"))[:3]):
        shutil.copy(src, music / f"song{i}.flac")
    first = _ingest(music, tmp_path)
    stats: list[str] = []
    real = sync._file_stat
    monkeypatch.setattr(sync, "_file_stat", lambda path: stats.append(str(path)) or real(path))
    CALLS.clear()
    again = _ingest(music, tmp_path)
    assert again.unchanged == first.ingested == 3 and sum(CALLS.values()) == 0
    assert not [p for p in stats if p.endswith(".flac")]
    tags = FLAC(music / "song1.flac")
    tags["genre"] = "Jazz"
    tags.save()
    assert _ingest(music, tmp_path).updated == 1


def test_cli_dry_run_and_summary(capsys, sample_catalog, tmp_path):
    from cli.main import main

    args = ["ingest", str(sample_catalog), "--collection", "c", "--home", str(tmp_path / "home"),
            "--text-encoder", "count-text", "--image-encoder", "count-image", "--audio-encoder", "count-audio"]
    assert main([*args, "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    n = len(_rows(sample_catalog))
    assert data["dry_run"] and data["added"] == n and len(data["plan"]["added"]) == n and data["ingested"] == 0
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["added"], data["updated"], data["moved"], data["removed"], data["unchanged"]) == (n, 0, 0, 0, 0)
    change = _change_library(sample_catalog)
    assert main([*args, "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "dry run" in err and "nothing was changed" in err
    assert change["deleted"] in err and "new1 (manifest.jsonl:" in err
    # a move from the old point's stored file to the new row: "t1 (audio/x.wav) -> t9 (manifest.jsonl:9)"
    flat = " ".join(line.strip(" │|") for line in err.splitlines())
    assert f"{change['renamed'][0]} (" in flat and f") -> {change['renamed'][1]} (" in flat
    assert main(args) == 0
    err = capsys.readouterr().err
    for label, count in (("added", 1), ("updated (content changed)", 1), ("moved (vectors kept)", 2), ("removed", 1)):
        assert any(line.strip(" │|").startswith(label) and line.rstrip(" │|").endswith(f" {count}") for line in err.splitlines()), label


def test_points_written_before_a_derived_field_gain_it_without_encoding(sample_catalog, tmp_path):
    """A collection whose payloads predate a derived lookup field (title_norm, artist_norm...)
    gets it on the next ingest, with its vectors kept and nothing encoded."""
    from recsys.catalog.model import DERIVED_PAYLOAD_KEYS
    from recsys.store.base import PointRecord

    _ingest(sample_catalog, tmp_path)
    backend = open_backend(tmp_path / "store")
    try:
        old = list(backend.scroll("c", with_vectors=True))
        backend.upsert("c", [
            PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k not in DERIVED_PAYLOAD_KEYS})
            for p in old
        ])
    finally:
        backend.close()
    report = _ingest(sample_catalog, tmp_path)
    assert report.ingested == 0 and report.unchanged == len(old)
    after = _points(tmp_path)
    for p in old:
        assert DERIVED_PAYLOAD_KEYS <= after[p.track_id].payload.keys()
        for name, v in p.vectors.items():
            np.testing.assert_array_equal(after[p.track_id].vectors[name], v)


def test_points_whose_derived_fields_older_rules_made_are_rewritten_without_encoding(sample_catalog, tmp_path):
    """A derived key made by older rules (an artist_key from before "and" was keyed as "&") would
    stay in the payload until the track's files change, and a filter made by the new rules would
    miss it: the next ingest rewrites such payloads (DERIVED_RULES), vectors kept, nothing encoded."""
    from recsys.catalog.model import DERIVED_RULES, DERIVED_RULES_KEY
    from recsys.store.base import PointRecord

    _ingest(sample_catalog, tmp_path)
    backend = open_backend(tmp_path / "store")
    try:
        old = list(backend.scroll("c", with_vectors=True))
        assert all(p.payload[DERIVED_RULES_KEY] == DERIVED_RULES for p in old)
        backend.upsert("c", [
            PointRecord(p.track_id, p.vectors, p.payload | {DERIVED_RULES_KEY: DERIVED_RULES - 1, "artist_key": "stale"})
            for p in old
        ])
    finally:
        backend.close()
    # a dry run says how many payloads the ingest will rewrite (all of them, after such an
    # upgrade: minutes at 50,000 tracks), and writes none
    dry = _ingest(sample_catalog, tmp_path, dry_run=True)
    assert dry.refreshed == len(old) and dry.as_dict()["refreshed"] == len(old)
    assert all(p.payload["artist_key"] == "stale" for p in _points(tmp_path).values())
    report = _ingest(sample_catalog, tmp_path)
    assert report.ingested == 0 and report.unchanged == report.refreshed == len(old)
    after = _points(tmp_path)
    for p in old:
        assert after[p.track_id].payload[DERIVED_RULES_KEY] == DERIVED_RULES
        assert after[p.track_id].payload["artist_key"] == p.payload["artist_key"] != "stale"
        for name, v in p.vectors.items():
            np.testing.assert_array_equal(after[p.track_id].vectors[name], v)
    again = _ingest(sample_catalog, tmp_path)  # and once only
    assert again.unchanged == len(old) and again.refreshed == 0


def _recorded(read, events: list):
    """``read`` that first notes ("read", the resolved path, its thread) in ``events``: an audio
    file's digest comes with its sound's key (``audio_file_keys``), a read like ``file_digest``'s."""
    import threading

    def recording(path):
        events.append(("read", str(Path(path).resolve()), threading.current_thread().name))
        return read(path)

    return recording


def test_an_ingest_reads_each_file_once_on_threads_after_taking_its_stat(sample_catalog, tmp_path, monkeypatch):
    """The sync fields and the embedding caches both want each file's digest: a chunk's files
    are read and hashed once (ingest.sync.file_digests), side by side on threads, and only
    after their stat is taken (a file changed in between is then hashed again next time)."""
    import threading

    import ingest.sync as sync
    import recsys.catalog.model as model
    import recsys.encoders.audio_key as audio_key

    events: list[tuple[str, str, str]] = []
    real_digest, real_stat = model.file_digest, sync._file_stat

    def digest(path):
        events.append(("read", str(Path(path).resolve()), threading.current_thread().name))
        return real_digest(path)

    def file_stat(path):
        if path is not None:
            events.append(("stat", str(Path(path).resolve()), threading.current_thread().name))
        return real_stat(path)

    monkeypatch.setattr(model, "file_digest", digest)
    monkeypatch.setattr(audio_key, "audio_file_keys", _recorded(audio_key.audio_file_keys, events))
    monkeypatch.setattr(sync, "_file_stat", file_stat)
    rows = _rows(sample_catalog)
    files = [str((sample_catalog / r[k]).resolve()) for r in rows for k in ("audio", "cover") if r.get(k)]
    assert len(files) == len(set(files)) > 2 * 8  # no file shared, more than one chunk's
    report = _ingest(sample_catalog, tmp_path)  # with the embedding cache (the default here)
    assert report.ingested == len(rows)
    reads = [(path, thread) for kind, path, thread in events if kind == "read"]
    assert Counter(path for path, _ in reads) == Counter(files)  # each once
    assert {thread.rsplit("_", 1)[0] for _, thread in reads} == {"recsys-digest"}
    for path in files:
        first_stat = events.index(next(e for e in events if e[:2] == ("stat", path)))
        first_read = events.index(next(e for e in events if e[:2] == ("read", path)))
        assert first_stat < first_read, path
    # the same store and cache keys as a run that hashes one file at a time
    monkeypatch.setattr(sync, "DIGEST_THREADS", 1)
    other = tmp_path / "one-at-a-time"
    other.mkdir()
    _ingest(sample_catalog, other)
    ours, theirs = _points(tmp_path), _points(other)
    assert {t: p.payload["content_hash"] for t, p in ours.items()} == {t: p.payload["content_hash"] for t, p in theirs.items()}
    assert sorted(f.name for f in (tmp_path / "cache").iterdir()) == sorted(f.name for f in (other / "cache").iterdir())


def test_a_touched_library_is_hashed_side_by_side_once_and_found_unchanged(sample_catalog, tmp_path, monkeypatch):
    """A tagger that rewrote every file's mtime: the sync hashes each file once, on the digest
    threads (SyncPlan.key_many), finds every track unchanged and encodes nothing."""
    import threading

    import recsys.catalog.model as model
    import recsys.encoders.audio_key as audio_key

    _ingest(sample_catalog, tmp_path)
    rows = _rows(sample_catalog)
    files = [sample_catalog / r[k] for r in rows for k in ("audio", "cover") if r.get(k)]
    for f in files:
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 7_000_000_000))
    reads: list[tuple[str, str]] = []
    real = model.file_digest
    monkeypatch.setattr(
        model, "file_digest", lambda p: reads.append((str(Path(p).resolve()), threading.current_thread().name)) or real(p)
    )
    events: list[tuple[str, str, str]] = []
    monkeypatch.setattr(audio_key, "audio_file_keys", _recorded(audio_key.audio_file_keys, events))
    CALLS.clear()
    report = _ingest(sample_catalog, tmp_path)
    reads += [(path, thread) for _, path, thread in events]
    assert report.unchanged == len(rows) and report.updated == 0 and sum(CALLS.values()) == 0
    assert Counter(path for path, _ in reads) == Counter(str(f.resolve()) for f in files)
    assert {thread.rsplit("_", 1)[0] for _, thread in reads} == {"recsys-digest"}


def test_a_model_is_loaded_only_for_a_modality_the_tracks_to_encode_have_inputs_for(tmp_path):
    """A music folder's tracks mostly have no text: a real library of 72 files had none, and
    four retagged files took 7 s to ingest, 5 of them loading the text model for nothing. The
    text and image models load once a track to encode has a text or a cover."""
    cat = tmp_path / "lib"
    (cat / "audio").mkdir(parents=True)
    rows = []
    for i in range(3):
        _write_wav(cat / f"audio/{i}.wav", 300.0 + 100 * i)
        rows.append({"track_id": f"t{i}", "title": f"Song {i}", "artist": "A", "audio": f"audio/{i}.wav"})
    _write_rows(cat, rows)
    first = _ingest(cat, tmp_path)
    assert first.added == 3 and first.vectors["audio"] == 3
    assert LOADS == Counter({"count-audio": 1})

    clear_encoder_cache()
    LOADS.clear()
    (cat / "covers").mkdir()
    Image.new("RGB", (32, 32), (10, 200, 90)).save(cat / "covers/c.png")
    rows[0] |= {"summary": "A song about the sea.", "cover": "covers/c.png"}
    rows[1]["genres"] = ["folk"]
    _write_rows(cat, rows)
    again = _ingest(cat, tmp_path)
    assert again.updated == 2 and again.vectors["text"] == 1 and again.vectors["image"] == 1
    # the audio files are unchanged: every audio vector is in the cache, so that model stays
    # unloaded (ingest.deferred)
    assert LOADS == Counter({"count-text": 1, "count-image": 1})


def test_a_collection_before_composer_norm_gains_it_on_the_composers_tracks_alone(tmp_path):
    """``composer_norm`` (what --composer matches) is derived: a collection written before it
    gains it at its next ingest on the tracks naming a composer, its payload rewritten with the
    stored vectors; nothing is encoded, the hashes stay, and the other tracks are untouched."""
    pytest.importorskip("mutagen")
    from recsys.store.base import PointRecord
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "Karajan/Fifth/01 I.flac", TITLE="Symphony No. 5: I. Allegro con brio",
                ARTIST="Berliner Philharmoniker", ALBUM="Fifth", COMPOSER="Ludwig van Beethoven")
    tagged_flac(lib / "Karajan/Fifth/02 II.flac", TITLE="Symphony No. 5: II. Andante con moto",
                ARTIST="Berliner Philharmoniker", ALBUM="Fifth", COMPOSER="Ludwig van Beethoven")
    tagged_flac(lib / "Daft Punk/Discovery/01 One More Time.flac", TITLE="One More Time", ARTIST="Daft Punk",
                ALBUM="Discovery")
    _ingest(lib, tmp_path)
    backend = open_backend(tmp_path / "store")
    try:
        old = list(backend.scroll("c", with_vectors=True))
        assert sorted("composer_norm" in p.payload for p in old) == [False, True, True]
        backend.upsert("c", [  # as an ingest before composer_norm wrote them
            PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k != "composer_norm"})
            for p in old
        ])
    finally:
        backend.close()
    CALLS.clear()
    report = _ingest(lib, tmp_path)
    assert report.ingested == 0 and report.unchanged == 3 and not CALLS
    after = _points(tmp_path)
    for p in old:
        got = after[p.track_id]
        assert got.payload == p.payload  # composer_norm back where it was, nothing else changed
        for name, v in p.vectors.items():
            np.testing.assert_array_equal(got.vectors[name], v)
    assert {p.payload.get("composer_norm") for p in after.values()} == {None, "ludwig van beethoven"}


def test_a_collection_before_kind_gains_it_on_its_spoken_word_alone(tmp_path):
    """``kind`` (spoken word) is derived like ``composer_norm``: a collection written before it
    gains it at its next ingest on the podcast episode alone, its payload rewritten with the
    stored vectors; nothing is encoded and the songs are untouched."""
    pytest.importorskip("mutagen")
    from recsys.store.base import PointRecord
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "Band/Album/01 Song.flac", TITLE="Song", ARTIST="Band", ALBUM="Album", GENRE="Rock")
    tagged_flac(lib / "Podcasts/Show/Episode 1.flac", TITLE="Episode 1", ARTIST="Show", GENRE="Podcast")
    _ingest(lib, tmp_path)
    backend = open_backend(tmp_path / "store")
    try:
        old = list(backend.scroll("c", with_vectors=True))
        assert sorted(p.payload.get("kind", "") for p in old) == ["", "spoken"]
        backend.upsert("c", [  # as an ingest before the field wrote them
            PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k != "kind"}) for p in old
        ])
    finally:
        backend.close()
    CALLS.clear()
    report = _ingest(lib, tmp_path)
    assert report.ingested == 0 and report.unchanged == 2 and not CALLS
    after = _points(tmp_path)
    for p in old:
        assert after[p.track_id].payload == p.payload  # kind back on the episode, nothing else changed
        for name, v in p.vectors.items():
            np.testing.assert_array_equal(after[p.track_id].vectors[name], v)


def test_an_old_collection_lacking_kind_and_rules_3_is_refreshed_once_and_not_by_a_dry_run(tmp_path, monkeypatch):
    """A collection of older DERIVED_RULES without ``kind`` where it belongs, with it where the
    rules now find music: a dry run writes nothing, the next ingest rewrites each payload once
    (rules and kind together), the one after rewrites none."""
    pytest.importorskip("mutagen")
    import ingest.pipeline as pipeline
    from recsys.catalog.model import DERIVED_RULES, DERIVED_RULES_KEY
    from recsys.store.base import PointRecord
    from tests.support.tagged_files import tagged_flac

    refreshes: list[int] = []
    real = pipeline.plan_sync

    def counting(*a, **kw):
        plan = real(*a, **kw)
        refreshes.append(len(plan.refresh))
        return plan

    monkeypatch.setattr(pipeline, "plan_sync", counting)
    lib = tmp_path / "lib"
    tagged_flac(lib / "Band/Album/01 Song.flac", TITLE="Song", ARTIST="Band", ALBUM="Album", GENRE="Rock")
    tagged_flac(lib / "Podcasts/Show/Episode 1.flac", TITLE="Episode 1", ARTIST="Show", GENRE="Technology")
    _ingest(lib, tmp_path)
    backend = open_backend(tmp_path / "store")
    try:
        new = {p.track_id: p.payload for p in backend.scroll("c")}
        old = list(backend.scroll("c", with_vectors=True))
        # older rules: no kind on the episode, and one on the song (rules that called it spoken word)
        backend.upsert("c", [PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k != "kind"}
                                         | {DERIVED_RULES_KEY: DERIVED_RULES - 1}
                                         | ({} if "kind" in p.payload else {"kind": "spoken"})) for p in old])
        written = {p.track_id: p.payload for p in backend.scroll("c")}
    finally:
        backend.close()
    _ingest(lib, tmp_path, dry_run=True)
    assert {t: p.payload for t, p in _points(tmp_path).items()} == written
    CALLS.clear()
    _ingest(lib, tmp_path)
    assert {t: p.payload for t, p in _points(tmp_path).items()} == new and not CALLS
    _ingest(lib, tmp_path)
    assert refreshes == [0, 2, 2, 0]  # the first ingest, the dry run (plans, writes nothing), the refresh, none again


def test_the_tables_say_how_many_payloads_an_ingest_rewrites(capsys, sample_catalog, tmp_path):
    """After an upgrade that changed how filter keys are made, the next ingest rewrites every
    payload (minutes at 50,000 tracks) while its table said only "unchanged": the dry run and
    the ingest now count them."""
    from cli.main import main
    from recsys.catalog.model import DERIVED_RULES, DERIVED_RULES_KEY
    from recsys.store.base import PointRecord

    home = tmp_path / "home"
    args = ["ingest", str(sample_catalog), "--collection", "c", "--home", str(home),
            "--text-encoder", "count-text", "--image-encoder", "count-image", "--audio-encoder", "count-audio"]
    assert main(args) == 0
    capsys.readouterr()
    backend = open_backend(home / "store")
    try:
        old = list(backend.scroll("c", with_vectors=True))
        backend.upsert("c", [PointRecord(p.track_id, p.vectors, p.payload | {DERIVED_RULES_KEY: DERIVED_RULES - 1})
                             for p in old])
    finally:
        backend.close()
    n = len(old)

    def row(err: str, label: str) -> bool:
        return any(line.strip(" │|").startswith(label) and f" {n} " in f"{line} " for line in err.splitlines())

    assert main([*args, "--dry-run"]) == 0
    assert row(capsys.readouterr().err, "of them, rewrite payload (keep vectors)")
    assert main(args) == 0
    assert row(capsys.readouterr().err, "of them, payload rewritten (vectors kept)")
    assert main(args) == 0
    assert "payload rewritten" not in capsys.readouterr().err
