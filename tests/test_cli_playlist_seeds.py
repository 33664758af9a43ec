"""A playlist as seeds (``recsys.query.playlistseeds``): a playlist file given as a seed, or a
playlist of the collection by name (--from-playlist), stands for its tracks; the answer leaves
them and their versions out; `playlist` continues it (its tracks, then new ones; --only-new:
the new ones); many seeds are grouped (``recsys.query.seedgroups``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.support.cli import ingested_home, run


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_catalog_master) -> Path:
    return ingested_home(tmp_path_factory, sample_catalog_master)


@pytest.fixture(scope="module")
def rows(sample_catalog_master) -> dict[str, dict]:
    lines = (sample_catalog_master / "manifest.jsonl").read_text().splitlines()
    return {r["track_id"]: r for r in map(json.loads, lines)}


def _json(capsys, home: Path, *args: str) -> tuple[dict, str]:
    code, out, err = run(capsys, *args, "--json", "--home", str(home))
    assert code == 0, err
    return json.loads(out), err


def _ids(items) -> list[str]:
    return [r["track_id"] for r in items]


def _exported(tmp_path: Path, rows: dict, ids: list[str], name: str = "road-trip.m3u8") -> Path:
    """The tracks as a player on a Windows machine exported them, with an entry the collection
    lacks and a stream."""
    lines = ["#EXTM3U"]
    for tid in ids:
        lines += [f"#EXTINF:200,{rows[tid]['artist']} - {rows[tid]['title']}",
                  "D:\\Users\\bob\\Music\\" + rows[tid]["audio"].replace("/", "\\")]
    lines += ["D:\\Users\\bob\\Music\\Gone\\01 Lost Song.mp3", "http://radio.example/stream"]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_playlist_file_from_another_machine_seeds_recommend(capsys, home, rows, tmp_path):
    ids = ["t005", "t013", "t029"]
    m3u = _exported(tmp_path, rows, ids)
    out, err = _json(capsys, home, "recommend", str(m3u), "-k", "10")
    assert _ids(out["seeds"]) == ids  # the playlist's order
    assert out["playlists"] == [{"name": str(m3u), "tracks": 3, "entries": 5, "missing": [
        "D:\\Users\\bob\\Music\\Gone\\01 Lost Song.mp3", "http://radio.example/stream"]}]
    assert len(out["results"]) == 10 and not set(_ids(out["results"])) & set(ids)
    # the entries left out are named on stderr, in one line
    note = next(line for line in err.splitlines() if line.startswith("note:"))
    assert "2 of the 5 entries" in note and "Lost Song.mp3" in note


def test_a_playlist_file_with_a_title_beside_it(capsys, home, rows, tmp_path):
    m3u = _exported(tmp_path, rows, ["t005"])
    out, _ = _json(capsys, home, "recommend", str(m3u), rows["t003"]["title"], "-k", "3")
    assert _ids(out["seeds"]) == ["t005", "t003"]


def test_entries_relative_to_the_playlist_and_xspf(capsys, home, rows, tmp_path, sample_catalog_master):
    audio = sample_catalog_master / "audio"
    (tmp_path / "lists").mkdir()
    rel = Path("..") / Path(*[".."] * len(tmp_path.parts[1:])) / audio.relative_to("/")
    (tmp_path / "lists/rel.m3u").write_text(f"{rel}/t007.wav\n{audio}/t015.wav\n")
    out, _ = _json(capsys, home, "recommend", str(tmp_path / "lists/rel.m3u"), "-k", "2")
    assert _ids(out["seeds"]) == ["t007", "t015"]
    (tmp_path / "vlc.xspf").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<playlist xmlns="http://xspf.org/ns/0/" version="1"><trackList>'
        f'<track><location>file://{audio.as_posix()}/t031.wav</location></track>'
        '<track><location>file:///C:/Users/bob/Music/audio/t039.wav</location></track>'
        "</trackList></playlist>", encoding="utf-8")
    out, _ = _json(capsys, home, "recommend", str(tmp_path / "vlc.xspf"), "-k", "2")
    assert _ids(out["seeds"]) == ["t031", "t039"] and out["playlists"][0]["missing"] == []


def test_a_playlist_that_names_no_track_is_a_one_line_error(capsys, home, tmp_path):
    lost = tmp_path / "lost.m3u8"
    lost.write_text("#EXTM3U\n/mnt/old/Music/A/1.mp3\n/mnt/old/Music/A/2.mp3\n")
    code, out, err = run(capsys, "playlist", str(lost), "--home", str(home))
    assert code == 1 and not out
    assert err.startswith("error: none of the 2 entries of") and "1.mp3" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "recommend", str(tmp_path / "nothere.m3u"), "--home", str(home))
    assert code == 1 and err.strip() == f"error: no playlist file '{tmp_path / 'nothere.m3u'}'"


def test_the_playlists_versions_are_left_out(capsys, home, rows, tmp_path):
    """"Cigarette (Live)" is a version of "Cigarette", "Crush the Storm - Remastered 2011" of
    "Crush the Storm": a playlist holding the originals gets neither."""
    assert rows["t047"]["title"] == "Cigarette (Live)" and rows["t048"]["title"].startswith("Crush the Storm")
    m3u = _exported(tmp_path, rows, ["t005", "t020"])
    out, _ = _json(capsys, home, "recommend", str(m3u), "-k", "46", "--max-per-artist", "0")
    got = set(_ids(out["results"]))
    assert len(got) == 46 - 2 and not got & {"t005", "t020", "t047", "t048"}


def test_playlist_continues_a_playlist_file(capsys, home, rows, tmp_path):
    """`playlist road-trip.m3u8 -o more.m3u8`: the playlist's tracks first, in its order, then
    the new songs; with --only-new only those."""
    ids = ["t009", "t017", "t025", "t033"]
    m3u = _exported(tmp_path, rows, ids)
    more = tmp_path / "more.m3u8"
    out, _ = _json(capsys, home, "playlist", str(m3u), "--per-seed", "2", "-o", str(more))
    new = _ids(out["results"])
    assert len(new) == 8 and not set(new) & set(ids)
    assert _ids(out["playlist"]) == ids + new
    played = [line for line in more.read_text().splitlines() if not line.startswith("#")]
    assert [Path(p).stem for p in played] == ids + new
    only = tmp_path / "only.m3u8"
    out2, _ = _json(capsys, home, "playlist", str(m3u), "--per-seed", "2", "-o", str(only), "--only-new")
    assert [Path(p).stem for p in only.read_text().splitlines() if not p.startswith("#")] == _ids(out2["results"]) == new


def test_a_playlists_own_tracks_do_not_spend_the_artist_cap(capsys, home, rows, tmp_path):
    """Two songs of The Milo Vance Quartet given as titles spend the cap of 2 on the seeds; as a
    playlist they do not: its continuation may hold the band's other songs."""
    band = [t for t, r in rows.items() if r["artist"] == "The Milo Vance Quartet"]
    assert {"t005", "t021", "t037"} <= set(band)
    m3u = _exported(tmp_path, rows, ["t005", "t021"])
    args = ["--per-seed", "20", "--max-per-artist", "2"]
    as_titles, _ = _json(capsys, home, "playlist", rows["t005"]["title"], rows["t021"]["title"], *args)
    assert not set(_ids(as_titles["results"])) & set(band)
    as_playlist, _ = _json(capsys, home, "playlist", str(m3u), *args)
    assert "t037" in _ids(as_playlist["results"])


