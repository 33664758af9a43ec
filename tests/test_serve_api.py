"""recsys serve through FastAPI's TestClient, on the sample catalog ingested by the tiny
encoders: one test per endpoint with a known answer, and the refusals (unknown tracks, uploads
too large or of the wrong type, paths out of the catalog, the API key)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from recsys.settings import Settings  # noqa: E402
from serve import ServeConfig, create_app  # noqa: E402
from serve.state import ServeState  # noqa: E402
from tests.support.cli import ingested_home  # noqa: E402


@pytest.fixture(scope="module")
def catalog(tmp_path_factory, sample_catalog_master) -> Path:
    """A private copy: one test swaps a cover for a link that points out of it."""
    dst = tmp_path_factory.mktemp("serve-catalog") / "catalog"
    shutil.copytree(sample_catalog_master, dst)
    return dst


@pytest.fixture(scope="module")
def home(tmp_path_factory, catalog) -> Path:
    return ingested_home(tmp_path_factory, catalog)


@pytest.fixture(scope="module")
def rows(catalog) -> list[dict]:
    return [json.loads(line) for line in (catalog / "manifest.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def state(home):
    """One store handle for the module: the embedded store is one opener at a time, so the
    apps with other settings (a key, CORS, small limits) share it."""
    st = ServeState(ServeConfig(settings=Settings(home=home)))
    st.open()
    yield st
    st.close()


def make_client(state: ServeState, **config) -> TestClient:
    cfg = ServeConfig(settings=state.config.settings, **config)
    return TestClient(create_app(cfg, state), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client(state):
    with make_client(state) as c:
        yield c


def plain(rows, genre: str | None = None) -> dict:
    """A track with text, no version marker in its title, and a cover and audio file."""
    return next(r for r in rows if "(" not in r["title"] and " - " not in r["title"] and r.get("summary")
                and (genre is None or genre in r["genres"]))


def assert_one_line_error(resp, status: int) -> str:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and "\n" not in body["error"] and "Traceback" not in body["error"]
    return body["error"]


# -- endpoints with known answers ----------------------------------------------------------------


def test_liveness_answers_while_the_store_is_held(state, client):
    """A liveness probe must not wait behind the store: under load, /api/health queued behind
    the query threads and a write (p50 2.4 s at 32 clients), and a probe that times out gets a
    healthy server restarted. /api/live answers from the event loop with the store held."""
    import threading

    answered: list[int] = []
    with state.lock.write():  # an ingest's upsert: every reader waits
        asker = threading.Thread(target=lambda: answered.append(client.get("/api/live").status_code), daemon=True)
        asker.start()
        asker.join(timeout=10)
    assert answered == [200]
    assert client.get("/api/live").json() == {"status": "ok"}


def test_health_and_info(client):
    assert client.get("/api/health").json() == {"status": "ok", "collection": "sample", "points": 48, "clean": False}
    info = client.get("/api/info").json()
    (coll,) = info["collections"]
    assert info["serving"] == "sample" and coll["points"] == 48
    assert coll["vectors"]["graph"] == coll["vectors"]["fused"] == 48
    assert coll["encoders"]["text"]["name"] == "tiny-text"


def _filled(client, points: int) -> dict:
    """The server's payload cache once its fill has read ``points`` (a background thread)."""
    deadline = time.monotonic() + 30
    while (cache := client.get("/api/info").json()["payload_cache"])["points"] < points:
        assert time.monotonic() < deadline, cache
        time.sleep(0.02)
    return cache


def test_info_shows_the_payloads_the_server_keeps(client, rows):
    first = _filled(client, 48)  # read in at startup: a small collection is kept whole
    assert first["max_points"] == 100_000 and first["points"] == 48
    body = {"seeds": [plain(rows)["track_id"]], "k": 3}
    assert client.post("/api/recommend", json=body).status_code == 200
    again = client.get("/api/info").json()["payload_cache"]
    assert again["hits"] > first["hits"] and again["misses"] == first["misses"] and again["points"] == 48


