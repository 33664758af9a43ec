"""Audio encoder: LAION CLAP through transformers' ``ClapModel``, with text in the same space.

CLAP's audio tower sees at most ``max_length_s`` (10 s) at a time, and its feature extractor
picks a random crop of anything longer. We never let it: the excerpt is cut into consecutive
windows of at most that length, each window is embedded whole, and the window vectors are
mean-pooled, so one waveform always gives one vector, whatever the batch around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise, middle_excerpt, split_waveforms
from recsys.errors import EncoderError

SAMPLE_RATE = 48000
DURATION = 30.0  # seconds read per track (its middle), as for the MIR encoder: 3 CLAP windows
TEXT_TOKENS = 77  # CLAP's training caption length


def mean_pairwise_cosine(vectors: np.ndarray) -> float:
    """Mean cosine between distinct rows: near 1 means a tower maps everything to one point
    (reported for larger_clap_music's text tower: 0.999), so it cannot rank anything."""
    v = l2_normalise(vectors)
    n = v.shape[0]
    if n < 2:
        return 1.0
    sims = v @ v.T
    return float((sims.sum() - np.trace(sims)) / (n * (n - 1)))


def byte_tokenizer() -> Any:
    """A RoBERTa tokenizer over the 256 byte-level symbols and no merges: the real tokenizer's
    class and special ids with a 261-entry vocabulary, for tiny random CLAP models."""
    from tokenizers import pre_tokenizers
    from transformers import RobertaTokenizer

    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "<mask>": 4}
    for symbol in sorted(pre_tokenizers.ByteLevel.alphabet()):
        vocab[symbol] = len(vocab)
    return RobertaTokenizer(vocab=vocab, merges=[])


