"""Tempo and key tags (``recsys.catalog.tempokey``): what DJ software writes in each tag
flavour is read, the key normalised to Camelot; tracks without them keep their payload and
hash, and a collection ingested before the fields re-encodes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.model import TrackRecord
from recsys.catalog.tempokey import compatible_keys, parse_bpm, parse_key
from tests.support.tagged_files import tagged_flac
from tests.test_sync import CALLS, _ingest, _points, counting_encoders  # noqa: F401 - the fixture (autouse)

mutagen = pytest.importorskip("mutagen")


@pytest.mark.parametrize("text, camelot", [
    ("8A", "8A"), ("08a", "8A"), ("12B", "12B"), ("1m", "8A"), ("1d", "8B"), ("12m", "7A"), ("6m", "1A"),
    ("Am", "8A"), ("A minor", "8A"), ("a min", "8A"), ("F#m", "11A"), ("Gbm", "11A"), ("F♯m", "11A"),
    ("Bbm", "3A"), ("B♭m", "3A"), ("E♭ major", "5B"), ("Ebm", "2A"), ("C", "8B"), ("C major", "8B"),
    ("Cmaj", "8B"), ("Db", "3B"), ("C sharp minor", "12A"), ("Abm", "1A"), ("Fm", "4A"), ("bm", "10A"),
    ("8A/Am", "8A"), ("Am - 8A", "8A"),
    ("", ""), ("Off", ""), ("?", ""), ("13A", ""), ("0A", ""), ("H", ""), ("128", ""),
])
def test_a_key_in_any_notation_is_camelot(text, camelot):
    assert parse_key(text) == camelot


@pytest.mark.parametrize("value, bpm", [
    ("128", 128.0), ("127.98", 127.98), ("127,98", 127.98), ("128 BPM", 128.0), (" 90 ", 90.0), (128, 128.0),
    ("300", 300.0), ("0", None), (0, None), ("29", None), ("1280", None), ("fast", None), ("", None), (True, None),
])
def test_a_tempo_is_a_number_in_the_sane_range(value, bpm):
    assert parse_bpm(value) == bpm


def test_compatible_keys_are_the_camelot_neighbours():
    assert compatible_keys("8A") == ("8A", "9A", "7A", "8B")
    assert set(compatible_keys("12B")) == {"12B", "1B", "11B", "12A"}
    assert set(compatible_keys("1A")) == {"1A", "2A", "12A", "1B"}
    assert compatible_keys("Am") == () and compatible_keys("") == ()


def _mp3(path: Path, **frames: str) -> Path:
    from mutagen import id3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tags = id3.ID3()
    tags.add(id3.TIT2(encoding=3, text=path.stem))
    for name, value in frames.items():
        tags.add(getattr(id3, name)(encoding=3, text=value))
    tags.save(path)
    return path


def test_every_tag_flavour_gives_tempo_and_key(tmp_path):
    from mutagen.apev2 import APEv2
    from mutagen.asf import ASF
    from mutagen.mp4 import MP4, MP4FreeForm

    from tests.test_music_folder import _encode

    lib = tmp_path / "lib"
    _mp3(lib / "id3.mp3", TBPM="127.98", TKEY="Am")
    tagged_flac(lib / "vorbis.flac", TITLE="vorbis", BPM="124", INITIALKEY="1d")
    tagged_flac(lib / "vorbis-key.flac", TITLE="vorbis key", BPM="128 BPM", KEY="F#m")
    _encode(lib / "opus.opus", "libopus", "opus", 48000, seconds=0.5)
    opus = mutagen.File(lib / "opus.opus")
    opus["title"], opus["bpm"], opus["initialkey"] = "opus", "140", "4A"
    opus.save()
    _encode(lib / "mp4.m4a", "aac", "ipod", 44100, seconds=0.5)
    mp4 = MP4(lib / "mp4.m4a")
    mp4["\xa9nam"], mp4["tmpo"] = ["mp4"], [126]
    mp4["----:com.apple.iTunes:initialkey"] = [MP4FreeForm(b"Fm")]
    mp4.save()
    _encode(lib / "asf.wma", "wmav2", "asf", 44100, seconds=0.5, bit_rate=64000)
    asf = ASF(lib / "asf.wma")
    asf["Title"], asf["WM/BeatsPerMinute"], asf["WM/InitialKey"] = ["asf"], ["132"], ["E♭ major"]
    asf.save()
    ape = lib / "ape.mp3"
    sf.write(ape, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tag = APEv2()
    tag["Title"], tag["BPM"], tag["InitialKey"] = "ape", "122", "10A"
    tag.save(ape)
    _mp3(lib / "plain.mp3")
    _mp3(lib / "odd.mp3", TBPM="0", TKEY="Off")
    got = {t.source: (t.bpm, t.key) for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert got == {
        "id3.mp3": (127.98, "8A"), "vorbis.flac": (124.0, "8B"), "vorbis-key.flac": (128.0, "11A"),
        "opus.opus": (140.0, "4A"), "mp4.m4a": (126.0, "4A"), "asf.wma": (132.0, "5B"), "ape.mp3": (122.0, "10A"),
        "plain.mp3": (None, ""), "odd.mp3": (None, ""),
    }


def test_a_wave_file_with_id3_tags_gives_them(tmp_path):
    from mutagen import id3
    from mutagen.wave import WAVE

    path = tmp_path / "lib/track.wav"
    path.parent.mkdir(parents=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000)
    wav = WAVE(path)
    wav.add_tags()
    wav.tags.add(id3.TBPM(encoding=3, text="126"))
    wav.tags.add(id3.TKEY(encoding=3, text="Fm"))
    wav.save()
    (track,) = read_music_folder(tmp_path / "lib", tmp_path / "covers").tracks
    assert (track.bpm, track.key) == (126.0, "4A")
    assert track.payload()["bpm"] == 126.0 and track.payload()["key"] == "4A"


def test_a_track_without_the_tags_keeps_its_payload_and_hash():
    """Its content hash as recsys computed it before the fields existed: a collection
    ingested then is not re-encoded for them."""
    t = TrackRecord(track_id="t", title="Stairs", artist="Nexuiz Team", album="Stairs", genres=("Techno",), year=2023)
    assert "bpm" not in t.payload() and "key" not in t.payload()
    assert t.content_hash() == "be7af42e52fbb64b0b0d3b1555693353"
    tagged = TrackRecord(track_id="t", title="Stairs", artist="Nexuiz Team", album="Stairs", genres=("Techno",),
                         year=2023, bpm=140.0, key="4A")
    assert tagged.content_hash() != t.content_hash()


def test_a_collection_ingested_before_the_fields_reencodes_nothing(sample_catalog, tmp_path, monkeypatch):
    """An ingest of the same folder by a reader that knows the tags: the untagged tracks are
    unchanged, the tagged one updated once with its vectors from the embedding cache."""
    from mutagen.flac import FLAC

    import recsys.catalog.fileread as fileread

    music = tmp_path / "music"
    music.mkdir()
    for i, src in enumerate(sorted((sample_catalog / "audio").glob("*.flac"))[:3]):
        shutil.copy(src, music / f"song{i}.flac")
    tags = FLAC(music / "song1.flac")
    tags["bpm"], tags["initialkey"] = "128", "Am"
    tags.save()
    with monkeypatch.context() as m:  # the reader of before: no tempo, no key
        m.setattr(fileread, "tempo_and_key", lambda tags, raw: (None, ""))
        first = _ingest(music, tmp_path)
    assert first.ingested == 3
    CALLS.clear()
    again = _ingest(music, tmp_path)
    assert (again.updated, again.unchanged, again.added) == (1, 2, 0)
    assert sum(CALLS.values()) == 0  # nothing encoded: the updated track's vectors are cached
    stored = {Path(p.payload["audio_path"]).name: p.payload for p in _points(tmp_path).values()}
    assert (stored["song1.flac"]["bpm"], stored["song1.flac"]["key"]) == (128.0, "8A")
    assert "bpm" not in stored["song0.flac"] and "key" not in stored["song2.flac"]
    CALLS.clear()
    assert _ingest(music, tmp_path).unchanged == 3 and sum(CALLS.values()) == 0


def test_a_manifest_takes_bpm_and_key_columns(tmp_path):
    from recsys.catalog.manifest import read_manifest

    path = tmp_path / "manifest.csv"
    path.write_text(
        "track_id,title,artist,bpm,key\n"
        "t1,One,A,128,Am\n"
        "t2,Two,B,127.5 BPM,1d\n"
        "t3,Three,C,,\n"
        "t4,Four,D,fast,H minor\n", encoding="utf-8",
    )
    cat = read_manifest(path)
    got = {t.track_id: (t.bpm, t.key) for t in cat.tracks}
    assert got == {"t1": (128.0, "8A"), "t2": (127.5, "8B"), "t3": (None, ""), "t4": (None, "")}
    assert [str(p) for p in cat.problems] == [
        "manifest.csv:5: bpm 'fast' is not a tempo (30-300)",
        "manifest.csv:5: key 'H minor' is not a musical key (8A, 1m, Am, F# minor...)",
    ]
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text('{"track_id": "t", "title": "T", "artist": "A", "bpm": 124, "key": "F#m"}\n', encoding="utf-8")
    (track,) = read_manifest(jsonl).tracks
    assert (track.bpm, track.key) == (124.0, "11A")


def test_an_easy_id3_view_is_asked_for_the_tempo_and_key_names_as_its_keys_list_them(tmp_path):
    """``tempokey._present`` asks an EasyID3 for the few names it reads instead of calling its
    ``keys()`` (the getter of every registered key, twice a file): the same keys found, with a
    tempo and without one, and with a key registered as the names' own."""
    from mutagen.easyid3 import EasyID3

    from recsys.catalog.tempokey import _PLAIN_BPM, _PLAIN_KEY, _present

    names = _PLAIN_BPM + _PLAIN_KEY
    for path in (_mp3(tmp_path / "bpm.mp3", TBPM="128", TKEY="Am"), _mp3(tmp_path / "plain.mp3")):
        easy = mutagen.File(path, easy=True).tags
        assert isinstance(easy, EasyID3)
        listed = {k.casefold(): k for k in easy.keys() if k.casefold() in names}
        assert _present(easy, names) == listed
    assert _present(mutagen.File(tmp_path / "bpm.mp3", easy=True).tags, names) == {"bpm": "bpm"}
    EasyID3.RegisterTextKey("initialkey", "TKEY")
    try:
        easy = mutagen.File(tmp_path / "bpm.mp3", easy=True).tags
        assert _present(easy, names) == {"bpm": "bpm", "initialkey": "initialkey"}
    finally:
        for table in (EasyID3.Get, EasyID3.Set, EasyID3.Delete):
            table.pop("initialkey", None)


