"""A clean server (``recsys serve --clean``, RECSYS_CLEAN=1; ``serve.clean``): every route that
returns tracks answers as with ``filters.clean`` whatever the request says (its ``clean=false``
lifts nothing), the search box lists no title marked explicit, a track marked explicit is not
shown, streamed or taken as a seed (404 with a line saying why), an audio file that holds one
(an album in one file with a cue sheet) is not streamed, and /api/info and /api/health say
the server is clean. Each answer is set beside a plain server's, which gives the explicit tracks.
On the sample catalog, two of its metal bands marked explicit."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from tests.support.cli import api_client, ingested_home, run  # noqa: E402

#: the sample's metal bands whose tracks are marked explicit (its third, Gravewarden, is not)
EXPLICIT_ARTISTS = ("Skarnhelm", "Iron Pyre")
#: the track of which the collection also owns a clean copy, titled alike: its album's clean edition
OWNED_TWICE = "t036"
NOT_CLEAN = {"filters": {"clean": False}, "max_per_artist": 0}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory, sample_catalog_master) -> Path:
    dst = tmp_path_factory.mktemp("clean-server-catalog") / "catalog"
    shutil.copytree(sample_catalog_master, dst)
    manifest = dst / "manifest.jsonl"
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    for row in rows:
        if row["artist"] in EXPLICIT_ARTISTS:
            row["explicit"] = True
    twice = next(r for r in rows if r["track_id"] == OWNED_TWICE)
    copy = f"audio/{OWNED_TWICE}c.wav"  # the clean edition's own file
    shutil.copy(dst / twice["audio"], dst / copy)
    rows.append(twice | {"track_id": f"{OWNED_TWICE}c", "album": f"{twice['album']} (Clean)", "audio": copy,
                         "explicit": False})
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return dst


@pytest.fixture(scope="module")
def rows(catalog) -> list[dict]:
    return [json.loads(line) for line in (catalog / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def home(tmp_path_factory, catalog) -> Path:
    return ingested_home(tmp_path_factory, catalog)


@pytest.fixture(scope="module")
def explicit_ids(rows) -> set[str]:
    return {r["track_id"] for r in rows if r.get("explicit")}


@pytest.fixture(scope="module")
def servers(home):
    """A plain server and a clean one, over the same store in turn: (plain, clean) as callables
    taking a function of a client."""

    def plain(ask):
        with api_client(home) as client:
            return ask(client)

    def clean(ask):
        with api_client(home, clean=True) as client:
            return ask(client)

    return plain, clean


def _explicit(results: list[dict], explicit_ids: set[str]) -> list[str]:
    return [r["track_id"] for r in results if r["track_id"] in explicit_ids]


def _refused(resp, *words: str) -> str:
    """A one-line 404 that says the server is clean, naming ``words``."""
    assert resp.status_code == 404, resp.text
    body = resp.json()
    assert set(body) == {"error"} and "\n" not in body["error"]
    assert "this server is clean" in body["error"] and all(w in body["error"] for w in words), body["error"]
    return body["error"]


def _lists(client, rows, catalog) -> dict[str, list[dict]]:
    """Every route's list of tracks, each request asking for no clean (or clean=false)."""
    seed = next(r for r in rows if r["artist"] == "Gravewarden")  # metal: its neighbours are the bands marked
    end = next(r for r in rows if r["artist"] == "Gravewarden" and r["track_id"] != seed["track_id"])
    sid = seed["track_id"]

    def ok(resp) -> dict:
        assert resp.status_code == 200, resp.text
        return resp.json()

    with open(catalog / "sample_query_cover.png", "rb") as fh:
        cover = ok(client.post("/api/query/image", files={"file": ("q.png", fh, "image/png")},
                               data={"k": "8", "max_per_artist": "0", "clean": "false"}))["results"]
    clip_of = next(r for r in rows if r["artist"] == EXPLICIT_ARTISTS[0])
    with open(catalog / clip_of["audio"], "rb") as fh:
        clip = ok(client.post("/api/query/audio", files={"file": ("clip.wav", fh, "audio/wav")},
                              data={"k": "5", "clean": "false"}))["results"]
    detail = ok(client.get(f"/api/tracks/{sid}?k=8&clean=false"))
    return {
        # an id seed is answered by the fast path, a title seed by the route's worker thread
        "recommend (fast path)": ok(client.post("/api/recommend", json={"seeds": [sid], "k": 10} | NOT_CLEAN))["results"],
        "recommend (title)": ok(client.post("/api/recommend", json={"seeds": [seed["title"]], "artist": "Gravewarden",
                                                                    "k": 10} | NOT_CLEAN))["results"],
        "artist radio": ok(client.post("/api/recommend", json={"artist": "Gravewarden", "k": 10} | NOT_CLEAN))["results"],
        "playlist": ok(client.post("/api/playlist", json={"seeds": [sid], "per_seed": 8} | NOT_CLEAN))["playlist"],
        "path": ok(client.post("/api/path", json={"start": sid, "end": end["track_id"], "steps": 6} | NOT_CLEAN))["results"],
        "text": ok(client.post("/api/query/text", json={"text": "heavy storm of steel", "k": 10} | NOT_CLEAN))["results"],
        "cover": cover,
        "clip": clip,
        "neighbours": [t for tab in detail["neighbours"].values() for t in tab],
        "graph": [{"track_id": n["track_id"]} for n in detail["graph"]["nodes"] if n["track_id"]],
        "search A-Z": ok(client.get("/api/tracks?limit=100"))["results"],
    }


