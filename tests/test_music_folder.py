"""A real music library: one file of each format, encoded by PyAV and tagged by mutagen, read as
a music folder (titles, artists, albums, lyrics, comments, covers, folder layout, counts) and
ingested with the tiny encoders (each track gets exactly the modalities it has input for)."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ingest.pipeline import IngestOptions, ingest_catalog
from recsys.catalog import read_catalog, read_music_folder
from recsys.encoders.graph import RandNE, build_graph
from recsys.store import open_backend
from tests.support.tiny_encoders import TINY

av = pytest.importorskip("av")
mutagen = pytest.importorskip("mutagen")


def _encode(path: Path, codec: str, fmt: str, rate: int, *, layout: str = "mono", seconds: float = 2.0,
            options: dict[str, str] | None = None, bit_rate: int | None = None, freq: float = 440.0) -> None:
    """A few seconds of tone, encoded with PyAV (its wheel bundles FFmpeg and these encoders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    channels = 2 if layout == "stereo" else 1
    t = np.arange(int(rate * seconds)) / rate
    tone = (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout, options=options or {})
        if bit_rate:
            stream.bit_rate = bit_rate
        pts = 0
        for start in range(0, tone.size, 1024):
            chunk = np.repeat(tone[None, start:start + 1024], channels, axis=0).T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="flt", layout=layout)
            frame.sample_rate, frame.pts, frame.time_base = rate, pts, Fraction(1, rate)
            pts += chunk.shape[1] // channels
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


#: format -> (file name under the music folder, codec, container, rate, extra encode options)
FORMATS = {
    "mp3": ("incoming/01 mp3 file.mp3", "libmp3lame", "mp3", 44100, {}),
    # FFmpeg's native vorbis encoder is experimental and stereo only
    "ogg": ("incoming/ogg file.ogg", "vorbis", "ogg", 44100, {"layout": "stereo", "options": {"strict": "experimental"}}),
    "opus": ("incoming/opus file.opus", "libopus", "opus", 48000, {}),
    "flac": ("covered/flac file.flac", "flac", "flac", 44100, {}),
    "wav": ("covered/wav file.wav", "pcm_s16le", "wav", 22050, {}),
    "aiff": ("incoming/aiff file.aiff", "pcm_s16be", "aiff", 22050, {}),
    "m4a": ("incoming/m4a file.m4a", "aac", "ipod", 44100, {}),
    "wma": ("incoming/wma file.wma", "wmav2", "asf", 44100, {"bit_rate": 64000}),
}
#: untagged files: an Artist/Album layout gives both, one folder or none gives neither
UNTAGGED = {
    "Untagged Artist/Untagged Album/01 First Song.wav": ("First Song", "Untagged Artist", "Untagged Album"),
    "Untagged Artist/Untagged Album/02 - Second Song.flac": ("Second Song", "Untagged Artist", "Untagged Album"),
    "Solo Artist/3. Only Song.wav": ("Only Song", "", ""),
    "loose one.wav": ("loose one", "", ""),
    "07 loose two.flac": ("loose two", "", ""),
}
UNTAGGED_CODECS = {".wav": ("pcm_s16le", "wav"), ".flac": ("flac", "flac")}

LRC = "[ar:Flac Artist]\n[ti:Flac Song]\n[length:00:02]\n[00:00.10]flac lrc line one\n[00:01.20]flac lrc line two\n"
#: format -> (lyrics, description) the catalog must give; formats without an entry have neither
TEXT = {
    "mp3": ("mp3 lyric words", "mp3 comment"),
    "ogg": ("ogg lyric words", "ogg description"),
    "opus": ("opus lyric words", "opus comment"),
    "flac": ("flac lrc line one\nflac lrc line two", ""),  # the .lrc sidecar
    "wav": ("wav txt lyrics", ""),  # the .txt sidecar
    "aiff": ("aiff lyric words", ""),
    "m4a": ("m4a lyric words", "m4a comment"),
    "wma": ("wma lyric words", "wma description"),
}


def _jpeg(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buffer, format="JPEG")
    return buffer.getvalue()


