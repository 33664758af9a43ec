"""recsys verify: a clean ingest verifies clean; each way of breaking the store is one finding
with the command that repairs it, and running that command makes verify clean again."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

from recsys.collection import CollectionMeta
from recsys.store import PointRecord, open_backend
from recsys.store.ids import point_id
from tests.support.cli import TINY_ARGS, ingested_home, run


def _verify(capsys, home, *args: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "verify", *args, "--home", str(home), "--json")
    return code, json.loads(out)


def _kinds(report: dict) -> dict[str, dict]:
    return {(f["kind"], f["vector"]): f for f in report["findings"]}


def _repair(capsys, command: str) -> None:
    argv = shlex.split(command)
    assert argv[0] == "recsys"
    code, _, err = run(capsys, *argv[1:])
    assert code == 0, err


def _home(tmp_path_factory, catalog, capsys):
    home = ingested_home(tmp_path_factory, catalog)
    capsys.readouterr()  # the ingest's own report
    return home


def _store(home):
    return open_backend(home / "store")


def test_clean_store_verifies_and_prints_a_table(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 0 and report["ok"] and report["findings"] == [] and report["repairs"] == []
    assert report["points"] == report["tracks"] == 48
    assert report["vectors"]["fused"] == report["vectors"]["graph"] == 48
    # without CATALOG: the collection's recorded catalog is used
    code, report = _verify(capsys, home)
    assert code == 0 and report["catalog"] == str(sample_catalog) and report["tracks"] == 48
    code, out, err = run(capsys, "verify", "--home", str(home))
    assert code == 0 and out == "" and "nothing to repair" in err
    # a collection that does not exist: every track is missing, an ingest creates it
    code, report = _verify(capsys, home, str(sample_catalog), "--collection", "other")
    assert code == 1 and [f["kind"] for f in report["findings"]] == ["missing_points"]
    assert report["findings"][0]["count"] == 48 and "--collection other" in report["findings"][0]["repair"]


def test_missing_and_extra_points_are_repaired_by_an_ingest(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    with _store(home) as b:
        donor = b.retrieve("sample", ["t003"])[0]
        b.delete_points("sample", ["t001", "t002"])
        b.upsert("sample", [PointRecord("ghost-1", donor.vectors, dict(donor.payload, title="Ghost"))])
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 1 and not report["ok"]
    found = _kinds(report)
    missing, extra = found[("missing_points", None)], found[("extra_points", None)]
    assert missing["severity"] == "error" and missing["count"] == 2 and missing["track_ids"] == ["t001", "t002"]
    assert extra["count"] == 1 and extra["track_ids"] == ["ghost-1"]
    # the first tracks as a person finds them: the manifest's lines, a stored point's file
    assert missing["examples"] == ["t001 (manifest.jsonl:1)", "t002 (manifest.jsonl:2)"]
    assert extra["examples"] == [f"ghost-1 ({donor.payload['audio_path']})"]
    assert "without --keep-missing" in extra["message"]
    cmd = shlex.split(missing["repair"])
    assert cmd[:3] == ["recsys", "ingest", str(sample_catalog)] and "--force" not in cmd
    assert ["--collection", "sample"] == cmd[3:5] and "tiny-text" in cmd and cmd[-2:] == ["--home", str(home)]
    assert extra["repair"] == missing["repair"] and report["repairs"] == [missing["repair"]]

    # the table on stderr names the findings and the command to run
    code, out, err = run(capsys, "verify", str(sample_catalog), "--home", str(home))
    assert code == 1 and out == "" and "missing_points" in err and "recsys ingest" in err

    _repair(capsys, missing["repair"])
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 0 and report["findings"] == [] and report["points"] == 48


def test_a_removed_manifest_row_is_an_extra_point(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    manifest = sample_catalog / "manifest.jsonl"
    lines = manifest.read_text().splitlines(keepends=True)
    gone = json.loads(lines[4])["track_id"]
    manifest.write_text("".join(lines[:4] + lines[5:]))
    code, report = _verify(capsys, home)
    assert code == 1 and report["tracks"] == 47
    extra = _kinds(report)[("extra_points", None)]
    assert extra["track_ids"] == [gone] and len(report["findings"]) == 1
    _repair(capsys, extra["repair"])
    code, report = _verify(capsys, home)
    assert code == 0 and report["points"] == 47


def test_missing_zero_and_nan_vectors_are_repaired_by_a_forced_ingest(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    with _store(home) as b:
        a, f, z, n = b.retrieve("sample", ["t001", "t002", "t003", "t004"])
        by_id = {p.track_id: p for p in (a, f, z, n)}
        a, f, z, n = (by_id[t] for t in ("t001", "t002", "t003", "t004"))
        # an upsert replaces the point: t001 loses its audio vector, t002 its fused one
        b.upsert("sample", [
            PointRecord("t001", {k: v for k, v in a.vectors.items() if k != "audio"}, a.payload),
            PointRecord("t002", {k: v for k, v in f.vectors.items() if k != "fused"}, f.payload),
        ])
        # the store refuses zero and NaN vectors: write them past its checks, as a bug might
        dim = len(z.vectors["text"])
        b._native_set_vectors("sample", [
            b._native_point_vectors(point_id("t003"), {"text": [0.0] * dim}),
            b._native_point_vectors(point_id("t004"), {"image": [float("nan")] * len(n.vectors["image"])}),
        ])
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 1
    found = _kinds(report)
    assert found[("missing_vector", "audio")]["track_ids"] == ["t001"]
    assert found[("missing_fused", "fused")]["track_ids"] == ["t002"]
    bad = [f for f in report["findings"] if f["kind"] == "bad_vector"]
    assert {t for f in bad for t in f["track_ids"]} == {"t003", "t004"}, report["findings"]
    force = found[("missing_vector", "audio")]["repair"]
    assert shlex.split(force)[:4] == ["recsys", "ingest", "--force", str(sample_catalog)]
    assert all(f["repair"] == force for f in report["findings"]) and report["repairs"] == [force]
    _repair(capsys, force)
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 0 and report["findings"] == []


def test_metadata_dims_encoders_and_unreadable_metadata(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    with _store(home) as b:
        original = b.get_spec("sample").metadata
        meta = json.loads(json.dumps(original))
        meta["encoders"]["text"]["dim"] += 1
        b.set_metadata("sample", meta)
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 1
    found = _kinds(report)
    assert found[("wrong_dim", "text")]["severity"] == "error"
    assert "encoder_mismatch" in {k for k, _ in found}
    with _store(home) as b:
        b.set_metadata("sample", original)
    assert _verify(capsys, home, str(sample_catalog))[0] == 0

    # the encoders the user would ingest with: another text encoder is a mismatch
    code, report = _verify(capsys, home, str(sample_catalog), "--text-encoder", "minilm")
    assert code == 1
    mismatch = _kinds(report)[("encoder_mismatch", "text")]
    assert "tiny-text" in mismatch["message"] and "--text-encoder tiny-text" in mismatch["repair"]
    assert _verify(capsys, home, str(sample_catalog), *TINY_ARGS)[0] == 0
    # as ingest into the collection would, the options not given are the collection's own
    # (ingest.pipeline._stored_encoders), not the default profile's: an ingest with only
    # --text-encoder tiny-text adds to it, so verify finds no mismatch either
    code, report = _verify(capsys, home, str(sample_catalog), "--text-encoder", "tiny-text")
    assert code == 0 and report["findings"] == [], report["findings"]
    code, report = _verify(capsys, home, str(sample_catalog), "--text-encoder", "minilm")
    assert set(_kinds(report)) == {("encoder_mismatch", "text")}
    code, _, err = run(capsys, "ingest", str(sample_catalog), "--collection", "sample", "--home", str(home),
                       "--text-encoder", "tiny-text")
    assert code == 0, err
    # naming the profile still means the profile's encoders
    code, report = _verify(capsys, home, str(sample_catalog), "--profile", "offline")
    assert code == 1 and ("encoder_mismatch", "image") in _kinds(report)
    # a collection labelled with the profile of its day, whose encoders the profile no longer
    # names (an "offline" one made with mir-librosa): the profile named with its own encoders
    # is no mismatch, as an ingest with them adds to it (pipeline._existing_meta)
    with _store(home) as b:
        b.set_metadata("sample", {**b.get_spec("sample").metadata, "profile": "offline"})
    code, report = _verify(capsys, home, str(sample_catalog), "--profile", "offline", *TINY_ARGS)
    assert code == 0 and report["findings"] == [], report["findings"]

    with _store(home) as b:
        b.set_metadata("sample", {"encoders": "garbage"})
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 1 and [f["kind"] for f in report["findings"]] == ["metadata"]
    assert "unreadable" in report["findings"][0]["message"]


def test_a_missing_checkpoint_is_repaired_by_training(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    code, _, err = run(capsys, "train", "--epochs", "1", "--threads", "1", "--home", str(home), "--json")
    assert code == 0, err
    assert _verify(capsys, home, str(sample_catalog))[0] == 0
    with _store(home) as b:
        ckpt = CollectionMeta.from_dict(b.get_spec("sample").metadata).fused.checkpoint
    shutil.rmtree(ckpt)
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 1
    finding = _kinds(report)[("checkpoint", "fused")]
    assert shlex.split(finding["repair"]) == ["recsys", "train", "--collection", "sample", "--home", str(home)]
    _repair(capsys, finding["repair"])
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 0 and report["findings"] == []

    # a checkpoint that does not load is a finding too
    with _store(home) as b:
        ckpt = CollectionMeta.from_dict(b.get_spec("sample").metadata).fused.checkpoint
    next(p for p in Path(ckpt).iterdir() if p.suffix == ".safetensors").write_bytes(b"junk")
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 1 and "does not load" in _kinds(report)[("checkpoint", "fused")]["message"]


def test_without_a_catalog_only_the_store_is_checked(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    with _store(home) as b:
        b.delete_points("sample", ["t001"])
        p = b.retrieve("sample", ["t002"])[0]
        b.upsert("sample", [PointRecord("t002", {k: v for k, v in p.vectors.items() if k != "text"}, p.payload)])
    shutil.rmtree(sample_catalog)
    code, report = _verify(capsys, home)
    assert code == 1 and report["catalog"] is None and report["tracks"] is None and report["notes"]
    assert [(f["kind"], f["vector"]) for f in report["findings"]] == [("missing_vector", "text")]
    assert "CATALOG" in report["findings"][0]["repair"]


def test_an_input_never_encoded_is_a_warning_an_ingest_with_retry_failed_retries(sample_catalog, tmp_path_factory, capsys):
    home = _home(tmp_path_factory, sample_catalog, capsys)
    with _store(home) as b:
        p = b.retrieve("sample", ["t005"])[0]
        # as an ingest leaves a track whose cover did not decode: no image vector, not listed,
        # nor in its preparation record (else that record were not now's: another warning)
        listed = [m for m in p.payload["modalities"] if m != "image"]
        vectors = {k: v for k, v in p.vectors.items() if k != "image"}
        prepared = {m: v for m, v in p.payload["prepared"].items() if m != "image"}
        b.upsert("sample", [PointRecord("t005", vectors, dict(p.payload, modalities=listed, prepared=prepared))])
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 0 and report["ok"] and report["counts"] == {"error": 0, "warning": 1}
    warning = _kinds(report)[("not_encoded", "image")]
    assert warning["severity"] == "warning" and warning["track_ids"] == ["t005"]
    # it retries what a point lacks (ingest.sync.lacks_vector), nothing else
    assert "--force" not in shlex.split(warning["repair"]) and "--retry-failed" in shlex.split(warning["repair"])
    _repair(capsys, warning["repair"])
    code, report = _verify(capsys, home, str(sample_catalog))
    assert code == 0 and report["findings"] == []


def test_files_that_are_no_tracks_by_design_are_a_note_not_a_problem_to_repair(tmp_path_factory, capsys):
    """A MIDI file beside the music (no decoder makes sound of it) is said once by the read;
    verify counted it as a problem and proposed an ingest, which could not clear it. A file
    whose tags cannot be read is still one."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("lib")
    tagged_flac(lib / "Band/Album/01 Song.flac", title="Song", artist="Band", album="Album")
    tagged_flac(lib / "Band/Album/02 Other.flac", title="Other", artist="Band", album="Album")
    (lib / "Band/Album/intro.mid").write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60")
    home = _home(tmp_path_factory, lib, capsys)
    code, report = _verify(capsys, home, str(lib))
    assert code == 0 and report["findings"] == []
    assert len(report["notes"]) == 1 and report["notes"][0].startswith("1 notice(s) of files that are no tracks by design")
    (lib / "Band/Album/03 Broken.flac").write_bytes(b"fLaC" + bytes(40))  # tags that cannot be read
    _repair(capsys, f"recsys ingest {lib} --collection sample --home {home} {' '.join(TINY_ARGS)}")
    code, report = _verify(capsys, home, str(lib))
    (catalog,) = [f for f in report["findings"] if f["kind"] == "catalog"]
    assert catalog["count"] == 1 and "03 Broken.flac" in catalog["message"]
