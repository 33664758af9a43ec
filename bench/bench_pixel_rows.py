"""A batch's cover rows filled on threads, as ``recsys.encoders.pixels.host_groups`` fills them
for a GPU: each cover's pixels read in place (``pixels.rgbx_view``, Pillow's Arrow export,
copied by numpy with the GIL let go) against packed by Pillow's raw encoder (the fallback, which
holds the GIL), into rows allocated once and reused, as torch's pinned-memory cache reuses them
on a GPU (``host_groups`` itself allocates per batch: on the CPU that is fresh memory whose page
faults would be timed too, which a GPU run does not pay).

    .venv/bin/python bench/bench_pixel_rows.py --threads 1,2
    python3 bench/bench_pixel_rows.py --threads 1,4,8       # a 16-core machine

Prints covers/s per route and thread count, the best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from PIL import Image

    from recsys.encoders.pixels import ROW_BANDS, _raw_bytes, rgbx_view

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--covers", type=int, default=128)
    ap.add_argument("--side", type=int, default=500)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    covers = [Image.fromarray(rng.integers(0, 255, (args.side, args.side, 3), dtype=np.uint8))
              for _ in range(args.covers)]
    rows = np.zeros((args.covers, args.side, args.side, ROW_BANDS), dtype=np.uint8)  # touched once

    def in_place(i: int) -> None:
        keep, view = rgbx_view(covers[i])
        rows[i] = view

    def packed(i: int) -> None:
        rows[i] = np.frombuffer(_raw_bytes(covers[i], "RGBX"), dtype=np.uint8).reshape(rows.shape[1:])

    if rgbx_view(covers[0]) is None:
        print("this Pillow has no Arrow export (before 11.2): only the packing route runs")
    routes = {"in place (rgbx_view)": in_place, "packed (raw encoder)": packed}
    for name, fill in routes.items():
        if fill is in_place and rgbx_view(covers[0]) is None:
            continue
        for threads in [int(t) for t in args.threads.split(",")]:
            with ThreadPoolExecutor(threads) as pool:
                list(pool.map(fill, range(min(8, args.covers))))  # warm-up
                best = 0.0
                for _ in range(args.rounds):
                    t = time.perf_counter()
                    list(pool.map(fill, range(args.covers)))
                    best = max(best, args.covers / (time.perf_counter() - t))
            print(f"{name:22s} {threads:2d} threads: {best:7.0f} covers/s", flush=True)
    first = np.asarray(covers[-1])
    assert np.array_equal(rows[-1][..., :3], first), "a row does not hold its cover's pixels"


if __name__ == "__main__":
    main()
