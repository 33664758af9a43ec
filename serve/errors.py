"""How errors answer: a user error (``RecsysError``) is a 4xx with ``{"error": "<one line>"}``,
a bad request body a 422 naming the field, never a traceback. A body that cannot be read as
the JSON object a route takes (empty, not JSON, not UTF-8, nested too deeply, an array or a
string, not sent as JSON) is a 422 too, whatever the kind: FastAPI answered most of them 422
("body: Field required", "16: JSON decode error") and some 400 ("There was an error parsing
the body"), which a client could not tell from the library refusing a request."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

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
        unreadable = unreadable_body(exc)
        if unreadable is not None:
            return error_response(422, "invalid request: " + unreadable)
        return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        malformed = malformed_body(exc)
        if malformed is not None:
            return error_response(422, "invalid request: " + malformed)
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


#: FastAPI's answer (400) when reading a body raised anything but a JSON syntax error: bytes
#: that are not UTF-8, JSON nested past the recursion limit, a broken multipart form
_FASTAPI_UNREADABLE = "There was an error parsing the body"
#: the errors FastAPI reports, at the location ``("body",)``, for a body that is no object
_NOT_AN_OBJECT = frozenset({"model_attributes_type", "dict_type", "model_type"})


def unreadable_body(exc: HTTPException) -> str | None:
    """Why the body could not be read, when ``exc`` is FastAPI's or Starlette's 400 for that
    (a JSON body that is not UTF-8 or nests too deeply, a broken multipart form); else None."""
    if exc.status_code != 400:
        return None
    if isinstance(exc.__context__, MultiPartException):  # raised by Starlette's form parser
        return f"the body is not a valid multipart form ({one_line(str(exc.detail))})"
    if exc.detail != _FASTAPI_UNREADABLE:
        return None
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):
        return "the body is not valid JSON (not UTF-8 text)"
    if isinstance(cause, RecursionError):
        return "the body is not valid JSON (nested too deeply)"
    return f"the body cannot be read ({one_line(str(cause)) if cause else 'unknown reason'})"


def malformed_body(exc: RequestValidationError) -> str | None:
    """What is wrong with the body as a whole (empty, not JSON, not an object), or None when
    it is an object whose fields are wrong (the caller names those)."""
    for e in exc.errors():
        loc, kind = tuple(e.get("loc", ())), e.get("type")
        if kind == "json_invalid":
            doc = getattr(exc, "body", None)
            if isinstance(doc, str) and not doc.strip():
                return "the body is empty: send a JSON object"
            where = f" at character {loc[1]}" if len(loc) > 1 else ""
            reason = (e.get("ctx") or {}).get("error") or e.get("msg", "")
            return f"the body is not valid JSON ({one_line(str(reason))}{where})"
        if loc != ("body",):
            continue
        if kind == "missing":
            return "the body is empty: send a JSON object"
        if kind in _NOT_AN_OBJECT:
            given = e.get("input")
            if isinstance(given, (bytes, bytearray)):  # a Content-Type other than JSON
                return "the body must be a JSON object, sent as Content-Type: application/json"
            return f"the body must be a JSON object, not {_json_kind(given)}"
    return None


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__
