"""Fault injection on the embedded (Qdrant Edge) store: a subprocess creates a collection,
upserts, adds, fills and drops named vectors and switches its metadata in a seeded random loop,
and is SIGKILLed at a seeded random moment; the store is then reopened and must open, answer
queries, hold every acknowledged point once, and have named vectors consistent with its spec
and metadata. Deterministic trials place the kill exactly in the windows of an add or drop of a
named vector (between Edge's segments and its config, between the shard and our spec file).

The default suite runs a seeded handful of random trials; ``-m slow`` runs many more."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from recsys.errors import StoreInUseError
from recsys.store.edge import SHARD_DIR, EdgeBackend
from recsys.store.edge_config import EDGE_CONFIG, segment_vectors as _segment_vectors

REPO = Path(__file__).resolve().parents[1]
NAME = "c"
DIM = 4

#: the worker: argv = store root, seed, number of points acknowledged so far, kill hook
WORKER = r"""
import os, random, signal, sys
import numpy as np
from recsys.store.base import CollectionSpec, PointRecord
from recsys.store.edge import EdgeBackend

root, seed, n, hook = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
DIM = 4
rng = random.Random(seed)

def say(*a):
    print(*a, flush=True)

def vec(i, salt):
    return np.random.default_rng(i * 1000 + salt).standard_normal(DIM).astype("float32")

if hook != "none":  # kill this process right after the shard op of an add or drop
    import recsys.store.edge as edge
    orig = edge.EdgeBackend._write_spec
    def _write_spec(self, spec):
        path = self._coll_dir(spec.name) / edge.SPEC_FILE
        if path.exists():
            before = set(self._read_spec(spec.name).vectors)
            if (hook == "add" and set(spec.vectors) > before) or (hook == "drop" and set(spec.vectors) < before):
                os.kill(os.getpid(), signal.SIGKILL)
        orig(self, spec)
    edge.EdgeBackend._write_spec = _write_spec

b = EdgeBackend(root)
if not b.collection_exists("c"):
    b.create_collection(CollectionSpec("c", {"base": DIM}, metadata={"current": "base", "gen": 0}))
say("ready")

def point(i, cur):
    vectors = {"base": vec(i, 0)}
    if cur != "base":
        vectors[cur] = vec(i, 1)
    return PointRecord(f"t{i}", vectors, {"title": f"t{i}", "artist": f"a{i % 3}"})

def switch():
    spec = b.get_spec("c")
    meta = spec.metadata
    old, gen = meta["current"], meta["gen"] + 1
    for stale in [v for v in spec.vectors if v not in ("base", old)]:
        b.drop_vector("c", stale)  # a switch killed before its metadata write
    new = f"v{gen}"
    b.add_vector("c", new, DIM)
    b.set_vectors("c", [PointRecord(f"t{i}", {new: vec(i, 1)}) for i in range(n)])
    b.set_metadata("c", {"current": new, "gen": gen})
    if old != "base":
        b.drop_vector("c", old)
    say("switched", new)

if hook != "none":
    switch() if n else None
    switch()
while True:
    if n and rng.random() < 0.5:
        switch()
    else:
        cur = b.get_spec("c").metadata["current"]
        ids = list(range(n, n + 8)) + rng.sample(range(n), min(n, 4))  # new ones and re-upserts
        b.upsert("c", [point(i, cur) for i in ids])
        n += 8
        say("acked", n)
