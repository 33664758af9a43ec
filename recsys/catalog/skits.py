"""A hip-hop or R&B album's skits: the short spoken pieces between its songs, marked in their titles.

An album or a mixtape carries them ("Workout Plan (Skit)", "School Spirit Skit 1", "Lil Jimmy
Skit", the DJ's "Skit", "Skit: Billboard Music Awards Speech"): a phone call, a scene acted out,
a DJ's shout. As songs they sat in every song's radio beside their album's tracks (lib12: four in
the top 20 of "We Don't Care"), which a listener calls wrong. A track is a skit, and so spoken word
(``spokenword.kind_of``), on its title's mark alone, its genre (the album's "Hip-Hop") whatever
it is:

- the title, or a part of it, is the word with at most a number: "Skit", "Skit #2", "Skit 2",
  "Skit II", "Skit Pt. 2";
- a part ends with the word after a few words that name the scene: "Lil Jimmy Skit", "(Phone
  Call Skit)", "School Spirit Skit 1".

A part is the title without its brackets, each bracketed part ("Radical (Skit)", "[Skit]"), and
each side of a spaced dash or a colon ("Phone Call - Skit", "Skit: Mom"). Only a whole word
counts and only as the part's last ("Skit Skat", "Skitzo", "Skit Song", "(Skit Version)" are
songs), and not after a joining word ("Song / Skit", "Song (Includes Skit)", "Song and Skit": a
song with a skit in its file is a song first). A pairing word ("and", "&", "+") joins a song and
its skit only right before the word: between two names it is the scene's ("Mom and Dad Skit"). The word is the English one, which rap albums
write in every language (French, German, Spanish and Korean ones alike), and its Japanese and
Korean spellings ("スキット", "스킷"); not "Sketch" (a song's "(Sketch)" is its demo), not the
Russian "Скит" (a hermitage too), nor "Intro", "Interlude", "Outro": those are mostly music.

Where the record knows its length (``TrackRecord.seconds``: the file's header, a cue sheet's
span), a skit is short: one over ``MAX_SKIT_SECONDS`` is music (an album's last "Outro Skit"
holding its hidden song after the silence; a mix in one file so titled).
"""

from __future__ import annotations

import re

from recsys.catalog.model import TrackRecord

#: the longest skit: a track so marked that lasts longer holds music too. Skits run 10 s to
#: 2 min; a hidden song after one runs the file to 5 min and more
MAX_SKIT_SECONDS = 240.0
#: the word in a title that marks the track a skit
SKIT_WORDS = ("skit", "スキット", "스킷")
#: at most this many words of the scene before the word ("Ol' Dirty's Phone Call Skit")
MAX_WORDS_BEFORE = 6
#: words that join a song and a skit in one title ("Song / Skit", "(with Skit)"): no mark
JOINERS = frozenset({
    "with", "w/", "/", "|", "incl", "incl.", "includes", "including", "feat", "feat.",
    "ft", "ft.", "featuring", "into", "contains", "ends",
})
#: words that pair two things: right before the word they join a song and its skit ("Song and
#: Skit", "Song + Skit"), between two names they are the scene's ("Mom and Dad Skit")
PAIRING = frozenset({"and", "&", "+", "plus", "x", "vs", "vs."})

_WORD = "|".join(SKIT_WORDS)
#: a part that is a mark: a few words (none of them the word itself), the word, a number
_MARK = re.compile(
    rf"(?:(?P<before>.*\S)\s+)?(?:{_WORD})"
    r"(?:\s*#\s*\d+|\s*\d+|\s+no\.?\s*\d+|\s+(?:pt|part)\.?\s*(?:\d+|[ivx]+)|\s+[ivx]{1,4})?"
)
_INNER_BRACKETS = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
#: "Phone Call - Skit", "Skit: Mom", "Intro : Persona" (a colon spaced after, or on both sides)
_SEPARATORS = re.compile(r"\s+[-\u2013\u2014]\s+|\s*:\s+|\s+:\s*")
#: quotes and stray marks around a part
_AROUND = " \t\"'\u201c\u201d\u2018\u2019*._~-"


def _parts(title: str) -> list[str]:
    """The title's parts: each bracketed part (innermost first), the rest without them, and
    each side of its spaced dashes and colons."""
    parts: list[str] = []
    rest = title
    while True:
        inner = _INNER_BRACKETS.findall(rest)
        if not inner:
            break
        parts.extend(inner)
        rest = _INNER_BRACKETS.sub(" ", rest)
    pieces = [rest, *parts]
    out: list[str] = []
    for piece in pieces:
        out.append(piece)
        out.extend(_SEPARATORS.split(piece))
    return [" ".join(p.split()).strip(_AROUND) for p in out]


def _is_mark(part: str) -> bool:
    match = _MARK.fullmatch(part.casefold())
    if match is None:
        return False
    words = (match["before"] or "").split()
    return len(words) <= MAX_WORDS_BEFORE and not any(w in JOINERS or w in SKIT_WORDS for w in words) \
        and not (words and words[-1] in PAIRING)


def skit_title(title: str) -> bool:
    """Whether a title marks its track a skit ("Skit", "Workout Plan (Skit)", "Lil Jimmy
    Skit", "Skit #2", "Phone Call - Skit"), not a song's that holds the word ("Skit Skat")."""
    if not any(w in title.casefold() for w in SKIT_WORDS):  # most titles: one scan
        return False
    return any(_is_mark(p) for p in _parts(title))


def is_skit(track: TrackRecord) -> bool:
    """Whether the track is a skit: its title's mark (``skit_title``), and no more than
    ``MAX_SKIT_SECONDS`` long where its record knows its length."""
    if not skit_title(track.title):
        return False
    seconds = track.seconds
    return seconds is None or seconds <= MAX_SKIT_SECONDS
