"""A clean edit's starred title read back: "B***h, Don't Kill My Vibe" is the clean copy of
"Bitch, Don't Kill My Vibe", and one song to the results' dedup (``titlekeys.base_title``).

Stores and radio edits star the middle of a swear word ("B***h", "F**k", "Sh*t", "N****s"): the
first letter and the length stay, and so, mostly, does the last letter. A starred word is
read as the one word of this short list with its first letter and length (and its last
letter where it shows one, and every letter the stars leave); a starred word that fits none,
or several, stays as written."""

from __future__ import annotations

import re

#: the words stores star in a clean edit's title (hip-hop's titles: what Apple Music's,
#: Amazon's and Spotify's clean copies show starred), lower case
CENSORED_WORDS = (
    "ass", "bitch", "bitches", "damn", "dick", "fuck", "fucked", "fuckin", "fucking", "hoe", "hoes",
    "motherfucker", "motherfuckers", "nigga", "niggas", "pussy", "shit", "shits", "shittin",
)
_BY_LENGTH: dict[int, tuple[str, ...]] = {}
for _word in CENSORED_WORDS:
    _BY_LENGTH[len(_word)] = (*_BY_LENGTH.get(len(_word), ()), _word)

#: a word with at least one star after its first letter: "B***h", "F**k", "Sh*t", "N****s"
_STARRED = re.compile(r"\b([A-Za-z][A-Za-z*]*\*[A-Za-z*]*)")


def _read_back(match: re.Match[str]) -> str:
    starred = match.group(1)
    fits = [w for w in _BY_LENGTH.get(len(starred), ())
            if all(s == "*" or s.lower() == c for s, c in zip(starred, w))]
    return _cased(fits[0], starred) if len(fits) == 1 else starred


def _cased(word: str, like: str) -> str:
    return word.upper() if like[0].isupper() and like[1:].replace("*", "").isupper() else (
        word.capitalize() if like[0].isupper() else word)


#: the words of CENSORED_WORDS that a title writes out only as the swear word it is: Future's
#: "Fuck Up Some Commas", T.I.'s "Big Shit Poppin" (not "Damn", "Dick", "Ass", "Hoe", "Pussy":
#: "Moby Dick", "Kick Ass", "Hoe Down", "Pussy Cat" are titles too)
SPELLED_OUT = frozenset({
    "bitch", "bitches", "fuck", "fucked", "fuckin", "fucking", "motherfucker", "motherfuckers", "nigga", "niggas",
    "shit", "shits", "shittin",
})


#: one of SPELLED_OUT as a whole word (no ASCII letter either side), in any ASCII case: one
#: scan of the title in C, where splitting every title into words took twice as long
_SPELLED = re.compile(
    r"(?<![A-Za-z])(?:" + "|".join(sorted(SPELLED_OUT, key=len, reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE | re.ASCII,
)


def spelled_out(title: str) -> bool:
    """Whether ``title`` writes a swear word out (SPELLED_OUT, any case): the explicit copy's
    title, of which the clean copy stars it ("Bitch, Don't Kill My Vibe"; "B***h")."""
    return _SPELLED.search(title) is not None


def uncensored(title: str) -> str:
    """``title`` with each starred swear word written out: "B***h, Don't Kill My Vibe" ->
    "Bitch, Don't Kill My Vibe"; a title without a star is returned as it is."""
    return _STARRED.sub(_read_back, title) if "*" in title else title
