"""What a music folder of 10,000 to 50,000 files showed (docs/benchmarks.md, "A music folder
of 50,000 files"), each rebuilt here from tiny files: a re-read opens only the files that
changed since the last one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PIL import Image

import recsys.catalog.fileread as fileread
import recsys.catalog.musicdir as musicdir
import recsys.catalog.tagcache as tagcache
from recsys.catalog import read_music_folder
from recsys.errors import CatalogError
from tests.support.tagged_files import tagged_flac

mutagen = pytest.importorskip("mutagen")


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The names of the files the reader opens with mutagen, in order."""
    names: list[str] = []
    real = fileread.mutagen.File

    def counting(path, *args, **kwargs):
        names.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(fileread.mutagen, "File", counting)
    return names


def _library(lib: Path) -> None:
    for n in range(4):
        path = tagged_flac(lib / f"Artist {n}/Album/0{n} Song.flac", artist=f"Artist {n}", title=f"Song {n}",
                           genre="Rock", lyrics="la la" if n == 0 else [])
        _aged(path)


def _aged(path: Path, seconds: int = 3600) -> None:
    """An mtime of an hour ago: a file saved just now is not kept (``tagcache.RACY_NS``)."""
    then = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(then, then))


def test_a_reread_opens_only_the_files_that_changed(tmp_path, opened):
    """Every read opened every file with mutagen (twice for a FLAC: the easy and the raw view):
    23 s of a re-ingest of 50,000 unchanged files, and of every ``verify``. With a tag cache a
    file whose size and mtime are the last read's is not opened, and the catalog is the same;
    what other files give (a cover.jpg, an .lrc added beside) is read again all the same."""
    lib, covers, cache = tmp_path / "lib", tmp_path / "covers", tmp_path / "tags"
    _library(lib)
    first = read_music_folder(lib, covers, cache)
    assert len(set(opened)) == 4
    assert first.tracks == read_music_folder(lib, covers).tracks  # the same as without a cache

    opened.clear()
    again = read_music_folder(lib, covers, cache)
    assert opened == []
    assert again.tracks == first.tracks and again.stats == first.stats

    retagged = lib / "Artist 2/Album/02 Song.flac"
    audio = mutagen.File(retagged)
    audio["genre"] = "Jazz"
    audio.save()
    _aged(retagged, 60)
    Image.new("RGB", (8, 8), "red").save(lib / "Artist 3/Album/cover.jpg")
    (lib / "Artist 1/Album/01 Song.lrc").write_text("[00:01.00]words of song one\n")
    opened.clear()
    changed = {t.source: t for t in read_music_folder(lib, covers, cache).tracks}
    assert set(opened) == {"02 Song.flac"}
    assert changed["Artist 2/Album/02 Song.flac"].genres == ("Jazz",)
    assert changed["Artist 3/Album/03 Song.flac"].cover_path == lib / "Artist 3/Album/cover.jpg"
    assert changed["Artist 1/Album/01 Song.flac"].lyrics == "words of song one"
    assert changed["Artist 0/Album/00 Song.flac"].lyrics == "la la"  # the embedded ones, kept


def test_the_tag_cache_is_dropped_when_the_reader_changes(tmp_path, opened, monkeypatch):
    """A record kept by an older reader would keep its old rules' mistakes: a fixed rule (a new
    recsys) reads every file again; so does a torn cache file."""
    lib, covers, cache = tmp_path / "lib", tmp_path / "covers", tmp_path / "tags"
    _library(lib)
    read_music_folder(lib, covers, cache)
    monkeypatch.setattr(tagcache, "reader_version", lambda: "another reader")
    opened.clear()
    read_music_folder(lib, covers, cache)
    assert len(set(opened)) == 4

    for kept in cache.iterdir():
        kept.write_bytes(b"torn")
    opened.clear()
    assert len(read_music_folder(lib, covers, cache).tracks) == 4
    assert len(set(opened)) == 4


