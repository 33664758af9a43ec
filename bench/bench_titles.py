"""Fuzzy titles at scale: the seed lookup and the search box's in-memory ranking, before (every
title scored by ``rapidfuzz.process.extract`` with ``title_score``, as the code did) and after
(``recsys.query.fuzzy.Shortlist``), on generated titles and the queries people type for them
(tests/support/titles.py), in process: the CPU time of this code alone, no HTTP, no store.

    .venv/bin/python bench/bench_titles.py --titles 100000 --queries 130

Per kind of query: CPU milliseconds per query (p50, p95, max; ``time.thread_time``), before
and after, and whether every answer is the same (the resolved track, the ambiguous songs
listed, or the not-found message with its closest titles; the search box's results).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np
from rapidfuzz import process

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recsys.query.fuzzy import Shortlist, title_score  # noqa: E402
from recsys.query.titlekeys import normalise  # noqa: E402
from recsys.query.titlepick import TitleEntry  # noqa: E402
from recsys.query.titles import TitleIndex  # noqa: E402
from tests.support.titles import full_scan_resolve, outcome, queries, titles  # noqa: E402

SEARCH_CUTOFF, LIMIT = 70.0, 10


def full_search(entries: list[TitleEntry], titles_: list[str], choices: list[str], want: str) -> list:
    """serve.routes_query's in-memory ranking before the shortlist."""
    scored: dict[int, float] = {}
    for choice_set in (dict(enumerate(titles_)), dict(enumerate(choices))):
        for _, score, i in process.extract(want, choice_set, scorer=title_score, limit=LIMIT * 2,
                                           score_cutoff=SEARCH_CUTOFF):
            scored[i] = max(scored.get(i, 0.0), score)
    for i, title in enumerate(titles_):
        if want in title:
            scored[i] = max(scored.get(i, 0.0), 100.0 if title.startswith(want) else 97.0)
    return sorted(scored.items(), key=lambda kv: (-kv[1], entries[kv[0]].title, entries[kv[0]].track_id))[:LIMIT]


def timed(run):
    start = time.thread_time()
    result = run()
    return result, (time.thread_time() - start) * 1000


def stats(ms: list[float]) -> str:
    a = np.array(ms)
    return f"{np.median(a):.1f} / {np.percentile(a, 95):.1f} / {a.max():.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--titles", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=130)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--no-before", action="store_true", help="only the shortlist (no full scans to compare)")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    names = titles(args.titles, seed=args.seed)
    entries = [TitleEntry(f"t{i:07d}", t, f"Artist {rng.randrange(max(1, args.titles // 10))}")
               for i, t in enumerate(names)]
    index = TitleIndex(entries)
    norm = index._norm
    (_, built) = timed(index.shortlist)
    choices = [normalise(f"{e.title} {e.artist}") for e in entries]
    by_choice, built_choices = timed(lambda: Shortlist(choices))
    print(f"{args.titles:,} titles; shortlists built in {built:.0f} ms (titles) and {built_choices:.0f} ms "
          f"(\"title artist\") of CPU")

    from serve.routes_query import rank_in_memory
    from serve.state import SearchTitles

    found = SearchTitles(entries, index.shortlist(), by_choice)
    typed = queries(names, args.queries, seed=args.seed + 1)
    rows: dict[str, dict[str, list]] = {}
    for kind, query in typed:
        row = rows.setdefault(kind, {"before": [], "after": [], "same": [], "s_before": [], "s_after": [], "s_same": []})
        got, ms = timed(lambda: outcome(lambda: index.resolve(query)))
        row["after"].append(ms)
        want = normalise(query)
        ranked, ms = timed(lambda: rank_in_memory(found, want, LIMIT))
        row["s_after"].append(ms)
        if not args.no_before:
            ref, ms = timed(lambda: outcome(lambda: full_scan_resolve(entries, norm, query)))
            row["before"].append(ms)
            row["same"].append(got == ref)
            if want:
                ref_s, ms = timed(lambda: full_search(entries, norm, choices, want))
                row["s_before"].append(ms)
                row["s_same"].append(ranked == ref_s)
    print()
    print("| query | n | seed lookup before, ms CPU p50 / p95 / max | after | same | search box before | after | same |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = {"before": [], "after": [], "s_before": [], "s_after": [], "same": [], "s_same": []}
    for kind in sorted(rows):
        r = rows[kind]
        for key in total:
            total[key] += r[key]
        before = stats(r["before"]) if r["before"] else "-"
        s_before = stats(r["s_before"]) if r["s_before"] else "-"
        print(f"| {kind} | {len(r['after'])} | {before} | {stats(r['after'])} | {sum(r['same'])}/{len(r['same'])} "
              f"| {s_before} | {stats(r['s_after'])} | {sum(r['s_same'])}/{len(r['s_same'])} |")
    before = stats(total["before"]) if total["before"] else "-"
    s_before = stats(total["s_before"]) if total["s_before"] else "-"
    print(f"| all | {len(total['after'])} | {before} | {stats(total['after'])} | {sum(total['same'])}/{len(total['same'])} "
          f"| {s_before} | {stats(total['s_after'])} | {sum(total['s_same'])}/{len(total['s_same'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
