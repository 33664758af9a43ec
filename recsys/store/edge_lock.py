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
