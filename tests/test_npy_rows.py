"""NpyRows reads a large .npy file's rows on demand and gives what np.load gives."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.catalog.npy_rows import NpyRows


def test_rows_in_order_at_random_and_whole_are_the_arrays(tmp_path):
    x = np.random.default_rng(0).standard_normal((5000, 7)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    rows = NpyRows(tmp_path / "x.npy")
    assert rows.shape == (5000, 7) and rows.dtype == np.float32 and len(rows) == 5000
    assert all(np.array_equal(rows[i], x[i]) for i in range(5000))  # sequential: by blocks
    for i in (4999, 3, 2500, -1, 0):  # random: single rows
        assert np.array_equal(rows[i], x[i])
    assert np.array_equal(rows[10:20], x[10:20]) and np.array_equal(rows[::-1], x[::-1])
    assert np.array_equal(np.asarray(rows), x)
    got = rows[5]
    got[:] = 0  # a copy: the next read is unchanged
    assert np.array_equal(rows[5], x[5])
    with pytest.raises(IndexError):
        rows[5000]


def test_other_layouts_are_refused(tmp_path):
    np.save(tmp_path / "f.npy", np.asfortranarray(np.ones((3, 4), dtype=np.float32)))
    np.save(tmp_path / "v.npy", np.ones(4, dtype=np.float32))
    for name in ("f.npy", "v.npy"):
        with pytest.raises(ValueError):
            NpyRows(tmp_path / name)
