"""The encoder contract: one batched method, a name, a modality and a dimension; and the parts
several encoders share (the torch image batching loop, the checks and windows of waveforms)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from recsys.errors import EncoderError


@dataclass(frozen=True)
class EncoderInfo:
    """What a collection records about the encoder behind one named vector."""

    name: str  # registry name, e.g. "minilm"
    modality: str  # text | image | audio | graph
    model: str  # model id, path or method, e.g. "all-MiniLM-L6-v2"
    dim: int

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "modality": self.modality, "model": self.model, "dim": self.dim}


class Encoder(ABC):
    """Turns a batch of decoded inputs into L2-normalised float32 vectors of shape (n, dim).

    Inputs are already decoded (strings, PIL images, mono float32 waveforms) so that a bad file
    is reported by the loader that read it, before any batch is formed.
    """

    info: EncoderInfo

    @property
    def dim(self) -> int:
        return self.info.dim

    @property
    def modality(self) -> str:
        return self.info.modality

    @abstractmethod
    def encode(self, items: Sequence[Any]) -> np.ndarray:
        """Encode a batch; returns float32 (len(items), dim), each row L2-normalised."""


def l2_normalise(x: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return (x / np.maximum(norms, eps)).astype(np.float32)


class TorchImageEncoder(Encoder):
    """The batching every torch image encoder shares; a subclass gives the model's parts.

    ``_to_tensor`` turns one RGB PIL image into the model's (3, H, W) float32 pixels and
    ``_forward`` turns a batch of them (already on ``device``, in ``dtype``) into (n, dim)
    features. Vectors are L2-normalised here, in float32, not in fp16 inside the model.
    """

    device: str
    batch_size: int
    dtype: Any = None  # the model's dtype for the pixels; None keeps the transform's float32

    @abstractmethod
    def _to_tensor(self, image: Any) -> Any:
        """One RGB PIL image as the model's float32 pixels."""

    @abstractmethod
    def _forward(self, batch: Any) -> Any:
        """(n, dim) features of a batch of pixels (torch, any float dtype)."""

    def _pixels(self, image: Any, index: int) -> Any:
        """One item's pixels; ``index`` (its place in the whole input) names it in the error."""
        from PIL import Image

        if not isinstance(image, Image.Image):
            raise EncoderError(f"image item {index}: expected a PIL image, got {type(image).__name__}")
        return self._to_tensor(image if image.mode == "RGB" else image.convert("RGB"))

    def encode(self, items: Sequence[Any]) -> np.ndarray:
        import torch

        images = list(items)
        if not images:
            return np.zeros((0, self.dim), dtype=np.float32)
        out: list[np.ndarray] = []
        with torch.inference_mode():
            for start in range(0, len(images), self.batch_size):
                chunk = images[start : start + self.batch_size]
                batch = torch.stack([self._pixels(im, start + i) for i, im in enumerate(chunk)])
                features = self._forward(batch.to(self.device, dtype=self.dtype))
                out.append(features.float().cpu().numpy())
        return l2_normalise(np.concatenate(out, axis=0))


def mono_waveforms(items: Sequence[Any]) -> list[np.ndarray]:
    """Each item as a float32 1-D waveform; every item is checked before any is encoded, so a
    bad one fails the batch at once, named by its place."""
    out: list[np.ndarray] = []
    for i, item in enumerate(items):
        y = np.asarray(item, dtype=np.float32)
        if y.ndim != 1:
            raise EncoderError(
                f"audio item {i}: expected a mono waveform (1-D), got shape {y.shape}; "
                "load it with recsys.media.load_audio"
            )
        if y.size == 0 or not np.all(np.isfinite(y)):
            raise EncoderError(f"audio item {i}: empty or non-finite waveform")
        out.append(y)
    return out


def middle_excerpt(y: np.ndarray, duration: float, sample_rate: int) -> np.ndarray:
    """The middle ``duration`` seconds of ``y`` (all of it when shorter): the excerpt
    ``recsys.media.load_audio`` reads by default, so a whole track and its excerpt agree."""
    limit = int(duration * sample_rate)
    if y.size > limit:
        start = (y.size - limit) // 2
        y = y[start : start + limit]
    return y


def split_waveforms(
    items: Sequence[Any], split: Callable[[np.ndarray], Sequence[np.ndarray]]
) -> tuple[list[np.ndarray], np.ndarray]:
    """Check the items (``mono_waveforms``) and cut each into windows with ``split``: the windows
    of all items in order, and for each window the index of its item, for pooling per item."""
    pieces: list[np.ndarray] = []
    owners: list[int] = []
    for i, y in enumerate(mono_waveforms(items)):
        windows = list(split(y))
        pieces.extend(windows)
        owners.extend([i] * len(windows))
    return pieces, np.asarray(owners, dtype=np.intp)
