"""One decode worker process (``python -m recsys.encoders.decode_worker FD IDLE_S``), run by
``decode_pool``: it reads ``(fn, item, args)`` requests from stdin and answers each with
``fn(item, *args)`` on the socket FD it was handed, until stdin closes (its parent is done or
gone) or no request came for IDLE_S seconds.

An answer is a pickled header (its length first, 8 bytes little-endian), then, for a numpy
array, its raw bytes: the parent reads them straight into an array it allocated, in one call,
with no pickling of the 5.8 MB of samples of a 30 s clip at 48 kHz. Headers: ``("ready",
pid)`` once, at start; ``("array", dtype, shape)``; ``("value", obj)``; ``("error", exc)`` when
``fn`` raised.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import socket
from typing import Any


def _frame(header: tuple) -> bytes:
    raw = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
    return len(raw).to_bytes(8, "little") + raw


def send(out: socket.socket, result: Any) -> None:
    import numpy as np

    if isinstance(result, np.ndarray) and not result.dtype.hasobject:
        result = np.ascontiguousarray(result)
        out.sendall(_frame(("array", result.dtype.str, result.shape)))
        out.sendall(memoryview(result).cast("B"))
    else:
        out.sendall(_frame(("value", result)))


def send_error(out: socket.socket, exc: BaseException) -> None:
    try:
        frame = _frame(("error", exc))
    except Exception:  # an exception that does not pickle still says what it was
        frame = _frame(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    out.sendall(frame)


def main(answers_fd: int, idle_s: float) -> None:
    out = socket.socket(fileno=answers_fd)
    requests = os.fdopen(0, "rb")  # stdin
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C, and closes stdin
    importlib.import_module("recsys.encoders.media")  # the usual fn's module, loaded before "ready"
    out.sendall(_frame(("ready", os.getpid())))
    while True:
        # A worker left idle for idle_s exits, so a long-lived parent (a notebook that ingested
        # once) does not keep ~60 MB a worker; the parent starts another when it needs one. The
        # parent sends one request at a time, so nothing waits unseen in the read buffer.
        if not select.select([requests], [], [], idle_s)[0]:
            return
        try:
            fn, item, args = pickle.load(requests)
        except EOFError:
            return
        try:
            try:
                result = fn(item, *args)
            except Exception as exc:
                send_error(out, exc)
            else:
                send(out, result)
        except OSError:  # the parent is gone: nobody is left to answer
            return


if __name__ == "__main__":
    import sys

    main(int(sys.argv[1]), float(sys.argv[2]))
