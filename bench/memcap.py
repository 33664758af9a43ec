"""A hard memory limit for one benchmarked command: a fresh memory cgroup (v1 or v2) that the
command's process joins before it runs, its children with it.

Why a cgroup and not RSS alone: RSS counts the resident pages of files a process maps. Qdrant
Edge maps its segment files, so an ingest's RSS grows with the page cache of its store (13.9 GB
of a 17.4 GB peak at a million tracks) on a machine where nothing else wants that memory; the
kernel drops those pages, writing back the dirty ones, as soon as something does. A cgroup
limit charges both the process's own memory and every page of file cache it brings in, and
reclaims the cache at the limit: a command that completes under ``--memory-limit 6G`` runs in
6 GB, whatever its RSS would grow to unlimited (compare its time with an unlimited run: the
1M ingest took 669 s under 6 GB against 577 s without, the cache read back more often).
A process whose own memory does not fit is killed by the kernel (exit -9).

Needs root (or a delegated cgroup) and the memory controller; on a machine with systemd,
``systemd-run --scope -p MemoryMax=6G CMD`` is the same thing from the outside.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def parse_size(text: str) -> int:
    """'6G', '6GB', '5500M', '6e9' or a byte count -> bytes (K, M, G are powers of 1000:
    a limit of 6G is 6,000,000,000 bytes, stricter than 6 GiB)."""
    m = re.fullmatch(r"\s*([0-9.eE+]+)\s*([kKmMgG]?)[bB]?\s*", text)
    if not m:
        raise ValueError(f"not a size: {text!r} (try 6G or 5500M)")
    scale = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]
    return int(float(m.group(1)) * scale)


class MemoryCap:
    """``with MemoryCap(limit) as cap: Popen(..., preexec_fn=cap.join)``; then ``cap.peak``
    (bytes charged at most: own memory and page cache) and ``cap.limited`` (times the limit
    was reached: reclaim ran at least that often)."""

    def __init__(self, limit: int, name: str | None = None) -> None:
        self.limit = int(limit)
        self.name = name or f"recsys-bench-{os.getpid()}"
        self.v1 = (CGROUP_ROOT / "memory").is_dir()
        self.path = self._parent() / self.name
        self.peak = 0
        self.limited = 0

    def _parent(self) -> Path:
        # the cgroup this process is in: the child is made under it, so a container's limits
        # and delegation still apply (v1: the "memory" hierarchy's line, v2: the "0::" line)
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, rel = line.split(":", 2)
            if (self.v1 and "memory" in controllers.split(",")) or (not self.v1 and controllers == ""):
                base = CGROUP_ROOT / "memory" if self.v1 else CGROUP_ROOT
                return base / rel.lstrip("/")
        raise RuntimeError("no memory cgroup for this process in /proc/self/cgroup")

    def __enter__(self) -> "MemoryCap":
        try:
            self.path.mkdir(exist_ok=True)
            limit_file = "memory.limit_in_bytes" if self.v1 else "memory.max"
            (self.path / limit_file).write_text(str(self.limit))
            if not self.v1:  # no swap either, as on this machine: the limit is on memory
                try:
                    (self.path / "memory.swap.max").write_text("0")
                except OSError:
                    pass
        except OSError as exc:
            raise SystemExit(
                f"cannot make a memory cgroup at {self.path} ({exc}): run as root with the memory "
                "controller enabled, or run the whole benchmark under "
                "`systemd-run --scope -p MemoryMax=...` without --memory-limit"
            ) from None
        return self

    def join(self) -> None:
        """Put the calling process in the cgroup (a ``preexec_fn``: the child, before exec)."""
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def read(self) -> None:
        if self.v1:
            self.peak = int((self.path / "memory.max_usage_in_bytes").read_text())
            self.limited = int((self.path / "memory.failcnt").read_text())
        else:
            peak = self.path / "memory.peak"  # Linux 5.19+
            self.peak = int(peak.read_text()) if peak.exists() else 0
            events = dict(
                line.split() for line in (self.path / "memory.events").read_text().splitlines() if line.strip()
            )
            self.limited = int(events.get("max", 0))

    def __exit__(self, *exc) -> None:
        try:
            self.read()
        finally:
            try:
                self.path.rmdir()  # its page cache is charged to the parent from now on
            except OSError:
                pass
