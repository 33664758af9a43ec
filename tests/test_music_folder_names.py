"""Artist and title from the file names of untagged music files ("Daft Punk - One More
Time.mp3" in a Downloads folder), decided per folder as beets' ``fromfilename`` does; tagged
files and names that fit no rule read as before. Every library is a few tiny files made on the
fly: WAVs without tags, FLACs with Vorbis comments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")
SR = 8000


def _wav(path: Path) -> Path:
    """An untagged file: a WAV has no tags unless given some."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(SR // 8, dtype=np.float32), SR)
    return path


def _flac(path: Path, **tags: str | list[str]) -> Path:
    return tagged_flac(path, seconds=0.125, **tags)


def _read(lib: Path, tmp_path: Path) -> dict[str, TrackRecord]:
    return {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}


def _fields(track: TrackRecord) -> tuple:
    """What the name rules may change: title, artist, credited artists, album, album artist."""
    return track.title, track.artist, track.artists, track.album, track.album_artist


def _tagged_library(lib: Path) -> None:
    """Tagged files whose names look like "Artist - Title": the tags win, always."""
    _flac(lib / "Tagged Artist/Tagged Album/01 - Other Artist - Song.flac",
          artist="Tagged Artist", title="Song", album="Tagged Album")
    _flac(lib / "Downloads/Daft Punk - One More Time.flac", artist="Daft Punk", title="One More Time")
    _flac(lib / "Downloads/Air - Sexy Boy.flac", albumartist="Air", title="Sexy Boy", album="Moon Safari")
    _flac(lib / "Downloads/X - Y.flac", artist="Drake feat. Rihanna", title="Work")
    _flac(lib / "Mix/Jay-Z - Song.flac", artist="Someone Else", title="Song")
    _flac(lib / "Mix/Title - Artist.flac", artist="A Band")  # no title tag: the name, whole
    _flac(lib / "Mix/Only Album - 03 - Title.flac", albumartist="Album Band")
    _flac(lib / "Solo/Some Album/Song_With_Underscores.flac", artist="Solo", album="Some Album")


#: source -> (title, artist, artists, album, album artist), as read before names gave artists
TAGGED = {
    "Downloads/Air - Sexy Boy.flac": ("Sexy Boy", "Air", (), "Moon Safari", "Air"),
    "Downloads/Daft Punk - One More Time.flac": ("One More Time", "Daft Punk", (), "", ""),
    "Downloads/X - Y.flac": ("Work", "Drake feat. Rihanna", ("Drake", "Rihanna"), "", ""),
    "Mix/Jay-Z - Song.flac": ("Song", "Someone Else", (), "", ""),
    "Mix/Only Album - 03 - Title.flac": ("Only Album - 03 - Title", "Album Band", (), "", ""),
    "Mix/Title - Artist.flac": ("Title - Artist", "A Band", (), "", ""),
    "Solo/Some Album/Song_With_Underscores.flac": ("Song_With_Underscores", "Solo", (), "Some Album", ""),
    "Tagged Artist/Tagged Album/01 - Other Artist - Song.flac": ("Song", "Tagged Artist", (), "Tagged Album", ""),
}


def test_a_tagged_library_reads_as_before(tmp_path):
    lib = tmp_path / "lib"
    _tagged_library(lib)
    assert {source: _fields(t) for source, t in _read(lib, tmp_path).items()} == TAGGED


#: untagged files whose names fit no rule: source -> (title, artist, artists, album, album artist)
UNRULED = {
    # an album folder where only some names split: no artist from names, "Song - Live" stays whole
    "Band/Album/01 - Song.wav": ("Song", "Band", (), "Album", ""),
    "Band/Album/02 - Song - Live.wav": ("Song - Live", "Band", (), "Album", ""),
    # "NN - Title": nothing to split
    "Other Band/Other Album/01 First.wav": ("First", "Other Band", (), "Other Album", ""),
    "Other Band/Other Album/02 - Second.wav": ("Second", "Other Band", (), "Other Album", ""),
    "Other Band/Other Album/3. Third.wav": ("Third", "Other Band", (), "Other Album", ""),
    # a bare hyphen is no separator
    "Loose/Jay-Z.wav": ("Jay-Z", "", (), "", ""),
    "Some_Song.wav": ("Some_Song", "", (), "", ""),
    "07 loose two.wav": ("loose two", "", (), "", ""),
    # a part that is only a number where no artist can be
    "Numbers/Song - 03.wav": ("Song - 03", "", (), "", ""),
    "Numbers/01 - 02 - Song.wav": ("02 - Song", "", (), "", ""),
}


