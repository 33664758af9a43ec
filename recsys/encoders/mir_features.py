"""The librosa features the MIR descriptor (``recsys.encoders.audio``) is built from, in numpy
and ``scipy.fft`` alone.

Why: ``describe`` runs in every audio decode worker (``MirDescriptorEncoder.worker_step``), and
any use of librosa imports numba (``librosa.util`` does): a worker grew from about 75 MB to
about 285 MB, and importing ``librosa.onset``/``librosa.beat`` cost about 1.3 s per worker
start. Nothing here imports librosa or numba.

What: each function follows librosa 0.11.0's code (core.spectrum.stft, power_to_db,
amplitude_to_db; filters.mel, filters.chroma; feature.mfcc, spectral_contrast,
spectral_flatness, rms; onset.onset_strength, onset_detect; util.peak_pick, util.normalize;
feature.rhythm.tempogram, tempo; core.audio.autocorrelate) for the arguments the descriptor
passes, operation for operation: the same dtypes, the same array layouts, the same FFT library
(``scipy.fft``, librosa's default) and the same reductions, so the results are librosa's to the
bit (``tests/test_mir_features.py`` holds them to librosa's own calls). Exactness matters
beyond the last digit for the two discrete features: an onset either clears its threshold or not,
and the tempo is an argmax over lag bins, so a rounding difference could move the vector by far
more than a rounding error. Stored collections and embedding caches hold vectors made by the
librosa version (registry name ``mir-librosa``, model ``librosa-mir-v1``): they stay valid.
The numba-compiled parts (``util.peak_pick``'s loop, ``util.abs2``) are rewritten to give the
same numbers: peak_pick's window means accumulate in float32 in window order, as numba's
``np.mean`` does.
"""

from __future__ import annotations

import numpy as np
import scipy.fft

_MAX_MEM_BLOCK = 2**8 * 2**10  # librosa.util.MAX_MEM_BLOCK: the stft's columns per rfft call


def hann(n: int) -> np.ndarray:
    """``scipy.signal.get_window("hann", n, fftbins=True)`` (periodic), as scipy computes it,
    without importing scipy.signal."""
    if n <= 1:
        return np.ones(n, dtype=np.float64)
    fac = np.linspace(-np.pi, np.pi, n + 1, dtype=np.float64)
    w = np.zeros(n + 1, dtype=np.float64)
    for k, a in enumerate((0.5, 0.5)):
        w += np.float64(a) * np.cos(k * fac)
    return w[:-1]


def frame(x: np.ndarray, frame_length: int, hop_length: int) -> np.ndarray:
    """``librosa.util.frame`` of a 1-D array: a (frame_length, n_frames) strided view."""
    return np.lib.stride_tricks.sliding_window_view(x, frame_length)[::hop_length].T


def fft_frequencies(sr: float, n_fft: int) -> np.ndarray:
    return np.fft.rfftfreq(n=n_fft, d=1.0 / sr)


# ---- spectrum ----------------------------------------------------------------------------