def _tag(fmt: str, path: Path, cover: bytes) -> None:
    title, artist, album, genre = f"{fmt.title()} Song", f"{fmt.title()} Artist", f"{fmt.title()} Album", "Rock"
    lyrics, comment = TEXT[fmt]
    if fmt in ("mp3", "aiff", "wav"):
        from mutagen.id3 import APIC, COMM, TALB, TCON, TIT2, TPE1, USLT

        audio = mutagen.File(path)
        if audio.tags is None:
            audio.add_tags()
        tags = audio.tags
        tags.add(TIT2(encoding=3, text=title))
        tags.add(TPE1(encoding=3, text=artist))
        if fmt != "wav":  # the wav keeps only title and artist
            tags.add(TALB(encoding=3, text=album))
            tags.add(TCON(encoding=3, text=genre))
            tags.add(USLT(encoding=3, lang="eng", desc="", text=lyrics))
        if comment:
            tags.add(COMM(encoding=3, lang="eng", desc="", text=comment))
            tags.add(COMM(encoding=3, lang="eng", desc="iTunNORM", text=" 0000 0000"))  # technical: ignored
        if fmt == "mp3":
            tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=cover))
        audio.save()
    elif fmt in ("ogg", "opus", "flac"):
        audio = mutagen.File(path)
        audio["title"], audio["artist"], audio["album"], audio["genre"] = title, artist, album, genre
        if fmt == "ogg":
            audio["LYRICS"], audio["DESCRIPTION"] = lyrics, comment
        elif fmt == "opus":
            audio["UNSYNCEDLYRICS"], audio["COMMENT"] = lyrics, comment
        audio.save()
    elif fmt == "m4a":
        from mutagen.mp4 import MP4

        audio = MP4(path)
        audio["\xa9nam"], audio["\xa9ART"], audio["\xa9alb"], audio["\xa9gen"] = [title], [artist], [album], [genre]
        audio["\xa9lyr"], audio["\xa9cmt"] = [lyrics], [comment]
        audio.save()
    elif fmt == "wma":
        from mutagen.asf import ASF

        audio = ASF(path)
        audio["Title"], audio["Author"], audio["WM/AlbumTitle"], audio["WM/Genre"] = [title], [artist], [album], [genre]
        audio["WM/Lyrics"], audio["Description"] = [lyrics], [comment]
        audio.save()
    else:
        raise AssertionError(fmt)


def build_music_folder(root: Path) -> dict[str, bytes]:
    covers = {"embedded": _jpeg((200, 30, 30)), "folder": _jpeg((30, 30, 200))}
    for fmt, (name, codec, container, rate, extra) in FORMATS.items():
        _encode(root / name, codec, container, rate, **extra)
        _tag(fmt, root / name, covers["embedded"])
    (root / "covered" / "cover.jpg").write_bytes(covers["folder"])
    (root / "covered" / "flac file.lrc").write_text(LRC, encoding="utf-8")
    (root / "covered" / "wav file.txt").write_text("wav txt lyrics\n", encoding="utf-8")
    for i, (name, _) in enumerate(UNTAGGED.items()):
        codec, container = UNTAGGED_CODECS[Path(name).suffix]
        _encode(root / name, codec, container, 22050 if container == "wav" else 44100, freq=300.0 + 90 * i)
    (root / "notes.md").write_text("not music\n")
    (root / "incoming" / ".hidden.mp3").write_bytes(b"hidden: neither read nor counted")
    return covers


