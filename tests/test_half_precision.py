"""fp16 for every hub encoder that uses it on GPUs, checked where the suite runs: each tiny
architecture is built twice from the same seed, in fp32 and in half precision, on the CPU
(torch runs fp16 convolutions and matmuls there), and must give the same vectors. A model
whose input is not cast to the dtype of the layer that takes it fails here, not on a GPU.
The same checks on cuda are in tests/test_gpu.py."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
import torch
from PIL import Image

from tests.support import tiny_encoders as tiny

pytestmark = pytest.mark.skipif(importlib.util.find_spec("open_clip") is None, reason="open_clip_torch not installed")


def covers() -> list[Image.Image]:
    rng = np.random.default_rng(0)
    out = [Image.fromarray(rng.integers(0, 255, (48, 40, 3), dtype=np.uint8)) for _ in range(3)]
    return out + [Image.new("L", (30, 30), 120)]


def build_pair(builder) -> tuple[object, object]:
    torch.manual_seed(0)
    full = builder(half=False)
    torch.manual_seed(0)
    half = builder(half=True)
    return full, half


def assert_same_vectors(a: np.ndarray, b: np.ndarray) -> None:
    assert a.shape == b.shape and b.dtype == np.float32
    cos = (a * b).sum(axis=1)
    assert np.all(cos > 0.99), cos


def test_clip_half_encodes_images_and_texts() -> None:
    full, half = build_pair(lambda half: tiny.tiny_clip(half=half))
    assert half.dtype == torch.float16  # the image tower's first layer, not the first parameter
    assert_same_vectors(full.encode(covers()), half.encode(covers()))
    texts = ["neon synthwave cover", "slow sad piano"]
    assert_same_vectors(full.encode_text(texts), half.encode_text(texts))


def test_dinov2_half_encodes_images() -> None:
    full, half = build_pair(lambda half: tiny.tiny_dinov2(half=half))
    assert half.dtype == torch.float16 and full.dtype == torch.float32
    assert_same_vectors(full.encode(covers()), half.encode(covers()))


def test_input_dtype_is_the_first_layers() -> None:
    from recsys.encoders.hub import input_dtype

    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(), torch.nn.LazyLinear(2))
    model[0].half()
    model.register_parameter("scale", torch.nn.Parameter(torch.ones(1)))  # fp32, not a layer
    assert input_dtype(model) == torch.float16
