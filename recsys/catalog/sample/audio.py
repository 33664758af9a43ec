"""Synthesised 6-second clips for the sample catalog, one small synth per genre.

The genres are built to differ in what audio encoders hear: tempo, register, spectral
brightness, loudness and texture (sustained pads vs. plucks vs. distorted chords), while the
key, tempo (about +-8%) and timbre of every track are drawn per track so that tracks of one
genre cluster without being copies. Everything is numpy/scipy; no sample is copied.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

import numpy as np
from scipy.signal import fftconvolve, lfilter

SR = 22050
DURATION = 6.0
N = int(SR * DURATION)
MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)

#: genre -> (tempo centre, relative tempo spread, lowest root, highest root, P(minor), peak)
SPECS: dict[str, tuple[float, float, int, int, float, float]] = {
    "ambient": (64, 0.08, 48, 57, 0.5, 0.45),
    "techno": (130, 0.035, 36, 43, 0.8, 0.9),  # spread kept inside 125-135 bpm
    "folk": (90, 0.08, 40, 47, 0.2, 0.7),
    "metal": (176, 0.08, 38, 45, 1.0, 0.98),
    "jazz": (150, 0.08, 41, 48, 0.0, 0.6),
    "classical-piano": (80, 0.08, 48, 57, 0.5, 0.6),
    "reggae": (75, 0.05, 36, 43, 0.4, 0.7),
    "chiptune": (150, 0.08, 48, 57, 0.3, 0.6),
}
GENRES: tuple[str, ...] = tuple(SPECS)


@dataclass(frozen=True)
class Params:
    """Everything that makes one clip: versions of a track reuse its seed, so the notes match."""

    genre: str
    root: int  # MIDI note of the key
    minor: bool
    bpm: float
    bright: float  # 0..1, each genre maps it to a filter cutoff or partial balance
    decay: float  # 0..1, note length / sustain
    drive: float  # 0..1, distortion or density
    seed: int

    @property
    def key_name(self) -> str:
        names = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
        return f"{names[self.root % 12]} {'minor' if self.minor else 'major'}"


def draw_params(genre: str, rng: np.random.Generator) -> Params:
    bpm, spread, low, high, p_minor, _ = SPECS[genre]
    return Params(
        genre=genre,
        root=int(rng.integers(low, high + 1)),
        minor=bool(rng.random() < p_minor),
        bpm=float(bpm * (1 + rng.uniform(-spread, spread))),
        bright=float(rng.random()),
        decay=float(rng.random()),
        drive=float(rng.random()),
        seed=int(rng.integers(2**31)),
    )


# ---- building blocks ------------------------------------------------------------------------

def hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _t(seconds: float) -> np.ndarray:
    return _time_axis(int(seconds * SR))


@lru_cache(maxsize=64)
def _time_axis(n: int) -> np.ndarray:
    """Sample times; cached (and read-only) because the same note lengths recur thousands of times."""
    t = np.arange(n) / SR
    t.flags.writeable = False
    return t


def lowpass(x: np.ndarray, cutoff: float) -> np.ndarray:
    a = 1 - np.exp(-2 * np.pi * cutoff / SR)
    return lfilter([a], [1, a - 1], x)


def highpass(x: np.ndarray, cutoff: float) -> np.ndarray:
    return x - lowpass(x, cutoff)


def perc(seconds: float, decay: float, attack: float = 0.003) -> np.ndarray:
    t = _t(seconds)
    return np.minimum(t / attack, 1.0) * np.exp(-t / decay)


def pad_env(seconds: float, attack: float, release: float) -> np.ndarray:
    t = _t(seconds)
    return np.clip(np.minimum(t / attack, (seconds - t) / release), 0.0, 1.0)


def sine(f: float, seconds: float) -> np.ndarray:
    return np.sin(2 * np.pi * f * _t(seconds))


def saw(f: float, seconds: float) -> np.ndarray:
    return 2 * ((f * _t(seconds)) % 1.0) - 1


def square(f: float, seconds: float, duty: float = 0.5) -> np.ndarray:
    return np.where((f * _t(seconds)) % 1.0 < duty, 1.0, -1.0)


def pluck(f: float, seconds: float, rng: np.random.Generator, bright: float, sustain: float) -> np.ndarray:
    """Karplus-Strong: a noise burst recirculated through a delay line with an averaging
    filter, computed one period (block) at a time because each block needs only earlier ones."""
    period = max(2, int(round(SR / f)))
    n = int(seconds * SR)
    y = np.zeros(n + 1)  # y[0] is a zero guard so that y[i - period - 1] exists for the 1st block
    burst = lowpass(rng.uniform(-1, 1, period), 1500 + 6000 * bright)
    y[1 : period + 1] = burst[: min(period, n)]
    gain = 0.5 * (0.985 + 0.013 * sustain)
    for start in range(period + 1, n + 1, period):
        stop = min(start + period, n + 1)
        width = stop - start
        back = start - period
        y[start:stop] = gain * (y[back : back + width] + y[back - 1 : back - 1 + width])
    return y[1:]


def kick(seconds: float = 0.35, high: float = 150, low: float = 45, decay: float = 0.18) -> np.ndarray:
    t = _t(seconds)
    freq = low + (high - low) * np.exp(-t / 0.03)
    return np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / decay)


def noise_hit(rng: np.random.Generator, seconds: float, decay: float, cutoff: float) -> np.ndarray:
    return highpass(rng.standard_normal(int(seconds * SR)), cutoff) * perc(seconds, decay)


def chord(root: int, minor: bool, degree: int, voicing: tuple[int, ...] = (0, 2, 4)) -> list[int]:
    """MIDI notes of the diatonic chord on ``degree`` (0-based), stacked in thirds."""
    scale = MINOR if minor else MAJOR
    return [root + 12 * ((degree + v) // 7) + scale[(degree + v) % 7] for v in voicing]


class Mix:
    """A mono buffer that notes are added into at a time in seconds; tails past 6 s are cut."""

    def __init__(self) -> None:
        self.buf = np.zeros(N)

    def add(self, at: float, sig: np.ndarray, gain: float = 1.0) -> None:
        start = int(round(at * SR))
        if start >= N or start + len(sig) <= 0:
            return
        seg = sig[max(0, -start) : N - start]
        start = max(0, start)
        self.buf[start : start + len(seg)] += gain * seg


# ---- the genres ---------------------------------------------------------------------------

def _ambient(p: Params, rng: np.random.Generator, m: Mix) -> None:
    degrees = [0, int(rng.choice([3, 5, 4]))]
    for i, degree in enumerate(degrees):  # two slow chords, 4.5 s each, overlapping
        for note in chord(p.root, p.minor, degree, (0, 2, 4, 8)):
            for cents in (-6 - 6 * p.drive, 6 + 6 * p.drive):
                pad = sine(hz(note) * 2 ** (cents / 1200), 4.5) * pad_env(4.5, 1.2 + p.decay, 1.5)
                m.add(i * 3.0 - 0.5 * i, pad, 0.09)
    t = np.arange(N) / SR
    m.buf *= 1 + 0.35 * np.sin(2 * np.pi * (0.12 + 0.1 * p.bright) * t)
    swell = 0.5 + 0.5 * np.sin(2 * np.pi * 0.15 * t + rng.uniform(0, 6))
    cutoff = 250 + 250 * p.bright
    m.buf += lowpass(lowpass(rng.standard_normal(N), cutoff), cutoff) * swell * 0.3  # ocean/breath
    scale = MINOR if p.minor else MAJOR
    for at in np.sort(rng.uniform(0.5, 5.0, 3)):  # sparse soft bells
        bell = sine(hz(p.root + 24 + scale[int(rng.integers(7))]), 2.0) * perc(2.0, 0.8)
        m.add(float(at), bell, 0.05)


def _techno(p: Params, rng: np.random.Generator, m: Mix) -> None:
    beat = 60 / p.bpm
    bass_notes = [p.root - 12 + int(rng.choice([0, 0, 12, 7, 3 if p.minor else 4])) for _ in range(4)]
    stab = sum(saw(hz(n), 0.12) for n in chord(p.root + 12, p.minor, 0)) * perc(0.12, 0.05)
    for b in range(int(DURATION / beat) + 1):
        at = b * beat
        m.add(at, kick(), 1.0)  # four on the floor
        m.add(at + beat / 2, noise_hit(rng, 0.06, 0.015, 7000), 0.35)  # open offbeat hat
        m.add(at + beat / 4, noise_hit(rng, 0.03, 0.008, 8000), 0.15)
        m.add(at + 3 * beat / 4, noise_hit(rng, 0.03, 0.008, 8000), 0.15)
        if b % 2 == 1:
            m.add(at, noise_hit(rng, 0.2, 0.05, 1200), 0.3)  # clap
        for k, off in enumerate((0.5, 0.75)):  # rolling offbeat saw bass
            note = bass_notes[(2 * b + k) % 4]
            sig = lowpass(saw(hz(note), 0.2), 250 + 1000 * p.bright) * perc(0.2, 0.08 + 0.06 * p.decay)
            m.add(at + off * beat, sig, 0.8)
        if b % 4 == 3 and p.drive > 0.3:
            m.add(at + beat * 0.75, lowpass(stab, 1500 + 2000 * p.bright), 0.15)


def _folk(p: Params, rng: np.random.Generator, m: Mix) -> None:
    beat = 60 / p.bpm
    prog = [0, 4, 5, 3] if not p.minor else [0, 5, 2, 6]
    pattern = (0, 3, 1, 2, 3, 1, 2, 1)  # fingerpicking: bass, then up and down the chord
    for half in range(int(DURATION / (2 * beat)) + 1):
        notes = chord(p.root + 12, p.minor, prog[half % 4], (0, 2, 4, 7))
        notes[0] -= 12  # bass string
        for k in range(4):  # four eighth notes per chord (two beats)
            at = half * 2 * beat + k * beat / 2 + rng.normal(0, 0.006)
            note = notes[pattern[(half * 4 + k) % 8] % 4]
            m.add(at, pluck(hz(note), 1.2, rng, p.bright, p.decay), 0.5 + 0.15 * rng.random())
        for j, note in enumerate(notes[1:]):  # a soft strum on the chord change
            m.add(half * 2 * beat + 0.012 * j, pluck(hz(note), 1.0, rng, p.bright * 0.6, p.decay), 0.2)


def _metal(p: Params, rng: np.random.Generator, m: Mix) -> None:
    sixteenth = 60 / p.bpm / 4
    accents = set(rng.choice(16, size=4, replace=False).tolist()) | {0}
    riff_roots = [p.root + int(rng.choice([0, 0, 1, 3, 5, 6])) for _ in range(4)]
    drive = 8 + 14 * p.drive
    for s in range(int(DURATION / sixteenth) + 1):
        at = s * sixteenth
        root = riff_roots[(s // 16) % 4] if s % 16 in accents else p.root
        length = 0.32 if s % 16 in accents else 0.07  # open power chord vs. palm-muted chug
        sig = sum(saw(hz(n) * (1 + d), length) for n in (root, root + 7, root + 12) for d in (-0.003, 0.003))
        sig = np.tanh(drive * sig * perc(length, length * 0.7, 0.001))
        cutoff = 2500 + 3000 * p.bright if length > 0.1 else 900
        m.add(at, lowpass(sig, cutoff), 0.3)
        if s % 2 == 0:
            m.add(at, kick(0.12, 180, 55, 0.05), 0.6)  # double bass drum
        if s % 8 == 4:
            snare = noise_hit(rng, 0.18, 0.07, 1500) + 0.5 * sine(190, 0.18) * perc(0.18, 0.05)
            m.add(at, snare, 0.6)
    for at in (0.0, DURATION / 2):
        m.add(at, noise_hit(rng, 2.0, 0.7, 5000), 0.35)  # crash
    m.buf = np.tanh(2.0 * m.buf)


def _jazz(p: Params, rng: np.random.Generator, m: Mix) -> None:
    beat = 60 / p.bpm
    swing = beat * (0.62 + 0.08 * p.drive)  # the late second eighth of a swung pair
    prog = [1, 4, 0, 5]  # ii - V - I - vi
    bars = int(DURATION / (4 * beat)) + 1
    for bar in range(bars):
        chord_root = chord(p.root, False, prog[bar % 4], (0,))[0]
        next_root = chord(p.root, False, prog[(bar + 1) % 4], (0,))[0]
        tones = chord(p.root, False, prog[bar % 4], (0, 2, 4, 6))
        walk = [chord_root, tones[1], tones[2], next_root + int(rng.choice([-1, 1]))]
        for k, note in enumerate(walk):  # walking bass, one note a beat
            note = note - 12 if note > p.root + 9 else note
            tone = sine(hz(note), 0.6) + 0.35 * sine(hz(note) * 2, 0.6)
            m.add((bar * 4 + k) * beat, lowpass(tone * perc(0.6, 0.25 + 0.2 * p.decay, 0.008), 900), 0.5)
        voicing = chord(p.root + 12, False, prog[bar % 4], (2, 6, 8, 4))  # 3rd, 7th, 9th, 5th
        for at in rng.choice([beat + swing, 3 * beat, 2 * beat + swing, 0.0], size=2, replace=False):
            t = _t(0.7)
            index = (1.5 + 2 * p.bright) * np.exp(-t / 0.15)  # FM bell: an electric-piano stab
            stab = sum(np.sin(2 * np.pi * hz(n) * t + index * np.sin(2 * np.pi * hz(n) * t)) for n in voicing)
            m.add(bar * 4 * beat + float(at), stab * perc(0.7, 0.3), 0.12)
        for k in range(4):  # ride: ding, ding-ga, ding, ding-ga
            ride = noise_hit(rng, 0.4, 0.18, 6000) + 0.3 * sine(5200 + 400 * p.bright, 0.4) * perc(0.4, 0.2)
            m.add((bar * 4 + k) * beat, ride, 0.12)
            if k % 2 == 1:
                m.add((bar * 4 + k) * beat + swing, ride, 0.08)
                m.add((bar * 4 + k) * beat, noise_hit(rng, 0.05, 0.01, 4000), 0.1)  # hi-hat chick


@lru_cache(maxsize=256)
def _piano_note(midi: int, seconds: float, bright: float) -> np.ndarray:
    """A piano-like tone; cached because a piece repeats its notes (treat the result as read-only)."""
    f = hz(midi)
    t = _t(seconds).astype(np.float32)
    base = float(np.clip(2.2 * (262 / f) ** 0.5, 0.4, 3.5))  # high strings ring shorter
    out = np.zeros(len(t), dtype=np.float32)
    for k in range(1, 8):
        fk = k * f * np.sqrt(1 + 0.0004 * k * k)  # string stiffness stretches the partials
        if fk > SR / 2 - 500:
            break
        level = k ** -(1.6 - 0.6 * bright)
        out += np.sin(np.float32(2 * np.pi * fk) * t) * np.exp(np.float32(-(1 + 0.6 * k) / base) * t) * level
    # hammer attack, and the damper falling at the end of the note
    return out * np.minimum(t / 0.003, 1) * np.clip((seconds - t) / 0.15, 0, 1)


def _classical_piano(p: Params, rng: np.random.Generator, m: Mix) -> None:
    beat = 60 / p.bpm
    prog = [0, 3, 4, 0, 5, 1, 4, 0]
    depth = 0.15 + 0.25 * p.drive
    phase = rng.uniform(0, 2 * np.pi)

    def when(pos: float) -> float:  # rubato: beats speed up and slow down along the phrase
        return pos * beat + depth * beat * np.sin(2 * np.pi * pos / 8 + phase)

    scale = MINOR if p.minor else MAJOR
    degree = int(rng.integers(7, 12))
    for pos2 in range(int(DURATION / beat * 2) + 2):  # eighth notes
        pos = pos2 / 2
        bar_chord = chord(p.root - 12, p.minor, prog[int(pos // 2) % 8], (0, 4, 9, 4))
        left = bar_chord[pos2 % 4]  # broken-chord left hand
        m.add(when(pos), _piano_note(left, 1.2, p.bright * 0.5), 0.25)
        if pos2 % 2 == 0 or rng.random() < 0.4:  # melody: stepwise, mostly quarter notes
            degree = int(np.clip(degree + rng.choice([-2, -1, -1, 1, 1, 2, 0]), 5, 16))
            note = p.root + 12 * (degree // 7) + scale[degree % 7]
            dyn = 0.3 + 0.15 * np.sin(np.pi * pos / 6)
            m.add(when(pos), _piano_note(note, 1.4, p.bright), dyn)


def _reggae(p: Params, rng: np.random.Generator, m: Mix) -> None:
    beat = 60 / p.bpm
    prog = [0, 3] if not p.minor else [0, 3, 6, 3]
    bass_rhythm = [0.0, 0.75, 1.5, 2.5, 3.0] if p.drive > 0.5 else [0.5, 1.5, 2.0, 2.75]
    for bar in range(int(DURATION / (4 * beat)) + 1):
        degree = prog[bar % len(prog)]
        tones = chord(p.root + 24, p.minor, degree)
        for k in range(4):  # the skank: short bright chords on every offbeat
            sig = sum(saw(hz(n), 0.12) for n in tones) * perc(0.12, 0.03 + 0.03 * p.decay, 0.002)
            m.add((bar * 4 + k + 0.5) * beat, lowpass(sig, 2000 + 2500 * p.bright), 0.18)
        line = chord(p.root, p.minor, degree, (0, 4, 2, 0, 7))
        for j, pos in enumerate(bass_rhythm):  # deep, round bass with space in it
            tone = sine(hz(line[j % 5]), 0.5) + 0.2 * sine(2 * hz(line[j % 5]), 0.5)
            m.add((bar * 4 + pos) * beat, tone * perc(0.5, 0.3, 0.01), 0.7)
        m.add((bar * 4 + 2) * beat, kick(0.3, 120, 50, 0.12), 0.8)  # one drop: kick on three
        rim = lowpass(noise_hit(rng, 0.06, 0.012, 800), 3000) + 0.4 * sine(900, 0.06) * perc(0.06, 0.01)
        m.add((bar * 4 + 2) * beat, rim, 0.5)
        for k in range(8):
            m.add((bar * 4 + k / 2 + (0.08 if k % 2 else 0)) * beat, noise_hit(rng, 0.04, 0.01, 7000), 0.06)


def _chiptune(p: Params, rng: np.random.Generator, m: Mix) -> None:
    beat = 60 / p.bpm
    prog = [0, 5, 3, 4]
    duty = (0.125, 0.25, 0.5)[int(p.drive * 2.99)]
    step = beat / 8  # very fast arpeggio steps: the "chord" of one-voice sound chips
    penta = (0, 2, 4, 7, 9)
    for half in range(int(DURATION / (2 * beat)) + 1):
        tones = chord(p.root + 12, p.minor, prog[half % 4])
        tones.append(tones[0] + 12)
        start = half * 2 * beat
        for k in range(16):
            m.add(start + k * step, square(hz(tones[k % 4]), step, duty), 0.12)
        for k in range(4):  # pulse bass on eighths, octave jumps
            note = tones[0] - 24 + 12 * (k % 2)
            m.add(start + k * beat / 2, square(hz(note), beat / 2 * 0.9, 0.25), 0.12)
        for k in range(2):  # lead: quarter notes from the pentatonic, high up
            note = p.root + 24 + penta[int(rng.integers(5))]
            lead = np.sign(np.sin(2 * np.pi * hz(note) * _t(beat) + 0.3 * np.sin(2 * np.pi * 6 * _t(beat))))
            m.add(start + k * beat, lead * pad_env(beat, 0.005, 0.05), 0.1 + 0.05 * p.bright)
        m.add(start, square(hz(36), 0.08) * perc(0.08, 0.03), 0.3)  # square kick
        held = np.repeat(rng.uniform(-1, 1, int(0.12 * SR) // 4 + 1), 4)[: int(0.12 * SR)]
        m.add(start + beat, held * perc(0.12, 0.04), 0.25)  # sample-and-hold noise snare
    m.buf = np.round(m.buf * 8) / 8  # coarse amplitude steps, like a 4-bit DAC


SYNTHS: dict[str, Callable[[Params, np.random.Generator, Mix], None]] = {
    "ambient": _ambient,
    "techno": _techno,
    "folk": _folk,
    "metal": _metal,
    "jazz": _jazz,
    "classical-piano": _classical_piano,
    "reggae": _reggae,
    "chiptune": _chiptune,
}


def _normalise(x: np.ndarray, peak: float) -> np.ndarray:
    x = x - x.mean()
    top = float(np.max(np.abs(x))) or 1.0
    return (x * (peak / top)).astype(np.float32)


def synthesise(p: Params, version: str = "") -> np.ndarray:
    """A 6 s mono float32 clip at 22050 Hz. ``version`` "live", "remaster" or "radio" renders
    the same notes (same seed) as a live take, a louder remaster or a faded radio edit."""
    if version == "live":
        p = replace(p, bpm=p.bpm * 1.03)  # live bands play a little faster
    rng = np.random.default_rng(p.seed)
    mix = Mix()
    SYNTHS[p.genre](p, rng, mix)
    x = mix.buf
    peak = SPECS[p.genre][5]
    if version == "live":
        extra = np.random.default_rng(p.seed + 1)
        room = extra.standard_normal(int(0.8 * SR)) * np.exp(-_t(0.8) / 0.25)
        x = _normalise(x, 1.0) + 0.25 * fftconvolve(_normalise(x, 1.0), room)[:N] / 8
        crowd = lowpass(extra.standard_normal(N), 1200) * (0.6 + 0.4 * np.sin(np.pi * np.arange(N) / N))
        x = x + 0.25 * crowd
    elif version == "remaster":
        x = np.tanh(1.8 * _normalise(x, 1.0))
        x = x + 0.3 * highpass(x, 3000)
        peak = min(0.99, peak + 0.1)
    elif version == "radio":
        t = np.arange(N) / SR
        x = x * np.clip(t / 0.3, 0, 1) * np.clip((DURATION - t) / 1.5, 0, 1)
    return _normalise(x, peak)
