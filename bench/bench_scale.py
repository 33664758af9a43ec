"""recsys at scale, end to end: `recsys ingest --precomputed` of a synthetic catalog in the
Fairouz layout (bench/make_fairouz_like.py), then the recommend path measured in process and
as a command, with recall against exact search:

    .venv/bin/python bench/make_fairouz_like.py --tracks 1000000 --out /tmp/fz1m
    .venv/bin/python bench/bench_scale.py --catalog /tmp/fz1m --home /tmp/fz1m-home
    .venv/bin/python bench/bench_scale.py --catalog /tmp/fz1m --home /tmp/fz1m-home6 --memory-limit 6G

Prints one markdown table: ingest seconds (by stage) and peak RSS (of the `recsys ingest`
process, from /usr/bin/time; with its anonymous memory and its pages of mapped files, each
sampled at its peak; with ``--memory-limit``, the ingest runs in a memory cgroup of that size,
bench/memcap.py, and the most it was charged is printed too), store size on disk,
`recsys recommend` and `recsys info` wall time as commands (median of 5), and in process p50/p99 of `recommend` with a title seed, the
seed's artist, a genre filter, dedup and the artist cap (k=10), with recall@10 of its results
against the same path run on exact search (every point scored, no index).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

RECSYS = str(Path(sys.executable).with_name("recsys"))


def _ingest(catalog: Path, home: Path, index: str, fused: str, memory_limit: int | None = None) -> dict:
    if memory_limit is None:
        return _run_ingest(catalog, home, index, fused, None)
    from memcap import MemoryCap

    with MemoryCap(memory_limit) as cap:
        report = _run_ingest(catalog, home, index, fused, cap)
    report["memory_limit_mb"] = memory_limit / 2**20
    report["peak_charged_mb"] = cap.peak / 2**20
    report["limit_reached"] = cap.limited
    return report


def _run_ingest(catalog: Path, home: Path, index: str, fused: str, cap) -> dict:
    env = os.environ | {"RECSYS_HOME": str(home)}
    cmd = ["/usr/bin/time", "-v", RECSYS, "ingest", str(catalog), "--precomputed", "--json",
           "--collection", "bench", "--index", index, "--fused", fused, "--batch-size", "512"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=cap.join if cap is not None else None)
    peaks = {"RssAnon": 0, "RssFile": 0, "Rss": 0}
    out: dict[str, str] = {}

    def drain(name: str, stream) -> None:
        out[name] = stream.read()

    import threading

    readers = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    while proc.poll() is None:
        parts = _rss_parts(proc.pid)
        for kind, kb in parts.items():
            peaks[kind] = max(peaks[kind], kb)
        peaks["Rss"] = max(peaks["Rss"], parts.get("RssAnon", 0) + parts.get("RssFile", 0))
        time.sleep(0.5)
    for t in readers:
        t.join()
    if proc.returncode != 0:
        killed = " (killed: its own memory did not fit the --memory-limit?)" if "signal 9" in out["err"] else ""
        raise SystemExit(f"ingest failed{killed}:\n{out['err'][-3000:]}")
    report = json.loads(out["out"])
    for line in out["err"].splitlines():
        if "Maximum resident set size" in line:
            report["peak_rss_mb"] = int(line.rsplit(":", 1)[1]) / 1024
    # RSS counts the pages of mapped files (Edge's segments) with the process's own memory;
    # sampled apart, each at its peak (not necessarily at the same moment)
    report["peak_anon_mb"] = peaks["RssAnon"] / 1024
    report["peak_file_mb"] = peaks["RssFile"] / 1024
    report["peak_rss_sampled_mb"] = peaks["Rss"] / 1024
    return report


def _rss_parts(time_pid: int) -> dict[str, int]:
    """RssAnon and RssFile (kB) of the process /usr/bin/time runs (its child)."""
    found: dict[str, int] = {}
    try:
        children = Path(f"/proc/{time_pid}/task/{time_pid}/children").read_text().split()
        for child in children:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("RssAnon", "RssFile"):
                    found[key] = found.get(key, 0) + int(value.split()[0])
    except (OSError, ValueError):
        pass
    return found


def _wall(cmd: list[str], home: Path, runs: int = 5) -> float:
    """The median wall time of ``runs`` runs of ``cmd``; every run's time goes to stderr (the
    first may read the store from disk: an ingest's index stage, or a process that closed
    the store, leaves it out of the page cache)."""
    env = os.environ | {"RECSYS_HOME": str(home)}
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    print(f"{cmd[1]}: {' '.join(f'{t:.2f}' for t in times)} s", file=sys.stderr)
    return statistics.median(times)


def _du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**30


def _queries(catalog: Path, n: int, seed: int) -> list[tuple[str, str, str]]:
    """(title, artist, genre) of n seeded random tracks whose titles are unique in the catalog."""
    tracks = json.loads((catalog / "tracks.json").read_text(encoding="utf-8"))
    entries = list(tracks.values())
    rng = np.random.default_rng(seed)
    out = []
    for i in rng.permutation(len(entries)):
        e = entries[int(i)]
        if len(e["track_title"].split()) < 3:  # the shared one-word titles are ambiguous
            continue
        out.append((e["track_title"], e["artist_name"], e["genres"][-1]))
        if len(out) == n:
            break
    return out


def _in_process(home: Path, queries: list[tuple[str, str, str]]) -> dict:
    from recsys.query.library import Library
    from recsys.query.recommend import RecommendRequest, recommend
    from recsys.store import QueryFilter, open_backend
    from recsys.store import edge

    backend = open_backend(home / "store")
    lib = Library(backend, "bench")

    def run(q: tuple[str, str, str]) -> list[str]:
        title, artist, genre = q
        req = RecommendRequest(seeds=(title,), artist=artist, k=10, flt=QueryFilter(genres=(genre,)), max_per_artist=2)
        return [r.track_id for r in recommend(lib, req).results]

    run(queries[0])  # the first query opens the shard
    lat, got = [], []
    for q in queries:
        t = time.perf_counter()
        got.append(run(q))
        lat.append((time.perf_counter() - t) * 1000)
    # the same queries again: what a server that has been answering for a while sees (the
    # first pass pays for the shard's pages, the dedup keys, the title index's pages)
    warm = []
    for q in queries:
        t = time.perf_counter()
        run(q)
        warm.append((time.perf_counter() - t) * 1000)
    # the same path on exact search: every point scored, nothing from the graph
    plain = edge.EdgeBackend._search_params

    def exact(self, name, using):
        params = plain(self, name, using)
        import qdrant_edge as qe

        return qe.SearchParams(exact=True, quantization=params.quantization)

    edge.EdgeBackend._search_params = exact
    try:
        t = time.perf_counter()
        want = [run(q) for q in queries]
        exact_ms = (time.perf_counter() - t) * 1000 / len(queries)
    finally:
        edge.EdgeBackend._search_params = plain
    recall = [len(set(g) & set(w)) / max(1, len(w)) for g, w in zip(got, want)]
    backend.close()
    return {
        "p50_ms": float(np.percentile(lat, 50)),
        "p99_ms": float(np.percentile(lat, 99)),
        "warm_p50_ms": float(np.percentile(warm, 50)),
        "warm_p99_ms": float(np.percentile(warm, 99)),
        "recall10": float(np.mean(recall)),
        "exact_ms": exact_ms,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--catalog", type=Path, required=True)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--index", default="fused")
    ap.add_argument("--fused", default="auto", help="auto, concat or compact (recsys ingest --fused)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip-ingest", action="store_true", help="measure an existing --home")
    ap.add_argument("--memory-limit", help="run the ingest under a hard memory limit (a memory cgroup: "
                    "its own memory and its page cache), e.g. 6G; needs root")
    args = ap.parse_args()
    tracks = len(json.loads((args.catalog / "ids.json").read_text()))
    if not args.skip_ingest:
        from memcap import parse_size

        limit = parse_size(args.memory_limit) if args.memory_limit else None
        rep = _ingest(args.catalog, args.home, args.index, args.fused, limit)
        (args.home / "ingest_report.json").write_text(json.dumps(rep))
    rep = json.loads((args.home / "ingest_report.json").read_text())
    queries = _queries(args.catalog, args.queries, args.seed)
    title, artist, genre = queries[0]
    rec_wall = _wall([RECSYS, "recommend", title, "--artist", artist, "-k", "10", "--genre", genre,
                      "--collection", "bench", "--json"], args.home)
    info_wall = _wall([RECSYS, "info", "--json"], args.home)
    q = _in_process(args.home, queries)
    secs = rep.get("seconds", {})
    stages = ", ".join(f"{k} {v:.0f}" for k, v in secs.items() if k != "total" and v >= 1)
    anon = f" (anon {rep['peak_anon_mb'] / 1024:.2f}, files {rep['peak_file_mb'] / 1024:.2f})" if "peak_anon_mb" in rep else ""
    if "memory_limit_mb" in rep:
        anon += (f"; limit {rep['memory_limit_mb'] / 1024:.2f}: charged at most {rep['peak_charged_mb'] / 1024:.2f}, "
                 f"reached {rep['limit_reached']:,} times")
    print("| tracks | ingest s | stages s | peak RSS GB | store GB | recommend cmd s | info cmd s "
          "| p50 ms | p99 ms | again: p50 ms | p99 ms | recall@10 | exact path ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {tracks:,} | {secs.get('total', 0):.0f} | {stages} | {rep.get('peak_rss_mb', 0) / 1024:.2f}{anon} "
          f"| {_du(args.home / 'store'):.2f} | {rec_wall:.2f} | {info_wall:.2f} | {q['p50_ms']:.2f} "
          f"| {q['p99_ms']:.2f} | {q['warm_p50_ms']:.2f} | {q['warm_p99_ms']:.2f} | {q['recall10']:.3f} "
          f"| {q['exact_ms']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