def test_free_named_tempo_and_key_are_read_by_name_without_case():
    """ID3 ``TXXX`` frames and MP4 freeform atoms, however a tool cases their names ("TEMPO",
    "Initial Key", "----:com.apple.iTunes:BPM"), read through ``tagvalues.freeform_texts``: the
    values the reader's own loops read, in the frames' order (the first readable one wins)."""
    from mutagen import id3
    from mutagen.mp4 import MP4FreeForm, MP4Tags

    from recsys.catalog.tempokey import tempo_and_key

    tags = id3.ID3()
    tags.add(id3.TXXX(encoding=3, desc="TEMPO", text=["fast", "96"]))
    tags.add(id3.TXXX(encoding=3, desc="Initial Key", text=["Off"]))
    tags.add(id3.TXXX(encoding=3, desc="KEY", text=["C#m"]))
    tags.add(id3.TXXX(encoding=3, desc="comment", text=["120"]))
    assert tempo_and_key(None, tags) == (96.0, "12A")
    tags.add(id3.TBPM(encoding=3, text="128"))  # the frame of its own comes first
    assert tempo_and_key(None, tags)[0] == 128.0
    mp4 = MP4Tags()
    mp4["----:com.apple.iTunes:BPM"] = [MP4FreeForm(b"121.5")]
    mp4["----:com.apple.iTunes:KEY"] = [MP4FreeForm(b"5A")]
    mp4["----:com.apple.iTunes:tempo"] = [MP4FreeForm(b"99")]  # no MP4 name of a tempo
    assert tempo_and_key(None, mp4) == (121.5, "5A")
