"""What the twenty-eighth real library (an African music listener's: NaijaLoaded, Fakaza,
Trendybeatz downloads beside iTunes albums, Fela, juju, amapiano, rumba) found in the catalog,
each case rebuilt here from tiny files."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from recsys.catalog.promomarks import without_promo_marks
from recsys.catalog.sitenames import site_brands, without_site_brands
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


# ---- a site's name without its domain, where the file names the domain ------------------------

def test_a_sites_name_without_its_domain_goes_where_the_file_names_the_domain(tmp_path):
    """NaijaLoaded's "Last Last | NaijaLoaded" from "Love, Damini | Naijaloaded" by "Burna Boy |
    Naijaloaded.com.ng": the seed "Last Last" was "Last Last | NaijaLoaded" and the album one of
    its own; Fakaza's albums "Scorpion Kings | Fakaza"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Downloads/Burna-Boy-Last-Last-[NaijaLoaded.com.ng].flac", TITLE="Last Last | NaijaLoaded",
                ARTIST="Burna Boy | Naijaloaded.com.ng", ALBUM="Love, Damini | Naijaloaded")
    tagged_flac(lib / "Downloads/Rema - Calm Down.flac", TITLE="Calm Down", ARTIST="Rema | Naijaloaded.com.ng", ALBUM="NaijaLoaded")
    tagged_flac(lib / "Downloads/Kabza De Small & DJ Maphorisa – Asibe Happy [Fakaza.me].flac", TITLE="Asibe Happy",
                ARTIST="Kabza De Small & DJ Maphorisa - Fakaza.me", ALBUM="Scorpion Kings | Fakaza")
    got = {Path(s).stem[:10]: (t.title, t.artist, t.album) for s, t in _read(lib, tmp_path).items()}
    assert got == {"Burna-Boy-": ("Last Last", "Burna Boy", "Love, Damini"), "Rema - Cal": ("Calm Down", "Rema", ""),
                   "Kabza De S": ("Asibe Happy", "Kabza De Small & DJ Maphorisa", "Scorpion Kings")}


def test_a_name_after_a_bar_stays_where_no_site_of_that_name_is_named(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "Music/Essence.flac", TITLE="Essence | Lagos", ARTIST="Wizkid", ALBUM="Made in Lagos | Deluxe")
    tagged_flac(lib / "Music/Ye.flac", TITLE="Ye | Outside", ARTIST="Burna Boy | www.tooxclusive.com", ALBUM="Outside")
    got = {t.title: t.album for t in _read(lib, tmp_path).values()}
    assert got == {"Essence | Lagos": "Made in Lagos | Deluxe", "Ye | Outside": "Outside"}


@pytest.mark.parametrize("texts, brands", [
    (("Burna Boy | Naijaloaded.com.ng",), {"naijaloaded"}),
    (("Olamide – Wo (www.9jaflaver.com).mp3",), {"9jaflaver"}),
    (("9jaflaver.com",), {"9jaflaver"}),
    (("Mr. Blue Sky", "Dot.com Blues", "Essence | Lagos", "Vol.in Love"), set()),
])
def test_the_sites_named_with_their_domains(texts, brands):
    assert site_brands(*texts) == brands


def test_a_sites_name_alone_is_no_album_but_a_title():
    assert without_site_brands("Naijaloaded", frozenset({"naijaloaded"}), alone=True) == ""
    assert without_site_brands("Naijaloaded", frozenset({"naijaloaded"})) == "Naijaloaded"
    assert without_site_brands("Joha (Justnaija)", frozenset({"justnaija"})) == "Joha"


# ---- a music blog's post title as the title tag -------------------------------------------------

@pytest.mark.parametrize("title, expected", [
    ("Download Mp3: Wizkid – Essence ft Tems", "Wizkid – Essence ft Tems"),
    ("Mp3: Burna Boy - Ye", "Burna Boy - Ye"),
    ("Mp3 Download: Fireboy DML – Peru", "Fireboy DML – Peru"),
    ("Download Music: Asake – Joha", "Asake – Joha"),
    ("[Music] Rema – Calm Down", "Rema – Calm Down"),
    ("Music: A Life", "Music: A Life"),  # no "Artist - Title" after it: a title's own
    ("Download", "Download"),
    ("Music", "Music"),
    ("Song: For You", "Song: For You"),
])
def test_a_blogs_post_title_mark_goes_before_artist_and_title(title, expected):
    assert without_promo_marks(title) == expected


