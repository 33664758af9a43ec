"""What an eighteenth pass over real music (a vinyl and cassette digitiser's: needle drops named
by their sides' positions, whole sides in one file, Discogs-tagged rips, 12"s titled by their
mixes, cassettes, declicked and second rips) found in the catalog and the results' dedup, each
case rebuilt here from tiny files and names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from mutagen.id3 import ID3, TIT2, TPE1, TXXX
from PIL import Image

from recsys.catalog import read_music_folder
from recsys.catalog.albumfolders import album_folder
from recsys.catalog.comments import ripper_note
from recsys.catalog.model import TrackRecord
from recsys.catalog.vinylsides import position_order
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _untagged(path: Path) -> Path:
    return tagged_flac(path)


# ---- a record's positions in the file names -------------------------------------------------


def test_a_needle_drops_positions_are_no_artist_nor_part_of_the_title(tmp_path):
    lib = tmp_path / "lib"
    zep = "Needle Drops/Led Zeppelin - IV (1971) [Vinyl Rip]"
    for name in ("A1 - Led Zeppelin - Black Dog", "A2 - Led Zeppelin - Rock and Roll", "B1 - Led Zeppelin - Misty Mountain Hop"):
        _untagged(lib / zep / f"{name}.flac")
    joni = "Needle Drops/Joni Mitchell - Blue (1971) [LP]"
    for name in ("A1. All I Want", "A2. My Old Man", "B3. River"):
        _untagged(lib / joni / f"{name}.flac")
    heads = "Needle Drops/Talking Heads - Remain in Light (1980) (Vinyl Rip)"
    for name in ("01 - A1 - Born Under Punches", "04 - B1 - Once in a Lifetime"):
        _untagged(lib / heads / f"{name}.flac")
    single = "7'' Singles/The Beatles - Penny Lane + Strawberry Fields Forever (1967) [7'' Single]"
    for name in ("A-Side - Penny Lane", "AA-Side - Strawberry Fields Forever"):
        _untagged(lib / single / f"{name}.flac")
    tracks = _read(lib, tmp_path)
    got = {(t.title, t.artist, t.album, t.year) for t in tracks.values()}
    assert ("Black Dog", "Led Zeppelin", "IV", 1971) in got  # was "Led Zeppelin - Black Dog" by "A1"
    assert ("Misty Mountain Hop", "Led Zeppelin", "IV", 1971) in got
    assert ("River", "Joni Mitchell", "Blue", 1971) in got  # was "B3. River" by no one
    assert ("Once in a Lifetime", "Talking Heads", "Remain in Light", 1980) in got  # was by "B1"
    assert ("Strawberry Fields Forever", "The Beatles", "Penny Lane + Strawberry Fields Forever", 1967) in got  # by "AA-Side"


def test_a_name_that_only_looks_like_a_position_keeps_it(tmp_path):
    lib = tmp_path / "lib"
    # a band named "A": one "position" in the whole folder is its name
    for name in ("A - Nothing", "A - Something"):
        _untagged(lib / "Downloads" / f"{name}.flac")
    _untagged(lib / "Loose/A-Ha - Take on Me.flac")  # a hyphen of the name, alone in its folder
    tracks = _read(lib, tmp_path)
    assert tracks["Downloads/A - Nothing.flac"].artist == "A"
    assert tracks["Loose/A-Ha - Take on Me.flac"].title == "Take on Me"
    assert tracks["Loose/A-Ha - Take on Me.flac"].artist == "A-Ha"


def test_a_side_of_ten_tracks_or_more_is_read_in_the_records_order(tmp_path):
    """The catalog lists an album in its files' order, and sorted as text "A10" came before
    "A2": a long side's tenth track read second."""
    lib = tmp_path / "lib"
    album = "Needle Drops/Various - Long Side (1975) [Vinyl Rip]"
    names = [f"A{n} - Song {n}" for n in range(1, 12)] + ["B1 - Song 12", "B2 - Song 13"]
    for name in names:
        _untagged(lib / album / f"{name}.flac")
    _untagged(lib / "Singles/Band - Song/A - Song.flac")  # a single's sides keep theirs: A < AA
    _untagged(lib / "Singles/Band - Song/AA - Other Song.flac")
    order = [t.source for t in read_music_folder(lib, tmp_path / "covers").tracks]
    assert order[:len(names)] == [f"{album}/{name}.flac" for name in names]
    assert order[len(names):] == ["Singles/Band - Song/A - Song.flac", "Singles/Band - Song/AA - Other Song.flac"]


