"""Ingest time per stage and query latency, on the sample catalog (offline encoders) and on
the paper's Fairouz folder (published vectors). Prints markdown tables for docs/benchmarks.md.

    .venv/bin/python bench/bench_engine.py [--tracks 120] [--runs 20] [--fairouz ../shared/fairouz]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.query.library import Library
from recsys.query.cross_modal import QueryRequest, query
from recsys.query.playlist import PlaylistRequest, playlist
from recsys.query.recommend import RecommendRequest, recommend
from recsys.catalog import read_catalog
from recsys.store import open_backend


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm: loads the encoder once, as a long-running process would
    xs = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs), max(xs)


def bench(label: str, catalog_path: Path, precomputed: bool, runs: int, work: Path, queries: dict) -> None:
    t0 = time.perf_counter()
    cat = read_catalog(catalog_path, precomputed=precomputed, cover_cache=work / "covers")
    read_s = time.perf_counter() - t0
    backend = open_backend(work / "store")
    report = ingest_catalog(cat, backend, IngestOptions(collection="bench", precomputed=precomputed))
    t1 = time.perf_counter()
    again = ingest_catalog(cat, backend, IngestOptions(collection="bench", precomputed=precomputed))
    reingest_s = time.perf_counter() - t1
    stages = {"read": read_s, **report.seconds}
    print(f"\n### {label}: ingest ({report.tracks} tracks)\n")
    print("| stage | seconds |\n| --- | --- |")
    for k, v in stages.items():
        print(f"| {k} | {v:.2f} |")
    print(f"| **total** | **{sum(stages.values()):.2f}** |")
    print(f"| re-ingest, nothing changed ({again.unchanged} skipped) | {reingest_s:.2f} |")

    lib = Library(backend, "bench")
    seed = cat.tracks[0]
    seeds = tuple(t.title for t in cat.tracks[:: max(1, len(cat.tracks) // 3)][:3])
    cases = {
        "recommend 1 seed, fused, k=10": lambda: recommend(lib, RecommendRequest((seed.title,), seed.artist)),
        "recommend 1 seed, --explain": lambda: recommend(lib, RecommendRequest((seed.title,), seed.artist, explain=True)),
        "recommend 2 seeds + 1 negative": lambda: recommend(
            lib, RecommendRequest((seed.title, cat.tracks[1].title), negatives=(cat.tracks[-1].title,))
        ),
        "recommend --genre filter": lambda: recommend(
            lib, RecommendRequest((seed.title,), seed.artist, flt=__import__("recsys.store.base", fromlist=["QueryFilter"]).QueryFilter(genres=seed.genres[:1]))
        ),
        "playlist 3 seeds x 3 (MMR)": lambda: playlist(lib, PlaylistRequest(seeds, per_seed=3)),
    }
    for modality, value in queries.items():
        cases[f"query --{modality} (encode + search)"] = lambda m=modality, v=value: query(lib, QueryRequest(m, v))
    print(f"\n### {label}: query latency (in-process, {runs} runs after one warm-up)\n")
    print("| query | median ms | max ms |\n| --- | --- | --- |")
    for name, fn in cases.items():
        med, mx = timed(fn, runs)
        print(f"| {name} | {med:.1f} | {mx:.1f} |")
    backend.close()
    # the whole command, as a user runs it: process start, imports, store open, answer
    exe = Path(sys.executable).with_name("recsys")
    xs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "recommend", seed.title, "--artist", seed.artist, "--json", "-c", "bench",
                        "--home", str(work)], capture_output=True, check=True)
        xs.append(time.perf_counter() - t0)
    print(f"| `recsys recommend` CLI, wall time incl. start-up | {statistics.median(xs) * 1000:.0f} | {max(xs) * 1000:.0f} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tracks", type=int, default=120)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--fairouz", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "fairouz")
    args = ap.parse_args()
    from recsys.catalog.sample.generator import write_sample_catalog

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        manifest = write_sample_catalog(tmp / "catalog", n_tracks=args.tracks)
        print(f"sample catalog: {args.tracks} tracks written in {time.perf_counter() - t0:.1f} s")
        q = json.loads((manifest.parent / "sample_queries.json").read_text())
        queries = {
            "image": str(manifest.parent / q["cover"]["path"]),
            "audio": str(manifest.parent / q["clip"]["path"]),
            "text": "slow dreamy pads drifting over the ocean",
        }
        bench(f"sample catalog ({args.tracks} tracks, offline encoders)", manifest.parent, False, args.runs,
              tmp / "sample", queries)
        if (args.fairouz / "ids.json").exists():
            bench("Fairouz (822 tracks, published vectors)", args.fairouz, True, args.runs, tmp / "fairouz", {})
        else:
            print(f"\n(Fairouz folder not found at {args.fairouz}: skipped)")


if __name__ == "__main__":
    main()
