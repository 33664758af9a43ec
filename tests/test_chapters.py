"""An album or a mix in one file, its tracks marked as chapters inside it (``recsys.catalog
.chapters``): yt-dlp's "full album" downloads (.webm, .mka with the description's timestamps as
chapters), a DJ's mix exported as an MP3 with a chapter per record. Each chapter is a track of
its own, with its span of the file, as an album image's cue sheet tracks are."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from recsys.catalog import chapters as chapters_module
from recsys.catalog import read_catalog
from recsys.catalog.chapters import _album, _plain_title, chapter_sheet
from recsys.catalog.model import TrackRecord

av = pytest.importorskip("av")
pytest.importorskip("mutagen")

from tests.test_audio_formats import mux_samples  # noqa: E402

RATE = 8000
FORMATS = {".webm": ("webm", "libopus", 48000), ".mka": ("matroska", "flac", RATE), ".mp3": ("mp3", "libmp3lame", 22050),
           ".m4b": ("ipod", "aac", 22050), ".m4a": ("ipod", "aac", 22050)}


def chaptered(path: Path, marks: list[tuple[float, str]], seconds: float = 6.0, audio_seconds: float | None = None,
              **tags: str) -> Path:
    """A file of ``seconds`` of tone whose chapters start at ``marks``' times, with their titles;
    with ``audio_seconds``, the tone is cut there (a download cut short: its chapters go on)."""
    fmt, codec, rate = FORMATS[path.suffix]
    try:
        av.codec.Codec(codec, "w")
    except Exception:
        pytest.skip(f"this FFmpeg has no {codec} encoder")
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format=fmt) as out:
        out.metadata.update(tags)
        stream = out.add_stream(codec, rate=rate, layout="mono")
        ms = Fraction(1, 1000)
        ends = [start for start, _ in marks[1:]] + [seconds]
        out.set_chapters([
            {"id": i + 1, "start": int(start * 1000), "end": int(end * 1000), "time_base": ms, "metadata": {"title": title}}
            for i, ((start, title), end) in enumerate(zip(marks, ends))
        ])
        samples = int((audio_seconds or seconds) * rate)
        data = (0.3 * np.sin(2 * np.pi * 440 * np.arange(samples) / rate)).astype(np.float32)[None, :]
        mux_samples(out, stream, data, rate, "mono")
    return path


@pytest.fixture
def short_albums(monkeypatch):
    """Files of seconds stand for albums of an hour: the length rule is tested on its own."""
    monkeypatch.setattr(chapters_module, "MIN_SECONDS", 4.0)


def _tracks(lib: Path, tmp_path: Path, **kwargs) -> list[TrackRecord]:
    return read_catalog(lib, cover_cache=tmp_path / "covers", **kwargs).tracks


def test_a_full_album_download_is_its_chapters_tracks(tmp_path, short_albums):
    lib = tmp_path / "lib"
    chaptered(lib / "YouTube" / "Some Band - Greatest Hits (Full Album) 2015 [abc123].webm",
              [(0.0, "00:00 1. Opening"), (2.0, "02:00 2. The Middle (feat. Guest)"), (4.5, "04:30 3. 99 Luftballons")],
              title="Some Band - Greatest Hits (Full Album) 2015", artist="Some Band Official")
    tracks = _tracks(lib, tmp_path)
    assert [t.title for t in tracks] == ["Opening", "The Middle (feat. Guest)", "99 Luftballons"]
    assert {(t.artist, t.album, t.year) for t in tracks} == {("Some Band", "Greatest Hits", 2015)}
    assert [(t.audio_start, t.audio_end) for t in tracks] == [(0.0, 2.0), (2.0, 4.5), (4.5, None)]
    assert [t.track_id[-3:] for t in tracks] == ["#01", "#02", "#03"]
    assert tracks[1].artists == ("Some Band", "Guest")


def test_a_dj_mix_credits_each_record(tmp_path, short_albums):
    """"Artist - Title" chapters by several artists: each its own, the mix one album of the DJ's;
    a chapter named "Chapter 3" is the mix's third track."""
    lib = tmp_path / "lib"
    chaptered(lib / "Mixes" / "DJ Pekuja - Moto Mix Vol. 2.mka",
              [(0.0, "Xmoto Team - Madeira Stew"), (2.0, "Kenta Cho - Stage 4"), (4.0, "Chapter 3")],
              title="Moto Mix Vol. 2", artist="DJ Pekuja")
    tracks = _tracks(lib, tmp_path)
    assert [(t.title, t.artist) for t in tracks] == [
        ("Madeira Stew", "Xmoto Team"), ("Stage 4", "Kenta Cho"), ("Moto Mix Vol. 2 (track 3)", "DJ Pekuja"),
    ]
    assert {(t.album, t.album_artist) for t in tracks[:2]} == {("Moto Mix Vol. 2", "DJ Pekuja")}


