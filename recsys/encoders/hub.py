"""Loading rules every hub encoder shares: the Hugging Face cache first, then the hub unless
``HF_HUB_OFFLINE`` is set, one-line errors naming the model and the cache, fp16 on GPUs.

Nothing here imports an encoder module, so the encoders (``clip``, ``clap``, ``dinov2``,
``openl3``) and the registry entries (``presets``) both import it without a cycle.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from recsys.device import device_failure
from recsys.errors import EncoderError

T = TypeVar("T")

OFFLINE_HINT = "use the offline profile (default encoders)"


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


def input_dtype(module: Any) -> Any:
    """The dtype of the first layer that takes the input (its first convolution, linear or
    normalisation layer in definition order), which is what the input must be cast to.

    Not ``next(model.parameters()).dtype``: a half-precision model may keep some parameters in
    fp32 (open_clip's ``precision="fp16"`` leaves its class embedding and norms so), and the
    first parameter is not necessarily the first layer's."""
    import torch

    layers = (torch.nn.modules.conv._ConvNd, torch.nn.Linear, torch.nn.modules.batchnorm._NormBase,
              torch.nn.LayerNorm, torch.nn.GroupNorm)
    for layer in module.modules():
        if isinstance(layer, layers) and getattr(layer, "weight", None) is not None:
            return layer.weight.dtype
    for p in module.parameters():
        if p.is_floating_point():
            return p.dtype
    return torch.float32


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
        if device_failure(first):
            # the weights were found: the model did not fit on the device (or the device failed
            # moving it there); from the hub it would load again, fail the same way, and be
            # reported as missing weights
            raise EncoderError(
                f"cannot load {modality} encoder '{name}' onto its device: {one_line(first)}; "
                f"choose another with --device (or RECSYS_DEVICE), e.g. --device cpu"
            ) from None
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
