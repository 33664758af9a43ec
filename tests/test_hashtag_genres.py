"""A genre typed as a hashtag (``recsys.catalog.hashtaggenres``): scdl writes a SoundCloud
track's genre as the uploader typed it, "#lofi", "#LoFi HipHop"; the "#" is no part of it."""

from __future__ import annotations

from mutagen.id3 import ID3, TCON, TIT2, TPE1

from recsys.catalog import read_music_folder
from recsys.catalog.hashtaggenres import hashtag_genres
from recsys.labels import genre_key
from tests.support.tagged_files import tagged_flac


def test_a_hashtags_mark_is_read_away():
    assert hashtag_genres("#lofi") == ["lofi"]
    assert hashtag_genres("#LoFi HipHop") == ["LoFi HipHop"]
    assert hashtag_genres("#lofi #chill") == ["lofi", "chill"]


def test_a_hash_that_marks_no_hashtag_is_kept():
    # a note's sharp, a chart's number: no hashtag
    assert hashtag_genres("C#") == ["C#"]
    assert hashtag_genres("#1 Hits") == ["#1 Hits"]
    assert hashtag_genres("Lo-Fi Hip Hop") == ["Lo-Fi Hip Hop"]


def test_an_scdl_downloads_hashtag_genre_is_the_genre(tmp_path):
    """scdl's MP3 (TCON as typed) beside a tagged "Lofi" FLAC: one genre, named without "#"
    (before: ("#lofi",), which the facet showed where it was the most common spelling, and the
    embedded text read)."""
    from tests.test_audio_formats import write_tone

    lib = tmp_path / "lib"
    tagged_flac(lib / "Album/01 Tagged.flac", TITLE="Tagged", ARTIST="Idealism", GENRE="Lofi")
    (lib / "SoundCloud").mkdir()
    for name, genre in (("rainy", "#lofi"), ("sunday", "#LoFi HipHop"), ("two", "#lofi #chill")):
        path = write_tone(lib / "SoundCloud" / f"{name}.mp3", 0.3)
        tags = ID3()
        tags.add(TIT2(encoding=3, text=name))
        tags.add(TPE1(encoding=3, text="kudasai"))
        tags.add(TCON(encoding=3, text=genre))
        tags.save(path)
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["rainy"].genres == ("lofi",)
    assert tracks["sunday"].genres == ("LoFi HipHop",)
    assert tracks["two"].genres == ("lofi", "chill")
    assert genre_key(tracks["rainy"].genres[0]) == genre_key(tracks["Tagged"].genres[0])
    assert "#" not in tracks["rainy"].text_document()
    assert tracks["rainy"].payload()["genres_norm"] == ["lofi"]
