"""Pick the torch device: cuda, then mps, then cpu, unless the user names one; how many
CPUs this process may use; tracks per encode batch on each device."""

from __future__ import annotations

import math
import os
from pathlib import Path


def pick_device(requested: str | None = None) -> str:
    requested = requested or os.environ.get("RECSYS_DEVICE") or "auto"
    if requested != "auto":
        return requested
    import torch

    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


#: Tracks per encode batch on a CPU (and on mps, whose memory the rest of the machine shares):
#: a larger batch only holds more decoded inputs in memory.
CPU_BATCH_SIZE = 32
#: (GiB of GPU memory at least, tracks per batch) on cuda, largest first. 128 is what the H200
#: figures were measured with (docs/encoders.md). CLAP turns a 30 s clip into 3 windows, so 128
#: tracks are 384 windows in one forward pass: smaller cards get 64, a margin (none was lent).
CUDA_BATCH_SIZES = ((20, 128), (8, 64))


def default_batch_size(device: str) -> int:
    """Tracks per encode batch when none is asked for: ``CPU_BATCH_SIZE`` off cuda; on cuda by
    the card's memory (``CUDA_BATCH_SIZES``), ``CPU_BATCH_SIZE`` on a card smaller than those."""
    if not str(device).startswith("cuda"):
        return CPU_BATCH_SIZE
    import torch

    index = torch.device(device).index
    total = torch.cuda.get_device_properties(torch.cuda.current_device() if index is None else index).total_memory
    for gib, size in CUDA_BATCH_SIZES:
        if total >= gib * 1024**3:
            return size
    return CPU_BATCH_SIZE


#: Where a container's CPU limit is written (cgroup v2, then v1): (quota file, period file);
#: in v2 one file holds both.
CGROUP_CPU_FILES = (
    (Path("/sys/fs/cgroup/cpu.max"), None),
    (Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")),
    (Path("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"), Path("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us")),
)


def _cgroup_cpu_limit() -> float | None:
    """The CPUs a container's quota allows (``docker run --cpus 2``: 2.0), or None without one.
    Affinity does not show a quota: a 2-CPU container on a 64-core host sees 64 cores."""
    for quota_file, period_file in CGROUP_CPU_FILES:
        try:
            if period_file is None:
                quota, period = quota_file.read_text().split()[:2]
            else:
                quota, period = quota_file.read_text().strip(), period_file.read_text().strip()
        except (OSError, ValueError):
            continue
        if quota in ("max", "-1") or not quota.lstrip("-").isdigit() or not period.isdigit():
            return None
        if int(quota) > 0 and int(period) > 0:
            return int(quota) / int(period)
        return None
    return None


def available_cpus() -> int:
    """CPUs this process may use: its affinity (taskset, cpusets), and a container's CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    limit = _cgroup_cpu_limit()
    if limit is not None:
        cpus = min(cpus, max(1, math.ceil(limit)))
    return cpus


#: What torch says when a device's memory ran out: its ``OutOfMemoryError`` (cuda), mps's
#: RuntimeError, and the libraries that allocate their workspace themselves on first use (a
#: lane thread's first cuBLAS or cuDNN call, with another lane holding the memory).
_OUT_OF_MEMORY = ("out of memory", "alloc_failed", "cudnn_status_not_initialized")


def out_of_device_memory(exc: BaseException) -> bool:
    """A device that ran out of memory, told apart without importing torch."""
    text = str(exc).lower()
    return type(exc).__name__ == "OutOfMemoryError" or any(k in text for k in _OUT_OF_MEMORY)


def device_failure(exc: BaseException) -> bool:
    """A failure of the device (its memory, a CUDA, cuDNN, cuBLAS or MPS error), not of the
    code or the files that were asked of it."""
    if out_of_device_memory(exc) or type(exc).__name__ == "AcceleratorError":
        return True
    text = str(exc)
    return isinstance(exc, RuntimeError) and any(k in text for k in ("CUDA", "cuDNN", "CUBLAS", "MPS backend"))
