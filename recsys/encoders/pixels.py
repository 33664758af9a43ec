"""Image preprocessing on the model's device: the host only turns a PIL image into its uint8
pixels; resizing, cropping, scaling and normalising run where the model runs.

On a GPU the host-side resize was the bottleneck (issue 11: CLIP ViT-B/32 fp16 617 images/s,
DINOv2 472, against 2,000 and 1,500, with the GPU mostly idle): a 1,024-pixel cover resized
to 224 with an antialiased bicubic filter costs milliseconds of CPU, the same on a GPU a few
microseconds. The steps are rebuilt from the encoder's own PIL pipeline (torchvision v1 or v2,
as open_clip and our encoders write them) as torchvision v2 transforms on tensors, so the
model sees the same preprocessing; a pipeline with a step not listed here stays on the host.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any, Sequence


def device_preprocessing_enabled() -> bool:
    """``RECSYS_DEVICE_PREPROCESS=0`` keeps all preprocessing on the host (to compare)."""
    return os.environ.get("RECSYS_DEVICE_PREPROCESS", "1").strip().lower() not in ("0", "false", "no", "off")


def tensor_steps(transform: Any) -> Any | None:
    """The steps of a PIL image pipeline after its conversion to a tensor, as a v2 ``Compose``
    that takes a uint8 (3, H, W) or (n, 3, H, W) tensor on any device; None when a step is
    not one of: Resize, CenterCrop, PILToTensor, ToTensor (open_clip's MaybeToTensor),
    ToImage, ToDtype, Normalize, or an RGB conversion (the images given are RGB already)."""
    import torch
    from torchvision import transforms as v1
    from torchvision.transforms import v2

    steps: list[Any] = []
    scaled = False
    for t in getattr(transform, "transforms", None) or []:
        if isinstance(t, (v1.PILToTensor, v2.PILToTensor, v2.ToImage)):
            continue
        name = type(t).__name__
        if isinstance(t, v1.ToTensor) or name == "MaybeToTensor":  # PIL -> float in [0, 1]
            steps.append(v2.ToDtype(torch.float32, scale=True))
            scaled = True
        elif isinstance(t, (v1.Resize, v2.Resize)):
            if getattr(t, "max_size", None) is not None:
                return None
            steps.append(ByteResize(t.size, t.interpolation))
        elif isinstance(t, (v1.CenterCrop, v2.CenterCrop)):
            steps.append(v2.CenterCrop(t.size))
        elif isinstance(t, v2.ToDtype):
            steps.append(t)
            scaled = True
        elif isinstance(t, (v1.Normalize, v2.Normalize)):
            if not scaled:
                return None
            steps.append(v2.Normalize(list(t.mean), list(t.std)))
        elif getattr(t, "__name__", "") in ("_convert_to_rgb", "convert_to_rgb") or (
            name == "MaybeConvertMode" and getattr(t, "mode", None) == "RGB"
        ):
            continue  # open_clip's RGB conversions: the images given are RGB already
        else:
            return None
    if not steps or not scaled:
        return None
    return v2.Compose(steps)


def resized_size(height: int, width: int, size: int | Sequence[int]) -> tuple[int, int]:
    """The (height, width) torchvision's Resize gives: one number is the shorter side (the
    longer one scaled and truncated), two are (height, width)."""
    sizes = [size] if isinstance(size, int) else list(size)
    if len(sizes) == 2:
        return sizes[0], sizes[1]
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = sizes[0], int(sizes[0] * long / short)
    return (new_long, new_short) if width <= height else (new_short, new_long)


class ByteResize:
    """An antialiased resize of uint8 images that gives, on every device, the pixels the
    host's resize gives: within a grey level or two of Pillow's and of torch's CPU uint8
    kernel, which both resize the width, round and clip to uint8, then resize the height.

    torchvision's tensor Resize takes that uint8 kernel on the CPU only. On a GPU it resizes
    in float in one pass and clips once at the end, so the bicubic filter's overshoot at sharp
    edges (clipped after the first pass on the host) carries into the second: up to 20 grey
    levels apart from the host on noise covers (mean 0.27), where these two passes are 2 apart
    (mean 0.02). The same two passes run on the CPU in tests, so what they check is what a GPU
    runs. Other interpolations, and float images, go through torchvision's Resize as they are.
    """

    def __init__(self, size: int | Sequence[int], interpolation: Any) -> None:
        from torchvision.transforms import InterpolationMode
        from torchvision.transforms.v2 import Resize

        self.size = size
        self.mode = {InterpolationMode.BICUBIC: "bicubic", InterpolationMode.BILINEAR: "bilinear"}.get(
            InterpolationMode(interpolation) if isinstance(interpolation, str) else interpolation
        )
        self.plain = Resize(size, interpolation=interpolation, antialias=True)

    def __call__(self, images: Any) -> Any:
        import torch
        from torch.nn.functional import interpolate

        if self.mode is None or images.dtype != torch.uint8:
            return self.plain(images)
        height, width = images.shape[-2:]
        new_height, new_width = resized_size(height, width, self.size)
        out = images.float()
        for target in ((height, new_width), (new_height, new_width)):
            if tuple(out.shape[-2:]) != target:
                out = interpolate(out, size=target, mode=self.mode, antialias=True, align_corners=False)
                out = out.clamp_(0, 255).round_()
        return out.to(torch.uint8)


#: Modes whose raw bytes are one uint8 per band and pixel, laid out as (H, W, bands).
_BYTE_MODES = {"RGB": 3, "RGBA": 4, "L": 1}


def _raw_bytes(image: Any, rawmode: str | None = None) -> bytes | None:
    """The image's pixels in one piece from Pillow's raw encoder (read-only bytes), or None
    where that route does not apply (another mode, an empty image, a Pillow whose internals
    differ). ``rawmode`` "RGBX" gives an RGB image's pixels padded to four bytes, as
    ``host_groups`` rows hold them."""
    from PIL import Image

    padded = rawmode == "RGBX" and image.mode == "RGB"
    bands = ROW_BANDS if padded else _BYTE_MODES.get(image.mode)
    size = image.width * image.height * (bands or 0)
    if not size:
        return None
    try:
        image.load()
        encoder = Image._getencoder(image.mode, "raw", "RGBX" if padded else image.mode)
        try:
            encoder.setimage(image.im, (0, 0, *image.size))
            _, status, data = encoder.encode(size + 64)  # one call for the whole image
        finally:
            encoder.cleanup()
    except Exception:  # Pillow internals changed: its public route below still works
        return None
    return data if status > 0 and len(data) == size else None


def _raw_pixels(image: Any) -> bytearray | None:
    """``_raw_bytes`` as a writable copy, made under the GIL (a memcpy; numpy's copy would let
    the GIL go)."""
    data = _raw_bytes(image)
    return None if data is None else bytearray(data)


def host_pixels(image: Any) -> Any:
    """A PIL image (RGB, RGBA or L) as its uint8 (bands, H, W) tensor: all the host does per
    image when the device resizes.

    Pillow's public route (``tobytes``, which ``pil_to_tensor`` takes) hands the pixels over in
    64 KB pieces, giving the GIL up and taking it back for each: 17 times for a 600x600 cover.
    Each taking can wait a whole switch interval (5 ms) while another thread runs Python, as the
    thread that drives the GPU does. Asked for the whole image at once, Pillow's raw encoder
    gives the same bytes with one release: with a thread busy in Python, two threads unpack
    2,170 covers/s instead of 86 (2 cores, ``bench/bench_host_pixels.py``, docs/benchmarks.md)."""
    import numpy as np
    import torch

    data = _raw_pixels(image)
    if data is None:
        from torchvision.transforms.v2 import functional as F

        return F.pil_to_tensor(image)
    hwc = np.frombuffer(data, dtype=np.uint8).reshape(image.height, image.width, _BYTE_MODES[image.mode])
    return torch.from_numpy(hwc).permute(2, 0, 1)


#: A batch's pixels on the host: for each image size, the indices of its images and one uint8
#: (n, H, W, 4) tensor holding their pixels, row by row, as RGBX (the fourth byte is padding:
#: Pillow keeps an RGB image's pixels in four bytes, and a row copied as it is in memory is one
#: memcpy without the GIL; the device drops the padding).
HostGroups = list[tuple[list[int], Any]]

#: Bytes per pixel of a row in ``HostGroups``.
ROW_BANDS = 4


class _ArrowArray(ctypes.Structure):
    """The Arrow C data interface's ``struct ArrowArray`` (a stable ABI, arrow.apache.org's
    "C Data Interface"), as Pillow exports an image (``Image.__arrow_c_array__``, Pillow 11.2)."""


_ArrowArray._fields_ = [
    ("length", ctypes.c_int64), ("null_count", ctypes.c_int64), ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64), ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)), ("children", ctypes.POINTER(ctypes.POINTER(_ArrowArray))),
    ("dictionary", ctypes.c_void_p), ("release", ctypes.c_void_p), ("private_data", ctypes.c_void_p),
]

def _capsule_function() -> Any:
    """CPython's ``PyCapsule_GetPointer`` (None on an interpreter without ``ctypes.pythonapi``:
    the packing route then serves)."""
    api = getattr(ctypes, "pythonapi", None)
    if api is None:
        return None
    function = api.PyCapsule_GetPointer
    function.restype = ctypes.c_void_p
    function.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return function


_capsule_pointer = _capsule_function()


def _rows_unpadded() -> bool:
    """Whether Pillow lays an image's rows end to end (its line alignment 1, the default):
    with ``PILLOW_ALIGNMENT`` above 1 rows are padded, and a Pillow before 13 exports them
    without checking, so the view would skew every row after the first."""
    from PIL import Image

    alignment = getattr(Image.core, "get_alignment", None)
    try:
        return alignment is None or int(alignment()) == 1
    except Exception:
        return False


def rgbx_view(image: Any) -> tuple[Any, Any] | None:
    """An RGB image's pixels as Pillow holds them, (H, W, 4) uint8 RGBX, without a copy: the
    Arrow export's buffer, and the capsule that keeps it alive (hold it while reading the
    view). None where that does not apply: another mode, a Pillow before 11.2, an image larger
    than one of Pillow's memory blocks (16 MB: over 2,048 pixels square; ``media.load_image``
    shrinks covers to 1,024), or an export of another layout.

    Every other route packs the pixels to three bytes in a fresh buffer under the GIL (the raw
    encoder, ``tobytes``): about 1,500 covers of 500x500 a second however many threads ask,
    which capped CLIP ViT-B/32 on an H200 at 1,700-1,800 images/s (issue 11's target 2,000)
    with the GPU busy a quarter of the time. Copying this view into a row lets the GIL go:
    4,303 covers/s on one thread here, 5,835 on two (2 cores, memory-bound: bench/bench_pixel_rows.py)."""
    import numpy as np

    if _capsule_pointer is None or image.mode != "RGB" or not hasattr(image, "__arrow_c_array__"):
        return None
    if not _rows_unpadded():
        return None
    if not image.width or not image.height:
        return None
    try:
        schema, array = image.__arrow_c_array__()
        del schema
        top = _ArrowArray.from_address(_capsule_pointer(array, b"arrow_array"))
        if top.n_children != 1 or top.length != image.width * image.height or top.offset:
            return None
        child = top.children[0].contents
        size = image.width * image.height * ROW_BANDS
        if child.n_buffers != 2 or child.length != size or child.offset or not child.buffers[1]:
            return None
        data = (ctypes.c_uint8 * size).from_address(child.buffers[1])
        return array, np.frombuffer(data, dtype=np.uint8).reshape(image.height, image.width, ROW_BANDS)
    except Exception:  # rows not in one block (ValueError), or Pillow's export changed
        return None


def host_groups(images: Sequence[Any], pool: Any, pin: bool) -> HostGroups:
    """RGB images' uint8 pixels, grouped by size, each group in one (n, H, W, 4) RGBX tensor,
    all of them views of one allocation (pinned when ``pin``: the copy to a GPU then runs
    without blocking). ``pool``'s threads copy each image into its row, once; the device drops
    the padding byte and turns the rows to channels first.

    Stacking each image's (3, H, W) tensor instead, in the thread that drives the GPU, gathered
    a strided copy of the whole batch there, and pinning copied it again, while the GPU waited:
    batches of 600x600 covers went at 1,040-1,151 covers/s on 2 threads without the pinning,
    against 2,077-2,157 in rows (``bench/bench_host_pixels.py``, docs/benchmarks.md)."""
    import numpy as np
    import torch

    groups: dict[tuple[int, int], list[int]] = {}
    for i, image in enumerate(images):
        groups.setdefault((image.height, image.width), []).append(i)
    out: HostGroups = []
    rows: list[tuple[np.ndarray, Any]] = []  # (its row, the image), over all groups
    # one allocation for the batch, carved into its groups: pinned memory is costly to
    # allocate, and torch's pinned cache, which keeps what it gave out, rounds each request up
    # to a power of two and serves a request only from its own size: a block per group would
    # leave one cached block for each size of a library's covers
    sizes = [len(idx) * height * width * ROW_BANDS for (height, width), idx in groups.items()]
    flat = torch.empty(sum(sizes), dtype=torch.uint8, pin_memory=pin)
    start = 0
    for ((height, width), idx), size in zip(groups.items(), sizes):
        buf = flat[start : start + size].view(len(idx), height, width, ROW_BANDS)
        start += size
        out.append((idx, buf))
        rows += [(row, images[i]) for row, i in zip(buf.numpy(), idx)]

    def fill(job: tuple[np.ndarray, Any]) -> None:
        row, image = job
        view = rgbx_view(image)
        if view is not None:
            row[...] = view[1]  # numpy's copy lets the GIL go: the threads copy side by side
            return
        # the routes that pack the pixels into fresh bytes under the GIL: the raw encoder's, as
        # RGBX (one contiguous copy into the row), else Pillow's public one (a strided write)
        data = _raw_bytes(image, "RGBX") if image.mode == "RGB" else None
        if data is not None:
            row[...] = np.frombuffer(data, dtype=np.uint8).reshape(row.shape)
        else:
            row[..., :3] = host_pixels(image).permute(1, 2, 0).numpy()

    # every row at once, whatever its group: a batch of covers of as many sizes is as many
    # groups of one, which one map per group would copy one after another
    list(pool.map(fill, rows))
    return out


def on_device(groups: HostGroups, steps: Any, device: str, dtype: Any = None) -> Any:
    """(n, 3, S, S) model input from ``host_groups``: each group moved to ``device`` (without
    blocking from pinned memory), its padding byte dropped and channels put first there, and
    through ``steps``, images of one size in one call; in the images' own order."""
    import torch

    def prepared(buf: Any) -> Any:
        batch = buf.to(device, non_blocking=True)[..., :3].permute(0, 3, 1, 2).contiguous()
        return steps(batch)

    if len(groups) == 1:  # covers of one size (as a bench's): no per-image gather
        stacked = prepared(groups[0][1])
    else:
        out: list[Any] = [None] * sum(len(idx) for idx, _ in groups)
        for idx, buf in groups:
            done = prepared(buf)
            for k, i in enumerate(idx):
                out[i] = done[k]
        stacked = torch.stack(out)
    return stacked if dtype is None else stacked.to(dtype)
