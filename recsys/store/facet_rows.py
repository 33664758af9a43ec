"""The rows of a facet where several spellings are one value: each row in its most common
spelling, counting what a filter of it matches (the artist facet's credited artists and
MusicBrainz ids, a genre's spellings)."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from recsys.labels import SAME_ARTIST, label_key


def by_spelling(
    raw: Mapping[Any, int], key: Callable[[object], str] = label_key
) -> tuple[dict[str, Any], dict[str, int]]:
    """Spellings counted (value -> points) as the keys they spell (``key``): the most common
    spelling of each (ties: the least string, "Jazz" before "jazz"), and the sum of their
    counts."""
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
    spelling, _ = by_spelling(tally)
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
    spelling, _ = by_spelling(tally)
    _, counts = by_spelling(one)
    for value, n in among.items():
        norm = label_key(value)  # an older collection's artist_norm keys as its artist does
        counts[norm] = counts.get(norm, 0) + n
    return {shown: counts.get(norm, 0) for norm, shown in spelling.items()}