@pytest.mark.parametrize("names", [
    ("A1 - x.flac", "A2 - x.flac", "A10 - x.flac", "AA - x.flac", "B1 - x.flac"),
    ("01 - A1 - x.flac", "02 - A2 - x.flac", "10 - A10 - x.flac", "11 - B1 - x.flac"),
    ("A - x.flac", "A1 - x.flac", "A2. x.flac", "Abba - x.flac", "B. B. King - x.flac"),
    ("01 Song.flac", "02 Song.flac", "10 Song.flac", "Artist - Song.flac", "cover.jpg"),
])
def test_position_order_sorts_a_records_positions_and_leaves_other_names(names):
    assert sorted(reversed(names), key=position_order) == list(names)


def test_a_tape_is_no_artist_of_its_side(tmp_path):
    lib = tmp_path / "lib"
    cure = "Tapes/The Cure - Standing on a Beach (1986) [Cassette Rip]"
    for name in ("Tape 1 - Side 1", "Tape 1 - Side 2"):
        _untagged(lib / cure / f"{name}.flac")
    _untagged(lib / "Tapes/Mixtapes/Mixtape for Sarah (C60)/Side A.flac")
    tracks = _read(lib, tmp_path)
    side = tracks[f"{cure}/Tape 1 - Side 2.flac"]
    assert (side.title, side.artist, side.album) == ("Tape 1 - Side 2", "The Cure", "Standing on a Beach")  # not by "Tape 1"
    mixtape = tracks["Tapes/Mixtapes/Mixtape for Sarah (C60)/Side A.flac"]
    assert (mixtape.artist, mixtape.album) == ("", "Mixtape for Sarah")  # "Tapes" is no one, "(C60)" no title


def test_a_title_tag_filled_from_the_name_loses_its_position(tmp_path):
    lib = tmp_path / "lib"
    folder = lib / "Vinyl/Kate Bush - Hounds of Love (1985) [Vinyl 24-192]"
    tagged_flac(folder / "A1 - Running Up That Hill.flac", title="A1 - Running Up That Hill", artist="Kate Bush", tracknumber="A1")
    tagged_flac(folder / "b2.flac", title="B2. Jig of Life", artist="Kate Bush", tracknumber="B2")
    # another position than the file's stays: the title's own ("B4 the Storm" is no B4 here)
    tagged_flac(folder / "x.flac", title="A1 - Highway", artist="Kate Bush", tracknumber="3")
    titles = {t.source.rpartition("/")[2]: t.title for t in _read(lib, tmp_path).values()}
    assert titles == {"A1 - Running Up That Hill.flac": "Running Up That Hill", "b2.flac": "Jig of Life", "x.flac": "A1 - Highway"}


# ---- a vinyl rip's folders -------------------------------------------------------------------


def test_a_digitisers_shelves_are_no_artists(tmp_path):
    lib = tmp_path / "lib"
    _untagged(lib / "Tapes/John Peel Show 1979-12-05 [Tape Rip]/Tape 1 Side A.flac")
    _untagged(lib / "Needle Drops/Some Rip (1979)/Side A.flac")
    _untagged(lib / "7'' Singles/Some Single/A.flac")
    tracks = _read(lib, tmp_path)
    # "Tapes", "Needle Drops" and "7'' Singles" were the artists of every untagged rip beneath them
    assert {t.artist for t in tracks.values()} == {""}
    assert tracks["Tapes/John Peel Show 1979-12-05 [Tape Rip]/Tape 1 Side A.flac"].album == "John Peel Show 1979-12-05"


