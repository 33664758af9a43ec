"""Image preprocessing on the model's device (recsys.encoders.pixels): the steps rebuilt from
each encoder's own PIL pipeline must give the model the pixels the host pipeline gives. Run
here on the CPU (the same torch code a GPU runs); tests/test_gpu.py repeats the comparison on
cuda."""

from __future__ import annotations

import importlib.util
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from PIL import Image

from recsys.encoders.pixels import host_groups, host_pixels, on_device, tensor_steps
from tests.support.pixels import device_batch, grey_levels, host_batch

needs_open_clip = pytest.mark.skipif(importlib.util.find_spec("open_clip") is None, reason="open_clip_torch not installed")


def covers() -> list[Image.Image]:
    """Covers of several sizes and shapes (two alike, so one group holds two images), a
    grey one and a palette one."""
    rng = np.random.default_rng(0)
    out = [Image.fromarray(rng.integers(0, 255, shape, dtype=np.uint8)) for shape in
           ((300, 300, 3), (300, 300, 3), (181, 240, 3), (640, 512, 3), (90, 100, 3))]
    return out + [Image.new("L", (64, 64), 120), Image.new("P", (50, 70), 3)]


def test_efficientnet_steps_run_off_the_host_within_two_grey_levels() -> None:
    from recsys.encoders.image import EfficientNetLiteEncoder

    enc = EfficientNetLiteEncoder()
    assert enc._device_steps() is not None
    host, dev = host_batch(enc, covers()), device_batch(enc, covers())
    assert dev.shape == host.shape == (7, 3, 224, 224)
    # the host's uint8 resize against the two float passes every device runs (ByteResize)
    diff = grey_levels(enc, dev, host)
    assert diff.mean() < 0.05 and diff.max() < 2.01, (diff.mean(), diff.max())
    a = enc.encode(covers())
    enc.device = "cpu"  # encode itself on the CPU keeps the host path
    assert np.allclose(a, enc.encode(covers()))


def test_dinov2_steps_match() -> None:
    from tests.support import tiny_encoders as tiny

    enc = tiny.tiny_dinov2(half=False)
    assert enc._device_steps() is not None
    host, dev = host_batch(enc, covers()), device_batch(enc, covers())
    assert dev.shape == host.shape
    diff = grey_levels(enc, dev, host)
    assert diff.mean() < 0.05 and diff.max() < 2.01, (diff.mean(), diff.max())


@needs_open_clip
def test_clip_pipeline_rebuilt_on_tensors() -> None:
    """open_clip's pipeline is PIL (torchvision v1): Resize and CenterCrop on the image, then
    ToTensor and Normalize. Rebuilt on tensors the resize is torchvision's antialiased one,
    within one grey level of PIL's (rounding)."""
    from tests.support import tiny_encoders as tiny

    enc = tiny.tiny_clip(half=False)
    steps = enc._device_steps()
    assert steps is not None
    host, dev = host_batch(enc, covers()), device_batch(enc, covers())
    assert dev.shape == host.shape
    std = torch.tensor(enc.preprocess.transforms[-1].std).view(1, 3, 1, 1)
    diff = ((dev - host) * std * 255).abs()  # in grey levels
    assert diff.mean() < 0.05 and diff.max() < 1.01, (diff.mean(), diff.max())
    a = enc.model.encode_image(dev).detach().numpy()
    b = enc.model.encode_image(host).detach().numpy()
    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    assert np.all(cos > 0.999), cos


@pytest.mark.parametrize("mode", ["bicubic", "bilinear"])
@pytest.mark.parametrize("shape, size", [((64, 64), 224), ((181, 240), 224), ((640, 512), [280, 224]), ((700, 1000), 256)])
def test_byte_resize_gives_the_hosts_pixels(mode: str, shape: tuple[int, int], size) -> None:
    """ByteResize (what a GPU runs) against torch's CPU uint8 kernel (what the host runs) on
    noise, the worst case for a bicubic filter's overshoot. torchvision's own tensor Resize
    on a GPU resizes in float in one pass: 20 grey levels apart here (issue 11's device
    preprocessing; a cuda-only difference no CPU test saw until this one)."""
    from torchvision.transforms import InterpolationMode, v2

    from recsys.encoders.pixels import ByteResize, resized_size

    interpolation = InterpolationMode(mode)
    x = torch.from_numpy(np.random.default_rng(1).integers(0, 256, (2, 3, *shape), dtype=np.uint8))
    host = v2.Resize(size, interpolation=interpolation, antialias=True)(x)  # the uint8 kernel
    ours = ByteResize(size, interpolation)(x)
    assert ours.dtype == torch.uint8 and ours.shape == host.shape
    assert tuple(host.shape[-2:]) == resized_size(*shape, size)
    diff = (ours.int() - host.int()).abs().float()
    assert diff.max() <= 2 and diff.mean() < (0.05 if mode == "bicubic" else 0.15), (diff.max(), diff.mean())
    # a float image is torchvision's to resize, as before
    assert torch.equal(ByteResize(size, interpolation)(x.float() / 255), v2.Resize(size, interpolation=interpolation, antialias=True)(x.float() / 255))


