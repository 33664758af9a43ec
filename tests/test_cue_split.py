"""An album ripped to one file with a cue sheet is read as the sheet's tracks
(``recsys.catalog.cuesheets``), each one's audio its span of the file (``AudioSpan``,
``recsys.encoders.spans``): what a span reads, what the cache knows it by, what a re-ingest
does with an image, its retagging, its sheet's edit, its move and its sheet's removal, and the
sheets that cannot split their file."""

from __future__ import annotations

import shutil
from pathlib import Path

import mutagen
import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_catalog
from recsys.catalog.model import AudioSpan, TrackRecord, input_source
from recsys.encoders import media
from recsys.modalities import AUDIO
from tests import test_sync
from tests.support.tiny_encoders import BandEnergyEncoder
from tests.test_sync import CALLS, _ingest, _points



@pytest.fixture(autouse=True)
def _registry_as_it_was(monkeypatch):
    """The counting encoders leave the registry with this module (test_encoder_contract lists
    every registered encoder): they register into a copy."""
    from recsys.encoders import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))


#: test_sync's autouse fixture (counting encoders), in force here too
counting_encoders = test_sync.counting_encoders

SR = 8000
#: (start, end) seconds of each track of the image below: a hidden second before track 1, a
#: 44 s track 2 (windows), a track 3 loud at its start only, a last track to the file's end
SPANS = [(1.0, 20.4), (20.4, 64.4), (64.4, 76.4), (76.4, 80.0)]
SHEET = """REM GENRE Soundtrack
REM DATE 2012
PERFORMER "Evil Mastermind"
TITLE "Endgame: Singularity"
FILE "Range.wav" WAVE
  TRACK 01 AUDIO
    TITLE "A New Journey"
    INDEX 00 00:00:00
    INDEX 01 00:01:00
  TRACK 02 AUDIO
    TITLE "Aberrations"
    PERFORMER "Guest Star"
    INDEX 00 00:19:00
    INDEX 01 00:20:30
  TRACK 03 AUDIO
    TITLE "Advanced Simulacra"
    INDEX 01 01:04:30
  TRACK 04 AUDIO
    TITLE "Awakening"
    INDEX 01 01:16:30
"""


def _tone(freq: float, seconds: float, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(round(seconds * SR))) / SR
    return level * np.sin(2 * np.pi * freq * t)


def _samples() -> np.ndarray:
    """80 s: a 150 Hz hidden second, 300 Hz, a 44 s sweep, 1500 Hz loud for 3 s then silent
    with a quiet last 3 s, 2500 Hz."""
    t = np.arange(int(44 * SR)) / SR
    sweep = 0.3 * np.sin(2 * np.pi * (400 * t + 20 * t * t))
    third = np.concatenate([_tone(1500, 3), np.zeros(6 * SR), _tone(1500, 3, 0.05)])
    y = np.concatenate([_tone(150, 1), _tone(300, 19.4), sweep, third, _tone(2500, 3.6)])
    assert y.size == 80 * SR
    return np.round(y * 32767) / 32767  # what a 16-bit file holds


