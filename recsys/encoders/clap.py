"""Audio encoder: LAION CLAP through transformers' ``ClapModel``, with text in the same space.

CLAP's audio tower sees at most ``max_length_s`` (10 s) at a time, and its feature extractor
picks a random crop of anything longer. We never let it: the excerpt is cut into consecutive
windows of at most that length, each window is embedded whole, and the window vectors are
mean-pooled, so one waveform always gives one vector, whatever the batch around it.

The log-mel input features are computed in torch on the encoder's device (``ClapEncoder.features``,
batched, on the GPU under cuda): a port of ``ClapFeatureExtractor.__call__`` for windows no longer
than the model's (repeat/repeatpad/zero padding, reflect-centred STFT with the extractor's Hann
window, power 2, the extractor's own mel filters, dB), which agrees with it to the float32
rounding of the dB values (below 1e-5 dB; the tests allow 1e-4). Transformers' numpy extractor,
one frame at a time on one CPU thread, held CLAP to 19 clips/s on an H200. The extractor itself
remains the fallback for anything not ported (see ``_portable``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise, middle_excerpt, split_waveforms
from recsys.errors import EncoderError

SAMPLE_RATE = 48000
DURATION = 30.0  # seconds read per track (its middle), as for the MIR encoder: 3 CLAP windows
TEXT_TOKENS = 77  # CLAP's training caption length
PADDINGS = ("repeatpad", "repeat", "pad")  # the extractor's padding modes ("pad": zeros only)


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
    short pieces are repeat-padded as CLAP's feature extractor pads them. fp16 on cuda/mps.
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
        from recsys.encoders.hub import input_dtype

        # What the audio tower's first layer takes (not the first parameter's dtype).
        self.dtype = input_dtype(model.audio_model)
        # Features in torch (``features``) when the extractor's configuration is one we ported;
        # False makes every batch go through the extractor (tests compare the two).
        self.torch_features = self._portable(feature_extractor)
        #: pad the next batch while the device works on this one (``_embed_batches``); None:
        #: off the CPU
        self.prefetch: bool | None = None
        self._feature_consts: dict[str, Any] = {}
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
        half: bool | None = None,
    ) -> ClapEncoder:
        """Random weights of the architecture in ``config`` (a ``ClapConfig``), with a feature
        extractor sized to it and a byte-level tokenizer unless given: tests, benchmarks.
        ``half``: fp16 weights; None picks them as ``from_pretrained`` does (``use_half``)."""
        from transformers import ClapFeatureExtractor, ClapModel

        from recsys.encoders.hub import use_half

        model: Any = ClapModel(config)  # Any: transformers' typed .to() confuses mypy
        model = model.to(device)
        if use_half(device) if half is None else half:
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

    @staticmethod
    def _portable(feature_extractor: Any) -> bool:
        """Whether ``features`` reproduces this extractor: transformers' own ``ClapFeatureExtractor``
        (not a subclass that may change it) with a padding mode we know. Both truncation modes are
        ported for windows up to ``nb_max_samples`` (all ``windows`` gives); longer input, which
        the extractor crops at random ("rand_trunc") or fuses random crops of ("fusion"), is not."""
        try:
            from transformers import ClapFeatureExtractor
        except ImportError:
            return False
        return (
            type(feature_extractor) is ClapFeatureExtractor
            and feature_extractor.padding in PADDINGS
            and feature_extractor.truncation in ("rand_trunc", "fusion")
        )

    def _constants(self) -> dict[str, Any]:
        """The extractor's Hann window and (transposed) mel filters as tensors on ``self.device``,
        made once per device; the FFT in float64 as the extractor's numpy (float32 on mps, which
        has no float64)."""
        import torch
        from transformers.audio_utils import window_function

        key = str(self.device)
        if key not in self._feature_consts:
            fe = self.feature_extractor
            mps = key.startswith("mps")
            fusion = fe.truncation == "fusion"  # the extractor's filters for windows that fit
            filters = fe.mel_filters if fusion else fe.mel_filters_slaney  # (freq bins, mels)
            # The projection in float64 on cuda, where a float32 matmul may run in TF32 (10-bit
            # mantissa); on CPU float32 is as exact here (sums of positive terms) and faster.
            project = torch.float64 if key.startswith("cuda") else torch.float32
            fft = torch.float32 if mps else torch.float64
            self._feature_consts[key] = {
                "fft": fft,
                "window": torch.as_tensor(window_function(fe.fft_window_size, "hann"), dtype=fft).to(self.device),
                "mel_t": torch.as_tensor(np.asarray(filters).T.copy(), dtype=project).to(self.device),  # (mels, freq)
                "stack": 4 if fusion else 1,
            }
        return self._feature_consts[key]

    def _padded(self, pieces: list[np.ndarray]) -> Any:
        """The windows padded to ``nb_max_samples`` as the extractor pads them, in one (pinned,
        under cuda) host tensor: float32 when every piece is float32 (exact, as the extractor's
        float64 is), float64 otherwise."""
        import torch

        fe = self.feature_extractor
        n = self.window
        exact32 = all(np.asarray(p).dtype == np.float32 for p in pieces)
        out = torch.empty(
            (len(pieces), n),
            dtype=torch.float32 if exact32 else torch.float64,
            pin_memory=str(self.device).startswith("cuda"),
        )
        rows = out.numpy()
        for row, piece in zip(rows, pieces):
            y = np.asarray(piece, dtype=rows.dtype)
            m = y.size
            if m == n:
                row[:] = y
                continue
            # as ClapFeatureExtractor._get_input_mel for a waveform shorter than max_length
            if fe.padding == "repeat":
                row[:] = np.tile(y, int(n / m) + 1)[:n]
                continue
            k = m * int(n / m) if fe.padding == "repeatpad" else m
            row[:k] = np.tile(y, k // m)
            row[k:] = 0.0
        return out

    def _ported(self, pieces: list[np.ndarray]) -> bool:
        """Whether ``features`` computes these windows in torch (else the extractor does)."""
        return self.torch_features and not any(p.size == 0 or p.size > self.window for p in pieces)

    def _host_input(self, pieces: list[np.ndarray]) -> Any:
        """The host part of ``features``: the padded windows (None where the extractor runs)."""
        return self._padded(pieces) if self._ported(pieces) else None

    def features(self, pieces: list[np.ndarray], padded: Any = None) -> Any:
        """``input_features`` of the windows (each at most ``nb_max_samples`` long, none empty),
        float32 (batch, 1 or 4 for fused models, frames, mel bins) on ``self.device``: the
        extractor's, computed in torch (see ``_portable``), or by the extractor when not ported.
        ``padded``: ``_host_input(pieces)``, made beforehand (``encode`` makes the next batch's
        while the device works on this one)."""
        import torch

        if not self._ported(pieces):
            features = self.feature_extractor(pieces, sampling_rate=self.sample_rate, return_tensors="pt")
            return features["input_features"].to(self.device)
        fe = self.feature_extractor
        const = self._constants()
        with torch.inference_mode():
            y = (self._padded(pieces) if padded is None else padded).to(self.device, non_blocking=True).to(const["fft"])
            # transformers.audio_utils.spectrogram(center=True, pad_mode="reflect", power=2.0,
            # mel_filters, mel_floor=1e-10, log_mel="dB"): frames of fft_window_size every
            # hop_length samples, centred, times the window, one-sided FFT in float64, kept in
            # complex64 as the extractor keeps it.
            spec = torch.stft(
                y,
                n_fft=fe.fft_window_size,
                hop_length=fe.hop_length,
                win_length=fe.fft_window_size,
                window=const["window"],
                center=True,
                pad_mode="reflect",
                normalized=False,
                onesided=True,
                return_complex=True,
            ).to(torch.complex64)  # (batch, freq bins, frames)
            del y
            power = spec.abs().square_().to(const["mel_t"].dtype)
            del spec
            mel = torch.matmul(const["mel_t"], power)  # (batch, mels, frames)
            # mel_floor, then power_to_db(reference=1.0, min_value=1e-10, db_range=None): both
            # clip at 1e-10, and the extractor's top_db is never passed on (no range clipping).
            log_mel = torch.log10(mel.clamp_min_(1e-10)).mul_(10.0).to(torch.float32).transpose(1, 2)
            log_mel = log_mel.unsqueeze(1)  # (batch, 1, frames, mels)
            if const["stack"] > 1:  # fused models: the same mel in all 4 channels
                log_mel = log_mel.expand(-1, const["stack"], -1, -1)
            return log_mel.contiguous()

    def _embed_windows(self, pieces: list[np.ndarray], padded: Any = None) -> np.ndarray:
        import torch

        features = self.features(pieces, padded)
        # Every window fits, so none is "longer"; the extractor would otherwise mark a random one
        # (fused models) and make a vector depend on its batch.
        is_longer = torch.zeros((len(pieces), 1), dtype=torch.bool, device=self.device)
        with torch.inference_mode():
            out = self.model.get_audio_features(input_features=features.to(dtype=self.dtype), is_longer=is_longer)
        out = getattr(out, "pooler_output", out)  # transformers 5 returns an output object
        return out.float().cpu().numpy()

    def encode(self, items: Sequence[np.ndarray]) -> np.ndarray:
        pieces, owners = split_waveforms(items, self.windows)
        if not pieces:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Windows of all items are batched together: a 30 s track is 3 rows of one batch.
        batches = [pieces[s : s + self.batch_size] for s in range(0, len(pieces), self.batch_size)]
        rows = np.concatenate(list(self._embed_batches(batches)))
        pooled = np.zeros((len(items), self.dim), dtype=np.float64)
        np.add.at(pooled, owners, l2_normalise(rows))
        return l2_normalise(pooled)

    def _embed_batches(self, batches: list[list[np.ndarray]]) -> Iterator[np.ndarray]:
        """Each batch's window vectors, in order. Off the CPU (``prefetch``), the next batch's
        windows are padded into (pinned) host memory in a side thread while the device works on
        this one: a 128-window batch of 10 s is 246 MB to copy, time the GPU would otherwise
        wait. On the CPU the model uses every core, so the copy beside it only contends."""
        prefetch = not str(self.device).startswith("cpu") if self.prefetch is None else self.prefetch
        if not prefetch or len(batches) < 2:
            for pieces in batches:
                yield self._embed_windows(pieces)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="recsys-clap-pad") as side:
            pending = side.submit(self._host_input, batches[0])
            for k, pieces in enumerate(batches):
                padded = pending.result()
                if k + 1 < len(batches):
                    pending = side.submit(self._host_input, batches[k + 1])
                yield self._embed_windows(pieces, padded)

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