def test_names_that_fit_no_rule_read_as_before(tmp_path):
    lib = tmp_path / "lib"
    for source in UNRULED:
        _wav(lib / source)
    assert {source: _fields(t) for source, t in _read(lib, tmp_path).items()} == UNRULED


def test_the_name_step_leaves_every_byte_of_a_tagged_library(tmp_path, monkeypatch):
    """The same tagged library with the file-name rules switched off: equal records, every
    field, and the same payload bytes."""
    import json

    from recsys.catalog import folderlayout

    lib = tmp_path / "lib"
    _tagged_library(lib)
    _flac(lib / "Mix/Artist - Its Title.flac", title="Its Title", genre="Rock", date="2001")  # no artist tag
    with_names = read_music_folder(lib, tmp_path / "covers").tracks
    monkeypatch.setattr(folderlayout, "folder_credits", lambda stems, *_, **__: [None] * len(stems))
    monkeypatch.setattr(folderlayout, "titled_credit", lambda *_: None)
    without = read_music_folder(lib, tmp_path / "covers").tracks
    tagged = [t for t in with_names if t.source in TAGGED]
    assert len(tagged) == len(TAGGED)
    assert tagged == [t for t in without if t.source in TAGGED]
    assert [json.dumps(t.payload(), sort_keys=True) for t in tagged] == [
        json.dumps(t.payload(), sort_keys=True) for t in without if t.source in TAGGED
    ]
    titled = {t.source: t for t in with_names}["Mix/Artist - Its Title.flac"]
    assert (titled.artist, titled.title, titled.genres, titled.year) == ("Artist", "Its Title", ("Rock",), 2001)


def test_a_downloads_folder_of_many_artists_gives_each_file_its_left_part(tmp_path):
    lib = tmp_path / "lib"
    names = {
        "Downloads/Daft Punk - One More Time.wav": ("One More Time", "Daft Punk", ()),
        "Downloads/Daft Punk - Around the World.wav": ("Around the World", "Daft Punk", ()),
        "Downloads/Jay-Z - Song Cry.wav": ("Song Cry", "Jay-Z", ()),  # a bare hyphen is the name's
        "Downloads/Air \u2013 Sexy Boy.wav": ("Sexy Boy", "Air", ()),  # an en dash
        "Downloads/Massive_Attack_-_Teardrop.wav": ("Teardrop", "Massive Attack", ()),  # underscores
        "Downloads/01. Moby - Porcelain.wav": ("Porcelain", "Moby", ()),  # a track number first
        "Downloads/Daft Punk feat. Pharrell Williams - Get Lucky.wav": (
            "Get Lucky", "Daft Punk feat. Pharrell Williams", ("Daft Punk", "Pharrell Williams")),
        "Downloads/Drake - Work (feat. Rihanna).wav": ("Work (feat. Rihanna)", "Drake", ("Drake", "Rihanna")),
    }
    for source in names:
        _wav(lib / source)
    tracks = _read(lib, tmp_path)
    assert {s: (t.title, t.artist, t.artists) for s, t in tracks.items()} == names
    assert all(t.album == "" for t in tracks.values())  # a folder of many artists is no album


def test_an_album_folder_of_artist_number_title_names(tmp_path):
    """``Music/Discovery/Daft Punk - 01 - One More Time``: the shared left part is the artist, the
    folder their album; and an artist from a name is evidence that "Music", above it, is no
    artist (its other untagged files lose it, as below a tagged track's folder)."""
    lib = tmp_path / "lib"
    _wav(lib / "Music/Discovery/Daft Punk - 01 - One More Time.wav")
    _wav(lib / "Music/Discovery/Daft Punk - 02 - Aerodynamic.wav")
    _wav(lib / "Music/Other/03 Plain.wav")
    tracks = _read(lib, tmp_path)
    assert _fields(tracks["Music/Discovery/Daft Punk - 01 - One More Time.wav"]) == (
        "One More Time", "Daft Punk", (), "Discovery", "")
    assert _fields(tracks["Music/Discovery/Daft Punk - 02 - Aerodynamic.wav"]) == (
        "Aerodynamic", "Daft Punk", (), "Discovery", "")
    # "Other", a container's name below "Music", is no album either (``categoryfolders``)
    assert _fields(tracks["Music/Other/03 Plain.wav"]) == ("Plain", "", (), "", "")


