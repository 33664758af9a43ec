"""A retagged file (genre, cover, lyrics) is not decoded and encoded again: the audio embedding
cache knows it by its sound (``recsys.encoders.audio_key``), not by the whole file's bytes."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from mutagen.flac import FLAC, Picture
from mutagen.id3 import ID3, TCON, TIT2, TPE1, USLT
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis

from recsys.encoders.audio_key import audio_stream_key
from tests import test_sync
from tests.test_sync import CALLS, LOADS, _ingest

#: test_sync's autouse fixture (counting encoders), in force here too
counting_encoders = test_sync.counting_encoders

#: extension -> (soundfile format, subtype)
FORMATS = {
    "flac": ("FLAC", "PCM_16"),
    "ogg": ("OGG", "VORBIS"),
    "opus": ("OGG", "OPUS"),
    "mp3": ("MP3", "MPEG_LAYER_III"),
    "wav": ("WAV", "PCM_16"),
}


def _write(path: Path, freq: float) -> None:
    sr = 48000 if path.suffix == ".opus" else 22050
    t = np.arange(sr * 2) / sr
    fmt, subtype = FORMATS[path.suffix[1:]]
    sf.write(str(path), 0.3 * np.sin(2 * np.pi * freq * t), sr, format=fmt, subtype=subtype)


def _tag(path: Path, artist: str, genre: str, lyrics: str = "") -> None:
    """What a tagger does: new tags, lyrics, an embedded cover where the format holds one."""
    ext = path.suffix[1:]
    if ext == "mp3":
        tags = ID3()
        tags.add(TPE1(encoding=3, text=artist))
        tags.add(TIT2(encoding=3, text=path.stem))
        tags.add(TCON(encoding=3, text=genre))
        if lyrics:
            tags.add(USLT(encoding=3, lang="eng", desc="", text=lyrics))
        tags.save(path)
    elif ext == "wav":
        return  # a WAV's LIST chunk: left to the reader's own tests
    else:
        f = {"flac": FLAC, "ogg": OggVorbis, "opus": OggOpus}[ext](path)
        f["artist"], f["title"], f["genre"] = artist, path.stem, genre
        if lyrics:
            f["lyrics"] = lyrics
        if ext == "flac" and lyrics:
            pic = Picture()
            pic.type, pic.mime, pic.data = 3, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 5000
            f.add_picture(pic)
        f.save()


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_retagging_keeps_the_sound_key_and_new_sound_changes_it(tmp_path, ext):
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    _write(a, 440.0)
    _write(b, 660.0)
    _tag(a, "Old", "Rock")
    _tag(b, "Old", "Rock")
    before = audio_stream_key(a)
    assert before is not None and before != audio_stream_key(b)
    _tag(a, "Someone Else feat. X", "Ambient", lyrics="la la la\n" * 200)
    assert audio_stream_key(a) == before
    _write(a, 441.0)  # re-encoded: a new sound, a new key
    assert audio_stream_key(a) != before


def test_unknown_or_cut_files_are_keyed_on_the_whole_file(tmp_path):
    (tmp_path / "x.m4a").write_bytes(b"\0\0\0\x20ftypM4A " + b"\0" * 100)
    assert audio_stream_key(tmp_path / "x.m4a") is None
    cut = tmp_path / "cut.flac"
    cut.write_bytes(b"fLaC\x00\x00\x00\x22" + b"\0" * 10)  # STREAMINFO says 34 bytes, 10 follow
    assert audio_stream_key(cut) is None
    assert audio_stream_key(tmp_path / "missing.ogg") is None


def test_reingest_after_retagging_encodes_no_audio(tmp_path):
    lib = tmp_path / "lib" / "Band" / "Album"
    lib.mkdir(parents=True)
    for i, ext in enumerate(("flac", "ogg", "mp3")):
        _write(lib / f"0{i + 1} song {ext}.{ext}", 300.0 + 100 * i)
        _tag(lib / f"0{i + 1} song {ext}.{ext}", "Band", "Rock")
    first = _ingest(tmp_path / "lib", tmp_path)
    assert first.added == 3 and CALLS["audio"] == 3
    CALLS.clear()
    for f in lib.iterdir():
        _tag(f, "Band feat. Guest", "Ambient", lyrics="words\n")
    second = _ingest(tmp_path / "lib", tmp_path)
    assert second.updated == 3  # the tags changed: the payload and the text are new
    assert CALLS["audio"] == 0  # the sound did not: its vectors come from the cache


def _album_with_covers(tmp_path: Path) -> Path:
    """Band/Album: three tagged files (FLAC, Ogg, MP3) and a cover.png; returns the album folder."""
    from PIL import Image

    lib = tmp_path / "lib" / "Band" / "Album"
    lib.mkdir(parents=True)
    for i, ext in enumerate(("flac", "ogg", "mp3")):
        _write(lib / f"0{i + 1} song {ext}.{ext}", 300.0 + 100 * i)
        _tag(lib / f"0{i + 1} song {ext}.{ext}", "Band", "Rock")
    Image.new("RGB", (32, 32), (200, 40, 90)).save(lib / "cover.png")
    return lib


def _vectors(tmp_path: Path) -> dict:
    return {Path(p.payload["audio_path"]).name: p.vectors for p in _all_points(tmp_path)}


def _ingested_afresh(tmp_path: Path) -> tuple[Path, dict]:
    """The album ingested, its vectors, and no model loaded nor counted since (as a new run)."""
    from recsys.encoders.registry import clear_encoder_cache

    lib = _album_with_covers(tmp_path)
    assert _ingest(tmp_path / "lib", tmp_path).added == 3
    before = _vectors(tmp_path)
    clear_encoder_cache()
    LOADS.clear()
    CALLS.clear()
    return lib, before


def test_a_retag_whose_vectors_are_all_cached_loads_no_model(tmp_path, monkeypatch):
    """Retagged files need no model: their sounds and their cover are in the embedding cache.
    Loading the image and audio models (and importing torch to pick their device) was 3.1 s
    of the 3.7 s such an ingest took on a real library (ingest.deferred)."""
    import recsys.device as device_mod

    lib, before = _ingested_afresh(tmp_path)
    for f in lib.glob("0*"):
        _tag(f, "Band feat. Guest", "Ambient")

    def no_lookup(requested=None):
        if requested in (None, "auto"):
            raise AssertionError("the device was looked up (torch imported) with no model to load")
        return requested  # named: no torch (the graph encoder's "cpu")

    monkeypatch.setattr(device_mod, "pick_device", no_lookup)
    second = _ingest(tmp_path / "lib", tmp_path, batch_size=None)
    assert second.updated == 3 and second.cached == {"image": 3, "audio": 3}
    assert not LOADS and not CALLS["audio"] and not CALLS["image"]
    after = _vectors(tmp_path)
    for name, vectors in before.items():
        for m in ("image", "audio"):
            np.testing.assert_array_equal(after[name][m], vectors[m])


def test_a_model_deferred_for_a_cache_that_lacks_an_input_after_all_loads_then(tmp_path, monkeypatch):
    """The cache was asked before the run; should it lack an input when the chunk comes (another
    process pruned it), the deferred model loads then and the track gets its vector."""
    from ingest import deferred

    lib, before = _ingested_afresh(tmp_path)
    _write(lib / "02 song ogg.ogg", 1250.0)  # a new sound: the cache lacks it
    _tag(lib / "02 song ogg.ogg", "Band", "Rock")
    monkeypatch.setattr(deferred, "cached_modalities", lambda infos, *a: set(infos))  # "all cached"
    second = _ingest(tmp_path / "lib", tmp_path)
    assert second.updated == 1 and second.vectors["audio"] == 1 and not second.failed
    assert LOADS == {"count-audio": 1} and CALLS["audio"] == 1  # loaded at its first use, once
    after = _vectors(tmp_path)
    assert not np.allclose(after["02 song ogg.ogg"]["audio"], before["02 song ogg.ogg"]["audio"])


def test_the_cache_probe_stops_at_a_miss_and_reads_no_file_twice(tmp_path, monkeypatch):
    """New sounds among the tracks to encode: the model loads, and each file is still read
    once for its digest and its sound key (the probe's read is the one the chunk reader uses)."""
    lib = _album_with_covers(tmp_path)
    assert _ingest(tmp_path / "lib", tmp_path).added == 3
    from recsys.encoders.registry import clear_encoder_cache

    clear_encoder_cache()
    LOADS.clear()
    for i, f in enumerate(sorted(lib.glob("0*"))):
        _write(f, 900.0 + 50 * i)
        _tag(f, "Band", "Rock")
    opened = _count_hash_reads(monkeypatch)
    again = _ingest(tmp_path / "lib", tmp_path)
    assert again.updated == 3 and again.vectors["audio"] == 3 and "count-audio" in LOADS
    assert {n: c for n, c in opened.items() if n.startswith("0")} == {f.name: 1 for f in lib.glob("0*")}


def _count_hash_reads(monkeypatch) -> dict[str, int]:
    """How many times the ingest opens each file to hash it (the digest, the sound's key)."""
    from recsys.catalog import model
    from recsys.encoders import audio_key

    opened: dict[str, int] = {}
    real = model.open_regular

    def counting(path):
        opened[Path(path).name] = opened.get(Path(path).name, 0) + 1
        return real(path)

    monkeypatch.setattr(model, "open_regular", counting)
    monkeypatch.setattr(audio_key, "open_regular", counting)
    return opened


def test_an_ingest_reads_each_audio_file_once_for_its_digest_and_its_sound_key(tmp_path, monkeypatch):
    """A new file needs its digest (the sync's content key) and its sound's key (the audio
    cache's): one read gives both. A library retagged as a whole is read once again (the sync
    compares content keys), and the chunk reader takes the sound keys from that read."""
    lib = tmp_path / "lib" / "Band" / "Album"
    lib.mkdir(parents=True)
    names = []
    for i, ext in enumerate(("flac", "ogg", "mp3", "wav")):
        names.append(f"0{i + 1} song {ext}.{ext}")
        _write(lib / names[-1], 300.0 + 100 * i)
        _tag(lib / names[-1], "Band", "Rock")
    opened = _count_hash_reads(monkeypatch)
    assert _ingest(tmp_path / "lib", tmp_path).added == 4
    assert {n: opened.get(n, 0) for n in names} == {n: 1 for n in names}
    opened.clear()
    CALLS.clear()
    for name in names:
        _tag(lib / name, "Band feat. Guest", "Ambient", lyrics="words\n")
    assert _ingest(tmp_path / "lib", tmp_path).updated == 3  # the WAV's tags are left alone
    assert {n: opened.get(n, 0) for n in names if not n.endswith(".wav")} == {n: 1 for n in names if not n.endswith(".wav")}
    assert CALLS["audio"] == 0  # the sound keys from that read still find the cached vectors


def test_a_file_rewritten_after_the_sync_read_it_is_keyed_on_its_new_sound(tmp_path):
    """``known_sounds`` gives the sync's sound key only while the file's (size, mtime) are
    those taken before that read: a file re-encoded meanwhile is read again."""
    import os

    from ingest.sync import SyncPlan
    from recsys.catalog.model import TrackRecord

    path = tmp_path / "a.flac"
    _write(path, 440.0)
    track = TrackRecord(track_id="a", title="A", artist="B", audio_path=path)
    plan = SyncPlan(salt="s")
    plan.key_many([track])
    assert plan.known_sounds([track]) == {str(path): audio_stream_key(path)}
    _write(path, 880.0)
    os.utime(path, ns=(1, 1))
    assert plan.known_sounds([track]) == {}


def test_a_few_bytes_named_mp3_do_not_stop_an_ingest(tmp_path):
    """A file cut a few bytes into its ID3 header ("ID3" and less than the 10 bytes the header
    takes) made the sound key raise IndexError on the digest threads, and the ingest died."""
    lib = tmp_path / "lib" / "Band" / "Album"
    lib.mkdir(parents=True)
    (lib / "cut.mp3").write_bytes(b"ID3\x04\x00")
    assert audio_stream_key(lib / "cut.mp3") is not None  # the bytes there are its sound
    _write(lib / "01 song.flac", 440.0)
    _tag(lib / "01 song.flac", "Band", "Rock")
    report = _ingest(tmp_path / "lib", tmp_path)
    assert report.ingested == 2 and CALLS["audio"] == 1
    assert any("cut.mp3" in p.where for p in report.problems)


def test_a_vector_an_older_recsys_could_not_make_is_retried_without_reencoding_the_rest(tmp_path):
    """An unchanged track whose point lacks a vector it has an input for, made by an older
    recsys (which made none of a silent middle), is encoded again by the next plain ingest: the
    lacking vector is made, the others come from the embedding cache. A file this recsys
    cannot decode either is not tried again by a plain ingest (it would load the models and
    decode it on every run); ``--retry-failed`` tries it, and reports its problem again."""
    from ingest.pipeline import MADE_BY_THIS
    from recsys.store import open_backend
    from recsys.store.base import PointRecord

    lib = tmp_path / "lib" / "Band" / "Album"
    lib.mkdir(parents=True)
    for i, ext in enumerate(("flac", "ogg")):
        _write(lib / f"0{i + 1} song.{ext}", 300.0 + 100 * i)
        _tag(lib / f"0{i + 1} song.{ext}", "Band", "Rock", lyrics="words of the song\n")
    (lib / "03 broken.mp3").write_bytes(b"\xff\xfb" + b"\x00" * 4000)  # an MP3 header, then nothing
    first = _ingest(tmp_path / "lib", tmp_path)
    assert first.added == 3 and first.failed.get("audio") == 1
    backend = open_backend(tmp_path / "store")
    try:  # what an older run left: the FLAC's point without its audio vector
        points = {Path(p.payload["audio_path"]).suffix: p for p in backend.scroll("c", with_vectors=True)}
        assert {p.payload["made_by"] for p in points.values()} == {MADE_BY_THIS}
        point = points[".flac"]
        vectors = {k: v for k, v in point.vectors.items() if k != "audio"}
        payload = point.payload | {"modalities": [m for m in point.payload["modalities"] if m != "audio"]}
        payload.pop("made_by")  # as a recsys before made_by wrote it
        backend.upsert("c", [PointRecord(point.track_id, vectors, payload)])
    finally:
        backend.close()
    for cache in (tmp_path / "cache").glob("audio-*"):
        cache.unlink()  # that run cached no audio either
    CALLS.clear()
    second = _ingest(tmp_path / "lib", tmp_path)
    assert (second.retried, second.unchanged, second.updated) == (1, 2, 0)  # the FLAC, not the broken MP3
    assert CALLS["audio"] == 1 and CALLS["text"] == 0  # the FLAC's sound; its text from the cache
    points = {Path(p.payload["audio_path"]).name: p for p in _all_points(tmp_path)}
    assert "audio" in points["01 song.flac"].vectors and "audio" in points["01 song.flac"].payload["modalities"]
    assert points["01 song.flac"].payload["made_by"] == MADE_BY_THIS
    third = _ingest(tmp_path / "lib", tmp_path)
    assert (third.retried, third.unchanged, third.ingested) == (0, 3, 0) and not third.failed
    asked = _ingest(tmp_path / "lib", tmp_path, retry_failed=True)
    assert (asked.retried, asked.unchanged) == (1, 2) and asked.failed.get("audio") == 1
    assert any("broken.mp3" in p.where for p in asked.problems)


def _all_points(tmp_path: Path) -> list:
    from recsys.store import open_backend

    backend = open_backend(tmp_path / "store")
    try:
        return list(backend.scroll("c", with_vectors=True))
    finally:
        backend.close()


def _dsf(path: Path, freq: float) -> Path:
    """A DSF file (Sony's DSD: 1-bit samples, 4096-byte blocks per channel) of ``freq``'s
    square wave: a DSD chunk, a fmt chunk, a data chunk; no tag yet."""
    rate, channels, block = 2_822_400, 1, 4096
    period = int(rate / freq)
    bits = (np.arange(rate // 4) % period < period // 2).astype(np.uint8)
    data = np.packbits(bits, bitorder="little").tobytes()
    data += bytes(-len(data) % block)
    fmt = struct.pack("<4sQIIIIIIQII", b"fmt ", 52, 1, 0, 1, channels, rate, 1, len(bits), block, 0)
    body = fmt + struct.pack("<4sQ", b"data", 12 + len(data)) + data
    path.write_bytes(struct.pack("<4sQQQ", b"DSD ", 28, 28 + len(body), 0) + body)
    return path


def _m4a(path: Path, freq: float, faststart: bool) -> Path:
    import av

    from tests.test_audio_formats import mux_samples

    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(str(path), "w", format="ipod", options=options) as out:
        stream = out.add_stream("aac", rate=22050, layout="mono")
        stream.bit_rate = 96_000
        t = np.arange(22050 * 2) / 22050
        mux_samples(out, stream, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :], 22050, "mono")
    return path


def _more(path: Path, freq: float) -> Path:
    kind = path.name.split(".", 1)[1]
    if kind.startswith("m4a"):
        return _m4a(path, freq, faststart=kind == "m4a-faststart.m4a")
    if kind == "dsf":
        return _dsf(path, freq)
    import av

    from tests.test_audio_formats import mux_samples

    codec, fmt = {"wv": ("wavpack", "wv"), "tta": ("tta", "tta"), "wma": ("wmav2", "asf")}[kind]
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=22050, layout="mono")
        if codec == "wmav2":
            stream.bit_rate = 64_000
        t = np.arange(22050 * 2) / 22050
        mux_samples(out, stream, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :], 22050, "mono")
    return path


