"""What a second pass over real music (Debian's game soundtracks: Wesnoth, SuperTux, Colobot,
Extreme Tux Racer...) found in the music-folder reader, each case rebuilt here from tiny files
made on the fly: folders that are no artist's, tags whose UTF-8 was stored as Latin-1, album
artists, covers that do not decode."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from recsys.catalog import read_music_folder
from recsys.encoders.graph import album_node, artist_node, build_graph
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")
SR = 8000


def _wav(path: Path, freq: float = 440.0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(SR // 2) / SR
    sf.write(path, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32), SR)
    return path


def _flac(path: Path, **tags: str | list[str]) -> Path:
    return tagged_flac(path, **tags)


def _by_file(folder: Path, tmp_path: Path) -> dict:
    catalog = read_music_folder(folder, tmp_path / "covers")
    return {t.source: t for t in catalog.tracks}


def test_a_folder_of_games_is_not_the_artist_of_their_untagged_files(tmp_path):
    """``Games/Bos Wars/x.wav`` made "Games" the artist of every untagged file of four games
    (and "Music" that of SuperTux's): the top artists of the facet, one graph hub, and an
    artist cap of two for all of them together. A folder whose tagged tracks name other
    artists is no artist; a folder with no tagged track beneath it, or one that names its
    tracks' artist, still gives it."""
    lib = tmp_path / "lib"
    _flac(lib / "Games/Wesnoth/OST/a.flac", artist="Mattias Westlund", title="A")
    for name in ("x.wav", "y.wav"):
        _wav(lib / "Games/Bos Wars" / name)
        _wav(lib / "Games/Tux Racer/sounds" / name)  # one folder deeper: the artist folder is a game
        _wav(lib / "Games/Colobot/sounds" / name)
        _wav(lib / "Games/Wesnoth/sounds" / name)
    _flac(lib / "Games/Colobot/theme.flac", artist="Daniel Roux", title="Theme")
    _wav(lib / "Untagged Artist/Untagged Album/01 Song.wav")
    _flac(lib / "Pink Floyd/The Wall/a.flac", artist="The Pink Floyd", title="Wall")
    _wav(lib / "Pink Floyd/Animals/Dogs.wav")
    tracks = _by_file(lib, tmp_path)

    bos = tracks["Games/Bos Wars/x.wav"]
    assert (bos.artist, bos.album) == ("", "Bos Wars")
    assert tracks["Games/Colobot/sounds/x.wav"].artist == ""  # "Colobot" holds Daniel Roux's theme
    assert tracks["Games/Tux Racer/sounds/x.wav"].artist == "Tux Racer"  # no tagged track says otherwise
    assert tracks["Untagged Artist/Untagged Album/01 Song.wav"].artist == "Untagged Artist"
    assert tracks["Pink Floyd/Animals/Dogs.wav"].artist == "Pink Floyd"  # the words of a tagged artist

    # the two games' "sounds" folders are two albums; one folder's files share one
    graph = build_graph(tracks.values())
    wesnoth, colobot = tracks["Games/Wesnoth/sounds/x.wav"], tracks["Games/Colobot/sounds/x.wav"]
    assert wesnoth.artist == colobot.artist == "" and wesnoth.album == colobot.album == "sounds"
    assert album_node(wesnoth) != album_node(colobot)
    assert album_node(colobot) == album_node(tracks["Games/Colobot/sounds/y.wav"])
    assert not any(n.startswith("artist:games") for n in graph.nodes)
    assert artist_node(bos) is None


def test_utf8_tags_stored_as_latin1_are_read_as_the_tagger_meant(tmp_path):
    """An ID3v2.3 frame marked Latin-1 holding UTF-8 bytes (old Windows taggers) showed
    "CafÃ© del Mar â\\x80\\x93 NoÃ«l" by "Sigur RÃ³s" in every table; real Latin-1 text
    ("Motörhead") and real UTF-8 stay as they are."""
    from mutagen.id3 import COMM, ID3, TALB, TIT2, TPE1

    def tagged(name: str, title: str, artist: str, album: str, comment: str = "") -> None:
        path = _wav(tmp_path / "lib" / name)
        audio = mutagen.File(path)
        audio.add_tags()
        tags: ID3 = audio.tags
        tags.add(TIT2(encoding=0, text=title))
        tags.add(TPE1(encoding=0, text=artist))
        tags.add(TALB(encoding=0, text=album))
        if comment:
            tags.add(COMM(encoding=0, lang="eng", desc="", text=comment))
        audio.save(v2_version=3)

    def stored_as_latin1(text: str) -> str:
        return text.encode("utf-8").decode("latin-1")

    tagged("a.wav", stored_as_latin1("Café del Mar – Noël"), stored_as_latin1("Sigur Rós"),
           stored_as_latin1("Ágætis byrjun"), stored_as_latin1("Enregistré à Reykjavík"))
    tagged("b.wav", "Ace of Spades", "Motörhead", "Café")
    _flac(tmp_path / "lib/c.flac", title="Кино", artist="Beyoncé".encode().decode("cp1252"))
    tracks = _by_file(tmp_path / "lib", tmp_path)
    a, b, c = tracks["a.wav"], tracks["b.wav"], tracks["c.flac"]
    assert (a.title, a.artist, a.album) == ("Café del Mar – Noël", "Sigur Rós", "Ágætis byrjun")
    assert a.description == "Enregistré à Reykjavík"
    assert (b.artist, b.album) == ("Motörhead", "Café")
    assert (c.title, c.artist) == ("Кино", "Beyoncé")


def test_windows_1251_tags_read_as_latin1_are_cyrillic_again(tmp_path):
    """A Russian mp3 collection's ID3 tags, written in Windows-1251 by the taggers of the day
    and marked Latin-1, showed "Ãðóïïà êðîâè" by "Êèíî"; Latin-1 words with an accent or an
    all-caps accented word stay as they are."""
    from mutagen.id3 import ID3, TALB, TIT2, TPE1

    from recsys.catalog.tagtext import repaired

    def stored_as_latin1(text: str) -> str:
        return text.encode("cp1251").decode("latin-1")

    path = _wav(tmp_path / "lib" / "a.wav")
    audio = mutagen.File(path)
    audio.add_tags()
    tags: ID3 = audio.tags
    tags.add(TIT2(encoding=0, text=stored_as_latin1("Группа крови")))
    tags.add(TPE1(encoding=0, text=stored_as_latin1("Кино")))
    tags.add(TALB(encoding=0, text=stored_as_latin1("Звезда по имени Солнце, 1989")))
    audio.save(v2_version=3)
    a = _by_file(tmp_path / "lib", tmp_path)["a.wav"]
    assert (a.title, a.artist, a.album) == ("Группа крови", "Кино", "Звезда по имени Солнце, 1989")
    for latin in ("Motörhead", "ÉTÉ", "Ça va", "Ñú", "Éà", "Noël à Paris", "Ågård"):
        assert repaired(latin) == latin


def test_a_cut_embedded_jpeg_gives_way_to_the_cover_beside_the_file(tmp_path):
    """A file whose embedded JPEG was cut short (a real mp3 here) passed Pillow's verify (headers only): the image
    encoder then failed naming a file of the cover cache, and the folder's cover.jpg was never
    tried. The cut picture is one problem line naming the track; the cover beside it is used."""
    from mutagen.flac import Picture

    def jpeg(seed: int, size: int = 64) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(np.random.default_rng(seed).integers(0, 255, (size, size, 3), dtype=np.uint8)).save(buffer, "JPEG")
        return buffer.getvalue()

    lib = tmp_path / "lib"
    for name, data in (("cut.flac", jpeg(0)[:900]), ("whole.flac", jpeg(1))):
        path = _flac(lib / "Album" / name, title=name, artist="A")
        audio = mutagen.File(path)
        picture = Picture()
        picture.type, picture.mime, picture.data = 3, "image/jpeg", data
        audio.add_picture(picture)
        audio.save()
    Image.new("RGB", (32, 32), (0, 0, 200)).save(lib / "Album" / "cover.jpg")
    catalog = read_music_folder(lib, tmp_path / "covers")
    tracks = {t.source: t for t in catalog.tracks}
    assert tracks["Album/cut.flac"].cover_path == lib / "Album" / "cover.jpg"
    assert tracks["Album/whole.flac"].cover_path.parent == tmp_path / "covers"
    assert [str(p) for p in catalog.problems] == ["Album/cut.flac: embedded cover picture cannot be decoded"]
    with Image.open(tracks["Album/whole.flac"].cover_path) as image:
        image.load()


def test_an_album_of_several_artists_is_one_album_by_its_album_artist(tmp_path):
    """Wesnoth's soundtrack: 41 tracks by ten composers, album artist "Wesnoth Project". The
    album node was keyed by each track's artist: ten albums of one to eight tracks, the
    soundtrack never one album to the graph or to training's same-album pairs. A compilation
    ("Various Artists") likewise. The album artist also stands in for a missing artist in
    every format (ID3's TPE2 did alone)."""
    from mutagen.id3 import TALB, TIT2, TPE1, TPE2

    lib = tmp_path / "lib"
    _flac(lib / "OST/a.flac", title="A", artist="Mattias Westlund", albumartist="Wesnoth Project", album="The OST")
    _flac(lib / "OST/b.flac", title="B", artist="Doug Kaufman", albumartist="Wesnoth Project", album="The OST")
    _flac(lib / "OST/c.flac", title="C", albumartist="Wesnoth Project", album="The OST")  # no artist tag
    path = _wav(lib / "Hits/d.wav")
    audio = mutagen.File(path)
    audio.add_tags()
    for frame in (TIT2(encoding=3, text="D"), TPE1(encoding=3, text="Wansti"),
                  TPE2(encoding=3, text="Various Artists"), TALB(encoding=3, text="Penguin Hits")):
        audio.tags.add(frame)
    audio.save()
    _flac(lib / "Other/e.flac", title="E", artist="Mattias Westlund", album="The OST")  # same title, no album artist
    tracks = _by_file(lib, tmp_path)
    a, b, c, d, e = (tracks[k] for k in ("OST/a.flac", "OST/b.flac", "OST/c.flac", "Hits/d.wav", "Other/e.flac"))
    assert (a.artist, a.album_artist) == ("Mattias Westlund", "Wesnoth Project")
    assert c.artist == "Wesnoth Project"
    assert album_node(a) == album_node(b) == album_node(c) != album_node(e)
    assert (d.artist, d.album_artist, d.payload()["album_artist"]) == ("Wansti", "Various Artists", "Various Artists")
    assert "album_artist" not in e.payload()  # a track without one hashes as before
    graph = build_graph(tracks.values())
    assert "artist:various artists" not in graph.nodes  # a compilation's album artist is no artist node


def test_what_old_taggers_and_converters_left(tmp_path):
    """A title filled from the file's name ("Song Name.mp3"), ID3v1 genre numbers copied into
    another format's tag ("17", "(17)", "(17)Hard Rock"), its catch-all genre "Other", and a date
    typed day first ("12/03/1998"): the names and the year they stand for."""
    lib = tmp_path / "lib"
    _flac(lib / "a.flac", TITLE="Song Name.mp3", ARTIST="Band", GENRE="17", DATE="12/03/1998")
    _flac(lib / "b.flac", TITLE="Other Song", ARTIST="Band", GENRE=["(17)", "(17)Hard Rock", "Other", "90s Pop"],
          DATE="31.12.2001")
    _flac(lib / "c.flac", TITLE="Web 2.0", ARTIST="Band", GENRE="999", DATE="98")
    tracks = _by_file(lib, tmp_path)
    a, b, c = tracks["a.flac"], tracks["b.flac"], tracks["c.flac"]
    assert (a.title, a.genres, a.year) == ("Song Name", ("Rock",), 1998)
    assert (b.genres, b.year) == (("Rock", "Hard Rock", "90s Pop"), 2001)
    assert (c.title, c.genres, c.year) == ("Web 2.0", (), None)


def test_a_names_tag_of_thousands_of_characters_is_cut(tmp_path):
    """A corrupt tag of 20,000 spaces inside a title and an artist took the name rules 20 s on
    one file (their regexes backtrack over a run of spaces); a name is cut to
    MAX_NAME_CHARS, as a manifest's is."""
    from recsys.catalog.tagvalues import MAX_NAME_CHARS
    from tests.support.tagged_files import tagged_flac

    lib = tmp_path / "lib"
    tagged_flac(lib / "A/01 t.flac", 0.3, TITLE="Song" + " " * 20_000 + "x ft Bob", ARTIST="A" + " " * 20_000 + "B",
                ALBUM="Album")
    track = read_music_folder(lib, tmp_path / "covers").tracks[0]
    assert track.title.startswith("Song") and len(track.title) <= MAX_NAME_CHARS
    assert track.artist.startswith("A") and len(track.artist) <= MAX_NAME_CHARS and track.album == "Album"
