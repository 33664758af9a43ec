"""A fusion model belongs to its store and its collection: the embedded store's collection
"music" and a Qdrant server's "music" under one RECSYS_HOME kept their checkpoints in one
folder, models/music, so one's `recsys train` overwrote the other's v1 (the embedded
collection's fused vectors made by one model, its checkpoint another's) and `recsys drop` of
the embedded one deleted the server's model. qdrant-client's ":memory:" mode, kept for the
test's process, stands in for the server."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import recsys.store as store
from recsys.settings import Settings
from recsys.store.base import CollectionSpec
from recsys.store.remote import RemoteBackend
from tests.support.cli import TINY_ARGS, ingested_home, run

SERVER = ":memory:"


class KeptServer(RemoteBackend):
    """A server's collections outlive a command: closing the client ends ":memory:"'s."""

    def close(self) -> None:
        pass


@pytest.fixture
def server(monkeypatch) -> RemoteBackend:
    backend = KeptServer(SERVER)
    opened = store.open_backend
    monkeypatch.setattr(store, "open_backend", lambda loc, api_key=None: backend if loc == SERVER else opened(loc, api_key))
    yield backend
    RemoteBackend.close(backend)


def weights(checkpoint: str | Path) -> str:
    return hashlib.sha1((Path(checkpoint) / "fusion.safetensors").read_bytes()).hexdigest()


def train(capsys, home: Path, *url: str, seed: int) -> dict:
    code, out, err = run(capsys, "train", "--epochs", "2", "--threads", "1", "--seed", str(seed), "--json",
                         "--home", str(home), *url)
    assert code == 0, err
    return json.loads(out)


def test_a_server_and_the_embedded_store_keep_their_own_models_of_one_name(capsys, tmp_path_factory, sample_catalog_master, server):
    home = ingested_home(tmp_path_factory, sample_catalog_master, collection="music")
    capsys.readouterr()
    here = train(capsys, home, seed=1)
    assert Path(here["checkpoint"]) == home / "models" / "music" / "v1"  # where it always was
    trained_here = weights(here["checkpoint"])

    code, _, err = run(capsys, "ingest", str(sample_catalog_master), "-c", "music", "--home", str(home), *TINY_ARGS,
                       "--json", "--qdrant-url", SERVER)
    assert code == 0, err
    there = train(capsys, home, "--qdrant-url", SERVER, seed=2)
    # the server's v1 was written over the embedded collection's, whose fused vectors it had made
    assert Path(there["checkpoint"]) == home / "models" / "@memory" / "music" / "v1"
    assert weights(here["checkpoint"]) == trained_here != weights(there["checkpoint"])

    # dropping the embedded collection leaves the server's model, and the other way round
    code, out, err = run(capsys, "drop", "music", "--yes", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["models_removed"] is True and json.loads(out)["models_kept"] is None
    assert not (home / "models" / "music").exists() and Path(there["checkpoint"]).exists()
    code, out, err = run(capsys, "drop", "music", "--yes", "--json", "--home", str(home), "--qdrant-url", SERVER)
    assert code == 0 and json.loads(out)["models_removed"] is True and json.loads(out)["models_kept"] is None
    assert not (home / "models" / "@memory" / "music").exists()


def test_a_server_collection_trained_before_still_finds_its_model_and_drop_keeps_it(capsys, tmp_path_factory, sample_catalog_master, server):
    """Before, a server's collection "music" trained its model into models/music/v<N>, which the
    embedded store's "music" shares: its metadata names that path, and it is found there still;
    `recsys drop` of the server's collection keeps it (the embedded collection may use it), and
    says where it is."""
    home = ingested_home(tmp_path_factory, sample_catalog_master, collection="music")
    capsys.readouterr()
    legacy = Path(train(capsys, home, seed=1)["checkpoint"])
    # the collection as a server's trained before: the same metadata, naming models/music/v1
    edge = store.open_backend(str(home / "store"))
    try:
        spec = edge.get_spec("music")
        server.create_collection(CollectionSpec("music", dict(spec.vectors), metadata=spec.metadata))
        server.upsert("music", list(edge.scroll("music", with_vectors=True)))
    finally:
        edge.close()
    assert server.get_spec("music").metadata["fused"]["checkpoint"] == str(legacy.resolve())

    # a new track of the server's collection is fused by that model
    rows = [json.loads(line) for line in (sample_catalog_master / "manifest.jsonl").read_text().splitlines()]
    catalog = tmp_path_factory.mktemp("grown")
    for path in sample_catalog_master.iterdir():
        (catalog / path.name).symlink_to(path)
    (catalog / "manifest.jsonl").unlink()
    (catalog / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in [*rows, dict(rows[0], track_id="new-1", title="A Brand New Song")]))
    code, out, err = run(capsys, "ingest", str(catalog), "-c", "music", "--home", str(home), *TINY_ARGS, "--json",
                         "--qdrant-url", SERVER)
    assert code == 0 and json.loads(out)["ingested"] == 1 and json.loads(out)["vectors"]["fused"] == 1, err

    code, out, err = run(capsys, "drop", "music", "--yes", "--json", "--home", str(home), "--qdrant-url", SERVER)
    assert code == 0 and json.loads(out)["models_kept"] == str(legacy.resolve()) and legacy.exists()
    assert json.loads(out)["models_removed"] is False  # nothing in the server's own folder
    code, out, err = run(capsys, "drop", "music", "--yes", "--home", str(home), "--qdrant-url", SERVER)
    assert code == 1  # gone: the note of the kept model is said only once, by the drop that kept it


def test_drop_leaves_a_catalogs_checkpoints_of_the_same_name(capsys, tmp_path_factory, sample_catalog_master):
    """`recsys train --catalog DIR` keeps DIR's checkpoints in models/<DIR's name>/catalog-v<N>:
    dropping the embedded collection of that name deleted them with its own."""
    home = ingested_home(tmp_path_factory, sample_catalog_master, collection="fz")
    capsys.readouterr()
    models = home / "models" / "fz"  # the embedded collection's, and the catalog's of that name
    for name in ("v1", "projection-0a1b2c3d", "catalog-v1"):
        (models / name).mkdir(parents=True)
        (models / name / "fusion_config.json").write_text("{}")
    code, out, err = run(capsys, "drop", "fz", "--yes", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["models_removed"] is True
    assert sorted(p.name for p in models.iterdir()) == ["catalog-v1"]


def test_a_servers_models_folder_is_named_by_its_address(tmp_path):
    from recsys.settings import server_folder

    assert Settings(home=tmp_path).models_dir("music") == tmp_path / "models" / "music"
    url = Settings(home=tmp_path, qdrant_url="http://DB.example:6333/qdrant/")
    assert url.models_dir("music") == tmp_path / "models" / "@db.example_6333_qdrant" / "music"
    assert server_folder("https://q.example") == "@q.example" and server_folder(":memory:") == "@memory"
    assert server_folder("http://localhost:6333") != server_folder("http://localhost:6334")
    # never a collection's folder: a collection's name starts with a letter or a digit
    with pytest.raises(Exception, match="invalid collection name"):
        store.open_backend(str(tmp_path / "s")).create_collection(CollectionSpec(server_folder(":memory:"), {"t": 4}))
