"""The datasets MIR researchers point a music recommender at, laid out as they are published:
GTZAN (``genres/blues/blues.00000.au``, or Kaggle's ``Data/genres_original/blues/*.wav``), FMA
and MTG-Jamendo (files sharded into ``000/``, ``001/``... or ``00/``...), MUSDB18 (``.stem.mp4``:
the mix and four stems in one MP4). GTZAN's .au files were no track at all, its genre folders
gave no genre and ``genres_original`` was the artist of every clip; FMA's shard folders were
albums; MUSDB18 was "no audio files" (``recsys.catalog.categoryfolders``, ``suffixes``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from recsys.catalog import read_catalog
from recsys.catalog.suffixes import is_audio_name, name_without_suffix
from recsys.query.seeds import looks_like_path
from tests.support.tagged_files import tagged_flac
from tests.test_music_folder_tags import _wav

av = pytest.importorskip("av")
pytest.importorskip("mutagen")

from recsys.encoders.media import load_audio  # noqa: E402
from tests.test_audio_formats import HIGH, LOW, mux_samples, pitch, write_tone  # noqa: E402

GTZAN_GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")


def _read(lib: Path, tmp_path: Path) -> dict:
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    return {t.source: t for t in catalog.tracks}


def test_gtzan_as_published_is_read_with_its_genres(tmp_path):
    """genres.tar.gz: ``genres/<genre>/<genre>.000NN.au``, Sun audio, no tags. Each clip's genre
    is its folder's; no artist, no album (a "genres" artist or a "blues" album would be one
    graph node joining a hundred unrelated clips)."""
    lib = tmp_path / "gtzan"
    for genre in GTZAN_GENRES:
        for n in range(2):
            path = lib / "genres" / genre / f"{genre}.{n:05d}.au"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_tone(path, 1.0, channels=1)
    tracks = _read(lib, tmp_path)
    assert len(tracks) == 20
    for genre in GTZAN_GENRES:
        track = tracks[f"genres/{genre}/{genre}.00001.au"]
        assert (track.title, track.artist, track.album, track.genres) == (f"{genre}.00001", "", "", (genre,))


def test_gtzan_from_kaggle_has_no_artist_genres_original(tmp_path):
    """Kaggle's copy: ``Data/genres_original/<genre>/*.wav`` beside ``images_original/`` (mel
    spectrogram PNGs) and two CSVs. ``genres_original`` holds genre folders only: a shelf, no
    artist (it was the artist of all 1,000 clips, "blues" their album)."""
    lib = tmp_path / "kaggle"
    for genre in ("blues", "jazz", "rock"):
        _wav(lib / "Data" / "genres_original" / genre / f"{genre}.00000.wav")
        png = lib / "Data" / "images_original" / genre / f"{genre}00000.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        png.write_bytes(b"\x89PNG\r\n\x1a\n")
    (lib / "Data" / "features_30_sec.csv").write_text("filename,label\nblues.00000.wav,blues\n")
    tracks = _read(lib, tmp_path)
    assert len(tracks) == 3
    jazz = tracks["Data/genres_original/jazz/jazz.00000.wav"]
    assert (jazz.artist, jazz.album, jazz.genres, jazz.cover_path) == ("", "", ("jazz",), None)


def test_a_folder_genre_fills_a_missing_genre_tag_only(tmp_path):
    """``Music/Rock/Queen/Album/x``: untagged, its genre is Rock and its artist Queen; a file
    tagged with a genre keeps its own; a tagged artist without a genre tag gets the folder's."""
    lib = tmp_path / "lib"
    _wav(lib / "Music/Rock/Queen/A Night at the Opera/01 Death on Two Legs.wav")
    _wav(lib / "Music/Jazz/Miles Davis/Kind of Blue/01 So What.wav")
    tagged_flac(lib / "Music/Jazz/Bill Evans/Portrait/01.flac", artist="Bill Evans", title="Autumn Leaves",
                genre="Cool Jazz")
    tagged_flac(lib / "Music/Jazz/Bill Evans/Portrait/02.flac", artist="Bill Evans", title="Witchcraft")
    _wav(lib / "Effects/Puzzle/LTris/click.wav")  # a game's genre sorts sound effects: no music genre
    _wav(lib / "Effects/Arcade/Barrage/bang.wav")
    tracks = _read(lib, tmp_path)
    assert tracks["Effects/Puzzle/LTris/click.wav"].genres == ()
    queen = tracks["Music/Rock/Queen/A Night at the Opera/01 Death on Two Legs.wav"]
    assert (queen.artist, queen.album, queen.genres) == ("Queen", "A Night at the Opera", ("Rock",))
    assert tracks["Music/Jazz/Miles Davis/Kind of Blue/01 So What.wav"].genres == ("Jazz",)
    assert tracks["Music/Jazz/Bill Evans/Portrait/01.flac"].genres == ("Cool Jazz",)
    assert tracks["Music/Jazz/Bill Evans/Portrait/02.flac"].genres == ("Jazz",)


