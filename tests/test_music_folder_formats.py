"""The formats older and niche shelves still hold, which FFmpeg decodes but the music-folder
reader took for "skipped by type (not audio)": Musepack (2000s audiophile libraries), TAK
(Japanese and doujin CD images), DSDIFF (.dff, the DSD file beside .dsf), Shorten (etree's
live-concert archives), Ogg Speex, Sony Wave64 and RealAudio. Files FFmpeg cannot write are
made byte by byte (``tests.support.handmade_audio``): a DSDIFF that decodes, the headers of the
others, whose tags and length mutagen reads."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from recsys.catalog import read_catalog
from recsys.catalog.suffixes import AUDIO_SUFFIXES
from tests.support.handmade_audio import (
    DSD_RATE, write_dff, write_mpc_header, write_speex_header, write_tak_header,
)

av = pytest.importorskip("av")
mutagen = pytest.importorskip("mutagen")

from recsys.encoders.media import audio_duration, load_audio  # noqa: E402
from tests.test_audio_formats import HIGH, LOW, pitch, tone, write_tone  # noqa: E402

APE = {"Title": "Ape Title", "Artist": "Ape Artist", "Album": "Ape Album", "Album Artist": "Ape Band", "Year": "2004"}


def _ape_tagged(path: Path) -> Path:
    from mutagen.apev2 import APEv2

    tags = APEv2()
    for key, value in APE.items():
        tags[key] = value
    tags.save(path)
    return path


def _dff(path: Path, seconds: float = 4.0) -> Path:
    """A DSD64 tone (LOW, then HIGH) with an ID3 chunk, where DSDIFF keeps its tags."""
    from mutagen.id3 import TALB, TIT2, TPE1

    write_dff(path, tone(seconds, DSD_RATE))
    audio = mutagen.File(path)
    audio.add_tags()
    for frame, text in ((TIT2, "DSD Title"), (TPE1, "DSD Artist"), (TALB, "DSD Album")):
        audio.tags.add(frame(encoding=3, text=text))
    audio.save()
    return path


def _track_file(path: Path, tmp_path: Path) -> Path:
    """The audio file of the one track the music-folder reader finds in ``path``'s folder."""
    (track,) = read_catalog(path.parent, cover_cache=tmp_path / "covers").tracks
    assert track.audio_path is not None and Path(track.audio_path) == path
    return path


def test_older_formats_are_tracks_with_their_tags(tmp_path):
    lib = tmp_path / "lib"
    _ape_tagged(write_mpc_header(lib / "mpc/01 Seven.mpc", 3.0, version=7))
    _ape_tagged(write_mpc_header(lib / "mpc/02 Eight.MPC", 3.0, version=8))
    write_mpc_header(lib / "mpc/03 Old Name.mp+", 3.0, version=7)
    # Musepack's other first name is Microsoft Project's: a plan beside the music is no track
    (lib / "mpc/04 Plan.mpp").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    _ape_tagged(write_tak_header(lib / "tak/01 Image.tak", 3.0))
    _dff(lib / "dsd/01 Tone.dff")
    speex = mutagen.File(write_speex_header(lib / "spx/01 Voice.spx", 3.0))
    speex["title"], speex["artist"], speex["album"] = "Spx Title", "Spx Artist", "Spx Album"
    speex.save()
    # etree's layout: a show's folder, untagged Shorten files named by show, disc and track
    shn = lib / "Grateful Dead/gd77-05-08 Barton Hall/gd77-05-08d1t01.shn"
    shn.parent.mkdir(parents=True)
    shn.write_bytes(b"ajkg\x02" + bytes(64))
    (lib / "other").mkdir()
    for ext in ("w64", "ra"):
        write_tone(lib / f"other/Tone {ext}.{ext}", 1.0)
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    tracks = {t.source: t for t in catalog.tracks}
    assert catalog.problems == [] and catalog.stats["skipped"] == 1
    assert len(tracks) == catalog.stats["audio"] == 9
    for source in ("mpc/01 Seven.mpc", "mpc/02 Eight.MPC", "tak/01 Image.tak"):
        t = tracks[source]
        assert (t.title, t.artist, t.album, t.album_artist, str(t.year)) == tuple(APE.values())
    assert tracks["mpc/03 Old Name.mp+"].title == "Old Name"
    dsd = tracks["dsd/01 Tone.dff"]
    assert (dsd.title, dsd.artist, dsd.album) == ("DSD Title", "DSD Artist", "DSD Album")
    spx = tracks["spx/01 Voice.spx"]
    assert (spx.title, spx.artist, spx.album) == ("Spx Title", "Spx Artist", "Spx Album")
    live = tracks["Grateful Dead/gd77-05-08 Barton Hall/gd77-05-08d1t01.shn"]
    assert (live.title, live.album) == ("gd77-05-08d1t01", "gd77-05-08 Barton Hall")
    assert [tracks[f"other/Tone {ext}.{ext}"].title for ext in ("w64", "ra")] == ["Tone w64", "Tone ra"]


def test_a_dsdiff_decodes_to_its_samples(tmp_path):
    """FFmpeg's iff demuxer and DSD decoder: the tone's two halves where they are, its length;
    the ID3 chunk after the sound is no sound."""
    path = _track_file(_dff(tmp_path / "lib/tone.dff"), tmp_path)
    sr = 16000
    late, early = load_audio(path, sr=sr, offset=2.5, duration=1.0), load_audio(path, sr=sr, offset=0.5, duration=1.0)
    assert late.size == early.size == sr
    assert abs(pitch(late, sr) - HIGH) < 5 and abs(pitch(early, sr) - LOW) < 5
    assert 0.3 < np.abs(late).max() < 0.5
    assert load_audio(path, sr=sr, duration=None).size == 4 * sr
    assert audio_duration(path) == pytest.approx(4.0, abs=0.01)


@pytest.mark.parametrize("ext", ["w64", "ra"])
def test_wave64_and_realaudio_decode_to_their_samples(tmp_path, ext):
    """A RealMedia file without an index fails a seek near its start and leaves FFmpeg at its
    end: the excerpt was "no audio samples"; it is read from the start instead."""
    (tmp_path / "lib").mkdir()
    path = _track_file(write_tone(tmp_path / f"lib/tone.{ext}", 6.0), tmp_path)
    sr = 16000
    assert abs(pitch(load_audio(path, sr=sr, offset=4.0, duration=1.0), sr) - HIGH) < 5
    assert abs(pitch(load_audio(path, sr=sr, offset=1.0, duration=1.0), sr) - LOW) < 5
    assert abs(load_audio(path, sr=sr, duration=None).size - 6 * sr) <= sr // 10


def test_the_web_page_serves_and_queries_every_audio_suffix():
    """A Musepack file was served as "chemical/x-mopac-input" and a WavPack as a WAP file (the guesses of mimetypes); the page's drop box took a
    dropped file of a suffix it did not list for an image."""
    from serve.media import TYPES

    import mimetypes

    for suffix in AUDIO_SUFFIXES:
        # each one's own type: a guess may be none on another system (octet-stream: downloaded, not played)
        served = TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0] if suffix == ".stem.mp4" else TYPES.get(suffix)
        assert served is not None and served.split("/")[0] in ("audio", "video"), (suffix, served)
    script = (Path(__file__).parents[1] / "serve/static/app.js").read_text()
    pattern = re.search(r"/(\\\.\([^/]*\)\$)/i\.test\(file\.name\)", script)
    assert pattern is not None
    assert [s for s in AUDIO_SUFFIXES if not re.search(pattern.group(1), "x" + s, re.I)] == []
