"""What a new user ran into: the commands' messages where a user's input or environment is at
fault (an -o file that cannot be written, ...), each one line naming what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.support.cli import TINY_ARGS, ingested_home, run


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_catalog_master) -> Path:
    return ingested_home(tmp_path_factory, sample_catalog_master)


@pytest.fixture(scope="module")
def title(sample_catalog_master) -> str:
    rows = [json.loads(l) for l in (sample_catalog_master / "manifest.jsonl").read_text().splitlines()]
    return next(r["title"] for r in rows if "(" not in r["title"] and " - " not in r["title"])


# --- an -o file that cannot be written ----------------------------------------------------


def _commands(title: str, out: Path) -> dict[str, list[str]]:
    return {
        "playlist": ["playlist", title, "--per-seed", "2", "-o", str(out.with_suffix(".m3u8"))],
        "export-npy": ["export", "-o", str(out.with_suffix(".npy"))],
        "export-parquet": ["export", "-o", str(out.with_suffix(".parquet"))],
        "map": ["map", "--method", "pca", "-o", str(out.with_suffix(".html"))],
    }


@pytest.mark.parametrize("command", ["playlist", "export-npy", "export-parquet", "map"])
def test_an_output_under_a_file_names_the_file_not_an_exception(capsys, home, title, tmp_path, command):
    """`-o x/mix.m3u8` where `x` is a file printed `error: FileExistsError: [Errno 17] ...` or
    named the hidden `.mix.m3u8.partial` it writes through; it says what is wrong instead."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder\n")
    argv = _commands(title, blocker / "sub" / "out")[command]
    code, out, err = run(capsys, *argv, "--home", str(home))
    asked = argv[argv.index("-o") + 1]
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == f"error: cannot write {asked}: {blocker} is a file, not a folder", err
    assert "Error:" not in err and ".partial" not in err


@pytest.mark.parametrize("command", ["playlist", "export-npy", "map"])
def test_an_output_folder_that_cannot_be_made_is_one_line(capsys, home, title, tmp_path, monkeypatch, command):
    """No permission to make the output's folder (a read-only disk, another user's folder): one
    line naming the file asked for and the reason, without the exception's class."""
    import pathlib

    plain = pathlib.Path.mkdir

    def refuse(self, *a, **k):
        if str(self).startswith(str(tmp_path)):
            raise PermissionError(13, "Permission denied", str(self))
        return plain(self, *a, **k)

    monkeypatch.setattr(pathlib.Path, "mkdir", refuse)
    argv = _commands(title, tmp_path / "new" / "out")[command]
    code, out, err = run(capsys, *argv, "--home", str(home))
    asked = argv[argv.index("-o") + 1]
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == f"error: cannot write {asked}: permission denied", err


def test_an_output_that_is_written_still_is(capsys, home, title, tmp_path):
    out_file = tmp_path / "deep" / "er" / "mix.m3u8"
    code, _, err = run(capsys, "playlist", title, "--per-seed", "2", "-o", str(out_file), "--home", str(home))
    assert code == 0, err
    assert out_file.read_text().startswith("#EXTM3U")
    assert not list(out_file.parent.glob(".*.partial"))


