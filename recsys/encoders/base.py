"""The encoder contract: one batched method, a name, a modality and a dimension, and the
capabilities every encoder declares (what it reads, at which sample rate, whether it embeds
text); and the parts several encoders share (the check of a list of texts, the torch image
batching loop, the checks and windows of waveforms)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, Sequence

import numpy as np

from recsys.collection import PUBLISHED_PREFIX, EncoderInfo  # noqa: F401  (the contract's own names)
from recsys.errors import EncoderError


class Encoder(ABC):
    """Turns a batch of decoded inputs into L2-normalised float32 vectors of shape (n, dim).

    Inputs are already decoded (strings, PIL images, mono float32 waveforms, graph nodes) so
    that a bad file is reported by the loader that read it, before any batch is formed:
    ``recsys.encoders.media.decode_input(encoder, source)`` decodes one for any encoder.

    The capabilities below are declared here with their defaults, and set by the encoders that
    have them; callers read them as attributes, never by guessing.
    """

    info: EncoderInfo
    #: where the model runs ("cpu", "cuda", "mps"); numpy-only encoders stay "cpu"
    device: str = "cpu"
    #: items per model call; None for an encoder without a batch size of its own
    batch_size: int | None = None
    #: audio encoders: the sample rate of the waveforms ``encode`` takes (None: not declared;
    #: ``decode_input`` then reads audio at 22 050 Hz)
    sample_rate: int | None = None
    #: audio encoders: the seconds of a track they read, from its middle (None: not declared;
    #: ``decode_input`` then reads 30 s)
    duration: float | None = None
    #: True when ``encode_text`` puts texts in this encoder's own space (CLIP for covers, CLAP
    #: for sound), so a text query can search its vectors
    text_space: bool = False
    #: audio encoders whose per-clip work is numpy on the CPU (the MIR descriptor): a
    #: module-level function ``(waveform, sample_rate, duration) -> item`` that the audio
    #: decode worker processes (``decode_pool``) run on each waveform they decode, so that work
    #: spreads over the workers instead of waiting for the encoding thread; ``encode`` takes
    #: its items as well as waveforms. None (the default): the workers hand back the waveform
    worker_step: Callable[[np.ndarray, int, float], Any] | None = None

    @property
    def dim(self) -> int:
        return self.info.dim

    @property
    def modality(self) -> str:
        return self.info.modality

    @property
    def input_kind(self) -> str:
        """What ``encode`` takes, and what ``decode_input`` makes of a source: "text" (strings),
        "image" (RGB PIL images), "audio" (mono float32 waveforms at ``sample_rate``) or "graph"
        (``recsys.encoders.graph.GraphNode``). The modality's own kind unless an encoder says."""
        return self.modality

    @abstractmethod
    def encode(self, items: Sequence[Any]) -> np.ndarray:
        """Encode a batch; returns float32 (len(items), dim), each row L2-normalised."""

    def encode_text(self, texts: Sequence[str]) -> np.ndarray:
        """Texts in this encoder's space (same dim, L2-normalised), when ``text_space`` is True;
        an EncoderError otherwise. Encoders with a text tower implement ``_encode_texts``."""
        if not self.text_space:
            raise EncoderError(
                f"{self.modality} encoder '{self.info.name}' cannot embed text in its space "
                "(it declares no text space)"
            )
        texts = text_list(texts, "encode_text")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode_texts(texts)

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        """The text tower on a checked, non-empty list of strings."""
        raise EncoderError(f"{self.modality} encoder '{self.info.name}' has no text tower")


