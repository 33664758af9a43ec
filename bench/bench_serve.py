"""`recsys serve` under load: recommend requests/s and latency p50/p99 from a bounded load
generator on loopback, against a store of N synthetic tracks.

    .venv/bin/python bench/bench_serve.py --tracks 100000 --concurrency 32 --duration 20

It builds the store through the store API (random unit vectors per modality, a fused vector
of their concatenation, payloads and indexes as an ingest writes them, HNSW built), starts `recsys serve`
on a free loopback port in its own process, then runs a fixed number of keep-alive HTTP/1.1
connections (plain asyncio streams: the client must cost less CPU than the server it
measures) for a fixed time, each sending `POST /api/recommend` with a random track id as the
seed (`--seed-kind title`: a title, the exact-title path), k=10, waiting for each answer
before the next. Seeds come from every track (`--seeds N`: from N of them), so the server's
payload cache (`--payload-cache`, passed on) meets its hardest case. The first second is a
warm-up and is not counted (``--warmup S``: longer). ``--client wrk`` runs the same load from
wrk (Debian's package; C, one thread, the same bodies drawn at random), lighter on a machine
whose two cores the server also needs. Prints one markdown row.

`--collection NAME` serves a store an ingest made instead (``--home`` is its RECSYS_HOME):

    RECSYS_HOME=/tmp/h .venv/bin/recsys ingest /tmp/fz100k --precomputed
    .venv/bin/python bench/bench_serve.py --home /tmp/h --collection fz100k --concurrency 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

DIMS = {"text": 384, "image": 512, "audio": 512, "graph": 128}
GENRES = ("ambient", "chiptune", "classical-piano", "folk", "jazz", "metal", "reggae", "techno")


def build_store(home: Path, n: int, seed: int = 0, batch: int = 2000) -> list[tuple[str, str]]:
    """A collection 'bench' of ``n`` synthetic tracks in ``home``'s embedded store; returns
    (track id, title) of every track."""
    from recsys.catalog.model import TrackRecord
    from recsys.collection import CollectionMeta, EncoderInfo, concat_fused
    from recsys.store import CollectionSpec, PointRecord, open_backend

    rng = np.random.default_rng(seed)
    fused = concat_fused(DIMS)
    meta = CollectionMeta(
        encoders={m: EncoderInfo(name=f"bench-{m}", modality=m, model="random", dim=d) for m, d in DIMS.items()},
        fused=fused, catalog_kind="manifest", catalog_path="", profile="bench",
    )
    backend = open_backend(str(home / "store"))
    tracks: list[tuple[str, str]] = []
    try:
        vectors = {**DIMS, "fused": fused.dim}
        backend.create_collection(CollectionSpec("bench", vectors, metadata=meta.as_dict(), **_indexes(vectors)))
        for start in range(0, n, batch):
            points = []
            for i in range(start, min(start + batch, n)):
                tid, title = f"t{i:07d}", f"Song {i} {rng.integers(1_000_000)}"
                record = TrackRecord(track_id=tid, title=title, artist=f"Artist {i // 10}", album=f"Album {i // 10}",
                                     genres=(GENRES[i % len(GENRES)],), year=1960 + i % 60)
                vecs = {m: _unit(rng.normal(size=d)) for m, d in DIMS.items()}
                vecs["fused"] = _unit(np.concatenate([vecs[m] for m in DIMS]))
                points.append(PointRecord(tid, vecs, record.payload()))
                tracks.append((tid, title))
            backend.upsert("bench", points)
        backend.optimize("bench")
    finally:
        backend.close()
    return tracks


def store_tracks(home: Path, collection: str) -> list[tuple[str, str]]:
    """(track id, title) of every track of an existing collection in ``home``'s store."""
    from recsys.store import open_backend

    backend = open_backend(str(home / "store"))
    try:
        return [(p.track_id, str(p.payload.get("title", "")))
                for p in backend.scroll(collection, with_vectors=False)]
    finally:
        backend.close()


def _indexes(vectors: dict[str, int]) -> dict:
    """The indexes `recsys ingest` gives a new collection by default (HNSW on the fused vector,
    int8 for wide vectors), where this checkout has index plans; else every vector's HNSW."""
    try:
        from ingest.indexes import index_plan
    except ImportError:
        return {}
    return {"indexes": index_plan(vectors, "fused")}


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, collection: str = "bench", payload_cache: int | None = None) -> subprocess.Popen:
    # the checkout's own packages first (an editable install made before serve/ existed
    # does not map it)
    env = os.environ | {"RECSYS_HOME": str(home), "PYTHONPATH": str(REPO)}
    if payload_cache is not None:
        env["RECSYS_SERVE_PAYLOAD_CACHE"] = str(payload_cache)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--log-level", "warning", "--collection", collection],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"recsys serve exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("recsys serve did not start in 120 s")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return status, body


