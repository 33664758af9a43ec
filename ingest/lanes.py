"""Each modality's encoder in a thread of its own (a "lane"), so that on a GPU the three models
of a chunk run side by side instead of one after another.

One after another, every encoder leaves the GPU idle while its host side works (tokenising,
unpacking cover pixels, padding audio windows, launching kernels) and while it waits for its
results to come back; the next encoder starts only then. In lanes, the text encoder's host
work runs while CLAP's kernels run, and so on: the GPU is kept busy by whichever lane has work
queued. PyTorch, the tokenizers and numpy's copies let the GIL go, so the lanes overlap.

On the CPU the models already use every core (torch's intra-op threads), so lanes would only
make them fight: they are on where an encoder runs on cuda. ``RECSYS_ENCODE_LANES=1`` turns
them on everywhere, ``0`` off (for comparisons; figures in docs/benchmarks.md).

A lane owns its modality's embedding cache: it is opened in the lane's thread on first use and
closed there (a SQLite connection stays in the thread that opened it).

A lane whose encoder runs on cuda queues its work on a CUDA stream of its own. On the one
default stream the lanes share, every kernel waits for the kernels queued before it, and a
lane's copy of its results back to the host (``.cpu()``, which waits for its stream) waits for
every other lane's queued batches too: the lanes would overlap their host work only.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

#: the environment variable that turns the lanes on (1) or off (0); unset: on for cuda
LANES_ENV = "RECSYS_ENCODE_LANES"

T = TypeVar("T")


def lanes_enabled(devices: Iterable[str]) -> bool:
    """Whether the encoders run in lanes: per ``RECSYS_ENCODE_LANES``, else where any of the
    encoders' ``devices`` is a cuda device."""
    value = os.environ.get(LANES_ENV, "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    return any(str(d).startswith("cuda") for d in devices)


@contextmanager
def lane_stream(device: str, streams: dict[str, Any], modality: str) -> Iterator[None]:
    """On cuda, ``modality``'s own stream (made on first use, kept in ``streams``) as the
    current stream of the calling thread; elsewhere nothing."""
    if not str(device).startswith("cuda"):
        yield
        return
    import torch

    stream = streams.get(modality)
    if stream is None:
        stream = streams[modality] = torch.cuda.Stream(device=device)
    # what the job's thread queued on the default stream first (the models moved to the GPU,
    # cast to fp16): a stream of its own does not wait for it by itself
    stream.wait_stream(torch.cuda.default_stream(device))
    with torch.cuda.stream(stream):
        yield


class EncoderLanes:
    """One thread per modality. ``submit(modality, fn)`` runs ``fn(cache)`` in that modality's
    thread, where ``cache`` is the lane's own (``open_cache(modality)``'s, opened there on first
    use; it may be None), and returns its Future; with ``devices`` (modality -> its encoder's
    device), a cuda lane's work runs on its own CUDA stream (``lane_stream``). ``close`` waits
    for the work under way, closes the caches in their threads and stops the threads; use it as
    a context manager."""

    def __init__(
        self, modalities: Iterable[str], open_cache: Callable[[str], Any], devices: Mapping[str, str] | None = None
    ) -> None:
        self._open = open_cache
        self._pools = {
            m: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"recsys-encode-{m}") for m in modalities
        }
        self._devices = dict(devices or {})
        self._streams: dict[str, Any] = {}
        self._caches: dict[str, Any] = {}
        self._closed = False

    def __enter__(self) -> "EncoderLanes":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _cache(self, modality: str) -> Any:  # runs in the lane's thread
        if modality not in self._caches:
            self._caches[modality] = self._open(modality)
        return self._caches[modality]

    def submit(self, modality: str, fn: Callable[[Any], T]) -> "Future[T]":
        if self._closed:
            raise RuntimeError("the encoder lanes are closed")
        return self._pools[modality].submit(self._run, modality, fn)

    def _run(self, modality: str, fn: Callable[[Any], T]) -> T:  # runs in the lane's thread
        with lane_stream(self._devices.get(modality, "cpu"), self._streams, modality):
            return fn(self._cache(modality))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for m, pool in self._pools.items():
            try:
                # queued after any work under way: that work ends first, then its cache closes
                pool.submit(self._close_cache, m).result()
            finally:
                pool.shutdown(wait=True)

    def _close_cache(self, modality: str) -> None:
        cache = self._caches.pop(modality, None)
        if cache is not None:
            cache.close()