def test_an_mp3_with_chapter_frames_is_split(tmp_path, short_albums):
    lib = tmp_path / "lib"
    chaptered(lib / "mix.mp3", [(0.0, "A - One"), (3.0, "B - Two")], artist="DJ X", title="Live at Y")
    assert [(t.title, t.artist, t.audio_start) for t in _tracks(lib, tmp_path)] == [("One", "A", 0.0), ("Two", "B", 3.0)]


def test_short_files_and_audiobooks_stay_whole(tmp_path, monkeypatch):
    """Under ten minutes a file is a song whatever marks it has, and is not opened for them; an
    audiobook's chapters are a book's."""
    lib = tmp_path / "lib"
    chaptered(lib / "song.mka", [(0.0, "Intro"), (3.0, "Verse")])
    opened = []
    monkeypatch.setattr(chapters_module, "read_chapters", lambda path: opened.append(path) or ())
    assert len(_tracks(lib, tmp_path)) == 1
    monkeypatch.setattr(chapters_module, "MIN_SECONDS", 4.0)
    book = chaptered(tmp_path / "books" / "book.m4b", [(0.0, "Chapter 1"), (3.0, "Chapter 2")])
    assert len(_tracks(book.parent, tmp_path)) == 1
    assert opened == []


def test_podcasts_and_books_in_other_containers_stay_whole(tmp_path, short_albums):
    """An MP3 podcast episode's chapters (ID3 CHAP: "Intro", "News") are topics: a file under
    "Podcasts/", or tagged with the genre "Podcast" or "Audiobook", stays one track."""
    lib = tmp_path / "lib"
    chaptered(lib / "Podcasts" / "Show" / "Episode 12.mp3", [(0.0, "Intro"), (3.0, "News")])
    chaptered(lib / "Downloads" / "talk.mka", [(0.0, "Part one"), (3.0, "Part two")], genre="Podcast")
    chaptered(lib / "Downloads" / "mix.mka", [(0.0, "A - One"), (3.0, "B - Two")], genre="House")
    assert sorted(t.source for t in _tracks(lib, tmp_path)) == [
        "Downloads/mix.mka#01", "Downloads/mix.mka#02", "Downloads/talk.mka", "Podcasts/Show/Episode 12.mp3"]


def test_chapters_come_from_the_tag_cache_on_the_next_read(tmp_path, short_albums, monkeypatch):
    lib = tmp_path / "lib"
    chaptered(lib / "mix.mka", [(0.0, "A - One"), (3.0, "B - Two")])
    first = _tracks(lib, tmp_path, tag_cache=tmp_path / "tags")
    monkeypatch.setattr(chapters_module, "container_chapters", lambda container: pytest.fail("opened again"))
    again = _tracks(lib, tmp_path, tag_cache=tmp_path / "tags")
    assert [t.title for t in again] == [t.title for t in first] == ["One", "Two"]


@pytest.mark.parametrize("suffix", [".mka", ".mp3"])
def test_chapters_past_the_end_of_a_cut_download_are_no_tracks(tmp_path, short_albums, suffix):
    """A download cut short (6 s of a 14 s mix) keeps its whole chapter list: the chapters that
    start past its end have no audio (each track's encoding failed, "no audio samples", and
    every --retry-failed again); the others are its tracks, the last one to the file's end."""
    lib = tmp_path / "lib"
    chaptered(lib / f"mix{suffix}", [(0.0, "A - One"), (2.0, "B - Two"), (9.0, "C - Three"), (12.0, "D - Four")],
              seconds=14.0, audio_seconds=6.0)
    tracks = _tracks(lib, tmp_path)
    assert [(t.title, t.audio_start, t.audio_end) for t in tracks] == [("One", 0.0, 2.0), ("Two", 2.0, None)]
    # one chapter left inside the file: no album in it, the file is one track
    chaptered(lib / f"cut{suffix}", [(0.0, "A - One"), (8.0, "B - Two"), (10.0, "C - Three")],
              seconds=14.0, audio_seconds=6.0)
    assert f"cut{suffix}" in {t.source for t in _tracks(lib, tmp_path)}


