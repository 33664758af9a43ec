"""Facets and per-vector counts kept beside an Edge collection until its next write
(``recsys.store.edge_derived``): `recsys facets artists` counted 100,000 artists on every call
(10.9 s at a million tracks), `recsys info` every vector's points."""

from __future__ import annotations

import json

import numpy as np

from recsys.catalog.model import TrackRecord
from recsys.store import CollectionSpec, EdgeBackend, PointRecord
from recsys.store.edge_derived import DERIVED_FILE


def _point(i: int, artist: str, genre: str, image: bool = True) -> PointRecord:
    payload = TrackRecord(f"t{i}", f"Song {i}", artist, genres=(genre,), year=1990 + i % 3).payload()
    vectors = {"audio": np.eye(4, dtype=np.float32)[i % 4]}
    if image:
        vectors["image"] = np.eye(4, dtype=np.float32)[(i + 1) % 4]
    return PointRecord(f"t{i}", vectors, payload)


def _store(tmp_path) -> EdgeBackend:
    b = EdgeBackend(tmp_path)
    b.create_collection(CollectionSpec("c", {"audio": 4, "image": 4}))
    b.upsert("c", [_point(i, ["Ann", "Bob", "Cat"][i % 3], ["Rock", "Jazz"][i % 2], image=i % 4 != 0) for i in range(12)])
    return b


def _native_calls(b: EdgeBackend) -> list[str]:
    """The facets and counts the store itself is asked for (the whole count excepted)."""
    calls: list[str] = []
    facet, count = b._native_facet, b._native_count

    def spy_facet(name, key, flt=None):
        calls.append(f"facet {key}")
        return facet(name, key, flt)

    def spy_count(name, flt):
        if flt is not None:
            calls.append("count")
        return count(name, flt)

    b._native_facet, b._native_count = spy_facet, spy_count
    return calls


def test_facets_and_counts_are_kept_until_the_next_write(tmp_path):
    b = _store(tmp_path)
    artists, genres = b.facet("c", "artist"), b.facet("c", "genres")
    images = b.count("c", using="image")
    assert artists == [("Ann", 4), ("Bob", 4), ("Cat", 4)] and images == 9
    b.close()
    assert (tmp_path / "collections/c" / DERIVED_FILE).is_file()

    b = EdgeBackend(tmp_path)  # another command: reads them, counts nothing
    calls = _native_calls(b)
    assert b.facet("c", "artist") == artists and b.facet("c", "genres") == genres
    assert b.facet("c", "artist", limit=1) == artists[:1]
    assert b.count("c", using="image") == images and calls == []
    assert b.count("c") == 12  # the whole count checks the kept file, and is never kept itself

    b.upsert("c", [_point(12, "Dan", "Rock")])
    assert not (tmp_path / "collections/c" / DERIVED_FILE).exists()  # gone before the write
    assert ("Dan", 1) in b.facet("c", "artist") and b.count("c", using="image") == 10
    assert calls  # counted again
    b.delete_points("c", ["t12"])
    # Edge's index keeps "Dan" with a count of 0: no row for it
    assert b.facet("c", "artist") == artists and b.count("c", using="image") == images
    b.close()


def test_a_kept_file_from_another_point_count_or_torn_is_not_used(tmp_path):
    b = _store(tmp_path)
    b.facet("c", "artist")
    b.close()
    path = tmp_path / "collections/c" / DERIVED_FILE
    data = json.loads(path.read_text())
    data["entries"]["facet:artist"] = [["Nobody", 99]]
    path.write_text(json.dumps(data | {"points": 11}))  # written by something else meanwhile
    b = EdgeBackend(tmp_path)
    assert b.facet("c", "artist")[0] == ("Ann", 4)
    b.close()
    path.write_text("{torn")
    b = EdgeBackend(tmp_path)
    assert b.facet("c", "artist")[0] == ("Ann", 4)
    b.close()


def test_an_answer_counted_across_a_write_is_not_kept(tmp_path):
    """A server counts a facet in one thread while another writes: what was counted before
    the write must not be kept as the answer after it."""
    b = _store(tmp_path)
    counts = b._facet_counts
    wrote = []

    def write_meanwhile(name, key, flt=None):
        found = counts(name, key, flt)
        if not wrote:
            wrote.append(True)
            b.upsert("c", [_point(20, "Eve", "Pop")])
        return found

    b._facet_counts = write_meanwhile
    first = b.facet("c", "genres")
    assert ("Pop", 1) not in first  # counted before the write
    b._facet_counts = counts
    assert ("Pop", 1) in b.facet("c", "genres")  # counted again, not read back
    b.close()


def test_an_ingest_leaves_the_counts_the_next_commands_read(sample_catalog, tmp_path, capsys):
    """`recsys ingest` ends by making what `facets` and `info` read (at a million tracks the
    artists took 10.9 s to count), so the first command after it counts nothing either."""
    from cli.main import main

    home = tmp_path / "home"
    tiny = ["--text-encoder", "tiny-text", "--image-encoder", "tiny-image", "--audio-encoder", "tiny-audio"]
    assert main(["ingest", str(sample_catalog), "--collection", "c", "--home", str(home), "--json", *tiny]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "counts" in report["seconds"]
    kept = json.loads((home / "store/collections/c" / DERIVED_FILE).read_text())["entries"]
    assert {"facet:genres", "facet:artist", "facet:year"} <= set(kept)
    assert any(key.startswith("count:") for key in kept)
    assert main(["facets", "artists", "--collection", "c", "--home", str(home), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [[row["value"], row["count"]] for row in shown["values"]] == [
        [v, n] for v, n in kept["facet:artist"] if str(v).strip()
    ]


def test_an_answer_read_between_the_clear_and_the_write_is_not_kept(tmp_path):
    """A read in another thread that runs after a write cleared the kept answers but before
    the write reached the shard counts the points as they were: kept, it was the next
    command's answer after a retag that left the point count as it was."""
    b = _store(tmp_path)
    forget = b._forget_derived
    raced: list = []

    def clear_then_read(name):
        forget(name)
        if not raced:  # the other thread's read, between this clear and the shard's update
            raced.append(b.facet(name, "artist"))

    b._forget_derived = clear_then_read
    b.upsert("c", [_point(i, "Dee", ["Rock", "Jazz"][i % 2]) for i in range(3)])  # a retag: 12 points still
    b._forget_derived = forget
    assert raced == [[("Ann", 4), ("Bob", 4), ("Cat", 4)]]
    expected = [("Ann", 3), ("Bob", 3), ("Cat", 3), ("Dee", 3)]
    assert b.facet("c", "artist") == expected
    b.close()
    b = EdgeBackend(tmp_path)
    try:
        assert b.facet("c", "artist") == expected
    finally:
        b.close()
