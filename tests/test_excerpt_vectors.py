"""``recsys ingest --excerpt-vectors``: a new collection keeps three audio windows per track,
``query --audio`` scores a track by the best of its middle and windows; nothing else reads them.

The tracks are sines, so the tiny audio encoder (band energies of 3 s) tells their parts apart:
"Opening" plays 1 kHz for its first 20 s, 2.5 kHz in the middle, 3.5 kHz at the end; "Decoy"
plays 1 kHz and 1.4 kHz together throughout. An excerpt of Opening's first 10 s is pure 1 kHz:
nearer Decoy's middle (cosine ~0.69) than Opening's middle (~0), but Opening's first window
(centred at 10 s) is its own sound (~1.0)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile

from cli.main import main

SR = 8000
WINDOWS = ("audio_x1", "audio_x2", "audio_x3")


def _tone(freqs: tuple[float, ...], seconds: float) -> np.ndarray:
    t = np.arange(int(SR * seconds)) / SR
    return (0.3 * sum(np.sin(2 * np.pi * f * t) for f in freqs)).astype(np.float32)


def _catalog(root: Path) -> Path:
    """Opening and Decoy (60 s, as above), Mid (60 s of 3 kHz) and Short (30 s: no windows)."""
    audio = {
        "opening": np.concatenate([_tone((1000,), 20), _tone((2500,), 20), _tone((3500,), 20)]),
        "decoy": _tone((1000, 1400), 60),
        "mid": _tone((3000,), 60),
        "short": _tone((600,), 30),
    }
    (root / "audio").mkdir(parents=True)
    rows = []
    for tid, y in audio.items():
        soundfile.write(str(root / "audio" / f"{tid}.wav"), y, SR)
        rows.append({"track_id": tid, "title": tid.title(), "artist": f"Artist {tid}", "genres": ["test"],
                     "audio": f"audio/{tid}.wav", "summary": f"a song called {tid}"})
    (root / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    # what a user cuts from the start of a track: its first 10 s
    soundfile.write(str(root / "opening-start.wav"), audio["opening"][: SR * 10], SR)
    return root


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> tuple[Path, Path]:
    """One store with the catalog ingested twice: "plain" and, with the option, "windows"."""
    tmp = tmp_path_factory.mktemp("excerpts")
    cat, home = _catalog(tmp / "cat"), tmp / "home"
    args = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio",
            "--home", str(home), "--json"]
    assert main(["ingest", str(cat), "--collection", "plain", *args]) == 0
    assert main(["ingest", str(cat), "--collection", "windows", "--excerpt-vectors", *args]) == 0
    return cat, home


def _points(home: Path, collection: str) -> dict:
    from recsys.settings import Settings
    from recsys.store import open_backend

    backend = open_backend(Settings(home=home).store_location)
    try:
        return {p.track_id: p for p in backend.scroll(collection, with_vectors=True)}
    finally:
        backend.close()


def test_windows_are_stored_for_long_tracks_only_and_only_with_the_option(home):
    _, home_dir = home
    windows = _points(home_dir, "windows")
    for tid in ("opening", "decoy", "mid"):
        assert set(WINDOWS) <= set(windows[tid].vectors), tid
        assert all(windows[tid].vectors[w].shape == (24,) for w in WINDOWS)
        assert "audio_x1" not in windows[tid].payload["modalities"]  # windows are no modality
    assert not set(WINDOWS) & set(windows["short"].vectors)  # 30 s: its middle is most of it
    assert "audio" in windows["short"].vectors
    assert all(not set(WINDOWS) & set(p.vectors) for p in _points(home_dir, "plain").values())


def test_the_option_on_a_collection_made_without_it_is_a_one_line_error(home, capsys):
    cat, home_dir = home
    capsys.readouterr()
    code = main(["ingest", str(cat), "--collection", "plain", "--excerpt-vectors", "--text-encoder", "tiny-text",
                 "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio", "--home", str(home_dir)])
    err = capsys.readouterr().err.strip()
    assert code == 1 and "\n" not in err
    assert "without --excerpt-vectors" in err and "--collection NAME" in err


def test_fused_and_recommend_are_the_same_with_and_without_windows(home, capsys):
    _, home_dir = home
    plain, windows = _points(home_dir, "plain"), _points(home_dir, "windows")
    assert set(plain) == set(windows)
    for tid, p in plain.items():
        for name in ("fused", "audio", "text", "graph"):
            np.testing.assert_allclose(windows[tid].vectors[name], p.vectors[name], atol=1e-3, err_msg=f"{tid} {name}")
    answers = []
    for collection in ("plain", "windows"):
        capsys.readouterr()
        assert main(["recommend", "Opening", "-c", collection, "-k", "3", "--json", "--home", str(home_dir)]) == 0
        answers.append([(r["track_id"], round(r["score"], 4)) for r in json.loads(capsys.readouterr().out)["results"]])
    assert answers[0] == answers[1]
