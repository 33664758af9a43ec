"""The rows of a facet where several spellings are one value: each row in its most common
spelling, counting what a filter of it matches (the artist facet's credited artists and
MusicBrainz ids, a genre's spellings)."""

from __future__ import annotations

import unicodedata
from typing import Any, Callable, Mapping

from recsys.labels import SAME_ARTIST, label_key


def _marks(text: str) -> int:
    """How many accents, tildes and other marks ``text``'s letters carry."""
    return sum(1 for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) == "Mn")


def _unmarked(text: str) -> str:
    """``text`` without its letters' marks, case kept: "Tego Calderón" -> "Tego Calderon"."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def accents_kept(raw: Mapping[Any, int]) -> dict[Any, int]:
    """Spellings that differ only by their letters' marks counted as one, shown with the marks:
    "Tego Calderon" (2) and "Tego Calderón" (2) -> {"Tego Calderón": 4}. A name typed on a
    keyboard without accents loses them, none gains one it has not: a Latin listener's blog
    downloads and hand-tagged singles outnumbered the store's spelling, and the artist facet
    showed "Tego Calderon", "Arcangel", "Nengo Flow" (for Ñengo Flow), "Thalia". Ties between
    marked spellings: the most common, then the least string."""
    pooled: dict[str, tuple[int, int, Any]] = {}  # unmarked -> (sum, count of the shown, shown)
    for value, n in raw.items():
        if not isinstance(value, str):
            pooled[value] = (n, n, value)  # type: ignore[index]
            continue
        plain = _unmarked(value)
        total, best_n, best = pooled.get(plain, (0, -1, None))
        rank, best_rank = (_marks(value), n), (best is not None and (_marks(best), best_n))
        better = best is None or rank > best_rank or (rank == best_rank and value < best)
        pooled[plain] = (total + n, n if better else best_n, value if better else best)
    return {shown: total for total, _, shown in pooled.values()}


def by_spelling(
    raw: Mapping[Any, int], key: Callable[[object], str] = label_key, accented: bool = False
) -> tuple[dict[str, Any], dict[str, int]]:
    """Spellings counted (value -> points) as the keys they spell (``key``): the most common
    spelling of each (ties: the least string, "Jazz" before "jazz"), and the sum of their
    counts. ``accented`` (an artist's names): spellings that differ by their marks alone
    count as the marked one first (``accents_kept``). Not a genre's: "Reggaeton" is the
    English name of what Spanish writes "Reggaetón"."""
    if accented:
        raw = accents_kept(raw)
    spelling: dict[str, tuple[int, Any]] = {}
    summed: dict[str, int] = {}
    for value, n in raw.items():
        norm = key(value)
        summed[norm] = summed.get(norm, 0) + n
        best = spelling.get(norm)
        if best is None or n > best[0] or (n == best[0] and str(value) < str(best[1])):
            spelling[norm] = (n, value)
    return {k: v for k, (_, v) in spelling.items()}, summed


def same_artist_rows(one: Mapping[Any, int], credited: Mapping[Any, int], keys: Mapping[Any, int]) -> dict[Any, int]:
    """The artist facet's rows where MusicBrainz artist ids made spellings one artist: each row
    in its most common spelling (of ``one``, the tagged artist of the points crediting one, and
    ``credited``, the names credited by the others), counting the points whose ``artist_key``
    holds its key (``keys``: value -> points), as the artist filter matches them; a key a point
    carries marked as its artist's other spelling (``labels.SAME_ARTIST``) counts it under that
    artist's key alone. Exact: without such points it counts as ``credited_rows`` does."""
    tally = dict(one)
    for value, n in credited.items():
        tally[value] = tally.get(value, 0) + n
    spelling, _ = by_spelling(tally, accented=True)
    marked = {k[len(SAME_ARTIST):]: n for k, n in keys.items() if isinstance(k, str) and k.startswith(SAME_ARTIST)}
    plain = {k: n - marked.get(k, 0) for k, n in keys.items() if not (isinstance(k, str) and k.startswith(SAME_ARTIST))}
    _, counts = by_spelling(plain)  # keys older rules wrote counted as their artist's
    return {shown: counts[k] for k, shown in spelling.items() if counts.get(k, 0) > 0}


def credited_rows(one: Mapping[Any, int], credited: Mapping[Any, int], among: Mapping[Any, int]) -> dict[Any, int]:
    """The artist facet's rows, each in its most common spelling: ``one`` counts the artist of
    each track crediting one (spelling -> tracks), ``credited`` the names credited by the
    others (spelling -> tracks), ``among`` the values of those others' artist_norm (-> tracks).
    Exact: one artist a track in ``one``, each value once a track in ``among``; a tagged
    string of ``among`` ("drake feat. rihanna") is counted only where it is a row."""
    tally = dict(one)
    for value, n in credited.items():
        tally[value] = tally.get(value, 0) + n
    spelling, _ = by_spelling(tally, accented=True)
    _, counts = by_spelling(one)
    for value, n in among.items():
        norm = label_key(value)  # an older collection's artist_norm keys as its artist does
        counts[norm] = counts.get(norm, 0) + n
    return {shown: counts.get(norm, 0) for norm, shown in spelling.items()}
