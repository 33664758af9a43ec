"""How EdgeBackend says a query and a filter in Qdrant Edge's types (``qdrant_edge``): the
search parameters of a named vector's index, the query kinds, the filter conditions. The
shared code (``shared.BaseBackend``) builds every query and filter through these, so the
server backend (``remote``) says the same in qdrant-client's types."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import qdrant_edge as qe

from recsys.store.base import VectorIndex
from recsys.store.edge_config import SEARCH_EF

#: int8 search reads this many times the limit from the quantized vectors, then rescores
#: them with the originals
INT8_OVERSAMPLING = 2.0


class EdgeQueries:
    """EdgeBackend's query and filter builders (a mixin: ``_search_params`` reads the
    backend's ``_index_of``)."""

    _index_of: Callable[[str, str], VectorIndex]

    def _search_params(self, name: str, using: str) -> qe.SearchParams:
        index = self._index_of(name, using)
        quant = (
            qe.QuantizationSearchParams(rescore=True, oversampling=INT8_OVERSAMPLING)
            if index.int8
            else None
        )
        return qe.SearchParams(hnsw_ef=SEARCH_EF, quantization=quant)

    def _nearest_query(self, vec: list[float], using: str) -> Any:
        return qe.Query.Nearest(vec, using=using)

    def _recommend_query(self, pos: list[list[float]], neg: list[list[float]], using: str) -> Any:
        return qe.Query.RecommendBestScore(qe.RecommendQuery(pos, neg), using=using)

    def _mmr_query(self, vec: list[float], using: str, diversity: float, candidates: int) -> Any:
        # Edge takes lambda (1 = relevance only); the server API takes diversity = 1 - lambda
        return qe.Mmr(vec, 1.0 - diversity, candidates_limit=candidates, using=using)

    # --- filters ------------------------------------------------------------------------

    def _match_any(self, key: str, values: list[str]) -> Any:
        return qe.FieldCondition(key=key, match=qe.MatchAny(values))

    def _range(self, key: str, gte: float | None, lte: float | None) -> Any:
        return qe.FieldCondition(key=key, range=qe.RangeFloat(gte=gte, lte=lte))

    def _has_vector(self, vector_name: str) -> Any:
        return qe.HasVectorCondition(vector_name)

    def _filter(self, must: list[Any] | None, must_not: list[Any] | None) -> Any:
        return qe.Filter(must=must, must_not=must_not)

    def _has_id(self, point_ids: Sequence[str]) -> Any:
        return qe.HasIdCondition(set(point_ids))

    def _is_empty(self, key: str) -> Any:
        return qe.IsEmptyCondition(key)

    def _values_at_least(self, key: str, n: int) -> Any:
        return qe.FieldCondition(key, values_count=qe.ValuesCount(gte=n))
