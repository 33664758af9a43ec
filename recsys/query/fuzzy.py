"""The fuzzy title score, and a shortlist that ranks titles by it without scoring every title.

``title_score`` is rapidfuzz's WRatio with two rules of ours. It is a Python callable, so
ranking a typed title against a collection called it once per title: 0.25-0.8 s of CPU at
100k titles for every fuzzy seed, and for every unknown one (the common case: a seed that
matches nothing scored every title to say so). rapidfuzz's native bulk call of WRatio was
measured no faster, and a scorer with our rules cannot be native anyway.

``Shortlist`` keeps, per title, counts from which an upper bound of ``title_score(q, title)``
follows for every title at once, in a few numpy passes: the characters (a multiset), the
pairs of adjacent characters inside a word (a multiset), the distinct words, the lengths
with and without repeated words, and the spaces. Titles are then scored exactly, with
``title_score`` itself, in decreasing order of their bound, and a title is handed out once
its score is above every bound not yet scored: the titles come out exactly as a full scan
sorts them (score descending, row ascending, as ``rapidfuzz.process.extract`` does), and the
walk stops as soon as its caller has what it needs. How each part of WRatio is bounded is
told at ``Shortlist.bounds``; ``tests/test_fuzzy.py`` checks the bound against the real score
on many generated titles and queries, and the shortlist's answers against a full scan's.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter
from itertools import chain
from typing import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz


def title_score(query: str, title: str, **_: object) -> float:
    """WRatio, except that a title much shorter than the query must match as a whole: WRatio's
    partial matching would otherwise let "shadi" find the one-letter title "i".

    ``Shortlist.bounds`` bounds this function part by part: a change here needs one there."""
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
    Doldesh", and was called ambiguous. Used where the query has a word the title lacks.
    Never above WRatio (its other parts, at the same weights): ``Shortlist``'s bound of
    WRatio bounds it too."""
    short, long_ = sorted((len(query), len(title)))
    if not short:
        return 0.0
    ratio = fuzz.ratio(query, title)
    if long_ / short < 1.5:
        return max(ratio, 0.95 * fuzz.token_sort_ratio(query, title), 0.95 * fuzz.token_set_ratio(query, title))
    scale = 0.9 if long_ / short <= 8 else 0.6  # WRatio's own cut: 0.6 only beyond 8 times
    return max(ratio, scale * fuzz.partial_ratio(query, title), 0.95 * scale * fuzz.partial_token_sort_ratio(query, title))


#: below this many titles the shortlist keeps no counts and scores every title (a few ms)
MIN_ROWS = 1000
#: characters with a column of their own (the most frequent ones); the rest share the last
#: column, which only loosens the bound (the minimum of two sums is at least the sum of the
#: minimums)
COLUMNS = 64
#: added to every bound: the real scores are computed in floating point too
_SLACK = 1e-6
#: counts are kept as uint8: exact for queries that repeat no character more than this
_MAX_COUNT = 255
#: WRatio of a title holding the query whole (partial_ratio 100), 1.5 to 8 times its length,
#: and beyond; of one as long sharing a word with it (partial_token_ratio 100) and no closer
_HOLDS_NEAR = fuzz.WRatio("ab", "xx ab yy")
_HOLDS_FAR = fuzz.WRatio("ab", "xxxxxxxxxx xxxxxxxxxx ab")
_SHARES_WORD = fuzz.WRatio("ab cd", "ab xy zw vu")


def _plain(s: str) -> bool:
    """Words separated by single spaces, as ``normalise`` writes them."""
    return " ".join(s.split()) == s


