"""Vector search engines side by side on the same vectors: recsys's store, raw Qdrant Edge,
qdrant-client local mode, FAISS HNSW, usearch, hnswlib, Voyager and an exact numpy scan.

    .venv/bin/python bench/bench_ann.py --points 10000 100000 --dim 128 --queries 200
    .venv/bin/python bench/bench_ann.py --points 1000000 --engines edge,faiss,numpy --out ann.md

The vectors are a seeded Gaussian mixture (a few hundred clusters of uneven size,
L2-normalised, cosine) with a payload per point: an artist (about N/10 of them), a genre (40,
mostly shared by a cluster) and a year. Every engine gets the same vectors and the same
queries, each in its own subprocess (so its peak RSS is its own), and reports: insert rate,
index build time, p50/p99 latency of search (k=10), recommend (2 positive and 1 negative
example vectors, Qdrant's best-score strategy) and filtered recommend (one genre), recall@10
of each against an exact numpy answer, peak RSS and the size of its saved index or store.

Queries run one at a time, single-threaded where the engine lets us choose (a request's
view); index builds use every core. HNSW parameters are the same everywhere: M=16,
ef_construct=100, ef=100 at search (``--ef``; Qdrant's default ef is its ef_construct).
Engines without a recommend API emulate best-score recommend: an ANN search per positive
example for ``k * --oversample`` candidates, the union rescored exactly with the best-score
rule (the stored vectors), best ``k`` kept. Filters: Edge and recsys filter inside Qdrant
(payload index + its query planner), FAISS through an IDSelectorBitmap inside the HNSW
search, hnswlib through its filter callback; usearch and Voyager have no filter, so they
search for more candidates (doubling until ``k`` match) and filter afterwards.

The data set and the exact answers are in ``ann_data.py``, the engines in ``ann_engines.py``
(beside this file); this file runs each engine in a subprocess and writes the tables. Figures
and method: docs/bench_ann_draft.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules below

from ann_data import (  # noqa: E402
    N_GENRES, Dataset, Params, best_score, exact_answers, load_dataset, make_dataset, recall_at_k, top_k,
)
from ann_engines import ENGINE_CLASSES, ENGINES, PACKAGES, Engine, available, folder_mb, wal_mb  # noqa: E402

__all__ = [
    "ENGINES", "N_GENRES", "Dataset", "Engine", "Params", "available", "best_score", "exact_answers",
    "make_dataset", "markdown_table", "recall_at_k", "run_engine", "score", "top_k",
]


# --------------------------------------------------------------------------- one engine's run


@dataclass
class EngineResult:
    engine: str
    n: int
    insert_s: float = 0.0
    build_s: float = 0.0
    latency_ms: dict[str, list[float]] = field(default_factory=dict)  # kind -> [p50, p99]
    recall: dict[str, float] = field(default_factory=dict)
    found: dict[str, list[list[int]]] = field(default_factory=dict)
    rss_start_mb: float = 0.0
    peak_rss_mb: float = 0.0
    disk_mb: float = 0.0
    recommend_how: str = ""
    filter_how: str = ""
    notes: dict[str, object] = field(default_factory=dict)
    skipped: str = ""

    @property
    def insert_rate(self) -> float:
        return self.n / self.insert_s if self.insert_s > 0 else float("nan")


def _proc_status_mb(key: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_rss_mb() -> float:
    """This process's peak RSS. Linux: VmHWM, which exec resets (``ru_maxrss`` keeps the
    peak of the process before the exec: a worker would report its parent's size)."""
    hwm = _proc_status_mb("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    now = _proc_status_mb("VmRSS")
    return now if now is not None else peak_rss_mb()


def timed_queries(fn: Callable[[int], list[int]], n_queries: int, warmup: int) -> tuple[list[float], list[list[int]]]:
    """p50 and p99 (ms) of ``fn(i)`` over every query, one at a time, after ``warmup`` calls."""
    for i in range(min(warmup, n_queries)):
        fn(i)
    times, found = [], []
    for i in range(n_queries):
        t0 = time.perf_counter()
        found.append(fn(i))
        times.append((time.perf_counter() - t0) * 1000)
    return [float(np.percentile(times, 50)), float(np.percentile(times, 99))], found


def run_engine(name: str, data: Dataset, params: Params, folder: Path) -> EngineResult:
    """Load, build, query and save one engine in this process; recall is left to the caller
    (``score``), which holds the exact answers."""
    folder.mkdir(parents=True, exist_ok=True)
    res = EngineResult(engine=name, n=data.n, rss_start_mb=rss_mb())
    engine = ENGINE_CLASSES[name](data, params, folder)
    res.recommend_how, res.filter_how = engine.recommend_how, engine.filter_how
    try:
        t0 = time.perf_counter()
        engine.insert()
        res.insert_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        engine.build()
        res.build_s = time.perf_counter() - t0
        k, q = params.k, len(data.queries)
        kinds: dict[str, Callable[[int], list[int]]] = {
            "search": lambda i: engine.search(np.asarray(data.queries[i]), k),
            "recommend": lambda i: engine.recommend(data.pos_vectors(i), data.neg_vectors(i), k, None),
            "filtered": lambda i: engine.recommend(data.pos_vectors(i), data.neg_vectors(i), k, int(data.qgenre[i])),
        }
        for kind, fn in kinds.items():
            res.latency_ms[kind], res.found[kind] = timed_queries(fn, q, params.warmup)
        engine.save()
        res.disk_mb = folder_mb(folder)
        res.notes = dict(engine.notes)
        if wal_mb(folder):
            res.notes["wal_mb"] = round(wal_mb(folder), 1)
    finally:
        engine.close()
    res.peak_rss_mb = peak_rss_mb()
    return res


def score(res: EngineResult, truth: dict[str, np.ndarray]) -> None:
    res.recall = {kind: recall_at_k(found, truth[kind]) for kind, found in res.found.items()}


# --------------------------------------------------------------------------- the report


def fmt(x: float, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def ratio(x: float, base: float | None) -> str:
    if not base or not math.isfinite(base) or not math.isfinite(x) or base == 0:
        return ""
    return f" ({x / base:.2g}x)"


def markdown_table(results: list[EngineResult], dim: int, params: Params) -> str:
    n = results[0].n if results else 0
    base = next((r for r in results if r.engine == "edge" and not r.skipped), None)
    lines = [
        f"### {n:,} points, {dim} dims (k={params.k}, M={params.m}, ef_construct={params.ef_construct}, ef={params.ef})",
        "",
        "Ratios in brackets: against raw Edge (inserts/s: > 1 is faster than Edge; times, RSS and disk: < 1 is less).",
        "",
        "| engine | inserts/s | build s | total s | search p50/p99 ms | recommend p50/p99 ms | filtered rec. p50/p99 ms "
        "| recall@10 search / rec. / filtered | peak RSS MB (at start) | disk MB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        if r.skipped:
            lines.append(f"| {r.engine} | {r.skipped} |" + " |" * 8)
            continue
        total = r.insert_s + r.build_s
        cells = [
            r.engine,
            fmt(r.insert_rate, 0) + ratio(r.insert_rate, base and base.insert_rate),
            fmt(r.build_s),
            fmt(total) + ratio(total, base and base.insert_s + base.build_s),
        ]
        for kind in ("search", "recommend", "filtered"):
            p50, p99 = r.latency_ms[kind]
            b = base.latency_ms[kind][0] if base else None
            cells.append(f"{fmt(p50)} / {fmt(p99)}" + ratio(p50, b))
        cells.append(" / ".join(fmt(r.recall[k], 3) for k in ("search", "recommend", "filtered")))
        cells.append(fmt(r.peak_rss_mb, 0) + ratio(r.peak_rss_mb, base and base.peak_rss_mb) + f" ({fmt(r.rss_start_mb, 0)})")
        cells.append(fmt(r.disk_mb, 1) + ratio(r.disk_mb, base and base.disk_mb))
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {r.engine}: {r.notes}" for r in results if r.notes]
    if notes:
        lines += ["", "Engine notes (Edge: segments and HNSW-indexed vectors after optimize):", *notes]
    return "\n".join(lines)


def how_table(results: list[EngineResult]) -> str:
    lines = ["| engine | recommend | genre filter |", "| --- | --- | --- |"]
    seen = set()
    for r in results:
        if r.skipped or r.engine in seen:
            continue
        seen.add(r.engine)
        lines.append(f"| {r.engine} | {r.recommend_how} | {r.filter_how} |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the command


def worker(args: argparse.Namespace) -> int:
    """Run one engine (``--worker``) on the data in ``--data``; its result as JSON to ``--result``."""
    data = load_dataset(Path(args.data))
    params = Params(**json.loads(args.params))
    res = run_engine(args.worker, data, params, Path(args.store))
    Path(args.result).write_text(json.dumps(asdict(res)), encoding="utf-8")
    return 0


def run_in_subprocess(engine: str, data_dir: Path, store: Path, params: Params, timeout: float | None) -> EngineResult:
    result = store.with_suffix(".json")
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "--worker", engine, "--data", str(data_dir),
        "--store", str(store), "--result", str(result), "--params", json.dumps(asdict(params)),
    ]
    # numpy's BLAS on one thread: a query is one request, and a threaded BLAS call spins on
    # a busy 2-core machine (an exact 10k-row scan took 44 ms instead of 0.3 ms). Index
    # builds are unaffected: FAISS sets its OpenMP threads itself, the others own threads.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if proc.returncode != 0 or not result.is_file():
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return EngineResult(engine=engine, n=0, skipped=f"failed: {tail[:120]}")
    return EngineResult(**json.loads(result.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--points", type=int, nargs="+", default=[10_000])
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--ef", type=int, default=Params.ef)
    ap.add_argument("--oversample", type=int, default=Params.oversample)
    ap.add_argument("--max-local", type=int, default=20_000, help="qdrant-local runs only up to this many points")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workdir", type=Path, default=None, help="where data and stores go (default: a temp folder, removed)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per engine run")
    ap.add_argument("--out", type=Path, default=None, help="also write the markdown here")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--data", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--store", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--result", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--params", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINE_CLASSES]
    if unknown:
        print(f"error: unknown engine(s) {', '.join(unknown)}; known: {', '.join(ENGINES)}", file=sys.stderr)
        return 2
    params = Params(ef=args.ef, oversample=args.oversample)
    root = args.workdir or Path(tempfile.mkdtemp(prefix="bench-ann-"))
    out: list[str] = [
        f"bench_ann: {os.cpu_count()} CPUs, python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"{args.queries} queries per kind, seed {args.seed}",
    ]
    print(out[0], flush=True)
    all_results: list[EngineResult] = []
    try:
        for n in args.points:
            data_dir = root / f"data-{n}"
            t0 = time.perf_counter()
            data = make_dataset(n, args.dim, args.queries, args.seed, data_dir)
            gen_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            truth = exact_answers(data, params.k)
            print(f"\n{n:,} points: data {gen_s:.1f} s, exact answers {time.perf_counter() - t0:.1f} s", flush=True)
            results = []
            for engine in engines:
                if not available(engine):
                    res = EngineResult(engine=engine, n=n, skipped=f"skipped: {PACKAGES[engine]} not installed")
                elif engine == "qdrant-local" and n > args.max_local:
                    res = EngineResult(engine=engine, n=n, skipped=f"skipped: over --max-local {args.max_local:,}")
                else:
                    t0 = time.perf_counter()
                    store = root / f"{engine}-{n}"
                    try:
                        res = run_in_subprocess(engine, data_dir, store, params, args.timeout)
                    except subprocess.TimeoutExpired:
                        res = EngineResult(engine=engine, n=n, skipped=f"timed out after {args.timeout:g} s")
                    shutil.rmtree(store, ignore_errors=True)
                    if not res.skipped:
                        score(res, truth)
                    print(f"  {engine}: {time.perf_counter() - t0:.1f} s wall{' ' + res.skipped if res.skipped else ''}", flush=True)
                res.found = {}
                results.append(res)
            all_results += results
            table = markdown_table(results, args.dim, params)
            print("\n" + table, flush=True)
            out += ["", table]
            shutil.rmtree(data_dir, ignore_errors=True)
        how = how_table(all_results)
        print("\n" + how)
        out += ["", how]
        if args.out:
            args.out.write_text("\n".join(out) + "\n", encoding="utf-8")
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