def test_album_number_title_under_artist_album_keeps_the_layouts_artist(tmp_path):
    lib = tmp_path / "lib"
    _wav(lib / "Daft Punk/Discovery/Discovery - 01 - One More Time.wav")
    _wav(lib / "Daft Punk/Discovery/Discovery - 02 - Aerodynamic.wav")
    _wav(lib / "Daft Punk/Homework/CD1/homework - 01 - Daftendirekt.wav")  # a disc folder, another case
    _wav(lib / "Rips/Daft Punk - Alive 2007 - 01 - Robot Rock.wav")  # artist and album
    tracks = _read(lib, tmp_path)
    assert _fields(tracks["Daft Punk/Discovery/Discovery - 01 - One More Time.wav"]) == (
        "One More Time", "Daft Punk", (), "Discovery", "")
    assert _fields(tracks["Daft Punk/Discovery/Discovery - 02 - Aerodynamic.wav"]) == (
        "Aerodynamic", "Daft Punk", (), "Discovery", "")
    assert _fields(tracks["Daft Punk/Homework/CD1/homework - 01 - Daftendirekt.wav"]) == (
        "Daftendirekt", "Daft Punk", (), "Homework", "")
    assert _fields(tracks["Rips/Daft Punk - Alive 2007 - 01 - Robot Rock.wav"]) == (
        "Robot Rock", "Daft Punk", (), "Alive 2007", "")


def test_a_title_artist_folder_takes_the_shared_right_part(tmp_path):
    lib = tmp_path / "lib"
    _wav(lib / "Mixtape/One More Time - Daft Punk.wav")
    _wav(lib / "Mixtape/Aerodynamic - Daft Punk.wav")
    _wav(lib / "Mixtape/Digital Love - Daft Punk.wav")
    tracks = _read(lib, tmp_path)
    assert {s: (t.title, t.artist) for s, t in tracks.items()} == {
        "Mixtape/One More Time - Daft Punk.wav": ("One More Time", "Daft Punk"),
        "Mixtape/Aerodynamic - Daft Punk.wav": ("Aerodynamic", "Daft Punk"),
        "Mixtape/Digital Love - Daft Punk.wav": ("Digital Love", "Daft Punk"),
    }


def test_a_folder_of_one_artist_keeps_a_second_dash_in_the_title(tmp_path):
    lib = tmp_path / "lib"
    _wav(lib / "Radiohead/Radiohead - Creep.wav")  # one folder deep: the folder is no album
    _wav(lib / "Radiohead/Radiohead - Creep - Live at Glastonbury.wav")
    _wav(lib / "Radiohead/Radiohead - Karma Police \u2013 Acoustic.wav")
    tracks = _read(lib, tmp_path)
    assert {s: (t.title, t.artist, t.album) for s, t in tracks.items()} == {
        "Radiohead/Radiohead - Creep.wav": ("Creep", "Radiohead", ""),
        "Radiohead/Radiohead - Creep - Live at Glastonbury.wav": ("Creep - Live at Glastonbury", "Radiohead", ""),
        "Radiohead/Radiohead - Karma Police \u2013 Acoustic.wav": ("Karma Police \u2013 Acoustic", "Radiohead", ""),
    }


def test_a_single_untagged_file_of_a_folder(tmp_path):
    """Its left part is its artist; the layout's album or artist as the left part are only
    taken out of the title."""
    lib = tmp_path / "lib"
    _wav(lib / "Singles/Air - Sexy Boy.wav")
    _wav(lib / "Air/Moon Safari/Air - La Femme d'Argent.wav")
    _wav(lib / "Air/Talkie Walkie/Talkie Walkie - 01 - Venus.wav")
    _wav(lib / "Various/Hits/Moby - Porcelain.wav")
    _flac(lib / "Various/Hits/Song.flac", artist="Someone", title="Song")
    tracks = _read(lib, tmp_path)
    assert _fields(tracks["Singles/Air - Sexy Boy.wav"]) == ("Sexy Boy", "Air", (), "", "")
    assert _fields(tracks["Air/Moon Safari/Air - La Femme d'Argent.wav"]) == (
        "La Femme d'Argent", "Air", (), "Moon Safari", "")
    assert _fields(tracks["Air/Talkie Walkie/Talkie Walkie - 01 - Venus.wav"]) == (
        "Venus", "Air", (), "Talkie Walkie", "")
    # another artist than the layout's: the folder is not known to be the album
    assert _fields(tracks["Various/Hits/Moby - Porcelain.wav"]) == ("Porcelain", "Moby", (), "", "")


