"""The rows of a large 2-D ``.npy`` file, read when asked for, never all at once.

A million-track catalog's published vectors are 7 GB. Loading them would not fit the memory
an ingest may use, and mapping them (``np.load(mmap_mode="r")``) counts every page read into
the process's resident size until the kernel reclaims it. Reading with ``pread`` leaves the
pages in the page cache, outside the process: an ingest reads each row once, in order, a
block at a time; a sample (the compact fused vector's fit) reads single rows.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

#: rows read at once when rows are asked for in order
BLOCK_ROWS = 2048


class NpyRows:
    """Row access to a C-ordered 2-D ``.npy`` file: ``rows[i]`` (a copy), ``rows[a:b]``,
    ``np.asarray(rows)`` (everything), ``shape``, ``dtype``."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with open(self.path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            self._offset = fh.tell()
        if fortran or len(shape) != 2 or dtype.hasobject:
            raise ValueError(f"{self.path.name}: not a C-ordered 2-D numeric array")
        self.shape: tuple[int, int] = (int(shape[0]), int(shape[1]))
        self.dtype = np.dtype(dtype)
        self.ndim = 2
        self._row_bytes = self.shape[1] * self.dtype.itemsize
        self._block_start = -1
        self._block: np.ndarray | None = None
        self._last = -2

    def __len__(self) -> int:
        return self.shape[0]

    def _read(self, start: int, stop: int) -> np.ndarray:
        n = max(0, stop - start)
        with open(self.path, "rb") as fh:
            raw = os.pread(fh.fileno(), n * self._row_bytes, self._offset + start * self._row_bytes)
        if len(raw) != n * self._row_bytes:
            raise ValueError(f"{self.path.name} is shorter than its header says")
        return np.frombuffer(raw, dtype=self.dtype).reshape(n, self.shape[1]).copy()

    def __getitem__(self, key: int | slice) -> np.ndarray:
        if isinstance(key, slice):
            wanted = range(*key.indices(self.shape[0]))
            if not wanted:
                return np.empty((0, self.shape[1]), self.dtype)
            lo, hi = min(wanted), max(wanted) + 1
            return self._read(lo, hi)[[i - lo for i in wanted]] if wanted.step != 1 else self._read(lo, hi)
        i = int(key)
        if i < 0:
            i += self.shape[0]
        if not 0 <= i < self.shape[0]:
            raise IndexError(f"row {key} of {self.path.name}, which has {self.shape[0]}")
        sequential = i == self._last + 1
        self._last = i
        if self._block is not None and self._block_start <= i < self._block_start + len(self._block):
            return self._block[i - self._block_start].copy()
        if not sequential:
            return self._read(i, i + 1)[0]
        self._block_start = i
        self._block = self._read(i, min(self.shape[0], i + BLOCK_ROWS))
        return self._block[0].copy()

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        out = self._read(0, self.shape[0])
        return out if dtype is None else out.astype(dtype, copy=False)