@pytest.mark.parametrize("name, album, artist, year", [
    ("Joni Mitchell - Blue (1971) [LP]", "Blue", "Joni Mitchell", 1971),
    ("Pink Floyd - The Dark Side of the Moon (1973) [Vinyl 24-96] {Catalog No. SHVL 804}", "The Dark Side of the Moon", "Pink Floyd", 1973),
    ("Fleetwood Mac - Rumours (1977) [FLAC 24bit-96kHz]", "Rumours", "Fleetwood Mac", 1977),
    ("Marvin Gaye - What's Going On (1971) (Vinyl Rip)", "What's Going On", "Marvin Gaye", 1971),
    ("Stevie Wonder - Songs in the Key of Life (1976) [2LP] [Vinyl 24-96]", "Songs in the Key of Life", "Stevie Wonder", 1976),
    ("Nirvana (2) - Rainbow Chaser (1968) [7'' Single]", "Rainbow Chaser", "Nirvana (2)", 1968),
    ("Can - Tago Mago (1971) [2LP] [Discogs]", "Tago Mago", "Can", 1971),
    ("Bob Marley & The Wailers - Legend (1984) [Cassette Rip]", "Legend", "Bob Marley & The Wailers", 1984),
    ("Miles Davis - Kind of Blue (1959) [Vinyl 24-96] [Mono]", "Kind of Blue", "Miles Davis", 1959),
])
def test_a_vinyl_rips_folder_gives_its_artist_album_and_year(name, album, artist, year):
    found = album_folder(name)
    assert (found.album, found.artist, found.year) == (album, artist, year)


@pytest.mark.parametrize("name, album", [
    ("Live at Donington (1991) [Bootleg]", "Live at Donington (1991) [Bootleg]"),  # no format: as it was
    ("Mr Beast [EP]", "Mr Beast [EP]"),
    ("Noiz2sa (2002) [FLAC 24-96]", "Noiz2sa"),
])
def test_other_album_folders_read_as_before(name, album):
    assert album_folder(name).album == album and album_folder(name).artist == ""


def test_a_double_lps_record_folders_and_its_scans_give_the_cover(tmp_path):
    lib = tmp_path / "lib"
    album = lib / "Vinyl/Stevie Wonder - Songs in the Key of Life (1976) [2LP]"
    tagged_flac(album / "LP1/A1 - Love's in Need of Love Today.flac", title="Love's in Need of Love Today", artist="Stevie Wonder")
    tagged_flac(album / "LP2/C1 - Isn't She Lovely.flac", title="Isn't She Lovely", artist="Stevie Wonder")
    Image.new("RGB", (8, 8), (200, 120, 40)).save(album / "folder.jpg")
    heads = lib / "Vinyl/Talking Heads - Remain in Light (1980)"
    tagged_flac(heads / "B1 - Once in a Lifetime.flac", title="Once in a Lifetime", artist="Talking Heads")
    (heads / "Scans").mkdir()
    Image.new("RGB", (8, 8), (250, 250, 250)).save(heads / "Scans/Label A.jpg")  # a label: no cover
    Image.new("RGB", (8, 8), (200, 30, 30)).save(heads / "Scans/Front.jpg")
    covers = {t.source.rpartition("/")[2]: t.cover_path for t in _read(lib, tmp_path).values()}
    assert covers["C1 - Isn't She Lovely.flac"] == album / "folder.jpg"  # "LP2" was an album without one
    assert covers["B1 - Once in a Lifetime.flac"] == heads / "Scans/Front.jpg"


def test_the_scans_folders_are_found_without_listing_a_folder_twice(tmp_path, monkeypatch):
    """The walk lists each folder once and the lookups beside a track share its names
    (``listing``): looking for a "Scans/" below an album with no cover lists no folder again
    (on a NAS a listing is a round trip, and most rips' folders have no cover file)."""
    import os
    from collections import Counter

    lib = tmp_path / "lib"
    for n in range(3):
        tagged_flac(lib / f"Band/Album {n}/01 Song.flac", title=f"Song {n}", artist="Band")
    heads = lib / "Talking Heads - Remain in Light (1980)"
    tagged_flac(heads / "LP1/B1 - Once in a Lifetime.flac", title="Once in a Lifetime", artist="Talking Heads")
    (heads / "Scans").mkdir()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(heads / "Scans/Front.jpg")
    listed: Counter = Counter()
    real = os.scandir

    def counting(path=".", *a, **kw):
        listed[os.fspath(path)] += 1
        return real(path, *a, **kw)

    monkeypatch.setattr(os, "scandir", counting)
    covers = {t.source.rpartition("/")[2]: t.cover_path for t in _read(lib, tmp_path).values()}
    monkeypatch.undo()
    assert covers["B1 - Once in a Lifetime.flac"] == heads / "Scans/Front.jpg"
    assert covers["01 Song.flac"] is None
    twice = {path: n for path, n in listed.items() if n > 1 and path.startswith(str(lib))}
    assert twice == {}


