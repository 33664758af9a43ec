"""Registry entries for the hub encoders (OpenCLIP, DINOv2, CLAP, OpenL3, the paper's text models),
and the loading rules they share.

Entries are cheap: model code is imported inside each loader. Weights come through each
library's own loader from the Hugging Face cache first, then from the hub unless
``HF_HUB_OFFLINE`` is set; when neither has them the error is one line naming the model, the
cache and the offline profile.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise
from recsys.encoders.registry import EncoderSpec, register_encoder, register_prefix
from recsys.errors import EncoderError

T = TypeVar("T")

OFFLINE_HINT = "use the offline profile (default encoders)"


# --------------------------------------------------------------------------- shared loading rules


def hub_offline() -> bool:
    """``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) as set now, not at import: huggingface_hub
    reads it once at import, so a later setting would otherwise be ignored."""
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().lower() in ("1", "true", "yes", "on")


def hf_cache_dir() -> str:
    try:
        from huggingface_hub import constants

        return str(constants.HF_HUB_CACHE)
    except Exception:  # only used in a message
        return os.path.expanduser("~/.cache/huggingface/hub")


def one_line(exc: BaseException, limit: int = 160) -> str:
    # First sentence only: hub errors go on for lines about offline mode and URLs.
    text = " ".join(str(exc).split()).split(". ")[0].rstrip(".")
    return text[:limit] or type(exc).__name__


def use_half(device: str) -> bool:
    """fp16 on GPUs (cuda, mps): half the memory and about twice the speed; CPUs stay fp32."""
    return device.startswith("cuda") or device.startswith("mps")


@contextmanager
def quiet_loading() -> Iterator[None]:
    """Silence library logging and progress bars while loading: open_clip logs errors to the root
    logger and huggingface_hub warns on every retry, which would garble the CLI's one-line error."""
    previous = logging.root.manager.disable
    logging.disable(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except Exception:
        pass
    try:
        yield
    finally:
        logging.disable(previous)


@contextmanager
def _hub_forced_offline() -> Iterator[None]:
    # Libraries without a local_files_only flag (open_clip) still consult this at request time.
    try:
        from huggingface_hub import constants
    except ImportError:
        yield
        return
    previous = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        constants.HF_HUB_OFFLINE = previous


def weights_error(modality: str, name: str, model: str, detail: str, where: str | None = None) -> EncoderError:
    where = where or f"the Hugging Face cache {hf_cache_dir()}"
    hub = "offline (HF_HUB_OFFLINE=1)" if hub_offline() else "unreachable"
    return EncoderError(
        f"cannot load {modality} encoder '{name}': weights of {model} are not in {where} and the hub is "
        f"{hub} ({detail}); {OFFLINE_HINT}"
    )


def load_weights(load: Callable[[bool], T], *, modality: str, name: str, model: str) -> T:
    """``load(local_only)`` from the cache first, so a model fetched once works offline and starts
    without a network round trip; then from the hub unless offline mode is on."""
    with quiet_loading():
        try:
            with _hub_forced_offline():
                return load(True)
        except EncoderError:
            raise
        except Exception as exc:
            first = exc
        if Path(model).expanduser().exists():  # on disk: the files or the device are at fault, not the hub
            raise EncoderError(f"cannot load {modality} encoder '{name}' from {model}: {one_line(first)}") from None
        if hub_offline():
            raise weights_error(modality, name, model, one_line(first)) from None
        try:
            return load(False)
        except EncoderError:
            raise
        except Exception as exc:
            raise weights_error(modality, name, model, one_line(exc)) from None


# --------------------------------------------------------------------------- text presets


class PresetTextEncoder(Encoder):
    """A sentence-transformers model with the prefix its card requires, fp16 on GPU.

    One prefix for every text: track documents and typed queries are compared with each other
    (a symmetric task), for which e5's card asks for "query: " on both sides.
    """

    def __init__(self, model: Any, name: str, model_id: str, device: str, batch_size: int, prefix: str = "") -> None:
        self.model = model
        self.device = device
        self.batch_size = batch_size
        self.prefix = prefix
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.info = EncoderInfo(name=name, modality="text", model=model_id, dim=int(getter()))

    def encode(self, items: Sequence[str]) -> np.ndarray:
        if isinstance(items, str):  # a bare string would be encoded character by character
            raise EncoderError("text encoder expects a list of strings, got one string")
        texts = list(items)
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise EncoderError(f"text item {i}: expected a string, got {type(text).__name__}")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            [self.prefix + t for t in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return l2_normalise(np.asarray(vectors, dtype=np.float32))


#: name -> (model id, dim, prefix, trust_remote_code, description)
TEXT_PRESETS: dict[str, tuple[str, int, str, bool, str]] = {
    "mxbai-large": ("mixedbread-ai/mxbai-embed-large-v1", 1024, "", False, "mxbai-embed-large-v1 (BERT-large)"),
    "bge-large": ("BAAI/bge-large-en-v1.5", 1024, "", False, "bge-large-en-v1.5 (BERT-large)"),
    "e5-large": ("intfloat/e5-large-v2", 1024, "query: ", False, "e5-large-v2, every text prefixed 'query: '"),
    # JinaBERT (ALiBi positions) lives in remote code: without it the weights would load into
    # a plain BERT and give silently wrong vectors.
    "jina-v2-base": ("jinaai/jina-embeddings-v2-base-en", 768, "", True, "jina-embeddings-v2-base-en (remote code)"),
}


def _load_text_preset(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from sentence_transformers import SentenceTransformer

    model_id, _, prefix, remote, _ = TEXT_PRESETS[spec.name]

    def load(local_only: bool) -> Any:
        return SentenceTransformer(
            model_id, device=device, local_files_only=local_only, trust_remote_code=remote
        )

    model = load_weights(load, modality="text", name=spec.name, model=model_id)
    if use_half(device):
        model = model.half()
    return PresetTextEncoder(model, spec.name, model_id, device, batch_size, prefix)


# --------------------------------------------------------------------------- image and audio loaders

CLIP_DEFAULT = ("ViT-B-32", "laion2b_s34b_b79k")
DINOV2_DEFAULT = "facebook/dinov2-base"
CLAP_DEFAULT = "laion/clap-htsat-unfused"
CLAP_MUSIC = "laion/larger_clap_music"


def _load_clip(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.clip import ClipEncoder, split_clip_model

    model_name, pretrained = split_clip_model(spec.model)
    return ClipEncoder.from_pretrained(model_name, pretrained, name=spec.name, device=device, batch_size=batch_size)


def _load_dinov2(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.dinov2 import Dinov2Encoder

    return Dinov2Encoder.from_pretrained(spec.model, name=spec.name, device=device, batch_size=batch_size)


def _load_clap(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.clap import ClapEncoder

    encoder = ClapEncoder.from_pretrained(spec.model, name=spec.name, device=device, batch_size=batch_size)
    if spec.model == CLAP_MUSIC:
        # Its text tower is reported to map every text to nearly one vector (mean pairwise
        # cosine 0.999): audio-to-audio only until its text spread has been checked.
        encoder.text_space = False
    return encoder


def _load_openl3(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.openl3 import OpenL3Encoder

    return OpenL3Encoder.from_pretrained(name=spec.name, device=device, batch_size=batch_size)


def _prefixed(
    prefix: str, modality: str, loader: Callable[[EncoderSpec, str, int], Encoder], what: str
) -> Callable[[str], EncoderSpec]:
    """A spec factory for ``<prefix><model>`` names: cheap, the model loads on first use."""
    def make(name: str) -> EncoderSpec:
        model = name[len(prefix) :].strip()
        if not model:
            raise EncoderError(f"'{name}': give {what} after '{prefix}'")
        if prefix == "clip:":
            from recsys.encoders.clip import split_clip_model

            split_clip_model(model)  # a malformed name fails here, before any loading
        return EncoderSpec(name, modality, model, 0, loader, f"{what} given by name", offline=False)

    return make


def register_hub_encoders() -> None:
    """Add the hub encoders and the ``clip:``/``dinov2:``/``clap:`` name families; idempotent."""
    specs = [
        EncoderSpec(
            "clip-vit-b-32", "image", "/".join(CLIP_DEFAULT), 512, _load_clip,
            "OpenCLIP ViT-B-32 (LAION-2B); also embeds text in the image space", offline=False,
        ),
        EncoderSpec(
            "dinov2-vitb14", "image", DINOV2_DEFAULT, 768, _load_dinov2,
            "DINOv2 ViT-B/14 CLS token (the paper's dinov2_vitb14)", offline=False,
        ),
        EncoderSpec(
            "clap-htsat-unfused", "audio", CLAP_DEFAULT, 512, _load_clap,
            "LAION CLAP HTS-AT, 10 s windows mean-pooled; also embeds text in the audio space", offline=False,
        ),
        EncoderSpec(
            "clap-music", "audio", CLAP_MUSIC, 512, _load_clap,
            "LAION larger CLAP (music); audio only: its text vectors are reported to collapse", offline=False,
        ),
        EncoderSpec(
            "openl3", "audio", "torchopenl3 mel256/music/512", 512, _load_openl3,
            "OpenL3 (music, mel256) 1 s frames mean-pooled; pip install 'recsys[openl3]'", offline=False,
        ),
    ]
    for name, (model_id, dim, _, _, description) in TEXT_PRESETS.items():
        specs.append(EncoderSpec(name, "text", model_id, dim, _load_text_preset, description, offline=False))
    for spec in specs:
        register_encoder(spec, replace=True)
    register_prefix("clip:", "image", _prefixed("clip:", "image", _load_clip, "an open_clip MODEL/PRETRAINED pair"))
    register_prefix("dinov2:", "image", _prefixed("dinov2:", "image", _load_dinov2, "a DINOv2 model id or path"))
    register_prefix("clap:", "audio", _prefixed("clap:", "audio", _load_clap, "a CLAP model id or path"))
