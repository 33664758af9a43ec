"""What a fourth pass over real music (Nexuiz's and Endgame: Singularity's soundtracks,
Pathological, XBlast, Chromium B.S.U., ALSA's and sound-icons' samples, laid out as a
person's library of CD rips, an iTunes folder, a Windows Media Player folder, a Mac's copies
and a classical shelf) found in the music-folder reader, each case rebuilt here from tiny
files made on the fly."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from recsys.catalog import read_music_folder
from tests.support.tagged_files import tagged_flac
from tests.test_music_folder_tags import SR, _wav

mutagen = pytest.importorskip("mutagen")


def _image(path: Path, size: int = 32, fmt: str = "JPEG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (200, 40, 40)).save(buffer, format=fmt)
    path.write_bytes(buffer.getvalue())
    return path


def _read(folder: Path, tmp_path: Path):
    return read_music_folder(folder, tmp_path / "covers")


def _by_file(folder: Path, tmp_path: Path) -> dict:
    return {t.source: t for t in _read(folder, tmp_path).tracks}


def test_windows_media_players_album_art_is_the_folders_cover(tmp_path):
    """Windows Media Player leaves ``AlbumArt_{GUID}_Large.jpg`` and ``AlbumArtSmall.jpg``
    beside an album it ripped or fetched art for: the real library's WMA album had no cover
    at all. The large one is taken; the plain names still come first."""
    lib = tmp_path / "lib"
    wmp = lib / "My Music/Pathological/Marble Music"
    _wav(wmp / "01 Intro.wav")
    guid = "{8A2F3C61-1B9E-4F2A-9C3D-0E1F2A3B4C5D}"
    _image(wmp / "AlbumArtSmall.jpg", 8)
    _image(wmp / f"AlbumArt_{guid}_Small.jpg", 8)
    _image(wmp / f"AlbumArt_{guid}_Large.jpg", 64)
    both = lib / "Other/Album"
    _wav(both / "01 Song.wav")
    _image(both / f"AlbumArt_{guid}_Large.jpg")
    _image(both / "Folder.jpg")
    tracks = _by_file(lib, tmp_path)
    assert tracks["My Music/Pathological/Marble Music/01 Intro.wav"].cover_path.name == f"AlbumArt_{guid}_Large.jpg"
    assert tracks["Other/Album/01 Song.wav"].cover_path.name == "Folder.jpg"


def test_an_empty_or_broken_cover_file_gives_way_to_the_next_with_one_line(tmp_path):
    """A 0-byte ``cover.jpg`` (a failed download) was the cover of each of a compilation's
    tracks: the image encoder failed once per track (seven warnings), the album had no image
    vectors, and ``verify`` advised ``--retry-failed``, which cannot mend an empty file. It is
    passed over now, as is a page of HTML named folder.jpg, for the next name that is an image,
    with one problem line per file; a folder with nothing better has no cover."""
    lib = tmp_path / "lib"
    album = lib / "Compilations/Retro Game Anthems"
    for n in range(3):
        _wav(album / f"0{n} Song {n}.wav", 300 + 50 * n)
    (album / "cover.jpg").write_bytes(b"")
    (album / "folder.jpg").write_text("<html><body>404 Not Found</body></html>")
    _image(album / "front.png", fmt="PNG")
    lone = lib / "Other/Album"
    _wav(lone / "01 Song.wav")
    (lone / "Cover.jpg").write_bytes(b"")
    catalog = _read(lib, tmp_path)
    covers = {t.source: t.cover_path for t in catalog.tracks}
    assert {c.name for s, c in covers.items() if s.startswith("Compilations")} == {"front.png"}
    assert covers["Other/Album/01 Song.wav"] is None
    lines = [f"{p.where}: {p.message}" for p in catalog.problems]
    assert lines == [
        "Compilations/Retro Game Anthems/cover.jpg: empty file (0 bytes): not used as the folder's cover",
        "Compilations/Retro Game Anthems/folder.jpg: not an image Pillow can read: not used as the folder's cover",
        "Other/Album/Cover.jpg: empty file (0 bytes): not used as the folder's cover",
    ]


@pytest.mark.parametrize("disc", ["CD 1", "CD01", "Disc 1 of 2", "CD1 - The Early Years", "Disc 2 - Bonus",
                                  "[Disc 1]", "Disc One", "Disk 3", "disc 2 (bonus)"])
def test_a_disc_folder_named_any_way_names_no_album(tmp_path, disc):
    """Only ``CD1`` and ``Disc 2`` were disc folders: in ``Some Band/Great Album/Disc 1 of
    2/01 Song.wav`` (or "CD1 - The Early Years", "[Disc 1]", "Disc One") the album folder was
    taken for the artist and the disc folder for the album, and the album's cover above it was
    not found."""
    lib = tmp_path / "lib"
    _wav(lib / "Some Band/Great Album" / disc / "01 Song.wav")
    _image(lib / "Some Band/Great Album/cover.jpg")
    (track,) = _read(lib, tmp_path).tracks
    assert (track.artist, track.album, track.title) == ("Some Band", "Great Album", "Song")
    assert track.cover_path is not None and track.cover_path.name == "cover.jpg"


@pytest.mark.parametrize("folder", ["CD Singles", "Discography", "Disco Hits", "CD-ROM Extras 2"])
def test_folders_that_only_start_like_a_disc_are_albums(tmp_path, folder):
    lib = tmp_path / "lib"
    _wav(lib / "Music/Some Band" / folder / "01 Song.wav")
    (track,) = _read(lib, tmp_path).tracks
    assert (track.artist, track.album) == ("Some Band", folder)


def _mp3(path: Path) -> Path:
    """A short MP3 without any tag (PyAV's encoder; skipped where it cannot write MP3)."""
    av = pytest.importorskip("av")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with av.open(str(path), "w", format="mp3") as out:
            stream = out.add_stream("mp3", rate=SR)
            t = np.arange(SR // 2) / SR
            frame = av.AudioFrame.from_ndarray((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)[None, :],
                                               format="fltp", layout="mono")
            frame.rate = SR
            for packet in (*stream.encode(frame), *stream.encode(None)):
                out.mux(packet)
    except Exception as exc:  # noqa: BLE001 - an FFmpeg build without an MP3 encoder
        pytest.skip(f"no MP3 encoder: {exc}")
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        ID3(path).delete()
    except ID3NoHeaderError:
        pass
    return path


def test_an_mp3_with_only_an_apev2_tag_is_read(tmp_path):
    """foobar2000 (set to write APE on MP3) and MP3Gain leave MP3s with an APEv2 tag and no
    ID3: mutagen's MP3 reader sees no tags, and the real compilation's track lost its artist,
    album artist and year (and, the album artist missing, its place in the compilation). An
    ID3 tag, where there is one, still wins."""
    from mutagen.apev2 import APEv2

    lib = tmp_path / "lib"
    path = _mp3(lib / "Compilations/Retro Game Anthems/04 Track Four.mp3")
    ape = APEv2()
    ape["Title"], ape["Artist"], ape["Album Artist"] = "Calling Bogus", "Nexuiz Team", "Various Artists"
    ape["Album"], ape["Year"], ape["Genre"], ape["REPLAYGAIN_TRACK_GAIN"] = "Retro Game Anthems", "2015", "Electronic", "-6.2 dB"
    ape.save(path)
    (track,) = _read(lib, tmp_path).tracks
    assert (track.title, track.artist, track.album_artist, track.album) == (
        "Calling Bogus", "Nexuiz Team", "Various Artists", "Retro Game Anthems")
    assert (track.year, track.genres) == (2015, ("Electronic",))

    from mutagen.id3 import ID3, TIT2

    tags = ID3()
    tags.add(TIT2(encoding=3, text="From ID3"))
    tags.save(path)
    (track,) = _read(lib, tmp_path).tracks
    assert (track.title, track.album_artist, track.year) == ("From ID3", "", None)


def test_the_year_ffmpeg_writes_into_a_wma_is_read(tmp_path):
    """ffmpeg stores a WMA's date as an attribute named "date", not WM/Year: every WMA it
    converted read without a year."""
    av = pytest.importorskip("av")
    lib = tmp_path / "lib"
    path = lib / "My Music/Marble Music/01 Intro.wma"
    path.parent.mkdir(parents=True)
    try:
        with av.open(str(path), "w", format="asf") as out:
            out.metadata.update({"title": "Intro", "artist": "John-Paul Gignac", "date": "2003"})
            stream = out.add_stream("wmav2", rate=22050)
            stream.bit_rate = 64000
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 11025), np.float32), format="fltp", layout="mono")
            frame.rate = 22050
            for packet in (*stream.encode(frame), *stream.encode(None)):
                out.mux(packet)
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no WMA encoder: {exc}")
    (track,) = _read(lib, tmp_path).tracks
    assert (track.title, track.artist, track.year) == ("Intro", "John-Paul Gignac", 2003)


