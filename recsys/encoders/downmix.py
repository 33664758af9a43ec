"""A multichannel file's sound as one mono waveform: the stereo downmix players and FFmpeg make
(ITU-R BS.775: L/R + 0.707 C + 0.707 Ls/Rs, the LFE dropped), folded to mono as the audio
encoders take it, and normalised by the channels that carry sound.

Each channel gets a mono weight, the (Lo + Ro) / 2 of the BS.775 stereo downmix:

- fronts (FL FR, and FLC FRC, wide WL WR, a stored downmix DL DR): 0.5 (1 into their own side);
- the centre FC: 0.707 (0.707 into both sides);
- surrounds (BL BR SL SR, the surround-direct SDL SDR, and any speaker not named here: the
  heights TFL TBL ...): 0.354 (0.707 into their own side), as FFmpeg folds 7.1's side and back
  pairs alike;
- centre surrounds and heights (BC TC TFC TBC BFC): 0.5 (0.707 split to both back sides,
  each 0.707 into its front side), FFmpeg's rule for a 4.0 or 6.1 back centre;
- LFE, LFE2: 0 (bass management's, not the mix's: FFmpeg's default lfe_mix_level);
- a layout whose channels have no names (a WAV without a channel mask, a libsndfile read: the
  order is not known, and a guess could drop a main channel as an LFE): every channel 1.

The weighted sum is divided by the weights of the channels that carry sound in the read (a peak
at or over -60 dBFS), so the mono is a weighted average of them: a 5.1 master holding a stereo
mix in its fronts alone (many DTS and DVD-Audio discs of stereo albums) gives that stereo's
(L + R) / 2 exactly, and one whose every channel sounds gets FFmpeg's clip-safe normalisation
(the weights summing to 1), never louder than its loudest channel. The plain average this
replaced divided by every channel, silent or LFE: such a 5.1 file decoded 5 to 10 dB quieter
than its stereo copy. Stereo and mono files do not come here (media._frame_mono averages
them as before, to the bit).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The downmix's name and version: changed with any change of the weights or the normalisation.
#: A stored point records it (``recsys.encoders.preparation``), so the next ingest re-encodes
#: the audio of its files of more than two channels, whose files did not change.
SCHEME = "bs775-active"

#: What the embedding cache's key of a file with more than two channels carries (ingest.inputs):
#: vectors of such files cached before this downmix (a plain average) are not served.
CACHE_MARK = f"|downmix={SCHEME}"

#: What a file of more than two channels was before 2026-11-28: the plain mean of every
#: channel, the LFE's and the silent ones' too (what a point stored without a record had)
PLAIN_MEAN = "plain-mean"

_FRONT = 0.5
_CENTRE = math.sqrt(0.5)
_SURROUND = math.sqrt(0.5) / 2
_CENTRE_SURROUND = 0.5

#: each named channel's mono weight (module docstring); a name not here is a surround's
CHANNEL_WEIGHTS: dict[str, float] = {
    **dict.fromkeys(("FL", "FR", "FLC", "FRC", "WL", "WR", "DL", "DR"), _FRONT),
    "FC": _CENTRE,
    **dict.fromkeys(("BL", "BR", "SL", "SR", "SDL", "SDR"), _SURROUND),
    **dict.fromkeys(("BC", "TC", "TFC", "TBC", "BFC"), _CENTRE_SURROUND),
    **dict.fromkeys(("LFE", "LFE2", "LFE1"), 0.0),
}

#: a channel whose peak in the read reaches this (-60 dBFS, media's quiet excerpt) carries sound
SOUNDING_PEAK = 1e-3

#: what PyAV names a channel of a layout given by count alone, or one it does not know
_UNNAMED = frozenset(("NONE", "NA", ""))


def channel_weights(names: tuple[str, ...]) -> np.ndarray:
    """The mono weight of each channel of a layout (its channels' names, as PyAV gives them:
    ``frame.layout.channels[i].name``); all 1 where any channel is unnamed (order unknown)."""
    if not names or any(n in _UNNAMED or n.startswith("USR") for n in names):
        return np.ones(len(names), dtype=np.float32)
    return np.asarray([CHANNEL_WEIGHTS.get(n, _SURROUND) for n in names], dtype=np.float32)


@dataclass(frozen=True)
class Layout:
    """A multichannel layout's weights, made once per read and reused for its frames."""

    names: tuple[str, ...]
    weights: np.ndarray

    @classmethod
    def of(cls, names: tuple[str, ...]) -> "Layout":
        return cls(names, channel_weights(names))


