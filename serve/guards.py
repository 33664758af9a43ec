"""The server's pure ASGI guards, outermost first: one-line JSON for anything unexpected, the
API key, and a cap on request bodies. Pure ASGI (not BaseHTTPMiddleware) so the recommend
path pays a few attribute reads, not a task per request."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any, Callable

from starlette.exceptions import HTTPException

log = logging.getLogger("recsys.serve")

Scope = dict[str, Any]


async def send_json_body(send: Callable, status: int, body: bytes, headers: list | None = None) -> None:
    """One whole response of JSON ``body`` (already encoded), from a pure ASGI layer."""
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Callable, status: int, message: str, headers: list | None = None) -> None:
    await send_json_body(send, status, json.dumps({"error": message}).encode(), headers)


class OneLineErrors:
    """Anything a route did not turn into a response becomes a 500 with one line; the
    traceback goes to the server's log (never the API key: it is not in any exception)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except asyncio.CancelledError:
            # uvicorn cancels the requests still running when a stop's grace is over (their
            # worker threads go on, their answers nowhere): the client is told so in one line,
            # not with uvicorn's bare 500, and the task ends there (re-raised, uvicorn logged
            # it with a traceback as an exception in the application)
            if started:
                raise
            await send_json(send, 503, "the server is stopping: the request was dropped after the grace")
        except Exception as exc:  # noqa: BLE001 - the one place a bug turns into a 500
            log.exception("internal error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await send_json(send, 500, f"internal error ({type(exc).__name__})")


class ApiKeyGuard:
    """With a key set, every /api/ call but the probes (/api/live, /api/health) must carry it: ``X-API-Key``,
    ``Authorization: Bearer <key>``, or the ``recsys_key`` cookie the page sets (an <img> or
    <audio> element cannot send a header). Compared in constant time; never logged, and a
    query string is not accepted (access logs print those)."""

    OPEN = ("/api/live", "/api/health")

    def __init__(self, app, api_key: str | None):
        self.app = app
        self.key = api_key.encode() if api_key else None

    async def __call__(self, scope: Scope, receive, send) -> None:
        if (self.key is None or scope["type"] != "http" or not scope["path"].startswith("/api/")
                or scope["path"] in self.OPEN or scope.get("method") == "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if any(hmac.compare_digest(given, self.key) for given in _offered_keys(scope["headers"])):
            await self.app(scope, receive, send)
            return
        await send_json(send, 401, "missing or wrong API key: send it as the X-API-Key header",
                        [(b"www-authenticate", b'Bearer realm="recsys"')])


def _offered_keys(headers) -> list[bytes]:
    out = []
    for name, value in headers:
        if name == b"x-api-key":
            out.append(value.strip())
        elif name == b"authorization" and value[:7].lower() == b"bearer ":
            out.append(value[7:].strip())
        elif name == b"cookie":
            for part in value.split(b";"):
                k, _, v = part.strip().partition(b"=")
                if k == b"recsys_key":
                    from urllib.parse import unquote_to_bytes

                    out.append(unquote_to_bytes(v))
    return out


class BodyLimit:
    """A request body larger than its route's limit is refused with 413 before it is read
    in full (by its Content-Length, or while it streams in)."""

    def __init__(self, app, limit_for: Callable[[str], int]):
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    await send_json(send, 413, _too_large(limit))
                    return
        seen = 0
        started = False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(_too_large(limit))
            return message

        async def tracking_send(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except TooLarge as exc:
            if not started:
                await send_json(send, 413, str(exc.detail))


class TooLarge(HTTPException):
    """Raised from ``receive`` while a route reads its body: an HTTPException, so FastAPI's
    body parsing passes it on (it turns other errors into a 400) and it answers 413."""

    def __init__(self, message: str):
        super().__init__(status_code=413, detail=message)


def _too_large(limit: int) -> str:
    return f"request body too large (the limit is {limit / 1024 / 1024:.1f} MiB)"
