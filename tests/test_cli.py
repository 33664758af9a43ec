"""The CLI end to end on the embedded store: output, --json, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from tests.support.cli import TINY_ARGS, ingested_home, run

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_catalog_master) -> Path:
    return ingested_home(tmp_path_factory, sample_catalog_master)


@pytest.fixture(scope="module")
def rows(sample_catalog_master) -> list[dict]:
    return [json.loads(l) for l in (sample_catalog_master / "manifest.jsonl").read_text().splitlines()]


def _plain(rows):
    return next(r for r in rows if "(" not in r["title"] and " - " not in r["title"] and r.get("summary"))


def test_ingest_json_summary(capsys, sample_catalog_master, tmp_path):
    code, out, err = run(capsys, "ingest", str(sample_catalog_master), "--home", str(tmp_path), *TINY_ARGS, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["tracks"] == data["ingested"] == 48 and data["vectors"]["graph"] == 48
    assert set(data["seconds"]) >= {"read", "graph", "text", "image", "audio", "upsert", "total"}


def test_recommend_json_excludes_seed_and_versions_and_caps_artists(capsys, home, rows):
    seed = next(r for r in rows if any(r["title"].startswith(o["title"].split(" (")[0]) and o is not r
                                        and o["artist"] == r["artist"] for o in rows) and "(" not in r["title"]
                and " - " not in r["title"])
    code, out, _ = run(capsys, "recommend", seed["title"], "--artist", seed["artist"], "-k", "10", "--json", "--home", str(home))
    assert code == 0
    data = json.loads(out)
    assert data["seeds"][0]["track_id"] == seed["track_id"]
    results = data["results"]
    assert len(results) == 10
    from recsys.query.titlekeys import version_key

    seed_key = version_key(seed["title"], seed["artist"])
    assert all(version_key(r["title"], r["artist"]) != seed_key for r in results)
    per_artist = {}
    for r in results:
        per_artist[r["artist"]] = per_artist.get(r["artist"], 0) + 1
    assert max(per_artist.values()) <= 2
    code, out, _ = run(capsys, "recommend", seed["title"], "--artist", seed["artist"], "--max-per-artist", "0",
                       "-k", "10", "--json", "--home", str(home))
    assert code == 0


def test_recommend_filters_negatives_and_explain(capsys, home, rows):
    seed = _plain(rows)
    genre = seed["genres"][0]
    code, out, _ = run(capsys, "recommend", seed["title"], "--genre", genre, "--json", "--explain", "-k", "3", "--home", str(home))
    assert code == 0
    data = json.loads(out)
    assert all(genre in r["genres"] for r in data["results"])
    exp = data["results"][0]["explanation"]
    assert set(exp) == {"text", "image", "audio", "graph"} and -1.0 <= exp["audio"] <= 1.0
    other = next(r for r in rows if r["genres"] != seed["genres"] and r.get("summary"))
    code, out, _ = run(capsys, "recommend", seed["title"], "--not", other["title"], "--exclude-artist", seed["artist"],
                       "--json", "--home", str(home))
    data = json.loads(out)
    assert code == 0 and data["negatives"][0]["track_id"] == other["track_id"]
    assert all(r["artist"] != seed["artist"] for r in data["results"])
    assert all(r["track_id"] != other["track_id"] for r in data["results"])
    # the table with explanation bars goes to stderr
    code, out, err = run(capsys, "recommend", seed["title"], "--explain", "-k", "2", "--home", str(home))
    assert code == 0 and out == "" and "█" in err and "audio" in err
    # a seed that is its own negative cancels out: an error, not a list of negative scores
    code, out, err = run(capsys, "recommend", seed["title"], "--not", seed["track_id"], "--home", str(home))
    assert code == 1 and out == "" and "both a seed and a negative" in err and seed["track_id"] in err


def test_recommend_using_each_modality_and_year_filter(capsys, home, rows):
    seed = _plain(rows)
    for using in ("text", "image", "audio", "graph", "fused"):
        code, out, _ = run(capsys, "recommend", seed["title"], "--using", using, "--json", "-k", "3", "--home", str(home))
        assert code == 0, using
        assert len(json.loads(out)["results"]) == 3
    year = seed["year"]
    code, out, _ = run(capsys, "recommend", seed["title"], "--year", f"{year}-{year}", "--json", "--home", str(home))
    assert code == 0 and all(r["year"] == year for r in json.loads(out)["results"])


def test_unknown_title_exits_1_with_closest(capsys, home):
    code, out, err = run(capsys, "recommend", "Zzzq Nothing Like This", "--home", str(home))
    assert code == 1 and out == ""
    assert err.startswith("error: ") and "closest" in err and len(err.strip().splitlines()) == 1


def test_instrumental_seed_with_using_text_is_a_clear_error(capsys, home, rows):
    inst = next(r for r in rows if not r.get("summary") and not r.get("lyrics"))
    code, _, err = run(capsys, "recommend", inst["title"], "--artist", inst["artist"], "--using", "text", "--home", str(home))
    assert code == 1 and "has no text vector" in err


def test_usage_errors_exit_2(capsys, home):
    assert run(capsys, "recommend", "--home", str(home))[0] == 2  # no title
    assert run(capsys, "query", "--home", str(home))[0] == 2  # no input
    assert run(capsys, "recommend", "x", "--year", "soon", "--home", str(home))[0] == 2
    assert run(capsys, "nonsense-command")[0] == 2


def test_query_image_text_audio(capsys, home, sample_catalog_master):
    queries = json.loads((sample_catalog_master / "sample_queries.json").read_text())
    cover = sample_catalog_master / queries["cover"]["path"]
    code, out, _ = run(capsys, "query", "--image", str(cover), "--json", "-k", "5", "--home", str(home))
    assert code == 0 and len(json.loads(out)["results"]) == 5
    clip = sample_catalog_master / queries["clip"]["path"]
    code, out, _ = run(capsys, "query", "--audio", str(clip), "--json", "--using", "fused", "--home", str(home))
    assert code == 0 and json.loads(out)["using"] == "fused"
    code, out, _ = run(capsys, "query", "--text", "slow ocean drift", "--json", "--explain", "--home", str(home))
    data = json.loads(out)
    assert code == 0 and data["results"][0]["explanation"]["text"] is not None
    code, _, err = run(capsys, "query", "--text", "x", "--using", "image", "--home", str(home))
    assert code == 1 and "text query searches text or fused" in err


def test_query_with_bad_image_is_one_line(capsys, home, tmp_path):
    bad = tmp_path / "cover.jpg"
    bad.write_bytes(b"nope")
    code, out, err = run(capsys, "query", "--image", str(bad), "--home", str(home))
    assert code == 1 and "cover.jpg" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "query", "--image", str(tmp_path / "missing.png"), "--home", str(home))
    assert code == 1 and "missing.png" in err


def test_a_bad_query_input_fails_before_any_encoder_loads(capsys, home, tmp_path, monkeypatch):
    """A missing file or an empty text is known at once; loading the model first took seconds."""
    import recsys.encoders

    def no_loading(*args, **kwargs):
        raise AssertionError("an encoder was loaded for an input that cannot be queried")

    monkeypatch.setattr(recsys.encoders, "get_encoder", no_loading)
    for argv, said in ((["--image", str(tmp_path / "missing.png")], "missing.png: file not found"),
                       (["--audio", str(tmp_path)], "is a directory"),
                       (["--text", "  "], "the text query is empty"),
                       (["--text", "", "--using", "image"], "the text query is empty")):
        (tmp_path / "empty.wav").write_bytes(b"")
        code, out, err = run(capsys, "query", *argv, "--home", str(home))
        assert code == 1 and out == "" and said in err, (argv, err)
    code, _, err = run(capsys, "query", "--audio", str(tmp_path / "empty.wav"), "--home", str(home))
    assert code == 1 and "empty file (0 bytes)" in err


def test_playlist_no_duplicates_and_artist_cap(capsys, home, rows):
    by_genre = {}
    for r in rows:
        if "(" not in r["title"] and " - " not in r["title"]:
            by_genre.setdefault(r["genres"][0], r)
    seeds = [r["title"] for r in list(by_genre.values())[:3]]
    code, out, _ = run(capsys, "playlist", *seeds, "--per-seed", "3", "--json", "--home", str(home))
    assert code == 0
    data = json.loads(out)
    ids = [r["track_id"] for r in data["results"]]
    assert len(ids) == 9 and len(set(ids)) == 9
    seed_ids = {s["track_id"] for s in data["seeds"]}
    assert not seed_ids & set(ids)
    per_artist = {}
    for r in data["results"]:
        per_artist[r["artist"]] = per_artist.get(r["artist"], 0) + 1
    assert max(per_artist.values()) <= 2


def test_playlist_max_per_artist_one_never_repeats_an_artist(capsys, home, rows):
    """The playlist's artist cap (seeds included) binds: with --max-per-artist 1 every track,
    seeds counted, is by another artist, where the uncapped playlist repeats one."""
    by_artist = {}
    for r in rows:
        if "(" not in r["title"] and " - " not in r["title"]:
            by_artist.setdefault(r["artist"], r)
    seeds = [r["title"] for r in list(by_artist.values())[:3]]
    args = ["playlist", *seeds, "--per-seed", "4", "--diversity", "0", "--json", "--home", str(home)]
    code, out, _ = run(capsys, *args, "--max-per-artist", "0")
    assert code == 0
    uncapped = [r["artist"] for r in json.loads(out)["results"]]
    assert len(uncapped) > len(set(uncapped))  # without a cap an artist repeats
    code, out, _ = run(capsys, *args, "--max-per-artist", "1")
    assert code == 0
    data = json.loads(out)
    artists = [s["artist"] for s in data["seeds"]] + [r["artist"] for r in data["results"]]
    assert data["results"] and len(artists) == len(set(artists))


def test_info(capsys, home):
    code, out, _ = run(capsys, "info", "--json", "--home", str(home))
    data = json.loads(out)
    assert code == 0 and data["collections"][0]["collection"] == "sample"
    c = data["collections"][0]
    assert c["points"] == 48 and c["vectors"]["graph"] == 48 and c["vectors"]["text"] < 48
    assert c["encoders"]["text"]["name"] == "tiny-text" and c["fused"]["kind"] == "concat"
    code, _, err = run(capsys, "info", "--home", str(home))
    assert code == 0 and "tiny-text" in err


def test_store_in_use_by_another_process(capsys, home):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from recsys.store import open_backend; b=open_backend(sys.argv[1]); "
         "b.count('sample'); print('open', flush=True); time.sleep(60)", str(home / "store")],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        code, _, err = run(capsys, "recommend", "anything", "--home", str(home))
        assert code == 1 and f"in use by PID {holder.pid}" in err
    finally:
        holder.kill()
        holder.wait()


def test_console_script_runs_without_traceback(home):
    exe = Path(sys.executable).with_name("recsys")
    p = subprocess.run([str(exe), "recommend", "Zzzq", "--home", str(home)], capture_output=True, text=True)
    assert p.returncode == 1 and "Traceback" not in p.stderr and p.stderr.startswith("error:")
    p = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and "recommend" in p.stdout and "ingest" in p.stdout


@pytest.mark.parametrize(
    "argv, option",
    [
        (["ingest", "--index", "bogus"], "--index"),
        (["ingest", "--profile", "bogus"], "--profile"),
        (["ingest", "--fused", "bogus"], "--fused"),
        (["query", "--text", "piano", "--using", "bogus"], "--using"),
        (["recommend", "River", "--using", "bogus"], "--using"),
        (["export", "-o", "x.npy", "--using", "bogus"], "--using"),
        (["map", "-o", "x.html", "--using", "bogus"], "--using"),
    ],
)
def test_an_option_with_fixed_choices_is_a_usage_error_before_any_work(capsys, tmp_path, monkeypatch, argv, option):
    """A value outside an option's choices exits 2 naming them, before a catalog is read or a
    store opened (an unknown --index on an existing collection used to pass without a word)."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv, "--home", str(tmp_path / "home"))
    assert code == 2 and out == ""
    assert option in err and "'bogus' is not one of:" in err
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize("command", [["info"], ["recommend", "River"], ["ingest"]])
def test_a_home_that_is_a_file_is_a_usage_error(capsys, tmp_path, command):
    """`--home notes.txt` looked for a store inside the file and said "no collections yet"."""
    home = tmp_path / "notes.txt"
    home.write_text("not a folder")
    code, out, err = run(capsys, *command, "--home", str(home))
    assert code == 2 and out == "" and "is a file, not a folder" in err
    assert home.read_text() == "not a folder"


def test_sample_catalog_keeps_out_of_a_folder_with_files_of_its_own(capsys, tmp_path):
    """Its manifest would then stand for the folder: a music folder would ingest as the sample."""
    folder = tmp_path / "music"
    folder.mkdir()
    (folder / "song.m4a").write_bytes(b"mine")
    code, out, err = run(capsys, "sample-catalog", str(folder), "--tracks", "8")
    assert code == 2 and "holds files of its own (song.m4a)" in err
    assert sorted(p.name for p in folder.iterdir()) == ["song.m4a"]
    # a new folder, and an earlier sample catalog, are written
    again = tmp_path / "sample"
    for _ in range(2):
        code, _, err = run(capsys, "sample-catalog", str(again), "--tracks", "8")
        assert code == 0 and "wrote 8 tracks" in err
