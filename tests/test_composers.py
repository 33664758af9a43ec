"""A classical collector's questions: works by a composer whoever performs them (--composer, the
composers facet, a composer's radio), on a library made here like the eleventh real one."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import ingested_home, run

pytest.importorskip("mutagen")

FIFTH = "Symphony No. 5 in C minor, Op. 67"
MOVEMENTS = ["I. Allegro con brio", "II. Andante con moto", "III. Scherzo. Allegro", "IV. Allegro"]
KARAJAN = "Berliner Philharmoniker, Herbert von Karajan"
KLEIBER = "Wiener Philharmoniker; Carlos Kleiber"
BEETHOVEN = "Ludwig van Beethoven"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """Karajan's and Kleiber's Fifth (their movements filed in an order "IV." before "I."), an
    old rip tagged artist "Beethoven" with no composer, Fournier's Bach, Daft Punk."""
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path_factory.mktemp("classical") / "lib"
    for performer, folder in ((KARAJAN, "Karajan"), (KLEIBER, "Kleiber")):
        for n, movement in reversed(list(enumerate(MOVEMENTS, 1))):
            tagged_flac(lib / f"{folder}/Fifth/0{n} m.flac", 0.3, TITLE=f"{FIFTH}: {movement}", ARTIST=performer,
                        ALBUM=f"Fifth ({folder})", COMPOSER=BEETHOVEN, TRACKNUMBER=str(n))
    tagged_flac(lib / "Beethoven/Old Rip/01 Ninth.flac", 0.3, TITLE="Symphony No. 9 in D minor, Op. 125: I.",
                ARTIST="Beethoven", ALBUM="Old Rip")
    tagged_flac(lib / "Fournier/Suites/01 Prelude.flac", 0.3, TITLE="Cello Suite No. 1 in G major, BWV 1007: Prélude",
                ARTIST="Pierre Fournier", ALBUM="Suites", COMPOSER="Johann Sebastian Bach")
    tagged_flac(lib / "Daft Punk/Discovery/01 One More Time.flac", 0.3, TITLE="One More Time", ARTIST="Daft Punk",
                ALBUM="Discovery")
    return ingested_home(tmp_path_factory, lib, "lib")


def _answer(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_composer_filter_finds_his_works_whoever_performs_them(capsys, home):
    """--composer (case and accents aside) keeps the Karajan and Kleiber recordings, not the
    old rip by an artist "Beethoven" that names no composer; on recommend and playlist alike."""
    got = _answer(capsys, "recommend", "One More Time", "--composer", "LUDWIG VAN BEETHOVEN", "-k", "20",
                  "--max-per-artist", "0", "--home", str(home))
    assert {r["artist"] for r in got["results"]} == {KARAJAN, KLEIBER} and len(got["results"]) == 8
    got = _answer(capsys, "playlist", "One More Time", "--composer", "Johann Sebastian Bach", "--home", str(home))
    assert [r["artist"] for r in got["playlist"]] == ["Daft Punk", "Pierre Fournier"]
    code, _, err = run(capsys, "recommend", "One More Time", "--composer", "Beethovn", "--home", str(home))
    assert code == 1 and "composer 'Beethovn' (closest: Ludwig van Beethoven)" in err
    assert "recsys facets composers" in err


def test_the_composers_facet(capsys, home):
    got = _answer(capsys, "facets", "composers", "--home", str(home))
    assert got["values"] == [{"value": BEETHOVEN, "count": 8}, {"value": "Johann Sebastian Bach", "count": 1}]


def test_the_api_takes_composers_and_lists_them(home):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from recsys.settings import Settings
    from serve import ServeConfig, create_app
    from serve.state import ServeState

    st = ServeState(ServeConfig(settings=Settings(home=home)))
    st.open()
    try:
        with TestClient(create_app(ServeConfig(settings=Settings(home=home)), st), raise_server_exceptions=False) as c:
            facet = c.get("/api/facets/composers").json()
            assert [v["value"] for v in facet["values"]] == [BEETHOVEN, "Johann Sebastian Bach"]
            body = {"seeds": ["One More Time"], "k": 20, "max_per_artist": 0,
                    "filters": {"composers": ["ludwig van beethoven"]}}
            got = c.post("/api/recommend", json=body)
            assert got.status_code == 200, got.text
            assert {r["artist"] for r in got.json()["results"]} == {KARAJAN, KLEIBER}
    finally:
        st.close()


def test_an_ambiguous_work_lists_its_movements_in_order_and_says_how_to_choose():
    """"Symphony No. 5" of three recordings: listed by work, then movement ("I." before "IV.",
    numbered before named), then performer, not as the index holds them; the way out named."""
    from recsys.query.titlepick import SHOWN, AmbiguousTitleError, TitleEntry
    from recsys.query.titles import TitleIndex

    entries = [TitleEntry(f"{folder[:2]}{n}", f"{FIFTH}: {m}", performer)
               for folder, performer in (("Kleiber", KLEIBER), ("Karajan", KARAJAN))
               for n, m in reversed(list(enumerate(MOVEMENTS, 1)))]
    entries += [TitleEntry("ha1", f"{FIFTH}: Allegro con brio", "Harnoncourt"),
                TitleEntry("n9", "Symphony No. 9 in D minor, Op. 125: I. Allegro", "Karajan"),
                TitleEntry("n10", "Symphony No. 10: I. Adagio", "Rattle")]
    with pytest.raises(AmbiguousTitleError) as e:
        TitleIndex(entries).resolve("Symphony No.")
    ids = [c.track_id for c in e.value.candidates]
    assert ids == ["Ka1", "Kl1", "Ka2", "Kl2", "Ka3", "Kl3", "Ka4", "Kl4", "ha1", "n9", "n10"]
    msg = str(e.value)
    assert [msg.index(f"[{i}]") for i in ids[:SHOWN]] == sorted(msg.index(f"[{i}]") for i in ids[:SHOWN])
    assert msg.endswith(f'Add --artist to choose one (--artist "{KARAJAN}"), give the full title, or give a track id.')


def test_an_artist_radio_of_a_name_no_artist_has_but_a_composer_is_his_radio(capsys, home):
    """--artist "Ludwig van Beethoven" names no artist (his symphonies are by their performers)
    but a composer: the radio of his works, said so; --artist Beethoven (an old rip's artist)
    stays that artist's radio."""
    got = _answer(capsys, "recommend", "--artist", "ludwig van beethoven", "--home", str(home))
    assert got["composer_radio"] == BEETHOVEN
    assert [s["title"] for s in got["seeds"]] == [f"{FIFTH}: {m}" for m in MOVEMENTS]  # each movement once
    code, _, err = run(capsys, "recommend", "--artist", "ludwig van beethoven", "--home", str(home))
    assert code == 0 and "Composer radio: works of Ludwig van Beethoven" in err
    got = _answer(capsys, "recommend", "--artist", "Beethoven", "--home", str(home))
    assert "composer_radio" not in got and [s["artist"] for s in got["seeds"]] == ["Beethoven"]
    got = _answer(capsys, "playlist", "--artist", "Ludwig van Beethoven", "--home", str(home))
    assert {s["artist"] for s in got["seeds"]} <= {KARAJAN, KLEIBER} and got["seeds"]
    assert got["composer_radio"] == BEETHOVEN  # the playlist says whose works it walks, as the radio does
    code, _, err = run(capsys, "playlist", "--artist", "Ludwig van Beethoven", "--home", str(home))
    assert code == 0 and "Playlist from the works of Ludwig van Beethoven (no artist is named" in " ".join(err.split())
