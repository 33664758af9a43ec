"""A jazz collector's questions: what else does Paul Chambers play on, Coltrane's sessions as a
sideman (the musicians the tags credit: ``catalog.performers``, ``catalog.personnel``,
``query.performers``), on files made here as Picard and the rippers tag them."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import api_client, ingested_home, run

pytest.importorskip("mutagen")

SO_WHAT = ["Miles Davis (trumpet)", "John Coltrane (tenor saxophone)", "Paul Chambers (double bass)",
           "Jimmy Cobb (drums)"]
LOVE_SUPREME = ("John Coltrane (ts, ss), McCoy Tyner (p), Jimmy Garrison (b), Elvin Jones (d). Recorded at Van Gelder"
                " Studio, Englewood Cliffs, NJ, December 9, 1964.")


def _mp3_with(path, *frames):
    import numpy as np
    import soundfile as sf
    from mutagen.id3 import ID3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tags = ID3()
    for frame in frames:
        tags.add(frame)
    tags.save(path, v2_version=3 if any(f.FrameID == "IPLS" for f in frames) else 4)
    return path


def _jazz(lib):
    """Kind of Blue and Red Garland's trio (Picard's PERFORMER), Blue Train (foobar2000's
    PERFORMER:bass, a nested MusicBrainz instrument), A Love Supreme (a comment's personnel
    alone), Daft Punk and Norah Jones (no musicians)."""
    from tests.support.tagged_files import tagged_flac

    blue = lib / "Miles Davis/Kind of Blue"
    tagged_flac(blue / "01 So What.flac", 0.3, TITLE="So What", ARTIST="Miles Davis", ALBUM="Kind of Blue",
                PERFORMER=SO_WHAT)
    tagged_flac(blue / "02 Freddie Freeloader.flac", 0.3, TITLE="Freddie Freeloader", ARTIST="Miles Davis",
                ALBUM="Kind of Blue", PERFORMER=SO_WHAT + ["Wynton Kelly (piano)"], COMMENT="A twelve-bar blues in B flat.")
    tagged_flac(lib / "Red Garland/Groovy/01 C Jam Blues.flac", 0.3, TITLE="C Jam Blues", ARTIST="Red Garland",
                ALBUM="Groovy", PERFORMER=["Red Garland (piano)", "Paul Chambers (bass)", "Art Taylor (drums)"])
    tagged_flac(lib / "John Coltrane/Blue Train/01 Blue Train.flac", 0.3, TITLE="Blue Train", ARTIST="John Coltrane",
                ALBUM="Blue Train", **{"PERFORMER:bass": "Paul Chambers", "PERFORMER:tenor saxophone": "John Coltrane",
                                       "PERFORMER": "Philly Joe Jones (drums (drum set))"})
    tagged_flac(lib / "John Coltrane/A Love Supreme/01 Acknowledgement.flac", 0.3, TITLE="Acknowledgement",
                ARTIST="John Coltrane", ALBUM="A Love Supreme", COMMENT=LOVE_SUPREME)
    tagged_flac(lib / "Daft Punk/Discovery/01 One More Time.flac", 0.3, TITLE="One More Time", ARTIST="Daft Punk",
                ALBUM="Discovery", COMMENT="Recorded at Daft House, Paris (France), 2000")
    tagged_flac(lib / "Norah Jones/Come Away with Me/01 Don't Know Why.flac", 0.3, TITLE="Don't Know Why",
                ARTIST="Norah Jones", ALBUM="Come Away with Me")
    return lib


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return ingested_home(tmp_path_factory, _jazz(tmp_path_factory.mktemp("jazz") / "lib"), "lib")


def _answer(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


# --- the reader ----------------------------------------------------------------------------

def test_the_musicians_of_picards_performer_tags_and_a_comments_personnel(tmp_path):
    """Picard's "Name (instrument)" (a nested instrument read whole), a PERFORMER:bass key, a
    comment's "Name (ts, ss)" list with the discographies' abbreviations spelled out; a comment
    that lists no one gives no one. The sidemen are no artists of the track."""
    from recsys.catalog import read_music_folder
    from recsys.catalog.model import Performer

    tracks = {t.title: t for t in read_music_folder(_jazz(tmp_path / "lib"), tmp_path / "covers").tracks}
    so_what = tracks["So What"]
    assert so_what.performers == (Performer("Miles Davis", ("trumpet",)), Performer("John Coltrane", ("tenor saxophone",)),
                                  Performer("Paul Chambers", ("double bass",)), Performer("Jimmy Cobb", ("drums",)))
    assert (so_what.artist, so_what.artists) == ("Miles Davis", ())  # a leader's album stays his
    assert set(tracks["Blue Train"].performers) == {
        Performer("Paul Chambers", ("bass",)), Performer("John Coltrane", ("tenor saxophone",)),
        Performer("Philly Joe Jones", ("drums (drum set)",))}
    assert tracks["Acknowledgement"].performers == (
        Performer("John Coltrane", ("tenor saxophone", "soprano saxophone")), Performer("McCoy Tyner", ("piano",)),
        Performer("Jimmy Garrison", ("bass",)), Performer("Elvin Jones", ("drums",)))
    assert tracks["One More Time"].performers == ()


def test_id3_musician_credits_and_involved_people(tmp_path):
    """ID3v2.4 TMCL pairs are musicians; TIPL's producer and engineer are not, nor is IPLS's
    (ID3v2.3, where Picard writes the players beside them) producer, its bassist is; a
    TXXX:PERFORMER too; a conductor (TPE3) conducts."""
    from mutagen.id3 import IPLS, TIPL, TIT2, TMCL, TPE1, TPE3, TXXX

    from recsys.catalog import read_music_folder
    from recsys.catalog.model import Performer

    lib = tmp_path / "lib"
    _mp3_with(lib / "a.mp3", TIT2(encoding=3, text="Round Midnight"), TPE1(encoding=3, text="Miles Davis"),
              TMCL(encoding=3, people=[["trumpet", "Miles Davis"], ["bass", "Paul Chambers"], ["performer", "Guest"]]),
              TIPL(encoding=3, people=[["producer", "George Avakian"], ["engineer", "Fred Plaut"]]))
    _mp3_with(lib / "b.mp3", TIT2(encoding=3, text="Walkin'"), TPE1(encoding=3, text="Miles Davis"),
              IPLS(encoding=1, people=[["producer", "Bob Weinstock"], ["bass", "Percy Heath"]]),
              TXXX(encoding=3, desc="PERFORMER", text=["Kenny Clarke (drums)"]), TPE3(encoding=3, text="Gil Evans"))
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["Round Midnight"].performers == (
        Performer("Miles Davis", ("trumpet",)), Performer("Paul Chambers", ("bass",)), Performer("Guest"))
    assert tracks["Walkin'"].performers == (Performer("Percy Heath", ("bass",)), Performer("Kenny Clarke", ("drums",)))


def test_an_mp4_freeform_performer_and_one_person_named_twice():
    from mutagen.mp4 import MP4FreeForm, MP4Tags

    from recsys.catalog.model import Performer
    from recsys.catalog.performers import musicians

    tags = MP4Tags()
    tags["----:com.apple.iTunes:PERFORMER"] = [MP4FreeForm(b"Paul Chambers (bass)"), MP4FreeForm(b"paul chambers (cello)"),
                                               MP4FreeForm(b"Unknown Artist")]
    assert musicians(tags) == (Performer("Paul Chambers", ("bass", "cello")),)


def test_a_nested_instrument_and_an_ape_value_of_several_people():
    """MusicBrainz's "drums (drum set)" inside Picard's parentheses is the instrument whole, and
    the name is the name for the classical list too (the old rule left "Philly Joe Jones (drums"
    as his name); an APE value holds its people NUL-joined."""
    from recsys.catalog.model import Performer
    from recsys.catalog.performers import musicians, performer_names, split_role

    assert split_role("Philly Joe Jones (drums (drum set))") == ("Philly Joe Jones", "drums (drum set)")
    assert split_role("(untitled)") == ("(untitled)", "") and split_role("Red Garland") == ("Red Garland", "")
    assert performer_names({"performer": ["Philly Joe Jones (drums (drum set))"]}) == {"philly joe jones"}
    assert musicians({"Performer": "Red Garland (piano)\0Art Taylor (drums)"}) == (
        Performer("Red Garland", ("piano",)), Performer("Art Taylor", ("drums",)))


@pytest.mark.parametrize("text, names", [
    ("Miles Davis – trumpet; John Coltrane – tenor saxophone; Gil Evans - arranger", ["Miles Davis", "John Coltrane"]),
    ("Miles Davis – trumpet\nJohn Coltrane – tenor saxophone, soprano saxophone\n\nA classic.",
     ["Miles Davis", "John Coltrane"]),
    ("Personnel: J.J. Johnson (tb), Kai Winding (tb) and Hank Jones (p).", ["J.J. Johnson", "Kai Winding", "Hank Jones"]),
    ("Recorded at Van Gelder Studio, Hackensack, NJ, March 15, 1954", []),
    ("Live at Birdland (NYC), Art Blakey (d)", []),  # a place in parentheses: no personnel
    ("Great album (remastered), Art Blakey (d)", []),
    ("Sonny Rollins (ts)", []),  # one person: a comment's aside, not a list
    ("Bonus track (2006), Take 2 (alt)", []),
    ("Jimmy Smith (org), Kenny Burrell (v)", []),  # "v": vocals or violin, no instrument here
])
def test_a_comment_is_read_as_personnel_only_where_its_shape_is_unmistakable(text, names):
    from recsys.catalog.personnel import comment_personnel

    assert [p.name for p in comment_personnel(text)] == names


def test_the_musicians_are_derived_payload_fields_out_of_the_hashes():
    """``performers`` and ``performers_key`` (by ``label_key``) in the payload, and in no hash:
    tagging a library's musicians re-encodes nothing; DERIVED_RULES says older payloads lack them."""
    from recsys.catalog.model import DERIVED_RULES, SPARSE_DERIVED_KEYS, Performer, TrackRecord

    plain = TrackRecord("t1", "So What", "Miles Davis")
    credited = TrackRecord("t1", "So What", "Miles Davis", performers=(Performer("Paul Chambers", ("bass",)),
                                                                         Performer("Philly Joe Jones")))
    assert credited.payload()["performers"] == ["Paul Chambers", "Philly Joe Jones"]
    assert credited.payload()["performers_key"] == ["paulchambers", "phillyjoejones"]
    assert "performers" not in plain.payload() and "performers" not in credited.payload(derived=False)
    assert credited.content_hash() == plain.content_hash()
    assert SPARSE_DERIVED_KEYS["performers_key"] == "performers" and DERIVED_RULES >= 9


