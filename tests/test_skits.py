"""A hip-hop album's skits read as spoken word (``recsys.catalog.skits``): the title's mark
("Workout Plan (Skit)", "Lil Jimmy Skit", "Skit #2"), never a song that holds the word, and a
short track where its length is known; interludes, intros and outros stay music."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder, skits
from recsys.catalog.model import SPOKEN, TrackRecord
from recsys.catalog.skits import is_skit, skit_title
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")

#: lib12's seven and the other ways albums and mixtapes write them
SKITS = [
    "Skit", "Skit #2", "Skit 2", "Skit II", "Skit Pt. 2", "Skit No. 3", "skit#4", "Workout Plan (Skit)",
    "School Spirit Skit 1", "Lil Jimmy Skit", "Radical (Skit)", "Phone Call - Skit", "Phone Call \u2013 Skit",
    "Skit: Billboard Music Awards Speech", "[Skit]", "Hold On [Phone Skit]", "Skit (feat. DJ Drama)",
    '"Skit"', "Mom's Skit", "Ken Kaniff (Skit)", "Intro (Skit)", "스킷", "Airport (スキット)",
    # a pairing word between two names is the scene's (lib12's "Mom and Dad Skit" stayed music)
    "Mom and Dad Skit", "Tom & Jerry Skit", "Mom & Dad (Skit)", "Song (Mom and Dad Skit)",
]
#: songs: the word inside a title, a song and a skit joined in one, the other short pieces
SONGS = [
    "Skit Skat", "Skit-Skat", "Skitzo", "Skittles", "Skit Song", "Song (Skit Version)", "Song / Skit",
    "Song + Skit", "Song and Skit", "Song (Includes Skit)", "Song (with Skit)", "Skits and Pieces",
    "Intro", "Interlude", "Outro", "Intro : Persona", "Flamenco Sketches", "Demo (Sketch)",
    "Ten Words Of A Long Song Title About Something Skit",
    "Song & Skit", "Song plus Skit", "Song with Dad Skit", "Song / Mom and Dad Skit",
]


@pytest.mark.parametrize("title", SKITS)
def test_a_titles_mark_says_skit(title):
    assert skit_title(title)


@pytest.mark.parametrize("title", SONGS)
def test_a_song_that_holds_the_word_is_no_skit(title):
    assert not skit_title(title)


def test_an_albums_skits_are_spoken_word_whatever_its_genre(tmp_path):
    """A hip-hop album tagged "Hip-Hop" throughout (a music genre, which keeps a flagged mix
    show music): its skits are spoken word, its songs, intro, interlude and outro music."""
    lib = tmp_path / "lib"
    album = lib / "Kanye West/The College Dropout"
    for n, title in enumerate(["Intro", "We Don't Care", "Workout Plan (Skit)", "School Spirit Skit 1",
                               "Lil Jimmy Skit", "Interlude", "Skit Skat", "Outro"], 1):
        tagged_flac(album / f"{n:02d} {title}.flac", TITLE=title, ARTIST="Kanye West",
                    ALBUM="The College Dropout", GENRE="Hip-Hop")
    # an untagged mixtape's "04 - Lil Wayne - Skit.mp3" as a FLAC: the name's title
    tagged_flac(lib / "Mixtapes/Dedication 2/04 - Lil Wayne - Skit.flac")
    kinds = {t.title: t.kind for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert kinds == {
        "Intro": "", "We Don't Care": "", "Workout Plan (Skit)": SPOKEN, "School Spirit Skit 1": SPOKEN,
        "Lil Jimmy Skit": SPOKEN, "Interlude": "", "Skit Skat": "", "Outro": "", "Skit": SPOKEN,
    }


def test_a_long_track_titled_skit_is_music(tmp_path, monkeypatch):
    """A track so marked that runs past ``MAX_SKIT_SECONDS`` (an album's last skit holding its
    hidden song) stays music: the file header's length (here the limit is lowered to 1 s)."""
    monkeypatch.setattr(skits, "MAX_SKIT_SECONDS", 1.0)
    lib = tmp_path / "lib"
    tagged_flac(lib / "A/01 Skit.flac", seconds=0.5, TITLE="Skit", ARTIST="A", GENRE="Hip-Hop")
    tagged_flac(lib / "A/02 Outro Skit.flac", seconds=2.0, TITLE="Outro Skit", ARTIST="A", GENRE="Hip-Hop")
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["Skit"].file_seconds == pytest.approx(0.5) and tracks["Outro Skit"].file_seconds == pytest.approx(2.0)
    assert (tracks["Skit"].kind, tracks["Outro Skit"].kind) == (SPOKEN, "")


def test_a_spans_length_is_its_own_and_an_unknown_length_takes_the_title():
    """A cue sheet's track is as long as its span (the last one to the file's end); a record
    without a length (a manifest's) is a skit on its title alone."""
    whole = TrackRecord("w", "Skit", "A", audio_path=Path("/x/album.flac"), file_seconds=3000.0)
    span = TrackRecord("s", "Skit", "A", audio_path=Path("/x/album.flac"), file_seconds=3000.0,
                       audio_start=100.0, audio_end=160.0)
    last = TrackRecord("l", "Outro Skit", "A", audio_path=Path("/x/album.flac"), file_seconds=3000.0,
                       audio_start=2900.0)
    assert (whole.seconds, span.seconds, last.seconds) == (3000.0, 60.0, 100.0)
    assert (is_skit(whole), is_skit(span), is_skit(last)) == (False, True, True)
    assert is_skit(TrackRecord("m", "Skit #2", "A")) and TrackRecord("m", "Skit", "A").seconds is None


def test_the_length_is_in_no_payload_and_no_hash():
    """``file_seconds`` is the reader's evidence alone: a collection's tracks hash and store
    as they did before it was read."""
    with_length = TrackRecord("s", "Song", "Band", file_seconds=212.5)
    assert with_length.payload() == TrackRecord("s", "Song", "Band").payload()
    assert with_length.content_hash() == TrackRecord("s", "Song", "Band").content_hash()
