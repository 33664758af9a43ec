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


def test_a_bare_prod_by_without_its_dot_is_a_credit():
    """Leak and mixtape titles write the bare credit without a dot: "Magnolia prod by Pi'erre
    Bourne" is "Magnolia" (before: only "prod." and "produced by" were read bare). A title's
    own "prod" with no "by" after it stays."""
    assert version_key("Magnolia prod by Pi'erre Bourne", "Playboi Carti") == version_key("Magnolia", "Playboi Carti")
    assert version_key("Magnolia Prod By Pi'erre Bourne (Remix)", "Playboi Carti") == version_key(
        "Magnolia (Remix)", "Playboi Carti")
    assert version_key("Cattle Prod Blues", "X") != version_key("Cattle", "X")
    assert version_key("Prod", "X") != version_key("", "X")
