"""Audio decoding in worker processes, for batches of files.

PyAV holds the GIL for part of every decode: the Python loop over a clip's ~1,200 frames and
the packet and frame objects it makes. By cProfile that is at least 13 ms of the 43 ms a 30 s
MP3 excerpt at 48 kHz takes, which caps decode threads at about 75 tracks/s however many cores
there are; processes have no such cap. Measured on 2 cores (``bench/bench_decode.py``): one
thread 23 tracks/s, two threads 37.8, two worker processes 42.1; before the frame reading was
trimmed (``media._frame_mono``) two threads were no faster than one (17-20 against 15-19).
So batches of audio files are decoded here, by worker processes kept for the life of the
process (one starts in about 0.2 s).

The workers are plain subprocesses (``python -m recsys.encoders.decode_worker``), not
``multiprocessing`` ones: a fork would copy the parent's thread locks, a CUDA context and the
open store's WAL lock, and a spawn runs the parent's main script again in every worker, which
fails (or ingests twice) in a script without an ``if __name__ == "__main__":`` guard. Each
worker runs in its own session (Ctrl-C is the parent's to handle) and exits when its stdin
closes, so a parent killed with SIGKILL leaves none behind. A worker also exits after
``WORKER_IDLE_S`` without a request (each holds 61-67 MB of RSS, 26-32 MB of it its own after
decoding a clip), and is started again when needed.

Few takings of the GIL per file. A decoded clip comes back as raw bytes on a socket, read into
its array in one ``recv_into(MSG_WAITALL)``: the waiting thread takes the GIL back about four
times per file, not once per frame (decode threads) or per 64 KB (a pipe). Each taking can
wait a whole switch interval (5 ms) while another thread runs Python, as an ingest's encoders
and writer do. With one thread of the process busy in Python, on 2 cores: decode threads 0.1
tracks/s, these workers over pipes 3.3, over the socket 21.5 (42.1 with nothing else running).

One request is one item, so a worker that dies (a decoder's segfault on a damaged file, the
OOM killer) is known to have died on that item: it is tried once more in a fresh worker, and
if that one dies too the item gets ``on_crash(item)``; no other item is lost.

``RECSYS_DECODE_PROCESSES``: how many workers (0 or 1: decode on threads, in process).
"""

from __future__ import annotations

import os
import pickle
import queue
import socket
import subprocess
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Sequence

from recsys.device import available_cpus

#: Upper bound of the default: the decoders' share of a 16-core GPU machine.
MAX_DEFAULT_PROCESSES = 16
#: Seconds a worker waits for a request before it exits (the next batch starts it again).
WORKER_IDLE_S = 60.0


class WorkerDied(Exception):
    """A worker process ended before it answered."""


class StartFailed(WorkerDied):
    """A worker process could not start (no Python to run it, or it could not import recsys)."""


def decode_processes() -> int:
    """Worker processes for audio decoding: ``RECSYS_DECODE_PROCESSES``, else one per CPU this
    process may use (at most ``MAX_DEFAULT_PROCESSES``). 0 or 1 means threads, in process, as
    always on Windows (a worker is handed its socket by file descriptor)."""
    if os.name == "nt":
        return 0
    env = os.environ.get("RECSYS_DECODE_PROCESSES", "").strip()
    if env.isdigit():
        return int(env)
    return max(1, min(MAX_DEFAULT_PROCESSES, available_cpus()))


def check_decode_processes() -> None:
    """Refuse a ``RECSYS_DECODE_PROCESSES`` that is no count of processes ("four", "-1"), which
    ``decode_processes`` would pass over for the default without a word: the ingest says so
    before it starts instead."""
    from recsys.errors import RecsysError

    env = os.environ.get("RECSYS_DECODE_PROCESSES", "").strip()
    if env and not (env.isascii() and env.isdigit()):  # "²" is a digit to isdigit(), not to int()
        raise RecsysError(
            f"RECSYS_DECODE_PROCESSES={env!r} is not a number of processes "
            "(0 decodes on threads; unset: one per CPU)"
        )


def worker_steps() -> bool:
    """Whether the workers run an encoder's ``worker_step`` (the MIR descriptor): yes unless
    ``RECSYS_WORKER_STEPS=0``. Each worker then holds the descriptor's numpy/scipy work: about
    110 MB instead of 75, so a machine short of memory for one per CPU may turn it off (the
    descriptor is then made in the encoding thread, one clip at a time) or run fewer workers
    (``RECSYS_DECODE_PROCESSES``)."""
    return os.environ.get("RECSYS_WORKER_STEPS", "").strip().lower() not in ("0", "false", "no", "off")


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder that holds the recsys package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    # one BLAS thread a worker: the workers are one per CPU already, and the numpy work some
    # encoders run in them (Encoder.worker_step) would otherwise start a thread per CPU in each
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def _recv_exact(sock: socket.socket, view: memoryview) -> None:
    """Fill ``view`` from ``sock``. MSG_WAITALL lets the kernel wait for all of it in one call,
    so the GIL is given up and taken back once per read, not once per 64 KB pipe buffer: with
    another thread busy in Python each take-back can wait a whole switch interval (5 ms), which
    cut the pool to 3.3 tracks/s when the 5.8 MB of a clip came in over a pipe."""
    got = 0
    while got < view.nbytes:
        n = sock.recv_into(view[got:], view.nbytes - got, socket.MSG_WAITALL)
        if not n:
            raise WorkerDied("the worker closed its end inside an answer")
        got += n


