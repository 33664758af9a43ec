"""Parking the embedded store's shards at the end of a process (recsys.store.edge_park):
flushed and held until the exit instead of closed, so Qdrant Edge does not evict their files
from the page cache. What parking must never change: the points written are there for the
next process, the store is free once the process has exited, the same process can open the
collection again, and a store that was never parked behaves as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from recsys.errors import StoreInUseError
from recsys.store import edge_park
from recsys.store.base import CollectionSpec, PointRecord
from recsys.store.edge import EdgeBackend

REPO = Path(__file__).resolve().parents[1]
DIM = 4


def _points(start: int, n: int) -> list[PointRecord]:
    rng = np.random.default_rng(start)
    return [
        PointRecord(track_id=f"t{i}", vectors={"v": rng.standard_normal(DIM).astype("float32")}, payload={"title": f"song {i}"})
        for i in range(start, start + n)
    ]


def _make(root: Path, n: int = 20) -> None:
    b = EdgeBackend(root)
    try:
        b.create_collection(CollectionSpec(name="c", vectors={"v": DIM}))
        b.upsert("c", _points(0, n))
    finally:
        b.close()


def _park_fresh(tmp_path: Path, extra: int = 0) -> tuple[Path, str]:
    """A store of 20 points (plus ``extra`` written by the parking handle), parked by this
    process: its root and its key in the parking registry."""
    root = tmp_path / "store"
    _make(root)
    b = EdgeBackend(root)
    if extra:
        b.upsert("c", _points(20, extra))
    b.count("c")
    b.park()
    return root, str((root / "collections" / "c").resolve())


def _unpark(key: str) -> None:
    """Close what a test left parked (never left to the other tests)."""
    got = edge_park.take(key)
    if got is not None:
        shard, fd = got
        shard.close()
        os.close(fd)


#: a process that writes points, parks its store and exits through the interpreter's teardown
PARKER = r"""
import sys
import numpy as np
from recsys.store.base import PointRecord
from recsys.store.edge import EdgeBackend
from recsys.store import edge_park

root, start, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
b = EdgeBackend(root)
rng = np.random.default_rng(start)
b.upsert("c", [PointRecord(track_id=f"t{i}", vectors={"v": rng.standard_normal(4).astype("float32")},
                           payload={"title": f"song {i}"}) for i in range(start, start + n)])
b.park()
assert len(edge_park.parked()) == 1, edge_park.parked()
print("parked", flush=True)
"""


def test_a_parked_process_leaves_its_points_and_a_free_store(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _make(root)
    for start in (20, 30):  # twice: the second process opens what the first one parked
        proc = subprocess.run([sys.executable, "-c", PARKER, str(root), str(start), "10"],
                              capture_output=True, text=True, cwd=REPO, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "parked" in proc.stdout
    b = EdgeBackend(root)  # the exit released Edge's WAL lock and ours
    try:
        assert b.count("c") == 40
        got = {p.track_id: p.payload["title"] for p in b.retrieve("c", [f"t{i}" for i in range(40)])}
        assert got == {f"t{i}": f"song {i}" for i in range(40)}
    finally:
        b.close()


def test_the_same_process_takes_a_parked_shard_back(tmp_path: Path) -> None:
    root, key = _park_fresh(tmp_path, extra=5)
    try:
        assert edge_park.parked() == [key]
        second = EdgeBackend(root)  # another handle of this process: the parked shard, no reload
        assert second.count("c") == 25
        assert edge_park.parked() == []
        second.upsert("c", _points(25, 5))
        second.close()  # a plain close: the shard is closed for real, the lock released
        third = EdgeBackend(root)
        assert third.count("c") == 30
        third.close()
    finally:
        _unpark(key)


def test_a_parked_store_is_held_until_the_exit(tmp_path: Path) -> None:
    """While parked, the store is still this process's: another process is told who holds it."""
    root, key = _park_fresh(tmp_path)
    try:
        probe = (
            "import sys\nfrom recsys.store.edge import EdgeBackend\nfrom recsys.errors import StoreInUseError\n"
            "try:\n    EdgeBackend(sys.argv[1]).count('c')\nexcept StoreInUseError as e:\n    print(e)\n"
        )
        proc = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True,
                              cwd=REPO, timeout=120)
        assert f"in use by PID {os.getpid()}" in proc.stdout, proc.stdout + proc.stderr[-1000:]
    finally:
        _unpark(key)
    again = EdgeBackend(root)  # released: opens again
    assert again.count("c") == 20
    again.close()


def test_close_still_closes(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _make(root)
    b = EdgeBackend(root)
    b.count("c")
    b.close()
    assert edge_park.parked() == []
    with pytest.raises(StoreInUseError):  # a handle that holds it still excludes another
        holder = EdgeBackend(root)
        holder.count("c")
        try:
            EdgeBackend(root).count("c")
        finally:
            holder.close()


def test_the_console_script_parks_and_the_next_command_opens(tmp_path: Path) -> None:
    """`python -m cli.main` is the console script's path: each command parks its store; the
    next command, another process, opens it as usual."""
    home = tmp_path / "home"
    _make(home / "store")
    env = os.environ | {"RECSYS_HOME": str(home)}
    env.pop("RECSYS_QDRANT_URL", None)
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "cli.main", "info", "--json"], capture_output=True,
                              text=True, cwd=REPO, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        (coll,) = json.loads(proc.stdout)["collections"]
        assert coll["points"] == 20, coll


def test_a_stopping_server_parks_its_store(tmp_path: Path) -> None:
    """`recsys serve` in the console script parks the store when it stops (ServeState.close)."""
    from recsys.settings import Settings
    from serve.config import ServeConfig
    from serve.state import ServeState

    home = tmp_path / "home"
    _make(home / "store")
    state = ServeState(ServeConfig(settings=Settings(home=home), fill_payload_cache=False))
    state.open()
    key = str((home / "store" / "collections" / "c").resolve())
    try:
        state.close(park=True)
        assert edge_park.parked() == [key]
    finally:
        _unpark(key)
    state.open()  # a plain close by default
    state.close()
    assert edge_park.parked() == []