def test_one_untagged_file_among_an_albums_tagged_tracks_keeps_its_dashed_title(tmp_path):
    """Beside two or more tagged tracks by one artist, a lone untagged "Song - Live" is that
    album's track: "Song" is no artist. Their artist's name as the left part still counts."""
    lib = tmp_path / "lib"
    for name in ("01 Creep.flac", "02 Lurgee.flac"):
        _flac(lib / "Radiohead/Pablo Honey" / name, artist="Radiohead", title=name[3:-5])
    _wav(lib / "Radiohead/Pablo Honey/03 Creep - Live.wav")
    _flac(lib / "Mix/a.flac", artist="Radiohead", title="A")
    _flac(lib / "Mix/b.flac", artist="RADIOHEAD", title="B")
    _wav(lib / "Mix/Radiohead - Nude.wav")
    tracks = _read(lib, tmp_path)
    assert _fields(tracks["Radiohead/Pablo Honey/03 Creep - Live.wav"]) == (
        "Creep - Live", "Radiohead", (), "Pablo Honey", "")
    assert _fields(tracks["Mix/Radiohead - Nude.wav"])[:2] == ("Nude", "Radiohead")


def test_a_title_tag_and_an_artist_title_name(tmp_path):
    lib = tmp_path / "lib"
    _flac(lib / "Downloads/Daft Punk - One More Time.flac", title="One more time!")
    _flac(lib / "Downloads/Air - Something Else.flac", title="Sexy Boy")  # the name names another title
    _wav(lib / "Downloads/Plain Song.wav")  # an untagged neighbour that does not split
    tracks = _read(lib, tmp_path)
    assert _fields(tracks["Downloads/Daft Punk - One More Time.flac"]) == ("One more time!", "Daft Punk", (), "", "")
    assert _fields(tracks["Downloads/Air - Something Else.flac"]) == ("Sexy Boy", "", (), "", "")
    assert _fields(tracks["Downloads/Plain Song.wav"]) == ("Plain Song", "", (), "", "")


