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
    assert label == "custom" and names["text"] == "tiny-text" and names["audio"] == "mir-librosa-v2"
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
             image_encoder="efficientnet-lite0", audio_encoder="mir-librosa-v2")


def test_a_collection_keeps_its_encoders_when_the_default_profile_changes(sample_catalog, tmp_path, monkeypatch):
    """A collection made with the default profile of its day (its audio encoder ``mir-librosa``
    until 2026-11-27, ``mir-librosa-v2`` since): an ingest into it without --profile uses the
    encoders it was made with, where it failed naming both. Naming the profile still checks
    it against the collection's encoders."""
    old_default = {"text": "tiny-text", "image": "tiny-image", "audio": "tiny-audio", "graph": "randne"}
    monkeypatch.setitem(PROFILES, "offline", old_default)
    first = _run(sample_catalog, tmp_path / "store", **{k: None for k in TINY})
    assert _meta(tmp_path / "store").profile == "offline"
    monkeypatch.undo()  # the default as it is now: other encoders
    again = _run(sample_catalog, tmp_path / "store", **{k: None for k in TINY})
    assert again.unchanged == first.tracks
    # the encoders kept where the profile has others now: said, so the user can move on
    assert first.superseded == {}
    assert again.superseded == {"audio": ("tiny-audio", "mir-librosa-v2"), "image": ("tiny-image", "efficientnet-lite0"),
                                "text": ("tiny-text", "minilm")}
    assert again.as_dict()["superseded"]["audio"] == {"kept": "tiny-audio", "profile_now": "mir-librosa-v2"}
    from recsys.query.info import collection_info  # `recsys info` and /api/info say so too

    b = open_backend(tmp_path / "store")
    try:
        assert collection_info(b, "c").superseded == again.superseded
    finally:
        b.close()
    meta = _meta(tmp_path / "store")
    assert (meta.profile, meta.encoders["audio"].name) == ("offline", "tiny-audio")
    assert resolve(None, {}, ("offline", old_default)) == ("offline", old_default)
    assert resolve(None, {"audio": "mir-librosa-v2"}, ("offline", old_default))[0] == "custom"
    with pytest.raises(EncoderError, match="built with text encoder 'tiny-text'"):
        _run(sample_catalog, tmp_path / "store", profile="offline", **{k: None for k in TINY})
    # the profile named with the collection's own encoders: they decide, not the label ("custom")
    named = _run(sample_catalog, tmp_path / "store", profile="offline", **TINY)
    assert named.unchanged == first.tracks and named.superseded == {}


def test_the_ingest_table_says_which_encoders_the_profile_has_replaced(capsys):
    from cli.ingest_cmd import summary_table
    from ingest.pipeline import IngestReport

    report = IngestReport(collection="music", tracks=3, unchanged=3, superseded={"audio": ("mir-librosa", "mir-librosa-v2")})
    summary_table(report, "embedded store at x")
    err = " ".join(capsys.readouterr().err.split())
    assert "note: this collection keeps its audio encoder 'mir-librosa'; its profile uses 'mir-librosa-v2' now" in err
    assert "ingest into a new collection (--collection NAME)" in err


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


# --------------------------------------------------------------------------- the graph encoder


#: What collections have recorded for their graph vectors since the first release.
RANDNE_INFO = {"name": "randne", "modality": "graph", "model": "randne-d128-a1-0.5-s42", "dim": 128}


def _meta(store):
    b = open_backend(store)
    try:
        return CollectionMeta.from_dict(b.get_spec("c").metadata)
    finally:
        b.close()


def test_graph_encoder_is_stored_and_checked_like_the_others(sample_catalog, tmp_path):
    first = _run(sample_catalog, tmp_path / "store")
    assert first.vectors["graph"] == first.tracks
    assert _meta(tmp_path / "store").encoders["graph"].as_dict() == RANDNE_INFO  # as before: old ones still match
    assert PROFILES["offline"]["graph"] == PROFILES["paper"]["graph"] == PROFILES["best"]["graph"] == "randne"
    again = _run(sample_catalog, tmp_path / "store", graph_encoder="randne")
    assert again.unchanged == first.tracks  # naming the default changes nothing
    with pytest.raises(EncoderError) as err:
        _run(sample_catalog, tmp_path / "store", graph_encoder="deepwalk")
    message = str(err.value)
    assert "built with graph encoder 'randne' (randne-d128-a1-0.5-s42, 128-d)" in message
    assert "not 'deepwalk' (deepwalk-d128-l40-n10-w5-s42, 128-d)" in message
    with pytest.raises(EncoderError, match="unknown graph encoder 'nope'; known: deepwalk, randne"):
        _run(sample_catalog, tmp_path / "other", graph_encoder="nope")
    with pytest.raises(EncoderError, match="'tiny-text' is a text encoder, not a graph encoder"):
        _run(sample_catalog, tmp_path / "other", graph_encoder="tiny-text")


