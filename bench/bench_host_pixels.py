"""The host's share of a cover when the GPU resizes it: a decoded PIL image to its uint8 pixels,
by Pillow's public route (``pil_to_tensor``: ``tobytes`` in 64 KB pieces) against
``recsys.encoders.pixels.host_pixels`` (the whole image in one piece), on threads, with nothing
else running and beside one thread busy in Python (as the thread that drives a GPU is). The step
before it is timed too: ``recsys.encoders.media.load_image`` of the same covers saved as JPEG
files (quality 90, about 500 KB: noise), and of smooth covers as ``bench_ingest.py`` writes
them (about 40 KB), as the ingest reads them.

    .venv/bin/python bench/bench_host_pixels.py --rounds 3
    python3 bench/bench_host_pixels.py --threads 8 --rounds 3      # a 16-core machine

``--covers`` random 600x600 RGB images (``--side``), each unpacked ``--repeat`` times per run.
Prints covers/s per route, load and round, then the medians.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def main(argv: list[str] | None = None) -> int:
    import numpy as np
    import torch
    from PIL import Image
    from torchvision.transforms.v2 import functional as F

    from bench_decode import python_load
    from bench_ingest import _write_cover
    from recsys.encoders.media import load_image
    from recsys.encoders.pixels import host_groups, host_pixels

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--covers", type=int, default=16)
    ap.add_argument("--side", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    args = ap.parse_args(argv)
    pin = torch.cuda.is_available()
    rng = np.random.default_rng(0)
    covers = [Image.fromarray(rng.integers(0, 255, (args.side, args.side, 3), dtype=np.uint8))
              for _ in range(args.covers)] * args.repeat
    folder = tempfile.TemporaryDirectory(prefix="recsys-bench-covers-")
    files = []
    for i, cover in enumerate(covers[: args.covers]):
        files.append(Path(folder.name) / f"c{i}.jpg")
        cover.save(files[-1], quality=90)
    files *= args.repeat
    smooth = [Path(folder.name) / f"s{i}.jpg" for i in range(args.covers)]
    for i, path in enumerate(smooth):
        _write_cover((path, i))
    smooth *= args.repeat
    routes = {
        "pillow (pil_to_tensor)": (F.pil_to_tensor, covers),
        "one piece (host_pixels)": (host_pixels, covers),
        "JPEG file (load_image)": (load_image, files),
        "smooth JPEG (load_image)": (load_image, smooth),
    }
    for fn, items in routes.values():  # warm-up
        fn(items[0])
    batches = [covers[s : s + args.batch] for s in range(0, len(covers), args.batch)]
    rates: dict[tuple[str, bool], list[float]] = {}
    print(f"{len(covers)} unpacks of {args.side}x{args.side} RGB covers on {args.threads} threads; "
          f"batches of {args.batch}, as an image encoder prepares them for the GPU (pinned there)")
    with ThreadPoolExecutor(args.threads) as pool:
        # a whole batch, as TorchImageEncoder._batch and pixels.on_device handle it: before, each
        # cover's (3, H, W) pixels on the threads, then stacked by the thread that drives the GPU;
        # now, rows of one (n, H, W, 3) tensor per size, each filled by a thread
        batch_routes = {
            "batch, stacked (before)": lambda b: torch.stack(list(pool.map(host_pixels, b))),
            "batch, rows (host_groups)": lambda b: host_groups(b, pool, pin=pin),
        }
        def timed(r: int, name: str, run: Callable[[], object], covers_done: int) -> None:
            for busy in (False, True):
                with python_load(busy):
                    t0 = time.perf_counter()
                    run()
                    rate = covers_done / (time.perf_counter() - t0)
                rates.setdefault((name, busy), []).append(rate)
                print(f"round {r + 1}  {name:>24}  {'busy' if busy else 'idle'}: {rate:8.0f} covers/s", flush=True)

        for r in range(args.rounds):
            for name, (fn, items) in routes.items():
                timed(r, name, lambda: list(pool.map(fn, items)), len(items))
            for name, fn in batch_routes.items():
                timed(r, name, lambda: [fn(batch) for batch in batches], len(covers))
    for (name, busy), v in rates.items():
        print(f"median {name:>24}  {'busy' if busy else 'idle'}: {statistics.median(v):8.0f} covers/s")
    folder.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
