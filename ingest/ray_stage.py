"""Decoding and encoding on a Ray cluster: the ingest's ``--ray`` mode.

The driver (the ``recsys ingest`` process) plans the sync, embeds the graph (it needs the whole
graph), fuses and upserts exactly as a plain ingest does; only the step "decode each input and
encode the batch" runs elsewhere. ``RayEncodeStage.start`` turns the inputs the embedding cache
lacks into a ``ray.data.Dataset`` of rows (track_id, text document, cover path, audio path) and
chains one ``map_batches`` stage per modality: a pool of actors (``_EncodeBatch``) that each load
their encoder once, by registry name, on a GPU when the cluster has GPUs and the device allows.
Results stream back to the driver (``iter_batches``) as float32 bytes or the input's one-line
``MediaError`` text, so a bad file becomes the same problem line as in a plain ingest.

Only the driver writes to the store: Qdrant Edge is single-process, and with a server it keeps
the upsert order (and the resume after a kill) of a plain ingest. Workers read the catalog's
files by the paths the driver sees: on a cluster of several machines the catalog must be on a
filesystem every node mounts at the same path.

Ray is imported only here, and only when an ingest asks for it.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from recsys import errors as recsys_errors
from recsys.errors import MediaError, RecsysError
from recsys.modalities import AUDIO, IMAGE, TEXT

INSTALL_HINT = "pip install 'recsys[ray]'"
#: what ``IngestOptions.ray_address`` may hold besides "host:port" and "ray://host:port"
NAMED_ADDRESSES = ("default", "local", "auto")
_HOST_PORT = re.compile(r"(ray://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}")

#: a stage's vector column (float32 bytes, None where nothing was encoded) and its error column
_VECTOR, _ERROR = "{}_vector", "{}_error"


class RayStageError(RecsysError):
    """Ray is missing, cannot be reached, or a stage failed for another reason than a bad file."""


def check_address(address: str) -> str:
    """The address as given when it is one Ray understands; a one-line error otherwise (also
    catches a catalog folder given where the address goes)."""
    if address in NAMED_ADDRESSES or _HOST_PORT.fullmatch(address):
        return address
    raise RayStageError(
        f"'{address}' is not a Ray address: give local, auto, ray://host:10001 or host:6379 "
        "(or no address: a cluster started on this node, else a new local instance)"
    )


def check_ray(address: str) -> str:
    """The address, once it is known to be one Ray understands and Ray Data is installed: what
    the CLI checks before it reads a catalog."""
    check_address(address)
    _import_ray()
    return address


def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401  (the [data] extra: pandas, pyarrow)
    except ImportError as exc:
        raise RayStageError(f"--ray needs Ray Data, which is not installed ({exc.name or exc}): {INSTALL_HINT}") from None
    return ray


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: the last line of a remote traceback: "recsys.errors.EncoderError: unknown audio encoder ..."
_RAISED = re.compile(r"^(?:[\w.]+\.)?(\w+): (.+)$")


def _one_line(exc: BaseException) -> str:
    """The worker's own message inside a Ray error, as one line: a RecsysError raised on a
    worker (an encoder that cannot load) arrives as an ActorDiedError or RayTaskError whose
    text is the remote traceback; its last line is the error. Others keep their type."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, RecsysError):
            return " ".join(str(cur).split())
        cur = getattr(cur, "cause", None) or cur.__cause__
    lines = [line.strip() for line in _ANSI.sub("", str(exc)).splitlines() if line.strip()]
    last = _RAISED.match(lines[-1]) if lines else None
    if last is not None:
        kind, message = last.groups()
        return message if isinstance(getattr(recsys_errors, kind, None), type) else f"{kind}: {message}"
    text = " ".join(lines)[:300] or "no message"
    return f"{type(exc).__name__}: {text}"


@dataclass(frozen=True)
class StagePlacement:
    """Resources of one modality's actors: CPUs and GPUs each, the pool's largest size, and the
    device its encoder is loaded on."""

    num_cpus: float
    num_gpus: float
    max_actors: int
    device: str