def test_from_playlist_by_name(capsys, home, rows):
    jazz = sorted(t for t, r in rows.items() if "pl-jazz-1" in r["playlists"])
    out, _ = _json(capsys, home, "recommend", "--from-playlist", "JAZZ", "-k", "5")
    assert sorted(_ids(out["seeds"])) == jazz and out["playlists"][0]["name"] == "pl-jazz-1"
    assert not set(_ids(out["results"])) & set(jazz)
    out, _ = _json(capsys, home, "playlist", "--from-playlist", "pl-Jazz-1", "--per-seed", "1")
    assert _ids(out["seeds"]) == jazz  # a manifest's playlist: in the order of the tracks' files
    assert len(out["results"]) == len(jazz) and not set(_ids(out["results"])) & set(jazz)


def test_from_playlist_unknown_or_ambiguous_lists_the_playlists(capsys, home):
    code, _, err = run(capsys, "playlist", "--from-playlist", "pl", "--home", str(home))
    assert code == 1 and err.startswith("error: 'pl' matches 8 playlists: ") and "'pl-jazz-1'" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "recommend", "--from-playlist", "Road Trip", "--home", str(home))
    assert code == 1 and err.startswith("error: no playlist 'Road Trip' in collection 'sample' (playlists: ")
    assert "'pl-metal-1'" in err
    code, _, err = run(capsys, "playlist", "--from-playlist", " ", "--home", str(home))
    assert code == 1 and err.startswith("error: give a playlist's name")


def test_facets_lists_the_playlists(capsys, home, rows):
    out, _ = _json(capsys, home, "facets", "playlists")
    counts = {}
    for r in rows.values():
        for p in r["playlists"]:
            counts[p] = counts.get(p, 0) + 1
    assert {v["value"]: v["count"] for v in out["values"]} == counts and out["total"] == 8


# --- many seeds -----------------------------------------------------------------------------


def test_many_seeds_are_grouped_by_likeness():
    """300 seeds from 5 styles: at most 16 groups, each of one style, every seed in one; a
    playlist's new tracks are shared out by the groups' sizes."""
    from recsys.query.seedgroups import MAX_QUERY_SEEDS, group_seeds, query_vectors, shares

    rng = np.random.default_rng(3)
    centres = rng.normal(size=(5, 64))
    style = rng.integers(5, size=300)
    vectors = [centres[s] + rng.normal(size=64) * 0.3 for s in style]
    groups = group_seeds(vectors)
    assert 5 <= len(groups) <= MAX_QUERY_SEEDS
    assert sorted(i for g in groups for i in g.members) == list(range(300))
    assert all(len({style[i] for i in g.members}) == 1 and g.medoid in g.members for g in groups)
    assert [g.members[0] for g in groups] == sorted(g.members[0] for g in groups)
    assert len(query_vectors(vectors)) == len(groups)
    counts = shares(groups, 3)
    assert sum(counts) == 3 * len(groups) and min(counts) >= 1
    big, small = max(range(len(groups)), key=lambda i: len(groups[i].members)), \
        min(range(len(groups)), key=lambda i: len(groups[i].members))
    assert counts[big] >= counts[small]
    few = group_seeds(vectors[:4])  # no more than 16: each seed its own group, as before
    assert [g.members for g in few] == [(0,), (1,), (2,), (3,)] and shares(few, 3) == [3, 3, 3, 3]