@pytest.fixture(scope="module")
def music(tmp_path_factory) -> dict:
    """The music folder, its catalog and one ingest of it into an embedded store."""
    base = tmp_path_factory.mktemp("music-folder")
    root = base / "My Music"
    covers = build_music_folder(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RECSYS_HOME", str(base / "recsys-home"))
        catalog = read_music_folder(root, base / "covers")
        again = read_catalog(root, cover_cache=base / "store-covers")
        backend = open_backend(base / "store")
        try:
            report = ingest_catalog(again, backend, IngestOptions(collection="c", batch_size=4, **TINY))
            vectors = {p.track_id: p.vectors for p in backend.scroll("c", with_vectors=True)}
        finally:
            backend.close()
    by_source = {t.source: t for t in catalog.tracks}
    return {"root": root, "covers": covers, "catalog": catalog, "by_source": by_source,
            "report": report, "vectors": vectors, "cache": base / "covers"}


def test_every_audio_file_is_a_track_and_the_counts_add_up(music) -> None:
    catalog = music["catalog"]
    expected = sorted([name for name, *_ in FORMATS.values()] + list(UNTAGGED))
    assert sorted(music["by_source"]) == expected, "formats missing from the catalog: " + ", ".join(
        sorted({Path(n).suffix for n in expected} - {Path(n).suffix for n in music["by_source"]})
    )
    assert catalog.kind == "music-folder" and catalog.problems == []
    # not audio: cover.jpg, the .lrc and .txt sidecars, notes.md; the hidden file is not counted
    assert catalog.stats == {"seen": len(expected) + 4, "audio": len(expected), "skipped": 4, "failed": 0}


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_tagged_file_title_artist_album_text(music, fmt) -> None:
    track = music["by_source"].get(FORMATS[fmt][0])
    assert track is not None, f"{fmt}: not read as a track"
    album = "" if fmt == "wav" else f"{fmt.title()} Album"
    assert (track.title, track.artist, track.album) == (f"{fmt.title()} Song", f"{fmt.title()} Artist", album), fmt
    if fmt != "wav":
        assert track.genres == ("Rock",), fmt
    assert (track.lyrics, track.description) == TEXT[fmt], f"{fmt}: lyrics/description"
    assert track.text_document().startswith(f"{fmt.title()} Song by {fmt.title()} Artist. "), fmt


def test_covers_embedded_and_beside_the_file(music) -> None:
    by_source, covers = music["by_source"], music["covers"]
    mp3 = by_source[FORMATS["mp3"][0]]
    assert mp3.cover_path is not None and mp3.cover_path.parent == music["cache"]
    assert mp3.cover_path.read_bytes() == covers["embedded"]
    for fmt in ("flac", "wav"):
        assert by_source[FORMATS[fmt][0]].cover_path == music["root"] / "covered" / "cover.jpg", fmt
    with_cover = {s for s, t in by_source.items() if t.cover_path is not None}
    assert with_cover == {FORMATS[f][0] for f in ("mp3", "flac", "wav")}


def test_embedded_covers_of_m4a_and_wma(tmp_path: Path) -> None:
    import struct

    from mutagen.asf import ASF, ASFByteArrayAttribute
    from mutagen.mp4 import MP4, MP4Cover

    jpg, other = _jpeg((10, 200, 10)), _jpeg((10, 10, 10))
    _encode(tmp_path / "a.m4a", "aac", "ipod", 44100)
    m4a = MP4(tmp_path / "a.m4a")
    m4a["covr"] = [MP4Cover(jpg, imageformat=MP4Cover.FORMAT_JPEG)]
    m4a.save()
    _encode(tmp_path / "b.wma", "wmav2", "asf", 44100, bit_rate=64000)
    wma = ASF(tmp_path / "b.wma")

    def picture(kind: int, data: bytes) -> ASFByteArrayAttribute:
        mime, desc = "image/jpeg".encode("utf-16-le") + b"\0\0", "d".encode("utf-16-le") + b"\0\0"
        return ASFByteArrayAttribute(bytes([kind]) + struct.pack("<I", len(data)) + mime + desc + data)

    wma["WM/Picture"] = [picture(0, other), picture(3, jpg)]  # the front cover wins
    wma.save()
    cat = read_music_folder(tmp_path, tmp_path / "cache")
    by_source = {t.source: t for t in cat.tracks}
    for name in ("a.m4a", "b.wma"):
        assert name in by_source, f"{name}: not read as a track"
        cover = by_source[name].cover_path
        assert cover is not None and cover.read_bytes() == jpg, name
    assert cat.problems == []


def test_untagged_files_take_artist_and_album_from_the_folders(music) -> None:
    by_source = music["by_source"]
    for name, expected in UNTAGGED.items():
        track = by_source[name]
        assert (track.title, track.artist, track.album) == expected, name
        assert track.lyrics == track.description == "" and track.text_document() == "", name
    assert len({t.track_id for t in music["catalog"].tracks}) == len(music["catalog"].tracks)


def test_untagged_files_share_no_graph_node(music) -> None:
    tracks = music["catalog"].tracks
    by_source = music["by_source"]
    g = build_graph(tracks)
    assert not any(n in ("artist:", "artist:unknown artist") or n.startswith("album:/") for n in g.nodes)
    ids = [by_source[n].track_id for n in ("loose one.wav", "07 loose two.flac",
                                            "Untagged Artist/Untagged Album/01 First Song.wav",
                                            "Untagged Artist/Untagged Album/02 - Second Song.flac")]
    e = RandNE(dim=128).embed_tracks(g, ids)
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    loose = float(e[0] @ e[1])
    same_album = float(e[2] @ e[3])
    assert loose < 0.5, f"two unrelated untagged files: graph cosine {loose:.3f}"
    assert same_album > 0.8, f"two untagged files of one folder album: graph cosine {same_album:.3f}"


def _expected_modalities(track) -> set[str]:
    want = {"audio", "graph", "fused"}
    if track.text_document():
        want.add("text")
    if track.cover_path is not None:
        want.add("image")
    return want


@pytest.mark.parametrize("name", [n for n, *_ in FORMATS.values()] + list(UNTAGGED))
def test_ingest_gives_each_track_exactly_its_modalities(music, name) -> None:
    """Audio for every file depends on the decoder (recsys.encoders.media, PyAV): a failure here
    names the format that did not decode."""
    fmt = Path(name).suffix.lstrip(".")
    track = music["by_source"].get(name)
    assert track is not None, f"{fmt}: not read as a track ({name})"
    problems = [str(p) for p in music["report"].problems if str(p).startswith(name) or name in str(p)]
    assert problems == [], f"{fmt}: ingest problems {problems}"
    got = set(music["vectors"].get(track.track_id, {}))
    assert got == _expected_modalities(track), f"{fmt} ({name}): vectors {sorted(got)}"


def test_ingest_report_counts(music) -> None:
    report, tracks = music["report"], music["catalog"].tracks
    assert report.ok and report.tracks == report.ingested == len(tracks)
    assert report.vectors["audio"] == report.vectors["graph"] == len(tracks), [str(p) for p in report.problems]
    assert report.vectors["text"] == len(TEXT)
    assert report.vectors["image"] == 3


def test_ingest_summary_counts_files_and_decode_failures(tmp_path) -> None:
    """The summary counts what was on disk and what could not be decoded: a folder with two
    good files, a text file and a file named .mp3 that is not audio."""
    import av  # noqa: F401  (the writer below)

    from ingest.pipeline import IngestOptions, ingest_catalog
    from recsys.catalog import read_catalog
    from recsys.store import open_backend
    from tests.support.tiny_encoders import TINY

    root = tmp_path / "music"
    (root / "Band" / "Record").mkdir(parents=True)
    import numpy as np
    import soundfile as sf

    tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(8000 * 2) / 8000)).astype(np.float32)
    sf.write(root / "Band" / "Record" / "01 One.wav", tone, 8000)
    sf.write(root / "Band" / "Record" / "02 Two.flac", tone, 8000)
    (root / "Band" / "Record" / "notes.txt").write_text("liner notes")
    (root / "Band" / "Record" / "03 Broken.mp3").write_bytes(b"ID3 not really an mp3 at all" * 10)
    catalog = read_catalog(root, cover_cache=tmp_path / "covers")
    backend = open_backend(tmp_path / "store")
    try:
        report = ingest_catalog(catalog, backend, IngestOptions(collection="c", **TINY))
    finally:
        backend.close()
    assert report.files["seen"] == 4 and report.files["audio"] == 3 and report.files["skipped"] == 1
    assert report.failed == {"audio": 1}
    assert report.as_dict()["files"] == report.files
    # the track is named by its file: the line does not give its absolute path a second time
    said = [str(p) for p in report.problems if "audio skipped" in str(p)]
    assert said == ["Band/Record/03 Broken.mp3: audio skipped: cannot decode audio"
                    " (Invalid data found when processing input)"], said