def test_requests_put_the_payloads_they_read_in_the_cache(client, state, rows):
    _filled(client, 48)  # the startup fill is over: nothing else writes to the cache now
    state.backend.cache_payloads(100_000)  # a new, empty cache, as without the fill
    assert client.get("/api/info").json()["payload_cache"]["points"] == 0
    body = {"seeds": [plain(rows)["track_id"]], "k": 3}
    assert client.post("/api/recommend", json=body).status_code == 200
    first = client.get("/api/info").json()["payload_cache"]
    assert 0 < first["points"] < 48 and first["misses"] > 0
    assert client.post("/api/recommend", json=body).status_code == 200
    again = client.get("/api/info").json()["payload_cache"]
    assert again["hits"] > first["hits"] and again["points"] == first["points"]


def test_search_by_title_puts_the_exact_title_first(client, rows):
    seed = plain(rows)
    data = client.get("/api/tracks", params={"q": seed["title"].lower(), "limit": 5}).json()
    assert data["results"][0]["title"] == seed["title"]
    assert data["results"][0]["cover_url"] == f"/api/tracks/{data['results'][0]['track_id']}/cover"
    everything = client.get("/api/tracks", params={"limit": 100}).json()["results"]
    assert len(everything) == 48  # an empty query lists titles A-Z
    assert "audio_path" not in everything[0] and "cover_path" not in everything[0]  # no server paths


def test_search_box_takes_its_candidates_from_the_store_title_index(client, state, rows, monkeypatch):
    """A whole word is answered from the store's BM25 title index without reading every
    title; a word still being typed (no BM25 match), or a collection without the index,
    falls back to scoring every title, with the same best answer."""
    seed = plain(rows)
    word = max(seed["title"].split(), key=len)
    part = word[:-2].lower()
    assert len(word) >= 4 and not any(part in {w.lower() for w in r["title"].split()} for r in rows)
    state.store_changed(state.name)  # forget the titles read by earlier tests
    data = client.get("/api/tracks", params={"q": seed["title"].lower(), "limit": 5}).json()
    assert data["results"][0]["title"] == seed["title"]
    assert state._choices is None  # every title was not read
    data = client.get("/api/tracks", params={"q": part, "limit": 5}).json()
    assert seed["title"] in [r["title"] for r in data["results"]]
    assert state._choices is not None  # fallback: every title scored
    state.store_changed(state.name)
    monkeypatch.setattr(state.backend, "text_search", lambda *a, **k: None)  # a collection made before the index
    data = client.get("/api/tracks", params={"q": seed["title"].lower(), "limit": 5}).json()
    assert data["results"][0]["title"] == seed["title"] and state._choices is not None


def test_recommend_same_genre_explained_seed_left_out(client, rows):
    seed = plain(rows, "metal")
    body = {"seeds": [seed["track_id"]], "k": 5, "explain": True, "filters": {"genres": ["METAL"]}}
    data = client.post("/api/recommend", json=body).json()
    assert data["seeds"] == [{"track_id": seed["track_id"], "title": seed["title"], "artist": seed["artist"]}]
    results = data["results"]
    assert 0 < len(results) <= 5 and all("metal" in r["genres"] for r in results)
    assert seed["track_id"] not in {r["track_id"] for r in results}
    assert all(set(r["explanation"]) == {"text", "image", "audio", "graph"} for r in results)
    # without the filter, by sound alone: the nearest tracks still share the seed's genre
    data = client.post("/api/recommend", json={"seeds": [seed["title"]], "artist": seed["artist"], "k": 3,
                                                "using": "audio"}).json()
    assert sum("metal" in r["genres"] for r in data["results"]) >= 2
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_recommend_negatives_artist_radio_and_cap(client, rows):
    seed = plain(rows)
    away = next(r for r in rows if not set(r["genres"]) & set(seed["genres"]))
    data = client.post("/api/recommend", json={"seeds": [seed["track_id"]], "negatives": [away["track_id"]],
                                                "k": 10, "max_per_artist": 1}).json()
    assert data["negatives"][0]["track_id"] == away["track_id"]
    artists = [r["artist"] for r in data["results"]]
    assert len(artists) == len(set(artists))
    radio = client.post("/api/recommend", json={"artist": seed["artist"], "k": 5}).json()
    assert radio["seeds"] and all(s["artist"] == seed["artist"] for s in radio["seeds"])