def test_unknown_steps_stay_on_the_host() -> None:
    from torchvision import transforms as v1
    from torchvision.transforms import v2

    assert tensor_steps(v1.Compose([v1.Resize(32), v1.ToTensor(), v1.Normalize([0.5] * 3, [0.5] * 3)])) is not None
    assert tensor_steps(v1.Compose([v1.Resize(32), v1.ColorJitter(), v1.ToTensor()])) is None
    assert tensor_steps(v1.Compose([v1.Resize(32, max_size=64), v1.ToTensor()])) is None
    assert tensor_steps(v1.Compose([v1.Resize(32), v1.Normalize([0.5] * 3, [0.5] * 3)])) is None  # not scaled first
    assert tensor_steps(v2.Compose([v2.PILToTensor(), v2.Resize(32)])) is None  # never scaled to floats
    assert tensor_steps(lambda im: im) is None


def test_switched_off_by_the_environment(monkeypatch) -> None:
    from recsys.encoders.image import EfficientNetLiteEncoder

    enc = EfficientNetLiteEncoder()
    monkeypatch.setenv("RECSYS_DEVICE_PREPROCESS", "0")
    assert enc._device_steps() is None
    with ThreadPoolExecutor(2) as pool:
        assert isinstance(enc._batch(covers()[:2], 0, pool), torch.Tensor)


def test_on_device_keeps_the_order_of_mixed_sizes() -> None:
    from torchvision.transforms import v2

    steps = v2.Compose([v2.Resize(8, antialias=True), v2.CenterCrop(8), v2.ToDtype(torch.float32, scale=True)])
    images = [im.convert("RGB") for im in covers()]
    with ThreadPoolExecutor(2) as pool:
        groups = host_groups(images, pool, pin=False)
    assert sorted(len(idx) for idx, _ in groups) == [1, 1, 1, 1, 1, 2]  # the two 300x300 covers together
    got = on_device(groups, steps, "cpu", torch.float16)
    assert got.dtype == torch.float16 and got.shape == (len(images), 3, 8, 8)
    for i, image in enumerate(images):
        assert torch.allclose(got[i].float(), steps(host_pixels(image)).to(torch.float16).float())


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P"])
def test_host_groups_hold_each_images_own_pixels(mode) -> None:
    """Each image's pixels land in its own row, as Pillow gives them, whichever route copies
    them (the raw encoder's bytes for RGB; Pillow's public route for an RGB view of another
    mode is not taken: the encoders convert to RGB first, as here)."""
    from torchvision.transforms.v2 import functional as F

    rng = np.random.default_rng(5)
    images = [Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).convert(mode).convert("RGB")
              for h, w in ((40, 30), (40, 30), (7, 90), (40, 30), (1, 1))]
    with ThreadPoolExecutor(3) as pool:
        groups = host_groups(images, pool, pin=False)
    assert [idx for idx, _ in groups] == [[0, 1, 3], [2], [4]]
    for idx, buf in groups:
        assert buf.is_contiguous() and buf.dtype == torch.uint8
        for k, i in enumerate(idx):
            assert torch.equal(buf[k, ..., :3].permute(2, 0, 1), F.pil_to_tensor(images[i]))


def test_host_groups_take_pillows_route_where_the_raw_one_fails(monkeypatch) -> None:
    from torchvision.transforms.v2 import functional as F

    from recsys.encoders import pixels

    monkeypatch.setattr(pixels, "rgbx_view", lambda image: None)  # as with a Pillow before 11.2
    monkeypatch.setattr(pixels, "_raw_bytes", lambda image, rawmode=None: None)  # other Pillow internals
    rng = np.random.default_rng(6)
    images = [Image.fromarray(rng.integers(0, 255, (20, 12, 3), dtype=np.uint8)) for _ in range(3)]
    with ThreadPoolExecutor(2) as pool:
        ((idx, buf),) = host_groups(images, pool, pin=False)
    for k, i in enumerate(idx):
        assert torch.equal(buf[k, ..., :3].permute(2, 0, 1), F.pil_to_tensor(images[i]))


