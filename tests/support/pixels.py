"""The two ways an image encoder prepares a batch (recsys.encoders.pixels), for tests that
compare them: every step on the host, or only the unpacking there and the rest on the
encoder's device."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import torch


def host_batch(encoder, images) -> torch.Tensor:
    return torch.stack([encoder._pixels(im, i) for i, im in enumerate(images)])


def device_batch(encoder, images) -> torch.Tensor:
    with ThreadPoolExecutor(2) as pool:
        prepared = encoder._batch(images, 0, pool)
    # the host only unpacks: uint8 RGBX rows (n, H, W, 4), one tensor per image size
    assert isinstance(prepared, list) and all(buf.dtype == torch.uint8 and buf.shape[-1] == 4 for _, buf in prepared)
    assert sorted(i for idx, _ in prepared for i in idx) == list(range(len(images)))
    return encoder._to_device(prepared)


def grey_levels(encoder, dev: torch.Tensor, host: torch.Tensor) -> torch.Tensor:
    """|dev - host| in grey levels: the normalised difference scaled back by the encoder's
    Normalize step."""
    from torchvision.transforms import v2

    steps = encoder._device_steps()
    std = next(t.std for t in steps.transforms if isinstance(t, v2.Normalize))
    return ((dev - host) * torch.tensor(std).view(1, 3, 1, 1) * 255).abs()
