"""Options every command shares, the store they open, and how results are shown: rich on
stderr for people, JSON on stdout for scripts."""

from __future__ import annotations

import json
import math
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import typer
from rich.console import Console

from recsys.errors import RecsysError
from recsys.query.info import pick_collection  # noqa: F401  (the commands import it from here)
from recsys.settings import Settings

# Piped or captured output gets 120 columns rather than rich's 80, so result tables with
# explanation bars stay on one line per track; a terminal or $COLUMNS decides otherwise.
err_console = Console(
    stderr=True,
    highlight=False,
    emoji=False,  # a title ":fire: mix" prints as written
    width=None if sys.stderr.isatty() or os.environ.get("COLUMNS") else 120,
)

def check_home(value: Optional[Path]) -> Optional[Path]:
    """--home (or RECSYS_HOME): a folder, or a path that does not exist yet; a file there is a
    usage error (the store would be looked for inside it, and every read say "no collections")."""
    if value is not None and value.exists() and not value.is_dir():
        from recsys.text import plain_text

        raise typer.BadParameter(f"'{plain_text(value)}' is a file, not a folder", param_hint="--home")
    return value


HomeOpt = typer.Option(
    None, "--home", envvar="RECSYS_HOME", callback=check_home,
    help="Data folder of the embedded store [default: ./recsys-data].",
)
UrlOpt = typer.Option(
    None,
    "--qdrant-url",
    envvar="RECSYS_QDRANT_URL",
    help="A Qdrant server or cluster (http://host:6333); the API key comes from RECSYS_QDRANT_API_KEY.",
)
def check_collection(value: Optional[str]) -> Optional[str]:
    """--collection (or RECSYS_COLLECTION): empty is unset; otherwise a name the store accepts
    (letters, digits, '_', '-', '.'; never a path), else a usage error before anything runs."""
    if not value:
        return None
    from recsys.store.filters import check_collection_name

    try:
        check_collection_name(value)
    except RecsysError as e:
        raise typer.BadParameter(str(e)) from None
    return value


def one_of(option: str, choices: Callable[[], Iterable[str]]) -> Callable[[Optional[str]], Optional[str]]:
    """The callback of an option that takes one of ``choices()`` (called when the option is
    checked, so the module that holds them is imported by the commands that use it): anything
    else is a usage error naming them, before any catalog is read or model loaded."""

    def check(value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        known = tuple(choices())
        name = value.strip().lower()
        if name not in known:
            raise typer.BadParameter(f"'{value}' is not one of: {', '.join(known)}", param_hint=option)
        return name

    return check


def vector_names() -> tuple[str, ...]:
    from recsys.modalities import VECTOR_NAMES

    return (VECTOR_NAMES[-1], *VECTOR_NAMES[:-1])  # fused first, as the help says


CollectionOpt = typer.Option(
    None, "--collection", "-c", envvar="RECSYS_COLLECTION", callback=check_collection,
    help="Collection to use [default: the only one, or 'sample'].",
)
JsonOpt = typer.Option(False, "--json", help="Print JSON on stdout instead of tables.")
_DEVICE = re.compile(r"auto|cpu|mps|(cuda|xpu)(:\d+)?")


def check_device(value: Optional[str]) -> Optional[str]:
    """--device (or RECSYS_DEVICE): a usage error unless auto, cpu, mps, cuda or cuda:N (xpu
    likewise); a one-line error when this machine has no such device (torch would raise deep
    inside an encoder or the training loop)."""
    if value is None:
        return None
    name = value.strip().lower()
    if not _DEVICE.fullmatch(name):
        raise typer.BadParameter(f"'{value}' is not a device: use cuda, cuda:N, mps, cpu or auto")
    if name in ("auto", "cpu"):
        return name
    import torch

    kind, _, index = name.partition(":")
    if kind == "cuda":
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    elif kind == "mps":
        count = int(bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()))
    else:
        count = torch.xpu.device_count() if hasattr(torch, "xpu") and torch.xpu.is_available() else 0
    if int(index or 0) >= count:
        have = f"{count} {kind} device{'s' if count != 1 else ''}" if count else f"no {kind} device"
        raise RecsysError(f"--device {value}: this machine has {have} (use cpu or auto)")
    return name


DeviceOpt = typer.Option(
    None, "--device", envvar="RECSYS_DEVICE", callback=check_device, help="cuda, mps or cpu [default: auto]."
)
ThreadsOpt = typer.Option(None, "--threads", min=1, max=1024, help="CPU threads for torch.")