def plan_placement(stages: int, cluster_cpus: float, cluster_gpus: float, device: str | None) -> StagePlacement:
    """Share the cluster between ``stages`` chained stages that run at once (a stage that holds
    every CPU would starve the next one and the stream would stall). GPUs go to the encoders
    unless the device says cpu or mps; fewer GPUs than stages are shared (fractions), since the
    stages run side by side."""
    stages = max(1, stages)
    requested = (device or "auto").lower()
    # one CPU share held back for Ray Data's own tasks (splitting blocks, the output queue)
    cpus = min(1.0, max(cluster_cpus, 1.0) / (stages + 1))
    if requested in ("cpu", "mps") or cluster_gpus <= 0:
        if requested.startswith("cuda"):
            raise RayStageError(f"--device {device} but the Ray cluster has no GPU")
        actors = max(1, math.floor(max(cluster_cpus, 1.0) / stages / cpus))
        return StagePlacement(num_cpus=cpus, num_gpus=0.0, max_actors=actors, device="cpu" if requested == "auto" else requested)
    gpus = min(1.0, cluster_gpus / stages)
    actors = max(1, math.floor(cluster_gpus / stages / gpus))
    # each actor sees only the GPU(s) Ray gave it, as cuda:0
    return StagePlacement(num_cpus=cpus, num_gpus=gpus, max_actors=actors, device="cuda")


class _EncodeBatch:
    """A ``map_batches`` stage: loads one encoder once per actor (by registry name: a name
    travels, a model does not), then decodes and encodes each batch of one modality's inputs.
    ``encode`` is the ingest's own decode-and-encode step, so both modes agree."""

    def __init__(self, modality: str, encoder: str, device: str, batch_size: int,
                 encode: Callable[[Any, Sequence[str]], list]) -> None:
        import os

        from recsys.encoders import get_encoder

        # An actor is one of many processes already, given its share of the CPUs: its audio is
        # decoded on its own threads, not by a further set of decode processes per actor.
        os.environ["RECSYS_DECODE_PROCESSES"] = "0"
        self.modality, self.encode = modality, encode
        self.encoder = get_encoder(encoder, device=device, batch_size=batch_size, modality=modality)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        sources = batch.pop(self.modality)
        # a missing input arrives as None or NaN, depending on how the block was stored
        todo = [i for i, s in enumerate(sources) if isinstance(s, str)]
        vectors: list[bytes | None] = [None] * len(sources)
        errors: list[str | None] = [None] * len(sources)
        from recsys.catalog.model import source_from_text

        # a track of an album in one file travels as its span's text (``AudioSpan.as_text``)
        results = self.encode(self.encoder, [source_from_text(str(sources[i])) for i in todo]) if todo else []
        for i, item in zip(todo, results):
            if isinstance(item, MediaError):
                errors[i] = str(item)
            else:
                vectors[i] = np.asarray(item, dtype=np.float32).tobytes()
        batch[_VECTOR.format(self.modality)] = np.array(vectors, dtype=object)
        batch[_ERROR.format(self.modality)] = np.array(errors, dtype=object)
        return batch


def _cell(batch: dict[str, np.ndarray], modality: str, i: int) -> tuple[bytes | None, str | None]:
    """Row ``i``'s (vector bytes, error) of one modality; empty cells come back as None or NaN."""
    vector, error = batch[_VECTOR.format(modality)][i], batch[_ERROR.format(modality)][i]
    return (bytes(vector) if isinstance(vector, (bytes, bytearray)) else None,
            str(error) if isinstance(error, str) else None)


