"""The entity lookups under one name, for library users: describe, neighbors, search, stats.

Each lookup lives in a module named after it (:mod:`mxgraph.describe`,
:mod:`mxgraph.neighbors`, :mod:`mxgraph.search`, :mod:`mxgraph.stats`); this
module re-exports their public names, so ``from mxgraph.lookup import
describe_entity`` keeps working. Importing it imports all four: code that needs
one lookup imports that module.

>>> from mxgraph.store import open_store
>>> store = open_store()
>>> [r.other.label for r in describe_entity(store, "USAID").relations if r.relation.label == "runs"]
['USAID programs under the Merida Initiative']
>>> search_entities(store, "merida").hits[0].entity.curie
'mxd:merida-initiative'
"""

from __future__ import annotations

from mxgraph.describe import (
    Attribute,
    EntityDescription,
    Number,
    QuantitativeFact,
    Relation,
    describe_entity,
)
from mxgraph.direction import Direction
from mxgraph.neighbors import Neighbor, Neighborhood, neighbors
from mxgraph.search import (
    SCORES,
    SEARCH_RULES,
    SearchHit,
    SearchResult,
    match_score,
    score_rules,
    search_entities,
)
from mxgraph.stats import Centrality, ClassCount, GraphStats, RelationCount, graph_stats

__all__ = [
    "SCORES",
    "SEARCH_RULES",
    "Attribute",
    "Centrality",
    "ClassCount",
    "Direction",
    "EntityDescription",
    "GraphStats",
    "Neighbor",
    "Neighborhood",
    "Number",
    "QuantitativeFact",
    "Relation",
    "RelationCount",
    "SearchHit",
    "SearchResult",
    "describe_entity",
    "graph_stats",
    "match_score",
    "neighbors",
    "score_rules",
    "search_entities",
]
