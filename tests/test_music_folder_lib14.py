"""What a fourteenth pass over real music (a live-concert taper's archive: etree.org show folders
and Live Music Archive downloads, untagged "gd77-05-08d1t01.flac" files beside the show's info
file, checksums, an item's ``_files.xml`` and ``_meta.xml``, a show in 16- and 24-bit copies)
found in the music-folder reader, each case rebuilt here from tiny files made on the fly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.showinfo import read_show_info, song_title
from recsys.catalog.tapershows import show_file
from recsys.query.titlekeys import version_key
from tests.support.tagged_files import tagged_flac

SR = 8000


def _flac(path: Path, n: int) -> Path:
    """An untagged FLAC, its tone its own (no two files of a show byte for byte alike)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(SR // 4) / SR
    sf.write(path, (0.3 * np.sin(2 * np.pi * (200 + 20 * n) * t)).astype(np.float32), SR, format="FLAC")
    return path


def _show(folder: Path, names: list[str], info: tuple[str, str] | None = None) -> None:
    for n, name in enumerate(names):
        _flac(folder / name, n)
    if info is not None:
        (folder / info[0]).write_text(info[1], encoding="utf-8")
    (folder / "checksums.md5").write_text("".join(f"0123 *{n}\n" for n in names))


def _read(lib: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


CORNELL = """Grateful Dead
May 8, 1977
Barton Hall, Cornell University
Ithaca, NY

Source: SBD > Reel > DAT > CD > EAC > SHN
shnid: 4982

Disc One
Set I
d1t01 - New Minglewood Blues [5:32]
d1t02 - Loser [7:16]

Disc Two
Set II
d2t01 - Scarlet Begonias -> [11:14]
d2t02 - Fire On The Mountain*
E: d2t03 - One More Saturday Night [5:01]

* with a cut at 3:10
"""


def test_an_etree_show_is_read_with_its_info_file(tmp_path):
    """A show's untagged files ("gd77-05-08d1t01.flac") were songs titled by their file names,
    by no one, of no album: a whole archive of nameless tracks. They take the setlist's songs by
    disc and track, without segue marks, durations and a note's "*", the band as artist, the
    show as album and its year."""
    lib = tmp_path / "lib"
    folder = lib / "gd1977-05-08.sbd.hicks.4982.sbeok.shnf"
    _show(folder, ["gd77-05-08d1t01.flac", "gd77-05-08d1t02.flac", "gd77-05-08d2t01.flac",
                   "gd77-05-08d2t02.flac", "gd77-05-08d2t03.flac"], ("gd1977-05-08.sbd.hicks.4982.sbeok.txt", CORNELL))
    tracks = _read(lib, tmp_path)
    got = [(t.title, t.artist, t.album, t.year) for _, t in sorted(tracks.items())]
    album = "1977-05-08 - Barton Hall, Cornell University"
    assert got == [("New Minglewood Blues", "Grateful Dead", album, 1977), ("Loser", "Grateful Dead", album, 1977),
                   ("Scarlet Begonias", "Grateful Dead", album, 1977), ("Fire On The Mountain", "Grateful Dead", album, 1977),
                   ("One More Saturday Night", "Grateful Dead", album, 1977)]


def test_numbered_setlists_per_disc_across_the_show_and_by_order(tmp_path):
    """The info file's other shapes: "01." numbered again under each "Disc 2:" header, a
    one-line "Phish - December 31, 1997" and "Madison Square Garden, New York, NY"; numbers
    across the show with the venue before the date ("moe2003-07-04t07"); songs unnumbered under
    "Set I:" and "Encore:" (by order, as many as the files); an unnumbered encore after "11."."""
    lib = tmp_path / "lib"
    _show(lib / "ph1997-12-31.mtx.flac16", ["ph971231d1t01.flac", "ph971231d1t02.flac", "ph971231d2t01.flac"],
          ("info.txt", "Phish\n12/31/97\nMadison Square Garden\nNew York, NY\n\nDisc 1:\nSet I:\n01. Tube [8:34]\n"
                       "02. Ya Mar >\n\nDisc 2:\nE: 01. Bold As Love\n"))
    _show(lib / "ph1997-12-31.mtx.flac24", ["ph1997-12-31d1t01.flac", "ph1997-12-31d1t02.flac", "ph1997-12-31d2t01.flac"],
          ("ph1997-12-31.mtx.flac24.txt", "Phish - December 31, 1997\nMadison Square Garden, New York, NY\n\n"
                                          "Lineage: Matrix > SD 722 > FLAC\n\nSet 1\nd1t01. Tube\nd1t02. Ya Mar ->\n\nEncore\nd2t01. Bold As Love\n"))
    _show(lib / "moe2003-07-04.aud.flac24", ["moe2003-07-04t01.flac", "moe2003-07-04t02.flac", "moe2003-07-04t03.flac"],
          ("moe2003-07-04.aud.txt", "moe.\nSummer Camp Music Festival\nThree Sisters Park, Chillicothe, IL\n2003-07-04\n\n"
                                    "Set 1:\n1. Buster >\n2. Timmy Tucker\n\nSet 2:\n3. Plane Crash\n"))
    _show(lib / "gd1972-05-03.aud.flac16", ["gd72-05-03d1t01.flac", "gd72-05-03d1t02.flac", "gd72-05-03d1t03.flac"],
          ("info.txt", "Grateful Dead\n1972-05-03\nOlympia Theatre, Paris, France\n\naud > cassette > DAT > CD\n\n"
                       "Set I:\nBertha >\nSugaree\n\nEncore:\nJohnny B. Goode\n\n** do not sell **\n"))
    _show(lib / "gd1977-05-09.sbd.flac16", [f"gd77-05-09d1t{i:02d}.flac" for i in (1, 2, 3)],
          ("info.txt", "Grateful Dead\n5/9/77\nWar Memorial, Buffalo, NY\n\n1. Bertha\n2. Sugar Magnolia\nE: Johnny B. Goode\n"))
    tracks = _read(lib, tmp_path)
    by_folder: dict[str, list[tuple[str, str, str]]] = {}
    for source, t in sorted(tracks.items()):
        by_folder.setdefault(source.split("/")[0], []).append((t.title, t.artist, t.album))
    msg = "1997-12-31 - Madison Square Garden"
    assert by_folder["ph1997-12-31.mtx.flac16"] == [("Tube", "Phish", msg), ("Ya Mar", "Phish", msg), ("Bold As Love", "Phish", msg)]
    assert by_folder["ph1997-12-31.mtx.flac24"] == by_folder["ph1997-12-31.mtx.flac16"]  # one show, two copies
    summer = "2003-07-04 - Summer Camp Music Festival"
    assert by_folder["moe2003-07-04.aud.flac24"] == [("Buster", "moe.", summer), ("Timmy Tucker", "moe.", summer), ("Plane Crash", "moe.", summer)]
    assert [t for t, _, _ in by_folder["gd1972-05-03.aud.flac16"]] == ["Bertha", "Sugaree", "Johnny B. Goode"]
    assert by_folder["gd1972-05-03.aud.flac16"][0][2] == "1972-05-03 - Olympia Theatre, Paris, France"
    assert by_folder["gd1977-05-09.sbd.flac16"] == [(t, "Grateful Dead", "1977-05-09 - War Memorial")
                                                    for t in ("Bertha", "Sugar Magnolia", "Johnny B. Goode")]
    # two shows' "Bertha": versions of one song to the results' dedup, as a "(Live)" title is
    berthas = [t for t in tracks.values() if t.title == "Bertha"]
    assert len(berthas) == 2 and len({version_key(t.title, t.artist) for t in berthas}) == 1
    assert version_key("Bertha (Live)", "Grateful Dead") == version_key(berthas[0].title, berthas[0].artist)


def test_an_archive_download_is_read_with_its_files_and_meta_xml(tmp_path):
    """An item downloaded from the Live Music Archive without an info file: its ``_files.xml``
    titles each file (an original's entry, else its derivative's, "_vbr.mp3"), its
    ``_meta.xml`` names the band, date and venue."""
    lib = tmp_path / "lib"
    folder = lib / "lotus2010-03-12.matrix.flac"
    _show(folder, ["lotus2010-03-12t01.flac", "lotus2010-03-12t02.flac", "lotus2010-03-12t03.flac"])
    (folder / "lotus2010-03-12.matrix.flac_files.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<files>\n'
        '<file name="lotus2010-03-12t01.flac" source="original"><creator>Lotus</creator><title>Bellwether</title>'
        '<album>2010-03-12 - Higher Ground</album><track>01</track><format>Flac</format></file>\n'
        '<file name="lotus2010-03-12t02_vbr.mp3" source="derivative"><creator>Lotus</creator><title>Sid&apos;s Fun</title>'
        '<original>lotus2010-03-12t02.flac</original></file>\n'
        '<file name="lotus2010-03-12t03.png" source="derivative"><format>PNG</format></file>\n</files>\n')
    (folder / "lotus2010-03-12.matrix.flac_meta.xml").write_text(
        "<metadata><identifier>lotus2010-03-12.matrix.flac</identifier><creator>Lotus</creator><date>2010-03-12</date>"
        "<venue>Higher Ground</venue><coverage>South Burlington, VT</coverage></metadata>")
    tracks = _read(lib, tmp_path)
    got = [(t.title, t.artist, t.album, t.year) for _, t in sorted(tracks.items())]
    assert got == [("Bellwether", "Lotus", "2010-03-12 - Higher Ground", 2010),
                   ("Sid's Fun", "Lotus", "2010-03-12 - Higher Ground", 2010),
                   ("lotus2010-03-12t03", "Lotus", "2010-03-12 - Higher Ground", 2010)]  # no title anywhere: its name


def test_only_etree_names_with_their_shows_text_are_read_so(tmp_path):
    """Conservative: a text that does not write the show's date (a ripper's log, a note), a band
    line the file names do not abbreviate, files named another way beside an "info.txt" and a
    tagged file are read as they were; a show whose text is not read names its band by the
    abbreviation alone (``etreebands``), its songs by nothing."""
    lib = tmp_path / "lib"
    _show(lib / "gd1977-05-08.sbd.flac16", ["gd77-05-08d1t01.flac"], ("info.txt", "Grateful Dead\n1977-05-09\nBarton Hall\n\n1. Bertha\n"))
    _show(lib / "ph1997-12-31.flac16", ["ph971231d1t01.flac"], ("info.txt", "Trey Anastasio\n1997-12-31\nMSG\n\n1. Tube\n"))
    _show(lib / "Grateful Dead/Europe '72", ["01 Bertha.flac"], ("info.txt", "Ripped with EAC\n1972-05-03\n\n1. Bertha\n"))
    _show(lib / "sts92005-12-31.sbd.flac16", ["sts92005-12-31d1t01.flac"])
    tagged_flac(lib / "gd1972-05-03.aud/gd72-05-03d1t01.flac", title="Bertha (Paris)", artist="GD")
    (lib / "gd1972-05-03.aud/info.txt").write_text("Grateful Dead\n1972-05-03\nOlympia\n\n1. Bertha\n")
    tracks = _read(lib, tmp_path)
    other_date = tracks["gd1977-05-08.sbd.flac16/gd77-05-08d1t01.flac"]  # the text: not the show's
    assert (other_date.title, other_date.artist, other_date.album) == ("gd77-05-08d1t01", "Grateful Dead", "1977-05-08")
    trey = tracks["ph1997-12-31.flac16/ph971231d1t01.flac"]
    assert (trey.title, trey.artist, trey.album) == ("Tube", "", "1997-12-31 - MSG")  # no band the name abbreviates
    assert tracks["Grateful Dead/Europe '72/01 Bertha.flac"].album == "Europe '72"
    bare = tracks["sts92005-12-31.sbd.flac16/sts92005-12-31d1t01.flac"]
    assert (bare.title, bare.artist, bare.album) == ("sts92005-12-31d1t01", "Sound Tribe Sector 9", "2005-12-31")
    paris = tracks["gd1972-05-03.aud/gd72-05-03d1t01.flac"]
    assert (paris.title, paris.artist, paris.album) == ("Bertha (Paris)", "GD", "")


def test_setlist_lines_and_show_names():
    """The pieces: a setlist line's marks, the etree names (a date that is no date is none)."""
    assert song_title("Scarlet Begonias -> [11:14]") == "Scarlet Begonias"
    assert song_title("E: Johnny B. Goode*") == "Johnny B. Goode"
    assert song_title("> Not Fade Away > (9:08)") == "Not Fade Away"
    assert song_title("Playing In The Band (Reprise)") == "Playing In The Band (Reprise)"
    assert show_file("ph971231d2t05.flac").__dict__ == {"band": "ph", "date": date(1997, 12, 31), "disc": 2, "track": 5}
    assert show_file("moe2003-07-04t12.flac").disc is None
    assert show_file("gd77-05-08d1t01_vbr.mp3").track == 1
    assert show_file("sts92005-12-31d1t01.flac").band == "sts9"
    assert show_file("gd77-13-45d1t01.flac") is None and show_file("track01.flac") is None
    info = read_show_info("Grateful Dead\n05/08/77\nBarton Hall\n\nd1t01 Bertha\n", date(1977, 5, 8), "gd")
    assert info is not None and (info.band, info.venue, [e.title for e in info.entries]) == ("Grateful Dead", "Barton Hall", ["Bertha"])
    assert read_show_info("Grateful Dead\n05/09/77\nBarton Hall\n", date(1977, 5, 8), "gd") is None


def test_an_item_xml_in_an_encoding_python_lacks_is_no_xml(tmp_path):
    """A damaged or foreign ``_files.xml``/``_meta.xml`` whose declaration names an encoding
    expat cannot read ("x-mac-roman", a multi-byte "Shift_JIS") raised LookupError/ValueError
    out of the whole folder's read; it is no item XML, like any unparsable one."""
    from recsys.catalog.tapershows import item_files, item_meta

    for n, encoding in enumerate(("x-mac-roman", "Shift_JIS", "bogus")):
        path = tmp_path / f"item{n}_files.xml"
        path.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?><files><file name="a.flac">'
                         '<title>Bertha</title></file></files>'.encode())
        assert item_files(path) == {}
        meta = tmp_path / f"item{n}_meta.xml"
        meta.write_bytes(f'<?xml version="1.0" encoding="{encoding}"?><metadata><creator>Lotus</creator></metadata>'.encode())
        assert item_meta(meta) is None
    lib = tmp_path / "lib"
    folder = lib / "lotus2010-03-12.matrix.flac"
    _show(folder, ["lotus2010-03-12t01.flac"])
    (folder / "lotus2010-03-12.matrix.flac_files.xml").write_bytes(
        b'<?xml version="1.0" encoding="x-mac-roman"?><files></files>')
    assert _read(lib, tmp_path)["lotus2010-03-12.matrix.flac/lotus2010-03-12t01.flac"].title == "lotus2010-03-12t01"


def test_a_one_line_header_gives_the_band_before_the_date_and_the_venue_after_it():
    """"Phish - 12/31/97 - Madison Square Garden - New York, NY", a header in one line: the band
    was the whole line without its date ("Phish -   - Madison Square Garden - New York, NY"),
    every track's artist, and the show had no venue."""
    info = read_show_info("Phish - 12/31/97 - Madison Square Garden - New York, NY\n\n1. Tube\n2. Carini\n",
                          date(1997, 12, 31), "ph")
    assert info is not None and (info.band, info.venue, info.city) == ("Phish", "Madison Square Garden", "New York, NY")
    info = read_show_info("Phish 1997-12-31 Madison Square Garden, New York, NY\n\n1. Tube\n", date(1997, 12, 31), "ph")
    assert info is not None and (info.band, info.venue, info.city) == ("Phish", "Madison Square Garden", "New York, NY")
    info = read_show_info("1977-05-08 - Grateful Dead - Barton Hall\n\n1. Bertha\n", date(1977, 5, 8), "gd")
    assert info is not None and (info.band, info.venue) == ("Grateful Dead", "Barton Hall")
    info = read_show_info("Grateful Dead\nMay 8, 1977\nBarton Hall\nIthaca, NY\n\n1. Bertha\n", date(1977, 5, 8), "gd")
    assert info is not None and (info.band, info.venue, info.city) == ("Grateful Dead", "Barton Hall", "Ithaca, NY")


def test_an_info_file_saved_as_utf16_is_read(tmp_path):
    """Windows' Notepad saves "Unicode" as UTF-16 with a byte-order mark: read as cp1252 its
    every other byte was a NUL, no date matched and the show's files stayed nameless."""
    lib = tmp_path / "lib"
    folder = lib / "gd1977-05-08.sbd.flac16"
    _show(folder, ["gd77-05-08d1t01.flac", "gd77-05-08d1t02.flac"])
    (folder / "gd1977-05-08.txt").write_bytes(
        "Grateful Dead\r\nMay 8, 1977\r\nBarton Hall\r\n\r\nd1t01 - New Minglewood Blues\r\nd1t02 - Loser\r\n".encode("utf-16"))
    tracks = _read(lib, tmp_path)
    assert [t.title for _, t in sorted(tracks.items())] == ["New Minglewood Blues", "Loser"]
