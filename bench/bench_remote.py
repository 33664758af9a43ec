"""Upsert throughput of the remote store: one request for everything, batches one at a time,
and batches sent in parallel (RemoteBackend's default).

    .venv/bin/python bench/bench_remote.py --points 5000 --dim 512
    .venv/bin/python bench/bench_remote.py --latency-ms 20        # a simulated round trip
    .venv/bin/python bench/bench_remote.py --location http://localhost:6333 [--grpc]

Against ":memory:" (the default) the figures are the client-side cost only: qdrant-client's
in-process mode inserts into Python structures one call at a time, so batching and threads
can only add overhead there. ``--latency-ms`` adds a sleep to every upsert request outside
that turn-taking, standing in for a server's round trip (network plus WAL); it shows what
requests in flight buy, but it is a simulation, not a measurement of a server. Only
``--location URL`` measures a real server.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import threading
import time
from typing import Any

import numpy as np

from recsys.store import CollectionSpec, PointRecord
from recsys.store.remote import UPLOAD_BATCH_BYTES, UPLOAD_BATCH_POINTS, UPLOAD_PARALLEL, RemoteBackend

NAME = "bench_upload"


def add_latency(b: RemoteBackend, seconds: float) -> None:
    """Every upsert request waits ``seconds`` first, several at once (as on a network), then
    runs the real local-mode call one at a time."""
    real = b._client.upsert
    turn = threading.Lock()

    def upsert(*args: Any, **kw: Any) -> Any:
        time.sleep(seconds)
        with turn:
            return real(*args, **kw)

    b._turns = contextlib.nullcontext()
    b._client.upsert = upsert


def run(location: str, api_key: str | None, grpc: bool, points: list[PointRecord], dim: int,
        latency_s: float, **upload: int) -> float:
    """Seconds to upsert ``points`` into a new collection with these upload settings."""
    b = RemoteBackend(location, api_key=api_key, prefer_grpc=grpc if location != ":memory:" else None, **upload)
    try:
        if b.collection_exists(NAME):
            b.delete_collection(NAME)
        b.create_collection(CollectionSpec(NAME, {"audio": dim}))
        if latency_s > 0:
            add_latency(b, latency_s)
        t = time.perf_counter()
        b.upsert(NAME, points)
        elapsed = time.perf_counter() - t
        assert b.count(NAME) == len(points), "points went missing"
        b.delete_collection(NAME)
        return elapsed
    finally:
        b.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=4000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--repeat", type=int, default=3, help="runs per setting (the median is shown)")
    ap.add_argument("--location", default=":memory:", help="a Qdrant URL, or :memory: (default)")
    ap.add_argument("--api-key", default=None)
    ap.add_argument("--grpc", action="store_true", help="talk gRPC to --location (port 6334)")
    ap.add_argument("--latency-ms", type=float, default=0.0, help="simulated round trip per request")
    args = ap.parse_args()

    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.points, args.dim)).astype(np.float32)
    points = [
        PointRecord(
            f"t{i}",
            {"audio": x[i]},
            {"title": f"song {i}", "artist": f"a{i % 100}", "year": 1990 + i % 30},
        )
        for i in range(args.points)
    ]
    settings = {
        "one request": dict(batch_points=args.points, batch_bytes=2**62, parallel=1),
        f"batches of {UPLOAD_BATCH_POINTS}, one at a time": dict(batch_points=UPLOAD_BATCH_POINTS, parallel=1),
        f"batches of {UPLOAD_BATCH_POINTS}, {UPLOAD_PARALLEL} in flight (default)": dict(
            batch_points=UPLOAD_BATCH_POINTS, batch_bytes=UPLOAD_BATCH_BYTES, parallel=UPLOAD_PARALLEL
        ),
        f"batches of {UPLOAD_BATCH_POINTS}, 8 in flight": dict(batch_points=UPLOAD_BATCH_POINTS, parallel=8),
    }
    where = args.location + (" over gRPC" if args.grpc and args.location != ":memory:" else "")
    extra = f", simulated round trip {args.latency_ms:g} ms" if args.latency_ms else ""
    print(f"upsert of {args.points} points (dim {args.dim}) into {where}{extra}; median of {args.repeat}")
    for label, upload in settings.items():
        times = [
            run(args.location, args.api_key, args.grpc, points, args.dim, args.latency_ms / 1000, **upload)
            for _ in range(args.repeat)
        ]
        s = statistics.median(times)
        print(f"  {label:42s} {s:7.2f} s  {args.points / s:9.0f} points/s")


if __name__ == "__main__":
    main()
