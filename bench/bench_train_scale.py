"""Fusion training time per epoch on N synthetic tracks at the paper's dimensions (text 1024,
image 512, audio 128, graph 128), on the CPU, with peak RSS:

    .venv/bin/python bench/bench_train_scale.py --tracks 100000
    .venv/bin/python bench/bench_train_scale.py --tracks 20000 --epochs 2 --threads 2

The tracks have a catalog's proportions (N/10 artists, N/5 albums, 40 genres) and vectors
with a known structure (``training.data.synthetic_clusters``: each modality a fixed random
view of a latent point near the track's genre centre, plus noise). Training is the project's
own ``train_fusion`` with its default recipe (binding arch, InfoNCE, batch 256), early stopping
off so every epoch asked for runs. Pairs are mined as ``recsys train`` mines them, except that
the nearest-neighbour positives come from ``--knn-modalities`` only (default graph: mining k-NN
over the 1024-d text vectors of 100k tracks is a 100k x 100k product per modality, minutes on
2 cores, and is not the figure asked for); mining time is reported apart from epoch time.

``--sample-steps S`` times S training steps instead of a whole epoch: the mined pairs are
cut to a random S batches' worth, one epoch runs over those, and seconds per epoch is
extrapolated as seconds per step x the full epoch's steps (said so in the output). Every
step costs the same (one batch of 256 pairs through the same network), so this is a
measurement, not a model; it exists because a 100k-track epoch is thousands of steps.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from recsys.modalities import AUDIO, GRAPH, IMAGE, TEXT  # noqa: E402
from training.data import ModalityData, synthetic_clusters  # noqa: E402
from training.pairs import PairConfig, mine_pairs  # noqa: E402
from training.train import TrainConfig, train_fusion  # noqa: E402

PAPER_DIMS = {TEXT: 1024, IMAGE: 512, AUDIO: 128, GRAPH: 128}
N_GENRES = 40


def synthetic_data(n: int, seed: int = 0) -> ModalityData:
    """``n`` tracks at the paper's dims; genre = the vectors' cluster; artists and albums in a
    catalog's proportions, an artist within one genre, an album by one artist."""
    data = synthetic_clusters(n=n, clusters=N_GENRES, dims=PAPER_DIMS, seed=seed)
    rng = np.random.default_rng(seed + 1)
    genre = np.arange(n) % N_GENRES  # synthetic_clusters' labels
    n_artists, n_albums = max(1, n // 10), max(1, n // 5)
    # artist a makes genre a % N_GENRES; album b is by artist b % n_artists
    artist = rng.integers(0, max(1, n_artists // N_GENRES), n) * N_GENRES + genre
    artist = np.minimum(artist, n_artists - 1)
    album = (rng.integers(0, max(1, n_albums // n_artists), n) * n_artists + artist) % n_albums
    tracks = tuple(
        replace(t, artist=f"Artist {artist[i]}", album=f"Album {album[i]}") for i, t in enumerate(data.tracks)
    )
    return replace(data, tracks=tracks)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=100_000)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    ap.add_argument("--knn-modalities", default=GRAPH, help="comma-separated; 'all' for every modality")
    ap.add_argument("--sample-steps", type=int, default=0, help="time this many steps, extrapolate the epoch (0: whole epochs)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    data = synthetic_data(args.tracks, args.seed)
    data_s = time.perf_counter() - t0
    knn = None if args.knn_modalities == "all" else tuple(m.strip() for m in args.knn_modalities.split(","))
    config = TrainConfig(
        max_epochs=args.epochs, patience=args.epochs + 1, threads=args.threads,
        pairs=PairConfig(knn_modalities=knn),
    )
    t0 = time.perf_counter()
    pairs = mine_pairs(data, config.pairs)
    mining_s = time.perf_counter() - t0
    positives = len(pairs.positives())  # the binding recipe (InfoNCE) trains on positives
    mined_counts = pairs.positives().counts()
    full_steps = -(-int(round(positives * (1 - config.val_fraction))) // config.batch_size)
    if args.sample_steps:
        rng = np.random.default_rng(args.seed)
        keep = int(args.sample_steps * config.batch_size / (1 - config.val_fraction))
        pos = pairs.positives()
        pairs = pos._take(np.sort(rng.choice(len(pos), min(keep, len(pos)), replace=False)))
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    _, history = train_fusion(data, config, "cpu", pairs=pairs)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    steps = -(-history.train_pairs // config.batch_size)
    per_step = float(np.mean([e.seconds for e in history.epochs])) / max(steps, 1)
    per_epoch = per_step * full_steps
    how = f"extrapolated from {steps:,} steps" if args.sample_steps else "measured"
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; knn positives from: {args.knn_modalities}; s/epoch {how}"
    )
    print(
        "| tracks | dims | positive pairs | steps/epoch | data s | mining s | setup s | ms/step | s/epoch "
        "| run s (CPU s) | peak RSS MB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    print(
        f"| {args.tracks:,} | {'/'.join(str(d) for d in PAPER_DIMS.values())} | {positives:,} | {full_steps:,} "
        f"| {data_s:.1f} | {mining_s:.1f} | {history.setup_seconds:.1f} | {1000 * per_step:.1f} | {per_epoch:.1f} "
        f"| {wall:.1f} ({cpu:.1f}) | {peak_rss_mb():,.0f} |"
    )
    print(f"positive pairs mined, by source: {mined_counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
