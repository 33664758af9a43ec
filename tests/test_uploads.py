"""A video download's title tag "Artist - Title (Official Video)", whose artist tag is that
artist or its channel ("Jason Lavallee Music", "...VEVO"), is that artist's "Title"
(``recsys.catalog.uploads``); other titles with a dash are kept as tagged."""

from __future__ import annotations

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.uploads import upload_credit
from tests.support.tagged_files import tagged_flac


@pytest.mark.parametrize("title, artist, expected", [
    ("Mattias Westlund - Legends of the North (Official Video)", "Mattias Westlund",
     ("Legends of the North", "Mattias Westlund")),
    ("Jason Lavallee - Forest Stroll (Official Audio)", "Jason Lavallee Music", ("Forest Stroll", "Jason Lavallee")),
    ("Jason Lavallee – Forest Stroll [HD]", "JasonLavalleeVEVO", ("Forest Stroll", "Jason Lavallee")),
    ("Adele - Hello", "Adele - Topic", ("Hello", "Adele")),
    ("mattias westlund - Legends of the North", "Mattias Westlund", ("Legends of the North", "Mattias Westlund")),
    ("Song - Live", "Band", None),  # a band's own "Song - Live"
    ("Intro - Remix", "Some Channel", None),  # a channel that is no artist's name
    ("Jay-Z - Encore", "Jay-Z", ("Encore", "Jay-Z")),
    ("Jay-Z", "Jay", None),
    ("Westlund - Legends", "Mattias Westlund", None),
    ("Mattias Westlund - (Official Video)", "Mattias Westlund", None),
    ("Blue Öyster Cult - (Don't Fear) The Reaper", "Blue Öyster Cult", ("(Don't Fear) The Reaper", "Blue Öyster Cult")),
])
def test_an_upload_title(title, artist, expected):
    assert upload_credit(title, artist) == expected


def test_downloads_by_the_artist_or_a_channel_are_the_artists_songs(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "YouTube/Mattias Westlund - Legends of the North (Official Video) [Qw3rTy5uI7o].flac",
                TITLE="Mattias Westlund - Legends of the North (Official Video)", ARTIST="Mattias Westlund")
    tagged_flac(lib / "YouTube/Jason Lavallee - Forest Stroll (Official Audio) [Zx8pQ2wErT1].flac",
                TITLE="Jason Lavallee - Forest Stroll (feat. Wansti) (Official Audio)", ARTIST="Jason Lavallee Music")
    tagged_flac(lib / "Jason Lavallee/SuperTux/01 Eyes in the Deep.flac", TITLE="Eyes in the Deep",
                ARTIST="Jason Lavallee", ALBUM="SuperTux")
    tagged_flac(lib / "Band/Album/02 Song - Live.flac", TITLE="Song - Live", ARTIST="Band", ALBUM="Album")
    tracks = {t.source.rsplit("/", 1)[-1]: t for t in read_music_folder(lib, tmp_path / "covers").tracks}
    legends = tracks["Mattias Westlund - Legends of the North (Official Video) [Qw3rTy5uI7o].flac"]
    assert (legends.title, legends.artist) == ("Legends of the North", "Mattias Westlund")
    stroll = tracks["Jason Lavallee - Forest Stroll (Official Audio) [Zx8pQ2wErT1].flac"]
    assert (stroll.title, stroll.artist) == ("Forest Stroll (feat. Wansti)", "Jason Lavallee")
    assert stroll.artists == ("Jason Lavallee", "Wansti")  # the title's guest, not the channel
    live = tracks["02 Song - Live.flac"]
    assert (live.title, live.artist) == ("Song - Live", "Band")
