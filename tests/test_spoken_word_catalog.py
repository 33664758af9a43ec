"""Spoken word read by the music-folder reader (``recsys.catalog.spokenword``): a podcast
episode, an audiobook, a voice memo is kind "spoken" on clear evidence alone (the tags' flag,
``.m4b``, a spoken-word genre, the players' spoken-word folders); a song stays music, and its
payload and hashes are what they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.model import SPARSE_DERIVED_KEYS, SPOKEN, TrackRecord
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")


def _m4a(path: Path, **atoms) -> Path:
    from mutagen.mp4 import MP4

    from tests.test_music_folder import _encode

    _encode(path, "aac", "ipod", 44100, seconds=0.3)
    tags = MP4(path)
    tags["\xa9nam"], tags["\xa9ART"] = [path.stem], ["Someone"]
    for key, value in atoms.items():
        tags[key] = value
    tags.save()
    return path


def _mp3(path: Path, *frames) -> Path:
    import numpy as np
    import soundfile as sf
    from mutagen import id3

    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.zeros(4000, dtype=np.float32), 8000, format="MP3")
    tags = id3.ID3()
    tags.add(id3.TIT2(encoding=3, text=path.stem))
    tags.add(id3.TPE1(encoding=3, text="Someone"))
    for frame in frames:
        tags.add(frame)
    tags.save(path)
    return path


def _kinds(lib: Path, tmp_path: Path) -> dict[str, str]:
    return {t.source: t.kind for t in read_music_folder(lib, tmp_path / "covers").tracks}


def test_the_tags_flag_an_episode_or_a_book_without_genre_or_folder(tmp_path):
    """iTunes' podcast flag (MP4 ``pcst``, ID3 ``PCST``) and media kind (``stik`` 2: audiobook,
    21: podcast) say so on a file filed anywhere, untagged by genre; ``stik`` 1 is music."""
    from mutagen import id3

    lib = tmp_path / "lib"
    _m4a(lib / "Downloads/Episode 4.m4a", pcst=True)
    _m4a(lib / "Downloads/Chapter 1.m4a", stik=[2])
    _m4a(lib / "Downloads/Song.m4a", stik=[1])
    _mp3(lib / "Downloads/Episode 5.mp3", id3.PCST(value=1))
    _mp3(lib / "Downloads/Tune.mp3")
    assert _kinds(lib, tmp_path) == {
        "Downloads/Episode 4.m4a": SPOKEN, "Downloads/Chapter 1.m4a": SPOKEN, "Downloads/Song.m4a": "",
        "Downloads/Episode 5.mp3": SPOKEN, "Downloads/Tune.mp3": "",
    }


def test_a_genre_an_audiobook_file_and_the_players_folders_say_spoken_word(tmp_path):
    """Genre "Podcast", "Hörbuch", "Voice Memo"; an ``.m4b``; a file under iTunes' "Podcasts/" or
    "Voice Memos/" whose genre is no music genre (a feed's "Technology", none at all)."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Shows/Ep 1.flac", TITLE="Ep 1", ARTIST="Show", GENRE="Podcast")
    tagged_flac(lib / "Bücher/Kapitel 1.flac", TITLE="Kapitel 1", ARTIST="Autor", GENRE="Hörbuch")
    tagged_flac(lib / "Phone/Memo.flac", TITLE="Memo", ARTIST="Ann's iPhone", GENRE="Voice Memo")
    _m4a(lib / "Books/The Book.m4b")
    tagged_flac(lib / "iTunes Media/Podcasts/Tech Show/Ep 2.flac", TITLE="Ep 2", ARTIST="Tech Show",
                GENRE="Technology")
    tagged_flac(lib / "Voice Memos/New Recording.flac", TITLE="New Recording")
    assert set(_kinds(lib, tmp_path).values()) == {SPOKEN}


def test_songs_stay_music_where_a_name_only_looks_spoken(tmp_path):
    """The band Audiobooks' album under "Audiobooks/" (an "Electronic" genre), the band Spoken's
    album, an album called "Lectures": music. A name alone in a folder is no evidence but the
    players' own folders, and a music genre beats even those."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Audiobooks/Astro Tough/01 Friendly Fires.flac", TITLE="Friendly Fires", ARTIST="Audiobooks",
                GENRE="Electronic")
    tagged_flac(lib / "Spoken/A Moment Apart/01 Falling Through.flac", TITLE="Falling Through", ARTIST="Spoken")
    tagged_flac(lib / "Band/Lectures/01 Song.flac", TITLE="Song", ARTIST="Band", GENRE="Rock")
    assert set(_kinds(lib, tmp_path).values()) == {""}


def test_only_spoken_word_carries_the_field_and_no_hash_reads_it():
    """Music's payload is as it was (no ``kind``); spoken word's has it, but neither the hashes
    (``payload(derived=False)``) nor a refresh need more than the sparse derived key."""
    song = TrackRecord("s", "Song", "Band", genres=("Rock",))
    episode = TrackRecord("e", "Episode 1", "Show", genres=("Podcast",), kind=SPOKEN)
    assert "kind" not in song.payload() and episode.payload()["kind"] == SPOKEN
    assert "kind" not in episode.payload(derived=False)
    assert episode.content_hash() == TrackRecord("e", "Episode 1", "Show", genres=("Podcast",)).content_hash()
    assert SPARSE_DERIVED_KEYS["kind"] == "kind"


def test_the_store_and_the_catalog_name_the_kind_alike():
    """The store cannot import the catalog: its twin constants must agree."""
    from recsys.catalog import model
    from recsys.store import base

    assert (base.KIND_FIELD, base.SPOKEN) == (model.KIND_FIELD, model.SPOKEN)
    assert base.KIND_FIELD in base.INDEXED_FIELDS


def test_a_band_named_for_a_players_folder_is_music_whatever_its_genre(tmp_path):
    """The band Audiobooks' "Synth-pop" album under "Audiobooks/", a band Voice Memos' untagged
    demo under "Voice Memos/": the folder is the band's own (its artist's name), no player's."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Audiobooks/Dedications/01 Gothenburg.flac", TITLE="Gothenburg", ARTIST="Audiobooks",
                GENRE="Synth-pop")
    tagged_flac(lib / "Voice Memos/Demos/01 Tape.flac", TITLE="Tape", ARTIST="Voice Memos")
    tagged_flac(lib / "Podcasts/Show/Ep 3.flac", TITLE="Ep 3", ARTIST="Show")  # a player's: still spoken
    assert _kinds(lib, tmp_path) == {
        "Audiobooks/Dedications/01 Gothenburg.flac": "", "Voice Memos/Demos/01 Tape.flac": "",
        "Podcasts/Show/Ep 3.flac": SPOKEN,
    }