def test_a_blogs_post_title_reads_as_the_song_of_the_artist_tag(tmp_path):
    """Trendybeatz's title tag "Download Mp3: Wizkid – Essence ft Tems" by "Wizkid": a seed
    "Essence" found nothing of it."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Downloads/a.flac", TITLE="Download Mp3: Wizkid – Essence ft Tems", ARTIST="Wizkid - Trendybeatz.com")
    tagged_flac(lib / "Downloads/b.flac", TITLE="Mp3: Burna Boy - Ye", ARTIST="Burna Boy")
    got = sorted((t.title, t.artist) for t in _read(lib, tmp_path).values())
    assert got == [("Essence ft Tems", "Wizkid"), ("Ye", "Burna Boy")]


# ---- a download blog's slug as the file name ----------------------------------------------------

def test_a_blogs_slug_names_the_tagged_artist_and_the_song(tmp_path):
    """Untagged "Burna-Boy-Last-Last-[NaijaLoaded.com.ng].mp3" was the title
    "Burna-Boy-Last-Last-" (and kept "Davido_-_Fall_(NetNaija.com)" beside it from being read),
    "Olamide-Wo-[TooXclusive.com]" one by the folder "Loose"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Music/Burna Boy/Ye.flac", TITLE="Ye", ARTIST="Burna Boy")
    tagged_flac(lib / "Music/Wizkid/Essence.flac", TITLE="Essence", ARTIST="Wizkid", ALBUM="Made in Lagos")
    tagged_flac(lib / "Music/Tems/Damages.flac", TITLE="Damages", ARTIST="Tems")
    tagged_flac(lib / "Music/Olamide/Science Student.flac", TITLE="Science Student", ARTIST="Olamide")
    tagged_flac(lib / "Download/Burna-Boy-Last-Last-[NaijaLoaded.com.ng].flac")
    tagged_flac(lib / "Download/Davido_-_Fall_(NetNaija.com).flac")
    tagged_flac(lib / "Download/Wizkid-Ft-Tems-Essence-[TooXclusive.com].flac")
    tagged_flac(lib / "Loose/Olamide-Wo-[TooXclusive.com].flac")
    got = {s: (t.title, t.artist) for s, t in _read(lib, tmp_path).items() if not s.startswith("Music/")}
    assert got == {"Download/Burna-Boy-Last-Last-[NaijaLoaded.com.ng].flac": ("Last Last", "Burna Boy"),
                   "Download/Davido_-_Fall_(NetNaija.com).flac": ("Fall", "Davido"),
                   "Download/Wizkid-Ft-Tems-Essence-[TooXclusive.com].flac": ("Essence", "Wizkid Ft Tems"),
                   "Loose/Olamide-Wo-[TooXclusive.com].flac": ("Wo", "Olamide")}


@pytest.mark.parametrize("stem", [
    "Jay-Z", "Wu-Tang-Forever", "01-burna-boy-ye", "Burna-Boy", "Some-Other-Song", "Burna Boy - Ye",
])
def test_a_hyphened_name_no_tagged_artist_begins_stays(stem):
    from recsys.catalog.slugnames import slug_name
    from recsys.labels import label_key
    assert slug_name(stem, frozenset(map(label_key, ("Burna Boy", "Jay-Z")))) == stem


# ---- an artist folder's longer names of its artist ----------------------------------------------

def _fela(lib: Path) -> None:
    tagged_flac(lib / "FLAC/Fela Kuti/1972 - Shakara/01 - Lady.flac", TITLE="Lady", ARTIST="Fela Ransome-Kuti and the Africa '70",
                ALBUMARTIST="Fela Ransome-Kuti and the Africa '70", ALBUM="Shakara")
    tagged_flac(lib / "FLAC/Fela Kuti/1975 - Expensive Shit/01 - Water No Get Enemy.flac", TITLE="Water No Get Enemy",
                ARTIST="Fela Anikulapo Kuti", ALBUMARTIST="Fela Anikulapo Kuti", ALBUM="Expensive Shit")
    tagged_flac(lib / "FLAC/Fela Kuti/2009 - The Best of the Black President/01 - Lady.flac", TITLE="Lady", ARTIST="Fela Kuti",
                ALBUMARTIST="Fela Kuti", ALBUM="The Best of the Black President")
    tagged_flac(lib / "FLAC/Femi Kuti/1998 - Shoki Shoki/01 - Beng Beng Beng.flac", TITLE="Beng Beng Beng", ARTIST="Femi Kuti",
                ALBUMARTIST="Femi Kuti", ALBUM="Shoki Shoki")
    tagged_flac(lib / "YouTube/Fela Kuti - Zombie.flac", TITLE="Zombie", ARTIST="Fela Kuti")


def test_an_artist_folders_longer_names_of_its_artist_are_one_artist(tmp_path):
    """``Fela Kuti/`` holds his 1972 record as "Fela Ransome-Kuti and the Africa '70", his 1975
    one as "Fela Anikulapo Kuti": the facet showed him in three rows and "Lady" was an error
    naming two artists."""
    lib = tmp_path / "lib"
    _fela(lib)
    keys = {t.source.rpartition("/")[2]: t.payload()["artist_key"] for t in read_music_folder(lib, tmp_path / "covers").tracks}
    fela = "felakuti"
    for name in ("01 - Lady.flac", "01 - Water No Get Enemy.flac", "Fela Kuti - Zombie.flac"):
        assert fela in keys[name] and "felaanikulapokuti" in keys[name] and "felaransomekuti" in keys[name], name
    assert keys["01 - Beng Beng Beng.flac"] == "femikuti"  # his son: another first name, another artist