class Mixer:
    """The downmix of one read: ``add`` each frame's channels (weighted, summed), then multiply
    the joined samples by ``gain()``, the inverse of the sounding channels' weights. The gain is
    one number for the read, so the mono keeps the mix's dynamics (a surround that enters late
    does not change the level of what came before)."""

    def __init__(self) -> None:
        self._layouts: dict[tuple[str, ...], Layout] = {}
        self._layout: Layout | None = None
        self._sounding = np.zeros(0, dtype=bool)
        #: the sounding weights of layouts the stream had before (one that changes midway: rare)
        self._before = 0.0
        self.used = False

    def add(self, samples: np.ndarray, names: tuple[str, ...], planar: bool) -> np.ndarray:
        """``samples``: float32, channels first when ``planar`` (else one row a sample frame).
        Returns the frame's weighted sum of channels (float32, not yet normalised)."""
        layout = self._layouts.get(names)
        if layout is None:
            layout = self._layouts[names] = Layout.of(names)
        if layout is not self._layout:
            self._before = max(self._before, self._sounding_weight())
            self._layout, self._sounding = layout, np.zeros(len(names), dtype=bool)
        if samples.size and not self._sounding.all():  # once all sound, no peak is needed
            self._sounding |= np.max(np.abs(samples), axis=1 if planar else 0) >= SOUNDING_PEAK
        self.used = True
        w = layout.weights
        return np.asarray(w @ samples if planar else samples @ w, dtype=np.float32)

    def _sounding_weight(self) -> float:
        return 0.0 if self._layout is None else float(self._layout.weights[self._sounding].sum())

    def gain(self) -> float:
        """1 / the summed weights of the channels that sounded (of every channel with a weight,
        where none did: a silent read stays silent whatever the gain)."""
        total = max(self._before, self._sounding_weight())
        if total <= 0.0 and self._layout is not None:
            total = float(self._layout.weights.sum())
        return 1.0 / total if total > 0.0 else 1.0


def downmix_block(samples: np.ndarray, names: tuple[str, ...] | None = None) -> np.ndarray:
    """A whole block's mono (``samples``: frames x channels, float32), as ``Mixer`` gives it:
    what the libsndfile read (no layout: every channel weighted alike) uses."""
    mixer = Mixer()
    names = names if names is not None else ("NONE",) * samples.shape[1]
    y = mixer.add(np.ascontiguousarray(samples, dtype=np.float32), names, planar=False)
    return (y * np.float32(mixer.gain())).astype(np.float32, copy=False)


#: Suffixes of formats that hold at most two channels (MPEG audio layers I-III as FFmpeg decodes
#: them): ``audio_channels`` opens no decoder for them.
_STEREO_AT_MOST = frozenset({".mp3", ".mp2", ".mp1"})


def audio_channels(path: str | os.PathLike[str]) -> int | None:
    """How many channels a file's first audio stream has, from its header (nothing decoded): a
    FLAC's STREAMINFO read directly, an MP3's at most 2 without a look, any other file opened
    with PyAV (~2 ms). None when it is not a readable audio file. What the embedding cache's
    key asks (``CACHE_MARK``, ingest.inputs): a file of more than two channels is downmixed."""
    path = Path(path)
    if path.suffix.lower() in _STEREO_AT_MOST:
        return 2
    try:
        with open(path, "rb") as fh:
            head = fh.read(42)
    except OSError:
        return None
    # "fLaC", the STREAMINFO block's 4-byte header, then its 34 bytes: the channels less one in
    # bits 1-3 of the block's byte 12
    if head[:4] == b"fLaC" and len(head) == 42 and head[4] & 0x7F == 0:
        return ((head[20] >> 1) & 0x07) + 1
    try:
        import av

        # an absolute path: a relative name with a colon would be read as a protocol (media)
        with av.open(str(path.absolute()), metadata_errors="ignore") as container:
            streams = container.streams.audio
            return int(streams[0].channels) if streams else None
    except Exception:  # noqa: BLE001 - av.FFmpegError, OSError, ...: not an audio file it reads
        return None
