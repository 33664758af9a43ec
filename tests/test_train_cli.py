"""recsys train on a collection: checkpoint beside it, fused vectors switched over safely."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np

from cli.main import main
from recsys.store import open_backend

TINY_ARGS = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio"]


def test_train_switches_fused_and_ingest_uses_the_model(sample_catalog, tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["ingest", str(sample_catalog), "-c", "s", "--home", str(home), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    assert main(["train", "--epochs", "3", "--threads", "1", "--home", str(home), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    ckpt = home / "models" / "s" / "v1"
    assert report["vector_name"] == "fused_v1" and (ckpt / "fusion.safetensors").exists()
    assert main(["info", "--json", "--home", str(home)]) == 0
    info = json.loads(capsys.readouterr().out)["collections"][0]
    assert info["fused"]["kind"] == "model" and info["dims"]["fused"] == 128
    assert info["vectors"]["fused"] == info["points"] == 48

    # queries use the trained space, for tracks and for a single-modality query
    seed = json.loads((sample_catalog / "manifest.jsonl").read_text().splitlines()[0])
    assert main(["recommend", seed["title"], "--artist", seed["artist"], "--json", "-k", "5", "--home", str(home)]) == 0
    assert len(json.loads(capsys.readouterr().out)["results"]) == 5
    queries = json.loads((sample_catalog / "sample_queries.json").read_text())
    cover = sample_catalog / queries["cover"]["path"]
    assert main(["query", "--image", str(cover), "--using", "fused", "--json", "--home", str(home)]) == 0
    assert json.loads(capsys.readouterr().out)["results"]

    # training again writes fused_v2 and drops fused_v1, never leaving the collection without one
    assert main(["train", "--epochs", "2", "--threads", "1", "--home", str(home), "--json"]) == 0
    capsys.readouterr()
    b = open_backend(home / "store")
    try:
        spec = b.get_spec("s")
        assert "fused_v2" in spec.vectors and "fused_v1" not in spec.vectors and "fused" not in spec.vectors
        before = {p.track_id: p.vectors["fused_v2"] for p in b.scroll("s", using="fused_v2")}
    finally:
        b.close()

    # a new track ingested later is fused by the trained model, into the current vector
    rows = [json.loads(l) for l in (sample_catalog / "manifest.jsonl").read_text().splitlines()]
    extra = dict(rows[0], track_id="new-1", title="A Brand New Song")
    (sample_catalog / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows + [extra]))
    assert main(["ingest", str(sample_catalog), "-c", "s", "--home", str(home), *TINY_ARGS, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ingested"] == 1 and out["vectors"]["fused"] == 1
    b = open_backend(home / "store")
    try:
        new = b.retrieve("s", ["new-1"])[0].vectors["fused_v2"]
    finally:
        b.close()
    # same inputs as rows[0] except the title: the graph differs a little, the rest is the same
    assert float(np.dot(new, before[rows[0]["track_id"]])) > 0.8


def test_train_refuses_unknown_arch_and_empty_store(tmp_path, capsys):
    assert main(["train", "--arch", "huge", "--home", str(tmp_path)]) == 1
    assert "unknown arch" in capsys.readouterr().err
    assert main(["train", "--home", str(tmp_path)]) == 1
    assert "no collections" in capsys.readouterr().err


def test_eval_reports_all_protocols(sample_catalog, tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["ingest", str(sample_catalog), "-c", "s", "--home", str(home), *TINY_ARGS, "--json"]) == 0
    assert main(["train", "--epochs", "2", "--threads", "1", "--home", str(home), "--json"]) == 0
    capsys.readouterr()
    assert main(["eval", "--folds", "2", "--seed", "3", "--threads", "1", "--home", str(home), "--json"]) == 0
    out, err = capsys.readouterr()
    rep = json.loads(out)
    # stderr is no terminal here: the progress is a line per step (a spinner drew nothing)
    steps = [line for line in err.splitlines() if re.match(r"\[ *\d+\.\d s\] ", line)]
    assert len(steps) > 2 and steps[0].endswith("] evaluating"), err
    assert rep["tracks"] == 48 and rep["relevance"].startswith("mined") and rep["seed"] == 3 and rep["folds"] == 2
    assert rep["folds_by"] == "track"
    # which training the collection's rows measured
    assert rep["fused"]["vector"] == "fused_v1" and rep["fused"]["checkpoint"].endswith("v1")
    assert {"text alone", "concat, untrained", "collection's fused vectors"} <= set(rep["A"])
    assert {"binding, trained per fold", "paper arch, trained per fold", "concat, untrained"} <= set(rep["B"])
    assert set(rep["C"]["collection's model"]) == {"text", "image", "audio", "graph"}
    for variants in rep["A"].values():
        for metrics in variants.values():
            assert all(0.0 <= v <= 1.0 for v in metrics.values())
    # single modalities find their own neighbours perfectly under the circular protocol
    assert rep["A"]["audio alone"]["clean"]["hr"] == 1.0
    assert 0.0 <= rep["B"]["binding, trained per fold"]["accuracy"] <= 1.0


def test_train_on_a_catalog_folder_saves_a_checkpoint(fairouz_dir, tmp_path, capsys):
    from recsys.fusion.model import FusionModel

    assert main(["train", "--catalog", str(fairouz_dir), "--epochs", "1", "--threads", "1",
                 "--home", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    model = FusionModel.load(out["checkpoint"], expected_dims={"text": 1024, "image": 512, "audio": 128, "graph": 128})
    assert out["tracks"] == 822 and model.out_dim == 128


def test_train_on_a_catalog_without_vectors_is_a_clear_error(sample_catalog, tmp_path, capsys):
    assert main(["train", "--catalog", str(sample_catalog), "--home", str(tmp_path)]) == 1
    assert "has no published vectors" in capsys.readouterr().err


def test_eval_holds_out_whole_artists(sample_catalog, tmp_path, capsys):
    home = tmp_path / "home"
    assert main(["ingest", str(sample_catalog), "-c", "s", "--home", str(home), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    assert main(["eval", "--folds", "2", "--folds-by", "Artist", "--threads", "1", "--home", str(home)]) == 0
    assert "2 folds by artist" in capsys.readouterr().err
    assert main(["eval", "--folds-by", "label", "--home", str(home)]) == 2
    assert "'label' is not one of: track, artist, album" in capsys.readouterr().err


def test_eval_with_one_fold_is_a_usage_error(tmp_path, capsys):
    """One fold holds every track out, so no track is left to vote: it crashed in knn_vote."""
    assert main(["eval", "--folds", "1", "--home", str(tmp_path)]) == 2
    assert "1 fold leaves no track to vote" in capsys.readouterr().err


def test_training_data_rows_follow_the_catalog_not_the_storage(tmp_path):
    """Protocol B's folds, the mined pairs and ties follow the rows: read in the store's
    storage order, the same vectors gave figures 0.01-0.02 from the catalog order's. Rows are
    in a Fairouz folder's ids.json order, else by track id."""
    from recsys.collection import CollectionMeta, EncoderInfo, FusedInfo
    from recsys.store import open_backend
    from recsys.store.base import CollectionSpec, PointRecord
    from training.store_data import data_from_store

    ids = [f"id{i:02d}" for i in range(12)]
    listed = ids[::-1][:10]  # the catalog's order; two stored ids it does not list
    (tmp_path / "fz").mkdir()
    (tmp_path / "fz" / "ids.json").write_text(json.dumps(listed))
    rng = np.random.default_rng(0)
    for kind, path, want in (("fairouz", str(tmp_path / "fz"), listed + sorted(set(ids) - set(listed))),
                             ("manifest", "", sorted(ids))):
        meta = CollectionMeta(encoders={"text": EncoderInfo("t", "text", "t", 4)}, fused=FusedInfo("concat", 4, ("text",)),
                              catalog_kind=kind, catalog_path=path)
        backend = open_backend(":memory:")
        backend.create_collection(CollectionSpec("c", {"text": 4, "fused": 4}, metadata=meta.as_dict()))
        shuffled = [ids[i] for i in rng.permutation(len(ids))]
        vec = {t: rng.normal(size=4).astype(np.float32) for t in ids}
        backend.upsert("c", [PointRecord(t, {"text": vec[t]}, {"title": t}) for t in shuffled])
        data = data_from_store(backend, "c")
        assert list(data.track_ids) == want, kind
        for i, t in enumerate(data.track_ids):
            assert np.allclose(data.vectors["text"][i], vec[t] / np.linalg.norm(vec[t]), atol=1e-5) or np.allclose(
                data.vectors["text"][i], vec[t], atol=1e-5)
        backend.close()