# --- the store -----------------------------------------------------------------------------

def test_a_performer_filter_matches_the_key_and_crosses_the_served_wire():
    from recsys.store.base import QueryFilter
    from recsys.store.filters import MatchAnyCond, to_conditions
    from recsys.store.served import filter_from_wire, filter_to_wire

    flt = QueryFilter(performers=("Paul Chambers", "PAUL  CHAMBERS", "Philly Joe Jones"))
    assert not flt.is_empty()
    assert to_conditions(flt).must == (MatchAnyCond("performers_key", ("paulchambers", "phillyjoejones")),)
    assert filter_from_wire(json.loads(json.dumps(filter_to_wire(flt)))) == flt


# --- the queries ---------------------------------------------------------------------------

def test_what_else_does_paul_chambers_play_on(capsys, home):
    """--performer keeps the tracks he plays on, under any leader, by his full name (case and
    accents aside) or his surname; the sessions of Coltrane as a sideman leave his own out."""
    for typed in ("Paul Chambers", "paul chambers", "Chambers", "P. Chambers"):
        got = _answer(capsys, "recommend", "One More Time", "--performer", typed, "-k", "20", "--max-per-artist", "0",
                      "--home", str(home))
        assert sorted(r["title"] for r in got["results"]) == ["Blue Train", "C Jam Blues", "Freddie Freeloader",
                                                             "So What"], typed
    got = _answer(capsys, "recommend", "One More Time", "--performer", "coltrane", "--exclude-artist", "John Coltrane",
                  "-k", "20", "--max-per-artist", "0", "--home", str(home))
    assert sorted(r["title"] for r in got["results"]) == ["Freddie Freeloader", "So What"]
    got = _answer(capsys, "playlist", "One More Time", "--performer", "Elvin Jones", "--home", str(home))
    assert [r["title"] for r in got["results"]] == ["Acknowledgement"]  # a comment's personnel
    got = _answer(capsys, "query", "--text", "modal jazz", "--performer", "Wynton Kelly", "--home", str(home))
    assert [r["title"] for r in got["results"]] == ["Freddie Freeloader"]