class Shortlist:
    """``title_score`` rankings over a fixed list of (normalised) strings; see the module.

    Built once per list (a few hundred ms at 100k titles) and kept with it: the owner makes a
    new one when its titles change."""

    def __init__(self, strings: Sequence[str], min_rows: int = MIN_ROWS):
        self.strings = list(strings)
        n = len(self.strings)
        # the bound counts words as str.split() does and spaces as single: the strings must be
        # normalised (titlekeys.normalise), as they are; a newline would also join two titles in
        # the substring search
        joinable = not any("\n" in s for s in self.strings)
        self.indexed = n >= min_rows and joinable and all(_plain(s) for s in self.strings)
        self._joined = "\n".join(self.strings) if joinable else None
        lengths = np.fromiter(map(len, self.strings), dtype=np.int64, count=n)
        self._starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]) if n else np.zeros(0, np.int64)
        if self.indexed:
            self._build(lengths)
        #: the last query's bounds: an unknown seed ranks twice (the decision, then the hint)
        self._last: tuple[str, tuple[np.ndarray, np.ndarray] | None] | None = None

    # -- the counts ------------------------------------------------------------------------
    def _build(self, lengths: np.ndarray) -> None:
        n = len(self.strings)
        assert self._joined is not None
        codes = np.frombuffer(self._joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths + 1)[: len(codes)]
        real = codes != 10  # not the separator
        chars, counts = np.unique(codes[real], return_counts=True)
        top = np.sort(chars[np.argsort(-counts, kind="stable")[: COLUMNS - 1]])
        self._column = {chr(int(c)): j for j, c in enumerate(top)}
        if len(top):
            found = np.minimum(np.searchsorted(top, codes), len(top) - 1)
            col = np.where(top[found] == codes, found, COLUMNS - 1)
        else:
            col = np.full(len(codes), COLUMNS - 1, dtype=np.int64)

        # characters: a column (contiguous, one value per title) per character
        key, cnt = np.unique(col[real] * n + rows[real], return_counts=True)
        self._chars = np.zeros((COLUMNS, n), dtype=np.uint8)
        self._chars[key // n, key % n] = np.minimum(cnt, _MAX_COUNT)

        # pairs of adjacent characters inside a word, as compressed columns (rows, counts)
        word = real & (codes != 32)
        inside = np.flatnonzero(word[:-1] & word[1:])
        pair = col[inside] * COLUMNS + col[inside + 1]
        key, cnt = np.unique(pair * n + rows[inside], return_counts=True)
        self._pair_rows = (key % n).astype(np.int32)
        self._pair_counts = np.minimum(cnt, _MAX_COUNT).astype(np.uint8)
        self._pair_ptr = np.searchsorted(key // n, np.arange(COLUMNS * COLUMNS + 1))

        self._len = lengths.astype(np.float64)
        self._spaces = np.bincount(rows[codes == 32], minlength=n).astype(np.float64)

        # distinct words: their number, the length of the string they make once each, and the
        # titles holding each (compressed columns)
        sets = [set(s.split()) for s in self.strings]
        flat = list(chain.from_iterable(sets))
        vocab: dict[str, int] = {}
        tok_ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in flat), dtype=np.int64, count=len(flat))
        distinct = np.fromiter(map(len, sets), dtype=np.int64, count=n)
        tok_rows = np.repeat(np.arange(n, dtype=np.int64), distinct)
        letters = np.bincount(tok_rows, weights=np.fromiter(map(len, flat), dtype=np.float64, count=len(flat)),
                              minlength=n)
        order = np.lexsort((tok_rows, tok_ids))
        self._words = vocab
        self._word_rows = tok_rows[order].astype(np.int32)
        self._word_ptr = np.searchsorted(tok_ids[order], np.arange(len(vocab) + 1))
        self._distinct = distinct.astype(np.float64)
        self._dlen = np.where(distinct > 0, letters + distinct - 1, 0.0)

        # the strings in sorted order: the titles that begin with the query are one range
        by_string = sorted(range(n), key=self.strings.__getitem__)
        self._sorted = np.asarray(by_string, dtype=np.int64)
        self._sorted_keys = [self.strings[i] for i in by_string]

    # -- the bound ---------------------------------------------------------------------------
    def bounds(self, q: str) -> np.ndarray | None:
        """An upper bound of ``title_score(q, s)`` for every string ``s``; None when the
        shortlist keeps no counts, ``q`` is not normalised or repeats a character over 255
        times. See ``_bounds``."""
        found = self._bounds(q)
        return None if found is None else found[0]

    def _bounds(self, q: str) -> tuple[np.ndarray, np.ndarray] | None:
        """``_bounds_of(q)``, kept (read-only) for the next call with the same ``q``: a tuple
        replaced whole, so threads sharing the shortlist see one or the other."""
        last = self._last
        if last is not None and last[0] == q:
            return last[1]
        found = self._bounds_of(q)
        if found is not None:
            for array in found:
                array.setflags(write=False)  # shared with the next caller
        self._last = (q, found)
        return found

    def _bounds_of(self, q: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(bound, known): an upper bound of ``title_score(q, s)`` for every string ``s``, and
        where it is the score itself (no slack added there).

        Notation: m, n the lengths of q and s; M the characters they have in common (as
        multisets: at most the longest common subsequence's length L can be); W the in-word
        pairs of adjacent characters in common; sp the fewer spaces of the two; c the words
        in common and x the length of them joined; q', s' the strings of their distinct words
        (lengths dq, ds).

        - ``ratio`` is 200 L / (m + n). In a longest common subsequence, L - 1 consecutive
          matches are adjacent in both strings but where an unmatched character of either
          lies between them (m + n - 2L at most); an adjacent pair is an in-word pair of both
          unless it holds a space (2 sp at most). So W >= 3L - 1 - m - n - 2sp, and
          L <= min(M, (W + 1 + m + n + 2sp) / 3).
        - ``token_sort_ratio`` compares permutations of the words: the same M, W, sp, lengths.
        - ``token_set_ratio``: 100 when one word set holds the other (c > 0); else a ratio of
          permutations of q' and s' (bounded as above, with dq, ds, M capped by them), and
          with c > 0 the ratio of the common words to q' or s', 2x / (x + dq) or 2x / (x + ds).
        - ``partial_ratio`` is the best ``ratio`` of the shorter string (length a) against a
          part of the longer one of length k: 200 min(k, M, (W + 1 + a + k + 2sp) / 3) / (a + k),
          largest at k = min(M, a, (W + 1 + a + 2sp) / 2); 100 where q is part of s.
        - ``partial_token_ratio``: 100 when c > 0, else ``partial_ratio`` of the sorted words
          (as above) or of q' and s'.
        - WRatio weighs them by the length ratio (< 1.5: ratio and 0.95 x the token ratios;
          up to 8: 0.9 x partial and 0.855 x partial token; beyond: 0.6 and 0.57); our rules
          take ``ratio`` alone for a title under 0.6 m, and 90 for one that begins with q.

        Known exactly (the ties a word being typed makes by the thousand): a title holding q,
        from 1.5 to 8 times as long, scores 90 (60 when longer); one sharing a word with q (and
        holding every word of q), as long, whose partial bound stays under 95, scores 85.5.
        """
        m = len(q)
        if not self.indexed or not m or not _plain(q):
            return None
        other = COLUMNS - 1
        qcols: Counter[int] = Counter()
        for ch, k in Counter(q).items():
            qcols[self._column.get(ch, other)] += k
        qwords = q.split()
        qpairs: Counter[int] = Counter()
        for w in qwords:
            for a, b in zip(w, w[1:]):
                qpairs[self._column.get(a, other) * COLUMNS + self._column.get(b, other)] += 1
        if max(qcols.values()) > _MAX_COUNT or (qpairs and max(qpairs.values()) > _MAX_COUNT):
            return None
        n_rows = len(self.strings)

        common = np.zeros(n_rows, dtype=np.int32)
        for j, k in qcols.items():
            common += np.minimum(self._chars[j], k)
        W = np.zeros(n_rows, dtype=np.float64)
        if qpairs:
            spans = [(self._pair_ptr[p], self._pair_ptr[p + 1], k) for p, k in qpairs.items()]
            rows = np.concatenate([self._pair_rows[a:b] for a, b, _ in spans])
            if len(rows):
                weights = np.concatenate([np.minimum(self._pair_counts[a:b], k) for a, b, k in spans])
                W = np.bincount(rows, weights=weights, minlength=n_rows)
        qset = set(qwords)
        ids = [(self._words[w], len(w)) for w in qset if w in self._words]
        shared = np.zeros(n_rows, dtype=np.float64)
        x = np.zeros(n_rows, dtype=np.float64)
        if ids:
            parts = [self._word_rows[self._word_ptr[i]:self._word_ptr[i + 1]] for i, _ in ids]
            rows = np.concatenate(parts)
            shared = np.bincount(rows, minlength=n_rows).astype(np.float64)
            x = np.bincount(rows, weights=np.repeat([float(k) for _, k in ids], [len(r) for r in parts]),
                            minlength=n_rows) + np.maximum(shared - 1, 0)

        n = self._len
        M = common.astype(np.float64)
        sp = np.minimum(self._spaces, float(len(qwords) - 1))
        dq = float(sum(map(len, qset)) + len(qset) - 1)
        ds = self._dlen
        has = shared > 0
        substring = np.zeros(n_rows, dtype=bool)
        if m <= 64:  # rapidfuzz aligns a longer needle heuristically: no score assumed then
            substring[self.containing(q)] = True
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = 200.0 * np.minimum(M, (W + 1 + m + n + 2 * sp) / 3) / (m + n)
            md = np.minimum(M, np.minimum(dq, ds))
            set_ratio = np.where(dq + ds > 0, 200.0 * np.minimum(md, (W + 1 + dq + ds + 2 * sp) / 3) / (dq + ds), 0.0)
            subset = has & ((shared == len(qset)) | (shared == self._distinct))
            lo = np.minimum(dq, ds)
            sect = np.where(has, 200.0 * x / (x + lo), 0.0)
            token_set = np.where(subset, 100.0, np.maximum(set_ratio, sect))
            case_a = np.maximum(ratio, 0.95 * np.maximum(ratio, token_set))

            a = np.minimum(float(m), n)
            k = np.minimum(np.minimum(M, a), (W + 1 + a + 2 * sp) / 2)
            partial = np.where(substring, 100.0, np.where(a > 0, 200.0 * k / (a + k), 0.0))
            k2 = np.minimum(md, (W + 1 + lo + 2 * sp) / 2)
            partial_set = np.where(lo > 0, 200.0 * k2 / (lo + k2), 0.0)
            partial_token = np.where(has, 100.0, np.maximum(partial, partial_set))
            length_ratio = np.maximum(float(m), n) / np.minimum(float(m), n)
            near = length_ratio <= 8.0
            scale = np.where(near, 0.9, 0.6)
            case_b = np.maximum(ratio, np.maximum(scale * partial, scale * 0.95 * partial_token))
            wratio = np.where(n == 0, 0.0, np.where(length_ratio < 1.5, case_a, case_b))
            # ``title_score`` where q has a word the title lacks: a WRatio of 80 or more loses its
            # partial token set part. From 1.5 to 8 times the length a shared word makes that
            # part 85.5, so WRatio >= 80 and the score is the rest of WRatio exactly: ratio,
            # partial and partial token sort, a partial ratio of the same words reordered (the
            # same bound as ``partial``). Elsewhere the score is at most WRatio, bounded above.
            lacks = shared < len(qset)
            rest = np.maximum(ratio, 0.9 * partial)
            wratio = np.where(lacks & has & (n > 0) & (length_ratio >= 1.5) & near, np.minimum(case_b, rest), wratio)
        short = n < 0.6 * m
        bound = np.minimum(np.where(short, ratio, wratio), 100.0) + _SLACK
        # the scores known without computing them (WRatio's own constants, exact in floats)
        wide = ~short & (length_ratio >= 1.5)
        holds = wide & substring
        # sharing a word scores 85.5 only where every word of q is the title's: else
        # ``title_score`` takes the shared word's part out (``_without_one_shared_word``)
        word = wide & near & has & ~substring & (0.9 * partial <= _SHARES_WORD) & (shared == len(qset))
        bound[holds] = np.where(near[holds], _HOLDS_NEAR, _HOLDS_FAR)
        bound[word] = _SHARES_WORD
        known = holds | word
        starts = self._starting(q + " ") if m >= 3 else np.zeros(0, dtype=np.int64)
        if len(starts):  # our rule: 90 at least for a title that begins with q (and holds it)
            bound[starts] = np.maximum(bound[starts], np.where(known[starts], 90.0, 90.0 + _SLACK))
        return bound, known

    def _starting(self, prefix: str) -> np.ndarray:
        """The rows whose string begins with ``prefix`` (which ends with a space): in sorted
        order, the strings from ``prefix`` up to (not with) the prefix ending in "!"."""
        lo = bisect_left(self._sorted_keys, prefix)
        hi = bisect_left(self._sorted_keys, prefix[:-1] + "!", lo)
        return self._sorted[lo:hi]

    # -- rankings ----------------------------------------------------------------------------
    def ranked(self, q: str, floor: float = 0.0, budget: int | None = None) -> Iterator[tuple[int, float]]:
        """``(row, title_score(q, string))`` for every string scoring at least ``floor``, best
        first, ties by row: what ``process.extract(q, strings, scorer=title_score, limit=None,
        score_cutoff=floor)`` returns, computed lazily (stop iterating when done). With
        ``budget``, at most that many strings are scored; the strings then left unscored are
        not in the answer, whose tail may be out of order: a hint, never a decision."""
        found = self._bounds(q)
        if found is None:
            scored = [(-title_score(q, s), i) for i, s in enumerate(self.strings)]
            scored.sort()
            for s, i in scored:
                if -s < floor:
                    return
                yield i, -s
            return
        bound, known = found
        candidates = np.flatnonzero(bound >= floor)
        # bound descending; at one bound the rows to score before the known ones; then by row
        order = candidates[np.lexsort((candidates, known[candidates], -bound[candidates]))]
        ordered_bound, ordered_known = bound[order], known[order]
        heap: list[tuple[float, int]] = []
        pos, chunk, scored_n = 0, 16, 0
        strings = self.strings
        while True:
            ceiling = ordered_bound[pos] if pos < len(order) else -1.0
            # a score above every bound left is final: nothing unscored can reach or tie it
            while heap and -heap[0][0] > ceiling:
                s, i = heapq.heappop(heap)
                yield i, -s
            if pos >= len(order):
                return
            if ordered_known[pos]:
                # a run of rows known to score exactly ``ceiling``, by row: merged with the
                # scored rows that tie it, without a heap entry each
                rest = (ordered_bound[pos:] != ceiling) | ~ordered_known[pos:]
                end = pos + int(np.argmax(rest)) if rest.any() else len(order)
                ties = []
                while heap and -heap[0][0] == ceiling:
                    ties.append(heapq.heappop(heap)[1])
                for i in heapq.merge(sorted(ties), order[pos:end].tolist()):
                    yield i, float(ceiling)
                pos = end
                continue
            if budget is not None and scored_n >= budget:
                while heap:
                    s, i = heapq.heappop(heap)
                    yield i, -s
                return
            window = ordered_known[pos:pos + chunk]  # up to the next run of known rows
            take = order[pos:pos + (int(np.argmax(window)) if window.any() else len(window))]
            pos += len(take)
            chunk = min(chunk * 2, 2048)
            rows = take.tolist()
            scores = [title_score(q, strings[i]) for i in rows]
            for i, s in zip(rows, scores):
                if s >= floor:
                    heapq.heappush(heap, (-s, i))
            scored_n += len(rows)

    def top(self, q: str, limit: int, cutoff: float) -> list[tuple[int, float]]:
        """The ``limit`` best ``(row, score)`` scoring at least ``cutoff``: ``process.extract``
        with ``limit`` and ``score_cutoff``."""
        out = []
        for item in self.ranked(q, cutoff):
            out.append(item)
            if len(out) == limit:
                break
        return out

    def containing(self, q: str) -> list[int]:
        """The rows whose string contains ``q``, in order: a search of one joined string."""
        if self._joined is None or not q or "\n" in q:
            return [i for i, s in enumerate(self.strings) if q in s]
        joined, starts, out = self._joined, self._starts, []
        if joined.count(q) > len(self.strings) // 8:  # most titles: a plain pass is cheaper
            return [i for i, s in enumerate(self.strings) if q in s]
        at = joined.find(q)
        while at >= 0:
            row = int(np.searchsorted(starts, at, side="right")) - 1
            out.append(row)
            nxt = starts[row + 1] if row + 1 < len(starts) else len(joined)
            at = joined.find(q, int(nxt))
        return out
