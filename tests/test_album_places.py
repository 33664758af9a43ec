"""One album's tracks of one title, told apart by their places (``catalog.albumplaces``, the
payload's ``album_place``, ``query.cues``): a game music collection's four "Battle Theme"s
(the seventeenth real library) were one song to the results' dedup, three of them never
recommended nor a seed. Files, payloads and stores are made here; each case's answer is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from recsys.catalog import read_catalog
from recsys.catalog.albumplaces import repeated_places, track_place
from recsys.catalog.model import TrackRecord
from recsys.query.library import Picker
from recsys.query.seeds import title_entry
from recsys.query.titlepick import AmbiguousTitleError
from recsys.query.titles import TitleIndex
from recsys.store.base import Hit, PointRecord
from tests import test_sync
from tests.support.tagged_files import tagged_flac
from tests.test_sync import CALLS, _ingest, _points


@pytest.fixture(autouse=True)
def _registry_as_it_was(monkeypatch):
    """The counting encoders leave the registry with this module (test_encoder_contract lists
    every registered encoder): they register into a copy."""
    from recsys.encoders import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))


#: test_sync's autouse fixture (counting encoders), in force here too
counting_encoders = test_sync.counting_encoders

COLLECTION = "FINAL FANTASY Battle Theme Collection"


def _track(track_id: str, title: str, number: str, *, album: str = COLLECTION, artist: str = "Nobuo Uematsu",
           disc: str = "") -> TrackRecord:
    return TrackRecord(track_id=track_id, title=title, artist=artist, album=album, track_number=number, disc_number=disc)


def _placed(tracks: list[TrackRecord]) -> dict[str, str]:
    return {t.track_id: t.album_place for t in repeated_places(tracks)}


def _hits(tracks: list[TrackRecord]) -> list[Hit]:
    return [Hit(t.track_id, 1.0 - i / 100, t.payload()) for i, t in enumerate(repeated_places(tracks))]


def _taken(tracks: list[TrackRecord]) -> list[str]:
    picker = Picker()
    return [h.track_id for h in _hits(tracks) if picker.take(h)]


def _index(tracks: list[TrackRecord]) -> TitleIndex:
    return TitleIndex(title_entry(PointRecord(t.track_id, payload=t.payload())) for t in repeated_places(tracks))


BATTLES = [_track(f"b{n}", "Battle Theme", str(n)) for n in (1, 2, 3, 4)] + [
    _track("v5", "Victory Fanfare", "5"), _track("v6", "Victory Fanfare", "6")]


# ---- where a track is on its album --------------------------------------------------------------


@pytest.mark.parametrize("tags,disc_tags,relative,place", [
    (["03/12"], ["1/2"], "A/B/x.flac", ("3", "1")),
    ([" 7 "], [], "A/B/x.flac", ("7", "")),
    (["A1"], [], "A/B/x.flac", ("a1", "")),  # a record's side and track
    (["0"], ["0"], "A/B/x.flac", ("", "")),  # a tagger's "unknown"
    ([], [], "A/B/03. Battle Theme.flac", ("3", "")),  # the name's, without a tag
    ([], [], "A/B/2-03 Battle Theme.flac", ("3", "2")),
    ([], [], "A/B/CD2/01 Battle Theme.flac", ("1", "2")),  # the disc folder's
    (["4"], [], "A/B/Disc Two/01 Battle Theme.flac", ("4", "2")),  # the tag's number before the name's
    ([], [], "A/B/Battle Theme.flac", ("", "")),
    ([], [], "A/B/1979.flac", ("", "")),  # a year is no track number
    ([], [], "A/B/2.00 Intro.flac", ("", "")),  # no track 0, and so no disc 2 either
])
def test_a_files_place_on_its_album(tags, disc_tags, relative, place):
    assert track_place(tags, disc_tags, relative) == place


def test_only_a_title_repeated_at_two_places_of_one_album_gets_its_place():
    tracks = BATTLES + [
        _track("other", "Battle Theme", "1", album="FINAL FANTASY VI"),  # another album's: one place there
        _track("mp3-1", "Battle Theme", "1", disc="1"),  # the album's copy in MP3, its disc named: track 1 again
        _track("main", "Main Title", "1", album="Castle Themes"),
        _track("slow", "Main Title (Slow)", "2", album="Castle Themes"),  # another title: a version
        _track("nonum", "Battle Theme", ""),  # no number: no place
    ]
    placed = _placed(tracks)
    assert {k: v for k, v in placed.items() if v} == {
        "b1": "1-1", "b2": "1-2", "b3": "1-3", "b4": "1-4", "v5": "1-5", "v6": "1-6", "mp3-1": "1-1"}
    assert "album_place" not in TrackRecord("x", "Battle Theme", "A", track_number="1").payload()
    # out of the hashes: a sibling's coming or going changes the place, not the track
    assert repeated_places(BATTLES)[0].payload(derived=False) == BATTLES[0].payload(derived=False)


def test_a_music_folders_tracks_and_a_cue_sheets_get_their_places(tmp_path):
    lib = tmp_path / "lib"
    folder = lib / "Game Music" / COLLECTION
    for n, title in enumerate(["Battle Theme", "Battle Theme", "Victory Fanfare"], start=1):
        tagged_flac(folder / f"{n:02d}. {title}.flac", TITLE=title, ARTIST="Nobuo Uematsu", ALBUM=COLLECTION,
                    TRACKNUMBER=f"{n:02d}", DISCNUMBER="1")
    # untagged files of one album, their places in their names and disc folders
    for disc in (1, 2):
        tagged_flac(lib / "Rips" / "Game Boy Hits" / f"CD{disc}" / f"0{disc + 2} Battle.flac")
    image = lib / "Images" / "Mixed Battles.wav"
    image.parent.mkdir(parents=True)
    sf.write(image, np.zeros(8000 * 6, dtype=np.float32), 8000)
    image.with_suffix(".cue").write_text(
        'PERFORMER "Chiptune Band"\nTITLE "Mixed Battles"\nFILE "Mixed Battles.wav" WAVE\n'
        + "".join(f'  TRACK 0{n} AUDIO\n    TITLE "{t}"\n    INDEX 01 00:0{2 * (n - 1)}:00\n'
                  for n, t in enumerate(["Boss Battle", "Boss Battle", "Ending"], start=1)))
    cat = read_catalog(lib, cover_cache=tmp_path / "covers")
    places = {(t.album, t.title, t.track_number): t.album_place for t in cat.tracks}
    assert places == {
        (COLLECTION, "Battle Theme", "1"): "1-1", (COLLECTION, "Battle Theme", "2"): "1-2",
        (COLLECTION, "Victory Fanfare", "3"): "",
        ("Game Boy Hits", "Battle", "3"): "1-3", ("Game Boy Hits", "Battle", "4"): "2-4",
        ("Mixed Battles", "Boss Battle", "1"): "1-1", ("Mixed Battles", "Boss Battle", "2"): "1-2",
        ("Mixed Battles", "Ending", "3"): "",
    }


# ---- the dedup, the seeds and a radio -----------------------------------------------------------


def test_one_albums_four_battle_themes_are_four_songs_in_a_list():
    # before: "b1" and "v5" alone, the other five taken for their versions
    assert _taken(BATTLES) == ["b1", "b2", "b3", "b4", "v5", "v6"]


def test_an_albums_copy_and_a_marked_version_of_an_unrepeated_title_stay_one_song():
    tracks = BATTLES[:2] + [
        _track("mp3-2", "Battle Theme", "2", disc="1"),  # the album in MP3 as well: b2's copy
        # its title marks a version, but of which battle theme? None is told: a piece of its own
        _track("arr", "Battle Theme (Arrange Ver.)", "7"),
        _track("ms1", "Main Title", "1", album="Castle Themes"), _track("ms2", "Main Title (Slow)", "2", album="Castle Themes"),
    ]
    assert _taken(tracks) == ["b1", "b2", "arr", "ms1"]


def test_a_songs_title_twice_on_one_album_stays_one_song():
    # a live show's "Playing in the Band" resumed after a jam; a reissue's mono and stereo mixes
    # titled alike (as MusicBrainz does): one song, in a list as it was
    show = "1972-08-27 - Veneta, OR"
    tracks = [_track("pitb1", "Playing in the Band", "3", album=show, artist="Grateful Dead"),
              _track("drums", "Drums", "4", album=show, artist="Grateful Dead"),
              _track("pitb2", "Playing in the Band", "5", album=show, artist="Grateful Dead"),
              _track("studio", "Playing in the Band", "1", album="Ace", artist="Grateful Dead")]
    assert _placed(tracks)["pitb2"] == "1-5"  # the catalog says where; the dedup says what it means
    assert _taken(tracks) == ["pitb1", "drums"]


def test_movements_named_by_their_tempo_alone_are_their_places_pieces():
    # a rip without work tags: three works' "Allegro" on one album, and the interludes of a rap album
    tracks = [_track("a2", "Allegro", "2", album="Concertos", artist="I Musici"),
              _track("a5", "Allegro", "5", album="Concertos", artist="I Musici"),
              _track("a9", "III. Allegro", "9", album="Concertos", artist="I Musici"),
              _track("a12", "III. Allegro", "12", album="Concertos", artist="I Musici"),
              _track("i3", "Interlude", "3", album="Mixtape", artist="MC"),
              _track("i7", "Interlude", "7", album="Mixtape", artist="MC")]
    assert _taken(tracks) == ["a2", "a5", "a9", "a12", "i3", "i7"]
    # "Allegro" on two albums, not repeated on either: as before, one song (a box and its compilation)
    assert _taken([_track("x", "Allegro", "1", album="Box", artist="I Musici"),
                   _track("y", "Allegro", "3", album="Best of", artist="I Musici")]) == ["x"]


def test_a_seed_names_each_battle_theme_by_its_place():
    with pytest.raises(AmbiguousTitleError) as err:
        _index(BATTLES).resolve("Battle Theme")
    message = str(err.value)
    for n in (1, 2, 3, 4):
        assert f"\"Battle Theme\" by Nobuo Uematsu on {COLLECTION}, track {n} [b{n}]" in message
    assert message.index("[b1]") < message.index("[b2]") < message.index("[b4]")  # in the album's order
    assert "places on them tell them apart: give the track id" in message
    disc_two = [_track("d1", "Battle", "1", disc="1"), _track("d2", "Battle", "1", disc="2")]
    with pytest.raises(AmbiguousTitleError, match=r"disc 2, track 1 \[d2\]"):
        _index(disc_two).resolve("Battle")


def test_an_artist_radio_seeds_with_every_battle_theme():
    seeds = _index(BATTLES + [_track("t", "Terra", "1", album="FINAL FANTASY VI")]).artist_tracks("Nobuo Uematsu")
    assert sorted(e.track_id for e in seeds) == ["b1", "b2", "b3", "b4", "t", "v5", "v6"]


def test_a_payload_without_a_place_reads_as_before():
    # a store written before ``album_place``: one song, as it was, until its next ingest
    picker = Picker()
    hits = [Hit(t.track_id, 1.0, t.payload()) for t in BATTLES]
    assert [h.track_id for h in hits if picker.take(h)] == ["b1", "v5"]


# ---- an ingest writes the place, and keeps it true ----------------------------------------------


def _file(lib: Path, n: int, title: str) -> None:
    # each its own length: one sound is one embedding to the cache, and the counts below are encodes
    tagged_flac(lib / COLLECTION / f"{n:02d}. {title}.flac", seconds=0.3 + n / 10, TITLE=title, ARTIST="Nobuo Uematsu",
                ALBUM=COLLECTION, TRACKNUMBER=str(n))


def _places(tmp_path: Path) -> dict[str, str]:
    return {p.payload["audio_path"]: p.payload.get("album_place", "") for p in _points(tmp_path).values()}


def test_an_older_store_gains_the_places_without_encoding(tmp_path):
    pytest.importorskip("mutagen")
    from recsys.catalog.model import DERIVED_RULES, DERIVED_RULES_KEY

    lib = tmp_path / "lib"
    for n, title in enumerate(["Battle Theme", "Battle Theme", "Victory Fanfare"], start=1):
        _file(lib, n, title)
    _ingest(lib, tmp_path)
    new = {t: p.payload for t, p in _points(tmp_path).items()}
    assert sorted(p.get("album_place", "") for p in new.values()) == ["", "1-1", "1-2"]
    from recsys.store import open_backend

    backend = open_backend(tmp_path / "store")
    try:  # as the ingest before the field wrote them
        backend.upsert("c", [PointRecord(p.track_id, p.vectors, {k: v for k, v in p.payload.items() if k != "album_place"}
                                         | {DERIVED_RULES_KEY: DERIVED_RULES - 1}) for p in backend.scroll("c", with_vectors=True)])
    finally:
        backend.close()
    CALLS.clear()
    report = _ingest(lib, tmp_path)
    assert report.ingested == 0 and not CALLS
    assert {t: p.payload for t, p in _points(tmp_path).items()} == new


def test_a_sibling_added_or_removed_changes_the_place_without_encoding(tmp_path):
    pytest.importorskip("mutagen")
    lib = tmp_path / "lib"
    _file(lib, 1, "Battle Theme")
    _file(lib, 2, "Victory Fanfare")
    _ingest(lib, tmp_path)
    assert sorted(_places(tmp_path).values()) == ["", ""]
    _file(lib, 3, "Battle Theme")  # another game's: the first one's file untouched
    CALLS.clear()
    _ingest(lib, tmp_path)
    assert CALLS["audio"] == 1  # the new file alone
    assert sorted(_places(tmp_path).values()) == ["", "1-1", "1-3"]
    (lib / COLLECTION / "03. Battle Theme.flac").unlink()  # and it goes: so does the first one's place
    CALLS.clear()
    report = _ingest(lib, tmp_path)
    assert not CALLS and report.ingested == 0
    assert sorted(_places(tmp_path).values()) == ["", ""]
