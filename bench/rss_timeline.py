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

or around a command (a CLI ingest), its process sampled from outside; then the mapped files
that held the most resident pages when RssFile was at its highest are listed too:

    .venv/bin/python bench/rss_timeline.py -- recsys ingest ~/Music
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
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


def mapped_files(pid: int | str = "self", top: int = 6) -> list[tuple[str, int]]:
    """The ``top`` mapped files with the most resident bytes (/proc/PID/smaps), largest first."""
    try:
        text = Path(f"/proc/{pid}/smaps").read_text()
    except OSError:
        return []
    rss: Counter[str] = Counter()
    name = ""
    for line in text.splitlines():
        head = line.split(None, 5)
        if "-" in head[0] and len(head) >= 5:  # a mapping's first line: range perms offset dev inode [path]
            name = head[5] if len(head) == 6 and head[5].startswith("/") else ""
        elif head[0] == "Rss:" and name:
            rss[name] += int(head[1]) * 1024
    return rss.most_common(top)


class RssTimeline:
    """Samples of (seconds since start, fields) taken by a daemon thread, of this process or of
    ``pid``; with ``files_every`` seconds, also which mapped files held RssFile at its highest."""

    def __init__(self, interval: float = 0.25, pid: int | None = None, files_every: float | None = None) -> None:
        self.interval = interval
        self.status = STATUS if pid is None else Path(f"/proc/{pid}/status")
        self.pid = "self" if pid is None else pid
        self.files_every = files_every
        self.files: tuple[int, list[tuple[str, int]]] = (0, [])
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
        last = read_status(self.status)
        if last:  # a command sampled from outside has gone by now
            self.samples.append((time.perf_counter() - self._t0, last))

    def _run(self) -> None:
        next_files = 0.0
        while not self._stop.is_set():
            now = time.perf_counter() - self._t0
            sample = read_status(self.status)
            if sample:
                self.samples.append((now, sample))
            if self.files_every is not None and now >= next_files and sample.get("RssFile", 0) >= self.files[0]:
                self.files = (sample.get("RssFile", 0), mapped_files(self.pid))
                next_files = now + self.files_every
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
        if self.files[1]:
            lines.append(f"  mapped files at RssFile {self.files[0] * mb:.0f} MB: " + ", ".join(
                f"{Path(name).name} {size * mb:.0f}" for name, size in self.files[1]))
        return "\n".join(lines)


def main(argv: list[str]) -> int:
    """``rss_timeline.py [--] CMD...``: run CMD, sample it, print the report; CMD's exit status."""
    cmd = argv[1:] if argv[:1] == ["--"] else argv
    if not cmd:
        print(__doc__)
        return 2
    proc = subprocess.Popen(cmd)
    with RssTimeline(pid=proc.pid, files_every=10.0) as rss:
        code = proc.wait()
    print(rss.report(), file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
