"""Tempo and key in a DJ's file names (``recsys.catalog.nametempo``): Mixed In Key's "8A - 128 -
Artist - Title", an export's "Title (Tech Mix) 128 8A", a pool's "Title [128 BPM]" give the
track its tempo and key where the tags do not, and leave its artist and title; a number that is
a title's own ("Blink 182", "99 Luftballons", "Track 128") stays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_music_folder
from recsys.catalog.nametempo import tempo_key_in_name, title_without_name_tempo

mutagen = pytest.importorskip("mutagen")


@pytest.mark.parametrize("stem, rest, bpm, key", [
    ("8A - 128 - Mattias Westlund - Knolls", "Mattias Westlund - Knolls", 128.0, "8A"),
    ("8A - Mattias Westlund - Knolls", "Mattias Westlund - Knolls", None, "8A"),
    ("08A - Knolls", "Knolls", None, "8A"),
    ("12B - 124 - Knolls", "Knolls", 124.0, "12B"),
    ("1m - Knolls", "Knolls", None, "8A"),
    ("128 - 8A - Mattias Westlund - Knolls", "Mattias Westlund - Knolls", 128.0, "8A"),
    ("Mattias Westlund - Knolls - 8A - 128", "Mattias Westlund - Knolls", 128.0, "8A"),
    ("Mattias Westlund - Knolls - 128 - 8A", "Mattias Westlund - Knolls", 128.0, "8A"),
    ("Mattias Westlund - Knolls - 8A", "Mattias Westlund - Knolls", None, "8A"),
    ("Mattias Westlund - Heroes Rite (Tech Mix) 128 8A", "Mattias Westlund - Heroes Rite (Tech Mix)", 128.0, "8A"),
    ("Knolls (Extended Mix) [128 BPM]", "Knolls (Extended Mix)", 128.0, ""),
    ("Knolls (Extended Mix) (126 BPM, 8A)", "Knolls (Extended Mix)", 126.0, "8A"),
    ("Knolls 126bpm Am", "Knolls", 126.0, "8A"),
    ("Bass_Loop_120bpm_Am", "Bass_Loop", 120.0, "8A"),
    ("Loops VEH1 Drumloop 005 - 126 BPM", "Loops VEH1 Drumloop 005", 126.0, ""),
    ("Knolls (Original Mix) 124 BPM Fm", "Knolls (Original Mix)", 124.0, "4A"),
    ("Knolls 126 F#m", "Knolls", 126.0, "11A"),
    ("Knolls 127.98 1m", "Knolls", 127.98, "8A"),
    ("Knolls 8A 128", "Knolls", 128.0, "8A"),
    # in the middle of the name
    ("Mattias Westlund - Knolls 128bpm 8A (Extended Mix)", "Mattias Westlund - Knolls (Extended Mix)", 128.0, "8A"),
    ("Knolls [124 BPM] [Am] - Mattias Westlund", "Knolls - Mattias Westlund", 124.0, "8A"),
    ("Knolls [8A] [124 BPM] (Extended Mix)", "Knolls (Extended Mix)", 124.0, "8A"),
    ("Knolls (126 BPM, 8A) (Extended Mix)", "Knolls (Extended Mix)", 126.0, "8A"),
    ("Mattias Westlund - Knolls 128 8A (Extended Mix)", "Mattias Westlund - Knolls (Extended Mix)", 128.0, "8A"),
    ("Knolls - 128bpm - Mattias Westlund", "Knolls - Mattias Westlund", 128.0, ""),
    ("08A_126_Mattias_Westlund_Knolls", "Mattias_Westlund_Knolls", 126.0, "8A"),
    ("8A 128 Mattias Westlund - Knolls", "Mattias Westlund - Knolls", 128.0, "8A"),
    ("Mattias_Westlund_-_Knolls_128bpm_8A_(Extended_Mix)", "Mattias_Westlund_-_Knolls_(Extended_Mix)", 128.0, "8A"),
])
def test_the_conventions_give_tempo_and_key(stem, rest, bpm, key):
    assert tempo_key_in_name(stem) == (rest, bpm, key)


@pytest.mark.parametrize("stem", [
    "Blink 182 - All the Small Things", "Apollo 440 - Stop the Rock", "Nena - 99 Luftballons", "Prince - 1999",
    "Track 128", "Song 128", "A-ha - Take On Me", "UB40 - Red Red Wine", "10cc - I'm Not in Love",
    "808 State - Pacific 202", "2 Unlimited - No Limit", "311 - Amber", "50 Cent - 21 Questions",
    "1D - Story of My Life", "B2 - Intro", "01 - Song", "1-03 Song", "128", "8A", "128 8A", "128 - Song",
    "Symphony No. 40 Gm", "Symphony No. 94 Gm", "Piano Sonata No. 14 C#m", "Mendelssohn - Op. 64 Em",
    "Bob Dylan - Highway 61 Am", "Area 51 C#", "Artist - Room 101 B", "Song (Remix 2.0) 120 A",
    "Killing Me Softly 1996 Am", "Artist - Song 1280 8A", "Artist - Song 128 13A", "Artist - Song 128 8a",
    "Kenta_Cho_-_Ironclad_(Extended_Mix)_[Anjunadeep]", "03-kenta_cho-last_lap-(mattias_westlund_remix)",
    "Mattias Westlund - Legends of the North (Extended Mix)", "ID - ID (White Label)", "white_label_b2",
    "17234567_Orbital Elevator_(Extended Mix)", "DJ Pekuja - Live at Fabric (2023-05-12)", "Drum Loop 01",
    "2023-05-12 Serato Recording 1", "Beethoven - Symphony No. 5 in C minor, Op. 67 - I. Allegro con brio",
    "Daft Punk - Harder Better Faster Stronger", "Eiffel 65 - Blue (Da Ba Dee)", "Sum 41 - In Too Deep",
    "Matchbox 20 - Push", "Maroon 5 - Sugar", "Level 42 - Lessons in Love", "Haddaway - What Is Love (7\" Mix)",
    # numbers in the middle of a name that are the title's
    "Blink 182 - Dammit (Live)", "Symphony No. 40 Gm (Allegro)", "Symphony No. 40 8A (Allegro)", "Area 51 - Roswell",
    "Nena - 99 Luftballons (Remix)", "Prince - 1999 (Remastered)", "Ariana Grande - 7 Rings (Remix)",
    "Bob Dylan - Highway 61 Am (Live)", "Artist - Song 128 Am (Extended Mix)", "Artist - Song (Extended Mix 128bpm)",
    "Artist - Room 101 12 (Edit)", "Artist - Song 1280bpm 8A (Edit)", "2Pac - 2 of Amerikaz Most Wanted",
    "10 1m", "8A 128", "[128 BPM] Song",
])
def test_a_number_of_the_title_stays(stem):
    assert tempo_key_in_name(stem) == (stem, None, "")


def test_a_title_tag_loses_them_only_where_the_name_carries_the_same():
    assert title_without_name_tempo("Heroes Rite (Tech Mix) 128 8A", 128.0, "8A") == "Heroes Rite (Tech Mix)"
    assert title_without_name_tempo("Heroes Rite (Tech Mix) 128 8A", None, "") == "Heroes Rite (Tech Mix) 128 8A"
    assert title_without_name_tempo("Heroes Rite 126 9A", 128.0, "8A") == "Heroes Rite 126 9A"


def _mp3(path: Path, **frames: str) -> Path:
    """An MP3 of silence with these ID3 frames (none: an untagged file)."""
    from mutagen import id3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    if frames:
        tags = id3.ID3()
        for name, value in frames.items():
            tags.add(getattr(id3, name)(encoding=3, text=value))
        tags.save(path)
    return path


def _read(lib: Path, tmp_path: Path) -> dict[str, tuple]:
    tracks = read_music_folder(lib, tmp_path / "covers").tracks
    return {t.source: (t.artist, t.title, t.bpm, t.key) for t in tracks}


def test_a_djs_untagged_names_give_artist_title_tempo_and_key(tmp_path):
    lib = tmp_path / "lib"
    for stem in ("8A - 128 - Mattias Westlund - Knolls", "Mattias Westlund - Heroes Rite (Tech Mix) 128 8A",
                 "Evil Mastermind - Coherence (Original Mix) 124 BPM Fm", "Nexuiz Team - Stairs - 3B - 122",
                 "Kenta Cho - Gunroar (Extended Mix) [128 BPM]", "Blink 182 - All the Small Things",
                 "Apollo 440 - Stop the Rock", "Nena - 99 Luftballons", "Prince - 1999"):
        _mp3(lib / "Tracks" / f"{stem}.mp3")
    got = _read(lib, tmp_path)
    assert got["Tracks/8A - 128 - Mattias Westlund - Knolls.mp3"] == ("Mattias Westlund", "Knolls", 128.0, "8A")
    assert got["Tracks/Mattias Westlund - Heroes Rite (Tech Mix) 128 8A.mp3"] == (
        "Mattias Westlund", "Heroes Rite (Tech Mix)", 128.0, "8A")
    assert got["Tracks/Evil Mastermind - Coherence (Original Mix) 124 BPM Fm.mp3"] == (
        "Evil Mastermind", "Coherence (Original Mix)", 124.0, "4A")
    assert got["Tracks/Nexuiz Team - Stairs - 3B - 122.mp3"] == ("Nexuiz Team", "Stairs", 122.0, "3B")
    assert got["Tracks/Kenta Cho - Gunroar (Extended Mix) [128 BPM].mp3"] == (
        "Kenta Cho", "Gunroar (Extended Mix)", 128.0, "")
    assert got["Tracks/Blink 182 - All the Small Things.mp3"] == ("Blink 182", "All the Small Things", None, "")
    assert got["Tracks/Apollo 440 - Stop the Rock.mp3"] == ("Apollo 440", "Stop the Rock", None, "")
    assert got["Tracks/Nena - 99 Luftballons.mp3"] == ("Nena", "99 Luftballons", None, "")
    assert got["Tracks/Prince - 1999.mp3"] == ("Prince", "1999", None, "")


def test_a_djs_names_with_tempo_and_key_in_the_middle(tmp_path):
    """A pool's "Artist - Title 128bpm 8A (Extended Mix)", "Title [124 BPM] [Am] - Artist" and a
    renamer's "08A_126_..." were titled with the tempo and key ("Knolls 128bpm 8A (Extended
    Mix)"), and gave the track neither."""
    lib = tmp_path / "lib"
    for stem in ("Mattias Westlund - Knolls 128bpm 8A (Extended Mix)", "Coherence [124 BPM] [Am] - Evil Mastermind",
                 "Nexuiz Team - Stairs 122 3B (Original Mix)", "Nena - 99 Luftballons (Remix)", "Sum 41 - Pieces (Live)"):
        _mp3(lib / "Tracks" / f"{stem}.mp3")
    got = _read(lib, tmp_path)
    assert got["Tracks/Mattias Westlund - Knolls 128bpm 8A (Extended Mix).mp3"] == (
        "Mattias Westlund", "Knolls (Extended Mix)", 128.0, "8A")
    # which side is the artist is the folder's name rule's to say (``filenames``): both stay whole
    coherence = got["Tracks/Coherence [124 BPM] [Am] - Evil Mastermind.mp3"]
    assert set(coherence[:2]) == {"Coherence", "Evil Mastermind"} and coherence[2:] == (124.0, "8A")
    assert got["Tracks/Nexuiz Team - Stairs 122 3B (Original Mix).mp3"] == (
        "Nexuiz Team", "Stairs (Original Mix)", 122.0, "3B")
    assert got["Tracks/Nena - 99 Luftballons (Remix).mp3"] == ("Nena", "99 Luftballons (Remix)", None, "")
    assert got["Tracks/Sum 41 - Pieces (Live).mp3"] == ("Sum 41", "Pieces (Live)", None, "")