def test_sample_catalog_into_a_folder_that_cannot_be_made_is_one_line(capsys, tmp_path):
    """`recsys sample-catalog x/demo` with a file `x` printed `error: NotADirectoryError: ...
    'x/demo/audio'`, a folder the user never named."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a folder\n")
    code, out, err = run(capsys, "sample-catalog", str(blocker / "demo"), "--tracks", "8")
    assert code == 1 and out == ""
    assert err == f"error: cannot write {blocker / 'demo'}: {blocker} is a file, not a folder\n", err


# --- --json with every command but serve (README, "Common options") -----------------------


def test_every_command_but_serve_takes_json():
    """The README promises `--json` with all commands but `serve`; `sample-catalog --json` was
    a usage error ("No such option: --json")."""
    import typer.main

    from cli.main import app

    group = typer.main.get_command(app)
    lacking = [name for name, cmd in group.commands.items()
               if name != "serve" and not any("--json" in p.opts for p in cmd.params)]
    assert lacking == []


def test_sample_catalog_json_is_the_only_stdout(capsys, tmp_path):
    code, out, err = run(capsys, "sample-catalog", str(tmp_path / "demo"), "--tracks", "8", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["tracks"] == 8 and data["directory"] == str(tmp_path / "demo")
    assert Path(data["manifest"]).is_file() and Path(data["manifest"]).parent == tmp_path / "demo"
    assert err == ""


# --- eval on a music folder where one modality is rare ------------------------------------


def test_eval_with_a_modality_only_two_tracks_have_does_not_crash():
    """`recsys eval` on a real music folder (two tracks of 44 with lyrics) failed with
    `error: ValueError: min() arg is an empty sequence`: a fold whose training rows held no
    track with text had no voter for "text alone". Such a fold measures nothing for it, and
    a row that no fold measured is left out rather than reported as NaN (invalid JSON)."""
    from recsys.catalog.model import TrackRecord
    from training.data import ModalityData, l2_rows
    from training.evaluate import protocol_b

    n = 30
    # the two tracks with lyrics: one has a genre, the other none (it never votes)
    tracks = tuple(TrackRecord(track_id=f"t{i:02d}", title="T", artist=f"A{i}", genres=() if i == 1 else (f"g{i % 3}",))
                   for i in range(n))
    rng = np.random.default_rng(0)
    text_has = np.zeros(n, dtype=bool)
    text_has[[0, 1]] = True
    text = rng.normal(size=(n, 4)).astype(np.float32)
    text[~text_has] = 0.0
    audio = rng.normal(size=(n, 4)).astype(np.float32)
    data = ModalityData(tracks, {"text": text, "audio": audio}, {"text": text_has, "audio": np.ones(n, dtype=bool)})
    methods = {m: (lambda m: lambda fd, train: l2_rows(fd.vectors[m]))(m) for m in ("text", "audio")}
    res = protocol_b(data, methods, folds=5, seed=0, present={"text": text_has, "audio": np.ones(n, dtype=bool)})
    assert "text" not in res  # the fold holding t00 has no voter, the others no query
    assert 0.0 <= res["audio"].accuracy <= 1.0 and len(res["audio"].fold_accuracy) == 5


# --- --json is JSON: no NaN, no Infinity ---------------------------------------------------


def _strict(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_train_json_of_a_two_track_collection_is_strict_json(capsys, sample_catalog, tmp_path):
    """Two tracks leave no validation pairs: `train --json` printed `"best_val_loss": Infinity`
    (and `eval --json` `NaN` metrics), which jq and strict parsers refuse. They are null."""
    manifest = sample_catalog / "manifest.jsonl"
    manifest.write_text("".join(manifest.read_text().splitlines(keepends=True)[:2]))
    home = tmp_path / "home"
    code, _, err = run(capsys, "ingest", str(sample_catalog), "--home", str(home), *TINY_ARGS, "--json")
    assert code == 0, err
    code, out, err = run(capsys, "train", "--epochs", "2", "--threads", "1", "--home", str(home), "--json")
    assert code == 0, err
    report = _strict(out)
    assert report["history"]["best_val_loss"] is None


def test_print_json_writes_null_for_what_json_cannot_hold(capsys):
    from cli.common import print_json

    print_json({"a": float("nan"), "b": [1.5, float("inf"), {"c": -float("inf")}], "d": (2.0,), "e": "NaN"})
    assert _strict(capsys.readouterr().out) == {"a": None, "b": [1.5, None, {"c": None}], "d": [2.0], "e": "NaN"}


# --- an environment variable with a bad value ---------------------------------------------


@pytest.mark.parametrize("value", ["four", "-1", "2.5", "\u00b2"])
def test_a_decode_processes_that_is_no_count_stops_the_ingest(capsys, sample_catalog, tmp_path, monkeypatch, value):
    """RECSYS_DECODE_PROCESSES=four was passed over for the default without a word (as
    RECSYS_STORE_WAIT=abc is not): the ingest says so before it reads anything."""
    monkeypatch.setenv("RECSYS_DECODE_PROCESSES", value)
    code, out, err = run(capsys, "ingest", str(sample_catalog), "--home", str(tmp_path / "home"), *TINY_ARGS, "--dry-run")
    assert code == 1 and out == ""
    assert err == (f"error: RECSYS_DECODE_PROCESSES='{value}' is not a number of processes "
                   "(0 decodes on threads; unset: one per CPU)\n")
    assert not (tmp_path / "home").exists()


# --- deleting a collection ----------------------------------------------------------------


def test_drop_deletes_a_collection_and_its_models_and_asks_first(capsys, tmp_path_factory, sample_catalog_master):
    """The README said "delete the old one" (to change an index, to move to a new encoder) and
    no command did; an ingest stopped before its first tracks left an empty collection that
    every command then asked to choose around."""
    from recsys.settings import Settings

    home = ingested_home(tmp_path_factory, sample_catalog_master, collection="old")
    models = Settings(home=home).models_dir("old")
    (models / "v1").mkdir(parents=True)
    (models / "v1" / "config.json").write_text("{}")

    code, out, err = run(capsys, "drop", "missing", "--home", str(home))
    assert code == 1 and err.strip().splitlines()[-1].startswith("error: no collection 'missing'") and "(collections: old)" in err
    code, out, err = run(capsys, "drop", "old", "--home", str(home))  # stdin is no terminal under pytest
    assert code == 1 and "pass --yes to confirm" in err and "48 tracks" in err
    assert json.loads(run(capsys, "info", "--json", "--home", str(home))[1])["collections"][0]["points"] == 48

    code, out, err = run(capsys, "drop", "old", "--yes", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["dropped"] == "old" and json.loads(out)["points"] == 48
    assert json.loads(out)["models_removed"] is True and not models.exists()
    assert json.loads(run(capsys, "info", "--json", "--home", str(home))[1])["collections"] == []
    # a collection never trained: no models said removed
    assert run(capsys, "ingest", str(sample_catalog_master), "--collection", "again", "--home", str(home),
               *TINY_ARGS, "--json")[0] == 0
    code, out, err = run(capsys, "drop", "again", "-y", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["models_removed"] is False and json.loads(out)["models_kept"] is None


def test_several_collections_name_the_empty_one_and_how_to_drop_it(capsys, tmp_path_factory, sample_catalog_master):
    from recsys.store import open_backend
    from recsys.store.base import CollectionSpec

    home = ingested_home(tmp_path_factory, sample_catalog_master, collection="music")
    backend = open_backend(home / "store")
    try:
        backend.create_collection(CollectionSpec(name="stopped", vectors={"text": 8}, metadata={}))
    finally:
        backend.close()
    code, out, err = run(capsys, "facets", "genres", "--home", str(home))
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        "error: several collections (music, stopped (empty)); choose one with --collection;"
        " `recsys drop stopped` deletes an empty one"
    )


# --- a filter that names what no track has -----------------------------------------------


def test_a_filter_naming_no_tracks_genre_says_so_with_the_closest(capsys, home, title):
    """`--genre metall` printed "no results (filters too narrow?)", as a year range that
    leaves nothing does: a typo is an error naming the value and the closest ones there are.
    ("metall" itself is Metal now: the Russian and German word, ``labels._GENRE_WORDS``.)"""
    code, out, err = run(capsys, "recommend", title, "--genre", "mettal", "--home", str(home))
    assert code == 1 and out == ""
    assert err.strip().splitlines()[-1] == (
        "error: no track in collection 'sample' has the genre 'mettal' (closest: metal); `recsys facets genres` lists them"
    )
    code, out, err = run(capsys, "query", "--text", "night drive", "--artist", "Nobody Atall", "--home", str(home))
    assert code == 1 and "has the artist 'Nobody Atall'" in err
    # one of the values is some track's: the filter may well leave nothing, and says that as before
    code, out, err = run(capsys, "recommend", title, "--genre", "mettal", "--genre", "metal", "--year", "1700-1701",
                         "--home", str(home))
    assert code == 0 and "no results (filters too narrow?)" in err


@pytest.mark.parametrize("kind", ["edge", "remote"])
def test_a_filter_of_a_tagged_feat_string_is_no_typo(tmp_path, kind):
    """`--only-artist "Drake feat. Rihanna"` finds the track tagged so, yet the artist facet
    has no row of that string (its rows are the credited names): an empty answer (the seed
    was that track) said "no track ... has the artist 'Drake feat. Rihanna' (closest: Drake,
    Rihanna)", the message of a typo."""
    from recsys.catalog.model import TrackRecord
    from recsys.query.facets import unmatched_filter
    from recsys.query.library import Library
    from recsys.store import PointRecord, QueryFilter
    from tests.test_store_contract import NAME, create, e, make_backend

    backend = make_backend(kind, tmp_path)
    try:
        create(backend)
        records = [TrackRecord("t0", "Take Care", "Drake feat. Rihanna", artists=("Drake", "Rihanna")),
                   TrackRecord("t1", "Umbrella", "Rihanna")]
        backend.upsert(NAME, [PointRecord(r.track_id, {"audio": e(i)}, r.payload()) for i, r in enumerate(records)])
        lib = Library(backend, NAME)
        assert unmatched_filter(lib, QueryFilter(artists=("Drake feat. Rihanna",))) is None
        assert unmatched_filter(lib, QueryFilter(artists=("drake FEAT. rihanna",))) is None
        assert "has the artist 'Rihana' (closest: Rihanna" in unmatched_filter(lib, QueryFilter(artists=("Rihana",)))
    finally:
        backend.close()


