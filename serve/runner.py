"""uvicorn's server, made to tell commands where it listens: once its socket is bound it
writes the store's server file (``recsys.store.served.ServerFile``: URL, PID, token), and it
removes the file first thing when it stops, so commands started from then on open the store
themselves as soon as the server lets it go."""

from __future__ import annotations

import ipaddress
import time
from typing import Callable

import uvicorn

from recsys.store.served import ServerFile


def local_url(host: str, port: int) -> str:
    """The URL a command on this machine reaches a server listening on ``host``:``port`` by
    (an any-address listener through loopback)."""
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}"
    if addr.is_unspecified:
        addr = ipaddress.ip_address("::1" if addr.version == 6 else "127.0.0.1")
    return f"http://[{addr}]:{port}" if addr.version == 6 else f"http://{addr}:{port}"


class StoreServer(uvicorn.Server):
    """``uvicorn.Server`` that publishes ``server_file`` (served collection ``collection``)
    while it listens; with no file (a remote store) it is uvicorn's server."""

    def __init__(self, config: uvicorn.Config, server_file: ServerFile | None, collection: str,
                 on_listening: Callable[[str], None] | None = None):
        super().__init__(config)
        self.server_file = server_file
        self.collection = collection
        #: told the URL once the port is bound (``--port 0`` picks it only then)
        self.on_listening = on_listening
        #: where commands reach it, once it listens
        self.url: str | None = None
        #: the stop signals it received (SIGINT: Ctrl-C), in order
        self.signals: list[int] = []
        #: when its shutdown began (time.monotonic()): the grace for the requests in flight,
        #: then for the store's close, counts from there
        self.stopping_since: float | None = None

    def handle_exit(self, sig, frame) -> None:  # type: ignore[no-untyped-def]
        self.signals.append(sig)
        super().handle_exit(sig, frame)

    async def startup(self, sockets=None) -> None:  # type: ignore[no-untyped-def]
        await super().startup(sockets)  # exits the process when the port cannot be bound
        bound = [s.getsockname() for srv in getattr(self, "servers", []) for s in (srv.sockets or ())]
        if bound:
            self.url = local_url(str(bound[0][0]), int(bound[0][1]))
            if self.on_listening is not None:
                self.on_listening(self.url)
            if self.server_file is not None:
                self.server_file.publish(self.url, self.collection)

    def grace_left(self) -> float:
        """Seconds of the grace (uvicorn's ``timeout_graceful_shutdown``) not spent yet."""
        grace = self.config.timeout_graceful_shutdown
        if grace is None or self.stopping_since is None:
            return float(grace or 0.0)
        return max(0.0, grace - (time.monotonic() - self.stopping_since))

    async def shutdown(self, sockets=None) -> None:  # type: ignore[no-untyped-def]
        self.stopping_since = time.monotonic()
        if self.server_file is not None:
            self.server_file.withdraw()
        await super().shutdown(sockets)