def test_a_long_playlist_asks_the_store_a_few_questions(home):
    """40 seeds: recommend asks one query of at most 16 positives, playlist at most 16
    neighbour queries; every seed is still left out of the answer."""
    from recsys.query.library import Library
    from recsys.query.playlist import PlaylistRequest, playlist
    from recsys.query.recommend import RecommendRequest, recommend
    from recsys.settings import Settings
    from recsys.store import open_backend

    seeds = tuple(f"t{i:03d}" for i in range(1, 41))
    backend = open_backend(Settings(home=home).store_location)
    try:
        asked: list = []
        real = backend.neighbours
        backend.neighbours = lambda name, q, limit: (asked.append(q), real(name, q, limit))[1]
        lib = Library(backend, "sample")
        resp = recommend(lib, RecommendRequest(seeds=seeds, k=5, max_per_artist=0))
        assert [len(q.positives) for q in asked] == [16] * len(asked) and asked
        assert len(resp.results) == 5 and not {r.track_id for r in resp.results} & set(seeds)
        asked.clear()
        resp = playlist(lib, PlaylistRequest(seeds=seeds, per_seed=1, max_per_artist=0))
        queried = {q.positives[0].tobytes() for q in asked}
        assert 1 < len(queried) <= 16
        assert resp.results and not {r.track_id for r in resp.results} & set(seeds)
        assert [s.track_id for s in resp.seeds] == list(seeds)
    finally:
        backend.close()


# --- a music folder's playlists -------------------------------------------------------------


@pytest.fixture(scope="module")
def folder_home(tmp_path_factory) -> tuple[Path, Path]:
    """A music folder of eight untagged tones ("Artist - Title.wav") with two playlists saved
    beside them, one as M3U8 in its own order, one as XSPF, ingested."""
    import soundfile as sf

    root = tmp_path_factory.mktemp("folder") / "Music"
    names = [f"Band {i % 3}/Album/Band {i % 3} - Song {i}.wav" for i in range(8)]
    for i, rel in enumerate(names):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        t = np.arange(8000) / 8000
        sf.write(root / rel, (0.3 * np.sin(2 * np.pi * (200 + 90 * i) * t)).astype(np.float32), 8000)
    (root / "Playlists").mkdir()
    order = [names[i] for i in (4, 1, 6)]  # by path: 6 (Band 0), 1, 4
    (root / "Playlists/Road Trip.m3u8").write_text("#EXTM3U\n" + "".join(f"../{n}\n" for n in order))
    (root / "Playlists/Road Trip 2.m3u8").write_text(f"../{names[0]}\n")
    (root / "Playlists/Chill.xspf").write_text(
        '<playlist xmlns="http://xspf.org/ns/0/" version="1"><trackList>'
        + "".join(f"<track><location>../{n.replace(' ', '%20')}</location></track>" for n in names[2:4])
        + "</trackList></playlist>")
    return ingested_home(tmp_path_factory, root, "folder"), root


def test_a_music_folders_playlist_by_name_in_its_files_order(capsys, folder_home):
    home, root = folder_home
    out, _ = _json(capsys, home, "facets", "playlists")
    assert {v["value"]: v["count"] for v in out["values"]} == {
        "Playlists/Road Trip": 3, "Playlists/Road Trip 2": 1, "Playlists/Chill": 2}
    # "road trip" is a part of two names, and the whole last part of one
    out, _ = _json(capsys, home, "playlist", "--from-playlist", "road trip", "--per-seed", "1")
    assert [s["title"] for s in out["seeds"]] == ["Song 4", "Song 1", "Song 6"]  # the file's order
    assert out["playlists"] == [{"name": "Playlists/Road Trip", "tracks": 3, "entries": 3, "missing": []}]
    out, _ = _json(capsys, home, "recommend", "--from-playlist", "chill", "-k", "3")
    assert [s["title"] for s in out["seeds"]] == ["Song 2", "Song 3"]  # read from the XSPF at ingest


def test_an_ingest_counts_no_playlists_ahead():
    """The playlists have no payload index: their facet is a scroll of every payload, asked
    only by `facets playlists` and --from-playlist, never by every ingest."""
    from recsys.query.facets import keep_counts

    class Counting:
        keeps_counts = True
        asked: list[str] = []

        def facet(self, name, key, limit=None):
            self.asked.append(key)
            return []

    backend = Counting()
    try:
        keep_counts(backend, "c")
    except Exception:  # collection_info of a stub: only the facets asked before matter
        pass
    assert backend.asked and "playlists" not in backend.asked