def test_recommend_by_ids_on_the_loop_equals_the_threaded_answer(client, state, rows):
    """Seeds by track id are answered on the event loop (the embedded store); the same request
    with its seeds as titles goes through a worker thread: one answer. While a write holds
    the store, an id request waits for it in a thread, never on the loop."""
    import threading

    from recsys.query.recommend import RecommendRequest, recommend

    seed = plain(rows)
    away = next(r for r in rows if not set(r["genres"]) & set(seed["genres"]))
    by_id = {"seeds": [seed["track_id"]], "negatives": [away["track_id"]], "k": 6, "explain": True}
    by_title = {**by_id, "seeds": [seed["title"]], "artist": seed["artist"], "negatives": [away["title"]]}
    on_loop = client.post("/api/recommend", json=by_id).json()
    threaded = client.post("/api/recommend", json=by_title).json()
    assert on_loop["results"] and on_loop == threaded
    with state.reading() as lib:  # the library's own answer
        direct = recommend(lib, RecommendRequest(seeds=(seed["track_id"],), negatives=(away["track_id"],), k=6,
                                                 explain=True))
    assert [r["track_id"] for r in on_loop["results"]] == [r.track_id for r in direct.results]

    held, release = threading.Event(), threading.Event()

    def write():
        with state.lock.write():
            held.set()
            release.wait(10)

    writer = threading.Thread(target=write)
    writer.start()
    answered: list = []
    asker = threading.Thread(target=lambda: answered.append(client.post("/api/recommend", json=by_id)))
    try:
        assert held.wait(10)
        asker.start()
        asker.join(0.5)
        assert not answered  # waiting for the write, in a worker thread
        assert client.get("/openapi.json").status_code == 200  # the loop still answers
    finally:
        release.set()
        writer.join(10)
        if asker.is_alive() or answered:
            asker.join(10)
    assert answered[0].json() == on_loop


def test_the_fast_path_answers_what_the_route_answers(client, rows, monkeypatch):
    """`POST /api/recommend` by id is answered before FastAPI's routing (serve.fast_path):
    the same status, headers and bytes as the route gives, and what it declines goes on to
    the route with its body."""
    from serve import fast_path

    seed, other = plain(rows), plain(rows, genre="jazz")
    bodies = [
        {"seeds": [seed["track_id"]], "k": 5},
        {"seeds": [seed["track_id"], other["track_id"]], "negatives": [rows[-1]["track_id"]], "k": 7,
         "explain": True, "max_per_artist": 1},
        {"seeds": [seed["track_id"]], "k": 4, "using": "audio", "filters": {"genres": ["jazz"]}},
        {"seeds": [seed["title"]], "k": 3},  # a title: declined, the route answers
        {"seeds": ["no-such-track-id"]},  # unknown: the route's 404
        {"seeds": [seed["track_id"]], "k": 0},  # the model's 422
    ]
    fast = [client.post("/api/recommend", json=b) for b in bodies]
    answered = []
    real = fast_path.recommend_here
    monkeypatch.setattr(fast_path, "recommend_here", lambda *a: answered.append(1) or real(*a))
    client.post("/api/recommend", json=bodies[0])
    assert answered  # the fast path is in the app, and took the request
    from serve import routes_query

    asked = []
    counted = lambda *a: asked.append(1) or real(*a)  # noqa: E731
    monkeypatch.setattr(fast_path, "recommend_here", counted)
    monkeypatch.setattr(routes_query, "recommend_here", counted)
    assert client.post("/api/recommend", json=bodies[3]).json() == fast[3].json()
    assert len(asked) == 1  # declined once by the fast path; the route does not ask again
    monkeypatch.setattr(fast_path, "recommend_here", lambda *a: None)  # decline everything
    routed = [client.post("/api/recommend", json=b) for b in bodies]
    for f, r in zip(fast, routed):
        assert (f.status_code, f.content) == (r.status_code, r.content)
        assert f.headers["content-type"] == r.headers["content-type"] == "application/json"
    assert [f.status_code for f in fast] == [200, 200, 200, 200, 404, 422]