def test_a_name_that_fits_several_musicians_or_none(capsys, home):
    code, _, err = run(capsys, "recommend", "One More Time", "--performer", "jones", "--home", str(home))
    assert code == 1 and err.startswith("error: the performer 'jones' is more than one in collection 'lib':")
    assert "Elvin Jones (1 track)" in err and "Philly Joe Jones (1 track)" in err
    assert "recsys facets performers" in err
    code, _, err = run(capsys, "recommend", "One More Time", "--performer", "Paul Chambrs", "--home", str(home))
    assert code == 1 and "has the performer 'Paul Chambrs' (closest: Paul Chambers)" in err


def test_the_performers_facet_and_info(capsys, home):
    """One row per musician with his tracks; no sideman among the artists; `info` counts them."""
    got = _answer(capsys, "facets", "performers", "--home", str(home))
    rows = {v["value"]: v["count"] for v in got["values"]}
    assert (rows["Paul Chambers"], rows["John Coltrane"], rows["Elvin Jones"], rows["Wynton Kelly"]) == (4, 4, 1, 1)
    assert got["total"] == 11 == len(rows)
    artists = {v["value"] for v in _answer(capsys, "facets", "artists", "--home", str(home))["values"]}
    assert artists == {"Miles Davis", "Red Garland", "John Coltrane", "Daft Punk", "Norah Jones"}
    info = _answer(capsys, "info", "--home", str(home))
    (lib,) = info["collections"] if "collections" in info else info
    assert (lib["performers"], lib["performer_tracks"]) == (11, 5)
    code, _, err = run(capsys, "info", "--home", str(home))
    assert code == 0 and "11 performers on 5 tracks" in " ".join(err.split())


