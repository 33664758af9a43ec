"""What a second pass over the twenty-first real library (an Arab, Persian, Turkish and Hebrew
listener's) found: an Arabic compound name written with and without its space, a Latin name
typed for an artist the library names in Arabic alone, composers in two scripts, Persian
(Solar Hijri) years, concert rips from YouTube. Each case rebuilt here from tiny entries or files."""

from __future__ import annotations

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.abjadnames import abjad_reading, latin_letters
from recsys.catalog.tagvalues import _years
from recsys.catalog.uploads import upload_credit
from recsys.errors import NotFoundError
from recsys.query.composers import ComposerIndex
from recsys.query.titlekeys import version_key
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import TitleIndex
from tests.support.tagged_files import tagged_flac


# ---- one artist, one key: "عبد الحليم" and "عبدالحليم" ------------------------------------


def test_a_compound_name_with_or_without_its_space_is_one_artists_song():
    """"سواح" by "عبد الحليم حافظ" (Deezer) and by "عبدالحليم حافظ" (an Anghami copy) was a
    choice between two artists' songs; the facet and the filters had them one artist already."""
    assert version_key("سواح", "عبد الحليم حافظ") == version_key("سواح", "عبدالحليم حافظ")
    assert version_key("Ahwak", "Abdel Halim Hafez") == version_key("Ahwak", "Abd El Halim Hafez") \
        == version_key("Ahwak", "Abdelhalim Hafez")
    assert version_key("Song", "Ustad Nusrat Fateh Ali Khan") == version_key("Song", "Nusrat Fateh Ali Khan")
    assert version_key("Song", "Band") != version_key("Song", "Other Band")
    index = TitleIndex([TitleEntry("1", "سواح", "عبد الحليم حافظ"), TitleEntry("2", "سواح", "عبدالحليم حافظ"),
                        TitleEntry("3", "قارئة الفنجان", "عبد الحليم حافظ")])
    assert index.resolve("سواح").track_id in {"1", "2"}  # no AmbiguousTitleError


# ---- a Latin name typed for an artist named in Arabic alone -------------------------------


def _khalife() -> TitleIndex:
    return TitleIndex([TitleEntry("1", "عصفور", "مارسيل خليفة"), TitleEntry("2", "جواز السفر", "مارسيل خليفة"),
                       TitleEntry("3", "Didi", "Khaled"), TitleEntry("4", "Roxanne", "Sting")])


def test_a_latin_name_typed_finds_the_one_abjad_artist_it_reads_as():
    """``--artist "Marcel Khalife"`` was "no artist matches" in a library that has him as
    "مارسيل خليفة" alone (Deezer's Arabic names)."""
    assert {e.track_id for e in _khalife().artist_tracks("Marcel Khalife")} == {"1", "2"}
    assert {e.track_id for e in _khalife().artist_tracks("Marcel Khalifa")} == {"1", "2"}
    assert _khalife().resolve("عصفور", artist="Marcel Khalife").track_id == "1"
    assert {e.track_id for e in _khalife().artist_tracks("Khaled")} == {"3"}  # a name of the library's first
    # the Latin spellings the library joined to the abjad name come with it ("Kadim Al Sahir",
    # known as "كاظم الساهر": ``catalog.abjadnames``), for another spelling typed
    kazem = TitleIndex([TitleEntry("1", "زيديني عشقا", "كاظم الساهر"),
                        TitleEntry("2", "Zidini Ishqan", "Kadim Al Sahir", known_as="كاظم الساهر")])
    assert {e.track_id for e in kazem.artist_tracks("Kazem El Saher")} == {"1", "2"}
    shown_latin = TitleIndex([TitleEntry("1", "زيديني عشقا", "كاظم الساهر", known_as="Kadim Al Sahir"),
                              TitleEntry("2", "Zidini Ishqan", "Kadim Al Sahir")])
    assert {e.track_id for e in shown_latin.artist_tracks("Kazem El Saher")} == {"1", "2"}


def test_a_latin_name_reading_as_no_or_two_abjad_artists_is_the_error_it_was():
    with pytest.raises(NotFoundError, match="no artist matches 'Mohamed Mounir'"):
        _khalife().artist_tracks("Mohamed Mounir")
    two = TitleIndex([TitleEntry("1", "أ", "محمد عبده"), TitleEntry("2", "ب", "محمد عبدو")])
    with pytest.raises(NotFoundError):
        two.artist_tracks("Mohammed Abdu")  # which one? no guess


# ---- composers (and artists) in Arabic and in Latin letters --------------------------------