# ---- what a digitiser's tags hold ------------------------------------------------------------


@pytest.mark.parametrize("note", [
    "Technics SL-1210MK2 > Ortofon 2M Blue > Pro-Ject Tube Box > RME ADI-2 > Audacity",
    "SBD > DAT > CD > EAC > FLAC",
    "ClickRepair 20%, DeCrackle 10",
    "rip2: new stylus (Ortofon 2M Black), 24/192",
    "Nakamichi BX-300, Dolby B, azimuth adjusted",
])
def test_a_transfers_notes_are_no_description(note):
    assert ripper_note(note)


@pytest.mark.parametrize("text", ["Love > Fear > Hope", "TDK SA90, 45 min a side, taped off Radio 1 and my records",
                                  "Recorded at Van Gelder Studio, Hackensack, NJ, June 29, 1954"])
def test_a_description_that_names_no_transfer_stays(text):
    assert not ripper_note(text)


def test_discogs_styles_are_genres(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "Can/a.flac", title="Paperhouse", artist="Can", genre=["Electronic", "Rock"], style=["Krautrock", "Experimental"])
    mp3 = lib / "Neu/b.mp3"
    mp3.parent.mkdir(parents=True)
    sf.write(mp3, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Hallogallo")); tags.add(TPE1(encoding=3, text="Neu!"))
    tags.add(TXXX(encoding=3, desc="STYLE", text="Krautrock"))
    tags.save(mp3)
    genres = {t.title: t.genres for t in _read(lib, tmp_path).values()}
    assert genres == {"Paperhouse": ("Electronic", "Rock", "Krautrock", "Experimental"), "Hallogallo": ("Krautrock",)}


def test_a_discogs_number_goes_unless_it_tells_two_artists_apart(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "h/a.flac", title="Watussi", artist="Harmonia (2)", albumartist="Harmonia (2)", album="Musik von Harmonia")
    tagged_flac(lib / "h/b.flac", title="Ahoi!", artist="Harmonia (2) feat. Brian Eno", album="Tracks and Traces")
    # the British band of 1967 beside the American one: Discogs' number is what tells them apart
    tagged_flac(lib / "n/a.flac", title="Rainbow Chaser", artist="Nirvana (2)")
    tagged_flac(lib / "n/b.flac", title="About a Girl", artist="Nirvana")
    tracks = {t.title: t for t in _read(lib, tmp_path).values()}
    assert (tracks["Watussi"].artist, tracks["Watussi"].album_artist) == ("Harmonia", "Harmonia")
    assert tracks["Ahoi!"].artist == "Harmonia feat. Brian Eno"
    assert tracks["Ahoi!"].artists == ("Harmonia", "Brian Eno")
    assert (tracks["Rainbow Chaser"].artist, tracks["About a Girl"].artist) == ("Nirvana (2)", "Nirvana")


def test_a_12_inchs_mixes_are_its_songs(tmp_path):
    lib = tmp_path / "lib"
    rain = lib / "Vinyl Rips/Kerri Chandler - Rain (1998) [12'' Vinyl]"
    for pos, mix in (("A1", "Original Mix"), ("B1", "Dub"), ("B2", "Kerri Chandler Remix")):
        tagged_flac(rain / f"{pos}. {mix}.flac", title=mix, artist="Kerri Chandler", album="Rain", tracknumber=pos)
    # a lone "Instrumental" on an album, and a double A-side's mixes, name no one song
    tagged_flac(lib / "LP/x.flac", title="Instrumental", artist="Band", album="Songs")
    tagged_flac(lib / "LP/y.flac", title="Song", artist="Band", album="Songs")
    for mix in ("Original Mix", "Dub"):
        tagged_flac(lib / f"AA/{mix}.flac", title=mix, artist="Mr. Fingers", album="Washing Machine / Can You Feel It")
    titles = sorted(t.title for t in _read(lib, tmp_path).values())
    assert titles == ["Dub", "Instrumental", "Original Mix", "Rain (Dub)", "Rain (Kerri Chandler Remix)", "Rain (Original Mix)", "Song"]
