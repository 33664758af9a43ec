"""How a failed qdrant-client call reads, and whether trying it again may help.

``RemoteBackend._call`` runs every client call; what its exceptions say (an HTTP status and
the server's own message, a gRPC status, a connection refused, a timeout, an unknown host)
is made here into one line naming the server and what to do, and into the two facts the
retry loop needs: whether another try may help, and whether the request may have reached the
server (a request that never left may be sent again whatever it is).
"""

from __future__ import annotations

import json
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

import grpc
from qdrant_client.http.exceptions import UnexpectedResponse

from recsys.errors import NotFoundError, RecsysError, StoreError
from recsys.store.messages import first_line

#: HTTP statuses that pass: too many requests, the server's or a proxy's passing failure
_TRANSIENT_HTTP = (429, 500, 502, 503, 504)
#: gRPC's counterparts of those: no server, no answer in time, overloaded
_TRANSIENT_GRPC = (
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
)


def _tries(n: int, elapsed: float) -> str:
    return "1 try" if n == 1 else f"{n} tries over {elapsed:.1f} s"


def _transport_failure(source: BaseException, timeout: int) -> tuple[str, bool, bool]:
    """(what happened, whether trying again may help, whether the request may have reached the
    server) for an exception from the HTTP layer under qdrant-client."""
    import httpx

    text = " ".join(str(source).split())
    low = text.lower()
    if isinstance(source, httpx.ConnectTimeout):
        return f"no connection within {timeout} s", True, False
    if isinstance(source, httpx.TimeoutException):
        return f"no answer within {timeout} s", True, True
    if isinstance(source, httpx.ConnectError):
        if "refused" in low:
            return "connection refused", True, False
        if "name or service" in low or "nodename" in low or "getaddrinfo" in low or "resolution" in low:
            return "unknown host", False, False
        return text or "cannot connect", True, False
    if isinstance(source, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        if "reset" in low or "disconnected" in low or "closed" in low or not text:
            return "connection reset by the server", True, True
        return text, True, True
    if isinstance(source, httpx.LocalProtocolError) and "header" in low:
        return "the API key is not a valid HTTP header value (a stray newline or space?)", False, False
    return text or type(source).__name__, False, True


def _grpc_status(exc: grpc.RpcError) -> tuple[grpc.StatusCode | None, str]:
    """(status code, details) of a gRPC error (a call's error has both; a bare one neither)."""
    code = exc.code() if callable(getattr(exc, "code", None)) else None
    details = exc.details() if callable(getattr(exc, "details", None)) else None
    return code, " ".join(str(details or "").split())


def _grpc_unconnected(code: grpc.StatusCode | None, details: str) -> bool:
    """Whether a gRPC error says no connection was made (so the request never left)."""
    low = details.lower()
    return code == grpc.StatusCode.UNAVAILABLE and ("failed to connect" in low or "refused" in low)


def redact_url(url: str) -> str:
    """The URL without any user:password part, safe to show in messages."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _server_message(exc: UnexpectedResponse) -> str:
    """The server's own error text ({"status": {"error": ...}}) rather than the raw body."""
    try:
        body = json.loads(exc.content.decode("utf-8", "replace"))
        msg = body.get("status", {}).get("error") or ""
    except (ValueError, AttributeError):
        msg = ""
    return first_line(msg or exc.reason_phrase or "")


def transient(exc: Exception, timeout: int) -> tuple[bool, bool]:
    """(whether trying again may help, whether the request may have reached the server)."""
    if isinstance(exc, UnexpectedResponse):
        return exc.status_code in _TRANSIENT_HTTP, True
    if isinstance(exc, grpc.RpcError):
        code, details = _grpc_status(exc)
        return code in _TRANSIENT_GRPC, not _grpc_unconnected(code, details)
    _, again, sent = _transport_failure(exc.source, timeout)
    return again, sent


def failure(
    exc: Exception, where: str, location: str, collection: str | None, tries: int, elapsed: float,
    timeout: int, grpc_port: int, clean: Callable[[str], str],
) -> RecsysError:
    """The one-line error for a failed call at ``where`` on the server at ``location`` (its
    URL without credentials): never the API key (``clean`` blanks it), never a header."""
    if isinstance(exc, UnexpectedResponse):
        code = exc.status_code
        msg = clean(_server_message(exc))
        if code == 404 and collection is not None:
            return NotFoundError(f"{where}: not found ({msg})")
        if code in (401, 403):
            return StoreError(
                f"Qdrant at {location} refused the request (HTTP {code}); check the API key"
            )
        extra = f" ({_tries(tries, elapsed)})" if tries > 1 else ""
        who = f"{where}: Qdrant" if collection else f"Qdrant at {location}"
        return StoreError(f"{who} answered HTTP {code}: {msg or 'no message'}{extra}")
    if isinstance(exc, grpc.RpcError):
        status, details = _grpc_status(exc)
        name = status.name if status is not None else "UNKNOWN"
        msg = clean(details)
        if status == grpc.StatusCode.NOT_FOUND and collection is not None:
            return NotFoundError(f"{where}: not found ({msg})")
        if status in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
            return StoreError(
                f"Qdrant at {location} refused the request (gRPC {name}); check the API key"
            )
        if _grpc_unconnected(status, details):
            return StoreError(
                f"cannot reach Qdrant's gRPC port {grpc_port} at {location}: "
                f"connection refused ({_tries(tries, elapsed)}); check the server, its gRPC "
                "port (RECSYS_QDRANT_GRPC_PORT) or use HTTP (RECSYS_QDRANT_GRPC=0)"
            )
        if status == grpc.StatusCode.DEADLINE_EXCEEDED:
            return StoreError(
                f"{where}: no answer within {timeout} s over gRPC "
                f"({_tries(tries, elapsed)}); check the server, or allow more seconds with "
                "RECSYS_QDRANT_TIMEOUT"
            )
        extra = f" ({_tries(tries, elapsed)})" if tries > 1 else ""
        who = f"{where}: Qdrant" if collection else f"Qdrant at {location}"
        return StoreError(f"{who} answered gRPC {name}: {msg or 'no message'}{extra}")
    what = _transport_failure(exc.source, timeout)[0]
    what = clean(what)
    hint = "check the URL and that the server is running"
    if what.startswith("no answer"):
        hint = "check the server, or allow more seconds with RECSYS_QDRANT_TIMEOUT"
    return StoreError(f"cannot reach Qdrant at {location}: {what} ({_tries(tries, elapsed)}); {hint}")
