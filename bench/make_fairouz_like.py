"""Write a seeded synthetic catalog in the Fairouz layout, at any size, for scale benchmarks:

    .venv/bin/python bench/make_fairouz_like.py --tracks 1000000 --out /tmp/fz1m

What it holds: recsys/catalog/sample/fairouz_like.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recsys.catalog.sample.fairouz_like import write_catalog  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=100_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    write_catalog(args.out, args.tracks, args.seed)
    print(f"wrote {args.tracks} tracks to {args.out} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
