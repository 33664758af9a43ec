"""A playlist as seeds: the time of `recsys recommend PLAYLIST` and `recsys playlist PLAYLIST`
for a long playlist, on a synthetic embedded store (Qdrant Edge).

    .venv/bin/python bench/bench_playlist_seeds.py --tracks 20000 --playlist 300 --home /tmp/plbench

It builds a collection 'bench' of N synthetic tracks through the store API (random unit vectors
per modality around 40 style centres, so that neighbours mean something; the fused vector their
concatenation; payloads as a music folder's ingest writes them, each track's audio file under a
library root that does not exist on this machine, HNSW built), with one library playlist
"Playlists/Road Trip" of --playlist tracks of 5 of the styles, unevenly (the payload's
``playlists``), and writes that playlist as an M3U8 file exported on another machine (Windows
paths under "D:\\Music", and five entries the collection does not have). Then it times, as
commands (each a fresh process, as a listener runs them; best and median of --runs) and in
process (the query alone):

- ``recommend road-trip.m3u8 -k 20`` and ``playlist road-trip.m3u8`` (the file as the seed);
- ``playlist --from-playlist "road trip"`` (the library's playlist by name);
- the same tracks given as --playlist track ids (what a listener had to type before: the
  path every seed took through ``Library.resolve``).

Then the grouping alone (``compare``): the same queries one seed at a time (as before) and
grouped, in one process, taking turns. ``--skip-build`` measures an existing --home. Prints markdown rows, with the share of the new
tracks that are of the playlist's styles (what a listener would call "more like it").
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

DIMS = {"text": 384, "image": 512, "audio": 512, "graph": 128}
GENRES = ("ambient", "chiptune", "classical-piano", "folk", "jazz", "metal", "reggae", "techno")
ROOT = "/srv/elsewhere/Music"  # the library root the payloads name: not a folder of this machine
PLAYLIST = "Playlists/Road Trip"


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _rel(i: int) -> str:
    return f"Artist {i // 10}/Album {i // 10}/{i % 10 + 1:02d} Song {i}.flac"


#: the playlist's styles and their shares of it: a playlist holds a few styles, unevenly
STYLES = {3: 0.4, 11: 0.25, 17: 0.15, 26: 0.1, 38: 0.1}


def _style(i: int) -> int:
    return (i // 10) % 40  # an album's tracks share a style


def _members(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    tracks = np.arange(n)
    styles = np.array([_style(i) for i in tracks])
    weights = np.array([STYLES.get(int(s), 0.0) for s in styles])
    weights /= np.bincount(styles, minlength=40)[styles]  # each style its share, whatever its size
    return rng.choice(tracks, size=size, replace=False, p=weights / weights.sum())


def build_store(home: Path, n: int, playlist: int, seed: int = 0, batch: int = 2000) -> list[int]:
    """The collection 'bench' of ``n`` tracks in ``home``'s store; returns the playlist's track
    numbers, in its order."""
    from recsys.catalog.model import TrackRecord
    from recsys.collection import CollectionMeta, EncoderInfo, concat_fused
    from recsys.store import CollectionSpec, PointRecord, open_backend
    from ingest.indexes import index_plan

    rng = np.random.default_rng(seed)
    centres = {m: rng.normal(size=(40, d)) for m, d in DIMS.items()}
    members = [int(i) for i in _members(rng, n, playlist)]
    in_playlist = set(members)
    fused = concat_fused(DIMS)
    meta = CollectionMeta(
        encoders={m: EncoderInfo(name=f"bench-{m}", modality=m, model="random", dim=d) for m, d in DIMS.items()},
        fused=fused, catalog_kind="music_folder", catalog_path=ROOT, profile="bench",
    )
    backend = open_backend(str(home / "store"))
    try:
        vectors = {**DIMS, "fused": fused.dim}
        backend.create_collection(CollectionSpec("bench", vectors, metadata=meta.as_dict(),
                                                 indexes=index_plan(vectors, "fused")))
        for start in range(0, n, batch):
            points = []
            for i in range(start, min(start + batch, n)):
                style = _style(i)
                record = TrackRecord(
                    track_id=f"t{i:07d}", title=f"Song {i}", artist=f"Artist {i // 10}", album=f"Album {i // 10}",
                    genres=(GENRES[style % len(GENRES)],), year=1960 + i % 60, audio_path=Path(f"{ROOT}/{_rel(i)}"),
                    playlists=(PLAYLIST,) if i in in_playlist else (),
                )
                vecs = {m: _unit(centres[m][style] + rng.normal(size=d) * 1.5) for m, d in DIMS.items()}
                vecs["fused"] = _unit(np.concatenate([vecs[m] for m in DIMS]))
                points.append(PointRecord(record.track_id, vecs, record.payload()))
            backend.upsert("bench", points)
        backend.optimize("bench")
    finally:
        backend.close()
    return members


def write_m3u8(path: Path, members: list[int]) -> None:
    """The playlist as a player on another machine exported it: Windows paths, and five
    entries of files that are not in the collection."""
    lines = ["#EXTM3U"]
    for k, i in enumerate(members):
        lines += [f"#EXTINF:200,Artist {i // 10} - Song {i}", "D:\\Music\\" + _rel(i).replace("/", "\\")]
        if k % 60 == 0:
            lines.append(f"D:\\Music\\Gone\\Lost Album\\{k:02d} Not Here.mp3")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def command(home: Path, args: list[str], runs: int) -> tuple[float, float, dict]:
    """(best, median) wall seconds of ``recsys ARGS --json`` as a fresh process, and its answer."""
    env = dict(os.environ, RECSYS_HOME=str(home), PYTHONPATH=str(REPO))
    times, out = [], {}
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "cli.main", *args, "--json", "--collection", "bench"],
                              env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        if done.returncode != 0:
            raise SystemExit(f"recsys {' '.join(args[:3])}... failed: {done.stderr.strip()[-500:]}")
        out = json.loads(done.stdout)
    return min(times), statistics.median(times), out


def in_process(home: Path, run, req, runs: int) -> tuple[float, float]:
    """(best, median) seconds of ``run(lib, req)`` on a new Library each time, the store open."""
    from recsys.query.library import Library
    from recsys.store import open_backend

    backend = open_backend(str(home / "store"))
    try:
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run(Library(backend, "bench"), req)
            times.append(time.perf_counter() - t0)
        return min(times), statistics.median(times)
    finally:
        backend.close()


def compare(home: Path, m3u: Path, runs: int) -> None:
    """The grouping alone, in one process, the two ways taking turns (so that the machine's load
    falls on both alike): recommend's one store query with the 300 tracks' vectors as positives
    against the 16 groups' centres, and playlist with a pool per seed against one per group,
    both seeded with the file."""
    from unittest import mock

    from recsys.query import playlist as playlist_module
    from recsys.query.library import Library, Neighbours, Picker, excluding
    from recsys.query.playlist import PlaylistRequest, playlist
    from recsys.query.playlistseeds import resolve_seeds
    from recsys.query.seedgroups import group_seeds, query_vectors
    from recsys.store import QueryFilter, open_backend

    backend = open_backend(str(home / "store"))
    try:
        lib = Library(backend, "bench")
        seeds = resolve_seeds(lib, (str(m3u),), None, (), ("fused",)).points
        vectors = [lib.seed_vector(s, "fused") for s in seeds]
        vname = lib.vector("fused")
        ids = [s.track_id for s in seeds]

        def recommend_with(positives) -> float:
            q = Neighbours(vector_name=vname, positives=tuple(positives), flt=excluding(QueryFilter(), ids))
            t0 = time.perf_counter()
            lib.collect(q, 20, Picker(2, (), ids))
            return time.perf_counter() - t0

        def playlist_with(per_seed: bool) -> tuple[float, int]:
            each = (lambda v: group_seeds(v, 10**6)) if per_seed else group_seeds
            with mock.patch.object(playlist_module, "group_seeds", each):
                t0 = time.perf_counter()
                resp = playlist(Library(backend, "bench"), PlaylistRequest(seeds=(str(m3u),)))
                return time.perf_counter() - t0, len(resp.results)

        times: dict[str, list[float]] = {k: [] for k in ("all", "groups", "per seed", "per group")}
        new: dict[str, int] = {}
        for _ in range(runs):
            times["all"].append(recommend_with(vectors))
            times["groups"].append(recommend_with(query_vectors(vectors)))
            for key, per_seed in (("per seed", True), ("per group", False)):
                took, new[key] = playlist_with(per_seed)
                times[key].append(took)
        ms = {k: f"{statistics.median(v) * 1000:.0f} ms (best {min(v) * 1000:.0f})" for k, v in times.items()}
        print(f"\n| in one process, taking turns ({runs} runs, median) | before: each seed | after: 16 groups |")
        print("| --- | --- | --- |")
        print(f"| recommend's store query, k=20: {len(vectors)} positives / 16 centres | {ms['all']} | {ms['groups']} |")
        print(f"| playlist road-trip.m3u8: a pool per seed / per group | {ms['per seed']}, {new['per seed']} new tracks "
              f"| {ms['per group']}, {new['per group']} new tracks |", flush=True)
    finally:
        backend.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=20_000)
    ap.add_argument("--playlist", type=int, default=300)
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--ids-only", action="store_true", help="only the track-id rows (a checkout without playlist seeds)")
    ap.add_argument("--compare-only", action="store_true", help="only the grouping, before and after, in one process")
    args = ap.parse_args()
    members_file = args.home / "members.json"
    if not args.skip_build:
        args.home.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        members = build_store(args.home, args.tracks, args.playlist)
        members_file.write_text(json.dumps(members))
        print(f"built {args.tracks} tracks in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    members = json.loads(members_file.read_text())
    m3u = args.home / "road-trip.m3u8"
    write_m3u8(m3u, members)
    ids = [f"t{i:07d}" for i in members]

    if args.compare_only:
        compare(args.home, m3u, args.runs)
        return 0
    from recsys.query.playlist import PlaylistRequest, playlist
    from recsys.query.recommend import RecommendRequest, recommend

    rows = [("recommend, the tracks as ids", ["recommend", *ids, "-k", "20"],
             recommend, RecommendRequest(seeds=tuple(ids), k=20)),
            ("playlist, the tracks as ids", ["playlist", *ids],
             playlist, PlaylistRequest(seeds=tuple(ids)))]
    if not args.ids_only:
        rows += [("recommend road-trip.m3u8 -k 20", ["recommend", str(m3u), "-k", "20"],
                  recommend, RecommendRequest(seeds=(str(m3u),), k=20)),
                 ("playlist road-trip.m3u8", ["playlist", str(m3u)], playlist, PlaylistRequest(seeds=(str(m3u),))),
                 ('playlist --from-playlist "road trip"', ["playlist", "--from-playlist", "road trip"],
                  playlist, PlaylistRequest(seeds=(), playlists=("road trip",)))]
    print(f"| {args.tracks:,} tracks, a {len(members)}-track playlist | command: best / median | "
          "in process: best / median | new tracks | of the playlist's 5 styles |")
    print("| --- | --- | --- | --- | --- |")
    for label, argv, run, req in rows:
        best, median, out = command(args.home, argv, args.runs)
        ib, im = in_process(args.home, run, req, args.runs)
        new = [int(r["track_id"][1:]) for r in out.get("results", [])]
        alike = sum(_style(i) in STYLES for i in new) / len(new) if new else 0.0
        print(f"| {label} | {best:.2f} / {median:.2f} s | {ib * 1000:.0f} / {im * 1000:.0f} ms | "
              f"{len(new)} | {alike:.0%} |", flush=True)
    if not args.ids_only:
        compare(args.home, m3u, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
