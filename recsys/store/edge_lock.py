"""Who holds an embedded collection's lock, and waiting for a short holder.

Qdrant Edge locks a shard's WAL while a process has it open, so recsys takes a flock per
collection first (``EdgeBackend._acquire``) and names the holder when it cannot. A query or a
recommend holds it for under a second and then exits: a second one started beside it (a script
that runs several at once) waits its turn for a few seconds instead of failing. A long job
(an ingest, a training, a server) is not waited for: the error says who holds the store.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Callable

from recsys.errors import StoreInUseError

#: words of a holder's command line that mark a job too long to wait for
LONG_JOBS = frozenset({"ingest", "train", "eval", "serve", "sample-catalog"})


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def cmdline(pid: int, limit: int | None = 200) -> str | None:
    """The process's command line on one line, cut to ``limit`` characters (None: whole)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # collapse all whitespace: a `python -c` script would otherwise break the one-line message
    text = " ".join(raw.replace(b"\0", b" ").decode("utf-8", "replace").split())
    return (text[:limit] + "...") if limit is not None and len(text) > limit else (text or None)


def held_by_long_job(pid: int | None, command: str | None) -> bool:
    """Whether the holder's command line names a long job (unknown holders are not)."""
    return pid is not None and command is not None and bool(LONG_JOBS & set(command.split()))


def lock_or_wait(fd: int, wait_s: float, long_job: Callable[[], bool], poll_s: float = 0.05) -> None:
    """Take ``fd``'s exclusive flock, waiting up to ``wait_s`` while its holder is not a long
    job; BlockingIOError when it is still held."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline or long_job():
                raise
            time.sleep(poll_s)


#: the file in a collection's folder naming the process that holds its shard open
PID_FILE = ".lock.pid"

#: seconds a process that has just taken a lock is given to write its PID into the lock file,
#: so that the error names it (``EdgeLocks._named_holder``)
NAMING_S = 2.0


class EdgeLocks:
    """``EdgeBackend``'s lock files: where a collection's lock lies, waiting for a short
    holder, letting go, and the error naming who holds it. The backend gives ``root``,
    ``wait_s``, ``_locks`` (name -> the open descriptor) and ``_coll_dir``."""

    root: Path
    wait_s: float
    _locks: dict[str, int]

    def _lock_path(self, name: str) -> Path:
        # beside the collection folder, never inside it: a create that cleans up the leftovers
        # of a crashed one removes that folder, and a lock file is never deleted (a process
        # could otherwise lock a file that is no longer the one the others open)
        return self._coll_dir(name).with_name(f".{name}.lock")

    def _lock_or_wait(self, fd: int, name: str) -> None:
        # a short command that holds it (a query: under a second) is waited for, up to wait_s
        lock_or_wait(fd, self.wait_s, lambda: held_by_long_job(*self._holder(name, limit=None)))

    def _unlock(self, name: str) -> None:
        fd = self._locks.pop(name, None)
        if fd is not None:
            os.close(fd)  # closing the last descriptor releases the flock

    def _holder(self, name: str, limit: int | None = 200) -> tuple[int | None, str | None]:
        """(PID, command line cut to ``limit``) of the process that holds the collection's
        lock, as far as its files tell: None where the PID is unknown or gone."""
        pid: int | None = None
        for pid_path in (self._lock_path(name), self._coll_dir(name) / PID_FILE):
            try:
                pid = int(pid_path.read_text().strip())
                break
            except (OSError, ValueError):
                continue
        if pid is None or not pid_alive(pid):  # a stale file from a crashed process
            return None, None
        return pid, (None if pid == os.getpid() else cmdline(pid, limit))

    def _named_holder(self, name: str) -> tuple[int | None, str | None]:
        """``_holder``, once the lock was found taken: the holder writes its PID just after
        taking the lock (``EdgeBackend._acquire``), so a lock file that is still empty, or that
        still names the previous, dead holder, is read again for up to ``NAMING_S``. Two
        ingests started together into a new collection met in that gap: on 2 busy cores the
        loser was told "in use by another process" instead of the winner's PID."""
        deadline = time.monotonic() + NAMING_S
        while True:
            pid, cmd = self._holder(name)
            if pid is not None or time.monotonic() >= deadline:
                return pid, cmd
            time.sleep(0.01)

    def _in_use_error(self, name: str) -> StoreInUseError:
        pid, cmd = self._named_holder(name)
        if pid is None:
            who = "another process"
        elif pid == os.getpid():
            who = f"PID {pid} (this process, through another handle)"
        else:
            who = f"PID {pid} ({cmd})" if cmd else f"PID {pid}"
        return StoreInUseError(
            f"store {self.root} is in use by {who}; wait for it to finish or stop it (for commands "
            f"that must run at once, keep `recsys serve` on this store: they go through it)"
        )
