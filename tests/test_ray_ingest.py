"""``recsys ingest --ray``: encoding on a local Ray instance fills the store with the same points,
payloads and vectors as a plain ingest, and a bad file gives the same problem line both ways."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.inputs import uncached_sources as _uncached_sources
from ingest.pipeline import IngestOptions, ingest_catalog
from ingest.ray_stage import RayStageError, check_address, plan_placement
from recsys.catalog import read_catalog
from recsys.encoders.cache import EmbeddingCache
from recsys.settings import Settings
from recsys.store import open_backend
from tests.support.cli import TINY_ARGS, run
from tests.support.manifests import read_rows
from tests.support.tiny_encoders import TINY

#: Ray Data's own DataContext warns about its deprecated fields each time a dataset copies it
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:ray.data.context")

REPO = Path(__file__).resolve().parents[1]
#: Ray workers are other processes: the tiny encoders the fixtures register here do not exist
#: there until this hook (run by every worker as it starts) registers them too
WORKER_SETUP = "tests.support.tiny_encoders.register_tiny_encoders"


@pytest.fixture(scope="module")
def local_ray():
    """A local Ray instance for the module; ingests find it initialised and use it."""
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'recsys[ray]')")
    pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'recsys[ray]')")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        logging_level="WARNING",
        # workers import tests.support from the checkout, like this process does
        runtime_env={"worker_process_setup_hook": WORKER_SETUP, "env_vars": {"PYTHONPATH": str(REPO)}},
    )
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def tiny_catalog(tmp_path_factory) -> Path:
    """12 tracks: enough for two chunks of 8 and every modality, small enough for Ray's overhead."""
    from recsys.catalog.sample.generator import write_sample_catalog

    root = tmp_path_factory.mktemp("ray-catalog")
    write_sample_catalog(root, n_tracks=12, seed=3)
    return root


def _ingest(catalog_dir: Path, store: Path, **kw):
    cat = read_catalog(catalog_dir, cover_cache=store.parent / "covers")
    backend = open_backend(store)
    try:
        return ingest_catalog(cat, backend, IngestOptions(collection="c", batch_size=8, **(TINY | kw)))
    finally:
        backend.close()


def _points(store: Path) -> dict:
    backend = open_backend(store)
    try:
        return {p.track_id: p for p in backend.scroll("c", with_vectors=True)}
    finally:
        backend.close()


def _assert_same_store(a: Path, b: Path) -> None:
    plain, on_ray = _points(a), _points(b)
    assert plain.keys() == on_ray.keys() and plain
    for tid, p in plain.items():
        q = on_ray[tid]
        assert p.payload == q.payload, tid
        assert p.vectors.keys() == q.vectors.keys(), tid
        for name, v in p.vectors.items():
            assert np.allclose(v, q.vectors[name], atol=1e-5), (tid, name)


# ---------------------------------------------------------------- without a Ray instance
# (first: Ray starts with the first test that asks for it and runs until the module ends)


def test_addresses_and_placement():
    for good in ("default", "local", "auto", "ray://head:10001", "10.0.0.5:6379"):
        assert check_address(good) == good
    with pytest.raises(RayStageError, match="not a Ray address"):
        check_address("./my-catalog")
    two_cpus = plan_placement(3, 2.0, 0.0, None)
    assert two_cpus.num_gpus == 0 and two_cpus.device == "cpu" and 3 * two_cpus.num_cpus <= 2 and two_cpus.max_actors == 1
    one_gpu = plan_placement(3, 16.0, 1.0, None)
    assert one_gpu.device == "cuda" and 3 * one_gpu.num_gpus <= 1 and one_gpu.max_actors == 1
    eight_gpus = plan_placement(2, 64.0, 8.0, "cuda")
    assert eight_gpus.num_gpus == 1 and eight_gpus.max_actors == 4
    assert plan_placement(3, 16.0, 4.0, "cpu").num_gpus == 0
    with pytest.raises(RayStageError, match="no GPU"):
        plan_placement(3, 16.0, 0.0, "cuda")