def test_track_detail_neighbours_per_modality_texts_and_graph(client, rows):
    seed = plain(rows)
    d = client.get(f"/api/tracks/{seed['track_id']}", params={"k": 4}).json()
    assert d["track"]["title"] == seed["title"] and d["summary"] == seed["summary"]
    assert d["themes"] == seed.get("themes", []) and d["moods"] == seed.get("moods", [])
    assert set(d["neighbours"]) == set(d["vectors"]) >= {"fused", "image", "audio", "graph"}
    for using, results in d["neighbours"].items():
        assert 0 < len(results) <= 4 and seed["track_id"] not in {r["track_id"] for r in results}, using
        assert all(r["explanation"] is not None for r in results)
    kinds = {n["kind"] for n in d["graph"]["nodes"]}
    assert {"track", "artist", "genre", "neighbour"} <= kinds
    artist_node = next(n for n in d["graph"]["nodes"] if n["kind"] == "artist")
    assert artist_node["label"] == seed["artist"]
    ids = {n["id"] for n in d["graph"]["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in d["graph"]["edges"])


def test_cover_and_audio_with_ranges(client, rows, catalog):
    seed = plain(rows)
    cover = client.get(f"/api/tracks/{seed['track_id']}/cover")
    assert cover.status_code == 200 and cover.headers["content-type"] == "image/png"
    assert cover.content == (catalog / seed["cover"]).read_bytes()
    audio_file = catalog / seed["audio"]
    raw = audio_file.read_bytes()
    part = client.get(f"/api/tracks/{seed['track_id']}/audio", headers={"Range": "bytes=10-109"})
    assert part.status_code == 206 and part.content == raw[10:110]
    assert part.headers["content-range"] == f"bytes 10-109/{len(raw)}"
    tail = client.get(f"/api/tracks/{seed['track_id']}/audio", headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == raw[-50:]
    whole = client.get(f"/api/tracks/{seed['track_id']}/audio")
    assert whole.status_code == 200 and whole.content == raw and whole.headers["accept-ranges"] == "bytes"
    past = client.get(f"/api/tracks/{seed['track_id']}/audio", headers={"Range": f"bytes={len(raw)}-"})
    assert_one_line_error(past, 416)


def test_playlist_and_its_m3u8(client, rows, catalog):
    seeds = [plain(rows, "jazz"), plain(rows, "folk")]
    body = {"seeds": [s["track_id"] for s in seeds], "per_seed": 3}
    data = client.post("/api/playlist", json=body).json()
    order = data["playlist"]
    assert [t["track_id"] for t in order[:2]] == body["seeds"] and all(t["is_seed"] for t in order[:2])
    assert len(order) >= 4 and len({t["track_id"] for t in order}) == len(order)
    assert all(a["artist"] != b["artist"] for a, b in zip(order[2:], order[3:]))
    m3u = client.post("/api/playlist.m3u8", json=body)
    assert m3u.status_code == 200 and m3u.headers["content-type"].startswith("audio/x-mpegurl")
    lines = m3u.text.splitlines()
    assert lines[0] == "#EXTM3U" and str(catalog / seeds[0]["audio"]) == lines[2]
    assert sum(1 for line in lines if line.startswith("#EXTINF")) == len(order)


def test_path_from_a_to_b(client, rows):
    a, b = plain(rows, "metal"), plain(rows, "ambient")
    data = client.post("/api/path", json={"start": a["track_id"], "end": b["track_id"], "steps": 3}).json()
    ids = [r["track_id"] for r in data["results"]]
    assert ids[0] == a["track_id"] and ids[-1] == b["track_id"] and len(ids) == 5 and len(set(ids)) == 5


def test_facets(client, rows):
    data = client.get("/api/facets/genres").json()
    assert data["total"] == 8 and sum(v["count"] for v in data["values"]) == len(rows)
    years = client.get("/api/facets/years", params={"limit": 2}).json()
    assert years["total"] > 2 and len(years["values"]) == 2
    assert_one_line_error(client.get("/api/facets/moods"), 422)


def test_map_points(client):
    data = client.get("/api/map", params={"method": "pca", "color": "genre"}).json()
    assert len(data["points"]) == 48 and set(data["colours"]) == {p["group"] for p in data["points"]}
    assert all(0.0 <= p["x"] <= 1.0 and 0.0 <= p["y"] <= 1.0 for p in data["points"])


def test_a_map_asked_for_while_it_is_made_is_made_once(tmp_path):
    """Concurrent first requests for one map wait for the one being made: each making holds
    every vector of the collection (three at once at 100k tracks: 90 s each, 4 GB more)."""
    import threading

    st = ServeState(ServeConfig(settings=Settings(home=tmp_path)))
    made, started, release = [], threading.Event(), threading.Event()

    def build() -> dict:
        made.append(1)
        started.set()
        release.wait(5)
        return {"points": []}

    answers: list[dict] = []
    first = threading.Thread(target=lambda: answers.append(st.cached_map(("fused", "genre", "pca"), build)))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=lambda: answers.append(st.cached_map(("fused", "genre", "pca"), build)))
    second.start()
    time.sleep(0.3)  # long enough for the second request to start a making of its own
    release.set()
    first.join(5)
    second.join(5)
    assert len(made) == 1 and len(answers) == 2 and answers[0] is answers[1]


def test_the_server_keeps_the_last_maps_asked_for(tmp_path):
    """45 maps can be asked for and each holds every point: at 100k tracks two kept maps held
    the server at 5.5 GB. The MAPS_KEPT last asked for are kept, the others made again."""
    from serve.state import MAPS_KEPT

    st = ServeState(ServeConfig(settings=Settings(home=tmp_path)))
    made: list[tuple[str, str, str]] = []

    def ask(key: tuple[str, str, str]) -> dict:
        return st.cached_map(key, lambda: made.append(key) or {"key": key})

    keys = [("fused", colour, method) for colour in ("genre", "artist", "year") for method in ("pca", "umap")]
    assert len(keys) > MAPS_KEPT
    for key in keys[:MAPS_KEPT]:
        ask(key)
    ask(keys[0])  # asked for again: now the most recent
    ask(keys[MAPS_KEPT])  # one more: the least recently asked for (keys[1]) goes
    assert made == keys[: MAPS_KEPT + 1]
    ask(keys[0])
    ask(keys[1])
    assert made == keys[: MAPS_KEPT + 1] + [keys[1]]


def test_query_by_text_image_and_audio(client, rows, catalog):
    from recsys.catalog import read_catalog

    track = read_catalog(catalog, cover_cache=catalog.parent / "covers").tracks[0]
    text = client.post("/api/query/text", json={"text": track.text_document(), "k": 3}).json()
    assert text["using"] == "text" and text["results"][0]["track_id"] == track.track_id
    assert text["results"][0]["score"] > 0.99
    with open(catalog / "sample_query_cover.png", "rb") as fh:
        image = client.post("/api/query/image", files={"file": ("q.png", fh, "image/png")}, data={"k": "5"}).json()
    assert [r["genres"] for r in image["results"]].count(["metal"]) >= 4  # the cover was drawn for metal
    seed = plain(rows)
    with open(catalog / seed["audio"], "rb") as fh:
        name = Path(seed["audio"]).name
        audio = client.post("/api/query/audio", files={"file": (name, fh, "application/octet-stream")},
                            data={"k": "3", "explain": "true"}).json()
    assert audio["results"][0]["track_id"] == seed["track_id"] and audio["results"][0]["score"] > 0.99
    assert audio["results"][0]["explanation"]["audio"] > 0.99


def test_concurrent_requests_share_the_store_and_agree(client, rows):
    """The threadpool answers many requests at once from the one Library: each answer is the
    one the same request gets alone."""
    from concurrent.futures import ThreadPoolExecutor

    bodies = [{"seeds": [r["track_id"]], "k": 5, "using": u} for r in rows[:12] for u in ("fused", "image")]
    alone = [client.post("/api/recommend", json=b).json() for b in bodies]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda b: client.post("/api/recommend", json=b).json(), bodies * 3))
    assert together == alone * 3


