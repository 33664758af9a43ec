"""Title matching: the track meant by a typed title, and which tracks are versions of one song."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process

from recsys.catalog.model import normalise_title
from recsys.errors import NotFoundError, RecsysError
from recsys.text import described

# Suffixes that mark another version of the same recording: "(Live)", "[Remastered 2011]",
# " - Radio Edit", "(feat. X)". Stripped to compare versions.
_BRACKETED = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_DASH_SUFFIX = re.compile(
    r"\s+-\s+.*\b(live|remaster(ed)?|edit|version|mix|remix|mono|stereo|demo|acoustic|"
    r"instrumental|deluxe|single|bonus|take|session|unplugged)\b.*$",
    re.IGNORECASE,
)


def title_score(query: str, title: str, **_: object) -> float:
    """WRatio, except that a title much shorter than the query must match as a whole: WRatio's
    partial matching would otherwise let "shadi" find the one-letter title "i"."""
    if len(title) < 0.6 * len(query):
        return fuzz.ratio(query, title)
    if len(query) >= 3 and title.startswith(query + " "):
        # the title's first words: WRatio scores a part of a much longer string down (x0.6 from
        # 8 times the length), so "a very long title" missed the title that begins with it
        return max(90.0, fuzz.WRatio(query, title))
    score = fuzz.WRatio(query, title)
    if score >= 80.0 and not set(query.split()) <= set(title.split()):
        score = min(score, _without_one_shared_word(query, title))
    return score


def _without_one_shared_word(query: str, title: str) -> float:
    """WRatio without its partial token set ratio, which scores 100 (x0.9 x0.95 = 85.5, a
    match) for any one word two strings share: the typo "knols of doldsh" matched "Call of
    the Winding Path" and "Nature of Natives" by their "of" as well as "The Knolls of
    Doldesh", and was called ambiguous. Used where the query has a word the title lacks."""
    short, long_ = sorted((len(query), len(title)))
    if not short:
        return 0.0
    ratio = fuzz.ratio(query, title)
    if long_ / short < 1.5:
        return max(ratio, 0.95 * fuzz.token_sort_ratio(query, title), 0.95 * fuzz.token_set_ratio(query, title))
    scale = 0.9 if long_ / short < 8 else 0.6
    return max(ratio, scale * fuzz.partial_ratio(query, title), 0.95 * scale * fuzz.partial_token_sort_ratio(query, title))


#: lowercased, accents and punctuation dropped: what exact title matching compares (the
#: payload's ``title_norm`` holds it, written at ingest)
normalise = normalise_title


def base_title(title: str) -> str:
    """The title without version markers: "Song (Live) - Remastered 2011" -> "song"."""
    stripped = _DASH_SUFFIX.sub("", _BRACKETED.sub("", title))
    return normalise(stripped) or normalise(title)


@lru_cache(maxsize=1 << 17)
def version_key(title: str, artist: str) -> tuple[str, str]:
    """Two tracks with the same key are versions of one song by one artist. Remembered: the
    dedup of every query asks it for each hit, and a served collection's hits recur. Room
    for a whole 100k collection, as the server's payload cache (with 65,536, a quarter of a
    recommend's keys were computed anew: 0.74 ms a recommend in process against 0.70-0.71)."""
    return base_title(title), normalise(artist)


@dataclass(frozen=True)
class TitleEntry:
    track_id: str
    title: str
    artist: str
    audio_path: str | None = None  # as stored in the payload (absolute, or as the catalog was read)


class AmbiguousTitleError(RecsysError):
    def __init__(self, query: str, candidates: Sequence[TitleEntry]):
        # one line per song (copies of one song would read as the same choice twice), each with
        # a track id: the one way to name a song whose title and artist another shares
        songs: dict[tuple[str, str], TitleEntry] = {}
        for c in candidates:
            songs.setdefault(version_key(c.title, c.artist), c)
        listed = "; ".join(f"{described(c.title, c.artist)} [{c.track_id}]" for c in list(songs.values())[:6])
        super().__init__(
            f'"{query}" matches several tracks: {listed}. Add --artist to choose one, or give a track id.'
        )
        self.candidates = list(candidates)


