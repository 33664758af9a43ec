"""Catalog sources: manifest (JSONL, CSV), the Fairouz dataset, music folders, detection."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from recsys.errors import CatalogError
from recsys.catalog import (
    catalog_kind,
    catalog_name,
    read_catalog,
    read_fairouz,
    read_manifest,
    read_music_folder,
)

FAIROUZ = Path(__file__).resolve().parents[2] / "shared" / "fairouz"
needs_fairouz = pytest.mark.skipif(
    not (FAIROUZ / "ids.json").is_file(),
    reason=f"the Fairouz dataset is not at {FAIROUZ} (it lives in ../shared/fairouz beside the repo)",
)


def _jsonl(path: Path, lines: list[str | dict]) -> Path:
    path.write_text(
        "".join((json.dumps(l) if isinstance(l, dict) else l) + "\n" for l in lines), encoding="utf-8"
    )
    return path


def _problems(catalog) -> list[str]:
    return [str(p) for p in catalog.problems]


# ---- manifest --------------------------------------------------------------------------------

def test_jsonl_good_rows(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "manifest.jsonl", [
        {"track_id": "t1", "title": "One", "artist": "A", "album": "Al", "genres": ["rock", "pop"],
         "tags": "live; loud ;", "year": 1999, "lyrics": "la la", "summary": "s", "description": "d",
         "themes": ["love"], "moods": "happy;sad", "audio": "audio/1.wav", "cover": "c/1.png",
         "playlists": ["p1"], "unknown_column": 5},
        "",
        {"track_id": 2, "title": "Two", "artist": "B", "year": "2001", "audio_path": "sub/../2.flac"},
    ])
    cat = read_manifest(path)
    assert cat.problems == [] and cat.kind == "manifest" and cat.root == tmp_path
    one, two = cat.tracks
    assert (one.track_id, one.title, one.artist, one.album) == ("t1", "One", "A", "Al")
    assert one.genres == ("rock", "pop") and one.tags == ("live", "loud")
    assert one.moods == ("happy", "sad") and one.themes == ("love",) and one.playlists == ("p1",)
    assert one.year == 1999 and one.audio_path == tmp_path / "audio" / "1.wav"
    assert one.cover_path == tmp_path / "c" / "1.png" and one.source == "manifest.jsonl:1"
    assert two.track_id == "2" and two.year == 2001 and two.audio_path == tmp_path / "2.flac"
    assert two.source == "manifest.jsonl:3" and two.cover_path is None


def test_jsonl_bad_rows_each_reported_on_one_line(tmp_path: Path) -> None:
    good = {"track_id": "t1", "title": "T", "artist": "A"}
    path = _jsonl(tmp_path / "manifest.jsonl", [
        good,                                                           # 1
        {"track_id": "t2", "artist": "A"},                              # 2
        '{"track_id": "t3" "title": "x"}',                              # 3
        {"track_id": "t4", "title": "T", "artist": "A", "year": "abc"},  # 4
        {**good},                                                       # 5
        "[1, 2]",                                                       # 6
        {"track_id": "t7", "title": "T", "artist": "A", "audio": "../../etc/passwd"},  # 7
        {"track_id": "t8", "title": "T", "artist": "A", "cover": "/etc/passwd"},  # 8
        {"track_id": "t9", "title": ["x"], "artist": "A"},              # 9
        {"track_id": "t10", "title": "T", "artist": "A", "genres": {"a": 1}, "album": [1]},  # 10
        {"track_id": "t11", "title": " ", "artist": ""},                # 11
    ])
    cat = read_manifest(path)
    assert _problems(cat) == [
        "manifest.jsonl:2: missing required field 'title'",
        "manifest.jsonl:3: invalid JSON (Expecting ',' delimiter at column 19)",
        "manifest.jsonl:4: year 'abc' is not a number",
        "manifest.jsonl:5: duplicate track_id 't1' (first at line 1)",
        "manifest.jsonl:6: expected a JSON object, got list",
        "manifest.jsonl:7: audio path '../../etc/passwd' escapes the catalog folder",
        "manifest.jsonl:8: cover path '/etc/passwd' escapes the catalog folder",
        "manifest.jsonl:9: field 'title' must be text, got list",
        "manifest.jsonl:10: field 'album' must be text, got list",
        "manifest.jsonl:10: field 'genres' must be a list or a ';'-separated text, got object",
        "manifest.jsonl:11: missing required fields 'title', 'artist'",
    ]
    # a bad optional field drops only that field: the track stays
    assert [t.track_id for t in cat.tracks] == ["t1", "t4", "t7", "t8", "t10"]
    kept = cat.by_id()
    assert kept["t4"].year is None and kept["t7"].audio_path is None and kept["t8"].cover_path is None
    assert kept["t10"].genres == () and kept["t10"].album == ""


def test_csv_good_rows_with_quotes_and_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        "\ufeffTrack_ID,title,artist,genres,year,lyrics,audio,extra\n"
        't1,"Hello, World",A,rock; pop,1999,"line one\nline two",a/1.wav,x\n'
        "\n"
        "t2,Second,B,,,,,\n",
        encoding="utf-8",
    )
    cat = read_manifest(path)
    assert cat.problems == []
    one, two = cat.tracks
    assert one.title == "Hello, World" and one.genres == ("rock", "pop") and one.year == 1999
    assert one.lyrics == "line one\nline two" and one.audio_path == tmp_path / "a" / "1.wav"
    assert one.source == "manifest.csv:2" and two.source == "manifest.csv:5"
    assert two.genres == () and two.year is None and two.audio_path is None


def test_csv_bad_rows_report_the_file_line(tmp_path: Path) -> None:
    lines = ["track_id,title,artist,year,audio"]
    lines += [f"t{i},Title {i},Artist,2000,a/{i}.wav" for i in range(2, 13)]  # lines 2..12
    lines += ['t13,"multi\nline",Artist,,']  # lines 13-14
    lines += ["t15,,Artist,,"]  # line 15
    lines += ["t16,T,A,abc,"]  # line 16
    lines += ["t17,T,A,,../../etc/passwd"]  # line 17
    lines += ["t2,T,A,,"]  # line 18
    lines += ["t19,T,A,1990,x.wav,surplus"]  # line 19
    path = tmp_path / "manifest.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cat = read_manifest(path)
    assert _problems(cat) == [
        "manifest.csv:15: missing required field 'title'",
        "manifest.csv:16: year 'abc' is not a number",
        "manifest.csv:17: audio path '../../etc/passwd' escapes the catalog folder",
        "manifest.csv:18: duplicate track_id 't2' (first at line 2)",
        "manifest.csv:19: row has 6 fields but the header has 5 (quote values that contain commas)",
    ]
    ids = [t.track_id for t in cat.tracks]
    assert ids == [f"t{i}" for i in range(2, 14)] + ["t16", "t17"]
    assert cat.by_id()["t13"].title == "multi\nline"


def test_year_values(tmp_path: Path) -> None:
    rows = [{"track_id": f"t{i}", "title": "T", "artist": "A", "year": y}
            for i, y in enumerate([1999.0, "1999.5", 123456, True, " 2004 "])]
    cat = read_manifest(_jsonl(tmp_path / "m.jsonl", rows))
    assert _problems(cat) == [
        "m.jsonl:2: year '1999.5' is not a whole number",
        "m.jsonl:3: year '123456' is out of range (1000-2999)",
        "m.jsonl:4: year 'true' is not a number",
    ]
    assert [t.year for t in cat.tracks] == [1999, None, None, None, 2004]


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_manifest_is_an_error(tmp_path: Path, content: str) -> None:
    for name in ("manifest.jsonl", "manifest.csv"):
        (tmp_path / name).write_text(content)
        with pytest.raises(CatalogError, match="is empty"):
            read_manifest(tmp_path / name)


def test_unusable_manifests_are_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="does not exist"):
        read_manifest(tmp_path / "manifest.jsonl")
    (tmp_path / "m.txt").write_text("x")
    with pytest.raises(CatalogError, match=r"\.jsonl or \.csv"):
        read_manifest(tmp_path / "m.txt")
    (tmp_path / "h.csv").write_text("track_id,title,artist\n")
    with pytest.raises(CatalogError, match="is empty"):
        read_manifest(tmp_path / "h.csv")
    (tmp_path / "c.csv").write_text("id,title\n1,x\n")
    with pytest.raises(CatalogError, match=r"c\.csv:1: header lacks required column\(s\) 'track_id', 'artist'"):
        read_manifest(tmp_path / "c.csv")
    (tmp_path / "b.jsonl").write_bytes(b'{"track_id": "a", "title": "b", "artist": "c"}\n{"x": "\xff"}\n')
    with pytest.raises(CatalogError, match=r"b\.jsonl:2: not UTF-8"):
        read_manifest(tmp_path / "b.jsonl")


def test_catalog_name_is_a_slug() -> None:
    assert catalog_name(Path("/x/My Music (2024)!")) == "my-music-2024"
    assert catalog_name(Path("/x/Fairouz")) == "fairouz"
    assert catalog_name(Path("/x/Émilie_Songs")) == "emilie_songs"
    assert catalog_name(Path("/x/!!!")) == "catalog"


# ---- Fairouz ---------------------------------------------------------------------------------

@needs_fairouz
def test_fairouz_tracks_and_published_vectors() -> None:
    cat = read_fairouz(FAIROUZ)
    ids = json.loads((FAIROUZ / "ids.json").read_text())
    assert cat.kind == "fairouz" and cat.name == "fairouz" and cat.root == FAIROUZ
    assert len(cat.tracks) == 822 and [t.track_id for t in cat.tracks] == ids
    shapes = {k: v.shape for k, v in cat.precomputed.items()}
    assert shapes == {"text": (822, 1024), "image": (822, 512), "audio": (822, 128), "graph": (822, 128)}
    assert all(v.dtype == np.float32 for v in cat.precomputed.values())
    assert set(cat.precomputed_encoders) == set(cat.precomputed)
    assert cat.precomputed_encoders["text"] == "mxbai-embed-large-v1 (published)"
    zero_text = ~cat.precomputed["text"].any(axis=1)
    assert int(zero_text.sum()) == 49
    # rows line up with tracks: the zero text rows are exactly the tracks without lyrics text
    assert [t.text_document() == "" for t in cat.tracks] == zero_text.tolist()
    assert sum(bool(t.genres) for t in cat.tracks) >= 0.9 * 822
    first = cat.tracks[0]
    assert first.title == "True Colors" and first.artist == "The Weeknd" and len(first.themes) == 5
    assert len(first.moods) == 5 and first.summary and first.audio_path is None and first.cover_path is None


@needs_fairouz
def test_fairouz_graph_choice_and_metadata_only() -> None:
    randne = read_fairouz(FAIROUZ).precomputed["graph"]
    deepwalk = read_fairouz(FAIROUZ, graph="deepwalk")
    assert deepwalk.precomputed_encoders["graph"] == "karateclub-deepwalk (published)"
    assert not np.array_equal(randne, deepwalk.precomputed["graph"])
    with pytest.raises(CatalogError, match="choose one of: deepwalk, graphwave, node2vec, randne, role2vec"):
        read_fairouz(FAIROUZ, graph="nope")
    meta_only = read_catalog(FAIROUZ, cover_cache=Path("/nonexistent"))
    assert meta_only.kind == "fairouz" and meta_only.precomputed == {} and len(meta_only.tracks) == 822
    assert read_catalog(FAIROUZ, precomputed=True, cover_cache=Path("/x")).precomputed["text"].shape == (822, 1024)


# ---- music folder ----------------------------------------------------------------------------

def _clip() -> np.ndarray:
    return (0.2 * np.sin(2 * np.pi * 440 * np.arange(4410) / 22050)).astype(np.float32)


def _image_bytes(color: tuple[int, int, int], fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(buffer, format=fmt)
    return buffer.getvalue()


def _music_folder(root: Path) -> dict[str, bytes]:
    from mutagen.flac import FLAC, Picture
    from mutagen.id3 import APIC, TCON, TDRC, TIT2, TPE1
    from mutagen.oggvorbis import OggVorbis
    from mutagen.wave import WAVE

    (root / "album").mkdir(parents=True)
    (root / "loose").mkdir()
    png, jpg = _image_bytes((200, 0, 0), "PNG"), _image_bytes((0, 0, 200), "JPEG")

    sf.write(root / "album" / "01 song.flac", _clip(), 22050)
    flac = FLAC(root / "album" / "01 song.flac")
    flac.update({"title": "Flac Song", "artist": "Flac Artist", "album": "Flac Album",
                 "genre": ["Folk", "Acoustic"], "date": "2004-05-06"})
    pic = Picture()
    pic.type, pic.mime, pic.data = 3, "image/png", png
    flac.add_picture(pic)
    flac.save()

    sf.write(root / "album" / "02 tagged.wav", _clip(), 22050)
    wave = WAVE(root / "album" / "02 tagged.wav")
    wave.add_tags()
    wave.tags.add(TIT2(encoding=3, text="Wave Song"))
    wave.tags.add(TPE1(encoding=3, text="Wave Artist"))
    wave.tags.add(TCON(encoding=3, text="Jazz"))
    wave.tags.add(TDRC(encoding=3, text="1961"))
    wave.tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=jpg))
    wave.save()

    sf.write(root / "album" / "03 vorbis.ogg", _clip(), 22050)
    ogg = OggVorbis(root / "album" / "03 vorbis.ogg")
    ogg["title"] = "Ogg Song"
    opic = Picture()
    opic.type, opic.mime, opic.data = 3, "image/png", png  # same picture as the flac: one cache file
    ogg["metadata_block_picture"] = [base64.b64encode(opic.write()).decode("ascii")]
    ogg.save()

    sf.write(root / "loose" / "untagged.wav", _clip(), 22050)
    (root / "loose" / "Folder.JPG").write_bytes(jpg)
    (root / "loose" / "broken.flac").write_bytes(b"fLaC\x00\x00\x00\x22" + b"\x01" * 10)
    (root / "loose" / "._untagged.wav").write_bytes(b"resource fork")  # hidden: skipped
    (root / "loose" / "notes.txt").write_text("not music")
    return {"png": png, "jpg": jpg}


def test_music_folder_tags_covers_and_problems(tmp_path: Path) -> None:
    music, cache = tmp_path / "My Music", tmp_path / "cache"
    pictures = _music_folder(music)
    cat = read_music_folder(music, cache)
    assert cat.kind == "music-folder" and cat.name == "my-music"
    by_source = {t.source: t for t in cat.tracks}
    assert list(by_source) == [
        "album/01 song.flac", "album/02 tagged.wav", "album/03 vorbis.ogg",
        "loose/broken.flac", "loose/untagged.wav",
    ]
    flac = by_source["album/01 song.flac"]
    assert (flac.title, flac.artist, flac.album, flac.genres, flac.year) == (
        "Flac Song", "Flac Artist", "Flac Album", ("Folk", "Acoustic"), 2004)
    assert flac.cover_path is not None and flac.cover_path.parent == cache
    assert flac.cover_path.suffix == ".png" and flac.cover_path.read_bytes() == pictures["png"]
    assert flac.audio_path == music / "album" / "01 song.flac"

    wave = by_source["album/02 tagged.wav"]
    assert (wave.title, wave.artist, wave.genres, wave.year) == ("Wave Song", "Wave Artist", ("Jazz",), 1961)
    assert wave.cover_path is not None and wave.cover_path.suffix == ".jpg"
    assert wave.cover_path.read_bytes() == pictures["jpg"]

    ogg = by_source["album/03 vorbis.ogg"]
    # no artist tag, one folder deep: no artist (the folder may be "Downloads" as well as a band)
    assert (ogg.title, ogg.artist, ogg.album) == ("Ogg Song", "", "") and ogg.cover_path == flac.cover_path

    plain = by_source["loose/untagged.wav"]
    assert (plain.title, plain.artist) == ("untagged", "")
    assert plain.cover_path == music / "loose" / "Folder.JPG"

    broken = by_source["loose/broken.flac"]
    assert (broken.title, broken.artist) == ("broken", "")
    assert broken.cover_path == music / "loose" / "Folder.JPG"
    assert len(cat.problems) == 1
    assert str(cat.problems[0]).startswith("loose/broken.flac: cannot read tags (")
    assert sorted(p.name for p in cache.iterdir()) == sorted({flac.cover_path.name, wave.cover_path.name})
    # Folder.JPG and notes.txt are not audio; the hidden ._untagged.wav is not counted at all
    assert cat.stats == {"seen": 7, "audio": 5, "skipped": 2, "failed": 1}

    again = read_music_folder(music, cache)
    assert [t.track_id for t in again.tracks] == [t.track_id for t in cat.tracks]
    assert len({t.track_id for t in cat.tracks}) == len(cat.tracks)


@pytest.mark.skipif("MP3" not in sf.available_formats(), reason="this libsndfile cannot write MP3")
def test_music_folder_mp3_with_id3_cover(tmp_path: Path) -> None:
    from mutagen.id3 import APIC
    from mutagen.mp3 import MP3

    sf.write(tmp_path / "a.mp3", _clip(), 22050)
    easy = MP3(tmp_path / "a.mp3")
    easy.add_tags()
    easy.save()
    from mutagen.easyid3 import EasyID3

    tags = EasyID3(tmp_path / "a.mp3")
    tags.update({"title": "Mp3 Song", "artist": "Mp3 Artist", "genre": "Techno", "date": "1995"})
    tags.save()
    full = MP3(tmp_path / "a.mp3")
    full.tags.add(APIC(encoding=3, mime="image/png", type=0, desc="other", data=_image_bytes((1, 2, 3), "PNG")))
    full.tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="front", data=_image_bytes((9, 9, 9), "JPEG")))
    full.save()
    (track,) = read_music_folder(tmp_path, tmp_path / "covers").tracks
    assert (track.title, track.artist, track.genres, track.year) == ("Mp3 Song", "Mp3 Artist", ("Techno",), 1995)
    assert track.cover_path is not None and track.cover_path.suffix == ".jpg"  # the front cover wins


def test_music_folder_corrupt_embedded_picture_falls_back(tmp_path: Path) -> None:
    from mutagen.flac import FLAC, Picture

    sf.write(tmp_path / "a.flac", _clip(), 22050)
    flac = FLAC(tmp_path / "a.flac")
    pic = Picture()
    pic.type, pic.mime, pic.data = 3, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    flac.add_picture(pic)
    flac.save()
    (tmp_path / "cover.png").write_bytes(_image_bytes((5, 5, 5), "PNG"))
    cat = read_music_folder(tmp_path, tmp_path / "cache")
    assert cat.tracks[0].cover_path == tmp_path / "cover.png"
    assert _problems(cat) == ["a.flac: embedded cover picture cannot be decoded"]


def test_clean_lyrics_strips_lrc_timestamps_and_headers() -> None:
    from recsys.catalog.sidecars import clean_lyrics

    lrc = (
        "\ufeff[ar:Some Artist]\r\n[ti:Some Song]\r\n[offset:+200]\r\n"
        "[00:01.00]First line\r\n[00:05.50][01:05.50]Chorus <00:06.10>line\r\n\r\n\r\n[00:09]Last [sic] line\r\n"
    )
    assert clean_lyrics(lrc.lstrip("\ufeff")) == "First line\nChorus line\n\nLast [sic] line"
    assert clean_lyrics("plain\n\n\n\nlyrics\n") == "plain\n\nlyrics"


def test_title_from_name_and_folder_layout() -> None:
    from recsys.catalog.folderlayout import folder_layout as _layout
    from recsys.catalog.filenames import title_from_name

    for stem in ("01 River", "01 - River", "1. River", "01. River", "3-07 River", "12_River"):
        assert title_from_name(stem) == "River", stem
    assert title_from_name("River") == "River" and title_from_name("1979") == "1979"
    assert title_from_name("01") == "01"
    assert _layout("Artist/Album/01 x.mp3") == ("Artist", "Album")
    assert _layout("Genre/Artist/Album/01 x.mp3") == ("Artist", "Album")
    assert _layout("Artist/Album/CD2/01 x.mp3") == ("Artist", "Album")
    assert _layout("Artist/01 x.mp3") == ("", "")
    assert _layout("01 x.mp3") == ("", "")


def test_music_folder_lyrics_precedence_embedded_then_lrc_then_txt(tmp_path: Path) -> None:
    from mutagen.flac import FLAC

    for name in ("emb", "lrc", "txt", "none"):
        sf.write(tmp_path / f"{name}.flac", _clip(), 22050)
    tagged = FLAC(tmp_path / "emb.flac")
    tagged["LYRICS"] = "embedded words"
    tagged["COMMENT"] = "a comment"
    tagged["DESCRIPTION"] = "a description"
    tagged.save()
    for stem in ("emb", "lrc"):
        (tmp_path / f"{stem}.lrc").write_text("[ti:x]\n[00:01.00]lrc words\n", encoding="utf-8")
    for stem in ("emb", "lrc", "txt"):
        (tmp_path / f"{stem}.TXT").write_bytes("txt w\xf6rds\n".encode("latin-1"))  # not UTF-8
    cat = read_music_folder(tmp_path, tmp_path / "cache")
    by_title = {t.title: t for t in cat.tracks}
    assert by_title["emb"].lyrics == "embedded words"
    assert by_title["emb"].description == "a comment\na description"
    assert by_title["lrc"].lyrics == "lrc words"
    assert by_title["txt"].lyrics == "txt w\xf6rds"
    assert by_title["none"].lyrics == "" and by_title["none"].text_document() == ""
    # loose files at the root without an artist tag: no artist at all, and no "by" in the text
    assert {t.artist for t in cat.tracks} == {""}
    assert by_title["txt"].text_document() == "txt. txt w\xf6rds"
    assert cat.stats == {"seen": 9, "audio": 4, "skipped": 5, "failed": 0}


def test_graph_gives_artistless_tracks_no_shared_node() -> None:
    from recsys.catalog.model import TrackRecord
    from recsys.encoders.graph import RandNE, build_graph, track_node

    tracks = [TrackRecord(track_id=f"t{i}", title=f"x{i}", artist="") for i in range(3)]
    tracks.append(TrackRecord(track_id="t3", title="y", artist="", album="Same"))
    tracks.append(TrackRecord(track_id="t4", title="z", artist=" ", album="Same"))
    g = build_graph(tracks)
    assert not [n for n in g.nodes if n.startswith("artist:")]
    for t in tracks:
        own = [n for n in g.neighbors(track_node(t.track_id)) if n.startswith("anonymous:")]
        assert own == [f"anonymous:{t.track_id}"]
    e = RandNE(dim=128).embed_tracks(g, [t.track_id for t in tracks])
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    sims = e @ e.T
    assert abs(sims[0, 1]) < 0.5 and abs(sims[0, 2]) < 0.5 and abs(sims[1, 2]) < 0.5
    assert sims[3, 4] > sims[0, 1] + 0.2  # a shared album tag still links two artist-less tracks


def test_music_folder_without_audio_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(CatalogError, match="no catalog found"):
        read_music_folder(tmp_path, tmp_path / "cache")
    with pytest.raises(CatalogError, match="does not exist"):
        read_music_folder(tmp_path / "nope", tmp_path / "cache")


# ---- detection -------------------------------------------------------------------------------

def test_read_catalog_detects_the_source(tmp_path: Path) -> None:
    row = {"track_id": "t1", "title": "T", "artist": "A"}
    lib = tmp_path / "Lib One"
    lib.mkdir()
    _jsonl(lib / "manifest.jsonl", [row])
    sf.write(lib / "ignored.wav", _clip(), 22050)  # a manifest folder is read through its manifest
    cache = tmp_path / "cache"
    assert catalog_kind(lib) == "manifest"
    cat = read_catalog(lib, cover_cache=cache)
    assert cat.kind == "manifest" and cat.name == "lib-one" and [t.track_id for t in cat.tracks] == ["t1"]
    assert read_catalog(lib / "manifest.jsonl", cover_cache=cache).name == "lib-one"

    (lib / "manifest.csv").write_text("track_id,title,artist\nt1,T,A\n")
    with pytest.raises(CatalogError, match="has both manifest.jsonl and manifest.csv"):
        read_catalog(lib, cover_cache=cache)
    (lib / "manifest.jsonl").unlink()
    assert read_catalog(lib, cover_cache=cache).tracks[0].source == "manifest.csv:2"

    music = tmp_path / "music"
    music.mkdir()
    sf.write(music / "a.wav", _clip(), 22050)
    assert catalog_kind(music) == "music-folder"
    assert read_catalog(music, cover_cache=cache).kind == "music-folder"

    with pytest.raises(CatalogError, match="does not exist"):
        read_catalog(tmp_path / "missing", cover_cache=cache)
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(CatalogError, match="not a catalog"):
        read_catalog(tmp_path / "x.txt", cover_cache=cache)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CatalogError, match="no catalog found"):
        read_catalog(empty, cover_cache=cache)