def test_a_seed_in_an_empty_collection_says_the_collection_is_empty(capsys, tmp_path_factory, sample_catalog_master):
    """An ingest stopped before its first tracks leaves an empty collection: "no track matches
    'River'" read as a typo."""
    from recsys.store import open_backend

    home = ingested_home(tmp_path_factory, sample_catalog_master, collection="music")
    backend = open_backend(home / "store")
    try:
        ids = [p.track_id for p in backend.scroll("music")]
        backend.delete_points("music", ids)
        assert backend.count("music") == 0
    finally:
        backend.close()
    code, out, err = run(capsys, "recommend", "River", "--home", str(home))
    assert code == 1 and err.strip().splitlines()[-1] == (
        "error: collection 'music' has no tracks yet (an ingest stopped before writing any?); run `recsys ingest`"
    )


@pytest.mark.parametrize("value", ["-1", "abc", "nan", "inf"])
def test_a_store_wait_that_is_no_count_of_seconds_is_an_error(capsys, monkeypatch, home, value):
    """RECSYS_STORE_WAIT=-1 was taken for 0 in silence (and "abc" was an error)."""
    monkeypatch.setenv("RECSYS_STORE_WAIT", value)
    code, out, err = run(capsys, "info", "--home", str(home))
    assert code == 1 and err.strip().splitlines()[-1] == (
        f"error: RECSYS_STORE_WAIT='{value}' is not a number of seconds (0 or more; 0 fails at once)"
    )


def test_a_query_by_a_tracks_own_clip_scores_at_most_one(capsys, home, sample_catalog_master):
    """The stored vector is float16: against the query's float32 the cosine came out 1.000065."""
    clips = sorted((sample_catalog_master / "audio").iterdir())
    scores = []
    for clip in clips[:8]:
        code, out, err = run(capsys, "query", "--audio", str(clip), "-k", "1", "--json", "--home", str(home))
        assert code == 0, err
        scores.append(json.loads(out)["results"][0]["score"])
    assert max(scores) <= 1.0 and max(scores) > 0.999
