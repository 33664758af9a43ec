"""recsys serve: the HTTP API and the demo page, in one process that owns the store."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

import cli.common
from cli.common import CollectionOpt, DeviceOpt, HomeOpt, UrlOpt, err_console, settings
from cli.render import safe_text
from recsys.store.payload_cache import PAYLOAD_CACHE_POINTS

app = typer.Typer()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", envvar="RECSYS_SERVE_HOST", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, envvar="RECSYS_SERVE_PORT", help="TCP port."),
    api_key: Optional[str] = typer.Option(
        None, "--api-key", envvar="RECSYS_API_KEY", show_default=False,
        help="Require this key on every /api call (X-API-Key header or Bearer); never printed.",
    ),
    cors: Optional[List[str]] = typer.Option(
        None, "--cors", help="An origin allowed to call the API from a browser (repeatable), e.g. http://localhost:3000."
    ),
    payload_cache: Optional[int] = typer.Option(
        None, "--payload-cache", min=0, envvar="RECSYS_SERVE_PAYLOAD_CACHE", show_default=False,
        help=f"Payloads of recent hits to keep in memory, about 3 KB each (embedded store; 0: none), "
             f"read in from the collection at startup in the background "
             f"[default: the whole collection if it has at most {PAYLOAD_CACHE_POINTS:,} tracks, else none].",
    ),
    grace: Optional[float] = typer.Option(
        None, "--grace", min=0.0, envvar="RECSYS_SERVE_GRACE", show_default=False,
        help="Seconds a stopping server (SIGTERM, Ctrl-C) waits for the requests in flight; then it "
             "drops them, closes the store and exits (143 after SIGTERM, 130 after Ctrl-C) [default: 5].",
    ),
    clean: bool = typer.Option(
        False, "--clean/--no-clean", envvar="RECSYS_CLEAN",
        help="A parent's server: every answer is a clean one (--clean's) whatever a request asks, a track marked"
             " explicit is not listed, shown, played or taken as a seed, and the page's 'clean' is ticked for good."
             " RECSYS_CLEAN=1 makes it the default, as for the query commands; --no-clean overrides that.",
    ),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn's log level: critical, error, warning, info, debug."),
    device: Optional[str] = DeviceOpt,
    collection: Optional[str] = CollectionOpt,
    home: Optional[Path] = HomeOpt,
    qdrant_url: Optional[str] = UrlOpt,
) -> None:
    """Serve the recommender over HTTP (FastAPI + uvicorn) with its web page at /: search,
    recommend, query by cover, clip or text, playlists, paths, track detail, facets, the map.
    The OpenAPI schema is at /openapi.json. The server holds the embedded store while it runs."""
    import gc
    import importlib.util

    from recsys.errors import RecsysError

    # python-multipart (uploads) is importable as python_multipart, or as multipart before 0.0.13
    for module, package in (("fastapi", "fastapi"), ("uvicorn", "uvicorn"), (None, "python-multipart")):
        found = (importlib.util.find_spec(module) if module else
                 importlib.util.find_spec("python_multipart") or importlib.util.find_spec("multipart"))
        if found is None:
            raise RecsysError(f"recsys serve needs the serve extra ({package} is missing): pip install 'recsys[serve]'")
    import signal

    import uvicorn

    from serve import ServeConfig, create_app
    from serve.config import GRACE_SECONDS
    from serve.state import ServeState
    if log_level not in ("critical", "error", "warning", "info", "debug"):
        raise typer.BadParameter(f"'{log_level}' is not a log level", param_hint="--log-level")
    _check_listen(host, port)
    cfg = settings(home, qdrant_url)
    grace = GRACE_SECONDS if grace is None else grace
    from recsys.store import is_remote_location
    from recsys.store.served import ServerFile
    from serve.runner import StoreServer

    # the server file tells commands run beside it to go through it (the embedded store admits
    # one process); its lock also refuses a second server on the same store, naming the first
    server_file = None if is_remote_location(cfg.store_location) else ServerFile(cfg.store_location)
    config = ServeConfig(settings=cfg, collection=collection, api_key=api_key or None,
                         cors_origins=tuple(cors or ()), device=device, payload_cache=payload_cache,
                         store_token=server_file.token if server_file else None, grace_seconds=grace,
                         clean=clean)
    state = ServeState(config)
    state.open()  # a store in use or a missing collection: one line here, before uvicorn starts
    restore_sigterm = _keep_sigterm
    server = None
    try:
        if server_file is not None:
            server_file.acquire()

        def listening(url: str) -> None:
            # once bound: the port --port 0 got, an IPv6 address in brackets, and for an
            # any-address listener the loopback URL a browser here opens
            err_console.print(safe_text(
                f"serving {cfg.store_label} on {url}/ "
                f"(API key {'required' if config.api_key else 'not required'}"
                f"{'; clean: no track marked explicit, for every listener' if config.clean else ''}; Ctrl-C stops)"
            ))

        # uvicorn's access log prints method, path and status: never a header, so never the key
        server = StoreServer(
            # lifespan off: the state is open already, and the app's lifespan would only close
            # a state it opened; on a second Ctrl-C uvicorn cancels a running lifespan task and
            # logged that as an error with a traceback. timeout_graceful_shutdown: how long a
            # stop waits for the requests in flight (without it, as long as they take)
            uvicorn.Config(create_app(config, state), host=host, port=port, log_level=log_level,
                           access_log=log_level in ("info", "debug"), server_header=False, lifespan="off",
                           timeout_graceful_shutdown=grace),  # type: ignore[arg-type] - a float works
            server_file, state.name, on_listening=listening,
        )
        # what startup made (modules, the app, its schemas and models) lives as long as the
        # server: the collector's full passes skip it from here on
        gc.collect()
        gc.freeze()
        restore_sigterm = _catch_sigterm()
        server.run()
        if signal.SIGINT in server.signals:
            # uvicorn re-raises a Ctrl-C it stopped on once the loop is done, and asyncio turns
            # that into KeyboardInterrupt (exit 130) -- nearly always: CI once saw this return
            # normally, exit 0, after two Ctrl-C. Whatever the race, Ctrl-C means 130.
            raise typer.Exit(130)
        if signal.SIGTERM in server.signals:
            raise typer.Exit(143)  # 128 + SIGTERM, as a process ended by it, once the store is closed
    finally:
        dropped = False
        try:
            # also when uvicorn could not bind the port (the lifespan then never ran); parked
            # in the console script, whose process ends now (cli.common.open_store). Within
            # what is left of the grace: past it, closed under the requests still running
            left = server.grace_left() if server is not None else grace
            dropped = not state.close(park=cli.common.PROCESS_ENDS_WITH_COMMAND, wait_s=left)
        finally:
            if server_file is not None:  # its file went when uvicorn began to stop
                server_file.release()
            restore_sigterm()
            if dropped:
                _exit_now(server)


def _exit_now(server) -> None:  # type: ignore[no-untyped-def]
    """End the process at once, with the code its stop signal gives (Ctrl-C 130, SIGTERM 143).
    The requests dropped after the grace still run in worker threads that nothing can stop
    (anyio's, not daemons): the interpreter's exit would wait for each to end."""
    import os
    import signal
    import sys

    signals = server.signals if server is not None else []
    code = 130 if signal.SIGINT in signals else 143 if signal.SIGTERM in signals else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _keep_sigterm() -> None:
    """Nothing to restore."""


def _catch_sigterm():
    """uvicorn raises the signal it stopped on again once it has shut down: a SIGTERM (how
    docker, systemd and kubernetes stop a server) then ended the process at once, before the
    store was closed (its unflushed writes left to the WAL). Caught from here, it only ends
    uvicorn's loop; returns what puts the handler before back."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():  # only the main thread may
        return _keep_sigterm
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _check_listen(host: str, port: int) -> None:
    """A listen address uvicorn can bind: an IP address or a host name that resolves (a bad
    one would otherwise fail inside uvicorn's startup with a traceback), and a port free there
    (else uvicorn logs the error and exits 3, after this command said it was serving)."""
    import errno
    import socket

    from recsys.errors import RecsysError

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError, ValueError) as exc:
        raise typer.BadParameter(f"cannot listen on '{host}': {exc}", param_hint="--host") from None
    if not port:  # any free port: uvicorn picks it
        return
    for family, kind, proto, _, address in dict.fromkeys(found):
        with socket.socket(family, kind, proto) as probe:
            # as asyncio's server binds: reusing an address in TIME_WAIT, IPv6 apart from IPv4
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                hint = " (another server has it? --port picks another)" if exc.errno == errno.EADDRINUSE else ""
                raise RecsysError(f"cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}{hint}") from None
