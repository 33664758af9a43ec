"""What a twentieth pass over real music (an Indian film music, qawwali and Punjabi listener's:
Songs.PK, DJMaza, PagalWorld and Mr-Jatt downloads, JioSaavn's HTML entities, label channels'
YouTube rips, ID3v1 rips, Windows Media Player's "?" for Devanagari, comma lists of singers,
"Ustad" and a qawwal's party) found in the catalog, each case rebuilt here from tiny files."""

from __future__ import annotations

from pathlib import Path

import mutagen
import pytest
from mutagen.id3 import ID3, TALB, TIT2, TPE1

from recsys.catalog import read_music_folder
from recsys.catalog.id3v1 import cut_field
from recsys.catalog.labeluploads import label_channel
from recsys.catalog.model import TrackRecord
from recsys.catalog.sitenames import without_site_names
from recsys.catalog.tagtext import letters_lost, unescaped
from recsys.catalog.uploads import upload_credit
from recsys.labels import label_key
from recsys.query.library import Picker
from recsys.store.base import Hit
from tests.support.tagged_files import tagged_flac


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _mp3(path: Path) -> Path:
    from tests.test_audio_formats import write_tone

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_tone(path, 0.3)


# ---- the download sites' names --------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Arijit Singh - [Songs.PK]", "Arijit Singh"),  # a bracketed site after a dash: the dash too
    ("Aashiqui 2 - [Songs.PK]", "Aashiqui 2"),
    ("Phir Se Ud Chala (Songspk.name)", "Phir Se Ud Chala"),  # a bracket's site of any domain
    ("Bekhayali(PagalWorld.com.se)", "Bekhayali"),
    ("Tujhe Dekha To [Webmusic.IN]", "Tujhe Dekha To"),
    ("Tum Hi Ho - Arijit Singh (Songspk.LINK)", "Tum Hi Ho - Arijit Singh"),
    ("Arijit Singh - SenSongsMp3.Co", "Arijit Singh"),  # after a dash, a long name of any domain
    ("Roja - Masstamilan.In", "Roja"),
    ("Bollywood - DJMaza.Info", "Bollywood"),
    # not sites: a dot in a word, a short dash part, a rapper's name
    ("Song - Vol.in", "Song - Vol.in"), ("Title (feat. will.i.am)", "Title (feat. will.i.am)"),
    ("Dot.com Blues", "Dot.com Blues"), ("Mr. Blue Sky", "Mr. Blue Sky"),
])
def test_the_indian_download_sites_names(text, expected):
    assert without_site_names(text) == expected


