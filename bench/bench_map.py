"""Time of the 2-D projection behind `recsys map` on a large synthetic space:

    .venv/bin/python bench/bench_map.py --points 100000 --dim 1960 --method umap

Clustered random vectors (32 clusters) of the untrained fused vector's width; prints seconds
and peak RSS of `project_2d` (the store's scroll is not included).
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=1960)
    ap.add_argument("--method", default="umap", choices=["umap", "tsne", "pca"])
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(32, args.dim)).astype(np.float32)
    x = centres[rng.integers(0, 32, args.points)] + 0.7 * rng.standard_normal((args.points, args.dim), dtype=np.float32)
    t0 = time.perf_counter()
    _, used = project_2d(x, method=args.method)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.points} points x {args.dim} dims, {used} (fit on {min(FIT_LIMIT, args.points)}): "
          f"{seconds:.1f} s, peak RSS {peak:.0f} MiB (the input alone: {x.nbytes / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