def test_the_article_may_go_unwritten_and_a_familys_word_be_translated():
    ziad = abjad_reading("زياد الرحباني")
    assert all(ziad.fullmatch(latin_letters(n)) for n in ("Ziad Rahbani", "Ziad Al Rahbani", "Ziad Ar-Rahbani"))
    assert abjad_reading("كاظم الساهر").fullmatch(latin_letters("Kazem Saher"))
    brothers = abjad_reading("الأخوين رحباني")
    assert all(brothers.fullmatch(latin_letters(n)) for n in ("Rahbani Brothers", "Les Frères Rahbani"))
    assert not brothers.fullmatch(latin_letters("Rahbani"))  # one of them is no ensemble
    assert not brothers.fullmatch(latin_letters("Ziad Rahbani"))


def test_a_composer_named_in_arabic_and_in_latin_letters_is_one_composer():
    """Deezer's "الأخوين رحباني" and "زياد الرحباني" beside iTunes' "Rahbani Brothers" and "Ziad
    Rahbani": four rows of the composer facet for two composers, and ``--composer "Rahbani
    Brothers"`` found half of their songs."""
    rows = [("Rahbani Brothers", 9), ("الأخوين رحباني", 8), ("Ziad Rahbani", 7), ("زياد الرحباني", 5),
            ("Mohammed Abdel Wahab", 2), ("رياض السنباطي", 1)]
    index = ComposerIndex.of_rows(rows)
    assert index.rows() == [("Rahbani Brothers", 17), ("Ziad Rahbani", 12), ("Mohammed Abdel Wahab", 2),
                            ("رياض السنباطي", 1)]
    (brothers,) = index.matching("الأخوين رحباني")
    assert set(brothers.values) == {"Rahbani Brothers", "الأخوين رحباني"}
    assert [c.name for c in index.matching("Riad Al Sunbati")] == ["رياض السنباطي"]  # typed in Latin letters
    assert index.matching("Mohammed Abdu") == ()


# ---- Persian (Solar Hijri) years ------------------------------------------------------------


@pytest.mark.parametrize("written, names, year", [
    ("۱۳۵۵", (), 1976),  # Persian digits: a Solar Hijri year
    ("1355", ("گوگوش", "پل"), 1976),  # ASCII digits in a Persian tag
    ("۱۳۵۵/۰۵/۱۲", (), 1976),
    ("1350", ("Guillaume de Machaut", "Messe de Nostre Dame"), 1350),  # an early-music date stays
    ("١٩٦٧", ("فيروز",), 1967),  # Arabic-Indic digits: an Arab's Gregorian year
    ("۱۹۷۶", (), 1976),  # a Gregorian year in Persian digits: out of the Solar Hijri range
])
def test_a_persian_date_is_read_as_its_gregorian_year(written, names, year):
    assert _years([written], names) == [year]


def test_a_persian_tags_year_is_its_gregorian_one(tmp_path):
    """Googoosh's "پل" tagged "۱۳۵۵" was a track of 1355 in ``facets years``."""
    lib = tmp_path / "lib"
    tagged_flac(lib / "01.flac", TITLE="پل", ARTIST="گوگوش", DATE="۱۳۵۵")
    tagged_flac(lib / "02.flac", TITLE="Pol", ARTIST="Googoosh", DATE="1355")
    tracks = {t.source: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["01.flac"].year == 1976 and tracks["02.flac"].year == 1355


# ---- concert rips from YouTube --------------------------------------------------------------


@pytest.mark.parametrize("title, channel, read", [
    # a singer's concert channel: "FairouzLive" is Fairouz's
    ("Fairouz - Kifak Inta (Live Beiteddine 2000)", "FairouzLive", ("Kifak Inta (Live Beiteddine 2000)", "Fairouz")),
    # a title in two languages, by a fan's archive: the first part's artist and song
    ("Oum Kalthoum - Al Atlal (Live 1967) | أم كلثوم - الأطلال - حفلة باريس", "Classic Arabic Music",
     ("Al Atlal (Live 1967)", "Oum Kalthoum")),
    ("Nancy Ajram - Ah W Noss (Official Music Video) / نانسي عجرم - آه ونص", "Nancy Ajram", ("Ah W Noss", "Nancy Ajram")),
    # the channel's Latin name read as the title's Arabic one
    ("ام كلثوم - انت عمري", "Umm Kulthum Official", ("انت عمري", "ام كلثوم")),
])
def test_a_concert_rips_title_names_its_artist_and_song(title, channel, read):
    assert upload_credit(title, channel) == read


@pytest.mark.parametrize("title, channel", [
    ("Song - Live", "Band"),  # a band's title, kept
    ("Intro - Remix / Outro - Dub", "Some Channel"),  # two parts, no artist twice in two scripts
    ("Fairouz - Kifak Inta", "Rotana Classic"),  # a label's channel names no artist here
    ("ام كلثوم - انت عمري", "Umm Kulthum Fans Club"),  # not a channel's word
])
def test_other_uploads_titles_stay_as_tagged(title, channel):
    assert upload_credit(title, channel) is None
