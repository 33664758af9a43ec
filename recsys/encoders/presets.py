"""Registry entries for the hub encoders (OpenCLIP, DINOv2, CLAP, OpenL3, the paper's text models).

Entries are cheap: model code is imported inside each loader. Weights come through each
library's own loader from the Hugging Face cache first, then from the hub unless
``HF_HUB_OFFLINE`` is set; when neither has them the error is one line naming the model, the
cache and the offline profile (the shared rules are in ``recsys.encoders.hub``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from recsys.encoders.base import Encoder
from recsys.encoders.hub import load_weights, use_half
from recsys.encoders.registry import EncoderSpec, register_encoder, register_prefix
from recsys.encoders.text import SentenceTransformerEncoder
from recsys.errors import EncoderError


# --------------------------------------------------------------------------- text presets


class PresetTextEncoder(SentenceTransformerEncoder):
    """A sentence-transformers model with the prefix its card requires, fp16 on GPU: the model is
    loaded by ``_load_text_preset`` (remote code, half precision), the rest is the plain encoder.

    One prefix for every text: track documents and typed queries are compared with each other
    (a symmetric task), for which e5's card asks for "query: " on both sides.
    """

    def __init__(self, model: Any, name: str, model_id: str, device: str, batch_size: int, prefix: str = "") -> None:
        self._bind(model, name, model_id, device, batch_size, prefix)


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
