"""Tiny tagged audio files made on the fly, for the music-folder reader's tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

SR = 8000


def tagged_flac(path: Path, seconds: float = 0.5, **tags: str | list[str]) -> Path:
    """A FLAC of a quiet 330 Hz tone with these Vorbis comments (a list: a multi-value field)."""
    import mutagen

    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(SR * seconds)) / SR
    sf.write(path, (0.3 * np.sin(2 * np.pi * 330 * t)).astype(np.float32), SR, format="FLAC")
    audio = mutagen.File(path)
    for key, value in tags.items():
        audio[key] = value
    audio.save()
    return path
