"""Several `recsys` processes on one embedded store: the collection's lock (a flock held while
a process has the collection open, creation included) lets exactly one of them in; the others
exit 1 with "store ... is in use by PID n (...)" and change nothing, and a lock or pid file
left by a killed process never blocks the next command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from recsys.errors import StoreInUseError
from recsys.store import CollectionSpec, open_backend
from tests.support.cli import TINY_ARGS, run
from tests.support.manifests import read_rows

REPO = Path(__file__).resolve().parents[1]

#: `recsys ARGS...` with the tiny encoders, the audio one slowed by argv[1] seconds a batch
CLI = """
import sys
from tests.support.tiny_encoders import register_tiny_encoders
register_tiny_encoders(audio_delay=float(sys.argv[1]))
from cli.main import main
sys.exit(main(sys.argv[2:]))
"""


def _recsys(*argv: str, delay: float = 0.0) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, str(delay), *argv],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _ingest(catalog: Path, home: Path, delay: float = 0.0) -> subprocess.Popen:
    return _recsys(
        "ingest", str(catalog), "--collection", "c", "--home", str(home), "--batch-size", "8", *TINY_ARGS,
        delay=delay,
    )


def _count(home: Path) -> int:
    backend = open_backend(home / "store")
    try:
        return backend.count("c")
    finally:
        backend.close()


@pytest.fixture
def other_catalog(sample_catalog, tmp_path) -> Path:
    """A second catalog: the sample's first 24 tracks, in another folder."""
    import shutil

    from tests.support.manifests import write_rows

    other = tmp_path / "other"
    shutil.copytree(sample_catalog, other)
    write_rows(other, read_rows(sample_catalog)[:24])
    return other


def test_two_first_ingests_into_one_new_collection(sample_catalog, other_catalog, tmp_path):
    """Two ingests started together on an empty home: one creates and fills the collection,
    the other exits 1 with the clean "in use" error and changes nothing."""
    home = tmp_path / "home"  # does not exist yet
    # 1 s per batch of 8: whichever creates the collection holds it for 3 s or more
    a = _ingest(sample_catalog, home, delay=1.0)
    b = _ingest(other_catalog, home, delay=1.0)
    results = {}
    for name, proc in (("a", a), ("b", b)):
        out, err = proc.communicate(timeout=240)
        results[name] = (proc.returncode, err)
    codes = sorted(code for code, _ in results.values())
    assert codes == [0, 1], results
    winner, loser = ("a", "b") if results["a"][0] == 0 else ("b", "a")
    win_pid = (a if winner == "a" else b).pid
    err = results[loser][1]
    assert "Traceback" not in err and err.strip().startswith("error: ")
    assert f"is in use by PID {win_pid}" in err and "wait for it" in err
    assert len(err.strip().splitlines()) == 1
    want = read_rows(sample_catalog if winner == "a" else other_catalog)
    assert _count(home) == len(want)  # the winner's catalog, complete; nothing of the loser's