def test_a_cue_sheet_beside_it_wins(tmp_path, short_albums):
    lib = tmp_path / "lib"
    chaptered(lib / "Album.mka", [(0.0, "A - One"), (3.0, "B - Two")])
    (lib / "Album.cue").write_text(
        'PERFORMER "Band"\nTITLE "Album"\nFILE "Album.mka" WAVE\n'
        '  TRACK 01 AUDIO\n    TITLE "First"\n    INDEX 01 00:00:00\n'
        '  TRACK 02 AUDIO\n    TITLE "Second"\n    INDEX 01 00:01:00\n'
        '  TRACK 03 AUDIO\n    TITLE "Third"\n    INDEX 01 00:04:00\n')
    assert [t.title for t in _tracks(lib, tmp_path)] == ["First", "Second", "Third"]


@pytest.mark.parametrize("title, number, expected", [
    ("00:00 1. Opening", 1, "Opening"),
    ("[1:02:03] Song", 5, "Song"),
    ("(3:20) - 02 - Song", 2, "Song"),
    ("2. 99 Luftballons", 2, "99 Luftballons"),
    ("99 Luftballons", 2, "99 Luftballons"),  # not its place: the title's own number
    ("1979", 1, "1979"),
    ("Chapter 3", 3, ""),
    ("Track 03", 3, ""),
    ("", 1, ""),
    ("03) Closing", 3, "Closing"),
])
def test_a_chapter_title_without_its_time_and_number(title, number, expected):
    assert _plain_title(title, number) == expected


def test_an_upload_title_names_the_album():
    def album(title: str, album: str = "") -> tuple[str, str, str]:
        return _album(TrackRecord(track_id="x", title=title, artist="Channel", album=album))

    assert album("Some Band - Greatest Hits (Full Album) 2015") == ("Greatest Hits", "Some Band", "2015")
    assert album("Greatest Hits [FULL ALBUM]") == ("Greatest Hits", "", "")
    assert album("1984") == ("1984", "", "")  # a year alone is the title
    # an album named by a year: its name, not the upload's date ("Prince - 1999" was the album
    # "Prince" of 1999, by no one)
    assert album("Prince - 1999 (Full Album)") == ("1999", "Prince", "")
    assert album("Van Halen - 1984 [Full Album] 1984") == ("1984", "Van Halen", "1984")
    assert album("Some Band - Greatest Hits - 2015") == ("Greatest Hits", "Some Band", "2015")
    assert album("anything", album="Tagged Album") == ("Tagged Album", "", "")


def test_chapters_by_one_artist_are_no_mix():
    track = TrackRecord(track_id="x", title="Live", artist="Band")
    sheet = chapter_sheet(track, [(0.0, "Band - One"), (60.0, "Band - Two"), (120.0, "Three")])
    assert [(t.performer, t.title) for t in sheet.tracks] == [("Band", "One"), ("Band", "Two"), ("", "Three")]


def test_a_work_s_movements_name_no_performer():
    """A concert's chapters "Symphony No. 5 - I. Allegro con brio": the work and a movement,
    as the title tag rule reads them (``folderlayout``), not "Symphony No. 5" performing."""
    track = TrackRecord(track_id="x", title="Beethoven 5 (Full Concert)", artist="Orchestra")
    marks = [(0.0, "Symphony No. 5 - I. Allegro con brio"), (60.0, "Symphony No. 5 - II. Andante con moto"),
             (120.0, "Symphony No. 5 - III. Scherzo")]
    sheet = chapter_sheet(track, marks)
    assert [(t.performer, t.title) for t in sheet.tracks] == [("", title) for _, title in marks]