def _image(folder: Path, sheet: str | None = SHEET, **tags: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "Evil Mastermind - Endgame Singularity.flac"
    sf.write(path, _samples(), SR, format="FLAC", subtype="PCM_16")
    f = mutagen.File(path)
    for key, value in {"artist": "Tag Artist", "title": "Whole Image", **tags}.items():
        f[key] = value
    f.save()
    if sheet is not None:
        path.with_suffix(".cue").write_bytes(b"\xef\xbb\xbf" + sheet.replace("\n", "\r\n").encode())
    return path


def _cut(path: Path, start: float, end: float | None, out: Path) -> Path:
    """The span's samples in a file of their own."""
    y, sr = sf.read(path, dtype="int16")
    sf.write(out, y[int(round(start * sr)): None if end is None else int(round(end * sr))], sr, subtype="PCM_16")
    return out


def test_a_sheet_splits_its_image_into_its_tracks(tmp_path):
    """One track per TRACK: its title and performer (else the album's PERFORMER), the sheet's
    album TITLE, REM GENRE and DATE where the tags lack them, its span from its INDEX 01 (not
    its pregap's INDEX 00; track 1 after the hidden second) to the next one's, the last to the
    file's end. The FILE line names "Range.wav" (EAC's), the file is a FLAC of the sheet's
    stem. Its id is the file's and its number; the listing names the file."""
    from recsys.catalog.trackids import track_id_for, track_label

    _image(tmp_path / "lib/Images/Endgame")
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert catalog.problems == []
    assert catalog.stats["audio"] == 1  # one file
    base = track_id_for("Images/Endgame/Evil Mastermind - Endgame Singularity.flac")
    got = [(t.track_id, t.title, t.artist, t.album, t.genres, t.year, t.audio_start, t.audio_end) for t in catalog.tracks]
    names = ["A New Journey", "Aberrations", "Advanced Simulacra", "Awakening"]
    artists = ["Evil Mastermind", "Guest Star", "Evil Mastermind", "Evil Mastermind"]
    ends = [e for _, e in SPANS[:-1]] + [None]
    assert got == [
        (f"{base}#{n:02d}", name, artist, "Endgame: Singularity", ("Soundtrack",), 2012, start, end)
        for n, name, artist, (start, _), end in zip(range(1, 5), names, artists, SPANS, ends)
    ]
    second = catalog.tracks[1]
    assert second.source == "Images/Endgame/Evil Mastermind - Endgame Singularity.flac#02"
    assert track_label(second.track_id, second.source) == second.source
    assert second.payload()["audio_start"] == 20.4 and second.payload()["audio_end"] == 64.4
    assert "audio_end" not in catalog.tracks[3].payload()
    assert input_source(AUDIO, second) == AudioSpan(second.audio_path, 20.4, 64.4)
    # a track that is its whole file: payload and hash as before the span existed
    whole = TrackRecord(track_id="t", title="T", artist="A", audio_path=second.audio_path)
    assert "audio_start" not in whole.payload() and input_source(AUDIO, whole) == second.audio_path


def test_a_unicode_sheet_as_eac_writes_it_splits_its_image(tmp_path):
    """EAC's "Unicode" cue sheet is UTF-16 with its byte-order mark: read as cp1252 its lines
    were NULs between letters, no TRACK was found and the album was one track."""
    path = _image(tmp_path / "lib/Images/Endgame", sheet=None)
    path.with_suffix(".cue").write_bytes(SHEET.replace("\n", "\r\n").encode("utf-16"))
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert catalog.problems == []
    assert [t.title for t in catalog.tracks] == ["A New Journey", "Aberrations", "Advanced Simulacra", "Awakening"]


def test_the_tags_fill_what_the_sheet_leaves_out(tmp_path):
    """A sheet without performers or genre: the file's artist and genre tags; a tagged date
    stays the file's."""
    bare = "\n".join(line for line in SHEET.splitlines() if "PERFORMER" not in line and "GENRE" not in line)
    _image(tmp_path / "lib/A", bare, genre="Ambient", date="2001")
    tracks = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers").tracks
    assert [(t.artist, t.genres, t.year) for t in tracks] == [("Tag Artist", ("Ambient",), 2001)] * 4


def _vector(source) -> np.ndarray:
    enc = BandEnergyEncoder()
    return enc.encode([media.decode_input(enc, source)])[0]


def test_each_track_is_encoded_from_its_own_span(tmp_path, monkeypatch):
    """A span's vector is the vector of its samples cut to a file of their own: its middle 3 s
    (the tiny encoder's duration), its louder start where its middle is silent (track 3: the
    file's start or end would be another track's sound), to the file's end for the last track.
    Two tracks of one file differ. Decoded from a seek, not from the file's start; in worker
    processes as on threads (the span travels to them)."""
    path = _image(tmp_path / "img")
    spans = [AudioSpan(path, s, e if i < 3 else None) for i, (s, e) in enumerate(SPANS)]
    reads = []
    real = media._read_span

    def counting(*a, **k):
        got = real(*a, **k)
        reads.append(got)
        return got

    monkeypatch.setattr(media, "_read_span", counting)
    vectors = [_vector(s) for s in spans]
    assert reads and all(r.seeked and r.packets < 20 for r in reads[:1])  # 3 s of 80, not from 0 s
    for i, (span, v) in enumerate(zip(spans, vectors)):
        cut = _cut(path, span.start, span.end, tmp_path / f"cut{i}.wav")
        np.testing.assert_allclose(v, _vector(cut), atol=1e-5, err_msg=str(span))
    assert min(float(np.linalg.norm(a - b)) for i, a in enumerate(vectors) for b in vectors[i + 1:]) > 0.1
    class Enc:
        input_kind, sample_rate, duration = "audio", SR, 3.0

    for processes in ("0", "2"):
        monkeypatch.setenv("RECSYS_DECODE_PROCESSES", processes)
        decoded = media.decode_many(Enc(), spans)
        assert [d.shape for d in decoded] == [(3 * SR,)] * 4
        np.testing.assert_allclose(BandEnergyEncoder().encode(decoded), np.stack(vectors), atol=1e-5)


def test_the_excerpt_windows_lie_in_the_span(tmp_path):
    """``--excerpt-vectors``' windows of a track at fractions of its span: those of its samples
    cut to a file of their own; a span under 40 s has none."""
    from recsys.encoders import decode_pool

    path = _image(tmp_path / "img")
    span = AudioSpan(path, *SPANS[1])
    cut = _cut(path, *SPANS[1], tmp_path / "cut.wav")
    got, want = media.load_windows(span, sr=SR), media.load_windows(cut, sr=SR)
    assert len(got) == 3 and all(g is not None for g in got)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, atol=1e-6)
    assert media.load_windows(AudioSpan(path, *SPANS[0]), sr=SR) == []
    try:  # through the decode workers, as an ingest asks
        many = decode_pool.map_in_processes(media._windows_or_none, [span], 2, lambda _: [], args=(SR, 10.0))
    finally:
        decode_pool.shutdown()
    for g, w in zip(many[0], want):
        np.testing.assert_allclose(g, w, atol=1e-6)


