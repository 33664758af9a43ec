"""Which part of a track its one audio vector should hear: the middle 30 s (what ingest stores)
against three 10 s windows (``--windows``, by default where ``ingest --excerpt-vectors`` puts them), concatenated into one input or
encoded apart and averaged, or kept apart beside the middle's vector (a track's score its best
of the four, as a multivector's MaxSim would give). Two uses pull apart:

- a query by an excerpt (``recsys query --audio clip``): a 20 s excerpt from a seeded random
  place in each track looks for its own track among all (top-1, top-5, MRR; and for excerpts
  more than a fifth of the track from its middle);
- recommendation: the share of a track's 5 nearest audio neighbours from its own folder group
  (the first two folders under the library: a game's or an album's music), the proxy used for
  the real libraries in docs/benchmarks.md.

    .venv/bin/python bench/bench_audio_excerpts.py /path/to/music [/another/library ...] --encoder mir-librosa

Tracks of 70 s or more are used; folders named ``Messy`` are left out (copies of the same
recordings).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

AUDIO = {".mp3", ".flac", ".ogg", ".oga", ".opus", ".wav", ".m4a"}


def _unit(v) -> np.ndarray:
    v = np.asarray(v, np.float32)
    return v / (np.linalg.norm(v, axis=-1, keepdims=True) + 1e-9)


def main(argv: list[str] | None = None) -> int:
    from recsys.encoders import get_encoder
    from recsys.encoders.media import WINDOW_FRACTIONS, audio_duration, load_audio
    from recsys.errors import MediaError

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("libraries", nargs="+", type=Path)
    ap.add_argument("--encoder", default="mir-librosa")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--windows", type=lambda v: tuple(float(x) for x in v.split(",")), default=WINDOW_FRACTIONS,
                    help="where the three windows are centred, as fractions of the track (default: ingest's)")
    ap.add_argument("--at", choices=("random", "start"), default="random",
                    help="where each query excerpt lies: a seeded random place, or the track's first 20 s")
    args = ap.parse_args(argv)
    enc = get_encoder(args.encoder, device="cpu")
    sr = enc.sample_rate or 22050
    rng = np.random.default_rng(args.seed)
    rows = []
    for lib in args.libraries:
        for p in sorted(q for q in lib.rglob("*") if q.suffix.lower() in AUDIO and "Messy" not in q.parts):
            try:
                total = audio_duration(p)
                if total is None or total < 70:
                    continue
                middle = load_audio(p, sr=sr, duration=30.0)
                windows = [load_audio(p, sr=sr, offset=max(0.0, f * total - 5), duration=10.0) for f in args.windows]
                at = rng.uniform(0.05, 0.95) * (total - 20) if args.at == "random" else 0.0
                query = load_audio(p, sr=sr, offset=at, duration=20.0)
            except MediaError:
                continue
            rows.append((p.relative_to(lib).parts[:2], middle, windows, query, at / total))
    print(f"{len(rows)} tracks of 70 s or more, encoder {args.encoder}")
    t0 = time.perf_counter()
    variants = {"middle 30 s": _unit(enc.encode([r[1] for r in rows]))}
    print(f"  (middle encoded in {time.perf_counter() - t0:.1f} s)")
    variants["3x10 s concatenated"] = _unit(enc.encode([np.concatenate(r[2]) for r in rows]))
    variants["3x10 s, vectors averaged"] = _unit(np.stack([_unit(enc.encode(r[2])).mean(0) for r in rows]))
    queries = _unit(enc.encode([r[3] for r in rows]))
    # the windows as vectors of their own beside the middle's, a track's score its best one
    middle = variants["middle 30 s"]
    apart = [_unit(enc.encode(r[2])) for r in rows]
    best = np.stack([np.max(queries @ np.vstack([middle[i:i + 1], apart[i]]).T, axis=1) for i in range(len(rows))], axis=1)
    far = np.array([abs(r[4] - 0.5) > 0.2 for r in rows])
    groups = [r[0] for r in rows]
    print("| stored vector | excerpt top-1 | top-5 | MRR | far from the middle: top-1 | top-5 | "
          "5 audio neighbours from the seed's group |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, vectors in [*variants.items(), ("middle + 3 windows apart, best of four", None)]:
        scores = best if vectors is None else queries @ vectors.T
        vectors = variants["middle 30 s"] if vectors is None else vectors
        ranks = np.array([(scores[i] > scores[i, i]).sum() for i in range(len(rows))])
        sims = vectors @ vectors.T
        np.fill_diagonal(sims, -9.0)
        near = np.argsort(-sims, axis=1)[:, :5]
        same = np.mean([np.mean([groups[j] == groups[i] for j in near[i]]) for i in range(len(rows))])
        print(f"| {label} | {np.mean(ranks == 0):.3f} | {np.mean(ranks < 5):.3f} | {np.mean(1 / (ranks + 1)):.3f} | "
              f"{np.mean(ranks[far] == 0):.3f} | {np.mean(ranks[far] < 5):.3f} | {same:.3f} |")
    print(f"({far.sum()} excerpts far from the middle)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