def test_a_band_a_longer_name_leads_credits_him(tmp_path):
    lib = tmp_path / "lib"
    _fela(lib)
    lady = next(t for t in read_music_folder(lib, tmp_path / "covers").tracks if t.album == "Shakara")
    assert lady.artists == ("Fela Ransome-Kuti and the Africa '70", "Fela Ransome-Kuti")


@pytest.mark.parametrize("name, folder, same", [
    ("Fela Anikulapo Kuti", "Fela Kuti", True),
    ("Fela Ransome-Kuti", "Fela Kuti", True),
    ("John Towner Williams", "John Williams", True),
    ("Franco Luambo Makiadi", "Franco", True),
    ("Femi Kuti", "Fela Kuti", False),  # another first name
    ("Mulatu Astatqé", "Mulatu Astatke", False),  # another spelling, not a longer name
    ("Nusrat Fateh Ali Khan Qawwal", "Nusrat Fateh Ali Khan", False),  # a last word of its own
    ("Fela Kuti", "Fela Kuti", False),  # the same name: nothing to join
])
def test_a_longer_name_keeps_the_folders_first_and_last_names(name, folder, same):
    from recsys.catalog.foldernames import folder_name_of
    assert folder_name_of(name, folder) is same


def test_no_artist_folder_no_joined_names(tmp_path):
    """The same names loose in a downloads folder: nothing vouches that they are one man."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Downloads/a.flac", TITLE="Lady", ARTIST="Fela Ransome-Kuti")
    tagged_flac(lib / "Downloads/b.flac", TITLE="Lady", ARTIST="Fela Kuti")
    assert sorted(t.payload()["artist_key"] for t in read_music_folder(lib, tmp_path / "covers").tracks) == ["felakuti", "felaransomekuti"]


# ---- a genre named in a title -------------------------------------------------------------------

def test_a_genre_in_a_titles_brackets_or_after_its_bar_is_the_songs_genre(tmp_path):
    """Fakaza's "Abalele (Amapiano)" beside the YouTube rip "Abalele (Official Audio) | Amapiano"
    (no genre tag): two titles, and the seed "Abalele" an error naming both."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Downloads/a.flac", TITLE="Abalele (Amapiano)", ARTIST="Kabza De Small & DJ Maphorisa", GENRE="Amapiano")
    tagged_flac(lib / "YouTube/b.flac", TITLE="Abalele (Official Audio) | Amapiano", ARTIST="Kabza De Small & DJ Maphorisa")
    tagged_flac(lib / "YouTube/c.flac", TITLE="Mnike (Amapiano) Ft. DJ Maphorisa", ARTIST="Tyler ICU")
    tagged_flac(lib / "YouTube/d.flac", TITLE="Tanzania (Amapiano Mix)", ARTIST="Uncle Waffles")  # a version's name
    got = {s.rpartition("/")[2]: (t.title, t.genres) for s, t in _read(lib, tmp_path).items()}
    assert got == {"a.flac": ("Abalele", ("Amapiano",)), "b.flac": ("Abalele", ("Amapiano",)),
                   "c.flac": ("Mnike Ft. DJ Maphorisa", ("Amapiano",)), "d.flac": ("Tanzania (Amapiano Mix)", ())}


def test_a_genre_the_songs_other_copies_lack_names_a_version(tmp_path):
    """"Kesariya (LoFi)" beside the film's "Kesariya" (Bollywood) is its lo-fi version; "Song
    (Live)" stays where "Live" is a genre of the library too."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Film/a.flac", TITLE="Kesariya", ARTIST="Arijit Singh", GENRE="Bollywood")
    tagged_flac(lib / "Lofi/b.flac", TITLE="Kesariya (LoFi)", ARTIST="Arijit Singh", GENRE="Lofi")
    tagged_flac(lib / "Live/c.flac", TITLE="Zombie (Live)", ARTIST="Fela Kuti", GENRE="Live")
    tagged_flac(lib / "Mix/d.flac", TITLE="Ye (Afrobeats)", ARTIST="Burna Boy", GENRE="Lofi")  # its own tag says otherwise
    tagged_flac(lib / "Mix/e.flac", TITLE="Last Last", ARTIST="Burna Boy", GENRE="Afrobeats")
    assert sorted(t.title for t in _read(lib, tmp_path).values()) == ["Kesariya", "Kesariya (LoFi)", "Last Last", "Ye (Afrobeats)", "Zombie (Live)"]