def test_the_cache_keys_a_span_by_its_files_sound_and_the_span(tmp_path):
    """Two tracks of one file: two keys, both the file's sound key (its tags left out) and
    the span; a track that is its whole file keeps the sound key alone."""
    from ingest.inputs import input_key
    from recsys.encoders.audio_key import audio_stream_key

    _image(tmp_path / "lib/A")
    tracks = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers").tracks
    keys = [input_key(AUDIO, t) for t in tracks]
    sound = audio_stream_key(tracks[0].audio_path)
    assert len(set(keys)) == 4 and all(k.startswith(sound + "|span=") for k in keys)
    assert keys[1] == f"{sound}|span=20.400000-64.400000" and keys[3].endswith("-end")
    whole = TrackRecord(track_id="t", title="T", artist="A", audio_path=tracks[0].audio_path)
    assert input_key(AUDIO, whole) == sound


def _library(tmp_path: Path) -> Path:
    """An image, and a file of its own elsewhere (a collection the sync can remove from)."""
    lib = tmp_path / "lib"
    image = _image(lib / "Images/Endgame")
    (lib / "Other/Band").mkdir(parents=True)
    _cut(image, 1.0, 20.4, lib / "Other/Band/01 Song.wav")
    return lib


def test_reingesting_an_image_retagged_resheeted_moved_and_unsheeted(tmp_path):
    """An image's tracks through the sync: unchanged, nothing; its FLAC retagged, no audio
    encoded (the sound's key, with the span); a title edited in the sheet, that track alone
    updated; the folder moved, a move (vectors kept); the sheet deleted, one track again and
    the split ones removed."""
    lib = _library(tmp_path)
    first = _ingest(lib, tmp_path)
    assert first.added == 5 and CALLS["audio"] == 5 and not first.problems
    stored = _points(tmp_path)
    spans = {p.payload.get("audio_start") for p in stored.values()}
    assert spans == {None, 1.0, 20.4, 64.4, 76.4}

    CALLS.clear()
    again = _ingest(lib, tmp_path)
    assert (again.added, again.updated, again.moved, again.removed, again.unchanged) == (0, 0, 0, 0, 5)
    assert sum(CALLS.values()) == 0

    image = lib / "Images/Endgame/Evil Mastermind - Endgame Singularity.flac"
    f = mutagen.File(image)
    f["genre"], f["comment"] = "Ambient", "retagged"
    f.save()
    retagged = _ingest(lib, tmp_path)
    assert retagged.updated == 4 and CALLS["audio"] == 0  # the genre is new, the sound is not

    CALLS.clear()
    cue = image.with_suffix(".cue")
    cue.write_bytes(cue.read_bytes().replace(b'"Advanced Simulacra"', b'"Advanced Simulacra (Remix)"'))
    edited = _ingest(lib, tmp_path)
    assert (edited.added, edited.updated, edited.moved, edited.removed) == (0, 1, 0, 0)
    assert CALLS["audio"] == 0 and CALLS["text"] <= 1
    titles = {p.payload["title"] for p in _points(tmp_path).values()}
    assert "Advanced Simulacra (Remix)" in titles and "Advanced Simulacra" not in titles

    CALLS.clear()
    before = _points(tmp_path)
    shutil.move(str(lib / "Images"), str(lib / "Moved"))
    moved = _ingest(lib, tmp_path)
    assert (moved.added, moved.updated, moved.moved, moved.removed) == (0, 0, 4, 0)
    assert sum(CALLS.values()) == 0
    after = _points(tmp_path)
    by_start = {p.payload.get("audio_start"): p for p in after.values()}
    for old in before.values():
        if old.payload.get("audio_start") is not None:
            new = by_start[old.payload["audio_start"]]
            assert "/Moved/" in new.payload["audio_path"]
            np.testing.assert_array_equal(new.vectors["audio"], old.vectors["audio"])

    CALLS.clear()
    (lib / "Moved/Endgame/Evil Mastermind - Endgame Singularity.cue").unlink()
    unsheeted = _ingest(lib, tmp_path)
    assert (unsheeted.added, unsheeted.removed) == (1, 4) and CALLS["audio"] == 1
    assert sorted(p.payload["title"] for p in _points(tmp_path).values()) == ["Song", "Whole Image"]


