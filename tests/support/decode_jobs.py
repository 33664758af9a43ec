"""Module-level functions for ``decode_pool`` workers to run in tests (a worker imports the
function by name): one that doubles, one that kills its own process on a chosen item, one that
raises, one that tells its worker's pid. Every call appends a line to ``log`` when given, so a
test can count the attempts."""

from __future__ import annotations

import os
import signal
from pathlib import Path


def _note(log: str | None, item: object) -> None:
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{item} {os.getpid()}\n")


def double_or_die(item: int, bad: int, log: str | None = None) -> int:
    _note(log, item)
    if item == bad:
        os.kill(os.getpid(), signal.SIGSEGV)  # as a decoder crashing on a damaged file would
    return item * 2


def double_or_raise(item: int, bad: int) -> int:
    if item == bad:
        raise ValueError(f"item {item} is not wanted")
    return item * 2


def worker_pid(item: object) -> int:
    return os.getpid()


def attempts(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").split()[::2] if log.exists() else []
