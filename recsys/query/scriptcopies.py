"""A song's copy titled in another script among a query's hits: lib25's DDT radio seeded "Что
такое осень" and listed a download's "Chto takoye osen'", lib31's "Υπάρχω" listed "Yparho".

Their song keys differ where the transliteration (``recsys.translit``) spells the title
otherwise than its typist did ("chto takoe osen'"), so the ``Picker``'s keys take the copy for
another song. One joined artist's two titles, the Latin one a reading of the other
(``samesongs.reads_alike``), are one song: the seed lookup joins them so (``titlepick.song_roots``),
and so does the dedup here. The readings are loose, so they are asked only of one artist's
titles, and only of a hit whose artist has a seed or a taken result titled in the other script:
most hits cost one dict lookup."""

from __future__ import annotations

from functools import lru_cache

from recsys.labels import script_of
from recsys.query.samesongs import reads_alike
from recsys.query.titlekeys import base_title


@lru_cache(maxsize=1 << 16)
def _read_form(title: str) -> tuple[str, str]:
    """A title's base title (``base_title``: "Что такое осень (Live)" is "что такое осень") and
    its script (``labels.script_of``: "latin", "other", or "" for a mix or no letter).
    Remembered: an artist's hits recur in every list that seeds it."""
    base = base_title(title)
    return base, script_of(base)


@lru_cache(maxsize=1 << 16)
def _reads_alike(latin: str, other: str) -> bool:
    """``samesongs.reads_alike``, remembered: one seed's artist's titles meet again in every
    list it seeds (uncached, the picker took 10 us more a recommend in lib25's and lib31's
    bilingual artists, 31 -> 41 us; cached, 4-6 us more: `/tmp/seedcopies-pick.py`)."""
    return reads_alike(latin, other)


class ScriptTitles:
    """The titles of the seeds and of the results taken so far, by artist key (the ``Picker``'s:
    the primary artist by the name the library joined it under, ``versions.identity``)."""

    def __init__(self, by_artist: dict[str, list[str]] | None = None):
        self.by_artist: dict[str, list[str]] = by_artist if by_artist is not None else {}

    def copy(self) -> ScriptTitles:
        return ScriptTitles({artist: list(titles) for artist, titles in self.by_artist.items()})

    def add(self, artist: str, title: str) -> None:
        if artist and not artist.startswith("\0"):  # an artist-less track is nobody's: no copy of another
            self.by_artist.setdefault(artist, []).append(title)

    def reads_as_one(self, artist: str, title: str) -> bool:
        """Whether ``title`` by ``artist`` reads as one of its titles here written in the other
        script (the Latin one a reading of the Cyrillic, Greek or abjad one)."""
        titles = self.by_artist.get(artist)
        if not titles:
            return False
        base, script = _read_form(title)
        if not script:
            return False
        for other in titles:
            other_base, other_script = _read_form(other)
            if other_script and other_script != script and (
                    _reads_alike(base, other_base) if script == "latin" else _reads_alike(other_base, base)):
                return True
        return False
