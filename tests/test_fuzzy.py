"""The fuzzy shortlist (``recsys.query.fuzzy``) against a full scan: its bound is never under
the real score (and is the score where it says it knows it), and the seed lookup and the
search box answer exactly as scoring every title did, on generated titles and the queries
people type for them (typos, a missing word, case, punctuation, accents, the first words of a
long title, a word being typed, titles that match nothing). Fixed seeds; a few seconds."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz import process

from recsys.query.fuzzy import Shortlist, title_score
from recsys.query.titlekeys import normalise, seed_form
from recsys.query.titlepick import TitleEntry
from recsys.query.titles import MIN_SCORE, TIE_MARGIN, TitleIndex
from tests.support.titles import full_scan_resolve, outcome, queries, titles

TITLES = 1500


@pytest.fixture(scope="module")
def catalog() -> list[TitleEntry]:
    """Generated titles by 300 artists, with repeats: a title a few artists share, and
    versions of one song."""
    rng = random.Random(5)
    names = titles(TITLES, seed=3)
    return [TitleEntry(f"t{i:05d}", t, f"Artist {rng.randrange(300)}") for i, t in enumerate(names)]


@pytest.fixture(scope="module")
def typed(catalog) -> list[tuple[str, str]]:
    """The queries: generated ones, and the cases named in the task written out."""
    long_title = next(e.title for e in catalog if len(e.title.split()) >= 8)
    written = [
        ("typo", "Ocean Breth"), ("case", "OCEAN breath!!"), ("accents", "Cafe Noir"), ("accents", "Café Nöir"),
        ("missing", "Symphony No. 5 in C Minor"), ("prefix", " ".join(long_title.split()[:3])),
        ("none", "t0012345"), ("none", "3f2a9c1b7e5d"), ("none", "zqxjkv wvqz"), ("short", "i"), ("short", "lo"),
    ]
    return written + queries([e.title for e in catalog], 260, seed=4)


def test_the_bound_is_never_under_the_score_and_exact_where_known(catalog, typed) -> None:
    norm = [normalise(e.title) for e in catalog]
    shortlist = Shortlist(norm)
    assert shortlist.indexed
    pruned = []
    for _, query in typed[:150]:
        q = normalise(query)
        found = shortlist._bounds(q)
        if found is None:
            continue
        bound, known = found
        real = np.array([title_score(q, s) for s in norm])
        under = np.flatnonzero(real > bound)
        assert not len(under), (q, norm[under[0]], real[under[0]], bound[under[0]])
        wrong = np.flatnonzero(known & (real != bound))
        assert not len(wrong), (q, norm[wrong[0]], real[wrong[0]], bound[wrong[0]])
        pruned.append(np.mean(bound < MIN_SCORE - TIE_MARGIN))
    assert len(pruned) > 140 and np.mean(pruned) > 0.5  # and it leaves most titles out


def test_seed_titles_resolve_as_a_full_scan(catalog, typed) -> None:
    """Found, ambiguous (the same songs listed in the same order) or not found (naming the
    same closest songs): every query answers as scoring every title did."""
    index = TitleIndex(catalog)
    norm = [seed_form(e.title) for e in catalog]  # as the index reads them
    kinds = set()
    for kind, query in typed:
        got = outcome(lambda: index.resolve(query))
        want = outcome(lambda: full_scan_resolve(catalog, norm, query))
        assert got == want, (kind, query)
        kinds.add(got[0])
    assert kinds == {"found", "ambiguous", "not found"}


def test_the_ranking_is_extracts_and_the_hint_budget_bounds_it(catalog, typed) -> None:
    norm = [normalise(e.title) for e in catalog]
    shortlist = Shortlist(norm)
    for _, query in typed[::4]:
        q = normalise(query)
        want = [(i, s) for _, s, i in process.extract(q, dict(enumerate(norm)), scorer=title_score, limit=None,
                                                      score_cutoff=70)]
        assert list(shortlist.ranked(q, floor=70)) == want, q
        assert shortlist.top(q, 20, 70) == want[:20]
        assert shortlist.containing(q) == [i for i, s in enumerate(norm) if q in s]
        hint = list(shortlist.ranked(q, budget=50))
        assert len(hint) <= 50 + 2048 and {i for i, _ in hint} <= set(range(len(norm)))


def test_the_search_box_ranks_as_a_full_scan(catalog, typed) -> None:
    pytest.importorskip("fastapi")
    from serve.routes_query import SEARCH_CUTOFF, rank_in_memory
    from serve.state import SearchTitles

    titles_ = [normalise(e.title) for e in catalog]
    choices = [normalise(f"{e.title} {e.artist}") for e in catalog]
    found = SearchTitles(catalog, Shortlist(titles_), Shortlist(choices))
    for _, query in typed[::2]:
        want = normalise(query)
        scored: dict[int, float] = {}  # serve.routes_query's loop before the shortlist
        for choice_set in (dict(enumerate(titles_)), dict(enumerate(choices))):
            for _, score, i in process.extract(want, choice_set, scorer=title_score, limit=20,
                                               score_cutoff=SEARCH_CUTOFF):
                scored[i] = max(scored.get(i, 0.0), score)
        for i, title in enumerate(titles_):
            if want and want in title:
                scored[i] = max(scored.get(i, 0.0), 100.0 if title.startswith(want) else 97.0)
        full = sorted(scored.items(), key=lambda kv: (-kv[1], catalog[kv[0]].title, catalog[kv[0]].track_id))[:10]
        assert rank_in_memory(found, want, 10) == full, want
    assert [i for i, _ in rank_in_memory(found, "", 5)] == sorted(
        range(len(catalog)), key=lambda i: (titles_[i], catalog[i].track_id))[:5]
