"""Synthetic song titles, and the titles people type for them: for the fuzzy shortlist's
tests (tests/test_fuzzy.py) and its benchmark (bench/bench_titles.py).

The titles mix what a music collection holds: common English words (Zipf-like), invented
words, one-word titles shared by many songs, versions ("(Live)", " - Remastered 2011",
"(feat. ...)"), accents, apostrophes, numbers, long classical titles, a few in other scripts.
The queries come from them as a user types them: the exact title in other case and
punctuation, typos, a missing or an extra word, words swapped, accents dropped, the first
words of a long title, a word being typed, and queries that match nothing (invented words,
track ids, hex strings)."""

from __future__ import annotations

import random
from typing import Callable

from rapidfuzz import process

from recsys.errors import NotFoundError
from recsys.query.fuzzy import title_score
from recsys.query.titlekeys import seed_form, version_key
from recsys.query.titlepick import AmbiguousTitleError, TitleEntry, pick
from recsys.query.titles import MIN_SCORE, TIE_MARGIN
from recsys.text import described

COMMON = (
    "love night heart i you me the a of in my your baby time day life world home back away down "
    "fire rain blue gold city road dream light river storm sky wild summer winter shadow dance "
    "ghost glass moon sun star electric silver broken paper young lonely golden secret midnight "
    "ocean desert garden velvet neon thunder echo empty sweet never forever tonight again "
    "heaven angel devil crazy good bad little big girl boy man woman song blues waltz"
).split()
SYLLABLES = "ka lo mi ra ven tor sel da nu ri pho zan bel qua stra mor lin gur fey dro ta ne vi so".split()
ACCENTS = {"e": "éèê", "a": "áàä", "o": "óöø", "u": "üú", "n": "ñ", "c": "ç", "i": "íï"}
FOREIGN = ("Ночь и день", "Звезда", "夜の光", "東京", "Αγάπη μου", "Καλημέρα", "حبيبي", "Ölüm ve aşk")
VERSIONS = (" (Live)", " - Remastered 2011", " (feat. {name})", " [Radio Edit]", " (Acoustic)", " - Demo")


def _word(rng: random.Random) -> str:
    if rng.random() < 0.6:
        # Zipf-like: the first words far more often
        return COMMON[min(int(rng.paretovariate(1.1)) - 1, len(COMMON) - 1)]
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _accented(text: str, rng: random.Random) -> str:
    return "".join(rng.choice(ACCENTS[c]) if c in ACCENTS and rng.random() < 0.3 else c for c in text)


def title(rng: random.Random) -> str:
    """One song title."""
    kind = rng.random()
    if kind < 0.03:
        return rng.choice(FOREIGN)
    if kind < 0.08:  # a long classical title
        key = rng.choice("ABCDEFG") + rng.choice(("", " flat", " sharp"))
        return (f"{rng.choice(('Symphony', 'Concerto', 'Sonata', 'Nocturne'))} No. {rng.randint(1, 30)} in {key} "
                f"{rng.choice(('Major', 'Minor'))}, Op. {rng.randint(1, 130)}: {rng.choice(('I.', 'II.', 'III.'))} "
                f"{rng.choice(('Allegro con brio', 'Andante cantabile', 'Adagio', 'Presto agitato'))}")
    if kind < 0.12:  # a one-word title many songs share
        text = rng.choice(COMMON[:40]).title()
    else:
        n = rng.choices((1, 2, 3, 4, 5, 6, 8), weights=(10, 30, 25, 15, 8, 5, 2))[0]
        words = [_word(rng) for _ in range(n)]
        if rng.random() < 0.08:
            words.insert(rng.randrange(len(words) + 1), rng.choice(("don't", "i'm", "it's", "rock'n'roll")))
        if rng.random() < 0.08:
            words.append(str(rng.randint(1, 2024)))
        text = " ".join(w.title() if rng.random() < 0.8 else w for w in words)
    if rng.random() < 0.15:
        text = _accented(text, rng)
    if rng.random() < 0.1:
        text += rng.choice(VERSIONS).format(name=_word(rng).title())
    if rng.random() < 0.05:
        text += rng.choice(("!", "?", "...", " (Part 2)"))
    return text


