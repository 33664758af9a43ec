"""A file's channel count from the reader's tag read (``recsys.catalog.channelcount``): the
embedding cache's key of a multichannel file (``ingest.inputs``) without FFmpeg opening every
Opus and AAC file again on each cache lookup, and the key still apart for a 5.1 file."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import mutagen
import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_catalog
from recsys.catalog.channelcount import header_channels
from recsys.encoders import downmix

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg command")
RATE = 48_000

#: (suffix, ffmpeg's codec options): the formats whose header count is taken as it is
TRUSTED = [
    (".opus", ["-c:a", "libopus", "-b:a", "96k"]),
    (".ogg", ["-c:a", "libvorbis"]),
    (".m4a", ["-c:a", "aac", "-b:a", "128k"]),
    (".flac", ["-c:a", "flac"]),
    (".aiff", ["-c:a", "pcm_s16be"]),
]
#: 5.1 made of a stereo: what ``pan`` fills
SURROUND = "pan=5.1|FL=c0|FR=c1|FC=0.5*c0+0.5*c1|BL=0.6*c0|BR=0.6*c1"


def _stereo_wav(folder: Path) -> Path:
    t = np.arange(int(RATE * 0.5)) / RATE
    lr = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 660 * t)], axis=1) * 0.3
    path = folder / "src.wav"
    sf.write(path, lr.astype(np.float32), RATE, subtype="PCM_16")
    return path


def _encode(src: Path, out: Path, codec: list[str], surround: bool, title: str = "") -> Path:
    layout = ["-af", SURROUND] if surround else []
    meta = ["-metadata", f"title={title}", "-metadata", "artist=Band"] if title else []
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(src), *layout, *codec, *meta, str(out)], check=True)
    return out


@needs_ffmpeg
@pytest.mark.parametrize("suffix, codec", TRUSTED)
def test_the_header_count_is_ffmpegs_for_stereo_and_5_1(tmp_path, suffix, codec):
    src = _stereo_wav(tmp_path)
    for surround in (False, True):
        path = _encode(src, tmp_path / f"{'surround' if surround else 'stereo'}{suffix}", codec, surround)
        got = header_channels(mutagen.File(path))
        assert got is not None
        assert got == downmix.audio_channels(path) == (6 if surround else 2)


@needs_ffmpeg
def test_a_header_that_may_not_be_the_streams_says_nothing_of_two(tmp_path):
    """A WAV's ``fmt `` chunk says two channels of a DTS-CD rip's 5.1 stream, an MP4's E-AC-3
    sample entry may say two of 5.1: two or fewer from them is no answer (FFmpeg is asked)."""
    src = _stereo_wav(tmp_path)
    assert header_channels(mutagen.File(src)) is None
    eac3 = _encode(src, tmp_path / "surround.m4a", ["-c:a", "eac3", "-f", "mp4"], surround=True)
    assert downmix.audio_channels(eac3) == 6
    assert header_channels(mutagen.File(eac3)) in (None, 6)
    assert header_channels(None) is None


@needs_ffmpeg
def test_the_cache_key_takes_the_readers_count_without_opening_the_file(tmp_path, monkeypatch):
    """A 5.1 Opus file and a stereo AAC one, read (cold, then warm from the tag cache): each
    record carries its count, and the audio cache's key is the one FFmpeg's count gives, with
    no second look at the file. Before, every lookup opened each file with FFmpeg (~2 ms)."""
    from ingest.inputs import input_key
    from recsys.catalog.model import with_fields
    from recsys.modalities import AUDIO

    lib = tmp_path / "lib"
    lib.mkdir()
    src = _stereo_wav(tmp_path)
    _encode(src, lib / "surround.opus", ["-c:a", "libopus", "-b:a", "96k"], surround=True, title="Aja")
    _encode(src, lib / "stereo.m4a", ["-c:a", "aac", "-b:a", "128k"], surround=False, title="Peg")
    for path in lib.iterdir():  # older than the tag cache's racy window: the warm read is the cache's
        os.utime(path, (time.time() - 60, time.time() - 60))
    probed = {}
    for read in ("cold", "warm"):
        catalog = read_catalog(lib, cover_cache=tmp_path / "covers", tag_cache=tmp_path / "tags")
        by_title = {t.title: t for t in catalog.tracks}
        assert by_title["Aja"].file_channels == 6 and by_title["Peg"].file_channels == 2, read
        if not probed:  # FFmpeg's answer, as the key was made before
            probed = {t.title: input_key(AUDIO, with_fields(t, file_channels=None)) for t in catalog.tracks}
            assert probed["Aja"].endswith(downmix.CACHE_MARK) and not probed["Peg"].endswith(downmix.CACHE_MARK)

        def no_look(path):
            raise AssertionError(f"{path} opened again for its channels")

        with monkeypatch.context() as m:
            m.setattr(downmix, "audio_channels", no_look)
            assert {t.title: input_key(AUDIO, t) for t in catalog.tracks} == probed, read
