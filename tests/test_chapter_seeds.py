"""A file path as a seed names its track; a DJ mix read as its chapters' tracks holds several:
the question names them in the file's order and says why (its chapters, not only a cue sheet)."""

from __future__ import annotations

import re

import pytest

from tests import test_chapters, test_sync
from tests.test_sync import _ingest

#: test_sync's autouse fixture (counting encoders), in force here too; test_chapters' files of
#: seconds that stand for an hour's mix
counting_encoders = test_sync.counting_encoders
short_albums = test_chapters.short_albums
chaptered = test_chapters.chaptered


@pytest.fixture(autouse=True)
def _registry_as_it_was(monkeypatch):
    from recsys.encoders import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))


def test_a_seed_naming_a_mixs_file_lists_its_records_in_order(tmp_path, short_albums):
    from recsys.query.library import Library
    from recsys.query.titlepick import AmbiguousTitleError
    from recsys.store import open_backend

    records = ["Kenta Cho - Stage A", "Nexuiz Team - Infight", "Evil Mastermind - Aberrations",
               "Daniel Roux - Eruption", "Matthias Le Bidan - Two Players"]
    mix = chaptered(tmp_path / "lib/Mixes/DJ Kamui - Shmup Night Mix.mp3",
                    [(float(i), title) for i, title in enumerate(records)], seconds=6.0,
                    title="Shmup Night Mix", artist="DJ Kamui")
    assert _ingest(tmp_path / "lib", tmp_path).added == 5
    backend = open_backend(tmp_path / "store")
    try:
        with pytest.raises(AmbiguousTitleError, match="chapters") as err:
            Library(backend, "c").resolve([str(mix)])
    finally:
        backend.close()
    listed = re.findall(r'"([^"]+)" by', str(err.value))
    assert listed == ["Stage A", "Infight", "Aberrations", "Eruption", "Two Players"]


def test_a_removed_mixs_tracks_are_named_apart(tmp_path, short_albums):
    """The dry run and verify name a removed point by its stored file: the five records of a
    deleted mix were five lines of one path, the same; each now ends with its "#03"."""
    from recsys.catalog.trackids import track_label

    lib = tmp_path / "lib"
    mix = chaptered(lib / "Mixes/Mix.mp3", [(0.0, "A - One"), (2.0, "B - Two"), (4.0, "C - Three")], seconds=6.0,
                    title="Mix", artist="DJ")
    chaptered(lib / "Mixes/Other.mp3", [(0.0, "Intro")], seconds=1.0, title="Other", artist="DJ")
    assert _ingest(lib, tmp_path).added == 4
    mix.unlink()
    dry = _ingest(lib, tmp_path, dry_run=True)
    assert sorted(dry.plan["names"][t] for t in dry.plan["removed"]) == [f"Mixes/Mix.mp3#0{n}" for n in (1, 2, 3)]
    assert track_label("f0123456789abcdef0123#02", "Mixes/Mix.mp3#02") == "Mixes/Mix.mp3#02"
    assert track_label("f0123456789abcdef0123", "/music/x.flac") == "/music/x.flac"
    assert track_label("t003", "manifest.jsonl:4") == "t003 (manifest.jsonl:4)"


def test_a_moved_folders_tracks_are_named_by_where_they_were(tmp_path, short_albums, capsys, monkeypatch):
    """The dry run's moves read "old file -> new file": the old side was the hash that is a
    music folder's id ("f530b41827bef43fdb3da -> Old CDs/...")."""
    from cli.main import main

    lib = tmp_path / "lib"
    chaptered(lib / "Compilations/Mix/Mix.mp3", [(0.0, "A - One"), (3.0, "B - Two")], seconds=6.0,
              title="Mix", artist="DJ")
    assert _ingest(lib, tmp_path).added == 2
    (lib / "Old CDs").mkdir()
    (lib / "Compilations/Mix").rename(lib / "Old CDs/Mix")
    dry = _ingest(lib, tmp_path, dry_run=True)
    names = dry.plan["names"]
    assert sorted(f"{names[m['from']]} -> {names[m['to']]}" for m in dry.plan["moved"]) == [
        # both sides as the catalog names its files: their paths in the music folder
        "Compilations/Mix/Mix.mp3#01 -> Old CDs/Mix/Mix.mp3#01",
        "Compilations/Mix/Mix.mp3#02 -> Old CDs/Mix/Mix.mp3#02",
    ]
    args = ["ingest", str(lib), "--collection", "c", "--home", str(tmp_path / "home"), "--text-encoder", "count-text",
            "--image-encoder", "count-image", "--audio-encoder", "count-audio"]
    (lib / "Old CDs/Mix").rename(lib / "Compilations/Mix")
    assert main(args) == 0
    (lib / "Compilations/Mix").rename(lib / "Old CDs/Mix")
    capsys.readouterr()
    from cli.common import err_console

    # wide enough that no cell wraps: the width the console took at its import depends on the
    # tests before this one (a table's wrapped cells interleave with their neighbours')
    monkeypatch.setattr(err_console, "width", 400)
    assert main([*args, "--dry-run"]) == 0
    # the table's cells read back without their borders and spaces
    flat = "".join(c for c in capsys.readouterr().err if not c.isspace() and c not in "│|")
    assert "Compilations/Mix/Mix.mp3#01->OldCDs/Mix/Mix.mp3#01" in flat