@pytest.mark.parametrize("suffix", [".flac", ".ogg"])
def test_vorbis_comment_chapters_split_a_flac_or_an_ogg(tmp_path, short_albums, suffix):
    """The chapters of a FLAC or an Ogg Vorbis file are ``CHAPTER001`` / ``CHAPTER001NAME``
    comments (the Vorbis chapter extension, what FFmpeg and mp3tag write): read as chapters."""
    import mutagen
    import soundfile as sf

    path = tmp_path / "lib" / f"mix{suffix}"
    path.parent.mkdir(parents=True)
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(6 * RATE) / RATE)).astype(np.float32)
    sf.write(path, tone, RATE, format="FLAC" if suffix == ".flac" else "OGG")
    f = mutagen.File(path)
    f["title"], f["artist"] = "Live at Y", "DJ X"
    for n, (start, title) in enumerate([("00:00:00.000", "A - One"), ("00:00:02.500", "B - Two")], start=1):
        f[f"CHAPTER{n:03d}"], f[f"CHAPTER{n:03d}NAME"] = start, title
    f.save()
    assert [(t.title, t.artist, t.album, t.audio_start) for t in _tracks(tmp_path / "lib", tmp_path)] == [
        ("One", "A", "Live at Y", 0.0), ("Two", "B", "Live at Y", 2.5),
    ]


def _mix_with_chapter_frames(path: Path, chapters: list[tuple[int, int, list]], **frames: str) -> Path:
    """An MP3 of 6 s of silence with these ID3 frames and chapters ((start ms, end ms, sub-frames))."""
    import soundfile as sf
    from mutagen import id3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(8000 * 6, dtype=np.float32), 8000, format="MP3")
    tags = id3.ID3()
    for name, value in frames.items():
        tags.add(getattr(id3, name)(encoding=3, text=value))
    ids = [f"c{i}" for i in range(len(chapters))]
    tags.add(id3.CTOC(element_id="toc", flags=id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED,
                      child_element_ids=ids, sub_frames=[]))
    for element, (start, end, sub) in zip(ids, chapters):
        tags.add(id3.CHAP(element_id=element, start_time=start, end_time=end, sub_frames=sub))
    tags.save(path)
    return path


def test_a_mixs_chapters_carry_their_own_tempo_and_key_never_the_files(tmp_path, short_albums):
    """A mix tagged with one BPM and key (its first record's, or an analyser's of the whole
    hour) gave them to every chapter track: "mix chapters take file key". A chapter carries
    the tempo and key of its own ID3 frames, else of its title's DJ shapes, else none."""
    from mutagen import id3

    lib = tmp_path / "lib"
    _mix_with_chapter_frames(lib / "Mixes" / "DJ X - Live at Y.mp3", [
        (0, 2000, [id3.TIT2(text=["A - One"]), id3.TBPM(text=["126"]), id3.TKEY(text=["Am"])]),
        (2000, 4000, [id3.TIT2(text=["B - Two (Extended Mix) 128 9A"])]),
        (4000, 6000, [id3.TIT2(text=["C - Three"])]),
    ], TPE1="DJ X", TIT2="Live at Y", TBPM="124", TKEY="3A")
    tracks = _tracks(lib, tmp_path)
    assert [(t.title, t.artist, t.bpm, t.key) for t in tracks] == [
        ("One", "A", 126.0, "8A"), ("Two (Extended Mix)", "B", 128.0, "9A"), ("Three", "C", None, ""),
    ]


def test_a_mix_left_whole_keeps_its_tempo_and_key(tmp_path):
    """Under ten minutes the file is one track: its own tags' tempo and key stay."""
    from mutagen import id3

    lib = tmp_path / "lib"
    _mix_with_chapter_frames(lib / "mix.mp3", [(0, 3000, [id3.TIT2(text=["A - One"])]),
                                               (3000, 6000, [id3.TIT2(text=["B - Two"])])],
                             TPE1="DJ X", TIT2="Live at Y", TBPM="124", TKEY="3A")
    ((track,),) = [_tracks(lib, tmp_path)]
    assert (track.title, track.bpm, track.key) == ("Live at Y", 124.0, "3A")