#: takes the lock file argv[1] as a recsys process does (``EdgeBackend._acquire``), but writes
#: its PID only argv[2] seconds later (never, with a negative number): the gap in which a
#: process is preempted on a busy machine, widened
SLOW_TO_NAME = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
if float(sys.argv[2]) >= 0:
    time.sleep(float(sys.argv[2]))
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\\n".encode(), 0)
sys.stdin.readline()
"""


def _slow_to_name(lock: Path, seconds: float) -> subprocess.Popen:
    lock.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-c", SLOW_TO_NAME, str(lock), str(seconds)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.mark.parametrize("before", ["", "12345678\n"], ids=["new lock file", "a dead holder's PID"])
def test_the_loser_names_a_winner_that_has_not_written_its_pid_yet(tmp_path, before):
    """The flake of the test above: the winner writes its PID into the lock file just after
    taking the lock, and a loser that failed in between (RECSYS_STORE_WAIT=0: at once) said
    "in use by another process". It now gives the winner a moment to name itself."""
    store = tmp_path / "store"
    lock = store / "collections" / ".c.lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(before)  # nothing yet, or what a killed holder left
    winner = _slow_to_name(lock, 0.5)
    backend = open_backend(store)
    try:
        with pytest.raises(StoreInUseError) as exc:
            backend.create_collection(CollectionSpec(name="c", vectors={"text": 4}))  # a first ingest's
        assert f"is in use by PID {winner.pid}" in str(exc.value)
        assert not backend.collection_exists("c") and not (store / "collections" / "c").exists()
    finally:
        winner.communicate("\n", timeout=30)
        backend.close()


def test_a_holder_that_never_names_itself_is_another_process(tmp_path, monkeypatch):
    """The wait for the holder's PID is bounded: one that never writes it (a full disk) is
    "another process", as before."""
    from recsys.store import edge_lock

    monkeypatch.setattr(edge_lock, "NAMING_S", 0.3)
    store = tmp_path / "store"
    holder = _slow_to_name(store / "collections" / ".c.lock", -1)
    backend = open_backend(store)
    try:
        t0 = time.monotonic()
        with pytest.raises(StoreInUseError) as exc:
            backend.create_collection(CollectionSpec(name="c", vectors={"text": 4}))
        assert "is in use by another process" in str(exc.value) and time.monotonic() - t0 < 5
    finally:
        holder.communicate("\n", timeout=30)
        backend.close()


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(8))
def test_two_first_ingests_race_again_and_again(sample_catalog, other_catalog, tmp_path, attempt):
    test_two_first_ingests_into_one_new_collection(sample_catalog, other_catalog, tmp_path)


def test_query_during_an_ingest_is_told_to_wait(capsys, sample_catalog, tmp_path):
    home = tmp_path / "home"
    ingest = _ingest(sample_catalog, home, delay=0.3)
    try:
        spec = home / "store" / "collections" / "c" / "collection.json"
        deadline = time.time() + 120
        while not spec.exists() and ingest.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        assert ingest.poll() is None, "the ingest ended before the query"
        code, _, err = run(capsys, "recommend", "anything", "--home", str(home))
        assert code == 1 and f"is in use by PID {ingest.pid}" in err and "wait for it" in err
        assert "Traceback" not in err and err.strip().startswith("error: ")
        assert len(err.strip().splitlines()) == 1
    finally:
        _, err = ingest.communicate(timeout=240)
    assert ingest.returncode == 0, err
    assert _count(home) == len(read_rows(sample_catalog))


def test_lock_left_by_a_killed_ingest_does_not_block(capsys, sample_catalog, tmp_path):
    home = tmp_path / "home"
    ingest = _ingest(sample_catalog, home, delay=0.3)
    lock = home / "store" / "collections" / ".c.lock"
    deadline = time.time() + 120
    while not (lock.exists() and lock.read_text().strip() == str(ingest.pid)) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(ingest.pid, signal.SIGKILL)
    ingest.wait()
    assert lock.read_text().strip() == str(ingest.pid)  # left behind, with a dead PID
    pid_file = home / "store" / "collections" / "c" / ".lock.pid"
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{ingest.pid}\n")  # a pid file alone is never trusted
    code, out, err = run(capsys, "ingest", str(sample_catalog), "--collection", "c", "--home", str(home), *TINY_ARGS, "--json")
    assert code == 0, err
    assert _count(home) == len(read_rows(sample_catalog))


#: holds collection "c" of the store at argv[1] for argv[2] seconds; the words after are only
#: there for its command line (what the waiting side reads to tell a short command)
HOLDER = """
import sys, time
from recsys.store import open_backend
b = open_backend(sys.argv[1])
b.count("c")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
b.close()
"""


def _hold(store: Path, seconds: float, *words: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(store), str(seconds), *words], cwd=REPO,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_command_waits_its_turn_behind_a_short_one_not_behind_a_long_one(capsys, sample_catalog, tmp_path, monkeypatch):
    """Four queries at once used to fail three times with "in use": a command now waits (up to
    RECSYS_STORE_WAIT) for a short command that holds the store, never for an ingest."""
    home = tmp_path / "home"
    assert run(capsys, "ingest", str(sample_catalog), "--collection", "c", "--home", str(home), *TINY_ARGS)[0] == 0
    monkeypatch.delenv("RECSYS_STORE_WAIT", raising=False)
    holder = _hold(home / "store", 1.5, "recsys", "query", "--text", "piano")
    t0 = time.monotonic()
    code, out, err = run(capsys, "info", "--home", str(home), "--json")
    assert code == 0 and holder.wait(timeout=30) == 0, err
    assert time.monotonic() - t0 > 0.5  # it did wait for the holder
    # told not to wait, it fails at once
    monkeypatch.setenv("RECSYS_STORE_WAIT", "0")
    holder = _hold(home / "store", 3, "recsys", "query", "--text", "piano")
    code, _, err = run(capsys, "info", "--home", str(home))
    assert code == 1 and f"in use by PID {holder.pid}" in err
    holder.wait(timeout=30)
    # an ingest is not waited for, whatever the setting
    monkeypatch.setenv("RECSYS_STORE_WAIT", "30")
    holder = _hold(home / "store", 3, "recsys", "ingest", "music")
    t0 = time.monotonic()
    code, _, err = run(capsys, "info", "--home", str(home))
    assert code == 1 and f"in use by PID {holder.pid}" in err and time.monotonic() - t0 < 2.5
    holder.wait(timeout=30)
