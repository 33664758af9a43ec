"""MusicBrainz artist ids (``recsys.catalog.artistids``): one artist however the library spells
it ("植松伸夫" and "Nobuo Uematsu"), two artists of one name apart (the two Nirvanas), files
without ids keyed as before. Libraries built on the fly, Picard's tags written as Picard
writes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.model import DERIVED_RULES_KEY
from recsys.labels import SAME_ARTIST
from tests.support.cli import TINY_ARGS, run
from tests.support.tagged_files import tagged_flac

UEMATSU = "4d7e1a2b-0c3f-4a5b-8c6d-7e8f9a0b1c2d"  # made up: one id, two spellings
KENTA = "5f0c5c4e-2c5b-4c55-9b65-1f0e0e0e0002"
NIRVANA_US = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"  # MusicBrainz's two Nirvanas
NIRVANA_UK = "9282c8b4-ca0b-4c6b-b7e3-4f7762dfc4d6"
VARIOUS = "89ad4ac3-39f7-470e-963a-56509c546377"


def _by_file(lib: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _library(lib: Path) -> None:
    """Three Latin and two Japanese files of one id, a duet crediting him in Japanese, one
    Japanese file without an id, two bands named Nirvana, Kenta Cho without an id."""
    for i in range(3):
        tagged_flac(lib / f"FF7/0{i} Latin {i}.flac", TITLE=f"Latin {i}", ARTIST="Nobuo Uematsu", ALBUM="FF7",
                    MUSICBRAINZ_ARTISTID=UEMATSU)
    for i in range(2):
        tagged_flac(lib / f"FF6/0{i} Japanese {i}.flac", TITLE=f"Japanese {i}", ARTIST="植松伸夫", ALBUM="FF6",
                    MUSICBRAINZ_ARTISTID=UEMATSU, MUSICBRAINZ_ALBUMARTISTID=UEMATSU, ALBUMARTIST="植松伸夫")
    tagged_flac(lib / "Duet/01 Duet.flac", TITLE="Duet", ARTIST="植松伸夫 & Kenta Cho", ALBUM="Duet",
                ARTISTS=["植松伸夫", "Kenta Cho"], MUSICBRAINZ_ARTISTID=[UEMATSU, KENTA])
    tagged_flac(lib / "Rip/01 Untagged.flac", TITLE="Untagged", ARTIST="植松伸夫", ALBUM="Rip")
    tagged_flac(lib / "Nevermind/01 Lithium.flac", TITLE="Lithium", ARTIST="Nirvana", ALBUM="Nevermind",
                MUSICBRAINZ_ARTISTID=NIRVANA_US)
    tagged_flac(lib / "In Utero/01 Dumb.flac", TITLE="Dumb", ARTIST="Nirvana", ALBUM="In Utero",
                MUSICBRAINZ_ARTISTID=NIRVANA_US)
    tagged_flac(lib / "Simopath/01 Tiny Goddess.flac", TITLE="Tiny Goddess", ARTIST="Nirvana",
                ALBUM="The Story of Simon Simopath", MUSICBRAINZ_ARTISTID=NIRVANA_UK)
    tagged_flac(lib / "Kenta/01 Kenta.flac", TITLE="Kenta", ARTIST="Kenta Cho", ALBUM="Kenta")


# --- reading ------------------------------------------------------------------------------


def test_artist_ids_are_read_from_every_tag_kind(tmp_path):
    """Picard's ids beside the names they belong to: Vorbis one value per credited artist in
    ARTISTS' order, ID3v2.4 NUL-joined and v2.3 "/"-joined TXXX, MP4 freeform, APEv2 (an MP3's
    foobar2000 tag), ASF, Matroska; the album artist's too. A credit of two names with one id
    ("Kenta Cho & Yuzo Koshiro": lib5's real Picard file) pairs nothing, and MusicBrainz's
    Various Artists is no one's id."""
    import mutagen
    from mutagen.apev2 import APEv2
    from mutagen.id3 import ID3, TIT2, TPE1, TXXX
    from mutagen.mp4 import MP4, MP4FreeForm

    from tests.test_audio_formats import write_tone
    from tests.test_music_folder_lib6 import _tagged_matroska

    lib = tmp_path / "lib"
    a, b = UEMATSU, KENTA
    tagged_flac(lib / "vorbis.flac", TITLE="v", ARTIST="A & B", ARTISTS=["A", "B"], MUSICBRAINZ_ARTISTID=[a, b],
                ALBUMARTIST="A", MUSICBRAINZ_ALBUMARTISTID=a)
    for name, version, ids in (("v24.mp3", 4, [a, b]), ("v23.mp3", 3, f"{a}/{b}")):
        write_tone(lib / name, 0.3)
        tags = ID3()
        tags.add(TIT2(encoding=3, text=name))
        tags.add(TPE1(encoding=3, text="A & B"))
        tags.add(TXXX(encoding=3, desc="ARTISTS", text=["A", "B"]))
        tags.add(TXXX(encoding=3, desc="MusicBrainz Artist Id", text=ids))
        tags.save(lib / name, v2_version=version)
    m4a = MP4(write_tone(lib / "mp4.m4a", 0.3))
    m4a["\xa9nam"], m4a["\xa9ART"], m4a["aART"] = "m", "A", "Various Artists"
    m4a["----:com.apple.iTunes:MusicBrainz Artist Id"] = MP4FreeForm(a.encode())
    m4a["----:com.apple.iTunes:MusicBrainz Album Artist Id"] = MP4FreeForm(VARIOUS.encode())
    m4a.save()
    write_tone(lib / "ape.mp3", 0.3)
    mutagen.File(lib / "ape.mp3").delete()
    ape = APEv2()
    ape["Title"], ape["Artist"], ape["MUSICBRAINZ_ARTISTID"] = "ape", "A", a
    ape.save(lib / "ape.mp3")
    wma = mutagen.File(write_tone(lib / "asf.wma", 0.3))
    wma["Title"], wma["Author"], wma["MusicBrainz/Artist Id"] = "asf", "A", a
    wma.save()
    _tagged_matroska(lib / "mka.mka", {"TITLE": "mka", "ARTIST": "A", "MUSICBRAINZ_ARTISTID": a})
    tagged_flac(lib / "lib5.flac", TITLE="Ring Out", ARTIST="Kenta Cho & Yuzo Koshiro",
                ARTISTS=["Kenta Cho", "Yuzo Koshiro"], MUSICBRAINZ_ARTISTID=b)
    tagged_flac(lib / "none.flac", TITLE="n", ARTIST="A")
    found = {name: t.artist_ids for name, t in _by_file(lib, tmp_path).items()}
    both = (("A", a), ("B", b))
    assert found == {
        "vorbis.flac": both, "v24.mp3": both, "v23.mp3": both,
        "mp4.m4a": (("A", a),), "ape.mp3": (("A", a),), "asf.wma": (("A", a),), "mka.mka": (("A", a),),
        "lib5.flac": (), "none.flac": (),
    }


def test_an_mp4_freeform_atom_is_read_whatever_its_case(tmp_path):
    """MP4 freeform atoms are matched without case, as ID3 TXXX frames always were
    (``tagvalues.freeform_texts``): "----:com.apple.iTunes:MUSICBRAINZ ARTIST ID" and
    "----:com.apple.itunes:Artists", as a tool that upper-cases its fields writes them, are
    Picard's "MusicBrainz Artist Id" and "ARTISTS": nothing else is so named. Before, the ids
    and the list of such a file were read only in Picard's exact case."""
    from mutagen.mp4 import MP4, MP4FreeForm

    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    lib.mkdir()
    m4a = MP4(write_tone(lib / "upper.m4a", 0.3))
    m4a["\xa9nam"], m4a["\xa9ART"] = "u", "A & B"
    m4a["----:com.apple.iTunes:MUSICBRAINZ ARTIST ID"] = [MP4FreeForm(UEMATSU.encode()), MP4FreeForm(KENTA.encode())]
    m4a["----:com.apple.itunes:Artists"] = [MP4FreeForm(b"A"), MP4FreeForm(b"B")]
    m4a.save()
    (track,) = _by_file(lib, tmp_path).values()
    assert track.artists == ("A", "B")
    assert track.artist_ids == (("A", UEMATSU), ("B", KENTA))


def test_the_album_artists_id_is_read_beside_the_artists(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", TITLE="a", ARTIST="植松伸夫", ALBUM="FF6", ALBUMARTIST="Nobuo Uematsu",
                MUSICBRAINZ_ARTISTID=UEMATSU, MUSICBRAINZ_ALBUMARTISTID=UEMATSU)
    (track,) = _by_file(lib, tmp_path).values()
    assert track.artist_ids == (("植松伸夫", UEMATSU), ("Nobuo Uematsu", UEMATSU))


# --- keys ---------------------------------------------------------------------------------


def test_one_id_spelled_two_ways_is_one_artists_key(tmp_path):
    """The tracks of one id are keyed by its most common spelling as an artist, with every other
    spelling's key plain (a filter by it finds them) and marked (the facet counts them once);
    the tags' names stay; ``artist_as`` names the primary artist where the tag spells it
    otherwise. A file without an id that spells the id's artist is keyed as its tagged files
    are; every track of a library without ids is keyed as before."""
    lib = tmp_path / "lib"
    _library(lib)
    tracks = _by_file(lib, tmp_path)
    keys = ["nobuouematsu", "植松伸夫", SAME_ARTIST + "植松伸夫", SAME_ARTIST]
    latin, japanese = tracks["FF7/00 Latin 0.flac"].payload(), tracks["FF6/00 Japanese 0.flac"].payload()
    assert (latin["artist"], latin["artist_key"], "artist_as" in latin) == ("Nobuo Uematsu", keys, False)
    assert (japanese["artist"], japanese["artist_key"], japanese["artist_as"]) == ("植松伸夫", keys, "Nobuo Uematsu")
    duet = tracks["Duet/01 Duet.flac"].payload()
    assert duet["artist_key"] == ["植松伸夫kentacho", "nobuouematsu", "kentacho", *keys[1:]]
    assert duet["artist_as"] == "Nobuo Uematsu" and duet["artists"] == ["植松伸夫", "Kenta Cho"]
    # without an id, a spelling of one id: that id's (``test_a_name_without_an_id_...``)
    untagged = tracks["Rip/01 Untagged.flac"]
    assert (untagged.payload()["artist_key"], untagged.artist_as) == (keys, "Nobuo Uematsu")
    # a library without ids keys it as before
    plain = tmp_path / "plain"
    tagged_flac(plain / "Rip/01 Untagged.flac", TITLE="Untagged", ARTIST="植松伸夫", ALBUM="Rip")
    alone = _by_file(plain, tmp_path)["Rip/01 Untagged.flac"]
    assert alone.payload()["artist_key"] == "植松伸夫" and "artist_as" not in alone.payload()
    assert alone.content_hash() == untagged.content_hash()
    # derived alone: the hash, which decides what is encoded, is the file's read on its own
    import shutil

    solo = tmp_path / "solo"
    (solo / "FF6").mkdir(parents=True)
    shutil.copy2(lib / "FF6/00 Japanese 0.flac", solo / "FF6/00 Japanese 0.flac")
    on_its_own = _by_file(solo, tmp_path)["FF6/00 Japanese 0.flac"]
    assert on_its_own.payload()["artist_key"] == "植松伸夫" and on_its_own.artist_as == ""
    assert on_its_own.content_hash() == tracks["FF6/00 Japanese 0.flac"].content_hash()
    assert DERIVED_RULES_KEY in japanese


def test_a_name_without_an_id_that_spells_one_id_is_that_ids(tmp_path):
    """An untagged "Nobuo Uematsu - Prelude.flac" (its artist from its name) beside Picard's
    "植松伸夫" files, whose album artist "Nobuo Uematsu" carries the same id: one artist's, keyed
    as the tagged files are (``--artist`` by either spelling finds it, the facet counts it in
    his row). An untagged "Nirvana", a name two ids share, stays as it was, as does a name of an
    id spelled one way ("Kenta Cho")."""
    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    for i in range(2):
        tagged_flac(lib / f"FF6/0{i} Japanese {i}.flac", TITLE=f"Japanese {i}", ARTIST="植松伸夫", ALBUM="FF6",
                    ALBUMARTIST="Nobuo Uematsu", MUSICBRAINZ_ARTISTID=UEMATSU, MUSICBRAINZ_ALBUMARTISTID=UEMATSU)
    (lib / "Loose").mkdir()
    write_tone(lib / "Loose/Nobuo Uematsu - Prelude.flac", 0.3)
    write_tone(lib / "Loose/Nirvana - Lithium.flac", 0.3)
    tagged_flac(lib / "Nevermind/01 Lithium.flac", TITLE="Lithium", ARTIST="Nirvana", MUSICBRAINZ_ARTISTID=NIRVANA_US)
    tagged_flac(lib / "Simopath/01 Tiny Goddess.flac", TITLE="Tiny Goddess", ARTIST="Nirvana",
                MUSICBRAINZ_ARTISTID=NIRVANA_UK)
    tagged_flac(lib / "Kenta/01 Kenta.flac", TITLE="Kenta", ARTIST="Kenta Cho", MUSICBRAINZ_ARTISTID=KENTA)
    tracks = _by_file(lib, tmp_path)
    loose = tracks["Loose/Nobuo Uematsu - Prelude.flac"]
    assert (loose.artist, loose.title) == ("Nobuo Uematsu", "Prelude")
    tagged = tracks["FF6/00 Japanese 0.flac"].payload()["artist_key"]
    assert loose.payload()["artist_key"] == tagged and SAME_ARTIST in tagged
    assert tracks["Loose/Nirvana - Lithium.flac"].payload()["artist_key"] == "nirvana"
    assert tracks["Loose/Nirvana - Lithium.flac"].artist_as == ""
    assert tracks["Kenta/01 Kenta.flac"].payload()["artist_key"] == "kentacho"
    # a second id of the name: which one the untagged file is, the tags do not say
    tagged_flac(lib / "Other/01 Other.flac", TITLE="Other", ARTIST="Nobuo Uematsu",
                MUSICBRAINZ_ARTISTID="0c0c0c0c-1111-4222-8333-444444444444")
    loose = _by_file(lib, tmp_path)["Loose/Nobuo Uematsu - Prelude.flac"]
    assert loose.payload()["artist_key"] == "nobuouematsu" and loose.artist_as == ""


def test_a_tie_goes_to_the_latin_spelling_and_an_album_artist_alone_is_never_shown(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", TITLE="a", ARTIST="植松伸夫", MUSICBRAINZ_ARTISTID=UEMATSU)
    tagged_flac(lib / "b.flac", TITLE="b", ARTIST="Nobuo Uematsu", MUSICBRAINZ_ARTISTID=UEMATSU)
    tagged_flac(lib / "c.flac", TITLE="c", ARTIST="Nobuo Uematsu", ALBUM="X", ALBUMARTIST="Uematsu Nobuo",
                MUSICBRAINZ_ARTISTID=UEMATSU, MUSICBRAINZ_ALBUMARTISTID=UEMATSU)
    tagged_flac(lib / "d.flac", TITLE="d", ARTIST="植松伸夫", ALBUM="X", ALBUMARTIST="Uematsu Nobuo",
                MUSICBRAINZ_ARTISTID=UEMATSU, MUSICBRAINZ_ALBUMARTISTID=UEMATSU)
    tracks = _by_file(lib, tmp_path)
    # two tracks each way: the Latin spelling; "Uematsu Nobuo" (album artist alone, on two
    # tracks too) finds them, but no artist row would show it
    assert tracks["a.flac"].payload()["artist_key"][:3] == ["nobuouematsu", "植松伸夫", "uematsunobuo"]
    assert tracks["a.flac"].artist_as == "Nobuo Uematsu" and tracks["b.flac"].artist_as == ""


def test_one_name_under_two_ids_is_two_artists(tmp_path):
    """The 1990s American and the 1960s British Nirvana keep the name's key (one facet row, as
    before) and gain each its own, the name with its id's first digits; more of them where
    two ids begin alike."""
    lib = tmp_path / "lib"
    _library(lib)
    twin = "5b11f4ce-0000-4000-8000-000000000000"
    tagged_flac(lib / "Twin/01 Twin.flac", TITLE="Twin", ARTIST="Nirvana", MUSICBRAINZ_ARTISTID=twin)
    tracks = _by_file(lib, tmp_path)
    us, uk = tracks["Nevermind/01 Lithium.flac"], tracks["Simopath/01 Tiny Goddess.flac"]
    assert us.payload()["artist_key"] == ["nirvana", "nirvana5b11f4cea62d"]
    assert (us.artist_as, uk.artist_as) == ("Nirvana [5b11f4ce-a62d]", "Nirvana [9282c8b4]")
    assert tracks["Twin/01 Twin.flac"].artist_as == "Nirvana [5b11f4ce-0000]"
    assert us.artist == uk.artist == "Nirvana"


# --- queries ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    from tests.support.cli import ingested_home

    lib = tmp_path_factory.mktemp("mbid") / "lib"
    _library(lib)
    return ingested_home(tmp_path_factory, lib, "mbid")


def _json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def test_the_artist_facet_shows_one_row_for_one_id(capsys, home):
    """One row per artist, in its most common spelling, counting every file of its id, and
    the Japanese file without an id that spells it."""
    data = _json(capsys, "facets", "artists", "--json", "--home", str(home))
    assert {v["value"]: v["count"] for v in data["values"]} == {"Nobuo Uematsu": 7, "Nirvana": 3, "Kenta Cho": 2}


@pytest.mark.parametrize("typed", ["Nobuo Uematsu", "植松伸夫", "nobuo uematsu"])
def test_either_spelling_finds_every_track_of_the_id(capsys, home, typed):
    results = _json(capsys, "recommend", "Kenta", "--only-artist", typed, "-k", "20", "--max-per-artist", "0",
                    "--json", "--home", str(home))["results"]
    titles = {r["title"] for r in results}
    assert {"Latin 0", "Latin 1", "Latin 2", "Japanese 0", "Japanese 1", "Duet"} <= titles
    assert "Untagged" in titles  # no id, but a spelling of his: either spelling finds it
    seeds = _json(capsys, "recommend", "--artist", typed, "-k", "5", "--json", "--home", str(home))["seeds"]
    assert {"Latin 0", "Japanese 0", "Duet"} <= {s["title"] for s in seeds}


def test_the_artist_cap_counts_one_id_once(capsys, home):
    results = _json(capsys, "recommend", "Kenta", "-k", "20", "--max-per-artist", "1", "--json",
                    "--home", str(home))["results"]
    ids = [r["artist"] for r in results if r["title"].startswith(("Latin", "Japanese", "Duet"))]
    assert len(ids) == 1
    nirvanas = [r["album"] for r in results if r["artist"] == "Nirvana"]
    assert len(nirvanas) == 2  # two bands, two caps


def test_a_name_of_two_artists_is_an_error_naming_them_with_their_albums(capsys, home):
    code, out, err = run(capsys, "recommend", "--artist", "nirvana", "--home", str(home))
    assert code != 0 and out == ""
    assert ("'Nirvana [5b11f4ce]' (In Utero, Nevermind); 'Nirvana [9282c8b4]' (The Story of Simon Simopath)"
            in err), err
    seeds = _json(capsys, "recommend", "--artist", "Nirvana [9282c8b4]", "--json", "--home", str(home))["seeds"]
    assert [s["title"] for s in seeds] == ["Tiny Goddess"]
    results = _json(capsys, "recommend", "Kenta", "--only-artist", "nirvana 5b11f4ce", "-k", "20", "--json",
                    "--home", str(home))["results"]
    assert sorted(r["title"] for r in results) == ["Dumb", "Lithium"]


# --- the store ----------------------------------------------------------------------------


def test_same_artist_rows_count_each_point_once():
    from recsys.store.shared import same_artist_rows

    # 3 Latin + 2 Japanese + 1 duet of one id, 1 Japanese without one, Kenta 1 + the duet
    one = {"Nobuo Uematsu": 3, "植松伸夫": 3, "Kenta Cho": 1}
    credited = {"植松伸夫": 1, "Kenta Cho": 1}
    keys = {"nobuouematsu": 6, "植松伸夫": 7, SAME_ARTIST + "植松伸夫": 6, SAME_ARTIST: 6, "kentacho": 2,
            "植松伸夫kentacho": 1}
    assert same_artist_rows(one, credited, keys) == {"Nobuo Uematsu": 6, "植松伸夫": 1, "Kenta Cho": 2}


@pytest.mark.parametrize("kind", ["edge", "remote"])
def test_both_backends_count_the_facet_alike(tmp_path, kind):
    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.query.facets import facets
    from recsys.query.library import Library
    from recsys.store import open_backend
    from tests.support.tiny_encoders import TINY

    lib = tmp_path / "lib"
    _library(lib)
    backend = open_backend(str(tmp_path / "store") if kind == "edge" else ":memory:")
    try:
        catalog = read_music_folder(lib, tmp_path / "covers")
        ingest_catalog(catalog, backend, IngestOptions(collection="c", batch_size=16, **TINY))
        rows = dict(facets(Library(backend, "c"), "artists").values)
        assert rows == {"Nobuo Uematsu": 7, "Nirvana": 3, "Kenta Cho": 2}, kind
    finally:
        backend.close()


# --- the sync -----------------------------------------------------------------------------


def test_a_spelling_that_comes_or_goes_rekeys_its_artists_other_tracks(capsys, tmp_path):
    """The Latin files' keys depend on the library's other files: a Japanese file of their id
    added, or removed, rewrites their payloads (nothing encoded), so that ``--only-artist
    植松伸夫`` finds them while it is there, and the facet counts them as before after."""
    from cli.main import main
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    lib, home = tmp_path / "lib", tmp_path / "home"
    for i in range(2):
        tagged_flac(lib / f"FF7/0{i} Latin {i}.flac", TITLE=f"Latin {i}", ARTIST="Nobuo Uematsu",
                    MUSICBRAINZ_ARTISTID=UEMATSU)
    tagged_flac(lib / "Kenta/01 Kenta.flac", TITLE="Kenta", ARTIST="Kenta Cho")

    def ingest() -> dict:
        assert main(["ingest", str(lib), "--home", str(home), *TINY_ARGS, "--json"]) == 0
        return json.loads(capsys.readouterr().out)

    def found() -> set:
        results = _json(capsys, "recommend", "Kenta", "--only-artist", "植松伸夫", "-k", "20", "--max-per-artist",
                        "0", "--json", "--home", str(home))["results"]
        return {r["title"] for r in results}

    ingest()
    japanese = tagged_flac(lib / "FF6/01 Japanese.flac", TITLE="Japanese", ARTIST="植松伸夫",
                           MUSICBRAINZ_ARTISTID=UEMATSU)
    report = ingest()
    assert (report["added"], report["refreshed"], report["updated"]) == (1, 2, 0)
    assert found() == {"Latin 0", "Latin 1", "Japanese"}
    japanese.unlink()
    report = ingest()
    assert (report["removed"], report["refreshed"], report["updated"]) == (1, 2, 0)
    code, out, err = run(capsys, "recommend", "Kenta", "--only-artist", "植松伸夫", "--json", "--home", str(home))
    assert json.loads(out)["results"] == [] if code == 0 else "植松伸夫" in err
    facet = _json(capsys, "facets", "artists", "--json", "--home", str(home))
    assert {v["value"]: v["count"] for v in facet["values"]} == {"Nobuo Uematsu": 2, "Kenta Cho": 1}
    assert ingest()["refreshed"] == 0


def test_an_untagged_copy_read_with_its_siblings_tags_takes_its_ids(tmp_path):
    """An Internet Archive item's untagged "track01.flac" is read with its tagged "track01.mp3"'s
    names (``itemfiles``): with their ids too, so it is keyed as the MP3 is."""
    from mutagen.id3 import ID3, TIT2, TPE1, TXXX

    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    for i in range(3):
        tagged_flac(lib / f"FF7/0{i} Latin.flac", TITLE=f"Latin {i}", ARTIST="Nobuo Uematsu", MUSICBRAINZ_ARTISTID=UEMATSU)
    (lib / "item").mkdir()
    write_tone(lib / "item/track01.mp3", 0.3)
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Japanese"))
    tags.add(TPE1(encoding=3, text="植松伸夫"))
    tags.add(TXXX(encoding=3, desc="MusicBrainz Artist Id", text=[UEMATSU]))
    tags.save(lib / "item/track01.mp3")
    tagged_flac(lib / "item/track01.flac")
    tracks = _by_file(lib, tmp_path)
    mp3, flac = tracks["item/track01.mp3"].payload(), tracks["item/track01.flac"].payload()
    assert flac["artist"] == "植松伸夫" and flac["artist_key"] == mp3["artist_key"]
    assert flac["artist_key"][0] == "nobuouematsu" and flac["artist_as"] == "Nobuo Uematsu"
