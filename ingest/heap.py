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
them): 8-35% more CPU, mostly system time, in the benchmarks, which
``GLIBC_TUNABLES=glibc.malloc.hugetlb=1`` in the environment takes back (huge pages for the
mapped buffers; glibc reads it only at a process's start). This is process-wide and only glibc
has it (Linux with glibc: nothing is done under musl, macOS or Windows). A user who set
``MALLOC_MMAP_THRESHOLD_`` or its glibc tunable keeps their setting (their trim threshold too);
``RECSYS_MALLOC_FIXED=0`` (or ``false``, ``no``, ``off``) leaves glibc's dynamic threshold as
it is (the memory grows again; the benchmarks' "before").
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
    """Whether the user chose a threshold themselves, or asked for glibc's dynamic one."""
    return (
        "MALLOC_MMAP_THRESHOLD_" in os.environ
        or "glibc.malloc.mmap_threshold" in os.environ.get("GLIBC_TUNABLES", "")
        or os.environ.get(FIXED_ENV, "").strip().lower() in ("0", "false", "no", "off")
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
    """Fix glibc's mmap and trim thresholds for this process (once; later calls return the
    first's answer). True when they are in force, False where there is no glibc, the user
    chose a threshold or turned this off."""
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