# -- refusals ------------------------------------------------------------------------------------


def test_unknown_tracks_and_titles_are_404(client):
    assert "no track 'nope'" in assert_one_line_error(client.get("/api/tracks/nope"), 404)
    assert_one_line_error(client.get("/api/tracks/nope/audio"), 404)
    msg = assert_one_line_error(client.post("/api/recommend", json={"seeds": ["zzqqxx vvv"]}), 404)
    assert "closest" in msg


def test_a_seed_is_never_looked_up_as_a_file_of_the_server(client, rows, catalog, tmp_path):
    """Whether a path exists on the server must not show in the answer: a seed is a track id
    or a title, never a file (the command line's audio-file seeds stay the command line's)."""
    there = tmp_path / "secret.wav"
    there.write_bytes(b"RIFF")
    seeds = (str(there), str(tmp_path / "absent.wav"), str(tmp_path), str(tmp_path / "absent"),
             str(catalog / plain(rows)["audio"]))
    for seed in seeds:
        msg = assert_one_line_error(client.post("/api/recommend", json={"seeds": [seed]}), 404)
        assert msg.startswith(f"no track matches '{seed}'") and "audio file" not in msg, msg


def test_bad_requests_are_one_line(client):
    assert "k" in assert_one_line_error(client.post("/api/recommend", json={"seeds": ["x"], "k": 0}), 422)
    assert_one_line_error(client.post("/api/recommend", json={"seeds": ["x"], "using": "smell"}), 422)
    assert_one_line_error(client.post("/api/recommend", json={}), 400)
    assert_one_line_error(client.post("/api/recommend", content=b"{not json", headers={"content-type": "application/json"}), 422)
    assert_one_line_error(client.post("/api/recommend", json={"seeds": ["x"], "bogus": 1}), 422)


