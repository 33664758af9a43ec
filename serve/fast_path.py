"""`POST /api/recommend` with track ids, the request a serving recommender answers most,
answered before FastAPI's routing.

The server has one interpreter (the embedded store admits one process), so the load it takes
is its Python per request. Under load at 100k tracks, a recommend was about 0.75 ms of the
library's calls, and FastAPI's stack around them (its middlewares, the match over every
route, dependency solving, the request and response objects, validating the returned model
again) about 0.15 ms more: a sixth of the request. Here the body is parsed by the same
pydantic model and answered by the same function as the route (``recommend_here``), and the
answer is that model's JSON, the bytes the route sends. Anything else (another path, a body
the model refuses, titles or an artist, a store busy with a write, an unknown seed) goes on
to the route with its body, which answers it as it always has: the OpenAPI schema,
the error messages and the worker thread all stay the route's. A body ``recommend_here``
declined is marked in the scope, so the route does not run it a second time. It sits inside
the guards (errors, CORS, API key, body size), which see every request as before.
"""

from __future__ import annotations

from typing import Any, Callable

from pydantic import ValidationError

from recsys.errors import RecsysError
from serve.guards import send_json_body
from serve.models import RecommendBody, RecommendOut
from serve.routes_query import FAST_PATH_DECLINED, recommend_here
from serve.state import ServeState

PATH = "/api/recommend"
_SERIALIZER = RecommendOut.__pydantic_serializer__


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        if name == b"content-type":
            return value.split(b";", 1)[0].strip().lower() == b"application/json"
    return False


def _replay(body: bytes, receive: Callable) -> Callable:
    """``receive`` with ``body``, already read, given first."""
    given = False

    async def replay() -> dict[str, Any]:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class RecommendFastPath:
    """Answers the id-seed recommends itself; passes everything else on to ``app``."""

    def __init__(self, app, state: ServeState):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST"
                or not _is_json(scope["headers"])):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before its body came
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            out = recommend_here(self.state, RecommendBody.model_validate_json(body))
            if out is None:  # the route need not ask again: its worker thread answers
                scope = {**scope, FAST_PATH_DECLINED: True}
        except (ValidationError, RecsysError):
            out = None  # the route answers it, with its own 4xx
        if out is None:
            await self.app(scope, _replay(body, receive), send)
            return
        await send_json_body(send, 200, _SERIALIZER.to_json(out))
