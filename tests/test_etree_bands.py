"""A taper's show folder with no text beside its files (``recsys.catalog.etreebands``): the
band its files' etree abbreviation names ("gd77-05-08d1t01.flac": Grateful Dead), the show's
date as its album and its year; a band only where nothing better names it."""

from __future__ import annotations

from datetime import date

from recsys.catalog.etreebands import ETREE_BANDS, etree_band, tape_folder
from recsys.catalog.showinfo import fits_abbreviation, read_show_info
from tests.support.tagged_files import tagged_flac
from tests.test_music_folder_lib14 import _read, _show


def _names(tracks: dict, source: str) -> tuple:
    t = tracks[source]
    return t.title, t.artist, t.album, t.year


def test_a_bare_show_folder_is_its_bands_by_the_abbreviation(tmp_path):
    """No info file, no Archive XML, only the checksums: the band, the show's date as album, the
    year; each file keeps its name as its title (no setlist says more)."""
    lib = tmp_path / "lib"
    _show(lib / "gd1977-05-08.sbd.hicks.shnf", ["gd77-05-08d1t01.flac", "gd77-05-08d2t01.flac"])
    _show(lib / "wsp2001-04-20.aud.flac16", ["wsp2001-04-20t01.flac"])
    _show(lib / "sci2004-07-04.flac", ["sci04-07-04d1t01.flac"])
    _show(lib / "moe2003-07-04.aud", ["moe2003-07-04t02.flac"])
    tracks = _read(lib, tmp_path)
    assert _names(tracks, "gd1977-05-08.sbd.hicks.shnf/gd77-05-08d2t01.flac") == (
        "gd77-05-08d2t01", "Grateful Dead", "1977-05-08", 1977)
    assert _names(tracks, "wsp2001-04-20.aud.flac16/wsp2001-04-20t01.flac") == (
        "wsp2001-04-20t01", "Widespread Panic", "2001-04-20", 2001)
    assert _names(tracks, "sci2004-07-04.flac/sci04-07-04d1t01.flac") == (
        "sci04-07-04d1t01", "The String Cheese Incident", "2004-07-04", 2004)
    assert _names(tracks, "moe2003-07-04.aud/moe2003-07-04t02.flac") == ("moe2003-07-04t02", "moe.", "2003-07-04", 2003)


def test_a_folder_naming_a_band_tags_and_other_names_say_more(tmp_path):
    """A folder above that names a band keeps it (the table is the last word, not the first);
    one that sorts shows ("Tapes", "Live") names none. A show folder a person named is the
    album; a year folder or the show's etree identifier is not (the date is). An abbreviation
    not in the table, a name that is not the taper pattern alone, a tagged file: as before."""
    lib = tmp_path / "lib"
    _show(lib / "Grateful Dead/1979/gd1979-05-08", ["gd79-05-08d1t01.flac"])
    _show(lib / "Phish/gd1980-05-08", ["gd80-05-08d1t01.flac"])  # the person's own filing wins
    _show(lib / "Grateful Dead/gd77-05-08 Barton Hall", ["gd77-05-08d1t01.flac"])  # an album a person named
    _show(lib / "Grateful Dead/1978", ["gd78-05-08d1t01.flac"])  # a year: no album
    _show(lib / "Tapes/ph1997-12-31.sbd", ["ph971231d1t01.flac"])
    _show(lib / "Live/dmb1996-08-12", ["dmb96-08-12d1t01.flac"])
    _show(lib / "xyz2005-01-01", ["xyz2005-01-01d1t01.flac"])
    _show(lib / "gd1972-05-03", ["gd72-05-03d1t01 Bertha.flac"])
    tagged_flac(lib / "gd1974-06-18/gd74-06-18d1t01.flac", TITLE="Eyes of the World", ARTIST="The Dead")
    tracks = _read(lib, tmp_path)
    assert _names(tracks, "Grateful Dead/1979/gd1979-05-08/gd79-05-08d1t01.flac")[1:] == (
        "Grateful Dead", "1979-05-08", 1979)
    assert _names(tracks, "Phish/gd1980-05-08/gd80-05-08d1t01.flac")[1:] == ("Phish", "1980-05-08", 1980)
    assert _names(tracks, "Grateful Dead/gd77-05-08 Barton Hall/gd77-05-08d1t01.flac")[1:] == (
        "Grateful Dead", "gd77-05-08 Barton Hall", 1977)
    assert _names(tracks, "Grateful Dead/1978/gd78-05-08d1t01.flac")[1:] == ("Grateful Dead", "1978-05-08", 1978)
    assert _names(tracks, "Tapes/ph1997-12-31.sbd/ph971231d1t01.flac")[1:] == ("Phish", "1997-12-31", 1997)
    assert _names(tracks, "Live/dmb1996-08-12/dmb96-08-12d1t01.flac")[1:] == ("Dave Matthews Band", "1996-08-12", 1996)
    assert _names(tracks, "xyz2005-01-01/xyz2005-01-01d1t01.flac") == ("xyz2005-01-01d1t01", "", "", None)
    assert _names(tracks, "gd1972-05-03/gd72-05-03d1t01 Bertha.flac")[1:3] == ("", "")
    assert _names(tracks, "gd1974-06-18/gd74-06-18d1t01.flac")[:3] == ("Eyes of the World", "The Dead", "")


def test_an_info_file_beside_the_files_is_read_before_the_table(tmp_path):
    """The show's info file names the band (and its spelling) where it has one; a header line
    the abbreviation does not fit ("Trey Anastasio" over "ph") leaves the band unnamed rather
    than the table's guess."""
    lib = tmp_path / "lib"
    _show(lib / "gd1977-05-08", ["gd77-05-08d1t01.flac"], ("info.txt", "The Grateful Dead\n1977-05-08\nBarton Hall\n\n1. Bertha\n"))
    _show(lib / "ph1997-12-31", ["ph971231d1t01.flac"], ("info.txt", "Trey Anastasio\n1997-12-31\nMSG\n\n1. Tube\n"))
    tracks = _read(lib, tmp_path)
    assert _names(tracks, "gd1977-05-08/gd77-05-08d1t01.flac") == ("Bertha", "The Grateful Dead", "1977-05-08 - Barton Hall", 1977)
    assert _names(tracks, "ph1997-12-31/ph971231d1t01.flac")[:2] == ("Tube", "")


def test_a_leading_the_is_no_part_of_the_abbreviation():
    """"sci" is "The String Cheese Incident", "abb" "The Allman Brothers Band": an info file
    headed so names its band (the abbreviation's first letter is not the article's)."""
    assert fits_abbreviation("The String Cheese Incident", "sci")
    assert fits_abbreviation("The Allman Brothers Band", "abb")
    assert not fits_abbreviation("Trey Anastasio", "ph")
    info = read_show_info("The String Cheese Incident\n2004-07-04\nRed Rocks\n\n1. Rivertrance\n", date(2004, 7, 4), "sci")
    assert info is not None and info.band == "The String Cheese Incident"


def test_the_table_agrees_with_the_info_file_reader():
    """Each band is one its abbreviation fits, as an info file's band line must be; the lookup
    reads the name's case as the pattern does; a folder that sorts shows is no band."""
    assert all(key == key.casefold() and fits_abbreviation(band, key) for key, band in ETREE_BANDS.items())
    assert etree_band("GD") == "Grateful Dead" and etree_band("xyz") == ""
    assert tape_folder("Tapes") and tape_folder("live") and not tape_folder("Grateful Dead")