class RayEncodeStage:
    """One ingest's use of a Ray cluster: ``connect`` (before the collection is created, as
    models are loaded), ``start`` with every input to encode, then per chunk ``wait_for`` and
    ``results``; ``close`` disconnects what ``connect`` connected (a local instance it started
    stops with it; a cluster runs on)."""

    def __init__(self, ray: Any, started: bool, device: str | None, batch_size: int) -> None:
        self._ray, self._started = ray, started
        self.device, self.batch_size = device, max(1, batch_size)
        self._stream: Any = None
        self._modalities: list[str] = []
        #: track_id -> modality -> (vector bytes | None, error | None), until ``results`` takes it
        self._got: dict[str, dict[str, tuple[bytes | None, str | None]]] = {}

    @classmethod
    def connect(cls, address: str, *, device: str | None = None, batch_size: int = 32) -> RayEncodeStage:
        """Join (or start) Ray. A process where Ray is already initialised (a notebook, a
        test, a job submitted to the cluster) keeps its own connection, whatever the address."""
        check_address(address)
        ray = _import_ray()
        started = False
        if not ray.is_initialized():
            # Ray's own log lines stay in its log files: the CLI's stderr holds the bars and problems
            kwargs: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
            if address == "local":
                kwargs["include_dashboard"] = False
            try:
                ray.init(address=None if address == "default" else address, **kwargs)
            except Exception as exc:  # ConnectionError, ValueError, RuntimeError... all one line
                raise RayStageError(f"cannot reach Ray at '{address}': {_one_line(exc)}") from None
            started = True
            # Ray Data's notices (execution plans, "progress bars disabled") stay in its log file
            logging.getLogger("ray.data").setLevel(logging.ERROR)
        # the device is resolved here, where RECSYS_DEVICE is set, not on the workers
        return cls(ray, started, device or os.environ.get("RECSYS_DEVICE"), batch_size)

    def start(self, sources: dict[str, dict[str, str]], encoders: dict[str, str],
              encode: Callable[[Any, Sequence[str]], list]) -> None:
        """Start the stream: ``sources`` is modality -> track_id -> input (text, or a file path),
        ``encoders`` modality -> registry name. Nothing blocks here; ``wait_for`` pulls."""
        import ray.data

        self._modalities = [m for m in (TEXT, IMAGE, AUDIO) if sources.get(m)]
        ids = list(dict.fromkeys(tid for m in self._modalities for tid in sources[m]))
        if not ids:
            return
        # a dataset copies the current DataContext when it is made: these settings are this
        # ingest's only (restored below), not the process's
        ctx = ray.data.DataContext.get_current()
        saved = ctx.enable_progress_bars, ctx.print_on_execution_start
        # library code draws nothing: the CLI's own bars advance per chunk
        ctx.enable_progress_bars = ctx.print_on_execution_start = False
        try:
            self._stream = self._build(ray, sources, encoders, encode, ids)
        finally:
            ctx.enable_progress_bars, ctx.print_on_execution_start = saved

    def _build(self, ray: Any, sources: dict[str, dict[str, str]], encoders: dict[str, str],
               encode: Callable[[Any, Sequence[str]], list], ids: list[str]) -> Any:
        resources = self._ray.cluster_resources()
        placement = plan_placement(
            len(self._modalities), float(resources.get("CPU", 1.0)), float(resources.get("GPU", 0.0)), self.device
        )
        rows = [{"track_id": tid, **{m: sources[m].get(tid) for m in self._modalities}} for tid in ids]
        # blocks of one batch each, so the first results come back while later ones encode
        blocks = max(1, min(len(rows), math.ceil(len(rows) / self.batch_size)))
        ds = ray.data.from_items(rows, override_num_blocks=blocks)
        # an exception in a stage ends the stream (wait_for turns it into one line); an actor
        # whose process died (a lost node) is restarted by Ray Data and its batch retried
        for m in self._modalities:
            ds = ds.map_batches(
                _EncodeBatch,
                fn_constructor_kwargs={
                    "modality": m, "encoder": encoders[m], "device": placement.device,
                    "batch_size": self.batch_size, "encode": encode,
                },
                batch_size=self.batch_size,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=placement.max_actors),
                num_cpus=placement.num_cpus,
                num_gpus=placement.num_gpus or None,
            )
        return iter(ds.iter_batches(batch_size=None, batch_format="numpy"))

    def wait_for(self, track_ids: Sequence[str]) -> None:
        """Pull results from the stream until every one of ``track_ids`` is in (rows come back
        in any order; those of later chunks wait here)."""
        needed = {t for t in track_ids if t not in self._got}
        while needed and self._stream is not None:
            try:
                batch = next(self._stream)
            except StopIteration:
                self._stream = None
                break
            except Exception as exc:  # a worker's failure that is no bad file: stop the ingest
                raise RayStageError(f"encoding on Ray failed: {_one_line(exc)}") from None
            for i, tid in enumerate(batch["track_id"]):
                tid = str(tid)
                self._got[tid] = {m: _cell(batch, m, i) for m in self._modalities}
                needed.discard(tid)

    def results(self, modality: str, track_ids: Sequence[str]) -> list[np.ndarray | MediaError]:
        """Each track's vector of ``modality``, or its MediaError, in the order asked; each is
        handed out once (the driver keeps only the chunk in flight)."""
        self.wait_for(track_ids)
        out: list[np.ndarray | MediaError] = []
        for tid in track_ids:
            row = self._got.get(tid, {})
            vector, error = row.pop(modality, (None, None))
            if not row:
                self._got.pop(tid, None)
            if error is not None:
                out.append(MediaError(str(error)))
            elif vector is None:
                # sent only what the cache lacked when the stream started; it lost an entry since
                raise RayStageError(f"no {modality} vector came back from Ray for track '{tid}'; run the ingest again")
            else:
                out.append(np.frombuffer(vector, dtype=np.float32).copy())
        return out

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None and hasattr(stream, "close"):
            stream.close()  # stops the dataset's executor while Ray is still up
        self._got.clear()
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
        self._started = False