def test_other_devices_keep_the_host_path() -> None:
    from recsys.encoders.image import EfficientNetLiteEncoder

    enc = EfficientNetLiteEncoder()
    enc.device = "mps"  # never moved there: only the choice of path is asked
    assert enc._device_steps() is None


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "P", "I;16"])
@pytest.mark.parametrize("size", [(1, 1), (37, 5), (600, 600), (1024, 3)])
def test_host_pixels_are_pillows_own(mode, size):
    """The one-piece route gives the bytes Pillow's public ``tobytes`` gives (modes it does not
    cover, P and I;16, take that public route), as a writable tensor."""
    import warnings

    from torchvision.transforms.v2 import functional as F

    from recsys.encoders import pixels

    rng = np.random.default_rng(size[0] * 7 + size[1])
    rgba = Image.fromarray(rng.integers(0, 255, (size[1], size[0], 4), dtype=np.uint8), "RGBA")
    image = rgba.convert(mode) if mode != "I;16" else rgba.convert("L").convert("I;16")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch warns about tensors over read-only memory
        got = host_pixels(image)
    expected = F.pil_to_tensor(image)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert torch.equal(got, expected)
    raw = pixels._raw_pixels(image)
    if mode in ("RGB", "RGBA", "L"):  # taken in one piece, into memory of its own
        assert isinstance(raw, bytearray) and len(raw) == got.numel()
    else:
        assert raw is None
    got[:, 0, 0] = 0  # writable, and not Pillow's memory
    assert torch.equal(F.pil_to_tensor(image), expected)


def test_host_pixels_take_pillows_route_when_its_internals_differ(monkeypatch):
    from torchvision.transforms.v2 import functional as F

    from recsys.encoders import pixels

    image = Image.fromarray(np.random.default_rng(1).integers(0, 255, (40, 30, 3), dtype=np.uint8))
    expected = F.pil_to_tensor(image)
    assert pixels._raw_pixels(image) is not None
    with monkeypatch.context() as m:

        def gone(*args, **kwargs):
            raise AttributeError("no _getencoder in this Pillow")

        m.setattr(Image, "_getencoder", gone)
        assert pixels._raw_pixels(image) is None  # contained, not raised
    monkeypatch.setattr(pixels, "_raw_pixels", lambda image: None)
    assert torch.equal(host_pixels(image), expected)  # then Pillow's public route


def test_host_groups_copy_covers_of_different_sizes_side_by_side(monkeypatch) -> None:
    """Real covers come in many sizes, so a batch is many groups of one: their rows are filled
    by the pool at once, not group after group (each copy waits here until the other started)."""
    import threading

    from recsys.encoders import pixels

    meet = threading.Barrier(2, timeout=10)
    view = pixels.rgbx_view

    def waiting(image):
        meet.wait()  # BrokenBarrierError if the two copies ran one after the other
        return view(image)

    monkeypatch.setattr(pixels, "rgbx_view", waiting)
    images = [Image.new("RGB", (30, 20), (1, 2, 3)), Image.new("RGB", (10, 40), (4, 5, 6))]
    with ThreadPoolExecutor(2) as pool:
        groups = host_groups(images, pool, pin=False)
    assert [idx for idx, _ in groups] == [[0], [1]]
    assert groups[1][1][0, 0, 0, :3].tolist() == [4, 5, 6]


def test_a_batchs_groups_share_one_allocation() -> None:
    """host_groups carves every size group out of one buffer: pinned memory (on a GPU) is
    allocated once a batch, not once per cover size."""
    images = covers()
    with ThreadPoolExecutor(2) as pool:
        groups = host_groups([im.convert("RGB") for im in images], pool, pin=False)
    assert len(groups) > 3
    bases = {buf.untyped_storage().data_ptr() for _, buf in groups}
    assert len(bases) == 1
    for idx, buf in groups:
        for k, i in enumerate(idx):
            assert torch.equal(buf[k, ..., :3].permute(2, 0, 1), host_pixels(images[i].convert("RGB")))


