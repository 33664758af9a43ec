"""How a process's memory splits over a run: a thread that reads ``/proc/self/status`` every
``interval`` seconds and keeps RssAnon (the process's own memory: heaps, arenas, anonymous
mmaps), RssFile (pages of mapped files: the shared libraries, Qdrant Edge's segment files,
which are page cache the kernel can drop) and VmHWM (the peak RSS ``/usr/bin/time`` reports).

Why not ``/usr/bin/time`` alone: its maximum RSS is RssAnon + RssFile + RssShmem at their
sum's peak, so a store whose files grow shows as memory the ingest needs although the kernel
reclaims those pages as soon as anything else wants them (see memcap.py). Linux only; elsewhere
it records nothing.

    with RssTimeline() as rss:
        run()
    print(rss.report())
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

STATUS = Path("/proc/self/status")
FIELDS = ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM")


def read_status(path: Path = STATUS) -> dict[str, int]:
    """The fields of FIELDS in bytes ({} where /proc is not there)."""
    try:
        text = path.read_text()
    except OSError:
        return {}
    out = {}
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in FIELDS:
            out[key] = int(rest.split()[0]) * 1024  # "kB"
    return out


class RssTimeline:
    """Samples of (seconds since start, fields) taken by a daemon thread."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.samples: list[tuple[float, dict[str, int]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-timeline", daemon=True)
        self._t0 = 0.0

    def __enter__(self) -> "RssTimeline":
        self._t0 = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.perf_counter() - self._t0, read_status()))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter() - self._t0, read_status()))
            self._stop.wait(self.interval)

    def peak(self, field: str) -> int:
        return max((s.get(field, 0) for _, s in self.samples), default=0)

    def report(self, rows: int = 12) -> str:
        """Peaks of each field, then the run cut in ``rows`` equal spans of time, each with its
        lowest and highest RssAnon (the floor is what the heap keeps; the spikes are a chunk's
        transient buffers) and its last RssFile (MB)."""
        if not self.samples or not self.samples[0][1]:
            return "rss timeline: /proc/self/status not readable here"
        mb = 1 / 1e6
        lines = ["rss timeline (MB): peak " + ", ".join(
            f"{f} {self.peak(f) * mb:.0f}" for f in ("RssAnon", "RssFile", "VmRSS", "VmHWM"))]
        end = self.samples[-1][0] or 1.0
        for k in range(rows):
            span = [s for t, s in self.samples if k * end / rows <= t < (k + 1) * end / rows or (k == rows - 1 and t == end)]
            if not span:
                continue
            anon = [s.get("RssAnon", 0) * mb for s in span]
            lines.append(f"  {k * end / rows:7.1f}-{(k + 1) * end / rows:7.1f} s  anon {min(anon):6.0f}-{max(anon):6.0f}"
                         f"  file {span[-1].get('RssFile', 0) * mb:6.0f}")
        return "\n".join(lines)
