"""A classical MIR audio descriptor: no weights, no training, no network.

The features are librosa's (0.11.0), computed by numpy/scipy ports of its code
(``recsys.encoders.mir_features``) to the bit, so neither librosa nor numba is imported where
``describe`` runs: the audio decode workers, where numba cost about 210 MB each.

Every number in the vector depends on the one waveform it describes and on fixed constants,
never on other tracks, so a query clip and an incrementally ingested track get exactly the
vector a full re-ingest would give them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from recsys.encoders.base import Encoder, EncoderInfo, l2_normalise, middle_excerpt, mono_waveforms
from recsys.errors import EncoderError

SAMPLE_RATE = 22050
DURATION = 30.0
N_FFT = 2048
HOP = 512
N_MELS = 40
N_MFCC = 20
N_CONTRAST_BANDS = 6  # librosa returns n_bands + 1 rows
ONSET_DELTA_DB = 2.0

#: (block name, size, weight). The weight is the norm a block of unit-scale values brings to the
#: vector before the final L2 normalisation: each block is divided by sqrt(size) first, so the
#: 40-dim mel blocks do not outvote the 5-dim rhythm block merely by having more numbers.
BLOCKS: tuple[tuple[str, int, float], ...] = (
    ("mel_mean", N_MELS, 1.0),
    ("mel_std", N_MELS, 1.0),
    ("mfcc_mean", N_MFCC - 1, 0.8),
    ("mfcc_std", N_MFCC - 1, 0.8),
    ("chroma_mean", 12, 0.7),
    ("chroma_std", 12, 0.5),
    ("contrast_mean", N_CONTRAST_BANDS + 1, 0.8),
    ("contrast_std", N_CONTRAST_BANDS + 1, 0.6),
    ("spectral", 7, 1.0),
    ("rhythm", 5, 1.0),
)
DIM = sum(size for _, size, _ in BLOCKS)  # 168
#: the highest frequency ``mir-librosa-v2``'s spectral features see (``MirDescriptorEncoder``)
BAND_LIMIT = 9500.0


def _soft_clip(x: np.ndarray, limit: float = 3.0) -> np.ndarray:
    # Bounded but monotonic: one extreme feature (a pure tone's empty bands) cannot swamp a block.
    return limit * np.tanh(np.asarray(x, dtype=np.float64) / limit)


def _zscore(x: np.ndarray, floor: float) -> np.ndarray:
    """Shape of a profile within one track; ``floor`` keeps a near-flat profile (white noise
    chroma, say) from being blown up into large values by a tiny spread."""
    return (x - x.mean()) / max(float(x.std()), floor)


def _safe_log2(x: float, ref: float) -> float:
    return float(np.log2(max(x, 1e-6) / ref))


@functools.lru_cache(maxsize=8)
def _filters(sr: int, band_limit: float | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mel filter bank, chroma filter bank, FFT bin frequencies) at ``sr``: what librosa's
    melspectrogram, chroma_stft (tuning 0) and spectral_* build on each call; with
    ``band_limit``, the bins up to it alone (``_features``)."""
    from recsys.encoders import mir_features as mf

    freqs = mf.fft_frequencies(sr, N_FFT)
    if band_limit is None:
        return mf.mel_filters(sr, N_FFT, N_MELS), mf.chroma_filters(sr, N_FFT), freqs
    bins = _bins(sr, band_limit)
    mel = np.ascontiguousarray(mf.mel_filters(sr, N_FFT, N_MELS, fmax=band_limit)[:, :bins])
    chroma = np.ascontiguousarray(mf.chroma_filters(sr, N_FFT)[:, :bins])
    return mel, chroma, freqs[:bins]


def _bins(sr: int, band_limit: float) -> int:
    """How many FFT bins lie at or below ``band_limit`` Hz."""
    from recsys.encoders import mir_features as mf

    return int(np.searchsorted(mf.fft_frequencies(sr, N_FFT), band_limit, side="right"))


