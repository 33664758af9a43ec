"""Rough timings of the store backends on random data: upsert, search, filtered search, MMR.

    .venv/bin/python bench/bench_store.py --points 20000 --dim 512
    .venv/bin/python bench/bench_store.py --location http://localhost:6333

By default it compares Edge (in a temporary folder) with qdrant-client's ":memory:" mode.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from recsys.store import CollectionSpec, PointRecord, QueryFilter, StoreBackend, open_backend

NAME = "bench"


def bench(b: StoreBackend, points: list[PointRecord], queries: np.ndarray, dim: int) -> str:
    if b.collection_exists(NAME):
        b.delete_collection(NAME)
    b.create_collection(CollectionSpec(NAME, {"audio": dim}))
    t = time.perf_counter()
    b.upsert(NAME, points)
    upsert_s = time.perf_counter() - t

    def per_query(fn) -> float:  # milliseconds per query
        t0 = time.perf_counter()
        for q in queries:
            fn(q)
        return (time.perf_counter() - t0) / len(queries) * 1000

    flt = QueryFilter(artists=("a1", "a2"), year_min=2000)
    search_ms = per_query(lambda q: b.search(NAME, q, "audio", 10))
    filtered_ms = per_query(lambda q: b.search(NAME, q, "audio", 10, flt))
    mmr_ms = per_query(lambda q: b.mmr(NAME, q, "audio", 10, 0.5, 100))
    b.delete_collection(NAME)
    return (
        f"{type(b).__name__:14s} {b.location}: upsert {upsert_s:.2f}s, search {search_ms:.1f} ms, "
        f"filtered {filtered_ms:.1f} ms, mmr {mmr_ms:.1f} ms"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=5000)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--location", action="append", help="store location(s) to time")
    ap.add_argument("--api-key", default=None)
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.points, args.dim)).astype(np.float32)
    points = [
        PointRecord(
            f"t{i}",
            {"audio": x[i]},
            {"artist": f"a{i % 100}", "genres": ["rock"], "year": 1990 + i % 30},
        )
        for i in range(args.points)
    ]
    queries = rng.normal(size=(args.queries, args.dim))
    with tempfile.TemporaryDirectory() as tmp:
        locations = args.location or [str(Path(tmp) / "edge"), ":memory:"]
        for loc in locations:
            b = open_backend(loc, api_key=args.api_key)
            try:
                print(bench(b, points, queries, args.dim))
            finally:
                b.close()


if __name__ == "__main__":
    main()