async def client(port: int, bodies: list[bytes], until: float, warm_until: float, latencies: list[float],
                 errors: list[str], rng: random.Random) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            now = time.perf_counter()
            if now >= until:
                return
            body = bodies[rng.randrange(len(bodies))]
            writer.write(b"POST /api/recommend HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
            status, payload = await _read_response(reader)
            done = time.perf_counter()
            if status != 200:
                errors.append(f"{status} {payload[:200]!r}")
            elif done >= warm_until:
                latencies.append(done - now)
    finally:
        writer.close()


async def load(port: int, bodies: list[bytes], concurrency: int, duration: float, warmup: float) -> dict:
    start = time.perf_counter()
    warm_until, until = start + warmup, start + warmup + duration
    latencies: list[float] = []
    errors: list[str] = []
    await asyncio.gather(*(client(port, bodies, until, warm_until, latencies, errors, random.Random(i))
                           for i in range(concurrency)))
    measured = time.perf_counter() - warm_until
    lat = sorted(latencies)
    return {
        "requests": len(lat),
        "rps": len(lat) / measured,
        "p50_ms": statistics.median(lat) * 1000 if lat else float("nan"),
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan"),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


WRK_SCRIPT = """
local bodies = {}
for line in io.lines(%(bodies)s) do bodies[#bodies + 1] = line end
math.randomseed(1)
request = function()
  return wrk.format("POST", "/api/recommend", {["Content-Type"] = "application/json"}, bodies[math.random(#bodies)])
end
"""


def _wrk_ms(text: str) -> float:
    """A wrk latency ("812.00us", "6.70ms", "1.02s") in milliseconds."""
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    return float("nan")


def load_wrk(port: int, bodies: list[bytes], concurrency: int, duration: float, warmup: float) -> dict:
    """The same load from wrk (C, one thread, ``concurrency`` keep-alive connections, each one
    request at a time), which costs the machine less than the Python client: a warm-up run,
    then the measured one."""
    import re

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("--client wrk needs wrk on PATH (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        (Path(tmp) / "bodies.txt").write_bytes(b"\n".join(bodies) + b"\n")
        script = Path(tmp) / "post.lua"
        script.write_text(WRK_SCRIPT % {"bodies": json.dumps(str(Path(tmp) / "bodies.txt"))})
        base = [wrk, "-t1", f"-c{concurrency}", "-s", str(script), f"http://127.0.0.1:{port}"]
        subprocess.run([*base[:3], f"-d{max(1, round(warmup))}s", *base[3:]], check=True, capture_output=True)
        out = subprocess.run([*base[:3], f"-d{max(1, round(duration))}s", "--latency", *base[3:]],
                             check=True, capture_output=True, text=True).stdout
    def grab(pattern: str) -> str | None:
        m = re.search(pattern, out, re.MULTILINE)
        return m.group(1) if m else None

    non2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)") or 0)
    sock = grab(r"Socket errors: (.*)$")
    total = int(grab(r"^\s*(\d+) requests in") or 0)
    return {
        "requests": total,
        "rps": float(grab(r"Requests/sec:\s+([\d.]+)") or "nan"),
        "p50_ms": _wrk_ms(grab(r"^\s+50%\s+(\S+)") or "nan"),
        "p99_ms": _wrk_ms(grab(r"^\s+99%\s+(\S+)") or "nan"),
        "errors": non2xx,
        "first_error": f"{non2xx} non-2xx responses" if non2xx else (f"socket errors: {sock}" if sock else None),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tracks", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16, help="keep-alive connections, each one request at a time")
    ap.add_argument("--duration", type=float, default=10.0, help="measured seconds (after a 1 s warm-up)")
    ap.add_argument("--seed-kind", choices=("id", "title"), default="id")
    ap.add_argument("--seeds", type=int, default=0,
                    help="distinct seed tracks, drawn at random (0: every track, the worst case for the "
                         "server's payload cache)")
    ap.add_argument("--payload-cache", type=int, help="the server's --payload-cache [default: its own]")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--home", type=Path, help="reuse (or keep) the store here [default: a temporary folder]")
    ap.add_argument("--collection", help="serve this collection of the store in --home (made by an ingest) "
                                         "instead of building one")
    ap.add_argument("--client", choices=("python", "wrk"), default="python",
                    help="the load generator: this script's asyncio client, or wrk (lighter on the machine)")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds of load before the measured run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    home = args.home or Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        t = time.perf_counter()
        marker = home / "bench-tracks.json"
        if args.collection:
            if args.home is None:
                ap.error("--collection needs --home (the RECSYS_HOME of the ingest that made it)")
            tracks = store_tracks(home, args.collection)
        elif marker.exists():
            tracks = [tuple(x) for x in json.loads(marker.read_text())]
        else:
            tracks = build_store(home, args.tracks)
            marker.write_text(json.dumps(tracks))
        build_s = time.perf_counter() - t
        key = 0 if args.seed_kind == "id" else 1
        sample = random.Random(1).sample(tracks, min(len(tracks), args.seeds or len(tracks)))
        bodies = [json.dumps({"seeds": [tr[key]], "k": args.k}).encode() for tr in sample]
        port = free_port()
        server = start_server(home, port, args.collection or "bench", args.payload_cache)
        try:
            if args.client == "wrk":
                result = load_wrk(port, bodies, args.concurrency, args.duration, args.warmup)
            else:
                result = asyncio.run(load(port, bodies, args.concurrency, args.duration, warmup=args.warmup))
        finally:
            server.terminate()
            server.wait(30)
        result |= {"tracks": len(tracks), "concurrency": args.concurrency, "seed_kind": args.seed_kind, "client": args.client,
                   "seeds": len(sample), "payload_cache": args.payload_cache,
                   "k": args.k, "build_s": round(build_s, 1), "cpus": os.cpu_count()}
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            cache = "default" if args.payload_cache is None else f"{args.payload_cache:,}"
            print("| tracks | client | connections | seed | seeds | payload cache | requests/s | p50 ms | p99 ms | errors |")
            print("| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            print(f"| {result['tracks']:,} | {args.client} | {args.concurrency} | {args.seed_kind} | {len(sample):,} | {cache} | {result['rps']:.0f} | "
                  f"{result['p50_ms']:.1f} | {result['p99_ms']:.1f} | {result['errors']} |")
            if result["first_error"]:
                print(f"first error: {result['first_error']}")
    finally:
        if args.home is None:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
