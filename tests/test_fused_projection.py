"""The compact fused vector (recsys/fusion/projection.py): shapes, unit rows, determinism,
exact save/load, PCA recovering a known low-rank structure, clear errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from recsys.errors import EncoderError, RecsysError
from recsys.fusion.projection import CONFIG_FILE, WEIGHTS_FILE, FusedProjection, split_dims

PARTS = (("text", 40), ("image", 24), ("audio", 16), ("graph", 16))
IN_DIM = sum(d for _, d in PARTS)


def _low_rank(n: int = 300, rank: int = 6, dim: int = IN_DIM, noise: float = 0.02, seed: int = 0) -> np.ndarray:
    """Rows on a random ``rank``-d subspace plus a little isotropic noise, unit length, with
    an offset shared by every row (as real embeddings have)."""
    rng = np.random.default_rng(seed)
    basis = np.linalg.qr(rng.standard_normal((dim, rank)))[0]
    x = rng.standard_normal((n, rank)) @ basis.T + 0.8 * basis[:, 0] + noise * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _neighbours(x: np.ndarray, k: int) -> np.ndarray:
    s = x @ x.T
    np.fill_diagonal(s, -np.inf)
    return np.argsort(-s, axis=1, kind="stable")[:, :k]


def _make(kind: str, x: np.ndarray, out_dim: int) -> FusedProjection:
    if kind == "random":
        return FusedProjection.random(IN_DIM, out_dim, seed=3, parts=PARTS)
    return FusedProjection.fit_pca(
        x, out_dim, centre="uncentred" not in kind, parts=PARTS, per_block=kind.startswith("pca-block")
    )


KINDS = ["random", "pca", "pca-uncentred", "pca-block", "pca-block-uncentred"]


@pytest.mark.parametrize("out_dim", [8, 32])
@pytest.mark.parametrize("kind", KINDS)
def test_shapes_dtype_and_unit_rows(kind, out_dim):
    x = _low_rank()
    proj = _make(kind, x, out_dim)
    y = proj.project(x)
    assert y.shape == (len(x), out_dim) and y.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(y, axis=1), 1.0, atol=1e-5)


def test_empty_rows_stay_zero_and_do_not_count_in_the_fit():
    x = _low_rank(n=100)
    x[5] = 0.0
    x[7, 3] = np.nan
    proj = FusedProjection.fit_pca(x, 8)
    assert proj.config.fitted_rows == 98
    y = proj.project(x)
    assert not y[5].any() and not y[7].any()
    assert np.isfinite(y).all()


def test_random_projection_is_a_function_of_seed_and_dims():
    a = FusedProjection.random(IN_DIM, 16, seed=7)
    b = FusedProjection.random(IN_DIM, 16, seed=7)
    np.testing.assert_array_equal(a.matrix, b.matrix)
    assert not np.allclose(a.matrix, FusedProjection.random(IN_DIM, 16, seed=8).matrix)
    # orthonormal columns: a JL map that keeps the geometry on average, no axis counted twice
    np.testing.assert_allclose(a.matrix.T @ a.matrix, np.eye(16), atol=1e-5)


def test_pca_is_deterministic_from_the_seed_when_it_samples():
    x = _low_rank(n=400)
    a = FusedProjection.fit_pca(x, 8, seed=1, max_sample=150)
    b = FusedProjection.fit_pca(x, 8, seed=1, max_sample=150)
    c = FusedProjection.fit_pca(x, 8, seed=2, max_sample=150)
    assert a.config.fitted_rows == 150
    np.testing.assert_array_equal(a.matrix, b.matrix)
    np.testing.assert_array_equal(a.mean, b.mean)
    assert not np.array_equal(a.mean, c.mean)  # another sample


@pytest.mark.parametrize("centre", [True, False])
def test_pca_recovers_a_low_rank_structure(centre):
    """Data on a 6-d subspace: 8 axes hold it all, neighbour sets survive; a random 8-d map
    of the same data keeps far fewer of them (so the test can fail)."""
    x = _low_rank(rank=6)
    proj = FusedProjection.fit_pca(x, 8, centre=centre)
    assert proj.config.kept_variance > 0.97
    # centred, the cosine is taken between centred vectors: compare with their neighbours
    full = x - x.mean(axis=0) if centre else x
    truth = _neighbours(full / np.linalg.norm(full, axis=1, keepdims=True), 10)
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, _neighbours(proj.project(x), 10))])
    assert overlap > 0.95, overlap
    rand = FusedProjection.random(IN_DIM, 8, seed=0)
    r_overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, _neighbours(rand.project(x), 10))])
    assert r_overlap < overlap - 0.1, (r_overlap, overlap)


def test_centring_removes_the_shared_offset():
    x = _low_rank()
    centred = FusedProjection.fit_pca(x, 8, centre=True)
    np.testing.assert_allclose(centred.mean, x.mean(axis=0), atol=1e-6)
    assert not FusedProjection.fit_pca(x, 8, centre=False).mean.any()


@pytest.mark.parametrize("kind", KINDS)
def test_save_load_round_trip_is_exact(tmp_path, kind):
    x = _low_rank()
    proj = _make(kind, x, 16)
    folder = proj.save(tmp_path / "proj")
    assert (folder / CONFIG_FILE).is_file() and (folder / WEIGHTS_FILE).is_file()
    back = FusedProjection.load(folder)
    assert back.config == proj.config
    np.testing.assert_array_equal(back.matrix, proj.matrix)
    np.testing.assert_array_equal(back.mean, proj.mean)
    np.testing.assert_array_equal(back.project(x), proj.project(x))


def test_project_needs_numpy_only():
    """Projecting (and loading) must not pull in torch: a query path stays light."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from recsys.fusion.projection import FusedProjection\n"
        "FusedProjection.random(20, 4).project(np.ones((2, 20)))\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("rows", [0, 1, 8])
