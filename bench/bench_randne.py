"""RandNE (recsys's graph encoder) on a synthetic knowledge graph of N tracks, timed, with peak RSS:

    .venv/bin/python bench/bench_randne.py --tracks 1000000          # target: RandNE <= 60 s
    .venv/bin/python bench/bench_randne.py --tracks 100000 --profile  # cProfile's top functions

The graph has the proportions of a real catalog: N/10 artists, N/5 albums (each by one
artist, album sizes uneven), 300 genres (an artist keeps to one or two, a track has one or
two), no tags or playlists. Timed separately: ``build_graph`` (TrackRecords -> networkx, what
an ingest does first) and ``RandNE.embed_tracks`` over every track (the encoder: basis rows,
the transition matrix, two propagation steps).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recsys.catalog.model import TrackRecord  # noqa: E402
from recsys.encoders.graph import RandNE, build_graph  # noqa: E402

N_GENRES = 300


def synthetic_tracks(n: int, seed: int = 0) -> list[TrackRecord]:
    """``n`` tracks over n/10 artists, n/5 albums and 300 genres (module docstring)."""
    rng = np.random.default_rng(seed)
    n_artists, n_albums = max(1, n // 10), max(1, n // 5)
    # every artist has an album and every album a track, so the counts are exactly N/10, N/5
    album_artist = rng.permutation(np.concatenate([np.arange(n_artists), rng.integers(0, n_artists, max(0, n_albums - n_artists))]))[:n_albums]
    artist_genres = rng.integers(0, N_GENRES, (n_artists, 2))
    album_weight = rng.pareto(1.5, n_albums) + 1.0  # a few big albums, many small ones
    album = rng.choice(n_albums, size=n, p=album_weight / album_weight.sum())
    album[: min(n, n_albums)] = rng.permutation(n_albums)[: min(n, n_albums)]
    two_genres = rng.random(n) < 0.3
    tracks = []
    for i in range(n):
        a = int(album_artist[album[i]])
        g = artist_genres[a]
        genres = (f"genre{g[0]}", f"genre{g[1]}") if two_genres[i] and g[0] != g[1] else (f"genre{g[0]}",)
        tracks.append(
            TrackRecord(track_id=f"t{i}", title=f"Track {i}", artist=f"Artist {a}", album=f"Album {album[i]}", genres=genres)
        )
    return tracks


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions of the embedding")
    ap.add_argument("--save", type=Path, default=None, help="write the vectors (.npy), to compare two versions")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    tracks = synthetic_tracks(args.tracks, args.seed)
    make_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    graph = build_graph(tracks)
    graph_s = time.perf_counter() - t0
    ids = [t.track_id for t in tracks]
    del tracks
    rss_graph = peak_rss_mb()
    method = RandNE(dim=args.dim)
    profiler = cProfile.Profile() if args.profile else None
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    vectors = method.embed_tracks(graph, ids)
    if profiler:
        profiler.disable()
    embed_s = time.perf_counter() - t0
    embed_cpu = time.process_time() - cpu0
    kinds: dict[str, int] = {}
    for _, kind in graph.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    print(
        f"| tracks | nodes | edges | make records s | build_graph s | RandNE s (CPU s) | peak RSS MB after graph | peak RSS MB |\n"
        f"| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"| {args.tracks:,} | {graph.number_of_nodes():,} | {graph.number_of_edges():,} | {make_s:.1f} | {graph_s:.1f} "
        f"| {embed_s:.1f} ({embed_cpu:.1f}) | {rss_graph:,.0f} | {peak_rss_mb():,.0f} |"
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; nodes by kind: {kinds}; vectors {vectors.shape} {vectors.dtype}; {method.name}")
    if args.save:
        np.save(args.save, vectors)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
