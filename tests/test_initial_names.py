"""An artist tagged by initials (``recsys.catalog.initialnames``): lib20's "NFAK" and "N.F.A.K."
beside "Nusrat Fateh Ali Khan" are his; a band named by capitals ("ABBA", "MGMT"), letters two
artists fit, a name the library files albums under and three letters stay as tagged."""

from __future__ import annotations

from pathlib import Path

from recsys.catalog import read_music_folder
from tests.support.tagged_files import tagged_flac

NFAK = "Nusrat Fateh Ali Khan"


def _artists(lib: Path, tmp_path: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {t.title: (t.artist, t.artists) for t in read_music_folder(lib, tmp_path / "covers").tracks}


def test_initials_are_the_one_artist_of_the_library_they_stand_for(tmp_path):
    """Run together or dotted, alone or with a guest; the library's most common spelling of
    him ("Ustad" is no word of his name); its key his, one facet row and one artist node."""
    lib = tmp_path / "lib"
    for i in range(2):
        tagged_flac(lib / f"Best/0{i}.flac", TITLE=f"Qawwali {i}", ARTIST=f"Ustad {NFAK}", ALBUM="Best Of")
    tagged_flac(lib / "Sangam/01.flac", TITLE="Afreen", ARTIST=NFAK, ALBUM="Sangam")
    tagged_flac(lib / "OSA/01.flac", TITLE="Halka Halka Suroor", ARTIST="NFAK", ALBUM="OSA Vol. 26")
    tagged_flac(lib / "OSA/02.flac", TITLE="Mast Qalandar", ARTIST="N.F.A.K.", ALBUM="OSA Live")
    tagged_flac(lib / "OSA/03.flac", TITLE="Duet", ARTIST="NFAK feat. Michael Brook", ALBUM="OSA Live")
    tagged_flac(lib / "X/01.flac", TITLE="Dancing Queen", ARTIST="ABBA", ALBUM="Arrival")
    got = _artists(lib, tmp_path)
    assert got["Halka Halka Suroor"] == (f"Ustad {NFAK}", ())
    assert got["Mast Qalandar"] == (f"Ustad {NFAK}", ())
    assert got["Duet"] == ("NFAK feat. Michael Brook", (f"Ustad {NFAK}", "Michael Brook"))
    assert got["Dancing Queen"] == ("ABBA", ())
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["Halka Halka Suroor"].payload()["artist_key"] == tracks["Afreen"].payload()["artist_key"]


def test_letters_the_library_knows_as_a_name_or_two_artists_fit_stay_as_tagged(tmp_path):
    """"MGMT" filed as its own album artist beside a "Mark Grant Mike Taylor"; "NFAK" where a
    "Naseer Farooq Ahmed Khan" fits too; "NFAK" beside a MusicBrainz id of that name; three
    letters ("NFK" beside "Nusrat Fateh Khan"); a library without the four-word artist."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "MGMT/01.flac", TITLE="Kids", ARTIST="MGMT", ALBUM="Oracular Spectacular", ALBUMARTIST="MGMT")
    tagged_flac(lib / "M/01.flac", TITLE="Other", ARTIST="Mark Grant Mike Taylor", ALBUM="M")
    tagged_flac(lib / "N/01.flac", TITLE="Afreen", ARTIST=NFAK, ALBUM="Sangam")
    tagged_flac(lib / "N/02.flac", TITLE="Ghazal", ARTIST="Naseer Farooq Ahmed Khan", ALBUM="Ghazals")
    tagged_flac(lib / "N/03.flac", TITLE="Halka", ARTIST="NFAK", ALBUM="OSA")
    tagged_flac(lib / "F/01.flac", TITLE="Three", ARTIST="NFK", ALBUM="F")
    tagged_flac(lib / "F/02.flac", TITLE="Fateh", ARTIST="Nusrat Fateh Khan", ALBUM="F")
    got = _artists(lib, tmp_path)
    assert got["Kids"][0] == "MGMT" and got["Halka"][0] == "NFAK" and got["Three"][0] == "NFK"
    ids = tmp_path / "ids"
    tagged_flac(ids / "N/01.flac", TITLE="Afreen", ARTIST=NFAK, ALBUM="Sangam")
    tagged_flac(ids / "N/03.flac", TITLE="Halka", ARTIST="NFAK", ALBUM="OSA",
                MUSICBRAINZ_ARTISTID="0c0c0c0c-1111-4222-8333-444444444444")
    assert _artists(ids, tmp_path)["Halka"][0] == "NFAK"
    alone = tmp_path / "alone"
    tagged_flac(alone / "N/03.flac", TITLE="Halka", ARTIST="NFAK", ALBUM="OSA")
    assert _artists(alone, tmp_path)["Halka"][0] == "NFAK"


def test_a_library_without_capitals_asks_no_name_twice(monkeypatch):
    """The pass's first look (any initials at all?) asks each distinct name once, and only a
    name of capitals: it matched every name of every track against the pattern before, about
    150,000 a read of a 50,000-file library."""
    from recsys.catalog import initialnames
    from recsys.catalog.model import TrackRecord

    asked: list[str] = []
    real = initialnames._letters

    def counted(name: str) -> str:
        asked.append(name)
        return real(name)

    monkeypatch.setattr(initialnames, "_letters", counted)
    tracks = [TrackRecord(track_id=str(i), title=f"Song {i}", artist="Nusrat Fateh Ali Khan" if i % 2 else "REM",
                          album_artist="Various Artists") for i in range(100)]
    assert initialnames.initials_as_names(tracks) is tracks
    assert asked == ["REM"]