def test_linked_folders_are_read_once_and_loops_are_said(tmp_path) -> None:
    """An album linked in from another disk is part of the library (its files were skipped
    without a word); a link back up the tree, or a second link to one folder, is one problem
    line, not a walk without end or every file twice."""
    lib, elsewhere = tmp_path / "lib", tmp_path / "external"
    _encode(lib / "Artist A" / "01 Here.flac", "flac", "flac", 22050)
    _encode(elsewhere / "Album B" / "01 There.flac", "flac", "flac", 22050)
    (lib / "Linked Album").symlink_to(elsewhere / "Album B", target_is_directory=True)
    (lib / "Artist A" / "up").symlink_to(lib, target_is_directory=True)  # a loop
    (lib / "Again").symlink_to(elsewhere / "Album B", target_is_directory=True)  # linked twice
    cat = read_music_folder(lib, tmp_path / "covers")
    sources = sorted(t.audio_path.relative_to(lib).as_posix() for t in cat.tracks)
    assert sources == ["Again/01 There.flac", "Artist A/01 Here.flac"] or sources == [
        "Artist A/01 Here.flac", "Linked Album/01 There.flac"]
    said = sorted(p.where for p in cat.problems if "already read" in p.message)
    assert len(said) == 2 and "Artist A/up" in said


