"""How errors answer: a user error (``RecsysError``) is a 4xx with ``{"error": "<one line>"}``,
a bad request body a 422 naming the field, never a traceback."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from recsys.errors import MediaError, NotFoundError, RecsysError, StoreError, StoreInUseError


class UnsupportedMedia(RecsysError):
    """An upload of a type the query cannot take (415)."""


class UploadTooLarge(RecsysError):
    """An upload over its size limit (413)."""


class DecodeTimeout(RecsysError):
    """Decoding an upload took longer than allowed (422)."""


def status_of(exc: RecsysError) -> int:
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UploadTooLarge):
        return 413
    if isinstance(exc, UnsupportedMedia):
        return 415
    if isinstance(exc, (MediaError, DecodeTimeout)):
        return 422
    if isinstance(exc, (StoreInUseError, StoreError)):
        return 503
    return 400


def one_line(text: str) -> str:
    return " ".join(str(text).split()) or "error"


def error_response(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": one_line(message)}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    async def recsys_error(_: Request, exc: RecsysError) -> JSONResponse:
        return error_response(status_of(exc), str(exc))

    async def bad_value(_: Request, exc: Exception) -> JSONResponse:
        # what the CLI also reports as a user error: a file or value a library rejected
        return error_response(400, f"{type(exc).__name__}: {exc}")

    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors()[:3]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "body"
            parts.append(f"{where}: {e.get('msg', 'invalid')}")
        return error_response(422, "invalid request: " + "; ".join(parts))

    app.add_exception_handler(RecsysError, recsys_error)
    app.add_exception_handler(ValueError, bad_value)
    app.add_exception_handler(OSError, bad_value)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
