"""Composers as a listener types them, end to end: ``--composer dvorak``, ``--composer
tchaikovsky`` over three spellings, ``--composer bach`` beside two Bachs (an error naming them),
a composer's radio by surname, the composers facet and the API (``recsys.query.composers``)."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import api_client, ingested_home, run

pytest.importorskip("mutagen")

JSB, CPE, PIT = "Johann Sebastian Bach", "Carl Philipp Emanuel Bach", "Pyotr Ilyich Tchaikovsky"
#: (folder, title, artist, composer as tagged)
TRACKS = [
    ("Fournier", "Cello Suite No. 1 in G major, BWV 1007: Prélude", "Pierre Fournier", JSB),
    ("Fournier", "Cello Suite No. 1 in G major, BWV 1007: Allemande", "Pierre Fournier", JSB),
    ("Gould", "Goldberg Variations, BWV 988: Aria", "Glenn Gould", "Bach, J. S."),
    ("Staier", "Solfeggietto in C minor, Wq. 117/2", "Andreas Staier", CPE),
    ("Argerich", "Piano Concerto No. 1, Op. 23: I. Allegro non troppo", "Martha Argerich", PIT),
    ("Neumann", "Labutí jezero, Op. 20: Scéna", "Česká filharmonie", "Petr Iljič Čajkovskij"),
    ("Mravinsky", "Symphony No. 6, Op. 74: I. Adagio", "Evgeny Mravinsky", "Chaikovsky, Pyotr Il'yich"),
    ("Emerson", "String Quartet No. 12, Op. 96: I. Allegro ma non troppo", "Emerson String Quartet", "Antonín Dvořák"),
    ("Daft Punk", "One More Time", "Daft Punk", ""),
]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("composers") / "lib"
    for n, (folder, title, artist, composer) in enumerate(TRACKS, 1):
        tags = {"COMPOSER": composer} if composer else {}
        tagged_flac(lib / f"{folder}/Album/{n:02d} t.flac", 0.3, TITLE=title, ARTIST=artist, ALBUM=f"{folder} album", **tags)
    return lib


@pytest.fixture(scope="module")
def home(tmp_path_factory, lib):
    return ingested_home(tmp_path_factory, lib, "lib")


def _answer(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def _titles(capsys, home, *composers: str, command: str = "recommend") -> set[str]:
    args = [a for c in composers for a in ("--composer", c)]
    got = _answer(capsys, command, "One More Time", *args, *(("-k", "20") if command == "recommend" else ("--per-seed", "20")),
                  "--max-per-artist", "0", "--home", str(home))
    return {r["title"] for r in got["results" if command == "recommend" else "playlist"] if r["artist"] != "Daft Punk"}


def _by(*composers: str) -> set[str]:
    return {t for _, t, _, c in TRACKS if c in composers}


def test_a_surname_without_accents_in_any_case_finds_every_spelling(capsys, home):
    assert _titles(capsys, home, "dvorak") == _by("Antonín Dvořák")
    assert _titles(capsys, home, "TCHAIKOVSKY") == _by(PIT, "Petr Iljič Čajkovskij", "Chaikovsky, Pyotr Il'yich")
    assert _titles(capsys, home, "Tschaikowsky", command="playlist") == _by(PIT, "Petr Iljič Čajkovskij",
                                                                             "Chaikovsky, Pyotr Il'yich")
    assert _titles(capsys, home, "J.S. Bach") == _by(JSB, "Bach, J. S.")  # not C.P.E.'s
    assert _titles(capsys, home, PIT) == _by(PIT, "Petr Iljič Čajkovskij", "Chaikovsky, Pyotr Il'yich")


def test_a_path_and_a_clip_query_read_the_composer_the_same_way(capsys, home, lib):
    got = _answer(capsys, "path", "One More Time", TRACKS[0][1], "--composer", "tchaikovsky", "--steps", "3",
                  "--max-per-artist", "0", "--home", str(home))
    between = [r["title"] for r in got["results"] if r["title"] not in ("One More Time", TRACKS[0][1])]
    assert sorted(between) == sorted(_by(PIT, "Petr Iljič Čajkovskij", "Chaikovsky, Pyotr Il'yich"))
    clip = next(lib.glob("Daft Punk/Album/*.flac"))
    got = _answer(capsys, "query", "--audio", str(clip), "--composer", "dvorak", "--home", str(home))
    assert [r["title"] for r in got["results"]] == [TRACKS[7][1]]


def test_a_known_composer_with_nothing_left_by_the_other_filters_is_no_typo(capsys, home):
    """--composer dvorak with an artist who never played him: nothing found, and not "no track
    has the composer 'dvorak'" (he has a track)."""
    code, out, err = run(capsys, "recommend", "One More Time", "--composer", "dvorak", "--only-artist", "Glenn Gould",
                         "--json", "--home", str(home))
    assert code == 0 and json.loads(out)["results"] == [] and "dvorak" not in err


