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
