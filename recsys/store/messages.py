"""Store errors as one line of text, and JSON a store writes that may fail to serialise: the
messages both backends build from a client's exception."""

from __future__ import annotations

import json
from typing import Any

from recsys.errors import StoreError


def first_line(text: str) -> str:
    """The first line of ``text``, stripped ("" for blank text)."""
    text = text.strip()
    return text.splitlines()[0] if text else ""


def error_line(exc: BaseException) -> str:
    """An exception as one line: its first line of text, or its type's name."""
    return first_line(str(exc)) or type(exc).__name__


def json_text(name: str, data: Any, **dumps: Any) -> str:
    """``json.dumps(data, **dumps)``; a StoreError naming collection ``name`` if it cannot be."""
    try:
        return json.dumps(data, **dumps)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"metadata of collection {name!r} is not JSON-serialisable: {error_line(exc)}"
        ) from exc