def test_help_and_plain_ingest_do_not_import_ray():
    """Ray is imported only by an ingest that asks for it (it takes seconds to import)."""
    probe = (
        "import sys\n"
        "from cli.main import main\n"
        "main(['--help']); main(['ingest', '--help'])\n"
        "import ingest.pipeline, ingest.ray_stage\n"
        "assert not [m for m in sys.modules if m == 'ray' or m.startswith('ray.')], 'ray imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_cli_without_ray_installed_says_how_to_install_it(tiny_catalog, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # "import ray" now fails as if it were absent
    code, _, err = run(capsys, "ingest", str(tiny_catalog), *TINY_ARGS, "--ray")
    assert code == 1 and err.strip() == (
        "error: --ray needs Ray Data, which is not installed (ray): pip install 'recsys[ray]'"
    )


def test_cli_ray_address_must_be_an_address(tiny_catalog, capsys, monkeypatch):
    """--ray-address typed turns Ray on; a catalog given in its place is a one-line error, and
    RECSYS_RAY_ADDRESS alone does not make an ingest a Ray job."""
    code, _, err = run(capsys, "ingest", "--ray-address", str(tiny_catalog), *TINY_ARGS)
    assert code == 1 and err.startswith("error: ") and "is not a Ray address" in err and len(err.splitlines()) == 1
    monkeypatch.setenv("RECSYS_RAY_ADDRESS", "not an address")
    code, _, err = run(capsys, "ingest", str(tiny_catalog), *TINY_ARGS, "--dry-run", "--json")
    assert code == 0, err


# ---------------------------------------------------------------- on a local Ray instance


def test_ray_ingest_stores_what_a_plain_ingest_stores(local_ray, tiny_catalog, tmp_path, capsys):
    """One cover and one audio file cannot be decoded: the same problem lines both ways, and
    the tracks keep their other modalities."""
    catalog = tmp_path / "catalog"
    shutil.copytree(tiny_catalog, catalog)
    rows = read_rows(catalog)
    (catalog / rows[1]["cover"]).write_bytes(b"this is not a png")
    (catalog / rows[9]["audio"]).write_bytes(b"")
    plain = _ingest(catalog, tmp_path / "plain" / "store", cache_dir=tmp_path / "plain" / "cache")
    # the --ray run goes through the command line, as a user runs it
    home = tmp_path / "ray-home"
    code, out, err = run(capsys, "ingest", str(catalog), "--collection", "c", "--home", str(home), "--batch-size", "8",
                         *TINY_ARGS, "--ray", "--json")
    assert code == 0, err
    on_ray = json.loads(out)
    assert on_ray["ingested"] == plain.ingested == len(rows)
    assert on_ray["vectors"] == plain.vectors and plain.vectors["image"] == plain.vectors["audio"] == len(rows) - 1
    assert on_ray["problems"] == [str(p) for p in plain.problems]
    assert len(plain.problems) == 2 and on_ray["failed"] == plain.failed == {"image": 1, "audio": 1}
    assert "ray" in on_ray["seconds"] and "ray" not in plain.seconds
    _assert_same_store(tmp_path / "plain" / "store", Settings.from_env(home=home).store_dir)
    # the embedding cache is written as a plain ingest writes it, and what it holds is not sent
    # to Ray again: only the two bad files would be
    ray_cache = Settings.from_env(home=home).embedding_cache_dir
    assert _cache_rows(ray_cache) == _cache_rows(tmp_path / "plain" / "cache")
    tracks = read_catalog(catalog, cover_cache=tmp_path / "covers").tracks
    by_modality = {}
    for m, info in _encoder_infos().items():
        cache = EmbeddingCache(ray_cache, info)
        try:
            by_modality[m] = sorted(_uncached_sources(m, tracks, cache, read_cache=True))
        finally:
            cache.close()
    assert by_modality == {"text": [], "image": [rows[1]["track_id"]], "audio": [rows[9]["track_id"]]}


def _encoder_infos() -> dict:
    from recsys.encoders import get_encoder

    return {m: get_encoder(TINY[f"{m}_encoder"]).info for m in ("text", "image", "audio")}


def _cache_rows(folder: Path) -> dict[str, list]:
    """Every cache file's rows (model, key, vector bytes), sorted."""
    out = {}
    for path in sorted(folder.glob("*.sqlite")):
        db = sqlite3.connect(path)
        try:
            out[path.name] = sorted(db.execute("SELECT model, key, vec FROM vectors"))
        finally:
            db.close()
    return out


def test_an_encoder_failing_on_the_workers_is_one_line(local_ray, tiny_catalog, tmp_path):
    """An encoder the workers cannot load fails the ingest with its own one-line message."""
    from recsys.encoders import EncoderSpec, register_encoder
    from tests.support.tiny_encoders import AUDIO_DIM

    def refuse(spec, device, batch_size):
        raise RuntimeError("no such model on this worker")

    # registered here only: the workers know no 'tiny-absent-audio' encoder
    register_encoder(EncoderSpec("tiny-absent-audio", "audio", "absent-24", AUDIO_DIM, refuse), replace=True)
    with pytest.raises(RayStageError, match="encoding on Ray failed: unknown audio encoder 'tiny-absent-audio'"):
        _ingest(tiny_catalog, tmp_path / "store", audio_encoder="tiny-absent-audio", ray_address="local")