def test_malformed_bodies_are_one_422_whatever_the_kind(client):
    """A body that is not the JSON object a route takes answers 422 with one line saying
    what it is, whatever is wrong with it: FastAPI answered bytes that are not UTF-8 and JSON
    nested too deeply with a 400 ("There was an error parsing the body"), like a request the
    library refuses, and the rest with a 422 that read "body: Field required" or "16: JSON
    decode error". A broken multipart form is a 422 as well (Starlette answered 400)."""
    as_json = {"content-type": "application/json"}
    bodies = [
        (b"", as_json, "the body is empty"),
        (b"  \n", as_json, "the body is empty"),
        (b"{not json", as_json, "the body is not valid JSON (Expecting property name"),
        (b'{"seeds": ["x"]', as_json, "the body is not valid JSON (Expecting ',' delimiter at character 15)"),
        (b'{"seeds": ["\xff"]}', as_json, "the body is not valid JSON (not UTF-8 text)"),
        (b"[" * 50_000 + b"]" * 50_000, as_json, "the body is not valid JSON (nested too deeply)"),
        (b'["x"]', as_json, "the body must be a JSON object, not an array"),
        (b'"x"', as_json, "the body must be a JSON object, not a string"),
        (b"null", as_json, "the body must be a JSON object, not null"),
        (b"7", as_json, "the body must be a JSON object, not a number"),
        (b'{"seeds": ["x"]}', {"content-type": "text/plain"}, "sent as Content-Type: application/json"),
        (b'{"seeds": ["x"]}', {}, "sent as Content-Type: application/json"),
    ]
    for path in ("/api/recommend", "/api/playlist", "/api/path", "/api/query/text"):
        for body, headers, says in bodies:
            msg = assert_one_line_error(client.post(path, content=body, headers=headers), 422)
            assert msg.startswith("invalid request: the body ") and says in msg, (path, body[:20], msg)
    for headers, body in (({"content-type": "multipart/form-data; boundary=xyz"}, b"garbage"),
                          ({"content-type": "multipart/form-data"}, b"--x\r\n")):
        msg = assert_one_line_error(client.post("/api/query/image", content=body, headers=headers), 422)
        assert msg.startswith("invalid request: the body is not a valid multipart form ("), msg
    # a JSON object with a wrong field still names the field; one the library refuses is a 400
    assert assert_one_line_error(client.post("/api/recommend", json={"seeds": ["x"], "k": 0}), 422).startswith(
        "invalid request: k: ")
    assert_one_line_error(client.post("/api/recommend", json={}), 400)


def test_json_fields_take_their_own_json_type_only(client, rows):
    """``"k": true`` was answered as k=1 (pydantic's lax bool -> int), ``"k": "5"`` as 5 and
    ``"explain": 1`` as true: each is a 422 naming the field now, on the recommend fast path
    (seeds by id) as on every other JSON route. A number field still takes an integer."""
    seed, other = plain(rows, "metal")["track_id"], plain(rows, "jazz")["track_id"]
    wrong = [
        ("/api/recommend", {"seeds": [seed], "k": True}, "k"),
        ("/api/recommend", {"seeds": [seed], "k": "5"}, "k"),
        ("/api/recommend", {"seeds": [seed], "k": 5.0}, "k"),
        ("/api/recommend", {"seeds": [seed], "max_per_artist": False}, "max_per_artist"),
        ("/api/recommend", {"seeds": [seed], "explain": 1}, "explain"),
        ("/api/recommend", {"seeds": [seed], "explain": "true"}, "explain"),
        ("/api/recommend", {"seeds": [seed], "filters": {"year_min": True}}, "filters.year_min"),
        ("/api/playlist", {"seeds": [seed], "per_seed": True}, "per_seed"),
        ("/api/playlist", {"seeds": [seed], "diversity": True}, "diversity"),
        ("/api/playlist", {"seeds": [seed], "diversity": "0.5"}, "diversity"),
        ("/api/path", {"start": seed, "end": other, "steps": "3"}, "steps"),
        ("/api/query/text", {"text": "slow sad piano", "k": True}, "k"),
    ]
    for path, body, field in wrong:
        msg = assert_one_line_error(client.post(path, json=body), 422)
        assert msg.startswith(f"invalid request: {field}: "), (path, body, msg)
    for path, body in (("/api/recommend", {"seeds": [seed], "k": 1, "explain": True}),
                       ("/api/playlist", {"seeds": [seed], "per_seed": 1, "diversity": 1})):
        assert client.post(path, json=body).status_code == 200, (path, body)