def _retag_more(path: Path, artist: str, cover: int) -> None:
    """A tagger's save: longer tags and a cover (a larger MP4 ``moov`` moves the audio after it)."""
    import mutagen
    from mutagen.apev2 import APEv2
    from mutagen.mp4 import MP4Cover

    if path.suffix == ".wv":
        tags = APEv2()
        tags["Artist"], tags["Title"] = artist, path.stem
        tags.save(path)
        return
    f = mutagen.File(path)
    if f.tags is None:
        f.add_tags()
    if path.suffix == ".wma":
        f["Author"], f["Title"] = artist, path.stem
        f["WM/Lyrics"] = "la la\n" * (cover // 100)
    elif path.suffix == ".m4a":
        f["\xa9ART"], f["\xa9nam"] = artist, path.stem
        f["covr"] = [MP4Cover(b"\x89PNG\r\n\x1a\n" + bytes(cover), MP4Cover.FORMAT_PNG)]
    else:  # ID3, which TTA (at the start) and DSF (at the end, its header pointing to it) carry
        f.tags.add(TPE1(encoding=3, text=artist))
        f.tags.add(TIT2(encoding=3, text=path.stem))
    f.save()


@pytest.mark.parametrize("name", ["a.m4a", "a.m4a-faststart.m4a", "a.wv", "a.tta", "a.dsf", "a.wma"])
def test_the_sound_key_of_itunes_files_and_other_shelves_survives_a_retag(tmp_path, name):
    """An iTunes or Apple Music library (.m4a) retagged as a whole was decoded and encoded again
    track by track: its files had no sound key. The MP4's audio is where the muxer put it,
    before or after the tables; a retag that grows them moves it and rewrites its offsets."""
    a, b = _more(tmp_path / name, 440.0), _more(tmp_path / ("b." + name.split(".", 1)[1]), 660.0)
    before = audio_stream_key(a)
    assert before is not None and before != audio_stream_key(b)
    whole = a.read_bytes()
    _retag_more(a, "Old", 200_000)
    _retag_more(a, "Someone Else" * 50, 1_000)
    assert a.read_bytes() != whole and audio_stream_key(a) == before
    _more(a, 441.0)
    assert audio_stream_key(a) != before


@pytest.mark.parametrize("suffix, fmt, codec, rate", [(".mka", "matroska", "flac", 22050), (".webm", "webm", "libopus", 48000)])
def test_the_sound_key_of_a_matroska_file_survives_new_tags_chapters_and_a_remux(tmp_path, suffix, fmt, codec, rate):
    """yt-dlp's downloads (.webm, .mka) are retagged by remuxing them (FFmpeg draws a new track
    UID each time, moves the clusters and rewrites the cues); a chapter retitled is the same."""
    import av
    from fractions import Fraction

    from tests.test_audio_formats import mux_samples

    def write(path, freq):
        with av.open(str(path), "w", format=fmt) as out:
            stream = out.add_stream(codec, rate=rate, layout="mono")
            t = np.arange(rate * 3) / rate
            mux_samples(out, stream, (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)[None, :], rate, "mono")
        return path

    def remux(src, dst, title, chapters):
        with av.open(str(src)) as i, av.open(str(dst), "w", format=fmt) as o:
            o.metadata.update({"title": title, "artist": title * 40, "description": "Tracklist:\n" * 50})
            ms = Fraction(1, 1000)
            o.set_chapters([{"id": n + 1, "start": n * 1000, "end": (n + 1) * 1000, "time_base": ms,
                             "metadata": {"title": name}} for n, name in enumerate(chapters)])
            stream = o.add_stream_from_template(i.streams.audio[0])
            for packet in i.demux(i.streams.audio[0]):
                if packet.dts is not None:
                    packet.stream = stream
                    o.mux(packet)
        return dst

    try:
        av.codec.Codec(codec, "w")
    except Exception:  # noqa: BLE001
        pytest.skip(f"this FFmpeg has no {codec} encoder")
    a = write(tmp_path / f"a{suffix}", 440.0)
    key = audio_stream_key(a)
    assert key is not None and key != audio_stream_key(write(tmp_path / f"b{suffix}", 660.0))
    one = remux(a, tmp_path / f"one{suffix}", "Mix", ["Intro", "Middle"])
    two = remux(one, tmp_path / f"two{suffix}", "Mix (Full Album) 2015", ["Intro", "The Middle (feat. Guest)", "End"])
    assert one.read_bytes() != two.read_bytes()
    # yt-dlp's file is FFmpeg's remux already; a first remux of an encoder's own output may
    # retime its Opus packets (its pre-skip), so the keys compared are of two remuxes
    assert audio_stream_key(one) == audio_stream_key(two) is not None
    if codec == "flac":
        assert audio_stream_key(one) == key