BAD = {
    "out of order": (SHEET.replace("INDEX 01 01:04:30", "INDEX 01 00:10:00"),
                     "line 17: TRACK 03 starts at 00:10:00, not after TRACK 02 (00:20:30)"),
    "past the end": (SHEET.replace("INDEX 01 01:16:30", "INDEX 01 02:16:30"),
                     "TRACK 04 starts at 02:16:30, past the file's end (01:20:00)"),
    "no time": (SHEET.replace("INDEX 01 01:04:30", "INDEX 01 01:04:80"), "line 17: INDEX 01 01:04:80 is no mm:ss:ff time"),
    "no index": (SHEET.replace("    INDEX 01 01:04:30\n", ""), "line 15: TRACK 03 has no INDEX 01"),
    "several files": (SHEET.replace("  TRACK 04 AUDIO", 'FILE "Evil Mastermind - Endgame Singularity (2).flac" WAVE\n  TRACK 04 AUDIO')
                      .replace('FILE "Range.wav"', 'FILE "Evil Mastermind - Endgame Singularity.flac"'),
                      "it names 2 files (FILE lines); only the sheet of one file is split"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_sheet_that_cannot_split_its_file_leaves_one_track_and_says_why(tmp_path, case):
    sheet, why = BAD[case]
    _image(tmp_path / "lib/Images/Endgame", sheet)
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert [(t.title, t.artist, t.album, t.audio_start) for t in catalog.tracks] == [
        ("Whole Image", "Tag Artist", "Endgame: Singularity", None)
    ]
    assert [str(p) for p in catalog.problems] == [
        f"Images/Endgame/Evil Mastermind - Endgame Singularity.flac: the cue sheet Evil Mastermind - Endgame"
        f" Singularity.cue cannot split this file ({why}): it is read as one track"
    ]


def test_a_sheet_naming_a_file_that_is_not_there_is_said_once(tmp_path):
    """A sheet of another stem whose FILE is not in the folder, beside a lone audio file:
    not used, one line; beside several files (an album already split), nothing."""
    path = _image(tmp_path / "lib/Images/Endgame", None)
    (path.parent / "Other Name.cue").write_text(SHEET, encoding="cp1252")
    catalog = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert len(catalog.tracks) == 1
    assert [str(p) for p in catalog.problems] == [
        "Images/Endgame/Evil Mastermind - Endgame Singularity.flac: the cue sheet Other Name.cue names"
        ' "range.wav", which is not in this folder, and is not named like this file: it is read as one track'
        " (rename the sheet as the file)"
    ]
    shutil.copy(path, path.parent / "02 Another.flac")
    assert read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers").problems == []


def test_the_player_and_the_playlist_play_the_span(tmp_path):
    """The web page's audio URL carries a media fragment (the player starts and stops there),
    the M3U8 VLC's start and stop times; a whole file's are as before."""
    from recsys.catalog.model import source_from_text
    from recsys.query.library import Result
    from recsys.query.playlist import write_m3u8
    from serve.models import TrackOut

    path = _image(tmp_path / "img")
    part = Result("f0#02", "Aberrations", "A", "", (), None, 1.0, audio_path=str(path), audio_start=20.4, audio_end=64.4)
    last = Result("f0#04", "Awakening", "A", "", (), None, 1.0, audio_path=str(path), audio_start=76.4)
    whole = Result("f1", "Whole", "A", "", (), None, 1.0, audio_path=str(path))
    assert TrackOut.of(part).audio_url == "/api/tracks/f0%2302/audio#t=20.400,64.400"
    assert TrackOut.of(last).audio_url.endswith("#t=76.400")
    assert TrackOut.of(whole).audio_url == "/api/tracks/f1/audio"
    assert "audio_start" not in whole.as_dict() and part.as_dict()["audio_end"] == 64.4
    write_m3u8([part, whole], tmp_path / "p.m3u8")
    lines = (tmp_path / "p.m3u8").read_text().splitlines()
    assert lines[1:5] == ["#EXTINF:44,A - Aberrations", "#EXTVLCOPT:start-time=20.400", "#EXTVLCOPT:stop-time=64.400", str(path)]
    assert lines[5] == "#EXTINF:80,A - Whole"
    span = AudioSpan(path, 20.4, None)  # the --ray stage's rows are text
    assert source_from_text(span.as_text()) == span and source_from_text(str(path)) == str(path)


def test_an_ingest_with_excerpt_vectors_keeps_each_tracks_windows_of_its_span(tmp_path):
    """``--excerpt-vectors``: track 2's windows (44 s of a sweep) are those of its span, not of
    the whole file's; track 1 (19.4 s) has none."""
    from ingest.excerpts import window_vectors

    lib = _library(tmp_path)
    assert _ingest(lib, tmp_path, excerpt_vectors=True).added == 5
    points = {p.payload.get("audio_start"): p for p in _points(tmp_path).values()}
    windows = sorted(n for n in points[20.4].vectors if n.startswith("audio_x"))
    assert len(windows) == 3 and not [n for n in points[1.0].vectors if n.startswith("audio_x")]
    cut = _cut(lib / "Images/Endgame/Evil Mastermind - Endgame Singularity.flac", *SPANS[1], tmp_path / "cut.wav")
    own = window_vectors(BandEnergyEncoder(), [TrackRecord(track_id="cut", title="c", artist="a", audio_path=cut)],
                         windows)["cut"]
    image = TrackRecord(track_id="img", title="i", artist="a", audio_path=cut.parent / "lib/Images/Endgame"
                        / "Evil Mastermind - Endgame Singularity.flac")
    whole = window_vectors(BandEnergyEncoder(), [image], windows)["img"]  # the whole file's: elsewhere
    for name in windows:
        np.testing.assert_allclose(points[20.4].vectors[name], own[name], atol=1e-3)  # as stored (float16)
        assert np.linalg.norm(points[20.4].vectors[name] - whole[name]) > 0.1


def test_a_library_of_one_image_split_and_unsplit_replaces_its_tracks(tmp_path):
    """A library that is one image: its sheet deleted, the one track replaces its split ones,
    and back. Its new ids share no point with the collection, but their file is the one the
    collection held: no other catalog, so the old points go (they stayed, with a "no track of
    this catalog is in the collection yet" veto)."""
    lib = tmp_path / "lib"
    image = _image(lib / "Images/Endgame")
    assert _ingest(lib, tmp_path).added == 4
    sheet = image.with_suffix(".cue").read_bytes()
    image.with_suffix(".cue").unlink()
    one = _ingest(lib, tmp_path)
    assert (one.added, one.removed, one.removal_skipped) == (1, 4, None)
    image.with_suffix(".cue").write_bytes(sheet)
    split = _ingest(lib, tmp_path)
    assert (split.added, split.removed, split.removal_skipped) == (4, 1, None)
    assert len(_points(tmp_path)) == 4


def test_a_sheet_of_per_track_files_with_gaps_is_no_image_sheet(tmp_path):
    """EAC's "multiple files with gaps (noncompliant)" sheet lists each TRACK line (and its
    INDEX 00) under the file before its own: the first file seemed to hold two tracks, so the
    sheet was taken for its image sheet, it "could not split" it and gave the untagged file the
    sheet's performer and album. Track starts (INDEX 01) tell where each track is."""
    album = tmp_path / "lib" / "Some Artist" / "Some Album"
    album.mkdir(parents=True)
    for i, name in enumerate(["01 - First.flac", "02 - Second.flac", "03 - Third.flac"]):
        sf.write(album / name, _tone(300 + 100 * i, 2.0), SR, format="FLAC")
    (album / "Some Album.cue").write_text(
        'PERFORMER "Sheet Performer"\nTITLE "Sheet Title"\nFILE "01 - First.flac" WAVE\n'
        '  TRACK 01 AUDIO\n    TITLE "First"\n    INDEX 01 00:00:00\n'
        '  TRACK 02 AUDIO\n    TITLE "Second"\n    INDEX 00 00:01:00\n'
        'FILE "02 - Second.flac" WAVE\n    INDEX 01 00:00:00\n'
        '  TRACK 03 AUDIO\n    TITLE "Third"\n    INDEX 00 00:01:00\n'
        'FILE "03 - Third.flac" WAVE\n    INDEX 01 00:00:00\n')
    cat = read_catalog(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert {(t.title, t.artist, t.album) for t in cat.tracks} == {
        (title, "Some Artist", "Some Album") for title in ("First", "Second", "Third")}
    assert not cat.problems


def test_a_retag_of_tracks_too_short_for_windows_loads_no_model(tmp_path):
    """With --excerpt-vectors, a track too short for windows (most of an album's spans) had
    none to find in the cache, so a retag decoded it again, loading the audio model for
    nothing: "no windows" is cached too (ingest.excerpts.NO_WINDOWS)."""
    from recsys.encoders import clear_encoder_cache
    from tests.test_sync import LOADS

    def windows() -> dict[str, list[str]]:
        return {p.payload["source"] if "source" in p.payload else p.payload["title"]:
                sorted(k for k in p.vectors if k.startswith("audio_x")) for p in _points(tmp_path).values()}

    lib = _library(tmp_path)
    assert _ingest(lib, tmp_path, excerpt_vectors=True).added == 5
    before = windows()
    assert any(before.values()) and not all(before.values())  # long spans have windows, short ones none
    image = lib / "Images/Endgame/Evil Mastermind - Endgame Singularity.flac"
    tags = mutagen.File(image)
    tags["genre"] = "Ambient"
    tags.save()
    clear_encoder_cache()
    LOADS.clear()
    CALLS.clear()
    again = _ingest(lib, tmp_path, excerpt_vectors=True)
    assert again.updated == 4 and not LOADS and not CALLS
    assert windows() == before


def test_a_seed_naming_an_album_images_file_asks_which_track(tmp_path):
    """A file path as a seed names its track; an album image's file holds several: the seed was
    silently its first, it is now a question naming them."""
    from recsys.query.library import Library
    from recsys.query.titlepick import AmbiguousTitleError
    from recsys.store import open_backend

    lib = _library(tmp_path)
    assert _ingest(lib, tmp_path).added == 5
    backend = open_backend(tmp_path / "store")
    try:
        library = Library(backend, "c")
        with pytest.raises(AmbiguousTitleError, match="holds several tracks") as err:
            library.resolve([str(lib / "Images/Endgame/Evil Mastermind - Endgame Singularity.flac")])
        assert "Aberrations" in str(err.value)
        (own,) = library.resolve([str(lib / "Other/Band/01 Song.wav")])
        assert own.payload["audio_path"].endswith("01 Song.wav")
    finally:
        backend.close()