def test_every_list_of_tracks_is_clean_whatever_the_request_says(servers, rows, catalog, explicit_ids):
    plain, clean = servers
    given = plain(lambda c: _lists(c, rows, catalog))
    # the requests reach the explicit tracks on a plain server: the test can fail
    assert all(_explicit(given[route], explicit_ids) for route in
               ("recommend (fast path)", "recommend (title)", "playlist", "text", "cover", "clip", "neighbours",
                "search A-Z")), {route: len(_explicit(r, explicit_ids)) for route, r in given.items()}
    kept = clean(lambda c: _lists(c, rows, catalog))
    assert all(kept.values())
    assert {route: _explicit(r, explicit_ids) for route, r in kept.items() if _explicit(r, explicit_ids)} == {}


def test_the_m3u8_and_the_map_hold_no_explicit_track(servers, rows):
    seed = next(r for r in rows if r["artist"] == "Gravewarden")["track_id"]
    explicit_files = [r["audio"] for r in rows if r.get("explicit")]

    def ask(client) -> tuple[str, list[str]]:
        m3u8 = client.post("/api/playlist.m3u8", json={"seeds": [seed], "per_seed": 8} | NOT_CLEAN)
        mapped = client.get("/api/map?using=fused&color=artist")
        assert m3u8.status_code == 200 and mapped.status_code == 200
        return m3u8.text, [p["artist"] for p in mapped.json()["points"]]

    plain, clean = servers
    m3u8, mapped = plain(ask)
    assert any(f in m3u8 for f in explicit_files) and set(EXPLICIT_ARTISTS) <= set(mapped)
    m3u8, mapped = clean(ask)
    assert "#EXTINF" in m3u8 and not [f for f in explicit_files if f in m3u8]
    assert len(mapped) == len(rows) - len(explicit_files)
    assert "Skarnhelm" not in mapped and mapped.count("Iron Pyre") == 1  # the clean edition's track


def test_the_search_box_lists_no_explicit_title(servers, rows, explicit_ids):
    """Through the BM25 title index (a title typed) and in memory (an empty box, a typo no
    indexed word matches)."""
    marked = next(r for r in rows if r["track_id"] in explicit_ids)
    typo = marked["title"][:-1] + "x" if len(marked["title"]) > 3 else marked["title"]

    def ask(client) -> dict[str, list[str]]:
        found = {}
        for name, q in (("title", marked["title"]), ("typo", typo), ("empty", "")):
            resp = client.get("/api/tracks", params={"q": q, "limit": 100})
            assert resp.status_code == 200, resp.text
            found[name] = [r["track_id"] for r in resp.json()["results"]]
        return found

    plain, clean = servers
    assert marked["track_id"] in plain(ask)["title"]
    kept = clean(ask)
    assert kept["empty"] and not {name: ids for name, ids in kept.items() if set(ids) & explicit_ids}
    assert len(kept["empty"]) == len(rows) - len(explicit_ids)  # the others all listed still


def test_an_explicit_track_is_neither_shown_nor_streamed(servers, rows, explicit_ids):
    marked = next(r for r in rows if r["track_id"] in explicit_ids)
    tid = marked["track_id"]
    paths = (f"/api/tracks/{tid}", f"/api/tracks/{tid}?clean=false", f"/api/tracks/{tid}/cover",
             f"/api/tracks/{tid}/audio")
    plain, clean = servers
    assert [s for s in plain(lambda c: [c.get(p).status_code for p in paths])] == [200] * 4
    answers = clean(lambda c: [c.get(p) for p in paths] + [c.get(paths[-1], headers={"Range": "bytes=0-99"})])
    for resp in answers:
        _refused(resp, marked["title"], tid, "marked explicit")


