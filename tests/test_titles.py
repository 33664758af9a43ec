import pytest

from recsys.errors import NotFoundError
from recsys.query.titles import AmbiguousTitleError, TitleEntry, TitleIndex, base_title, version_key


@pytest.mark.parametrize(
    "title, base",
    [
        ("Blue Drift", "blue drift"),
        ("Blue Drift (Live)", "blue drift"),
        ("Blue Drift - Remastered 2011", "blue drift"),
        ("Blue Drift [Radio Edit]", "blue drift"),
        ("Blue Drift (feat. Someone) - Live at Home", "blue drift"),
        ("Café Noir", "cafe noir"),
        ("Half-Life - Part Two", "half life part two"),  # a dash that is part of the title
    ],
)
def test_base_title_strips_version_markers(title, base):
    assert base_title(title) == base


def test_versions_share_a_key_and_other_artists_do_not():
    assert version_key("Song (Live)", "The Band") == version_key("song", "the band")
    assert version_key("Song", "The Band") != version_key("Song", "Other Band")


def _index():
    return TitleIndex(
        [
            TitleEntry("1", "Ocean Breath", "Drift Theory"),
            TitleEntry("2", "Ocean Breath (Live)", "Drift Theory"),
            TitleEntry("3", "Steel Rage", "Iron Vow"),
            TitleEntry("4", "Home", "Artist A"),
            TitleEntry("5", "Home", "Artist B"),
            TitleEntry("6", "i", "Short Title Band"),
        ]
    )


def test_exact_and_fuzzy_matches():
    idx = _index()
    assert idx.resolve("ocean breath").track_id == "1"
    assert idx.resolve("Ocean Breth").track_id == "1"  # a typo
    assert idx.resolve("steel rage!").track_id == "3"


def test_versions_of_one_song_are_not_ambiguous_and_prefer_the_plain_one():
    assert _index().resolve("Ocean Breath").track_id == "1"


def test_same_title_by_two_artists_is_ambiguous_until_the_artist_is_given():
    idx = _index()
    with pytest.raises(AmbiguousTitleError) as e:
        idx.resolve("Home")
    assert "Artist A" in str(e.value) and "Artist B" in str(e.value) and "--artist" in str(e.value)
    assert idx.resolve("Home", artist="artist b").track_id == "5"


def test_unknown_title_lists_the_closest():
    with pytest.raises(NotFoundError) as e:
        _index().resolve("Completely Different Words Here")
    assert "closest" in str(e.value)


def test_a_tiny_title_does_not_swallow_longer_queries():
    with pytest.raises(NotFoundError):
        _index().resolve("Shadi")
    assert _index().resolve("i").track_id == "6"