def test_bach_beside_two_bachs_is_an_error_naming_them(capsys, home):
    code, _, err = run(capsys, "recommend", "One More Time", "--composer", "bach", "--home", str(home))
    err = " ".join(err.split())
    assert code == 1 and f"the composer 'bach' is more than one in collection 'lib': {JSB} (3 tracks), {CPE} (1 track)" in err
    code, _, err = run(capsys, "recommend", "One More Time", "--composer", "Mahler", "--home", str(home))
    assert code == 1 and "no track in collection 'lib' has the composer 'Mahler'" in err  # the typo message, as before


def test_a_composer_radio_by_surname(capsys, home):
    got = _answer(capsys, "recommend", "--artist", "tchaikovsky", "--home", str(home))
    assert got["composer_radio"] == PIT
    assert {s["title"] for s in got["seeds"]} == _by(PIT, "Petr Iljič Čajkovskij", "Chaikovsky, Pyotr Il'yich")
    code, _, err = run(capsys, "recommend", "--artist", "Bach", "--home", str(home))
    assert code == 1 and f"{JSB} (3 tracks), {CPE} (1 track)" in " ".join(err.split())


def test_the_composers_facet_counts_one_composer_once(capsys, home):
    got = _answer(capsys, "facets", "composers", "--home", str(home))
    assert got["values"] == [{"value": JSB, "count": 3}, {"value": PIT, "count": 3},
                             {"value": "Antonín Dvořák", "count": 1}, {"value": CPE, "count": 1}]


def test_the_api_reads_composers_as_the_command_line_does(home):
    with api_client(home) as c:
        facet = c.get("/api/facets/composers").json()
        assert [(v["value"], v["count"]) for v in facet["values"]][:2] == [(JSB, 3), (PIT, 3)]
        body = {"seeds": ["One More Time"], "k": 20, "max_per_artist": 0, "filters": {"composers": ["DVORAK"]}}
        got = c.post("/api/recommend", json=body)
        assert got.status_code == 200, got.text
        assert {r["title"] for r in got.json()["results"]} == _by("Antonín Dvořák")
        got = c.post("/api/recommend", json=body | {"filters": {"composers": ["bach"]}})
        assert got.status_code == 400 and CPE in got.json()["error"]
        got = c.post("/api/playlist", json={"artist": "Tschaikowsky", "per_seed": 2})  # his radio
        assert got.status_code == 200, got.text
        assert {s["title"] for s in got.json()["seeds"]} == _by(PIT, "Petr Iljič Čajkovskij", "Chaikovsky, Pyotr Il'yich")