def test_an_explicit_seed_is_refused(servers, rows, explicit_ids):
    """Of a recommend (by id: the fast path; by title), a playlist and its file, an artist radio
    of an artist whose every track is marked explicit, and a path's either end. A negative marked
    explicit is no track played: it is taken."""
    marked = next(r for r in rows if r["track_id"] in explicit_ids)
    other = next(r for r in rows if r["artist"] == "Gravewarden")
    tid = marked["track_id"]
    requests = {
        "recommend by id": ("/api/recommend", {"seeds": [tid]}),
        "recommend by title": ("/api/recommend", {"seeds": [marked["title"]], "artist": marked["artist"]}),
        "playlist": ("/api/playlist", {"seeds": [other["track_id"], tid]}),
        "m3u8": ("/api/playlist.m3u8", {"seeds": [tid]}),
        "start": ("/api/path", {"start": tid, "end": other["track_id"]}),
        "end": ("/api/path", {"start": other["track_id"], "end": tid}),
        "radio": ("/api/recommend", {"artist": marked["artist"]}),
    }

    def ask(client) -> dict:
        out = {name: client.post(path, json=body | NOT_CLEAN) for name, (path, body) in requests.items()}
        out["negative"] = client.post("/api/recommend", json={"seeds": [other["track_id"]], "negatives": [tid]})
        return out

    plain, clean = servers
    assert {name: r.status_code for name, r in plain(ask).items()} == {name: 200 for name in [*requests, "negative"]}
    refused = clean(ask)
    for name in ("recommend by id", "recommend by title", "playlist", "m3u8"):
        _refused(refused[name], f"the seed '{marked['title']}'", tid)
    _refused(refused["start"], "the start of the path", tid)
    _refused(refused["end"], "the end of the path", tid)
    _refused(refused["radio"], f"no radio of {marked['artist']}", "every track of theirs is marked explicit")
    assert refused["negative"].status_code == 200


def test_a_title_of_a_song_owned_twice_is_its_clean_copy(servers, rows):
    """An album owned in its explicit and its clean edition, titled alike: the title as a seed (a
    recommend, a playlist, a path's end) is the clean copy on a clean server, where the plain
    server's lookup may take either; an id names its track."""
    twice = next(r for r in rows if r["track_id"] == OWNED_TWICE)
    other = next(r for r in rows if r["artist"] == "Gravewarden")
    by_title = {"seeds": [twice["title"]], "artist": twice["artist"]}

    def ask(client) -> dict:
        def ok(path: str, body: dict) -> dict:
            resp = client.post(path, json=body | NOT_CLEAN)
            assert resp.status_code == 200, resp.text
            return resp.json()

        return {
            "recommend": ok("/api/recommend", by_title)["seeds"][0]["track_id"],
            "playlist": ok("/api/playlist", by_title)["playlist"][0]["track_id"],
            "path": ok("/api/path", {"start": other["track_id"], "end": twice["title"],
                                     "end_artist": twice["artist"]})["end"]["track_id"],
            "by id": client.post("/api/recommend", json={"seeds": [OWNED_TWICE]}).status_code,
        }

    plain, clean = servers
    assert plain(ask)["by id"] == 200
    assert clean(ask) == {"recommend": f"{OWNED_TWICE}c", "playlist": f"{OWNED_TWICE}c", "path": f"{OWNED_TWICE}c",
                          "by id": 404}


def test_the_facets_count_the_clean_tracks_alone(servers, rows):
    """A clean server's facets count no track marked explicit: Skarnhelm, whose every track is,
    is no row, Iron Pyre counts its album's clean edition alone, and each genre drops by its
    marked tracks (whatever ``?clean=false`` says); a plain server's are every track's, and
    clean with ``?clean=true``, each answer kept apart from the other."""
    def ask(client, **params) -> dict[str, dict]:
        out = {}
        for facet in ("artists", "genres", "years"):
            resp = client.get(f"/api/facets/{facet}", params=params)
            assert resp.status_code == 200, resp.text
            out[facet] = {v["value"]: v["count"] for v in resp.json()["values"]}
        return out

    def counted(kept: list[dict]) -> dict[str, dict]:
        return {"artists": dict(Counter(r["artist"] for r in kept)),
                "genres": dict(Counter(g for r in kept for g in r["genres"])),
                "years": dict(Counter(r["year"] for r in kept if r.get("year") is not None))}

    every, kept = counted(rows), counted([r for r in rows if not r.get("explicit")])
    assert kept != every and "Skarnhelm" not in kept["artists"] and kept["artists"]["Iron Pyre"] == 1
    plain, clean = servers
    assert plain(lambda c: (ask(c), ask(c, clean="true"), ask(c))) == (every, kept, every)
    assert clean(lambda c: (ask(c), ask(c, clean="false"))) == (kept, kept)


