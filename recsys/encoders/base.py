"""The encoder contract: one batched method, a name, a modality and a dimension."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np


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
