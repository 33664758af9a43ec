"""Folders that sort music rather than name its artist ("Soulseek", "Sound Effects", "Rock",
"2019", "A-C"): no untagged file takes them as its artist, even with no tagged file beneath
them to show it (``recsys.catalog.categoryfolders``); real artists' folders stay artists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from recsys.catalog import read_catalog
from recsys.catalog.categoryfolders import container_folder, sorting_folder, sorting_folders
from tests.support.tagged_files import tagged_flac
from tests.test_music_folder_tags import _wav

mutagen = pytest.importorskip("mutagen")


def _read(lib: Path, tmp_path: Path) -> dict:
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    return {t.source: (t.artist, t.album) for t in catalog.tracks}


def _untagged(lib: Path, *sources: str) -> None:
    for source in sources:
        _wav(lib / source)


def test_a_container_folder_without_tagged_files_is_no_artist(tmp_path):
    """``Soulseek/<album>/x.flac`` gave the artist "Soulseek", ``Sound Effects/<pack>/x.wav``
    "Sound Effects": no tagged file beneath them said otherwise. Their albums stay."""
    lib = tmp_path / "lib"
    _untagged(lib, "Soulseek/Noiz2sa (2002) [FLAC 24-96]/04. Stage 4.wav",
              "Sound Effects/Garden/bang.wav", "Downloads/Some Album/01 Song.wav",
              "My Music/Rips/02 Song.wav", "Neuer Ordner/Album/01 Lied.wav", "MUSIQUE/Album/01 Chanson.wav",
              "iTunes Media/Album/01 A.wav", "2019/Summer/01 A.wav", "1990s/Mix/01 A.wav", "A-C/Album/01 A.wav",
              "#/Album/01 A.wav", "0-9/Album/01 A.wav")
    tracks = _read(lib, tmp_path)
    assert tracks["Soulseek/Noiz2sa (2002) [FLAC 24-96]/04. Stage 4.wav"] == ("", "Noiz2sa")
    assert tracks["Sound Effects/Garden/bang.wav"] == ("", "Garden")
    assert tracks["Downloads/Some Album/01 Song.wav"] == ("", "Some Album")
    assert tracks["My Music/Rips/02 Song.wav"] == ("", "")  # "Rips" under "My Music": no album either
    for source in ("Neuer Ordner/Album/01 Lied.wav", "MUSIQUE/Album/01 Chanson.wav", "iTunes Media/Album/01 A.wav",
                   "A-C/Album/01 A.wav", "#/Album/01 A.wav", "0-9/Album/01 A.wav"):
        assert tracks[source] == ("", "Album"), source
    assert tracks["2019/Summer/01 A.wav"] == ("", "Summer")
    assert tracks["1990s/Mix/01 A.wav"] == ("", "Mix")


def test_the_soulseek_album_left_behind_gets_no_artist(tmp_path):
    """Once the Kenta Cho album moved out of "Soulseek/", the FLAC album left there went back to
    the artist "Soulseek": the tagged evidence beneath the folder had gone with the album."""
    lib = tmp_path / "lib"
    _untagged(lib, "Soulseek/Kenta Cho - 2002 - Noiz2sa/01 - Stage 1.wav",
              "Soulseek/Noiz2sa (2002) [FLAC 24-96]/04. Stage 4.wav")
    left = "Soulseek/Noiz2sa (2002) [FLAC 24-96]/04. Stage 4.wav"
    assert _read(lib, tmp_path)[left] == ("", "Noiz2sa")
    (lib / "Kenta Cho").mkdir()
    shutil.move(lib / "Soulseek/Kenta Cho - 2002 - Noiz2sa", lib / "Kenta Cho/Noiz2sa (2002)")
    tracks = _read(lib, tmp_path)
    assert tracks["Kenta Cho/Noiz2sa (2002)/01 - Stage 1.wav"] == ("Kenta Cho", "Noiz2sa")
    assert tracks[left] == ("", "Noiz2sa")


def test_the_artist_is_the_nearest_folder_above_the_album_that_is_no_container(tmp_path):
    """``Radiohead/Albums/OK Computer/`` is Radiohead's (it was "Albums"'s);
    ``Soulseek/complete/Noiz2sa/`` is nobody's."""
    lib = tmp_path / "lib"
    _untagged(lib, "Radiohead/Albums/OK Computer/01 Airbag.wav", "Soulseek/complete/Noiz2sa/01 A.wav",
              "Music/Kenta Cho/Singles/01 B.wav")
    tracks = _read(lib, tmp_path)
    assert tracks["Radiohead/Albums/OK Computer/01 Airbag.wav"] == ("Radiohead", "OK Computer")
    assert tracks["Soulseek/complete/Noiz2sa/01 A.wav"] == ("", "Noiz2sa")
    # a container album folder under a real artist is that artist's album ("Singles")
    assert tracks["Music/Kenta Cho/Singles/01 B.wav"] == ("Kenta Cho", "Singles")