def test_a_radio_of_a_name_no_artist_has_but_a_musician_is_his_sessions(capsys, home):
    """--artist "Paul Chambers" names no artist and no composer but a sideman: the radio of the
    sessions he plays on, said so; an artist's name stays his radio."""
    got = _answer(capsys, "recommend", "--artist", "paul chambers", "--home", str(home))
    assert got["performer_radio"] == "Paul Chambers"
    assert sorted(s["title"] for s in got["seeds"]) == ["Blue Train", "C Jam Blues", "Freddie Freeloader", "So What"]
    code, _, err = run(capsys, "recommend", "--artist", "Paul Chambers", "--home", str(home))
    assert code == 0 and "Performer radio: sessions with Paul Chambers (no artist is named" in " ".join(err.split())
    got = _answer(capsys, "playlist", "--artist", "Paul Chambers", "--home", str(home))
    assert got["performer_radio"] == "Paul Chambers"
    got = _answer(capsys, "recommend", "--artist", "Red Garland", "--home", str(home))
    assert "performer_radio" not in got and [s["artist"] for s in got["seeds"]] == ["Red Garland"]
    # a surname: the musicians it fits and the artist of that name, neither chosen in silence
    code, _, err = run(capsys, "recommend", "--artist", "Jones", "--home", str(home))
    assert code == 1 and "'Jones' names the performer Elvin Jones and Philly Joe Jones and the artist 'Norah Jones'" in err
    code, _, err = run(capsys, "recommend", "--artist", "Tyner", "--home", str(home))
    assert code == 0 and "Performer radio: sessions with McCoy Tyner" in " ".join(err.split())


def test_the_api_takes_performers_and_lists_them(home):
    with api_client(home) as c:
        facet = c.get("/api/facets/performers").json()
        assert facet["values"][0] in ({"value": "John Coltrane", "count": 4}, {"value": "Paul Chambers", "count": 4})
        body = {"seeds": ["One More Time"], "k": 20, "max_per_artist": 0, "filters": {"performers": ["chambers"]}}
        got = c.post("/api/recommend", json=body)
        assert got.status_code == 200, got.text
        assert sorted(r["title"] for r in got.json()["results"]) == ["Blue Train", "C Jam Blues", "Freddie Freeloader",
                                                                    "So What"]
        got = c.post("/api/recommend", json=body | {"filters": {"performers": ["jones"]}})
        assert got.status_code == 400 and "Elvin Jones" in got.text


def test_an_older_collection_gains_its_musicians_at_its_next_ingest_without_encoding(capsys, tmp_path_factory):
    """A collection ingested before the musicians were read (no fields, older DERIVED_RULES): a
    --performer says the tracks name none yet; the next ingest rewrites the payloads, nothing
    encoded, and --performer finds him."""
    from recsys.catalog.model import DERIVED_RULES, DERIVED_RULES_KEY, SPARSE_DERIVED_KEYS
    from recsys.store import open_backend
    from recsys.store.base import PointRecord
    from tests.support.cli import TINY_ARGS

    lib = _jazz(tmp_path_factory.mktemp("older") / "lib")
    home = ingested_home(tmp_path_factory, lib, "lib")
    backend = open_backend(home / "store")
    try:
        old = list(backend.scroll("lib", with_vectors=True))
        backend.upsert("lib", [PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items()
                                                                   if k not in SPARSE_DERIVED_KEYS or k == "composer_norm"}
                                           | {DERIVED_RULES_KEY: DERIVED_RULES - 1}) for p in old])
    finally:
        backend.close()
    code, _, err = run(capsys, "recommend", "One More Time", "--performer", "Paul Chambers", "--home", str(home))
    assert code == 1 and "names its performers" in err and "recsys ingest" in err
    report = _answer(capsys, "ingest", str(lib), "--collection", "lib", "--home", str(home), *TINY_ARGS)
    assert (report["ingested"], report["refreshed"]) == (0, 7)
    got = _answer(capsys, "recommend", "One More Time", "--performer", "Paul Chambers", "-k", "20", "--home", str(home))
    assert len(got["results"]) == 4
    # and once only: a track naming no musician lacks no field (every payload was rewritten each time)
    report = _answer(capsys, "ingest", str(lib), "--collection", "lib", "--home", str(home), *TINY_ARGS)
    assert (report["ingested"], report["refreshed"]) == (0, 0)