def test_a_surname_both_a_composer_and_an_artist_have_is_an_error_naming_both(capsys, tmp_path_factory):
    """``--artist Williams`` beside the composer John Williams and the artist Robbie Williams:
    the composer's radio by surname took it in silence, where a pop listener meant the singer.
    A full name gives either radio."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("namesakes") / "lib"
    tagged_flac(lib / "LSO/Star Wars/01 t.flac", 0.3, TITLE="Main Title", ARTIST="London Symphony Orchestra",
                ALBUM="Star Wars", COMPOSER="John Williams")
    tagged_flac(lib / "LSO/Star Wars/02 t.flac", 0.3, TITLE="Imperial March", ARTIST="London Symphony Orchestra",
                ALBUM="Star Wars", COMPOSER="John Williams")
    tagged_flac(lib / "Robbie Williams/Life thru a Lens/01 t.flac", 0.3, TITLE="Angels", ARTIST="Robbie Williams",
                ALBUM="Life thru a Lens")
    home = ingested_home(tmp_path_factory, lib, "lib")
    code, _, err = run(capsys, "recommend", "--artist", "Williams", "--home", str(home))
    err = " ".join(err.split())
    assert code == 1 and "'Williams' names the composer John Williams and the artist 'Robbie Williams'" in err
    assert _answer(capsys, "recommend", "--artist", "John Williams", "--home", str(home))["composer_radio"] == "John Williams"
    got = _answer(capsys, "recommend", "--artist", "Robbie Williams", "--home", str(home))
    assert not got.get("composer_radio") and [s["title"] for s in got["seeds"]] == ["Angels"]


MONK = "Thelonious Monk"
#: (folder, title, artist, composer as tagged: a list for several values of the tag)
JAZZ = [
    ("Miles", "'Round Midnight", "Miles Davis", "Thelonious Monk, Cootie Williams & Bernie Hanighen"),
    ("Miles", "Straight, No Chaser", "Miles Davis", MONK),
    ("Miles", "Bemsha Swing", "Miles Davis", [MONK, "Denzil Best"]),  # two COMPOSER fields
    ("Chet", "My Funny Valentine", "Chet Baker", "Richard Rodgers; Lorenz Hart"),
    ("Trane", "My Favorite Things", "John Coltrane", "Rodgers & Hammerstein"),
    ("Billie", "Blue Moon", "Billie Holiday", "Richard Rodgers"),
    ("Daft Punk", "One More Time", "Daft Punk", ""),
]


@pytest.fixture(scope="module")
def jazz(tmp_path_factory):
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("composerlists") / "lib"
    for n, (folder, title, artist, composer) in enumerate(JAZZ, 1):
        tags = {"COMPOSER": composer} if composer else {}
        tagged_flac(lib / f"{folder}/Album/{n:02d} t.flac", 0.3, TITLE=title, ARTIST=artist, ALBUM=f"{folder} album", **tags)
    return ingested_home(tmp_path_factory, lib, "lib")


def _jazz(who: str) -> set[str]:
    """The titles whose composer tag names ``who``, alone, in a list or as one of its values."""
    return {t for _, t, _, c in JAZZ if who in ("; ".join(c) if isinstance(c, list) else c)}


def _jazz_titles(capsys, home, *composers: str) -> set[str]:
    args = [a for c in composers for a in ("--composer", c)]
    got = _answer(capsys, "recommend", "One More Time", *args, "-k", "20", "--max-per-artist", "0", "--home", str(home))
    return {r["title"] for r in got["results"]}


def test_each_composer_of_a_list_is_a_composer_of_the_track(capsys, jazz):
    """Miles Davis's 'Round Midnight, tagged "Thelonious Monk, Cootie Williams & Bernie
    Hanighen", is Monk's: ``--composer "Thelonious Monk"`` missed it, the list being one
    composer of its own. A second COMPOSER field is a composer too (the first alone was read)."""
    assert _jazz_titles(capsys, jazz, MONK) == _jazz(MONK) == {"'Round Midnight", "Straight, No Chaser", "Bemsha Swing"}
    assert _jazz_titles(capsys, jazz, "hanighen") == {"'Round Midnight"}
    assert _jazz_titles(capsys, jazz, "Denzil Best") == {"Bemsha Swing"}
    assert _jazz_titles(capsys, jazz, "Richard Rodgers") == {"My Funny Valentine", "My Favorite Things", "Blue Moon"}
    assert _jazz_titles(capsys, jazz, "Lorenz Hart") == {"My Funny Valentine"}
    assert _jazz_titles(capsys, jazz, "Rodgers & Hammerstein") == {"My Favorite Things"}  # their songs together


def test_the_composers_facet_lists_the_people_of_a_list(capsys, jazz):
    got = _answer(capsys, "facets", "composers", "--home", str(jazz))
    assert [(v["value"], v["count"]) for v in got["values"]] == [
        ("Richard Rodgers", 3), (MONK, 3), ("Bernie Hanighen", 1), ("Cootie Williams", 1), ("Denzil Best", 1),
        ("Hammerstein", 1), ("Lorenz Hart", 1),
    ]


def test_a_composer_radio_takes_his_songs_in_lists(capsys, jazz):
    got = _answer(capsys, "recommend", "--artist", MONK, "--home", str(jazz))
    assert got["composer_radio"] == MONK
    assert {s["title"] for s in got["seeds"]} == _jazz(MONK)


def test_the_api_reads_composer_lists_as_the_command_line_does(jazz):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from recsys.settings import Settings
    from serve import ServeConfig, create_app
    from serve.state import ServeState

    cfg = ServeConfig(settings=Settings(home=jazz))
    st = ServeState(cfg)
    st.open()
    try:
        with TestClient(create_app(cfg, st), raise_server_exceptions=False) as c:
            facet = c.get("/api/facets/composers").json()
            assert [(v["value"], v["count"]) for v in facet["values"]][:2] == [("Richard Rodgers", 3), (MONK, 3)]
            body = {"seeds": ["One More Time"], "k": 20, "max_per_artist": 0, "filters": {"composers": ["monk"]}}
            got = c.post("/api/recommend", json=body)
            assert got.status_code == 200, got.text
            assert {r["title"] for r in got.json()["results"]} == _jazz(MONK)
            got = c.post("/api/playlist", json={"artist": MONK, "per_seed": 2})  # his radio
            assert got.status_code == 200, got.text
            assert {s["title"] for s in got.json()["seeds"]} == _jazz(MONK)
    finally:
        st.close()


def test_a_surname_of_one_man_both_composer_and_artist_is_his_artist_radio(capsys, tmp_path_factory):
    """``--artist coltrane`` where John Coltrane is an artist and the composer of tracks others
    play: one man, not two namesakes; his artist radio, as before composers were read by surname
    (it was an error naming "the composer John Coltrane and the artist 'John Coltrane'")."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("one-man") / "lib"
    tagged_flac(lib / "Trane/Giant Steps/01 t.flac", 0.3, TITLE="Giant Steps", ARTIST="John Coltrane",
                ALBUM="Giant Steps", COMPOSER="John Coltrane")
    tagged_flac(lib / "Trane/Giant Steps/02 t.flac", 0.3, TITLE="Naima", ARTIST="John Coltrane",
                ALBUM="Giant Steps", COMPOSER="John Coltrane")
    tagged_flac(lib / "Tyner/Trident/01 t.flac", 0.3, TITLE="Impressions", ARTIST="McCoy Tyner",
                ALBUM="Trident", COMPOSER="John Coltrane")
    home = ingested_home(tmp_path_factory, lib, "lib")
    capsys.readouterr()  # the ingest's report
    got = _answer(capsys, "recommend", "--artist", "coltrane", "--home", str(home))
    assert not got.get("composer_radio")
    assert {s["title"] for s in got["seeds"]} == {"Giant Steps", "Naima"}