def test_a_disc_folder_takes_the_album_folders_cover(tmp_path) -> None:
    """Album/CD1/01.flac with folder.png in Album/ (how rippers lay out a 2-disc album): the
    tracks of both discs get the album's cover; a disc folder with a cover of its own keeps it,
    and a disc folder at the top of the library looks no higher."""
    lib = tmp_path / "lib"
    album = lib / "Drascula" / "The Vampire Strikes Back"
    for rel in ("CD1/01 One.flac", "Disc 2/02 Two.flac", "CD3/03 Three.flac"):
        _encode(album / rel, "flac", "flac", 22050, seconds=0.5)
    (album / "folder.png").write_bytes(_jpeg((200, 0, 0)))
    (album / "CD3" / "cover.jpg").write_bytes(_jpeg((0, 200, 0)))
    _encode(lib / "CD1" / "04 Loose.flac", "flac", "flac", 22050, seconds=0.5)
    (tmp_path / "cover.jpg").write_bytes(_jpeg((0, 0, 200)))  # outside the library: never used
    by_title = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert by_title["One"].cover_path == by_title["Two"].cover_path == album / "folder.png"
    assert by_title["Three"].cover_path == album / "CD3" / "cover.jpg"
    assert by_title["Loose"].cover_path is None


def test_a_title_tag_with_several_values_gives_the_one_the_file_name_names(tmp_path) -> None:
    """HyperRogue's soundtrack (Debian's hyperrogue-music) tags hr3-desert.ogg with TITLE=Living
    Caves, Crossroads, Desert, ...: a tagger appended instead of replacing. The first value made
    eight different pieces one song ("Living Caves" x8, versions of each other to the dedup,
    and "Desert" no title at all)."""
    from mutagen.flac import FLAC

    lib = tmp_path / "lib"
    appended = ["Living Caves", "Crossroads", "Desert", "Graveyard", "R'Lyeh"]
    names = {"03 Desert.flac": "Desert", "hr3-graveyard.flac": "Graveyard", "11 R'Lyeh.flac": "R'Lyeh",
             "hr3-icyland.flac": "Living Caves", "02 Crossroads (live).flac": "Crossroads"}
    for name in names:
        _encode(lib / "NeonCorridor" / "HyperRogue" / name, "flac", "flac", 22050, seconds=0.5)
        tags = FLAC(lib / "NeonCorridor" / "HyperRogue" / name)
        tags["title"] = appended
        tags.save()
    by_file = {t.audio_path.name: t.title for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert by_file == names


def test_an_empty_audio_file_is_a_problem_not_a_track(tmp_path) -> None:
    """A 0-byte "song.mp3" has no header, tags or sound: as a track it had only a graph vector
    and was recommended on its file name alone."""
    lib = tmp_path / "lib"
    _encode(lib / "Artist A" / "01 Here.flac", "flac", "flac", 22050)
    (lib / "Artist A" / "02 Zero.mp3").write_bytes(b"")
    cat = read_music_folder(lib, tmp_path / "covers")
    assert [t.title for t in cat.tracks] == ["Here"]
    assert [str(p) for p in cat.problems] == ["Artist A/02 Zero.mp3: empty file (0 bytes): not a track"]
    assert cat.stats == {"seen": 2, "audio": 1, "skipped": 1, "failed": 0}


def test_a_deleted_file_is_removed_beside_an_empty_one_and_verify_says_what_to_fix(tmp_path) -> None:
    """A music folder knows which file each problem line is: an empty file (no track) beside a
    deleted one does not keep the deleted file's point, as a manifest's unknown dropped row
    would; verify says to fix the files, not that rows are dropped."""
    import numpy as np
    import soundfile as sf

    from ingest.pipeline import IngestOptions, ingest_catalog
    from ingest.verify import verify_collection
    from recsys.catalog import read_catalog
    from recsys.store import open_backend
    from tests.support.tiny_encoders import TINY

    root = tmp_path / "music"
    (root / "Band").mkdir(parents=True)
    tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(8000 * 2) / 8000)).astype(np.float32)
    for name in ("01 One.wav", "02 Two.wav", "03 Three.wav"):
        sf.write(root / "Band" / name, tone, 8000)

    def ingest(dry_run: bool = False):
        catalog = read_catalog(root, cover_cache=tmp_path / "covers")
        backend = open_backend(tmp_path / "store")
        try:
            report = ingest_catalog(catalog, backend, IngestOptions(collection="c", dry_run=dry_run, **TINY))
            return catalog, report, verify_collection(backend, "c", catalog)
        finally:
            backend.close()

    assert ingest()[1].ingested == 3
    (root / "Band" / "03 Three.wav").unlink()
    (root / "Band" / "04 Zero.mp3").write_bytes(b"")
    # the dry run and verify name the deleted file, not the hash of its path that is its id
    _, dry, checked = ingest(dry_run=True)
    (gone,) = dry.plan["removed"]
    assert dry.plan["names"][gone] == "Band/03 Three.wav"  # as an added track is named: its path in the folder
    extra = [f for f in checked.findings if f.kind == "extra_points"]
    assert extra and extra[0].examples == (str(root / "Band" / "03 Three.wav"),)
    catalog, report, checked = ingest()
    assert report.removed == 1 and report.removal_skipped is None
    assert [str(p) for p in catalog.problems] == ["Band/04 Zero.mp3: empty file (0 bytes): not a track"]
    said = [f.message for f in checked.findings if f.kind == "catalog"]
    assert len(said) == 1 and "fix those files" in said[0] and "dropped" not in said[0]