def test_an_albums_tracks_without_an_album_artist_take_the_one_the_others_name(tmp_path):
    """A real compilation of eight tracks was three albums to the graph (one node per album
    artist and title): six tracks named "Various Artists", the one with an ID3v1 tag only
    could not, and a sonata's third movement, tagged with its composer alone, was an
    artist-less album of its own beside the pianist's. Across a CD1/Disc 2 split too. Where
    the tracks disagree, or the title differs, nothing is taken."""
    from recsys.encoders.graph import album_node, artist_node

    lib = tmp_path / "lib"
    comp = lib / "Compilations/Retro Game Anthems"
    for n, artist in enumerate(("Nexuiz Team", "Evil Mastermind", "Chromium B.S.U.")):
        tagged_flac(comp / f"0{n} a.flac", title=f"T{n}", artist=artist, albumartist="Various Artists",
                    album="Retro Game Anthems")
    tagged_flac(comp / "05 Chaos Fog.flac", title="Chaos Fog", artist="Nexuiz Team", album="Retro Game Anthems")
    sonata = lib / "Classical/Beethoven/Piano Sonatas"
    for n in (1, 2):
        tagged_flac(sonata / f"0{n} m.flac", title=f"Mvt {n}", artist="Anna Kovács", albumartist="Anna Kovács",
                    album="Piano Sonatas")
    tagged_flac(sonata / "03 m.flac", title="Mvt 3", composer="Ludwig van Beethoven", album="Piano Sonatas")
    ost = lib / "Nexuiz Team/Nexuiz OST"
    tagged_flac(ost / "CD1/01 a.flac", title="Stairs", artist="Nexuiz", albumartist="Nexuiz Team", album="Nexuiz OST")
    tagged_flac(ost / "Disc 2/01 a.flac", title="Thunder", artist="Nexuiz", album="nexuiz ost")
    mixed = lib / "Mixed"
    tagged_flac(mixed / "a.flac", title="A", artist="X", albumartist="X", album="Same Title")
    tagged_flac(mixed / "b.flac", title="B", artist="Y", albumartist="Y", album="Same Title")
    tagged_flac(mixed / "c.flac", title="C", artist="Z", album="Same Title")
    tagged_flac(mixed / "d.flac", title="D", artist="W", album="Other Title")
    tracks = _by_file(lib, tmp_path)

    comp_albums = {album_node(t) for s, t in tracks.items() if s.startswith("Compilations/")}
    assert comp_albums == {"album:various artists/retro game anthems"}
    chaos = tracks["Compilations/Retro Game Anthems/05 Chaos Fog.flac"]
    assert (chaos.artist, chaos.album_artist) == ("Nexuiz Team", "Various Artists")  # its own artist kept

    third = tracks["Classical/Beethoven/Piano Sonatas/03 m.flac"]
    assert (third.artist, third.album_artist) == ("Anna Kovács", "Anna Kovács")
    assert {album_node(t) for s, t in tracks.items() if s.startswith("Classical/")} == {"album:anna kovács/piano sonatas"}
    assert artist_node(third) == "artist:anna kovács"

    assert album_node(tracks["Nexuiz Team/Nexuiz OST/Disc 2/01 a.flac"]) == album_node(
        tracks["Nexuiz Team/Nexuiz OST/CD1/01 a.flac"]) == "album:nexuiz team/nexuiz ost"

    assert tracks["Mixed/c.flac"].album_artist == "" and tracks["Mixed/d.flac"].album_artist == ""


