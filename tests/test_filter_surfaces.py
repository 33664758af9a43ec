"""Every filter on every surface that returns tracks (README.md's table, "Filters on every surface"): the upload queries
(a cover, a clip) take the JSON routes' filters as form fields, ``clean`` included; a track's
page of neighbours keeps ``clean``; the CLI's playlist and path take ``--only-artist`` as the API
does; and a bad value is refused with the same line by the CLI and the API, through the one
builder (``recsys.query.filterspec``). On the sample catalog, two of its metal bands marked
explicit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from tests.support.cli import api_client, ingested_home, run  # noqa: E402

#: the sample's metal bands whose tracks are marked explicit (its third, Gravewarden, is not)
EXPLICIT_ARTISTS = ("Skarnhelm", "Iron Pyre")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory, sample_catalog_master) -> Path:
    dst = tmp_path_factory.mktemp("filters-catalog") / "catalog"
    shutil.copytree(sample_catalog_master, dst)
    manifest = dst / "manifest.jsonl"
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    for row in rows:
        if row["artist"] in EXPLICIT_ARTISTS:
            row["explicit"] = True
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return dst


@pytest.fixture(scope="module")
def rows(catalog) -> list[dict]:
    return [json.loads(line) for line in (catalog / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def home(tmp_path_factory, catalog) -> Path:
    return ingested_home(tmp_path_factory, catalog)


@pytest.fixture
def client(home):
    """The API over ``home``, per test: its store is closed again for the CLI's tests."""
    with api_client(home) as c:
        yield c


def _explicit(results: list[dict]) -> list[str]:
    return [r["title"] for r in results if r.get("explicit")]


def _one_line_422(resp) -> str:
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert set(body) == {"error"} and "\n" not in body["error"]
    return body["error"]


def test_the_cover_query_keeps_clean(client, catalog):
    def ask(**form) -> list[dict]:
        with open(catalog / "sample_query_cover.png", "rb") as fh:
            resp = client.post("/api/query/image", files={"file": ("q.png", fh, "image/png")},
                               data={"k": "8", "max_per_artist": "0", **form})
        assert resp.status_code == 200, resp.text
        return resp.json()["results"]

    assert _explicit(ask())  # the cover was drawn for metal: the explicit bands come first
    kept = ask(clean="true")
    assert kept and not _explicit(kept)
    assert ask(clean="false") == ask()


def test_the_clip_query_keeps_clean(client, catalog, rows):
    seed = next(r for r in rows if r["artist"] == EXPLICIT_ARTISTS[0])

    def ask(**form) -> list[dict]:
        with open(catalog / seed["audio"], "rb") as fh:
            resp = client.post("/api/query/audio", files={"file": ("clip.wav", fh, "audio/wav")},
                               data={"k": "5", **form})
        assert resp.status_code == 200, resp.text
        return resp.json()["results"]

    assert ask()[0]["track_id"] == seed["track_id"]  # the clip is the track's own sound
    kept = ask(clean="true")
    assert kept and not _explicit(kept)


def test_the_uploads_take_every_filter_of_the_json_routes(client, catalog):
    def ask(form: dict | list) -> list[dict]:
        with open(catalog / "sample_query_cover.png", "rb") as fh:
            resp = client.post("/api/query/image", files={"file": ("q.png", fh, "image/png")},
                               data=form)
        assert resp.status_code == 200, resp.text
        return resp.json()["results"]

    base = {"k": "10", "max_per_artist": "0"}
    assert {g for r in ask(base | {"genres": "jazz"}) for g in r["genres"]} == {"jazz"}
    two = ask(base | {"genres": ["jazz", "folk"]})  # a list field repeated
    assert {r["genres"][0] for r in two} == {"jazz", "folk"}
    assert {r["artist"] for r in ask(base | {"only_artists": "Gravewarden"})} == {"Gravewarden"}
    assert "Gravewarden" not in {r["artist"] for r in ask(base | {"exclude_artists": "Gravewarden"})}
    dated = ask(base | {"year_min": "1990", "year_max": "1999"})
    assert dated and all(1990 <= r["year"] <= 1999 for r in dated)
    assert ask(base | {"kind": "spoken"}) == []  # the sample holds no spoken word


