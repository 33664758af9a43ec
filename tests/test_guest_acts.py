"""A duo or band credited as a guest (``recsys.catalog.guestbands``): "feat. Wisin y Yandel"
beside the duo's own albums is one guest, not "Wisin" and "Yandel"; guests the library knows
only apart stay apart. Libraries built on the fly."""

from __future__ import annotations

from pathlib import Path

from recsys.catalog import read_music_folder
from tests.support.tagged_files import tagged_flac


def _artists(lib: Path, tmp_path: Path) -> dict[str, tuple[str, ...]]:
    return {t.title: t.artists for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _library(lib: Path) -> None:
    tagged_flac(lib / "WY/01 Rakata.flac", TITLE="Rakata", ARTIST="Wisin y Yandel", ALBUM="Pa'l Mundo")
    tagged_flac(lib / "EWF/01 September.flac", TITLE="September", ARTIST="Earth, Wind & Fire", ALBUM="The Best")
    tagged_flac(lib / "MD/01 So What.flac", TITLE="So What", ARTIST="Miles Davis", ALBUM="Kind of Blue")
    tagged_flac(lib / "MDJC/01 Two.flac", TITLE="Two", ARTIST="Miles Davis & John Coltrane", ALBUM="Together")
    tagged_flac(lib / "DY/01 Mayor.flac", TITLE="Mayor Que Yo", ARTIST="Daddy Yankee feat. Wisin y Yandel",
                ALBUM="Mas Flow")
    tagged_flac(lib / "DY/02 Noche.flac", TITLE="Noche de Entierro (feat. Wisin & Yandel)", ARTIST="Daddy Yankee",
                ALBUM="Mas Flow")
    tagged_flac(lib / "DY/03 Rompe.flac", TITLE="Rompe", ARTIST="Daddy Yankee feat. Wisin y Yandel, Zion & Lennox",
                ALBUM="Mas Flow")
    tagged_flac(lib / "X/01 Boogie.flac", TITLE="Boogie", ARTIST="The Emotions feat. Earth, Wind & Fire", ALBUM="X")
    tagged_flac(lib / "X/02 Blue.flac", TITLE="Blue", ARTIST="Cannonball feat. Miles Davis & John Coltrane", ALBUM="X")
    tagged_flac(lib / "X/03 Apart.flac", TITLE="Apart (feat. Yandel)", ARTIST="Tito feat. Wisin", ALBUM="X")
    tagged_flac(lib / "X/04 Hits.flac", TITLE="Hits", ARTIST="Metro feat. Future & Young Thug", ALBUM="X")


def test_a_guest_act_the_library_knows_is_one_guest(tmp_path):
    """In the artist tag or in the title's "(feat. ...)", with "y" or "&" (the library's
    spelling credited), beside other guests; a band of words ("Earth, Wind & Fire") too; a
    member the library knows as an artist of his own stays credited after it (``leaders``)."""
    lib = tmp_path / "lib"
    _library(lib)
    got = _artists(lib, tmp_path)
    assert got["Mayor Que Yo"] == ("Daddy Yankee", "Wisin y Yandel")
    assert got["Noche de Entierro (feat. Wisin & Yandel)"] == ("Daddy Yankee", "Wisin y Yandel")
    assert got["Rompe"] == ("Daddy Yankee", "Wisin y Yandel", "Zion", "Lennox")
    assert got["Boogie"] == ("The Emotions", "Earth, Wind & Fire")
    assert got["Blue"] == ("Cannonball", "Miles Davis & John Coltrane", "Miles Davis")


def test_guests_the_library_knows_apart_or_credits_apart_stay_apart(tmp_path):
    """No act of the library, or its two names written in two places (the artist tag's guest
    and the title's): each guest as ``credits`` reads them; a library without the duo as well."""
    lib = tmp_path / "lib"
    _library(lib)
    got = _artists(lib, tmp_path)
    assert got["Hits"] == ("Metro", "Future", "Young Thug")
    assert got["Apart (feat. Yandel)"] == ("Tito", "Wisin", "Yandel")
    alone = tmp_path / "alone"
    tagged_flac(alone / "DY/01 Mayor.flac", TITLE="Mayor Que Yo", ARTIST="Daddy Yankee feat. Wisin y Yandel")
    assert _artists(alone, tmp_path)["Mayor Que Yo"] == ("Daddy Yankee", "Wisin", "Yandel")


def test_the_guest_act_is_keyed_for_its_artist_filter(tmp_path):
    lib = tmp_path / "lib"
    _library(lib)
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    keys = tracks["Mayor Que Yo"].payload()["artist_key"]
    assert "wisinyandel" in keys and "wisin" not in keys and "yandel" not in keys


def test_a_classical_performer_lists_people_are_no_guest_act(tmp_path):
    """lib11's La Bohème: "Luciano Pavarotti, Mirella Freni, Berliner Philharmoniker, Herbert
    von Karajan" beside a CONDUCTOR tag is credited whole, then its people (``performers``);
    the library's "Berliner Philharmoniker, Herbert von Karajan" (the symphonies' artist) is
    two of them, not an act the opera's list names as a guest."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Sym/01 Fifth.flac", TITLE="Fifth", ARTIST="Berliner Philharmoniker, Herbert von Karajan",
                ALBUM="Symphonies", CONDUCTOR="Herbert von Karajan", ENSEMBLE="Berliner Philharmoniker")
    tagged_flac(lib / "Boheme/01 Act I.flac", TITLE="Act I", ALBUM="La Bohème", CONDUCTOR="Herbert von Karajan",
                ARTIST="Luciano Pavarotti, Mirella Freni, Berliner Philharmoniker, Herbert von Karajan",
                PERFORMER=["Luciano Pavarotti (tenor)", "Mirella Freni (soprano)"])
    assert _artists(lib, tmp_path)["Act I"][1:] == (
        "Luciano Pavarotti", "Mirella Freni", "Berliner Philharmoniker", "Herbert von Karajan")


def test_a_performer_list_an_albums_tracks_share_is_keyed_once_an_album(monkeypatch):
    """The pass keys each run of a track's guests (28 runs of 8): a classical collector's
    50,000 tracks of 8 performers each took 3.5 s CPU in it, keyed again for every track of
    an album crediting one list. Keyed once an album (and the title only for a run the library
    knows as an act), the same answers."""
    from recsys import labels
    from recsys.catalog import guestbands
    from recsys.catalog.model import TrackRecord

    people = [f"{f} {s}" for f in ("Anna", "Boris", "Clara", "David") for s in ("Berg", "Chung", "Kremer", "Levit")]
    tracks = []
    for album in range(20):  # 20 albums of 10 tracks, each album's 8 performers credited on every track
        performers = tuple(people[(album + k) % len(people)] for k in range(8))
        for n in range(10):
            tracks.append(TrackRecord(track_id=f"t{album}-{n}", title=f"Sonata {album} {n}",
                                      artist=", ".join(performers), artists=(", ".join(performers), *performers)))
    for remembered in (getattr(guestbands, "_joined", None), getattr(guestbands, "_key", None)):
        getattr(remembered, "cache_clear", lambda: None)()
    keyed = []
    words = labels._words
    monkeypatch.setattr(labels, "_words", lambda text: keyed.append(text) or words(text))
    assert guestbands.joined_guest_acts(tracks) == tracks  # no act among them: every track as it was
    assert len(keyed) < 1_000  # 6,216 keyed before: each run once a track