def test_a_key_first_name_alone_has_no_artist_8a(tmp_path):
    lib = tmp_path / "lib"
    _mp3(lib / "Downloads" / "08A - Knolls.mp3")
    ((artist, title, bpm, key),) = _read(lib, tmp_path).values()
    assert (title, bpm, key) == ("Knolls", None, "8A") and artist != "08A"


def test_the_tags_win_over_the_name(tmp_path):
    lib = tmp_path / "lib"
    _mp3(lib / "Tracks" / "Mattias Westlund - Knolls 128 9A.mp3", TBPM="126", TKEY="Am")
    _mp3(lib / "Tracks" / "Mattias Westlund - Heroes Rite 128 9A.mp3", TBPM="126")
    got = _read(lib, tmp_path)
    assert got["Tracks/Mattias Westlund - Knolls 128 9A.mp3"] == ("Mattias Westlund", "Knolls", 126.0, "8A")
    assert got["Tracks/Mattias Westlund - Heroes Rite 128 9A.mp3"] == ("Mattias Westlund", "Heroes Rite", 126.0, "9A")


def test_a_title_tag_filled_from_the_name_loses_them_a_real_one_stays(tmp_path):
    lib = tmp_path / "lib"
    _mp3(lib / "Tracks" / "Mattias Westlund - Heroes Rite (Tech Mix) 128 8A.mp3", TIT2="Heroes Rite (Tech Mix) 128 8A")
    _mp3(lib / "Tracks" / "8A - 128 - Mattias Westlund - Knolls.mp3", TIT2="8A - 128 - Mattias Westlund - Knolls")
    _mp3(lib / "Loops" / "loop.mp3", TIT2="Loop 128 8A")  # the name carries none: the title is the tag's
    got = _read(lib, tmp_path)
    assert got["Tracks/Mattias Westlund - Heroes Rite (Tech Mix) 128 8A.mp3"] == (
        "Mattias Westlund", "Heroes Rite (Tech Mix)", 128.0, "8A")
    assert got["Tracks/8A - 128 - Mattias Westlund - Knolls.mp3"] == ("Mattias Westlund", "Knolls", 128.0, "8A")
    assert got["Loops/loop.mp3"][1:] == ("Loop 128 8A", None, "")