def _max_window_s(config: Any) -> int:
    """Longest window, in whole seconds (the extractor needs an integral sample count), that the
    audio tower accepts: its Swin input holds spec_size*freq_ratio frames of 480 samples."""
    audio = config.audio_config
    frames = audio.spec_size * (audio.spec_size // audio.num_mel_bins)
    return max(1, min(10, (frames - 1) * 480 // SAMPLE_RATE))


class ClapEncoder(Encoder):
    """CLAP audio embeddings of a mono 48 kHz waveform, windows mean-pooled; L2-normalised.

    ``encode_text`` puts captions in the same space ("slow sad piano" against stored audio).
    A waveform longer than ``duration`` is cut to its middle ``duration`` seconds (what
    ``recsys.media.load_audio`` reads), then split into windows of the model's length (10 s);
    a trailing piece shorter than half a window is dropped unless it is all there is, and
    short pieces are repeat-padded by CLAP's feature extractor. fp16 on cuda/mps.
    """

    text_space = True

    def __init__(
        self,
        model: Any,
        feature_extractor: Any,
        tokenizer: Any,
        *,
        name: str,
        model_id: str,
        device: str = "cpu",
        batch_size: int = 16,
        duration: float = DURATION,
    ) -> None:
        self.model = model.eval()
        self.feature_extractor = feature_extractor
        self.tokenizer = tokenizer
        self.device = device
        self.batch_size = batch_size
        self.duration = float(duration)
        self.sample_rate = int(feature_extractor.sampling_rate)
        self.window = int(feature_extractor.nb_max_samples)
        self.dtype = next(model.parameters()).dtype
        positions = int(getattr(model.config.text_config, "max_position_embeddings", TEXT_TOKENS + 2))
        self.text_tokens = min(TEXT_TOKENS, positions - 2)  # RoBERTa positions start after padding_idx
        self.info = EncoderInfo(name=name, modality="audio", model=model_id, dim=int(model.config.projection_dim))

    @classmethod
    def from_config(
        cls,
        config: Any,
        *,
        feature_extractor: Any = None,
        tokenizer: Any = None,
        name: str = "clap",
        device: str = "cpu",
        batch_size: int = 16,
        duration: float = DURATION,
    ) -> ClapEncoder:
        """Random weights of the architecture in ``config`` (a ``ClapConfig``), with a feature
        extractor sized to it and a byte-level tokenizer unless given: tests, benchmarks."""
        from transformers import ClapFeatureExtractor, ClapModel

        from recsys.encoders.hub import use_half

        model: Any = ClapModel(config)  # Any: transformers' typed .to() confuses mypy
        model = model.to(device)
        if use_half(device):
            model = model.half()
        if feature_extractor is None:
            feature_extractor = ClapFeatureExtractor(
                feature_size=config.audio_config.num_mel_bins,
                max_length_s=_max_window_s(config),
                truncation="fusion" if config.audio_config.enable_fusion else "rand_trunc",
            )
        return cls(
            model,
            feature_extractor,
            tokenizer if tokenizer is not None else byte_tokenizer(),
            name=name,
            model_id="clap (random init)",
            device=device,
            batch_size=batch_size,
            duration=duration,
        )

    @classmethod
    def from_pretrained(cls, model_id: str, *, name: str, device: str = "cpu", batch_size: int = 16) -> ClapEncoder:
        """Real weights and processor from the Hugging Face cache, then the hub."""
        import torch

        from recsys.encoders.hub import load_weights, use_half

        try:
            from transformers import ClapModel, ClapProcessor
        except ImportError as exc:
            raise EncoderError(f"cannot load audio encoder '{name}': transformers is too old or missing ({exc})") from None
        dtype = torch.float16 if use_half(device) else torch.float32

        def load(local_only: bool) -> tuple[Any, Any]:
            processor = ClapProcessor.from_pretrained(model_id, local_files_only=local_only)
            model = ClapModel.from_pretrained(model_id, local_files_only=local_only, dtype=dtype)
            return model, processor

        model, processor = load_weights(load, modality="audio", name=name, model=model_id)
        return cls(
            model.to(device),
            processor.feature_extractor,
            processor.tokenizer,
            name=name,
            model_id=model_id,
            device=device,
            batch_size=batch_size,
        )

    # ----------------------------------------------------------------------- audio

    def windows(self, y: np.ndarray) -> list[np.ndarray]:
        """The excerpt's windows, in order (see the class docstring for the rule)."""
        y = middle_excerpt(y, self.duration, self.sample_rate)
        pieces = [y[s : s + self.window] for s in range(0, y.size, self.window)]
        if len(pieces) > 1 and pieces[-1].size < self.window // 2:
            pieces.pop()
        return pieces

    def _embed_windows(self, pieces: list[np.ndarray]) -> np.ndarray:
        import torch

        features = self.feature_extractor(pieces, sampling_rate=self.sample_rate, return_tensors="pt")
        # Every window fits, so none is "longer"; the extractor would otherwise mark a random one
        # (fused models) and make a vector depend on its batch.
        is_longer = torch.zeros((len(pieces), 1), dtype=torch.bool, device=self.device)
        with torch.inference_mode():
            out = self.model.get_audio_features(
                input_features=features["input_features"].to(self.device, dtype=self.dtype), is_longer=is_longer
            )
        out = getattr(out, "pooler_output", out)  # transformers 5 returns an output object
        return out.float().cpu().numpy()

    def encode(self, items: Sequence[np.ndarray]) -> np.ndarray:
        pieces, owners = split_waveforms(items, self.windows)
        if not pieces:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Windows of all items are batched together: a 30 s track is 3 rows of one batch.
        rows = np.concatenate(
            [self._embed_windows(pieces[s : s + self.batch_size]) for s in range(0, len(pieces), self.batch_size)]
        )
        pooled = np.zeros((len(items), self.dim), dtype=np.float64)
        np.add.at(pooled, owners, l2_normalise(rows))
        return l2_normalise(pooled)

    # ----------------------------------------------------------------------- text

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        """Captions in the audio space (same dim, L2-normalised), cut at 77 tokens.
        ``encode_text`` checks them first, and refuses when ``text_space`` is off (clap-music)."""
        import torch

        out: list[np.ndarray] = []
        with torch.inference_mode():
            for s in range(0, len(texts), self.batch_size):
                tokens = self.tokenizer(
                    texts[s : s + self.batch_size],
                    padding=True,
                    truncation=True,
                    max_length=self.text_tokens,
                    return_tensors="pt",
                )
                features = self.model.get_text_features(
                    input_ids=tokens["input_ids"].to(self.device),
                    attention_mask=tokens["attention_mask"].to(self.device),
                )
                out.append(getattr(features, "pooler_output", features).float().cpu().numpy())
        return l2_normalise(np.concatenate(out, axis=0))