"""


def _worker(root: Path, seed: int, acked: int, hook: str = "none") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, str(root), str(seed), str(acked), hook],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _kill_after(proc: subprocess.Popen, delay: float, wait_ready: bool) -> tuple[int | None, str]:
    """SIGKILL ``proc`` ``delay`` s after it is ready (or after its start); the last number of
    points it acknowledged (None: none this run) and its stderr."""
    acked = None
    assert proc.stdout is not None
    if wait_ready:
        line = proc.stdout.readline()
        assert line.strip() == "ready", line + proc.stderr.read()
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    for line in out.split("\n")[:-1]:  # whole lines only: the kill can cut the last one short
        if line.startswith("acked "):
            acked = int(line.split()[1])
    return acked, err


def check_store(root: Path, acked: int) -> list[str]:
    """Reopen the store after a kill; assert it is whole. Returns the repair notices."""
    b = EdgeBackend(root)
    try:
        if not b.collection_exists(NAME):
            assert acked == 0, "a collection with acknowledged points disappeared"
            return []
        n = b.count(NAME)  # opens (and repairs) the collection
        ids = [r.track_id for r in b.scroll(NAME, with_vectors=True, batch_size=64)]
        assert len(ids) == len(set(ids)) == n, "duplicate points"
        missing = {f"t{i}" for i in range(acked)} - set(ids)
        assert not missing, f"lost {len(missing)} acknowledged points"
        assert n <= acked + 8  # at most the one batch in flight when killed
        spec = b.get_spec(NAME)
        held = _segment_vectors(root / "collections" / NAME / SHARD_DIR)
        assert held is not None and set(held) == set(spec.vectors), (held, spec.vectors)
        edge_cfg = json.loads((root / "collections" / NAME / SHARD_DIR / EDGE_CONFIG).read_text())
        assert set(edge_cfg["vectors"]) == set(spec.vectors)
        current = spec.metadata["current"]
        assert current in spec.vectors and "base" in spec.vectors
        assert b.count(NAME, using=current) == n, "points without the current vector"
        for vname in spec.vectors:
            hits = b.search(NAME, np.ones(DIM, dtype=np.float32), using=vname, limit=3)
            assert len(hits) <= 3
        if n:
            hits = b.search(NAME, np.ones(DIM, dtype=np.float32), using=current, limit=n)
            assert len(hits) == n
        return list(b.notices)
    finally:
        b.close()


def _random_trials(tmp_path: Path, seed: int, trials: int) -> dict:
    rng = random.Random(seed)
    stats = {"trials": 0, "kills": 0, "repairs": 0, "create_kills": 0}
    root = tmp_path / "store"
    acked = 0
    for t in range(trials):
        during_create = rng.random() < 0.2
        if during_create:  # a fresh store: the kill may land in create_collection
            root = tmp_path / f"store{t}"
            acked = 0
        proc = _worker(root, rng.randrange(1 << 30), acked)
        got, err = _kill_after(
            proc,
            rng.uniform(0.2, 0.9) if during_create else rng.uniform(0.0, 0.5),
            wait_ready=not during_create,
        )
        assert "Traceback" not in err, err
        acked = got if got is not None else acked
        stats["repairs"] += len(check_store(root, acked))
        stats["trials"] += 1
        stats["kills"] += proc.returncode == -signal.SIGKILL
        stats["create_kills"] += during_create
    return stats


def test_random_kills_leave_a_whole_store(tmp_path: Path) -> None:
    stats = _random_trials(tmp_path, seed=9, trials=5)
    assert stats["kills"] == 5


@pytest.mark.slow
def test_many_random_kills_leave_a_whole_store(tmp_path: Path) -> None:
    stats = _random_trials(tmp_path, seed=2026, trials=40)
    print("crash trials:", stats)
    assert stats["kills"] >= 38  # a worker may rarely finish a write exactly at the kill


@pytest.mark.parametrize("hook", ["add", "drop"])
def test_kill_between_shard_and_spec_is_repaired(tmp_path: Path, hook: str) -> None:
    """Killed after Edge added (dropped) a named vector, before our spec file said so: the
    next open makes the spec match the shard, with one notice."""
    root = tmp_path / "store"
    proc = _worker(root, 1, 0, hook)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL and "Traceback" not in err, err
    notices = check_store(root, 0)
    assert len(notices) == 1 and "repaired collection 'c'" in notices[0]
    assert check_store(root, 0) == []  # repaired once and for all


def _count(root: Path) -> int:
    b = EdgeBackend(root)
    try:
        return b.count(NAME)
    finally:
        b.close()


def _store_with_vectors(root: Path) -> None:
    from recsys.store.base import CollectionSpec, PointRecord

    b = EdgeBackend(root)
    b.create_collection(CollectionSpec(NAME, {"base": DIM}, metadata={"current": "v1", "gen": 1}))
    b.add_vector(NAME, "v1", DIM)
    b.add_vector(NAME, "v0", DIM)
    rng = np.random.default_rng(0)
    b.upsert(NAME, [
        PointRecord(f"t{i}", {"base": rng.standard_normal(DIM), "v1": rng.standard_normal(DIM)}, {"title": f"t{i}"})
        for i in range(16)
    ])
    b.close()


@pytest.mark.parametrize("change", ["drop", "add"])
def test_edge_config_behind_its_segments_is_repaired(tmp_path: Path, change: str, caplog) -> None:
    """The state 5 of 23 kills of `recsys train` left on main: Edge rewrote the segments for a
    dropped (added) vector but not its own config, and refused to load ("config is incompatible
    with existing segments"). The next open rewrites Edge's config from the segments."""
    root = tmp_path / "store"
    _store_with_vectors(root)
    cfg_path = root / "collections" / NAME / SHARD_DIR / EDGE_CONFIG
    before = cfg_path.read_text()
    b = EdgeBackend(root)
    if change == "drop":
        b.drop_vector(NAME, "v0")
        b.close()
        cfg_path.write_text(before)  # Edge's config still lists v0, the segments do not
    else:
        b.add_vector(NAME, "v2", DIM)
        b.close()
        cfg_path.write_text(before)  # the segments hold v2, Edge's config does not
    spec_path = root / "collections" / NAME / "collection.json"
    spec = json.loads(spec_path.read_text())
    spec["vectors"] = {k: DIM for k in json.loads(before)["vectors"]}  # spec not rewritten either
    spec_path.write_text(json.dumps(spec))

    with caplog.at_level("WARNING", logger="recsys.store.edge"):
        notices = check_store(root, 16)
    assert len(notices) == 2 and all(n.startswith("repaired collection 'c'") for n in notices)
    assert [r.getMessage() for r in caplog.records] == [f"notice: {n}" for n in notices]
    want = {"base", "v1"} | ({"v0", "v2"} if change == "add" else set())
    assert set(EdgeBackend(root).get_spec(NAME).vectors) == want
    assert check_store(root, 16) == []


def test_stale_lock_and_pid_files_do_not_block(tmp_path: Path) -> None:
    """A process killed while holding the store leaves its lock and pid files: the flock died
    with it, so the next open succeeds."""
    root = tmp_path / "store"
    proc = _worker(root, 3, 0)
    acked, _ = _kill_after(proc, 0.2, wait_ready=True)
    cdir = root / "collections" / NAME
    assert (cdir.parent / f".{NAME}.lock").read_text().strip() == str(proc.pid)
    (cdir / ".lock.pid").write_text(f"{proc.pid}\n")  # as a pid file a kill leaves behind
    check_store(root, acked or 0)


def test_second_open_in_one_process_is_refused_cleanly(tmp_path: Path) -> None:
    root = tmp_path / "store"
    _store_with_vectors(root)
    a, b = EdgeBackend(root), EdgeBackend(root)
    try:
        assert a.count(NAME) == 16
        with pytest.raises(StoreInUseError, match="this process"):
            b.count(NAME)
    finally:
        a.close()
        b.close()
    assert _count(root) == 16


READ_ONLY_PROBE = r"""
import sys
from recsys.errors import StoreError
from recsys.store.edge import EdgeBackend
b = EdgeBackend(sys.argv[1])
print("spec", sorted(b.get_spec("c").vectors))
try:
    b.count("c")
    print("count ok")
except StoreError as exc:
    print("error:", exc)
"""


def test_read_only_mount_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    """Edge cannot open a store on a read-only mount, even to read it ("Failed to open mmap
    payload storage"): recsys says so in one line. The mount lives in a private mount
    namespace (unshare -m), so nothing is left mounted; skipped where that is not allowed."""
    root = tmp_path / "store"
    _store_with_vectors(root)
    ro = tmp_path / "ro"
    ro.mkdir()
    script = (
        f"mount --bind {root} {ro} && mount -o remount,bind,ro {ro} && "
        f"exec {sys.executable} -c '{READ_ONLY_PROBE}' {ro}"
    )
    try:
        p = subprocess.run(
            ["unshare", "-m", "sh", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    except FileNotFoundError:
        pytest.skip("no unshare")
    if p.returncode != 0 or "spec" not in p.stdout:
        pytest.skip(f"cannot make a read-only mount here: {p.stderr.strip()[:200]}")
    assert "spec ['base', 'v0', 'v1']" in p.stdout  # the spec reads without the shard
    assert f"error: store {ro} is read-only: copy it to a writable folder" in p.stdout, p.stdout
    assert "Traceback" not in p.stderr
    assert not list(ro.iterdir())  # nothing stayed mounted
    assert _count(root) == 16


def test_read_only_message_without_a_mount(tmp_path: Path, monkeypatch) -> None:
    """The same message where the folder is not writable (e.g. chmod -R a-w as a user)."""
    import recsys.store.edge as edge

    root = tmp_path / "store"
    _store_with_vectors(root)
    monkeypatch.setattr(edge, "_read_only_path", lambda path: True)
    b = EdgeBackend(root)
    with pytest.raises(edge.StoreError, match=r"is read-only: copy it to a writable folder"):
        b.count(NAME)
    with pytest.raises(edge.StoreError, match=r"is read-only"):
        b.delete_collection(NAME)
    b.close()
    monkeypatch.undo()
    assert _count(root) == 16


def _train_kill_trials(sample_catalog: Path, tmp_path: Path, capsys, trials: int, seed: int) -> dict:
    """`recsys train` SIGKILLed at a seeded moment after it saved its checkpoint (the add,
    fill, switch and drop of the fused vector follow): every command must work afterwards,
    and so must the next train."""
    import shutil

    from cli.main import main
    from tests.support.cli import TINY_ARGS

    template = tmp_path / "template"
    assert main(["ingest", str(sample_catalog), "-c", "s", "--home", str(template), *TINY_ARGS, "--json"]) == 0
    capsys.readouterr()
    n = _count_in(template / "store", "s")
    rng = random.Random(seed)
    stats = {"trials": 0, "killed": 0, "unusable": 0}
    for t in range(trials):
        home = tmp_path / f"home{t}"
        shutil.copytree(template, home)
        ckpt = home / "models" / "s" / "v1"
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "train", "--epochs", "2", "--threads", "1", "--home", str(home)],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        deadline = time.time() + 120
        while not ckpt.exists() and proc.poll() is None and time.time() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
        assert "Traceback" not in err, err
        stats["killed"] += proc.returncode == -signal.SIGKILL
        code, _, err = (main(["info", "--json", "--home", str(home)]), *capsys.readouterr())
        ok = code == 0 and _count_in(home / "store", "s") == n
        code, _, err2 = (main(["train", "--epochs", "1", "--threads", "1", "--home", str(home), "--json"]), *capsys.readouterr())
        ok = ok and code == 0
        b = EdgeBackend(home / "store")
        try:
            spec = b.get_spec("s")
            fused = [v for v in spec.vectors if v.startswith("fused_v")]
            ok = ok and len(fused) == 1 and b.count("s", using=fused[0]) == n
        finally:
            b.close()
        stats["unusable"] += not ok
        stats["trials"] += 1
        assert ok, (err, err2)
    return stats


def _count_in(store: Path, name: str) -> int:
    b = EdgeBackend(store)
    try:
        return b.count(name)
    finally:
        b.close()


@pytest.mark.slow
def test_killed_train_leaves_a_usable_collection(sample_catalog, tmp_path, capsys):
    stats = _train_kill_trials(sample_catalog, tmp_path, capsys, trials=20, seed=23)
    print("train kill trials:", stats)
    assert stats["killed"] >= 15 and stats["unusable"] == 0
