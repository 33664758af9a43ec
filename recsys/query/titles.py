"""Title matching: the track meant by a typed title, and which tracks are versions of one song."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from recsys.errors import NotFoundError, RecsysError

# Suffixes that mark another version of the same recording: "(Live)", "[Remastered 2011]",
# " - Radio Edit", "(feat. X)". Stripped to compare versions.
_BRACKETED = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_DASH_SUFFIX = re.compile(
    r"\s+-\s+.*\b(live|remaster(ed)?|edit|version|mix|remix|mono|stereo|demo|acoustic|"
    r"instrumental|deluxe|single|bonus|take|session|unplugged)\b.*$",
    re.IGNORECASE,
)
_PUNCT = re.compile(r"[^\w\s]")


def title_score(query: str, title: str, **_: object) -> float:
    """WRatio, except that a title much shorter than the query must match as a whole: WRatio's
    partial matching would otherwise let "shadi" find the one-letter title "i"."""
    if len(title) < 0.6 * len(query):
        return fuzz.ratio(query, title)
    return fuzz.WRatio(query, title)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def base_title(title: str) -> str:
    """The title without version markers: "Song (Live) - Remastered 2011" -> "song"."""
    stripped = _DASH_SUFFIX.sub("", _BRACKETED.sub("", title))
    return normalise(stripped) or normalise(title)


def version_key(title: str, artist: str) -> tuple[str, str]:
    """Two tracks with the same key are versions of one song by one artist."""
    return base_title(title), normalise(artist)


@dataclass(frozen=True)
class TitleEntry:
    track_id: str
    title: str
    artist: str


class AmbiguousTitleError(RecsysError):
    def __init__(self, query: str, candidates: Sequence[TitleEntry]):
        listed = "; ".join(f'"{c.title}" by {c.artist}' for c in candidates[:6])
        super().__init__(
            f'"{query}" matches several tracks: {listed}. Add --artist to choose one.'
        )
        self.candidates = list(candidates)


class TitleIndex:
    """Fuzzy title lookup over a collection's (track_id, title, artist) payloads."""

    def __init__(self, entries: Iterable[TitleEntry]):
        self.entries = list(entries)
        self._norm = [normalise(e.title) for e in self.entries]

    def resolve(self, query: str, artist: str | None = None, min_score: float = 80.0) -> TitleEntry:
        """The track meant by ``query``: an exact (normalised) title first, else the best
        fuzzy match. Several distinct songs that match equally well raise
        AmbiguousTitleError; nothing close raises NotFoundError with the nearest titles."""
        pool = list(range(len(self.entries)))
        if artist:
            want = normalise(artist)
            pool = [i for i in pool if normalise(self.entries[i].artist) == want] or [
                i
                for i in pool
                if fuzz.WRatio(want, normalise(self.entries[i].artist)) >= min_score
            ]
            if not pool:
                raise NotFoundError(f'no track by an artist named "{artist}"')
        q = normalise(query)
        exact = [i for i in pool if self._norm[i] == q]
        if exact:
            return self._pick(query, exact)
        choices = {i: self._norm[i] for i in pool}
        scored = process.extract(q, choices, scorer=title_score, limit=None)
        scored = [(c, s, i) for c, s, i in scored]
        if not scored or scored[0][1] < min_score:
            near = process.extract(q, choices, scorer=title_score, limit=5)
            names = ", ".join(f'"{self.entries[i].title}" ({self.entries[i].artist})' for _, _, i in near)
            raise NotFoundError(
                f'no track titled "{query}"' + (f"; closest: {names}" if names else "")
            )
        best = scored[0][1]
        top = [i for _, s, i in scored if s >= best - 1e-9]
        return self._pick(query, top)

    def _pick(self, query: str, idxs: list[int]) -> TitleEntry:
        """Among equally good matches, one song (one version key) is fine: prefer the plain
        version. Several songs are ambiguous."""
        entries = [self.entries[i] for i in idxs]
        keys = {version_key(e.title, e.artist) for e in entries}
        if len(keys) > 1:
            raise AmbiguousTitleError(query, entries)
        return min(entries, key=lambda e: (len(e.title), e.track_id))