def test_a_site_in_the_genre_and_after_a_guest_is_no_part_of_them(tmp_path):
    """DJMaza's genre "Bollywood - DJMaza.Info" was a genre of its own beside "Bollywood", and
    Mr-Jatt's "Sidhu Moose Wala ft. BYG BYRD (Mr-Jatt.com)" credited "BYG BYRD (Mr-Jatt.com)"."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "DJMaza/01.flac", TITLE="Ilahi - DJMaza.Info", ARTIST="Arijit Singh - DJMaza.Info",
                GENRE="Bollywood - DJMaza.Info")
    tagged_flac(lib / "DJMaza/02.flac", TITLE="Kabira", ARTIST="Tochi Raina", GENRE="DJMaza.Info")
    tagged_flac(lib / "Mr-Jatt/So High.flac", TITLE="So High (Mr-Jatt.com)",
                ARTIST="Sidhu Moose Wala ft. BYG BYRD (Mr-Jatt.com)")
    tracks = _read(lib, tmp_path)
    assert tracks["DJMaza/01.flac"].genres == ("Bollywood",)
    assert tracks["DJMaza/02.flac"].genres == ()  # a site's name alone names no genre
    so_high = tracks["Mr-Jatt/So High.flac"]
    assert (so_high.title, so_high.artists) == ("So High", ("Sidhu Moose Wala", "BYG BYRD"))


# ---- tag text: a web API's entities, a frame's lost letters, ID3v1's cut fields -------------


def test_jiosaavns_html_entities_are_their_characters(tmp_path):
    assert unescaped("Tum Hi Ho (From &quot;Aashiqui 2&quot;)") == 'Tum Hi Ho (From "Aashiqui 2")'
    assert unescaped("Rock &#039;n&#x27; Roll") == "Rock 'n' Roll"
    for text in ("AT&T", "R&B", "Simon & Garfunkel", "Tom &amp Jerry"):  # no complete reference
        assert unescaped(text) == text
    lib = tmp_path / "lib"
    tagged_flac(lib / "JioSaavn/01.flac", TITLE="Channa Mereya (From &quot;Ae Dil Hai Mushkil&quot;)",
                ARTIST="Alka Yagnik &amp; Arijit Singh", ALBUM="Kesariya (From &quot;Brahmastra&quot;)")
    t = _read(lib, tmp_path)["JioSaavn/01.flac"]
    assert t.title == 'Channa Mereya (From "Ae Dil Hai Mushkil")'
    assert t.album == 'Kesariya (From "Brahmastra")'
    # the ";" of "&amp;" split the artist: "Alka Yagnik &amp" was an artist of its own
    assert t.artist == "Alka Yagnik & Arijit Singh" and "Alka Yagnik &amp" not in t.artists


def test_letters_a_latin1_frame_lost_are_no_value(tmp_path):
    """Windows Media Player wrote a phone's Hindi songs into Latin-1 frames: "??? ?? ??" by
    "?????? ????" from "????? 2", one artist row of question marks."""
    assert letters_lost("??? ?? ??") and letters_lost("????? 2")
    assert not letters_lost("?") and not letters_lost("Why?") and not letters_lost("Who? What?")
    lib = tmp_path / "lib"
    path = _mp3(lib / "Phone/WMP/Track 01.mp3")
    tags = ID3()
    for frame, text in ((TIT2, "तुम ही हो"), (TPE1, "अरिजीत सिंह"), (TALB, "आशिकी 2")):
        tags.add(frame(encoding=0, text=text.encode("latin-1", "replace").decode("latin-1")))
    tags.save(path, v2_version=3)
    t = _read(lib, tmp_path)["Phone/WMP/Track 01.mp3"]
    assert "?" not in t.title + t.artist + t.album
    assert t.artist == ""


def _id3v1(path: Path, title: str, artist: str, album: str) -> None:
    field = lambda s: s.encode("cp1252")[:30].ljust(30, b"\0")  # noqa: E731
    path.write_bytes(path.read_bytes() + b"TAG" + field(title) + field(artist) + field(album) + b"1998"
                     + b"\0" * 30 + bytes([24]))


def test_an_id3v1_field_cut_at_30_is_its_file_names_whole_title(tmp_path):
    """An old ripper's ID3v1 alone cut "Kuch Kuch Hota Hai (Sad Version)" to "... (Sad Versio"
    (no version mark: the song and its sad version were two songs) and the album "Dilwale
    Dulhania Le Jayenge (Original Soundtrack)" to 30 characters; the file and folder name them whole."""
    lib = tmp_path / "lib"
    album = "Dilwale Dulhania Le Jayenge (Original Soundtrack)"
    cut = _mp3(lib / f"Old Hindi/{album}/Kuch Kuch Hota Hai (Sad Version).mp3")
    _id3v1(cut, "Kuch Kuch Hota Hai (Sad Version)", "Alka Yagnik", album)
    exact = _mp3(lib / "Old Hindi/DDLJ/Tujhe Dekha To Yeh Jaana Sanam.mp3")  # 30 characters, whole
    _id3v1(exact, "Tujhe Dekha To Yeh Jaana Sanam", "Lata Mangeshkar & Kumar Sanu", "DDLJ")
    # an ID3v2 title of 30 characters is its tagger's, whatever the file is named
    v2 = _mp3(lib / "Tagged/Kuch Kuch Hota Hai (Sad Version) [Live].mp3")
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Kuch Kuch Hota Hai (Sad Versio"))
    tags.add(TPE1(encoding=3, text="Alka Yagnik"))
    tags.save(v2)
    tracks = _read(lib, tmp_path)
    sad = tracks[f"Old Hindi/{album}/Kuch Kuch Hota Hai (Sad Version).mp3"]
    assert (sad.title, sad.artist, sad.album) == ("Kuch Kuch Hota Hai (Sad Version)", "Alka Yagnik", album)
    assert tracks["Old Hindi/DDLJ/Tujhe Dekha To Yeh Jaana Sanam.mp3"].title == "Tujhe Dekha To Yeh Jaana Sanam"
    assert tracks["Tagged/Kuch Kuch Hota Hai (Sad Version) [Live].mp3"].title == "Kuch Kuch Hota Hai (Sad Versio"
    assert not cut_field("Kuch Kuch Hota Hai", "Kuch Kuch Hota Hai (Sad Version)")  # 18 characters: whole


# ---- who sings: comma lists, "Ustad", a qawwal's party --------------------------------------


def test_an_honorific_is_no_part_of_an_artists_key():
    assert label_key("Ustad Nusrat Fateh Ali Khan") == label_key("Nusrat Fateh Ali Khan")
    assert label_key("Pandit Ravi Shankar") == label_key("Ravi Shankar") == label_key("Pt. Ravi Shankar")
    assert label_key("Ustad") == "ustad" and label_key("Dr. Dre") == "drdre" and label_key("Pt Cruiser") == "ptcruiser"


def test_a_comma_list_of_singers_and_a_qawwals_party_credit_whom_the_library_knows(tmp_path):
    """Songs.PK's and DJMaza's "Arijit Singh, Antara Mitra", Spotify's "Coke Studio, Rahat Fateh
    Ali Khan, Momina Mustehsan", an OSA cassette's "Nusrat Fateh Ali Khan Qawwal & Party": no
    track of Arijit Singh's, Rahat's or Nusrat's to --artist and the facet."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "a/1.flac", TITLE="Tum Hi Ho", ARTIST="Arijit Singh", ALBUM="Aashiqui 2")
    tagged_flac(lib / "a/2.flac", TITLE="Zaroori Tha", ARTIST="Rahat Fateh Ali Khan", ALBUM="Charkha")
    tagged_flac(lib / "a/3.flac", TITLE="Afreen Afreen", ARTIST="Nusrat Fateh Ali Khan", ALBUM="Sangam")
    tagged_flac(lib / "a/4.flac", TITLE="Helplessly Hoping", ARTIST="Neil Young", ALBUM="Harvest")
    tagged_flac(lib / "b/1.flac", TITLE="Gerua", ARTIST="Arijit Singh, Antara Mitra")
    tagged_flac(lib / "b/2.flac", TITLE="Afreen Afreen", ARTIST="Coke Studio, Rahat Fateh Ali Khan, Momina Mustehsan")
    tagged_flac(lib / "b/3.flac", TITLE="Tumhe Dillagi", ARTIST="Nusrat Fateh Ali Khan Qawwal & Party")
    tagged_flac(lib / "b/4.flac", TITLE="Teach Your Children", ARTIST="Crosby, Stills, Nash & Young")
    tracks = _read(lib, tmp_path)
    assert tracks["b/1.flac"].artists == ("Arijit Singh, Antara Mitra", "Arijit Singh")
    assert tracks["b/2.flac"].artists == ("Coke Studio, Rahat Fateh Ali Khan, Momina Mustehsan", "Rahat Fateh Ali Khan")
    assert tracks["b/3.flac"].artists == ("Nusrat Fateh Ali Khan Qawwal & Party", "Nusrat Fateh Ali Khan")
    assert tracks["b/4.flac"].artists == ()  # one word a part: no "Young" is Neil Young


def test_a_download_named_song_first_is_by_the_librarys_artist_named_last(tmp_path):
    """A folder of downloads named both ways: "Tum Hi Ho - Arijit Singh.mp3" (the Indian sites'
    order) beside "Nusrat Fateh Ali Khan - Mast Qalandar.mp3": "Tum Hi Ho" was the artist."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Tagged/1.flac", TITLE="Channa Mereya", ARTIST="Arijit Singh", ALBUM="ADHM")
    tagged_flac(lib / "Tagged/2.flac", TITLE="Afreen Afreen", ARTIST="Nusrat Fateh Ali Khan", ALBUM="Sangam")
    for name in ("Tum Hi Ho - Arijit Singh", "Nusrat Fateh Ali Khan - Mast Qalandar", "Kesariya - Brahmastra"):
        tagged_flac(lib / f"Loose/{name}.flac")
    tracks = _read(lib, tmp_path)
    assert (tracks["Loose/Tum Hi Ho - Arijit Singh.flac"].title, tracks["Loose/Tum Hi Ho - Arijit Singh.flac"].artist) \
        == ("Tum Hi Ho", "Arijit Singh")
    qalandar = tracks["Loose/Nusrat Fateh Ali Khan - Mast Qalandar.flac"]
    assert (qalandar.title, qalandar.artist) == ("Mast Qalandar", "Nusrat Fateh Ali Khan")
    # neither part an artist of the library: the left part, as before
    assert tracks["Loose/Kesariya - Brahmastra.flac"].artist == "Kesariya"


