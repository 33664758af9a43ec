"""The files' digests of one ingest chunk (what the sync fields and the embedding caches key
on): hashed one file after another, as the reader did, against ``ingest.sync.file_digests``
(each file once, on threads).

    .venv/bin/python bench/bench_digests.py --tracks 128 --rounds 3

The library is ``bench_ingest.py``'s (180 s MP3s and 600x600 JPEG covers, hard-linked, so the
files are in the page cache after the first round: this times the hashing, not the disk).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def main(argv: list[str] | None = None) -> int:
    from bench_ingest import write_library

    from ingest.sync import file_digests
    from recsys.catalog.model import file_digest

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=128, help="tracks of the chunk (its audio and cover files)")
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="recsys-bench-digests-") as tmp:
        root = Path(tmp) / "library"
        write_library(root, args.tracks, min(args.tracks, 16), args.seconds)
        paths = sorted((root / "audio").iterdir()) + sorted((root / "covers").iterdir())
        size = sum(p.stat().st_size for p in paths) / 2**20
        print(f"{len(paths)} files, {size:.0f} MB")
        for r in range(args.rounds):
            t0 = time.perf_counter()
            for p in paths:
                file_digest(p)
            one = time.perf_counter() - t0
            t0 = time.perf_counter()
            file_digests(paths)
            threads = time.perf_counter() - t0
            print(f"round {r + 1}: one after another {one * 1e3:.0f} ms (twice with an embedding cache: "
                  f"{2 * one * 1e3:.0f} ms); once each, on threads: {threads * 1e3:.0f} ms", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
