"""A Nigerian title before a bandleader's name (``labels.without_honorific``): "Chief Commander
Ebenezer Obey" and "Ebenezer Obey" (lib28) are one artist; "Chief Keef" (lib12, 110 tracks) is a
rapper whose name starts with "Chief", and stays his name."""

from __future__ import annotations

from recsys.catalog import read_music_folder
from recsys.labels import label_key, without_honorific
from tests.support.tagged_files import tagged_flac


def test_a_title_before_a_name_of_two_words_is_no_part_of_its_key():
    assert without_honorific("Chief Commander Ebenezer Obey") == "Ebenezer Obey"
    assert without_honorific("Chief Stephen Osita Osadebe") == "Stephen Osita Osadebe"
    assert without_honorific("Alhaji Sikiru Ayinde Barrister") == "Sikiru Ayinde Barrister"
    assert label_key("Chief Commander Ebenezer Obey") == label_key("Ebenezer Obey")


def test_a_name_that_starts_with_chief_stays():
    for name in ("Chief Keef", "Chief Keef & Lil Reese", "Chief Keef x Tadoe", "Chief Keef feat. Lil Reese",
                 "Chief Keef, Tadoe", "Chief", "Chief Commander", "Chiefs", "Alhaji"):
        assert without_honorific(name) == name, name
    assert label_key("Chief Keef") == "chiefkeef"


def test_obeys_titled_sleeve_is_his(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "Juju/01 Board Members.flac", TITLE="Board Members", ARTIST="Ebenezer Obey")
    tagged_flac(lib / "Juju/02 Asa.flac", TITLE="Àṣà", ARTIST="Chief Commander Ebenezer Obey")
    tagged_flac(lib / "Drill/01 Love Sosa.flac", TITLE="Love Sosa", ARTIST="Chief Keef")
    tracks = {t.title: t.payload() for t in read_music_folder(lib, tmp_path / "covers").tracks}
    assert tracks["Àṣà"]["artist_key"] == tracks["Board Members"]["artist_key"]
    assert tracks["Love Sosa"]["artist_key"] == "chiefkeef"