def test_a_download_named_song_then_film_is_the_librarys_song_of_that_album(tmp_path):
    """"Kesariya - Brahmastra.mp3" (a song and its film, as PagalWorld names them) was a song
    "Brahmastra" by "Kesariya" where the library's tags hold "Kesariya" on the album
    "Brahmastra": it is that song, by its artist, on that album."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Tagged/1.flac", TITLE="Kesariya", ARTIST="Arijit Singh", ALBUM="Brahmastra")
    tagged_flac(lib / "Tagged/2.flac", TITLE="Deva Deva", ARTIST="Arijit Singh", ALBUM="Brahmastra")
    tagged_flac(lib / "Tagged/3.flac", TITLE="Deva Deva", ARTIST="Jonita Gandhi", ALBUM="Brahmastra")
    tagged_flac(lib / "Tagged/4.flac", TITLE="Beat It", ARTIST="Michael Jackson", ALBUM="Thriller")
    for name in ("Kesariya - Brahmastra", "Deva Deva - Brahmastra", "Band - Thriller", "Nusrat Fateh Ali Khan - Afreen"):
        tagged_flac(lib / f"Loose/{name}.flac")
    tracks = _read(lib, tmp_path)
    kesariya = tracks["Loose/Kesariya - Brahmastra.flac"]
    assert (kesariya.title, kesariya.artist, kesariya.album) == ("Kesariya", "Arijit Singh", "Brahmastra")
    deva = tracks["Loose/Deva Deva - Brahmastra.flac"]  # two copies, two artists: the song, no one's
    assert (deva.title, deva.artist, deva.album) == ("Deva Deva", "", "Brahmastra")
    # an album of the library that holds no song of the left's name: "Artist - Title", as before
    band = tracks["Loose/Band - Thriller.flac"]
    assert (band.title, band.artist) == ("Thriller", "Band")


# ---- video downloads: an artist's channel, a label's --------------------------------------------


@pytest.mark.parametrize("title, artist, expected", [
    ("Sidhu Moose Wala - 295 (Official Audio) | The Kidd | Moosetape", "Sidhu Moose Wala", ("295", "Sidhu Moose Wala")),
    ("Diljit Dosanjh: Lover (Official Music Video) Intense | Raj Ranjodh | MoonChild Era", "Diljit Dosanjh",
     ("Lover", "Diljit Dosanjh")),
    ("Brown Munde - AP Dhillon | Gurinder Gill | Shinda Kahlon | GMinxr", "AP Dhillon", ("Brown Munde", "AP Dhillon")),
    ("Diljit Dosanjh: Lover", "Diljit Dosanjh", None),  # a colon's form only where pipes follow
    ("Lightning Crashes - Live", "Live", None),  # the song first only where pipes follow
])
def test_an_artists_upload_with_credits_after_pipes(title, artist, expected):
    assert upload_credit(title, artist) == expected


def test_a_labels_uploads_are_the_librarys_songs_by_its_singers(tmp_path):
    """yt-dlp's rips of T-Series', Sony Music India's and Coke Studio's videos: the video's
    title by the channel. Each is now the song, by the singer the library's copies are by, from
    the film the library has."""
    assert label_channel("T-Series") and label_channel("SonyMusicIndiaVEVO") and label_channel("T-Series Telugu")
    assert not label_channel("Arijit Singh") and not label_channel("Tipsy")
    assert not label_channel("Coke Studio, Rahat Fateh Ali Khan, Momina Mustehsan")  # Spotify's credit, no channel
    lib = tmp_path / "lib"
    itunes = "iTunes/Pritam/Ae Dil Hai Mushkil"
    tagged_flac(lib / f"{itunes}/1.flac", TITLE="Channa Mereya", ARTIST="Arijit Singh",
                ALBUM="Ae Dil Hai Mushkil (Original Motion Picture Soundtrack)")
    tagged_flac(lib / "Aashiqui 2/1.flac", TITLE="Tum Hi Ho", ARTIST="Arijit Singh",
                ALBUM="Aashiqui 2 (Original Motion Picture Soundtrack)")
    tagged_flac(lib / "Aashiqui 2/2.flac", TITLE="Tum Hi Ho (Reprise)", ARTIST="Arijit Singh",
                ALBUM="Aashiqui 2 (Original Motion Picture Soundtrack)")
    tagged_flac(lib / "Coke Studio/1.flac", TITLE="Tajdar-e-Haram", ARTIST="Atif Aslam", ALBUM="Coke Studio Season 8")
    tagged_flac(lib / "Qawwali/1.flac", TITLE="Tajdar-e-Haram", ARTIST="Sabri Brothers", ALBUM="Ya Habib")
    tagged_flac(lib / "Deemix/1.flac", TITLE="Naatu Naatu", ARTIST=["Rahul Sipligunj", "Kaala Bhairava"],
                ALBUM="RRR (Telugu)", COMPOSER="M. M. Keeravaani")
    uploads = {
        "a": ("Full Video: Channa Mereya | Ae Dil Hai Mushkil | Karan Johar | Ranbir | Anushka | Pritam | Arijit",
              "SonyMusicIndiaVEVO"),
        "b": ("Tum Hi Ho Aashiqui 2 Full Song With Lyrics | Aditya Roy Kapur, Shraddha Kapoor", "T-Series"),
        "c": ("Tajdar-e-Haram, Atif Aslam, Coke Studio Season 8, Episode 1.", "Coke Studio"),
        "d": ("Jhoome Jo Pathaan Song | Shah Rukh Khan, Deepika | Vishal & Sheykhar", "YRF"),
        "e": ("Naatu Naatu Full Video Song (Telugu) [4K] | RRR Songs | NTR, Ram Charan | M M Kreem", "T-Series Telugu"),
    }
    for name, (title, channel) in uploads.items():
        tagged_flac(lib / f"YouTube/{name}.flac", TITLE=title, ARTIST=channel)
    tracks = _read(lib, tmp_path)
    got = {n: (tracks[f"YouTube/{n}.flac"].title, tracks[f"YouTube/{n}.flac"].artist, tracks[f"YouTube/{n}.flac"].album)
           for n in uploads}
    assert got["a"] == ("Channa Mereya", "Arijit Singh", "Ae Dil Hai Mushkil (Original Motion Picture Soundtrack)")
    assert got["b"] == ("Tum Hi Ho", "Arijit Singh", "Aashiqui 2 (Original Motion Picture Soundtrack)")
    assert got["c"] == ("Tajdar-e-Haram", "Atif Aslam", "Coke Studio Season 8")  # not the Sabri Brothers'
    assert got["d"] == ("Jhoome Jo Pathaan", "", "")  # a song the library lacks: the channel is no one
    # the copy's credits and composer too: the results' dedup keys the upload as that copy
    naatu = tracks["YouTube/e.flac"]
    assert (naatu.title, naatu.artists, naatu.composer, naatu.album) == (
        "Naatu Naatu", ("Rahul Sipligunj", "Kaala Bhairava"), "M. M. Keeravaani", "RRR (Telugu)")
    picker = Picker()
    copies = [tracks["Deemix/1.flac"], naatu]
    assert [h.track_id for h in (Hit(t.track_id, 1.0, t.payload()) for t in copies) if picker.take(h)] == [copies[0].track_id]
    # a track tagged by "Coke Studio" with its album is the tags' word
    tagged_flac(lib / "Spotify/1.flac", TITLE="Pasoori", ARTIST="Coke Studio", ALBUM="Coke Studio Season 14")
    assert _read(lib, tmp_path)["Spotify/1.flac"].artist == "Coke Studio"
