"""The synthetic sample catalog: deterministic, clean, and with genres that really differ."""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from recsys.catalog.sample.audio import GENRES
from recsys.catalog.sample.generator import write_sample_catalog
from recsys.catalog import read_catalog, read_manifest


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    root = tmp_path_factory.mktemp("sample") / "sample-catalog"
    start = time.perf_counter()
    manifest = write_sample_catalog(root)
    return manifest, time.perf_counter() - start


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_default_catalog_is_clean_and_fast(sample: tuple[Path, float]) -> None:
    manifest, seconds = sample
    assert seconds < 30, f"writing 120 tracks took {seconds:.1f} s (target < 15 s)"
    cat = read_manifest(manifest)
    assert cat.problems == [] and len(cat.tracks) == 120 and cat.name == "sample-catalog"
    assert read_catalog(manifest.parent, cover_cache=manifest.parent / "unused").kind == "manifest"
    for track in cat.tracks:
        assert track.audio_path is not None and track.audio_path.is_file()
        assert track.cover_path is not None and track.cover_path.is_file()
        assert len(track.genres) == 1 and track.genres[0] in GENRES and track.year
    suffixes = Counter(t.audio_path.suffix for t in cat.tracks)
    assert set(suffixes) == {".wav", ".flac", ".ogg"}
    counts = Counter(t.genres[0] for t in cat.tracks)
    assert set(counts) == set(GENRES) and min(counts.values()) >= 12
    artists_per_genre = {g: {t.artist for t in cat.tracks if t.genres[0] == g} for g in GENRES}
    assert all(2 <= len(a) <= 3 for a in artists_per_genre.values())


def test_clips_and_covers_have_the_promised_format(sample: tuple[Path, float]) -> None:
    manifest, _ = sample
    cat = read_manifest(manifest)
    for track in cat.tracks[:10]:
        info = sf.info(track.audio_path)
        assert (info.samplerate, info.channels) == (22050, 1) and abs(info.duration - 6.0) < 0.01
        with Image.open(track.cover_path) as image:
            assert (image.format, image.size, image.mode) == ("PNG", (256, 256), "RGB")
    root = manifest.parent
    queries = json.loads((root / "sample_queries.json").read_text())
    assert queries["cover"]["genre"] in GENRES and queries["clip"]["genre"] in GENRES
    assert sf.info(root / "sample_query_clip.wav").duration == pytest.approx(6.0, abs=0.01)
    with Image.open(root / "sample_query_cover.png") as image:
        assert image.size == (256, 256)
    query_digest = hashlib.sha256((root / "sample_query_cover.png").read_bytes()).hexdigest()
    assert query_digest not in {hashlib.sha256(t.cover_path.read_bytes()).hexdigest() for t in cat.tracks}


def test_versions_instrumentals_and_playlists(sample: tuple[Path, float]) -> None:
    cat = read_manifest(sample[0])
    suffixes = (" (Live)", " - Remastered 2011", " (Radio Edit)")
    versions = [t for t in cat.tracks if t.title.endswith(suffixes)]
    assert {s for s in suffixes if any(t.title.endswith(s) for t in versions)} == set(suffixes)
    titles = {(t.title, t.artist): t for t in cat.tracks}
    for version in versions:
        base_title = version.title
        for s in suffixes:
            base_title = base_title.removesuffix(s)
        original = titles[(base_title, version.artist)]  # the original is in the catalog too
        assert original.track_id != version.track_id and original.genres == version.genres
        assert original.lyrics == version.lyrics

    instrumental = [t for t in cat.tracks if t.text_document() == ""]
    assert len(instrumental) >= 3
    assert all(not t.lyrics and not t.summary and "instrumental" in t.tags for t in instrumental)

    members: dict[str, list[str]] = {}
    for track in cat.tracks:
        for playlist in track.playlists:
            members.setdefault(playlist, []).append(track.genres[0])
    assert len(members) >= 8
    for genres in members.values():
        top = Counter(genres).most_common(1)[0][1]
        assert len(genres) >= 4 and top / len(genres) >= 0.75  # mostly one genre


def _audio_features(path: Path) -> np.ndarray:
    """Log energy in 16 log-spaced bands, loudness and loudness variation: enough to tell
    a sustained quiet pad from a loud distorted riff or a bright square-wave arpeggio."""
    x, sr = sf.read(path, dtype="float32")
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / sr)
    edges = np.geomspace(40, sr / 2, 17)
    bands = np.array([power[(freqs >= a) & (freqs < b)].sum() for a, b in zip(edges[:-1], edges[1:])])
    frames = np.sqrt((x[: len(x) // 512 * 512].reshape(-1, 512) ** 2).mean(axis=1))
    return np.r_[np.log(bands / bands.sum() + 1e-9), np.log(frames.mean()), frames.std() / frames.mean()]


def _centroid(path: Path) -> float:
    """Mean spectral centroid of 2048-sample frames (magnitude-weighted, as librosa does)."""
    x, sr = sf.read(path, dtype="float32")
    frames = np.lib.stride_tricks.sliding_window_view(x, 2048)[::512] * np.hanning(2048)
    mag = np.abs(np.fft.rfft(frames, axis=1))
    freqs = np.fft.rfftfreq(2048, 1 / sr)
    return float(np.mean((mag * freqs).sum(1) / np.maximum(mag.sum(1), 1e-9)))


def test_genres_sound_different(sample: tuple[Path, float]) -> None:
    cat = read_manifest(sample[0])
    genres = np.array([t.genres[0] for t in cat.tracks])
    feats = np.array([_audio_features(t.audio_path) for t in cat.tracks])
    feats = (feats - feats.mean(0)) / feats.std(0)
    dist = ((feats[:, None] - feats[None]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    accuracy = float((genres[dist.argmin(1)] == genres).mean())
    assert accuracy >= 0.9, f"leave-one-out 1-NN genre accuracy on audio features {accuracy:.2f}"

    centroid = {g: np.mean([_centroid(t.audio_path) for t in cat.tracks if t.genres[0] == g]) for g in GENRES}
    assert centroid["ambient"] < centroid["techno"] < centroid["metal"] < centroid["chiptune"]
    assert centroid["classical-piano"] < centroid["jazz"]


def test_covers_look_different_by_genre(sample: tuple[Path, float]) -> None:
    cat = read_manifest(sample[0])
    genres = np.array([t.genres[0] for t in cat.tracks])
    thumbs = np.array([np.asarray(Image.open(t.cover_path).resize((16, 16)), dtype=np.float32).ravel()
                       for t in cat.tracks])
    thumbs = (thumbs - thumbs.mean(0)) / (thumbs.std(0) + 1e-6)
    dist = ((thumbs[:, None] - thumbs[None]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    assert float((genres[dist.argmin(1)] == genres).mean()) >= 0.75


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = write_sample_catalog(tmp_path / "a", n_tracks=16, seed=3).parent
    second = write_sample_catalog(tmp_path / "b", n_tracks=16, seed=3).parent
    other = write_sample_catalog(tmp_path / "c", n_tracks=16, seed=4).parent
    assert _digests(first) == _digests(second)  # every file byte for byte, ogg included
    assert _digests(first)["manifest.jsonl"] != _digests(other)["manifest.jsonl"]
    small = read_manifest(first / "manifest.jsonl")
    assert small.problems == [] and len(small.tracks) == 16
    assert any(t.text_document() == "" for t in small.tracks)
    assert any(t.title.endswith(" (Live)") for t in small.tracks)


def test_too_few_tracks_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 8"):
        write_sample_catalog(tmp_path, n_tracks=5)