#: A fuzzy title match must score this much (rapidfuzz WRatio, 0-100): 85 takes a typo
#: ("Ocean Breth") or a leading part of a title ("Ocean" for "Ocean Breath") and leaves out
#: titles that only share a few letters ("Hello" vs "Highway to Hell" scores 80).
MIN_SCORE = 85.0
#: Fuzzy matches within this many points of the best are as good as the best.
TIE_MARGIN = 0.5


class TitleIndex:
    """Seed lookup over a collection's (track_id, title, artist, audio file) payloads:
    exact track ids, exact then fuzzy titles, an artist's tracks."""

    def __init__(self, entries: Iterable[TitleEntry]):
        self.entries = list(entries)
        self._norm = [normalise(e.title) for e in self.entries]
        self._ids = {e.track_id: e for e in self.entries}

    def by_id(self, track_id: str) -> TitleEntry | None:
        """The track with exactly this id, if any."""
        return self._ids.get(track_id)

    def _artist_pool(self, artist: str, min_score: float = 80.0) -> list[int]:
        """Indices of the tracks by ``artist``: the exact (normalised) name, else names close
        to it; NotFoundError naming the closest artists when there are none."""
        want = normalise(artist)
        names = [normalise(e.artist) for e in self.entries]
        pool = [i for i, n in enumerate(names) if n == want]
        if pool:
            return pool
        pool = [i for i, n in enumerate(names) if fuzz.WRatio(want, n) >= min_score]
        if pool:
            return pool
        distinct = {n: self.entries[i].artist for i, n in enumerate(names)}
        near = process.extract(want, list(distinct), scorer=fuzz.WRatio, limit=3)
        listed = ", ".join(f'"{distinct[n]}"' for n, _, _ in near)
        raise NotFoundError(f"no artist matches '{artist}'" + (f"; closest: {listed}" if listed else ""))

    def artist_tracks(self, artist: str, limit: int = 10) -> list[TitleEntry]:
        """Up to ``limit`` songs by ``artist`` (one version of each, the plain one), in title
        order: the seeds of an artist radio."""
        songs: dict[tuple[str, str], TitleEntry] = {}
        for i in self._artist_pool(artist):
            e = self.entries[i]
            key = version_key(e.title, e.artist)
            if key not in songs or (len(e.title), e.track_id) < (len(songs[key].title), songs[key].track_id):
                songs[key] = e
        return sorted(songs.values(), key=lambda e: (normalise(e.title), e.track_id))[:limit]

    def resolve(self, query: str, artist: str | None = None, min_score: float = MIN_SCORE) -> TitleEntry:
        """The track meant by ``query``: an exact (normalised) title first, else the best
        fuzzy match. Several distinct songs that match (about) equally well raise
        AmbiguousTitleError; nothing close enough raises NotFoundError with the closest."""
        pool = self._artist_pool(artist) if artist else list(range(len(self.entries)))
        q = normalise(query)
        exact = [i for i in pool if self._norm[i] == q]
        if exact:
            return self._pick(query, exact)
        choices = {i: self._norm[i] for i in pool}
        scored = process.extract(q, choices, scorer=title_score, limit=None)
        if not scored or scored[0][1] < min_score:
            near = []  # the closest few, one per song
            seen: set[tuple[str, str]] = set()
            for _, _, i in scored:
                key = version_key(self.entries[i].title, self.entries[i].artist)
                if key not in seen:
                    seen.add(key)
                    near.append(self.entries[i])
                if len(near) == 3:
                    break
            names = ", ".join(described(e.title, e.artist) for e in near)
            by = f" by {artist}" if artist else ""
            raise NotFoundError(f"no track{by} matches '{query}'" + (f"; closest: {names}" if names else ""))
        best = scored[0][1]
        top = [i for _, s, i in scored if s >= best - TIE_MARGIN]
        return self._pick(query, top)

    def _pick(self, query: str, idxs: list[int]) -> TitleEntry:
        return pick(query, [self.entries[i] for i in idxs])


def pick(query: str, entries: Sequence[TitleEntry]) -> TitleEntry:
    """Among equally good matches, one song (one version key) is fine: prefer the plain
    version. Several songs are ambiguous."""
    keys = {version_key(e.title, e.artist) for e in entries}
    if len(keys) > 1:
        raise AmbiguousTitleError(query, entries)
    return min(entries, key=lambda e: (len(e.title), e.track_id))
