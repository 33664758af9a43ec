"""Run a call that must not hang (a FIFO, a device file) on a thread, failing the test when it
is not back in time instead of hanging the suite."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

DEADLINE_S = 20.0  # each case takes well under 2 s; the margin is for a loaded machine


def within_deadline(fn, fifos: tuple[Path, ...] = (), what: str = "hung"):
    """``fn()``'s result (its exception re-raised); fails the test naming the hang when it is
    not back within ``DEADLINE_S``. ``fifos`` are opened for writing then, so a reader blocked
    on ``open()`` goes and the process can exit."""
    box: list = []

    def run() -> None:
        try:
            box.append(("ok", fn()))
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box.append(("error", exc))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE_S)
    if thread.is_alive():
        for fifo in fifos:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        pytest.fail(f"{what}: still running after {DEADLINE_S:.0f} s")
    kind, value = box[0]
    if kind == "error":
        raise value
    return value
