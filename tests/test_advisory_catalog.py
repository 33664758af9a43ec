"""The parental advisory read by the catalog (``recsys.catalog.advisory``): each container's tag
as the taggers write it (MP4 ``rtng`` and freeform atoms, ID3 ``TXXX``, Vorbis comments in FLAC
and Opus, APEv2), a title's and an album's marks, a manifest's column; the payload's
``advisory`` ("explicit", "clean", absent) out of the hashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_music_folder
from recsys.catalog.advisory import advisory_of, advisory_value, marked_advisory
from recsys.catalog.manifest import read_manifest
from recsys.catalog.model import TrackRecord
from tests.support.tagged_files import tagged_flac
from tests.test_spoken_word_catalog import _m4a, _mp3

mutagen = pytest.importorskip("mutagen")


def _advisories(lib: Path, tmp_path: Path) -> dict[str, bool | None]:
    return {t.source: t.explicit for t in read_music_folder(lib, tmp_path / "covers").tracks}


def test_each_container_gives_its_advisory(tmp_path):
    from mutagen.apev2 import APEv2
    from mutagen.id3 import TXXX
    from mutagen.mp4 import MP4FreeForm

    from tests.test_music_folder import _encode

    lib = tmp_path / "lib"
    # iTunes and Apple Music: the rtng atom (1 explicit, 4 the older explicit, 2 clean, 0 none)
    for rating in (0, 1, 2, 4):
        _m4a(lib / f"rtng{rating}.m4a", rtng=[rating])
    _m4a(lib / "untagged.m4a")
    # another tagger's freeform ITUNESADVISORY in an MP4
    _m4a(lib / "freeform.m4a", **{"----:com.apple.iTunes:ITUNESADVISORY": [MP4FreeForm(b"1")]})
    # Mp3tag, Picard, foobar2000: TXXX:ITUNESADVISORY; a downloader's TXXX:EXPLICIT
    _mp3(lib / "id3-explicit.mp3", TXXX(encoding=3, desc="ITUNESADVISORY", text="1"))
    _mp3(lib / "id3-clean.mp3", TXXX(encoding=3, desc="ITUNESADVISORY", text="2"))
    _mp3(lib / "id3-flag.mp3", TXXX(encoding=3, desc="EXPLICIT", text="1"))
    _mp3(lib / "id3-none.mp3", TXXX(encoding=3, desc="ITUNESADVISORY", text="0"))
    # Vorbis comments: Picard's ITUNESADVISORY, a Tidal or Qobuz downloader's EXPLICIT=1/0
    tagged_flac(lib / "vorbis-advisory.flac", TITLE="a", ITUNESADVISORY="1")
    tagged_flac(lib / "vorbis-explicit.flac", TITLE="b", EXPLICIT="1")
    tagged_flac(lib / "vorbis-not.flac", TITLE="c", EXPLICIT="0")
    tagged_flac(lib / "vorbis-true.flac", TITLE="d", explicit="true")
    _encode(lib / "opus.opus", "libopus", "opus", 48000, seconds=0.3)
    opus = mutagen.File(lib / "opus.opus")
    opus["title"], opus["itunesadvisory"] = "opus", "2"
    opus.save()
    # foobar2000's APEv2 tag on an MP3 without ID3
    _mp3(lib / "ape.mp3")
    mutagen.File(lib / "ape.mp3").delete()
    ape = APEv2()
    ape["Title"], ape["ITUNESADVISORY"] = "ape", "1"
    ape.save(lib / "ape.mp3")

    assert _advisories(lib, tmp_path) == {
        "rtng0.m4a": None, "rtng1.m4a": True, "rtng2.m4a": False, "rtng4.m4a": True, "untagged.m4a": None,
        "freeform.m4a": True,
        "id3-explicit.mp3": True, "id3-clean.mp3": False, "id3-flag.mp3": True, "id3-none.mp3": None,
        "vorbis-advisory.flac": True, "vorbis-explicit.flac": True, "vorbis-not.flac": False,
        "vorbis-true.flac": True, "opus.opus": False, "ape.mp3": True,
    }


def test_explicit_wins_over_clean(tmp_path):
    """A clean tag on a title marked "[Explicit]", or two tags that disagree: explicit."""
    from mutagen.id3 import TXXX

    lib = tmp_path / "lib"
    _m4a(lib / "Song [Explicit].m4a", rtng=[2])
    _mp3(lib / "both.mp3", TXXX(encoding=3, desc="ITUNESADVISORY", text="2"), TXXX(encoding=3, desc="EXPLICIT", text="1"))
    tagged_flac(lib / "flac.flac", TITLE="Hype (Clean)", EXPLICIT="1")
    assert set(_advisories(lib, tmp_path).values()) == {True}


@pytest.mark.parametrize("title, found", [
    ("Hype [Explicit]", True), ("SICKO MODE (Explicit)", True), ("Mask Off (Explicit Version)", True),
    ("Go DJ (Dirty)", True), ("Mo Bamba - Explicit", True), ("Song [Uncensored]", True),
    ("Hype [Clean]", False), ("ASTROWORLD (Clean Version)", False), ("Mo Bamba (Clean)", False),
    ("Song - Clean", False), ("Song (Censored)", False), ("B***h, Don't Kill My Vibe", False),
    ("Fuck Up Some Commas", True), ("Big Shit Poppin (No DJ)", True), ("Bitch, Don't Kill My Vibe", True),
    ("Moby Dick", None), ("Kick Ass", None), ("Damn Right", None), ("Shiteye", None), ("Bitchin' Camaro", None),
    ("Hype", None), ("Explicit Content", None), ("Clean", None), ("Come Clean", None), ("*NSYNC Medley", None),
    ("Dirty Computer", None), ("Clean (Live)", None), ("", None),
])
def test_a_titles_marks(title, found):
    assert marked_advisory(title) is found


def test_the_album_speaks_where_the_track_does_not():
    assert advisory_of(None, "Hype", "Views [Explicit]") is True
    assert advisory_of(None, "Fireworks", "Dedication 2 (Clean)") is False
    # the track's own word wins over its album's
    assert advisory_of(False, "Hype", "Views [Explicit]") is False
    assert advisory_of(None, "Hype [Clean]", "Views [Explicit]") is False
    assert advisory_of(None, "Hype", "Views") is None


@pytest.mark.parametrize("value, field, found", [
    ("1", "itunesadvisory", True), ("4", "itunesadvisory", True), ("2", "itunesadvisory", False),
    ("0", "itunesadvisory", None), ("", "itunesadvisory", None), ("3", "itunesadvisory", None),
    ("0", "explicit", False), ("false", "explicit", False), ("True", "explicit", True), (" 1 ", "explicit", True),
    (b"1", "itunesadvisory", True), (1, "itunesadvisory", True), (True, "explicit", True), ("maybe", "explicit", None),
])
def test_a_tags_value(value, field, found):
    assert advisory_value(value, field) is found


def test_the_marks_of_an_untagged_files_name_and_the_album_tag(tmp_path):
    lib = tmp_path / "lib"
    tagged_flac(lib / "Sheck Wes - Mo Bamba (Clean).flac")  # no tags: the name's title
    tagged_flac(lib / "views.flac", TITLE="Hype", ARTIST="Drake", ALBUM="Views [Explicit]")
    assert _advisories(lib, tmp_path) == {"Sheck Wes - Mo Bamba (Clean).flac": False, "views.flac": True}


def test_the_payload_holds_it_only_where_known_and_out_of_the_hashes():
    plain = TrackRecord("t1", "Song", "Band")
    for value, stored in ((True, "explicit"), (False, "clean")):
        marked = TrackRecord("t1", "Song", "Band", explicit=value)
        assert marked.payload()["advisory"] == stored
        assert "advisory" not in marked.payload(derived=False)
        assert marked.content_hash() == plain.content_hash()
    assert "advisory" not in plain.payload()


def test_a_manifests_column(tmp_path):
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join([
        '{"track_id": "a", "title": "A", "artist": "X", "explicit": true}',
        '{"track_id": "b", "title": "B", "artist": "X", "explicit": "clean"}',
        '{"track_id": "c", "title": "C [Explicit]", "artist": "X"}',
        '{"track_id": "d", "title": "D", "artist": "X", "explicit": 0}',
        '{"track_id": "e", "title": "E", "artist": "X", "explicit": "perhaps"}',
        '{"track_id": "f", "title": "F", "artist": "X"}',
    ]) + "\n")
    catalog = read_manifest(manifest)
    assert {t.track_id: t.explicit for t in catalog.tracks} == {
        "a": True, "b": False, "c": True, "d": False, "e": None, "f": None}
    assert [p.message for p in catalog.problems] == [
        "explicit 'perhaps' is neither true nor false (true, false, 1, 0, explicit, clean)"]


def test_every_spelled_out_word_passes_the_quick_test():
    """``marked_advisory`` skips a title that holds no mark's word nor a swear word's root:
    each word of the list must hold one, or adding a word would find nothing."""
    from recsys.catalog.advisory import marked_advisory
    from recsys.catalog.censored import SPELLED_OUT

    for word in SPELLED_OUT:
        assert marked_advisory(f"Big {word.capitalize()} Poppin") is True, word
