"""What decoding covers holds in memory, for ``recsys.encoders.media``'s image loaders: a byte
budget shared by the decoding threads (``decode_budget``), the heap given back to the OS after
a large image (``release_memory``), and the pixel helpers of the resize (``pixel_bytes``,
``fitted``, ``as_8bit``). Moved out of ``media`` as it was; same behaviour."""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator

import numpy as np
from PIL import Image

#: Bytes of full-size pixels that image decoders may hold at once, over all threads of
#: ``decode_many``: a decode that would pass it waits until others have shrunk their images
#: (one alone always runs), so four 8000x8000 PNGs never sit in memory together.
DECODE_BUDGET_BYTES = 512 * 2**20


class Budget:
    """A counting limit in bytes shared by the decoding threads."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def hold(self, amount: int) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: self.used == 0 or self.used + amount <= self.capacity)
            self.used += amount
        try:
            yield
        finally:
            with self._cond:
                self.used -= amount
                self._cond.notify_all()


decode_budget = Budget(DECODE_BUDGET_BYTES)
#: A decode that held this many bytes gives its freed memory back to the OS at once.
TRIM_AT = 64 * 2**20
_malloc_trim: Any = None


def release_memory() -> None:
    """Return freed heap memory to the OS (glibc's ``malloc_trim``; elsewhere nothing). glibc
    keeps what a thread freed in that thread's arena: after Pillow freed a big image, each
    decoding thread kept up to its size, and four threads held ~900 MB with no image alive."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


def pixel_bytes(mode: str) -> int:
    """Bytes per pixel in Pillow's memory (3-band images are stored in 4 bytes)."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def fitted(size: tuple[int, int], side: int) -> tuple[int, int]:
    w, h = size
    scale = side / max(w, h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def as_8bit(img: Image.Image) -> Image.Image:
    """16-bit and 32-bit grey (PNG I;16, TIFF I/F) as 8-bit L, scaled, not clipped to white."""
    a = np.asarray(img)
    if img.mode == "F":
        a = np.nan_to_num(a.astype(np.float32))
        a = a * 255.0 if a.size and a.max() <= 2.0 else a  # 0..1 (Lanczos may overshoot a little)
    elif img.mode.startswith("I;16") or (a.size and a.max() > 255):
        a = a.astype(np.float64) / 257.0
    return Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "L")

