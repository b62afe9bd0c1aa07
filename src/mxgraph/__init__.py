"""mxgraph: a citable knowledge graph of U.S.–Mexico relations.

The lookup functions are available from the package itself; they are
imported on first use, so ``import mxgraph`` stays cheap.

>>> import mxgraph
>>> from mxgraph.store import open_store
>>> mxgraph.describe_entity(open_store(), "USAID").entity.curie
'mxd:usaid'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Public names re-exported lazily, by the module that defines them.
_LAZY = {
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
    "graph_stats",
    "neighbors",
    "resolve_entity",
    "search_entities",
    "shortest_paths",
]

if TYPE_CHECKING:
    from mxgraph.backend import LocalBackend, SparqlBackend
    from mxgraph.lookup import describe_entity, graph_stats, neighbors, search_entities
    from mxgraph.paths import shortest_paths
    from mxgraph.resolve import resolve_entity


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mxgraph' has no attribute {name!r}")