class _NotTheCPU(str):
    """A device name the encoders read as "not the CPU" (and not cuda: nothing is pinned),
    while torch runs it on the CPU: the GPU's encode loop, run here."""

    def startswith(self, prefix, *args):
        return False if prefix in ("cpu", "cuda") else str.startswith(self, prefix, *args)

    def __str__(self):
        return self


def test_the_off_cpu_encode_loop_gives_each_cover_its_vector_in_order() -> None:
    """TorchImageEncoder.encode off the CPU prepares the next batch in the pool while the model
    runs the current one (host groups, device steps): the vectors are the CPU path's, row for
    row, over several batches of mixed sizes (an off-by-one batch would swap them)."""
    from recsys.encoders.image import EfficientNetLiteEncoder

    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 255, s, dtype=np.uint8)) for s in
              [(300, 300, 3), (181, 240, 3), (300, 300, 3), (640, 512, 3), (90, 100, 3), (64, 64, 3), (300, 300, 3)]]
    images.append(Image.new("L", (64, 64), 120))
    enc = EfficientNetLiteEncoder(batch_size=3)
    on_cpu = enc.encode(images)
    enc.device = _NotTheCPU("cpu")
    assert enc._device_steps() is not None
    off_cpu = enc.encode(images)
    cos = (on_cpu * off_cpu).sum(1)
    assert off_cpu.shape == on_cpu.shape and cos.min() > 0.999, cos
    assert (on_cpu @ off_cpu.T).argmax(0).tolist() == list(range(len(images)))


def test_rgbx_view_is_pillows_memory_without_a_copy() -> None:
    """An RGB image's pixels as Pillow holds them (four bytes a pixel), read in place through
    its Arrow export: what host_groups copies into a row with the GIL let go."""
    from recsys.encoders.pixels import rgbx_view

    image = Image.fromarray(np.random.default_rng(7).integers(0, 255, (37, 52, 3), dtype=np.uint8))
    got = rgbx_view(image)
    if not hasattr(image, "__arrow_c_array__"):
        assert got is None  # a Pillow before 11.2: the packing routes take over
        return
    keep, rgbx = got
    assert rgbx.shape == (37, 52, 4) and rgbx.dtype == np.uint8
    assert np.array_equal(rgbx[..., :3], np.asarray(image))
    assert not rgbx.flags.owndata  # a view of the image's memory, not a copy
    # only RGB: another mode's bytes are another layout (the encoders convert to RGB first)
    assert rgbx_view(image.convert("L")) is None and rgbx_view(image.convert("RGBA")) is None


def test_host_groups_take_the_packing_route_for_a_cover_over_one_memory_block() -> None:
    """Pillow keeps an image over 16 MB in several blocks, which it cannot export in one piece
    (media.load_image shrinks covers to 1,024 pixels; a caller's own image may be larger): its
    row is filled through the raw encoder, beside an image that takes the view."""
    from recsys.encoders.pixels import rgbx_view

    rng = np.random.default_rng(8)
    big = Image.fromarray(np.tile(rng.integers(0, 255, (1, 2100, 3), dtype=np.uint8), (2100, 1, 1)))
    small = Image.fromarray(rng.integers(0, 255, (9, 11, 3), dtype=np.uint8))
    assert rgbx_view(big) is None
    with ThreadPoolExecutor(2) as pool:
        groups = host_groups([small, big], pool, pin=False)
    assert [idx for idx, _ in groups] == [[0], [1]]
    assert np.array_equal(groups[0][1][0, ..., :3].numpy(), np.asarray(small))
    assert np.array_equal(groups[1][1][0, ..., :3].numpy(), np.asarray(big))


def test_rgbx_view_is_refused_where_pillow_pads_its_rows(monkeypatch) -> None:
    """With PILLOW_ALIGNMENT above 1 Pillow pads each row; a Pillow before 13 exports such
    memory without saying so, and the view would skew the rows: the packing route serves."""
    from PIL import Image as PILImage

    from recsys.encoders.pixels import rgbx_view

    image = Image.fromarray(np.random.default_rng(9).integers(0, 255, (5, 7, 3), dtype=np.uint8))
    monkeypatch.setattr(PILImage.core, "get_alignment", lambda: 16, raising=False)
    assert rgbx_view(image) is None
    with ThreadPoolExecutor(2) as pool:
        ((idx, buf),) = host_groups([image], pool, pin=False)
    assert np.array_equal(buf[0, ..., :3].numpy(), np.asarray(image))
