"""Audio decoding throughput: ``media.decode_many`` of real-length MP3 files, on threads
(``RECSYS_DECODE_PROCESSES=0``, as before issue 11's decode workers) against worker processes.

    .venv/bin/python bench/bench_decode.py --tracks 96 --rounds 3
    .venv/bin/python bench/bench_decode.py --python-load --batch 4 --min-seconds 20 --rounds 1
    python3 bench/bench_decode.py --tracks 512 --processes 4,8,16 --rounds 2      # a 16-core machine

``--unique`` distinct MP3s of ``--seconds`` seconds (tones and noise, 44.1 kHz stereo, as
``bench_ingest.py`` writes them) are hard-linked under ``--tracks`` names; each track's middle
``--duration`` seconds are decoded, averaged to mono and resampled to ``--sr`` (48 kHz: CLAP's
rate). Each mode decodes batches of ``--batch`` files (an ingest's chunk) until all tracks are
done or ``--min-seconds`` have passed. ``--python-load`` keeps one more thread of this process
busy in pure Python meanwhile, as an ingest's encoders and writer keep the GIL busy; decode
threads then wait for the GIL at every frame. The modes alternate within each round; a warm-up
batch per mode is not timed. Prints tracks/s per mode and round, then the median per mode.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def write_files(folder: Path, tracks: int, unique: int, seconds: float) -> list[Path]:
    from bench_ingest import _write_mp3

    src = [folder / f"src{i}.mp3" for i in range(unique)]
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_mp3, [(p, i, seconds) for i, p in enumerate(src)]))
    paths = []
    for i in range(tracks):
        path = folder / f"t{i:06d}.mp3"
        os.link(src[i % unique], path)
        paths.append(path)
    return paths


@contextlib.contextmanager
def python_load(on: bool) -> Iterator[None]:
    """One thread running pure Python (holding the GIL but for the interpreter's switches)."""
    stop = threading.Event()

    def spin() -> None:
        x = 0
        while not stop.is_set():
            for i in range(1000):
                x += i

    thread = threading.Thread(target=spin, daemon=True)
    if on:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if on:
            thread.join()


class AudioInput:
    """What ``decode_many`` reads from an audio encoder: its input kind, rate and excerpt."""

    input_kind = "audio"

    def __init__(self, sample_rate: int, duration: float) -> None:
        self.sample_rate, self.duration = sample_rate, duration


def main(argv: list[str] | None = None) -> int:
    from recsys.device import available_cpus
    from recsys.encoders import decode_pool, media
    from recsys.encoders.base import preprocess_workers

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=96)
    ap.add_argument("--unique", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--sr", type=int, default=48000)
    ap.add_argument("--processes", default=str(decode_pool.decode_processes()),
                    help="comma-separated worker counts to compare with threads (default: this machine's)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32, help="files per decode_many call")
    ap.add_argument("--min-seconds", type=float, default=0.0, help="stop a mode after this long (0: all tracks)")
    ap.add_argument("--python-load", action="store_true", help="one more thread busy in Python meanwhile")
    ap.add_argument("--skip-threads", action="store_true",
                    help="measure the worker processes only (threads under --python-load can take minutes a batch)")
    args = ap.parse_args(argv)
    counts = [int(c) for c in args.processes.split(",") if c.strip()]
    modes = ([] if args.skip_threads else ["threads"]) + [f"{n} processes" for n in counts]
    workers = ([] if args.skip_threads else [0]) + counts
    spec = AudioInput(args.sr, args.duration)
    print(f"cpus {available_cpus()}; decode threads {preprocess_workers()}"
          + ("; one thread busy in Python" if args.python_load else ""))

    def measure(paths: list[Path]) -> float:
        done, t0 = 0, time.perf_counter()
        for s in range(0, len(paths), args.batch):
            out = media.decode_many(spec, paths[s : s + args.batch])
            bad = [x for x in out if isinstance(x, Exception)]
            if bad:
                raise SystemExit(f"{len(bad)} files failed: {bad[0]}")
            done += len(out)
            if args.min_seconds and time.perf_counter() - t0 >= args.min_seconds:
                break
        return done / (time.perf_counter() - t0)

    with tempfile.TemporaryDirectory(prefix="recsys-bench-decode-") as tmp:
        paths = write_files(Path(tmp), args.tracks, args.unique, args.seconds)
        print(f"{args.tracks} tracks: {args.unique} distinct {args.seconds:.0f} s MP3s; "
              f"middle {args.duration:.0f} s at {args.sr} Hz; batches of {args.batch}", flush=True)
        rates: dict[str, list[float]] = {m: [] for m in modes}
        for r in range(args.rounds):
            for mode, n in zip(modes, workers):
                os.environ["RECSYS_DECODE_PROCESSES"] = str(n)
                if r == 0:
                    media.decode_many(spec, paths[: max(2, 2 * n)])  # warm-up: workers started
                with python_load(args.python_load):
                    rate = measure(paths)
                rates[mode].append(rate)
                print(f"round {r + 1}  {mode:>12}: {rate:6.1f} tracks/s", flush=True)
        decode_pool.shutdown()
    print("median: " + ", ".join(f"{m} {statistics.median(v):.1f}" for m, v in rates.items()) + " tracks/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
