"""A music folder that is a whole external drive or a NAS share: the folders the disk or the
NAS keeps for itself (Windows' recycle bin, Synology's ``#recycle`` and ``@eaDir``, QNAP's
``@Recycle``, ``lost+found``) are not walked (``recsys.catalog.listing.walked_folder``). A song
deleted to the recycle bin was a track, recommended to the person who deleted it."""

from __future__ import annotations

from pathlib import Path

import pytest

from recsys.catalog import read_catalog
from recsys.catalog.listing import folder_text, relative_text, walked_folder
from tests.support.tagged_files import tagged_flac

pytest.importorskip("mutagen")

KEPT_BY_THE_SYSTEM = [
    "$RECYCLE.BIN/S-1-5-21-1004336348-1177238915-682003330-1001/$RA1B2C3.flac",
    "$Recycle.Bin/S-1-5-18/$R9Z8Y7X.flac",
    "RECYCLER/S-1-5-21-1/Dc12.flac",
    "System Volume Information/_restore{1}/RP2/A0001.flac",
    "#recycle/Music/Old Band/Old Album/01 Deleted.flac",
    "@eaDir/01 Song.flac/01 Song.flac",
    "Music/Band/Album/@eaDir/01 Song.flac/SYNOINDEX_MEDIA_INFO.flac",
    "@Recycle/Band/02 Gone.flac",
    "lost+found/#1234567.flac",
]


def test_a_drives_and_a_nass_own_folders_are_not_walked(tmp_path):
    lib = tmp_path / "drive"
    tagged_flac(lib / "Music/Band/Album/01 Song.flac", title="Song", artist="Band", album="Album")
    for relative in KEPT_BY_THE_SYSTEM:
        tagged_flac(lib / relative, title="Deleted", artist="Someone")
    (lib / "Music/Band/Album/@eaDir/01 Song.flac/SYNOPHOTO_THUMB_M.jpg").write_bytes(b"\xff\xd8\xff")
    catalog = read_catalog(lib, cover_cache=tmp_path / "covers")
    assert [t.source for t in catalog.tracks] == ["Music/Band/Album/01 Song.flac"]
    assert catalog.stats == {"seen": 1, "audio": 1, "skipped": 0, "failed": 0}
    assert catalog.problems == []


@pytest.mark.parametrize("name", ["Recycled Goods", "Lost and Found", "Eadir", "recycle", "Trash", "System"])
def test_a_band_or_an_album_named_like_one_is_walked(name):
    assert walked_folder(name)


@pytest.mark.parametrize("name", [".git", ".Trashes", "$RECYCLE.BIN", "#Recycle", "@EADIR", "LOST+FOUND"])
def test_hidden_and_system_folders_are_not(name):
    assert not walked_folder(name)


@pytest.mark.parametrize("text", [
    "/music/Band/Album/01 Song.flac", "/x.mp3", "x.mp3", "Band/x.mp3", "//share/Band/x.mp3", "//x.mp3",
    "/music/Björk/Début/01 Human Behaviour.mp3", "/music/a b/..hidden/x.mp3", "/music/Band./x.mp3", "/",
])
def test_folder_text_is_the_paths_parent_as_text(text):
    # the per-track lookups key a folder so (``sidecars``, ``cuesheets``): never another folder's
    path = Path(text)
    assert folder_text(path) == str(path.parent)


@pytest.mark.parametrize(("text", "folder"), [
    ("/music/Band/Album/01 Song.flac", "/music"), ("/music", "/music"), ("/music/x.mp3", "/"), ("/x.mp3", "/"),
    ("//share/x.mp3", "//share"), ("/music/Björk/x.mp3", "/music/Björk"), ("/musical/x.mp3", "/music"),
    ("/music2/x.mp3", "/music"), ("Band/x.mp3", "Band"),
])
def test_relative_text_is_relative_to_as_posix(text, folder):
    path, root = Path(text), Path(folder)
    try:
        wanted = path.relative_to(root).as_posix()
    except ValueError:
        with pytest.raises(ValueError):
            relative_text(path, root)
    else:
        assert relative_text(path, root) == wanted