def test_a_movement_title_takes_the_work_its_tags_name(tmp_path):
    """A real library's Four Seasons titled its movements "I. Allegro", "II. Largo", "III.
    Allegro" and named the concerto in a WORK tag: Spring's and Autumn's "I. Allegro" by one
    ensemble were versions of one song to the results' dedup (half the album never showed) and
    one seed. The work is part of the title now, from Vorbis WORK, MP4 ©wrk, ID3 TXXX:WORK, or
    ID3 TIT1 before a numbered movement; a title that holds its work, and a TIT1 grouping of a
    song, are kept as tagged."""
    from mutagen.id3 import ID3, TIT1, TIT2, TPE1, TXXX
    from mutagen.mp4 import MP4

    from recsys.query.titlekeys import version_key

    lib = tmp_path / "lib"
    viv = lib / "Classical/Vivaldi/The Four Seasons"
    spring, autumn = 'Concerto No. 1 in E major, RV 269 "La primavera"', "Concerto No. 3 in F major, RV 293"
    tagged_flac(viv / "01.flac", title="I. Allegro", work=spring, artist="I Solisti di Praga")
    tagged_flac(viv / "04.flac", title="I. Allegro", work=autumn, artist="I Solisti di Praga")
    tagged_flac(viv / "07.flac", title=f"{autumn}: II. Adagio molto", work=autumn, artist="I Solisti di Praga")

    def id3(name: str, *frames) -> None:
        path = _mp3(lib / "Classical/Mozart" / name)
        tags = ID3()
        for frame in frames:
            tags.add(frame)
        tags.save(path)

    id3("a.mp3", TIT2(encoding=3, text="I. Allegro"), TPE1(encoding=3, text="X"),
        TXXX(encoding=3, desc="WORK", text="Eine kleine Nachtmusik, K. 525"))
    id3("b.mp3", TIT2(encoding=3, text="IV. Rondo: Allegro"), TPE1(encoding=3, text="X"),
        TIT1(encoding=3, text="Eine kleine Nachtmusik, K. 525"))
    id3("c.mp3", TIT2(encoding=3, text="Summer Song"), TPE1(encoding=3, text="X"), TIT1(encoding=3, text="Summer Hits"))
    m4a = lib / "Classical/Haydn/01.m4a"
    m4a.parent.mkdir(parents=True)
    av = pytest.importorskip("av")
    with av.open(str(m4a), "w", format="ipod") as out:
        stream = out.add_stream("aac", rate=SR)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, SR // 2), np.float32), format="fltp", layout="mono")
        frame.rate = SR
        for packet in (*stream.encode(frame), *stream.encode(None)):
            out.mux(packet)
    mp4 = MP4(m4a)
    mp4["\xa9nam"], mp4["\xa9ART"], mp4["\xa9wrk"] = "II. Andante", "Y", "Symphony No. 94 in G major"
    mp4.save()
    tracks = _by_file(lib, tmp_path)
    title = {s: t.title for s, t in tracks.items()}

    assert title["Classical/Vivaldi/The Four Seasons/01.flac"] == f"{spring}: I. Allegro"
    assert title["Classical/Vivaldi/The Four Seasons/04.flac"] == f"{autumn}: I. Allegro"
    assert title["Classical/Vivaldi/The Four Seasons/07.flac"] == f"{autumn}: II. Adagio molto"
    first = [tracks[f"Classical/Vivaldi/The Four Seasons/0{n}.flac"] for n in (1, 4)]
    assert len({version_key(t.title, t.artist) for t in first}) == 2
    assert title["Classical/Mozart/a.mp3"] == "Eine kleine Nachtmusik, K. 525: I. Allegro"
    assert title["Classical/Mozart/b.mp3"] == "Eine kleine Nachtmusik, K. 525: IV. Rondo: Allegro"
    assert title["Classical/Mozart/c.mp3"] == "Summer Song"
    assert title["Classical/Haydn/01.m4a"] == "Symphony No. 94 in G major: II. Andante"


