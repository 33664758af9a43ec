"""End-to-end ingest throughput of a music library: real-length compressed audio files, cover
images and lyrics, through `ingest_catalog` with a profile's encoders into the embedded store.

    .venv/bin/python bench/bench_ingest.py --tracks 2000 --profile best --device cuda
    .venv/bin/python bench/bench_ingest.py --tracks 200 --profile offline --device cpu

The library is synthesised first (not timed): ``--unique`` distinct MP3 files of ``--seconds``
seconds (tones and noise, 44.1 kHz stereo) and 600x600 JPEG covers, hard-linked under one name
per track, so every track is a real file that is opened, seeked, decoded and resampled. The
embedding cache is off: every track is encoded. Encoders whose weights are not on disk are
built as their real architecture with random weights (same speed; the row says so), through
``bench/bench_encoders.py``'s ``random_build``. Prints tracks/s and the seconds per stage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import numpy as np  # noqa: E402
from rss_timeline import RssTimeline  # noqa: E402
from stack_sampler import StackSampler  # noqa: E402

from recsys.encoders.base import Encoder, EncoderInfo  # noqa: E402

WORDS = "night city neon rain piano slow sad guitar love summer drums bass voice dream ocean fire heart".split()


def _write_mp3(args: tuple[Path, int, float]) -> None:
    import soundfile as sf

    path, seed, seconds = args
    rng = np.random.default_rng(seed)
    sr = 44100
    t = np.arange(int(sr * seconds)) / sr
    f = rng.uniform(80, 800)
    y = 0.25 * np.sin(2 * np.pi * f * t) * (0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.5, 4) * t))
    y = (y + 0.04 * rng.standard_normal(t.size)).astype(np.float32)
    sf.write(path, np.stack([y, np.roll(y, 17)], axis=1), sr, format="MP3")


def _write_cover(args: tuple[Path, int]) -> None:
    from PIL import Image

    path, seed = args
    rng = np.random.default_rng(seed)
    grid = rng.integers(0, 255, (12, 12, 3), dtype=np.uint8)
    Image.fromarray(grid).resize((600, 600), Image.BICUBIC).save(path, quality=90)


def write_library(root: Path, tracks: int, unique: int, seconds: float) -> Path:
    (root / "audio").mkdir(parents=True)
    (root / "covers").mkdir()
    (root / "src").mkdir()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_mp3, [(root / "src" / f"a{i}.mp3", i, seconds) for i in range(unique)]))
        list(pool.map(_write_cover, [(root / "src" / f"c{i}.jpg", i) for i in range(unique)]))
    rng = np.random.default_rng(0)
    rows = []
    for i in range(tracks):
        tid = f"t{i:06d}"
        os.link(root / "src" / f"a{i % unique}.mp3", root / "audio" / f"{tid}.mp3")
        os.link(root / "src" / f"c{(i * 7) % unique}.jpg", root / "covers" / f"{tid}.jpg")
        lyrics = " ".join(rng.choice(WORDS, 150))
        rows.append({
            "track_id": tid, "title": f"Song {i}", "artist": f"Artist {i % 300}", "album": f"Album {i % 900}",
            "genres": [f"g{i % 12}"], "lyrics": lyrics, "moods": ["calm"], "audio": f"audio/{tid}.mp3",
            "cover": f"covers/{tid}.jpg",
        })
    manifest = root / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return manifest


def use_random_weights_where_missing(names: list[str], device: str) -> list[str]:
    """Register the real architecture with random weights under each name whose weights are not
    on disk; returns the names so replaced."""
    from bench_encoders import random_build

    from recsys.encoders import EncoderSpec, get_encoder, get_encoder_spec, register_encoder
    from recsys.errors import EncoderError

    replaced = []
    for name in names:
        try:
            get_encoder(name, device=device)
        except EncoderError:
            spec = get_encoder_spec(name)
            register_encoder(
                EncoderSpec(spec.name, spec.modality, spec.model, spec.dim,
                            lambda s, d, b: random_build(s.name, d, b), spec.description, spec.offline),
                replace=True,
            )
            replaced.append(name)
    return replaced


class NullEncoder(Encoder):
    """An encoder that costs next to nothing, for ``--null-models``: a unit vector from the
    input's hash, with the real encoder's name, dim and inputs (audio read at ``sample_rate``
    for ``duration`` seconds), so everything but the model runs as in a real ingest."""

    def __init__(self, spec, sample_rate: int | None = None, duration: float | None = None, device: str = "cpu"):
        self.info = EncoderInfo(name=spec.name, modality=spec.modality, model=f"null ({spec.model})", dim=spec.dim)
        self.sample_rate, self.duration, self.device = sample_rate, duration, device

    def encode(self, items: list) -> np.ndarray:
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for i, item in enumerate(items):
            # cheap keys: a text's hash, an image's size, a waveform's length and first sample
            # (np.shape of a PIL image would copy its pixels)
            if isinstance(item, str):
                key = hash(item)
            elif hasattr(item, "getpixel"):
                key = hash(item.size)
            else:
                key = hash((len(item), float(item[0]) if len(item) else 0.0))
            out[i, key % self.dim] = 1.0
        return out


#: the inputs each profile's audio model reads (sample rate, seconds), for --null-models
NULL_AUDIO = {"clap-htsat-unfused": (48000, 30.0), "openl3": (48000, 30.0), "mir-librosa": (22050, 30.0),
              "mir-librosa-v2": (22050, 30.0)}


def use_null_models(names: list[str], device: str) -> None:
    """Register a ``NullEncoder`` under each of ``names`` (the profile's text, image and audio)."""
    from recsys.encoders import EncoderSpec, get_encoder_spec, register_encoder

    for name in names:
        spec = get_encoder_spec(name)
        rate, seconds = NULL_AUDIO.get(name, (None, None)) if spec.modality == "audio" else (None, None)
        dim = spec.dim or 384
        register_encoder(
            EncoderSpec(spec.name, spec.modality, spec.model, dim,
                        lambda s, d, b, rate=rate, seconds=seconds: NullEncoder(s, rate, seconds, device),
                        spec.description, spec.offline),
            replace=True,
        )


class ChunkClock:
    """A progress sink that notes when each chunk is encoded: the k-th advance of the last of
    its text, image and audio stages. The rate from the first chunk's end to the last's is the
    steady rate, without the first chunk's warm-up (CUDA's context and algorithm search, the
    decode workers starting, the first read, which nothing hides). Not the upsert: the writer
    behind the encoders reports a chunk at the next hand-off, a chunk late."""

    STAGES = ("text", "image", "audio")

    def __init__(self) -> None:
        self.advances: dict[str, list[tuple[float, int]]] = {s: [] for s in self.STAGES}

    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, name: str, n: int = 1) -> None:
        if name in self.advances:
            self.advances[name].append((time.perf_counter(), n))

    def warn(self, line: str) -> None:
        pass

    def steady(self) -> tuple[float, int] | None:
        """(tracks/s after the first chunk, tracks counted), or None (fewer than two chunks)."""
        chunks = max((len(a) for a in self.advances.values()), default=0)
        if chunks < 2:
            return None
        ends = [max(a[k] for a in self.advances.values() if len(a) > k) for k in range(chunks)]
        tracks = sum(n for _, n in ends[1:])
        return tracks / (ends[-1][0] - ends[0][0]), tracks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=2000)
    ap.add_argument("--unique", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--profile", default="best")
    ap.add_argument("--device", default=None)
    ap.add_argument("--batch-size", type=int, default=None, help="default: the device's (recsys.device.default_batch_size)")
    ap.add_argument("--sample-stacks", action="store_true",
                    help="print where each thread spent the ingest (bench/stack_sampler.py)")
    ap.add_argument("--library", type=Path, default=None,
                    help="keep the synthesised library under this folder and reuse it on the next run (same sizes)")
    ap.add_argument("--null-models", action="store_true",
                    help="encoders that cost next to nothing, with the profile's inputs: the rest of the ingest's ceiling")
    ap.add_argument("--rss-timeline", action="store_true",
                    help="sample RssAnon / RssFile of this process through the ingest (bench/rss_timeline.py)")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from ingest.lanes import LANES_ENV, lanes_enabled
    from ingest.overlap import OVERLAP_ENV, overlap_enabled
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.encoders.decode_pool import decode_processes
    from recsys.catalog import read_catalog
    from recsys.device import pick_device
    from recsys.encoders.profiles import profile_encoders
    from recsys.store import open_backend

    device = pick_device(args.device)
    with tempfile.TemporaryDirectory(prefix="recsys-bench-ingest-") as tmp:
        t0 = time.perf_counter()
        kept = args.library / f"{args.tracks}-{args.unique}-{args.seconds:g}" if args.library else None
        if kept is not None and (kept / "manifest.jsonl").is_file():
            manifest = kept / "manifest.jsonl"
            print(f"library: {kept} (kept from an earlier run)", flush=True)
        else:
            if kept is not None and kept.exists():  # a run cut short while writing it
                shutil.rmtree(kept)
            manifest = write_library(kept or Path(tmp) / "library", args.tracks, args.unique, args.seconds)
            print(f"library: {args.tracks} tracks ({args.unique} distinct {args.seconds:.0f} s MP3s, 600x600 JPEGs), "
                  f"written in {time.perf_counter() - t0:.1f} s", flush=True)
        names = [n for m, n in profile_encoders(args.profile).items() if m != "graph"]
        if args.null_models:
            use_null_models(names, device)
            note = " (null models)"
        else:
            replaced = use_random_weights_where_missing(names, device)
            note = f" (random init: {', '.join(replaced)})" if replaced else ""
        print(f"profile {args.profile} on {device}: {', '.join(names)}{note}", flush=True)
        print(f"encoders in lanes (ingest.lanes, {LANES_ENV}): {'on' if lanes_enabled([device]) else 'off'}; "
              f"overlap ({OVERLAP_ENV}): {'on' if overlap_enabled() else 'off'}; "
              f"audio decode processes: {decode_processes()}", flush=True)
        catalog = read_catalog(manifest, cover_cache=Path(tmp) / "covers")
        backend = open_backend(Path(tmp) / "store")
        try:
            options = IngestOptions(collection="bench", profile=args.profile, device=device,
                                    batch_size=args.batch_size, cache_dir=None)
            clock = ChunkClock()
            sampler = StackSampler() if args.sample_stacks else contextlib.nullcontext()
            rss = RssTimeline() if args.rss_timeline else contextlib.nullcontext()
            t0, cpu0 = time.perf_counter(), os.times()
            with sampler, rss:
                report = ingest_catalog(catalog, backend, options, clock)
            seconds, cpu1 = time.perf_counter() - t0, os.times()
        finally:
            backend.close()
    print(f"ingested {report.ingested} tracks in {seconds:.1f} s: {report.ingested / seconds:.1f} tracks/s; "
          f"problems {len(report.problems)}; batch size {report.batch_size}")
    own_cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"CPU of this process (not the decode workers): {own_cpu:.1f} s, "
          f"{1e3 * own_cpu / max(1, report.ingested):.1f} ms a track")
    steady = clock.steady()
    if steady is not None:
        print(f"steady: {steady[0]:.1f} tracks/s ({steady[1]} tracks after the first chunk)")
    print("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in report.seconds.items()))
    print("vectors: " + ", ".join(f"{k} {v}" for k, v in report.vectors.items()))
    if isinstance(sampler, StackSampler):
        print(sampler.report())
    if isinstance(rss, RssTimeline):
        print(rss.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