def titles(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [title(rng) for _ in range(n)]


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 2:
        return text + rng.choice("aeiou")
    i = rng.randrange(len(text))
    op = rng.random()
    if op < 0.3:
        return text[:i] + text[i + 1:]
    if op < 0.6:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1:]
    if op < 0.85:
        return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i:]
    j = min(i + 1, len(text) - 1)
    return text[:i] + text[j] + text[i] + text[j + 1:] if j > i else text


def unknown(rng: random.Random) -> str:
    """A query that names no title: invented words, a track id, a hex string."""
    kind = rng.random()
    if kind < 0.3:
        return f"t{rng.randint(0, 9_999_999):07d}"
    if kind < 0.5:
        return "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice((8, 12, 32))))
    if kind < 0.7:
        return "zq" + "".join(rng.choice("xqzjkvw") for _ in range(rng.randint(3, 9)))
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(1, 4)))


def query(catalog: list[str], rng: random.Random) -> tuple[str, str]:
    """(kind, text): a query typed for a title of ``catalog``, or matching none."""
    t = rng.choice(catalog)
    words = t.split()
    kind = rng.choice(("exact", "case", "typo", "typo2", "missing", "extra", "swap", "plain", "prefix", "typing",
                       "short", "unknown", "unknown", "two"))
    if kind == "exact":
        return kind, t
    if kind == "case":
        return kind, "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in t).replace("'", "") + "!"
    if kind == "typo":
        return kind, _typo(t, rng)
    if kind == "typo2":
        return kind, _typo(_typo(t, rng), rng)
    if kind == "missing" and len(words) >= 3:
        del words[rng.randrange(len(words))]
        return kind, " ".join(words)
    if kind == "extra":
        return kind, f"{t} {_word(rng)}"
    if kind == "swap" and len(words) >= 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        return kind, " ".join(words)
    if kind == "plain":
        import unicodedata

        return kind, "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    if kind == "prefix" and len(words) >= 4:
        return kind, " ".join(words[: rng.randint(2, len(words) - 1)])
    if kind == "typing":
        return kind, t[: rng.randint(1, max(1, len(t) - 1))]
    if kind == "short":
        return kind, "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randint(1, 3))).strip() or "x"
    if kind == "two":
        return kind, f"{rng.choice(catalog).split()[0]} {rng.choice(catalog).split()[-1]}"
    return "unknown", unknown(rng)


def queries(catalog: list[str], n: int, seed: int = 1) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [query(catalog, rng) for _ in range(n)]


def full_scan_resolve(entries: list[TitleEntry], norm: list[str], query: str) -> TitleEntry:
    """``TitleIndex.resolve`` (no artist) as it was before the shortlist: every title scored by
    ``process.extract``. The reference the shortlist's answers are compared with; titles and
    the query in the index's form (``seed_form``: Cyrillic and Greek read in Latin letters)."""
    q = seed_form(query)
    exact = [i for i in range(len(norm)) if norm[i] == q]
    if exact:
        return pick(query, [entries[i] for i in exact])
    scored = process.extract(q, dict(enumerate(norm)), scorer=title_score, limit=None)
    if not scored or scored[0][1] < MIN_SCORE:
        near, seen = [], set()
        for _, _, i in scored:
            key = version_key(entries[i].title, entries[i].artist)
            if key not in seen:
                seen.add(key)
                near.append(entries[i])
            if len(near) == 3:
                break
        names = ", ".join(described(e.title, e.artist) for e in near)
        raise NotFoundError(f"no track matches '{query}'" + (f"; closest: {names}" if names else ""))
    best = scored[0][1]
    return pick(query, [entries[i] for _, s, i in scored if s >= best - TIE_MARGIN])


def outcome(run: Callable[[], TitleEntry]) -> tuple[str, str]:
    """What a lookup answered, comparable between two ways of answering it."""
    try:
        return "found", run().track_id
    except AmbiguousTitleError as exc:
        return "ambiguous", str(exc)
    except NotFoundError as exc:
        return "not found", str(exc)