def test_a_cue_sheet_s_genre_comes_before_the_folder_s(tmp_path):
    """An album ripped to one untagged image whose cue sheet says REM GENRE "Progressive Rock",
    shelved under Rock/: the sheet's genre, as before the folders gave one (the folder's filled
    the image's empty genre first, and a split track takes the image's genre before its sheet's)."""
    import soundfile as sf

    lib = tmp_path / "lib"
    image = lib / "Music/Rock/Yes/Close to the Edge/Close to the Edge.wav"
    image.parent.mkdir(parents=True)
    sf.write(image, (0.3 * np.sin(2 * np.pi * 440 * np.arange(8 * 8000) / 8000)).astype(np.float32), 8000)
    (image.parent / "Close to the Edge.cue").write_text(
        'REM GENRE "Progressive Rock"\nPERFORMER "Yes"\nTITLE "Close to the Edge"\nFILE "Close to the Edge.wav" WAVE\n'
        '  TRACK 01 AUDIO\n    TITLE "Close to the Edge"\n    INDEX 01 00:00:00\n'
        '  TRACK 02 AUDIO\n    TITLE "And You and I"\n    INDEX 01 00:04:00\n')
    _wav(lib / "Music/Jazz/Miles Davis/Kind of Blue/01 So What.wav")
    tracks = _read(lib, tmp_path)
    split = [t for source, t in tracks.items() if source.startswith("Music/Rock/")]
    assert [(t.title, t.genres) for t in split] == [
        ("Close to the Edge", ("Progressive Rock",)), ("And You and I", ("Progressive Rock",))]
    assert tracks["Music/Jazz/Miles Davis/Kind of Blue/01 So What.wav"].genres == ("Jazz",)


def test_a_genre_named_band_is_no_genre(tmp_path):
    """A genre-named folder alone at the top over album folders stays an artist (a band called
    "Rock"), as before: nothing shows the library sorts by genre, so it gives no genre either."""
    lib = tmp_path / "lib"
    _wav(lib / "Rock/First Album/01 Song.wav")
    _wav(lib / "Rock/Second Album/01 Song.wav")
    _wav(lib / "Queen/Innuendo/01 Innuendo.wav")
    track = _read(lib, tmp_path)["Rock/First Album/01 Song.wav"]
    assert (track.artist, track.album, track.genres) == ("Rock", "First Album", ())


def test_shard_folders_are_no_albums_and_their_parent_no_artist(tmp_path):
    """FMA's ``fma_small/000/000002.mp3``, MTG-Jamendo's ``raw_30s/audio/00/1000000.mp3``: the
    numbered folders shard files, and an untagged file had the album "000" (one graph node for
    a thousand unrelated tracks) and the artist "fma_small". Tags still give what they say."""
    lib = tmp_path / "data"
    for shard in ("000", "001", "002"):
        _wav(lib / "fma_small" / shard / f"{shard}039.wav")
    tagged_flac(lib / "fma_small/000/000002.flac", artist="AWOL", album="AWOL - A Way Of Life", title="Food")
    for shard in ("00", "14", "99"):
        _wav(lib / "mtg-jamendo/raw_30s/audio" / shard / f"10096{shard}.wav")
    tracks = _read(lib, tmp_path)
    for source in ("fma_small/001/001039.wav", "mtg-jamendo/raw_30s/audio/14/1009614.wav"):
        assert (tracks[source].artist, tracks[source].album) == ("", ""), source
    food = tracks["fma_small/000/000002.flac"]
    assert (food.artist, food.album, food.title) == ("AWOL", "AWOL - A Way Of Life", "Food")