def test_a_file_saved_within_the_clock_tick_is_read_again(tmp_path, opened):
    """A file system's mtime ticks in milliseconds or seconds: a tagger's second save within
    the tick of the first, at the same size, keeps size and mtime, and a record kept from
    between the two saves would hide the second. A file modified within two seconds of a read
    is read but not kept."""
    lib, covers, cache = tmp_path / "lib", tmp_path / "covers", tmp_path / "tags"
    _library(lib)
    tagged_flac(lib / "Artist 9/Album/01 New.flac", artist="Artist 9", title="New")  # saved just now
    read_music_folder(lib, covers, cache)
    opened.clear()
    read_music_folder(lib, covers, cache)
    assert set(opened) == {"01 New.flac"}


def test_a_read_prunes_the_cache_files_of_folders_renamed_or_deleted(tmp_path):
    """One cache file per music folder read: a folder since renamed or deleted left its file
    behind (15 MB for 50,000 files) until the cache folder was emptied by hand. A read of any
    folder drops them, and those of an older reader; a folder whose parent is gone too (a disk
    not mounted now) keeps its file."""
    covers, cache = tmp_path / "covers", tmp_path / "tags"
    libs = {name: tmp_path / name for name in ("renamed", "deleted", "kept")}
    libs["unmounted"] = tmp_path / "disk" / "music"
    for lib in libs.values():
        _library(lib)
        read_music_folder(lib, covers, cache)
    assert len(list(cache.iterdir())) == 4
    older = tagcache.TagCache(cache, tmp_path / "older")
    older.put("x.flac", os.stat(libs["kept"] / "Artist 0/Album/00 Song.flac"), ("t", None, ()))
    real_version = tagcache.reader_version
    tagcache.reader_version = lambda: "an older reader"
    try:
        older.save()
    finally:
        tagcache.reader_version = real_version
    (tmp_path / "older").mkdir()  # its folder is there: only its reader is old
    (cache / "0123456789abcdef0123.pickle").write_bytes(b"the format before the header")

    libs["renamed"].rename(tmp_path / "renamed now")
    for path in sorted(libs["deleted"].rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    libs["deleted"].rmdir()
    (tmp_path / "disk").rename(tmp_path / "disk elsewhere")

    before = sorted(cache.iterdir())
    read_music_folder(libs["kept"], covers, cache)
    left = sorted(cache.iterdir())
    assert len(before) == 6 and len(left) == 2
    assert {tagcache.TagCache(cache, lib).path for lib in (libs["kept"], libs["unmounted"])} == set(left)
    opened_again = read_music_folder(libs["kept"], covers, cache)
    assert len(opened_again.tracks) == 4 and sorted(cache.iterdir()) == left


def test_the_cache_file_of_a_disk_not_mounted_now_is_kept(tmp_path):
    """A music folder that is a removable disk's root (macOS' /Volumes/Disk, udisks'
    /media/Disk) or lies on a disk whose mount point stays as an empty folder (/mnt/usb/Music
    from fstab) is gone while the disk is out, its parent there: its cache file was pruned
    as a deleted folder's, and the next read of the disk read every file's tags again."""
    covers, cache = tmp_path / "covers", tmp_path / "tags"
    lib = tmp_path / "kept"
    _library(lib)
    mount_point = tmp_path / "mnt-usb"
    mount_point.mkdir()
    away = [Path("/media") / f"recsys-review-disk-{os.getpid()}", mount_point / "Music"]
    assert not any(p.exists() for p in away)
    for root in away:
        gone = tagcache.TagCache(cache, root)
        gone.put("x.flac", os.stat(lib / "Artist 0/Album/00 Song.flac"), ("t", None, ()))
        gone.save()
    kept = {tagcache.TagCache(cache, root).path for root in away}
    read_music_folder(lib, covers, cache)
    assert kept <= set(cache.iterdir())


def test_a_read_pauses_the_cycle_collector_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    # a read builds and keeps its records: the collector's passes over them were a fifth of a
    # warm read of 50,000 files (docs/benchmarks.md); after the read it runs as before
    import gc

    tagged_flac(tmp_path / "lib/Band/Album/01 Song.flac", title="Song", artist="Band", album="Album")
    during: list[bool] = []
    real = musicdir.scan_folder

    def watched(*args, **kwargs):
        during.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(musicdir, "scan_folder", watched)
    assert gc.isenabled()
    read_music_folder(tmp_path / "lib", cover_cache=tmp_path / "covers")
    assert during == [False] and gc.isenabled()
    (tmp_path / "empty").mkdir()
    with pytest.raises(CatalogError):  # no audio file: an error, the collector running again all the same
        read_music_folder(tmp_path / "empty", cover_cache=tmp_path / "covers")
    assert gc.isenabled()
    gc.disable()
    try:
        read_music_folder(tmp_path / "lib", cover_cache=tmp_path / "covers")
        assert not gc.isenabled()  # paused by its caller: still paused
    finally:
        gc.enable()


def test_normalise_title_remembered_for_a_read_answers_as_it_does_alone():
    # a read keys each text once (``model.remembered_titles``): the same keys, forgotten after
    from recsys.catalog import model

    texts = ["Café-Society!", "...", "?", "The Beatles", "  Mø  ", "バード", "ガ", "Кино", "", "AC/DC", "Óðinn"]
    alone = [model.normalise_title(t) for t in texts] + [model.normalise_title(7)]
    with model.remembered_titles():
        with model.remembered_titles():  # inside another: the outer one's
            twice = [model.normalise_title(t) for t in texts * 2]
            assert twice == alone[:-1] * 2 and model.normalise_title(7) == alone[-1] == "7"
        assert model._REMEMBERED is not None
    assert model._REMEMBERED is None


def test_with_fields_is_dataclasses_replace():
    # the read loop gives a record its cover and lyrics so (``model.with_fields``): every field
    # the same as ``replace`` gives, of the same type, and the record's own untouched
    import dataclasses

    from recsys.catalog.model import Performer, TrackRecord, with_fields

    assert not hasattr(TrackRecord, "__post_init__")
    assert all(f.init for f in dataclasses.fields(TrackRecord))
    track = TrackRecord(
        track_id="f1", title="Song", artist="Band", album="Album", genres=("Rock",), audio_path=Path("/m/a.mp3"),
        source="a.mp3", performers=(Performer("Paul Chambers", ("double bass",)),), explicit=True, year=1999,
    )
    for changes in ({"cover_path": Path("/m/cover.jpg"), "lyrics": "la la"}, {}, {"title": "Other", "bpm": 120.0}):
        made, wanted = with_fields(track, **changes), dataclasses.replace(track, **changes)
        assert made == wanted and hash(made) == hash(wanted) and made is not track
        assert [type(v) for v in dataclasses.astuple(made)] == [type(v) for v in dataclasses.astuple(wanted)]
    assert track.cover_path is None and track.lyrics == ""
    with pytest.raises(TypeError):
        with_fields(track, colour="red")
    with pytest.raises(dataclasses.FrozenInstanceError):
        with_fields(track, lyrics="x").lyrics = "y"


def test_a_record_holds_no_dict_of_its_own():
    """TrackRecord is slotted: past 30 attributes an instance's ``__dict__`` stops sharing its
    keys and each record carried a 1.6 KB table of its own (a cold read of 50,000 files peaked
    107 MB higher). A record must pickle (the tag cache) and compare as before."""
    import pickle

    from recsys.catalog.model import TrackRecord

    track = TrackRecord("t1", "Song", "Band", genres=("Rock",), explicit=False, year=2001)
    assert not hasattr(track, "__dict__")
    assert pickle.loads(pickle.dumps(track, protocol=pickle.HIGHEST_PROTOCOL)) == track