def stft(y: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    """``librosa.stft(y, n_fft=n_fft, hop_length=hop_length)``: periodic Hann window, centred
    frames with zero padding. Computed in librosa's pieces (the head frames that touch the
    left padding, the middle in blocks of ``MAX_MEM_BLOCK`` bytes of frames, the tail frames),
    so every rfft call sees the frames librosa's did; a Fortran-ordered complex matrix as
    librosa returns (the matrix products downstream depend on the layout)."""
    fft_window = hann(n_fft)[:, np.newaxis]
    dtype = np.complex128 if y.dtype == np.float64 else np.complex64
    half = n_fft // 2
    start_k = int(np.ceil(half / hop_length))
    tail_k = (y.shape[-1] + half - n_fft) // hop_length + 1
    head: np.ndarray | None = None
    tail: np.ndarray | None = None
    if tail_k <= start_k:
        start = 0
        y = np.pad(y, (half, half), mode="constant")
    else:
        start = start_k * hop_length - half
        y_pre = np.pad(y[: (start_k - 1) * hop_length - half + n_fft + 1], (half, 0), mode="constant")
        head = frame(y_pre, n_fft, hop_length)[:, :start_k]
        if tail_k * hop_length - half + n_fft <= y.shape[-1] + half:
            y_post = np.pad(y[tail_k * hop_length - half :], (0, half), mode="constant")
            tail = frame(y_post, n_fft, hop_length)
    frames = frame(y[start:], n_fft, hop_length)
    n_head = 0 if head is None else head.shape[-1]
    n_tail = 0 if tail is None else tail.shape[-1]
    out = np.zeros((1 + half, frames.shape[-1] + n_head + n_tail), dtype=dtype, order="F")
    if head is not None:
        out[:, :n_head] = scipy.fft.rfft(fft_window * head, axis=-2)
        if n_tail > 0:
            out[:, -n_tail:] = scipy.fft.rfft(fft_window * tail, axis=-2)
    n_columns = max(int(_MAX_MEM_BLOCK // (frames.shape[0] * frames.itemsize)), 1)
    for bl_s in range(0, frames.shape[-1], n_columns):
        bl_t = min(bl_s + n_columns, frames.shape[-1])
        out[:, bl_s + n_head : bl_t + n_head] = scipy.fft.rfft(fft_window * frames[:, bl_s:bl_t], axis=-2)
    return out


def power_to_db(S: np.ndarray, ref: float, amin: float = 1e-10, top_db: float | None = 80.0) -> np.ndarray:
    magnitude = np.asarray(S)
    log_spec: np.ndarray = 10.0 * np.log10(np.maximum(amin, magnitude))
    log_spec -= 10.0 * np.log10(np.maximum(amin, np.abs(ref)))
    if top_db is not None:
        log_spec = np.maximum(log_spec, log_spec.max() - top_db)
    return log_spec


def amplitude_to_db(S: np.ndarray, ref: float, amin: float = 1e-5, top_db: float | None = 80.0) -> np.ndarray:
    magnitude = np.abs(np.asarray(S))
    power = np.square(magnitude, out=magnitude)
    return power_to_db(power, ref=np.abs(ref) ** 2, amin=amin**2, top_db=top_db)


def normalize(S: np.ndarray, norm: float, axis: int) -> np.ndarray:
    """``librosa.util.normalize`` (threshold tiny(S), fill None) for norm inf, 1 or 2."""
    if not np.all(np.isfinite(S)):
        raise ValueError("Input must be finite")
    mag = np.abs(S).astype(float)
    if norm == np.inf:
        length = np.max(mag, axis=axis, keepdims=True)
    elif norm in (1, 2):
        length = np.sum(mag**norm, axis=axis, keepdims=True) ** (1.0 / norm)
    else:
        raise ValueError(f"unsupported norm {norm!r}")
    length[length < np.finfo(S.dtype).tiny] = 1.0
    out = np.empty_like(S)
    out[:] = S / length
    return out


# ---- filter banks ------------------------------------------------------------------------

_F_SP = 200.0 / 3
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOGSTEP = np.log(6.4) / 27.0


def _hz_to_mel(f: float) -> float:  # Slaney, a scalar
    mels = (np.asanyarray(f) - 0.0) / _F_SP
    if f >= _MIN_LOG_HZ:
        mels = _MIN_LOG_MEL + np.log(np.asanyarray(f) / _MIN_LOG_HZ) / _LOGSTEP
    return mels


def _mel_to_hz(mels: np.ndarray) -> np.ndarray:  # Slaney, an array
    freqs = 0.0 + _F_SP * mels
    log_t = mels >= _MIN_LOG_MEL
    freqs[log_t] = _MIN_LOG_HZ * np.exp(_LOGSTEP * (mels[log_t] - _MIN_LOG_MEL))
    return freqs


def mel_filters(sr: float, n_fft: int, n_mels: int, fmax: float | None = None) -> np.ndarray:
    """``librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmax=fmax, dtype=np.float32)``
    (Slaney mel scale and area normalisation, 0 Hz to ``fmax``, sr/2 by default)."""
    weights = np.zeros((n_mels, int(1 + n_fft // 2)), dtype=np.float32)
    fftfreqs = fft_frequencies(sr, n_fft)
    top = float(sr) / 2 if fmax is None else float(fmax)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(top), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]
    return weights


def chroma_filters(sr: float, n_fft: int, n_chroma: int = 12) -> np.ndarray:
    """``librosa.filters.chroma(sr=sr, n_fft=n_fft, tuning=0.0, dtype=np.float32)`` (centre
    octave 5, octave width 2, L2-normalised columns, C first)."""
    frequencies = np.linspace(0, sr, n_fft, endpoint=False)[1:]
    frqbins = n_chroma * np.log2(np.asanyarray(frequencies) / (float(440.0 * 2.0 ** (0.0 / n_chroma)) / 16))
    frqbins = np.concatenate(([frqbins[0] - 1.5 * n_chroma], frqbins))
    binwidthbins = np.concatenate((np.maximum(frqbins[1:] - frqbins[:-1], 1.0), [1]))
    D = np.subtract.outer(frqbins, np.arange(0, n_chroma, dtype="d")).T
    n_chroma2 = np.round(float(n_chroma) / 2)
    D = np.remainder(D + n_chroma2 + 10 * n_chroma, n_chroma) - n_chroma2
    wts = np.exp(-0.5 * (2 * D / np.tile(binwidthbins, (n_chroma, 1))) ** 2)
    wts = normalize(wts, norm=2, axis=0)
    wts *= np.tile(np.exp(-0.5 * (((frqbins / n_chroma - 5.0) / 2) ** 2)), (n_chroma, 1))
    wts = np.roll(wts, -3 * (n_chroma // 12), axis=0)
    return np.ascontiguousarray(wts[:, : int(1 + n_fft / 2)], dtype=np.float32)


# ---- spectral features -------------------------------------------------------------------


def mfcc(S_db: np.ndarray, n_mfcc: int) -> np.ndarray:
    """``librosa.feature.mfcc(S=S_db, n_mfcc=n_mfcc)``: DCT-II, orthonormal, no liftering."""
    return scipy.fft.dct(S_db, axis=-2, type=2, norm="ortho")[..., :n_mfcc, :]


def spectral_contrast(S: np.ndarray, sr: float, n_bands: int = 6, fmin: float = 200.0,
                      quantile: float = 0.02, freq: np.ndarray | None = None) -> np.ndarray:
    """``librosa.feature.spectral_contrast(S=S, sr=sr, n_bands=n_bands, freq=freq)`` (dB,
    octave bands); ``freq``: the frequencies of ``S``'s rows, for a spectrogram cut short."""
    if freq is None:
        freq = fft_frequencies(sr, 2 * (S.shape[-2] - 1))
    octa = np.zeros(n_bands + 2)
    octa[1:] = fmin * (2.0 ** np.arange(0, n_bands + 1))
    if np.any(octa[:-1] >= 0.5 * sr):
        raise ValueError("Frequency band exceeds Nyquist. Reduce either fmin or n_bands.")
    shape = list(S.shape)
    shape[-2] = n_bands + 1
    valley = np.zeros(shape)
    peak = np.zeros_like(valley)
    for k, (f_low, f_high) in enumerate(zip(octa[:-1], octa[1:])):
        current_band = np.logical_and(freq >= f_low, freq <= f_high)
        idx = np.flatnonzero(current_band)
        if k > 0:
            current_band[idx[0] - 1] = True
        if k == n_bands:
            current_band[idx[-1] + 1 :] = True
        sub_band = S[..., current_band, :]
        if k < n_bands:
            sub_band = sub_band[..., :-1, :]
        n = int(np.maximum(np.rint(quantile * np.sum(current_band)), 1))
        sortedr = np.sort(sub_band, axis=-2)
        valley[..., k, :] = np.mean(sortedr[..., :n, :], axis=-2)
        peak[..., k, :] = np.mean(sortedr[..., -n:, :], axis=-2)
    return power_to_db(peak, ref=1.0) - power_to_db(valley, ref=1.0)


def spectral_flatness(S: np.ndarray, amin: float = 1e-10, power: float = 2.0) -> np.ndarray:
    """``librosa.feature.spectral_flatness(S=S)`` of a magnitude spectrogram, (1, frames)."""
    S_thresh = np.maximum(amin, S**power)
    gmean = np.exp(np.mean(np.log(S_thresh), axis=-2, keepdims=True))
    amean = np.mean(S_thresh, axis=-2, keepdims=True)
    return gmean / amean


def rms(S: np.ndarray, frame_length: int) -> np.ndarray:
    """``librosa.feature.rms(S=S, frame_length=frame_length)`` of a magnitude spectrogram."""
    x = np.square(S, dtype=np.float32)
    x[..., 0, :] *= 0.5
    if frame_length % 2 == 0:
        x[..., -1, :] *= 0.5
    power = 2 * np.sum(x, axis=-2, keepdims=True) / frame_length**2
    return np.sqrt(power)


# ---- onsets and tempo --------------------------------------------------------------------


def onset_strength(S: np.ndarray, n_fft: int = 2048, hop_length: int = 512) -> np.ndarray:
    """``librosa.onset.onset_strength(S=S, hop_length=hop_length)`` of a (dB) spectrogram:
    lag 1, no max filter, the mean over bands of the positive first difference, shifted right
    by 1 + n_fft // (2 hop) frames (centred frames) and cut to the input's length."""
    S = np.atleast_2d(S)
    onset_env = np.maximum(0.0, S[..., 1:] - S[..., :-1])
    agg = np.empty((1, onset_env.shape[-1]), order="F" if np.isfortran(onset_env) else "C", dtype=onset_env.dtype)
    agg[0] = np.mean(onset_env, axis=-2)
    pad_width = 1 + n_fft // (2 * hop_length)
    agg = np.pad(agg, [(0, 0), (int(pad_width), 0)], mode="constant")
    return agg[..., : S.shape[-1]][0]


def _window_means(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``np.mean(x[lo[n]:hi[n]])`` for every n as numba's ``np.mean`` computes it inside
    librosa's peak picker: a sum in x's dtype in window order, divided in float64 and cast back
    to x's dtype (numpy's own mean would sum pairwise and divide in x's dtype)."""
    total = np.zeros(lo.size, dtype=x.dtype)
    for k in range(int((hi - lo).max())):
        i = lo + k
        inside = i < hi
        total[inside] += x[i[inside]]
    return (total.astype(np.float64) / (hi - lo)).astype(x.dtype)


def peak_pick(x: np.ndarray, pre_max: int, post_max: int, pre_avg: int, post_avg: int,
              delta: float, wait: int) -> np.ndarray:
    """``librosa.util.peak_pick`` (sparse) of a 1-D envelope: n is a peak when x[n] is the
    maximum of x[n - pre_max : n + post_max], x[n] >= mean(x[n - pre_avg : n + post_avg]) + delta,
    and no peak was taken in the ``wait`` frames before it. librosa's numba loop visits frames in
    order and jumps ``wait`` frames past each peak; each test depends on x alone, so the
    candidates are found at once and the jumps replayed over them."""
    x = np.asarray(x)
    size = x.shape[0]
    if size == 0:
        return np.array([], dtype=np.intp)
    n = np.arange(size)
    ends = np.full(pre_max, -np.inf, x.dtype), np.full(post_max, -np.inf, x.dtype)
    padded = np.concatenate([ends[0], x, ends[1]])  # the window's maximum, -inf off the ends
    window_max = np.lib.stride_tricks.sliding_window_view(padded, pre_max + post_max)[:size].max(axis=-1)
    avg = _window_means(x, np.maximum(0, n - pre_avg), np.minimum(n + post_avg, size))
    # numba types delta as float32: avgn + delta is computed in x's dtype (float32 for float32 x)
    candidates = np.flatnonzero((x == window_max) & (x >= avg + np.float32(delta)))
    peaks = []
    next_free = 0
    for c in candidates:
        if c >= next_free:
            peaks.append(c)
            next_free = c + wait + 1
    return np.asarray(peaks, dtype=np.intp)


def onset_detect(onset_envelope: np.ndarray, sr: float, hop_length: int, delta: float) -> np.ndarray:
    """``librosa.onset.onset_detect(onset_envelope=..., sr=sr, hop_length=hop_length,
    normalize=False, delta=delta)``: onset frames, with librosa's default windows (30 ms before
    for the maximum, 100 ms either side for the mean, 30 ms wait)."""
    if not onset_envelope.any() or not np.all(np.isfinite(onset_envelope)):
        return np.array([], dtype=int)
    ceil = lambda v: int(np.ceil(v))  # noqa: E731  (librosa's valid_int(cast=np.ceil))
    return peak_pick(
        onset_envelope,
        pre_max=ceil(0.03 * sr // hop_length),
        post_max=ceil(0.00 * sr // hop_length + 1),
        pre_avg=ceil(0.10 * sr // hop_length),
        post_avg=ceil(0.10 * sr // hop_length + 1),
        delta=delta,
        wait=ceil(0.03 * sr // hop_length),
    )


def autocorrelate(y: np.ndarray, axis: int = -1) -> np.ndarray:
    """``librosa.autocorrelate`` of a real array: |rfft|^2 back through irfft, zero-padded to
    a fast length of at least 2n - 1."""
    max_size = y.shape[axis]
    n_pad = scipy.fft.next_fast_len(2 * y.shape[axis] - 1, real=True)
    spec = scipy.fft.rfft(y, n=n_pad, axis=axis)
    powspec = spec.real**2 + spec.imag**2  # librosa.util.abs2 (a numba ufunc): the same sum
    autocorr = scipy.fft.irfft(powspec, n=n_pad, axis=axis)
    index = [slice(None)] * autocorr.ndim
    index[axis] = slice(max_size)
    return autocorr[tuple(index)]


def tempogram(onset_envelope: np.ndarray, win_length: int) -> np.ndarray:
    """``librosa.feature.tempogram(onset_envelope=..., win_length=...)``: windowed (Hann)
    autocorrelation of centred envelope frames, each column max-normalised."""
    ac_window = hann(win_length)
    n = onset_envelope.shape[-1]
    half = int(win_length // 2)
    padded = np.pad(onset_envelope, [(half, half)], mode="linear_ramp", end_values=[0, 0])
    odf_frame = frame(padded, win_length, 1)[..., :n]
    return normalize(autocorrelate(odf_frame * ac_window[:, np.newaxis], axis=-2), norm=np.inf, axis=-2)


def tempo(onset_envelope: np.ndarray, sr: float, hop_length: int, start_bpm: float = 120,
          std_bpm: float = 1.0, ac_size: float = 8.0, max_tempo: float = 320.0) -> float:
    """``librosa.feature.tempo(onset_envelope=..., sr=sr, hop_length=hop_length)``: the lag bin
    maximising the mean tempogram (log1p(1e6 x)) weighted by a log-normal prior around 120 BPM,
    in BPM."""
    win_length = int(np.floor((np.asanyarray(ac_size) * sr).astype(int) // hop_length))
    tg = tempogram(onset_envelope, win_length)
    tg = np.mean(tg, axis=-1, keepdims=True)
    bpms = np.zeros(int(win_length), dtype=np.float64)
    bpms[0] = np.inf
    bpms[1:] = 60.0 * sr / (hop_length * np.arange(1.0, win_length))
    logprior = -0.5 * ((np.log2(bpms) - np.log2(start_bpm)) / std_bpm) ** 2
    max_idx = int(np.argmax(bpms < max_tempo))
    logprior[:max_idx] = -np.inf
    best_period = np.argmax(np.log1p(1e6 * tg) + logprior[:, np.newaxis], axis=-2)
    return float(np.take(bpms, best_period)[0])
