"""The artist facet (``StoreBackend.facet(name, "artist")``, what `recsys facets artists` reads)
on a synthetic Edge collection: tracks as ``TrackRecord.payload`` writes them, a share of them
crediting several artists ("A feat. B", or "A" with a title's "(feat. B)"), in two spellings.

    PYTHONPATH=. .venv/bin/python bench/bench_facet.py --tracks 200000 --store /tmp/facet-store
    PYTHONPATH=. .venv/bin/python bench/bench_facet.py --tracks 100000 --explicit 0.2 --clean --store /tmp/facet-clean

The store is built once (kept in ``--store``, reused when it holds the collection), so one store
can be timed by two versions of the code (PYTHONPATH names which: the script adds none). Prints the facet's wall time:
the first call of a fresh backend (the shard's open and the normalised-field count included)
and the median of ``--repeat`` more, with the number of rows and a digest of them. ``--explicit``
marks that share of the tracks explicit as the store is built (a store built without it has
none); ``--clean`` times the clean facet too (``flt=QueryFilter(clean=True)``, a clean server's),
after the whole one, each first call counted and its answer then kept (``edge_derived``).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.store import CollectionSpec, EdgeBackend, PointRecord, QueryFilter

NAME = "bench"


def records(n: int, multi: float, seed: int = 0, explicit: float = 0.0) -> list[TrackRecord]:
    """``n`` tracks of about n/10 artists; ``multi`` of them credit a second artist, half as
    "A feat. B", half as "A" with "(feat. B)" in the title; one in 20 is spelled in capitals;
    ``explicit`` of them marked explicit (drawn apart, so the rest are as without it)."""
    marked = np.random.default_rng(seed + 7).random(n) < explicit
    rng = np.random.default_rng(seed)
    n_artists = max(2, n // 10)
    out = []
    for i in range(n):
        a = f"Artist {int(rng.integers(n_artists))}"
        if rng.random() < 0.05:
            a = a.upper()
        title, tagged, artists = f"Song {i}", a, ()
        if rng.random() < multi:
            b = f"Artist {int(rng.integers(n_artists))}"
            if b.casefold() != a.casefold():
                artists = (a, b)
                if i % 2:
                    tagged = f"{a} feat. {b}"
                else:
                    title = f"Song {i} (feat. {b})"
        out.append(TrackRecord(f"t{i}", title, tagged, artists=artists, genres=("rock",), year=2000,
                               explicit=True if marked[i] else None))
    return out


def build(store: Path, n: int, multi: float, explicit: float = 0.0) -> None:
    b = EdgeBackend(store)
    try:
        if b.collection_exists(NAME):
            return
        b.create_collection(CollectionSpec(NAME, {"audio": 4}))
        rng = np.random.default_rng(1)
        recs = records(n, multi, explicit=explicit)
        for start in range(0, n, 5000):
            chunk = recs[start:start + 5000]
            vecs = rng.normal(size=(len(chunk), 4)).astype(np.float32)
            b.upsert(NAME, [PointRecord(r.track_id, {"audio": v}, r.payload()) for r, v in zip(chunk, vecs)])
        b.optimize(NAME)
    finally:
        b.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=200_000)
    ap.add_argument("--multi", type=float, default=0.1, help="share of tracks crediting two artists")
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--explicit", type=float, default=0.0, help="share of tracks marked explicit (as built)")
    ap.add_argument("--clean", action="store_true", help="time the clean facet too")
    args = ap.parse_args()
    t = time.perf_counter()
    build(args.store, args.tracks, args.multi, args.explicit)
    print(f"store ready in {time.perf_counter() - t:.1f} s")
    b = EdgeBackend(args.store)
    try:
        for label, flt in [("artist", None)] + ([("artist, clean", QueryFilter(clean=True))] if args.clean else []):
            t = time.perf_counter()
            rows = b.facet(NAME, "artist", flt=flt)
            first = time.perf_counter() - t
            warm = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                b.facet(NAME, "artist", flt=flt)
                warm.append(time.perf_counter() - t)
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
            print(f"facet {label}: first {first * 1000:.0f} ms, then median {statistics.median(warm) * 1000:.0f} ms "
                  f"({len(rows)} rows, {sum(n for _, n in rows)} credits, top {rows[:3]}, digest {digest})")
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
