"""Several genres written as one comma-joined value (``recsys.catalog.genrelists``): qobuz-dl's
"Jazz, Cool Jazz", "Pop/Rock, Rock"; Discogs' one genre "Folk, World, & Country" stays one."""

from __future__ import annotations

from recsys.catalog import read_music_folder
from recsys.catalog.genrelists import genre_list
from recsys.labels import genre_key
from tests.support.tagged_files import tagged_flac


def test_a_list_of_genres_is_its_genres():
    assert genre_list("Pop/Rock, Rock") == ("Pop/Rock", "Rock")
    assert genre_list("Jazz, Cool Jazz") == ("Jazz", "Cool Jazz")
    assert genre_list("Jazz, Jazz Fusion & Jazz Rock") == ("Jazz", "Jazz Fusion & Jazz Rock")
    assert genre_list("hip hop, rap, trap") == ("hip hop", "rap", "trap")
    assert genre_list("Rock,Pop") == ("Rock", "Pop")


def test_a_name_with_a_comma_stays_one():
    # Discogs' genre, however punctuated; a part that is no genre keeps the value whole
    assert genre_list("Folk, World, & Country") == ("Folk, World, & Country",)
    assert genre_list("Folk, World & Country") == ("Folk, World & Country",)
    assert genre_list("Rock, Paper, Scissors") == ("Rock, Paper, Scissors",)
    assert genre_list("Songs, Vol. 2") == ("Songs, Vol. 2",)
    assert genre_list("Stage & Screen") == ("Stage & Screen",)


def test_a_part_the_library_tags_alone_is_a_genre():
    assert genre_list("Jazz, Zamrock") == ("Jazz, Zamrock",)
    assert genre_list("Jazz, Zamrock", frozenset({genre_key("Zamrock")})) == ("Jazz", "Zamrock")


def test_qobuz_dls_genre_path_is_two_genres(tmp_path):
    """lib26: qobuz-dl's "Jazz, Cool Jazz" was one genre, which --genre Jazz missed; a Discogs
    rip's "Folk, World, & Country" beside it is one genre still."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "Qobuz/01 So What.flac", TITLE="So What", ARTIST="Miles Davis", GENRE="Jazz, Cool Jazz")
    tagged_flac(lib / "Qobuz/02 Time.flac", TITLE="Time", ARTIST="Pink Floyd", GENRE="Pop/Rock, Rock")
    tagged_flac(lib / "Zambia/01 Ngoma.flac", TITLE="Ngoma", ARTIST="WITCH", GENRE="Zamrock")
    tagged_flac(lib / "Zambia/02 Lazy.flac", TITLE="Lazy", ARTIST="WITCH", GENRE="Jazz, Zamrock")
    tagged_flac(lib / "Discogs/01 Song.flac", TITLE="Song", ARTIST="Fela Kuti", GENRE="Folk, World, & Country")
    tracks = {t.title: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["So What"].genres == ("Jazz", "Cool Jazz")
    assert tracks["Time"].genres == ("Pop/Rock", "Rock")
    assert tracks["Lazy"].genres == ("Jazz", "Zamrock")  # "Zamrock": the library's own genre
    assert tracks["Song"].genres == ("Folk, World, & Country",)
    assert "jazz" in tracks["So What"].payload()["genres_key"]