def test_uploads_wrong_type_too_large_or_broken(state, client, catalog):
    wrong = client.post("/api/query/image", files={"file": ("notes.txt", b"hello", "text/plain")})
    assert "notes.txt" in assert_one_line_error(wrong, 415)
    assert_one_line_error(client.post("/api/query/audio", files={"file": ("cover.png", b"\x89PNG", "image/png")}), 415)
    # a blob without a name: its type gives the temporary file's suffix, only when it is a short word
    odd = client.post("/api/query/audio", files={"file": ("blob", b"RIFF", "audio/" + "a" * 300)})
    assert "recsys-upload" not in assert_one_line_error(odd, 415)
    # a browser types a WebM download (or a stem file) as video: its sound is queried
    from tests.test_audio_formats import write_tone

    webm = write_tone(catalog.parent / "download.webm", 3.0).read_bytes()
    assert client.post("/api/query/audio", files={"file": ("download.webm", webm, "video/webm")}).status_code == 200
    assert_one_line_error(client.post("/api/query/audio", files={"file": ("clip.avi", webm, "video/x-msvideo")}), 415)
    broken = client.post("/api/query/image", files={"file": ("broken.png", b"not a png at all", "image/png")})
    msg = assert_one_line_error(broken, 422)
    assert "broken.png" in msg and "recsys-upload" not in msg  # the temporary file is not named
    big = (catalog / "sample_query_cover.png").read_bytes()
    with make_client(state, max_image_bytes=len(big) - 1) as small:
        assert "larger than" in assert_one_line_error(
            small.post("/api/query/image", files={"file": ("q.png", big, "image/png")}), 413)
        # far over the limit: refused by its Content-Length before the body is read
        huge = b"\0" * (len(big) + 200_000)
        assert_one_line_error(small.post("/api/query/image", files={"file": ("q.png", huge, "image/png")}), 413)
    with make_client(state, decode_seconds=1e-6) as impatient:
        with open(catalog / "sample_query_cover.png", "rb") as fh:
            slow = impatient.post("/api/query/image", files={"file": ("q.png", fh, "image/png")})
        assert "took longer than" in assert_one_line_error(slow, 422)
    assert_one_line_error(client.post("/api/recommend", content=b"[" * (2 * 1024 * 1024),
                                      headers={"content-type": "application/json"}), 413)