def test_too_small_sample_is_a_clear_error(rows):
    x = _low_rank(n=max(rows, 1))[:rows]
    with pytest.raises(RecsysError, match="PCA|concat vectors") as err:
        FusedProjection.fit_pca(x, 8)
    assert "\n" not in str(err.value)


def test_all_empty_sample_is_a_clear_error():
    with pytest.raises(RecsysError, match="needs more than 8 non-empty sample vectors, got 0"):
        FusedProjection.fit_pca(np.zeros((50, IN_DIM), dtype=np.float32), 8)


def test_bad_dims_are_clear_errors():
    with pytest.raises(EncoderError, match="maps down"):
        FusedProjection.random(16, 32)
    proj = FusedProjection.random(IN_DIM, 8, parts=PARTS)
    with pytest.raises(EncoderError, match=f"rows of {IN_DIM} dims"):
        proj.project(np.ones((2, IN_DIM + 1), dtype=np.float32))
    with pytest.raises(EncoderError, match="96-d concat vectors; the collection's are 97-d"):
        proj.check_parts((("text", 41), ("image", 24), ("audio", 16), ("graph", 16)))
    with pytest.raises(EncoderError, match="made for blocks"):
        proj.check_parts((("image", 24), ("text", 40), ("audio", 16), ("graph", 16)))
    proj.check_parts(PARTS)


def test_broken_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(EncoderError, match="is not a fused projection"):
        FusedProjection.load(tmp_path)
    folder = FusedProjection.random(IN_DIM, 8).save(tmp_path / "p")
    (folder / WEIGHTS_FILE).write_bytes(b"not safetensors")
    with pytest.raises(EncoderError, match="cannot read fused projection weights"):
        FusedProjection.load(folder)
    (folder / CONFIG_FILE).write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(EncoderError, match="cannot read fused projection config"):
        FusedProjection.load(folder)


def test_split_dims_evenly_within_each_block():
    assert split_dims(128, [1024, 512, 128, 128]) == (32, 32, 32, 32)
    assert split_dims(130, [1024, 512, 128, 128]) == (33, 33, 32, 32)
    assert split_dims(10, [2, 100]) == (2, 8)  # a narrow block gives away what it cannot hold
    with pytest.raises(EncoderError, match="cannot split 3 dims over 4 blocks"):
        split_dims(3, [4, 4, 4, 4])


def _two_blocks(n: int = 300, seed: int = 1) -> tuple[np.ndarray, tuple[tuple[str, int], ...]]:
    """A wide block with a lot of varied signal, and a narrow one whose rows share one
    direction and differ a little (as VGGish audio vectors do): concat rows, unit blocks."""
    rng = np.random.default_rng(seed)
    wide = rng.standard_normal((n, 20)) @ rng.standard_normal((20, 64))
    narrow = 4.0 * rng.standard_normal(16) + rng.standard_normal((n, 3)) @ rng.standard_normal((3, 16))
    wide /= np.linalg.norm(wide, axis=1, keepdims=True)
    narrow /= np.linalg.norm(narrow, axis=1, keepdims=True)
    x = np.concatenate([wide, narrow], axis=1) / np.sqrt(2)
    return x.astype(np.float32), (("text", 64), ("audio", 16))


def _self_recall(proj: FusedProjection, x: np.ndarray, cols: slice, k: int = 5) -> float:
    """Each row's one block alone (the others zero), projected, finds its own row."""
    q = np.zeros_like(x)
    q[:, cols] = x[:, cols]
    top = np.argsort(-(proj.project(q) @ proj.project(x).T), axis=1)[:, :k]
    return float(np.mean([i in t for i, t in enumerate(top)]))


@pytest.mark.parametrize("centre", [True, False])
def test_per_block_pca_keeps_a_narrow_block_a_joint_pca_drowns(centre):
    x, parts = _two_blocks()
    joint = FusedProjection.fit_pca(x, 8, centre=centre, parts=parts)
    block = FusedProjection.fit_pca(x, 8, centre=centre, parts=parts, per_block=True)
    assert block.config.block_dims == (4, 4)
    audio = slice(64, 80)
    assert _self_recall(block, x, audio) > 0.9
    assert _self_recall(block, x, audio) > _self_recall(joint, x, audio) + 0.2


def test_per_block_missing_block_stays_empty():
    x, parts = _two_blocks()
    proj = FusedProjection.fit_pca(x, 8, centre=True, parts=parts, per_block=True)
    only_audio = x[:3].copy()
    only_audio[:, :64] = 0.0
    y = proj.project(only_audio)
    assert not y[:, :4].any()  # no text: centring must not invent one (minus the mean)
    np.testing.assert_allclose(np.linalg.norm(y, axis=1), 1.0, atol=1e-5)
    full = proj.project(x[:3])
    # both blocks present weigh the same, as in the concat
    np.testing.assert_allclose(np.linalg.norm(full[:, :4], axis=1), np.linalg.norm(full[:, 4:], axis=1), atol=1e-5)


def test_per_block_needs_the_blocks():
    with pytest.raises(EncoderError, match="needs the \\(modality, dim\\) blocks"):
        FusedProjection.fit_pca(_low_rank(), 8, per_block=True)
    x, parts = _two_blocks(n=20)
    with pytest.raises(EncoderError, match="4-d PCA projection of text needs more than 4 non-empty sample vectors, got 3"):
        FusedProjection.fit_pca(x[:3], 8, parts=parts, per_block=True)
