"""``recsys query --audio`` by an excerpt, through the command line's own code, on a collection
made with and without ``ingest --excerpt-vectors``: how often a 20 s excerpt finds its track
first and in the top 5, and what the windows cost the ingest.

The libraries are linked into one folder (folders named ``Messy``, copies of the same
recordings, left out), ingested twice (default profile, no embedding cache) into homes under
OUT; the excerpts are those of bench_audio_excerpts.py (tracks of 70 s or more, a seeded random
place, or the first 20 s with ``--at start``), written as WAV files and queried one by one with
``cli.main.main(["query", "--audio", clip, ...])`` in this process (the encoder loads once).

    .venv/bin/python bench/bench_excerpt_query.py /tmp/music2/lib /tmp/music3lib/lib --out /tmp/exc-bench
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

AUDIO = {".mp3", ".flac", ".ogg", ".oga", ".opus", ".wav", ".m4a"}


def _link(libraries: list[Path], folder: Path) -> None:
    """One folder holding each library's top folders (but ``Messy``) as links."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, lib in enumerate(libraries):
        for top in sorted(lib.iterdir()):
            link = folder / f"{i}-{top.name}"
            if top.is_dir() and top.name != "Messy" and not link.exists():
                link.symlink_to(top.resolve())


def _cli(argv: list[str]) -> tuple[int, str]:
    from cli.main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    return code, out.getvalue()


def _excerpts(libraries: list[Path], clips: Path, seed: int, at: str) -> list[tuple[str, Path]]:
    """(the track's real path, its excerpt's WAV), drawn as bench_audio_excerpts.py draws them."""
    import soundfile

    from recsys.encoders.media import audio_duration, load_audio
    from recsys.errors import MediaError

    clips.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    out = []
    for lib in libraries:
        for p in sorted(q for q in lib.rglob("*") if q.suffix.lower() in AUDIO and "Messy" not in q.parts):
            total = audio_duration(p)
            if total is None or total < 70:
                continue
            start = rng.uniform(0.05, 0.95) * (total - 20) if at == "random" else 0.0
            try:
                y = load_audio(p, sr=22050, offset=start, duration=20.0)
            except MediaError:
                continue
            clip = clips / f"{len(out):04d}.wav"
            soundfile.write(str(clip), y, 22050)
            out.append((os.path.realpath(p), clip))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("libraries", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--at", choices=("random", "start"), default="random")
    args = ap.parse_args(argv)
    folder = args.out / "library"
    _link(args.libraries, folder)
    rows = []
    for label, flags in (("middle 30 s", []), ("--excerpt-vectors", ["--excerpt-vectors"])):
        home = args.out / ("home-windows" if flags else "home-plain")
        if not home.exists():
            t0 = time.perf_counter()
            code, out = _cli(["ingest", str(folder), "-c", "lib", "--no-cache", *flags, "--home", str(home), "--json"])
            report = json.loads(out)
            print(f"{label}: ingest {time.perf_counter() - t0:.1f} s (exit {code}), {report['tracks']} tracks, "
                  f"vectors {report['vectors']}, seconds {report['seconds']}", flush=True)
        rows.append((label, home))
    excerpts = _excerpts(args.libraries, args.out / f"clips-{args.at}-{args.seed}", args.seed, args.at)
    print(f"{len(excerpts)} excerpts ({args.at}) of tracks of 70 s or more", flush=True)
    for label, home in rows:
        ranks, t0 = [], time.perf_counter()
        for track, clip in excerpts:
            code, out = _cli(["query", "--audio", str(clip), "-c", "lib", "-k", "5", "--max-per-artist", "0",
                              "--json", "--home", str(home)])
            found = [os.path.realpath(r["audio_path"]) for r in json.loads(out)["results"]] if code == 0 else []
            ranks.append(found.index(track) + 1 if track in found else None)
        top1 = sum(r == 1 for r in ranks) / len(ranks)
        top5 = sum(r is not None for r in ranks) / len(ranks)
        print(f"{label}: top-1 {top1:.3f}, top-5 {top5:.3f}, "
              f"{(time.perf_counter() - t0) / len(ranks) * 1000:.0f} ms a query", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