def test_deepwalk_ingest(sample_catalog, tmp_path):
    pytest.importorskip("gensim")
    import numpy as np

    first = _run(sample_catalog, tmp_path / "store", graph_encoder="deepwalk")
    assert first.vectors["graph"] == first.tracks and first.ingested == first.tracks
    meta = _meta(tmp_path / "store")
    assert (meta.profile, meta.encoders["graph"].name, meta.encoders["graph"].dim) == ("custom", "deepwalk", 128)
    b = open_backend(tmp_path / "store")
    try:
        vectors = np.stack([p.vectors["graph"] for p in b.scroll("c", with_vectors=True)])
    finally:
        b.close()
    # unit vectors, as stored: float16 (a modality vector without a graph) holds 1e-4
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=5e-4)
    # the same graph trains the same space: nothing to redo
    assert _run(sample_catalog, tmp_path / "store", graph_encoder="deepwalk").unchanged == first.tracks


def test_a_changed_graph_re_embeds_every_track_only_for_a_learnt_space(sample_catalog, tmp_path):
    """DeepWalk's space is learnt from the whole graph: one added track changes every vector, so
    every track is ingested again; RandNE's ids are stable: only the new track is."""
    pytest.importorskip("gensim")
    import shutil

    manifest = sample_catalog / "manifest.jsonl"
    lines = manifest.read_text().splitlines()
    smaller = tmp_path / "smaller"
    shutil.copytree(sample_catalog, smaller)
    (smaller / "manifest.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    for encoder, redone in (("randne", 1), ("deepwalk", len(lines))):
        store = tmp_path / encoder
        _run(smaller, store, graph_encoder=encoder)
        report = _run(sample_catalog, store, graph_encoder=encoder)
        assert report.ingested == redone, encoder


def test_metadata_without_a_graph_encoder_still_opens():
    from recsys.encoders.base import EncoderInfo

    text = EncoderInfo("tiny-text", "text", "hashed-words-64", 64)
    meta = CollectionMeta.from_dict({"encoders": {"text": text.as_dict()}, "fused": {"kind": "concat", "dim": 64}})
    assert set(meta.encoders) == {"text"} and meta.vector_dims() == {"text": 64, "fused": 64}
    meta.check_encoders("c", {"text": text})
    with pytest.raises(EncoderError, match="has no graph vectors"):
        meta.encoder_for("c", "graph")


def test_cli_graph_encoder_option_and_env(capsys, sample_catalog, tmp_path, monkeypatch):
    import json

    from cli.main import main

    tiny = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio"]
    home = tmp_path / "home"
    code = main(["ingest", str(sample_catalog), "--home", str(home), "--collection", "c", *tiny, "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["vectors"]["graph"] == 48
    monkeypatch.setenv("RECSYS_GRAPH_ENCODER", "deepwalk")
    code = main(["ingest", str(sample_catalog), "--home", str(home), "--collection", "c", *tiny, "--json"])
    err = capsys.readouterr().err
    assert code != 0 and "graph encoder 'randne'" in err and "not 'deepwalk'" in err
    code = main(["ingest", str(sample_catalog), "--home", str(home), "--collection", "c", *tiny,
                 "--graph-encoder", "randne", "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["unchanged"] == 48


def test_the_ingest_table_tells_files_no_track_by_design_from_problems(capsys):
    """A folder of MIDI files or a phone's voice notes was listed under "N problem(s); tracks
    were kept with the modalities that worked", which reads as something broken."""
    from cli.ingest_cmd import summary_table
    from ingest.pipeline import IngestReport
    from recsys.catalog.model import CatalogProblem

    report = IngestReport(collection="music", tracks=3, unchanged=3, problems=[
        CatalogProblem("Band/01 Song.flac", "cannot read tags (struct.error); using the file name"),
        CatalogProblem("Internal storage/Ringtones", "2 ringtones: a phone's sounds, not music", notice=True),
    ])
    summary_table(report, "embedded store at x")
    err = capsys.readouterr().err
    assert "1 problem(s); tracks were kept with the modalities that worked:\n  Band/01 Song.flac: cannot read tags" in err
    assert "1 notice(s) of files that are no tracks by design, a line a folder and kind:\n  Internal storage/Ringtones: 2 ringtones" in err
