"""Time of the 2-D projection behind `recsys map` on a large synthetic space:

    .venv/bin/python bench/bench_map.py --points 100000 --dim 1960 --method umap

Clustered random vectors (32 clusters) of the untrained fused vector's width; prints seconds
and the process's peak RSS, which the input's build (in chunks) leaves near the input's
size, so the peak is the projection's (the store's scroll is not included).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from recsys.analysis.projection import FIT_LIMIT, project_2d  # noqa: E402


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clustered(points: int, dim: int, chunk: int = 8192) -> np.ndarray:
    """32 clusters, built in chunks so that building them peaks near the input's own size."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(32, dim)).astype(np.float32)
    x = np.empty((points, dim), dtype=np.float32)
    for start in range(0, points, chunk):
        rows = slice(start, min(start + chunk, points))
        n = rows.stop - rows.start
        x[rows] = centres[rng.integers(0, 32, n)] + 0.7 * rng.standard_normal((n, dim), dtype=np.float32)
    return x


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=1960)
    ap.add_argument("--method", default="umap", choices=["umap", "tsne", "pca"])
    args = ap.parse_args()
    x = clustered(args.points, args.dim)
    before = peak_rss_mib()
    t0 = time.perf_counter()
    _, used = project_2d(x, method=args.method)
    seconds = time.perf_counter() - t0
    peak = peak_rss_mib()
    # the peak is the process's: only a projection that outgrows the input's build moves it
    print(f"{args.points} points x {args.dim} dims, {used} (fit on {min(FIT_LIMIT, args.points)}): "
          f"{seconds:.1f} s, peak RSS {peak:.0f} MiB (before the projection: {before:.0f} MiB; "
          f"the input alone: {x.nbytes / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
