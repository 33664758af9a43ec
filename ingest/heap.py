"""Keep glibc's malloc from keeping an ingest's transient buffers: fix its mmap threshold.

Why: glibc gives a block of ``M_MMAP_THRESHOLD`` bytes or more (128 KiB at start) a mapping of
its own, handed back to the kernel when it is freed. But the threshold is dynamic: whenever
such a block is freed, glibc raises the threshold to that block's size (up to 32 MiB on 64-bit)
and the trim threshold to twice that. A first ingest frees large blocks all the time (a decoded
cover, an audio clip, a model's activations, a chunk's arrays), so after the first few, every
buffer up to 32 MiB comes from the heaps instead: the main one and one arena per thread (the
reader, the writer, the decode and encode threads, torch's). Freed there, they leave holes that
the next chunk's buffers, of other sizes, only partly fill, and only a heap's top is ever given
back: the process's own memory (RssAnon) kept growing, about 45 KB a track (1.36 GB between
chunks at 2,400 tracks, against 0.64 GB with this; docs/benchmarks.md, "A first ingest's memory
by catalog size").

Setting the thresholds with ``mallopt`` turns the dynamic adjustment off: large buffers keep
their own mappings and go back to the kernel when freed, and a heap's free top is trimmed past
``TRIM_THRESHOLD``. The price is a page fault per page of each large buffer (the kernel zeroes
them), and it is high: a first ingest of 1,200 tracks on 2 cores went from 12.0-12.2 to
8.5-8.6 tracks/s (system time 35-41 s -> 99 s) for a peak RSS of 1.75 GB against 2.30 GB;
``GLIBC_TUNABLES=glibc.malloc.hugetlb=1`` in the environment (huge pages for the mapped
buffers; glibc reads it only at a process's start) brings it to 10.9 tracks/s. And the growth
it stops levels off: at 50,000 tracks the process's own memory peaked at 1.37 GB without it,
1.07 GB with it. So it is **off by default** (speed is what a first ingest of a library is
waited on for) and ``RECSYS_MALLOC_FIXED=1`` (or ``true``, ``yes``, ``on``) turns it on, for a
machine short of memory. This is process-wide and only glibc has it (Linux with glibc: nothing
is done under musl, macOS or Windows). A user who set ``MALLOC_MMAP_THRESHOLD_`` or its glibc
tunable keeps their setting (their trim threshold too).
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading

#: mallopt's parameter numbers (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

#: glibc's own starting values (DEFAULT_MMAP_THRESHOLD_MIN, DEFAULT_TRIM_THRESHOLD), kept fixed
MMAP_THRESHOLD = 128 * 1024
TRIM_THRESHOLD = 128 * 1024

FIXED_ENV = "RECSYS_MALLOC_FIXED"

_lock = threading.Lock()
_applied: bool | None = None


def _left_alone() -> bool:
    """Whether glibc's dynamic threshold stays: unless ``RECSYS_MALLOC_FIXED`` asks for the
    fixed one, and always where the user chose a threshold themselves."""
    return (
        "MALLOC_MMAP_THRESHOLD_" in os.environ
        or "glibc.malloc.mmap_threshold" in os.environ.get("GLIBC_TUNABLES", "")
        or os.environ.get(FIXED_ENV, "").strip().lower() not in ("1", "true", "yes", "on")
    )


def _trim_chosen() -> bool:
    """Whether the user chose a trim threshold (kept: the mmap threshold alone is set then)."""
    return "MALLOC_TRIM_THRESHOLD_" in os.environ or "glibc.malloc.trim_threshold" in os.environ.get("GLIBC_TUNABLES", "")


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018 -- glibc's own symbol: musl has mallopt but not this
        return libc
    except (OSError, AttributeError):
        return None


def fix_mmap_threshold() -> bool:
    """Fix glibc's mmap and trim thresholds for this process where ``RECSYS_MALLOC_FIXED=1``
    asks for it (once; later calls return the first's answer). True when they are in force,
    False where it was not asked for, there is no glibc or the user chose a threshold."""
    global _applied
    with _lock:
        if _applied is None:
            libc = None if _left_alone() else _glibc()
            _applied = bool(
                libc is not None
                and libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                and (_trim_chosen() or libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
            )
        return _applied
