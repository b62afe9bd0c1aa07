"""mxgraph: a citable knowledge graph of U.S.–Mexico relations.

The lookup functions are available from the package itself; they are
imported on first use, so ``import mxgraph`` stays cheap.

>>> import mxgraph
>>> store = mxgraph.open_store()
>>> mxgraph.describe_entity(store, "USAID").entity.curie
'mxd:usaid'
>>> rows = mxgraph.run_query(store, "SELECT ?org WHERE { mxd:mexico mx:supports ?org }")
>>> sorted(row[0].value for row in rows)
['https://w3id.org/mxgraph/id/oas', 'https://w3id.org/mxgraph/id/united-nations']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Public names re-exported lazily, by the module that defines them.
_LAZY = {
    "open_store": "mxgraph.store",
    "run_query": "mxgraph.query",
    "list_named_queries": "mxgraph.query",
    "export_graph": "mxgraph.export",
    "validate_store": "mxgraph.validate",
    "LocalBackend": "mxgraph.backend",
    "SparqlBackend": "mxgraph.backend",
    "resolve_entity": "mxgraph.resolve",
    "describe_entity": "mxgraph.lookup",
    "neighbors": "mxgraph.lookup",
    "search_entities": "mxgraph.lookup",
    "graph_stats": "mxgraph.lookup",
    "shortest_paths": "mxgraph.paths",
}

__all__ = [
    "LocalBackend",
    "SparqlBackend",
    "__version__",
    "describe_entity",
    "export_graph",
    "graph_stats",
    "list_named_queries",
    "neighbors",
    "open_store",
    "resolve_entity",
    "run_query",
    "search_entities",
    "shortest_paths",
    "validate_store",
]

if TYPE_CHECKING:
    from mxgraph.backend import LocalBackend, SparqlBackend
    from mxgraph.export import export_graph
    from mxgraph.lookup import describe_entity, graph_stats, neighbors, search_entities
    from mxgraph.paths import shortest_paths
    from mxgraph.query import list_named_queries, run_query
    from mxgraph.resolve import resolve_entity
    from mxgraph.store import open_store
    from mxgraph.validate import validate_store


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mxgraph' has no attribute {name!r}")
