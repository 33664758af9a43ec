"""What a first ingest reads to key its new audio files: the whole file's digest (the sync's
content key) and the sound's key without the tags (the audio embedding cache's), as two reads
(``sound_keys`` then ``file_digests``, what the chunk reader did) against one
(``ingest.sync.audio_keys``).

    .venv/bin/python bench/bench_first_read.py --tracks 96 --rounds 2

Each track is a distinct 180 s MP3 (``bench_ingest.py``'s, with its audio bytes varied so no
two files share pages). Where this runs as root, the page cache is dropped before each way is
timed (``/proc/sys/vm/drop_caches``): the figures are then a cold disk's, as a library's first
ingest meets it; elsewhere they time the hashing of cached files and say so. ``rchar`` is the
bytes the process asked the kernel for, ``read_bytes`` the bytes that came from the disk.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def _io() -> dict[str, int]:
    try:
        lines = Path("/proc/self/io").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v) for k, v in (line.split(": ") for line in lines)}


def _drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
        return True
    except OSError:
        return False


def _distinct_copies(src: Path, folder: Path, n: int) -> list[Path]:
    """``n`` copies of ``src``, each with a few audio bytes changed: no two share a page."""
    folder.mkdir(parents=True)
    data = bytearray(src.read_bytes())
    out = []
    for i in range(n):
        step = max(len(data) // 64, 1)
        for at in range(len(data) // 2, len(data) - 4, step):
            data[at : at + 4] = i.to_bytes(4, "little")
        path = folder / f"t{i:05d}.mp3"
        path.write_bytes(bytes(data))
        out.append(path)
    return out


def _timed(label: str, work, cold: bool) -> None:
    dropped = _drop_caches() if cold else False
    before, t0 = _io(), time.perf_counter()
    work()
    wall, after = time.perf_counter() - t0, _io()
    moved = {k: (after.get(k, 0) - before.get(k, 0)) / 2**20 for k in ("rchar", "read_bytes")}
    cache = "cold page cache" if dropped else "files in the page cache"
    print(f"  {label}: {wall:.2f} s, rchar {moved['rchar']:.0f} MiB, read_bytes {moved['read_bytes']:.0f} MiB ({cache})",
          flush=True)


def main(argv: list[str] | None = None) -> int:
    from bench_ingest import _write_mp3

    from ingest.sync import audio_keys, file_digests, sound_keys

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tracks", type=int, default=96)
    ap.add_argument("--seconds", type=float, default=180.0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--warm", action="store_true", help="leave the page cache alone (time the hashing only)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="recsys-bench-first-read-", dir=os.environ.get("BENCH_DIR")) as tmp:
        src = Path(tmp) / "src.mp3"
        _write_mp3((src, 0, args.seconds))
        paths = _distinct_copies(src, Path(tmp) / "audio", args.tracks)
        size = sum(p.stat().st_size for p in paths) / 2**20
        print(f"{len(paths)} files, {size:.0f} MiB, {os.cpu_count()} CPUs")
        for r in range(args.rounds):
            print(f"round {r + 1}")
            _timed("two reads (sound_keys, then file_digests)",
                   lambda: (sound_keys(paths), file_digests(paths)), not args.warm)
            _timed("one read (audio_keys)", lambda: audio_keys(paths), not args.warm)
        shutil.rmtree(Path(tmp) / "audio")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
