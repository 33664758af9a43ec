"""Image encoder: DINOv2 (the paper's ``dinov2_vitb14``) through transformers' ``Dinov2Model``.

The vector is the layer-normed CLS token, what torch.hub's ``dinov2_vitb14`` returns as
``x_norm_clstoken`` and transformers as ``pooler_output``: self-supervised features that
place covers by look (palette, texture, layout) rather than by named object classes.
"""

from __future__ import annotations

from typing import Any

from recsys.encoders.base import EncoderInfo, TorchImageEncoder
from recsys.errors import EncoderError

CROP = 224  # DINOv2's evaluation crop; 256 -> 224 as in its BitImageProcessor config
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class Dinov2Encoder(TorchImageEncoder):
    """DINOv2 CLS embeddings, L2-normalised. Input: RGB PIL images.

    Preprocessing matches facebook/dinov2-*'s processor: short side to crop*256/224 (bicubic),
    centre crop, ImageNet mean/std. fp16 on cuda/mps.
    """

    def __init__(
        self, model: Any, *, name: str, model_id: str, device: str = "cpu", batch_size: int = 32, crop: int = CROP
    ) -> None:
        import torch
        from torchvision.transforms import v2 as T

        self.model = model.eval()
        self.device = device
        self.batch_size = batch_size
        from recsys.encoders.hub import input_dtype

        self.dtype = input_dtype(model.embeddings)  # the patch projection takes the pixels
        self.info = EncoderInfo(name=name, modality="image", model=model_id, dim=int(model.config.hidden_size))
        self._transform = T.Compose(
            [
                T.PILToTensor(),
                T.Resize(round(crop * 256 / 224), interpolation=T.InterpolationMode.BICUBIC, antialias=True),
                T.CenterCrop(crop),
                T.ToDtype(torch.float32, scale=True),
                T.Normalize(IMAGENET_MEAN, IMAGENET_STD),
            ]
        )

    @classmethod
    def from_config(
        cls,
        config: Any,
        *,
        name: str = "dinov2",
        device: str = "cpu",
        batch_size: int = 32,
        crop: int = CROP,
        half: bool | None = None,
    ) -> Dinov2Encoder:
        """Random weights of the architecture in ``config`` (a ``Dinov2Config``): tests, benchmarks.
        ``half``: fp16 weights (None: on GPUs only)."""
        from transformers import Dinov2Model

        from recsys.encoders.hub import use_half

        model: Any = Dinov2Model(config)  # Any: transformers' typed .to() confuses mypy
        model = model.to(device)
        if use_half(device) if half is None else half:
            model = model.half()
        return cls(model, name=name, model_id="dinov2 (random init)", device=device, batch_size=batch_size, crop=crop)

    @classmethod
    def from_pretrained(cls, model_id: str, *, name: str, device: str = "cpu", batch_size: int = 32) -> Dinov2Encoder:
        """Real weights from the Hugging Face cache, then the hub (e.g. facebook/dinov2-base)."""
        import torch

        from recsys.encoders.hub import load_weights, use_half

        try:
            from transformers import Dinov2Model
        except ImportError as exc:
            raise EncoderError(f"cannot load image encoder '{name}': transformers is too old or missing ({exc})") from None
        dtype = torch.float16 if use_half(device) else torch.float32
        model: Any = load_weights(
            lambda local_only: Dinov2Model.from_pretrained(model_id, local_files_only=local_only, dtype=dtype),
            modality="image",
            name=name,
            model=model_id,
        )
        return cls(model.to(device), name=name, model_id=model_id, device=device, batch_size=batch_size)

    def _to_tensor(self, image: Any) -> Any:
        return self._transform(image)

    def _forward(self, batch: Any) -> Any:
        return self.model(pixel_values=batch).pooler_output