def settings(home: Optional[Path], qdrant_url: Optional[str]) -> Settings:
    return Settings.from_env(home=home, qdrant_url=qdrant_url)


def store_backend(cfg: Settings) -> "StoreBackend":  # noqa: F821
    """The configured store; an embedded one that `recsys serve` holds is reached through that
    server (its ``.serve.json``, valid only while the server lives), so a command works beside it."""
    from recsys.store import is_remote_location, open_backend

    if not is_remote_location(cfg.store_location):
        from recsys.store.served import ServedBackend, find_server

        server = find_server(cfg.store_location)
        if server is not None:
            # the URL comes from the server's own socket; printed without markup all the same
            err_console.print(f"recsys serve (PID {server.pid}, {server.url}) holds the store: going through it",
                              markup=False)
            return ServedBackend(server, location=str(cfg.store_location))
    backend = open_backend(cfg.store_location, api_key=cfg.qdrant_api_key)
    if hasattr(backend, "wait_s"):
        # a command started beside a query waits its turn (a query holds the store well under a
        # second); a long job such as an ingest is never waited for (recsys.store.edge_lock)
        backend.wait_s = store_wait_seconds()
    return backend


def store_wait_seconds() -> float:
    """RECSYS_STORE_WAIT: how long a command waits for another short command that holds the
    embedded store (default 10 s; 0 fails at once)."""
    raw = os.environ.get("RECSYS_STORE_WAIT", "").strip()
    if not raw:
        return 10.0
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not seconds >= 0 or seconds == float("inf"):  # "-1", "nan", "inf" too: no silent default
        raise RecsysError(f"RECSYS_STORE_WAIT={raw!r} is not a number of seconds (0 or more; 0 fails at once)")
    return seconds


class _StatusLines:
    """A status that writes each update as a line on stderr, with the seconds since it began:
    where stderr is a file or a pipe, rich's spinner draws nothing, and a 10-minute evaluation
    said nothing at all."""

    def __init__(self, first: str) -> None:
        import time

        self._time = time.monotonic
        self._t0 = self._time()
        self.update(first)

    def update(self, text: str) -> None:
        """``text`` as the spinner takes it (user data escaped for rich), written as plain text."""
        from rich.markup import render

        shown = render(text).plain
        err_console.print(f"[{self._time() - self._t0:6.1f} s] {shown}", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def status(first: str) -> Iterator:
    """``err_console.status`` on a terminal (one line, redrawn); elsewhere a line per update.
    ``first`` and each update are plain text (user data escaped by the caller for rich)."""
    if err_console.is_terminal:
        with err_console.status(first) as spinner:
            yield spinner
    else:
        yield _StatusLines(first)


#: set by the console script (cli.main.entrypoint): the process ends when its command returns
PROCESS_ENDS_WITH_COMMAND = False


@contextmanager
def open_store(cfg: Settings, *, last_use: bool = True) -> Iterator["StoreBackend"]:  # noqa: F821
    """Open late, close early: the embedded store locks its WAL while open.

    In the console script, a store whose use is the command's last work (``last_use``) is
    parked, not closed: flushed, and held the moment until the process exits. Closing a Qdrant
    Edge shard evicts its files from the page cache, which the next command would read back
    from disk (recsys.store.edge_park). ``last_use=False``: long work follows (eval)."""
    backend = store_backend(cfg)
    try:
        yield backend
    finally:
        if last_use and PROCESS_ENDS_WITH_COMMAND:
            backend.park()
        else:
            backend.close()


# json escapes C0 itself but writes DEL, C1 (0x9b is a CSI to some terminals) and lone
# surrogates (file names that are not UTF-8) as they are: written as \\u escapes instead, so
# the output is safe on a terminal, encodable, and loads back to the exact strings.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def print_json(data) -> None:
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str, allow_nan=False)
    except ValueError:
        # NaN and Infinity are no JSON (jq and most parsers refuse them): an eval metric of a
        # collection without genres, the loss of a training without a validation split: null
        text = json.dumps(_finite(data), indent=2, ensure_ascii=False, default=str, allow_nan=False)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def _finite(data):
    """``data`` with every float that is not finite (NaN, +-Infinity) as None."""
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(v) for v in data]
    if isinstance(data, float) and not math.isfinite(data):
        return None
    return data