class Worker:
    """One ``decode_worker`` process: requests go to its stdin, answers come back on a socket of
    its own. Used by one thread at a time."""

    def __init__(self) -> None:
        if not sys.executable:
            raise StartFailed("no Python interpreter to run it (sys.executable is empty)")
        self.answers, theirs = socket.socketpair()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "recsys.encoders.decode_worker", str(theirs.fileno()), str(WORKER_IDLE_S)],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, env=_worker_env(),
                start_new_session=True, close_fds=True, pass_fds=(theirs.fileno(),),
            )
        except OSError as exc:
            self.answers.close()
            raise StartFailed(str(exc)) from None
        finally:
            theirs.close()  # the worker's copy is the only one left: its exit reads as an end
        try:
            header = self._header()
        except WorkerDied as exc:
            self.close()
            raise StartFailed(f"it exited before it was ready ({exc})") from None
        if header[0] != "ready":
            self.close()
            raise StartFailed(f"unexpected first answer {header[0]!r}")

    def _header(self) -> tuple:
        try:
            size = bytearray(8)
            _recv_exact(self.answers, memoryview(size))
            raw = bytearray(int.from_bytes(size, "little"))
            _recv_exact(self.answers, memoryview(raw))
            return pickle.loads(raw)
        except (pickle.UnpicklingError, OSError) as exc:
            raise WorkerDied(str(exc) or type(exc).__name__) from None

    def call(self, fn: Callable[..., Any], item: Any, args: tuple) -> Any:
        import numpy as np

        try:
            pickle.dump((fn, item, args), self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
        except OSError as exc:  # BrokenPipeError: the worker is gone
            raise WorkerDied(str(exc)) from None
        header = self._header()
        if header[0] == "array":
            out = np.empty(header[2], dtype=np.dtype(header[1]))
            try:
                _recv_exact(self.answers, memoryview(out).cast("B"))  # straight into the array
            except OSError as exc:
                raise WorkerDied(str(exc)) from None
            return out
        if header[0] == "value":
            return header[1]
        if header[0] == "error":
            raise header[1]
        raise WorkerDied(f"unexpected answer {header[0]!r}")

    def close(self) -> None:
        try:
            self.proc.stdin.close()  # the worker's read ends: it exits
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.answers.close()


class DecodePool:
    """``size`` workers (started as they are first needed) and one thread per worker to wait on
    it. ``map`` may be called from any thread; calls share the workers."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.LifoQueue[Worker | None] = queue.LifoQueue()
        for _ in range(size):
            self._idle.put(None)  # a slot: a worker is started when the slot is first taken
        self._threads = ThreadPoolExecutor(max_workers=size, thread_name_prefix="recsys-decode-wait")
        self._closed = False

    def _one(self, fn: Callable[..., Any], item: Any, args: tuple, on_crash: Callable[[Any], Any]) -> Any:
        worker = self._idle.get()
        if worker is not None and worker.proc.poll() is not None:  # it left when idle
            worker.close()
            worker = None
        try:
            for _attempt in (1, 2):
                if worker is None:
                    worker = Worker()
                try:
                    return worker.call(fn, item, args)
                except WorkerDied:
                    worker.close()
                    worker = None  # the next attempt, and the slot, get a fresh one
            return on_crash(item)
        finally:
            self._idle.put(worker)

    def map(self, fn: Callable[..., Any], items: Sequence[Any], on_crash: Callable[[Any], Any],
            args: tuple = ()) -> list[Any]:
        futures = [self._threads.submit(self._one, fn, item, args, on_crash) for item in items]
        try:
            return [f.result() for f in futures]
        except BaseException:  # Ctrl-C, or fn's own error: nothing more is started for this call
            for f in futures:
                f.cancel()
            raise

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._threads.shutdown(wait=True, cancel_futures=True)
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            if worker is not None:
                worker.close()


_lock = threading.Lock()
_pool: DecodePool | None = None
_unavailable: str | None = None


def unavailable() -> str | None:
    """Why workers cannot start in this process (decoding then stays on threads), or None."""
    return _unavailable


def mark_unavailable(exc: BaseException) -> None:
    global _unavailable
    if _unavailable is None:
        _unavailable = str(exc)
        warnings.warn(f"audio is decoded on threads: a decode worker process could not start ({exc})",
                      RuntimeWarning, stacklevel=3)
    shutdown()


def get_pool(size: int) -> DecodePool:
    """The process's pool of ``size`` workers (a pool of another size is closed first)."""
    global _pool
    with _lock:
        if _pool is None or _pool.size != size:
            if _pool is not None:
                _pool.close()
            _pool = DecodePool(size)
        return _pool


def shutdown() -> None:
    """Stop the workers; the next batch starts new ones. Exiting the process stops them too."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.close()


def map_in_processes(fn: Callable[..., Any], items: Sequence[Any], size: int,
                     on_crash: Callable[[Any], Any], args: tuple = ()) -> list[Any]:
    """``fn(item, *args)`` of each item, in order, in ``size`` worker processes. ``fn`` is a
    module-level function (it travels by name); an exception it raises is raised here. An item
    whose worker died twice gives ``on_crash(item)``."""
    return get_pool(size).map(fn, items, on_crash, args)