def test_a_container_album_folder_without_an_artist_names_no_album(tmp_path):
    """``Music/Soundtracks/x.mp3``: "Music" no artist, "Soundtracks" no album (one album of
    unrelated records otherwise)."""
    lib = tmp_path / "lib"
    _untagged(lib, "Music/Soundtracks/x.wav", "Music/Soundtracks/y.wav", "Radiohead/Singles/Creep.wav")
    tracks = _read(lib, tmp_path)
    assert tracks["Music/Soundtracks/x.wav"] == ("", "")
    assert tracks["Radiohead/Singles/Creep.wav"] == ("Radiohead", "Singles")


def test_genre_folders_are_categories_only_where_the_library_sorts_by_them(tmp_path):
    """"Rock/Album/x" beside "Jazz/Album/y": the library sorts by genre, neither is an artist;
    "Music/Rock/x" and a genre folder holding artist folders are categories too. A genre-named
    folder alone at the top, over album folders only, may be a band's and stays the artist."""
    lib = tmp_path / "lib"
    _untagged(lib, "Sorted/Rock/Album One/01 A.wav", "Sorted/Jazz/Album Two/01 B.wav",
              "Music/Hip-Hop/01 C.wav", "Classical/Bach/Cantatas/01 D.wav", "Classical/Loose Album/01 E.wav",
              "Letters/A/Album/01 G.wav", "Letters/B/Album/01 H.wav")
    tracks = _read(lib, tmp_path)
    assert tracks["Sorted/Rock/Album One/01 A.wav"] == ("", "Album One")
    assert tracks["Sorted/Jazz/Album Two/01 B.wav"] == ("", "Album Two")
    assert tracks["Music/Hip-Hop/01 C.wav"] == ("", "")  # a genre under a container: no album either
    assert tracks["Classical/Bach/Cantatas/01 D.wav"] == ("Bach", "Cantatas")
    assert tracks["Classical/Loose Album/01 E.wav"] == ("", "Loose Album")  # it holds artist folders
    assert tracks["Letters/A/Album/01 G.wav"] == ("", "Album")  # "A" beside "B"


