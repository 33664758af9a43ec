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


def _first(home_dir: Path, collection: str, clip: Path, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["query", "--audio", str(clip), "-c", collection, "-k", "3", "--json", "--home", str(home_dir)]) == 0
    return [r["track_id"] for r in json.loads(capsys.readouterr().out)["results"]]


def test_an_excerpt_of_a_tracks_start_finds_it_through_its_windows(home, capsys):
    cat, home_dir = home
    clip = cat / "opening-start.wav"
    assert _first(home_dir, "plain", clip, capsys)[0] == "decoy"  # the middle 30 s alone misses it
    found = _first(home_dir, "windows", clip, capsys)
    assert found[0] == "opening" and len(found) == len(set(found)) == 3


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


def test_verify_knows_the_window_vectors(home, capsys):
    cat, home_dir = home
    capsys.readouterr()
    code = main(["verify", str(cat), "-c", "windows", "--json", "--home", str(home_dir)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, report
    assert not report["findings"], report["findings"]


def test_verify_reports_a_window_vector_the_collection_lacks_and_repairs_with_the_option():
    from types import SimpleNamespace

    from ingest.verify import VerifyOptions, VerifyReport, _check_metadata, _Repairs, ingest_args
    from recsys.collection import CollectionMeta, EncoderInfo, concat_fused

    audio = EncoderInfo("tiny-audio", "audio", "band-energy-24", 24)
    meta = CollectionMeta({"audio": audio}, concat_fused({"audio": 24}),
                          extra={"audio_excerpts": {"windows": 3, "seconds": 10.0}})
    assert "--excerpt-vectors" in ingest_args(meta)
    spec = SimpleNamespace(vectors={"audio": 24, "fused": 24, "audio_x1": 24, "audio_x2": 12})
    report = VerifyReport(collection="c")
    _check_metadata(report, spec, meta, _Repairs("c", None, meta, VerifyOptions()))
    said = [f.message for f in report.findings]
    assert any("'audio_x2' (24-d), which the collection holds as 12-d" in m for m in said), said
    assert any("'audio_x3' (24-d), which the collection lacks" in m for m in said), said


def test_training_and_a_later_ingest_keep_the_windows(home, tmp_path, capsys):
    """A trained fused space leaves the windows alone (and the query by excerpt still finds its
    track); an ingest without the option into the collection still makes them for new tracks."""
    import shutil

    cat, home_dir = home
    cat = Path(shutil.copytree(cat, tmp_path / "cat"))  # the module's catalog stays as the other tests know it
    args = ["-c", "trained", "--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder",
            "tiny-audio", "--home", str(home_dir), "--json"]
    assert main(["ingest", str(cat), "--excerpt-vectors", *args]) == 0
    assert main(["train", "-c", "trained", "--epochs", "1", "--threads", "1", "--home", str(home_dir), "--json"]) == 0
    soundfile.write(str(cat / "audio" / "late.wav"), _tone((2000,), 50), SR)
    with (cat / "manifest.jsonl").open("a") as f:
        f.write(json.dumps({"track_id": "late", "title": "Late", "artist": "Artist late", "audio": "audio/late.wav"}) + "\n")
    assert main(["ingest", str(cat), *args]) == 0
    points = _points(home_dir, "trained")
    assert set(WINDOWS) <= set(points["late"].vectors) and set(WINDOWS) <= set(points["opening"].vectors)
    assert _first(home_dir, "trained", cat / "opening-start.wav", capsys)[0] == "opening"


def test_the_http_audio_query_searches_the_windows_too(home):
    """``POST /api/query/audio`` goes through the same query function as the command."""
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from recsys.settings import Settings
    from serve import ServeConfig, create_app
    from serve.state import ServeState

    cat, home_dir = home
    found = {}
    for collection in ("plain", "windows"):
        state = ServeState(ServeConfig(settings=Settings(home=home_dir), collection=collection))
        state.open()
        try:
            with TestClient(create_app(state.config, state), raise_server_exceptions=False) as client:
                with open(cat / "opening-start.wav", "rb") as fh:
                    answer = client.post("/api/query/audio", files={"file": ("clip.wav", fh, "audio/wav")}, data={"k": "3"})
            assert answer.status_code == 200, answer.text
            found[collection] = [r["track_id"] for r in answer.json()["results"]]
        finally:
            state.close()
    assert found["plain"][0] == "decoy" and found["windows"][0] == "opening"


@pytest.mark.parametrize("lanes", ["0", "1"])
def test_a_reingest_takes_the_windows_from_the_embedding_cache(tmp_path, monkeypatch, lanes):
    """A track re-encoded for its text (a new summary) gets its middle and its windows from the
    audio embedding cache: no window is decoded again, and the vectors are the same. In lanes
    too (a GPU's way, forced here): the windows are made in the audio lane, with its cache
    (they were never cached there)."""
    import recsys.encoders.media as media

    monkeypatch.setenv("RECSYS_ENCODE_LANES", lanes)

    cat, home = _catalog(tmp_path / "cat"), tmp_path / "home"
    args = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio",
            "--home", str(home), "--json", "--collection", "w", "--excerpt-vectors"]
    assert main(["ingest", str(cat), *args]) == 0
    before = _points(home, "w")
    decoded: list[str] = []
    real = media.load_windows
    monkeypatch.setattr(media, "load_windows", lambda path, *a, **k: decoded.append(str(path)) or real(path, *a, **k))
    rows = [json.loads(line) for line in (cat / "manifest.jsonl").read_text().splitlines()]
    for r in rows:
        r["summary"] += " (remastered)"
    (cat / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", "0")  # decoded in this process, where the patch is
    assert main(["ingest", str(cat), *args[:-1]]) == 0  # the collection keeps its windows without the flag
    after = _points(home, "w")
    # nothing is read again: the short track (no 40 s) has its "no windows" cached (NO_WINDOWS)
    assert decoded == []
    for tid in ("opening", "decoy", "mid"):
        for w in WINDOWS:
            np.testing.assert_array_equal(after[tid].vectors[w], before[tid].vectors[w])
    assert main(["ingest", str(cat), *args[:-1], "--force"]) == 0  # --force reads no cache: decoded again
    assert {Path(p).name for p in decoded} >= {"opening.wav", "decoy.wav", "mid.wav"}


def test_a_collection_keeps_its_windows_where_it_recorded_them():
    """A collection made when windows lay elsewhere keeps making them there (and its cache keys
    say where): the windows of one collection are comparable with each other."""
    from ingest.excerpts import _window_key, recorded_fractions
    from recsys.collection import AUDIO_EXCERPTS, CollectionMeta, EncoderInfo, FusedInfo
    from recsys.encoders.media import WINDOW_FRACTIONS

    audio = {"audio": EncoderInfo("tiny-audio", "audio", "band-energy", 24)}
    older = CollectionMeta(audio, FusedInfo("concat", 24), extra={AUDIO_EXCERPTS: {"windows": 3, "at": [0.1667, 0.5, 0.8333]}})
    assert recorded_fractions(older) == (0.1667, 0.5, 0.8333)
    assert recorded_fractions(CollectionMeta(audio, FusedInfo("concat", 24))) == WINDOW_FRACTIONS
    assert _window_key("sound1:ab", "audio_x1", (0.1667, 0.5, 0.8333)) != _window_key("sound1:ab", "audio_x1", WINDOW_FRACTIONS)


def test_explain_shows_the_audio_match_that_scored_the_track(home, capsys):
    """With windows, a track's score is its best match (a window); --explain's audio bar was
    the clip's similarity to the middle alone, lower than the score it explained."""
    cat, home_dir = home
    capsys.readouterr()
    args = ["query", "--audio", str(cat / "opening-start.wav"), "--home", str(home_dir), "-c", "windows",
            "-k", "3", "--using", "audio", "--explain", "--json"]
    assert main(args) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    for r in results:
        assert abs(r["explanation"]["audio"] - r["score"]) < 1e-3, r
