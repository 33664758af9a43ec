"""A name typed in Latin letters read against the library's names in other scripts: the keys of
the names in an abjad (Arabic, Persian, Hebrew), Cyrillic, Greek or kana that it is a spelling
of, each by its script's readings (``abjadnames``, ``cyrillicnames``, ``greeknames``,
``kananames``). One union for every place a listener types a name: `--artist` and the seed
lookup (``query.titles``), `--composer` (``query.composers``), `--only-artist` and
`--exclude-artist` (``query.artistfilter``)."""

from __future__ import annotations

from typing import Iterable

from recsys.catalog.abjadnames import typed_abjad_keys
from recsys.catalog.cyrillicnames import typed_cyrillic_keys
from recsys.catalog.greeknames import typed_greek_keys
from recsys.catalog.kananames import typed_kana_keys


def typed_script_keys(typed: str, names: Iterable[str]) -> set[str]:
    """The keys (``label_key``) of the ``names`` in an abjad, Cyrillic, Greek or kana that the
    Latin ``typed`` is a reading of (empty for a name with another letter)."""
    names = list(names)
    return typed_abjad_keys(typed, names) | typed_cyrillic_keys(typed, names) \
        | typed_greek_keys(typed, names) | typed_kana_keys(typed, names)