def test_a_music_podcasts_mix_is_music_a_comedy_podcast_is_not(tmp_path):
    """A DJ's mix show flagged as a podcast (``pcst``) but tagged "Trance" is music, as the same
    file under "Podcasts/" is; a comedy show's episode under "Podcasts/" ("Comedy": a genre of
    records, not a kind of music) is spoken word."""
    lib = tmp_path / "lib"
    _m4a(lib / "Downloads/ASOT 1000.m4a", pcst=True, **{"\xa9gen": ["Trance"]})
    _m4a(lib / "Downloads/Talk Show 12.m4a", pcst=True, **{"\xa9gen": ["Technology"]})
    tagged_flac(lib / "Podcasts/Funny Show/Ep 1.flac", TITLE="Ep 1", ARTIST="Funny Show", GENRE="Comedy")
    assert _kinds(lib, tmp_path) == {
        "Downloads/ASOT 1000.m4a": "", "Downloads/Talk Show 12.m4a": SPOKEN, "Podcasts/Funny Show/Ep 1.flac": SPOKEN,
    }


def test_a_music_shows_mix_is_split_by_its_chapters_a_talk_shows_episode_is_not():
    """The chapter splitter asks the same test: a flagged "Trance" episode (a DJ's mix show) is
    its chapters' tracks, as before the flag was read; a flagged talk show stays whole."""
    from pathlib import Path

    from recsys.catalog.chapters import Chapter, with_chapters

    marks = (Chapter(0.0, "Artist One - Song One"), Chapter(300.0, "Artist Two - Song Two"),
             Chapter(600.0, "Artist Three - Song Three"))
    mix = TrackRecord("m", "ASOT 1000", "Armin", genres=("Trance",), kind=SPOKEN, source="Downloads/asot.m4a",
                      audio_path=Path("/x/Downloads/asot.m4a"))
    talk = TrackRecord("t", "Ep 12", "Show", genres=("Technology",), kind=SPOKEN, source="Downloads/ep.m4a",
                       audio_path=Path("/x/Downloads/ep.m4a"))
    out = with_chapters([mix, talk], {"Downloads/asot.m4a": marks, "Downloads/ep.m4a": marks}, [])
    assert [t.track_id for t in out] == ["m#01", "m#02", "m#03", "t"]


def test_a_spoken_word_genre_beside_a_music_genre_is_music(tmp_path):
    """Poetry over a band ("Jazz" and "Spoken Word"), a mix show tagged "Podcast" and
    "Electronic": music as well, kept in a song's radio; "Spoken Word" alone, or beside a
    podcast's "Comedy" or "Technology", is spoken word."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Poet/Album/01 Poem.flac", TITLE="Poem", ARTIST="Poet", GENRE=["Jazz", "Spoken Word"])
    tagged_flac(lib / "Mixes/Show 12.flac", TITLE="Show 12", ARTIST="DJ", GENRE=["Podcast", "Electronic"])
    tagged_flac(lib / "Poet/Reading/01 Talk.flac", TITLE="Talk", ARTIST="Poet", GENRE="Spoken Word")
    tagged_flac(lib / "Shows/Ep 9.flac", TITLE="Ep 9", ARTIST="Show", GENRE=["Podcast", "Comedy"])
    tagged_flac(lib / "Shows/Ep 10.flac", TITLE="Ep 10", ARTIST="Show", GENRE=["Spoken Word", "Technology"])
    assert _kinds(lib, tmp_path) == {
        "Poet/Album/01 Poem.flac": "", "Mixes/Show 12.flac": "", "Poet/Reading/01 Talk.flac": SPOKEN,
        "Shows/Ep 9.flac": SPOKEN, "Shows/Ep 10.flac": SPOKEN,
    }
