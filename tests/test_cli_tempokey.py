"""--bpm, --key and --mixable (``recsys.query.mixable``) on a small DJ catalog, through the CLI
and the API: the filters, their usage errors, the seed without tags, the bpm/key in --json and
the table's columns."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

import cli.render
from recsys.query.library import Result
from tests.support.cli import ingested_home, run

#: title -> (bpm, key as tagged); every track by its own artist (no cap in the way)
TRACKS = {
    "Anchor": ("128", "Am"),
    "Same": ("128", "8A"),
    "Up": ("127", "1m"),  # Open Key 1m: 8A too
    "Wheel Up": ("126", "9A"),
    "Wheel Down": ("132", "7A"),
    "Relative": ("124", "C major"),  # 8B
    "Far Key": ("128", "3A"),
    "Too Fast": ("140", "8A"),
    "Too Slow": ("110", "8A"),
    "Only Key": ("", "8A"),
    "Plain": ("", ""),
}
MIXABLE = {"Same", "Up", "Wheel Up", "Wheel Down", "Relative"}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    cat = tmp_path_factory.mktemp("dj") / "dj"
    cat.mkdir()
    with open(cat / "manifest.jsonl", "w", encoding="utf-8") as fh:
        for i, (title, (bpm, key)) in enumerate(TRACKS.items()):
            row = {"track_id": f"t{i}", "title": title, "artist": f"Artist {i}", "genres": ["techno"],
                   "summary": "A driving warehouse techno track with a rolling bassline and hypnotic synths."}
            row |= ({"bpm": bpm} if bpm else {}) | ({"key": key} if key else {})
            fh.write(json.dumps(row) + "\n")
    return ingested_home(tmp_path_factory, cat, collection="dj")


def _titles(capsys, home, *args) -> tuple[set[str], dict]:
    code, out, err = run(capsys, "recommend", "Anchor", "-k", "50", *args, "--json", "--home", str(home))
    assert code == 0, err
    data = json.loads(out)
    return {r["title"] for r in data["results"]}, data


def test_mixable_keeps_the_compatible_keys_within_six_percent(capsys, home):
    titles, data = _titles(capsys, home, "--mixable")
    assert titles == MIXABLE
    assert data["mixable"] == {"seed": "t0", "bpm": 128.0, "key": "8A", "keys": ["8A", "9A", "7A", "8B"],
                               "bpm_min": 120.32, "bpm_max": 135.68}
    by_title = {r["title"]: r for r in data["results"]}
    assert (by_title["Up"]["bpm"], by_title["Up"]["key"]) == (127.0, "8A")
    assert (by_title["Relative"]["bpm"], by_title["Relative"]["key"]) == (124.0, "8B")
    # --key narrows it further, and so does --bpm
    assert _titles(capsys, home, "--mixable", "--key", "8B", "--key", "9A")[0] == {"Relative", "Wheel Up"}
    assert _titles(capsys, home, "--mixable", "--bpm", "127-130")[0] == {"Same", "Up"}


def test_bpm_and_key_filters(capsys, home):
    assert _titles(capsys, home, "--bpm", "128")[0] == {"Same", "Far Key"}  # 127.5-128.5
    assert _titles(capsys, home, "--bpm", "135-")[0] == {"Too Fast"}
    assert _titles(capsys, home, "--bpm", "-115")[0] == {"Too Slow"}
    eight_a = {"Same", "Up", "Too Fast", "Too Slow", "Only Key"}
    for spelling in ("8A", "1m", "Am", "a minor"):
        assert _titles(capsys, home, "--key", spelling)[0] == eight_a
    assert _titles(capsys, home, "--key", "3A", "--key", "C")[0] == {"Far Key", "Relative"}
    titles, data = _titles(capsys, home)
    assert "Plain" in titles and "bpm" not in next(r for r in data["results"] if r["title"] == "Plain")


def test_playlist_mixable(capsys, home):
    code, out, err = run(capsys, "playlist", "Anchor", "--per-seed", "20", "--mixable", "--json", "--home", str(home))
    assert code == 0, err
    data = json.loads(out)
    assert {r["title"] for r in data["results"]} <= MIXABLE and data["results"]
    assert data["mixable"]["key"] == "8A"


@pytest.mark.parametrize("args, says", [
    (("--bpm", "fast"), "'fast' is not a tempo"),
    (("--bpm", "130-120"), "empty range"),
    (("--bpm", "-"), "not a tempo"),
    (("--bpm", "nan"), "not a tempo"),
    (("--key", "H"), "Camelot (8A, 12B), Open Key (1m, 5d) or a note name"),
    (("--key", "13A"), "not a musical key"),
])
def test_a_bad_bpm_or_key_is_a_usage_error(capsys, home, args, says):
    code, _, err = run(capsys, "recommend", "Anchor", *args, "--home", str(home))
    assert code == 2 and says in " ".join(err.split())


def test_mixable_with_a_seed_without_tags_is_one_line(capsys, home):
    for seed, lacks in (("Plain", "no tempo (BPM) and no key"), ("Only Key", "no tempo (BPM):")):
        code, out, err = run(capsys, "recommend", seed, "--mixable", "--home", str(home))
        assert code == 1 and out == ""
        assert err.startswith("error: --mixable needs the seed's tempo and key") and lacks in err
        assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "recommend", "Anchor", "--mixable", "--key", "3A", "--home", str(home))
    assert code == 1 and "--key or --bpm leaves none of them" in err


def _draw(monkeypatch, results) -> str:
    file = io.StringIO()
    monkeypatch.setattr(cli.render, "err_console", Console(file=file, width=120, color_system=None))
    cli.render.results_table("t", results)
    return file.getvalue()


def test_the_table_shows_bpm_and_key_only_when_a_result_has_them(monkeypatch):
    plain = Result(track_id="a", title="Plain", artist="X", album="", genres=(), year=2000, score=0.5)
    tagged = Result(track_id="b", title="Tagged", artist="Y", album="", genres=(), year=2001, score=0.4,
                    bpm=127.98, key="8A")
    header = _draw(monkeypatch, [plain]).splitlines()[2]
    assert "bpm" not in header and "key" not in header
    drawn = _draw(monkeypatch, [plain, tagged])
    assert "bpm" in drawn.splitlines()[2] and "key" in drawn.splitlines()[2]
    assert "127.98" in drawn and "8A" in drawn


def test_the_api_takes_the_same_filters_and_mixable(home):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from recsys.settings import Settings
    from serve import ServeConfig, create_app
    from serve.state import ServeState

    state = ServeState(ServeConfig(settings=Settings(home=home)))
    state.open()
    try:
        with TestClient(create_app(ServeConfig(settings=Settings(home=home)), state), raise_server_exceptions=False) as c:
            def titles(body: dict) -> set[str]:
                resp = c.post("/api/recommend", json={"seeds": ["t0"], "k": 50} | body)
                assert resp.status_code == 200, resp.text
                return {r["title"] for r in resp.json()["results"]}

            assert titles({"mixable": True}) == MIXABLE
            assert titles({"filters": {"keys": ["Am"], "bpm_min": 100, "bpm_max": 130}}) == {"Same", "Up", "Too Slow"}
            resp = c.post("/api/recommend", json={"seeds": ["t0"], "filters": {"keys": ["H"]}})
            assert resp.status_code == 422
            for empty in ({"bpm_min": 130, "bpm_max": 120}, {"year_min": 2020, "year_max": 1990}):
                resp = c.post("/api/recommend", json={"seeds": ["t0"], "filters": empty})
                assert resp.status_code == 422 and "an empty range" in resp.text  # the CLI's usage error
            resp = c.post("/api/recommend", json={"seeds": ["t10"], "mixable": True})
            assert resp.status_code == 400 and "--mixable needs" in resp.json()["error"]
            resp = c.post("/api/playlist", json={"seeds": ["t0"], "per_seed": 20, "mixable": True})
            assert resp.status_code == 200 and resp.json()["mixable"]["key"] == "8A"
            tracks = {r["title"]: r for r in c.post("/api/recommend", json={"seeds": ["t0"], "k": 50}).json()["results"]}
            assert (tracks["Same"]["bpm"], tracks["Same"]["key"]) == (128.0, "8A") and tracks["Plain"]["key"] is None
    finally:
        state.close()


def test_playlist_mixable_matches_each_seed_to_its_own_tracks(capsys, home):
    """A set that climbs from 128 to 140 BPM: each seed's tracks are mixable with that seed. With
    the first seed's rule for all, the 128 BPM seed after a 140 BPM one got none."""
    code, out, err = run(capsys, "playlist", "Too Fast", "Anchor", "--per-seed", "20", "--mixable", "--json",
                         "--home", str(home))
    assert code == 0, err
    by_seed: dict[str, set[str]] = {}
    for r in json.loads(out)["results"]:
        by_seed.setdefault(r["seed"], set()).add(r["title"])
    assert by_seed["Too Fast"] == {"Wheel Down"}  # 132 BPM in 7A: within 6% of 140, next to 8A
    assert by_seed["Anchor"] == MIXABLE - {"Wheel Down"}
    code, out, err = run(capsys, "playlist", "Anchor", "Plain", "--mixable", "--home", str(home))
    assert code == 1 and "the tags of 'Plain' give no tempo (BPM) and no key" in err
    # a collection ingested before recsys read BPM and key tags has none of them in its payload:
    # the tags may well give them, and an ingest is the remedy, not tagging again
    assert "ingest it again" in " ".join(err.split())


def test_the_web_page_shows_bpm_and_key_where_a_track_has_them():
    """The page's result rows and track view read "128 BPM 8A" from the API's bpm/key (run
    with node where the machine has it: the page has no other test runner)."""
    import re
    import shutil
    import subprocess
    from pathlib import Path

    script = (Path(__file__).parents[1] / "serve/static/app.js").read_text()
    assert script.count("tempoKey(") >= 3  # defined, used in the rows and in the track view
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node on this machine to run the page's function")
    func = re.search(r"function tempoKey\(r\) \{.*?\n\}", script, re.S).group(0)
    probe = func + '\nconsole.log(JSON.stringify([tempoKey({bpm: 127.98, key: "8A"}), tempoKey({bpm: 128}),' \
                   ' tempoKey({key: "9B"}), tempoKey({})]));'
    out = subprocess.run([node, "-e", probe], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == ["128 BPM 8A", "128 BPM", "9B", ""]
