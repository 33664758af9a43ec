"""How much of protocol B's difference between two trained models is the seed's.

    .venv/bin/python bench/fairouz_seeds.py [--seeds 0,1,2] [--by track,artist] [--fairouz ../shared/fairouz]

Protocol B (held-out genre, 5 folds) of the trained models of ``bench/fairouz_results.py``
(the binding model, the paper's arch with one epoch per fold) and of the variants named with
``--variants`` (``fairouz_results.ablations``' names), each trained with every seed of ``--seeds`` on the same folds (the folds are
drawn with seed 0, as in results.md: only the models' seeds change). Prints, per fold unit
and method, the accuracy of each seed, their mean and their spread (sample standard
deviation), as a markdown table. A difference between two rows smaller than about twice
their spread is the seed's, not the method's. Seeded: the same command gives the same
figures on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.data import DEFAULT_FAIROUZ, ModalityData, load_fairouz  # noqa: E402
from training.evaluate import FOLD_UNITS, protocol_b  # noqa: E402
from training.train import TrainConfig, train_fusion  # noqa: E402
from fairouz_results import ablations  # noqa: E402  (bench/ is the script's own folder)

#: what --variants may name: results.md's ablations, one lever of the binding model off each
VARIANTS = tuple(ablations(TrainConfig()))


BINDING, PAPER = "binding (ours)", "paper arch, trained by us"


def configs(seed: int, threads: int, extra: list[str]) -> dict[str, TrainConfig]:
    """Row label -> its configuration with this seed: the two models of results.md, then the
    named ablations of the binding model (``fairouz_results.ablations``: results.md's rows)."""
    d = TrainConfig(seed=seed, threads=threads)
    rows = {BINDING: d, PAPER: replace(TrainConfig.paper(seed=seed, threads=threads), max_epochs=1)}
    levers = ablations(d)
    for name in extra:
        rows[f"binding, {name}"] = levers[name]
    return rows


def _method(cfg: TrainConfig, device: str) -> Callable[[ModalityData, np.ndarray], Any]:
    return lambda fd, train: train_fusion(fd, cfg, device, tracks=train)[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fairouz", type=Path, default=DEFAULT_FAIROUZ)
    ap.add_argument("--seeds", default="0,1,2", help="the models' seeds, comma-separated")
    ap.add_argument("--by", default="track,artist", help=f"fold units, comma-separated ({', '.join(FOLD_UNITS)})")
    ap.add_argument("--variants", default="", help="ablation rows, comma-separated: " + ", ".join(VARIANTS))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args(argv)

    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        print(f"error: --seeds takes integers separated by commas, not {args.seeds!r}", file=sys.stderr)
        return 2
    units = [u.strip() for u in args.by.split(",") if u.strip()]
    extra = [v.strip() for v in args.variants.split(",") if v.strip()]
    bad = [u for u in units if u not in FOLD_UNITS] + [v for v in extra if v not in VARIANTS]
    if not seeds or not units or bad:
        print(f"error: unknown {', '.join(map(repr, bad)) or 'empty list'}; fold units: {', '.join(FOLD_UNITS)};"
              f" variants: {', '.join(VARIANTS)}", file=sys.stderr)
        return 2
    if not (args.fairouz / "ids.json").is_file():
        print(f"error: {args.fairouz} is not the Fairouz folder (ids.json missing)", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    data = load_fairouz(args.fairouz)
    names = list(configs(0, args.threads, extra))
    t0 = time.perf_counter()
    lines = [
        f"Command: `{' '.join(['.venv/bin/python', 'bench/fairouz_seeds.py', *(argv if argv is not None else sys.argv[1:])])}`",
        "",
        "| folds by | method | " + " | ".join(f"seed {s}" for s in seeds) + " | mean | spread (sd) |",
        "| --- | --- | " + " | ".join("---" for _ in seeds) + " | --- | --- |",
    ]
    for unit in units:
        methods = {
            f"{name}|{s}": _method(configs(s, args.threads, extra)[name], args.device) for name in names for s in seeds
        }
        res = protocol_b(
            data, methods, folds=args.folds, by=unit,
            progress=lambda msg: print(f"[{time.perf_counter() - t0:6.0f}s] {unit}: {msg}", file=sys.stderr, flush=True),
        )
        for name in names:
            acc = [res[f"{name}|{s}"].accuracy for s in seeds]
            sd = statistics.stdev(acc) if len(acc) > 1 else float("nan")
            lines.append(f"| {unit} | {name} | " + " | ".join(f"{a:.3f}" for a in acc) + f" | {np.mean(acc):.3f} | {sd:.3f} |")
    lines += ["", f"Accuracy of protocol B ({args.folds} folds, 10-NN vote), {time.perf_counter() - t0:.0f} s."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
