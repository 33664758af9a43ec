"""What the preparation records (``ingest.preparation``) cost the sync of an unchanged library:
``plan_sync`` over N stored points whose files did not change, with the records' verdict
(``prepared=True``, every ingest's) and without (as before them), in one process, alternated.

    .venv/bin/python bench/bench_sync_prepared.py --tracks 50000 --rounds 3

The tracks' files do not exist (no file is read by an unchanged sync: the reader's stats are
given as the catalog's ``file_stats``), so this times the comparison of payloads alone. With
``--old`` the stored payloads have no record (a store of before 2026-11-28): every point is
then put in ``refresh`` once, and a tenth of the files, said to have six channels, in
``reprepare``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def _library(n: int):
    from ingest.sync import SyncPlan
    from recsys.catalog.model import Catalog, TrackRecord
    from recsys.encoders.preparation import PREPARED, record
    from recsys.modalities import AUDIO, GRAPH, IMAGE

    root = Path("/nonexistent-bench-library")
    tracks = [
        TrackRecord(track_id=f"t{i:06d}", title=f"Song {i}", artist=f"Artist {i % 997}", album=f"Album {i % 4001}",
                    genres=("rock",), audio_path=root / f"{i:06d}.flac", cover_path=root / f"{i % 4001}.jpg",
                    file_channels=6 if i % 10 == 0 else 2)
        for i in range(n)
    ]
    stats = {str(t.audio_path): [1000 + i, 10**18 + i] for i, t in enumerate(tracks)}
    catalog = Catalog(name="bench", root=root, kind="manifest", tracks=tracks, file_stats=stats)
    plan = SyncPlan(salt="s", _read_stats=stats)
    modalities = [AUDIO, GRAPH, IMAGE]
    stored = {}
    for t in tracks:
        payload = t.payload() | {"fields_hash": plan.fields_hash(t), "file_stat": plan.file_stat(t),
                                 "content_hash": "-", "modalities": modalities, "made_by": "bench"}
        payload[PREPARED] = record(modalities)
        stored[t.track_id] = payload
    return catalog, stored


def main(argv: list[str] | None = None) -> int:
    from ingest.sync import plan_sync
    from recsys.encoders.preparation import PREPARED

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--old", action="store_true", help="stored payloads without a record")
    args = ap.parse_args(argv)
    catalog, stored = _library(args.tracks)
    if args.old:
        for payload in stored.values():
            payload.pop(PREPARED)
    best: dict[bool, float] = {}
    for _ in range(args.rounds):
        for prepared in (False, True):
            t0 = time.perf_counter()
            plan = plan_sync(catalog, stored, "s", prepared=prepared)
            took = time.perf_counter() - t0
            best[prepared] = min(best.get(prepared, took), took)
            shape = (plan.unchanged, len(plan.refresh), len(plan.reprepare), len(plan.updated))
            print(f"prepared={prepared!s:5} {took:6.3f} s  unchanged, refresh, reprepare, updated: {shape}")
    print(f"best of {args.rounds}: {best[False]:.3f} s without the verdict, {best[True]:.3f} s with it "
          f"({args.tracks} points)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
