"""What a seventeenth pass over real music (a film-score, game-soundtrack and musicals
collector's: iTunes soundtracks, Amazon film songs beside the singers' albums, VGMdb-tagged
game rips, cast recordings, a "Now That's What I Call Movie Music") found in the title rules and
the results' version dedup, each case rebuilt here from names alone."""

from __future__ import annotations

import pytest

from recsys.catalog.model import TrackRecord
from recsys.errors import NotFoundError
from recsys.query.cues import is_cue
from recsys.query.library import Picker
from recsys.query.seeds import title_entry
from recsys.query.titlekeys import base_title, version_key
from recsys.query.titlepick import AmbiguousTitleError
from recsys.query.titles import TitleIndex
from recsys.store.base import Hit, PointRecord


def _hits(tracks: list[TrackRecord]) -> list[Hit]:
    return [Hit(t.track_id, 1.0 - i / 100, t.payload()) for i, t in enumerate(tracks)]


def _index(tracks: list[TrackRecord]) -> TitleIndex:
    return TitleIndex(title_entry(PointRecord(t.track_id, payload=t.payload())) for t in tracks)


SCORES = [
    TrackRecord(track_id="sw", title="Main Title", artist="John Williams", album="Star Wars: A New Hope (Original Soundtrack)"),
    TrackRecord(track_id="et", title="Main Title", artist="John Williams",
                album="E.T. the Extra-Terrestrial (Original Motion Picture Soundtrack)"),
    TrackRecord(track_id="jaws", title="Main Title (Theme from \"Jaws\")", artist="John Williams",
                album="Jaws (Original Motion Picture Soundtrack)"),
    TrackRecord(track_id="et-end", title="End Credits", artist="John Williams", album="E.T. the Extra-Terrestrial"),
    TrackRecord(track_id="jp-end", title="End Credits", artist="John Williams", album="Jurassic Park"),
]


# ---- a cue title names another piece on each album -------------------------------------------


def test_one_composers_main_title_of_two_films_is_two_songs_in_a_list():
    # a radio by John Williams listed one "Main Title" of three films, and one "End Credits" of two
    picker = Picker()
    assert [h.track_id for h in _hits(SCORES) if picker.take(h)] == ["sw", "et", "jaws", "et-end", "jp-end"]


def test_a_seed_main_title_names_its_films_and_picks_none_in_silence():
    with pytest.raises(AmbiguousTitleError) as err:
        _index(SCORES).resolve("Main Title", artist="John Williams")
    message = str(err.value)
    # each film's, by its album: --artist cannot tell them apart, nor more of the title
    assert "on Star Wars: A New Hope (Original Soundtrack) [sw]" in message
    assert "on E.T. the Extra-Terrestrial (Original Motion Picture Soundtrack) [et]" in message
    assert "give the track id" in message and "--artist" not in message


def test_a_cue_on_an_albums_reissue_and_a_song_on_two_albums_stay_one_song():
    tracks = [
        # the soundtrack and its reissue ("(Original Soundtrack)" and "(... Motion Picture ...)")
        TrackRecord(track_id="1", title="Main Title", artist="John Williams", album="Star Wars: A New Hope (Original Soundtrack)"),
        TrackRecord(track_id="2", title="Main Title", artist="John Williams",
                    album="Star Wars: A New Hope (Original Motion Picture Soundtrack)"),
        # a song, not a cue: on the soundtrack and on the singer's album, one song's versions
        TrackRecord(track_id="3", title="My Heart Will Go On (Love Theme from \"Titanic\")", artist="Céline Dion",
                    album="Titanic (Music from the Motion Picture)"),
        TrackRecord(track_id="4", title="My Heart Will Go On", artist="Céline Dion", album="Let's Talk About Love"),
        TrackRecord(track_id="5", title="Aerith's Theme", artist="Nobuo Uematsu", album="FINAL FANTASY VII ORIGINAL SOUNDTRACK"),
        TrackRecord(track_id="6", title="Aerith's Theme (Orchestral Version)", artist="Nobuo Uematsu",
                    album="FINAL FANTASY VII ADVENT CHILDREN ORIGINAL SOUNDTRACK"),
    ]
    picker = Picker()
    assert [h.track_id for h in _hits(tracks) if picker.take(h)] == ["1", "3", "5"]
    # and a seed of the title is no choice between the reissue's copies
    assert _index(tracks).resolve("Main Title").track_id in {"1", "2"}


def test_one_cast_album_finale_and_a_loose_cue_stay_as_they_were():
    tracks = [
        TrackRecord(track_id="1", title="Finale", artist="Original Broadway Cast of Wicked", album="Wicked"),
        TrackRecord(track_id="2", title="Finale", artist="Original London Cast of Les Misérables", album="Les Misérables"),
        TrackRecord(track_id="3", title="Star Wars Main Title", artist="John Williams"),  # not a cue: a film in it
    ]
    with pytest.raises(AmbiguousTitleError) as err:
        _index(tracks).resolve("Finale")
    assert "--artist" in str(err.value) and " on Wicked" not in str(err.value)
    with pytest.raises(NotFoundError):
        _index(tracks).resolve("Finale", artist="Hans Zimmer")


@pytest.mark.parametrize("title", ["Main Title", "End Credits", "End Title", "Opening Titles", "Prologue", "Finale", "Suite",
                                   "Overture", "Battle Theme", "Victory Fanfare", "Fanfare 1", "Staff Roll", "Intro", "Main Theme"])
def test_cue_titles(title):
    assert is_cue(base_title(title))


@pytest.mark.parametrize("title", ["Let It Go", "Hedwig's Theme", "Main Title / The Imperial Probe", "Time", "My Shot (Reprise)",
                                   "Theme from Schindler's List", "The Battle", "Star Wars Main Title"])
def test_song_titles_are_no_cues(title):
    assert not is_cue(base_title(title))


# ---- a store's film credit after a dash ------------------------------------------------------


@pytest.mark.parametrize("title", ['Let It Go - From "Frozen"', 'Let It Go - From "Frozen"/Soundtrack Version',
                                   "Let It Go - From \u201cFrozen\u201d", "Let It Go - From the Motion Picture Frozen",
                                   'Let It Go (From "Frozen"/Soundtrack Version)'])
def test_a_film_credit_after_a_dash_is_the_songs_version(title):
    # Spotify's "Let It Go - From "Frozen"" beside Amazon's "(From "Frozen"/Soundtrack Version)":
    # one song, recommended for itself when the dash kept its credit
    assert version_key(title, "Idina Menzel") == version_key("Let It Go", "Idina Menzel")


@pytest.mark.parametrize("title", ["Symphony No. 9 - From the New World", "Hello - From Me", "Letters - From Iwo Jima Suite"])
def test_a_from_that_is_the_titles_own_stays(title):
    assert base_title(title) != base_title(title.split(" - ")[0])