def test_an_upload_filter_refused_is_one_line(client, catalog):
    def refused(form: dict) -> str:
        with open(catalog / "sample_query_cover.png", "rb") as fh:
            return _one_line_422(client.post("/api/query/image", files={"file": ("q.png", fh, "image/png")},
                                             data=form))

    assert "an empty range" in refused({"year_min": "2020", "year_max": "1990"})
    assert "an empty range" in refused({"bpm_min": "130", "bpm_max": "120"})
    assert "'H' is not a musical key" in refused({"keys": "H"})
    assert "kind" in refused({"kind": "films"})
    assert "clean" in refused({"clean": "maybe"})


def test_the_upload_schema_lists_every_filter(client):
    from serve.models import Filters

    schema = client.get("/openapi.json").json()
    for route in ("/api/query/image", "/api/query/audio"):
        body = schema["paths"][route]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
        ref = body["$ref"].rsplit("/", 1)[1]
        fields = set(schema["components"]["schemas"][ref]["properties"])
        assert set(Filters.model_fields) <= fields, (route, set(Filters.model_fields) - fields)


def test_a_tracks_neighbours_keep_clean(client, rows):
    seed = next(r for r in rows if r["artist"] == "Gravewarden")  # metal: its neighbours are the bands marked

    def neighbours(query: str) -> dict[str, list[dict]]:
        resp = client.get(f"/api/tracks/{seed['track_id']}?k=8{query}")
        assert resp.status_code == 200, resp.text
        return resp.json()["neighbours"]

    assert any(_explicit(tab) for tab in neighbours("").values())
    kept = neighbours("&clean=true")
    assert kept and all(tab and not _explicit(tab) for tab in kept.values())
    explicit_seed = next(r for r in rows if r["artist"] == EXPLICIT_ARTISTS[0])
    shown = client.get(f"/api/tracks/{explicit_seed['track_id']}?clean=true").json()
    assert shown["track"]["explicit"] is True  # the track asked for is shown: a seed is the listener's


def test_every_json_route_keeps_clean(client, rows):
    """The routes that took ``filters.clean`` already: each answer with it holds no explicit track."""
    seed = next(r for r in rows if r["artist"] == "Gravewarden")["track_id"]
    end = next(r for r in rows if r["artist"] == "Gravewarden" and r["track_id"] != seed)["track_id"]
    clean = {"filters": {"clean": True}, "max_per_artist": 0}
    answers = {
        "recommend": client.post("/api/recommend", json={"seeds": [seed], "k": 10} | clean).json()["results"],
        "playlist": client.post("/api/playlist", json={"seeds": [seed], "per_seed": 8} | clean).json()["results"],
        "path": client.post("/api/path", json={"start": seed, "end": end, "steps": 4} | clean).json()["results"],
        "text": client.post("/api/query/text", json={"text": "heavy storm of steel", "k": 10} | clean).json()["results"],
    }
    assert all(answers.values()) and not {route: _explicit(r) for route, r in answers.items() if _explicit(r)}
    m3u8 = client.post("/api/playlist.m3u8", json={"seeds": [seed], "per_seed": 8} | clean).text
    assert not [a for a in EXPLICIT_ARTISTS if a in m3u8]


def test_the_cli_playlist_and_path_take_only_artist(capsys, home, rows):
    seed = next(r for r in rows if r["artist"] == "Gravewarden")
    wanted = {"Gravewarden", "Iron Pyre"}
    args = ("--only-artist", "Gravewarden", "--only-artist", "Iron Pyre", "--home", str(home), "--json")
    code, out, err = run(capsys, "playlist", seed["title"], "--per-seed", "6", *args)
    assert code == 0, err
    found = {r["artist"] for r in json.loads(out)["results"]}
    assert found and found <= wanted
    end = next(r for r in rows if r["artist"] == "Iron Pyre")
    code, out, err = run(capsys, "path", seed["title"], end["title"], "--steps", "3", *args)
    assert code == 0, err
    walked = {r["artist"] for r in json.loads(out)["results"]}
    assert walked and walked <= wanted


def test_a_bad_value_is_refused_alike_by_the_cli_and_the_api(capsys, home, rows):
    """One builder: the CLI's usage error and the API's 422 say the same of a key no notation reads."""
    code, _, err = run(capsys, "recommend", rows[0]["title"], "--key", "H", "--home", str(home))
    cli_says = " ".join(err.split())
    with api_client(home) as client:
        body = {"seeds": [rows[0]["track_id"]], "filters": {"keys": ["H"]}}
        api_says = _one_line_422(client.post("/api/recommend", json=body))
    why = "'H' is not a musical key: give Camelot (8A, 12B), Open Key (1m, 5d) or a note name (Am, F# minor, Bb, E♭ major)"
    assert code == 2 and why in cli_says and why in api_says