def test_real_artist_folders_stay_artists(tmp_path):
    """Artists whose names share a word with a category, a single letter alone, a band
    called like a genre on its own: all keep their folder's artist; tagged artists are never
    touched, even "Soulseek" or "Rock" in a tag."""
    lib = tmp_path / "lib"
    _untagged(lib, "Radiohead/OK Computer/01 Airbag.wav", "Genesis/Foxtrot/01 Watcher of the Skies.wav",
              "The Doors/The Doors/01 Break On Through.wav", "Music Machine/Turn On/01 Talk Talk.wav",
              "The Sounds/Living in America/01 Seven Days.wav", "X/Los Angeles/01 Your Phone's Off the Hook.wav",
              "Various Artists Tribute Band/Hits/01 A.wav", "1975 Band/Debut/01 A.wav",
              "Soul/Live at Home/01 F.wav")
    tagged_flac(lib / "Soulseek/Tagged/01 A.flac", TITLE="A", ARTIST="Soulseek")
    tagged_flac(lib / "Tags/01 B.flac", TITLE="B", ARTIST="Rock")
    tracks = _read(lib, tmp_path)
    assert tracks["Radiohead/OK Computer/01 Airbag.wav"] == ("Radiohead", "OK Computer")
    assert tracks["Genesis/Foxtrot/01 Watcher of the Skies.wav"] == ("Genesis", "Foxtrot")
    assert tracks["The Doors/The Doors/01 Break On Through.wav"] == ("The Doors", "The Doors")
    assert tracks["Music Machine/Turn On/01 Talk Talk.wav"] == ("Music Machine", "Turn On")
    assert tracks["The Sounds/Living in America/01 Seven Days.wav"][0] == "The Sounds"
    assert tracks["X/Los Angeles/01 Your Phone's Off the Hook.wav"] == ("X", "Los Angeles")
    assert tracks["Various Artists Tribute Band/Hits/01 A.wav"][0] == "Various Artists Tribute Band"
    assert tracks["1975 Band/Debut/01 A.wav"][0] == "1975 Band"
    assert tracks["Soulseek/Tagged/01 A.flac"][0] == "Soulseek"
    assert tracks["Tags/01 B.flac"][0] == "Rock"
    # a genre-named folder alone at the top, over album folders only, may be a band's
    assert tracks["Soul/Live at Home/01 F.wav"] == ("Soul", "Live at Home")


@pytest.mark.parametrize("name", [
    "Downloads", "Music", "My Music", "Musik", "Musique", "iTunes Media", "Unsorted", "New folder",
    "Neuer Ordner", "Nouveau dossier", "Misc", "Other", "Various", "Compilations", "Soundtracks", "OST",
    "Podcasts", "Audiobooks", "Voice Memos", "Recordings", "Ringtones", "Samples", "Sound Effects", "SFX",
    "Torrents", "Soulseek", "Soulseek Downloads", "slsk", "complete", "incoming", "YouTube", "Bandcamp",
    "Rips", "CD Rips", "Singles", "Playlists", "Temp", "Backup", "Music Backup", "Genres", "2019", "1990s",
    "90's", "A-C", "#", "0-9", "música", "SOUND-EFFECTS",
])
def test_container_names(name):
    assert container_folder(name)


@pytest.mark.parametrize("name", [
    "Radiohead", "Genesis", "The Doors", "Music Machine", "The Sounds", "X", "Rock", "1975 Band", "Downloads Live",
    "M.I.A.", "U2", "AC-DC", "A-ha", "Jay-Z",
])
def test_artist_names_are_no_containers(name):
    assert not container_folder(name)


def test_sorting_names_need_the_librarys_evidence():
    assert sorting_folder("Rock") and sorting_folder("hip hop") and sorting_folder("R&B") and sorting_folder("A")
    assert not sorting_folder("Genesis") and not sorting_folder("U2")
    assert sorting_folders(["Rock/Album/x.flac"]) == set()
    assert sorting_folders(["Rock/Album/x.flac", "Jazz/Album/y.flac"]) == {"Rock", "Jazz"}
    assert sorting_folders(["Music/X/Album/x.flac"]) == set()  # "X" under "Music" may be the band X
    assert sorting_folders(["Music/Rock/Album/x.flac"]) == {"Music/Rock"}
    assert sorting_folders(["Pop/Queen/Greatest Hits/CD1/x.flac", "Pop/Album/y.flac"]) == {"Pop"}
    assert sorting_folders(["Soul/Album/CD1/x.flac"]) == set()  # a disc folder is no artist-like folder