def test_names_a_mac_wrote_decomposed_are_read_composed(tmp_path):
    """A Mac writes file and folder names decomposed (NFD), tags hold them composed (NFC): the
    untagged folder "Ensemble Céleste/Étoiles" and tracks tagged "Ensemble Céleste" were two
    graph artists and two strings in --json; renaming the NFD files to NFC (a copy off the Mac)
    changed their titles, and the sync took the renamed files for new tracks. Names are NFC
    now, whichever the disk holds; the file's path is kept as it is."""
    import unicodedata

    from recsys.encoders.graph import artist_node

    def nfd(text: str) -> str:
        return unicodedata.normalize("NFD", text)

    lib = tmp_path / "lib"
    untagged = _wav(lib / "Musique" / nfd("Ensemble Céleste") / nfd("Étoiles") / nfd("01 Éclat.wav"))
    tagged_flac(lib / "Musique/Live/01.flac", title="Miniature", artist="Ensemble Céleste", album="Nébuleuse",
                genre=nfd("Musique ancienne, Baroque é"))
    tracks = _read(lib, tmp_path).tracks
    by_title = {t.title: t for t in tracks}
    eclat = by_title["Éclat"]  # composed, as typed
    assert (eclat.artist, eclat.album) == ("Ensemble Céleste", "Étoiles")
    assert artist_node(eclat) == artist_node(by_title["Miniature"])
    assert eclat.audio_path == untagged  # the file as the disk names it
    assert by_title["Miniature"].genres == ("Musique ancienne, Baroque é",)


