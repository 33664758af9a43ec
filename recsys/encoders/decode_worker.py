"""One decode worker process (``python -m recsys.encoders.decode_worker``), run by
``decode_pool``: it reads ``(fn, item, args)`` requests from stdin and answers each with
``fn(item, *args)`` on its own pipe, until stdin closes (its parent is done or gone).

An answer is a pickled header, then, for a numpy array, its raw bytes (the parent reads them
straight into an array it allocated: no pickling of 5.8 MB of samples per 30 s clip).
Headers: ``("ready", pid)`` once, at start; ``("array", dtype, shape)``; ``("value", obj)``;
``("error", exc)`` when ``fn`` raised.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
from typing import Any, BinaryIO


def send(out: BinaryIO, result: Any) -> None:
    import numpy as np

    if isinstance(result, np.ndarray) and result.dtype.hasobject is False:
        result = np.ascontiguousarray(result)
        out.write(pickle.dumps(("array", result.dtype.str, result.shape), protocol=pickle.HIGHEST_PROTOCOL))
        out.write(memoryview(result).cast("B"))
    else:
        out.write(pickle.dumps(("value", result), protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()


def send_error(out: BinaryIO, exc: BaseException) -> None:
    try:
        payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle still says what it was
        payload = pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    out.write(payload)
    out.flush()


def main() -> None:
    # The answers get a pipe of their own; anything a library prints goes to stderr instead of
    # into the answers.
    # (fds 0, 1, 2: stdin, stdout, stderr)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = os.fdopen(0, "rb")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C, and closes stdin
    importlib.import_module("recsys.encoders.media")  # the usual fn's module, loaded before "ready"

    out.write(pickle.dumps(("ready", os.getpid())))
    out.flush()
    while True:
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
        except (BrokenPipeError, OSError):  # the parent is gone: nobody is left to answer
            return


if __name__ == "__main__":
    main()
