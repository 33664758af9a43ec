"""Small CLI fixes: --qdrant-url checked, the real cause of an empty answer, training with a
modality missing, help text and --version."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import recsys
from cli.main import app, main

TINY_ARGS = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio"]
TEXT_FIELDS = ("lyrics", "summary", "description", "themes", "moods")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- --version and help -------------------------------------------------------------------


def test_version_prints_the_version_and_exits_0():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"recsys {recsys.__version__}"


def test_version_through_main(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out == f"recsys {recsys.__version__}\n"


@pytest.mark.parametrize("argv", [[], ["ingest"], ["recommend"], ["query"], ["playlist"], ["info"], ["train"], ["eval"], ["map"], ["export"]])
def test_help_has_no_stray_space_and_no_bool_metavar(argv):
    result = CliRunner().invoke(app, [*argv, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "<bool>" not in out
    assert not re.search(r"\w \.(\s|│|$)", out, re.M), out
    if argv and argv[0] not in ("info",):
        assert "Collection to use [default: the only one, or 'sample']." in out
    if argv == ["query"]:
        assert "Vector to search [default: the input's modality]." in out
        assert "cuda, mps or cpu [default: auto]." in out
    if argv == ["info"]:
        assert "Data folder of the embedded store [default: ./recsys-data]." in out
    if not argv:
        assert "--version" in out


# --- --qdrant-url -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, tail",
    [
        ("localhost:6333", "did you mean http://localhost:6333?"),
        ("notaurl", "a Qdrant URL is http(s)://host[:port][/path] or :memory:; the embedded store's folder is --home"),
        ("ftp://x", "a Qdrant URL is http(s)://host[:port][/path] or :memory:; the embedded store's folder is --home"),
    ],
)
@pytest.mark.parametrize("command", [["info"], ["recommend", "River"], ["ingest"]])
def test_a_qdrant_url_that_is_not_a_url_is_a_usage_error(capsys, tmp_path, monkeypatch, url, tail, command):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, *command, "--qdrant-url", url)
    assert code == 2
    assert err == f"error: --qdrant-url '{url}' is not a URL; {tail}\n"
    assert out == ""
    # nothing was created: no folder named after the URL, no data folder
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert not Path(url).exists()


def test_the_environment_variable_is_checked_too(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECSYS_QDRANT_URL", "localhost:6333")
    code, _, err = run(capsys, "info")
    assert code == 2 and "'localhost:6333' is not a URL; did you mean http://localhost:6333?" in err
    assert list(tmp_path.iterdir()) == []


def test_memory_and_http_urls_are_accepted(capsys):
    code, out, _ = run(capsys, "info", "--json", "--qdrant-url", ":memory:")
    assert code == 0 and json.loads(out)["collections"] == []
    from recsys.settings import Settings, check_qdrant_url

    for url in ("http://localhost:6333", "https://x.cloud.qdrant.io", "http://db:6333/prefix", "http://[::1]:6333"):
        assert check_qdrant_url(url) == url
    assert Settings.from_env(qdrant_url=" http://localhost:6333 ").qdrant_url == "http://localhost:6333"


def test_the_store_refuses_a_url_like_folder(tmp_path, monkeypatch):
    from recsys.errors import StoreError
    from recsys.store import open_backend

    monkeypatch.chdir(tmp_path)
    for loc in ("localhost:6333", "ftp://x"):
        with pytest.raises(StoreError, match="is not a store location"):
            open_backend(loc)
    assert list(tmp_path.iterdir()) == []


# --- a collection without text vectors ----------------------------------------------------


@pytest.fixture(scope="module")
def textless(tmp_path_factory, sample_catalog_master) -> tuple[Path, Path]:
    """The sample catalog without any text, ingested as 'notext' with the tiny encoders."""
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    root = tmp_path_factory.mktemp("textless")
    catalog = root / "catalog"
    shutil.copytree(sample_catalog_master, catalog)
    rows = [json.loads(line) for line in (catalog / "manifest.jsonl").read_text().splitlines()]
    for r in rows:
        for f in TEXT_FIELDS:
            r.pop(f, None)
    (catalog / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    home = root / "home"
    assert main(["ingest", str(catalog), "-c", "notext", "--home", str(home), *TINY_ARGS, "--json"]) == 0
    return catalog, home


NO_TEXT = "error: collection 'notext' has no text vectors (it has: image, audio, graph, fused); "


def test_text_query_on_a_collection_without_text_names_the_cause(capsys, textless):
    _, home = textless
    capsys.readouterr()
    code, out, err = run(capsys, "query", "--text", "slow sad piano", "--using", "text", "--home", str(home))
    assert code == 1 and out == ""
    assert err.startswith(NO_TEXT) and err.count("\n") == 1
    assert "filters too narrow" not in err
    assert "add it to the catalog and run `recsys ingest` again" in err
    # the concatenated fused vectors hold no text either: refused rather than noise
    code, _, err = run(capsys, "query", "--text", "slow sad piano", "--using", "fused", "--home", str(home))
    assert code == 1 and err.startswith(NO_TEXT)


def test_train_without_text_warns_records_and_refuses_text_into_fused(capsys, textless, tmp_path):
    catalog, home0 = textless
    home = tmp_path / "home"
    shutil.copytree(home0, home)
    capsys.readouterr()
    code, out, err = run(capsys, "train", "--epochs", "2", "--threads", "1", "--home", str(home), "--json")
    assert code == 0
    assert (
        "warning: no text vectors in 'notext': the fused model never sees text, so text queries "
        "into the fused space are refused\n"
    ) in err
    report = json.loads(out)
    assert report["missing_modalities"] == ["text"]
    assert report["trained_modalities"] == ["image", "audio", "graph"]

    # recorded beside the model and in the collection
    ckpt_meta = json.loads((Path(report["checkpoint"]) / "fusion_config.json").read_text())
    assert ckpt_meta["training"]["missing_modalities"] == ["text"]
    from recsys.collection import CollectionMeta
    from recsys.store import open_backend

    b = open_backend(home / "store")
    try:
        meta = CollectionMeta.from_dict(b.get_spec("notext").metadata)
    finally:
        b.close()
    assert meta.fused.kind == "model" and meta.extra["fusion"]["missing_modalities"] == ["text"]

    code, out, err = run(capsys, "query", "--text", "slow sad piano", "--using", "fused", "--home", str(home))
    assert code == 1 and out == ""
    assert err == (
        "error: the fused model of collection 'notext' was trained without text vectors (the collection "
        "had none), so a text query cannot be placed in the fused space; add text (a summary, lyrics, "
        "themes, moods or a description) to the tracks, ingest and run `recsys train` again\n"
    )
    # the modalities it was trained on still query the fused space
    queries = json.loads((catalog / "sample_queries.json").read_text())
    cover = catalog / queries["cover"]["path"]
    code, out, _ = run(capsys, "query", "--image", str(cover), "--using", "fused", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["results"]


def test_train_with_every_modality_warns_nothing(capsys, sample_catalog, tmp_path):
    home = tmp_path / "home"
    assert main(["ingest", str(sample_catalog), "-c", "s", "--home", str(home), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "train", "--epochs", "1", "--threads", "1", "--home", str(home), "--json")
    assert code == 0 and "warning" not in err
    assert json.loads(out)["missing_modalities"] == []


def test_a_query_into_vectors_the_collection_lacks_fails_before_loading_a_model(capsys, textless, monkeypatch):
    """A real library without any text: `query --text` loaded the text model (5 s) to learn
    that there was nothing to search. The count comes first now."""
    _, home = textless

    def no_model(*_a, **_k):
        raise AssertionError("the query's encoder was loaded")

    monkeypatch.setattr("recsys.query.cross_modal.embed_query", no_model)
    capsys.readouterr()
    code, out, err = run(capsys, "query", "--text", "slow sad piano", "--home", str(home))
    assert code == 1 and out == "" and err.startswith(NO_TEXT)
