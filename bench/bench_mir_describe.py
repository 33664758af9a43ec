"""The MIR descriptor's cost per clip (``recsys.encoders.audio.describe`` on a 30 s excerpt at
22,050 Hz), on synthetic clips (chords with a pulse, noise), one core: ``mir-librosa-v2`` (the
default: spectral features to 9.5 kHz) and ``mir-librosa`` (the whole band), rounds alternated.

    .venv/bin/python bench/bench_mir_describe.py --clips 24 --rounds 3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def _clip(rng: np.random.Generator, sr: int, seconds: float) -> np.ndarray:
    t = np.arange(int(sr * seconds)) / sr
    root = rng.uniform(110, 440)
    chord = sum(0.15 * np.sin(2 * np.pi * root * r * t) for r in (1.0, 1.26, 1.5))
    pulse = (np.sin(2 * np.pi * rng.uniform(1.5, 3.0) * t) > 0.9) * rng.standard_normal(t.size) * 0.3
    return (chord + pulse + 0.02 * rng.standard_normal(t.size)).astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    from recsys.encoders.audio import BAND_LIMIT, SAMPLE_RATE, describe

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clips", type=int, default=24)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    clips = [_clip(rng, SAMPLE_RATE, 30.0) for _ in range(args.clips)]
    versions = {"mir-librosa-v2": BAND_LIMIT, "mir-librosa": None}
    for limit in versions.values():
        describe(clips[0], SAMPLE_RATE, limit)  # imports, filter banks
    for r in range(args.rounds):
        for name, limit in versions.items():
            t0 = time.perf_counter()
            for y in clips:
                describe(y, SAMPLE_RATE, limit)
            print(f"round {r + 1} {name}: {(time.perf_counter() - t0) / len(clips) * 1e3:.1f} ms per 30 s clip",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
