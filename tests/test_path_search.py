"""The path search asks neighbor queries through any backend and never reads the whole graph.

That it finds networkx's paths, and stops at its node budget, is tested in test_paths.py.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from mxgraph.backend import LocalBackend
from mxgraph.paths import EDGES_QUERY, shortest_paths
from mxgraph.query import SelectResult, Term
from mxgraph.store import MxStore, open_store


class RecordingBackend:
    """A local backend that keeps every query sent through it."""

    def __init__(self, store: MxStore) -> None:
        self.local = LocalBackend(store, timeout=None)
        self.queries: list[str] = []

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        self.queries.append(sparql)
        return self.local.select(sparql, bindings)


@pytest.fixture(scope="module")
def store() -> MxStore:
    return open_store()


def test_never_reads_the_whole_graph(store: MxStore) -> None:
    backend = RecordingBackend(store)
    result = shortest_paths(backend, "Chile", "Canada")
    assert result.length == 3
    assert EDGES_QUERY not in backend.queries
    # Each step of the search asks for the neighbors of the frontier nodes only.
    frontier = [q for q in backend.queries if "?forward" in q]
    assert len(frontier) == 3
    assert all("VALUES ?node {" in q for q in frontier)