@pytest.mark.parametrize("note", [
    "Ripped with EAC", "Amazon.com Song ID: 203487455", "www.mp3-site.ru", "http://example.com/free-mp3",
    "Exact Audio Copy (Secure mode)", "Encoded by LAME 3.99.5", "dBpoweramp Release 16.6", "8F0A5C0B",
    " 000003E8 00000428 00004C4B", "Track 5", "0", "Uploaded by someone", "Created with foobar2000",
])
def test_a_rippers_or_shops_comment_is_no_description(tmp_path, note):
    """The one track of a real library with a text vector had the comment "Ripped with EAC":
    every text query found it first, and a library ripped alike would have one text for all
    its tracks. Such notes are no description now; real ones are kept."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "a.flac", title="Nebula", artist="Evil Mastermind", comment=note)
    tagged_flac(lib / "b.flac", title="Live", artist="Evil Mastermind",
                comment=[note, "Recorded live at the Royal Albert Hall, 1971."])
    long = "Mastered for iTunes from the original tapes, with the strings re-recorded in Prague in 2011 by the composer."
    tagged_flac(lib / "c.flac", title="Long", artist="Evil Mastermind", description=long)
    tracks = _by_file(lib, tmp_path)
    assert tracks["a.flac"].description == "" and tracks["a.flac"].text_document() == ""
    assert tracks["b.flac"].description == "Recorded live at the Royal Albert Hall, 1971."
    assert tracks["c.flac"].description == long


def _cue(path: Path, files: list[str], tracks_per_file: int, title: str = "Endgame: Singularity") -> None:
    lines = ["REM GENRE Soundtrack", 'PERFORMER "Evil Mastermind"', f'TITLE "{title}"']
    n = 0
    for name in files:
        lines.append(f'FILE "{name}" WAVE')
        for _ in range(tracks_per_file):
            n += 1
            lines += [f"  TRACK {n:02d} AUDIO", f'    TITLE "Track {n}"', f"    INDEX 01 0{n}:00:00"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")


def test_an_album_ripped_to_one_file_says_so_and_takes_the_sheets_album(tmp_path):
    """A real rip of a whole album to one FLAC with a .cue sheet beside it read as one track
    named after its file, with no album and no word that a sheet listed 13 tracks in it. Its
    sheet splits it into tracks now (tests/test_cue_split.py); a sheet whose tracks start past
    the file's end cannot, and the file stays one track, with one problem line naming the
    sheet, and the sheet's album title and performer where the tags name none. A sheet of one
    file per track (the files are the tracks) and a sheet of another file change nothing."""
    lib = tmp_path / "lib"
    image = _wav(lib / "Images/Evil Mastermind - Endgame Singularity/rip.wav")
    _cue(image.with_suffix(".cue"), ["rip.wav"], 13)
    tagged = tagged_flac(lib / "Images/Tagged/image.flac", title="Whole Album", artist="Tag Artist")
    _cue(tagged.parent / "other name.cue", ["IMAGE.FLAC"], 3, title="Sheet Album")
    per_track = lib / "Rips/Album"
    for n in (1, 2):
        _wav(per_track / f"0{n} Track.wav")
    _cue(per_track / "Album.cue", ["01 Track.wav", "02 Track.wav"], 1)
    catalog = _read(lib, tmp_path)
    tracks = {t.source: t for t in catalog.tracks}
    rip = tracks["Images/Evil Mastermind - Endgame Singularity/rip.wav"]
    assert (rip.title, rip.artist, rip.album) == ("rip", "Evil Mastermind", "Endgame: Singularity")
    whole = tracks["Images/Tagged/image.flac"]
    assert (whole.title, whole.artist, whole.album) == ("Whole Album", "Tag Artist", "Sheet Album")
    assert tracks["Rips/Album/01 Track.wav"].album == "Album"
    assert [str(p) for p in catalog.problems] == [
        "Images/Evil Mastermind - Endgame Singularity/rip.wav: the cue sheet rip.cue cannot split this file"
        " (TRACK 13 starts at 13:00:00, past the file's end (00:00:38)): it is read as one track",
        "Images/Tagged/image.flac: the cue sheet other name.cue cannot split this file (TRACK 03 starts at"
        " 03:00:00, past the file's end (00:00:38)): it is read as one track",
    ]


def test_the_discs_of_a_set_are_one_album(tmp_path):
    """freedb, and the rippers that read it, title each disc of a set "Endings (Disc 1)",
    "Endings (Disc 2)": a real two-disc rip was two albums to the graph (and to training's
    same-album pairs). The album node leaves the disc out; the payload keeps the title as
    tagged. An artist-less album split into CD1/CD2 folders is one album too."""
    from recsys.catalog.discs import album_without_disc
    from recsys.encoders.graph import album_node

    for title in ("Endings (Disc 1)", "Endings [CD 2]", "Endings (Disc 1 of 2)", "Endings - CD2", "Endings, Disc Two",
                  "Endings: Disc 3", "Endings CD2", "Endings (disc 02)"):
        assert album_without_disc(title) == "Endings", title
    for title in ("Disc 2", "CD1", "The Disco Album", "Endings (Discography)", "Endings (Deluxe)", "Dis 2", "ABCD1"):
        assert album_without_disc(title) == title, title

    lib = tmp_path / "lib"
    for disc in (1, 2):
        tagged_flac(lib / f"Rips/Evil Mastermind - Endings (Disc {disc})/01.flac", title=f"T{disc}",
                    artist="Evil Mastermind", album=f"Endings (Disc {disc})")
        _wav(lib / f"Untagged/Some Album/CD{disc}/01 Song.wav")
    _wav(lib / "Untagged/Other Album/CD1/01 Song.wav")
    tracks = _by_file(lib, tmp_path)
    ripped = [tracks[f"Rips/Evil Mastermind - Endings (Disc {d})/01.flac"] for d in (1, 2)]
    assert [t.album for t in ripped] == ["Endings (Disc 1)", "Endings (Disc 2)"]
    assert {album_node(t) for t in ripped} == {"album:evil mastermind/endings"}
    from dataclasses import replace  # artist-less: the folder's album, one per album folder
    untagged = [replace(tracks[f"Untagged/Some Album/CD{d}/01 Song.wav"], artist="") for d in (1, 2)]
    other = replace(tracks["Untagged/Other Album/CD1/01 Song.wav"], artist="")
    assert len({album_node(t) for t in untagged}) == 1
    assert album_node(other) not in {album_node(t) for t in untagged}
