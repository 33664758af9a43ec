"""Issue 8: case- and accent-insensitive filters, `recsys facets`, and seeds beyond titles
(track ids, audio files, an artist radio), on a sample catalog whose genres and artists are
spelled in mixed case and with accents."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli.main import main
from tests.support.cli import TINY_ARGS, run
from recsys.catalog.model import normalise_label

ACCENTED = {"Tomas Reindl": "Tomás Reindl"}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory, sample_catalog_master) -> Path:
    """The sample catalog with "jazz" spelled "Jazz" on every other track and an accent on
    one artist's name."""
    root = tmp_path_factory.mktemp("mixed") / "catalog"
    shutil.copytree(sample_catalog_master, root)
    rows = [json.loads(l) for l in (root / "manifest.jsonl").read_text().splitlines()]
    jazz = 0
    for r in rows:
        if "jazz" in r["genres"]:
            jazz += 1
            r["genres"] = ["Jazz" if g == "jazz" and jazz % 2 else g for g in r["genres"]]
        r["artist"] = ACCENTED.get(r["artist"], r["artist"])
    (root / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return root


@pytest.fixture(scope="module")
def rows(catalog) -> list[dict]:
    return [json.loads(l) for l in (catalog / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def home(tmp_path_factory, catalog) -> Path:
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    h = tmp_path_factory.mktemp("home")
    assert main(["ingest", str(catalog), "--collection", "mixed", "--home", str(h), *TINY_ARGS, "--json"]) == 0
    return h


def _plain(rows, genre_not=None):
    return next(
        r for r in rows
        if "(" not in r["title"] and " - " not in r["title"]
        and (genre_not is None or genre_not not in {normalise_label(g) for g in r["genres"]})
    )


def _recommend(capsys, home, *args) -> dict:
    code, out, err = run(capsys, "recommend", *args, "--json", "--home", str(home))
    assert code == 0, err
    return json.loads(out)


# --- filters ------------------------------------------------------------------------------


def test_genre_filter_ignores_case(capsys, home, rows):
    seed = _plain(rows, genre_not="jazz")
    spellings = {g for r in rows for g in r["genres"] if normalise_label(g) == "jazz"}
    assert spellings == {"Jazz", "jazz"}
    lower = _recommend(capsys, home, seed["title"], "-g", "jazz", "-k", "40", "--max-per-artist", "0")
    results = lower["results"]
    assert results and all("jazz" in {normalise_label(g) for g in r["genres"]} for r in results)
    assert {g for r in results for g in r["genres"]} >= {"Jazz", "jazz"}  # both spellings found
    upper = _recommend(capsys, home, seed["title"], "-g", "JAZZ", "-k", "40", "--max-per-artist", "0")
    assert [r["track_id"] for r in upper["results"]] == [r["track_id"] for r in results]


def test_artist_filters_ignore_case_and_accents(capsys, home, rows):
    seed = next(r for r in rows if r["artist"] != "Tomás Reindl" and "(" not in r["title"])
    everything = _recommend(capsys, home, seed["title"], "-k", "47", "--max-per-artist", "0")
    assert any(r["artist"] == "Tomás Reindl" for r in everything["results"])
    excluded = _recommend(capsys, home, seed["title"], "--exclude-artist", "TOMAS reindl", "-k", "47",
                          "--max-per-artist", "0")
    assert excluded["results"] and all(r["artist"] != "Tomás Reindl" for r in excluded["results"])
    only = _recommend(capsys, home, seed["title"], "--only-artist", "tomás  REINDL", "-k", "5")
    assert only["results"] and all(r["artist"] == "Tomás Reindl" for r in only["results"])


# --- facets -------------------------------------------------------------------------------


def _catalog_counts(rows, facet: str) -> dict:
    counts: dict = {}
    for r in rows:
        if facet == "genres":
            values = {normalise_label(g) for g in r["genres"]}
        elif facet == "artists":
            values = {normalise_label(r["artist"])}
        else:
            values = {r["year"]} if r.get("year") is not None else set()
        for v in values:
            counts[v] = counts.get(v, 0) + 1
    return counts


def _as_counts(values, facet: str) -> dict:
    norm = (lambda v: v) if facet == "years" else normalise_label
    return {norm(v["value"]): v["count"] for v in values}


@pytest.mark.parametrize("facet", ["genres", "artists", "years"])
def test_facets_cli_counts_match_the_catalog(capsys, home, rows, facet):
    code, out, _ = run(capsys, "facets", facet, "--json", "--home", str(home))
    assert code == 0
    data = json.loads(out)
    assert data["collection"] == "mixed" and data["facet"] == facet
    assert _as_counts(data["values"], facet) == _catalog_counts(rows, facet)
    counts = [v["count"] for v in data["values"]]
    assert counts == sorted(counts, reverse=True) and data["total"] == len(counts)
    code, out, _ = run(capsys, "facets", facet, "--limit", "2", "--json", "--home", str(home))
    assert json.loads(out)["values"] == data["values"][:2]
    code, _, err = run(capsys, "facets", facet, "--home", str(home))
    assert code == 0 and str(data["values"][0]["value"]) in err


def test_facets_show_the_original_spelling(capsys, home):
    code, out, _ = run(capsys, "facets", "artists", "--json", "--home", str(home))
    shown = {v["value"] for v in json.loads(out)["values"]}
    assert "Tomás Reindl" in shown and "tomas reindl" not in shown
    code, out, _ = run(capsys, "facets", "genres", "--json", "--home", str(home))
    genres = [v["value"] for v in json.loads(out)["values"]]
    assert len([g for g in genres if normalise_label(g) == "jazz"]) == 1 and ("Jazz" in genres or "jazz" in genres)
    assert run(capsys, "facets", "moods", "--home", str(home))[0] == 2


@pytest.mark.parametrize("kind", ["edge", "remote"])
def test_facets_on_both_backends_match_the_catalog(tmp_path, catalog, rows, kind):
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from recsys.query.facets import facets
    from recsys.query.library import Library
    from recsys.store import open_backend
    from tests.support.tiny_encoders import TINY

    backend = open_backend(str(tmp_path / "store") if kind == "edge" else ":memory:")
    try:
        import inspect

        extra = {"cover_cache": tmp_path / "covers"} if "cover_cache" in inspect.signature(read_catalog).parameters else {}
        ingest_catalog(read_catalog(catalog, **extra), backend, IngestOptions(collection="c", batch_size=16, **TINY))
        lib = Library(backend, "c")
        for facet in ("genres", "artists", "years"):
            resp = facets(lib, facet)
            assert _as_counts(resp.as_dict()["values"], facet) == _catalog_counts(rows, facet), (kind, facet)
        assert facets(lib, "artists", limit=3).values == facets(lib, "artists").values[:3]
    finally:
        backend.close()


# --- seeds --------------------------------------------------------------------------------


def test_facets_leave_out_tracks_without_an_artist(capsys, tmp_path):
    """Loose untagged files of a music folder have no artist: `recsys facets artists` listed
    them as one blank artist (a row no filter can name)."""
    import numpy as np
    import soundfile

    lib = tmp_path / "lib"
    tone = (0.3 * np.sin(np.arange(8000) / 5.0)).astype(np.float32)
    for name in ("Ada/First Album/01 One.wav", "Ada/First Album/02 Two.wav", "loose.wav", "Downloads/other.wav"):
        (lib / name).parent.mkdir(parents=True, exist_ok=True)
        soundfile.write(str(lib / name), tone, 8000)
    home = tmp_path / "home"
    assert main(["ingest", str(lib), "--home", str(home), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "facets", "artists", "--json", "--home", str(home))
    assert code == 0
    data = json.loads(out)
    assert data["values"] == [{"value": "Ada", "count": 2}] and data["total"] == 1


def test_a_title_not_in_the_catalog_names_the_closest(capsys, home):
    code, out, err = run(capsys, "recommend", "Hello", "--home", str(home))
    assert code == 1 and out == ""
    assert err.startswith("error: no track matches 'Hello'; closest: ") and "several" not in err
    assert len(err.strip().splitlines()) == 1


def test_track_ids_and_audio_files_as_seeds(capsys, home, catalog, rows):
    by_id = _recommend(capsys, home, rows[3]["track_id"], "-k", "3")
    assert by_id["seeds"][0]["track_id"] == rows[3]["track_id"]
    audio = rows[5]["audio"]  # relative to the catalog, as the manifest has it
    relative = _recommend(capsys, home, audio, "-k", "3")
    assert relative["seeds"][0]["track_id"] == rows[5]["track_id"]
    absolute = _recommend(capsys, home, str(catalog / audio), "-k", "3")
    assert absolute["seeds"][0]["track_id"] == rows[5]["track_id"]
    assert [r["track_id"] for r in absolute["results"]] == [r["track_id"] for r in relative["results"]]
    # --not takes them too
    both = _recommend(capsys, home, rows[3]["track_id"], "--not", str(catalog / audio), "-k", "3")
    assert both["negatives"][0]["track_id"] == rows[5]["track_id"]
    code, _, err = run(capsys, "recommend", str(catalog / "audio" / "missing.wav"), "--home", str(home))
    assert code == 1 and "missing.wav" in err and "no track" in err


def test_artist_alone_is_an_artist_radio(capsys, home, rows):
    artist = "Tomás Reindl"
    songs = {r["track_id"] for r in rows if r["artist"] == artist}
    data = _recommend(capsys, home, "--artist", "TOMAS REINDL", "-k", "8")
    seeds = {s["track_id"] for s in data["seeds"]}
    assert seeds and seeds <= songs and len(seeds) <= 10
    assert all(s["artist"] == artist for s in data["seeds"])
    ids = [r["track_id"] for r in data["results"]]
    assert len(ids) == 8 and not seeds & set(ids)
    per_artist: dict = {}
    for r in data["results"]:
        per_artist[r["artist"]] = per_artist.get(r["artist"], 0) + 1
    assert max(per_artist.values()) <= 2
    code, out, err = run(capsys, "playlist", "--artist", artist, "--per-seed", "2", "--json", "--home", str(home))
    assert code == 0, err
    assert {s["track_id"] for s in json.loads(out)["seeds"]} == seeds
    assert run(capsys, "recommend", "--home", str(home))[0] == 2  # no seed and no artist


def test_a_facets_table_shows_its_first_rows_and_says_how_many_more(capsys, home, monkeypatch):
    """A million tracks have some 100,000 artists: drawing them all took 15 s. The table stops
    at ``TABLE_ROWS`` and says what is left; --json and --limit give what they ask for."""
    from cli import facets_cmd

    monkeypatch.setattr(facets_cmd, "TABLE_ROWS", 2)
    code, out, _ = run(capsys, "facets", "artists", "--json", "--home", str(home))
    data = json.loads(out)
    assert data["total"] > 3 and len(data["values"]) == data["total"]  # --json: every value
    code, _, err = run(capsys, "facets", "artists", "--home", str(home))
    assert code == 0 and f"(2 of {data['total']})" in err
    assert str(data["values"][1]["value"]) in err and str(data["values"][2]["value"]) not in err
    assert f"and {data['total'] - 2} more: --limit N shows more, --json all of them" in err
    code, _, err = run(capsys, "facets", "artists", "--limit", "3", "--home", str(home))
    assert str(data["values"][2]["value"]) in err and "more:" not in err