def test_a_download_s_own_thumbnail_is_its_cover(tmp_path) -> None:
    """yt-dlp's --write-thumbnail leaves "<title> [id].webp" beside each download: two
    downloads in one folder have two covers, before the folder's cover.jpg. A same-named PNG
    (the Internet Archive's spectrogram of each file) is no cover; an unreadable thumbnail is
    passed over with a problem line. A cover.webp is the folder's cover."""
    lib = tmp_path / "lib"
    for name in ("Song One [abc123]", "Song Two [def456]", "Song Three [ghi789]"):
        _encode(lib / "YouTube" / f"{name}.ogg", "flac", "ogg", 22050, seconds=0.5)
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 0, 200)).save(buffer, format="WEBP")
    (lib / "YouTube" / "Song One [abc123].webp").write_bytes(buffer.getvalue())
    (lib / "YouTube" / "Song Two [DEF456].JPG").write_bytes(_jpeg((0, 200, 0)))
    (lib / "YouTube" / "Song Three [ghi789].webp").write_bytes(b"<html>not found</html>")
    (lib / "YouTube" / "cover.jpg").write_bytes(_jpeg((200, 0, 0)))
    _encode(lib / "Archive" / "gd77-05-08d1t01.flac", "flac", "flac", 22050, seconds=0.5)
    (lib / "Archive" / "gd77-05-08d1t01.png").write_bytes(_jpeg((9, 9, 9)))
    (lib / "Archive" / "cover.webp").write_bytes(buffer.getvalue())
    _encode(lib / "Item" / "t01.flac", "flac", "flac", 22050, seconds=0.5)  # an Internet Archive item's picture
    (lib / "Item" / "__ia_thumb.jpg").write_bytes(_jpeg((1, 2, 3)))
    catalog = read_music_folder(lib, tmp_path / "covers")
    covers = {t.source: t.cover_path for t in catalog.tracks}
    assert covers["Item/t01.flac"] == lib / "Item" / "__ia_thumb.jpg"
    assert covers["YouTube/Song One [abc123].ogg"] == lib / "YouTube" / "Song One [abc123].webp"
    assert covers["YouTube/Song Two [def456].ogg"] == lib / "YouTube" / "Song Two [DEF456].JPG"
    assert covers["YouTube/Song Three [ghi789].ogg"] == lib / "YouTube" / "cover.jpg"
    assert covers["Archive/gd77-05-08d1t01.flac"] == lib / "Archive" / "cover.webp"
    assert any("Song Three [ghi789].webp" in p.where and "its track's cover" in p.message for p in catalog.problems)
