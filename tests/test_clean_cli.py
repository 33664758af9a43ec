"""``--clean`` end to end (``recsys.query.clean``): a music folder whose advisories come from
tags and titles, ingested with the tiny encoders; recommend, playlist and query leave the
explicit tracks out and play a song's clean copy, RECSYS_CLEAN makes it the default and
--no-clean overrides it, ``recsys info`` counts the advisories, and the API's ``filters.clean``
answers as the command line does."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import api_client, ingested_home, run

pytest.importorskip("mutagen")

#: every title, and what a clean answer holds of them (no explicit track, a song's clean copy)
TITLES = {"Hype", "Hype [Clean]", "Bitch, Don't Kill My Vibe", "B***h, Don't Kill My Vibe", "Nasty (Explicit)",
          "Mo Bamba", "Mo Bamba (Clean)", "Song A", "Song B", "Song C"}
CLEAN = {"Hype [Clean]", "B***h, Don't Kill My Vibe", "Mo Bamba (Clean)", "Song B", "Song C"}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("clean") / "lib"
    text = {"COMMENT": "a song"}  # a text vector each, for `query --text`
    tagged_flac(lib / "Drake/Views/01 Hype.flac", TITLE="Hype", ARTIST="Drake", ALBUM="Views", ITUNESADVISORY="1", **text)
    tagged_flac(lib / "Drake/Views (Clean)/01 Hype.flac", TITLE="Hype [Clean]", ARTIST="Drake", ALBUM="Views", **text)
    tagged_flac(lib / "Kendrick Lamar/gkmc/02 Bitch.flac", TITLE="Bitch, Don't Kill My Vibe", ARTIST="Kendrick Lamar", **text)
    tagged_flac(lib / "Kendrick Lamar/gkmc clean/02 B.flac", TITLE="B***h, Don't Kill My Vibe", ARTIST="Kendrick Lamar", **text)
    tagged_flac(lib / "Ski Mask/Nasty.flac", TITLE="Nasty (Explicit)", ARTIST="Ski Mask", **text)
    # an album's copy that says nothing, and the radio edit marked clean: the clean one plays
    tagged_flac(lib / "Sheck Wes/MUDBOY/01 Mo Bamba.flac", TITLE="Mo Bamba", ARTIST="Sheck Wes", **text)
    tagged_flac(lib / "Radio/Mo Bamba (Clean).flac", TITLE="Mo Bamba (Clean)", ARTIST="Sheck Wes", **text)
    for n, title in enumerate(("Song A", "Song B", "Song C"), 1):
        tagged_flac(lib / f"Band {n}/Album/01 {title}.flac", TITLE=title, ARTIST=f"Band {n}", **text)
    return ingested_home(tmp_path_factory, lib, "lib")


def _answer(capsys, home, command: str, *argv: str) -> list[dict]:
    extra = {"recommend": ("-k", "20"), "playlist": ("--per-seed", "20"), "query": ("-k", "20")}[command]
    code, out, err = run(capsys, command, *argv, *extra, "--max-per-artist", "0", "--json", "--home", str(home))
    assert code == 0, err
    got = json.loads(out)
    return got["playlist" if command == "playlist" else "results"]


def _titles(capsys, home, command: str, *argv: str) -> set[str]:
    return {r["title"] for r in _answer(capsys, home, command, *argv)}


def test_clean_answers(capsys, home):
    assert _titles(capsys, home, "recommend", "Song A", "--clean") == CLEAN
    assert _titles(capsys, home, "playlist", "Song A", "--clean") == CLEAN | {"Song A"}
    assert _titles(capsys, home, "query", "--text", "a song", "--clean") == CLEAN | {"Song A"}
    everything = _titles(capsys, home, "recommend", "Song A")
    assert {"Nasty (Explicit)"} <= everything <= TITLES and len(everything) == 6  # one copy of each song


def test_an_explicit_seed_is_still_a_seed(capsys, home):
    assert _titles(capsys, home, "recommend", "Hype", "--clean") == CLEAN - {"Hype [Clean]"} | {"Song A"}


def test_the_environment_makes_it_the_default(capsys, home, monkeypatch):
    monkeypatch.setenv("RECSYS_CLEAN", "1")
    assert _titles(capsys, home, "recommend", "Song A") == CLEAN
    assert "Nasty (Explicit)" in _titles(capsys, home, "recommend", "Song A", "--no-clean")
    monkeypatch.setenv("RECSYS_CLEAN", "maybe")
    code, _, err = run(capsys, "recommend", "Song A", "--home", str(home))
    assert code == 2 and "RECSYS_CLEAN" in err


def test_results_and_tables_show_the_advisory(capsys, home):
    shown = {r["title"]: r.get("explicit") for r in _answer(capsys, home, "recommend", "Song A", "--clean")}
    assert shown == {"Hype [Clean]": False, "B***h, Don't Kill My Vibe": False, "Mo Bamba (Clean)": False,
                     "Song B": None, "Song C": None}
    code, _, err = run(capsys, "recommend", "Song A", "--clean", "--home", str(home))
    assert code == 0 and "adv" in err


def test_info_counts_the_advisories(capsys, home):
    code, out, _ = run(capsys, "info", "--json", "--home", str(home))
    got = json.loads(out)["collections"][0]
    assert code == 0 and (got["explicit"], got["clean"]) == (3, 3)  # "Bitch" written out is explicit
    code, _, err = run(capsys, "info", "--home", str(home))
    assert code == 0 and "3 tracks marked explicit, 3 clean" in " ".join(err.split())


def test_the_api_reads_clean_as_the_command_line_does(home):
    with api_client(home) as c:
        def titles(body: dict, route: str = "/api/recommend") -> set[str]:
            got = c.post(route, json={"k": 20, "max_per_artist": 0} | body)
            assert got.status_code == 200, got.text
            return {r["title"] for r in got.json()["results"]}

        assert titles({"seeds": ["Song A"], "filters": {"clean": True}}) == CLEAN
        # a track id: answered ahead of the routing (``serve.fast_path``), the same answer
        song_a = next(r for r in c.post("/api/recommend", json={"seeds": ["Song B"], "k": 20}).json()["results"]
                      if r["title"] == "Song A")
        assert titles({"seeds": [song_a["track_id"]], "filters": {"clean": True}}) == CLEAN
        assert "Nasty (Explicit)" in titles({"seeds": ["Song A"]})
        assert titles({"text": "a song", "filters": {"clean": True}}, "/api/query/text") == CLEAN | {"Song A"}
        got = c.post("/api/recommend", json={"seeds": ["Song A"], "k": 20, "filters": {"clean": True}}).json()
        assert {r["title"]: r["explicit"] for r in got["results"]}["Hype [Clean]"] is False
        assert c.post("/api/recommend", json={"seeds": ["Song A"], "filters": {"clean": "yes"}}).status_code == 422
        info = c.get("/api/info").json()["collections"][0]
        assert (info["explicit"], info["clean"]) == (3, 3)


def test_facets_count_the_clean_tracks_alone(capsys, home, monkeypatch):
    """``recsys facets ... --clean``: Ski Mask, whose one track is marked explicit, is no row,
    Drake and Kendrick Lamar count their clean copies alone; RECSYS_CLEAN makes it the default
    and --no-clean overrides it."""
    def artists(*argv: str) -> dict[str, int]:
        code, out, err = run(capsys, "facets", "artists", *argv, "--json", "--home", str(home))
        assert code == 0, err
        return {v["value"]: v["count"] for v in json.loads(out)["values"]}

    every = {"Drake": 2, "Kendrick Lamar": 2, "Ski Mask": 1, "Sheck Wes": 2, "Band 1": 1, "Band 2": 1, "Band 3": 1}
    clean = {"Drake": 1, "Kendrick Lamar": 1, "Sheck Wes": 2, "Band 1": 1, "Band 2": 1, "Band 3": 1}
    assert artists() == every
    assert artists("--clean") == clean
    monkeypatch.setenv("RECSYS_CLEAN", "1")
    assert artists() == clean and artists("--no-clean") == every
    code, _, err = run(capsys, "facets", "artists", "--clean", "--home", str(home))
    assert code == 0 and "not marked explicit" in err  # the table says what it counts
