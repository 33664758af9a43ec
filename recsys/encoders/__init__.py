"""Modality encoders: offline text (MiniLM), image (EfficientNet-Lite0), audio (MIR descriptor)
and graph (RandNE, DeepWalk) ones, and the hub models of ``presets``.

Use ``get_encoder(name)``; names and defaults live in ``registry``, the contract every encoder
keeps in ``base.Encoder``, and ``media.decode_input`` turns a file or text into what an
encoder takes. Importing this package is cheap: model code loads on first use.
"""

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise
from recsys.encoders.registry import (
    DEFAULT_ENCODERS,
    ST_PREFIX,
    EncoderSpec,
    clear_encoder_cache,
    get_encoder,
    get_encoder_spec,
    list_encoders,
    register_encoder,
)

from recsys.encoders.presets import register_hub_encoders

register_hub_encoders()  # cheap: entries only, models load on first use

__all__ = [
    "DEFAULT_ENCODERS",
    "ST_PREFIX",
    "Encoder",
    "EncoderInfo",
    "EncoderSpec",
    "clear_encoder_cache",
    "get_encoder",
    "get_encoder_spec",
    "l2_normalise",
    "list_encoders",
    "register_encoder",
]