def _centroid_bandwidth_rolloff(mag: np.ndarray, freqs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """librosa's spectral_centroid, spectral_bandwidth (p=2) and spectral_rolloff (85%) of
    each frame, with the spectrum normalised once for the first two (librosa does it twice)."""
    from recsys.encoders.mir_features import normalize

    weights = normalize(mag, norm=1, axis=-2)
    f = freqs[:, None]
    centroid = np.sum(f * weights, axis=-2, keepdims=True)
    bandwidth = np.sum(weights * np.abs(f - centroid) ** 2, axis=-2) ** 0.5
    energy = np.cumsum(mag, axis=-2)
    reached = np.where(energy < 0.85 * energy[-1:, :], np.nan, 1)
    rolloff = np.nanmin(reached * f, axis=-2)
    return centroid[0], bandwidth, rolloff


def _zero_crossing_rate(y: np.ndarray) -> np.ndarray:
    """librosa's zero_crossing_rate (frames of N_FFT every HOP, centred with edge padding,
    |y| <= 1e-10 as zero, zero counted as positive), from one pass over the samples instead of
    one per frame (each sample lies in four frames): the crossings are summed once and each
    frame's count is a difference of the running sum."""
    half = N_FFT // 2
    padded = np.pad(y, (half, half), mode="edge")
    negative = np.signbit(np.where(np.abs(padded) <= 1e-10, 0.0, padded))
    running = np.concatenate([[0], np.cumsum(negative[1:] != negative[:-1])])
    starts = np.arange(0, padded.size - N_FFT + 1, HOP)
    # frame [s, s + N_FFT) holds the crossings between its consecutive samples: pairs s+1..s+N_FFT-1
    return (running[starts + N_FFT - 1] - running[starts]) / N_FFT


def _features(y: np.ndarray, sr: int, band_limit: float | None = None) -> dict[str, np.ndarray]:
    """The raw features of one waveform (librosa's, computed by ``mir_features``), before
    ``_scaled`` puts them into the descriptor's blocks. With ``band_limit`` (Hz), every
    spectral feature but the loudness sees the spectrum up to it alone (``BAND_LIMIT``)."""
    from recsys.encoders import mir_features as mf  # librosa's features, without librosa

    if not np.all(np.isfinite(y)):  # librosa.stft refused these (ParameterError)
        raise EncoderError("audio descriptor: the waveform has non-finite samples")
    if y.size < N_FFT:  # a very short clip still yields frames; padding adds only silence
        y = np.pad(y, (0, N_FFT - y.size))
    whole = np.abs(mf.stft(y, n_fft=N_FFT, hop_length=HOP))
    mag = whole if band_limit is None else whole[: _bins(sr, band_limit)]
    power = mag**2
    mel_basis, chroma_basis, freqs = _filters(sr, band_limit)
    # librosa's melspectrogram and chroma_stft build their filter banks anew on every call
    # (more time than the products themselves): built once per rate, the same products
    mel = mel_basis @ power
    # Relative to the clip's own peak: a quiet master and a loud one of the same song match.
    mel_db = mf.power_to_db(mel, ref=max(float(mel.max()), 1e-10), top_db=80.0)
    centroid, bandwidth, rolloff = _centroid_bandwidth_rolloff(mag, freqs)
    rms = mf.rms(whole, frame_length=N_FFT)[0]
    onset = mf.onset_strength(mel_db, n_fft=N_FFT, hop_length=HOP)
    return {
        "y": y,
        "mel_db": mel_db,
        "mfcc": mf.mfcc(mel_db, n_mfcc=N_MFCC)[1:],  # c0 is overall level: dropped
        # tuning=0: estimating it per clip is slow and warns on noise and drones.
        "chroma": mf.normalize(chroma_basis @ power, norm=np.inf, axis=-2),
        "contrast": mf.spectral_contrast(mag, sr, n_bands=N_CONTRAST_BANDS, freq=None if band_limit is None else freqs),
        "centroid": centroid, "bandwidth": bandwidth, "rolloff": rolloff,
        "flatness": mf.spectral_flatness(mag)[0],
        "rms_db": mf.amplitude_to_db(rms, ref=max(float(rms.max()), 1e-10), top_db=80.0),
        "onset": onset,
        # Absolute threshold (dB rise averaged over bands): with the default per-clip
        # normalisation a drone's tiny wobbles would count as onsets.
        "peaks": mf.onset_detect(onset, sr=sr, hop_length=HOP, delta=ONSET_DELTA_DB),
        "tempo": mf.tempo(onset, sr=sr, hop_length=HOP),
    }


def _scaled(f: dict[str, np.ndarray], sr: int) -> dict[str, np.ndarray]:
    """``_features`` scaled into the descriptor's blocks (also what the tests' librosa
    reference scales its features with: ``tests/support/mir_reference.py``)."""
    mel_db, mfcc, contrast, onset = f["mel_db"], f["mfcc"], f["contrast"], f["onset"]
    centroid, bandwidth, rolloff = f["centroid"], f["bandwidth"], f["rolloff"]
    # Higher cepstral coefficients are smaller (means roughly 1/k): scaling means by k and
    # stds by sqrt(k) keeps the top coefficients from vanishing next to c1.
    k = np.arange(1, N_MFCC, dtype=np.float64)
    # Rotate so the dominant pitch class comes first: the profile (tonal or not, major or
    # minor colour) is kept, the key is not, so a song and its transposition stay close.
    chroma = f["chroma"]
    chroma = np.roll(chroma, -int(np.argmax(chroma.mean(axis=1))), axis=0)
    zcr = _zero_crossing_rate(f["y"])
    seconds = max(f["y"].size / sr, 1e-3)
    return {
        "mel_mean": _zscore(mel_db.mean(axis=1), floor=3.0),
        "mel_std": (mel_db.std(axis=1) - 8.0) / 5.0,
        "mfcc_mean": mfcc.mean(axis=1) * k / 60.0,
        "mfcc_std": (mfcc.std(axis=1) * np.sqrt(k) / 10.0) - 1.0,
        "chroma_mean": (chroma.mean(axis=1) - 0.5) / 0.25,
        "chroma_std": (chroma.std(axis=1) - 0.2) / 0.1,
        "contrast_mean": (contrast.mean(axis=1) - 20.0) / 8.0,
        "contrast_std": (contrast.std(axis=1) - 5.0) / 3.0,
        "spectral": np.array(
            [
                _safe_log2(float(centroid.mean()), 2000.0),
                float(centroid.std() / max(centroid.mean(), 1e-6)) / 0.3 - 1.0,
                _safe_log2(float(bandwidth.mean()), 2000.0),
                _safe_log2(float(rolloff.mean()), 4000.0),
                (float(np.log10(max(f["flatness"].mean(), 1e-6))) + 2.0),
                _safe_log2(float(zcr.mean()), 0.08),
                (float(f["rms_db"].std()) - 6.0) / 4.0,
            ]
        ),
        "rhythm": np.array(
            [
                float(np.log1p(onset.mean())) - 1.0,
                float(onset.std() / max(onset.mean(), 1e-6)) - 1.0,
                # +0.25/s keeps "no onsets at all" at a finite -3 instead of log(0).
                _safe_log2(len(f["peaks"]) / seconds + 0.25, 2.0),
                _safe_log2(float(f["tempo"]), 120.0) * 2.0,
                _pulse_clarity(onset, sr) * 4.0 - 2.0,
            ]
        ),
    }


def _blocks(y: np.ndarray, sr: int, band_limit: float | None = None) -> dict[str, np.ndarray]:
    return _scaled(_features(y, sr, band_limit), sr)


def _pulse_clarity(onset: np.ndarray, sr: int) -> float:
    """Peak of the onset envelope's normalised autocorrelation between 40 and 240 BPM:
    near 1 for a steady beat, near 0 for a drone or free-time texture."""
    o = onset - onset.mean()
    denom = float(np.dot(o, o))
    if denom <= 1e-12:
        return 0.0
    frames_per_s = sr / HOP
    lo, hi = int(frames_per_s * 60 / 240), int(frames_per_s * 60 / 40)
    hi = min(hi, o.size - 1)
    if hi <= lo:
        return 0.0
    ac = np.correlate(o, o, mode="full")[o.size - 1 :] / denom
    return float(np.clip(ac[lo : hi + 1].max(), 0.0, 1.0))


def describe(y: np.ndarray, sr: int = SAMPLE_RATE, band_limit: float | None = None) -> np.ndarray:
    """The weighted, unnormalised descriptor of one waveform (float64, ``DIM`` values)."""
    blocks = _blocks(y, sr, band_limit)
    parts = []
    for name, size, weight in BLOCKS:
        block = _soft_clip(blocks[name])
        if block.shape != (size,):  # a change in band counts must not pass silently
            raise EncoderError(f"audio descriptor block {name} has {block.shape[0]} values, expected {size}")
        parts.append(block * (weight / np.sqrt(size)))
    return np.nan_to_num(np.concatenate(parts))


@dataclass(frozen=True, eq=False)
class Described:
    """A clip's ``describe`` made where it was decoded: a decode worker process
    (``MirDescriptorEncoder.worker_step``). Computing it there spreads the descriptor's numpy
    work (about 60 ms a clip) over the workers, where the encoding thread did every clip
    alone, and sends 168 numbers back instead of the clip's 660k samples."""

    vector: np.ndarray


def described_clip(y: np.ndarray, sr: int, duration: float, band_limit: float | None = None) -> Described:
    """``MirDescriptorEncoder``'s work on one decoded waveform, run in a decode worker."""
    return Described(describe(middle_excerpt(mono_waveforms([y])[0], duration, sr), sr, band_limit))


#: a valid waveform standing in for a ``Described`` item while the others are checked
_CHECKED_ELSEWHERE = np.zeros(1, dtype=np.float32)


class MirDescriptorEncoder(Encoder):
    """Standardised MIR descriptor of a mono waveform at 22 050 Hz; 168 dims, L2-normalised.

    Layout (statistics are over STFT frames, n_fft 2048, hop 512):

    ====== ============== ======================================================
    dims   block          content and fixed scaling
    ====== ============== ======================================================
    0-39   mel_mean       mean log-mel (40 bands, dB re clip peak), z-scored
                          within the block: spectral envelope shape
    40-79  mel_std        std over time of each log-mel band, (x-8 dB)/5
    80-98  mfcc_mean      MFCC 1-19 means (c0, the level, dropped), x*k/60
    99-117 mfcc_std       MFCC 1-19 stds, x*sqrt(k)/10 - 1
    118-129 chroma_mean   chroma means, rotated so the strongest pitch class is
                          first (key-invariant), (x-0.5)/0.25
    130-141 chroma_std    chroma stds in the same rotation, (x-0.2)/0.1
    142-148 contrast_mean spectral contrast (6 bands + valley), (x-20 dB)/8
    149-155 contrast_std  its std over time, (x-5 dB)/3
    156-162 spectral      log2 centroid/2 kHz, centroid variation, log2
                          bandwidth/2 kHz, log2 rolloff/4 kHz, log10 flatness+2,
                          log2 ZCR/0.08, loudness dynamics (RMS dB std)
    163-167 rhythm        log onset strength, onset variation, log2 (onsets per
                          second+0.25)/2, 2*log2 tempo/120 BPM, pulse clarity
    ====== ============== ======================================================

    Each value is soft-clipped to +-3 (3*tanh(x/3)); each block is multiplied by
    weight/sqrt(size) (weights in ``BLOCKS``) so no block dominates by its size; the whole
    vector is then L2-normalised. Nothing depends on other tracks.

    ``band_limit`` (``mir-librosa-v2``: ``BAND_LIMIT``): the spectral features see the
    spectrum up to that frequency alone (the mel bank ends there, the contrast's top octave
    and the centroid, bandwidth, rolloff, flatness and chroma stop there). At 22 050 Hz the
    band from about 10 kHz to 11 kHz says how a file was made, not what it sounds like: the
    resampler's filter empties it for a 44.1 kHz file and leaves it full for one made at
    22.05 kHz, and a lossy encoder's lowpass empties it at low rates. Left in, the same
    recording as a 22.05 kHz WAV stood at cosine 0.907 (median) from its 44.1 kHz FLAC, and
    22.05 kHz files of different recordings found each other first (docs/encoders.md).

    A waveform longer than
    ``duration`` is cut to its middle ``duration`` seconds, the excerpt ``recsys.media.load_audio``
    reads by default, so passing a whole track or its excerpt gives the same vector.
    """

    sample_rate: int = SAMPLE_RATE
    duration: float = DURATION
    device: str = "cpu"  # numpy/scipy only; kept so every encoder reports one

    def __init__(self, name: str = "mir-librosa", batch_size: int = 32, band_limit: float | None = None,
                 model: str = "librosa-mir-v1") -> None:
        self.info = EncoderInfo(name=name, modality="audio", model=model, dim=DIM)
        self.batch_size = batch_size  # unused (no model); kept so every encoder takes the option
        self.band_limit = band_limit
        # what the decode workers run (Encoder.worker_step): a partial of a module function,
        # which pickles to them
        self.worker_step = functools.partial(described_clip, band_limit=band_limit)

    def _excerpt(self, y: np.ndarray) -> np.ndarray:
        return middle_excerpt(y, self.duration, self.sample_rate)

    def encode(self, items: Sequence[np.ndarray]) -> np.ndarray:
        out = np.zeros((len(items), DIM), dtype=np.float64)
        waves = mono_waveforms([_CHECKED_ELSEWHERE if isinstance(y, Described) else y for y in items])
        for i, (item, y) in enumerate(zip(items, waves)):
            if isinstance(item, Described):  # made by a decode worker (worker_step)
                if item.vector.shape != (DIM,):
                    raise EncoderError(f"audio item {i}: a descriptor of {item.vector.shape} values, expected ({DIM},)")
                out[i] = item.vector
            else:
                out[i] = describe(self._excerpt(y), self.sample_rate, self.band_limit)
        return l2_normalise(out)
