"""Fusion training on the paper's Fairouz data, timed per device, with protocol A figures, so a
GPU's speed is reported beside its quality (the same within 0.01 of the CPU's):

    .venv/bin/python bench/bench_train.py                       # cpu, and cuda when present
    .venv/bin/python bench/bench_train.py --devices cuda --runs 3

Prints a markdown table: device, seconds (median of --runs, after one warm-up on cuda),
epochs, pair mining seconds, and protocol A (clean) P@10, HR@10, MRR@10, nDCG@10.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from training.data import DEFAULT_FAIROUZ, load_fairouz  # noqa: E402
from training.evaluate import protocol_a  # noqa: E402
from training.pairs import relevance_from_json  # noqa: E402
from training.train import TrainConfig, train_fusion  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fairouz", type=Path, default=DEFAULT_FAIROUZ)
    ap.add_argument("--devices", default="cpu,cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    args = ap.parse_args(argv)
    if not (args.fairouz / "ids.json").is_file():
        print(f"error: {args.fairouz} is not the Fairouz folder (set RECSYS_FAIROUZ)", file=sys.stderr)
        return 2
    data = load_fairouz(args.fairouz)
    rel = relevance_from_json(args.fairouz / "pairs.json", data.track_ids)
    config = TrainConfig(threads=args.threads)
    name = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "-"
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, GPU: {name}\n")
    print("| device | seconds | epochs | mining s | P@10 | HR@10 | MRR@10 | nDCG@10 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for device in args.devices.split(","):
        if device == "cuda":
            train_fusion(data, TrainConfig(max_epochs=1), device)  # warm-up: kernels, allocator
        times, model, history = [], None, None
        for _ in range(args.runs):
            t0 = time.perf_counter()
            model, history = train_fusion(data, config, device)
            times.append(time.perf_counter() - t0)
        a = protocol_a(model.embed(data.vectors, data.masks), rel, "clean")
        mining = getattr(history, "mining_seconds", float("nan"))
        print(
            f"| {device} | {statistics.median(times):.2f} | {len(history.epochs)} | {mining:.2f} | "
            f"{a['precision']:.3f} | {a['hr']:.3f} | {a['mrr']:.3f} | {a['ndcg']:.3f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