def test_numbered_albums_stay_albums(tmp_path):
    """Adele's "19", "21", "25": numbers, but none zero-padded; a two-disc "01"/"02" is no shard
    set either (three at least). Their folders keep naming albums and the artist."""
    lib = tmp_path / "lib"
    for album in ("19", "21", "25"):
        _wav(lib / "Adele" / album / "01 Song.wav")
    _wav(lib / "Band/Live/01/01 Intro.wav")
    _wav(lib / "Band/Live/02/01 Encore.wav")
    tracks = _read(lib, tmp_path)
    assert (tracks["Adele/21/01 Song.wav"].artist, tracks["Adele/21/01 Song.wav"].album) == ("Adele", "21")
    assert tracks["Band/Live/02/01 Encore.wav"].album == "02"


def test_a_band_named_by_a_number_keeps_its_loose_files(tmp_path):
    """311, 702, 112: a number alone is a band's name as well as a shard's. In a library shelved
    Artist/Album/, the loose untagged files of "Music/311/" are 311's, as "Music/Moby/"'s are
    Moby's; a number is a sorting name only beside its zero-padded kin (``sorting_folders``)."""
    lib = tmp_path / "lib"
    for artist, album in (("Radiohead", "OK Computer"), ("Portishead", "Dummy"), ("Blur", "Parklife")):
        for n in (1, 2):
            tagged_flac(lib / "Music" / artist / album / f"0{n} Song {n}.flac", TITLE=f"Song {n}", ARTIST=artist,
                        ALBUM=album)
    tagged_flac(lib / "Music/311/Amber.flac")
    tagged_flac(lib / "Music/Moby/Porcelain.flac")
    tracks = _read(lib, tmp_path)
    assert tracks["Music/Moby/Porcelain.flac"].artist == "Moby"
    assert (tracks["Music/311/Amber.flac"].artist, tracks["Music/311/Amber.flac"].title) == ("311", "Amber")


def _stem_file(path: Path, seconds: float = 4.0) -> Path:
    """A stem file as MUSDB18 ships them: an MP4 of several AAC streams, the mix first (LOW Hz
    here) and the stems after it (HIGH Hz)."""
    rate = 44100
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mp4") as out:
        streams = [out.add_stream("aac", rate=rate, layout="stereo") for _ in range(3)]
        for index, stream in enumerate(streams):
            data = np.stack([0.4 * np.sin(2 * np.pi * (LOW if index == 0 else HIGH) * np.arange(int(seconds * rate)) / rate)] * 2)
            mux_samples(out, stream, data.astype(np.float32), rate, "stereo")
    return path


def test_musdb18_stem_files_are_tracks_of_their_mix(tmp_path):
    """MUSDB18's ``train/<Artist> - <Title>.stem.mp4``: a track each, titled without ".stem",
    its sound the mix (the first stream); a plain .mp4 (a video) is still passed over."""
    lib = tmp_path / "musdb18"
    stem = _stem_file(lib / "train" / "A Classic Education - NightOwl.stem.mp4")
    _stem_file(lib / "test" / "Al James - Schoolboy Facination.stem.mp4")
    (lib / "test" / "making of.mp4").write_bytes(stem.read_bytes())
    (lib / "train" / "A Classic Education - NightOwl.lrc").write_text("[00:01.00]the owl at night\n")
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    tracks = {t.source: t for t in catalog.tracks}
    assert sorted(tracks) == ["test/Al James - Schoolboy Facination.stem.mp4", "train/A Classic Education - NightOwl.stem.mp4"]
    owl = tracks["train/A Classic Education - NightOwl.stem.mp4"]
    assert (owl.artist, owl.title, owl.lyrics) == ("A Classic Education", "NightOwl", "the owl at night")
    y = load_audio(owl.audio_path, sr=16000)
    assert abs(pitch(y, 16000) - LOW) < 5, "the mix is the first stream"


def test_stem_names():
    assert is_audio_name("x.STEM.mp4") and is_audio_name("x.au") and is_audio_name("x.snd")
    assert not is_audio_name("video.mp4") and not is_audio_name(".stem.mp4")
    assert name_without_suffix("Artist - Song.stem.mp4") == "Artist - Song"
    assert name_without_suffix("a.b.flac") == "a.b"
    assert looks_like_path("NightOwl.stem.mp4") and not looks_like_path("NightOwl")

