"""A producer's credit in a title, "(Prod. By Luny Tunes)", "[prod. Metro Boomin]", "(Prod by
X)" (lib30, lib12): no part of the song's key, nor a version's mark, whatever words the
producer's name holds ("DP Beats", "Kenny Beats": lib12); the title shown stays as tagged."""

from __future__ import annotations

from recsys.query.titlekeys import plainness, version_key
from recsys.query.titlepick import TitleEntry, pick


def test_a_producers_credit_is_no_part_of_the_song():
    for title in ("Rompe (Prod. By Echo & Diesel)", "Rompe [prod. Metro Boomin]", "Rompe (Prod by X)",
                  "Rompe prod. Metro Boomin"):
        assert version_key(title, "Daddy Yankee") == version_key("Rompe", "Daddy Yankee"), title
    # a remix credited to its producer is still a remix
    assert plainness("Rompe (Prod. By Luny Tunes) (Remix)") == 2


def test_a_producers_name_marks_no_version():
    # "Beats" of a producer's name is no "(Beats)" part, nor "Live" a live take
    assert plainness("Money Longer (prod. by DP Beats)") == 0
    assert plainness("Wavy (Prod. Kenny Beats)") == 0
    assert plainness("Song (Prod. Live Wire)") == 0
    assert plainness("Wavy (Instrumental)") == 3


def test_the_seed_is_the_song_not_its_instrumental():
    """lib12's "Wavy (Prod. Kenny Beats)" beside an instrumental of it: the seed "Wavy" is the
    song (before: both read as parts, the instrumental's shorter title won)."""
    song = TitleEntry("s", "Wavy (Prod. Kenny Beats)", "Vince Staples")
    instrumental = TitleEntry("i", "Wavy (Instrumental)", "Vince Staples")
    assert pick("Wavy", [instrumental, song]).track_id == "s"
    assert pick("Wavy", [song, instrumental]).title == "Wavy (Prod. Kenny Beats)"
