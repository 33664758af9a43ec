"""Image encoder: any OpenCLIP model (open_clip_torch), which also embeds text in the image space.

The default is the paper's ViT-B-32 trained on LAION-2B (``laion2b_s34b_b79k``). Because CLIP
puts captions and pictures in one space, ``encode_text("neon synthwave cover")`` can be searched
against stored cover vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from recsys.encoders.base import EncoderInfo, TorchImageEncoder, l2_normalise
from recsys.errors import EncoderError

_SCHEMAS = ("hf-hub:", "local-dir:")


def split_clip_model(model: str) -> tuple[str, str | None]:
    """``"ViT-B-32/laion2b_s34b_b79k"`` -> (model, pretrained tag or checkpoint path);
    ``"hf-hub:org/repo"`` and ``"local-dir:/path"`` carry their own weights."""
    model = model.strip()
    if model.startswith(_SCHEMAS):
        return model, None
    name, sep, pretrained = model.partition("/")
    if not sep or not name or not pretrained:
        # Never fall back to random weights: they would give vectors that look fine and mean nothing.
        raise EncoderError(
            f"open_clip model '{model}': give MODEL/PRETRAINED (e.g. ViT-B-32/laion2b_s34b_b79k), "
            "hf-hub:ORG/REPO or local-dir:PATH"
        )
    return name, pretrained


def _import_open_clip() -> Any:
    try:
        import open_clip
    except ImportError as exc:
        raise EncoderError(
            f"cannot load an OpenCLIP encoder: {exc.name or exc} is not installed (pip install 'recsys[hub]')"
        ) from None
    return open_clip


class ClipEncoder(TorchImageEncoder):
    """OpenCLIP image embeddings (L2-normalised), and text embeddings in the same space.

    Input: RGB PIL images, preprocessed with the model's own transform (resize the short side,
    centre crop, the checkpoint's mean/std). fp16 on cuda/mps, fp32 on CPU.
    """

    text_space = True

    def __init__(
        self,
        model: Any,
        preprocess: Any,
        tokenizer: Any,
        *,
        name: str,
        model_id: str,
        device: str = "cpu",
        batch_size: int = 32,
    ) -> None:
        self.model = model.eval()
        self.preprocess = preprocess
        self.tokenizer = tokenizer
        self.device = device
        self.batch_size = batch_size
        from recsys.encoders.hub import input_dtype

        # the image tower's first layer, not the first parameter: open_clip's fp16 leaves some
        # parameters (positional and class embeddings) in fp32
        self.dtype = input_dtype(model.visual)
        # The projection width is spread over model classes (CLIP, CustomTextCLIP, CoCa);
        # one empty caption through the text tower answers for all of them.
        dim = int(self._text_batch([""]).shape[-1])
        self.info = EncoderInfo(name=name, modality="image", model=model_id, dim=dim)

    @classmethod
    def from_config(
        cls,
        model_name: str,
        pretrained: str | None = None,
        *,
        name: str = "clip",
        device: str = "cpu",
        batch_size: int = 32,
        half: bool | None = None,
    ) -> ClipEncoder:
        """Build ``model_name`` (an open_clip config name, ``hf-hub:`` or ``local-dir:``) with the
        ``pretrained`` weights, or random weights when ``pretrained`` is None (tests, benchmarks)."""
        from recsys.encoders.hub import quiet_loading, use_half

        open_clip = _import_open_clip()
        half = use_half(device) if half is None else half
        with_weights = pretrained is not None or model_name.startswith(_SCHEMAS)
        with quiet_loading():  # open_clip logs "initialized randomly" and download errors to root
            model, _, preprocess = open_clip.create_model_and_transforms(
                model_name,
                pretrained=pretrained,
                device=device,
                precision="fp16" if half else "fp32",
                # With a checkpoint nothing else may load; without one, no base tower from the hub.
                pretrained_text=False,
                require_pretrained=with_weights,
            )
            tokenizer = open_clip.get_tokenizer(model_name)
        model_id = f"{model_name}/{pretrained}" if pretrained else model_name
        return cls(model, preprocess, tokenizer, name=name, model_id=model_id, device=device, batch_size=batch_size)

    @classmethod
    def from_pretrained(
        cls, model_name: str, pretrained: str | None, *, name: str, device: str = "cpu", batch_size: int = 32
    ) -> ClipEncoder:
        """Real weights through open_clip's loader: the Hugging Face cache, then the hub."""
        from recsys.encoders.hub import load_weights

        model_id = f"{model_name}/{pretrained}" if pretrained else model_name
        _import_open_clip()  # a missing package is its own error, not "weights not found"
        return load_weights(
            lambda _local_only: cls.from_config(
                model_name, pretrained, name=name, device=device, batch_size=batch_size
            ),
            modality="image",
            name=name,
            model=f"open_clip {model_id}",
        )

    # ----------------------------------------------------------------------- encoding

    def _to_tensor(self, image: Any) -> Any:
        return self.preprocess(image)

    def _pil_transform(self) -> Any:
        return self.preprocess

    def _forward(self, batch: Any) -> Any:
        return self.model.encode_image(batch)

    def _text_batch(self, texts: list[str]) -> np.ndarray:
        import torch

        with torch.inference_mode():
            tokens = self.tokenizer(texts).to(self.device)
            return self.model.encode_text(tokens).float().cpu().numpy()

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        """Captions in the image space (same dim, L2-normalised); long texts are cut at the
        model's context length (77 tokens for ViT-B-32). ``encode_text`` checks them first."""
        parts = [self._text_batch(texts[s : s + self.batch_size]) for s in range(0, len(texts), self.batch_size)]
        return l2_normalise(np.concatenate(parts, axis=0))