def test_info_and_health_say_whether_the_server_is_clean(servers):
    def ask(client) -> tuple[bool, bool]:
        return client.get("/api/info").json()["clean"], client.get("/api/health").json()["clean"]

    plain, clean = servers
    assert plain(ask) == (False, False)
    assert clean(ask) == (True, True)


def test_recsys_serve_takes_clean_from_its_option_or_the_environment(home, monkeypatch, capsys):
    """``--clean``, or RECSYS_CLEAN=1 as the query commands read it; ``--no-clean`` overrides the variable."""
    from serve.runner import StoreServer

    started: list[bool] = []

    def run_and_stop(self, sockets=None):  # the app as the command made it, never listening
        started.append(self.config.app.state.serve.config.clean)

    monkeypatch.setattr(StoreServer, "run", run_and_stop)
    monkeypatch.delenv("RECSYS_API_KEY", raising=False)
    monkeypatch.delenv("RECSYS_CLEAN", raising=False)
    args = ("serve", "--port", "0", "--home", str(home))
    assert run(capsys, *args)[0] == 0
    assert run(capsys, *args, "--clean")[0] == 0
    monkeypatch.setenv("RECSYS_CLEAN", "1")
    assert run(capsys, *args)[0] == 0
    assert run(capsys, *args, "--no-clean")[0] == 0
    assert started == [False, True, True, False]


# --- an album ripped to one file: a clean track cut from a file that holds an explicit one ---

SR = 8000
SHEET = """PERFORMER "Shared Band"
TITLE "One File Album"
FILE "Shared Band - One File Album.flac" WAVE
  TRACK 01 AUDIO
    TITLE "Sunny Morning"
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Rough Night [Explicit]"
    INDEX 01 00:03:00
  TRACK 03 AUDIO
    TITLE "Quiet Evening"
    INDEX 01 00:06:00
"""


@pytest.fixture(scope="module")
def one_file_album_home(tmp_path_factory) -> Path:
    """A music folder of one FLAC split by its cue sheet into three tracks, the second marked
    "[Explicit]" by its title, ingested by the tiny encoders."""
    import numpy as np
    import soundfile as sf

    folder = tmp_path_factory.mktemp("one-file") / "music" / "Shared Band" / "One File Album"
    folder.mkdir(parents=True)
    t = np.arange(9 * SR) / SR
    tones = np.concatenate([0.3 * np.sin(2 * np.pi * f * t[: 3 * SR]) for f in (220, 440, 880)])
    sf.write(folder / "Shared Band - One File Album.flac", tones, SR, format="FLAC", subtype="PCM_16")
    (folder / "Shared Band - One File Album.cue").write_text(SHEET)
    return ingested_home(tmp_path_factory, folder.parent.parent, collection="onefile")


def test_a_file_that_holds_an_explicit_track_is_not_streamed(one_file_album_home):
    def ask(client) -> dict[str, tuple[int, str]]:
        found = client.get("/api/tracks?limit=10").json()["results"]
        # a track of a cue sheet's id holds a "#": its URL quotes it; "#t=" is the span's fragment
        streamed = {r["title"]: client.get(r["audio_url"].split("#t=")[0]) for r in found}
        return {title: (resp.status_code, resp.text if resp.status_code != 200 else "")
                for title, resp in streamed.items()}

    with api_client(one_file_album_home) as client:
        plain = ask(client)
    assert {title: status for title, (status, _) in plain.items()} == {
        "Sunny Morning": 200, "Rough Night [Explicit]": 200, "Quiet Evening": 200}
    with api_client(one_file_album_home, clean=True) as client:
        clean = ask(client)
    assert set(clean) == {"Sunny Morning", "Quiet Evening"}  # the search box hides the explicit one
    status, text = clean["Sunny Morning"]
    assert status == 404 and "'Rough Night [Explicit]'" in text and "this server is clean" in text