def test_media_never_leaves_the_catalog(client, rows, catalog, tmp_path):
    for path in ("/api/tracks/..%2F..%2Fetc%2Fpasswd/cover", "/api/tracks/%2e%2e/audio",
                 "/api/tracks/../../../etc/passwd", "/api/tracks/%2Fetc%2Fpasswd/audio", "/static/%2e%2e/app.py",
                 "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fserve%2fapp.py"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert b"root:" not in resp.content and b"def create_app" not in resp.content
    # a catalog file that is a link out of the catalog is not served, though the payload names it
    victim = next(r for r in rows if r["track_id"] != plain(rows)["track_id"])
    cover = catalog / victim["cover"]
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG secret")
    kept = cover.read_bytes()
    cover.unlink()
    os.symlink(outside, cover)
    try:
        resp = client.get(f"/api/tracks/{victim['track_id']}/cover")
        assert "outside the catalog" in assert_one_line_error(resp, 404)
    finally:
        cover.unlink()
        cover.write_bytes(kept)


def test_api_key_required_when_set_and_never_logged(state, caplog, monkeypatch):
    import recsys.query.facets as facets_mod

    key = "k3y-that-must-not-leak"
    caplog.set_level(logging.DEBUG)
    with make_client(state, api_key=key) as c:
        assert c.get("/api/health").status_code == 200  # open: load balancers probe it
        assert c.get("/api/live").status_code == 200
        assert c.get("/").status_code == 200  # the page itself asks for the key
        assert "API key" in assert_one_line_error(c.get("/api/info"), 401)
        assert_one_line_error(c.get("/api/info", headers={"X-API-Key": "wrong"}), 401)
        assert c.get("/api/info", headers={"X-API-Key": key}).status_code == 200
        assert c.get("/api/info", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        by_id = {"seeds": [c.get("/api/tracks", headers={"X-API-Key": key}).json()["results"][0]["track_id"]]}
        assert_one_line_error(c.post("/api/recommend", json=by_id), 401)  # the fast path is behind the key
        assert c.post("/api/recommend", json=by_id, headers={"X-API-Key": key}).status_code == 200
        c.cookies.set("recsys_key", key)
        assert c.get("/api/facets/genres").status_code == 200
        c.cookies.clear()
        assert c.get("/api/info", params={"api_key": key}).status_code == 401  # not from a URL

        def broken(*_a, **_k):
            raise RuntimeError("a bug, logged with its traceback")

        monkeypatch.setattr(facets_mod, "facets", broken)
        state.store_changed(state.library.name)  # the facets counted before are forgotten
        assert c.get("/api/facets/genres", headers={"X-API-Key": key}).status_code == 500
    # the test client itself logs the URLs it was given (the api_key= one above): not the server
    server_lines = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert any("internal error on GET /api/facets/genres" in line for line in server_lines)
    assert not any(key in line for line in server_lines) and key not in "".join(
        str(r.exc_info) + str(r.exc_text) for r in caplog.records)
    assert key not in repr(ServeConfig(settings=state.config.settings, api_key=key))


def test_cors_origins(state):
    with make_client(state, cors_origins=("http://localhost:3000",)) as c:
        pre = c.options("/api/recommend", headers={"Origin": "http://localhost:3000",
                                                   "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "http://localhost:3000"
        other = c.get("/api/health", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_facets_are_counted_once_until_a_write(client, state, monkeypatch):
    import recsys.query.facets as facets_mod

    calls = []
    real = facets_mod.facets
    monkeypatch.setattr(facets_mod, "facets", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    state.store_changed(state.library.name)
    full = client.get("/api/facets/genres").json()
    two = client.get("/api/facets/genres", params={"limit": 2}).json()
    assert calls == ["genres"] and two["values"] == full["values"][:2] and two["total"] == full["total"]
    state.store_changed(state.library.name)  # a write: counted again
    assert client.get("/api/facets/genres").json() == full and calls == ["genres", "genres"]
    # another process grew the collection (a Qdrant server's): its point count says so
    monkeypatch.setattr(state.library.backend, "count", lambda *a, **k: 10**6)
    client.get("/api/facets/genres")
    assert calls == ["genres"] * 3


def test_a_bug_is_a_500_with_one_line(client, state, monkeypatch):
    import recsys.query.facets as facets_mod

    def broken(*_a, **_k):
        raise RuntimeError("boom\nwith a second line")

    monkeypatch.setattr(facets_mod, "facets", broken)
    state.store_changed(state.library.name)  # the facets counted before are forgotten
    msg = assert_one_line_error(client.get("/api/facets/genres"), 500)
    assert msg == "internal error (RuntimeError)"


def test_page_and_openapi(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/static/app.js">' in page.text
    assert client.get("/static/app.js").status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/api/recommend", "/api/tracks/{track_id}", "/api/query/image", "/api/playlist.m3u8"} <= set(schema["paths"])


def test_serve_cli_errors_are_one_line(capsys, tmp_path, monkeypatch):
    import socket

    from tests.support.cli import run

    code, out, err = run(capsys, "serve", "--home", str(tmp_path / "empty"), "--port", "0")
    assert code == 1 and err.startswith("error: ") and "no collections" in err and len(err.splitlines()) == 1
    with socket.socket() as taken:  # a port in use: one line, exit 1 (uvicorn would exit 3)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--home", str(tmp_path / "empty"), "--port", str(port))
    assert code == 1 and len(err.splitlines()) == 1, err
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}: address already in use"), err
    monkeypatch.setenv("RECSYS_API_KEY", "env-key-never-shown")
    code, out, err = run(capsys, "serve", "--help")
    assert code == 0 and "--api-key" in out and "env-key-never-shown" not in out + err
