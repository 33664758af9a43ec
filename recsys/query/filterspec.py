"""The filters a listener gives (genres, only and excluded artists, composers, performers, a
year or tempo range, keys, the kind, ``clean``), as the store's ``QueryFilter``: the one builder
that the CLI's options, the API's JSON bodies and its upload forms go through, so that a filter
means the same on every surface and a value none can take is refused there with the same line.

The ranges come as text on the command line ("1990-1999", "120-") and as two numbers in the
API: both end as a (low, high) pair checked by ``check_range`` here. ``--mixable`` and the
artist cap are no payload filter (the seed's tempo and key; the ``Picker``): each request
carries them beside its filter."""

from __future__ import annotations

from typing import Iterable, Optional

from recsys.errors import RecsysError
from recsys.store.base import QueryFilter

#: ``kind``'s values: a song's results leave spoken word out without it (``recsys.query.kinds``)
KINDS = ("music", "spoken", "any")


class FilterValueError(RecsysError):
    """A filter's value that no query can take (a key no notation reads, a range whose low end is
    above its high end): one line, and ``option`` the filter it is about ("year", "bpm", "key",
    "kind"), for the surface to name it as its own (``--year``, ``filters.year_min``)."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


def parse_years(spec: Optional[str]) -> tuple[Optional[int], Optional[int]]:
    """A year ("1994") or a range ("1990-1999", "1990-", "-1999") as (first, last)."""
    if not spec:
        return None, None
    try:
        if "-" in spec.strip("-") or spec.startswith("-") or spec.endswith("-"):
            lo, _, hi = spec.partition("-")
            years = (int(lo) if lo else None), (int(hi) if hi else None)
        else:
            years = int(spec), int(spec)
    except ValueError:
        raise FilterValueError("year", f"'{spec}' is not a year or a range like 1990-1999") from None
    check_range(*years, "year", spec)
    return years


def parse_bpms(spec: Optional[str]) -> tuple[Optional[float], Optional[float]]:
    """A tempo ("128": 127.5-128.5, a tag's 127.98 is 128) or a range ("120-128", "120-", "-128")."""
    if not spec:
        return None, None
    text = spec.strip()
    try:
        if "-" in text:
            lo, _, hi = text.partition("-")
            bpms = (float(lo) if lo.strip() else None), (float(hi) if hi.strip() else None)
            if bpms == (None, None):
                raise ValueError(spec)
        else:
            bpms = float(text) - 0.5, float(text) + 0.5
    except ValueError:
        raise FilterValueError("bpm", f"'{spec}' is not a tempo or a range like 120-128") from None
    if any(b is not None and not 0 < b < 1000 for b in bpms):  # NaN and inf too
        raise FilterValueError("bpm", f"'{spec}' is not a tempo or a range like 120-128")
    check_range(*bpms, "bpm", spec)
    return bpms


def check_range(lo: Optional[float], hi: Optional[float], option: str, spec: Optional[str] = None) -> None:
    """An empty range is the listener's mistake, not an answer without tracks: the CLI's
    ``--year 2020-1990`` and the API's ``year_min`` 2020 with ``year_max`` 1990 alike."""
    if lo is None or hi is None or lo <= hi:
        return
    if spec is not None:
        first = "the first year is after the last" if option == "year" else "the first tempo is above the last"
        raise FilterValueError(option, f"'{spec}' is an empty range: {first}")
    raise FilterValueError(option, f"{option}_min {lo:g} is above {option}_max {hi:g}: an empty range")


def camelot_keys(values: Iterable[str]) -> tuple[str, ...]:
    """Musical keys in Camelot ("Am" and "1m" are 8A), as the catalog reads the key tags; once each."""
    from recsys.catalog.tempokey import parse_key

    keys = []
    for value in values:
        key = parse_key(value)
        if not key:
            raise FilterValueError(
                "key", f"'{value}' is not a musical key: give Camelot (8A, 12B), Open Key (1m, 5d) or a note "
                "name (Am, F# minor, Bb, E♭ major)",
            )
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def parse_kind(kind: Optional[str]) -> str:
    """The kind as the filter takes it: "" when not given (the seeds choose: ``recsys.query.kinds``)."""
    if kind is None:
        return ""
    value = kind.strip().lower()
    if value not in KINDS:
        raise FilterValueError("kind", f"'{kind}' is no kind: give music, spoken or any")
    return value


def listener_filter(
    *, genres: Iterable[str] = (), only_artists: Iterable[str] = (), exclude_artists: Iterable[str] = (),
    composers: Iterable[str] = (), performers: Iterable[str] = (),
    years: tuple[Optional[int], Optional[int]] = (None, None),
    bpms: tuple[Optional[float], Optional[float]] = (None, None),
    keys: Iterable[str] = (), kind: Optional[str] = None, clean: bool = False,
) -> QueryFilter:
    """The store's filter of what a listener asked, every value checked (``FilterValueError``)."""
    check_range(*years, "year")
    check_range(*bpms, "bpm")
    return QueryFilter(
        genres=tuple(genres),
        artists=tuple(only_artists),
        composers=tuple(composers),
        performers=tuple(performers),
        exclude_artists=tuple(exclude_artists),
        year_min=years[0],
        year_max=years[1],
        bpm_min=bpms[0],
        bpm_max=bpms[1],
        keys=camelot_keys(keys),
        kind=parse_kind(kind),
        clean=clean,
    )
