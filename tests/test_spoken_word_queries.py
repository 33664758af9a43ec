"""Spoken word in the answers, end to end (``recsys.query.kinds``): a song's recommend, playlist
and path leave podcast episodes and voice memos out, an episode's keep to spoken word, --kind
and the API's ``filters.kind`` choose; a collection ingested before the field answers as before."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import api_client, ingested_home, run

pytest.importorskip("mutagen")

SONGS = {"Song A", "Song B", "Song C", "Song D"}
SPOKEN = {"Episode 1", "Episode 2", "Episode 3", "New Recording"}


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("spoken") / "lib"
    for n, title in enumerate(sorted(SONGS), 1):
        tagged_flac(lib / f"Band {n}/Album/01 {title}.flac", 0.3, TITLE=title, ARTIST=f"Band {n}", GENRE="Rock")
    for n in (1, 2, 3):
        tagged_flac(lib / f"Podcasts/Show/Episode {n}.flac", 0.3, TITLE=f"Episode {n}", ARTIST="Show", GENRE="Podcast")
    tagged_flac(lib / "Voice Memos/New Recording.flac", 0.3, TITLE="New Recording", ARTIST="Ann's iPhone")
    return lib


@pytest.fixture(scope="module")
def home(tmp_path_factory, lib):
    return ingested_home(tmp_path_factory, lib, "lib")


def _titles(capsys, home, command: str, *argv: str) -> set[str]:
    extra = {"recommend": ("-k", "20"), "playlist": ("--per-seed", "20"), "path": ("--steps", "3")}[command]
    code, out, err = run(capsys, command, *argv, *extra, "--max-per-artist", "0", "--json", "--home", str(home))
    assert code == 0, err
    got = json.loads(out)
    return {r["title"] for r in got["playlist" if command == "playlist" else "results"]}


def test_a_songs_answers_leave_spoken_word_out_an_episodes_keep_to_it(capsys, home):
    assert _titles(capsys, home, "recommend", "Song A") == SONGS - {"Song A"}
    assert _titles(capsys, home, "recommend", "Episode 1") == SPOKEN - {"Episode 1"}
    assert _titles(capsys, home, "playlist", "Song A") <= SONGS
    assert _titles(capsys, home, "playlist", "Episode 1") <= SPOKEN
    assert _titles(capsys, home, "path", "Song A", "Song B") <= SONGS
    assert _titles(capsys, home, "path", "Episode 1", "New Recording") <= SPOKEN
    # an artist radio of the show: its episodes are the seeds, other spoken word the answer
    assert _titles(capsys, home, "recommend", "--artist", "Show") == {"New Recording"}


def test_info_counts_the_spoken_word(capsys, home):
    code, out, _ = run(capsys, "info", "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["collections"][0]["spoken"] == len(SPOKEN)
    code, _, err = run(capsys, "info", "--home", str(home))
    assert code == 0 and "4 tracks of spoken word" in " ".join(err.split())


def test_kind_chooses(capsys, home):
    assert _titles(capsys, home, "recommend", "Song A", "--kind", "any") == (SONGS | SPOKEN) - {"Song A"}
    assert _titles(capsys, home, "recommend", "Song A", "--kind", "spoken") == SPOKEN
    assert _titles(capsys, home, "recommend", "Episode 1", "--kind", "Music") == SONGS
    code, _, err = run(capsys, "recommend", "Song A", "--kind", "talk", "--home", str(home))
    assert code == 2 and "give music, spoken or any" in err


def test_the_api_reads_the_kind_as_the_command_line_does(home):
    with api_client(home) as c:
        def titles(body: dict) -> set[str]:
            got = c.post("/api/recommend", json={"k": 20, "max_per_artist": 0} | body)
            assert got.status_code == 200, got.text
            return {r["title"] for r in got.json()["results"]}

        assert titles({"seeds": ["Song A"]}) == SONGS - {"Song A"}
        assert titles({"seeds": ["Episode 2"]}) == SPOKEN - {"Episode 2"}
        assert titles({"seeds": ["Song A"], "filters": {"kind": "any"}}) == (SONGS | SPOKEN) - {"Song A"}
        assert c.post("/api/recommend", json={"seeds": ["Song A"], "filters": {"kind": "talk"}}).status_code == 422
        assert c.get("/api/info").json()["collections"][0]["spoken"] == len(SPOKEN)


def test_a_collection_before_the_field_answers_as_before(capsys, tmp_path_factory, lib):
    """Its points carry no ``kind``: no filter, a song's radio as it was (spoken word in it)."""
    from recsys.store import PointRecord, open_backend

    home = ingested_home(tmp_path_factory, lib, "lib")
    capsys.readouterr()  # the ingest's report
    backend = open_backend(home / "store")
    try:
        old = list(backend.scroll("lib", with_vectors=True))
        backend.upsert("lib", [PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k != "kind"})
                               for p in old])
    finally:
        backend.close()
    assert _titles(capsys, home, "recommend", "Song A") == (SONGS | SPOKEN) - {"Song A"}


def test_a_collection_without_spoken_word_gets_no_filter():
    """A music seed where no track is spoken word: the filter stays empty (no condition on every
    candidate for nothing, the fast paths of an empty filter kept); an episode's keeps to spoken."""
    from recsys.query.kinds import with_seed_kind
    from recsys.store.base import PointRecord, QueryFilter

    class Lib:
        def __init__(self, spoken: bool):
            self.spoken = spoken

        def has_spoken(self) -> bool:
            return self.spoken

    song, episode = PointRecord("s", payload={"title": "Song"}), PointRecord("e", payload={"kind": "spoken"})
    assert with_seed_kind(Lib(False), QueryFilter(), [song]) == QueryFilter()
    assert with_seed_kind(Lib(True), QueryFilter(), [song]) == QueryFilter(kind="music")
    assert with_seed_kind(Lib(True), QueryFilter(), [episode]) == QueryFilter(kind="spoken")
    assert with_seed_kind(Lib(True), QueryFilter(), [song, episode]) == QueryFilter()  # both, as before
    assert with_seed_kind(Lib(True), QueryFilter(kind="any"), [song]) == QueryFilter(kind="any")