def test_ingest_then_facets_and_recommend_show_the_artists_of_names(capsys, tmp_path):
    """End to end with the tiny encoders: the Downloads folder's artists are the artist facet's
    rows and the seed's and results' artists."""
    import json

    from cli.main import main
    from tests.support.cli import TINY_ARGS, run
    from tests.support.tiny_encoders import register_tiny_encoders

    register_tiny_encoders()
    lib = tmp_path / "lib"
    for name in ("Daft Punk - One More Time", "Daft Punk - Aerodynamic", "Air - Sexy Boy",
                 "Massive_Attack_-_Teardrop", "Daft Punk feat. Pharrell Williams - Get Lucky"):
        _wav(lib / "Downloads" / f"{name}.wav")
    home = tmp_path / "home"
    assert main(["ingest", str(lib), "--home", str(home), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "facets", "artists", "--json", "--home", str(home))
    assert code == 0, err
    # each credited artist counts ("Daft Punk feat. Pharrell Williams" is one track of each)
    assert json.loads(out)["values"] == [
        {"value": "Daft Punk", "count": 3}, {"value": "Air", "count": 1},
        {"value": "Massive Attack", "count": 1}, {"value": "Pharrell Williams", "count": 1},
    ]
    code, out, err = run(capsys, "recommend", "One More Time", "-k", "4", "--max-per-artist", "0", "--json",
                         "--home", str(home))
    assert code == 0, err
    data = json.loads(out)
    assert [(s["title"], s["artist"]) for s in data["seeds"]] == [("One More Time", "Daft Punk")]
    assert {(r["title"], r["artist"]) for r in data["results"]} == {
        ("Aerodynamic", "Daft Punk"), ("Sexy Boy", "Air"), ("Teardrop", "Massive Attack"),
        ("Get Lucky", "Daft Punk feat. Pharrell Williams"),
    }
    code, out, err = run(capsys, "recommend", "One More Time", "--only-artist", "Pharrell Williams", "--json",
                         "--home", str(home))
    assert code == 0, err
    assert [r["title"] for r in json.loads(out)["results"]] == ["Get Lucky"]  # a credited artist of a name


def test_two_names_sharing_a_right_part_are_two_artists(tmp_path):
    """"A - Intro" and "B - Intro": the right part is an artist only when three files or more
    share it (filenames.RIGHT_ARTIST_FILES); two are two artists' intros."""
    lib = tmp_path / "lib"
    _wav(lib / "Intros/Air - Intro.wav")
    _wav(lib / "Intros/Moby - Intro.wav")
    for name in ("One - Seal", "Two - Seal", "Three - Seal"):
        _wav(lib / f"Seal/{name}.wav")
    tracks = _read(lib, tmp_path)
    assert [_fields(tracks[f"Intros/{a} - Intro.wav"])[:2] for a in ("Air", "Moby")] == [("Intro", "Air"), ("Intro", "Moby")]
    assert {_fields(t)[:2] for s, t in tracks.items() if s.startswith("Seal/")} == {
        ("One", "Seal"), ("Two", "Seal"), ("Three", "Seal")}


def test_a_leading_number_is_the_artists_among_unnumbered_names_or_alone(tmp_path):
    """"50 Cent - Candy Shop" beside unnumbered names, or alone in its folder, is 50 Cent's;
    in a folder where every name starts with a number (a track list) the number is a track's."""
    lib = tmp_path / "lib"
    for name in ("50 Cent - Candy Shop", "3 Doors Down - Kryptonite", "Daft Punk - One More Time"):
        _wav(lib / f"Downloads/{name}.wav")
    _wav(lib / "Singles/30 Seconds to Mars - The Kill.wav")
    for name in ("1 Air - Sexy Boy", "2 Air - Venus", "10 Air - Alpha Beta Gaga"):
        _wav(lib / f"Tracklist/{name}.wav")
    tracks = _read(lib, tmp_path)
    assert {_fields(t)[:2] for s, t in tracks.items() if s.startswith("Downloads/")} == {
        ("Candy Shop", "50 Cent"), ("Kryptonite", "3 Doors Down"), ("One More Time", "Daft Punk")}
    assert _fields(tracks["Singles/30 Seconds to Mars - The Kill.wav"])[:2] == ("The Kill", "30 Seconds to Mars")
    assert {_fields(t)[:2] for s, t in tracks.items() if s.startswith("Tracklist/")} == {
        ("Sexy Boy", "Air"), ("Venus", "Air"), ("Alpha Beta Gaga", "Air")}


def test_what_a_video_download_appends_is_no_part_of_the_title(tmp_path):
    """"(Official Music Video) [HD]", "(Lyrics)" and their kin leave a title from a name; a
    tag's title, "(Live)", "(Remix)" and a title of those words alone stay."""
    lib = tmp_path / "lib"
    _wav(lib / "Downloads/Daft Punk - Around the World (Official Music Video) [HD].wav")
    _wav(lib / "Downloads/Air - Sexy Boy (Lyrics).wav")
    _wav(lib / "Downloads/Moby - Porcelain (Live).wav")
    _wav(lib / "Loose/Porcelain (Official Audio).wav")
    _wav(lib / "Loose2/(Official Video).wav")
    _flac(lib / "Tagged/a.flac", artist="Seal", title="Kiss (Official Video)")
    tracks = _read(lib, tmp_path)
    assert _fields(tracks["Downloads/Daft Punk - Around the World (Official Music Video) [HD].wav"])[:2] == (
        "Around the World", "Daft Punk")
    assert _fields(tracks["Downloads/Air - Sexy Boy (Lyrics).wav"])[:2] == ("Sexy Boy", "Air")
    assert _fields(tracks["Downloads/Moby - Porcelain (Live).wav"])[:2] == ("Porcelain (Live)", "Moby")
    assert tracks["Loose/Porcelain (Official Audio).wav"].title == "Porcelain"
    assert tracks["Loose2/(Official Video).wav"].title == "(Official Video)"
    assert tracks["Tagged/a.flac"].title == "Kiss (Official Video)"


def test_title_tags_that_name_the_artist(tmp_path):
    """An old compilation tagged "Various Artists" with "Moby - Porcelain" as each title, and a
    download titled "Daft Punk - One More Time" with no artist tag: the title tags are read as
    file names are (the artist, the title; "Various Artists" the album's artist). A title whose
    right part names a version ("Song - Live", "- Remastered 2011") stays whole, and so does a
    folder where not every title splits."""
    lib = tmp_path / "lib"
    _flac(lib / "Chillout 2000/01.flac", title="Moby - Porcelain", artist="Various Artists", album="Chillout 2000")
    _flac(lib / "Chillout 2000/02.flac", title="Air - La Femme d'Argent", artist="Various Artists", album="Chillout 2000")
    _flac(lib / "Downloads/x.flac", title="Daft Punk - One More Time")
    _flac(lib / "Live/y.flac", title="Song - Live")
    _flac(lib / "Live/z.flac", title="Other Song - Remastered 2011")
    _flac(lib / "Mixed/a.flac", title="Artist - Song")
    _flac(lib / "Mixed/b.flac", title="Plain Title")
    tracks = _read(lib, tmp_path)
    porcelain = tracks["Chillout 2000/01.flac"]
    assert (porcelain.artist, porcelain.title, porcelain.album, porcelain.album_artist) == (
        "Moby", "Porcelain", "Chillout 2000", "Various Artists")
    assert (tracks["Downloads/x.flac"].artist, tracks["Downloads/x.flac"].title) == ("Daft Punk", "One More Time")
    assert [(tracks[s].artist, tracks[s].title) for s in ("Live/y.flac", "Live/z.flac", "Mixed/a.flac")] == [
        ("", "Song - Live"), ("", "Other Song - Remastered 2011"), ("", "Artist - Song")]


def test_title_tags_of_a_work_s_movements_name_no_artist(tmp_path):
    """"Symphony No. 5 - I. Allegro con brio" titles a movement of a work, as classical rips
    do: with no artist tag (a composer tag alone), "Symphony No. 5" was taken for the
    artist of each movement, a graph node and a facet row named by a work."""
    lib = tmp_path / "lib"
    for n, movement in enumerate(("I. Allegro con brio", "II. Andante con moto", "III. Scherzo"), start=1):
        _flac(lib / f"Beethoven 5/0{n}.flac", title=f"Symphony No. 5 - {movement}", composer="Ludwig van Beethoven")
    tracks = _read(lib, tmp_path)
    assert {(t.artist, t.title.split(" - ")[0]) for t in tracks.values()} == {("", "Symphony No. 5")}


def test_a_spaced_colon_where_a_dash_would_be(tmp_path):
    """"Bonobo ： Kerala" (yt-dlp's full-width stand-in for ":") and "Bonobo : Kerala" (what a
    Windows user types) are read as "Artist - Title", by the rules a dash is (before: no artist,
    the whole name the title). A colon glued to the word before it is a title's own ("Op. 27:
    No. 2", "Boiler Room： Peggy Gou"), and beside an album's tagged tracks a lone "Creep : Live"
    keeps its title as "Creep - Live" does."""
    lib = tmp_path / "lib"
    names = {
        "yt-dlp/Bonobo \uff1a Kerala (Official Video) [WDuXEbEyDXk].wav": ("Kerala", "Bonobo"),
        "yt-dlp/Aphex Twin - Avril 14th [MBFXJ4sFdi8].wav": ("Avril 14th", "Aphex Twin"),
        "Downloads/Bonobo : Kerala.wav": ("Kerala", "Bonobo"),
        "Downloads/Air \uff1a Sexy Boy.wav": ("Sexy Boy", "Air"),
        "Singles/Nocturne Op. 27: No. 2.wav": ("Nocturne Op. 27: No. 2", ""),
        "Mixes/Boiler Room\uff1a Peggy Gou.wav": ("Boiler Room\uff1a Peggy Gou", ""),
    }
    for source in names:
        _wav(lib / source)
    for name in ("01 Creep.flac", "02 Lurgee.flac"):
        _flac(lib / "Radiohead/Pablo Honey" / name, artist="Radiohead", title=name[3:-5])
    _wav(lib / "Radiohead/Pablo Honey/03 Creep : Live.wav")
    tracks = _read(lib, tmp_path)
    assert {s: (tracks[s].title, tracks[s].artist) for s in names} == names
    assert _fields(tracks["Radiohead/Pablo Honey/03 Creep : Live.wav"]) == (
        "Creep : Live", "Radiohead", (), "Pablo Honey", "")
