"""Pick the torch device: cuda, then mps, then cpu, unless the user names one."""

from __future__ import annotations

import os


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