def text_list(items: Sequence[str], caller: str = "text encoder") -> list[str]:
    """The texts of a batch as a list, every item checked to be a string: one bare string is an
    error (it would be encoded character by character), and a bad item is named by its place."""
    if isinstance(items, str):
        raise EncoderError(f"{caller} expects a list of strings, got one string")
    texts = list(items)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise EncoderError(f"text item {i}: expected a string, got {type(text).__name__}")
    return texts


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
        return self._to_tensor(self._rgb(image, index))

    def _pil_transform(self) -> Any:
        """The whole PIL -> pixels pipeline, whose tensor steps can run on the device
        (``recsys.encoders.pixels``); None: preprocessing stays on the host."""
        return getattr(self, "_transform", None)

    def _device_steps(self) -> Any | None:
        """The preprocessing steps run on the model's device (off the CPU), or None. Only on
        cuda (and the CPU, where tests run the same code): other devices (mps) keep the host
        path, their torch may lack the antialiased bicubic resize."""
        from recsys.encoders.pixels import device_preprocessing_enabled, tensor_steps

        if not str(self.device).startswith(("cuda", "cpu")):
            return None
        if not hasattr(self, "_steps_cache"):
            transform = self._pil_transform()
            self._steps_cache = tensor_steps(transform) if transform is not None else None
        return self._steps_cache if device_preprocessing_enabled() else None

    def _rgb(self, image: Any, index: int) -> Any:
        """One item as an RGB PIL image; ``index`` (its place in the whole input) names it."""
        from PIL import Image

        if not isinstance(image, Image.Image):
            raise EncoderError(f"image item {index}: expected a PIL image, got {type(image).__name__}")
        return image if image.mode == "RGB" else image.convert("RGB")

    def _batch(self, images: Sequence[Any], start: int, pool: Any) -> Any:
        """One batch of pixels, stacked on the host (pinned when it goes to a GPU). Images are
        resized and normalised in ``pool``'s threads: torchvision's tensor ops release the GIL.
        With device steps, only their uint8 pixels instead, grouped by size in pinned memory
        (``pixels.host_groups``): the device resizes them."""
        import torch

        if self._device_steps() is not None:
            from recsys.encoders.pixels import host_groups

            rgb = list(pool.map(lambda i: self._rgb(images[i], start + i), range(len(images))))
            return host_groups(rgb, pool, pin=str(self.device).startswith("cuda"))
        pixels = list(pool.map(lambda i: self._pixels(images[i], start + i), range(len(images))))
        batch = torch.stack(pixels)
        return batch.pin_memory() if str(self.device).startswith("cuda") else batch

    def _to_device(self, batch: Any) -> Any:
        """A prepared batch (``_batch``) as the model's input on its device, in its dtype."""
        if isinstance(batch, list):
            from recsys.encoders.pixels import on_device

            return on_device(batch, self._device_steps(), self.device, self.dtype)
        return batch.to(self.device, dtype=self.dtype, non_blocking=True)

    def encode(self, items: Sequence[Any]) -> np.ndarray:
        import torch

        images = list(items)
        if not images:
            return np.zeros((0, self.dim), dtype=np.float32)
        starts = list(range(0, len(images), self.batch_size))
        out: list[np.ndarray] = []
        if str(self.device).startswith("cpu"):
            # on the CPU the model already uses every core: preprocessing beside it only contends
            with torch.inference_mode():
                for s in starts:
                    chunk = images[s : s + self.batch_size]
                    batch = torch.stack([self._pixels(im, s + i) for i, im in enumerate(chunk)])
                    out.append(self._forward(batch.to(dtype=self.dtype)).float().numpy())
            return l2_normalise(np.concatenate(out, axis=0))
        # The next batch is preprocessed on the CPU while the model runs on this one, so a GPU
        # is not left waiting on PIL and resizing (one thread did all of it, and a GPU sat idle).
        with preprocess_pool() as pool, torch.inference_mode():
            def prepare(s: int) -> Any:
                return self._batch(images[s : s + self.batch_size], s, pool)

            pending = pool.submit(prepare, starts[0]) if len(starts) > 1 else None
            current = prepare(starts[0]) if pending is None else None
            for k in range(len(starts)):
                if pending is not None:
                    current = pending.result()
                    pending = pool.submit(prepare, starts[k + 1]) if k + 1 < len(starts) else None
                features = self._forward(self._to_device(current))
                out.append(features.float().cpu().numpy())
        return l2_normalise(np.concatenate(out, axis=0))


def preprocess_workers() -> int:
    """Threads for input preprocessing: ``RECSYS_PREPROCESS_WORKERS``, else the CPUs this
    process may use (``recsys.device.available_cpus``: affinity and a container's quota; at most
    8: more only contend for memory bandwidth)."""
    import os

    from recsys.device import available_cpus

    env = os.environ.get("RECSYS_PREPROCESS_WORKERS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(8, available_cpus()))


def preprocess_pool() -> Any:
    """A thread pool for one ``encode`` call; one extra thread runs the prefetch of the next
    batch, which itself waits on the others."""
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=preprocess_workers() + 1, thread_name_prefix="recsys-preprocess")


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
