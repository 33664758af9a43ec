"""The filters of an upload query (``/api/query/image``, ``/api/query/audio``) as form fields:
a cover or a clip comes as multipart form data, where the JSON routes' ``filters`` object cannot
go, so each of its fields is a form field of the same name (a list field repeated: ``genres=rock``
twice for two), checked by the same ``Filters`` model (an empty range, a key no notation reads:
a one-line 422) and built by the same builder as every other surface's."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import Form
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from serve.models import Filters


def _about(field: str) -> str | None:
    """The JSON field's own description: one text for both forms of a filter."""
    return Filters.model_fields[field].description


def upload_filters(
    genres: list[str] = Form([], description=_about("genres")),
    only_artists: list[str] = Form([], description="Only tracks by any of these artists."),
    composers: list[str] = Form([], description=_about("composers")),
    performers: list[str] = Form([], description=_about("performers")),
    exclude_artists: list[str] = Form([], description="No tracks by these artists."),
    year_min: Optional[int] = Form(None, ge=0, le=9999),
    year_max: Optional[int] = Form(None, ge=0, le=9999),
    bpm_min: Optional[float] = Form(None, ge=0, le=1000, description=_about("bpm_min")),
    bpm_max: Optional[float] = Form(None, ge=0, le=1000),
    keys: list[str] = Form([], description=_about("keys")),
    kind: Optional[Literal["music", "spoken", "any"]] = Form(None, description=_about("kind")),
    clean: bool = Form(False, description=_about("clean")),
) -> Filters:
    """The form's filters as the ``Filters`` a JSON body gives; a value it refuses is a 422."""
    try:
        return Filters(
            genres=genres, only_artists=only_artists, composers=composers, performers=performers,
            exclude_artists=exclude_artists, year_min=year_min, year_max=year_max, bpm_min=bpm_min,
            bpm_max=bpm_max, keys=keys, kind=kind, clean=clean,
        )
    except ValidationError as exc:
        # a form field's error as FastAPI's own are: one line "invalid request: <field>: <why>"
        raise RequestValidationError(
            [{"loc": ("body", *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        ) from None
